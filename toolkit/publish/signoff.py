"""The sign-off file ``po/<lang>/<slug>.review.toml``: who approved which version.

``tmkit review approve`` writes it; the publishing gate
(:func:`toolkit.publish.gate.review_state`) and ``tmkit review`` read it.  It sits
beside the PO file and is committed with it, so the record of a clinical
review travels with the translation it covers::

    # Sign-off recorded by `tmkit review approve`; commit it with the PO file.
    version = 1
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
:func:`toolkit.publish.gate.fingerprint`); ``segments`` keeps a short hash per segment
so the review page can show which segments changed since.  The file is read
strictly: a damaged or hand-edited one is an error with its file and line,
never silently taken as "not reviewed" or "approved".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from toolkit.project.config import Config, parse_toml
from toolkit.errors import CatalogError, TmkitError
from toolkit.project.fsutil import atomic_write_text, read_text

SIGNOFF_SUFFIX = ".review.toml"
SIGNOFF_VERSION = 1
HEADER = ("# Sign-off recorded by `tmkit review approve`; commit it with the PO file.\n"
          "# It says who reviewed exactly which version of the article-language.\n")
_FINGERPRINT_RE = re.compile(r"^sha256:[0-9a-f]{64}$")
_HASH_RE = re.compile(r"^[0-9a-f]{8,64}$")


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
    if data["version"] != SIGNOFF_VERSION:
        raise fail(f"sign-off file version {data['version']} is not supported "
                   f"(this tmkit reads version {SIGNOFF_VERSION})", "version")
    if data["lang"] != lang or data["article"] != slug:
        raise fail(f"this sign-off is for {data['lang']}/{data['article']}, not {lang}/{slug} "
                   "(copied from another file?)", "lang")
    if not data["reviewer"].strip():
        raise fail("'reviewer' is empty", "reviewer")
    if not _FINGERPRINT_RE.match(data["fingerprint"]):
        raise fail("'fingerprint' must be 'sha256:' and 64 hex digits", "fingerprint")
    segments = data["segments"]
    for seg_id, value in segments.items():
        if not isinstance(value, str) or not _HASH_RE.match(value):
            raise fail(f"segment '{seg_id}' must have a hex hash", seg_id)
    return SignOff(data["lang"], data["article"], data["reviewer"], data["approved_at"],
                   data["fingerprint"], data["despite_findings"], data["error_findings"],
                   dict(segments))


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
