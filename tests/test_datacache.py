"""toolkit/project/datacache.py: libraries' data kept as marshal copies, rebuilt when it changes."""

from __future__ import annotations

import os
import time
from pathlib import Path

from toolkit.project import datacache


def _counting(value):
    calls = []

    def build():
        calls.append(1)
        return value
    return build, calls


def test_built_once_then_read_back(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("TMKIT_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "words.json"
    source.write_text("{}")
    build, calls = _counting({"spine": 3, "pain": (1, (2, 3))})
    assert datacache.cached("words", [source], build) == {"spine": 3, "pain": (1, (2, 3))}
    assert datacache.cached("words", [source], build) == {"spine": 3, "pain": (1, (2, 3))}
    assert len(calls) == 1
    assert len(list((tmp_path / "cache").glob("words-*.marshal"))) == 1


def test_a_changed_source_or_a_damaged_copy_is_built_again(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("TMKIT_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "words.json"
    source.write_text("{}")
    build, calls = _counting(["a"])
    datacache.cached("words", [source], build)
    source.write_text('{"b": 1}')                     # another size: another key
    os.utime(source, ns=(1, 1))
    datacache.cached("words", [source], build)
    assert len(calls) == 2
    copies = list((tmp_path / "cache").glob("words-*.marshal"))
    assert len(copies) == 1                           # the copy of the old file is gone
    copies[0].write_bytes(b"\x00garbage")
    assert datacache.cached("words", [source], build) == ["a"]
    assert len(calls) == 3


def test_no_cache_folder_or_an_unwritable_one_still_gives_the_data(tmp_path: Path, monkeypatch):
    source = tmp_path / "words.json"
    source.write_text("{}")
    build, calls = _counting({"x": 1})
    monkeypatch.setenv("TMKIT_CACHE_DIR", "")
    assert datacache.cache_dir() is None
    assert datacache.cached("words", [source], build) == {"x": 1}
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder should be")
    monkeypatch.setenv("TMKIT_CACHE_DIR", str(blocked))
    assert datacache.cached("words", [source], build) == {"x": 1}
    assert len(calls) == 2
    build, calls = _counting({1, 2})                  # a set: marshal writes it, so it is cached
    monkeypatch.setenv("TMKIT_CACHE_DIR", str(tmp_path / "cache"))
    assert datacache.cached("set", [source], build) == {1, 2}


def test_copies_of_other_installs_files_are_kept(tmp_path: Path, monkeypatch):
    """Two virtual environments (the same library at two paths) do not evict each other's copy."""
    monkeypatch.setenv("TMKIT_CACHE_DIR", str(tmp_path / "cache"))
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    first.write_text("{}")
    second.write_text("{}")
    build, calls = _counting([1])
    for _ in range(2):
        datacache.cached("words", [first], build)
        datacache.cached("words", [second], build)
    assert len(calls) == 2



def test_copies_unused_for_a_month_go_when_another_is_written(tmp_path: Path, monkeypatch):
    """A deleted environment's copy (never read again) does not stay forever; one in use,
    however old its file, is touched when read and kept."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("TMKIT_CACHE_DIR", str(folder))
    sources = [tmp_path / f"{n}.json" for n in ("gone", "used", "new")]
    for source in sources:
        source.write_text("{}")
    build, calls = _counting([1])
    datacache.cached("words", [sources[0]], build)
    datacache.cached("words", [sources[1]], build)
    long_ago = time.time() - (datacache.UNUSED_DAYS + 1) * 86_400
    for copy in folder.glob("words-*.marshal"):
        os.utime(copy, (long_ago, long_ago))
    datacache.cached("words", [sources[1]], build)       # read: touched, so kept
    assert len(calls) == 2
    datacache.cached("words", [sources[2]], build)       # a third environment writes its copy
    assert len(calls) == 3
    assert len(list(folder.glob("words-*.marshal"))) == 2
    datacache.cached("words", [sources[1]], build)       # the one in use is still there
    assert len(calls) == 3
    datacache.cached("words", [sources[0]], build)       # the unused one was removed: built again
    assert len(calls) == 4


def test_the_cached_dictionary_and_patterns_are_the_libraries_own(tmp_path: Path, monkeypatch):
    """Read back from the cache (a second process would), they equal what the libraries load."""
    import pyphen
    import spellchecker

    from toolkit.checks import readability, spelling

    monkeypatch.setenv("TMKIT_CACHE_DIR", str(tmp_path / "cache"))
    path = pyphen.LANGUAGES[pyphen.language_fallback("en_US")]
    for _ in range(2):                                # built, then read from the copy
        spelling._dictionary.cache_clear()
        readability._hyphenator.cache_clear()
        monkeypatch.delitem(pyphen.hdcache, path, raising=False)
        words = spelling._dictionary()
        hyphenator = readability._hyphenator()
    assert len(list((tmp_path / "cache").glob("*.marshal"))) == 2
    assert words == dict(spellchecker.SpellChecker(language="en", distance=1).word_frequency.dictionary)
    fresh = pyphen.HyphDict(path)
    assert hyphenator.hd.patterns == fresh.patterns and hyphenator.hd.maxlen == fresh.maxlen
    for word in ("laminectomy", "rehabilitation", "physiotherapist"):
        assert hyphenator.hd.positions(word) == fresh.positions(word)
