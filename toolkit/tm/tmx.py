"""TMX 1.4b import and export, safe against hostile files.

Import streams the file with lxml's ``iterparse`` (entities not resolved, no
network, no DTD loading) and refuses any document whose DTD declares entities
(external entities, "billion laughs") before reading a single unit: the error
names the file and the line of the declaration.  Every ``<tuv>`` other than
the source language's becomes one unit; a unit whose source or target holds
a control character no page may carry (:func:`toolkit.text.xmlchars.publishable`)
is skipped with a warning naming the file and line.  tmkit's inline markup (``<em>``,
``<a href>``, line breaks) travels as ``<bpt>``/``<ept>``/``<ph>`` holding the
tag as native code, and comes back as the same markup
(:mod:`toolkit.text.inline_codes`); other tools' native codes are kept as text.

Export writes one ``<tu>`` per unit with TMX attributes for dates, translator
(``creationid``) and use count (``usagecount``), and tmkit's origin and status
as ``<prop type="x-tmkit-...">``, so a round trip through TMX loses nothing.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Optional

from lxml import etree

from toolkit import __version__
from toolkit.errors import TMError, TmkitError
from toolkit.project.fsutil import atomic_write_bytes, open_regular
from toolkit.text.inline_codes import Codes, read_tmx as read_seg, write_tmx as write_seg
from toolkit.tm.normalize import lang_tag
from toolkit.tm.store import AddResult, TMUnit
from toolkit.text.xmlchars import bad_control, xml_safe

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
BATCH = 20_000


@dataclass
class TMXResult:
    """What an import or export did."""

    units: int = 0       # units read or written
    added: int = 0
    counted: int = 0
    skipped: int = 0     # <tu> without a source/target or with a control character, or (export) text XML cannot carry
    warnings: list[str] = field(default_factory=list)   # "<file>:<line>: ..." for each unit skipped with a reason


def _tmx_date(stamp: str) -> Optional[str]:
    """ISO ``2026-11-25T12:00:00Z`` -> TMX ``20261125T120000Z``."""
    if not stamp:
        return None
    return stamp.replace("-", "").replace(":", "").replace("+0000", "Z")


def _iso_date(stamp: Optional[str]) -> str:
    if not stamp:
        return ""
    try:
        parsed = datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    except ValueError:
        return ""
    return parsed.isoformat().replace("+00:00", "Z")


# -- import ----------------------------------------------------------------------
def _refuse_entities(path: Path, root: etree._Element, fd: int) -> None:
    dtd = root.getroottree().docinfo.internalDTD
    declared = list(dtd.iterentities()) if dtd is not None else []
    head = os.pread(fd, 1 << 20, 0)      # the parser's position in the file is left alone
    position = head.find(b"<!ENTITY")
    if declared or position >= 0:
        line = head.count(b"\n", 0, position) + 1 if position >= 0 else root.sourceline
        name = declared[0].name if declared else "?"
        raise TMError(f"TMX declares entities (first: '{name}'); refused, entities are "
                      "never expanded", path, line)


def _seg_text(tuv: etree._Element) -> Optional[str]:
    seg = tuv.find("seg")
    return None if seg is None else read_seg(seg)


def _unit_props(tu: etree._Element) -> dict[str, str]:
    return {p.get("type", ""): (p.text or "") for p in tu.findall("prop")}


def read_tmx(path: Path, source_lang: Optional[str] = None,
             warn: Optional[Callable[[str], None]] = None) -> Iterable[TMUnit]:
    """Yield the units of a TMX file (one per target ``<tuv>``); raises :class:`TMError`.

    ``warn`` is told of each unit skipped for a control character.
    """
    path = Path(path)
    try:
        handle = open_regular(path)           # a FIFO is refused, never waited on
    except TmkitError as exc:
        raise TMError(exc.message, path) from None
    with handle:
        if os.fstat(handle.fileno()).st_size == 0:
            raise TMError("empty file, not a TMX document", path, 1)
        yield from _read_units(path, handle, source_lang, warn)


def _read_units(path: Path, handle, source_lang: Optional[str],
                warn: Optional[Callable[[str], None]]) -> Iterable[TMUnit]:
    try:
        context = etree.iterparse(handle, events=("start", "end"), resolve_entities=False,
                                  no_network=True, load_dtd=False, huge_tree=False,
                                  remove_comments=True, remove_pis=True)
        checked = False
        header_lang = source_lang
        for event, element in context:
            if not checked:
                _refuse_entities(path, element, handle.fileno())
                if element.tag != "tmx":
                    raise TMError(f"not a TMX file (root element <{element.tag}>)", path,
                                  element.sourceline)
                if not (element.get("version") or "").startswith("1."):
                    raise TMError(f"unsupported TMX version {element.get('version')!r} "
                                  "(tmkit reads TMX 1.x)", path, element.sourceline)
                checked = True
            if event == "end" and element.tag == "header" and not source_lang:
                header_lang = element.get("srclang")
            if event != "end" or element.tag != "tu":
                continue
            yield from _tu_units(path, element, header_lang, warn)
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
    except etree.XMLSyntaxError as exc:   # a wrong encoding too: lxml names its line
        raise TMError(f"not well-formed XML: {exc.msg}", path, max(exc.lineno or 1, 1)) from None
    except OSError as exc:
        raise TMError(f"cannot read: {exc.strerror or exc}", path) from None


def _tu_units(path: Path, tu: etree._Element, header_lang: Optional[str],
              warn: Optional[Callable[[str], None]] = None) -> Iterable[TMUnit]:
    source_lang = tu.get("srclang") or header_lang
    if not source_lang or source_lang == "*all*":
        raise TMError("no source language (srclang); give one with --source-lang", path,
                      tu.sourceline)
    wanted = lang_tag(source_lang)
    tuvs = [(lang_tag(t.get(XML_LANG) or t.get("lang") or ""), t) for t in tu.findall("tuv")]
    sources = [t for lang, t in tuvs if lang == wanted]
    source = _seg_text(sources[0]) if sources else None
    props = _unit_props(tu)
    origin = props.get("x-tmkit-origin", "")
    article, _, segment = origin.partition("#")
    if "/" in article:
        article = article.split("/", 1)[1]
    status = props.get("x-tmkit-status", "translated")
    current = props.get("x-tmkit-state", "current") != "history"
    for lang, tuv in tuvs:
        if lang == wanted:
            continue
        target = _seg_text(tuv)
        if not source or not target:
            yield TMUnit("", "", wanted, lang)   # counted as skipped by the caller
            continue
        control = bad_control(source + target)
        if control is not None:
            if warn is not None:
                warn(f"{path}:{tuv.sourceline}: {lang} unit holds the control character "
                     f"{control}, which no page may carry; skipped")
            yield TMUnit("", "", wanted, lang)
            continue
        created = _iso_date(tuv.get("creationdate") or tu.get("creationdate"))
        yield TMUnit(source, target, wanted, lang, article or path.name, segment,
                     tuv.get("creationid") or tu.get("creationid") or "",
                     status if status in ("translated", "reviewed") else "translated",
                     created, _iso_date(tuv.get("changedate") or tu.get("changedate")) or created,
                     current=current)


def import_tmx(tm, path: Path, source_lang: Optional[str] = None,
               target_langs: Optional[Iterable[str]] = None) -> TMXResult:
    """Add a TMX file's units to ``tm`` (in batches, so a huge file stays small in memory).

    The file is read through once before anything is stored: an error at its
    last unit (bad XML, a unit without a source language) imports nothing,
    instead of leaving the batches before it in the TM.  The batches go into
    one transaction, so an interrupted import leaves the TM as it was.
    """
    result = TMXResult()
    for _ in read_tmx(path, source_lang, result.warnings.append):
        pass
    wanted = {lang_tag(t) for t in target_langs} if target_langs else None
    batch: list[TMUnit] = []

    def flush() -> None:
        added: AddResult = tm.add(batch)
        result.added += added.added
        result.counted += added.counted
        batch.clear()

    with tm.store.transaction():
        for unit in read_tmx(path, source_lang):
            if not unit.source:
                result.skipped += 1
                continue
            if wanted is not None and unit.target_lang not in wanted:
                continue
            result.units += 1
            batch.append(unit)
            if len(batch) >= BATCH:
                flush()
        flush()
    return result


# -- export ----------------------------------------------------------------------
def write_tmx(units: Iterable[TMUnit], source_lang: str) -> tuple[bytes, TMXResult]:
    """Serialise units as TMX 1.4b (UTF-8); units XML cannot carry are skipped and counted."""
    result = TMXResult()
    buffer = io.BytesIO()
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    with etree.xmlfile(buffer, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element("tmx", version="1.4"):
            xf.write("\n")
            xf.write(etree.Element("header", creationtool="tmkit", creationtoolversion=__version__,
                                   segtype="sentence", adminlang="en", srclang=source_lang,
                                   datatype="plaintext", creationdate=stamp,
                                   **{"o-tmf": "tmkit-sqlite"}))
            xf.write("\n")
            with xf.element("body"):
                xf.write("\n")
                for unit in units:
                    if not xml_safe(unit.source + unit.target + unit.translator + unit.origin):
                        result.skipped += 1
                        continue
                    xf.write(_tu(unit))
                    xf.write("\n")
                    result.units += 1
    return buffer.getvalue() + b"\n", result


def _tu(unit: TMUnit) -> etree._Element:
    attrs = {"tuid": str(unit.id), "usagecount": str(unit.count)}
    for name, value in (("creationdate", _tmx_date(unit.created)),
                        ("changedate", _tmx_date(unit.changed)),
                        ("creationid", unit.translator)):
        if value:
            attrs[name] = value
    tu = etree.Element("tu", attrs)
    props = [("x-tmkit-origin", unit.origin), ("x-tmkit-status", unit.status)]
    if not unit.current:
        props.append(("x-tmkit-state", "history"))
    for kind, value in props:
        prop = etree.SubElement(tu, "prop", type=kind)
        prop.text = value
    codes = Codes.of(unit.source)
    for lang, text in ((unit.source_lang, unit.source), (unit.target_lang, unit.target)):
        tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
        write_seg(etree.SubElement(tuv, "seg"), text, codes)
    return tu


def export_tmx(tm, path: Path, source_lang: str, target_lang: Optional[str] = None,
               history: bool = False) -> TMXResult:
    """Write the units of ``source_lang`` (to ``target_lang``, or all) to ``path`` atomically.

    Only current translations, unless ``history``: then the ones no place holds
    any more too, marked ``<prop type="x-tmkit-state">history</prop>`` so that
    importing the file keeps them as history.
    """
    data, result = write_tmx(tm.units(source_lang, target_lang, history), source_lang)
    atomic_write_bytes(path, data)
    return result
