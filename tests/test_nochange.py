"""A rerun of extract/update with nothing changed is answered from the stamp, and only then."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import polib
import pytest

from tests.conftest import REPO, run_cli
from toolkit.project import nochange
from toolkit.catalog import rerun


def _tree(root: Path) -> dict[str, tuple[int, int]]:
    """Every file with its size and change time: what a run that writes nothing leaves alone."""
    return {p.relative_to(root).as_posix(): (p.stat().st_size, p.stat().st_ctime_ns)
            for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def done(project, runner):
    """The seed project after extract and update (with the TM hook)."""
    shutil.copy(project / "source" / "failed-back-syndrome.txt", project / "source" / "copy.txt")
    run_cli(runner, project, "extract")
    run_cli(runner, project, "update")
    return project


def _replayed(monkeypatch) -> list[str]:
    """Names of the commands that did real work (the settings are read only then)."""
    worked: list[str] = []
    real = rerun.Stamp.begin
    monkeypatch.setattr(rerun.Stamp, "begin", lambda self, *a: worked.append(self.key.split("\0")[0])
                        or real(self, *a))
    return worked


def test_first_rerun_replays_and_writes_nothing(done, runner, monkeypatch):
    worked = _replayed(monkeypatch)
    before = _tree(done)
    first = run_cli(runner, done, "extract").output
    second = run_cli(runner, done, "update").output
    assert worked == []
    assert _tree(done) == before
    assert "2 templates, 64 entries: 0 written, 2 unchanged\n" in first   # (proofreading: stderr)
    assert "10 files written" not in second and second.endswith("0 files written, 10 unchanged\n")
    assert "es           64      0      0         0" in second


def test_a_rerun_after_real_work_prints_what_the_real_work_would(done, runner, monkeypatch):
    shutil.rmtree(done / ".tmkit" / "nochange")
    slow = run_cli(runner, done, "update").output
    fast = run_cli(runner, done, "update").output
    assert fast == slow


def test_an_edit_keeping_size_and_mtime_is_seen(done, runner, monkeypatch):
    worked = _replayed(monkeypatch)
    source = done / "source" / "copy.txt"
    text = source.read_text(encoding="utf-8")
    stat = source.stat()
    source.write_text(text.replace("Smoking", "Smokinq", 1), encoding="utf-8")
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))          # mtime lies
    assert source.stat().st_size == stat.st_size and source.stat().st_mtime_ns == stat.st_mtime_ns
    assert "1 written" in run_cli(runner, done, "extract").output
    assert worked == ["extract", "extract-proofread"]     # the English is proofread again too


@pytest.mark.parametrize("change", ["translator", "settings", "glossary", "new article", "tm"])
def test_every_input_of_update_is_watched(done, runner, monkeypatch, change):
    if change == "translator":
        path = done / "po/es/copy.po"
        po = polib.pofile(str(path))
        po[0].msgstr = "Hola"
        po.save(str(path))
    elif change == "settings":
        toml = done / "tmkit.toml"
        toml.write_text(toml.read_text(encoding="utf-8").replace("min_score = 75", "min_score = 80"),
                        encoding="utf-8")
    elif change == "glossary":
        shutil.copy(REPO / "glossary.csv", done / "glossary.csv")
        toml = done / "tmkit.toml"
        toml.write_text(toml.read_text(encoding="utf-8").replace('glossary = ""', 'glossary = "glossary.csv"'),
                        encoding="utf-8")
        run_cli(runner, done, "update")
        (done / "glossary.csv").write_text("term,lang,translation\nspine,es,columna\n", encoding="utf-8")
    elif change == "new article":
        shutil.copy(done / "source" / "copy.txt", done / "source" / "third.txt")
        run_cli(runner, done, "extract")
    elif change == "tm":
        es = REPO / "po/es/failed-back-syndrome.po"
        run_cli(runner, done, "tm", "import", str(es), "--lang", "es")
    worked = _replayed(monkeypatch)
    output = run_cli(runner, done, "update").output
    assert worked == ["update"], output
    assert worked == ["update"] and run_cli(runner, done, "update").output.endswith(" unchanged\n")
    assert worked == ["update"]            # and the run after that is a replay again


def test_a_change_during_the_run_leaves_no_stamp(done, runner, monkeypatch):
    shutil.rmtree(done / ".tmkit" / "nochange")
    source = done / "source" / "copy.txt"
    real = rerun.Stamp.finish

    def edit_then_finish(self, *args):
        source.write_text(source.read_text(encoding="utf-8") + "\nA late paragraph.\n", encoding="utf-8")
        return real(self, *args)

    monkeypatch.setattr(rerun.Stamp, "finish", edit_then_finish)
    run_cli(runner, done, "extract")
    monkeypatch.undo()
    worked = _replayed(monkeypatch)
    assert "1 written" in run_cli(runner, done, "extract").output
    assert worked == ["extract", "extract-proofread"]


def test_a_scan_ahead_stamps_like_the_scan_at_the_end(done):
    """``scan_ahead`` (a forked child scans once the run read its inputs; ``tmkit status``)
    gives the stamp ``finish`` would write itself, and still sees a change made during the run."""
    shutil.rmtree(done / ".tmkit" / "nochange", ignore_errors=True)
    key = nochange.command_key("status-test")
    stamp = nochange.Stamp(done, key)
    stamp.begin(["source"], ["tmkit.toml"])
    stamp.scan_ahead()
    assert stamp._ahead is not None                  # a child is scanning
    stamp.finish({"output": "ahead"}, [])
    ahead = nochange.Stamp(done, key)._load()
    stamp.begin(["source"], ["tmkit.toml"])
    stamp.finish({"output": "ahead"}, [])            # scanned here, at the end
    assert nochange.Stamp(done, key)._load()["digest"] == ahead["digest"]
    assert nochange.Stamp(done, key).replay() == {"output": "ahead"}
    source = done / "source" / "copy.txt"
    stamp.begin(["source"], ["tmkit.toml"])
    source.write_text(source.read_text(encoding="utf-8") + "\nA late paragraph.\n", encoding="utf-8")
    stamp.scan_ahead()
    stamp.finish({"output": "stale"}, [])
    assert not stamp.path.exists()                   # changed during the run: no stamp
    assert nochange.Stamp(done, key).replay() is None
    stamp.begin(["source"], ["tmkit.toml"])
    stamp.scan_ahead()
    pid = stamp._ahead[0]
    stamp.settle()                                   # a run that writes no stamp: the child waited for
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)
    assert stamp._ahead is None and not stamp.path.exists()


def test_a_failed_scan_ahead_leaves_the_scan_to_finish(done, monkeypatch):
    key = nochange.command_key("status-test")
    stamp = nochange.Stamp(done, key)
    stamp.begin(["source"], ["tmkit.toml"])
    real_after = nochange.Stamp._after

    def fails_in_the_child(self, recent_only=False):
        if recent_only:                              # as the child calls it
            raise OSError("no scan here")
        return real_after(self)

    monkeypatch.setattr(nochange.Stamp, "_after", fails_in_the_child)
    stamp.scan_ahead()                               # the child fails: it sends the error back
    stamp.finish({"output": "done here"}, [])        # finish scans itself
    monkeypatch.undo()
    assert nochange.Stamp(done, key).replay() == {"output": "done here"}


def _clock(ns: int) -> os.stat_result:
    """What ``fstat`` of the new stamp file says, with the file system's clock at ``ns``."""
    return os.stat_result((0,) * 10, {"st_mtime_ns": ns})


