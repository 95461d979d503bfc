"""The sign-off file ``po/<lang>/<slug>.review.toml``: who approved which version.

``tmkit review approve`` writes it; the publishing gate
(through :func:`review_state` below) and ``tmkit review`` read it.  It sits
beside the PO file and is committed with it, so the record of a clinical
review travels with the translation it covers::

    # Sign-off recorded by `tmkit review approve`; commit it with the PO file.
    version = 2
    lang = "es"
    article = "failed-back-syndrome"
    reviewer = "Dr. Ana Ruiz"
    approved_at = "2026-11-30T17:40:02Z"
    fingerprint = "sha256:9c1d…"
    despite_findings = false
    error_findings = 0

    [segments]
    title = "5b0e2c4f9a1d7e33"
    "b1.s1" = "…"

``fingerprint`` covers exactly what was reviewed (see
:func:`fingerprint`); ``segments`` keeps a short hash per segment
so the review page can show which segments changed since.  The file is read
strictly: a damaged or hand-edited one is an error with its file and line,
never silently taken as "not reviewed" or "approved".
"""

from __future__ import annotations

import hashlib
from hashlib import sha256
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Optional

import polib

from toolkit.catalog.translated import entry_status
from toolkit.errors import CatalogError, TmkitError
from toolkit.model import Segment, SegmentStatus
from toolkit.project.config import Config, parse_toml
from toolkit.project.fsutil import atomic_write_text, read_text
from toolkit.segment import Unit

SIGNOFF_SUFFIX = ".review.toml"
#: 2: segment hashes cover the block structure (kind, role, heading level, list, cell);
#: version 1 files are read, and reported as needing a new approval.
SIGNOFF_VERSION = 2
READABLE_VERSIONS = (1, 2)
HEADER = ("# Sign-off recorded by `tmkit review approve`; commit it with the PO file.\n"
          "# It says who reviewed exactly which version of the article-language.\n")
_FINGERPRINT_RE = re.compile(r"^sha256:[0-9a-f]{64}$")
_HASH_RE = re.compile(r"^[0-9a-f]{8,64}$")
#: ``approved_at`` as ``review approve`` writes it: UTC, ISO 8601, ``Z``.
_UTC_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z$")
#: Longest reviewer name recorded or read.
MAX_REVIEWER = 200
#: Joiners that Persian, Urdu and Indic names need inside a word: allowed
#: between two letters (or marks) only.  Every other invisible format character
#: (zero-width space, word joiner, BOM, direction marks, embeddings,
#: overrides and isolates) could make one name display as another.
_JOINERS = frozenset("\u200c\u200d")


class SignOffError(CatalogError):
    """A sign-off file cannot be read or does not belong where it is."""


@dataclass
class SignOff:
    """One recorded approval of one article-language."""

    lang: str
    article: str
    reviewer: str
    approved_at: str                  # UTC, ISO 8601 with "Z"
    fingerprint: str                  # "sha256:<hex>"
    despite_findings: bool = False    # approved although error-level findings existed
    error_findings: int = 0           # error-level check findings at approval
    segments: dict[str, str] = field(default_factory=dict)   # segment id -> short hash
    version: int = SIGNOFF_VERSION    # of the file format and its fingerprint

    def as_toml(self) -> str:
        import tomli_w   # only review approve writes one; the build only reads

        data = {"version": SIGNOFF_VERSION, "lang": self.lang, "article": self.article,
                "reviewer": self.reviewer, "approved_at": self.approved_at,
                "fingerprint": self.fingerprint, "despite_findings": self.despite_findings,
                "error_findings": self.error_findings, "segments": dict(self.segments)}
        return HEADER + tomli_w.dumps(data)


def signoff_file(config: Config, lang: str, slug: str) -> tuple[Path, str]:
    """The sign-off file of ``slug`` in ``lang`` and its name relative to the project."""
    path = config.po_file(lang, slug).with_name(f"{slug}{SIGNOFF_SUFFIX}")
    try:
        shown = path.relative_to(config.root).as_posix()
    except ValueError:
        shown = path.as_posix()
    return path, shown


def _line_of(text: str, key: str) -> Optional[int]:
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip().startswith(key):
            return number
    return None


