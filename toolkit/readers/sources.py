"""The project's articles: which files under ``source/`` are articles, and reading them.

A file is an article when a reader is registered for its extension
(:data:`toolkit.readers.READERS`); hidden files and ``[project] ignore``
globs are skipped quietly, anything else is named in a warning so that a
file in a format tmkit does not read never vanishes silently from the site.
"""

from __future__ import annotations

from fnmatch import fnmatch
from pathlib import Path
from typing import Iterator, Optional

from toolkit.errors import SourceError, TmkitError
from toolkit.model import Article
from toolkit.project.config import Config
from toolkit.project.fsutil import inside
from toolkit.project.layout import relative
from toolkit.readers import READERS, is_source, read_article
from toolkit.text.xmlchars import has_control


def _skipped_quietly(config: Config, path: Path) -> bool:
    """Hidden files and those matching ``[project] ignore`` are not articles, and say nothing."""
    return path.name.startswith(".") or any(fnmatch(path.name, glob) for glob in config.ignore)


def unread_source_files(config: Config) -> list[str]:
    """Warnings for files in the source folder that no reader handles (e.g. ``notes.odt``).

    A file dropped into ``source/`` in a format tmkit does not read must not
    vanish silently from the site; hidden files and ``[project] ignore``
    globs are skipped without a word.
    """
    folder = config.source_path
    if not folder.is_dir():
        return []
    known = ", ".join(sorted(READERS))
    return [f"{relative(config, p)}: not read: tmkit reads {known} "
            "(list it in [project] ignore in tmkit.toml to silence this)"
            for p in sorted(folder.iterdir())
            if p.is_file() and not is_source(p) and not _skipped_quietly(config, p)]


def _name(path: Path) -> str:
    return path.name


def article_paths(config: Config, slugs: Optional[list[str]] = None) -> list[Path]:
    """Source files of the project, sorted; ``slugs`` restricts them."""
    folder = config.source_path
    if not folder.is_dir():
        raise SourceError("source folder not found", config.source_dir)
    # sorted by name: the order of the paths themselves (one folder), without pathlib's
    # comparisons (two lists built per comparison, 10,000 of them for 1,000 articles)
    paths = sorted((p for p in folder.iterdir() if p.is_file() and is_source(p)
                    and not _skipped_quietly(config, p)), key=_name)
    for path in paths:
        if has_control(path.name):     # the slug names PO files, pages and XML attributes
            raise SourceError("the file name holds a control character (or bytes that are not "
                              "UTF-8); rename the article", relative(config, path))
        if path.is_symlink():
            try:
                inside(config.root, path)
            except TmkitError:
                raise SourceError("article is a symlink leading out of the project; refused",
                                  relative(config, path)) from None
    seen: dict[str, Path] = {}
    for path in paths:
        if path.stem in seen:
            raise SourceError(f"two articles with the slug '{path.stem}' "
                              f"({seen[path.stem].name}, {path.name})", config.source_dir)
        seen[path.stem] = path
    if slugs:
        missing = [s for s in slugs if s not in seen]
        if missing:
            raise SourceError(f"no article named {', '.join(missing)}", config.source_dir)
        return [seen[s] for s in slugs]
    return paths


def iter_articles(config: Config, slugs: Optional[list[str]] = None) -> Iterator[Article]:
    """Read the project's articles one at a time (memory stays flat)."""
    for path in article_paths(config, slugs):
        yield read_article(path, relative(config, path), config.sources)
