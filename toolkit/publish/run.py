"""``tmkit build`` as the command line runs it: a rebuild with nothing to do replays.

Like ``extract`` and ``update`` (:mod:`toolkit.catalog.rerun`), the build
first asks :mod:`toolkit.project.nochange` whether anything it depends on changed
since its last run with the same options: the articles, every configured
language's PO files, ``tmkit.toml``, the template override folder, tmkit's
code, the glossary when the gate holds on check errors, and the names in the export folder (an export deleted by hand is
written again).  If nothing did, the stored report is printed without reading the
settings, importing the writers or touching a file; otherwise the project
lock is taken and :func:`toolkit.publish.build.build` does the real (incremental)
work.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterable, Optional

from toolkit.publish.report import BuildReport
from toolkit.project.nochange import Stamp, command_key
from toolkit.text.languages import PSEUDO_LANGUAGES


def build_project(root: Path, languages: Iterable[str] = (), formats: Iterable[str] = (),
                  output: Optional[Path] = None, force: bool = False,
                  progress: Optional[Callable[[int, int], None]] = None,
                  slugs: Iterable[str] = ()) -> BuildReport:
    """Export the project at ``root`` (see :func:`toolkit.publish.build.build`).

    ``progress(done, total)`` is called as articles are done (not on a replay).
    """
    languages, formats, slugs = list(languages), list(formats), list(slugs)
    stamp = Stamp(root, command_key("build", languages, formats, [os.fspath(output or "")],
                                    ["force" if force else ""], slugs))
    stored = stamp.replay()
    if stored is not None:
        return BuildReport.rerun(stored)
    from toolkit.publish.build import MANIFEST_NAME, build
    from toolkit.project.config import load_config
    from toolkit.project.lock import project_lock
    from toolkit.project.layout import check_output, relative
    from toolkit.readers.sources import article_paths

    config = load_config(root)
    with project_lock(config):
        out = check_output(config, output) if output else config.export_path
        built = [*config.languages, *(t for t in languages if t in PSEUDO_LANGUAGES and t not in config.languages)]
        inputs = [relative(config, p) for p in [config.source_path]
                  + [config.po_path / lang for lang in built]]
        if config.export.templates:
            inputs.append(config.export.templates)
        # the exports: their names (an export deleted by hand is written again), as the
        # build itself checks them (a directory listing, not 18,000 stats)
        exported = [relative(config, out)] + [relative(config, out / lang) for lang in
                                              [config.source_language, *built]]
        files = ["tmkit.toml"]
        if config.publish.hold_on_check_errors and config.checks.glossary:
            files.append(config.checks.glossary)   # the gate's checks read it
        stamp.begin(inputs, files, exported)
        total, done = len(article_paths(config, slugs or None)), 0

        def each(_slug: str) -> None:
            nonlocal done
            done += 1
            progress(done, total)

        report = build(config, languages, formats, output, force, each if progress else None, slugs)
        if not report.left_out:
            # A format left out for want of a system library (Pango) leaves no stamp: installing
            # it changes no file the stamp watches, and the next build must write that format.
            stamp.finish(report.as_rerun(), [*report.written, *report.removed, out / MANIFEST_NAME])
    return report
