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
(:mod:`toolkit.text.plurals`) only into a new catalog, or where it is missing or
not a valid rule (then with a warning naming the file).

:func:`update_project` runs this for every article and language, then calls
the update hooks (translation-memory pre-fill, glossary notes...) on each
new catalog before anything is written.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Sequence

import polib

from toolkit.catalog import broken
from toolkit.catalog.pofile import (format_entry, format_header, format_po, new_files_synced,
                                    parse_po_bytes as _parse, tcomment_lines)
from toolkit.catalog.poread import make_entry, parse_translations
from toolkit.catalog.reports import MergeCounts, UpdateReport
from toolkit.catalog.state import CatalogState, digest, read_bytes, sha256_hex
from toolkit.project.fsutil import AtomicBatch, Staged, stage, unstage
from toolkit.project.collect import fewer_collections
from toolkit.project.workers import split_in_two
from toolkit.catalog.template import now_stamp, settings_fingerprint
from toolkit.project.config import Config
from toolkit.errors import CatalogError, TmkitError
from toolkit.text.languages import Language
from toolkit.text.plurals import parse_rule

#: Minimum rapidfuzz ratio (0-100) for an old translation to be offered as fuzzy.
FUZZY_CUTOFF = 60.0
#: Header fields that belong to the translators, never replaced by update.
TRANSLATOR_FIELDS = ("PO-Revision-Date", "Last-Translator", "Language-Team")
#: Header fields tmkit keeps as the template says (as ``msgmerge`` does); with
#: ``Language`` (from the settings) and ``Plural-Forms`` (kept when valid) the only
#: ones update writes into an existing catalog.  Every other field (``X-Generator``,
#: ``Last-Translator``, ``Language-Team``, any ``X-...``) stays as the translator's
#: tool left it, in its order: a Poedit or Lokalize save followed by ``tmkit update``
#: changes nothing in the header.
TEMPLATE_FIELDS = ("Project-Id-Version", "Report-Msgid-Bugs-To", "POT-Creation-Date",
                   "MIME-Version", "Content-Type", "Content-Transfer-Encoding")

#: ``hook(po, lang, slug) -> {counter: n}``: runs on each updated catalog.
UpdateHook = Callable[[polib.POFile, str, str], dict]


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
    return make_entry(msgid=entry.msgid, msgctxt=entry.msgctxt, msgid_plural=entry.msgid_plural,
                      comment=entry.comment, occurrences=list(entry.occurrences),
                      flags=list(entry.flags))


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
        gone = make_entry(msgid=old.msgid, msgctxt=old.msgctxt, msgid_plural=old.msgid_plural)
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
        metadata = dict(old.metadata)
        for key in TEMPLATE_FIELDS:
            if key in pot.metadata:
                metadata[key] = pot.metadata[key]
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


def _content(po: polib.POFile) -> list[tuple]:
    """The entries as a translator reads them: strings, flags, references, comments.

    Comments compare with their white space collapsed: a tool that wrapped
    a long comment line (polib does, at 79 columns) changed its layout, not
    its content.
    """
    def words(text: Optional[str]) -> str:
        return " ".join((text or "").split())

    return [(e.obsolete, e.msgctxt, e.msgid, e.msgid_plural, e.msgstr,
             sorted(e.msgstr_plural.items()), e.flags, e.previous_msgctxt, e.previous_msgid,
             e.previous_msgid_plural, e.occurrences, words(e.comment), words(e.tcomment))
            for e in po]


def render_updated(po: polib.POFile, old_text: Optional[str],
                   old: Optional[polib.POFile] = None) -> str:
    """The text to write: ``PO-Revision-Date`` moves only when entries changed.

    A file that only changes layout (written by another tool, re-wrapped in
    gettext's layout, a wrapped comment joined again) keeps its date:
    ``old`` is compared entry by entry (:func:`_content`).
    """
    text = format_po(po)
    if old_text is None or text == old_text or _body(text) == _body(old_text):
        return text
    if old is not None and _content(po) == _content(old):
        return text
    po.metadata["PO-Revision-Date"] = now_stamp()
    return format_po(po)


