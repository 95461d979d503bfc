"""tmkit's XLIFF in the agencies' and volunteers' own tools, run for real.

* OmegaT 3.6 (Debian's ``omegat``) in console mode on ``tmkit xliff export
  --for omegat``: every unit shows its English, finished translations come
  in from ``tm/auto``, and OmegaT's target file imports back;
* translate-toolkit's converters: ``xliff2po`` on tmkit's export (finished
  units not fuzzy, ``#.``/``#:`` comments kept) and an agency's ``po2xliff``
  file (XLIFF 1.1, ``en-US``, a PO-header unit) imported;
* region tags (``es-ES``) and refused units (exit code 1, the tags named).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from lxml import etree

from tests.conftest import run_cli
from tests.test_xliff import (MARKED_EN, MARKED_ES, NS, SLUG, _entries, _set_target, _units,  # noqa: F401
                              assert_valid, marked)

OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")
BIN = Path(sys.executable).parent


def _omegat_missing() -> str:
    if not OMEGAT_JAR.is_file() or shutil.which("java") is None:
        return "OmegaT not installed (apt-get install omegat; dev/system-packages.sh installs it)"
    return ""


needs_omegat = pytest.mark.skipif(bool(_omegat_missing()), reason=_omegat_missing() or "omegat")


def omegat(project: Path, home: Path, *args: str) -> str:
    """OmegaT in console mode on ``project`` (headless, its settings in ``home``); its log."""
    home.mkdir(exist_ok=True)
    run = subprocess.run(["java", "-Djava.awt.headless=true", f"-Duser.home={home}", "-jar",
                          str(OMEGAT_JAR), str(project), *args],
                         capture_output=True, text=True, timeout=300,
                         env={**os.environ, "HOME": str(home)})
    log = run.stdout + run.stderr
    assert run.returncode == 0 and "Finished" in log, log[-3000:]
    return log


def omegat_segments(project: Path, home: Path) -> list[str]:
    """The source text of every segment OmegaT shows, from its pseudo-translation TMX."""
    out = project.parent / "segments.tmx"
    omegat(project, home, "--mode=console-createpseudotranslatetmx",
           f"--pseudotranslatetmx={out}", "--pseudotranslatetype=empty")
    tmx = etree.parse(str(out), etree.XMLParser(resolve_entities=False, no_network=True,
                                                 load_dtd=False))
    return ["".join(tu.find("tuv/seg").itertext()) for tu in tmx.iter("tu")]


def _blank(po_path: Path, count: int) -> dict[str, str]:
    """Empty the translations of ``count`` entries (as a translator who has not started)."""
    from toolkit.catalog.pofile import format_po, read_po

    po = read_po(po_path)
    taken = {}
    for entry in po:
        if len(taken) < count and entry.msgstr and not entry.obsolete and len(entry.msgid) > 20:
            taken[entry.msgid] = entry.msgstr
            entry.msgstr = ""
    po_path.write_text(format_po(po), encoding="utf-8")
    return taken


def _tmx(pairs: dict[str, str], lang: str) -> str:
    from xml.sax.saxutils import escape

    units = "".join(f'<tu><tuv xml:lang="en"><seg>{escape(en)}</seg></tuv>'
                    f'<tuv xml:lang="{lang}"><seg>{escape(tr)}</seg></tuv></tu>\n'
                    for en, tr in pairs.items())
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="agency" '
            'creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en" '
            f'datatype="plaintext"/><body>\n{units}</body></tmx>\n')


# -- OmegaT 3.6 --------------------------------------------------------------------

@needs_omegat
def test_omegat_translates_the_export_and_its_target_file_imports(demo, runner, tmp_path):
    """4 untranslated units, their translations in tm/auto: OmegaT fills them, import changes only them."""
    po_path = demo / "po" / "es" / f"{SLUG}.po"
    finished = po_path.read_bytes()
    todo = _blank(po_path, 4)
    assert len(todo) == 4
    result = run_cli(runner, demo, "xliff", "export", "--lang", "es", "--for", "omegat",
                     "-o", str(tmp_path / "agency"))
    project = tmp_path / "agency" / "es"
    assert "OmegaT project:" in result.output and (project / "omegat.project").is_file()
    xlf = project / "source" / f"{SLUG}.xlf"
    assert_valid(xlf)
    po = _entries(po_path)
    units = _units(xlf)
    assert len(units) == len(po) == 32
    for unit in units:                        # OmegaT 3 translates <target>: it holds the English
        assert "".join(unit.find("x:target", NS).itertext()) == "".join(unit.find("x:source", NS).itertext())
    # the translator's own TM holds the 4 missing translations
    (project / "tm" / "auto" / "agency.tmx").write_text(_tmx(todo, "es"), encoding="utf-8")

    home = tmp_path / "omegat-home"
    shown = omegat_segments(project, home)
    assert sorted(shown) == sorted(e.msgid for e in po)            # every unit, by its English
    assert not set(shown) & {e.msgstr for e in po if e.msgstr}     # no translation shown as source

    omegat(project, home, "--mode=console-translate")
    stats = (project / "omegat" / "project_stats.txt").read_text(encoding="utf-8")
    assert any(line.startswith("Total:") and line.split()[1] == "32" for line in stats.splitlines())
    target = project / "target" / f"{SLUG}.xlf"
    out = {u.get("id"): "".join(u.find("x:target", NS).itertext()) for u in _units(target)}
    assert sorted(out.values()) == sorted(e.msgstr or todo[e.msgid] for e in po)

    result = run_cli(runner, demo, "xliff", "import", str(target))
    assert "4 applied, 0 fuzzy, 0 stale, 0 unknown (28 unchanged)" in result.output, result.output
    assert po_path.read_bytes() == finished          # the 4 entries filled, not another byte changed
    again = run_cli(runner, demo, "xliff", "import", str(target))
    assert "0 PO files written" in again.output


@needs_omegat
def test_omegat_keeps_inline_tags_and_untranslated_units_import_as_untranslated(marked, runner, tmp_path):
    """Tags as OmegaT names them (<g0>, <x1/>) in tmkit's TMX; a unit left alone imports as nothing."""
    out = tmp_path / "agency"
    # the Markdown article has a translated unit with every kind of tag, and an untranslated title
    po_path = marked / "po" / "es" / "marked.po"
    from toolkit.catalog.pofile import format_po, read_po

    po = read_po(po_path)
    for entry in po:
        if entry.msgid == MARKED_EN:
            entry.msgstr = MARKED_ES
    po_path.write_text(format_po(po), encoding="utf-8")
    before = po_path.read_bytes()
    run_cli(runner, marked, "xliff", "export", "--lang", "es", "--article", "marked", "--for", "omegat",
            "-o", str(out))
    project = out / "es"
    tmx = (project / "tm" / "auto" / "tmkit-es.tmx").read_text(encoding="utf-8")
    assert ("Take &lt;g0&gt;two&lt;/g0&gt; tablets&lt;x1/&gt;and read &lt;g2&gt;our guide&lt;/g2&gt; "
            "before &lt;g3&gt;any&lt;/g3&gt; surgery.") in tmx
    home = tmp_path / "omegat-home"
    assert "Take <g0>two</g0> tablets<x1/>and read <g2>our guide</g2> before <g3>any</g3> surgery." in \
        omegat_segments(project, home)
    omegat(project, home, "--mode=console-translate")
    target = project / "target" / "marked.xlf"
    unit = next(u for u in _units(target) if "".join(u.find("x:source", NS).itertext()).startswith("Take"))
    assert [(e.tag.split("}")[1], e.get("id")) for e in unit.find("x:target", NS)] == [
        ("g", "1"), ("x", "2"), ("g", "3"), ("g", "4")]
    result = run_cli(runner, marked, "xliff", "import", str(target))
    assert "0 applied" in result.output and "1 unchanged, 1 untranslated" in result.output, result.output
    assert po_path.read_bytes() == before


