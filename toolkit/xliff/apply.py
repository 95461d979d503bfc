"""An agency's translations back into a PO catalog, by ``tmkit update``'s rules.

For each ``<trans-unit>`` of a file:

* the entry is found by segment id (the unit's ``id``, then the ids in
  ``resname``), or, for a sentence that moved, by the same English;
* if the unit's ``<source>`` is still the entry's English (same text, same
  tags, same msgctxt), its ``<target>`` is applied: as translated when the
  agency's ``state`` says so (``translated``, ``final``, ``signed-off``, none,
  or ``approved="yes"``), else as fuzzy: a ``state`` asking for work
  (``new``, ``needs-...``) or ``approved="no"`` (translate-toolkit's
  ``po2xliff`` for a fuzzy entry) wins over the rest;
* if the English changed since the export (``stale``), the old translation is
  never applied as translated: it becomes a fuzzy translation with the English
  it was made for as ``#| msgid`` (as ``update`` does with changed English),
  unless the entry already has a finished translation or the caller asked to
  hold stale units back;
* a unit whose segment no longer exists is ``unknown``; a translation whose
  tags do not pair up or differ from the source's, or that holds a control
  character no page may carry, is ``refused`` (the build's rules:
  :func:`toolkit.text.inline.markup_matches`,
  :func:`toolkit.text.xmlchars.publishable`), its message naming the tags
  missing and extra (:func:`tag_difference`);
* a ``<target>`` that is only the ``<source>`` copied (OmegaT 3 leaves the
  English in units nobody translated) is untranslated (:func:`_copy_of_source`);
* the same segment given a translation by units of two ``<file>`` elements
  (of one document or of two given together) is an error naming both: which
  one should win is not tmkit's guess.

Only the entries that change are rewritten, in place, in gettext's layout;
every other byte of the PO file stays as it was (no re-wrapping, no header
date; a byte-order mark and CRLF line endings are kept), so a second import
of the same file changes nothing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Optional

import polib
from lxml import etree

from toolkit.text import inline
from toolkit.catalog.pofile import fit_line_ends, format_entry, format_po
from toolkit.catalog.poread import parse_entries
from toolkit.catalog.template import segment_ids
from toolkit.errors import XliffError
from toolkit.text.inline import markup_matches
from toolkit.text.inline_codes import Codes, CodeError, read_xliff
from toolkit.text.xmlchars import bad_control
from toolkit.xliff.reader import XliffFile, XliffUnit

#: Agency states that mean "finished": applied as translated.
FINAL_STATES = frozenset({"translated", "final", "signed-off"})
STALE_POLICIES = ("fuzzy", "hold")


@dataclass
class ImportCounts:
    """What importing one ``<file>`` did to its PO catalog."""

    applied: int = 0     # written as translated
    fuzzy: int = 0       # written as fuzzy (the agency's state asks for review)
    stale: int = 0       # English changed since export: applied as fuzzy or held back
    unknown: int = 0     # no such segment (any more)
    refused: int = 0     # tags that do not pair up or differ from the source's, control characters
    unchanged: int = 0   # the PO already says exactly this
    empty: int = 0       # no translation in the unit

    def summary(self) -> str:
        text = (f"{self.applied} applied, {self.fuzzy} fuzzy, {self.stale} stale, "
                f"{self.unknown} unknown")
        extra = [f"{value} {name}" for name, value in (("refused", self.refused),
                 ("unchanged", self.unchanged), ("untranslated", self.empty)) if value]
        return text + (f" ({', '.join(extra)})" if extra else "")


@dataclass
class CatalogImport:
    """A PO catalog being updated from one or more XLIFF ``<file>`` elements."""

    shown: str
    text: str            # as read (decoded): its byte-order mark and line endings kept
    po: polib.POFile
    changed: dict[int, polib.POEntry] = field(default_factory=dict)   # id(entry) -> entry
    #: id(entry) -> (XLIFF file, line, unit id, ``<file>`` line) of the unit that gave it a translation
    given: dict[int, tuple[str, int, str, int]] = field(default_factory=dict)

    def render(self) -> str:
        """The new PO text: changed entries spliced into the original text."""
        if not self.changed:
            return self.text
        spliced = splice(self.text, list(self.changed.values()))
        if spliced is not None:
            return spliced
        return written_like(self.text, format_po(self.po))


def _flat(text: str) -> str:
    return "".join(text.split())


def _source_plain(unit: XliffUnit) -> str:
    return _flat("".join(unit.source.itertext()))


def _final(unit: XliffUnit) -> bool:
    if unit.approved is False or (unit.state or "").startswith("needs-") or unit.state == "new":
        return False
    return bool(unit.approved) or unit.state is None or unit.state in FINAL_STATES


def _reads_as(element: etree._Element, entry: polib.POEntry, ns: Optional[str]) -> Optional[str]:
    try:
        return read_xliff(element, Codes.of(entry.msgid), ns)
    except CodeError:
        return None


def apply_file(xfile: XliffFile, catalog: CatalogImport, shown: str, stale: str = "fuzzy"
               ) -> tuple[ImportCounts, list[str]]:
    """Apply the units of ``xfile`` to ``catalog``; returns counts and messages.

    Messages read ``<file>:<line>: unit '<id>' (segment <ids>): <what>``.
    """
    counts = ImportCounts()
    messages: list[str] = []
    entries = [e for e in catalog.po if not e.obsolete and e.msgid and not e.msgid_plural]
    by_segment = {sid: e for e in entries for sid in segment_ids(e)}
    by_text: dict[tuple, list[polib.POEntry]] = defaultdict(list)
    for entry in entries:
        by_text[(entry.msgctxt, _flat(inline.plain_text(entry.msgid)))].append(entry)
    for unit in xfile.units:
        entry, current = _locate(unit, by_segment, by_text, xfile.ns)
        first = catalog.given.get(id(entry)) if entry is not None and _has_target(unit) else None
        if entry is None:
            outcome = Outcome("unknown", f"no such segment in {catalog.shown} (removed from the "
                                         "article?); not applied")
        elif first is not None and (first[0], first[3]) != (shown, xfile.line):
            raise XliffError(f"unit {unit.id!r} (segment {' '.join(segment_ids(entry))}) is also "
                             f"translated by unit {first[2]!r} at {first[0]}:{first[1]}, in another "
                             "<file>; keep one of them", shown, unit.line)
        elif first is not None:
            outcome = Outcome("refused", f"segment already given by unit {first[2]!r} "
                                         "of this file; not applied")
        else:
            outcome = _apply_unit(unit, entry, current, xfile.ns, stale)
        if entry is not None and first is None and _has_target(unit):
            catalog.given[id(entry)] = (shown, unit.line, unit.id, xfile.line)
        if outcome.changed:
            catalog.changed[id(entry)] = entry
        setattr(counts, outcome.counter, getattr(counts, outcome.counter) + 1)
        if outcome.message:
            ids = " ".join(segment_ids(entry)) if entry is not None else unit.id
            messages.append(f"{shown}:{unit.line}: unit {unit.id!r} (segment {ids}): "
                            f"{outcome.message}")
    return counts, messages


@dataclass
class Outcome:
    """What became of one unit: the counter it adds to, a message, whether the entry changed."""

    counter: str
    message: str = ""
    changed: bool = False


def _has_target(unit: XliffUnit) -> bool:
    return unit.target is not None and bool("".join(unit.target.itertext()).strip())


def _apply_unit(unit: XliffUnit, entry: polib.POEntry, current: bool, ns: Optional[str],
                stale: str) -> Outcome:
    """The rules of the module docstring for one unit whose entry was found."""
    if not _has_target(unit):
        return Outcome("empty")
    if _copy_of_source(unit):
        return Outcome("empty")
    try:
        target = read_xliff(unit.target, Codes.of(entry.msgid), ns)
    except CodeError as exc:
        return Outcome("refused", f"{exc}{tag_difference(unit.target, entry.msgid)}; not applied")
    target = fit_line_ends(entry.msgid, target)      # else msgfmt --check refuses the catalog
    control = bad_control(target)
    if control is not None:
        return Outcome("refused", f"the translation holds the control character {control}, "
                                  "which no page may carry; not applied")
    if not markup_matches(entry.msgid, target):
        return Outcome("refused", "the translation's tags do not pair up or differ from the "
                                  "source's (as 'tmkit build' requires)"
                                  f"{tag_difference(unit.target, entry.msgid)}; not applied")
    if current:
        fuzzy = not _final(unit)
        previous = ((entry.previous_msgctxt, entry.previous_msgid) if "fuzzy" in entry.flags
                    else (None, None))
        if not _set(entry, target, fuzzy, previous):
            return Outcome("unchanged")
        return Outcome("fuzzy" if fuzzy else "applied", changed=True)
    changed_english = "the English changed since the export; "
    if entry.msgstr and "fuzzy" not in entry.flags:          # finished work is never undone
        return Outcome("stale", changed_english + (
            "held back (the entry has a finished translation)" if entry.msgstr != target
            else "the PO already has this translation, finished"))
    if stale == "hold":
        return Outcome("stale", changed_english + "held back (--stale hold)")
    changed = _set(entry, target, True, (unit.msgctxt, _old_english(unit, entry, ns)))
    return Outcome("stale", changed_english + ("applied as fuzzy (review it)" if changed
                                               else "already in the PO as fuzzy"), changed)


#: States that say a ``<target>`` holds no translation yet (XLIFF 1.2).
UNTRANSLATED_STATES = frozenset({"new", "needs-translation"})


def _copy_of_source(unit: XliffUnit) -> bool:
    """A ``<target>`` that is the ``<source>`` copied, with no state saying it was translated.

    Tools of the "source = target" kind (OmegaT 3's XLIFF filter, which
    translates the target; ``tmkit xliff export --for omegat``; a CAT tool's
    "copy source to target") leave the English in units nobody translated.
    That is not a translation: the unit counts as untranslated.  A target
    equal to its source is still applied when the tool says it is done
    (``approved="yes"``, ``state="translated"``...): "FBS" is "FBS".
    """
    if unit.approved or (unit.state is not None and unit.state not in UNTRANSLATED_STATES):
        return False
    return _same_content(unit.source, unit.target)


def _same_content(a: etree._Element, b: etree._Element) -> bool:
    """Same text and inline elements (name, attributes, content), whatever the namespace prefix."""
    if (a.text or "") != (b.text or "") or len(a) != len(b):
        return False
    return all(isinstance(x.tag, str) and isinstance(y.tag, str)
               and etree.QName(x).localname == etree.QName(y).localname
               and dict(x.attrib) == dict(y.attrib) and (x.tail or "") == (y.tail or "")
               and _same_content(x, y) for x, y in zip(a, b))


def tag_difference(target: etree._Element, english: str) -> str:
    """`` (missing <g id="2">; extra <x id="5"/>)``: a translation's tags against the English's.

    Empty when the same tags are there (then they nest or pair differently).
    """
    wanted = Counter(_tag_name("x" if key[0] in inline.VOID else "g", code_id)
                     for code_id, key in Codes.of(english).by_id.items())
    found = Counter(_tag_name(etree.QName(child).localname, child.get("id") or "")
                    for child in target.iterdescendants()
                    if isinstance(child.tag, str) and etree.QName(child).localname in ("g", "x"))
    parts = [f"{what} {' '.join(sorted(tags.elements()))}"
             for what, tags in (("missing", wanted - found), ("extra", found - wanted)) if tags]
    return f" ({'; '.join(parts)})" if parts else " (same tags, nested or ordered differently)"


def _tag_name(name: str, code_id: str) -> str:
    return f'<x id="{code_id}"/>' if name == "x" else f'<g id="{code_id}">'


def _locate(unit: XliffUnit, by_segment: dict, by_text: dict, ns: Optional[str]
            ) -> tuple[Optional[polib.POEntry], bool]:
    """The entry a unit is for, and whether its English is still the unit's source."""
    by_id = None
    for sid in [unit.id, *unit.resname.split()]:
        by_id = by_segment.get(sid)
        if by_id is not None:
            break
    if by_id is not None and _matches(unit, by_id, ns):
        return by_id, True
    for candidate in by_text.get((unit.msgctxt, _source_plain(unit)), []):   # a moved sentence
        if _matches(unit, candidate, ns):
            return candidate, True
    return by_id, False


