"""Where a check finding points: the ``msgstr`` line of a PO entry.

PO files are read with :func:`toolkit.catalog.pofile.read_po` (the catalog
code's strict reader); polib keeps only the line where an entry starts, so
:func:`msgstr_lines` finds the ``msgstr`` from there (the lean reader of
``tmkit status`` knows it already).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import polib

from toolkit.catalog import poread
from toolkit.project.fsutil import read_text


def set_msgstr_lines(path: Path, po: Iterable) -> None:
    """Give each entry of ``po`` its ``msgstr_line``, reading ``path`` unless every entry has it
    (the lean reader of ``tmkit status`` sets them as it parses)."""
    if isinstance(po, polib.POFile) or not all(hasattr(entry, "msgstr_line") for entry in po):
        poread.set_msgstr_lines(po, read_text(path).split("\n"))


def msgstr_lines(path: Path, po: polib.POFile) -> dict[int, int]:
    """``id(entry)`` -> line of its ``msgstr`` (the entry's first line if not found)."""
    set_msgstr_lines(path, po)
    return {id(entry): entry.msgstr_line for entry in po}
