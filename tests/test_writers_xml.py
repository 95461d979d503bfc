"""XML writer: the shipped schema validates every document; text stays text."""

from __future__ import annotations

from lxml import etree

from tests.conftest import SEED
from tests.export_helpers import make_po, prefixed
from tests.test_merge import _markup_article
from tests.test_writers_html import PAYLOADS, _page
from toolkit.project.config import load_config
from toolkit.publish.merge import merge, source_article
from toolkit.readers import read_article
from toolkit.publish.writers.xml import SCHEMA_PATH, XML_LANG, render, schema, validate

PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def _doc(data: bytes) -> etree._Element:
    return etree.fromstring(data, PARSER)


def _seed_xml(project, lang, translate, fuzzy=lambda s: False) -> bytes:
    config = load_config(project)
    article = read_article(project / "source" / SEED.name, "source/" + SEED.name)
    merged = merge(article, make_po(article, config, translate, lang, fuzzy), lang, config)
    return render(merged, _page(lang))


def test_schema_is_shipped_as_package_data():
    assert SCHEMA_PATH.is_file() and SCHEMA_PATH.parent.name == "schema"
    assert schema() is not None


def test_documents_validate_and_keep_statuses(project):
    data = _seed_xml(project, "de", prefixed("DE"), fuzzy=lambda s: s.id.startswith("b2"))
    assert validate(data) == []
    root = _doc(data)
    assert root.get(XML_LANG) == "de" and root.get("source-lang") == "en"
    fuzzy = root.xpath("//seg[@status='fuzzy']")
    assert fuzzy and all(s.get(XML_LANG) == "en" for s in fuzzy)
    assert all(s.get(XML_LANG) is None for s in root.xpath("//seg[@status='translated']"))
    assert root.xpath("//section[@role='footer']/heading/seg/text()") == ["DE Educational Partners"]
    assert root.xpath("string(//meta[@key='author'])") == "ISA Content Team"
    ids = root.xpath("//seg/@id")
    assert len(ids) == len(set(ids)) and "b1.s1" in ids and "title" in ids


def test_payloads_are_text_in_xml(project):
    data = _seed_xml(project, "es", lambda s: f"{PAYLOADS[s.line % 2]} {s.text}")
    assert validate(data) == []
    root = _doc(data)
    assert not root.xpath("//script | //img | //@onerror")
    texts = "".join(root.itertext())
    assert PAYLOADS[0] in texts or PAYLOADS[1] in texts


def test_inline_markup_becomes_elements(project):
    config = load_config(project)
    article = _markup_article()
    merged = merge(article, make_po(article, config, prefixed("ES"), "es"), "es", config)
    data = render(merged, _page("es"))
    assert validate(data) == []
    root = _doc(data)
    assert root.xpath("//title/seg/em/text()") == ["pain"]
    assert root.xpath("//a/@href") == ["https://spine.org/"]
    assert root.xpath("//section/list/item/@id") == ["b3.i1", "b3.i2"]


def test_source_export_validates_and_invalid_documents_fail(project):
    config = load_config(project)
    article = read_article(project / "source" / SEED.name, "source/" + SEED.name)
    data = render(source_article(article, config), _page("en"))
    assert validate(data) == []
    broken = data.replace(b'status="translated"', b'status="maybe"', 1)
    assert validate(broken)
