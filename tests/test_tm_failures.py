"""A server TM that cannot be used: one line naming the URL without its password, exit 2.

Also: an interrupted ``tm import`` leaves the TM as it was (one transaction).
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time

import psycopg
import pytest

from tests.conftest import REPO, TMBackend, run_cli
from tests.pg_server import PASSWORD
from toolkit.tm import TMUnit
from toolkit.tm import tmx as tmx_module
from toolkit.tm.backends import redact_url, scrub
from toolkit.tm.memory import TranslationMemory
from toolkit.tm.tmx import write_tmx


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]    # closed again: nothing listens there


def _refused(runner, project, url, monkeypatch, *args):
    monkeypatch.setenv("TMKIT_TM_URL", url)
    output = run_cli(runner, project, *(args or ("tm", "lookup", "Back pain.", "--lang", "es")),
                     expect=2).output
    assert output.count("\n") == 1 and output.startswith("tmkit: error: ")
    assert "Traceback" not in output and PASSWORD not in output
    return output


def test_redact_url_hides_passwords_everywhere():
    url = "postgresql://ana:p%40ss@db.example.org:5432/tm?sslmode=require&password=other"
    shown = redact_url(url)
    assert shown == "postgresql://ana:***@db.example.org:5432/tm?sslmode=require&password=***"
    assert redact_url("postgresql://ana@db/tm") == "postgresql://ana@db/tm"
    assert scrub(f"failed for {url}: p@ss other", url).count("***") == 4


def test_server_down(project, runner, monkeypatch):
    url = f"postgresql://tmkit:{PASSWORD}@127.0.0.1:{_closed_port()}/tm"
    output = _refused(runner, project, url, monkeypatch)
    assert output.startswith(f"tmkit: error: postgresql://tmkit:***@127.0.0.1:")
    assert "cannot connect to the TM server" in output and "refused" in output.lower()


def test_server_down_during_update(project, runner, monkeypatch):
    """``tmkit update`` opens the TM for pre-fill: the same one-line error."""
    run_cli(runner, project, "extract")
    url = f"postgresql://tmkit:{PASSWORD}@127.0.0.1:{_closed_port()}/tm"
    output = _refused(runner, project, url, monkeypatch, "update", "--lang", "es")
    assert "cannot connect to the TM server" in output


def test_wrong_password(project, runner, monkeypatch, pg_server):
    url = pg_server.new_database().replace(PASSWORD, "not-the-password")
    output = _refused(runner, project, url, monkeypatch)
    assert "not-the-password" not in output and "***" in output
    assert "password authentication failed" in output


def test_missing_database(project, runner, monkeypatch, pg_server):
    output = _refused(runner, project, pg_server.url("no_such_tm"), monkeypatch)
    assert 'database "no_such_tm" does not exist' in output
    assert "/no_such_tm: cannot connect" in output


def test_schema_newer_than_this_tmkit(project, runner, monkeypatch, pg_server):
    url = pg_server.new_database()
    monkeypatch.setenv("TMKIT_TM_URL", url)
    run_cli(runner, project, "tm", "migrate")
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("INSERT INTO schema_version VALUES (99, 'later')")
    output = _refused(runner, project, url, monkeypatch, "tm", "update")
    assert "TM schema version 99 is newer than this tmkit's (3)" in output


def test_sqlite_schema_newer_than_this_tmkit(project, runner, monkeypatch):
    monkeypatch.delenv("TMKIT_TM_URL", raising=False)
    run_cli(runner, project, "tm", "migrate")
    with sqlite3.connect(project / ".tmkit" / "tm.sqlite") as db:
        db.execute("INSERT INTO schema_version VALUES (99, 'later')")
    result = run_cli(runner, project, "tm", "update", expect=2)
    assert "TM schema version 99 is newer than this tmkit's (3)" in result.output


def test_bad_url_in_config(project, runner, monkeypatch):
    monkeypatch.setenv("TMKIT_TM_URL", "mysql://ana:pw@db/tm")
    result = run_cli(runner, project, "tm", "lookup", "x", "--lang", "es", expect=2)
    assert "must start with postgresql://" in result.output and "pw" not in result.output


def _big_tmx(path, count: int, tag: str = "") -> None:
    units = [TMUnit(f"Sentence number {i}{tag} about back pain.", f"Frase {i}{tag}.", "en", "es",
                    "big", f"b{i}") for i in range(count)]
    path.write_bytes(write_tmx(units, "en")[0])


def _state(backend):
    with backend.open() as tm:
        return sorted((u.source, u.target, u.count, u.current) for u in tm.units())


def test_interrupted_import_leaves_the_tm_as_it_was(project, runner, tmp_path, tm_backend, monkeypatch):
    """Ctrl-C at the third batch (the second file's second): nothing of either file stays."""
    run_cli(runner, project, "tm", "import", str(_write(tmp_path / "first.tmx", 50, "a")))
    before = _state(_project_backend(project, tm_backend))
    monkeypatch.setattr(tmx_module, "BATCH", 100)
    original, calls = TranslationMemory.add, []

    def interrupted(self, units, catalog=None):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return original(self, units, catalog)

    monkeypatch.setattr(TranslationMemory, "add", interrupted)
    second = _write(tmp_path / "second.tmx", 50, "b")
    third = _write(tmp_path / "third.tmx", 300, "c")
    run_cli(runner, project, "tm", "import", str(second), str(third), expect=130)
    assert len(calls) == 3
    monkeypatch.setattr(TranslationMemory, "add", original)
    assert _state(_project_backend(project, tm_backend)) == before
    assert len(before) == 50


def _write(path, count, tag):
    _big_tmx(path, count, tag)
    return path


def _project_backend(project, tm_backend):
    """The project's own TM: its SQLite file, or the test database TMKIT_TM_URL names."""
    if tm_backend.name == "sqlite":
        return TMBackend("sqlite", project / ".tmkit" / "tm.sqlite")
    return tm_backend


def test_killed_import_leaves_the_server_tm_as_it_was(project, tmp_path, pg_server):
    """SIGKILL in the middle of a real ``tmkit tm import`` process: the server rolls back."""
    url = pg_server.new_database()
    env = {**os.environ, "TMKIT_TM_URL": url}
    cli = [sys.executable, "-m", "toolkit", "-C", str(project)]
    subprocess.run([*cli, "tm", "migrate"], env=env, check=True, capture_output=True, cwd=REPO)
    path = tmp_path / "big.tmx"
    _big_tmx(path, 60_000)
    proc = subprocess.Popen([*cli, "tm", "import", str(path)], env=env, cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with psycopg.connect(url, autocommit=True) as db:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:   # wait until its transaction holds the write lock
                if db.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                              "AND granted").fetchone()[0]:
                    break
                assert proc.poll() is None, "the import ended before it could be interrupted"
                time.sleep(0.02)
            else:
                pytest.fail("the import never started writing")
            time.sleep(0.3)
            proc.send_signal(signal.SIGKILL)
            proc.wait(30)
            for _ in range(200):    # the server notices the dead client and rolls back
                if not db.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'").fetchone()[0]:
                    break
                time.sleep(0.05)
            assert db.execute("SELECT count(*) FROM units").fetchone()[0] == 0
            assert db.execute("SELECT count(*) FROM live_places").fetchone()[0] == 0
    finally:
        if proc.poll() is None:
            proc.kill()
