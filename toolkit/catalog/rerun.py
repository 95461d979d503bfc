"""``tmkit extract`` and ``tmkit update`` as the command line runs them.

Each first asks :mod:`toolkit.project.nochange` whether anything they depend on
changed since their last run with the same arguments; if not, the stored
summary is the answer: no settings read, no catalog parsed, nothing
written, and none of the heavy modules imported (this module imports only
light ones).  Otherwise they take the project lock, do the real work
(:func:`toolkit.catalog.extract.extract_project`,
:func:`toolkit.catalog.update.update_project` with the registered hooks)
and leave a new stamp.  The content-hash state (``.tmkit/catalog-state.json``)
is not watched: it only speeds the real work up, and ``update`` rewrites it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Optional, Sequence

from toolkit.catalog.reports import ExtractReport, UpdateReport
from toolkit.project.nochange import Stamp, command_key

def extract(root: Path, slugs: Optional[Sequence[str]] = None,
            progress: Optional[Callable[[int], None]] = None,
            also: Optional[Callable[[object], object]] = None) -> ExtractReport:
    """Write the templates of the project at ``root`` (see :func:`extract_project`).

    ``also(config)``: called when the real work is done (not on a replay),
    inside the project lock, with the settings; it may return an
    :class:`toolkit.catalog.extract.ArticlePass` to run in extract's workers.
    """
    stamp = Stamp(root, command_key("extract", slugs or ()))
    stored = stamp.replay()
    if stored is not None:
        return ExtractReport.rerun(stored)
    from toolkit.catalog.extract import extract_project
    from toolkit.project.config import load_config
    from toolkit.project.lock import project_lock

    config = load_config(root)
    with project_lock(config):
        stamp.begin([_relative(config, config.source_path), _relative(config, config.template_path)],
                    ["tmkit.toml"])
        report = extract_project(config, list(slugs) if slugs else None, progress,
                                 also(config) if also is not None else None)
        stamp.finish(report.as_rerun(), report.written)
    return report


def update(root: Path, languages: Optional[Sequence[str]] = None,
           slugs: Optional[Sequence[str]] = None) -> UpdateReport:
    """Update the PO files of the project at ``root`` with the registered hooks."""
    stamp = Stamp(root, command_key("update", languages or (), slugs or ()))
    stored = stamp.replay()
    if stored is not None:
        return UpdateReport.rerun(stored)
    from toolkit.catalog.hooks import default_hooks
    from toolkit.catalog.update import update_project
    from toolkit.project.config import load_config
    from toolkit.project.lock import project_lock

    config = load_config(root)
    tags = config.select_languages(list(languages) if languages else None)
    with project_lock(config):
        folders = [_relative(config, config.source_path), _relative(config, config.template_path)]
        folders += [_relative(config, config.po_path / tag) for tag in tags]
        files = ["tmkit.toml"]
        ours = []
        if config.checks.glossary:
            files.append(config.checks.glossary)
        if config.tm.prefill != "off":
            tm = Path(config.tm_path)
            tm_files = [tm, tm.with_name(tm.name + "-wal"), tm.with_name(tm.name + ".fed.json")]
            files += [_relative(config, p) for p in tm_files]
            ours += tm_files
        stamp.begin(folders, files)
        hooks = default_hooks(config)
        try:
            report = update_project(config, list(languages) if languages else None,
                                    list(slugs) if slugs else None, hooks=hooks)
        finally:
            for hook in hooks:
                close = getattr(hook, "close", None)
                if close is not None:
                    close()
        from toolkit.catalog import broken

        if ((config.tm.prefill != "off" and _remote_tm(config)) or report.left or report.late_errors
                or broken.found()):
            stamp.forget()     # a shared TM changes without a file here to watch, or files were left: no replay
        else:
            stamp.finish(report.as_rerun(), [*report.written, *ours])
    return report


def _remote_tm(config) -> bool:
    """True when the TM is a database server (``[tm] url`` or ``TMKIT_TM_URL``), not a file."""
    import os

    return bool(os.environ.get("TMKIT_TM_URL") or getattr(config.tm, "url", ""))


def _relative(config, path: Path) -> str:
    from toolkit.project.layout import relative

    return relative(config, Path(path))
