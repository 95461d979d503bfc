"""Which store a TM location opens, and how a database URL is shown to people.

A location is a file path (SQLite, the embedded default) or a URL whose
scheme names a backend.  Backends are registered here, in one place, and
imported only when used (psycopg loads only for a PostgreSQL TM).

:func:`redact_url` is the one way a URL reaches a message: a team keeps its
password in ``TMKIT_TM_URL``, and tmkit never prints it.
"""

from __future__ import annotations

import hashlib
import importlib
import os
from pathlib import Path
from typing import Optional
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from toolkit.errors import TMError

#: URL scheme -> "module:class" of the store
BACKENDS = {
    "postgresql": "toolkit.tm.pgstore:PostgresStore",
    "postgres": "toolkit.tm.pgstore:PostgresStore",
}
_SECRET_PARAMS = {"password", "passfile", "sslpassword", "sslkey"}
HIDDEN = "***"


def is_url(location: os.PathLike | str) -> bool:
    """True when ``location`` names a server database rather than a file."""
    return isinstance(location, str) and "://" in location


def redact_url(url: str) -> str:
    """``url`` with its password (and password-like query parameters) replaced by ``***``."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
        if "@" in netloc:
            user, _, host = netloc.rpartition("@")
            if ":" in user:
                user = user.split(":", 1)[0] + ":" + HIDDEN
            netloc = f"{user}@{host}"
        query = urlencode([(k, HIDDEN if k.lower() in _SECRET_PARAMS else v)
                           for k, v in parse_qsl(parts.query, keep_blank_values=True)], safe="*")
        return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
    except ValueError:
        return f"{url.split('://', 1)[0]}://{HIDDEN}"


def scrub(text: str, url: str) -> str:
    """``text`` (a driver's message) with the URL's password removed wherever it appears."""
    try:
        password = urlsplit(url).password
        secrets = [password, unquote(password)] if password else []
        secrets += [v for k, v in parse_qsl(urlsplit(url).query) if k.lower() in _SECRET_PARAMS and v]
    except ValueError:
        secrets = []
    text = text.replace(url, redact_url(url))
    for secret in sorted(set(secrets), key=len, reverse=True):
        text = text.replace(secret, HIDDEN)
    return text


def open_store(location: os.PathLike | str, options=None, repair: bool = False):
    """The :class:`~toolkit.tm.store.TMStore` for a path or a URL (creating/migrating it;
    ``repair``: mending a damaged schema too, ``tmkit tm migrate``).  ``options``:
    :class:`~toolkit.tm.store.StoreOptions` (timeouts, client name) for a server."""
    if not is_url(location):
        from toolkit.tm.store import SQLiteStore
        return SQLiteStore(location, options, repair)
    scheme = str(location).split("://", 1)[0].lower()
    if scheme not in BACKENDS:
        raise TMError(f"unknown TM backend {scheme!r} (known: sqlite file path, "
                      f"{', '.join(sorted(BACKENDS))})", redact_url(str(location)))
    module, _, name = BACKENDS[scheme].partition(":")
    return getattr(importlib.import_module(module), name)(str(location), options, repair)


def cache_dir(location: os.PathLike | str, base: Path) -> Optional[Path]:
    """Where the local trigram index of a TM lives.

    A file TM keeps it beside the file; a server TM in ``base`` (the project's
    ``.tmkit/``), one folder per server database (named by a hash of the URL
    without its password), so two projects pointing at the same database do
    not share, and one project switching databases does not mix them.
    """
    if not is_url(location):
        path = Path(location)
        return path.with_name(path.name + ".index")
    who = redact_url(str(location))       # the same folder whatever the password
    return base / "tm-cache" / hashlib.sha256(who.encode()).hexdigest()[:16]
