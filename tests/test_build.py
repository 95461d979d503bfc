"""``tmkit build`` end to end: gate, force, incremental rebuilds, validation, errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import etree, html as lhtml

from tests.conftest import SEED, run_cli
from tests.export_helpers import identity, prefixed, write_po
from toolkit.publish.build import MANIFEST_NAME
from toolkit.text.inline import plain_text
from toolkit.readers import read_article
from toolkit.segment import article_units
from toolkit.publish.writers.xml import validate

SLUG = "failed-back-syndrome"


def _files(root: Path) -> dict[str, tuple[int, bytes]]:
    """Every exported file with its inode change time and content."""
    out = root / "exports"
    return {p.relative_to(out).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(out.rglob("*")) if p.is_file()}


def _translate_all(root: Path) -> None:
    write_po(root, "es", prefixed("ES"))
    write_po(root, "fr", prefixed("FR"))
    write_po(root, "ar", prefixed("عربي"))
    write_po(root, "zh-Hans", lambda s: f"中文{s.text}。")
    write_po(root, "de", lambda s: f"DE {s.text}" if s.id.startswith(("b1", "b7", "b8")) else None)


def test_build_publishes_gates_and_validates(project, runner):
    _translate_all(project)
    result = run_cli(runner, project, "build")
    files = _files(project)
    for lang in ("en", "es", "fr", "ar", "zh-Hans"):
        for ext in ("html", "xml", "txt"):
            assert f"{lang}/{SLUG}.{ext}" in files
    assert not any(name.startswith("de/") for name in files)
    assert f"held back: de/{SLUG}:" in result.output and "below the 80% minimum" in result.output
    summary = {line.split()[0]: line.split()[1:] for line in result.output.splitlines()
               if line.split() and line.split()[0] in ("es", "de", "en")}
    assert summary["es"][:2] == ["1", "0"] and summary["de"][:2] == ["0", "1"]
    for name, (_, data) in files.items():
        if name.endswith(".xml"):
            assert validate(data) == [], name
    ar = lhtml.document_fromstring(files[f"ar/{SLUG}.html"][1])
    assert ar.getroottree().getroot().get("dir") == "rtl"
    assert set(ar.xpath("//link[@rel='alternate']/@hreflang")) == {"en", "es", "fr", "ar", "zh-Hans",
                                                                   "x-default"}
    # the front page offers the languages with a published page (German is held back);
    # each language home links to its published pages (the manager's matrix is status.html)
    index = lhtml.document_fromstring(files["index.html"][1])
    links = index.xpath("//main//a/@href")
    assert "ar/index.html" in links and "de/index.html" not in links
    assert "de/index.html" not in files
    ar_home = lhtml.document_fromstring(files["ar/index.html"][1])
    assert ar_home.xpath("//main//ul[@class='articles']//a/@href") == [f"{SLUG}.html"]


def test_force_exports_held_back_with_warning_and_fallback(project, runner):
    _translate_all(project)
    result = run_cli(runner, project, "build", "--force", "--lang", "de")
    assert "warning: de/failed-back-syndrome: published with --force" in result.output
    page = lhtml.document_fromstring((project / "exports" / "de" / f"{SLUG}.html").read_bytes())
    fallbacks = page.xpath("//span[@class='fallback']")
    assert fallbacks and all(s.get("lang") == "en" for s in fallbacks)
    xml = etree.fromstring((project / "exports" / "de" / f"{SLUG}.xml").read_bytes())
    assert xml.xpath("//seg[@status='untranslated']/@xml:lang",
                     namespaces={"xml": "http://www.w3.org/XML/1998/namespace"})[0] == "en"
    # building another language keeps the forced German page and links to it
    run_cli(runner, project, "build", "--lang", "es")
    es = lhtml.document_fromstring((project / "exports" / "es" / f"{SLUG}.html").read_bytes())
    assert "de" in es.xpath("//link[@rel='alternate']/@hreflang")
    # forcing every language publishes the others too
    run_cli(runner, project, "build", "--force")
    assert (project / "exports" / "de" / f"{SLUG}.html").exists()
    # without --force the forced pages are withdrawn again
    run_cli(runner, project, "build", "--lang", "de")
    assert not (project / "exports" / "de" / f"{SLUG}.html").exists()


def test_second_build_writes_nothing_and_one_po_rewrites_one_language(project, runner):
    _translate_all(project)
    run_cli(runner, project, "build")
    before = _files(project)
    result = run_cli(runner, project, "build")
    assert "0 file(s) written" in result.output and "1 of 1 article(s) unchanged" in result.output
    assert _files(project) == before
    write_po(project, "es", prefixed("ES2"))
    result = run_cli(runner, project, "build")
    after = _files(project)
    changed = sorted(name for name in after if after[name] != before.get(name))
    # the Spanish files, and the Spanish home (the title it lists changed)...
    assert [name for name in changed if not name.startswith("pagefind/")] == [
        MANIFEST_NAME, f"es/{SLUG}.html", f"es/{SLUG}.txt", f"es/{SLUG}.xml", "es/index.html"]
    assert "4 file(s) written" in result.output
    # ...and the Spanish search index, rebuilt because a Spanish page changed (the other languages' kept)
    assert "pagefind/es/1/pagefind-entry.json" in changed
    assert {name.split("/")[1] for name in changed if name.startswith("pagefind/")} == {"es"}


def test_rejected_markup_is_warned_with_po_line(project, runner):
    (project / "source" / "markup.txt").write_text(
        "Markup Test\n\nRead this first. Then rest.\n", encoding="utf-8")
    # a tag the source does not have: the markup no longer matches
    write_po(project, "es", lambda s: "Lea <strong>esto</strong>." if "Read" in s.text else f"ES {s.text}",
             slug="markup")
    result = run_cli(runner, project, "build", "--lang", "es", "--force")
    assert "tmkit: warning: po/es/markup.po:" in result.output
    assert "translation markup does not match the source, English used" in result.output


def test_control_character_in_a_translation_is_rejected_not_a_crash(project, runner):
    """XML 1.0 cannot hold U+0001; a PO file can.  The build warns with the PO line and
    publishes English for that segment; every export stays valid."""
    (project / "source" / "ctl.txt").write_text("Control Test\n\nRead this first. Then rest.\n",
                                                encoding="utf-8")
    write_po(project, "es", lambda s: "Lea\x01 esto." if "Read" in s.text else f"ES {s.text}", slug="ctl")
    result = run_cli(runner, project, "build", "--lang", "es", "--force")
    assert "tmkit: warning: po/es/ctl.po:" in result.output
    assert "translation holds a control character (U+0001), English used" in result.output
    xml = (project / "exports" / "es" / "ctl.xml").read_bytes()
    assert validate(xml) == [] and b"Read this first." in xml and b"\x01" not in xml
    assert "\x01" not in (project / "exports" / "es" / "ctl.html").read_text(encoding="utf-8")


def test_changed_tmkit_code_renders_again_without_rewriting_equal_files(project, runner, monkeypatch):
    """The version number does not change between commits: the code's hash is in every key."""
    import toolkit.publish.build
    from toolkit.project.config import load_config

    write_po(project, "es", prefixed("ES"))
    config = load_config(project)
    first = toolkit.publish.build.build(config)
    assert first.written and toolkit.publish.build.build(config).unchanged == 1
    monkeypatch.setattr(toolkit.publish.build, "code_fingerprint", lambda: "upgraded")
    again = toolkit.publish.build.build(config)
    assert again.unchanged == 0 and again.written == []     # rendered again; equal bytes left alone