def new_catalog_text(pot_text: str, header: str) -> tuple[str, MergeCounts]:
    """A language's first PO file, straight from the template's text.

    With no previous catalog and no hooks the entries are exactly the
    template's, already in gettext's layout, so only the header is built
    and the template's entries are copied as text: no parsing, no
    formatting of thousands of entries.  ``header``: the new catalog's
    header (:func:`new_header`).
    """
    body = pot_text.partition("\n\n")[2]
    counts = MergeCounts(added=body.count("\nmsgid ") + body.startswith("msgid ") if body else 0)
    return header + ("\n\n" + body if body else "\n"), counts


def new_header(pot_head: polib.POFile, language: Language) -> str:
    """The header of a language's first PO file (through :func:`merge_catalog`, as every update)."""
    po, _ = merge_catalog(pot_head, None, language)
    return format_header(po)


@dataclass
class WrittenCatalog:
    """A PO file ``tmkit update`` wrote, as hooks' ``after_write`` receive it.

    ``po`` is kept only when the catalog holds a translation (which the TM
    hook feeds); a catalog built as text from its template has none.
    """

    lang: str
    slug: str
    path: Path
    sha256: str            # of the bytes written (hex)
    po: Optional[polib.POFile]
    counts: Optional[MergeCounts] = None    # what the merge did (corrected if it is merged again)


def _hooks_fingerprint(hooks: Iterable[UpdateHook]) -> str:
    """Hooks may define ``fingerprint`` (e.g. a hash of the TM): a change re-runs them."""
    return "|".join(str(getattr(h, "fingerprint", getattr(h, "__qualname__", repr(h)))) for h in hooks)


#: Articles merged, hooked and staged together: the hooks see this many
#: articles' catalogs at once (one batch of TM lookups), while memory stays
#: flat in the size of the project (texts go to temporary files at once).
CHUNK_ARTICLES = 250


@dataclass
class _Job:
    """One catalog to produce: article ``slug`` in language ``tag``."""

    slug: str
    tag: str
    po_path: Path
    key: str
    pot_hash: str
    old_bytes: Optional[bytes]
    template: "_Template"
    po: Optional[polib.POFile] = None
    old: Optional[polib.POFile] = None
    counts: Optional[MergeCounts] = None
    broken: bool = False      # the PO file does not parse: left as it is (toolkit.catalog.broken)


class _Headers:
    """Templates' headers parsed, and new catalogs' headers made, once per distinct header.

    One ``extract`` gives its templates the same header but for the
    comment's first line (the article's title) and the creation date,
    which has minute resolution.  The leading comment lines are set aside
    (they pass to a new catalog unchanged: ``header`` is copied, and
    :func:`tcomment_lines` writes such lines back as they were, which is
    checked), so a thousand templates have a handful of distinct headers,
    and parsing each one's header and building five new headers from it
    cost a quarter of a first ``update``.  A new header is keyed by the
    rest of the template's header, the language and the current
    :func:`now_stamp` (its ``PO-Revision-Date``), so it is exactly what
    building it afresh gives.  A header whose comment would not be written
    back byte for byte is parsed and built whole, as before.
    """

    def __init__(self) -> None:
        self.parsed: dict[bytes, polib.POFile] = {}
        self.made: dict[tuple[bytes, str, str], str] = {}
        self.split: dict[bytes, tuple[str, bytes]] = {}

    def head(self, data: bytes, shown: str) -> polib.POFile:
        key = data.partition(b"\n\n")[0]
        found = self.parsed.get(key)
        if found is None:
            found = self.parsed[key] = _template_head(key, shown)   # never changed by its users
        return found

    def new_header(self, data: bytes, shown: str, language: Language) -> str:
        block = data.partition(b"\n\n")[0]
        found = self.split.get(block)
        if found is None:
            found = self.split[block] = self._split(block, shown)
        comment, rest = found
        key = (rest, language.tag, now_stamp())
        found = self.made.get(key)
        if found is None:
            found = self.made[key] = new_header(self.head(rest, shown), language)
        return f"{comment}\n{found}" if comment else found

    def _split(self, block: bytes, shown: str) -> tuple[str, bytes]:
        """The header's leading comment set aside (:func:`_leading_comment`), when that is safe."""
        comment, rest = _leading_comment(block)
        if comment:
            try:
                head = self.head(rest, shown)
            except CatalogError:                  # reported with the line numbers of the whole file
                head = self.head(block, shown)
            if head.header:                       # a comment further down: not set aside
                return "", block
        return comment, rest


