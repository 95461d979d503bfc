"""Plain-text writer: underline width, blank lines, bullets, wrapping of wide characters."""

from __future__ import annotations

import random

from tests.conftest import SEED
from tests.export_helpers import make_po
from tests.test_writers_html import _page
from toolkit.project.config import load_config
from toolkit.publish.merge import merge
from toolkit.readers import read_article
from toolkit.publish.writers.text import display_width, render, wrap

ZH_TITLE = "腰椎手术失败综合征"


def _zh(segment):
    if segment.id == "title":
        return ZH_TITLE
    if segment.id.startswith("b1"):
        return "这是一个很长的中文句子，用来测试按显示宽度换行。"
    return None


def _text(project, lang, translate, width=0) -> str:
    config = load_config(project)
    article = read_article(project / "source" / SEED.name, "source/" + SEED.name)
    merged = merge(article, make_po(article, config, translate, lang), lang, config)
    page = _page(lang)
    page.text_width = width
    return render(merged, page).decode("utf-8")


def test_title_underlined_to_display_width(project):
    text = _text(project, "zh-Hans", _zh)
    lines = text.splitlines()
    index = lines.index(ZH_TITLE)
    assert lines[index + 1] == "=" * 18 == "=" * display_width(ZH_TITLE)
    # Chinese sentences are joined without spaces
    assert "换行。这是" in text
    assert "\n\n• More common in adults\n• Occurs in" in text


def test_wrapping_counts_wide_characters_and_keeps_latin_words(project):
    text = _text(project, "zh-Hans", _zh, width=30)
    for line in text.splitlines():
        assert display_width(line) <= 30 or " " not in line.strip()
    words = set(_text(project, "zh-Hans", _zh).split())
    wrapped_words = set(text.split())
    latin = {w for w in words if w.isascii() and w.isalpha()}
    assert latin and latin <= wrapped_words | {w for w in wrapped_words if not w.isascii()}
    assert all(not line.startswith("。") for line in text.splitlines())


def test_wrap_unit():
    assert wrap("one two three", 7) == ["one two", "three"]
    assert wrap("extraordinarily long", 5) == ["extraordinarily", "long"]
    assert wrap("中文中文中文。", 4) == ["中文", "中文", "中", "文。"]  # 。 never starts a line
    assert wrap("a b", 0, "• ") == ["• a b"]
    assert wrap("alpha beta gamma", 8, "• ", "  ") == ["• alpha", "  beta", "  gamma"]


def test_nested_ordered_items_are_numbered_per_level(project):
    from toolkit.model import Article, Block, BlockKind

    items = [Block(BlockKind.ITEM, "Rest", 2), Block(BlockKind.ITEM, "Ice", 3, level=1, ordered=True),
             Block(BlockKind.ITEM, "Heat", 4, level=1, ordered=True), Block(BlockKind.ITEM, "Walk", 5)]
    article = Article("n", "source/n.md", "markdown", title="Care", title_line=1,
                      blocks=[Block(BlockKind.LIST, line=2, ordered=True, items=items)])
    config = load_config(project)
    merged = merge(article, make_po(article, config, lambda s: s.text, "es"), "es", config)
    assert render(merged, _page("es")).decode() == (
        "Care\n====\n\n1. Rest\n  1. Ice\n  2. Heat\n2. Walk\n")


def test_word_tokens_match_the_character_loop_without_wide_characters():
    """The shortcut for text with no wide character gives the per-character result."""
    from toolkit.publish.writers.text import _tokens, _tokens_by_char

    rng = random.Random(7)
    alphabet = list("ab .,;\t\n\x1c\u00a0\u2003éñ«»—…¿?!()\u0627\u0644")
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert _tokens(text) == _tokens_by_char(text), repr(text)
