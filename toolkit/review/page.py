"""``tmkit review``: a page for a clinical reviewer who never opens a PO editor.

``exports/review/<lang>/<slug>.html`` lists every segment of the article in
reading order, English beside the translation, with:

* its state: translated, fuzzy (with the English the translation was made
  for, ``#| msgid``, shown as a word difference against today's English,
  ``<del>``/``<ins>``), untranslated, or rejected (markup differs);
* every finding of the project's checks on it (the same runner as
  ``tmkit check``, so the page and CI never disagree);
* where pre-filled text came from (the ``tmkit-tm:`` comment that
  pre-translation writes);
* the place to fix it, ``po/<lang>/<slug>.po:LINE`` (the ``msgstr`` line,
  as ``tmkit check`` reports it);
* whether it changed since the last sign-off (per-segment hashes in the
  sign-off file).

The page is built like the site: Jinja2 with autoescape, translations through
:func:`toolkit.publish.writers.html.inline_html` (a fixed set of tags, everything else
escaped), a Content-Security-Policy that forbids scripts, ``lang``/``dir`` on
each column.  It only reads catalogs.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from markupsafe import Markup

from toolkit import __version__
from toolkit.errors import TmkitError
from toolkit.checks.findings import Finding
from toolkit.project.config import Config
from toolkit.project.fsutil import open_regular
from toolkit.catalog.tmcomment import tm_origins
from toolkit.catalog.translated import entry_status
from toolkit.publish.signoff import ReviewState, signoff_file
from toolkit.text.inline import plain_text
from toolkit.text.xmlchars import visible
from toolkit.text.languages import Language, get_language
from toolkit.review.catalog import ReviewedCatalog
from toolkit.publish.writers.html import CSP, environment, inline_html, render_template

_TOKEN_RE = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class DiffPart:
    """A run of text in a difference: ``equal``, ``delete`` (old only) or ``insert`` (new only)."""

    kind: str
    text: str


def word_diff(old: str, new: str) -> list[DiffPart]:
    """``old`` against ``new`` word by word (difflib), adjacent runs of one kind joined."""
    a, b = _TOKEN_RE.findall(old), _TOKEN_RE.findall(new)
    parts: list[DiffPart] = []

    def add(kind: str, tokens: list[str]) -> None:
        text = "".join(tokens)
        if not text:
            return
        if parts and parts[-1].kind == kind:
            parts[-1] = DiffPart(kind, parts[-1].text + text)
        else:
            parts.append(DiffPart(kind, text))

    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            add("equal", a[i1:i2])
        else:
            add("delete", a[i1:i2])
            add("insert", b[j1:j2])
    return parts


@dataclass
class ReviewSegment:
    """One row of the review page."""

    id: str
    place: str                        # where it sits, as the PO comment says
    source: str                       # English (inline markup)
    translation: str                  # msgstr, "" when there is none
    state: str                        # translated | fuzzy | untranslated | rejected
    location: str                     # "po/es/<slug>.po:86", what to open to fix it
    previous: Optional[str] = None    # the English a fuzzy translation was made for
    diff: list[DiffPart] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    tm_origin: list[str] = field(default_factory=list)
    changed: bool = False             # new or different since the last sign-off
    line: int = 0                     # the msgstr line findings point at (0: no entry)
    number: int = 0                   # 1, 2... in reading order (the row's number on the page)

    @property
    def errors(self) -> int:
        return sum(f.is_error for f in self.findings)

    @property
    def source_html(self) -> Markup:
        """The English as safe HTML (:func:`inline_html`: only tmkit's inline tags)."""
        return inline_html(self.source)

    @property
    def translation_html(self) -> Markup:
        """The translation as safe HTML (:func:`inline_html`)."""
        return inline_html(self.translation)


@dataclass
class ReviewPage:
    """Everything the review page of one article-language shows."""

    lang: Language
    source: Language
    slug: str
    title: str                        # English title, plain text
    po_file: str
    signoff_file: str
    segments: list[ReviewSegment]
    review: ReviewState

    @property
    def counts(self) -> Counter:
        return Counter(s.state for s in self.segments)

    @property
    def findings(self) -> list[Finding]:
        return [f for s in self.segments for f in s.findings]

    @property
    def error_count(self) -> int:
        return sum(f.is_error for f in self.findings)

    def summary(self) -> "PageSummary":
        return PageSummary(self.slug, self.counts, self.error_count, self.review.state)

    def attach(self, findings: Sequence[Finding]) -> None:
        """Give each row the findings of :func:`run_checks` on its ``msgstr`` line
        (``findings`` sorted, as :func:`~toolkit.checks.findings.sort_findings` gives them;
        those of other files are ignored)."""
        by_line: dict[int, list[Finding]] = defaultdict(list)
        for finding in findings:
            if finding.path == self.po_file:
                by_line[finding.line].append(finding)
        for row in self.segments:
            row.findings = list(by_line.get(row.line, [])) if row.line else []


@dataclass(frozen=True)
class PageSummary:
    """What ``tmkit review`` says of a page it wrote: small, so that worker
    processes send it back instead of the page with all its rows."""

    slug: str
    counts: Counter
    error_count: int
    state: str                        # the sign-off's: approved | changed | unreviewed


def build_page(config: Config, catalog: ReviewedCatalog, findings: Sequence[Finding]) -> ReviewPage:
    """The rows of one article-language; ``findings`` from :func:`run_checks` on it
    (those of other files are ignored: callers with many pages hand each its own)."""
    index = catalog.index
    review = catalog.review
    changed = set(review.changed_segments()) if review.signoff else set()
    statuses = review.statuses            # judged once, when the segments were hashed
    rows = []
    for _unit, segments in catalog.units:
        for segment in segments:
            entry = index.get(segment.key)
            state = (statuses.get(segment.id) or entry_status(entry, segment.text)).value
            if entry is None:
                rows.append(ReviewSegment(segment.id, segment.comment, segment.text, "", state,
                                          f"{catalog.po_shown} (no entry: run 'tmkit update')",
                                          changed=segment.id in changed))
                continue
            line = entry.msgstr_line
            previous = entry.previous_msgid if state == "fuzzy" and entry.previous_msgid else None
            rows.append(ReviewSegment(
                segment.id, segment.comment, segment.text, visible(entry.msgstr), state,
                f"{catalog.po_shown}:{line}", previous,
                word_diff(previous, segment.text) if previous is not None else [],
                [], tm_origins(entry.tcomment), segment.id in changed, line))
    for number, row in enumerate(rows, 1):
        row.number = number
    page = ReviewPage(get_language(catalog.lang), get_language(config.source_language),
                      catalog.article.slug, plain_text(catalog.article.title or catalog.article.slug),
                      catalog.po_shown, signoff_file(config, catalog.lang, catalog.article.slug)[1],
                      rows, review)
    if findings:
        page.attach(findings)
    return page


def render_page(config: Config, page: ReviewPage, env=None) -> bytes:
    """The review page as HTML bytes (``review.html``, overridable like the site's templates).

    The template lays out the page; the table's rows come ready made as
    ``segment_rows`` (:func:`segment_rows`), since a row per segment through
    Jinja2 (about forty escapes and attribute look-ups each) was most of
    the rendering time.  An overriding template may still lay its rows out
    itself from ``page.segments``.
    """
    env = env or environment(override(config))
    return render_template(env, "review.html", {
        "page": page, "csp": CSP, "generator": f"tmkit {__version__}",
        "inline": inline_html, "source_dir": page.source.dir, "target_dir": page.lang.dir,
        "segment_rows": Markup(segment_rows(page))})


def _escape(text: str) -> str:
    """``str(markupsafe.escape(text))`` for a ``str`` (the same five entities), without
    making a ``Markup`` object per value (tests/test_review.py compares the two)."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("'", "&#39;").replace('"', "&#34;"))


#: What the notes column says after the state, by state.
_STATE_NOTE = {"fuzzy": " not published until a translator confirms it",
               "untranslated": " shown in English on the site",
               "rejected": " markup differs from the English: not published"}


def segment_rows(page: ReviewPage) -> str:
    """The ``<tr>`` of every segment of ``page``, each ending in a newline.

    Every text from a file goes through :func:`_escape` (attributes and
    text alike) or, for the English and the translation, through
    :func:`inline_html` (only tmkit's inline tags), as the template's
    autoescape did: the output is byte for byte what the row template of
    ``review.html`` rendered before (tests/test_review.py keeps that
    template and compares every branch).
    """
    source_attrs = f'lang="{_escape(page.source.tag)}" dir="{_escape(page.source.dir)}"'
    target_attrs = f'lang="{_escape(page.lang.tag)}" dir="{_escape(page.lang.dir)}"'
    diff_head = (f'<div class="diff" lang="{_escape(page.source.tag)}"><span lang="en">Translated from '
                 f'an earlier English (deleted / inserted):</span><br>\n')
    out: list[str] = []
    add = out.append
    for s in page.segments:
        seg_id, state = _escape(s.id), _escape(s.state)
        if s.changed:
            add(f'<tr id="seg-{seg_id}" class="segment {state} changed" data-id="{seg_id}" '
                f'data-state="{state}" data-changed="true">\n<th scope="row" class="where">{s.number}. '
                f'<code>{seg_id}</code><strong class="changed-mark">● changed since sign-off</strong>')
        else:
            add(f'<tr id="seg-{seg_id}" class="segment {state}" data-id="{seg_id}" data-state="{state}">\n'
                f'<th scope="row" class="where">{s.number}. <code>{seg_id}</code>')
        add(f'<br><small>{_escape(s.place)}</small></th>\n<td class="source" {source_attrs}>'
            f'{inline_html(s.source)}\n')
        if s.previous is not None:
            add(diff_head)
            for part in s.diff:
                text = _escape(part.text)
                add(f"<del>{text}</del>" if part.kind == "delete" else
                    f"<ins>{text}</ins>" if part.kind == "insert" else text)
            add("</div>\n")
        if s.translation:
            add(f'</td>\n<td class="target" {target_attrs}>{inline_html(s.translation)}</td>\n')
        else:
            add(f'</td>\n<td class="target empty" {target_attrs}><span class="note" lang="en" '
                f'dir="ltr">(not translated)</span></td>\n')
        add(f'<td class="notes">\n<span class="state {state}">{state}</span>{_STATE_NOTE.get(s.state, "")}')
        if s.findings:
            add('<ul class="findings">\n')
            for f in s.findings:
                severity, check = _escape(f.severity), _escape(f.check)
                add(f'<li class="finding {severity}" data-check="{check}" data-severity="{severity}">'
                    f'[{check}] {severity}: {_escape(f.message)}</li>\n')
            add("</ul>\n")
        for origin in s.tm_origin:
            what = "Pre-filled from the translation memory" if s.translation else "Translation memory suggestion"
            add(f'<div class="tm">{what}: {_escape(origin)}</div>\n')
        add(f'<div class="fix">Fix in <code>{_escape(s.location)}</code></div>\n</td>\n</tr>\n')
    return "".join(out)


def override(config: Config) -> Optional[Path]:
    if not config.export.templates:
        return None
    from toolkit.project.fsutil import inside

    folder = inside(config.root, config.export.templates)
    return folder if folder.is_dir() else None


def review_path(config: Config, lang: str, slug: str) -> Path:
    return config.export_path / "review" / lang / f"{slug}.html"


def holds(path: Path, data: bytes) -> bool:
    """Whether the file at ``path`` holds exactly ``data`` (reading is far cheaper than replacing)."""
    try:
        with open_regular(path) as handle:   # a FIFO put there is not waited on
            return handle.read(len(data) + 1) == data
    except (OSError, TmkitError):
        return False
