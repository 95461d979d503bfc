"""The publishing gate, and what "translated" means for one segment.

Shared by ``tmkit build`` (which holds back what fails the gate) and
``tmkit status`` (which reports it), so both always agree.

A segment counts as translated only when its PO entry has a msgstr, is not
fuzzy, and its inline markup matches the source's (same tags, same link
targets).  An article-language passes the gate when the translated share of
its segments reaches ``publish.min_translated`` and every ``required`` segment
is translated; ``required`` names block roles (``disclaimer``), segment ids
(``b9.s1``) or English texts.

With ``publish.require_review`` it must also carry a clinician's sign-off
(``tmkit review approve``) whose fingerprint still matches: the fingerprint
covers, segment by segment in reading order, the English, the translation and
its state, so any edit of either after the sign-off holds the article back
until someone signs off again.  :func:`segment_hashes` and :func:`fingerprint`
define it; :func:`review_state` compares it with the recorded sign-off.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Iterable, Optional

import polib

from toolkit.text import inline
from toolkit.project.config import Config
from toolkit.model import Segment, SegmentStatus
from toolkit.segment import Unit
from toolkit.publish.signoff import SignOff, read_signoff, signoff_file
from toolkit.text.xmlchars import xml_safe


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
    if not xml_safe(translation):   # a PO file may hold it; no export can
        return "translation holds a control character"
    if not markup_matches(source, translation):
        return "translation markup does not match the source"
    return None


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
    review: Optional["ReviewState"] = None   # sign-off state; counts only with require_review

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0

    @property
    def complete(self) -> bool:
        """The completeness part of the gate (what ``--force`` may override)."""
        return self.percent + 1e-9 >= self.min_translated and not self.missing_required

    @property
    def review_passed(self) -> bool:
        """The sign-off part: true when review is not required or the sign-off matches."""
        return self.review is None or not self.review.required or self.review.approved

    @property
    def passed(self) -> bool:
        return self.complete and self.review_passed

    @property
    def reasons(self) -> list[str]:
        """Human-readable reasons the gate holds the article back (empty if it passes)."""
        out = [] if self.review_passed else [self.review.reason]
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
                  statuses: dict[str, SegmentStatus],
                  review: Optional["ReviewState"] = None) -> GateResult:
    """Apply the project's gate to one article-language.

    ``units`` comes from :func:`toolkit.segment.segments_by_unit`; ``statuses``
    maps segment ids to their status (see :func:`entry_status`); ``review``
    (from :func:`review_state`) adds the sign-off condition when the project
    requires it.
    """
    result = GateResult(0, 0, 0, 0, config.publish.min_translated, review=review)
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


# -- sign-off ------------------------------------------------------------------

#: Hex digits of each segment's hash kept in the sign-off file (64 bits: enough
#: to tell which segments changed; the fingerprint itself uses full hashes).
SEGMENT_HASH_CHARS = 16


def segment_hashes(units: list[tuple[Unit, list[Segment]]],
                   index: dict[tuple[Optional[str], str], polib.POEntry]) -> dict[str, str]:
    """SHA-256 per segment (reading order) of what a reviewer sees of it.

    Id, context and English of the segment, and the state and text of its
    translation (a fuzzy text too: confirming it later changes the state).
    Comments, line numbers and wrapping are left out: re-saving the PO file
    in another editor does not undo a sign-off.
    """
    out: dict[str, str] = {}
    for _unit, segments in units:
        for segment in segments:
            entry = index.get(segment.key)
            status = entry_status(entry, segment.text)
            record = [segment.id, segment.context or "", segment.text, status.value,
                      entry.msgstr if entry is not None and not entry.obsolete else ""]
            out[segment.id] = hashlib.sha256(
                json.dumps(record, ensure_ascii=False).encode("utf-8")).hexdigest()
    return out


def fingerprint(lang: str, slug: str, hashes: dict[str, str]) -> str:
    """The fingerprint of one article-language: its segments' hashes in order."""
    digest = hashlib.sha256(json.dumps([lang, slug], ensure_ascii=False).encode("utf-8"))
    for seg_id, value in hashes.items():
        digest.update(f"\0{seg_id}\0{value}".encode("utf-8"))
    return "sha256:" + digest.hexdigest()


@dataclass
class ReviewState:
    """The current version of an article-language against its recorded sign-off."""

    required: bool                    # [publish] require_review
    fingerprint: str                  # of the current English + translation
    hashes: dict[str, str]            # segment id -> full hash, reading order
    signoff: Optional[SignOff] = None

    @property
    def approved(self) -> bool:
        """A sign-off exists and covers exactly the current version."""
        return self.signoff is not None and self.signoff.fingerprint == self.fingerprint

    @property
    def state(self) -> str:
        """``approved``, ``changed`` (since the sign-off) or ``unreviewed``."""
        if self.signoff is None:
            return "unreviewed"
        return "approved" if self.approved else "changed"

    def changed_segments(self) -> list[str]:
        """Ids of segments new or different since the sign-off (all, without one)."""
        before = self.signoff.segments if self.signoff else {}
        return [s for s, h in self.hashes.items() if before.get(s) != h[:SEGMENT_HASH_CHARS]]

    def removed_segments(self) -> list[str]:
        """Ids the signed-off version had that the current one has not."""
        return [s for s in (self.signoff.segments if self.signoff else {}) if s not in self.hashes]

    @property
    def reason(self) -> str:
        """Why the sign-off part of the gate holds the article back."""
        if self.signoff is None:
            return "not signed off (tmkit review approve)"
        if self.approved:
            return ""
        changed = len(self.changed_segments()) + len(self.removed_segments())
        what = f"{changed} segment{'s' * (changed != 1)}" if changed else "its content"
        return (f"changed since the sign-off by {self.signoff.reviewer} "
                f"({self.signoff.approved_at}): {what} changed")

    def as_dict(self) -> dict:
        signoff = self.signoff
        return {"state": self.state, "required": self.required,
                "reviewer": signoff.reviewer if signoff else None,
                "approved_at": signoff.approved_at if signoff else None,
                "despite_findings": signoff.despite_findings if signoff else None,
                "changed_segments": len(self.changed_segments()) if signoff else None}


def review_state(config: Config, lang: str, slug: str, units: list[tuple[Unit, list[Segment]]],
                 index: dict[tuple[Optional[str], str], polib.POEntry]) -> ReviewState:
    """Compare the current version with ``po/<lang>/<slug>.review.toml`` (if any)."""
    hashes = segment_hashes(units, index)
    path, shown = signoff_file(config, lang, slug)
    return ReviewState(config.publish.require_review, fingerprint(lang, slug, hashes), hashes,
                       read_signoff(path, shown, lang, slug))
