"""Three-way merge of PO files, entry by entry: what ``tmkit merge-po`` (a git merge driver) does.

Git merges text line by line; two branches that touched nearby lines of a
catalog (a translator on one, ``tmkit update`` on the other) give conflict
markers nobody can resolve by hand in a 300-entry file.  A catalog is a set
of entries keyed by (msgctxt, msgid), so it is merged as one:

* an entry changed on one side only takes that side's version; one removed
  on one side and unchanged on the other goes; one removed on one side and
  changed on the other is kept with the change (it holds work);
* entries added or made obsolete on either side are kept, in the order of
  our side with theirs' new entries after their neighbours;
* an entry changed on both sides is merged field by field: flags as sets
  (a ``fuzzy`` removed by a reviewer stays removed), translator comments
  line by line, the rest taking the side that changed it; the *translation*
  changed differently on both sides is a conflict: ours is kept (theirs if
  ours is empty), marked ``#, fuzzy``, with theirs in a translator comment
  ``# merge: other translation: ...``, and reported;
* an entry a translator changed on one side while ``tmkit update`` replaced
  it on the other (its English changed) gives its new translation to the
  entry that replaced it, still fuzzy (:func:`_follow_updates`);
* header fields the same way; ``PO-Revision-Date`` and ``POT-Creation-Date``
  changed on both sides take the later date.

The result is written in gettext's layout by :func:`~toolkit.catalog.pofile.format_po`
and never contains conflict markers.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Hashable, Optional

import polib

from toolkit.catalog.pofile import format_po, parse_po, parse_po_bytes, read_po_bytes
from toolkit.project.fsutil import atomic_write_text
from toolkit.text.xmlchars import shown

#: The translator comment that carries the other side's translation of a conflict.
OTHER_TRANSLATION = "merge: other translation:"
#: Header fields holding dates: changed on both sides, the later one wins.
DATE_FIELDS = ("PO-Revision-Date", "POT-Creation-Date")

Key = tuple[Hashable, ...]


@dataclass
class TranslationConflict:
    """An entry translated differently on both sides: ``kept`` is in the file, marked fuzzy."""

    msgctxt: Optional[str]
    msgid: str
    kept: str
    other: str
    line: int = 0          # of the entry in the merged file


@dataclass
class ThreeWayResult:
    """The merged catalog's text and the conflicts that need a translator's review."""

    text: str
    conflicts: list[TranslationConflict] = field(default_factory=list)


def _keyed(po: polib.POFile) -> dict[Key, polib.POEntry]:
    """Entries by (msgctxt, msgid); an obsolete twin of an active entry gets a key of its own."""
    entries: dict[Key, polib.POEntry] = {}
    for entry in po:
        key: Key = (entry.msgctxt, entry.msgid)
        if key in entries:
            key = (entry.msgctxt, entry.msgid, "obsolete")
        entries[key] = entry
    return entries


def _translation(entry: polib.POEntry) -> tuple:
    return entry.msgstr, tuple(sorted(entry.msgstr_plural.items()))


def _fields(entry: polib.POEntry) -> tuple:
    """Everything a merge compares; two entries with equal fields are the same."""
    return (_translation(entry), tuple(entry.flags), entry.tcomment, entry.comment,
            tuple(entry.occurrences), entry.previous_msgctxt, entry.previous_msgid,
            entry.previous_msgid_plural, entry.msgid_plural, entry.obsolete)


def _pick(base, ours, theirs):
    """The three-way rule for one value: the side that changed it (ours if both did)."""
    return theirs if ours == base else ours


def _merge_flags(base: list[str], ours: list[str], theirs: list[str]) -> list[str]:
    """As sets: a flag removed on either side goes, one added on either side comes."""
    kept = [f for f in ours if f in theirs or f not in base]
    return kept + [f for f in theirs if f not in base and f not in kept]


def _merge_lines(base: str, ours: str, theirs: str) -> str:
    """Translator comments changed on both sides: ours, then theirs' lines ours lacks."""
    if ours == base or theirs == base or ours == theirs:
        return _pick(base, ours, theirs)
    mine = ours.split("\n") if ours else []
    return "\n".join(mine + [line for line in theirs.split("\n") if line not in mine and line])


def _shown_translation(entry: polib.POEntry) -> str:
    if entry.msgid_plural:
        text = " | ".join(f"[{n}] {value}" for n, value in sorted(entry.msgstr_plural.items()))
    else:
        text = entry.msgstr
    # One comment line: a raw \r or \n (or any control) would end it or hide text.
    return shown(text.replace("\\", "\\\\"))


