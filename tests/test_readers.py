"""Readers: faithfulness (nothing visible dropped or reordered), markup, lines, roles, errors.

Faithfulness is checked against an *independent* extraction of the visible
text of each source: the web-copy lines minus the chrome, Markdown rendered to
HTML by markdown-it and read back with lxml, the HTML page's content area read
with lxml's ``text_content``.  The plain text of ``article_units`` must equal
it word for word, in order.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from lxml import html as lxml_html
from markdown_it import MarkdownIt
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from toolkit.errors import SourceError
from toolkit.text.inline import parse, plain_text
from toolkit.model import BlockKind
from toolkit.readers import READERS, is_source, read_article
from toolkit.segment import article_units

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "source" / "failed-back-syndrome.txt"
ARTICLES = Path(__file__).resolve().parent / "data" / "articles"
MARKDOWN = sorted(ARTICLES.glob("*.md"))
HTML = sorted(ARTICLES.glob("*.html"))


def unit_words(article) -> list[str]:
    """What the reader offers translators, as a list of words in page order."""
    return " ".join(plain_text(u.text) for u in article_units(article)).split()


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


# -- independent extractions of the visible text -------------------------------

def webtext_visible(text: str) -> list[str]:
    """Every line of a web-copy page minus chrome, bullets and breadcrumb arrows."""
    words: list[str] = []
    for raw in text.splitlines():
        line = raw.strip(" \t\u00a0")
        if not line or re.match(r"[•*-]?\s*(font size|text size)\s*:|[•*-]\s*(print|share|email)$", line, re.I):
            continue
        line = re.sub(r"^([•◦▪‣●·*-]|\d{1,3}[.)])\s+", "", line)
        if re.match(r"you are here\s*:", line, re.I):
            line = re.sub(r"[:>]", " ", line)
        words += line.split()
    return words


_BLOCK_TAGS = set("p div h1 h2 h3 h4 h5 h6 ul ol li dl dt dd blockquote table tr td th pre figure "
                  "figcaption footer header section article aside".split())


def _text_with_alt(root) -> str:
    """What a browser shows: text, image alt texts, and blocks apart from each other."""
    for el in root.iter():
        if el.tag in _BLOCK_TAGS:
            el.text = f" {el.text or ''}"
            el.tail = f" {el.tail or ''}"
    for img in root.iter("img"):
        img.tail = f" {img.get('alt', '')} {img.tail or ''}"
    for br in root.iter("br"):
        br.tail = f" {br.tail or ''}"
    return root.text_content()


#: The Markdown dialect tmkit reads, rendered by markdown-it itself (not our reader).
GFM = (MarkdownIt("commonmark").enable(["table", "strikethrough"])
       .use(footnote_plugin).use(deflist_plugin).use(tasklists_plugin))


def markdown_visible(text: str) -> list[str]:
    """Front matter values shown on the page, then the rendered body's text."""
    match = re.match(r"---\n(.*?)\n---\n", text, re.S)
    front, body = (match.group(1), text[match.end():]) if match else (None, text)
    words: list[str] = []
    data = yaml.safe_load(front) if front else {}
    for key, value in (data or {}).items():
        values = value if isinstance(value, list) else [value]
        if key == "author":
            words += ("By: " + str(value)).split()
        elif key in ("title", "breadcrumb", "section", "aliases", "byline"):
            words += " ".join(str(v) for v in values).split()
    rendered = GFM.render(body)
    root = lxml_html.fragment_fromstring(rendered, create_parent="div")
    for el in root.xpath(".//sup[@class='footnote-ref'] | .//a[@class='footnote-backref']"):
        el.drop_tree()   # footnote marks and back-links are numbers and arrows, not words
    return words + _text_with_alt(root).split()


def html_visible(text: str) -> list[str]:
    """Breadcrumb steps, then the text of <main> minus scripts, styles and menus."""
    doc = lxml_html.document_fromstring(text.encode("utf-8"), parser=lxml_html.HTMLParser(encoding="utf-8"))
    words = []
    for crumb in doc.xpath("//nav[contains(@aria-label, 'readcrumb')]")[:1]:
        words = re.sub(r"[:>]", " ", crumb.text_content()).split()
    root = doc.find(".//main")
    for el in root.xpath(".//script | .//style | .//nav | .//*[@hidden]"):
        el.drop_tree()
    return words + _text_with_alt(root).split()


# -- faithfulness ----------------------------------------------------------------

