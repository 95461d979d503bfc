"""``tmkit build``: merge every article with every language and run the writers.

One article at a time (memory stays flat in the number of articles): read the
source, merge it with each configured language's PO file, apply the publishing
gate, render every requested format for the published languages, and write
only files whose bytes changed.

The build is incremental by content hashes, never timestamps.  A manifest in
the export folder (``.tmkit-manifest.json``) records, per article, a key over
its inputs (source bytes, every PO file's bytes, the templates, the settings
that shape the output, the tmkit version and a hash of its code; with
``hold_on_check_errors`` the check inputs too: settings, glossary) and the hash of each file written,
and, per language, the error-level check findings of its PO file with a digest of what they depend
on, so an unchanged catalog of a re-rendered article is not checked again.
When an article's key is unchanged and its files are still there, it is not
even read; when it changed, it is rendered and only files whose content hash
differs are replaced (so editing the Spanish PO rewrites only the Spanish
files of that article, unless the set of published languages changed, which
every page's language switcher shows).  Every write is atomic.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import multiprocessing as mp
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional


from toolkit import __version__
from toolkit.catalog import broken, pofile as catalog_po
from toolkit.project.collect import fewer_collections
from toolkit.project.config import Config
from toolkit.errors import CatalogError, ConfigError, TmkitError
from toolkit.publish.report import ArticleLanguage, BuildReport, LanguageSummary  # noqa: F401
from toolkit.project.fsutil import AtomicBatch, atomic_write_bytes, inside, sync_filesystem
from toolkit.text.languages import PSEUDO_LANGUAGES, Language, get_language
from toolkit.publish.merge import merge, source_article
from toolkit.model import TranslatedArticle
from toolkit.project.nochange import code_fingerprint
from toolkit.project.layout import check_output, relative
from toolkit.readers.sources import article_paths
from toolkit.readers import read_article
from toolkit.segment import segments_by_unit
from toolkit.publish.signoff import SIGNOFF_SUFFIX
from toolkit.publish.site import home_entry, write_site
from toolkit.publish.trust import trust_for
from toolkit.publish.writers import PageContext, Writer, available, get_writer, templates_digest

MANIFEST_NAME = ".tmkit-manifest.json"
MANIFEST_VERSION = 1
GENERATOR = f"tmkit {__version__}"
#: Render in worker processes when at least this many articles changed.
PARALLEL_FROM = 40
MAX_PROCESSES = 8
#: Articles rendered per batch of files synced together (one disk sync each).
BATCH_ARTICLES = 25


@dataclass
class _Plan:
    """Settings of one build run, computed once."""

    config: Config
    output: Path
    targets: list[str]                 # target languages to write
    all_targets: list[str]             # every configured target, and pseudo-languages being built
    include_source: bool
    writers: list[Writer]
    force: bool
    settings_key: str
    templates_override: Optional[Path]
    go_on: bool = False                # a broken PO file fails its own article-language only
    ratios: dict = field(default_factory=dict)     # lang -> usual length ratio, when the gate needs it
    checks_key: str = ""               # what decides check errors besides a PO file's bytes
    _templates: object = None          # jinja2.Environment, made on first use
    _checks: dict = field(default_factory=dict)    # lang -> LanguageChecks, made on first use
    _po_dirs: dict = field(default_factory=dict)   # lang -> (folder, folder as shown)
    missing: list = field(default_factory=list)    # formats left out: a system library is missing

    def po_file(self, lang: str, slug: str) -> tuple[Path, str]:
        """A language's PO file and its name relative to the project, for messages.

        The same as ``config.po_file`` and :func:`toolkit.project.layout.relative`,
        with the folder resolved once per build rather than three times per file.
        """
        if lang not in self._po_dirs:
            folder = self.config.po_file(lang, slug).parent
            self._po_dirs[lang] = (folder, relative(self.config, folder))
        folder, shown = self._po_dirs[lang]
        path = folder / f"{slug}.po"
        if os.path.islink(path):       # shown by where it points, as relative() does
            return path, relative(self.config, path)
        return path, f"{shown}/{slug}.po"

    def check_errors(self, lang: str, slug: str, path: Path, shown: str,
                     known: Optional[list] = None) -> tuple[list, Optional[list]]:
        """The error-level findings of ``tmkit check`` in one PO file (none when not held on them).

        The same run as ``tmkit check`` (:mod:`toolkit.checks.runner`), with
        only the checks whose severity is ``error``: the gate needs no more.
        ``known`` is what the manifest recorded for this catalog last time,
        ``[digest, findings]``: while the PO file's bytes and the check
        inputs are the same, its findings are taken from there instead of
        checking it again (an article re-rendered because another language
        changed re-checks only that language).  Returns (findings, the
        record to keep).
        """
        if not self.config.publish.hold_on_check_errors:
            return [], None
        from toolkit.checks.findings import Finding

        digest = _digest(self.checks_key, _file_digest(path))[:32]
        if isinstance(known, list) and len(known) == 2 and known[0] == digest:
            try:
                return [Finding(**found) for found in known[1]], known
            except TypeError:
                pass                   # a record of another tmkit: check again
        errors = self._check(lang, slug, path, shown)
        return errors, [digest, [found.as_dict() for found in errors]]

    def _check(self, lang: str, slug: str, path: Path, shown: str) -> list:
        from toolkit.checks import runner

        if lang not in self._checks:
            glossary = None
            if "glossary" in runner.language_checks(self.config, lang, only_errors=True).names:
                from toolkit.checks.glossary import load_glossary

                glossary = load_glossary(self.config)
            self._checks[lang] = runner.language_checks(self.config, lang, glossary,
                                                        self.ratios.get(lang), only_errors=True)
        return runner.catalog_errors(self._checks[lang], path, shown, slug)

    @property
    def templates(self):
        """The HTML writer's Jinja2 environment (not loaded when nothing is rendered)."""
        if self._templates is None:
            from toolkit.publish.writers.html import environment

            self._templates = environment(self.templates_override)
        return self._templates


