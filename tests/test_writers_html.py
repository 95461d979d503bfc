"""HTML writer: escaping of untrusted translations, direction, fallback, links, templates."""

from __future__ import annotations

from lxml import html as lhtml

from tests.conftest import SEED
from tests.export_helpers import make_po, prefixed
from tests.test_merge import _markup_article
from toolkit.project.config import load_config
from toolkit.text.languages import get_language
from toolkit.publish.merge import merge, source_article
from toolkit.readers import read_article
from toolkit.publish.writers import PageContext
from toolkit.publish.writers.html import environment, inline_html, render, safe_href

PAYLOADS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')


def _page(lang: str, *others: str, templates=None) -> PageContext:
    alternates = [get_language(t) for t in ("en", lang, *others)]
    return PageContext(get_language(lang), alternates, "en", 0, "tmkit test", templates)


def _render(project, lang, translate, fuzzy=lambda s: False, templates=None):
    config = load_config(project)
    article = read_article(project / "source" / SEED.name, "source/" + SEED.name)
    merged = merge(article, make_po(article, config, translate, lang, fuzzy), lang, config)
    data = render(merged, _page(lang, templates=templates))
    return data, lhtml.document_fromstring(data)


def test_payloads_in_translations_are_text_only(project):
    data, doc = _render(project, "es", lambda s: f"{PAYLOADS[s.line % 2]} {s.text}")
    # the only <script> is the JSON-LD data block, and the payloads stay data inside it
    assert [s.get("type") for s in doc.xpath("//script")] == ["application/ld+json"]
    assert not doc.xpath("//img")
    assert not doc.xpath("//@onerror")
    assert PAYLOADS[0] in doc.text_content() or PAYLOADS[1] in doc.text_content()
    assert data.count(b"<script") == 1 and b"<img" not in data
    title = doc.xpath("//h1")[0].text_content()
    assert title.startswith(PAYLOADS[0]) or title.startswith(PAYLOADS[1])


def test_page_head_language_direction_and_security(project):
    _, doc = _render(project, "ar", prefixed("عربي"))
    root = doc.getroottree().getroot()
    assert root.get("lang") == "ar" and root.get("dir") == "rtl"
    csp = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert "default-src 'none'" in csp and "script-src" not in csp
    hreflangs = doc.xpath("//link[@rel='alternate']/@hreflang")
    assert hreflangs == ["en", "ar", "x-default"]
    names = doc.xpath("//nav[@class='languages']//li//text()")
    assert "English" in names and "العربية" in names
    assert not doc.xpath("//link[@rel='stylesheet'] | //script[not(@type='application/ld+json')] | //*[@src]")
    assert doc.xpath("//style") and "margin-inline" in doc.xpath("//style")[0].text


def test_fallback_segments_carry_the_source_language(project):
    _, doc = _render(project, "ar", prefixed("عربي"), fuzzy=lambda s: s.id == "b1.s2")
    [span] = doc.xpath("//span[contains(@class,'fallback')]")
    assert span.get("lang") == "en" and span.get("dir") == "ltr" and span.get("data-status") == "fuzzy"
    assert span.text_content().startswith("It has been estimated")
    _, doc = _render(project, "de", lambda s: f"DE {s.text}" if s.line < 20 else None)
    spans = doc.xpath("//span[@lang='en' and @class='fallback']")
    assert spans and all(s.get("dir") is None for s in spans)


def test_inline_markup_and_link_schemes():
    assert safe_href("https://spine.org/") == "https://spine.org/"
    assert safe_href("mailto:info@spine.org")
    assert safe_href("javascript:alert(1)") is None and safe_href("data:text/html,x") is None
    out = str(inline_html('<strong>2 mg</strong> <a href="javascript:alert(1)">x</a> &lt;b&gt; <b>'))
    assert out == '<strong>2 mg</strong> <a>x</a> &lt;b&gt; &lt;b&gt;'


def test_markup_translation_keeps_elements(project):
    config = load_config(project)
    article = _markup_article()
    merged = merge(article, make_po(article, config, prefixed("ES"), "es"), "es", config)
    doc = lhtml.document_fromstring(render(merged, _page("es")))
    assert doc.xpath("//h1/em/text()") == ["pain"]
    assert doc.xpath("//article/p[not(@class='trust')]/a/@href") == ["https://spine.org/"]
    assert doc.xpath("//h2/text()") == ["ES Causes"]
    assert doc.xpath("//ul[@id='b3']/li/text()") == ["ES One", "ES Two"]


def test_templates_can_be_overridden(project, tmp_path):
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "style.css").write_text("body { color: rebeccapurple; }\n")
    data, doc = _render(project, "es", prefixed("ES"), templates=environment(folder))
    assert "rebeccapurple" in doc.xpath("//style")[0].text
    assert doc.xpath("//h1")[0].text_content() == "ES Failed Back Syndrome"


