"""POT + old PO -> new PO, never losing a translator's work (like ``msgmerge``).

For every entry of the template, in the template's order:

* the same (msgctxt, msgid) in the old catalog -> translation, flags,
  translator comments and previous strings carried over (``kept``); this is
  also how a moved sentence keeps its translation, and how an obsolete
  entry whose English comes back is revived;
* otherwise the most similar unused old entry that has a translation
  (rapidfuzz ratio >= :data:`FUZZY_CUTOFF`, ties broken by position) lends its
  translation, marked ``#, fuzzy`` with the old English as ``#| msgid`` so PO
  editors show the difference (``fuzzy``);
* otherwise a new, empty entry (``added``).

Old entries left over that hold a translation or a translator comment become
obsolete ``#~`` entries (``obsolete``) and stay until their English returns;
empty ones carry no work and are dropped, as gettext does.  The header keeps
the translator's fields and comment; ``Language`` comes from the settings.
``Plural-Forms`` is kept as the catalog has it, as ``msgmerge`` keeps the
header of the PO it updates: it is written from gettext's table
(:mod:`toolkit.plurals`) only into a new catalog, or where it is missing or
not a valid rule (then with a warning naming the file).

:func:`update_project` runs this for every article and language, then calls
the update hooks (translation-memory pre-fill, glossary notes...) on each
new catalog before anything is written.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional, Sequence

import polib

from toolkit.catalog.pofile import format_po, parse_po_bytes as _parse, write_texts
from toolkit.catalog.state import CatalogState, digest, read_bytes
from toolkit.catalog.template import now_stamp, settings_fingerprint
from toolkit.config import Config
from toolkit.errors import CatalogError
from toolkit.languages import Language
from toolkit.plurals import parse_rule

#: Minimum rapidfuzz ratio (0-100) for an old translation to be offered as fuzzy.
FUZZY_CUTOFF = 60.0
#: Header fields that belong to the translators, never replaced by update.
TRANSLATOR_FIELDS = ("PO-Revision-Date", "Last-Translator", "Language-Team")

#: ``hook(po, lang, slug) -> {counter: n}``: runs on each updated catalog.
UpdateHook = Callable[[polib.POFile, str, str], dict]


@dataclass
class MergeCounts:
    """What an update did to one catalog (or, summed, to one language)."""

    kept: int = 0
    fuzzy: int = 0
    added: int = 0
    obsolete: int = 0
    extra: dict[str, int] = field(default_factory=dict)   # counters returned by hooks
    warnings: list[str] = field(default_factory=list)     # one line each, naming the file

    def add(self, other: "MergeCounts") -> None:
        self.kept += other.kept
        self.fuzzy += other.fuzzy
        self.added += other.added
        self.obsolete += other.obsolete
        for key, value in other.extra.items():
            self.extra[key] = self.extra.get(key, 0) + value
        self.warnings.extend(other.warnings)

    def as_dict(self) -> dict[str, int]:
        return {"kept": self.kept, "fuzzy": self.fuzzy, "added": self.added,
                "obsolete": self.obsolete, **self.extra}


def _copy_work(target: polib.POEntry, old: polib.POEntry) -> None:
    target.msgstr = old.msgstr
    target.msgstr_plural = dict(old.msgstr_plural)
    target.flags = list(old.flags)
    target.tcomment = old.tcomment
    target.previous_msgctxt = old.previous_msgctxt
    target.previous_msgid = old.previous_msgid
    target.previous_msgid_plural = old.previous_msgid_plural


def _has_translation(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr) or any(entry.msgstr_plural.values())


def _fresh(entry: polib.POEntry) -> polib.POEntry:
    return polib.POEntry(msgid=entry.msgid, msgctxt=entry.msgctxt, msgstr="",
                         msgid_plural=entry.msgid_plural, comment=entry.comment,
                         occurrences=list(entry.occurrences), flags=list(entry.flags))


def merge_entries(template: Sequence[polib.POEntry], old_entries: Sequence[polib.POEntry]
                  ) -> tuple[list[polib.POEntry], MergeCounts]:
    """The entries of the new catalog (active, then obsolete) and the counts."""
    counts = MergeCounts()
    active = [e for e in old_entries if not e.obsolete]
    by_key = {(e.msgctxt, e.msgid): e for e in active}
    obsolete_by_key = {(e.msgctxt, e.msgid): e for e in old_entries if e.obsolete}
    used: set[int] = set()
    new = [_fresh(e) for e in template]
    unmatched: list[int] = []
    for index, entry in enumerate(new):
        key = (entry.msgctxt, entry.msgid)
        old = by_key.get(key)
        if old is None:
            old = obsolete_by_key.pop(key, None)       # the English came back: revive
        if old is None:
            unmatched.append(index)
            continue
        used.add(id(old))
        _copy_work(entry, old)
        counts.kept += 1
    if unmatched:
        _fuzzy_match(new, unmatched, active, used, counts)
    obsolete: list[polib.POEntry] = []
    for old in active:
        if id(old) in used or not (_has_translation(old) or old.tcomment):
            continue
        gone = polib.POEntry(msgid=old.msgid, msgctxt=old.msgctxt, msgid_plural=old.msgid_plural)
        _copy_work(gone, old)
        gone.obsolete = True
        obsolete.append(gone)
        counts.obsolete += 1
    obsolete += obsolete_by_key.values()
    return new + obsolete, counts


def _fuzzy_match(new: list[polib.POEntry], unmatched: list[int], active: list[polib.POEntry],
                 used: set[int], counts: MergeCounts) -> None:
    """Offer the closest unused old translation to each new entry, as msgmerge does."""
    from rapidfuzz import fuzz, process

    positions = {id(e): i / max(len(active), 1) for i, e in enumerate(active)}
    for index in unmatched:
        entry = new[index]
        candidates = [e for e in active if id(e) not in used and _has_translation(e)]
        if not candidates:
            counts.added += len(unmatched) - unmatched.index(index)
            return
        found = process.extract(entry.msgid, [e.msgid for e in candidates], scorer=fuzz.ratio,
                                score_cutoff=FUZZY_CUTOFF, limit=5)
        if not found:
            counts.added += 1
            continue
        where = index / max(len(new), 1)
        _, _, best = max(found, key=lambda f: f[1] - 10.0 * abs(positions[id(candidates[f[2]])] - where))
        old = candidates[best]
        used.add(id(old))
        _copy_work(entry, old)
        entry.tcomment = old.tcomment
        if "fuzzy" not in entry.flags:
            entry.flags.insert(0, "fuzzy")
        # An entry already fuzzy keeps the English its translation was made for.
        if old.previous_msgid is None or "fuzzy" not in old.flags:
            entry.previous_msgid = old.msgid
            entry.previous_msgctxt = old.msgctxt
        counts.fuzzy += 1


def plural_forms_for(old: Optional[polib.POFile], language: Language, shown: str = ""
                     ) -> tuple[str, Optional[str]]:
    """The ``Plural-Forms`` to write, and a warning if an existing catalog's had to be replaced."""
    if old is None:
        return language.plural_forms, None
    current = old.metadata.get("Plural-Forms")
    if current is not None and parse_rule(current) is not None:
        return current, None
    what = "has no Plural-Forms" if current is None else f"has an invalid Plural-Forms {current!r}"
    return language.plural_forms, (f"{shown or 'catalog'}: {what}; "
                                   f"wrote gettext's rule for {language.tag}: {language.plural_forms}")