# -- translate-toolkit's converters --------------------------------------------------

def _tool(name: str) -> str:
    path = BIN / name
    assert path.exists(), f"{name} comes with translate-toolkit in the virtual environment"
    return str(path)


def test_xliff2po_keeps_states_and_comments(demo, runner, tmp_path):
    run_cli(runner, demo, "xliff", "export", "--lang", "de", "-o", str(tmp_path / "agency"))
    xlf = tmp_path / "agency" / "de" / f"{SLUG}.xlf"
    subprocess.run([_tool("xliff2po"), str(xlf), str(tmp_path / "back.po")], check=True,
                   capture_output=True, timeout=120)
    back = {e.msgid: e for e in polib.pofile(str(tmp_path / "back.po")) if e.msgid}
    ours = _entries(demo / "po" / "de" / f"{SLUG}.po")
    assert len(back) == len(ours)
    for entry in ours:
        theirs = back[entry.msgid]
        assert theirs.msgstr == entry.msgstr
        assert theirs.fuzzy == ("fuzzy" in entry.flags)            # finished units are not fuzzy
        assert theirs.occurrences == entry.occurrences             # #: kept
        wanted = [line for line in entry.comment.split("\n") if not line.startswith("id: ")]
        assert theirs.comment.split("\n") == wanted                 # #. kept
        if "failed back syndrome" in entry.msgid.lower():
            assert "glossary: failed back syndrome = " in theirs.tcomment
    assert sum(1 for e in ours if e.msgstr and "fuzzy" not in e.flags) == 18


