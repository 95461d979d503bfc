"""Hostile translations end to end: every page escapes them, carries a CSP
forbidding scripts (an article's JSON-LD is a data block, not a script), and keeps
links only with http, https or mailto."""

from __future__ import annotations

from lxml import html as lhtml

from tests.hardening.helpers import SLUG, make_project, tmkit
from toolkit.catalog.pofile import read_po, write_po
from toolkit.publish.writers.xml import validate

EVIL = ('<script>alert(1)</script> <a href="javascript:alert(2)">x</a> <a href=" JaVa\tscript:alert(3)">y</a> '
        '<a href="data:text/html,z">z</a> <a href="https://ok.example/">ok</a> ]]> &amp; '
        '"><img src=x onerror=alert(4)> {{ 7*7 }} \u202e')


def test_hostile_translations_are_escaped_everywhere(tmp_path):
    root = make_project(tmp_path / "proj")
    po_path = root / "po" / "es" / f"{SLUG}.po"
    po = read_po(po_path)
    for entry in po:
        entry.msgstr = EVIL
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    write_po(po_path, po)
    for cmd in (("build", "--lang", "en", "--lang", "es", "--force"), ("status", "--format", "html")):
        run = tmkit(root, *cmd)
        assert run.code in (0, 1) and "Traceback" not in run.err, (cmd, run.err)
    out = root / "exports"
    pages = [out / "es" / f"{SLUG}.html", out / "index.html", out / "status.html"]
    for page in pages:
        doc = lhtml.document_fromstring(page.read_bytes())
        csp = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
        assert csp and "default-src 'none'" in csp[0] and "script-src" not in csp[0], page
        # no executable script: the one <script> allowed is the JSON-LD data block, whose
        # values cannot close it (toolkit.publish.trust.json_ld)
        assert not doc.xpath("//script[not(@type='application/ld+json')] | //img | //*[@onerror]"), page
        for data in doc.xpath("//script[@type='application/ld+json']"):
            assert "<" not in data.text and ">" not in data.text, page
        for href in doc.xpath("//a/@href"):
            assert href.split(":")[0].lower() in ("http", "https", "mailto") or ":" not in href, (page, href)
    assert validate((out / "es" / f"{SLUG}.xml").read_bytes()) == []