def _leading_comment(block: bytes) -> tuple[str, bytes]:
    """A header's leading translator-comment lines (as text) and the rest of it.

    ``("", block)`` when there are none, or when :func:`tcomment_lines` would
    not write them back exactly as they are (``#no space``, a lone ``#``, a
    trailing space...): such a header is handled whole.
    """
    lines = block.split(b"\n")
    count = 0
    for line in lines:
        if not line.startswith(b"#") or line[1:2] in (b".", b":", b",", b"|", b"~"):
            break
        count += 1
    if not count or count == len(lines):
        return "", block
    try:
        comment = b"\n".join(lines[:count]).decode("utf-8")
    except UnicodeDecodeError:
        return "", block
    text = "\n".join(line[2:] if line.startswith("# ") else line[1:] for line in comment.split("\n"))
    if not text or tcomment_lines(text) != comment:
        return "", block
    return comment, b"\n".join(lines[count:])


class _Template:
    """An article's template: its bytes, parsed at most once, and its entries as text.

    A template ``tmkit extract`` wrote itself (``ours``: its hash is in the
    state file) holds only fresh entries (no msgstr, flags, translator
    comments or previous strings), each exactly as :func:`format_entry`
    writes it; for those the entries' texts and keys are read with the lean
    reader, and a new catalog is assembled from them without parsing.
    """

    def __init__(self, data: bytes, shown: str, ours: bool, headers: Optional[_Headers] = None) -> None:
        self.data, self.shown, self.ours = data, shown, ours
        self.headers = headers if headers is not None else _Headers()
        self._pot: Optional[polib.POFile] = None
        self._read = False
        self._keys: Optional[list[tuple[Optional[str], str]]] = None
        self._blocks: Optional[list[str]] = None

    @property
    def pot(self) -> polib.POFile:
        if self._pot is None:
            self._pot = _parse(self.data, self.shown)
        return self._pot

    def new_header(self, language: Language) -> str:
        """The header of a new catalog of this template in ``language``."""
        return self.headers.new_header(self.data, self.shown, language)

    def _read_plain(self) -> None:
        """Keys and entry texts of tmkit's own template (left None for any other)."""
        if self._read:
            return
        self._read = True
        if not self.ours:
            return
        text = self.data.decode("utf-8")
        entries = parse_translations(text, self.shown)
        blocks = text.rstrip("\n").split("\n\n")[1:] if entries else []
        if len(blocks) == len(entries) and not any(e.obsolete or e.msgstr or e.flags for e in entries):
            self._keys = [(e.msgctxt, e.msgid) for e in entries]
            self._blocks = blocks

    def keys(self) -> Optional[list[tuple[Optional[str], str]]]:
        """``(msgctxt, msgid)`` of each entry of tmkit's own template, else None."""
        self._read_plain()
        return self._keys

    def blocks(self) -> Optional[list[str]]:
        """Each entry's text as in the file, when it is :func:`format_entry`'s layout, else None."""
        self._read_plain()
        if self._blocks is None and not self._read_other:
            self._read_other = True
            pot = self.pot
            blocks = self.data.decode("utf-8").rstrip("\n").split("\n\n")[1:]
            if (len(blocks) == len(pot) and not any(e.obsolete for e in pot)
                    and all(format_entry(e) == b for e, b in zip(pot, blocks))):
                self._blocks = blocks
        return self._blocks

    _read_other = False