def merge_catalog(pot: polib.POFile, old: Optional[polib.POFile], language: Language,
                  shown: str = "") -> tuple[polib.POFile, MergeCounts]:
    """The new PO for ``language`` from the template and the previous PO, if any.

    ``shown`` names the PO file in warnings (see :func:`plural_forms_for`).
    """
    entries, counts = merge_entries(list(pot), list(old) if old is not None else [])
    if old is None:
        counts.added = sum(1 for e in entries if not e.obsolete)
    po = polib.POFile(wrapwidth=79)
    metadata = dict(pot.metadata)
    if old is not None:
        po.header = old.header
        po.metadata_is_fuzzy = bool(old.metadata_is_fuzzy)
        for key in TRANSLATOR_FIELDS:
            if key in old.metadata:
                metadata[key] = old.metadata[key]
        for key, value in old.metadata.items():
            metadata.setdefault(key, value)
    else:
        po.header = pot.header
        po.metadata_is_fuzzy = False
        metadata["PO-Revision-Date"] = now_stamp()
        metadata["Language-Team"] = language.english_name
    metadata["Language"] = language.gettext
    metadata["Plural-Forms"], warning = plural_forms_for(old, language, shown)
    if warning:
        counts.warnings.append(warning)
    po.metadata = metadata
    po.extend(entries)
    return po, counts


def _body(text: str) -> str:
    return text.partition("\n\n")[2]


def render_updated(po: polib.POFile, old_text: Optional[str],
                   old: Optional[polib.POFile] = None) -> str:
    """The text to write: ``PO-Revision-Date`` moves only when entries changed.

    A file that only changes layout (written by another tool, re-wrapped in
    gettext's layout) keeps its date: ``old`` is compared in our layout too.
    """
    text = format_po(po)
    if old_text is None or text == old_text or _body(text) == _body(old_text):
        return text
    if old is not None and _body(text) == _body(format_po(old)):
        return text
    po.metadata["PO-Revision-Date"] = now_stamp()
    return format_po(po)