WEBTEXT_VARIANTS = {
    "no-head": "Low Back Pain\n\nMost people have back pain at some point.\nIt usually gets better.\n"
               "Symptoms include:\n  • dull ache\n  • stiffness that\n    lasts for days\n\n"
               "What helps\n\n1. Stay active\n2) Use heat\n",
    "chrome": "You are here : Home > Neck\n\nNeck Disorders\n\n  • By: Dr. A. Smith\n  • Print\n"
              "  • Font Size: AA\n\nWhiplash\n\n  • Neck strain\n\nWhiplash is a neck injury.\u00a0 "
              "It is caused by <em> forceful motion & <b> such.\n\n  - 2.5 mg dose\n",
    "title-only-list": "Quick Facts\n\n* one\n* two\n",
}


def test_webtext_seed_is_faithful():
    article = read_article(SEED)
    assert unit_words(article) == webtext_visible(SEED.read_text("utf-8"))


@pytest.mark.parametrize("name", sorted(WEBTEXT_VARIANTS))
def test_webtext_variants_are_faithful(tmp_path, name):
    text = WEBTEXT_VARIANTS[name]
    article = read_article(write(tmp_path, f"{name}.txt", text))
    assert unit_words(article) == webtext_visible(text)


@pytest.mark.parametrize("path", MARKDOWN, ids=lambda p: p.name)
def test_markdown_articles_are_faithful(path):
    assert unit_words(read_article(path)) == markdown_visible(path.read_text("utf-8"))


@pytest.mark.parametrize("path", HTML, ids=lambda p: p.name)
def test_html_articles_are_faithful(path):
    assert unit_words(read_article(path)) == html_visible(path.read_text("utf-8"))


def test_test_articles_exist_in_each_format():
    assert [p.name for p in MARKDOWN] and [p.name for p in HTML]


# -- webtext structure -------------------------------------------------------------

def test_webtext_seed_structure_kept():
    article = read_article(SEED)
    assert article.title == "Failed Back Syndrome" and article.title_line == 8
    assert [(m.key, m.value, m.line, m.translatable) for m in article.meta] == [
        ("breadcrumb_label", "YOU are here", 1, True), ("breadcrumb", "Home", 1, True),
        ("breadcrumb", "Spine Disorders", 1, True), ("breadcrumb", "Spinecare", 1, True),
        ("section", "Spine Disorders", 3, True), ("author", "ISA Content Team", 5, False),
        ("byline", "By: ISA Content Team", 5, True),
        ("alias", "Failed Back Surgery Syndrome (FBSS)", 11, True),
        ("alias", "Chronic post-operative back pain", 12, True)]
    assert [(b.kind, b.line, b.role) for b in article.blocks] == [
        (BlockKind.PARAGRAPH, 15, ""), (BlockKind.PARAGRAPH, 18, ""), (BlockKind.PARAGRAPH, 20, ""),
        (BlockKind.LIST, 23, ""), (BlockKind.HEADING, 26, "footer"), (BlockKind.PARAGRAPH, 28, "footer"),
        (BlockKind.PARAGRAPH, 30, "disclaimer"), (BlockKind.PARAGRAPH, 32, "disclaimer")]
    last = article.blocks[-1].text
    assert "support. not replace, the relationship" in last          # hard wrap joined
    assert "\u00a0" not in article.blocks[0].text and "  " not in article.blocks[0].text


def test_webtext_prose_then_bullets_is_paragraph_and_list(tmp_path):
    article = read_article(write(tmp_path, "a.txt", WEBTEXT_VARIANTS["no-head"]))
    kinds = [(b.kind, b.ordered) for b in article.blocks]
    assert kinds == [(BlockKind.PARAGRAPH, False), (BlockKind.LIST, False), (BlockKind.HEADING, False),
                     (BlockKind.LIST, True)]
    assert [i.text for i in article.blocks[1].items] == ["dull ache", "stiffness that lasts for days"]
    assert [i.line for i in article.blocks[1].items] == [6, 7]


def test_webtext_escapes_literal_tags(tmp_path):
    article = read_article(write(tmp_path, "c.txt", WEBTEXT_VARIANTS["chrome"]))
    para = next(b for b in article.blocks if b.kind is BlockKind.PARAGRAPH)
    assert parse(para.text) == ["Whiplash is a neck injury. It is caused by <em> forceful motion & <b> such."]
    assert article.meta_values("author") == ["Dr. A. Smith"]


