"""The batch writer: every file replaced whole, or none when the batch fails."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from toolkit.project.fsutil import AtomicBatch, atomic_write_many


def test_batch_replaces_files_and_keeps_their_mode(tmp_path: Path):
    old = tmp_path / "a" / "old.txt"
    old.parent.mkdir()
    old.write_bytes(b"old")
    old.chmod(0o600)
    with AtomicBatch() as batch:
        batch.add(old, b"new")
        batch.add(tmp_path / "a" / "b" / "fresh.txt", b"fresh")
        assert old.read_bytes() == b"old"          # nothing visible before the commit
    assert old.read_bytes() == b"new" and old.stat().st_mode & 0o777 == 0o600
    fresh = tmp_path / "a" / "b" / "fresh.txt"
    assert fresh.read_bytes() == b"fresh" and fresh.stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["fresh.txt", "old.txt"]


def test_failed_batch_leaves_every_target_as_it_was(tmp_path: Path):
    keep = tmp_path / "keep.txt"
    keep.write_bytes(b"old")
    blocker = tmp_path / "file"
    blocker.write_bytes(b"")                         # a file where a folder is needed
    with pytest.raises(OSError):
        with AtomicBatch() as batch:
            batch.add(keep, b"new")
            batch.add(blocker / "x.txt", b"cannot")
            batch.commit()
    assert keep.read_bytes() == b"old"
    assert sorted(os.listdir(tmp_path)) == ["file", "keep.txt"]   # no temp file left


def test_atomic_write_many_writes_all(tmp_path: Path):
    atomic_write_many([(tmp_path / f"{n}.txt", str(n).encode()) for n in range(20)], sync_new=False)
    assert [(tmp_path / f"{n}.txt").read_text() for n in range(20)] == [str(n) for n in range(20)]


# -- compare before replace ---------------------------------------------------

@pytest.mark.parametrize("renameat2", [True, False], ids=["renameat2", "fallback"])
def test_batch_replaces_only_files_still_as_read(tmp_path: Path, monkeypatch, renameat2: bool):
    from toolkit.project import fsutil

    if not renameat2:       # other systems, and file systems that refuse its flags
        monkeypatch.setattr(fsutil, "_libc_renameat2", lambda: None)
    same, saved, fresh, taken = (tmp_path / n for n in ("same.po", "saved.po", "fresh.po", "taken.po"))
    same.write_bytes(b"old")
    saved.write_bytes(b"old")
    with AtomicBatch() as batch:
        batch.add(same, b"new", expected=b"old")
        batch.add(saved, b"new", expected=b"old")
        batch.add(fresh, b"new", expected=None)
        batch.add(taken, b"new", expected=None)
        saved.write_bytes(b"a translator's save")     # after tmkit read it, before the rename
        taken.write_bytes(b"created meanwhile")
    assert batch.moved == [saved, taken]
    assert same.read_bytes() == b"new" and fresh.read_bytes() == b"new"
    assert saved.read_bytes() == b"a translator's save" and taken.read_bytes() == b"created meanwhile"
    assert sorted(os.listdir(tmp_path)) == ["fresh.po", "same.po", "saved.po", "taken.po"]   # no temp file


def test_a_save_between_the_check_and_the_swap_is_put_back(tmp_path: Path, monkeypatch):
    """The instant between comparing and renaming: the file swapped out is compared again."""
    from toolkit.project import fsutil

    if fsutil._libc_renameat2() is None:
        pytest.skip("no renameat2 here: the window is documented")
    target = tmp_path / "x.po"
    target.write_bytes(b"old")
    real = fsutil._current_digest
    calls = []

    def check_then_save(path):
        found = real(path)
        if not calls:                       # right after the last check, a translator saves
            (tmp_path / "editor.tmp").write_bytes(b"saved in the window")
            os.replace(tmp_path / "editor.tmp", target)
        calls.append(path)
        return found

    monkeypatch.setattr(fsutil, "_current_digest", check_then_save)
    with AtomicBatch() as batch:
        batch.add(target, b"new", expected=b"old")
    assert batch.moved == [target]
    assert target.read_bytes() == b"saved in the window"
    assert sorted(os.listdir(tmp_path)) == ["x.po"]
