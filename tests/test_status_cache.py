"""``tmkit status`` remembers what it counted (issue 23): a per-file cache keyed by the
files' identity (``.tmkit/status-cache.json``) and the command's no-change stamp.

Every test drives the command line on a copy of the demo project and checks that
what status says after a change is what a status without any cache says.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import clone_demo

SLUG = "failed-back-syndrome"
ES = f"po/es/{SLUG}.po"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return clone_demo(tmp_path / "demo")


def run(runner, root: Path, *args: str):
    from toolkit.cli import cli

    result = runner.invoke(cli, ["-C", str(root), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def status(runner, root: Path, cached: str = "all") -> dict:
    """``tmkit status --format json``; ``cached``: ``all`` (as users run it), ``files`` (the
    per-file cache only: no stamp) or ``none`` (both caches removed first)."""
    if cached in ("files", "none"):
        shutil.rmtree(root / ".tmkit" / "nochange", ignore_errors=True)
    if cached == "none":
        (root / ".tmkit" / "status-cache.json").unlink(missing_ok=True)
    return json.loads(run(runner, root, "status", "--format", "json"))


def article(report: dict, lang: str) -> dict:
    (found,) = [a for lang_ in report["languages"] if lang_["lang"] == lang for a in lang_["articles"]]
    return found


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_unchanged_project_gives_the_same_status_from_each_cache(runner, demo):
    fresh = status(runner, demo, "none")
    records = json.loads((demo / ".tmkit" / "status-cache.json").read_text("utf-8"))["records"]
    assert f"es/{SLUG}" in records and f"fr/{SLUG}" in records
    assert status(runner, demo, "files") == fresh            # from the per-file records
    assert list((demo / ".tmkit" / "nochange").glob("*.json"))
    assert status(runner, demo) == fresh                     # replayed from the stamp


@pytest.mark.parametrize("cached", ["all", "files"])
def test_a_changed_po_file_is_counted_again_even_with_its_old_time(runner, demo, cached):
    before = status(runner, demo, "none")
    assert article(before, "es")["gate"]["passed"] and article(before, "es")["errors"] == 0
    path = demo / ES
    old = os.stat(path)
    _edit(demo, ES, '"Se estima que más del 60%', '"Se estima que más del 70%')   # same size
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))                          # time set back
    assert os.stat(path).st_size == old.st_size
    after = status(runner, demo, cached)
    es = article(after, "es")
    assert es["errors"] == 1 and not es["gate"]["passed"]
    assert any("[numbers]" in reason for reason in es["gate"]["reasons"])
    assert after == status(runner, demo, "none")
    assert article(after, "fr") == article(before, "fr")


@pytest.mark.parametrize("cached", ["all", "files"])
def test_a_changed_glossary_or_setting_redoes_the_held_pages(runner, demo, cached):
    _edit(demo, "tmkit.toml", 'glossary = "glossary.csv"\n',
          'glossary = "glossary.csv"\nseverity = {glossary = "error"}\n')
    before = status(runner, demo, "none")
    assert article(before, "es")["errors"] == 0
    # the glossary alone changes: the Spanish house term is now one the translation does not use
    _edit(demo, "glossary.csv", "failed back syndrome,es,síndrome de espalda fallida,",
          "failed back syndrome,es,síndrome postlaminectomía,")
    after = status(runner, demo, cached)
    es = article(after, "es")
    assert es["errors"] >= 1 and not es["gate"]["passed"]
    assert after == status(runner, demo, "none")
    # a setting alone: the glossary check back to a warning releases the page
    _edit(demo, "tmkit.toml", 'severity = {glossary = "error"}\n', "")
    again = status(runner, demo, cached)
    assert article(again, "es")["errors"] == 0 and article(again, "es")["gate"]["passed"]
    assert again == status(runner, demo, "none")


def test_a_sign_off_is_seen_at_once(runner, demo):
    before = status(runner, demo, "none")
    assert article(before, "es")["review"]["state"] == "unreviewed"
    run(runner, demo, "review", "approve", "--lang", "es", "--article", SLUG, "--by", "Dr Test")
    after = status(runner, demo)
    assert article(after, "es")["review"]["state"] == "approved"
    assert article(after, "es")["review"]["reviewer"] == "Dr Test"
    assert after == status(runner, demo, "none")


def test_json_is_the_same_text_with_and_without_the_proofreading_cache(runner, demo):
    """The English's readability grades, read back from ``.tmkit/proofread-cache.json``
    (written with sorted keys) or just computed, print the same JSON, key order included."""
    def text() -> str:
        shutil.rmtree(demo / ".tmkit" / "nochange", ignore_errors=True)
        (demo / ".tmkit" / "status-cache.json").unlink(missing_ok=True)
        return run(runner, demo, "status", "--format", "json")

    (demo / ".tmkit" / "proofread-cache.json").unlink(missing_ok=True)
    computed = text()
    assert (demo / ".tmkit" / "proofread-cache.json").is_file()
    assert json.loads(computed)["readability"]
    assert text() == computed                                # grades from the cache


def test_records_encoded_when_put_are_saved_as_the_plain_ones(tmp_path):
    """``FileCache.put(..., encode=True)`` (status encodes each record while its workers
    compute) writes the file a plain ``put`` writes, byte for byte, and reads back the same."""
    from toolkit.project.filecache import FileCache

    files = [[10, 1, 1, 7], None]
    value = {"words": {"translated": 3}, "errors": [{"message": "ñ \"quoted\" \\ </script>"}]}
    for encode, name in ((False, "plain.json"), (True, "encoded.json")):
        cache = FileCache(tmp_path / name, "settings-digest")
        cache.put("es/a", files, value, 1.5, encode=encode)
        cache.put("fr/a", files, value, None, encode=encode)
        cache.put("fr/a", files, {"replaced": True})          # a later plain put wins
        cache.put("de/a", files, value, encode=encode)
        cache.keep_only({"es/a", "fr/a"})
        cache.save()
    assert (tmp_path / "encoded.json").read_bytes() == (tmp_path / "plain.json").read_bytes()
    whole = {"format": FileCache.FORMAT, "settings": "settings-digest",
             "records": {"es/a": {"files": files, "extra": 1.5, "value": value},
                         "fr/a": {"files": files, "extra": None, "value": {"replaced": True}}}}
    assert (tmp_path / "plain.json").read_text("utf-8") == json.dumps(whole, ensure_ascii=False,
                                                                      separators=(",", ":"))
    again = FileCache(tmp_path / "encoded.json", "settings-digest")
    assert again.get("es/a", files, 1.5) == value and again.get("fr/a", files) == {"replaced": True}
    assert again.get("de/a", files) is None


def test_a_first_status_keeps_each_record_by_its_files_identities(runner, demo, monkeypatch):
    """Without a cache the identities are taken where each article is computed, just before
    its files are read (a worker on a large project): the records hold them, and the next
    run (stamp removed) reads no PO file."""
    import toolkit.status as status_module
    from toolkit.project.filecache import identity

    fresh = status(runner, demo, "none")
    records = json.loads((demo / ".tmkit" / "status-cache.json").read_text("utf-8"))["records"]
    for lang in ("es", "fr"):
        assert records[f"{lang}/{SLUG}"]["files"] == [
            identity(demo / "source" / f"{SLUG}.txt"), identity(demo / "po" / lang / f"{SLUG}.po"),
            identity(demo / "po" / lang / f"{SLUG}.review.toml")]
    read = []
    monkeypatch.setattr(status_module, "read_checked", lambda *a: read.append(a) or [])
    assert status(runner, demo, "files") == fresh and read == []
