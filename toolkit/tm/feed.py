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
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Optional

import polib

from toolkit.catalog.pofile import parse_po_bytes, read_po
from toolkit.config import Config
from toolkit.errors import CatalogError
from toolkit.fsutil import atomic_write_text
from toolkit.project import article_paths, relative
from toolkit.tm.normalize import lang_tag
from toolkit.tm.store import AddResult, TMUnit

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
    """The TM units a PO file offers (translated, non-fuzzy, non-obsolete, singular)."""
    translator = po.metadata.get("Last-Translator", "").strip()
    if translator == _PLACEHOLDER_TRANSLATOR:
        translator = ""
    changed = _revision_date(po)
    units = []
    for entry in po:
        if (entry.obsolete or entry.fuzzy or entry.msgid_plural or not entry.msgid
                or not entry.msgstr):
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
    return lang_tag(lang)


def project_po_files(config: Config, languages: Optional[Iterable[str]] = None,
                     slugs: Optional[Iterable[str]] = None) -> list[tuple[str, str, Path]]:
    """``(lang, slug, path)`` of every existing PO file of the project."""
    # an unknown (or path-like) slug is an error naming it, as in every other command
    wanted = {p.stem for p in article_paths(config, list(slugs))} if slugs else None
    found = []
    for lang in config.select_languages(list(languages) if languages else None):
        folder = config.po_path / lang
        for path in sorted(folder.glob("*.po")) if folder.is_dir() else []:
            if wanted is None or path.stem in wanted:
                found.append((lang, path.stem, path))
    return found


def feed_project(config: Config, tm, languages: Optional[Iterable[str]] = None) -> dict[str, AddResult]:
    """Add the finished entries of every project PO file to ``tm``; results per language.

    A PO file whose bytes are unchanged since it was last fed into this same
    TM (same ``identity``) is skipped: feeding it again would add nothing, and
    ``tmkit update`` feeds the TM on every run, so re-parsing thousands of
    unchanged catalogs would dominate it.  The record lives beside the TM
    (``<tm>.fed.json``); losing it only costs one full re-feed.
    """
    results: dict[str, AddResult] = {}
    state_path = Path(str(config.tm_path) + ".fed.json")
    identity = tm.store.identity()
    state = _load_fed_state(state_path, identity)
    fed: dict[str, list] = {}
    for lang, slug, path in project_po_files(config, languages):
        shown = relative(config, path)
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        total = results.setdefault(lang, AddResult())
        known = state.get(shown)
        if known and known[0] == digest:
            fed[shown] = known
            total.unchanged += known[1]     # what feeding it again would report
            continue
        units = po_units(parse_po_bytes(data, shown), config.source_language, lang, slug)
        # everything this catalog translates now: it replaces what its places held,
        # and entries emptied, made fuzzy or obsolete stop being current
        total.merge(tm.add(units, (config.source_language, lang, slug)))
        fed[shown] = [digest, len(units)]
    if fed != state:
        atomic_write_text(state_path, json.dumps({"identity": identity, "files": {**state, **fed}},
                                                 sort_keys=True))
    return results


def _load_fed_state(path: Path, identity: str) -> dict[str, list]:
    """``[digest, units]`` of the PO files already fed into the TM ``identity``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("identity") != identity or not isinstance(data.get("files"), dict):
        return {}
    return {k: v for k, v in data["files"].items()
            if isinstance(v, list) and len(v) == 2 and isinstance(v[0], str) and isinstance(v[1], int)}


def import_po(tm, path: Path, source_lang: str, target_lang: Optional[str] = None) -> AddResult:
    """Import a PO file or compendium; units are attributed to the file's name."""
    po = read_po(path)
    return tm.add(po_units(po, source_lang, po_language(po, path, target_lang), path.name))