def test_options_format_output_and_bad_input(project, runner, tmp_path):
    write_po(project, "fr", prefixed("FR"))
    out = tmp_path / "site"
    run_cli(runner, project, "build", "--lang", "fr", "--format", "txt", "--output", str(out))
    assert sorted(p.name for p in (out / "fr").iterdir()) == [f"{SLUG}.txt"]
    assert not (out / "index.html").exists() and not (project / "exports" / "fr").exists()
    result = run_cli(runner, project, "build", "--format", "docx", expect=2)
    assert "unknown export format 'docx'" in result.output
    result = run_cli(runner, project, "build", "--lang", "xx", expect=2)
    assert "tmkit: error:" in result.output
    po = project / "po" / "fr" / f"{SLUG}.po"
    po.write_text(po.read_text() + "\ngarbage line\n", encoding="utf-8")
    result = run_cli(runner, project, "build", "--lang", "fr", expect=2)
    assert f"tmkit: error: po/fr/{SLUG}.po:" in result.output and "Traceback" not in result.output


def test_removed_article_takes_its_exports_along(project, runner):
    write_po(project, "es", prefixed("ES"))
    run_cli(runner, project, "build", "--lang", "en")
    assert (project / "exports" / "en" / f"{SLUG}.html").exists()
    assert sorted(p.name for p in (project / "exports").iterdir()) == [
        MANIFEST_NAME, "en", "index.html", "pagefind", "search.js"]
    (project / "source" / f"{SLUG}.txt").unlink()
    (project / "source" / "other.txt").write_text("Other\n\nText here.\n", encoding="utf-8")
    run_cli(runner, project, "build", "--lang", "en")
    assert not (project / "exports" / "en" / f"{SLUG}.html").exists()
    assert (project / "exports" / "en" / "other.html").exists()