#: What a per-entry hook may change on a fresh entry, and the fresh values.
_DELTA_FIELDS = ("msgstr", "flags", "tcomment", "previous_msgctxt", "previous_msgid",
                 "previous_msgid_plural")
_FRESH = ("", [], "", None, None, None)


class _EntryHooks:
    """The hooks' effect on fresh entries, worked out once per distinct text.

    When every hook declares ``per_entry = True`` (what it does to an entry
    depends only on the language and the entry's own strings, flags and
    translator comment, and its counters add up over entries), a new
    catalog's entries need not be built and hooked one by one: the hooks
    run once on a one-entry probe catalog per distinct (language, msgctxt,
    msgid), all probes of a chunk in one ``apply_many`` call (one batch of
    TM lookups), and each article reuses the result.
    """

    def __init__(self, hooks: Sequence[UpdateHook]) -> None:
        self.hooks = hooks
        self.usable = bool(hooks) and all(getattr(h, "per_entry", False) for h in hooks)
        self.found: dict[tuple[str, Optional[str], str], tuple[tuple, dict[str, int]]] = {}
        # Per language and key, what :meth:`texts` needs: the comment lines to put
        # in front of the template's block ("" none; None: the entry must be
        # formatted) and the counters as pairs, worked out once instead of per catalog.
        self._fresh: dict[str, dict[tuple[Optional[str], str], tuple[Optional[str], tuple]]] = {}

    def prepare(self, wanted: Iterable[tuple[str, Optional[str], str]]) -> None:
        """Run the hooks on a probe entry for each ``(lang, msgctxt, msgid)`` not yet known."""
        keys = [k for k in dict.fromkeys(wanted) if k not in self.found]
        if not keys:
            return
        probes = []
        for lang, msgctxt, msgid in keys:
            po = polib.POFile(wrapwidth=79)
            list.append(po, make_entry(msgid=msgid, msgctxt=msgctxt))
            probes.append((po, lang, ""))
        counters = [dict() for _ in probes]
        for hook in self.hooks:
            for mine, found in zip(counters, _run_hook(hook, probes)):
                for name, value in (found or {}).items():
                    mine[name] = mine.get(name, 0) + int(value)
        for key, (po, _, _), mine in zip(keys, probes, counters):
            entry = po[0]
            delta = tuple(getattr(entry, f) for f in _DELTA_FIELDS)
            self.found[key] = (delta, mine)
            msgstr, flags, tcomment, *previous = delta
            if msgstr or flags or any(p is not None for p in previous):
                prefix = None
            else:
                prefix = f"{tcomment_lines(tcomment)}\n" if tcomment else ""
            self._fresh.setdefault(key[0], {})[key[1:]] = (prefix, tuple(mine.items()))

    def texts(self, lang: str, keys: list[tuple[Optional[str], str]], blocks: list[str],
              counts: MergeCounts) -> Optional[list[str]]:
        """The entries' texts in a new catalog (the hooks' counters added to ``counts``),
        or None when one must be formatted in full.  One loop per catalog over
        tens of thousands of entries a run: kept lean."""
        fresh = self._fresh[lang]
        extra = counts.extra
        parts = []
        for key, block in zip(keys, blocks):
            prefix, counters = fresh[key]
            for name, value in counters:
                extra[name] = extra.get(name, 0) + value
            if prefix is None:
                return None
            parts.append(prefix + block if prefix else block)
        return parts

    def apply(self, lang: str, entry: polib.POEntry) -> None:
        """Give a fresh entry what the hooks did to its probe."""
        delta, _ = self.found[(lang, entry.msgctxt, entry.msgid)]
        for name, value in zip(_DELTA_FIELDS, delta):
            setattr(entry, name, list(value) if name == "flags" else value)


