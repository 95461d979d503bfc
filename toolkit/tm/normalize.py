"""Normalisation of TM sources: what counts as "the same sentence".

Two sources are an exact match when they differ only in ways a translator
would not see or care about: runs of whitespace, no-break and other Unicode
spaces, typographic versus straight quotes, and Unicode composition.  The same
normal form is what fuzzy scores are computed on, so a curly apostrophe never
costs a point.  Case is kept: "Back pain" and "back pain" are a fuzzy match.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from toolkit.text.languages import canonical_tag

_SPACE_RE = re.compile(r"\s+")
_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " ", "\u200a": " ",
    "\u200b": "", "\ufeff": "", "\u00ad": "",
})


_PLAIN_RE = re.compile(r"[ -~]*")   # printable ASCII; plain if also no double/edge spaces


def normalize(text: str) -> str:
    """The normal form of a source: NFC, straight quotes, single spaces, stripped."""
    if _PLAIN_RE.fullmatch(text) and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text   # the common case, ten times faster than the full treatment
    text = unicodedata.normalize("NFC", text).translate(_QUOTES)
    return _SPACE_RE.sub(" ", text).strip()


def norm_key(text: str) -> int:
    """A 63-bit key of the normal form, stored (indexed) instead of the text itself.

    Exact lookups go through this key and then compare the texts, so a hash
    collision can never produce a wrong match; it only keeps the index small.
    """
    digest = hashlib.blake2b(normalize(text).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def pair_key(source_lang: str, target_lang: str, source: str, target: str) -> int:
    """A 63-bit key identifying one (languages, source, target) pair exactly."""
    data = "\x00".join((source_lang, target_lang, source, target)).encode("utf-8")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big") >> 1


def lang_tag(tag: str) -> str:
    """A tag from a TMX or PO file in BCP 47 canonical case (``pt_br`` -> ``pt-BR``) so
    it matches the project's; :class:`~toolkit.errors.ConfigError` if it is not
    a well-formed tag (``../x`` never becomes a folder or an index file name)."""
    return canonical_tag(tag.replace("_", "-") if isinstance(tag, str) else tag)