# -- Markdown ---------------------------------------------------------------------

def test_markdown_front_matter_and_markup():
    article = read_article(ARTICLES / "spinal-stenosis.md", "source/spinal-stenosis.md")
    assert article.format == "markdown" and article.path == "source/spinal-stenosis.md"
    assert (article.title, article.title_line) == ("Spinal Stenosis", 2)
    meta = {(m.key, m.value, m.line, m.translatable) for m in article.meta}
    assert {("breadcrumb", "Spinecare", 3, True), ("section", "Spine Disorders", 4, True),
            ("author", "ISA Content Team", 5, False), ("byline", "By: ISA Content Team", 5, True),
            ("alias", "Narrowing of the spinal canal", 8, True), ("date", "2024-05-01", 9, False)} <= meta
    texts = [u.text for u in article_units(article)]
    assert ('The most common cause is wear-and-tear changes related to <a href="https://www.example.org/'
            'osteoarthritis" title="About osteoarthritis">osteoarthritis</a>. Other causes include:') in texts
    assert "Thickened ligaments, e.g. the <em>ligamentum flavum</em>" in texts
    assert any("<strong>no symptoms</strong>;" in t for t in texts)
    assert any("surgery such as a <code>laminectomy</code>." in t for t in texts)
    assert "Diagram of a narrowed spinal canal" in texts                     # image alt text
    assert "Symptoms often worsen over time.<br/>Talk to your doctor if they do." in texts  # hard break kept
    headings = [(b.text, b.level) for b in article.blocks if b.kind is BlockKind.HEADING]
    assert headings[:3] == [("Causes", 2), ("Symptoms", 2), ("Treatment", 2)]


def test_markdown_nested_lists_are_flattened_in_order():
    article = read_article(ARTICLES / "spinal-stenosis.md")
    causes = next(b for b in article.blocks if b.kind is BlockKind.LIST)
    assert [(i.text, i.level) for i in causes.items][2:5] == [
        ("Bone overgrowth (bone spurs)", 0), ("on the facet joints", 1), ("on the vertebral bodies", 1)]
    ordered = [b for b in article.blocks if b.kind is BlockKind.LIST][1]
    assert ordered.ordered and len(ordered.items) == 3


def test_markdown_h1_is_title_without_front_matter(tmp_path):
    path = write(tmp_path, "t.md", "Intro *first*.\n\n# The Title\n\nBody <sup>1</sup> H<sub>2</sub>O.\n"
                                   "<div>Raw <b>bold</b></div>\n\n# Second H1\n\n- a\n\n  more\n\n  - b\n\n  after\n")
    article = read_article(path)
    assert (article.title, article.title_line) == ("The Title", 3)
    assert [(b.kind, b.text, b.line, b.level) for b in article.blocks] == [
        (BlockKind.PARAGRAPH, "Intro <em>first</em>.", 1, 0),
        (BlockKind.PARAGRAPH, "Body <sup>1</sup> H<sub>2</sub>O.", 5, 0),
        (BlockKind.PARAGRAPH, "Raw <strong>bold</strong>", 6, 0),
        (BlockKind.HEADING, "Second H1", 8, 1),
        (BlockKind.LIST, "", 10, 0)]
    assert [(i.text, i.line, i.level) for i in article.blocks[-1].items] == [
        ("a more", 10, 0), ("b", 14, 1), ("after", 16, 0)]
    assert unit_words(article) == markdown_visible(path.read_text("utf-8"))


def test_markdown_code_and_quote_roles(tmp_path):
    article = read_article(write(tmp_path, "c.md", "> quoted\n\n```\nx < 5 && <em>\n```\n"))
    assert [(b.text, b.role) for b in article.blocks] == [
        ("quoted", "quote"), ("<code>x < 5 && &lt;em></code>", "")]


# -- HTML -----------------------------------------------------------------------