def test_po2xliff_file_imports(demo, runner, tmp_path):
    """XLIFF 1.1, source-language en-US, a PO-header unit, numeric ids: an agency's po2xliff."""
    po_path = demo / "po" / "es" / f"{SLUG}.po"
    theirs = tmp_path / "agency" / f"{SLUG}.po"          # po2xliff names it in <file original>
    theirs.parent.mkdir()
    text = po_path.read_text(encoding="utf-8")
    old = "Usted está aquí"
    assert old in text
    theirs.write_text(text.replace(old, "Está usted aquí"), encoding="utf-8")
    xlf = tmp_path / "agency.xlf"
    subprocess.run([_tool("po2xliff"), str(theirs), str(xlf)], check=True, capture_output=True,
                   timeout=120)
    root = etree.parse(str(xlf)).getroot()
    assert root.get("version") == "1.1" and b'source-language="en-US"' in xlf.read_bytes()
    assert b"x-gettext-domain-header" in xlf.read_bytes()
    result = run_cli(runner, demo, "xliff", "import", str(xlf))
    assert "1 applied, 0 fuzzy, 0 stale, 0 unknown (31 unchanged)" in result.output, result.output
    assert "source-language 'en-US' read as the project's 'en' (BCP 47 fallback)" in result.output
    assert "removed from the article" not in result.output          # the header unit is ignored
    assert any(e.msgstr == "Está usted aquí" for e in _entries(po_path))


# -- language tags, refused units ----------------------------------------------------

def test_region_tags_fall_back_to_the_configured_language(demo, runner, tmp_path):
    run_cli(runner, demo, "xliff", "export", "--lang", "es", "-o", str(tmp_path / "agency"))
    xlf = tmp_path / "agency" / "es" / f"{SLUG}.xlf"
    tree = etree.parse(str(xlf))
    file_el = tree.find("x:file", NS)
    file_el.set("target-language", "es-ES")
    file_el.set("source-language", "en-GB")
    unit = tree.find(".//x:trans-unit[@id='m.breadcrumb_label.1']", NS)
    unit.find("x:target", NS).text = "Está usted aquí"
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    result = run_cli(runner, demo, "xliff", "import", str(xlf))
    assert "target-language 'es-ES' read as the project's 'es' (BCP 47 fallback)" in result.output
    assert "source-language 'en-GB' read as the project's 'en'" in result.output
    assert "1 applied" in result.output
    file_el.set("target-language", "pt-BR")
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    result = run_cli(runner, demo, "xliff", "import", str(xlf), expect=2)
    assert "file for language 'pt-BR', which tmkit.toml does not list" in result.output


def test_import_exits_1_naming_each_refused_unit_and_its_tags(marked, runner, tmp_path):
    out = tmp_path / "agency"
    run_cli(runner, marked, "xliff", "export", "--lang", "es", "--article", "marked", "-o", str(out))
    path = out / "es" / "marked.xlf"
    before = (marked / "po" / "es" / "marked.po").read_bytes()
    _set_target(path, "b1.s1", 'Tome <g id="1">dos</g> comprimidos y lea <g id="3">nuestra guía</g> '
                'antes de <g id="4">cualquier</g> <x id="9"/>cirugía.')
    result = run_cli(runner, marked, "xliff", "import", str(path), expect=1)
    assert "unit 'b1.s1' (segment b1.s1)" in result.output
    assert '(missing <x id="2"/>; extra <x id="9"/>)' in result.output, result.output
    assert "1 unit refused" in result.output
    assert (marked / "po" / "es" / "marked.po").read_bytes() == before


def test_signed_off_segments_export_as_signed_off(demo, runner, tmp_path):
    """state="signed-off" exactly where `tmkit review approve` covers the segment as it is now."""
    run_cli(runner, demo, "review", "approve", "--lang", "es", "--article", SLUG, "--by", "Dr. Ana Ruiz")
    run_cli(runner, demo, "xliff", "export", "--lang", "es", "-o", str(tmp_path / "a"))
    units = _units(tmp_path / "a" / "es" / f"{SLUG}.xlf")
    assert {(u.get("approved"), u.find("x:target", NS).get("state")) for u in units} == {("yes", "signed-off")}
    po_path = demo / "po" / "es" / f"{SLUG}.po"
    po_path.write_text(po_path.read_text(encoding="utf-8").replace(
        'msgstr "Usted está aquí"', 'msgstr "Está usted aquí"'), encoding="utf-8")
    run_cli(runner, demo, "xliff", "export", "--lang", "es", "-o", str(tmp_path / "b"))
    units = _units(tmp_path / "b" / "es" / f"{SLUG}.xlf")
    states = {u.get("id"): u.find("x:target", NS).get("state") for u in units}
    assert states.pop("m.breadcrumb_label.1") == "translated"          # edited since the sign-off
    assert set(states.values()) == {"signed-off"} and len(states) == 31
