"""Faults injected into a real PostgreSQL server while tmkit works.

A writer stopped with SIGSTOP in the middle of its transaction (a suspended
laptop), a long import running while others read, the postmaster killed
with SIGKILL mid-import, the server going away during ``tmkit update``'s final
TM feed, and a damaged schema (tables dropped or emptied).  The server for
the killing tests runs with fsync on, as a production one does.
"""

from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import sys
import time

import polib
import psycopg
import pytest

from tests.conftest import REPO, run_cli
from tests.pg_server import PASSWORD, PGServer, find_bindir
from tests.test_tm_team import _checkout
from toolkit.tm import TMUnit
from toolkit.tm.tmx import write_tmx


def _tmx(path, count, tag="", article="big"):
    units = [TMUnit(f"Sentence number {i}{tag} about back pain and posture.", f"Frase {i}{tag}.",
                    "en", "es", article, f"b{i}") for i in range(count)]
    path.write_bytes(write_tmx(units, "en")[0])
    return path


def _tmkit(root, *args, url, timeout=180):
    """A real ``tmkit`` process (its own connections, application_name, signals)."""
    return subprocess.run([sys.executable, "-m", "toolkit", "-C", str(root), *args],
                          env={**os.environ, "TMKIT_TM_URL": url}, cwd=REPO, capture_output=True,
                          text=True, timeout=timeout)


def _start(root, *args, url):
    return subprocess.Popen([sys.executable, "-m", "toolkit", "-C", str(root), *args],
                            env={**os.environ, "TMKIT_TM_URL": url}, cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _writer_lock_held(db) -> bool:
    return bool(db.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                           ).fetchone()[0])


def _wait_for_the_write_lock(db, proc) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if _writer_lock_held(db):
            return
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.02)
    pytest.fail("the import never started writing")


def _settings(root, **values):
    """Set ``[tm]`` keys in a checkout's tmkit.toml."""
    path = root / "tmkit.toml"
    lines = "".join(f"{key} = {value}\n" for key, value in values.items())
    path.write_text(path.read_text(encoding="utf-8").replace("[tm]\n", "[tm]\n" + lines, 1),
                    encoding="utf-8")


def _one_line_error(proc) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert proc.stderr.startswith("tmkit: error: ") and proc.stderr.count("\n") == 1, proc.stderr
    assert "Traceback" not in proc.stderr and PASSWORD not in proc.stderr + proc.stdout
    return proc.stderr


def test_a_writer_stopped_mid_transaction_blocks_no_reader_and_fails_writers_with_its_name(
        project, tmp_path, pg_server):
    url = pg_server.new_database()
    stalled, reader = _checkout(tmp_path, "laptop", project), _checkout(tmp_path, "desk", project)
    _settings(reader, write_timeout=3, read_timeout=10)
    assert _tmkit(reader, "tm", "import", str(_tmx(tmp_path / "first.tmx", 300, "x")), url=url).returncode == 0
    assert _tmkit(reader, "extract", url=url).returncode == 0
    query = ("tm", "lookup", "Sentence number 7x about back pain and posture", "--lang", "es")
    _tmkit(reader, *query, url=url)                                   # builds the index cache
    start = time.perf_counter()
    _tmkit(reader, *query, url=url)
    alone = time.perf_counter() - start
    proc = _start(stalled, "tm", "import", str(_tmx(tmp_path / "big.tmx", 60_000)), url=url)
    try:
        with psycopg.connect(url, autocommit=True) as db:
            _wait_for_the_write_lock(db, proc)
            proc.send_signal(signal.SIGSTOP)      # a suspended laptop, holding the write lock
            time.sleep(0.5)
            assert _writer_lock_held(db)
            # readers never wait: lookups, and an update that has nothing to feed
            start = time.perf_counter()
            found = _tmkit(reader, *query, url=url, timeout=120)
            stopped = time.perf_counter() - start
            assert found.returncode == 0 and "Frase 7x." in found.stdout, found.stderr
            print(f"lookup: {alone:.2f} s alone, {stopped:.2f} s while a writer holding the lock is stopped")
            assert stopped < 8 * alone, (alone, stopped)
            update = _tmkit(reader, "update", "--lang", "es", url=url, timeout=120)
            assert update.returncode == 0, update.stderr
            # a writer gives up after its write_timeout, naming the stalled one
            other = _tmkit(reader, "tm", "import", str(_tmx(tmp_path / "small.tmx", 5, "s")), url=url,
                           timeout=120)
            message = _one_line_error(other)
            assert f"'tmkit tm import @{socket.gethostname()}" in message, message
            assert "holds the TM's write lock" in message and "write_timeout" in message
            assert "idle: stalled or suspended?" in message or "in its transaction for" in message
            assert _writer_lock_held(db)          # still stalled: the other writer did not wait for it
    finally:
        proc.send_signal(signal.SIGCONT)
        proc.kill()
        proc.communicate()


