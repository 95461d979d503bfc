"""Plural-Forms: the gettext rule for a language, and whether a header's rule is usable.

The rule a new PO file gets comes from :mod:`toolkit.text.plural_table` (frozen,
as ``msginit`` writes it), never from whichever CLDR release the installed
Babel carries: a translator's files must not change because a library moved.
A catalog that already has a valid ``Plural-Forms`` keeps it (see
:func:`toolkit.catalog.update.merge_catalog`), as ``msgmerge`` keeps the
header of the PO it updates.
"""

from __future__ import annotations

import gettext
import re
from typing import Callable, Optional

from toolkit.text.plural_table import PLURAL_FORMS

_HEADER = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$", re.S)


def table_rule(gettext_name: str) -> Optional[str]:
    """The table's rule for ``pt_BR``/``zh_Hans``/``sr_Latn_RS``, falling back to the base language."""
    parts = gettext_name.replace("-", "_").split("_")
    candidates = ["_".join(parts[:n]) for n in range(len(parts), 0, -1)]
    # "zh_Hans_CN" -> also try "zh_CN" (script dropped), then "zh".
    if len(parts) == 3:
        candidates.insert(1, f"{parts[0]}_{parts[2]}")
    for name in candidates:
        if name in PLURAL_FORMS:
            return PLURAL_FORMS[name]
    return None


def parse_rule(value: str) -> Optional[tuple[int, Callable[[int], int]]]:
    """``(nplurals, function)`` for a Plural-Forms value, or None if it is not a valid rule.

    Valid means what gettext needs: ``nplurals`` ≥ 1, an expression
    ``gettext.c2py`` compiles, and every form it gives for n in 0..200 below
    ``nplurals``.
    """
    found = _HEADER.match(value or "")
    if not found:
        return None
    nplurals = int(found.group(1))
    if not 1 <= nplurals <= 20:
        return None
    try:
        function = gettext.c2py(found.group(2))
        if any(not 0 <= function(n) < nplurals for n in range(201)):
            return None
    except (ValueError, SyntaxError, RecursionError, ZeroDivisionError, TypeError):
        return None
    return nplurals, function
