"""What ``tmkit extract`` and ``tmkit update`` report: plain data, cheap to import.

Kept apart from the commands' modules so that a rerun with nothing to do
(:mod:`toolkit.project.nochange`) can give its report without importing them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class ExtractReport:
    """What :func:`extract_project` did."""

    written: list[Path] = field(default_factory=list)
    unchanged: int = 0
    entries: int = 0
    warnings: list[str] = field(default_factory=list)   # one line each, naming the file

    @property
    def total(self) -> int:
        return len(self.written) + self.unchanged

    def as_rerun(self) -> dict:
        """What a rerun with nothing changed reports (stored by :mod:`toolkit.project.nochange`)."""
        return {"templates": self.total, "entries": self.entries, "warnings": self.warnings}

    @classmethod
    def rerun(cls, stored: dict) -> "ExtractReport":
        return cls(unchanged=int(stored["templates"]), entries=int(stored["entries"]),
                   warnings=[str(w) for w in stored.get("warnings", [])])


@dataclass
class MergeCounts:
    """What an update did to one catalog (or, summed, to one language)."""

    kept: int = 0
    fuzzy: int = 0
    added: int = 0
    obsolete: int = 0
    extra: dict[str, int] = field(default_factory=dict)   # counters returned by hooks
    warnings: list[str] = field(default_factory=list)     # one line each, naming the file

    def add(self, other: "MergeCounts", times: int = 1) -> None:
        """Add ``other``'s counts (``times=-1``: take them away again)."""
        self.kept += times * other.kept
        self.fuzzy += times * other.fuzzy
        self.added += times * other.added
        self.obsolete += times * other.obsolete
        for key, value in other.extra.items():
            self.extra[key] = self.extra.get(key, 0) + times * value
        if times > 0:
            self.warnings.extend(other.warnings)
        else:
            for warning in other.warnings:
                if warning in self.warnings:
                    self.warnings.remove(warning)

    def as_dict(self) -> dict[str, int]:
        return {"kept": self.kept, "fuzzy": self.fuzzy, "added": self.added,
                "obsolete": self.obsolete, **self.extra}


@dataclass
class UpdateReport:
    """Per-language counts of ``update_project`` and the files it wrote."""

    languages: dict[str, MergeCounts]
    written: list[Path] = field(default_factory=list)
    unchanged: int = 0
    entries: dict[str, int] = field(default_factory=dict)   # active entries per language, all catalogs
    redone: list[Path] = field(default_factory=list)     # saved by someone during the run: merged again
    left: list = field(default_factory=list)             # LeftFile: saved during the run, left as saved
    redone_written: list[Path] = field(default_factory=list)   # the redone files that were replaced
    #: errors of hooks' work after every file was written (the TM feed: the server went
    #: away); the files stand, the hook catches up on the next run
    late_errors: list[str] = field(default_factory=list)

    def as_rerun(self) -> dict:
        """What a rerun with nothing changed reports (stored by :mod:`toolkit.project.nochange`)."""
        return {"languages": {tag: self.entries.get(tag, 0) for tag in self.languages},
                "catalogs": len(self.written) + self.unchanged}

    @classmethod
    def rerun(cls, stored: dict) -> "UpdateReport":
        """The report of a rerun with nothing changed, from :meth:`as_rerun`."""
        return cls({tag: MergeCounts(kept=int(kept)) for tag, kept in stored["languages"].items()},
                   unchanged=int(stored["catalogs"]), entries=dict(stored["languages"]))

    @property
    def total(self) -> MergeCounts:
        total = MergeCounts()
        for counts in self.languages.values():
            total.add(counts)
        return total
