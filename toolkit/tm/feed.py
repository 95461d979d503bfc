"""Feeding the TM from PO files: the project's catalogs, or PO/compendium imports.

Only finished work enters the TM: entries with a msgstr that are neither
fuzzy nor obsolete (plural entries are skipped: articles have none, and a
pair has one target).  Each unit records where it came from (the article slug
and the segment id from the ``#. id:`` comment, else msgctxt), the translator
(the PO header's ``Last-Translator``) and its status: ``reviewed`` when the
entry carries the flag ``#, reviewed`` or a translator comment line starting
with ``reviewed`` (e.g. ``# reviewed by Ana``), else ``translated``.
"""

from __future__ import annotations

import hashlib
import json
import re
import warnings
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Mapping, Optional

import polib

from toolkit.catalog import broken
from toolkit.catalog.pofile import parse_po_bytes, read_po
from toolkit.project.config import Config
from toolkit.errors import CatalogError, ConfigError, TmkitWarning
from toolkit.project.fsutil import atomic_write_text
from toolkit.project.layout import relative
from toolkit.tm.normalize import lang_tag, pair_key
from toolkit.tm.store import AddResult, Checkpoint, TMUnit
from toolkit.text.xmlchars import publishable

_ID_RE = re.compile(r"^id:\s*(\S+)", re.MULTILINE)
_PLACEHOLDER_TRANSLATOR = "FULL NAME <EMAIL@ADDRESS>"


def is_reviewed(entry: polib.POEntry) -> bool:
    """True when the translator marked the entry as reviewed (see module docstring)."""
    if "reviewed" in entry.flags:
        return True
    return any(line.strip().lower().startswith("reviewed")
               for line in (entry.tcomment or "").splitlines())


def segment_of(entry: polib.POEntry) -> str:
    """The segment id of an entry: ``#. id: b3.s1`` if present, else its msgctxt."""
    found = _ID_RE.search(entry.comment or "")
    if found:
        return found.group(1)
    return entry.msgctxt or ""


def _revision_date(po: polib.POFile) -> str:
    raw = po.metadata.get("PO-Revision-Date", "")
    try:
        stamp = datetime.strptime(raw.strip(), "%Y-%m-%d %H:%M%z")
    except ValueError:
        return ""
    return stamp.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def po_units(po: polib.POFile, source_lang: str, target_lang: str, article: str) -> list[TMUnit]:
    """The TM units a PO file offers (translated, non-fuzzy, non-obsolete, singular).

    A translation holding a control character no page may carry is not
    offered: the build refuses it, and the TM would hand it on to other
    articles.
    """
    translator = po.metadata.get("Last-Translator", "").strip()
    if translator == _PLACEHOLDER_TRANSLATOR:
        translator = ""
    changed = _revision_date(po)
    units = []
    for entry in po:
        if (entry.obsolete or entry.fuzzy or entry.msgid_plural or not entry.msgid
                or not entry.msgstr or not publishable(entry.msgid + entry.msgstr)):
            continue
        units.append(TMUnit(entry.msgid, entry.msgstr, source_lang, target_lang, article,
                            segment_of(entry), translator,
                            "reviewed" if is_reviewed(entry) else "translated",
                            created=changed, changed=changed))
    return units


def po_language(po: polib.POFile, path: Path, given: Optional[str] = None) -> str:
    """The target language of a PO file: ``given``, else its ``Language`` header."""
    lang = given or po.metadata.get("Language", "").strip()
    if not lang:
        raise CatalogError("no Language header; say which language with --lang", path)
    try:
        return lang_tag(lang)
    except ConfigError as exc:
        raise CatalogError(exc.message, path, None if given else _header_line(path)) from None


