"""The site around the pages (issue 24): front page, language homes, trust line and JSON-LD,
sitemap, Pagefind search in Chromium, axe-core on every page.

One demo project (the repository's, with ``[site] url`` set and a Spanish
sign-off) is built once through the CLI for the module; the tests read what
it wrote.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lhtml

from browser_helpers import axe_violations, evaluate_when, needs_axe, needs_chromium, serve
from conftest import clone_demo, run_cli
from toolkit.cli import cli
from toolkit.publish import search as search_module
from toolkit.publish.site import NO_SITEMAP
from toolkit.publish.trust import json_ld
from toolkit.text.collation import available, sort_key

SLUG = "failed-back-syndrome"
SITE = "https://spine.example.org/articles/"
TARGETS = ("es", "fr", "ar", "zh-Hans")
REVIEWER = "Dra. Ana Ruiz"


def _with_site(root: Path, url: str = SITE) -> None:
    with open(root / "tmkit.toml", "a", encoding="utf-8") as handle:
        handle.write(f'\n[site]\nurl = "{url}"\n')


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    runner = CliRunner()
    root = clone_demo(tmp_path_factory.mktemp("site") / "demo")
    _with_site(root)
    run_cli(runner, root, "review", "approve", "--lang", "es", "--article", SLUG, "--by", REVIEWER)
    result = run_cli(runner, root, "build", "--force")
    assert NO_SITEMAP not in result.output
    run_cli(runner, root, "status", "--format", "html")
    run_cli(runner, root, "review", "--lang", "es")
    return root / "exports"


def _page(path: Path):
    return lhtml.document_fromstring(path.read_bytes())


def _ld(page) -> dict:
    scripts = page.xpath('//script[@type="application/ld+json"]')
    assert len(scripts) == 1
    return json.loads(scripts[0].text)


def test_language_homes_list_translated_titles_by_section(site):
    english_title = "Failed Back Syndrome"
    for lang in TARGETS:
        page = _page(site / lang / "index.html")
        assert page.get("lang") == lang
        links = page.xpath('//main//ul[@class="articles"]//a')
        assert [a.get("href") for a in links] == [f"{SLUG}.html"]
        title = links[0].text_content()
        assert title and title != english_title
        article = _page(site / lang / f"{SLUG}.html")
        assert title == article.findtext(".//h1").strip()
        # grouped under the article's translated section, the one the page shows
        section = article.xpath('//p[@class="section"]')[0].text_content().strip()
        assert page.xpath("//main//section/h2")[0].text_content() == section
        nav = page.xpath('//nav[@class="languages"]')[0]
        assert nav.get("aria-label")
    assert _page(site / "ar" / "index.html").get("dir") == "rtl"
    assert _page(site / "es" / "index.html").xpath("//h1")[0].text == "Artículos"


def test_front_page_chooses_a_language_without_percentages(site):
    page = _page(site / "index.html")
    text = page.text_content()
    assert "%" not in page.xpath("//body")[0].text_content()
    choices = {a.get("hreflang"): a for a in page.xpath("//main//nav//a")}
    assert set(TARGETS) <= set(choices)
    assert choices["ar"].get("lang") == "ar" and choices["ar"].get("dir") == "rtl"
    assert choices["ar"].text == "العربية" and choices["es"].text == "Español"
    assert choices["zh-Hans"].get("href") == "zh-Hans/index.html"
    assert "Translation status" not in text      # the matrix is status.html's
    assert "Languages × articles" in (site / "status.html").read_text("utf-8")


def test_spanish_page_shows_reviewer_and_carries_medical_web_page(site):
    page = _page(site / "es" / f"{SLUG}.html")
    trust = page.xpath('//p[@class="trust"]')[0]
    assert REVIEWER in trust.text_content()
    assert "Revisado médicamente por" in trust.text_content()
    assert trust.xpath(".//a")[0].get("href") == f"../en/{SLUG}.html"
    data = _ld(page)
    assert data["@type"] == "MedicalWebPage" and data["inLanguage"] == "es"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["lastReviewed"])
    assert data["reviewedBy"] == {"@type": "Person", "name": REVIEWER}
    assert data["isBasedOn"]["url"] == f"{SITE}en/{SLUG}.html"
    assert data["translationOfWork"]["inLanguage"] == "en"
    assert data["url"] == f"{SITE}es/{SLUG}.html"
    assert page.xpath('//link[@rel="canonical"]')[0].get("href") == f"{SITE}es/{SLUG}.html"
    hreflangs = {l.get("hreflang"): l.get("href") for l in page.xpath('//link[@rel="alternate"]')}
    assert hreflangs["x-default"] == f"{SITE}en/{SLUG}.html" and hreflangs["ar"] == f"{SITE}ar/{SLUG}.html"
    # without a sign-off: "not yet reviewed", and no reviewer in the data
    french = _page(site / "fr" / f"{SLUG}.html")
    assert "Pas encore relu médicalement." in french.xpath('//p[@class="trust"]')[0].text_content()
    assert "lastReviewed" not in _ld(french) and _ld(french)["inLanguage"] == "fr"


def test_sitemap_has_hreflang_alternates_and_x_default(site):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.parse(str(site / "sitemap.xml"), parser).getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    urls = {u.findtext("s:loc", namespaces=ns): u for u in root.findall("s:url", ns)}
    spanish = urls[f"{SITE}es/{SLUG}.html"]
    links = {l.get("hreflang"): l.get("href") for l in spanish.findall("x:link", ns)}
    assert all(l.get("rel") == "alternate" for l in spanish.findall("x:link", ns))
    assert links["ar"] == f"{SITE}ar/{SLUG}.html"
    assert links["x-default"] == f"{SITE}en/{SLUG}.html"
    assert set(TARGETS) <= set(links)
    assert f"{SITE}zh-Hans/index.html" in urls


def test_no_site_url_no_sitemap_and_the_build_says_why(runner, tmp_path):
    root = clone_demo(tmp_path / "demo")
    result = run_cli(runner, root, "build", "--force")
    assert NO_SITEMAP in result.output.splitlines()
    assert not (root / "exports" / "sitemap.xml").exists()
    page = _page(root / "exports" / "es" / f"{SLUG}.html")
    assert not page.xpath('//link[@rel="canonical"]')
    assert {l.get("href") for l in page.xpath('//link[@rel="alternate"]')} >= {f"../ar/{SLUG}.html"}
    assert (root / "exports" / "es" / "index.html").is_file()
    # then set, and the next build writes it
    _with_site(root)
    result = run_cli(runner, root, "build", "--force")
    assert NO_SITEMAP not in result.output and (root / "exports" / "sitemap.xml").is_file()
    page = _page(root / "exports" / "es" / f"{SLUG}.html")     # every page re-rendered with it
    assert page.xpath('//link[@rel="canonical"]')[0].get("href") == f"{SITE}es/{SLUG}.html"


def test_bad_site_url_is_a_one_line_error(runner, tmp_path):
    root = clone_demo(tmp_path / "demo")
    _with_site(root, "javascript:alert(1)")
    result = runner.invoke(cli, ["-C", str(root), "build"])
    assert result.exit_code == 2
    assert result.output.startswith("tmkit: error: ") and "site.url" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_json_ld_and_trust_line_cannot_break_out(runner, tmp_path):
    """A translated title and a reviewer's name holding </script> and <!-- stay data."""
    root = clone_demo(tmp_path / "demo")
    po = root / "po" / "es" / f"{SLUG}.po"
    text = po.read_text("utf-8")
    hostile = "Síndrome </script><!-- <script>alert(1)</script> & co"
    text, count = re.subn(r'(msgid "Failed Back Syndrome"\nmsgstr )"[^"\n]*"', rf'\1"{hostile}"', text)
    assert count == 1
    po.write_text(text, "utf-8")
    name = "Dr. </script><!-- Evil"
    run_cli(runner, root, "review", "approve", "--lang", "es", "--article", SLUG, "--by", name,
            "--despite-findings")
    run_cli(runner, root, "build", "--force")
    raw = (root / "exports" / "es" / f"{SLUG}.html").read_text("utf-8")
    head = raw.split('<script type="application/ld+json">', 1)[1]
    body, rest = head.split("</script>", 1)
    assert "<" not in body and ">" not in body       # nothing in the data can close or comment
    data = json.loads(body)
    assert data["name"] == hostile and data["reviewedBy"]["name"] == name
    page = _page(root / "exports" / "es" / f"{SLUG}.html")
    assert len(page.xpath("//script")) == 1          # no script came out of the data
    assert name in page.xpath('//p[@class="trust"]//bdi')[0].text_content()
    assert json_ld({"a": "</script>"}) == '{"a": "\\u003c/script\\u003e"}'


