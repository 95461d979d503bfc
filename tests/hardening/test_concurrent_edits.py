"""Translators save PO files while ``tmkit update`` rewrites them: no save is lost.

A generated project of 1,000 articles x 3 languages has one English sentence
changed in every article, so ``update`` rewrites all 3,000 catalogs.  While it
runs, another process saves catalogs the way PO editors do (the whole file
written to a temporary file, then renamed over the catalog), one after
another every few milliseconds, from the start of the run to its end.  Every
save must survive, and the update must name the catalogs it had to merge
again or leave.
"""

from __future__ import annotations

import importlib.util
import json
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.hardening.helpers import REPO, tmkit
from toolkit.catalog.pofile import read_po


def _bench_module():
    """benchmarks/pipeline_bench.py (by path: a ``benchmarks`` package elsewhere may shadow it)."""
    spec = importlib.util.spec_from_file_location("pipeline_bench", REPO / "benchmarks" / "pipeline_bench.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("pipeline_bench", module)     # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


ARTICLES = 1000
LANGUAGES = ("es", "fr", "de")
OLD_ENGLISH = "All health information posted on the site"
NEW_ENGLISH = "All health information published on the site"
TITLE = re.compile(rb'(msgid "Failed Back Syndrome \d+"\nmsgstr )"[^"\n]*"')   # empty, or an earlier save's


def save_catalogs(root: str, order: str, stop: str, log: str, pause: float) -> None:
    """The translators: save the catalogs in ``order`` (round and round) as an editor does, until ``stop`` exists.

    Each save fills the article title's translation with a marker of its own.
    Run in its own process (see the test); writes ``[time, path, marker]`` rows to ``log``.
    """
    import itertools
    import os

    saves = []
    for number, rel in enumerate(itertools.cycle(json.loads(Path(order).read_text()))):
        if os.path.exists(stop):
            break
        path = Path(root) / rel
        marker = f"GUARDADO {number}"
        data, found = TITLE.subn(rb'\1"' + marker.encode() + b'"', path.read_bytes())
        assert found == 1, rel
        tmp = path.with_name(f".{path.name}.editor-save")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        saves.append([time.time(), rel, marker])
        time.sleep(pause)
    Path(log).write_text(json.dumps(saves))


@pytest.fixture(scope="module")
def big_project(tmp_path_factory) -> Path:
    """1,000 articles, their templates and PO files; then one footer sentence edited everywhere."""
    root = tmp_path_factory.mktemp("team") / "proj"
    _bench_module().generate_project(root, ARTICLES, prefill="off")
    toml = root / "tmkit.toml"
    toml.write_text(re.sub(r"(?m)^languages = .*$", "languages = %s" % json.dumps(list(LANGUAGES)),
                           toml.read_text("utf-8")), "utf-8")
    for args in (("extract",), ("update",)):
        run = tmkit(root, *args, timeout=300)
        assert run.code == 0, run.err
    for source in (root / "source").iterdir():
        text = source.read_text("utf-8")
        assert OLD_ENGLISH in text
        source.write_text(text.replace(OLD_ENGLISH, NEW_ENGLISH), "utf-8")
    assert tmkit(root, "extract", timeout=300).code == 0
    return root


def _named(run_text: str) -> set[str]:
    return set(re.findall(r"(po/[\w-]+/article-\d+\.po)", run_text))


def test_saves_during_update_all_survive(big_project: Path, tmp_path: Path):
    root = big_project
    catalogs = sorted(p.relative_to(root).as_posix() for p in (root / "po").glob("*/*.po"))
    assert len(catalogs) == ARTICLES * len(LANGUAGES)
    random.Random(10).shuffle(catalogs)
    order, stop, log = tmp_path / "order.json", tmp_path / "stop", tmp_path / "saves.json"
    order.write_text(json.dumps(catalogs))

    update = subprocess.Popen([sys.executable, "-m", "toolkit", "-C", str(root), "update"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=root)
    start = time.time()
    saver = subprocess.Popen([sys.executable, "-c",
                              "import sys; from tests.hardening.test_concurrent_edits import save_catalogs; "
                              "save_catalogs(*sys.argv[1:5], float(sys.argv[5]))",
                              str(root), str(order), str(stop), str(log), "0.01"], cwd=REPO)
    out, err = update.communicate(timeout=300)
    end = time.time()
    stop.touch()
    assert saver.wait(timeout=60) == 0
    saves = json.loads(log.read_text())

    assert "Traceback" not in err and update.returncode in (0, 1), (update.returncode, err)
    # saves landed throughout the run: early, in the middle, and in its last tenth (the writing)
    moments = [(when - start) / (end - start) for when, _, _ in saves if start <= when <= end]
    for low, high in ((0.0, 0.25), (0.25, 0.75), (0.9, 1.0)):
        assert any(low <= m < high for m in moments), (low, high, len(saves), end - start)

    # every save survived: the last marker written to each catalog is in it
    last = {rel: marker for _, rel, marker in saves}
    for rel, marker in last.items():
        entry = next(e for e in read_po(root / rel) if e.msgid.startswith("Failed Back Syndrome"))
        assert entry.msgstr == marker, (rel, entry.msgstr, marker)

    # the summary names the catalogs merged again or left, and only catalogs someone saved
    redone = set(re.findall(r"^merged again (\S+):", out, re.M))
    left = {name for name in _named(err)}
    saved = {rel for _, rel, _ in saves}
    assert redone or left, (out[-2000:], err[-2000:])
    assert redone | left <= saved
    assert (update.returncode == 1) == bool(left), (update.returncode, err)
    for rel in left:
        assert f"{rel}: " in err and "run 'tmkit update' again" in err
    summary = re.search(r"^(\d+) files saved during the run merged again, (\d+) left as saved$", out, re.M)
    assert summary and (int(summary[1]), int(summary[2])) == (len(redone), len(left)), out[-500:]
    # what nobody saved, and what was merged again (and not saved again later), has the new English
    saved_once = {rel for rel in saved if sum(1 for _, r, _ in saves if r == rel) == 1}
    for rel in set(catalogs) - saved | redone & saved_once:
        assert NEW_ENGLISH in (root / rel).read_text("utf-8"), rel

    # running update again completes the work and keeps every save
    again = tmkit(root, "update", timeout=300)
    assert again.code == 0, again.err
    for rel in catalogs:
        assert NEW_ENGLISH in (root / rel).read_text("utf-8"), rel
    for rel, marker in last.items():
        assert f'msgstr "{marker}"' in (root / rel).read_text("utf-8"), rel
