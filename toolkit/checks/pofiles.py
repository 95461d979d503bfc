"""Where a check finding points: the ``msgstr`` line of a PO entry.

PO files are read with :func:`toolkit.catalog.pofile.read_po` (the catalog
code's strict reader); polib keeps only the line where an entry starts, so
:func:`msgstr_lines` finds the ``msgstr`` from there.
"""

from __future__ import annotations

from pathlib import Path

import polib

from toolkit.project.fsutil import read_text


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
