"""Pre-translation: fill untranslated PO entries from the TM.

Policy (``[tm]`` in ``tmkit.toml``):

* exact matches (same normalised source) fill msgstr, as translated entries
  (``exact_as = "translated"``) or as ``#, fuzzy`` for teams that review
  everything (``exact_as = "fuzzy"``);
* fuzzy matches at or above ``min_score`` fill msgstr as ``#, fuzzy`` with the
  TM's source in ``#| msgid`` (``prefill = "fuzzy"``), or are only listed in
  translator comments, msgstr left empty (``prefill = "comment"``, the
  ``suggestions`` best ones);
* ``prefill = "off"`` switches pre-translation off.

Every pre-filled entry says where its text came from in a translator comment
``tmkit-tm: 88% from es/other-article#b3.s1`` (plus penalties, if any), which
Poedit and Lokalize show.  A msgstr that is already there is never touched.

A translation a translator took back (cleared the msgstr, or made the entry
fuzzy) is withdrawn from the TM when the catalog is fed, which ``tmkit
update`` and ``tmkit tm pretranslate`` do before they pre-fill; it stays in
the TM's history (``tm export --history``) but never pre-fills the entry it
was withdrawn from: a match that is no place's current translation and whose
place is the entry's own (language, article, ``#. id:`` segment) is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping, Optional, Sequence

import polib

from toolkit.project.collect import fewer_collections
from toolkit.project.config import Config, TMSettings
from toolkit.catalog.pofile import fit_line_ends, format_po, parse_po_bytes
from toolkit.catalog.rewrite import LeftFile, Rewrite, rewrite_catalogs
from toolkit.catalog import tmcomment
from toolkit.project.layout import relative
from toolkit.tm.feed import feed_project, po_units, project_po_files, record_written, segment_of
from toolkit.tm.match import Match
from toolkit.tm.memory import TranslationMemory
from toolkit.tm.normalize import lang_tag
from toolkit.tm.project import open_project_tm

COMMENT_TAG = tmcomment.TAG
WRAP_WIDTH = 79   # polib's default, used when it wraps comments
Hook = Callable[[polib.POFile, str, str], dict[str, int]]


def describe(match: Match, with_target: bool = False) -> str:
    """The translator comment line for one match."""
    kind = " (exact)" if match.exact else ""
    notes = f" ({', '.join(match.penalties)})" if match.penalties else ""
    line = f"{COMMENT_TAG} {match.score:.0f}%{kind} from {match.unit.origin}{notes}"
    if with_target:
        line += ": " + match.unit.target.replace("\n", "\\n")
    return line


def _wrapped_on(previous: str, line: str, width: int = WRAP_WIDTH) -> bool:
    """True when ``line`` can only be the wrapped continuation of ``previous``.

    polib wraps long comments (textwrap, ``# `` indent): a line follows as a
    continuation exactly when its first word did not fit after ``previous``.
    """
    words = line.split()
    return bool(words) and len(previous) + 2 + 1 + len(words[0]) > width


def _set_comment(entry: polib.POEntry, lines: list[str]) -> bool:
    """Replace the entry's ``tmkit-tm:`` comment lines by ``lines``; True if it changed."""
    old = (entry.tcomment or "").splitlines()
    kept, ours = [], False
    for line in old:
        if line.startswith(COMMENT_TAG):
            ours = True
        elif not (ours and _wrapped_on(previous, line)):
            ours = False
            kept.append(line)
        previous = line
    new = kept + lines
    if new == old:
        return False
    entry.tcomment = "\n".join(new)
    return True


def _fill(entry: polib.POEntry, matches: list[Match], settings: TMSettings,
          counters: dict[str, int]) -> bool:
    """Apply the policy to one untranslated entry; True if it changed."""
    if not matches:
        return _set_comment(entry, [])
    best = matches[0]
    target = fit_line_ends(entry.msgid, best.unit.target)
    if not target and (best.exact or settings.prefill == "fuzzy"):
        return _set_comment(entry, [])    # a unit translating a text by a bare newline
    if best.exact:
        entry.msgstr = target
        if settings.exact_as == "fuzzy" and "fuzzy" not in entry.flags:
            entry.flags.append("fuzzy")
        elif settings.exact_as == "translated" and "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        _set_comment(entry, [describe(best)])
        counters["tm exact"] += 1
    elif settings.prefill == "fuzzy":
        entry.msgstr = target
        if "fuzzy" not in entry.flags:
            entry.flags.append("fuzzy")
        entry.previous_msgid = best.unit.source
        _set_comment(entry, [describe(best)])
        counters["tm fuzzy"] += 1
    else:
        _set_comment(entry, [describe(m, with_target=True) for m in matches])
        counters["tm suggested"] += 1
    return True


#: Further matches asked for a text whose best ones were withdrawn at the entry's own place.
WITHDRAWN_EXTRA = 8

Catalog = tuple  # (po, lang) or (po, lang, slug): the slug names the entries' places


def prefill_catalogs(catalogs: Sequence[Catalog], tm: TranslationMemory,
                     source_lang: str, settings: TMSettings) -> list[tuple[dict[str, int], bool]]:
    """Fill the untranslated entries of many ``(catalog, language[, slug])`` at once.

    Each distinct (language, English text) is looked up once, and all of
    them in one batch (:meth:`TranslationMemory.lookup_groups`): a thousand
    articles sharing a footer ask for it once per language, and many small
    catalogs together still use every core.  With the article's ``slug`` an
    entry is never filled with a translation withdrawn from its own place
    (see the module docstring).  Returns (counters, whether the catalog
    changed) per catalog.
    """
    results = []
    for _ in catalogs:
        counters = {"tm exact": 0, "tm fuzzy": 0}
        if settings.prefill == "comment":
            counters["tm suggested"] = 0
        results.append(counters)
    changed = [False] * len(catalogs)
    if settings.prefill == "off":
        return list(zip(results, changed))
    wanted = max(1, settings.suggestions) if settings.prefill == "comment" else 1
    pending = [(number, entry, catalog[1], catalog[2] if len(catalog) > 2 else "")
               for number, catalog in enumerate(catalogs) for entry in catalog[0]
               if not entry.msgstr and entry.msgid and not entry.obsolete and not entry.msgid_plural]
    answers = _lookup(tm, source_lang, {(lang, e.msgid) for _, e, lang, _ in pending}, settings, wanted)
    chosen: list[list[Match]] = []
    again: set[tuple[str, str]] = set()
    for _, entry, lang, slug in pending:
        matches = answers[(lang, entry.msgid)]
        kept = _not_withdrawn_here(matches, lang, slug, entry)
        chosen.append(kept)
        if len(kept) < len(matches):
            again.add((lang, entry.msgid))
    if again:   # the best were this place's own withdrawn translations: look further
        more = _lookup(tm, source_lang, again, settings, wanted + WITHDRAWN_EXTRA)
        for at, (_, entry, lang, slug) in enumerate(pending):
            if (lang, entry.msgid) in again:
                chosen[at] = _not_withdrawn_here(more[(lang, entry.msgid)], lang, slug, entry)[:wanted]
    for (number, entry, _, _), matches in zip(pending, chosen):
        changed[number] |= _fill(entry, matches, settings, results[number])
    return list(zip(results, changed))


def _lookup(tm: TranslationMemory, source_lang: str, wanted_texts: Iterable[tuple[str, str]],
            settings: TMSettings, limit: int) -> dict[tuple[str, str], list[Match]]:
    """(language, English) -> matches, every pair looked up in one batch."""
    texts: dict[tuple[str, str], dict[str, None]] = {}
    for lang, text in sorted(wanted_texts):
        texts.setdefault((source_lang, lang), {})[text] = None
    found = tm.lookup_groups(texts, settings.min_score, limit)
    return {(pair[1], text): matches for pair, distinct in texts.items()
            for text, matches in zip(distinct, found[pair])}


def _not_withdrawn_here(matches: list[Match], lang: str, slug: str, entry: polib.POEntry) -> list[Match]:
    """``matches`` without translations withdrawn from the entry's own place."""
    if not slug:
        return matches
    segment, tag = segment_of(entry), lang_tag(lang)
    return [m for m in matches if m.unit.current or not (
        m.unit.article == slug and m.unit.segment == segment and lang_tag(m.unit.target_lang) == tag)]


def prefill_many(pos: list[polib.POFile], tm: TranslationMemory, source_lang: str, lang: str,
                 settings: TMSettings) -> list[tuple[dict[str, int], bool]]:
    """Fill the untranslated entries of several catalogs of one language (one batch)."""
    return prefill_catalogs([(po, lang) for po in pos], tm, source_lang, settings)


def prefill_po(po: polib.POFile, tm: TranslationMemory, source_lang: str, lang: str,
               settings: TMSettings) -> tuple[dict[str, int], bool]:
    """Fill the untranslated entries of ``po``; returns (counters, whether ``po`` changed)."""
    return prefill_catalogs([(po, lang)], tm, source_lang, settings)[0]


class PrefillHook:
    """A ``tmkit update`` hook: ``hook(po, lang, slug) -> counters``.

    Created once per run: it opens the TM and feeds it the project's current
    PO files first, so a footer translated in one article pre-fills another in
    the same run.
    """

    #: What it does to an entry depends only on the entry's own strings and the
    #: language, and its counters add up over entries (see ``toolkit.catalog.hooks``).
    per_entry = True

    def __init__(self, config: Config, languages: Optional[Iterable[str]] = None,
                 read: Optional[Mapping[Path, tuple[bytes, polib.POFile]]] = None, feed: bool = True) -> None:
        self.config = config
        self.settings = config.tm
        self.tm: Optional[TranslationMemory] = None
        self.fingerprint = "tmkit-tm:off"
        if self.settings.prefill != "off":
            self.tm = open_project_tm(config)
            if feed:      # False: the caller feeds it (tmkit tm pretranslate, one language at a time)
                feed_project(config, self.tm, languages, read)
            self.fingerprint = self._fingerprint()

    def _fingerprint(self) -> str:
        """Changes when the TM gains units or the ``[tm]`` settings change.

        ``tmkit update`` skips catalogs whose template and PO file are unchanged
        unless this changes: a footer newly translated in one article must reach
        the other articles' catalogs.
        """
        store = self.tm.store
        # the checksum too: after a restore and new imports, highest id and count can come back
        generations = sorted((sl, tl, *vars(store.checkpoint(sl, tl)).values(), store.revision(sl, tl))
                             for sl, tl, _ in store.pairs())
        settings = self.settings
        return (f"tmkit-tm:{store.identity()}:{generations}:{settings.min_score}:"
                f"{settings.prefill}:{settings.exact_as}:{settings.suggestions}")

    def __call__(self, po: polib.POFile, lang: str, slug: str) -> dict[str, int]:
        if self.tm is None:
            return {}
        return prefill_catalogs([(po, lang, slug)], self.tm, self.config.source_language,
                                self.settings)[0][0]

    def apply(self, pos: list[polib.POFile], lang: str, slug: str = "") -> list[tuple[dict[str, int], bool]]:
        """Pre-fill several catalogs of ``lang`` (of article ``slug``, if one) with one batch lookup."""
        if self.tm is None:
            return [({}, False) for _ in pos]
        return prefill_catalogs([(po, lang, slug) for po in pos], self.tm, self.config.source_language,
                                self.settings)

    def apply_many(self, catalogs: Sequence[tuple[polib.POFile, str, str]]) -> list[dict[str, int]]:
        """The hook on every ``(po, lang, slug)`` of a ``tmkit update`` at once (one batch)."""
        if self.tm is None:
            return [{} for _ in catalogs]
        done = prefill_catalogs(list(catalogs), self.tm,
                                self.config.source_language, self.settings)
        return [counters for counters, _ in done]

    def saved(self, po: polib.POFile, lang: str, slug: str) -> None:
        """Feed a catalog saved during the run before it is filled again.

        What the translator took back in that save (a cleared or fuzzy entry)
        is withdrawn first, so it cannot come back from the TM.
        """
        if self.tm is not None:
            source = self.config.source_language
            self.tm.add(po_units(po, source, lang, slug), (source, lang, slug))

    def after_write(self, written: Sequence) -> None:
        """Feed what ``tmkit update`` just wrote, from memory, and record it as fed.

        ``written``: :class:`toolkit.catalog.update.WrittenCatalog` items.  The
        next run's feed then skips these files instead of parsing them again.
        """
        if self.tm is not None:
            record_written(self.config, self.tm, written)

    def close(self) -> None:
        if self.tm is not None:
            self.tm.close()
            self.tm = None


def make_prefill_hook(config: Config, languages: Optional[Iterable[str]] = None,
                      read: Optional[Mapping[Path, tuple[bytes, polib.POFile]]] = None,
                      feed: bool = True) -> PrefillHook:
    """The hook ``toolkit.catalog.update_project`` calls on every updated PO (``read``:
    catalogs already read and parsed, fed from memory; see :func:`feed_project`)."""
    return PrefillHook(config, languages, read, feed)


def prefill_hook_factory(config: Config) -> Optional[PrefillHook]:
    """For ``toolkit.catalog.hooks.HOOK_FACTORIES``: no hook at all when prefill is off."""
    return None if config.tm.prefill == "off" else PrefillHook(config)


#: Catalogs of one language parsed and held at once by ``tmkit tm pretranslate``
#: (~50 KB each parsed; 500 kept its peak near 200 MB at 4,000 articles x 5).
CHUNK = 500


def _read_chunk(config: Config, paths: Sequence[Path]) -> list[tuple[Path, bytes, polib.POFile]]:
    """(path, bytes, parsed catalog) of each of ``paths``."""
    read = []
    for path in paths:
        data = path.read_bytes()
        read.append((path, data, parse_po_bytes(data, relative(config, path))))
    return read


@dataclass
class PretranslateReport:
    """Counters per language, and the catalogs someone saved while the run went on."""

    languages: dict[str, dict[str, int]]
    written: list[Path] = field(default_factory=list)
    redone: list[Path] = field(default_factory=list)      # saved during the run: filled again
    left: list[LeftFile] = field(default_factory=list)    # saved during the run, left as saved


def pretranslate_project(config: Config, languages: Optional[Iterable[str]] = None,
                         slugs: Optional[Iterable[str]] = None) -> PretranslateReport:
    """Apply the TM to the project's existing PO files; counters per language.

    Catalogs are replaced only if nobody saved them meanwhile; one that was
    saved is filled again from the saved file, or left as saved
    (:func:`toolkit.catalog.rewrite.rewrite_catalogs`).
    """
    languages = config.select_languages(list(languages) if languages else None)
    report = PretranslateReport({lang: {} for lang in languages})
    counted: dict[Path, dict[str, int]] = {}
    files: dict[str, list[Path]] = {lang: [] for lang in languages}
    for lang, _slug, path in project_po_files(config, languages, slugs):
        files.setdefault(lang, []).append(path)
    hook = make_prefill_hook(config, languages, feed=False)

    def count(lang: str, path: Path, counters: dict[str, int], times: int = 1) -> None:
        for key, value in counters.items():
            report.languages[lang][key] = report.languages[lang].get(key, 0) + times * value
        if times > 0:
            counted[path] = counters

    def redo(path: Path, current: Optional[bytes]) -> Optional[str]:
        if current is None:
            return None                       # removed meanwhile: nothing to fill
        lang, slug = path.parent.name, path.stem
        po = parse_po_bytes(current, relative(config, path))
        hook.saved(po, lang, slug)
        [(counters, changed)] = hook.apply([po], lang, slug)
        count(lang, path, counted.get(path, {}), times=-1)
        count(lang, path, counters)
        return format_po(po) if changed else None

    def filled(lang: str) -> Iterator[Rewrite]:
        """The catalogs of ``lang`` that pre-filling changed, read and filled a chunk at a time.

        Only one chunk's parsed catalogs are held (all of a language's at once
        took 550 MB at 4,000 articles; all languages' 1.5 GB), and what it
        yields is staged at once by :func:`rewrite_catalogs`.  The TM is fed
        the whole language first, so that a footer translated in one article
        pre-fills another in the same run: from the catalogs already parsed
        when the language fits in one chunk, else one file at a time.
        """
        paths = files.get(lang, [])
        read: Optional[list] = None
        if len(paths) <= CHUNK:
            read = _read_chunk(config, paths)
            feed_project(config, hook.tm, [lang], {path: (data, po) for path, data, po in read})
        else:
            feed_project(config, hook.tm, [lang])
        for start in range(0, len(paths), CHUNK):
            chunk = read if read is not None else _read_chunk(config, paths[start:start + CHUNK])
            done = prefill_catalogs([(po, lang, path.stem) for path, _, po in chunk], hook.tm,
                                    config.source_language, hook.settings)
            for (path, data, po), (counters, changed) in zip(chunk, done):
                count(lang, path, counters)
                if changed:
                    yield Rewrite(path, data, format_po(po))   # gettext's layout
            chunk = read = done = None

    try:
        if hook.tm is not None:
            # One language at a time: lookups are per language pair anyway.
            with fewer_collections():   # catalogs and matches: many objects, none in lasting cycles
                result = rewrite_catalogs((item for lang in languages for item in filled(lang)), redo)
            report.written, report.redone, report.left = result.written, result.redone, result.left
    finally:
        hook.close()
    return report