def test_html_structure_and_markup():
    article = read_article(ARTICLES / "sciatica.html")
    assert article.format == "html"
    assert (article.title, article.title_line) == ("Sciatica", 25)
    assert [(m.key, m.value) for m in article.meta if m.translatable] == [
        ("breadcrumb_label", "You are here"), ("breadcrumb", "Home"),
        ("breadcrumb", "Spine Disorders"), ("breadcrumb", "Spinecare")]
    assert article.meta_values("author") == ["ISA Content Team"]
    assert article.meta_values("page_title") == ["Sciatica | International Spine Association"]
    texts = [u.text for u in article_units(article)]
    assert not any("analytics" in t or "tracking" in t or "©" in t for t in texts)
    assert ('Sciatica most often occurs when a <a href="https://www.example.org/herniated-disc" '
            'title="Herniated disc">herniated disc</a> or an overgrowth of bone puts pressure on part of '
            'the nerve.<br/>This causes inflammation, pain and often some numbness in the affected leg.') in texts
    assert "Numbness, tingling or <em>muscle weakness</em> in the leg or foot" in texts
    assert any("H<sub>2</sub>-blockers as advised<sup>1</sup>." in t for t in texts)
    assert any("Use the <code>--help</code> flag only in a terminal." in t for t in texts)
    items = next(b for b in article.blocks if b.kind is BlockKind.LIST).items
    assert [(i.text, i.level) for i in items] == [
        ("Age-related changes in the spine, e.g. bone spurs", 0), ("Obesity & prolonged sitting", 0),
        ("desk work", 1), ("long drives", 1), ("Diabetes", 0)]
    headings = [(b.text, b.level) for b in article.blocks if b.kind is BlockKind.HEADING]
    assert headings == [("Causes", 2), ("Symptoms", 2), ("Treatment", 3), ("Educational Partners", 2)]
    assert [b.role for b in article.blocks if b.kind is BlockKind.PARAGRAPH and "emergency" in b.text] == ["quote"]


def test_html_without_main_drops_body_chrome_and_uses_title(tmp_path):
    page = ("<html><head><title>Neck &amp; Back</title></head><body><div id=page><header>Site name</header>"
            "<nav><a href='/'>Menu</a></nav><div>Loose <i>text</i><p hidden>secret</p></div>"
            "<ul><li>x<br>y</li></ul><footer>Copyright</footer></div></body></html>")
    article = read_article(write(tmp_path, "p.html", page))
    assert article.title == "Neck & Back" and article.title_line == 1
    assert [u.text for u in article_units(article)] == ["Neck & Back", "Loose <em>text</em>", "x<br/>y"]


# -- lines and roles for every format --------------------------------------------

ALL_SOURCES = [SEED, *MARKDOWN, *HTML]


@pytest.mark.parametrize("path", ALL_SOURCES, ids=lambda p: p.name)
def test_every_unit_points_at_its_source_line(path):
    lines = path.read_text("utf-8").split("\n")
    for unit in article_units(read_article(path)):
        assert unit.line >= 1
        words = [w.strip(".,:;()") .lower() for w in plain_text(unit.text).split()[:3]]
        source = lines[unit.line - 1].lower()
        assert any(w and w in source for w in words), (unit.id, unit.line, unit.text)


@pytest.mark.parametrize("path", ALL_SOURCES, ids=lambda p: p.name)
def test_shared_footer_and_disclaimer_roles(path):
    article = read_article(path)
    roles = [(plain_text(b.text)[:20], b.role) for b in article.blocks if b.role in ("footer", "disclaimer")]
    assert roles == [("Educational Partners", "footer"), ("To learn more about ", "footer"),
                     ("All health informati", "disclaimer"), ("The information prov", "disclaimer")]


def test_plain_last_section_is_not_a_footer(tmp_path):
    article = read_article(write(tmp_path, "a.md", "# T\n\n## Treatment\n\nRest helps.\n"))
    assert [b.role for b in article.blocks] == ["", ""]


# -- errors ------------------------------------------------------------------------

@pytest.mark.parametrize("ext", [".txt", ".md", ".html"])
@pytest.mark.parametrize("content", [b"", b"  \n\t\n\xc2\xa0\n"], ids=["empty", "blank"])
def test_empty_sources_are_errors(tmp_path, ext, content):
    path = write(tmp_path, "a" + ext, content)
    with pytest.raises(SourceError) as err:
        read_article(path, "source/a" + ext)
    assert err.value.path == "source/a" + ext and "empty" in err.value.message


@pytest.mark.parametrize("ext", [".txt", ".md", ".html"])
def test_invalid_utf8_names_file_and_line(tmp_path, ext):
    path = write(tmp_path, "a" + ext, b"Title\n\nGood line.\nBad \xe9 byte.\n")
    with pytest.raises(SourceError) as err:
        read_article(path, "source/a" + ext)
    assert (err.value.path, err.value.line) == ("source/a" + ext, 4)
    assert str(err.value).startswith(f"source/a{ext}:4: not valid UTF-8")


