"""What a check reports: a :class:`Finding`, and how findings are listed.

Findings point at the PO file and the line of the entry's ``msgstr`` so an
editor (or CI log viewer) jumps straight to the translation at fault.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from toolkit.text.xmlchars import json_shown_chunks

ERROR = "error"
WARNING = "warning"
SEVERITIES = (ERROR, WARNING)


@dataclass(frozen=True, order=True)
class Finding:
    """One problem in one PO entry.

    Field order is the sort order: file, line, check name.
    """

    path: str          # relative to the project root, e.g. "po/es/failed-back-syndrome.po"
    line: int          # line of the entry's msgstr
    check: str         # "numbers", "glossary", "endpunc", ...
    severity: str      # ERROR or WARNING
    message: str
    lang: str = ""
    slug: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def format(self) -> str:
        """``path:line: [check] message``; warnings say so after the tag."""
        flag = "" if self.is_error else "warning: "
        return f"{self.path}:{self.line}: [{self.check}] {flag}{self.message}"

    def as_dict(self) -> dict:
        """The fields by name, in field order (``dataclasses.asdict`` deep-copies each
        value: ten times slower on the thousands of findings a cache stores)."""
        return {"path": self.path, "line": self.line, "check": self.check, "severity": self.severity,
                "message": self.message, "lang": self.lang, "slug": self.slug}


#: How to accept a deliberate change, per check, beyond the comment every check honours.
_ACCEPT_ALSO = {
    "numbers": "or list numbers a translation may localise (emergency numbers such as 999 -> 112) "
               "in [checks] localisable_numbers of tmkit.toml",   # the finding names the comment too
    "do-not-translate": "or take the term out of [checks] do_not_translate in tmkit.toml",
}


def accept_hint(check: str, source: bool = False) -> str:
    """How to accept a deliberate translation that ``check`` flags ("" for the English checks)."""
    if source:
        return ""
    also = _ACCEPT_ALSO.get(check, f'or switch the check off: [checks] disable = ["{check}"]')
    return (f"[{check}] a deliberate change? add the translator comment '# tmkit-ignore: {check}' "
            f"to that entry in its PO file, {also}")


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in file, line, check order (stable output for diffs and CI).

    Sorted by a key tuple, the dataclass's own order (field order): the
    generated ``__lt__`` builds two tuples per comparison, ten times slower
    on the thousands of findings of a large project."""
    return sorted(set(findings), key=_order)


def _order(f: "Finding") -> tuple:
    return (f.path, f.line, f.check, f.severity, f.message, f.lang, f.slug)


def summary(findings: list[Finding], files: int, entries: int) -> str:
    """One line: how many errors and warnings in how many files and entries."""
    counts = Counter(f.severity for f in findings)
    errors, warnings = counts[ERROR], counts[WARNING]
    return (f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
            f"in {files} file{'s' * (files != 1)} ({entries} translated entr{'ies' if entries != 1 else 'y'} checked)")


@dataclass
class FindingsReport:
    """Findings of one run, and the exit code they give (shared by
    ``tmkit check`` and ``tmkit check --source``)."""

    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(f.is_error for f in self.findings)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors

    def totals(self) -> dict:
        """What the JSON report gives after the findings (counts; each report says which)."""
        return {"errors": self.errors, "warnings": self.warnings}

    def as_dict(self) -> dict:
        return {"findings": [f.as_dict() for f in self.findings], **self.totals()}

    def json_chunks(self) -> Iterator[str]:
        """``json_shown(self.as_dict())`` in pieces, each finding encoded as it is written
        (:func:`toolkit.text.xmlchars.json_shown_chunks`: memory stays flat)."""
        return json_shown_chunks("findings", (f.as_dict() for f in self.findings), self.totals())

    @property
    def exit_code(self) -> int:
        """1 when an error-level finding exists (CI gates on it), else 0."""
        return 1 if self.errors else 0
