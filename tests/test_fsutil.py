"""The batch writer: every file replaced whole, or none when the batch fails."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from toolkit.fsutil import AtomicBatch, atomic_write_many


@pytest.mark.parametrize("background", [False, True])
def test_batch_replaces_files_and_keeps_their_mode(tmp_path: Path, background: bool):
    old = tmp_path / "a" / "old.txt"
    old.parent.mkdir()
    old.write_bytes(b"old")
    old.chmod(0o600)
    with AtomicBatch(background=background) as batch:
        batch.add(old, b"new")
        batch.add(tmp_path / "a" / "b" / "fresh.txt", b"fresh")
        assert old.read_bytes() == b"old"          # nothing visible before the commit
    assert old.read_bytes() == b"new" and old.stat().st_mode & 0o777 == 0o600
    fresh = tmp_path / "a" / "b" / "fresh.txt"
    assert fresh.read_bytes() == b"fresh" and fresh.stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["fresh.txt", "old.txt"]


@pytest.mark.parametrize("background", [False, True])
def test_failed_batch_leaves_every_target_as_it_was(tmp_path: Path, background: bool):
    keep = tmp_path / "keep.txt"
    keep.write_bytes(b"old")
    blocker = tmp_path / "file"
    blocker.write_bytes(b"")                         # a file where a folder is needed
    with pytest.raises(OSError):
        with AtomicBatch(background=background) as batch:
            batch.add(keep, b"new")
            batch.add(blocker / "x.txt", b"cannot")
            batch.commit()
    assert keep.read_bytes() == b"old"
    assert sorted(os.listdir(tmp_path)) == ["file", "keep.txt"]   # no temp file left


def test_atomic_write_many_writes_all(tmp_path: Path):
    atomic_write_many([(tmp_path / f"{n}.txt", str(n).encode()) for n in range(20)], sync_new=False)
    assert [(tmp_path / f"{n}.txt").read_text() for n in range(20)] == [str(n) for n in range(20)]