def read_po(path: Path, shown: str) -> Optional[list]:
    """A language's PO entries, or ``None`` when the file does not exist (nothing translated).

    Read with the catalogs' strict reader (its lean form, which keeps only
    what merging looks at), so a damaged file is a
    :class:`~toolkit.errors.CatalogError` with its line, never half-merged.
    """
    if not path.is_file():
        return None
    return catalog_po.read_translations(path, shown)


def _digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


def _file_digest(path: os.PathLike | str) -> str:
    """SHA-256 of a file's bytes, ``-`` when it does not exist."""
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except FileNotFoundError:
        return "-"


def _plan(config: Config, languages: Optional[Iterable[str]], formats: Optional[Iterable[str]],
          output: Optional[os.PathLike | str], force: bool) -> _Plan:
    wanted = list(languages or [])
    source = config.source_language
    is_source = [isinstance(w, str) and w.lower() == source.lower() for w in wanted]   # --lang EN
    include_source = not wanted or any(is_source)
    chosen = [w for w, src in zip(wanted, is_source) if not src]
    # Pseudo-languages (tmkit pseudo) are built when asked for, configured or not.
    pseudo = [w for w in dict.fromkeys(chosen) if w in PSEUDO_LANGUAGES and w not in config.languages]
    real = [w for w in chosen if w not in pseudo]
    if chosen:
        targets = (config.select_languages(real) if real else []) + pseudo
    else:
        targets = [] if wanted else list(config.languages)
    writers, missing = available([get_writer(name) for name in dict.fromkeys(formats or config.export.formats)])
    override = None
    if config.export.templates:
        override = inside(config.root, config.export.templates)
        if not override.is_dir():
            raise ConfigError(f"templates folder not found: {config.export.templates}", config.path)
    ratios: dict[str, Optional[float]] = {}
    checks = ""
    if config.publish.hold_on_check_errors:
        # What decides a catalog's check errors besides its bytes is part of every key.
        from toolkit.checks import runner

        checks = runner.gate_inputs(config)
        ratios = {lang: runner.language_ratio(config, lang) for lang in config.languages
                  if runner.gate_needs_ratio(config, lang)}
    settings = json.dumps({
        "checks": checks, "ratios": ratios,
        "version": __version__, "code": code_fingerprint(), "source": source, "languages": config.languages,
        "segmentation": config.segmentation, "publish": asdict(config.publish),
        "text_width": config.export.text_width, "templates": templates_digest(override),
        "site": config.site.url,       # canonical and hreflang URLs in every page

        "forced": targets if force else [],   # --force applies to the languages built
    }, sort_keys=True)
    out = check_output(config, output) if output else config.export_path
    for name in ([source] if include_source else []) + targets:
        # out/<lang> may be a symlink into po/ or source/: the writes would land there.
        check_output(config, out / name, "--output" if output else "export folder")
    return _Plan(config, out, targets, list(config.languages) + pseudo, include_source, writers, force,
                 _digest(settings), override, broken.skipping(), ratios,
                 _digest(checks, json.dumps(ratios, sort_keys=True), __version__, code_fingerprint()),
                 missing=missing)


