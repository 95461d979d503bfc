"""Writing the review pages of one language: ``tmkit review --lang L``.

One pass over the language's catalogs, in one process or, from
:data:`PARALLEL_FROM` articles on, in forked worker processes that each
take a share of the articles (issue 23: a review of 1,000 articles had to
take under 2 s on two cores).

The checks need one figure from every catalog before any page can be
finished: the language's usual length ratio (the ``length`` check compares
each translation with it, as ``tmkit check`` does).  So a worker reads its
articles (source, PO file, sign-off) and builds their rows, sends the parent
the length ratios it measured and which distinct entries it holds, waits for
the language's median, then checks (an entry several workers hold is checked
by one of them, :func:`_share_checks`, and its result passed on through the
parent), renders and compares each page with the file on disk and sends back
only the HTML of pages that changed and a :class:`~toolkit.review.page.PageSummary`.
The parent stages the HTML in one :class:`AtomicBatch`: nothing is renamed
into place unless every page was made.  Errors travel back as data
(:class:`~toolkit.errors.ErrorRecord`) and are raised, or skipped as
:mod:`toolkit.catalog.broken` says, in the order of the articles, as one
process would have.
"""

from __future__ import annotations

import os
import traceback
from collections import defaultdict
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Optional, Sequence

from toolkit.catalog import broken
from toolkit.checks.base import Entry
from toolkit.checks.findings import Finding, sort_findings
from toolkit.checks.medical import entry_ratios, median_ratio
from toolkit.checks.runner import LanguageChecks, language_checks, run_checks, translated_entries
from toolkit.errors import CatalogError, ErrorRecord, TmkitError
from toolkit.project.collect import fewer_collections
from toolkit.project.config import Config
from toolkit.project.fsutil import AtomicBatch
from toolkit.publish.signoff import SignOffError
from toolkit.publish.writers.html import environment
from toolkit.readers.sources import article_paths
from toolkit.review.catalog import reviewed_catalog, sources_with_catalogs
from toolkit.review.page import PageSummary, ReviewPage, build_page, holds, override, render_page, review_path

#: Fewer articles than this: one process (forking and the round trip cost more than they save).
PARALLEL_FROM = 200
#: Processes at most: each holds the rows of its share, and two already halve the time.
MAX_PROCESSES = 4


def write_review_pages(config: Config, lang: str, slugs: Optional[Sequence[str]] = None
                       ) -> list[tuple[Path, PageSummary]]:
    """Write ``exports/review/<lang>/<slug>.html`` for ``slugs`` (default: every
    article with a PO file in ``lang``); returns the paths and what they show.

    Every page is rendered before the first is renamed into place, so bad
    input (a damaged PO or sign-off file) leaves no page half-updated.
    """
    lang = config.target_language(lang)
    # the source folder is listed once and each PO file parsed once:
    # the cost grows with the number of articles, not with its square
    paths = article_paths(config, list(slugs)) if slugs else sources_with_catalogs(config, lang)
    with fewer_collections():   # millions of short-lived objects, none in lasting cycles
        workers = _processes(len(paths))
        if workers > 1:
            return _write_forked(config, lang, paths, workers)
        return _write_here(config, lang, paths)


def _processes(articles: int) -> int:
    if articles < PARALLEL_FROM or not hasattr(os, "fork"):
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return min(cores, MAX_PROCESSES, articles)