def _distinct_keys(jobs: Sequence["_Job"]) -> Iterator[tuple[str, Optional[str], str]]:
    """Each ``(lang, msgctxt, msgid)`` of the jobs' templates once, in the order first met.

    What ``dict.fromkeys`` of every catalog's keys gives, without making a
    tuple for each of the 40,000 entries of a chunk (most are the same few
    hundred sentences in every article): ~4 ms less a chunk, in the serial
    part between two chunks' forks."""
    seen: dict[str, set[tuple[Optional[str], str]]] = {}
    for job in jobs:
        known = seen.setdefault(job.tag, set())
        for key in job.template.keys():
            if key not in known:
                known.add(key)
                yield (job.tag, *key)


def _run_hook(hook: UpdateHook, catalogs: list[tuple[polib.POFile, str, str]]) -> list:
    """A hook on many catalogs: ``apply_many`` when it has one (one batch), else one by one."""
    apply_many = getattr(hook, "apply_many", None)
    if apply_many is not None:
        return apply_many(catalogs)
    return [hook(po, lang, slug) for po, lang, slug in catalogs]


def update_project(config: Config, languages: Optional[Sequence[str]] = None,
                   slugs: Optional[list[str]] = None,
                   hooks: Sequence[UpdateHook] = ()) -> UpdateReport:
    """Create or update ``po/<lang>/<slug>.po`` for the languages and articles asked for.

    Every catalog is merged (and every hook run) before the first file is
    replaced, so a malformed PO file stops the run with nothing changed
    (texts wait in temporary files, renamed into place at the end); inside
    :func:`toolkit.catalog.broken.going_on` (the command line) it is left
    as it is instead, recorded, and the other catalogs are updated.
    Catalogs whose template and PO file are byte for byte what the last run
    left are skipped without parsing.  Hooks with ``apply_many`` get the
    catalogs of many articles at once (each distinct text handled once);
    hooks with ``after_write`` learn what was written.
    """
    from toolkit.readers.sources import article_paths

    tags = config.select_languages(list(languages) if languages else None)
    report = UpdateReport({tag: MergeCounts() for tag in tags})
    state = CatalogState(config.root, settings_fingerprint(config))
    hook_key = _hooks_fingerprint(hooks)
    records: list[tuple[str, dict]] = []
    written: list[WrittenCatalog] = []
    # Config.po_file()/pot_file() resolve symlinks on every call; once is enough.
    po_root, template_root = config.po_path, config.template_path
    language_roots = {tag: po_root / tag for tag in tags}     # one path object a catalog, not two
    jobs: list[_Job] = []
    entry_hooks = _EntryHooks(hooks)
    headers = _Headers()
    with fewer_collections(), AtomicBatch(sync_new=False) as batch:
        articles = article_paths(config, slugs)
        for number, path in enumerate(articles, 1):
            slug = path.stem
            pot_path = template_root / f"{slug}.pot"
            shown_pot = _shown(config, pot_path)
            try:
                pot_bytes = pot_path.read_bytes()
            except FileNotFoundError:
                raise CatalogError("no template; run 'tmkit extract' first", shown_pot) from None
            pot_hash = digest(pot_bytes)
            pot_record = state.get("pot", slug)
            template = _Template(pot_bytes, shown_pot, bool(pot_record and pot_record.get("pot") == pot_hash),
                                 headers)
            for tag in tags:
                key = f"{tag}/{slug}"
                po_path = language_roots[tag] / f"{slug}.po"
                old_bytes = read_bytes(po_path)
                record = state.get("po", key)
                po_hash = digest(old_bytes) if old_bytes is not None else None
                if (record and record.get("pot") == pot_hash and record.get("po") == po_hash
                        and record.get("hooks") == hook_key):
                    report.languages[tag].kept += record.get("entries", 0)
                    report.entries[tag] = report.entries.get(tag, 0) + record.get("entries", 0)
                    report.unchanged += 1
                    continue
                jobs.append(_Job(slug, tag, po_path, key, pot_hash, old_bytes, template))
            if jobs and (number % CHUNK_ARTICLES == 0 or number == len(articles)):
                _run_jobs(config, jobs, hooks, hook_key, entry_hooks, batch, report, records, written)
                jobs = []
        batch.sync_new = new_files_synced(len(written))
    if batch.moved:
        written = _settle_moved(config, hooks, batch.moved, report, records, written)
    report.written = [w.path for w in written] + report.redone_written
    for key, record in records:
        state.put("po", key, record)
    for item in report.left:
        state.drop("po", f"{item.path.parent.name}/{item.path.stem}")
    state.save()
    for hook in hooks:
        after_write = getattr(hook, "after_write", None)
        if after_write is not None and written:
            try:
                after_write(written)
            except TmkitError as exc:   # the files are written: say so, do not lose the summary
                report.late_errors.append(str(exc))
    return report


