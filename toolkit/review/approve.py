"""``tmkit review approve``: record that a clinician signed off one version.

The sign-off names the reviewer, the time (UTC) and the fingerprint of exactly
what was reviewed (:func:`toolkit.publish.signoff.fingerprint`: English, translation and
state of every segment), with a short hash per segment so a later review page
can show what changed.  It is refused while error-level check findings exist,
unless the reviewer says ``--despite-findings`` (and then the file says so).
``--fingerprint`` ties the approval to the version shown on the review page:
if a translator saved a change after the page was made, approval is refused
instead of covering text nobody read.

The sign-off file is the only file this writes (atomically); PO files are
never touched.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from toolkit.checks.findings import Finding
from toolkit.checks.runner import run_checks
from toolkit.project.config import Config
from toolkit.errors import TmkitError
from toolkit.publish.signoff import (SEGMENT_HASH_CHARS, SignOff, reviewer_problem, signoff_file,
                                     write_signoff)
from toolkit.review.catalog import reviewed_catalog


class ReviewRefused(TmkitError):
    """Approval refused because of findings or a changed version (exit code 1, like check)."""

    exit_code = 1

    def __init__(self, message: str, path: Optional[str] = None,
                 findings: Optional[list[Finding]] = None) -> None:
        super().__init__(message, path)
        self.findings = findings or []


def reviewer_name(name: str) -> str:
    """The reviewer's name as recorded: one line of visible text.

    Runs of blanks become one space; a control or invisible character is
    refused (:func:`toolkit.publish.signoff.reviewer_problem`, the rule the
    sign-off file is read by), not removed: the name is recorded as typed.
    """
    typed = re.sub("[\t\n\r ]+", " ", name).strip()   # line breaks typed in a shell are blanks
    problem = reviewer_problem(typed)
    if problem:
        raise TmkitError(f"--by: the reviewer's name {problem}")
    return " ".join(typed.split())


def utc_now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def approve(config: Config, lang: str, slug: str, reviewer: str, despite_findings: bool = False,
            expect: Optional[str] = None, now: Optional[str] = None) -> tuple[Path, SignOff]:
    """Sign off the current version of ``slug`` in ``lang``; returns the file and record.

    ``expect``: the fingerprint (or a prefix of its hex part, at least 8
    digits) shown on the review page; approval is refused if the version
    changed since.
    """
    name = reviewer_name(reviewer)
    catalog = reviewed_catalog(config, lang, slug)
    state = catalog.review
    if expect is not None:
        wanted = expect.strip().lower().removeprefix("sha256:")
        if len(wanted) < 8 or not all(c in "0123456789abcdef" for c in wanted):
            raise TmkitError("--fingerprint: give at least 8 hex digits, as the review page shows")
        if not state.fingerprint.removeprefix("sha256:").startswith(wanted):
            raise ReviewRefused("not approved: the catalog changed since the review page showed "
                                f"{wanted}; run 'tmkit review' again and review the new version",
                                catalog.po_shown)
    errors = [f for f in run_checks(config, [lang], [slug]).findings if f.is_error]
    if errors and not despite_findings:
        raise ReviewRefused(f"not approved: {len(errors)} error-level check finding"
                            f"{'s' * (len(errors) != 1)}; fix them, or approve with --despite-findings",
                            catalog.po_shown, errors)
    record = SignOff(lang, slug, name, now or utc_now(), state.fingerprint,
                     despite_findings=bool(errors), error_findings=len(errors),
                     segments={s: h[:SEGMENT_HASH_CHARS] for s, h in state.hashes.items()})
    path, _shown = signoff_file(config, lang, slug)
    write_signoff(path, record)
    return path, record


def translated_percent(config: Config, lang: str, slug: str) -> float:
    """The translated share of the article-language's segments, as the gate counts it."""
    from toolkit.catalog.translated import entry_status
    from toolkit.model import SegmentStatus

    catalog = reviewed_catalog(config, lang, slug)
    index = catalog.index
    statuses = [entry_status(index.get(s.key), s.text) for _unit, segments in catalog.units for s in segments]
    if not statuses:
        return 100.0
    return 100.0 * sum(s is SegmentStatus.TRANSLATED for s in statuses) / len(statuses)
