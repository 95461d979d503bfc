"""A database URL as people may see it: ``postgresql://user@host:port/db``, never the password.

A team keeps its TM password in ``TMKIT_TM_URL`` (or ``[tm] url``); tmkit must
never print it, nor any fragment of it.  Three rules make that hold:

* **What is shown is built, not masked.**  :func:`shown_url` asks psycopg's own
  parser (libpq's ``PQconninfoParse``, through :func:`psycopg.conninfo.conninfo_to_dict`)
  for user, host, port and database and prints those only.  Masking the
  password inside the URL with :func:`urllib.parse.urlsplit` failed because
  ``urlsplit`` and libpq split a URL differently when the password holds
  ``/ ? # @``: the "masked" URL still held the password's tail.
* **An ambiguous URL is refused before connecting.**  When the password or user
  name holds an unencoded ``@ / #`` (``postgresql://ana:p@ss:w/o#rd@host/db``), libpq
  reads another host, port and database out of it — and would connect there and
  print them in its errors.  :func:`check_url` compares what a person means (the
  user information ends at the *last* ``@``) with what libpq reads and refuses
  any difference, naming the characters to percent-encode and nothing else.
* **Every message that passes through is scrubbed.**  :func:`scrub` removes the
  password from driver and server messages in every form it may take there:
  as written, URL-decoded, percent-encoded (upper and lower case hex,
  ``+`` for spaces).  A password shorter than :data:`SHORT` characters is
  replaced only where it stands as a word of its own, so a server message is
  not mangled (with a one-letter password every ``p`` used to become ``***``).

This module sits on the project floor because the settings check
(:mod:`toolkit.project.config`) refuses an ambiguous URL where it is written;
:mod:`toolkit.tm.backends` uses it for every message of a server TM.
psycopg is imported only when a URL is actually looked at.
"""

from __future__ import annotations

import re
from typing import Optional
from urllib.parse import parse_qsl, quote, quote_plus, unquote

HIDDEN = "***"
#: Keys of a connection string whose values are secret.
SECRET_KEYS = frozenset({"password", "sslpassword"})
#: Passwords shorter than this are scrubbed only as whole words (see module docstring).
SHORT = 4
#: What to tell a user whose URL libpq reads differently from what they meant.
ENCODE_HINT = ("percent-encode special characters of the user name and password "
               "(@ as %40, / as %2F, ? as %3F, # as %23, : as %3A, % as %25)")


class URLProblem(ValueError):
    """The URL cannot be used; the message never holds any part of it."""


def _parse(url: str) -> dict[str, str]:
    """libpq's reading of ``url`` (what psycopg would connect with)."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        return {k: str(v) for k, v in conninfo_to_dict(url).items() if v is not None}
    except Exception:   # psycopg.ProgrammingError quotes the bad token: never show it
        raise URLProblem(f"the TM URL cannot be read; {ENCODE_HINT}") from None


def _intended(url: str) -> tuple[Optional[str], Optional[str]]:
    """(user, password) as written, as a person means them: the user information ends at the last ``@``."""
    rest = url.split("://", 1)[1] if "://" in url else url
    if "@" not in rest:
        return None, None
    user, colon, password = rest.rpartition("@")[0].partition(":")
    return user, (password if colon else None)


def check_url(url: str) -> dict[str, str]:
    """libpq's reading of ``url``, or :class:`URLProblem` when it is not what the URL says.

    ``postgresql://ana:Zq9/secret@127.0.0.1/db`` is read by libpq as host
    ``ana``, port ``Zq9``, database ``secret@127.0.0.1/db``; tmkit refuses it
    rather than connect somewhere unintended and print the password's pieces.
    """
    parsed = _parse(url)
    user, password = _intended(url)
    query = dict(parse_qsl(url.partition("?")[2], keep_blank_values=True))
    if user is not None:
        meant_user = unquote(user)
        if "user" not in query and parsed.get("user", "") != meant_user:
            raise URLProblem(f"libpq reads the TM URL differently from how it is written; {ENCODE_HINT}")
        if password is not None and "password" not in query and parsed.get("password") != unquote(password):
            raise URLProblem(f"libpq reads the TM URL differently from how it is written; {ENCODE_HINT}")
    return parsed


def _hostport(host: str, port: str) -> str:
    hosts, ports = host.split(","), port.split(",") if port else []
    out = []
    for i, one in enumerate(hosts):
        one = f"[{one}]" if ":" in one else one
        one_port = ports[i] if i < len(ports) else (ports[0] if len(ports) == 1 else "")
        out.append(f"{one}:{one_port}" if one_port else one)
    return ",".join(out)


def shown_url(url: str) -> str:
    """``postgresql://user@host:port/db`` from libpq's reading of ``url``: no password, no options."""
    scheme = url.split("://", 1)[0].lower() if "://" in url else "postgresql"
    try:
        parsed = check_url(url)
    except URLProblem:
        return f"{scheme}://(unreadable URL)"
    user = parsed.get("user", "")
    where = _hostport(parsed.get("host") or parsed.get("hostaddr") or "", parsed.get("port", ""))
    return f"{scheme}://{user + '@' if user else ''}{where}/{parsed.get('dbname', '')}"


def _encodings(secret: str) -> set[str]:
    """``secret`` as written, decoded, and percent-encoded the ways a URL or a driver writes it."""
    forms = {secret}
    for plain in {secret, unquote(secret)}:
        forms.add(plain)
        for encoded in (quote(plain, safe=""), quote(plain, safe="/:@"), quote_plus(plain, safe="")):
            forms.add(encoded)
            forms.add(re.sub(r"%[0-9A-F]{2}", lambda m: m.group().lower(), encoded))
    return {form for form in forms if form}


def secrets(url: str) -> set[str]:
    """Every string that would give the password away: libpq's, the written one, their encodings."""
    found: set[str] = set()
    try:
        parsed = _parse(url)
        found |= {v for k, v in parsed.items() if k in SECRET_KEYS and v}
    except URLProblem:
        pass
    _, password = _intended(url)
    if password:
        found.add(password)
    found |= {v for k, v in parse_qsl(url.partition("?")[2], keep_blank_values=True)
              if k.lower() in SECRET_KEYS and v}
    return {form for secret in found for form in _encodings(secret)}


def scrub(text: str, url: str) -> str:
    """``text`` (a driver's or server's message) with no trace of ``url``'s password.

    The URL itself (as written or decoded) becomes :func:`shown_url`; each form
    of the password becomes ``***``, longest first.  Short passwords are
    replaced where no letter or digit touches them (see module docstring).
    """
    if not url:
        return text
    for whole in sorted({url, unquote(url)}, key=len, reverse=True):
        text = text.replace(whole, shown_url(url))
    for secret in sorted(secrets(url), key=len, reverse=True):
        if len(secret) >= SHORT:
            text = text.replace(secret, HIDDEN)
        else:
            text = re.sub(rf"(?<![^\W_]){re.escape(secret)}(?![^\W_])", HIDDEN, text)
    return text