def test_language_collation_sorts_as_the_language_does():
    if not available():
        pytest.skip("ICU collator of icu4py's bundled library not loadable on this platform")
    words = ["ñu", "nube", "Óscar", "oasis", "zeta", "ábaco"]
    assert sorted(words, key=sort_key("es")) == ["ábaco", "nube", "ñu", "oasis", "Óscar", "zeta"]
    assert sorted(["ä", "z", "a"], key=sort_key("sv")) == ["a", "z", "ä"]
    assert sorted(["ä", "z", "a"], key=sort_key("de")) == ["a", "ä", "z"]


def _entry(site: Path, lang: str, bundle: int = 1) -> dict:
    return json.loads((site / "pagefind" / lang / str(bundle) / "pagefind-entry.json").read_text("utf-8"))


def _fragments(bundle: Path) -> list[dict]:
    """Pagefind's stored pages (``fragment/*.pf_fragment``: gzip, a signature, then JSON)."""
    out = []
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        out.append(json.loads(data[data.index(b"{"):]))
    return out


def test_pagefind_index_per_language(site):
    """One bundle per language, holding that language's pages only; the home opens its own."""
    assert sorted(p.name for p in (site / "pagefind").iterdir()) == sorted(["en", "es", "fr", "de", "ar", "zh-Hans"])
    for lang in ("es", "fr", "ar", "zh-Hans"):
        entry = _entry(site, lang)
        assert list(entry["languages"]) == [lang.lower()]
        assert entry["languages"][lang.lower()]["page_count"] == 1
        assert [f["url"] for f in _fragments(site / "pagefind" / lang / "1")] == [f"/{lang}/{SLUG}.html"]
    assert (site / "search.js").is_file()
    home = _page(site / "es" / "index.html")
    assert [s.get("src") for s in home.xpath("//script")] == ["../pagefind/es/1/pagefind-ui.js", "../search.js"]
    assert home.get_element_by_id("search").get("data-bundles") == "../pagefind/es/1/"
    assert not any(s.text and s.text.strip() for s in home.xpath("//script"))   # no inline script
    csp = home.xpath('//meta[@http-equiv="Content-Security-Policy"]')[0].get("content")
    assert "script-src 'self' 'wasm-unsafe-eval'" in csp and "unsafe-inline" not in csp.split("script-src")[1]


