"""Readers: one module per source format, registered in :data:`READERS`.

A reader is a function ``read(text, path, slug) -> Article``.  Adding a format
is one new module and one line here.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Callable

from toolkit.errors import SourceError
from toolkit.fsutil import read_text
from toolkit.model import Article
from toolkit.readers import webtext

Reader = Callable[[str, str, str], Article]


def _lazy(module: str) -> Reader:
    """A reader whose module is imported on first use: a run over web-copy
    articles does not pay for importing markdown-it, PyYAML and lxml.html
    (about 40 ms per command)."""

    def read(text: str, path: str, slug: str) -> Article:
        return importlib.import_module(f"toolkit.readers.{module}").read(text, path, slug)

    read.__qualname__ = f"{module}.read"
    return read


#: File extension -> (format name, reader function).  Formats are described
#: in ``docs/formats.md``.
READERS: dict[str, tuple[str, Reader]] = {
    ".txt": ("webtext", webtext.read),
    ".md": ("markdown", _lazy("markdown")),
    ".markdown": ("markdown", _lazy("markdown")),
    ".html": ("html", _lazy("html")),
    ".htm": ("html", _lazy("html")),
}


def register(extension: str, name: str, reader: Reader) -> None:
    """Register a reader for files ending in ``extension`` (e.g. ``".rst"``)."""
    READERS[extension.lower()] = (name, reader)


def is_source(path: os.PathLike | str) -> bool:
    """True for files some reader handles."""
    return Path(path).suffix.lower() in READERS


def read_article(path: os.PathLike | str, display_path: str | None = None) -> Article:
    """Read one source file into an :class:`Article`.

    ``display_path`` is how the file is named in PO references and errors
    (relative to the project), defaulting to ``path`` itself.
    """
    p = Path(path)
    shown = display_path or os.fspath(path)
    try:
        name, reader = READERS[p.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(READERS))
        raise SourceError(f"unknown source format '{p.suffix or p.name}' (known: {known})", shown) from None
    try:
        text = read_text(p)
    except SourceError:
        raise
    except Exception as exc:  # TmkitError from read_text: re-label with the shown path
        raise SourceError(getattr(exc, "message", str(exc)), shown, getattr(exc, "line", None)) from None
    article = reader(text, shown, p.stem)
    article.format = name
    return article
