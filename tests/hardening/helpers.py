"""Shared helpers for the hardening suite: a ready project, the CLI as a subprocess,
and a hash of every file so a test can prove nothing it did not expect changed."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "source" / "failed-back-syndrome.txt"
SLUG = "failed-back-syndrome"
#: Files tmkit may create even when it refuses the input (the project lock).
#: (and SQLite's own write-ahead log and shared-memory files beside the TM).
VOLATILE = {".tmkit/lock", ".sqlite-wal", ".sqlite-shm"}


def tree_hash(root: Path) -> dict[str, str]:
    """Relative path -> SHA-256 of every file (symlinks by their target) under ``root``."""
    out: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if any(rel.endswith(v) for v in VOLATILE):
                continue
            if path.is_symlink():
                out[rel] = "->" + os.readlink(path)
            else:
                out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@dataclass
class Run:
    code: int
    out: str
    err: str


def tmkit(root: Path, *args: str, env: dict | None = None, timeout: float = 120) -> Run:
    """``python -m toolkit -C root args`` in a subprocess (no network is needed or used)."""
    proc = subprocess.run([sys.executable, "-m", "toolkit", "-C", str(root), *args],
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})}, cwd=root)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def assert_clean_error(run: Run, *names: str, line: int | None = None) -> str:
    """Exit 2, one line ``tmkit: error: ...`` naming each of ``names`` (and the line)."""
    assert "Traceback" not in run.err, run.err
    assert run.code == 2, (run.code, run.out, run.err)
    lines = [l for l in run.err.splitlines() if l.strip()]
    assert len(lines) == 1 and lines[0].startswith("tmkit: error: "), run.err
    for name in names:
        assert name in lines[0], (name, lines[0])
    if line is not None:
        assert f":{line}:" in lines[0], (line, lines[0])
    return lines[0]


def assert_unchanged(before: dict[str, str], after: dict[str, str], new_ok: str = ".tmkit/") -> None:
    """Every file present before is byte-identical; new files only in tmkit's state folder."""
    changed = sorted(k for k in before if before[k] != after.get(k))
    assert not changed, f"changed or removed: {changed}"
    new = sorted(k for k in after if k not in before and f"/{new_ok}" not in f"/{k}")
    assert not new, f"new files: {new}"


def assert_no_traceback(run: Run) -> None:
    assert "Traceback" not in run.err and "internal error" not in run.err, run.err
    assert run.code in (0, 1, 2), (run.code, run.err)


def make_project(root: Path, po: bool = True) -> Path:
    """A project like the repository's (seed article), with POT and PO files."""
    (root / "source").mkdir(parents=True)
    from tests.conftest import without_handouts   # PDFs: tests/test_writers_pdf.py only
    (root / "tmkit.toml").write_text(without_handouts((REPO / "tmkit.toml").read_text("utf-8")), "utf-8")
    shutil.copy(SEED, root / "source" / SEED.name)
    for extra in ("glossary.csv",):          # files tmkit.toml names
        if (REPO / extra).exists():
            shutil.copy(REPO / extra, root / extra)
    if po:
        for lang in ("es", "fr", "de", "ar", "zh-Hans"):
            src = REPO / "po" / lang / f"{SLUG}.po"
            if src.exists():
                (root / "po" / lang).mkdir(parents=True, exist_ok=True)
                shutil.copy(src, root / "po" / lang / src.name)
        (root / "po" / "templates").mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "po" / "templates" / f"{SLUG}.pot", root / "po" / "templates")
    return root


def copy_project(template: Path, dest: Path) -> Path:
    shutil.copytree(template, dest, symlinks=True)
    return dest


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def run_all(jobs: Iterable, workers: int = 4) -> list:
    """Run callables in threads (each mostly waits on its subprocess)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda job: job(), jobs))