def _matches(unit: XliffUnit, entry: polib.POEntry, ns: Optional[str]) -> bool:
    return unit.msgctxt == entry.msgctxt and _reads_as(unit.source, entry, ns) == entry.msgid


def _old_english(unit: XliffUnit, entry: polib.POEntry, ns: Optional[str]) -> str:
    """The English the agency translated, as markup where its tags still exist, else text."""
    markup = _reads_as(unit.source, entry, ns)
    return markup if markup is not None else inline.escape("".join(unit.source.itertext()))


def _set(entry: polib.POEntry, target: str, fuzzy: bool,
         previous: tuple[Optional[str], Optional[str]]) -> bool:
    """Give ``entry`` the translation, state and ``#|`` strings (msgctxt, msgid); True if changed."""
    flags = [f for f in entry.flags if f != "fuzzy"]
    if fuzzy:
        flags.insert(0, "fuzzy")
    else:
        previous = (None, None)     # a finished translation drops #| lines, as PO editors do
    before = (entry.msgstr, entry.flags, entry.previous_msgctxt, entry.previous_msgid)
    after = (target, flags, *previous)
    if before == after:
        return False
    entry.msgstr, entry.flags, entry.previous_msgctxt, entry.previous_msgid = after
    return True


def splice(text: str, changed: list[polib.POEntry]) -> Optional[str]:
    """``text`` with the blocks of ``changed`` entries replaced by their new layout.

    An entry's block runs from the blank line before its first line
    (``linenum``) to the blank line after it.  Returns None when a block does
    not hold exactly one entry (a file without blank lines between entries):
    the caller then writes the whole catalog in gettext's layout.  A
    byte-order mark and the line ending of each replaced block (CRLF or LF)
    are kept, so a file saved on Windows stays a Windows file.
    """
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    lines = text[len(bom):].split("\n")
    blocks = []
    for entry in changed:
        start = end = entry.linenum - 1
        while start > 0 and lines[start - 1].strip():
            start -= 1
        while end < len(lines) and lines[end].strip():
            end += 1
        if len(parse_entries("\n".join(lines[start:end]), "<entry>")) != 1:
            return None
        eol = "\r" if lines[start].endswith("\r") else ""
        blocks.append((start, end, [line + eol for line in format_entry(entry).split("\n")]))
    for start, end, new in sorted(blocks, reverse=True):
        lines[start:end] = new
    return bom + "\n".join(lines)


def written_like(original: str, text: str) -> str:
    """``text`` (LF, no BOM) with the byte-order mark and line endings of ``original``."""
    if "\r\n" in original and original.count("\r\n") * 2 >= original.count("\n"):
        text = text.replace("\n", "\r\n")
    return ("\ufeff" + text) if original.startswith("\ufeff") else text
