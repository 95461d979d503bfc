"""``tmkit update`` at scale: work once per distinct text, record what it wrote.

The fast ways through an update (a new catalog assembled from the template's
entry texts and the hooks' effect per distinct text; one batch of TM lookups
for all catalogs) must write exactly what the general way (parse, merge,
hook each catalog, format) writes.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import polib
import pytest

from tests.conftest import REPO, SEED
from toolkit.catalog.extract import extract_project
from toolkit.catalog.hooks import default_hooks
from toolkit.catalog.update import update_project
from toolkit.project.config import load_config
from toolkit.tm import feed
from toolkit.tm.memory import TranslationMemory

_DATE = re.compile(r'^"PO-Revision-Date: .*$', re.MULTILINE)


def _variants(root: Path, count: int) -> None:
    """Copies of the seed with a different title and one edited sentence each."""
    seed = SEED.read_text(encoding="utf-8")
    for number in range(count):
        text = seed.replace("Failed Back Syndrome\n", f"Failed Back Syndrome {number}\n", 1)
        text = text.replace("60%", f"{40 + number}%", 1)
        (root / "source" / f"variant-{number}.txt").write_text(text, encoding="utf-8")


def _project(tmp_path: Path, name: str, glossary: bool = True) -> Path:
    root = tmp_path / name
    (root / "source").mkdir(parents=True)
    settings = (REPO / "tmkit.toml").read_text(encoding="utf-8")
    if glossary:
        shutil.copy(REPO / "glossary.csv", root / "glossary.csv")
    else:
        settings = settings.replace('glossary = "glossary.csv"', 'glossary = ""')
    (root / "tmkit.toml").write_text(settings, encoding="utf-8")
    shutil.copy(SEED, root / "source" / SEED.name)
    _variants(root, 4)
    # the demo Spanish translation of the seed: the TM gives exact and fuzzy matches
    (root / "po" / "es").mkdir(parents=True)
    shutil.copy(REPO / "po/es/failed-back-syndrome.po", root / "po/es/failed-back-syndrome.po")
    return root


def _plain(hook):
    """The same hook without ``per_entry`` and ``apply_many``: the general way, catalog by catalog."""
    def plain(po, lang, slug):
        return hook(po, lang, slug)
    plain.fingerprint = hook.fingerprint
    return plain


def _files(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): _DATE.sub("", p.read_text(encoding="utf-8"))
            for p in sorted((root / "po").glob("*/*.po"))}


@pytest.mark.parametrize("glossary", [True, False])
def test_fast_ways_write_what_the_general_way_writes(tmp_path, glossary):
    fast, general = _project(tmp_path, "fast", glossary), _project(tmp_path, "general", glossary)
    reports = []
    for root, wrap in ((fast, lambda h: h), (general, _plain)):
        config = load_config(root)
        extract_project(config)
        hooks = default_hooks(config)
        try:
            reports.append(update_project(config, hooks=[wrap(h) for h in hooks]))
        finally:
            for hook in hooks:
                getattr(hook, "close", lambda: None)()
    assert _files(fast) == _files(general)
    assert {t: c.as_dict() for t, c in reports[0].languages.items()} == \
        {t: c.as_dict() for t, c in reports[1].languages.items()}
    counts = reports[0].languages["es"].as_dict()
    assert counts["tm exact"] > 50 and counts["tm fuzzy"] >= 4      # the TM was used
    assert (counts.get("glossary", 0) > 0) == glossary
    variant = polib.pofile(str(fast / "po/es/variant-1.po"))
    assert any(e.msgstr and not e.fuzzy for e in variant)            # exact matches filled


def test_each_distinct_text_is_looked_up_once(tmp_path, monkeypatch):
    root = _project(tmp_path, "once", glossary=False)
    config = load_config(root)
    extract_project(config)
    asked: list[tuple[str, str]] = []
    real = TranslationMemory.lookup_batch     # what every lookup, one or many, goes through

    def counting(self, texts, source_lang, target_lang, *args, **kwargs):
        asked.extend((target_lang, text) for text in texts)
        return real(self, texts, source_lang, target_lang, *args, **kwargs)

    monkeypatch.setattr(TranslationMemory, "lookup_batch", counting)
    hooks = default_hooks(config)
    update_project(config, hooks=hooks)
    hooks[0].close()
    assert asked and len(asked) == len(set(asked))              # no text asked twice
    distinct = {e.msgid for p in (root / "po/templates").glob("*.pot") for e in polib.pofile(str(p))}
    # Spanish: only what the demo translation leaves open; other languages have an empty TM
    assert {lang for lang, _ in asked} == {"es"}
    assert len(asked) <= len(distinct)


def test_update_records_what_it_wrote_so_the_next_feed_reads_nothing(tmp_path, monkeypatch):
    root = _project(tmp_path, "fed", glossary=False)
    config = load_config(root)
    extract_project(config)
    hooks = default_hooks(config)
    update_project(config, hooks=hooks)
    hooks[0].close()
    parsed: list[str] = []
    real = feed.parse_po_bytes
    monkeypatch.setattr(feed, "parse_po_bytes", lambda data, shown: parsed.append(shown) or real(data, shown))
    hooks = default_hooks(config)
    report = update_project(config, hooks=hooks)
    hooks[0].close()
    assert parsed == [] and report.written == []
    # a translator's edit is fed (and only that file is parsed)
    path = root / "po/fr/variant-2.po"
    po = polib.pofile(str(path))
    po[0].msgstr = "Traduction"
    po.save(str(path))
    hooks = default_hooks(config)
    hooks[0].close()
    assert parsed == ["po/fr/variant-2.po"]
    with TranslationMemory.open(config.tm_path) as tm:
        assert [u.target for u in tm.units("en", "fr")] == ["Traduction"]


def _update(root: Path, hooks_on: bool = True):
    config = load_config(root)
    hooks = default_hooks(config) if hooks_on else []
    try:
        return update_project(config, hooks=hooks)
    finally:
        for hook in hooks:
            getattr(hook, "close", lambda: None)()


def _litter(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "po").rglob("*.tmp"))


@pytest.mark.parametrize("hooks_on", [True, False])
def test_new_catalogs_made_in_two_processes_are_those_made_in_one(tmp_path, monkeypatch, hooks_on):
    """The second half of a chunk's new catalogs is made and staged in a forked worker
    (toolkit.project.workers.split_in_two): the same files, counts, state and written list."""
    from toolkit.project import workers

    monkeypatch.setattr(workers, "spare_core", lambda: True)     # whatever the machine's load
    results = {}
    for name, split_from in (("one", 10 ** 9), ("two", 2)):
        monkeypatch.setattr(workers, "SPLIT_FROM", split_from)
        root = _project(tmp_path, name, glossary=hooks_on)
        extract_project(load_config(root))
        report = _update(root, hooks_on)
        state = (root / ".tmkit/catalog-state.json").read_text(encoding="utf-8")
        results[name] = (_files(root), {t: c.as_dict() for t, c in report.languages.items()},
                         [p.relative_to(root).as_posix() for p in report.written], _litter(root),
                         re.sub(r'"[0-9a-f]{32}"', "", state).count('"po"'))
    assert workers.can_split(2)          # the second run did fork
    assert results["one"] == results["two"]
    assert len(results["two"][0]) == 25 and results["two"][3] == []


@pytest.mark.parametrize("failing", ["po/es/failed-back-syndrome.po", "po/zh-Hans/variant-3.po"])
def test_a_failure_in_either_process_writes_nothing_and_leaves_no_temp_files(tmp_path, monkeypatch,
                                                                               failing):
    """One half fails (the first catalog is the process's, the last the worker's): no
    PO file is written, no temp file stays, and the error reaches the caller."""
    from toolkit.catalog import update as update_module
    from toolkit.project import workers

    monkeypatch.setattr(workers, "SPLIT_FROM", 2)
    monkeypatch.setattr(workers, "spare_core", lambda: True)
    root = _project(tmp_path, "failing", glossary=False)
    (root / "po/es/failed-back-syndrome.po").unlink()           # every catalog is new
    extract_project(load_config(root))
    real = update_module.stage

    def stage(path, data, expected=None):
        if Path(path).as_posix().endswith(failing):
            raise OSError(28, "No space left on device", str(path))
        return real(path, data, expected)

    monkeypatch.setattr(update_module, "stage", stage)
    with pytest.raises(OSError, match="No space left"):
        _update(root, hooks_on=False)
    assert sorted(p.name for p in (root / "po").rglob("*.po")) == []
    assert _litter(root) == []