def _load_manifest(output: Path) -> dict:
    try:
        data = json.loads((output / MANIFEST_NAME).read_text("utf-8"))
    except (OSError, ValueError):
        return {"version": MANIFEST_VERSION, "articles": {}}
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        return {"version": MANIFEST_VERSION, "articles": {}}
    _confine(data)
    return data


def _confine(manifest: dict) -> None:
    """Drop manifest records naming files outside the export folder.

    The manifest lists files a later build may delete; an edited one naming
    ``../../x`` or ``/etc/x`` must never lead a removal (or write) there.
    """
    articles = manifest.get("articles")
    if not isinstance(articles, dict):
        manifest["articles"] = {}
        return
    for slug, record in list(articles.items()):
        outputs = record.get("outputs") if isinstance(record, dict) else None
        if not isinstance(outputs, dict) or any(
                not isinstance(rel, str) or rel.startswith("/") or "\\" in rel
                or ".." in rel.split("/") for rel in outputs):
            del articles[slug]


class _Writes:
    """Files of a batch of articles being written: staged, then renamed together.

    Creating files is what a full build spends most of its time on; one
    :class:`~toolkit.project.fsutil.AtomicBatch` per batch of articles replaces an
    ``fsync`` per file by one sync per batch that replaces existing files,
    each file still replaced whole.  A batch of new files only is not
    synced: :func:`build` syncs once before the manifest names them, so a
    crash can leave a new file incomplete only while no manifest vouches
    for it (the next build writes it again).
    """

    def __init__(self) -> None:
        self.written: list[Path] = []
        self.removed: list[Path] = []
        self.batch = AtomicBatch(sync_new=False)

    def write_if_changed(self, path: Path, data: bytes, known: Optional[str]) -> str:
        digest = hashlib.sha256(data).hexdigest()
        if known is None or digest != known or not path.exists():
            self.batch.add(path, data)
            self.written.append(path)
        return digest

    def remove(self, path: Path) -> None:
        try:
            path.unlink()
            self.removed.append(path)
        except FileNotFoundError:
            pass


class _Listing:
    """Names of the files in each language folder, read once per build.

    Checking 15,000 outputs with one ``stat`` each costs more than everything
    else an unchanged rebuild does; one directory listing per language does not.
    """

    def __init__(self, output: Path) -> None:
        self.output = output
        self._names: dict[str, set[str]] = {}

    def exists(self, lang: str, name: str) -> bool:
        if lang not in self._names:
            try:
                self._names[lang] = set(os.listdir(self.output / lang))
            except (FileNotFoundError, NotADirectoryError):
                self._names[lang] = set()
        return name in self._names[lang]


def _outputs_present(plan: _Plan, record: dict, listing: _Listing) -> bool:
    """All files this run should produce for the article are recorded and on disk."""
    langs = ([plan.config.source_language] if plan.include_source else []) + plan.targets
    outputs = record.get("outputs", {})
    for lang in langs:
        info = record["langs"].get(lang)
        if info is None:
            return False
        if not info["published"]:
            continue
        for writer in plan.writers:
            name = writer.file_name(record["slug"], lang, plan.config.source_language)
            if name is None:
                continue
            if f"{lang}/{name}" not in outputs or not listing.exists(lang, name):
                return False
    return True