def _settle_moved(config: Config, hooks: Sequence[UpdateHook], moved: list[Path], report: UpdateReport,
                  records: list[tuple[str, dict]], written: list[WrittenCatalog]) -> list[WrittenCatalog]:
    """The catalogs a translator saved while the update ran: merge them again, or leave them.

    They were not replaced (compare before replace, :mod:`toolkit.catalog.rewrite`).
    Each is merged again from the saved file with its template and the
    hooks; its counts and state record are corrected; one left as saved is
    taken out of the counts and gets no state record (the next run merges
    it).  Returns ``written`` without them (``after_write`` hooks learn
    only of files written from what they saw).
    """
    from toolkit.catalog.rewrite import merge_moved

    gone = set(moved)
    staged = {w.path: w for w in written if w.path in gone}
    index = {key: number for number, (key, _) in enumerate(records)}
    templates: dict[str, polib.POFile] = {}

    def redo(po_path: Path, current: Optional[bytes]) -> str:
        tag, slug = po_path.parent.name, po_path.stem
        pot = templates.get(slug)
        if pot is None:
            pot_path = config.template_path / f"{slug}.pot"
            pot = templates[slug] = _parse(pot_path.read_bytes(), _shown(config, pot_path))
        shown_po = _shown(config, po_path)
        old = _parse(current, shown_po) if current is not None else None
        po, counts = merge_catalog(pot, old, config.language(tag), shown_po)
        for hook in hooks:
            saved = getattr(hook, "saved", None)
            if saved is not None and old is not None:
                saved(old, tag, slug)     # e.g. the TM learns what the translator took back
            for name, value in (_run_hook(hook, [(po, tag, slug)])[0] or {}).items():
                counts.extra[name] = counts.extra.get(name, 0) + int(value)
        text = render_updated(po, current.decode("utf-8") if current is not None else None, old)
        _recount(report, tag, staged[po_path], counts)
        key = f"{tag}/{slug}"
        record = dict(records[index[key]][1])
        record.update(entries=counts.kept + counts.fuzzy + counts.added, po=digest(text.encode("utf-8")))
        records[index[key]] = (key, record)
        return text

    result = merge_moved(moved, redo)
    report.redone, report.left, report.redone_written = result.redone, result.left, result.written
    for item in result.left:
        _recount(report, item.path.parent.name, staged[item.path], None)
    left = {f"{item.path.parent.name}/{item.path.stem}" for item in result.left}
    records[:] = [(key, record) for key, record in records if key not in left]
    return [w for w in written if w.path not in gone]


def _recount(report: UpdateReport, tag: str, catalog: WrittenCatalog, counts: Optional[MergeCounts]) -> None:
    """Replace a catalog's counts in the summary (``None``: take them out)."""
    if catalog.counts is not None:
        report.languages[tag].add(catalog.counts, times=-1)
        old = catalog.counts
        report.entries[tag] = report.entries.get(tag, 0) - (old.kept + old.fuzzy + old.added)
    if counts is not None:
        report.languages[tag].add(counts)
        report.entries[tag] = report.entries.get(tag, 0) + counts.kept + counts.fuzzy + counts.added
    catalog.counts = counts