def test_racy_files_are_checked_by_content(done, monkeypatch, tmp_path):
    """A file recorded in the same clock tick as the stamp is compared by content next time."""
    stamp = nochange.Stamp(done, nochange.command_key("extract"))
    stamp.begin(["source"], ["tmkit.toml"])
    monkeypatch.setattr(nochange.os, "fstat", lambda fd: _clock(2**62))
    stamp.finish({"templates": 2, "entries": 64}, [])
    monkeypatch.undo()
    stored = nochange.Stamp(done, stamp.key)._load()
    assert "source/copy.txt" not in stored["racy"]          # nothing is newer than 2**62 ns
    monkeypatch.setattr(nochange.os, "fstat", lambda fd: _clock(0))
    stamp.begin(["source"], ["tmkit.toml"])
    stamp.finish({"templates": 2, "entries": 64}, [])
    monkeypatch.undo()
    stored = nochange.Stamp(done, stamp.key)._load()
    assert set(stored["racy"]) >= {"source/copy.txt", "tmkit.toml"}     # every file is racy now
    assert nochange.Stamp(done, stamp.key).replay() == {"templates": 2, "entries": 64}
    # same metadata (as within one clock tick), other bytes: the content hash catches it
    signature = nochange.scan(done, ["source"] + nochange.code_folders(), ["tmkit.toml"])
    (done / "source" / "copy.txt").write_text("changed", encoding="utf-8")
    monkeypatch.setattr(nochange, "scan", lambda *a: signature)
    assert nochange.Stamp(done, stamp.key).replay() is None


def test_help_lists_commands_without_importing_them():
    """``tmkit --help`` imports no command module (and so no numpy, translate-toolkit, Jinja2)."""
    import inspect
    import importlib
    import subprocess
    import sys

    from toolkit.cli import COMMAND_HELP, COMMANDS

    for name, module in COMMANDS.items():
        command = next(c for c in importlib.import_module(f"toolkit.cli.{module}").commands
                       if c.name == name)
        assert COMMAND_HELP[name] == inspect.cleandoc(command.help).split("\n\n")[0].replace("\n", " ")
    code = ("import sys; from toolkit.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n"
            "    pass\nprint(sorted(m for m in sys.modules if m.startswith(('toolkit.cli.', 'numpy', "
            "'translate', 'jinja2', 'polib', 'babel'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=REPO)
    assert re.search(r"extract +Write po/templates/<slug>\.pot for every article in source/\.", done.stdout)
    assert done.stdout.strip().endswith("[]")


def test_an_unchanged_build_replays_and_a_deleted_export_is_written_again(done, runner, monkeypatch):
    first = run_cli(runner, done, "build", "--force").output
    worked = _replayed(monkeypatch)
    before = _tree(done)
    again = run_cli(runner, done, "build", "--force").output
    assert worked == [] and _tree(done) == before
    assert again.splitlines()[:-1] == first.splitlines()[:-1]      # same table, warnings, held back
    assert again.splitlines()[-1].startswith("0 file(s) written, 0 removed, 2 of 2 article(s) unchanged")
    page = done / "exports" / "es" / "copy.html"
    page.unlink()
    assert run_cli(runner, done, "build", "--force").output.splitlines()[-1].startswith("1 file(s) written")
    assert worked == ["build"] and page.exists()
    path = done / "po/es/copy.po"
    po = polib.pofile(str(path))
    po[0].msgstr = "Hola"
    po.save(str(path))
    assert "0 file(s) written" not in run_cli(runner, done, "build", "--force").output
    assert worked == ["build", "build"]