def _results(record: dict, plan: _Plan) -> list[ArticleLanguage]:
    langs = ([plan.config.source_language] if plan.include_source else []) + plan.targets
    return [ArticleLanguage(**record["langs"][lang]) for lang in langs]


def _merge_all(plan: _Plan, path: Path, record: Optional[dict]
               ) -> tuple[str, list[TranslatedArticle], list[ArticleLanguage], dict[str, list]]:
    """Read one article and merge it with every configured language.

    ``--force`` applies to the languages being built; a language left out of
    this run counts as published when its gate passes or when an earlier
    (forced) run published it and its page is still there, so that language
    switchers link exactly to the pages that exist.  ``--force`` never
    overrides a missing or outdated sign-off (``require_review``): an
    article-language held back for review keeps the pages of its last
    approved version, if an earlier build published one.
    """
    config = plan.config
    article = read_article(path, relative(config, path), config.sources)
    units = segments_by_unit(article, config.segmentation)
    merged = [source_article(article, config, units)]
    outcomes = [ArticleLanguage(article.slug, config.source_language, True, 100.0, source=True)]
    known = (record or {}).get("checks")
    checked: dict[str, list] = {}
    for lang in plan.all_targets:
        po_path, shown = plan.po_file(lang, article.slug)
        try:
            entries = read_po(po_path, shown)
        except CatalogError as exc:
            if not plan.go_on:
                raise
            outcomes.append(_unreadable(article.slug, lang, exc, record))
            merged.append(None)
            continue
        errors, checked[lang] = plan.check_errors(lang, article.slug, po_path, shown,
                                                  known.get(lang) if isinstance(known, dict) else None)
        translated = merge(article, entries, lang, config, shown, units, errors)
        gate = translated.gate
        passed = gate.passed
        forced = not passed and gate.review_passed and plan.force and lang in plan.targets
        before = record["langs"].get(lang, {}) if record else {}
        if not passed and lang not in plan.targets and record:
            forced = bool(before.get("forced")) and (plan.output / lang / f"{path.stem}.html").exists()
        required = gate.review is not None and gate.review.required
        approved = gate.review.fingerprint if required and gate.review.approved else ""
        kept = False
        if not (passed or forced) and _keeps_last(gate, before):
            # Held back for review or for check errors: the last pages that
            # passed the gate stay.
            kept = any(rel.startswith(f"{lang}/") for rel in record.get("outputs", {}))
            approved = before.get("approved", "") if kept else ""
        outcomes.append(ArticleLanguage(
            article.slug, lang, passed or forced, round(gate.percent, 1),
            forced=forced, reasons=gate.reasons,
            rejected=[str(r) for r in translated.rejected], kept=kept, approved=approved,
            segments=gate.total, translated=gate.translated))
        merged.append(translated)
    return article.title, merged, outcomes, checked


def _keeps_last(gate, before: dict) -> bool:
    """Whether a held-back article-language keeps the pages an earlier build published.

    Under ``require_review``, the pages of the last approved version stay.
    Held back for check errors, the last pages that passed the gate (not
    forced) stay: a correction that brings an error in must not take the
    correct page down, nor publish the error.
    """
    if gate.review is not None and gate.review.required and before.get("approved"):
        return True
    last_good = (before.get("published") and not before.get("forced")) or before.get("kept")
    return bool(gate.check_errors) and bool(last_good)


def _unreadable(slug: str, lang: str, exc: CatalogError, record: Optional[dict]) -> ArticleLanguage:
    """A broken PO file fails its own article-language: held back, its last pages kept
    (:mod:`toolkit.catalog.broken`; the command reports the file and exits 2)."""
    kept = any(rel.startswith(f"{lang}/") for rel in (record or {}).get("outputs", {}))
    return ArticleLanguage(slug, lang, False, 0.0, reasons=[f"unreadable PO file {exc}"], kept=kept,
                           broken=str(exc))


