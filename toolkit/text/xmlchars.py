"""Control characters, in one place: what XML cannot carry, what no publication
may hold, and how a terminal is shown them.

A PO file may hold C0 control characters (other than tab, newline and
carriage return), U+FFFE or U+FFFF; no XML document can (lxml refuses them,
and a browser would show garbage).  Every writer of XML — the export, XLIFF,
TMX — asks :func:`xml_safe` instead of keeping a pattern of its own.

XML 1.0 does allow DEL and the C1 controls (U+007F–U+009F), but no page
should hold them: a strict HTML5 parser reports them as errors, U+0085 is a
line break to some tools and none to others, and U+009B starts a terminal
escape sequence.  :func:`publishable` is the stricter rule every input of a
translation (PO, XLIFF, TMX, Word) and the publishing gate share: C0 and C1
controls, DEL, lone surrogates and the two noncharacters are refused; only
tab and newline pass.

:func:`shown` is the terminal's side: everything tmkit prints that came from
a file goes through it (:func:`toolkit.cli.echo`), so a name holding an ESC
sequence or a newline is printed as ``\\x1b[31m`` or ``\\n`` and cannot move
the cursor, recolour the screen or fake a line of tmkit's own output.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator, Optional

#: One character XML 1.0 forbids (lone surrogates included: they cannot be encoded).
XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

#: One character no translation or article may carry into a publication:
#: every C0 control but tab and newline, DEL, the C1 controls, and what XML forbids.
CONTROL_BAD = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

#: What a terminal must never receive raw: every C0 and C1 control, DEL, and
#: lone surrogates (from file names that are not UTF-8; they cannot be encoded).
_TERMINAL_BAD = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def xml_safe(text: str) -> bool:
    """True when ``text`` can go into an XML 1.0 document as it is."""
    return XML_BAD.search(text) is None


def publishable(text: str) -> bool:
    """True when ``text`` holds no character a publication may not carry."""
    return CONTROL_BAD.search(text) is None


def bad_control(text: str) -> Optional[str]:
    """The first character :func:`publishable` refuses, named (``U+0085``), or ``None``."""
    found = CONTROL_BAD.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def _escape(match: re.Match) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def has_control(text: str) -> bool:
    """True when ``text`` holds any control character (tab and newline too) or a lone
    surrogate: not for a name that becomes file names, page addresses and XML."""
    return _TERMINAL_BAD.search(text) is not None


def shown(text: str) -> str:
    """``text`` as a terminal may receive it: control characters written as escapes.

    ``\\n``, ``\\r`` and ``\\t`` as those two characters, any other as ``\\xHH``
    (``\\x1b``, ``\\x9b``), a lone surrogate as ``\\udcHH``.  Everything
    else, backslashes included, is printed as it is.
    """
    return _TERMINAL_BAD.sub(_escape, text)


def visible(text: str) -> str:
    """``text`` with each character :func:`publishable` refuses written as an escape
    (``\\x85``): for a page that shows a rejected translation to the person who
    must fix it (the review page), tab and newline left as they are."""
    return CONTROL_BAD.sub(_escape, text)


def json_shown(data: object) -> str:
    """``data`` as indented JSON a terminal may receive.

    :func:`json.dumps` escapes C0 controls itself but passes DEL, the C1
    controls and lone surrogates through; they can only sit inside JSON
    strings, where ``\\u0085`` is the same value, so the output stays the
    same JSON document.
    """
    import json

    return _json_escaped(json.dumps(data, ensure_ascii=False, indent=2))


def _json_escaped(text: str) -> str:
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_JSON_UNSAFE = re.compile("[\x7f-\x9f\ud800-\udfff]")


def json_shown_chunks(key: str, items: Iterable[object], rest: dict) -> Iterator[str]:
    """``json_shown({key: list(items), **rest})`` in pieces, each item encoded as it comes.

    ``tmkit check --format json`` on 4,000 articles x 5 languages has a
    quarter of a million findings: encoded at once, the list of their dicts
    and the text held 650 MB.  Each item here is encoded alone and indented
    as it would sit in the whole document (JSON strings hold no raw line
    break, so indenting is prefixing lines): the same text, piece by piece.
    """
    import json

    encode = json.JSONEncoder(ensure_ascii=False, indent=2).encode
    opening = "{\n  " + encode(key) + ": ["
    first = True
    for item in items:
        body = "    " + encode(item).replace("\n", "\n    ")
        yield _json_escaped((opening + "\n" if first else ",\n") + body)
        first = False
    yield opening + "]" if first else "\n  ]"
    yield _json_escaped(",\n" + encode(rest)[2:]) if rest else "\n}"