def reviewer_problem(name: str) -> Optional[str]:
    """Why ``name`` cannot stand as a reviewer's name (``None``: it can).

    A name is one line of visible text: ``tmkit status`` and ``tmkit build``
    print it, so a control character (a newline, an ESC sequence) would forge
    their output, and an invisible one would let one name pass for another.
    ``review approve`` and reading a sign-off file both ask this.
    """
    if not name.strip():
        return "is empty"
    if len(name) > MAX_REVIEWER:
        return f"is longer than {MAX_REVIEWER} characters"
    for index, char in enumerate(name):
        category = unicodedata.category(char)
        if category == "Cc":
            return f"holds the control character U+{ord(char):04X}"
        if category in ("Cs", "Co", "Cn"):
            return f"holds U+{ord(char):04X}, a character that is not text"
        if category in ("Cf", "Zl", "Zp") and not (
                char in _JOINERS and 0 < index < len(name) - 1
                and _in_word(name[index - 1]) and _in_word(name[index + 1])):
            return f"holds the invisible character U+{ord(char):04X}"
    return None


def _in_word(char: str) -> bool:
    """A letter or a combining mark (a virama before ZWJ in Devanagari)."""
    return unicodedata.category(char)[0] in "LM"


def valid_utc(stamp: str) -> bool:
    """True for a real UTC time written ``2026-11-30T17:40:02Z`` (fractions allowed)."""
    if not _UTC_RE.match(stamp):
        return False
    try:
        datetime.fromisoformat(stamp[:-1])
    except ValueError:                    # month 13, 30 February, hour 25...
        return False
    return True