def _header_line(path: Path) -> Optional[int]:
    """The line of the ``Language:`` header in a PO file, for an error message."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, 1):
                if line.startswith('"Language:'):
                    return number
    except OSError:
        return None
    return None


def project_po_files(config: Config, languages: Optional[Iterable[str]] = None,
                     slugs: Optional[Iterable[str]] = None) -> list[tuple[str, str, Path]]:
    """``(lang, slug, path)`` of every existing PO file of the project."""
    # an unknown (or path-like) slug is an error naming it, as in every other command
    if slugs:   # the readers (and their model) only for a selection: ~10 ms of every start
        from toolkit.readers.sources import article_paths

        wanted = {p.stem for p in article_paths(config, list(slugs))}
    else:
        wanted = None
    found = []
    for lang in config.select_languages(list(languages) if languages else None):
        folder = config.po_path / lang
        for path in sorted(folder.glob("*.po")) if folder.is_dir() else []:
            if wanted is None or path.stem in wanted:
                found.append((lang, path.stem, path))
    return found


class FedState:
    """Which project PO files (by content hash) were fed into one TM already.

    Lives beside the TM (``<tm>.fed.json``): ``{path: [sha256, units]}`` for
    the TM ``identity``, and for each language the TM's checkpoint
    (:class:`~toolkit.tm.store.Checkpoint`) when it was saved.  A file is
    skipped as fed only while the TM still holds that checkpoint: after a
    restore from an older backup (or a rebuilt ``pairs`` table) the files of
    the language are checked against the server's units and those whose units
    are missing are fed again.  Losing the file only costs one full re-feed.
    """

    def __init__(self, config: Config, tm) -> None:
        self.path = Path(str(config.tm_path) + ".fed.json")
        self.store = tm.store
        self.source_lang = config.source_language
        self.identity = tm.store.identity()
        self.files, self.checkpoints = self._load()
        self.dirty = False
        self.intact_langs: dict[str, bool] = {}
        self.touched: set[str] = set()     # languages whose files this run fed or checked

    def _load(self) -> tuple[dict[str, list], dict[str, list]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}, {}
        if (not isinstance(data, dict) or data.get("identity") != self.identity
                or not isinstance(data.get("files"), dict)):
            return {}, {}
        files = {k: v for k, v in data["files"].items()
                 if isinstance(v, list) and len(v) == 2 and isinstance(v[0], str) and isinstance(v[1], int)}
        marks = data.get("checkpoints") if isinstance(data.get("checkpoints"), dict) else {}
        marks = {k: v for k, v in marks.items()
                 if isinstance(v, list) and len(v) == 3 and all(isinstance(n, int) for n in v)}
        return files, marks

    def intact(self, lang: str) -> bool:
        """True when the TM still holds every unit it held when this state was saved."""
        if lang not in self.intact_langs:
            mark = self.checkpoints.get(lang)
            self.intact_langs[lang] = mark is not None and self.store.holds(
                self.source_lang, lang, Checkpoint(*mark))
        return self.intact_langs[lang]

    def known(self, shown: str, digest: str) -> Optional[int]:
        """The units the file gave when fed with these bytes, or None if not fed so."""
        record = self.files.get(shown)
        return record[1] if record and record[0] == digest else None

    def put(self, shown: str, digest: str, units: int, lang: str) -> None:
        self.touched.add(lang)
        if self.files.get(shown) != [digest, units]:
            self.files[shown] = [digest, units]
            self.dirty = True

    def save(self) -> None:
        """Write the state, with the TM's checkpoint now for each language fed or checked."""
        for lang in sorted(self.touched):
            now = self.store.checkpoint(self.source_lang, lang)
            mark = [now.max_id, now.units, now.checksum]
            if self.checkpoints.get(lang) != mark:
                self.checkpoints[lang] = mark
                self.dirty = True
        if self.dirty:
            atomic_write_text(self.path, json.dumps({"identity": self.identity, "files": self.files,
                                                     "checkpoints": self.checkpoints}, sort_keys=True))
            self.dirty = False


