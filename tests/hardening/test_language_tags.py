"""Language tags are BCP 47 everywhere, never paths (issue 21 item 2, issue 26 item 4).

A tag enters tmkit through ``tmkit.toml``, ``--lang`` of every command, a
TMX ``<tuv xml:lang>``, a PO ``Language`` header and XLIFF.  Each is validated
as a well-formed BCP 47 tag (so it can never hold ``/``, ``\\`` or ``..``),
put in canonical case (``ES`` -> ``es``), and ``--lang`` must name a
configured language: every command refuses the same way.  All through the CLI
(subprocess), with the project deep inside ``tmp_path`` so that a tag climbing
out would land in ``tmp_path/elsewhere`` — which must never appear.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.hardening.helpers import (SLUG, assert_clean_error, assert_unchanged, make_project, tmkit,
                                     tree_hash, write)

EVIL = "../../../../../../elsewhere/PWNED"
TMX = ('<?xml version="1.0" encoding="UTF-8"?>\n'
       '<tmx version="1.4"><header srclang="en" creationtool="t" creationtoolversion="1" '
       'segtype="sentence" o-tmf="x" adminlang="en" datatype="plaintext"/><body>\n'
       '<tu><tuv xml:lang="en"><seg>Back pain is common.</seg></tuv>\n'
       '<tuv xml:lang="{lang}"><seg>El dolor de espalda es frecuente.</seg></tuv></tu>\n'
       '</body></tmx>\n')


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("tags")
    root = make_project(base / "a" / "b" / "c" / "d" / "e" / "p")
    run = tmkit(root, "tm", "update")
    assert run.code == 0, run.err
    return root


@pytest.fixture
def root(template, tmp_path) -> Path:
    dest = tmp_path / "a" / "b" / "c" / "d" / "e" / "p"
    shutil.copytree(template, dest, symlinks=True)
    return dest


def _nothing_outside(root: Path) -> None:
    """Nothing was created beside the project's ancestors (where ``EVIL`` would land)."""
    top = root.parents[5]
    assert not (top / "elsewhere").exists() and not list(top.rglob("PWNED*"))
    assert not list(root.rglob("PWNED*"))


def test_tmx_with_a_path_as_language_is_refused_at_its_line(root):
    tmx = write(root / "evil.tmx", TMX.format(lang=EVIL))
    before = tree_hash(root)
    run = tmkit(root, "tm", "import", str(tmx))
    line = assert_clean_error(run, "evil.tmx:4:", "not a BCP 47 language tag")
    assert EVIL[:40] in line
    assert_unchanged(before, tree_hash(root))
    _nothing_outside(root)


def test_lookup_with_a_path_as_language_touches_nothing(root):
    """The issue's sequence: import, then lookup with the same tag; no index file anywhere."""
    tmkit(root, "tm", "import", str(write(root / "evil.tmx", TMX.format(lang=EVIL))))
    before = tree_hash(root)
    run = tmkit(root, "tm", "lookup", "Back pain is common.", "--lang", EVIL)
    assert_clean_error(run, "--lang", "not a BCP 47 language tag")
    assert_unchanged(before, tree_hash(root))
    _nothing_outside(root)


def test_a_tm_already_holding_a_path_tag_never_makes_it_a_file_name(root, tmp_path):
    """A TM written by an older tmkit may hold such a tag: the index file name is checked too."""
    from toolkit.errors import TmkitError
    from toolkit.tm import TMUnit, TranslationMemory

    index_dir = tmp_path / "index"
    index_dir.mkdir()
    with TranslationMemory.open(tmp_path / "tm.sqlite", index_dir) as tm:
        tm.add([TMUnit("Back pain is common.", "Dolor.", "en", EVIL, "a", "s1")])
        with pytest.raises(TmkitError, match="leaves the project"):
            tm.lookup("Back pain is common.", "en", EVIL, 50, 5)
    assert not (tmp_path.parents[0] / "elsewhere").exists()
    assert not list(tmp_path.parent.rglob("PWNED*"))


def test_po_language_header_with_a_path_is_refused(root):
    po = (root / "po" / "es" / f"{SLUG}.po").read_text(encoding="utf-8")
    po = po.replace('"Language: es\\n"', f'"Language: {EVIL}\\n"')
    assert EVIL in po
    path = write(root / "import.po", po)
    before = tree_hash(root)
    run = tmkit(root, "tm", "import", str(path))
    assert_clean_error(run, "import.po:", "not a BCP 47 language tag")
    assert_unchanged(before, tree_hash(root))


#: Every command taking ``--lang`` (with what else it needs); ``{lang}`` is replaced.
COMMANDS = {
    "update": ["update", "--lang", "{lang}"],
    "check": ["check", "--lang", "{lang}"],
    "status": ["status", "--lang", "{lang}"],
    "build": ["build", "--lang", "{lang}"],
    "review": ["review", "--lang", "{lang}"],
    "review approve": ["review", "approve", "--lang", "{lang}", "--article", SLUG, "--by", "Ana"],
    "xliff export": ["xliff", "export", "--lang", "{lang}", "-o", "xl"],
    "tm update": ["tm", "update", "--lang", "{lang}"],
    "tm import": ["tm", "import", "--lang", "{lang}", "tm.tmx"],
    "tm export": ["tm", "export", "--lang", "{lang}", "-o", "out.tmx"],
    "tm lookup": ["tm", "lookup", "Back pain is common.", "--lang", "{lang}"],
    "tm pretranslate": ["tm", "pretranslate", "--lang", "{lang}"],
    "tm conflicts": ["tm", "conflicts", "--lang", "{lang}"],
}

