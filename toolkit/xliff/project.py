"""``tmkit xliff export`` and ``tmkit xliff import`` on a project (one function each)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable, Optional, Sequence

from toolkit.catalog import broken
from toolkit.catalog.pofile import parse_po_bytes, read_po
from toolkit.catalog.rewrite import Rewrite, RewriteReport, rewrite_catalogs
from toolkit.project.config import Config
from toolkit.errors import CatalogError, ConfigError, XliffError
from toolkit.project.fsutil import AtomicBatch
from toolkit.project.layout import check_output, relative
from toolkit.readers.sources import article_paths
from toolkit.text.languages import canonical_tag, lookup_tag
from toolkit.xliff.apply import STALE_POLICIES, CatalogImport, ImportCounts, apply_file
from toolkit.xliff.reader import XliffFile, read_document
from toolkit.catalog.template import segment_ids
from toolkit.xliff import omegat
from toolkit.xliff.writer import (FLAVOURS, TRANSLATED, ExportEntry, Suggestion, carries,
                                  entry_state, render_document)


# -- export ------------------------------------------------------------------------

@dataclass
class ExportedFile:
    path: Path
    units: int
    skipped: int = 0        # entries with characters XML cannot carry


@dataclass
class ExportReport:
    files: list[ExportedFile] = field(default_factory=list)
    nothing_to_do: list[str] = field(default_factory=list)   # slugs left out (--untranslated-only)
    project: Optional[Path] = None      # the OmegaT project written (--for omegat)


#: ``signed_off(lang, slug) -> segment ids a clinical sign-off covers``: the sign-off
#: lives on a higher floor (``toolkit.publish.signoff``), so the caller passes it in.
SignedOff = Callable[[str, str], set[str]]


def export_project(config: Config, lang: str, output: os.PathLike | str,
                   slugs: Optional[Sequence[str]] = None, untranslated_only: bool = False,
                   use_tm: bool = True, flavour: str = "xliff",
                   signed_off: Optional[SignedOff] = None) -> ExportReport:
    """Write ``<output>/<lang>/<slug>.xlf`` for each article (all, or ``slugs``).

    ``untranslated_only`` keeps the entries that still need work (empty,
    fuzzy, or with tags that differ from the source's); articles with none
    are not written.  With a TM in the project, entries that need work get
    its matches as ``<alt-trans>`` (``[tm] min_score``, ``suggestions``).
    ``flavour="omegat"`` writes an OmegaT project in ``<output>/<lang>/``
    instead (:mod:`toolkit.xliff.omegat`).  ``signed_off`` names the segments
    a sign-off covers (``state="signed-off"``); without it none is.
    """
    from toolkit.checks.glossary import COMMENT_PREFIX, load_glossary

    if flavour not in FLAVOURS:
        raise XliffError(f"--for must be one of {', '.join(FLAVOURS)}")
    (lang,) = config.select_languages([lang])
    out = check_output(config, output, "-o")
    check_output(config, out / lang, "-o")     # out/<lang> may be a symlink into po/
    glossary = load_glossary(config)
    catalogs = []
    for path in article_paths(config, list(slugs) if slugs else None):
        po_path = config.po_file(lang, path.stem)
        if not po_path.is_file():
            raise CatalogError("no PO file; run 'tmkit update' first", relative(config, po_path))
        try:
            po = read_po(po_path, relative(config, po_path))
        except CatalogError as exc:   # a broken PO file fails alone (toolkit.catalog.broken)
            if not broken.skip(exc):
                raise
            continue
        covered = signed_off(lang, path.stem) if signed_off is not None else set()
        entries, skipped = [], 0
        for entry in po:
            if entry.obsolete or not entry.msgid or entry.msgid_plural:
                continue
            if not carries(entry):
                skipped += 1
                continue
            if untranslated_only and entry_state(entry) == TRANSLATED:
                continue
            terms = glossary.matches(entry.msgid, lang) if glossary else []
            ids = segment_ids(entry)
            entries.append(ExportEntry(entry, bool(ids) and covered.issuperset(ids),
                                       [t.comment()[len(COMMENT_PREFIX):] for t in terms]))
        catalogs.append((path.stem, relative(config, po_path), entries, skipped))
    if use_tm:
        _suggest(config, lang, [item for _, _, entries, _ in catalogs for item in entries])
    report = ExportReport()
    omegat = flavour == "omegat"
    folder = out / lang
    with AtomicBatch() as batch:
        for slug, shown, entries, skipped in catalogs:
            if not entries and untranslated_only:
                report.nothing_to_do.append(slug)
                continue
            target = (folder / "source" if omegat else folder) / f"{slug}.xlf"
            batch.add(target, render_document(entries, original=shown,
                                              source_lang=config.source_language,
                                              target_lang=lang, product=config.name,
                                              flavour=flavour))
            report.files.append(ExportedFile(target, len(entries), skipped))
        if omegat and report.files:
            items = [item for _, _, entries, _ in catalogs for item in entries]
            rows = ([(t.term, translation, t.note) for t in glossary.for_language(lang)
                     for translation in t.translations] if glossary else [])
            report.project = _omegat_project(batch, folder, config.source_language, lang, items, rows)
    return report


def _omegat_project(batch: AtomicBatch, folder: Path, source_lang: str, lang: str,
                    items: list[ExportEntry], glossary_rows: list[tuple[str, str, str]]) -> Path:
    """The rest of the OmegaT project around ``source/``: settings, TMX, glossary, folders."""
    finished, matches = omegat.tmx_pairs(items)
    for name in omegat.FOLDERS:
        (folder / name).mkdir(parents=True, exist_ok=True)
    batch.add(folder / omegat.PROJECT_FILE, omegat.project_file(source_lang, lang))
    batch.add(folder / "tm" / "auto" / f"tmkit-{lang}.tmx",
              omegat.tmx_document(finished, source_lang, lang))
    batch.add(folder / "tm" / f"tmkit-{lang}-matches.tmx",
              omegat.tmx_document(matches, source_lang, lang))
    if glossary_rows:
        batch.add(folder / "glossary" / f"tmkit-{lang}.utf8", omegat.glossary_file(glossary_rows))
    return folder


def _suggest(config: Config, lang: str, items: list[ExportEntry]) -> None:
    """TM matches for the entries that need work (the TM is only read, never created)."""
    wanted = [item for item in items if entry_state(item.entry) != TRANSLATED]
    if not wanted:
        return
    from toolkit.tm.backends import is_url
    from toolkit.tm.project import open_project_tm
    from toolkit.text.xmlchars import xml_safe

    if not is_url(config.tm_location) and not config.tm_path.is_file():
        return                                          # no TM yet: nothing to offer
    with open_project_tm(config, create=False) as tm:   # the file, or the team's server
        found = tm.lookup_many([item.entry.msgid for item in wanted], config.source_language,
                               lang, config.tm.min_score, config.tm.suggestions)
    for item, matches in zip(wanted, found):
        item.suggestions = [Suggestion(m.unit.source, m.unit.target, m.score, m.unit.origin)
                            for m in matches
                            if m.unit.target != item.entry.msgstr
                            and xml_safe(m.unit.source + m.unit.target + m.unit.origin)]


# -- import ------------------------------------------------------------------------

@dataclass
class FileResult:
    """The outcome of one ``<file>`` of an imported document."""

    path: str               # the XLIFF file as given
    po: str                 # the PO file it went into
    counts: ImportCounts
    messages: list[str]
    notes: list[str] = field(default_factory=list)   # not problems: how the file was read


def import_files(config: Config, files: Iterable[os.PathLike | str],
                 stale: str = "fuzzy") -> tuple[list[FileResult], RewriteReport]:
    """Apply XLIFF files to the project's PO files; returns per-file results and what was written.

    Every file is read and checked, and every change computed, before the
    first PO file is written (together, atomically): a bad file changes
    nothing.  A PO file a translator saved while the import ran is never
    overwritten: the import is applied again to the saved file, or the file
    is left as saved (the report's ``redone`` and ``left``, see
    :func:`toolkit.catalog.rewrite.rewrite_catalogs`).  ``stale``: ``fuzzy``
    (default) or ``hold`` (see :mod:`toolkit.xliff.apply`).
    """
    if stale not in STALE_POLICIES:
        raise XliffError(f"--stale must be one of {', '.join(STALE_POLICIES)}")
    # First every document is read and checked, keeping only where each <file> goes: the
    # parsed trees of 4,000 exported articles held a gigabyte.  Each PO file's <file>s are
    # read again when its new text is made, one PO file at a time, and staged at once.
    by_po: dict[Path, list[_FileRef]] = {}
    order = 0
    for given in files:
        shown = os.fspath(given)
        for index, xfile in enumerate(read_document(given, shown)):
            by_po.setdefault(_po_for(config, xfile, shown), []).append(_FileRef(order, shown, given, index))
            order += 1
    outcomes: dict[Path, list[tuple[int, FileResult]]] = {}
    documents = _Documents(config)

    def apply(po_path: Path, data: bytes) -> str:
        xfiles = [(ref.order, ref.shown, documents.file(ref)) for ref in by_po[po_path]]
        text, outcomes[po_path] = apply_to_catalog(relative(config, po_path), data, xfiles, stale)
        return text

    def rewrites() -> Iterable[Rewrite]:   # made one by one as rewrite_catalogs stages them
        for po_path in by_po:
            data = po_path.read_bytes()
            yield Rewrite(po_path, data, apply(po_path, data))

    def redo(po_path: Path, current: Optional[bytes]) -> str:
        if current is None:
            raise CatalogError("removed while the import ran", relative(config, po_path))
        return apply(po_path, current)

    report = rewrite_catalogs(rewrites(), redo)
    results = sorted((item for outcome in outcomes.values() for item in outcome), key=lambda r: r[0])
    return [result for _, result in results], report


@dataclass(frozen=True)
class _FileRef:
    """Where one ``<file>`` of an import is: its place in the import, and in its document."""

    order: int
    shown: str
    given: os.PathLike | str
    index: int


class _Documents:
    """The ``<file>``s of the documents of an import, read again when needed; the last
    document read is kept (its files usually go to consecutive PO files)."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._given: object = None
        self._files: list[XliffFile] = []

    def file(self, ref: _FileRef) -> XliffFile:
        if ref.given is not self._given:
            self._files = read_document(ref.given, ref.shown)
            self._given = ref.given
            for xfile in self._files:   # what the first reading noted (a language tag fallen back)
                _po_for(self.config, xfile, ref.shown)
        if ref.index >= len(self._files):
            raise XliffError("the file changed while the import ran; import it again", ref.shown)
        return self._files[ref.index]


def apply_to_catalog(po_shown: str, data: bytes, xfiles: list[tuple[int, str, XliffFile]],
                     stale: str) -> tuple[str, list[tuple[int, FileResult]]]:
    """The new text of one PO file (its bytes ``data``) after the ``<file>``s meant for it.

    Pure: reads and writes nothing, so a caller can run it again on a catalog
    that a translator saved while the import ran.
    """
    po = parse_po_bytes(data, po_shown)          # refuses what is not valid UTF-8 PO
    catalog = CatalogImport(po_shown, data.decode("utf-8"), po)
    results = []
    for order, shown, xfile in xfiles:
        counts, messages = apply_file(xfile, catalog, shown, stale)
        results.append((order, FileResult(shown, po_shown, counts, messages, list(xfile.notes))))
    return catalog.render(), results


def _po_for(config: Config, xfile: XliffFile, shown: str) -> Path:
    """The project PO file a ``<file original="po/es/slug.po">`` is for.

    The languages must be the project's; only the file name of ``original``
    is used (never the path the file claims), and the PO file must exist: an
    XLIFF file cannot make tmkit write elsewhere.
    """
    for given, what in ((xfile.target_lang, "target-language"), (xfile.source_lang, "source-language")):
        try:    # well-formed BCP 47 first (gettext's "_" read as "-"): never a path, never "es-../x"
            canonical_tag(given.replace("_", "-"))
        except ConfigError as exc:
            raise XliffError(f"{what}: {exc.message}", shown, xfile.line) from None
    lang = lookup_tag(xfile.target_lang, config.languages)
    if lang is None:
        raise XliffError(f"file for language {xfile.target_lang!r}, which tmkit.toml does "
                         f"not list ({', '.join(config.languages)})", shown, xfile.line)
    source = lookup_tag(xfile.source_lang, [config.source_language])
    if source is None:
        raise XliffError(f"source language {xfile.source_lang!r} is not the project's "
                         f"({config.source_language!r})", shown, xfile.line)
    for given, taken, what in ((xfile.source_lang, source, "source-language"),
                               (xfile.target_lang, lang, "target-language")):
        if given.replace("_", "-").lower() != taken.lower():
            xfile.notes.append(f"{shown}:{xfile.line}: {what} {given!r} read as the project's "
                               f"{taken!r} (BCP 47 fallback)")
    original, line = xfile.original, xfile.line
    name = PurePosixPath(original.replace("\\", "/")).name
    slug = name[:-3] if name.endswith(".po") else ""
    if not slug or slug.startswith("."):
        raise XliffError(f"<file original={original!r}> does not name a PO file of the project",
                         shown, line)
    path = config.po_file(lang, slug)
    if not path.is_file():
        raise XliffError(f"no PO file {relative(config, path)} for <file original={original!r}>",
                         shown, line)
    return path