def _has_translation(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr) or any(entry.msgstr_plural.values())


def _merge_entry(base: Optional[polib.POEntry], ours: polib.POEntry, theirs: polib.POEntry,
                 conflicts: list[TranslationConflict]) -> polib.POEntry:
    """Both sides changed the entry: merge field by field (see the module docstring)."""
    if base is None:    # added on both sides: as if added empty in the base
        base = polib.POEntry(msgid=ours.msgid, msgctxt=ours.msgctxt, msgid_plural=ours.msgid_plural,
                             msgstr_plural={n: "" for n in ours.msgstr_plural})
    merged = polib.POEntry(msgid=ours.msgid, msgctxt=ours.msgctxt)
    b, o, t = _translation(base), _translation(ours), _translation(theirs)
    conflict = False
    if o == t or t == b:
        source = ours
    elif o == b or not _has_translation(ours):      # theirs changed it (or ours emptied it)
        source = theirs
    else:                                           # both changed it: a conflict unless theirs emptied it
        source, conflict = ours, _has_translation(theirs)
    merged.msgstr, merged.msgstr_plural = source.msgstr, dict(source.msgstr_plural)
    merged.flags = _merge_flags(base.flags, ours.flags, theirs.flags)
    merged.tcomment = _merge_lines(base.tcomment, ours.tcomment, theirs.tcomment)
    merged.comment = _pick(base.comment, ours.comment, theirs.comment)
    merged.occurrences = list(_pick(base.occurrences, ours.occurrences, theirs.occurrences))
    merged.msgid_plural = _pick(base.msgid_plural, ours.msgid_plural, theirs.msgid_plural)
    merged.obsolete = _pick(base.obsolete, ours.obsolete, theirs.obsolete)
    previous = [(e.previous_msgctxt, e.previous_msgid, e.previous_msgid_plural) for e in (base, ours, theirs)]
    chosen = ((source.previous_msgctxt, source.previous_msgid, source.previous_msgid_plural)
              if conflict else _pick(*previous))
    merged.previous_msgctxt, merged.previous_msgid, merged.previous_msgid_plural = chosen
    if conflict:
        other = theirs if source is ours else ours
        if "fuzzy" not in merged.flags:
            merged.flags.insert(0, "fuzzy")
        note = f"{OTHER_TRANSLATION} {_shown_translation(other)}"
        merged.tcomment = f"{merged.tcomment}\n{note}" if merged.tcomment else note
        conflicts.append(TranslationConflict(merged.msgctxt, merged.msgid, _shown_translation(source),
                                             _shown_translation(other)))
    return merged


def _merge_one(base: Optional[polib.POEntry], ours: Optional[polib.POEntry], theirs: Optional[polib.POEntry],
               conflicts: list[TranslationConflict]) -> Optional[polib.POEntry]:
    """The merged entry for one key, or None when it is gone."""
    if ours is None or theirs is None:
        present = ours if theirs is None else theirs
        if present is None or (base is not None and _fields(present) == _fields(base)):
            return None          # removed on one side, untouched on the other (or on both)
        return present           # added on one side, or changed there and removed on the other
    if _fields(ours) == _fields(theirs) or (base is not None and _fields(theirs) == _fields(base)):
        return ours
    if base is not None and _fields(ours) == _fields(base):
        return theirs
    return _merge_entry(base, ours, theirs, conflicts)


def _follow_updates(entries: dict[Key, polib.POEntry], base: dict[Key, polib.POEntry],
                    ours: dict[Key, polib.POEntry], theirs: dict[Key, polib.POEntry]) -> None:
    """Move a translation made on one side onto the entry ``tmkit update`` replaced it with on the other.

    When the English of an entry changes, ``update`` (like ``msgmerge``)
    removes the old entry and adds one for the new English, fuzzy, carrying
    the old translation with the old English as ``#| msgid``.  If a
    translator changed the old entry on the other branch meanwhile, the
    merge would keep both: the old entry (soon obsolete) with the new work,
    and the successor with the stale translation.  Instead the new work moves
    to the successor, which stays fuzzy, and the old entry goes.
    """
    successors: dict[tuple[Optional[str], str], Key] = {}
    for key, entry in entries.items():
        if key not in base and "fuzzy" in entry.flags and entry.previous_msgid is not None:
            successors.setdefault((entry.previous_msgctxt, entry.previous_msgid), key)
    for key in [k for k in entries if k in base and (k in ours) != (k in theirs)]:
        old = entries[key]
        found = successors.get((old.msgctxt, old.msgid))
        if found is None or old.obsolete:
            continue
        was = base[key]
        if _translation(entries[found]) != _translation(was):
            continue           # the successor carries other work: keep both
        successor = entries[found] = copy.deepcopy(entries[found])    # the inputs stay as read
        successor.msgstr, successor.msgstr_plural = old.msgstr, dict(old.msgstr_plural)
        successor.tcomment = _merge_lines(was.tcomment, successor.tcomment, old.tcomment)
        del entries[key]