#: tag -> what the one-line error must say
REFUSED = {
    EVIL: ["--lang", "not a BCP 47 language tag"],
    "es/../../x": ["--lang", "not a BCP 47 language tag"],
    "es_MX": ["--lang", "gettext locale name", "did you mean 'es-MX'?"],
    "sp": ["--lang", "unknown language tag: 'sp'", "did you mean 'es'?"],
    "it": ["tmkit.toml:6:", "language not configured in tmkit.toml: it (configured: es, fr, de, ar, zh-Hans)"],
    "IT": ["tmkit.toml:6:", "language not configured in tmkit.toml: it"],
}


@pytest.mark.parametrize("tag", sorted(REFUSED))
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_refuses_a_bad_or_unconfigured_language_the_same_way(root, command, tag):
    write(root / "tm.tmx", TMX.format(lang="es"))
    before = tree_hash(root)
    run = tmkit(root, *[a.replace("{lang}", tag) for a in COMMANDS[command]])
    assert_clean_error(run, *REFUSED[tag])
    assert_unchanged(before, tree_hash(root))
    _nothing_outside(root)


@pytest.mark.parametrize("command", ["tm lookup", "status", "tm export", "review"])
def test_lang_is_taken_in_canonical_case(root, command):
    """``--lang ES`` is ``es``: the same output, the same files (never a po/ES/ beside po/es/)."""
    runs = {}
    for tag in ("es", "ES"):
        args = [a.replace("{lang}", tag) for a in COMMANDS[command]]
        runs[tag] = tmkit(root, *args)
        assert runs[tag].code == 0, runs[tag].err
    assert runs["ES"].out == runs["es"].out
    assert not (root / "po" / "ES").exists() and not (root / "exports" / "review" / "ES").exists()


def test_settings_languages_are_put_in_canonical_case(root):
    text = (root / "tmkit.toml").read_text(encoding="utf-8")
    write(root / "tmkit.toml", text.replace('languages = ["es", "fr", "de", "ar", "zh-Hans"]',
                                            'languages = ["ES", "fr", "de", "ar", "zh-hans"]'))
    run = tmkit(root, "update")
    assert run.code == 0, run.err
    assert sorted(p.name for p in (root / "po").iterdir()) == ["ar", "de", "es", "fr", "templates", "zh-Hans"]
    run = tmkit(root, "status", "--lang", "zh-HANS")
    assert run.code == 0 and "zh-Hans" in run.out, run.err


@pytest.mark.parametrize("value, expected", [
    ('["es_MX"]', "'es_MX' is a gettext locale name, not a BCP 47 language tag: did you mean 'es-MX'?"),
    ('["sp"]', "unknown language tag: 'sp'; did you mean 'es'?"),
    (f'["{EVIL}"]', "not a BCP 47 language tag"),
    ('["es", "ES"]', "a language is listed twice"),
])
def test_settings_refuse_bad_tags_at_their_line(root, value, expected):
    text = (root / "tmkit.toml").read_text(encoding="utf-8")
    write(root / "tmkit.toml", text.replace('["es", "fr", "de", "ar", "zh-Hans"]', value))
    before = tree_hash(root)
    assert_clean_error(tmkit(root, "status"), "tmkit.toml:6:", expected)
    assert_unchanged(before, tree_hash(root))
    _nothing_outside(root)


def test_source_language_is_validated_too(root):
    text = (root / "tmkit.toml").read_text(encoding="utf-8")
    write(root / "tmkit.toml", text.replace('source_language = "en"', 'source_language = "../en"'))
    assert_clean_error(tmkit(root, "status"), "tmkit.toml:4:", "'source_language'", "not a BCP 47")


def test_init_writes_canonical_tags_and_refuses_unknown_ones(tmp_path):
    run = tmkit(tmp_path, "init", str(tmp_path / "new"), "--lang", "ES", "--lang", "zh-hans")
    assert run.code == 0, run.err
    assert 'languages = ["es", "zh-Hans"]' in (tmp_path / "new" / "tmkit.toml").read_text(encoding="utf-8")
    run = tmkit(tmp_path, "init", str(tmp_path / "other"), "--lang", "es_MX")
    assert_clean_error(run, "did you mean 'es-MX'?")
    assert not (tmp_path / "other").exists()


@pytest.mark.parametrize("tag", [EVIL, "es-../../../x", "it"])
def test_xliff_with_a_bad_or_unconfigured_target_language_is_refused(root, tag):
    """An agency's XLIFF names its language: it must be well-formed BCP 47 (before the
    region fallback, which would read ``es-../../../x`` as ``es``), and map to a configured one."""
    run = tmkit(root, "xliff", "export", "--lang", "es", "-o", "xl")
    assert run.code == 0, run.err
    path = root / "xl" / "es" / f"{SLUG}.xlf"
    text = path.read_text(encoding="utf-8")
    assert 'target-language="es"' in text
    path.write_text(text.replace('target-language="es"', f'target-language="{tag}"'), encoding="utf-8")
    before = tree_hash(root)
    line = assert_clean_error(tmkit(root, "xliff", "import", str(path)), f"{SLUG}.xlf:")
    assert "which tmkit.toml does not list" in line or "BCP 47" in line
    assert_unchanged(before, tree_hash(root))
    _nothing_outside(root)