def _run_jobs(config: Config, jobs: list[_Job], hooks: Sequence[UpdateHook], hook_key: str,
              entry_hooks: _EntryHooks, batch: AtomicBatch, report: UpdateReport,
              records: list[tuple[str, dict]], written: list[WrittenCatalog]) -> None:
    """Merge ``jobs``, run the hooks on all of them, stage the changed files in ``batch``.

    Three ways to a catalog's text: a new catalog without hooks is the
    template's text under a new header; a new catalog whose hooks are all
    per-entry is assembled from the template's entry texts and the hooks'
    effect per distinct text (:class:`_EntryHooks`); anything else is
    parsed, merged, hooked and formatted.
    """
    quick: list[_Job] = []
    if entry_hooks.usable:
        quick = [job for job in jobs if job.old_bytes is None and job.template.keys() is not None]
        entry_hooks.prepare(_distinct_keys(quick))
    elif not hooks:
        quick = [job for job in jobs if job.old_bytes is None]
    done: dict[int, _Made] = {}
    if quick:   # new catalogs made from text, half of them in a forked worker
        for tag in dict.fromkeys(job.tag for job in quick):
            config.language(tag)     # CLDR's data read once, before the fork, not in both halves
        made = split_in_two(quick, lambda part: _make_all(config, part, entry_hooks), _unstage_made)
        for job, result in zip(quick, made):
            if result is not None:
                batch.adopt(result.staged)      # from here on the batch removes it if anything fails
                done[id(job)] = result
    hooked = []
    for job in jobs:
        if id(job) in done or (job.old_bytes is None and not hooks):
            continue
        shown_po = _shown(config, job.po_path)
        try:
            old = _parse(job.old_bytes, shown_po) if job.old_bytes is not None else None
        except CatalogError as exc:   # a broken PO file is left as it is, the rest goes on
            if not broken.skip(exc):
                raise
            job.broken = True
            continue
        job.po, job.counts = merge_catalog(job.template.pot, old, config.language(job.tag), shown_po)
        job.old = old
        if old is None and entry_hooks.usable and entry_hooks.found:
            job.counts.extra = {}
            for entry in job.po:     # known effect of the hooks on each entry
                if (job.tag, entry.msgctxt, entry.msgid) not in entry_hooks.found:
                    break
            else:
                for entry in job.po:
                    entry_hooks.apply(job.tag, entry)
                    for name, value in entry_hooks.found[(job.tag, entry.msgctxt, entry.msgid)][1].items():
                        job.counts.extra[name] = job.counts.extra.get(name, 0) + value
                continue
        hooked.append(job)
    for hook in hooks:
        for job, counters in zip(hooked, _run_hook(hook, [(job.po, job.tag, job.slug) for job in hooked])):
            for name, value in (counters or {}).items():
                job.counts.extra[name] = job.counts.extra.get(name, 0) + int(value)
    for job in jobs:
        if job.broken:
            continue
        made = done.get(id(job))
        if made is not None:
            job.counts = made.counts
            report.languages[job.tag].add(job.counts)
            written.append(WrittenCatalog(job.tag, job.slug, job.po_path, made.sha256, None, job.counts))
            _count_record(job, made.sha256, hook_key, report, records)
            continue
        old_text = job.old_bytes.decode("utf-8") if job.old_bytes is not None else None
        if job.po is None:
            text, job.counts = new_catalog_text(job.template.data.decode("utf-8"),
                                                job.template.new_header(config.language(job.tag)))
        elif old_text is None:
            text = _new_text(job.po, job.template)
        else:
            text = render_updated(job.po, old_text, job.old)
        report.languages[job.tag].add(job.counts)
        data = text.encode("utf-8")
        full = sha256_hex(data)
        if text != old_text:
            batch.add(job.po_path, data, expected=job.old_bytes)   # compare before replace
            keep = job.po if job.po is not None and _has_finished(job.po) else None
            written.append(WrittenCatalog(job.tag, job.slug, job.po_path, full, keep, job.counts))
        else:
            report.unchanged += 1
        _count_record(job, full, hook_key, report, records)


