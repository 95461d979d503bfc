"""The publishing gate, and what "translated" means for one segment.

Shared by ``tmkit build`` (which holds back what fails the gate) and
``tmkit status`` (which reports it), so both always agree.

A segment counts as translated only when its PO entry has a msgstr, is not
fuzzy, and its inline markup matches the source's (same tags, same link
targets).  An article-language passes the gate when the translated share of
its segments reaches ``publish.min_translated`` and every ``required`` segment
is translated; ``required`` names block roles (``disclaimer``), segment ids
(``b9.s1``) or English texts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional

import polib

from toolkit import inline
from toolkit.config import Config
from toolkit.model import Segment, SegmentStatus
from toolkit.segment import Unit


def entry_status(entry: Optional[polib.POEntry], source: str) -> SegmentStatus:
    """How the segment with English ``source`` stands in a PO file."""
    if entry is None or entry.obsolete or not entry.msgstr.strip():
        return SegmentStatus.UNTRANSLATED
    if "fuzzy" in entry.flags:
        return SegmentStatus.FUZZY
    if not markup_matches(source, entry.msgstr):
        return SegmentStatus.REJECTED
    return SegmentStatus.TRANSLATED


def markup_matches(source: str, translation: str) -> bool:
    """True when ``translation`` is well formed and uses the source's tags."""
    try:
        return inline.signature(source) == inline.signature(translation)
    except inline.InlineError:
        return False


def catalog_index(po: Optional[Iterable[polib.POEntry]]) -> dict[tuple[Optional[str], str], polib.POEntry]:
    """Entries of a PO file by (msgctxt, msgid), obsolete ones left out.

    ``po`` is a :class:`polib.POFile` or any entries with the same attributes
    (the build's :func:`toolkit.catalog.pofile.read_translations`).
    """
    if po is None:
        return {}
    return {(e.msgctxt or None, e.msgid): e for e in po if not e.obsolete}


@dataclass
class GateResult:
    """Whether an article-language may be published, and why not."""

    total: int
    translated: int
    fuzzy: int
    rejected: int
    min_translated: float
    missing_required: list[str] = field(default_factory=list)

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0

    @property
    def passed(self) -> bool:
        return self.percent + 1e-9 >= self.min_translated and not self.missing_required

    @property
    def reasons(self) -> list[str]:
        """Human-readable reasons the gate holds the article back (empty if it passes)."""
        out = []
        if self.percent + 1e-9 < self.min_translated:
            out.append(f"{self.percent:.0f}% translated, below the {self.min_translated:g}% minimum")
        if self.missing_required:
            shown = ", ".join(self.missing_required[:3])
            more = f" and {len(self.missing_required) - 3} more" if len(self.missing_required) > 3 else ""
            out.append(f"required text not translated: {shown}{more}")
        return out


def _is_required(unit: Unit, segment: Segment, required: Iterable[str]) -> Optional[str]:
    for rule in required:
        if rule == unit.role or rule == segment.id or rule == unit.id or rule == segment.text:
            return rule
    return None


def evaluate_gate(config: Config, units: list[tuple[Unit, list[Segment]]],
                  statuses: dict[str, SegmentStatus]) -> GateResult:
    """Apply the project's gate to one article-language.

    ``units`` comes from :func:`toolkit.segment.segments_by_unit`; ``statuses``
    maps segment ids to their status (see :func:`entry_status`).
    """
    result = GateResult(0, 0, 0, 0, config.publish.min_translated)
    for unit, segments in units:
        for segment in segments:
            status = statuses.get(segment.id, SegmentStatus.UNTRANSLATED)
            result.total += 1
            result.translated += status is SegmentStatus.TRANSLATED
            result.fuzzy += status is SegmentStatus.FUZZY
            result.rejected += status is SegmentStatus.REJECTED
            if status is not SegmentStatus.TRANSLATED and _is_required(unit, segment, config.publish.required):
                result.missing_required.append(f"{segment.id} ('{inline.plain_text(segment.text)[:40]}')")
    return result