def _lost_units(tm, units: list[TMUnit]) -> int:
    """How many of ``units`` the TM does not hold (by pair)."""
    keys = {pair_key(u.source_lang, u.target_lang, u.source, u.target) for u in units}
    return len(keys - tm.store.known_pairs(keys)) if keys else 0


def feed_project(config: Config, tm, languages: Optional[Iterable[str]] = None,
                 read: Optional[Mapping[Path, tuple[bytes, polib.POFile]]] = None) -> dict[str, AddResult]:
    """Add the finished entries of every project PO file to ``tm``; results per language.

    A PO file whose bytes are unchanged since it was last fed into this same
    TM (same ``identity``, and the TM still holds what it held then: see
    :class:`FedState`) is skipped: feeding it again would add nothing, and
    ``tmkit update`` feeds the TM on every run, so re-parsing thousands of
    unchanged catalogs would dominate it (``update`` also records the files
    it writes, see :func:`record_written`).  When the TM lost units (restored
    from an older backup), the unchanged files whose units are missing are
    fed again and counted in ``refed`` (with a warning).  ``read``: catalogs
    the caller has already read and parsed (path -> (bytes, catalog), not yet
    changed), used instead of reading them again.
    """
    results: dict[str, AddResult] = {}
    state = FedState(config, tm)
    refed: list[str] = []
    for lang, slug, path in project_po_files(config, languages):
        shown = relative(config, path)
        data, po = read[path] if read and path in read else (path.read_bytes(), None)
        digest = hashlib.sha256(data).hexdigest()
        total = results.setdefault(lang, AddResult())
        known = state.known(shown, digest)
        state.touched.add(lang)
        if known is not None and state.intact(lang):
            total.unchanged += known     # what feeding it again would report
            continue
        try:
            units = po_units(po if po is not None else parse_po_bytes(data, shown),
                             config.source_language, lang, slug)
        except CatalogError as exc:   # a broken PO file fails alone (toolkit.catalog.broken)
            if not broken.skip(exc):
                raise
            continue
        if known is not None:            # the TM changed under us: were this file's units lost?
            if not _lost_units(tm, units):
                total.unchanged += known
                continue
            total.refed += 1
            refed.append(shown)
        # everything this catalog translates now: it replaces what its places held,
        # and entries emptied, made fuzzy or obsolete stop being current
        total.merge(tm.add(units, (config.source_language, lang, slug)))
        state.put(shown, digest, len(units), lang)
    state.save()
    if refed:
        warnings.warn(TmkitWarning(
            f"the TM had lost the units of {len(refed)} catalog(s) (restored from an older "
            f"backup?); fed them again: {', '.join(refed[:5])}{' ...' if len(refed) > 5 else ''}"))
    return results


def record_written(config: Config, tm, written: Iterable) -> AddResult:
    """Feed catalogs just written by ``tmkit update`` from memory and record them as fed.

    ``written`` holds :class:`toolkit.catalog.update.WrittenCatalog` items
    (``lang``, ``slug``, ``path``, ``sha256`` of the bytes written, ``po``:
    None for a catalog without a finished entry).  Such a catalog is only
    recorded (feeding it adds nothing), so the next feed reads none of the
    thousands of catalogs a first ``update`` creates.
    """
    state = FedState(config, tm)
    total = AddResult()
    for item in written:
        found = po_units(item.po, config.source_language, item.lang, item.slug) if item.po is not None else []
        # as in feed_project: what the catalog translates now replaces what its places held
        # (a catalog without a finished entry only withdraws, after one look, if it held any)
        total.merge(tm.add(found, (config.source_language, item.lang, item.slug)))
        state.put(relative(config, item.path), item.sha256, len(found), item.lang)
    state.save()
    return total


def import_po(tm, path: Path, source_lang: str, target_lang: Optional[str] = None) -> AddResult:
    """Import a PO file or compendium; units are attributed to the file's name."""
    po = read_po(path)
    return tm.add(po_units(po, source_lang, po_language(po, path, target_lang), path.name))