def _order(ours: list[Key], theirs: list[Key]) -> list[Key]:
    """Our order, with each of theirs' new keys right after the key it followed in theirs."""
    known = set(ours)
    after: dict[Optional[Key], list[Key]] = defaultdict(list)
    anchor: Optional[Key] = None
    for key in theirs:
        if key in known:
            anchor = key
        else:
            after[anchor].append(key)
    order = list(after[None])
    for key in ours:
        order.append(key)
        order += after.get(key, [])
    return order


def _later_date(ours: str, theirs: str) -> str:
    """The later of two gettext dates (``2024-05-01 12:00+0200``); ours if either is unreadable."""
    try:
        mine, other = (datetime.strptime(v.strip(), "%Y-%m-%d %H:%M%z") for v in (ours, theirs))
    except ValueError:
        return ours
    return theirs if other > mine else ours


def _merge_header(base: polib.POFile, ours: polib.POFile, theirs: polib.POFile, merged: polib.POFile) -> None:
    merged.header = _merge_lines(base.header or "", ours.header or "", theirs.header or "")
    merged.metadata_is_fuzzy = _pick(bool(base.metadata_is_fuzzy), bool(ours.metadata_is_fuzzy),
                                     bool(theirs.metadata_is_fuzzy))
    metadata = {}
    for key in list(ours.metadata) + [k for k in theirs.metadata if k not in ours.metadata]:
        b, o, t = base.metadata.get(key), ours.metadata.get(key), theirs.metadata.get(key)
        value = _pick(b, o, t)
        if o != b and t != b and o is not None and t is not None and key in DATE_FIELDS:
            value = _later_date(o, t)
        if value is not None:
            metadata[key] = value
    merged.metadata = metadata


def merge_catalogs(base: polib.POFile, ours: polib.POFile, theirs: polib.POFile) -> ThreeWayResult:
    """Merge ``ours`` and ``theirs``, both descended from ``base`` (see the module docstring)."""
    b, o, t = _keyed(base), _keyed(ours), _keyed(theirs)
    conflicts: list[TranslationConflict] = []
    merged = polib.POFile(wrapwidth=79)
    _merge_header(base, ours, theirs, merged)
    entries: dict[Key, polib.POEntry] = {}
    for key in _order(list(o), list(t)):
        entry = _merge_one(b.get(key), o.get(key), t.get(key), conflicts)
        if entry is not None:
            entries[key] = entry
    _follow_updates(entries, b, o, t)
    merged.extend(entries.values())
    text = format_po(merged)
    if conflicts:       # where each one is, for the report: the result read back
        lines = {(e.msgctxt, e.msgid): e.linenum for e in parse_po(text, "<merged>") if not e.obsolete}
        for conflict in conflicts:
            conflict.line = lines.get((conflict.msgctxt, conflict.msgid), 0)
    return ThreeWayResult(text, conflicts)


def merge_po_files(base: Path, ours: Path, theirs: Path, name: Optional[str] = None) -> ThreeWayResult:
    """``git merge``'s ``%O %A %B``: merge the three files and write the result over ``ours``.

    ``name`` (``%P``, the file's path in the repository) is used in messages.
    A file that is not valid PO raises :class:`~toolkit.errors.CatalogError`
    and nothing is written (git then reports a conflict and keeps ours).
    """
    def read(path: Path, side: str) -> polib.POFile:
        shown = f"{name} ({side})" if name else str(path)
        return parse_po_bytes(read_po_bytes(path, shown), shown)

    result = merge_catalogs(read(base, "base"), read(ours, "ours"), read(theirs, "theirs"))
    atomic_write_text(ours, result.text)
    return result
