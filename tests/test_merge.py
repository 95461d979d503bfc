"""Merge: source article + PO -> TranslatedArticle (statuses, fallback, joining, gate)."""

from __future__ import annotations

import polib

from tests.conftest import SEED
from tests.export_helpers import identity, make_po, prefixed
from toolkit.project.config import load_config
from toolkit.text.inline import plain_text
from toolkit.publish.merge import merge, source_article
from toolkit.model import Article, Block, BlockKind, Meta, SegmentStatus, sentence_separator
from toolkit.readers import read_article
from toolkit.segment import article_units
from toolkit.publish.writers.text import block_text


def _seed(project):
    config = load_config(project)
    return config, read_article(project / "source" / SEED.name, "source/" + SEED.name)


def _markup_article() -> Article:
    return Article("demo", "source/demo.md", "markdown", title="Back <em>pain</em>", title_line=1,
                   meta=[Meta("author", "ISA", 2, translatable=False)],
                   blocks=[Block(BlockKind.HEADING, "Causes", 3, level=2),
                           Block(BlockKind.PARAGRAPH, "Read <a href=\"https://spine.org/\">the guide</a>. "
                                 "Then rest.", 4),
                           Block(BlockKind.LIST, line=5, items=[Block(BlockKind.ITEM, "One", 5),
                                                                Block(BlockKind.ITEM, "Two", 6)])])


def test_identity_merge_reproduces_the_source_text(project):
    config, article = _seed(project)
    merged = merge(article, make_po(article, config, identity, "es"), "es", config, "po/es/x.po")
    original = source_article(article, config)
    assert merged.gate.passed and merged.gate.percent == 100
    assert all(s.status is SegmentStatus.TRANSLATED and s.lang == "es"
               for b in merged.walk() for s in b.segments)
    units = {u.id: u for u in article_units(article)}
    checked = [b for b in merged.walk() if b.kind is not BlockKind.LIST]
    assert len(checked) == len([u for u in units.values() if not u.id.startswith("m.")])
    for block in checked:
        expected = " ".join(plain_text(units[block.id].text).split())
        assert block_text(block) == expected
    assert [block_text(b) for b in merged.walk()] == [block_text(b) for b in original.walk()]
    assert [m.value for m in merged.meta] == [m.value for m in original.meta]


def test_untranslated_and_fuzzy_fall_back_to_english(project):
    config, article = _seed(project)
    po = make_po(article, config, prefixed("DE"), "de", fuzzy=lambda s: s.id.startswith("b2"))
    for entry in po:
        if entry.msgid.startswith("It has been"):
            entry.msgstr = ""
    merged = merge(article, po, "de", config)
    b1, b2 = merged.blocks[0], merged.blocks[1]
    assert b1.segments[0].status is SegmentStatus.TRANSLATED and b1.segments[0].text.startswith("DE ")
    assert b1.segments[1].status is SegmentStatus.UNTRANSLATED and b1.segments[1].lang == "en"
    assert b1.segments[1].text.startswith("It has been")
    assert all(s.status is SegmentStatus.FUZZY and s.lang == "en" and s.is_fallback for s in b2.segments)


def test_markup_mismatch_is_rejected_and_reported(project):
    config = load_config(project)
    article = _markup_article()
    po = make_po(article, config, prefixed("ES"), "es")
    for entry in po:
        if "href" in entry.msgid:
            entry.msgstr = 'Lea <a href="https://evil.example/">la guía</a>.'
    po.save(str(project / "x.po"))
    po = polib.pofile(str(project / "x.po"))
    merged = merge(article, po, "es", config, "po/es/demo.po")
    seg = merged.blocks[1].segments[0]
    assert seg.status is SegmentStatus.REJECTED and seg.lang == "en" and "spine.org" in seg.text
    [rejected] = merged.rejected
    assert rejected.segment_id == seg.id and rejected.line > 0
    assert str(rejected) == (f"po/es/demo.po:{rejected.line}: translation markup does not match "
                             "the source, English used")
    # the untouched markup translation is kept
    assert merged.title.segments[0].text == "ES Back <em>pain</em>"
    assert merged.meta[0].segment is None and merged.meta[0].value == "ISA"


def test_cjk_sentences_join_without_space():
    assert sentence_separator("这是第一句。") == ""
    assert sentence_separator("日本語です") == ""
    assert sentence_separator("First sentence.") == " "
    assert sentence_separator("한국어 문장입니다") == " "


def test_gate_needs_required_disclaimer(project):
    config, article = _seed(project)
    po = make_po(article, config, lambda s: None if s.id.startswith("b7") else f"X {s.text}", "fr")
    merged = merge(article, po, "fr", config)
    assert merged.gate.percent > 80 and not merged.gate.passed
    assert any("required" in r and "b7.s1" in r for r in merged.gate.reasons)
    assert not merge(article, None, "fr", config).gate.passed
