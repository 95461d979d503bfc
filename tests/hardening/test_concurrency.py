"""Two writing commands at once on one project: the second waits for the lock
(or, with a zero wait, fails with a one-line message); nothing is lost or mixed."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import polib

from tests.hardening.helpers import SLUG, assert_clean_error, make_project, run_all, tmkit
from toolkit.catalog.pofile import read_po


def _pair(root: Path, cmd, env=None):
    return run_all([(lambda: tmkit(root, *cmd, env=env)) for _ in range(2)], workers=2)


def test_two_updates_and_two_tm_updates_both_succeed(tmp_path):
    root = make_project(tmp_path / "proj")
    assert tmkit(root, "extract").code == 0
    for cmd in (("update",), ("tm", "update")):
        for run in _pair(root, cmd):
            assert run.code == 0 and "Traceback" not in run.err, (cmd, run.err)
    for po_path in (root / "po").glob("*/*.po"):
        assert len(read_po(po_path)) == len(polib.pofile(str(po_path)))
    with sqlite3.connect(root / ".tmkit" / "tm.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        units = db.execute("SELECT count(*) FROM units").fetchone()[0]
    assert units > 0
    solo = tmkit(root, "tm", "update")
    assert solo.code == 0 and " 0 new units" in solo.out, solo.out   # nothing was lost


def test_lock_held_gives_a_clear_message(tmp_path):
    root = make_project(tmp_path / "proj")
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from toolkit.project.config import load_config; from toolkit.project.lock import project_lock\n"
        "with project_lock(load_config(sys.argv[1])):\n print('held', flush=True); time.sleep(30)"), str(root)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        run = tmkit(root, "update", env={"TMKIT_LOCK_TIMEOUT": "0.2"})
        assert_clean_error(run, ".tmkit/lock", "another tmkit command")
        assert str(holder.pid) in run.err
    finally:
        holder.kill()
        holder.wait()
    assert tmkit(root, "update", "--lang", "es").code == 0
    assert (root / "po" / "es" / f"{SLUG}.po").is_file()