def test_pagefind_indexes_the_article_body_only(site):
    """The indexed text is the article's (title, body), not the page's navigation or trust line."""
    page = _page(site / "es" / f"{SLUG}.html")
    (fragment,) = _fragments(site / "pagefind" / "es" / "1")
    content = fragment["content"]
    assert fragment["meta"]["title"] == page.findtext(".//h1").strip()
    paragraph = " ".join(page.xpath("//article/p[not(@class)]")[0].text_content().split())
    assert paragraph[:60] in content
    switcher = [a.text_content().strip() for a in page.xpath("//header//a")]
    assert "Français" in switcher and not any(name in content for name in ("Français", "العربية", "Deutsch"))
    trust = page.xpath('//p[@class="trust"]')[0].text_content()
    assert "Dra. Ana Ruiz" in trust and "Ana Ruiz" not in content and "Traducido" not in content


def test_search_index_is_rebuilt_only_when_pages_change(runner, tmp_path):
    root = clone_demo(tmp_path / "demo")
    run_cli(runner, root, "build", "--force")
    entry = root / "exports" / "pagefind" / "es" / "1" / "pagefind-entry.json"
    stamp = entry.stat().st_mtime_ns
    run_cli(runner, root, "build", "--force", "--format", "html")   # same pages
    assert entry.stat().st_mtime_ns == stamp
    shutil.rmtree(root / "exports" / "pagefind")
    run_cli(runner, root, "build", "--force")
    assert (root / "exports" / "pagefind" / "es" / "1" / "pagefind-ui.js").is_file()