def _write_here(config: Config, lang: str, paths: Sequence[Path]) -> list[tuple[Path, PageSummary]]:
    """In this process: each PO file parsed once, the checks reuse it."""
    pages: list[tuple[Path, ReviewPage]] = []
    folder = review_path(config, lang, "-").parent   # resolved once, not once per page
    known: dict[tuple[str, str], list[Entry]] = {}
    for path in paths:   # the rows of each page and the entries to check; the parsed PO is let go
        try:
            catalog = reviewed_catalog(config, lang, path.stem, path)
        except CatalogError as exc:   # a broken PO file fails its own page only
            if isinstance(exc, SignOffError) or not broken.skip(exc):
                raise
            continue
        known[(lang, path.stem)] = translated_entries(catalog.po_path, catalog.po_shown, catalog.po)
        page = build_page(config, catalog, [])
        pages.append((folder / f"{page.slug}.html", page))
    findings = run_checks(config, [lang], [p.slug for _, p in pages], known).findings if pages else []
    del known
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_file[finding.path].append(finding)
    env = environment(override(config))
    with AtomicBatch() as batch:   # one disk sync; nothing renamed into place unless all rendered
        for target, page in pages:
            page.attach(by_file.get(page.po_file, []))
            html = render_page(config, page, env)
            if not holds(target, html):   # an unchanged page is not written again
                batch.add(target, html)   # to a temp file at once
    return [(target, page.summary()) for target, page in pages]


# -- in worker processes -------------------------------------------------------

def _write_forked(config: Config, lang: str, paths: Sequence[Path], workers: int
                  ) -> list[tuple[Path, PageSummary]]:
    """The pages in ``workers`` forked processes, article ``i`` in worker ``i % workers``."""
    import multiprocessing

    from toolkit.checks import glossary as _glossary

    glossary = _glossary.load_glossary(config)   # read once, inherited by the workers
    context = multiprocessing.get_context("fork")
    links: list[Connection] = []
    processes = []
    try:
        for number in range(workers):
            mine, theirs = context.Pipe()
            process = context.Process(target=_worker, daemon=True,
                                      args=(theirs, config, lang, paths, range(number, len(paths), workers),
                                            glossary))
            process.start()
            theirs.close()
            links.append(mine)
            processes.append(process)
        # round 1: every worker's failures, length ratios and distinct entries (by hash)
        failures: dict[int, ErrorRecord] = {}
        ratios: list[float] = []
        holders: dict[int, list[int]] = defaultdict(list)   # hash of a check key -> the workers holding it
        for number, link in enumerate(links):
            while True:
                message = _receive(link)
                if message[0] == "failed":
                    failures[message[1]] = message[2]
                    continue
                ratios.extend(message[1])
                for hashed in message[2]:
                    holders[hashed].append(number)
                break
        skipped = set()
        for index in sorted(failures):   # as one process meets them: in article order
            record = failures[index]
            error = record.error()
            if isinstance(error, SignOffError) or not isinstance(error, CatalogError) or not broken.skip(error):
                raise error
            skipped.add(index)
        ratio = median_ratio(ratios)
        owns, learns = _share_checks(holders, workers)
        del holders
        for number, link in enumerate(links):
            link.send((ratio, owns[number], learns[number]))
        said: dict = {}   # what the owners' checks said of the entries several workers hold
        for link in links:
            said.update(_receive(link)[1])
        for number, link in enumerate(links):
            wanted = learns[number]
            link.send({key: value for key, value in said.items() if hash(key) in wanted})
        del said
        # round 2: the pages, staged as they come
        folder = review_path(config, lang, "-").parent
        done: dict[int, PageSummary] = {}
        with AtomicBatch() as batch:
            waiting = list(links)
            while waiting:
                for link in wait(waiting):
                    message = _receive(link)
                    if message[0] == "done":
                        waiting.remove(link)
                        continue
                    _, index, html, summary = message
                    done[index] = summary
                    if html is not None:
                        batch.add(folder / f"{summary.slug}.html", html)
        return [(folder / f"{done[i].slug}.html", done[i]) for i in range(len(paths)) if i not in skipped]
    finally:
        for link in links:
            link.close()
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join()