@pytest.mark.parametrize("ext", [".md", ".html", ".txt"])
def test_markup_without_text_is_an_error(tmp_path, ext):
    content = {".md": "---\ndate: 2024\n---\n\n***\n", ".html": "<html><body><script>x</script></body></html>",
               ".txt": "  • Font Size: AA\n"}[ext]
    with pytest.raises(SourceError) as err:
        read_article(write(tmp_path, "a" + ext, content), "a" + ext)
    assert err.value.path == "a" + ext


def test_unknown_extension_is_an_error(tmp_path):
    path = write(tmp_path, "a.odt", "text")
    assert not is_source(path) and is_source(tmp_path / "b.MD")
    with pytest.raises(SourceError, match=r"unknown source format '\.odt' \(known: .*\.docx"):
        read_article(path)
    assert {".txt", ".md", ".markdown", ".html", ".htm", ".docx"} <= set(READERS)


@pytest.mark.parametrize("content, line, message", [
    ("---\ntitle: A\nsection: a: b\n---\n\nText\n", 3, "not valid YAML"),
    ("---\ntitle: A\n\n\nbreadcrumb: [Home, Spine]]\n---\n\nText\n", 5, "not valid YAML"),
    ("---\ntitle: A\n  bad: indent\n---\nText\n", 3, "not valid YAML"),
    ("---\ntitle: A\n", 1, "never closed"),
    ("---\n- a\n- b\n---\nText\n", 2, "must be a mapping"),
    ("---\ntitle: A\nextra:\n  nested: map\n---\nText\n", 4, "expected text"),
    ("---\ntitle: [A, B]\n---\nText\n", 2, "'title' must be one line"),
])
def test_bad_front_matter_names_file_and_line(tmp_path, content, line, message):
    with pytest.raises(SourceError) as err:
        read_article(write(tmp_path, "a.md", content), "source/a.md")
    assert (err.value.path, err.value.line) == ("source/a.md", line), str(err.value)
    assert message in err.value.message


def test_markdown_html_block_inside_list_item(tmp_path):
    path = write(tmp_path, "l.md", "- first\n\n  <div>Raw <i>one</i></div>\n- second\n")
    article = read_article(path)
    assert [i.text for i in article.blocks[0].items] == ["first Raw <em>one</em>", "second"]
    assert unit_words(article) == markdown_visible(path.read_text("utf-8"))


# -- generated articles ------------------------------------------------------------

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

_WORDS = st.sampled_from(["pain", "Spine", "e.g.", "2.5", "mg", "50%", "(FBS)", "and/or", "x<5", "<em>",
                          "&amp;", "a&b", "\u00a0", "don't", "“quoted”", "نخاع", "脊柱", "Dr.", "end."])
_MD_WORDS = _WORDS | st.sampled_from(["*em*", "**bold**", "`co de`", "[link](http://x.org)", "_u_",
                                      "![alt text](i.png)", "<sup>2</sup>", "<span>s</span>", "\\*",
                                      "&lt;", "<br>", "[ref]", "#tag", "~~gone~~", "a|b", "|", "[^1]",
                                      ": def", "[ ]", "[x]"])


def _lines(words, prefixes):
    line = st.tuples(st.sampled_from(prefixes), st.lists(words, min_size=1, max_size=8))
    return st.lists(line, min_size=1, max_size=25).map(
        lambda ls: "\n".join(p + " ".join(ws) if ws else "" for p, ws in ls) + "\n")


GENERATED = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_faithful_or_empty(text: str, ext: str, visible) -> None:
    """The reader offers exactly the visible words, or refuses a page that has none."""
    try:
        article = read_article_text(text, ext)
    except SourceError as err:
        if "never referenced" in err.message:  # refused on purpose: its text would be lost
            return
        assert not visible(text)
        return
    assert unit_words(article) == visible(text)


@GENERATED
@given(_lines(_WORDS, ["", "", "\n", "  • ", "- ", "1. ", "    "]))
def test_generated_webtext_is_faithful(text):
    assert_faithful_or_empty(text, ".txt", webtext_visible)


@GENERATED
@given(_lines(_MD_WORDS, ["", "", "\n", "# ", "## ", "- ", "  - ", "1. ", "> ", "    ", "<div>", "| ", "|---|",
                          "[^1]: ", ": ", "- [ ] "]))
def test_generated_markdown_is_faithful(text):
    assert_faithful_or_empty(text, ".md", markdown_visible)