def _second_article(root: Path, slug: str = "second-article") -> None:
    """The demo article again under another name, with its translations (a second page per language)."""
    shutil.copy(root / "source" / f"{SLUG}.txt", root / "source" / f"{slug}.txt")
    shutil.copy(root / "po" / "templates" / f"{SLUG}.pot", root / "po" / "templates" / f"{slug}.pot")
    for lang in ("es", "fr", "de", "ar", "zh-Hans"):
        shutil.copy(root / "po" / lang / f"{SLUG}.po", root / "po" / lang / f"{slug}.po")


@needs_chromium
def test_search_in_chunks_finds_pages_of_every_chunk_in_chromium(runner, tmp_path, monkeypatch):
    """Each language's pages indexed in chunks (one Pagefind run each, bounded memory), merged
    in the browser: one search finds the pages of both chunks, in the home's language only; a
    changed Spanish page re-indexes Spanish alone."""
    root = clone_demo(tmp_path / "demo")
    _second_article(root)
    monkeypatch.setattr(search_module, "CHUNK_BYTES", 100)     # one page a chunk
    run_cli(runner, root, "build", "--force")
    out = root / "exports"
    for lang in ("es", "fr"):
        assert [f["url"] for n in (1, 2) for f in _fragments(out / "pagefind" / lang / str(n))] == [
            f"/{lang}/{SLUG}.html", f"/{lang}/second-article.html"]
        assert not (out / "pagefind" / lang / "3").exists()
    home = _page(out / "es" / "index.html")
    assert home.get_element_by_id("search").get("data-bundles") == "../pagefind/es/1/ ../pagefind/es/2/"
    with serve(out) as base:
        found = evaluate_when(f"{base}es/index.html?q=cirug%C3%ADa", f"{RESULTS}.length > 1 && {RESULTS}")
        french = evaluate_when(f"{base}fr/index.html?q=chirurgie", f"{RESULTS}.length > 1 && {RESULTS}")
    assert sorted(href for href, _ in found) == [f"/es/{SLUG}.html", "/es/second-article.html"]
    assert sorted(href for href, _ in french) == [f"/fr/{SLUG}.html", "/fr/second-article.html"]


def test_a_changed_page_reindexes_its_own_chunk_only(runner, tmp_path, monkeypatch):
    """Pagefind has no incremental mode: tmkit re-runs it on the chunks whose pages changed,
    and links the other bundles into the new index as they were."""
    root = clone_demo(tmp_path / "demo")
    _second_article(root)
    monkeypatch.setattr(search_module, "CHUNK_BYTES", 100)     # one page a chunk
    run_cli(runner, root, "build", "--force")
    out = root / "exports"

    def stamps() -> dict:
        return {(lang, n): (out / "pagefind" / lang / str(n) / "pagefind-entry.json").stat().st_mtime_ns
                for lang in ("es", "fr") for n in (1, 2)}

    def urls(lang: str) -> list[list[str]]:
        bundles = sorted((out / "pagefind" / lang).glob("[0-9]*"), key=lambda p: int(p.name))
        return [[f["url"] for f in _fragments(bundle)] for bundle in bundles]

    before = stamps()
    po = root / "po" / "es" / "second-article.po"
    po.write_text(po.read_text("utf-8").replace("cirugía", "operación", 1), "utf-8")
    run_cli(runner, root, "build", "--force")
    after = stamps()
    assert [name for name in before if after[name] != before[name]] == [("es", 2)]
    assert "operación" in _fragments(out / "pagefind" / "es" / "2")[0]["content"]
    # a new article: a chunk of its own (the last one is full), the others kept
    _second_article(root, "third-article")
    run_cli(runner, root, "build", "--force")
    assert stamps() == after
    assert urls("fr") == [[f"/fr/{SLUG}.html"], ["/fr/second-article.html"], ["/fr/third-article.html"]]
    # an article removed: its chunk goes, the next one takes its number
    run_cli(runner, root, "article", "remove", "second-article")
    run_cli(runner, root, "build", "--force")
    assert urls("fr") == [[f"/fr/{SLUG}.html"], ["/fr/third-article.html"]]
    home = _page(out / "fr" / "index.html")
    assert home.get_element_by_id("search").get("data-bundles") == "../pagefind/fr/1/ ../pagefind/fr/2/"


RESULTS = ('Array.from(document.querySelectorAll(".pagefind-ui__result-link"))'
           '.map(function (a) { return [a.getAttribute("href"), a.textContent.trim()]; })')


