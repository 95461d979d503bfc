"""Plain-text writer: underline width, blank lines, bullets, wrapping of wide characters."""

from __future__ import annotations

import re

import pytest

from tests.conftest import SEED
from tests.export_helpers import make_po
from tests.test_writers_html import _page
from toolkit.project.config import load_config
from toolkit.publish.merge import merge
from toolkit.readers import read_article
from toolkit.publish.writers.text import display_width, render, wrap
from toolkit.text import scripts

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


#: One paragraph per script, each longer than any test width.
SCRIPTS = {
    "th": "กลุ่มอาการหลังผ่าตัดกระดูกสันหลังล้มเหลวหมายถึงอาการปวดหลังส่วนล่างหรือปวดขาที่ยังคงอยู่"
          "หรือเกิดขึ้นใหม่หลังการผ่าตัดกระดูกสันหลัง มีการประมาณว่าผู้ป่วยมากกว่าร้อยละหกสิบในคลินิก"
          "ระงับปวดมีอาการนี้ การตรวจเอ็มอาร์ไอหลังผ่าตัดมักทำเพื่อช่วยหาพังผืดหรือแผลเป็น",
    "ja": "脊椎手術後にも腰や脚の痛みが続いたり新たに現れたりする状態を、脊椎手術後疼痛症候群と呼びます。"
          "原因を調べるには、詳しい問診と診察、そして多くの場合「MRI」などの検査が必要です。",
    "ko": "척추 수술 후에도 허리나 다리의 통증이 계속되거나 새로 나타나는 상태를 척추 수술 실패 "
          "증후군이라고 합니다. 원인을 찾으려면 자세한 병력 청취와 진찰, 그리고 MRI 검사가 필요합니다.",
    "hi": "रीढ़ की सर्जरी के बाद भी कमर या पैर में लगातार या नया दर्द होना असफल पीठ सिंड्रोम कहलाता है। "
          "दर्द क्लीनिकों में साठ प्रतिशत से अधिक लोग इससे पीड़ित हैं।",
    "ar": "تُعرَّف متلازمة فشل جراحة الظهر بأنها ألم مستمر أو جديد في أسفل الظهر أو في الأطراف بعد "
          "جراحة العمود الفقري. ويعاني منها أكثر من ستين في المئة من مرضى عيادات الألم.",
}


def _breaks(paragraph: str, lines: list[str]) -> list[int]:
    """Offsets in ``paragraph`` where ``lines`` break it (the lines hold all its text, in order)."""
    at, offsets = 0, []
    for line in lines:
        while paragraph[at].isspace():
            at += 1
        assert paragraph.startswith(line, at), (paragraph[at:], line)
        at += len(line)
        offsets.append(at)
    assert not paragraph[at:].strip()
    return offsets[:-1]


@pytest.mark.parametrize("lang", sorted(SCRIPTS))
@pytest.mark.parametrize("width", [16, 24, 40])
def test_lines_break_where_uax14_allows_and_fit_the_width(lang, width):
    """No line wider than ``width`` columns; Thai, Korean, Hindi and Arabic lines end
    between words (ICU's word boundaries); Japanese lines never start with 、。」."""
    paragraph = SCRIPTS[lang]
    lines = wrap(paragraph, width)
    assert len(lines) > 2
    assert all(display_width(line) <= width for line in lines), lines
    bounds = scripts.word_bounds(paragraph, lang)
    for offset in _breaks(paragraph, lines):
        if lang == "ja":
            assert paragraph[offset] not in "、。」）" and paragraph[offset - 1] not in "「（"
        else:
            assert offset in bounds, (lang, paragraph[offset - 10:offset], paragraph[offset:offset + 10])


def test_thai_is_not_cut_at_spaces_only():
    """Thai phrases run to 60+ characters between spaces: the old space-only wrap left
    lines of 75 and 114 columns at width 40."""
    assert max(len(p) for p in SCRIPTS["th"].split()) > 40
    assert max(display_width(line) for line in wrap(SCRIPTS["th"], 40)) <= 40


def test_korean_words_are_kept_whole():
    """UAX #14 may break Hangul between syllables; Korean words (between spaces) stay whole."""
    words = SCRIPTS["ko"].split()
    for line in wrap(SCRIPTS["ko"], 16):
        assert all(word in words for word in line.split()), line


def test_thai_text_export_at_width_40_via_build(runner, project):
    """Acceptance: ``tmkit build`` with ``text_width = 40`` on a Thai article."""
    from conftest import run_cli
    from tests.export_helpers import write_po

    text = (project / "tmkit.toml").read_text(encoding="utf-8")
    text = re.sub(r"^languages = .*$", 'languages = ["th"]', text, count=1, flags=re.M)
    text = text.replace("text_width = 0", "text_width = 40")
    (project / "tmkit.toml").write_text(text, encoding="utf-8")
    sentences = SCRIPTS["th"].split()
    write_po(project, "th", lambda s: sentences[len(s.key) % len(sentences)])
    run_cli(runner, project, "build", "--lang", "th", "--force")
    export = (project / "exports" / "th" / (SEED.stem + ".txt")).read_text(encoding="utf-8")
    thai = [line for line in export.splitlines() if any("\u0e00" <= ch <= "\u0e7f" for ch in line)]
    assert len(thai) > 20
    assert max(display_width(line) for line in thai) <= 40
    for line in thai:
        # Each line is whole words of the sentences it comes from (joined by spaces).
        for chunk in filter(None, (c.strip(":>|•[]0123456789.") for c in line.split())):
            source = next(s for s in sentences if chunk in s)
            at = source.index(chunk)
            bounds = scripts.word_bounds(source, "th")
            assert at in bounds and at + len(chunk) in bounds, line