def _count_record(job: _Job, full: str, hook_key: str, report: UpdateReport,
                  records: list[tuple[str, dict]]) -> None:
    """A catalog's entries in the summary, and its state record (``full``: sha256 of its bytes)."""
    active = job.counts.kept + job.counts.fuzzy + job.counts.added
    report.entries[job.tag] = report.entries.get(job.tag, 0) + active
    records.append((job.key, {"pot": job.pot_hash, "hooks": hook_key, "entries": active,
                              "po": digest(b"", full)}))


@dataclass
class _Made:
    """A new catalog made from text (:func:`_make_new`), staged for the batch."""

    counts: MergeCounts
    sha256: str            # of the bytes staged (hex)
    staged: Staged


def _make_all(config: Config, jobs: Sequence[_Job], entry_hooks: _EntryHooks) -> list[Optional[_Made]]:
    """:func:`_make_new` of each job; on a failure the files staged so far are removed."""
    made: list[Optional[_Made]] = []
    try:
        for job in jobs:
            made.append(_make_new(config, job, entry_hooks))
    except BaseException:
        _unstage_made(made)
        raise
    return made


def _unstage_made(made: list[Optional[_Made]]) -> None:
    unstage(m.staged for m in made if m is not None)


def _make_new(config: Config, job: _Job, entry_hooks: _EntryHooks) -> Optional[_Made]:
    """A new catalog's text made and staged (in a forked worker, perhaps: nothing else
    is changed); None when an entry needs formatting (the caller merges that one).

    With per-entry hooks it is assembled from the template's entry texts
    (:func:`_assembled`); without hooks it is the template's text under a
    new header (:func:`new_catalog_text`).
    """
    language = config.language(job.tag)
    if entry_hooks.usable:
        found = _assembled(job, entry_hooks, language)
        if found is None:
            return None
        text, counts = found
    else:
        text, counts = new_catalog_text(job.template.data.decode("utf-8"), job.template.new_header(language))
    data = text.encode("utf-8")
    return _Made(counts, sha256_hex(data), stage(job.po_path, data, expected=None))


def _assembled(job: _Job, entry_hooks: _EntryHooks, language: Language
               ) -> Optional[tuple[str, MergeCounts]]:
    """A new catalog from the template's entry texts and its counts, or None if an
    entry needs formatting."""
    counts = MergeCounts(added=len(job.template.keys()))
    parts = entry_hooks.texts(job.tag, job.template.keys(), job.template.blocks(), counts)
    if parts is None:
        return None
    return "\n\n".join([job.template.new_header(language), *parts]) + "\n", counts


def _has_finished(po: polib.POFile) -> bool:
    return any(e.msgstr and not e.obsolete and "fuzzy" not in e.flags for e in po)


def _new_text(po: polib.POFile, template: _Template) -> str:
    """A first PO file made by merging and hooks: the template's entry texts reused.

    An entry the hooks left untranslated (at most a translator comment
    added, such as a glossary note) is its template block with the comment
    lines in front, exactly what :func:`format_entry` would write; others
    are formatted.
    """
    blocks = template.blocks()
    if blocks is None or len(po) != len(blocks):
        return format_po(po)
    parts = [format_header(po)]
    for entry, source, block in zip(po, template.pot, blocks):
        if (entry.msgstr or entry.obsolete or entry.flags != source.flags or source.tcomment
                or source.msgstr or entry.previous_msgid is not None
                or entry.previous_msgctxt is not None or entry.previous_msgid_plural is not None
                or any(entry.msgstr_plural.values()) or any(source.msgstr_plural.values())):
            parts.append(format_entry(entry))
        elif entry.tcomment:
            parts.append(tcomment_lines(entry.tcomment) + "\n" + block)
        else:
            parts.append(block)
    return "\n\n".join(parts) + "\n"


def _template_head(header: bytes, shown: str) -> polib.POFile:
    """A template's header entry (its text up to the first blank line) parsed on its own
    (cheap: one entry)."""
    return _parse(header + b"\n", shown)


def _shown(config: Config, path: Path) -> str:
    try:
        return path.relative_to(config.root).as_posix()
    except ValueError:
        return str(path)
