"""Crash safety: tmkit commands killed with SIGKILL at random moments.

Several projects of 60 articles run side by side; in each, writing commands
(extract, update, build, tm import, tm update) are started as subprocesses
and killed at a random moment, over and over (at least 200 kills in all).
After every kill, every PO/POT, export and TM file must be either as it was
or complete and valid (PO parsed by tmkit's reader and by polib, XML against
the schema, HTML by lxml, the TM by ``PRAGMA integrity_check``); after each
round, every command run to the end succeeds.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polib
from lxml import etree, html as lhtml

from tests.hardening.helpers import REPO, SEED
from toolkit.catalog.pofile import read_po
from toolkit.publish.writers.xml import validate

ARTICLES = 60
PROJECTS = 3
#: kills wanted per project; attempts go on (up to 3x) until that many landed,
#: since a command that finishes before its random moment is not a kill
KILLS_PER_PROJECT = int(os.environ.get("TMKIT_CRASH_KILLS", "70"))
#: a stale lock (e.g. held by an orphaned worker) shows as a failure, not a hang
ENV = {**os.environ, "TMKIT_LOCK_TIMEOUT": "5"}
COMMANDS = [("extract",), ("update",), ("build",), ("tm", "import", "big.tmx"), ("tm", "update")]


def _make(root: Path) -> None:
    (root / "source").mkdir(parents=True)
    from tests.conftest import without_handouts   # PDFs: tests/test_writers_pdf.py only
    text = without_handouts((REPO / "tmkit.toml").read_text("utf-8"))
    text = text.replace('languages = ["es", "fr", "de", "ar", "zh-Hans"]', 'languages = ["es", "fr"]')
    text = text.replace('glossary = "glossary.csv"', 'glossary = ""').replace("min_translated = 80", "min_translated = 0")
    (root / "tmkit.toml").write_text(text.replace('required = ["disclaimer"]', "required = []"), "utf-8")
    seed = SEED.read_text("utf-8")
    for i in range(ARTICLES):
        (root / "source" / f"article-{i:03d}.txt").write_text(seed.replace("Failed Back Syndrome",
                                                                            f"Failed Back Syndrome {i}", 1), "utf-8")
    tus = "\n".join(f'<tu><tuv xml:lang="en"><seg>Unit {i} of the spine memory.</seg></tuv>'
                    f'<tuv xml:lang="es"><seg>Unidad {i} de la memoria.</seg></tuv></tu>' for i in range(30_000))
    (root / "big.tmx").write_text('<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="en" '
                                  f'creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="x" '
                                  f'adminlang="en" datatype="plaintext"/><body>\n{tus}\n</body></tmx>\n', "utf-8")
    for cmd in COMMANDS:
        _complete(root, cmd)
    # translate Spanish (identity) so that tm update has work
    for po_path in (root / "po" / "es").glob("*.po"):
        po = read_po(po_path)
        for entry in po:
            entry.msgstr = entry.msgid
        po.save(str(po_path))


def _complete(root: Path, cmd) -> None:
    proc = subprocess.run([sys.executable, "-m", "toolkit", "-C", str(root), *cmd], capture_output=True,
                          text=True, timeout=300, cwd=root, env=ENV)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, (cmd, proc.stderr)


def _flip(root: Path, n: int) -> None:
    """Change inputs so the next command has real work to do."""
    settings = root / "tmkit.toml"
    text = settings.read_text("utf-8")
    settings.write_text(text.replace("text_width = 0", "text_width = 72") if "text_width = 0" in text
                        else text.replace("text_width = 72", "text_width = 0"), "utf-8")
    for path in sorted((root / "source").glob("*.txt"))[n % 3::3]:
        body = path.read_text("utf-8")
        marker = "\n\nA sentence added for the crash test.\n"
        path.write_text(body.replace(marker, "\n") if marker in body else body + marker, "utf-8")


class Checker:
    """Validates the files of a project that changed since they were last checked."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.seen: dict[Path, tuple[int, int]] = {}

    def check(self) -> int:
        checked = 0
        for path in self._files():
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            key = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
            if self.seen.get(path) == key:
                continue
            self._validate(path)
            self.seen[path] = key
            checked += 1
        self._tm()
        return checked

    def _files(self):
        for folder in ("po", "exports"):
            for dirpath, dirs, names in os.walk(self.root / folder):
                # hidden folders are staging areas (the search index is built in
                # exports/.pagefind-new and swapped in whole): never published as they are
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for name in names:
                    if not name.startswith("."):
                        yield Path(dirpath) / name

    def _validate(self, path: Path) -> None:
        data = path.read_bytes()
        assert data, f"empty file {path}"
        if path.suffix in (".po", ".pot"):
            po = read_po(path)
            assert len(polib.pofile(str(path))) == len(po), path
            assert po.metadata.get("Content-Type"), path
        elif path.suffix == ".xml":
            assert validate(data) == [], path
        elif path.suffix == ".html":
            doc = lhtml.document_fromstring(data)
            assert doc.xpath("//html") and data.rstrip().endswith(b"</html>"), path
        elif path.suffix == ".txt":
            data.decode("utf-8")

    def _tm(self) -> None:
        db = self.root / ".tmkit" / "tm.sqlite"
        with sqlite3.connect(db, timeout=30) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            conn.execute("SELECT count(*) FROM units").fetchone()
        conn.close()


def _torture(root: Path, seed: int) -> int:
    rng = random.Random(seed)
    _make(root)
    checker = Checker(root)
    checker.check()
    kills = 0
    n = -1
    while kills < KILLS_PER_PROJECT and n < 3 * KILLS_PER_PROJECT:
        n += 1
        cmd = COMMANDS[n % len(COMMANDS)]
        if cmd == ("extract",):
            _flip(root, n)
        proc = subprocess.Popen([sys.executable, "-m", "toolkit", "-C", str(root), *cmd],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=root, env=ENV)
        time.sleep(rng.uniform(0.15, 1.0))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        _, err = proc.communicate()
        assert b"Traceback" not in err, err.decode()
        checker.check()
        if n % 15 == 14:
            for command in COMMANDS:
                _complete(root, command)
            checker.check()
    for command in COMMANDS:
        _complete(root, command)
    checker.check()
    return kills


def test_sigkill_at_random_moments_leaves_only_valid_files(tmp_path):
    with ThreadPoolExecutor(PROJECTS) as pool:
        kills = list(pool.map(lambda i: _torture(tmp_path / f"p{i}", 1000 + i), range(PROJECTS)))
    print(f"kills survived: {sum(kills)} ({kills})")
    assert sum(kills) >= min(200, PROJECTS * KILLS_PER_PROJECT)
