"""Sorting text as a language sorts it: ICU collation (CLDR tailorings).

A language home lists articles alphabetically, and "alphabetically" is a
property of the language: Spanish puts ``ñ`` after ``n``, Swedish ``ä``
after ``z``, German ignores accents first, Chinese sorts by pinyin.  Babel
has no collation and ``locale.strxfrm`` depends on the locales the machine
happens to have, so tmkit asks ICU, the library CLDR's collation data ships
with.  ``icu4py`` (already a dependency, :mod:`toolkit.text.scripts`) bundles
ICU4C but wraps only break iterators; the collator is reached through the
same bundled library with :mod:`ctypes` (``ucol_open``, ``ucol_getSortKey``:
the C API, stable across ICU versions, symbols suffixed with the major version).

Without that library (another platform's wheel), :func:`sort_key` falls back
to a language-neutral key (accents and case ignored first), and says so
through :func:`available`.
"""

from __future__ import annotations

import ctypes
import glob
import os
import unicodedata
from functools import lru_cache
from typing import Callable, Optional


@lru_cache(maxsize=1)
def _icu() -> Optional[tuple[Callable, Callable]]:
    """(ucol_open, ucol_getSortKey) from icu4py's bundled ICU, or ``None``."""
    try:
        import icu4py

        libs = os.path.join(os.path.dirname(os.path.dirname(icu4py.__file__)), "icu4py.libs")
        found = {name: sorted(glob.glob(os.path.join(libs, f"lib{name}-*.so.*")))
                 for name in ("icudata", "icuuc", "icui18n")}
        if not all(found.values()):
            return None
        for name in ("icudata", "icuuc"):
            ctypes.CDLL(found[name][0], mode=ctypes.RTLD_GLOBAL)
        i18n = ctypes.CDLL(found["icui18n"][0])
        major = found["icui18n"][0].rsplit(".so.", 1)[1].split(".")[0]
        opener = getattr(i18n, f"ucol_open_{major}")
        opener.restype = ctypes.c_void_p
        opener.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]
        keyer = getattr(i18n, f"ucol_getSortKey_{major}")
        keyer.restype = ctypes.c_int32
        keyer.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int32, ctypes.c_char_p, ctypes.c_int32]
        return opener, keyer
    except (ImportError, OSError, AttributeError, IndexError):
        return None


def available() -> bool:
    """Whether the language's own collation (ICU) is used."""
    return _icu() is not None


@lru_cache(maxsize=64)
def _collator(lang: str) -> Optional[int]:
    icu = _icu()
    if icu is None:
        return None
    status = ctypes.c_int(0)
    handle = icu[0](lang.replace("-", "_").encode("ascii", "replace"), ctypes.byref(status))
    return handle if handle and status.value <= 0 else None   # > 0: an ICU error; < 0: a warning


def _neutral(text: str) -> bytes:
    base = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return (base.casefold() + "\0" + text).encode("utf-8", "surrogatepass")


def sort_key(lang: str) -> Callable[[str], bytes]:
    """A key function sorting strings as ``lang`` sorts them (BCP 47 tag)."""
    handle = _collator(lang)
    if handle is None:
        return _neutral
    keyer = _icu()[1]

    def key(text: str) -> bytes:
        data = text.encode("utf-16-le", "surrogatepass")
        size = len(data) // 2
        buffer = ctypes.create_string_buffer(4 * size + 64)
        length = keyer(handle, data, size, buffer, len(buffer))
        if length > len(buffer):          # did not fit: ICU says how much it needs
            buffer = ctypes.create_string_buffer(length)
            length = keyer(handle, data, size, buffer, len(buffer))
        return buffer.raw[:length]
    return key