def _build_article(plan: _Plan, path: Path, record: Optional[dict], key: str,
                   writes: _Writes) -> dict:
    title, merged, outcomes, checked = _merge_all(plan, path, record)
    slug = path.stem
    published = [get_language(o.lang) for o in outcomes if o.published or o.kept]
    wanted = set(plan.targets) | ({plan.config.source_language} if plan.include_source else set())
    outputs = dict((record or {}).get("outputs", {}))
    pages = dict((record or {}).get("pages", {}))
    for translated, outcome in zip(merged, outcomes):
        if outcome.lang not in wanted:
            continue
        language = get_language(outcome.lang)
        trust = None
        if translated is not None and not outcome.source:
            trust = trust_for(plan.po_file(outcome.lang, slug)[0], translated.gate.review)
        page = PageContext(language, switcher(published, language), plan.config.source_language,
                           plan.config.export.text_width, GENERATOR, plan.templates,
                           trust=trust, site_url=plan.config.site.url)
        if outcome.published:
            pages[outcome.lang] = home_entry(translated, trust)
        elif not outcome.kept:
            pages.pop(outcome.lang, None)
        for writer in plan.writers:
            name = writer.file_name(slug, outcome.lang, plan.config.source_language)
            if name is None:
                continue
            rel = f"{outcome.lang}/{name}"
            target = plan.output / rel
            if outcome.published:
                outputs[rel] = writes.write_if_changed(target, writer.render(translated, page),
                                                       outputs.get(rel))
            elif outcome.kept:
                continue               # the last approved version stays as it is
            elif rel in outputs or target.exists():
                outputs.pop(rel, None)
                writes.remove(target)
    langs = {o.lang: asdict(o) for o in outcomes}
    out = {"slug": slug, "key": key, "title": _plain(title), "langs": langs, "outputs": outputs,
           "pages": pages}
    if any(value is not None for value in checked.values()):
        out["checks"] = checked        # per language: [digest of PO + check inputs, error findings]
    return out


def switcher(published: list[Language], page: Language) -> list[Language]:
    """The languages a page links to (switcher, ``hreflang``): the published ones.

    Pseudo-languages are layout tests, never a language for readers: no real
    page links to them; a pseudo page lists the real languages and itself.
    """
    return [lang for lang in published if lang.tag not in PSEUDO_LANGUAGES or lang.tag == page.tag]


def _plain(markup: str) -> str:
    from toolkit.text.inline import plain_text

    return plain_text(markup)


def build(config: Config, languages: Optional[Iterable[str]] = None,
          formats: Optional[Iterable[str]] = None, output: Optional[os.PathLike | str] = None,
          force: bool = False, progress: Optional[Callable[[str], None]] = None,
          slugs: Optional[Iterable[str]] = None) -> BuildReport:
    """Export every article (or those of ``slugs``) in every (selected) language and format.

    ``languages`` may include the source language (its original is exported
    too, for the language switcher; it is always published).  ``force``
    publishes article-languages the gate holds back (reported as warnings).
    ``progress`` is called with each article's slug when it is done.
    """
    plan = _plan(config, languages, formats, output, force)
    report = BuildReport(plan.output, left_out=list(plan.missing))
    manifest = _load_manifest(plan.output)
    records: dict[str, dict] = manifest["articles"]
    every = article_paths(config)
    paths = article_paths(config, list(slugs)) if slugs else every
    listing = _Listing(plan.output)
    po_dirs = [os.fspath(plan.po_file(lang, "x")[0].parent) for lang in plan.all_targets]
    # A sign-off file is an input too: approving republishes (require_review), and
    # pages and handouts name who reviewed them.
    names = [".po", SIGNOFF_SUFFIX]

    def changed() -> Iterator[tuple[Path, Optional[dict], str]]:
        """The articles to render, found while the first ones already render."""
        for path in paths:
            slug = path.stem
            po_keys = [_file_digest(os.path.join(folder, f"{slug}{name}"))
                       for folder in po_dirs for name in names]
            key = _digest(plan.settings_key, _file_digest(path), *po_keys)
            record = records.get(slug)
            if record and record.get("key") == key and _outputs_present(plan, record, listing):
                report.unchanged += 1
                if progress:
                    progress(slug)
            else:
                yield path, record, key

    rendered = 0
    with fewer_collections():
        for record, written, removed in _render(plan, changed()):
            rendered += 1
            records[record["slug"]] = record
            report.written.extend(written)
            report.removed.extend(removed)
            if progress:
                progress(record["slug"])
    for path in paths:
        report.results.extend(_results(records[path.stem], plan))
        report.articles += 1
    stale = _drop_stale(plan, records, {p.stem for p in every}, report)
    manifest_path = plan.output / MANIFEST_NAME
    if any(w.name == "html" for w in plan.writers):
        write_site(config, plan.output, records, plan.templates, report, GENERATOR)
    if rendered or stale or not manifest_path.exists():
        data = json.dumps(manifest, sort_keys=True, ensure_ascii=False,
                          separators=(",", ":")).encode("utf-8")
        if not manifest_path.exists() or manifest_path.read_bytes() != data:
            if report.written:
                sync_filesystem(plan.output)   # every export on disk before the manifest vouches for it
            atomic_write_bytes(manifest_path, data)
    return report