def _share_checks(holders: dict[int, list[int]], workers: int) -> tuple[list[set], list[set]]:
    """Which worker checks each entry that several hold (the least loaded of them), and which
    results each must learn from the others: (owned, learnt) hashes of check keys per worker.

    In a real project few entries (a footer, a disclaimer) are in two workers' shares;
    in the benchmark's variants of one article nearly all are, and every worker
    checking them all doubled the checks' time.
    """
    owns: list[set] = [set() for _ in range(workers)]
    learns: list[set] = [set() for _ in range(workers)]
    load = [0] * workers
    for hashed, numbers in holders.items():
        if len(numbers) < 2:
            continue
        owner = min(numbers, key=load.__getitem__)
        load[owner] += 1
        owns[owner].add(hashed)
        for number in numbers:
            if number != owner:
                learns[number].add(hashed)
    return owns, learns


def _receive(link: Connection) -> tuple:
    """The next message of a worker; its error raised here."""
    try:
        message = link.recv()
    except EOFError:
        raise RuntimeError("a tmkit review worker process ended unexpectedly") from None
    if message[0] == "error":
        raise message[1].error()
    if message[0] == "oserror":
        raise OSError(*message[1:])
    if message[0] == "crash":
        raise RuntimeError(f"a tmkit review worker process failed:\n{message[1]}")
    return message


def _worker(link: Connection, config: Config, lang: str, paths: Sequence[Path], indices: range,
            glossary: object) -> None:
    """Read, then (once the parent sent the language's length ratio) check, render and compare
    the articles ``indices`` of ``paths``; what it made goes back through ``link``."""
    try:
        pages: list[tuple[int, ReviewPage, list[Entry]]] = []
        measured: list[float] = []
        said: dict = {}   # length ratios by (source, target): each measured once
        distinct: dict = {}   # check key -> its first entry
        for index in indices:
            path = paths[index]
            try:
                catalog = reviewed_catalog(config, lang, path.stem, path)
            except TmkitError as exc:   # the parent decides: stop, or leave this page out
                link.send(("failed", index, ErrorRecord.of(exc)))
                if isinstance(exc, CatalogError) and not isinstance(exc, SignOffError):
                    continue
                break   # the parent stops at this one (one process would have)
            entries = translated_entries(catalog.po_path, catalog.po_shown, catalog.po)
            measured += entry_ratios(entries, said)
            for entry in entries:
                distinct.setdefault(LanguageChecks.key(entry), entry)
            pages.append((index, build_page(config, catalog, []), entries))
            del catalog
        link.send(("ratios", measured, [hash(key) for key in distinct]))
        ratio, owned, learnt = link.recv()
        checks = language_checks(config, lang, glossary, ratio)
        # each distinct entry checked here unless another worker checks it (learnt)
        # (the shared ones first: the other workers wait for them)
        link.send(("said", {key: checks.said(entry) for key, entry in distinct.items()
                            if hash(key) in owned}))
        for key, entry in distinct.items():
            if hash(key) not in learnt:
                checks.said(entry)
        checks.learn(link.recv())
        del distinct
        env = environment(override(config))
        folder = review_path(config, lang, "-").parent
        for index, page, entries in pages:
            page.attach(sort_findings(checks.entries(entries, page.slug)[1]))
            html = render_page(config, page, env)
            link.send(("page", index, None if holds(folder / f"{page.slug}.html", html) else html,
                       page.summary()))
        link.send(("done",))
    except (EOFError, BrokenPipeError, ConnectionResetError, KeyboardInterrupt):
        pass   # the parent stopped (an error in another share, Ctrl-C)
    except TmkitError as exc:
        _send(link, ("error", ErrorRecord.of(exc)))
    except OSError as exc:   # an unreadable file: the parent reports it as one process would
        _send(link, ("oserror", exc.errno, exc.strerror, exc.filename))
    except BaseException:   # a bug: its traceback goes to the parent, which raises
        _send(link, ("crash", traceback.format_exc()))
    finally:
        link.close()


def _send(link: Connection, message: tuple) -> None:
    """Tell the parent, unless it has stopped listening."""
    try:
        link.send(message)
    except OSError:
        pass
