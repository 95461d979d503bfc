"""The publishing gate: may an article-language be published, and why not.

Shared by ``tmkit build`` (which holds back what fails the gate) and
``tmkit status`` (which reports it), so both always agree.  What counts as a
translated segment is :func:`toolkit.catalog.translated.entry_status`.  An
article-language passes the gate when the translated share of its segments
reaches ``publish.min_translated`` and every ``required`` segment is
translated; ``required`` names block roles (``disclaimer``), segment ids
(``b9.s1``) or English texts.

With ``publish.require_review`` it must also carry a clinician's sign-off
whose fingerprint still matches; that comparison is
:func:`toolkit.publish.signoff.review_state`, asked once per article-language
by the caller and handed to :func:`evaluate_gate` as a
:class:`~toolkit.publish.signoff.ReviewState`.

With ``publish.hold_on_check_errors`` (the default) it must also be free of
error-level check findings: the caller runs the checks of ``tmkit check``
(:func:`toolkit.checks.runner.catalog_errors`) and hands the findings to
:func:`evaluate_gate`; each one is a reason naming the PO file, line and
check.  ``--force`` overrides completeness and check errors, never a
missing sign-off.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Iterable, Optional

from toolkit.checks.findings import Finding
from toolkit.model import Segment, SegmentStatus
from toolkit.project.config import Config
from toolkit.publish.signoff import ReviewState
from toolkit.segment import Unit
from toolkit.text import inline


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
    check_errors: list[Finding] = field(default_factory=list)  # with hold_on_check_errors

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
    def checks_passed(self) -> bool:
        """The checks part: no error-level finding (``--force`` may override it)."""
        return not self.check_errors

    @property
    def passed(self) -> bool:
        return self.complete and self.review_passed and self.checks_passed

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
        if self.check_errors:
            count = len(self.check_errors)
            shown = "; ".join(f"{f.path}:{f.line}: [{f.check}] {f.message}" for f in self.check_errors[:3])
            more = f"; and {count - 3} more" if count > 3 else ""
            out.append(f"{count} check error{'s' * (count != 1)} (tmkit check): {shown}{more}")
        return out


def _is_required(unit: Unit, segment: Segment, required: Iterable[str]) -> Optional[str]:
    for rule in required:
        if rule == unit.role or rule == segment.id or rule == unit.id or rule == segment.text:
            return rule
    return None


def evaluate_gate(config: Config, units: list[tuple[Unit, list[Segment]]],
                  statuses: dict[str, SegmentStatus],
                  review: Optional["ReviewState"] = None,
                  check_errors: Iterable[Finding] = ()) -> GateResult:
    """Apply the project's gate to one article-language.

    ``units`` comes from :func:`toolkit.segment.segments_by_unit`; ``statuses``
    maps segment ids to their status (see :func:`entry_status`); ``review``
    (from :func:`review_state`) adds the sign-off condition when the project
    requires it; ``check_errors`` (from
    :func:`toolkit.checks.runner.catalog_errors`) hold it back when
    ``publish.hold_on_check_errors`` is set.
    """
    held = list(check_errors) if config.publish.hold_on_check_errors else []
    result = GateResult(0, 0, 0, 0, config.publish.min_translated, review=review, check_errors=held)
    # counted in locals, not the result's fields: a first status evaluates 5,000 article-languages
    total = translated = fuzzy = rejected = 0
    required = config.publish.required
    for unit, segments in units:
        for segment in segments:
            status = statuses.get(segment.id, SegmentStatus.UNTRANSLATED)
            total += 1
            if status is SegmentStatus.TRANSLATED:
                translated += 1
                continue
            fuzzy += status is SegmentStatus.FUZZY
            rejected += status is SegmentStatus.REJECTED
            if _is_required(unit, segment, required):
                shown = textwrap.shorten(inline.plain_text(segment.text), 40, placeholder="…")
                result.missing_required.append(f"{segment.id} ('{shown}')")
    result.total, result.translated, result.fuzzy, result.rejected = total, translated, fuzzy, rejected
    return result