def _render(plan: _Plan, todo: Iterable[tuple[Path, Optional[dict], str]]
            ) -> Iterator[tuple[dict, list[Path], list[Path]]]:
    """Render the changed articles, in worker processes when there are many.

    Articles go in batches of :data:`BATCH_ARTICLES` whose files are written
    together; each worker handles one batch at a time and sends back only
    the small manifest records, so memory stays flat however many articles
    there are.  ``todo`` is consumed as batches fill: the workers render the
    first batches while the rest of the project is still being compared
    with the manifest.
    """
    items = iter(todo)
    first = list(itertools.islice(items, PARALLEL_FROM))
    workers = min(os.cpu_count() or 1, MAX_PROCESSES)
    if len(first) < PARALLEL_FROM or workers < 2 or "fork" not in mp.get_all_start_methods():
        for batch in _batches(itertools.chain(first, items)):
            yield from _render_batch(plan, batch)
        return
    global _WORKER_PLAN
    _WORKER_PLAN = plan                # inherited by the forked workers
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork"),
                             initializer=_exit_with_parent, initargs=(os.getpid(),)) as pool:
        futures = [pool.submit(_worker, batch) for batch in _batches(itertools.chain(first, items))]
        for future in futures:
            outcome = future.result()
            if isinstance(outcome, _Failure):
                for other in futures:
                    other.cancel()
                raise outcome.error()
            yield from outcome


def _batches(items: Iterable[tuple[Path, Optional[dict], str]]) -> Iterator[list[tuple[Path, Optional[dict], str]]]:
    batch: list[tuple[Path, Optional[dict], str]] = []
    for item in items:
        batch.append(item)
        if len(batch) == BATCH_ARTICLES:
            yield batch
            batch = []
    if batch:
        yield batch


def _render_batch(plan: _Plan, items: list[tuple[Path, Optional[dict], str]]
                  ) -> list[tuple[dict, list[Path], list[Path]]]:
    """Render ``items``; their files appear together once all are rendered (or none on error)."""
    outcomes = []
    writes = _Writes()
    with writes.batch:
        for path, record, key in items:
            start = (len(writes.written), len(writes.removed))
            record = _build_article(plan, path, record, key, writes)
            outcomes.append((record, writes.written[start[0]:], writes.removed[start[1]:]))
    return outcomes


@dataclass
class _Failure:
    """A :class:`TmkitError` from a worker, carried back whole (file and line)."""

    cls: type
    message: str
    path: Optional[str]
    line: Optional[int]

    def error(self) -> TmkitError:
        return self.cls(self.message, self.path, self.line)


_WORKER_PLAN: Optional[_Plan] = None


def _exit_with_parent(parent: int) -> None:
    """A worker whose build was killed (SIGKILL) stops too, instead of lingering."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _worker(items: list[tuple[Path, Optional[dict], str]]):
    try:
        return _render_batch(_WORKER_PLAN, items)
    except TmkitError as exc:
        return _Failure(type(exc), exc.message, exc.path, exc.line)


def _drop_stale(plan: _Plan, records: dict, slugs: set[str], report: BuildReport) -> list[str]:
    """Remove the exports of articles whose source file is gone; returns their slugs."""
    stale = sorted(set(records) - slugs)
    for slug in stale:
        writes = _Writes()
        for rel in records.pop(slug).get("outputs", {}):
            writes.remove(plan.output / rel)
        report.removed.extend(writes.removed)
    return stale