def parse_signoff(text: str, shown: str, lang: str, slug: str) -> SignOff:
    """Read and validate the text of a sign-off file for ``lang``/``slug``."""
    data = parse_toml(text, shown, SignOffError)

    def fail(message: str, key: str) -> SignOffError:
        return SignOffError(message, shown, _line_of(text, key))

    expected = {"version": int, "lang": str, "article": str, "reviewer": str, "approved_at": str,
                "fingerprint": str, "despite_findings": bool, "error_findings": int, "segments": dict}
    for key in data:
        if key not in expected:
            raise fail(f"unknown key '{key}' in a sign-off file", key)
    for key, kind in expected.items():
        if key not in data:
            raise SignOffError(f"'{key}' is missing from the sign-off file", shown)
        value = data[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise fail(f"'{key}' must be {kind.__name__} in a sign-off file", key)
    if data["version"] not in READABLE_VERSIONS:
        raise fail(f"sign-off file version {data['version']} is not supported "
                   f"(this tmkit reads versions {', '.join(map(str, READABLE_VERSIONS))})", "version")
    if data["lang"] != lang or data["article"] != slug:
        raise fail(f"this sign-off is for {data['lang']}/{data['article']}, not {lang}/{slug} "
                   "(copied from another file?)", "lang")
    problem = reviewer_problem(data["reviewer"])
    if problem:
        raise fail(f"'reviewer' {problem}", "reviewer")
    if not valid_utc(data["approved_at"]):
        raise fail("'approved_at' must be a UTC time as 'review approve' writes it, "
                   "e.g. 2026-11-30T17:40:02Z", "approved_at")
    if not _FINGERPRINT_RE.match(data["fingerprint"]):
        raise fail("'fingerprint' must be 'sha256:' and 64 hex digits", "fingerprint")
    segments = data["segments"]
    for seg_id, value in segments.items():
        if not isinstance(value, str) or not _HASH_RE.match(value):
            raise fail(f"segment '{seg_id}' must have a hex hash", seg_id)
    return SignOff(data["lang"], data["article"], data["reviewer"], data["approved_at"],
                   data["fingerprint"], data["despite_findings"], data["error_findings"],
                   dict(segments), data["version"])


def read_signoff(path: Path, shown: str, lang: str, slug: str) -> Optional[SignOff]:
    """The sign-off recorded at ``path``, ``None`` when there is none."""
    if not path.is_file():
        return None
    try:
        text = read_text(path)
    except TmkitError as exc:   # named by the project-relative path, like PO errors
        raise SignOffError(exc.message, shown, exc.line) from None
    return parse_signoff(text, shown, lang, slug)


def write_signoff(path: Path, signoff: SignOff) -> None:
    """Write the sign-off file atomically (the one file ``review approve`` writes)."""
    atomic_write_text(path, signoff.as_toml())


# -- what a sign-off covers: fingerprints, and the state against the file -------

#: Hex digits of each segment's hash kept in the sign-off file (64 bits: enough
#: to tell which segments changed; the fingerprint itself uses full hashes).
SEGMENT_HASH_CHARS = 16


#: One JSON string as ``json.dumps(text, ensure_ascii=False)`` writes it (the C function
#: the encoder itself calls; :func:`_encode_record` joins them as ``json.dumps`` joins a list).
_STRING = json.encoder.encode_basestring


def _encode_record(record: list[str]) -> str:
    """``json.dumps(record, ensure_ascii=False)`` for a list of strings, byte for byte.

    A segment's record is always strings, and going through the encoder object
    (its Python-level ``encode`` and ``iterencode``) cost more than the string
    escaping itself, 33,000 times in a review of 1,000 articles.
    """
    return "[" + ", ".join(map(_STRING, record)) + "]"


def segment_hashes(units: list[tuple[Unit, list[Segment]]],
                   index: dict[tuple[Optional[str], str], polib.POEntry],
                   statuses: Optional[dict[str, SegmentStatus]] = None) -> dict[str, str]:
    """SHA-256 per segment (reading order) of what a reviewer sees of it.

    Id, context and English of the segment, the state and text of its
    translation (a fuzzy text too: confirming it later changes the state),
    and the shape of the block it sits in: its kind (paragraph, heading,
    list item, cell...), role (``quote``, ``disclaimer``...) and
    :attr:`~toolkit.segment.Unit.shape` (heading level, ordered or bulleted
    list and depth, table row and column), so turning a paragraph into a
    block quote or a heading into a paragraph is a change too (version 2).
    Comments, line numbers and wrapping are left out: re-saving the PO file
    in another editor does not undo a sign-off.  ``statuses``, when given, is
    filled with each segment's :func:`entry_status` (the review page shows it).
    """
    out: dict[str, str] = {}
    for unit, segments in units:
        for segment in segments:
            entry = index.get(segment.key)
            status = entry_status(entry, segment.text)
            if statuses is not None:
                statuses[segment.id] = status
            record = [segment.id, segment.context or "", segment.text, status.value,
                      entry.msgstr if entry is not None and not entry.obsolete else "",
                      unit.kind, unit.role, unit.shape]
            out[segment.id] = sha256(_encode_record(record).encode("utf-8")).hexdigest()
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
    #: segment id -> :func:`entry_status`, as hashed (what the review page shows)
    statuses: dict[str, SegmentStatus] = field(default_factory=dict, repr=False, compare=False)

    @property
    def approved(self) -> bool:
        """A sign-off exists and covers exactly the current version."""
        return (self.signoff is not None and self.signoff.version == SIGNOFF_VERSION
                and self.signoff.fingerprint == self.fingerprint)

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

    def covered_segments(self) -> set[str]:
        """Ids of segments exactly as signed off (none without a sign-off).

        What an export may call ``signed-off``: a later edit elsewhere in the
        article does not undo the review of a segment that did not change.
        """
        before = self.signoff.segments if self.signoff else {}
        return {s for s, h in self.hashes.items() if before.get(s) == h[:SEGMENT_HASH_CHARS]}

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
        if self.signoff.version != SIGNOFF_VERSION:
            return (f"signed off by {self.signoff.reviewer} ({self.signoff.approved_at}) in a "
                    f"version {self.signoff.version} sign-off file, which did not cover the page's "
                    f"structure: approve again (tmkit review approve)")
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
                 index: dict[tuple[Optional[str], str], polib.POEntry], hashed: bool = True) -> ReviewState:
    """Compare the current version with ``po/<lang>/<slug>.review.toml`` (if any).

    ``hashed=False`` (``tmkit status``, which knows no sign-off file exists):
    without a sign-off there is nothing to compare with, so the segments are
    not hashed and the state has an empty fingerprint and no hashes.  A
    sign-off file found after all is compared as usual.
    """
    path, shown = signoff_file(config, lang, slug)
    signoff = read_signoff(path, shown, lang, slug)
    if signoff is None and not hashed:
        return ReviewState(config.publish.require_review, "", {}, None)
    statuses: dict[str, SegmentStatus] = {}
    hashes = segment_hashes(units, index, statuses)
    return ReviewState(config.publish.require_review, fingerprint(lang, slug, hashes), hashes, signoff, statuses)