def test_a_lookup_during_a_long_import_takes_no_longer_than_without_it(project, tmp_path, pg_server):
    """Measured against a baseline in the same test; the import's transaction is still
    open when the lookups finish (they did not wait for it)."""
    url = pg_server.new_database()
    writer, reader = _checkout(tmp_path, "writer", project), _checkout(tmp_path, "reader", project)
    assert _tmkit(reader, "tm", "import", str(_tmx(tmp_path / "first.tmx", 3000, "x")), url=url).returncode == 0

    def lookup() -> float:
        start = time.perf_counter()
        result = _tmkit(reader, "tm", "lookup", "Sentence number 77x about back pain and posture", "--lang", "es",
                        url=url, timeout=120)
        assert result.returncode == 0 and "Frase 77x." in result.stdout, result.stderr
        return time.perf_counter() - start

    lookup()                                       # builds the local index cache
    baseline = statistics.median(lookup() for _ in range(3))
    proc = _start(writer, "tm", "import", str(_tmx(tmp_path / "big.tmx", 60_000)), url=url)
    try:
        with psycopg.connect(url, autocommit=True) as db:
            _wait_for_the_write_lock(db, proc)
            during = statistics.median(lookup() for _ in range(3))
            still_writing = _writer_lock_held(db) and proc.poll() is None
        assert proc.wait(300) == 0, proc.communicate()
    finally:
        if proc.poll() is None:
            proc.kill()
    print(f"lookup: {baseline:.2f} s alone, {during:.2f} s during the import")
    assert still_writing, "the import ended before the lookups: make it bigger"
    assert during < 8 * baseline, (baseline, during)   # waiting for the import: its whole length


@pytest.fixture(scope="module")
def durable_pg():
    """A cluster of its own (fsync on) that the tests below kill and restart."""
    bindir = find_bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL binaries (initdb, pg_ctl, postgres) in PATH or "
                    "/usr/lib/postgresql/*/bin; install the 'postgresql' package")
    server = PGServer(bindir, durable=True).start()
    try:
        yield server
    finally:
        server.stop()


def test_postmaster_killed_mid_import(project, tmp_path, durable_pg):
    url = durable_pg.new_database()
    assert _tmkit(project, "tm", "import", str(_tmx(tmp_path / "first.tmx", 50, "x")), url=url).returncode == 0
    proc = _start(project, "tm", "import", str(_tmx(tmp_path / "big.tmx", 60_000)), url=url)
    try:
        with psycopg.connect(url, autocommit=True) as db:
            _wait_for_the_write_lock(db, proc)
        time.sleep(0.3)
        durable_pg.kill()
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    result = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    assert "TM server error" in _one_line_error(result)
    durable_pg.restart()                            # crash recovery
    with psycopg.connect(url) as db:
        assert db.execute("SELECT count(*) FROM units").fetchone()[0] == 50
        assert db.execute("SELECT units FROM pairs").fetchone()[0] == 50
    again = _tmkit(project, "tm", "import", str(tmp_path / "big.tmx"), url=url, timeout=300)
    assert again.returncode == 0, again.stderr
    found = _tmkit(project, "tm", "lookup", "Sentence number 123 about back pain and posture", "--lang", "es", url=url)
    assert "Frase 123." in found.stdout


def test_server_gone_during_updates_final_feed(project, runner, tmp_path, durable_pg, monkeypatch):
    """The PO files are written: the summary is printed, the TM catches up on the next run."""
    from toolkit.tm import pretranslate

    url = durable_pg.new_database()
    monkeypatch.setenv("TMKIT_TM_URL", url)
    run_cli(runner, project, "extract")
    msgids = [e.msgid for e in polib.pofile(str(project / "po" / "templates" / "failed-back-syndrome.pot"))]
    units = [TMUnit(m, f"TM {n}", "en", "es", "elsewhere", f"b{n}") for n, m in enumerate(msgids)]
    (tmp_path / "tm.tmx").write_bytes(write_tmx(units, "en")[0])
    run_cli(runner, project, "tm", "import", str(tmp_path / "tm.tmx"))
    real = pretranslate.record_written

    def server_dies_first(*args, **kwargs):
        durable_pg.kill()
        return real(*args, **kwargs)

    monkeypatch.setattr(pretranslate, "record_written", server_dies_first)
    try:
        result = run_cli(runner, project, "update", "--lang", "es", expect=1)
    finally:
        durable_pg.restart()
    assert "files written" in result.stdout and "language" in result.stdout      # the summary
    assert "TM server error" in result.stderr and "Traceback" not in result.output
    assert "were written and are complete" in result.stderr and "catches up" in result.stderr
    po = polib.pofile(str(project / "po" / "es" / "failed-back-syndrome.po"))
    assert [e.msgstr for e in po if e.msgid] == [f"TM {n}" for n, m in enumerate(msgids) if m]
    with psycopg.connect(url) as db:
        assert db.execute("SELECT count(*) FROM live_places WHERE article = 'failed-back-syndrome'"
                          ).fetchone()[0] == 0
    monkeypatch.setattr(pretranslate, "record_written", real)
    run_cli(runner, project, "update", "--lang", "es")        # the TM catches up
    with psycopg.connect(url) as db:
        assert db.execute("SELECT count(*) FROM live_places WHERE article = 'failed-back-syndrome'"
                          ).fetchone()[0] == len([m for m in msgids if m])
