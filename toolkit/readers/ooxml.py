"""Unpacking an Office Open XML package (``.docx``) safely, before python-docx sees it.

A ``.docx`` is a zip of XML parts and media.  python-docx reads every member
of the zip into memory, trusting the sizes the zip declares, so a 3 MB file
whose image inflates to 3 GiB of zeros took 6.3 GB of memory.  tmkit
therefore screens the package itself and hands python-docx a rebuilt one:

* **Media are never unpacked.**  A part that is not XML (by the package's own
  ``[Content_Types].xml``: images, embedded objects, fonts) is replaced by an
  empty part; tmkit reads text only.
* **XML parts are read through a bounded stream**: decompression stops at
  ``[sources] docx_part_mib`` (default 64 MiB, as for XLIFF files) per part
  and ``docx_total_mib`` (256 MiB) for all of them; the declared sizes are
  never trusted.
* **No DTD, no entity, anywhere.**  A part with a ``<!DOCTYPE`` (internal
  entities, "billion laughs") is refused naming the part: an unexpanded
  entity used to vanish silently from the text (``Say &e; now.`` became
  ``Say``).
* **Nesting is bounded** (:data:`MAX_DEPTH`): the reader walks elements
  recursively, and 1,500 nested ``<w:ins>`` in footnotes.xml was a
  ``RecursionError``.

Each refusal is one :class:`~toolkit.errors.SourceError` naming the file, the
part and, where there is one, the line in the part.
"""

from __future__ import annotations

import io
import zipfile
from typing import Optional, Protocol

from lxml import etree

from toolkit.errors import SourceError

MIB = 1 << 20
#: Deepest element nesting read (Word nests tables in tables, never this deep).
MAX_DEPTH = 200
_CHUNK = MIB
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_CONTENT_TYPES = "[Content_Types].xml"


class Limits(Protocol):
    """What :func:`screen_package` needs of the settings (``[sources]`` of tmkit.toml)."""

    docx_part_mib: int
    docx_total_mib: int


class _Defaults:
    docx_part_mib = 64
    docx_total_mib = 256


def shown(name: str) -> str:
    """A part name from the zip as it may be printed: control characters escaped."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in name)[:200]


def _read_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, path: str) -> bytes:
    """A member's bytes, decompressed chunk by chunk, refused past ``limit`` whatever it declares."""
    chunks, size = [], 0
    try:
        with archive.open(info) as stream:
            while True:
                chunk = stream.read(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise SourceError(f"{shown(info.filename)} inflates to more than {limit // MIB} MiB "
                                      "([sources] docx_part_mib in tmkit.toml); refused", path)
                chunks.append(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError,
            RuntimeError) as exc:  # damaged member, bad CRC, encryption, unknown compression
        raise SourceError(f"not a readable Word document (.docx): {shown(info.filename)}: {exc}", path) from None
    return b"".join(chunks)


def _xml_parts(archive: zipfile.ZipFile, limits: Limits, path: str) -> set[str]:
    """Names of the members that are XML, by the package's content types."""
    try:
        info = archive.getinfo(_CONTENT_TYPES)
    except KeyError:
        raise SourceError(f"not a readable Word document (.docx): no {_CONTENT_TYPES}", path) from None
    data = _read_bounded(archive, info, limits.docx_part_mib * MIB, path)
    root = check_part(data, _CONTENT_TYPES, path)
    defaults = {(el.get("Extension") or "").lower(): el.get("ContentType") or ""
                for el in root.iter(_CT_NS + "Default")}
    overrides = {(el.get("PartName") or "").lstrip("/"): el.get("ContentType") or ""
                 for el in root.iter(_CT_NS + "Override")}
    xml = {_CONTENT_TYPES}
    for name in archive.namelist():
        kind = overrides.get(name) or defaults.get(name.rsplit(".", 1)[-1].lower(), "")
        if name.endswith(".rels") or kind.endswith("+xml") or kind.endswith("/xml"):
            xml.add(name)
    return xml


def check_part(data: bytes, name: str, path: str) -> etree._Element:
    """Parse one XML part; refuse a DTD or entity declaration, or nesting past :data:`MAX_DEPTH`."""
    parser = etree.XMLPullParser(events=("start", "end"), resolve_entities=False, no_network=True,
                                 load_dtd=False, huge_tree=True, remove_pis=True)
    depth, root = 0, None
    try:
        for start in range(0, len(data) or 1, _CHUNK):
            parser.feed(data[start:start + _CHUNK])
            for event, element in parser.read_events():
                if root is None:
                    root = element
                    _refuse_dtd(element, name, path)
                if event == "start":
                    depth += 1
                    if depth > MAX_DEPTH:
                        raise SourceError(f"{name}, line {element.sourceline}: elements nested more "
                                          f"than {MAX_DEPTH} deep; refused", path)
                else:
                    depth -= 1
        result = parser.close()
    except etree.XMLSyntaxError as exc:
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise SourceError(f"{name} declares a DTD or entities; refused (they are never read)",
                              path) from None
        raise SourceError(f"not a readable Word document (.docx): {name}, line {exc.lineno}: {exc.msg}",
                          path) from None
    _refuse_dtd(result, name, path)
    return result


def _refuse_dtd(element: etree._Element, name: str, path: str) -> None:
    docinfo = element.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.doctype or docinfo.system_url:
        raise SourceError(f"{name} declares a DTD or entities (<!DOCTYPE>); refused, "
                          "they are never read", path)


def screen_package(data: bytes, path: str, limits: Optional[Limits] = None) -> bytes:
    """``data`` (a .docx) rebuilt with its XML parts checked and its media emptied.

    Raises :class:`SourceError` for a damaged zip, a part too large once
    inflated, a DTD or entity declaration, or nesting too deep.
    """
    limits = limits or _Defaults()
    part_limit, total_limit = limits.docx_part_mib * MIB, limits.docx_total_mib * MIB
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise SourceError(f"not a readable Word document (.docx): {exc}", path) from None
    out = io.BytesIO()
    total = 0
    with archive, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as rebuilt:
        xml = _xml_parts(archive, limits, path)
        seen: set[str] = set()
        for info in archive.infolist():
            if info.is_dir() or info.filename in seen:
                continue
            seen.add(info.filename)
            if info.filename not in xml:
                rebuilt.writestr(info.filename, b"")      # media: never unpacked
                continue
            part = _read_bounded(archive, info, part_limit, path)
            total += len(part)
            if total > total_limit:
                raise SourceError(f"its XML parts inflate to more than {limits.docx_total_mib} MiB "
                                  "([sources] docx_total_mib in tmkit.toml); refused", path)
            check_part(part, shown(info.filename), path)
            rebuilt.writestr(info.filename, part)
    return out.getvalue()