def read_article_text(text: str, ext: str):
    """Read ``text`` as a source with extension ``ext`` (no file needed)."""
    name, reader = READERS[ext]
    return reader(text, "gen" + ext, "gen")


_HTML_WORDS = st.lists(_WORDS.map(lambda w: w.replace("<", "&lt;")), min_size=1, max_size=5).map(" ".join)
_HTML_PIECES = st.sampled_from([
    "<p>{}</p>", "<h2>{}</h2>", "<h1>{}</h1>", "{}", "<ul><li>{}</li><li>{}<ul><li>{}</li></ul>{}</li></ul>",
    "<ol><li><p>{}</p><p>{}</p></li></ol>", "<div>{}<p>{}</p>{}</div>", "<blockquote>{}</blockquote>",
    "<em>{}</em>", "<b><i>{}</i> {}</b>", "<script>{}</script>", "<nav>{}</nav>", "<span>{}</span><br>{}",
    "<table><tr><td>{}</td><td>{}</td></tr></table>", "<a href='/x?a=1&amp;b=2'>{}</a>", "<a>{}</a>",
    "<p>{}<code> {} </code><sup>{}</sup></p>", "<footer><p>{}</p></footer>", "<img alt='{}'>{}",
    "<pre>{}\n  {}</pre>", "<p hidden>{}</p>", "<dl><dt>{}</dt><dd>{}</dd></dl>"])


@st.composite
def _html_pages(draw):
    pieces = []
    for template in draw(st.lists(_HTML_PIECES, min_size=1, max_size=12)):
        pieces.append(template.format(*(draw(_HTML_WORDS) for _ in range(template.count("{}")))))
    sep = draw(st.sampled_from(["", "\n", " "]))
    return f"<html><head><title>T</title></head><body><main>{sep.join(pieces)}</main></body></html>"


@GENERATED
@given(_html_pages())
def test_generated_html_is_faithful(page):
    """The title is its own slot in the model (writers put it first), so it is
    compared on its own: the first <h1>, else <title>; the rest in order."""
    try:
        article = read_article_text(page, ".html")
    except SourceError:
        assert not html_visible(page)
        return
    doc = lxml_html.document_fromstring(page)
    h1 = next((h for h in doc.find(".//main").iter("h1") if h.get("hidden") is None), None)
    title = h1.text_content() if h1 is not None else "T"
    if h1 is not None:
        h1.drop_tree()
    assert plain_text(article.title).split() == title.split()
    rest = [u for u in article_units(article) if u.id != "title"]
    assert " ".join(plain_text(u.text) for u in rest).split() == html_visible(lxml_html.tostring(doc, encoding=str))


@pytest.mark.parametrize("crumb, label, steps", [
    ('<nav aria-label="breadcrumb"><span>You <b>are</b> here:</span><ol><li><a href="/">Home</a> ›</li>'
     '<li>Neck / Back</li></ol></nav>', ["You are here"], ["Home", "Neck / Back"]),
    ('<div class="crumbs breadcrumb">Home &raquo; Spine &gt; Sciatica</div>', [], ["Home", "Spine", "Sciatica"]),
    ('<p class="breadcrumbs">Path: Home | Care</p>', ["Path"], ["Home", "Care"]),
])
def test_html_breadcrumb_forms(tmp_path, crumb, label, steps):
    page = f"<html><body>{crumb}<main><h1>T</h1><p>Body.</p></main></body></html>"
    article = read_article(write(tmp_path, "b.html", page))
    assert article.meta_values("breadcrumb_label") == label
    assert article.meta_values("breadcrumb") == steps
    assert [b.text for b in article.blocks] == ["Body."]


@pytest.mark.parametrize("ext, content", [
    (".html", "<main>\n" + "<div>" * 2000 + "deep"),
    (".html", "<p>" + "<em>" * 2000 + "deep"),
    (".md", "Text\n\n" + "<div>" * 2000 + "deep\n"),
    (".md", "Text\n\n" + "> " * 300 + "deep\n"),
    (".md", "".join("  " * i + f"- x{i}\n" for i in range(120))),
])
def test_absurd_nesting_is_an_error_not_a_traceback(tmp_path, ext, content):
    with pytest.raises(SourceError, match="nested more than") as err:
        read_article(write(tmp_path, "deep" + ext, content), "source/deep" + ext)
    assert err.value.path == "source/deep" + ext and err.value.line