def test_template_override_from_settings_rebuilds_pages(project, runner):
    run_cli(runner, project, "build", "--lang", "en")
    folder = project / "site-templates"
    folder.mkdir()
    (folder / "style.css").write_text("h1 { color: teal; }\n", encoding="utf-8")
    toml = project / "tmkit.toml"
    toml.write_text(toml.read_text().replace('text_width = 0', 'text_width = 0\ntemplates = "site-templates"'))
    result = run_cli(runner, project, "build", "--lang", "en")
    page = (project / "exports" / "en" / f"{SLUG}.html").read_text()
    assert "color: teal" in page and "max-inline-size: 46rem" not in page  # style.css replaced (print.css stays)
    # the page, the front page and the English home; XML and text are unchanged
    assert "3 file(s) written" in result.output
    assert not (project / "exports" / "en" / f"{SLUG}.xml.tmp").exists()
    toml.write_text(toml.read_text().replace('"site-templates"', '"missing"'))
    result = run_cli(runner, project, "build", expect=2)
    assert "templates folder not found: missing" in result.output


def test_worker_processes_give_the_same_site_and_errors(project, runner, monkeypatch, tmp_path):
    import toolkit.publish.build

    for n in range(3):
        (project / "source" / f"extra-{n}.txt").write_text(f"Extra {n}\n\nSome text {n}. More.\n",
                                                           encoding="utf-8")
    _translate_all(project)
    run_cli(runner, project, "build", "--output", str(tmp_path / "serial"))
    monkeypatch.setattr(toolkit.publish.build, "PARALLEL_FROM", 2)
    result = run_cli(runner, project, "build", "--output", str(tmp_path / "parallel"))
    assert "0 of 4 article(s) unchanged" in result.output

    def tree(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    assert tree(tmp_path / "serial") == tree(tmp_path / "parallel")
    po = project / "po" / "fr" / "extra-1.po"
    po.write_text(po.read_text(encoding="utf-8") + "\ngarbage\n", encoding="utf-8")
    result = run_cli(runner, project, "build", "--output", str(tmp_path / "parallel"), expect=2)
    assert "tmkit: error: po/fr/extra-1.po:" in result.output


def test_broken_user_template_is_a_one_line_error(project, runner):
    folder = project / "tpl"
    folder.mkdir()
    toml = project / "tmkit.toml"
    toml.write_text(toml.read_text().replace('text_width = 0', 'text_width = 0\ntemplates = "tpl"'))
    (folder / "article.html").write_text("<html>\n{% for x in %}\n", encoding="utf-8")
    result = run_cli(runner, project, "build", "--lang", "en", expect=2)
    assert "tpl/article.html:2: template error" in result.output
    (folder / "article.html").write_text("<html>\n\n{{ no_such_value }}\n", encoding="utf-8")
    result = run_cli(runner, project, "build", "--lang", "en", expect=2)
    assert "tpl/article.html:3: template error in article.html: 'no_such_value' is undefined" in result.output


ARTICLES = Path(__file__).resolve().parent / "data" / "articles"


@pytest.mark.parametrize("name", [f"{SLUG}.txt", "spinal-stenosis.md", "sciatica.html"])
def test_identity_round_trip_in_every_format(project, runner, name):
    """msgstr = msgid everywhere: the Spanish export is the English one, byte for byte
    apart from the language, and it holds every unit's text and inline markup."""
    source = project / "source"
    for old in source.iterdir():
        old.unlink()
    shutil.copy(SEED if name == SEED.name else ARTICLES / name, source / name)
    slug = Path(name).stem
    write_po(project, "es", identity)
    run_cli(runner, project, "build", "--lang", "en", "--lang", "es")
    out = project / "exports"
    en_txt, es_txt = (out / "en" / f"{slug}.txt").read_text(), (out / "es" / f"{slug}.txt").read_text()
    assert es_txt == en_txt
    en_xml, es_xml = ((out / lang / f"{slug}.xml").read_bytes() for lang in ("en", "es"))
    assert es_xml.replace(b'xml:lang="es"', b'xml:lang="en"') == en_xml
    en_html, es_html = ((out / lang / f"{slug}.html").read_text() for lang in ("en", "es"))
    page = lhtml.document_fromstring(es_html)
    assert not page.xpath("//span[@class='fallback']")
    def body(doc) -> bytes:
        """The page's main content without the trust line (only translations have one)."""
        main = doc.xpath("//main")[0]
        for trust in main.xpath(".//p[@class='trust']"):
            trust.getparent().remove(trust)
        return etree.tostring(main)
    assert page.xpath("//main//p[@class='trust']")
    assert body(page) == body(lhtml.document_fromstring(en_html))
    article = read_article(source / name, f"source/{name}")
    flat = " ".join(en_txt.split())
    inline_tags = "self::em or self::strong or self::code or self::sup or self::sub or self::a"
    expected = 0
    for unit in article_units(article):
        assert " ".join(plain_text(unit.text).split()) in flat, unit.id
        expected += len(lhtml.fragment_fromstring(f"<div>{unit.text}</div>").xpath(f".//*[{inline_tags}]"))
    shown = page.xpath(f"//body//*[{inline_tags}][not(ancestor::nav[@class='languages'])]"
                       "[not(ancestor::p[@class='trust'])][not(@class='skip')]")
    assert len(shown) == expected and (expected > 0 or name.endswith(".txt"))