def new_catalog_text(pot_text: str, pot_head: polib.POFile, language: Language
                     ) -> tuple[str, MergeCounts]:
    """A language's first PO file, straight from the template's text.

    With no previous catalog and no hooks the entries are exactly the
    template's, already in gettext's layout, so only the header is built
    (through :func:`merge_catalog`, the same code as every other update)
    and the template's entries are copied as text: no parsing, no
    formatting of thousands of entries.  ``pot_head`` is the template's
    header alone, parsed (see :func:`_template_head`).
    """
    body = pot_text.partition("\n\n")[2]
    po, counts = merge_catalog(pot_head, None, language)
    counts.added = body.count("\nmsgid ") + body.startswith("msgid ") if body else 0
    text = format_po(po)
    return (text + "\n" + body if body else text), counts


@dataclass
class UpdateReport:
    """Per-language counts of ``update_project`` and the files it wrote."""

    languages: dict[str, MergeCounts]
    written: list[Path] = field(default_factory=list)
    unchanged: int = 0

    @property
    def total(self) -> MergeCounts:
        total = MergeCounts()
        for counts in self.languages.values():
            total.add(counts)
        return total


def _hooks_fingerprint(hooks: Iterable[UpdateHook]) -> str:
    """Hooks may define ``fingerprint`` (e.g. a hash of the TM): a change re-runs them."""
    return "|".join(str(getattr(h, "fingerprint", getattr(h, "__qualname__", repr(h)))) for h in hooks)


def update_project(config: Config, languages: Optional[Sequence[str]] = None,
                   slugs: Optional[list[str]] = None,
                   hooks: Sequence[UpdateHook] = ()) -> UpdateReport:
    """Create or update ``po/<lang>/<slug>.po`` for the languages and articles asked for.

    Every catalog is merged (and every hook run) before the first file is
    written, so a malformed PO file stops the run with nothing changed.
    Catalogs whose template and PO file are byte for byte what the last run
    left are skipped without parsing.
    """
    from toolkit.project import article_paths

    tags = config.select_languages(list(languages) if languages else None)
    report = UpdateReport({tag: MergeCounts() for tag in tags})
    state = CatalogState(config.root, settings_fingerprint(config))
    hook_key = _hooks_fingerprint(hooks)
    outputs: list[tuple[Path, str, Optional[str], str, dict]] = []
    # Config.po_file()/pot_file() resolve symlinks on every call; once is enough.
    po_root, template_root = config.po_path, config.template_path
    for path in article_paths(config, slugs):
        slug = path.stem
        pot_path = template_root / f"{slug}.pot"
        shown_pot = _shown(config, pot_path)
        try:
            pot_bytes = pot_path.read_bytes()
        except FileNotFoundError:
            raise CatalogError("no template; run 'tmkit extract' first", shown_pot) from None
        pot_hash = digest(pot_bytes)
        pot: Optional[polib.POFile] = None
        pot_head: Optional[polib.POFile] = None
        for tag in tags:
            key = f"{tag}/{slug}"
            po_path = po_root / tag / f"{slug}.po"
            old_bytes = read_bytes(po_path)
            record = state.get("po", key)
            po_hash = digest(old_bytes) if old_bytes is not None else None
            if (record and record.get("pot") == pot_hash and record.get("po") == po_hash
                    and record.get("hooks") == hook_key):
                report.languages[tag].kept += record.get("entries", 0)
                report.unchanged += 1
                continue
            if old_bytes is None and not hooks:
                if pot_head is None:
                    pot_head = _template_head(pot_bytes, shown_pot)
                text, counts = new_catalog_text(pot_bytes.decode("utf-8"), pot_head, config.language(tag))
                old_text = None
            else:
                if pot is None:
                    pot = _parse(pot_bytes, shown_pot)
                shown_po = _shown(config, po_path)
                old = _parse(old_bytes, shown_po) if old_bytes is not None else None
                po, counts = merge_catalog(pot, old, config.language(tag), shown_po)
                for hook in hooks:
                    for name, value in (hook(po, tag, slug) or {}).items():
                        counts.extra[name] = counts.extra.get(name, 0) + int(value)
                old_text = old_bytes.decode("utf-8") if old_bytes is not None else None
                text = render_updated(po, old_text, old)
            report.languages[tag].add(counts)
            active = counts.kept + counts.fuzzy + counts.added
            outputs.append((po_path, text, old_text, key,
                            {"pot": pot_hash, "hooks": hook_key, "entries": active}))
    changed = [(po_path, text) for po_path, text, old_text, _, _ in outputs if text != old_text]
    write_texts(changed)
    report.written = [path for path, _ in changed]
    report.unchanged += len(outputs) - len(changed)
    for po_path, text, old_text, key, record in outputs:
        state.put("po", key, {**record, "po": digest(text.encode("utf-8"))})
    state.save()
    return report


def _template_head(pot_bytes: bytes, shown: str) -> polib.POFile:
    """The template's header entry parsed on its own (cheap: one entry)."""
    return _parse(pot_bytes.partition(b"\n\n")[0] + b"\n", shown)


def _shown(config: Config, path: Path) -> str:
    try:
        return path.relative_to(config.root).as_posix()
    except ValueError:
        return str(path)
