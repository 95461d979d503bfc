"""The shared model pieces: inline markup, settings, languages, reading the seed."""

from __future__ import annotations

import pytest

from toolkit.text import inline
from toolkit.project.config import load_config
from toolkit.errors import ConfigError
from toolkit.text.languages import get_language
from toolkit.readers import read_article
from toolkit.segment import segment_article

from conftest import SEED, run_cli


@pytest.mark.parametrize("text", [
    "plain", "a < b & c", "x &lt; y", "<em>tag</em> as text?", "&amp;lt;", "<b>not ours</b>",
])
def test_escape_roundtrip(text):
    assert inline.render(inline.parse(inline.escape(text))) == inline.escape(text)
    assert inline.plain_text(inline.escape(text)) == text


def test_inline_parse_and_signature():
    markup = 'See <a href="https://x.org/?a=1&amp;b=2">the <em>guide</em></a> now'
    nodes = inline.parse(markup)
    assert nodes[1].attrs["href"] == "https://x.org/?a=1&b=2"
    assert inline.render(nodes) == markup
    assert inline.signature(markup) == sorted([("a", (("href", "https://x.org/?a=1&b=2"),)),
                                               ("em", ())])
    with pytest.raises(inline.InlineError):
        inline.parse("<em>open")
    with pytest.raises(inline.InlineError):
        inline.parse("<em><strong>x</em></strong>")


def test_languages_from_cldr():
    assert get_language("ar").rtl and get_language("ar").dir == "rtl"
    assert not get_language("zh-Hans").rtl
    assert get_language("zh-Hans").gettext == "zh_Hans"
    assert get_language("pt-BR").gettext == "pt_BR"
    assert get_language("fr").plural_forms == "nplurals=2; plural=(n > 1);"
    assert get_language("es").native_name == "Español"
    with pytest.raises(ConfigError):
        get_language("xx-Nope")


def test_repository_config_lists_languages():
    from conftest import REPO
    config = load_config(REPO)
    assert {"es", "fr", "de", "ar", "zh-Hans"} <= set(config.languages)


@pytest.mark.parametrize("body, message, line", [
    ('languages = ["es", "klingon"]\n', "unknown language", 1),
    ('languages = "es"\n', "must be list", 1),
    ('colour = "blue"\n', "unknown setting 'colour'", 1),
    ('languages = ["es"\n', "invalid TOML", None),
    ('[tm]\nmin_score = "high"\n', "'tm.min_score' must be int", 2),
    ('segmentation = "word"\n', "segmentation", 1),
    ('po_dir = "../../etc"\n', "leaves the project", 1),
])
def test_bad_config(tmp_path, runner, body, message, line):
    (tmp_path / "tmkit.toml").write_text(body)
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert message in str(info.value)
    if line:
        assert info.value.line == line


def test_init_creates_project(tmp_path, runner):
    target = tmp_path / "new"
    result = run_cli(runner, tmp_path, "init", str(target), "--lang", "es", "--lang", "ar")
    assert "created" in result.output
    config = load_config(target)
    assert config.languages == ["es", "ar"]
    assert (target / "source").is_dir() and (target / "po").is_dir()
    again = run_cli(runner, tmp_path, "init", str(target))
    assert "nothing to do" in again.output


def test_seed_structure():
    article = read_article(SEED, "source/failed-back-syndrome.txt")
    assert article.title == "Failed Back Syndrome"
    assert article.meta_values("breadcrumb") == ["Home", "Spine Disorders", "Spinecare"]
    assert article.meta_values("section") == ["Spine Disorders"]
    assert article.meta_values("author") == ["ISA Content Team"]
    assert article.meta_values("alias") == ["Failed Back Surgery Syndrome (FBSS)",
                                            "Chronic post-operative back pain"]
    texts = [s.text for s in segment_article(article)]
    assert not any("Font Size" in t for t in texts)
    roles = [b.role for b in article.blocks]
    assert roles.count("disclaimer") == 2


def test_every_command_is_registered_once_and_loads():
    import importlib

    from toolkit.cli import COMMANDS, cli

    modules = set(COMMANDS.values())
    defined = {c.name: m for m in modules for c in importlib.import_module(f"toolkit.cli.{m}").commands}
    assert defined == COMMANDS
    for name in COMMANDS:
        assert cli.get_command(None, name).name == name
