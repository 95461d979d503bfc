"""Reading PO files for checks and status (never writing them).

Checks point at the ``msgstr`` line of an entry, which polib does not keep,
so :func:`msgstr_lines` finds it from the entry's first line.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib

from toolkit.errors import CatalogError
from toolkit.fsutil import read_text

_LINE_RE = re.compile(r"line (\d+)")


def read_po(path: Path) -> polib.POFile:
    """Parse a PO file; a syntax error becomes a :class:`CatalogError` with its line."""
    text = read_text(path)
    try:
        return polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError) as exc:
        match = _LINE_RE.search(str(exc))
        message = str(exc).split(" (line")[0].split(":")[0] or "invalid PO file"
        raise CatalogError(message.lower(), path, int(match.group(1)) if match else None) from None


def msgstr_lines(path: Path, po: polib.POFile) -> dict[int, int]:
    """``id(entry)`` -> line of its ``msgstr`` (the entry's first line if not found)."""
    lines = read_text(path).split("\n")
    out: dict[int, int] = {}
    for entry in po:
        start = entry.linenum or 1
        line = start
        for number in range(start - 1, len(lines)):
            if lines[number].startswith(("msgstr", "#~ msgstr")):
                line = number + 1
                break
        out[id(entry)] = line
    return out