#: The article body laid out from ``groups`` in the template itself, as the
#: built-in template did before ``body_html``: what a custom template may do.
GROUPS_LOOP = """\
{% for group in groups %}
{% if group.role == "quote" %}<blockquote>{% elif group.role %}<div class="{{ group.role }}">{% endif %}
{% for block in group.blocks %}
{% if block.kind == "heading" %}
<h{{ block.level }} id="{{ block.id }}">{{ block.html }}</h{{ block.level }}>
{% elif block.kind == "list" %}
{% set tag = "ol" if block.ordered else "ul" %}
<{{ tag }} id="{{ block.id }}">
{% for item in block["items"] recursive %}
{% set sub = "ol" if item.children and item.children[0].ordered else "ul" %}
<li id="{{ item.id }}">{{ item.html }}{% if item.children %}<{{ sub }}>
{{ loop(item.children) }}</{{ sub }}>{% endif %}</li>
{% endfor %}
</{{ tag }}>
{% elif block.kind == "table" %}
<table id="{{ block.id }}">
{% if block.table.caption %}
<caption>{{ block.table.caption }}</caption>
{% endif %}
{% for section, rows in [("thead", block.table.head), ("tbody", block.table.body)] if rows %}
<{{ section }}>
{% for row in rows %}
<tr>{% for cell in row %}{% set tag = "th" if cell.header else "td" %}<{{ tag }} id="{{ cell.id }}"{% if cell.scope %} scope="{{ cell.scope }}"{% endif %}{% if cell.rowspan > 1 %} rowspan="{{ cell.rowspan }}"{% endif %}{% if cell.colspan > 1 %} colspan="{{ cell.colspan }}"{% endif %}{% if cell.align %} class="{{ cell.align }}"{% endif %}>{{ cell.html }}</{{ tag }}>{% endfor %}</tr>
{% endfor %}
</{{ section }}>
{% endfor %}
</table>
{% elif block.kind == "definitions" %}
<dl id="{{ block.id }}">
{% for item in block["items"] %}
{% set tag = "dt" if item.kind == "term" else "dd" %}
<{{ tag }} id="{{ item.id }}">{{ item.html }}</{{ tag }}>
{% endfor %}
</dl>
{% elif block.kind == "footnotes" %}
<section class="footnotes" id="{{ block.id }}" role="doc-endnotes">
<hr>
<ol>
{% for note in block["items"] %}
<li id="{{ note.id }}">{{ note.html }}{% for back in note.backlinks %} <a href="#{{ back }}" class="backlink" role="doc-backlink">↩&#xFE0E;</a>{% endfor %}</li>
{% endfor %}
</ol>
</section>
{% else %}
<p id="{{ block.id }}">{{ block.html }}</p>
{% endif %}
{% endfor %}
{% if group.role == "quote" %}</blockquote>{% elif group.role %}</div>{% endif %}
{% endfor %}
"""


def test_template_laying_out_groups_itself_gives_the_built_in_page(tmp_path):
    """``{{ body }}`` (rendered in Python) and a template loop over ``groups`` give
    byte-identical pages for every kind of block: headings, nested lists, tables
    with spans and alignment, definitions, footnotes with back-links, quotes."""
    from tests.test_authoring import ISSUE_ARTICLE
    from toolkit.publish.writers import TEMPLATE_DIR

    source = tmp_path / "proj" / "source" / "issue.md"
    source.parent.mkdir(parents=True)
    source.write_text(ISSUE_ARTICLE + "\nTerm\n: Its definition.\n\n| A | B |\n|---|---|\n| 1 | 2 |\n",
                      encoding="utf-8")
    (tmp_path / "proj" / "tmkit.toml").write_text("[project]\nlanguages = [\"es\"]\n", encoding="utf-8")
    config = load_config(tmp_path / "proj")
    article = read_article(source, "source/issue.md")
    folder = tmp_path / "tpl"
    folder.mkdir()
    built_in = (TEMPLATE_DIR / "article.html").read_text(encoding="utf-8")
    assert "{{ body -}}\n" in built_in
    (folder / "article.html").write_text(built_in.replace("{{ body -}}\n", GROUPS_LOOP), encoding="utf-8")
    page = source_article(article, config)
    ours = render(page, _page("en", templates=environment()))
    theirs = render(page, _page("en", templates=environment(folder)))
    assert ours == theirs
    doc = lhtml.document_fromstring(ours)
    for tag in ("table", "dl", "ol", "ul", "blockquote", "section"):
        assert doc.xpath(f"//article//{tag}"), tag


def test_source_page_has_no_fallback(project):
    config = load_config(project)
    article = read_article(project / "source" / SEED.name, "source/" + SEED.name)
    doc = lhtml.document_fromstring(render(source_article(article, config), _page("en")))
    assert not doc.xpath("//span[contains(@class, 'fallback')]") and doc.getroottree().getroot().get("lang") == "en"


def test_nested_items_and_quotes(project):
    from toolkit.model import Article, Block, BlockKind

    config = load_config(project)
    items = [Block(BlockKind.ITEM, "Rest", 2), Block(BlockKind.ITEM, "Ice", 3, level=1),
             Block(BlockKind.ITEM, "Heat", 4, level=1), Block(BlockKind.ITEM, "Walk", 5)]
    article = Article("n", "source/n.md", "markdown", title="Care", title_line=1,
                      blocks=[Block(BlockKind.LIST, line=2, items=items),
                              Block(BlockKind.PARAGRAPH, "Move daily.", 6, role="quote")])
    merged = merge(article, make_po(article, config, prefixed("ES"), "es"), "es", config)
    doc = lhtml.document_fromstring(render(merged, _page("es")))
    assert doc.xpath("//ul[@id='b1']/li/@id") == ["b1.i1", "b1.i4"]
    assert doc.xpath("//li[@id='b1.i1']/ul/li/@id") == ["b1.i2", "b1.i3"]
    assert doc.xpath("//blockquote/p/text()") == ["ES Move daily."]
    from toolkit.publish.writers import text, xml

    assert xml.validate(xml.render(merged, _page("es"))) == []
    assert "\n  • ES Ice\n" in text.render(merged, _page("es")).decode()
