"""What "translated" means for one PO entry: the definition every stage shares.

A segment counts as translated only when its PO entry has a msgstr, is not
fuzzy, and its inline markup matches the source's (same tags, same link
targets) without a character no export may carry (a C0 or C1 control other
than tab and newline, DEL: :func:`toolkit.text.xmlchars.publishable`).  The build's merge, the
gate, ``tmkit status``, the review page and the sign-off fingerprint all ask
:func:`entry_status`, so they always agree.
"""

from __future__ import annotations

from typing import Iterable, Optional

import polib

from toolkit.model import SegmentStatus
from toolkit.text.inline import markup_matches
from toolkit.text.xmlchars import bad_control


def entry_status(entry: Optional[polib.POEntry], source: str) -> SegmentStatus:
    """How the segment with English ``source`` stands in a PO file."""
    if entry is None or entry.obsolete or not entry.msgstr.strip():
        return SegmentStatus.UNTRANSLATED
    if "fuzzy" in entry.flags:
        return SegmentStatus.FUZZY
    if rejection(source, entry.msgstr) is not None:
        return SegmentStatus.REJECTED
    return SegmentStatus.TRANSLATED


def rejection(source: str, translation: str) -> Optional[str]:
    """Why ``translation`` cannot be published for ``source`` (``None``: it can)."""
    control = bad_control(translation)   # a PO file may hold it; no export may
    if control is not None:
        return f"translation holds a control character ({control})"
    if not markup_matches(source, translation):
        return "translation markup does not match the source"
    return None


def catalog_index(po: Optional[Iterable[polib.POEntry]]) -> dict[tuple[Optional[str], str], polib.POEntry]:
    """Entries of a PO file by (msgctxt, msgid), obsolete ones left out.

    ``po`` is a :class:`polib.POFile` or any entries with the same attributes
    (the build's :func:`toolkit.catalog.pofile.read_translations`).
    """
    if po is None:
        return {}
    return {(e.msgctxt or None, e.msgid): e for e in po if not e.obsolete}
