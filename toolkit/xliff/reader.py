"""Reading XLIFF 1.2 files that come back from an agency: untrusted input.

The file is parsed with entities, DTDs and network off; a document with a
DOCTYPE, of another XLIFF version than 1.2 or 1.1, without languages, with a unit lacking
``<source>``, larger than :data:`MAX_BYTES`, not UTF-8 as it says, or that
is not a regular file (a FIFO would make reading wait forever) is refused
with :class:`~toolkit.errors.XliffError` naming the file and line, before
any PO file is touched.  Units keep their ``<source>``/``<target>`` elements:
turning them into tmkit markup needs the current entry's tags
(:func:`toolkit.text.inline_codes.read_xliff`).  The PO-header unit that
``po2xliff`` writes (``restype="x-gettext-domain-header"``) is left out
quietly: a PO header is never imported.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from lxml import etree

from toolkit.errors import TmkitError, XliffError
from toolkit.project.fsutil import open_regular
from toolkit.xliff import XLIFF_READ, XLIFF_VERSION

#: Largest file read (bytes); an export of one article is a few hundred kilobytes.
MAX_BYTES = 64 * 1024 * 1024


@dataclass
class XliffUnit:
    """One ``<trans-unit>`` as read."""

    id: str
    line: int
    source: etree._Element
    target: Optional[etree._Element] = None
    state: Optional[str] = None
    approved: Optional[bool] = None    # approved="yes" / "no" / absent
    resname: str = ""
    msgctxt: Optional[str] = None


@dataclass
class XliffFile:
    """One ``<file>`` of a document: an article in one language."""

    path: Path
    line: int
    original: str
    source_lang: str
    target_lang: str
    ns: Optional[str] = None       # the XLIFF namespace, or None for a file written without it
    units: list[XliffUnit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # how it was read (a language tag fallen back)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


def _refuse_doctype(data: bytes, shown: str) -> None:
    """Refuse a DOCTYPE before the XML parser sees it (entities, "billion laughs", DTDs)."""
    position = data.find(b"<!DOCTYPE", 0, 1 << 20)
    if position >= 0:
        raise XliffError("XLIFF with a DOCTYPE; refused (entities and DTDs are never read)",
                         shown, data.count(b"\n", 0, position) + 1)


def _read(path: Path, shown: str) -> bytes:
    """The file's bytes: a regular file of at most :data:`MAX_BYTES`."""
    try:
        with open_regular(path, shown) as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_BYTES:
                raise XliffError(f"file is {size:,} bytes, more than the {MAX_BYTES:,} tmkit reads "
                                 "(export fewer articles per file)", shown, 1)
            return handle.read(MAX_BYTES + 1)
    except XliffError:
        raise
    except TmkitError as exc:
        raise XliffError(exc.message, shown) from None
    except OSError as exc:
        raise XliffError(f"cannot read: {exc.strerror or exc}", shown) from None


def read_document(path: os.PathLike | str, shown: Optional[str] = None) -> list[XliffFile]:
    """The ``<file>`` elements of an XLIFF 1.2 document; raises :class:`XliffError`."""
    path = Path(path)
    shown = shown or str(path)
    data = _read(path, shown)
    if not data.strip():
        raise XliffError("empty file, not an XLIFF document", shown, 1)
    _refuse_doctype(data, shown)
    try:
        tree = etree.fromstring(data, _parser()).getroottree()
    except etree.XMLSyntaxError as exc:   # a wrong encoding too: lxml names its line
        raise XliffError(f"not well-formed XML: {exc.msg}", shown, max(exc.lineno or 1, 1)) from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:   # past the first MiB
        raise XliffError("XLIFF with a DOCTYPE; refused (entities and DTDs are never read)",
                         shown, 1)
    root = tree.getroot()
    name = etree.QName(root)
    if name.localname != "xliff":
        raise XliffError(f"not an XLIFF file (root element <{name.localname}>)", shown,
                         root.sourceline)
    version = root.get("version")
    if version not in XLIFF_READ or name.namespace not in (XLIFF_READ[version], None):
        raise XliffError(f"unsupported XLIFF version {version!r} "
                         f"(tmkit reads XLIFF {XLIFF_VERSION}, and 1.1)", shown, root.sourceline)
    ns = name.namespace
    files = [_file(path, shown, element, ns) for element in root.iterchildren(_q(ns, "file"))]
    if not files:
        raise XliffError("XLIFF file without a <file> element", shown, root.sourceline)
    return files


def _q(ns: Optional[str], tag: str) -> str:
    return f"{{{ns}}}{tag}" if ns else tag


def _file(path: Path, shown: str, element: etree._Element, ns: Optional[str]) -> XliffFile:
    source_lang = element.get("source-language") or ""
    target_lang = element.get("target-language") or ""
    if not source_lang or not target_lang:
        raise XliffError("<file> without source-language and target-language", shown,
                         element.sourceline)
    result = XliffFile(path, element.sourceline, element.get("original") or "", source_lang,
                       target_lang, ns)
    for unit in element.iter(_q(ns, "trans-unit")):
        unit_id = unit.get("id")
        if not unit_id:
            raise XliffError("<trans-unit> without an id", shown, unit.sourceline)
        if "gettext-domain-header" in (unit.get("restype") or ""):
            continue                                  # po2xliff's PO header: never imported
        source = unit.find(_q(ns, "source"))
        if source is None:
            raise XliffError(f"unit {unit_id!r} has no <source>", shown, unit.sourceline)
        target = unit.find(_q(ns, "target"))
        msgctxt = None
        for context in unit.iterfind(f"{_q(ns, 'context-group')}/{_q(ns, 'context')}"):
            if context.get("context-type") == "x-po-msgctxt":
                msgctxt = context.text or ""
        result.units.append(XliffUnit(
            unit_id, unit.sourceline, source, target,
            target.get("state") if target is not None else None,
            {"yes": True, "no": False}.get(unit.get("approved") or ""), unit.get("resname") or "",
            msgctxt))
    return result