@needs_chromium
def test_spanish_query_finds_the_spanish_article_in_chromium(site):
    """The language home's own scripts (Pagefind's UI started by search.js, under the page's CSP)."""
    spanish = _page(site / "es" / f"{SLUG}.html").findtext(".//h1").strip()
    with serve(site) as base:
        found = evaluate_when(f"{base}es/index.html?q=cirug%C3%ADa", f"{RESULTS}.length && {RESULTS}")
        french = evaluate_when(f"{base}fr/index.html?q=chirurgie", f"{RESULTS}.length && {RESULTS}")
    assert found == [[f"/es/{SLUG}.html", spanish]]
    assert french and all(href.startswith("/fr/") for href, _ in french)   # each language its own index


@needs_chromium
@needs_axe
def test_axe_core_finds_no_violations_on_any_page(site):
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                   if "pagefind" not in p.parts)
    assert {"index.html", "status.html", f"review/es/{SLUG}.html", "es/index.html",
            f"ar/{SLUG}.html"} <= set(pages)
    found = {}
    with serve(site) as base:
        for rel in pages:
            violations = axe_violations(base, rel)
            if violations:
                found[rel] = violations
    assert found == {}


@needs_chromium
@needs_axe
def test_axe_core_run_reports_a_violation(tmp_path):
    """The harness can fail: an image without text and an unlabelled field are reported."""
    (tmp_path / "bad.html").write_text('<!DOCTYPE html><html><head><title>x</title></head><body>'
                                       '<main><img src="x.png"><input></main></body></html>', "utf-8")
    with serve(tmp_path) as base:
        ids = {v["id"] for v in axe_violations(base, "bad.html")}
    assert {"image-alt", "html-has-lang", "label"} <= ids


def test_search_off_or_missing_writes_everything_else_and_says_why(runner, tmp_path, monkeypatch):
    import toolkit.publish.site as site_module

    root = clone_demo(tmp_path / "demo")
    run_cli(runner, root, "build", "--force")
    assert (root / "exports" / "pagefind").is_dir()
    with open(root / "tmkit.toml", "a", encoding="utf-8") as handle:
        handle.write("\n[site]\nsearch = false\n")
    result = run_cli(runner, root, "build", "--force")     # turned off: the index goes
    out = root / "exports"
    assert not (out / "pagefind").exists() and not (out / "search.js").exists()
    assert "no search index" not in result.output
    home = _page(out / "es" / "index.html")
    assert not home.xpath("//script") and not home.xpath("//search")
    assert "script-src" not in home.xpath('//meta[@http-equiv="Content-Security-Policy"]')[0].get("content")
    # search wanted but the wheel missing: the site without search, and one line saying why
    (root / "tmkit.toml").write_text((root / "tmkit.toml").read_text("utf-8").replace("search = false", ""),
                                     "utf-8")
    monkeypatch.setattr(site_module, "_pagefind", lambda: None)
    result = run_cli(runner, root, "build", "--force")
    assert "no search index: pagefind-bin is not installed (pip install pagefind-bin)" in result.output.splitlines()
    assert (out / "es" / "index.html").is_file() and not (out / "pagefind").exists()


@needs_chromium
def test_chinese_search_with_the_extended_binary_or_the_build_says_it_lacks_it(runner, tmp_path):
    """Chinese has no spaces between words: only Pagefind's extended binary segments it.
    With it, a two-character word finds the Chinese article; without it, the build says so."""
    from toolkit.publish.site import _extended

    root = clone_demo(tmp_path / "demo")
    result = run_cli(runner, root, "build", "--force")
    note = ("search: zh-Hans text is indexed without word segmentation "
            "(pip install pagefind-bin-extended for it)")
    if not _extended():
        assert note in result.output.splitlines()
        return
    assert note not in result.output
    out = root / "exports"
    title = _page(out / "zh-Hans" / f"{SLUG}.html").findtext(".//h1").strip()
    assert "手术" in title
    with serve(out) as base:
        found = evaluate_when(f"{base}zh-Hans/index.html?q=%E6%89%8B%E6%9C%AF", f"{RESULTS}.length && {RESULTS}")
    assert found == [[f"/zh-Hans/{SLUG}.html", title]]
