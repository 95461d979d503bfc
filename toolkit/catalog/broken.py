"""Going on past a broken PO file: it fails its own article-language only.

One PO file with an unclosed quote must not stop ``status``, ``build``,
``check``, ``update``, ``review``, ``xliff export`` and ``tm update`` for every
other catalog.  A command that wants this runs inside :func:`going_on`; the
places that read a project PO file hand their :class:`CatalogError` to
:func:`skip`, which records it and answers True (leave that catalog out and
go on) or, outside :func:`going_on`, False (the caller re-raises: the
library's default stays "stop at the first bad file").  The command line
runs every command inside :func:`going_on` and, at the end, reports each
broken file on one line (``tmkit: error: po/es/x.po:12: ...``) and exits 2.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar
from typing import Iterator, Optional

from toolkit.errors import CatalogError

_FOUND: ContextVar[Optional[list[str]]] = ContextVar("tmkit_broken_catalogs", default=None)


@contextlib.contextmanager
def going_on() -> Iterator[list[str]]:
    """Collect broken catalogs instead of stopping; yields the list of their error lines."""
    found: list[str] = []
    token = _FOUND.set(found)
    try:
        yield found
    finally:
        _FOUND.reset(token)


def skipping() -> bool:
    """True inside :func:`going_on`."""
    return _FOUND.get() is not None


def skip(exc: CatalogError) -> bool:
    """Record ``exc`` and return True inside :func:`going_on`; False (re-raise it) outside.

    Only a file that does not parse (its error names a line) is skipped; a
    missing or unreadable file, or a setting, still stops the command.
    """
    found = _FOUND.get()
    if found is None or exc.line is None:
        return False
    note(str(exc))
    return True


def note(message: str) -> None:
    """Record a broken catalog already described (e.g. by a build worker); once per message."""
    found = _FOUND.get()
    if found is not None and message not in found:
        found.append(message)


def found() -> list[str]:
    """The broken catalogs recorded so far in this :func:`going_on`."""
    return list(_FOUND.get() or [])
