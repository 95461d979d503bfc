"""What ``tmkit build`` reports: plain data, cheap to import.

Kept apart from :mod:`toolkit.publish.build` so that a rebuild with nothing to do
(:mod:`toolkit.project.nochange`) can give its report without importing the
writers and Jinja2.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path


@dataclass
class ArticleLanguage:
    """The outcome for one article in one language."""

    slug: str
    lang: str
    published: bool
    percent: float
    forced: bool = False
    reasons: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)   # warnings, one per dropped translation
    source: bool = False
    kept: bool = False       # held back, but its last approved pages stay published
    approved: str = ""       # sign-off fingerprint of the pages on disk (require_review)
    segments: int = 0        # the places on the page (segments) the gate counts...
    translated: int = 0      # ...and how many of them are translated
    broken: str = ""         # the PO file's error when it cannot be read (toolkit.catalog.broken)


@dataclass
class LanguageSummary:
    """One row of the build summary."""

    lang: str
    published: int = 0
    held_back: int = 0
    completeness: float = 0.0          # see COMPLETENESS
    segments: int = 0
    translated: int = 0


#: What "complete" means in every report (build, status, the index page, the gate):
#: the translated share of the segments on the page; for a language, of all its
#: articles' segments together (a long article weighs more than a short one).
COMPLETENESS = "complete: translated share of the segments on the page, all articles of a language together"


@dataclass
class BuildReport:
    """What a build did: per article-language outcomes, files written and removed."""

    output: Path
    results: list[ArticleLanguage] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    articles: int = 0
    unchanged: int = 0                 # articles skipped because no input changed
    notes: list[str] = field(default_factory=list)   # one line each: what the site lacks and why
    left_out: list[str] = field(default_factory=list)   # formats not written, and what to install

    @property
    def held_back(self) -> list[ArticleLanguage]:
        return [r for r in self.results if not r.published]

    @property
    def kept(self) -> list[ArticleLanguage]:
        """Held back for review, their last approved pages left in place."""
        return [r for r in self.results if r.kept]

    @property
    def warnings(self) -> list[str]:
        """Rejected translations and forced publications, for the user to see."""
        out = list(self.left_out)
        out += [w for r in self.results for w in r.rejected]
        out += [f"{r.lang}/{r.slug}: published with --force although held back: {'; '.join(r.reasons)}"
                for r in self.results if r.forced]
        return out

    def as_rerun(self) -> dict:
        """What a rebuild with nothing changed reports (stored by :mod:`toolkit.project.nochange`).

        Results as rows of values (not dicts): thousands of them, kept small.
        """
        names = [f.name for f in fields(ArticleLanguage)]
        return {"output": os.fspath(self.output), "articles": self.articles, "fields": names,
                "results": [[getattr(r, name) for name in names] for r in self.results],
                "notes": list(self.notes)}

    @classmethod
    def rerun(cls, stored: dict) -> "BuildReport":
        names = stored["fields"]
        return cls(Path(stored["output"]), [ArticleLanguage(**dict(zip(names, row)))
                                            for row in stored["results"]],
                   articles=int(stored["articles"]), unchanged=int(stored["articles"]),
                   notes=[str(n) for n in stored.get("notes", [])])

    def summary(self) -> list[LanguageSummary]:
        """Per language: articles published, held back, completeness (:data:`COMPLETENESS`).

        Completeness is counted over the segments of all the language's
        articles together, as ``tmkit status`` counts it; a stored report from
        before segments were recorded falls back to the mean over articles.
        """
        rows: dict[str, LanguageSummary] = {}
        means: dict[str, float] = {}
        for r in self.results:
            row = rows.setdefault(r.lang, LanguageSummary(r.lang))
            row.published += r.published
            row.held_back += not r.published
            if r.broken:
                continue        # unreadable: neither translated nor not
            row.segments += r.segments
            row.translated += r.translated
            means[r.lang] = means.get(r.lang, 0.0) + r.percent
        for lang, row in rows.items():
            counted = all(r.segments or r.source or r.broken for r in self.results if r.lang == lang)
            if counted and row.segments:
                row.completeness = 100.0 * row.translated / row.segments
            else:
                row.completeness = means.get(lang, 0.0) / max(row.published + row.held_back, 1)
        return list(rows.values())
