"""Readers: one module per source format, registered in :data:`READERS`.

A reader is a function ``read(text, path, slug) -> Article``; a reader of a
binary format (``.docx``) has ``binary = True`` and is given the file's bytes
instead of its text.  Adding a format is one new module and one line here.
:data:`READERS` is the one list of the extensions tmkit reads; :data:`REFUSED`
names files that look like articles but cannot be read, so that they get an
error saying what to do instead of being passed over.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Callable

from toolkit.errors import SourceError
from toolkit.project.fsutil import read_bytes, read_text
from toolkit.model import Article
from toolkit.readers import webtext
from toolkit.text.xmlchars import bad_control

Reader = Callable[[str, str, str], Article]


def _lazy(module: str, function: str = "read", binary: bool = False) -> Reader:
    """A reader whose module is imported on first use: a run over web-copy
    articles does not pay for importing markdown-it, PyYAML, lxml.html or
    python-docx (about 40 ms per command)."""

    def read(text, path: str, slug: str) -> Article:
        return getattr(importlib.import_module(f"toolkit.readers.{module}"), function)(text, path, slug)

    read.__qualname__ = f"{module}.{function}"
    read.binary = binary  # type: ignore[attr-defined]
    return read


#: File extension -> (format name, reader function).  Formats are described
#: in ``docs/formats.md``.
READERS: dict[str, tuple[str, Reader]] = {
    ".txt": ("webtext", webtext.read),
    ".md": ("markdown", _lazy("markdown")),
    ".markdown": ("markdown", _lazy("markdown")),
    ".html": ("html", _lazy("html")),
    ".htm": ("html", _lazy("html")),
    ".docx": ("docx", _lazy("word", binary=True)),
}

#: Extensions of files that are articles tmkit cannot read -> the reader that
#: refuses them with an error saying what to do (``.doc``: save as ``.docx``).
REFUSED: dict[str, Reader] = {
    ".doc": _lazy("word", "refuse_doc", binary=True),
}


def register(extension: str, name: str, reader: Reader) -> None:
    """Register a reader for files ending in ``extension`` (e.g. ``".rst"``)."""
    READERS[extension.lower()] = (name, reader)


def is_source(path: os.PathLike | str) -> bool:
    """True for files some reader handles (or refuses with a clear error)."""
    suffix = Path(path).suffix.lower()
    return suffix in READERS or suffix in REFUSED


def read_article(path: os.PathLike | str, display_path: str | None = None) -> Article:
    """Read one source file into an :class:`Article`.

    ``display_path`` is how the file is named in PO references and errors
    (relative to the project), defaulting to ``path`` itself.
    """
    p = Path(path)
    shown = display_path or os.fspath(path)
    suffix = p.suffix.lower()
    if suffix in REFUSED:
        name, reader = "refused", REFUSED[suffix]
    else:
        try:
            name, reader = READERS[suffix]
        except KeyError:
            known = ", ".join(sorted(READERS))
            raise SourceError(f"unknown source format '{p.suffix or p.name}' (known: {known})", shown) from None
    try:
        content = read_bytes(p) if getattr(reader, "binary", False) else read_text(p)
    except SourceError:
        raise
    except Exception as exc:  # TmkitError from read_text: re-label with the shown path
        raise SourceError(getattr(exc, "message", str(exc)), shown, getattr(exc, "line", None)) from None
    article = reader(content, shown, p.stem)
    article.format = name
    refuse_controls(article)
    return article


def refuse_controls(article: Article) -> None:
    """Refuse an article whose text holds a control character no page may carry.

    The English is published too (and is every PO entry's msgid): DEL, a C1
    control or a C0 one other than tab and newline is an error naming the
    line of the block that holds it, whatever the format.
    """
    texts = [(article.title, article.title_line)]
    texts += [(meta.value, meta.line) for meta in article.meta]
    texts += [(block.text, block.line) for block in article.walk()]
    for text, line in texts:
        control = bad_control(text)
        if control is not None:
            raise SourceError(f"the text holds the control character {control}, which no page "
                              "may carry", article.path, line or None)
