"""English sentence splitting (placeholder rules, replaced by the full segmenter)."""

from __future__ import annotations

import re

_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def split_sentences(text: str) -> list[str]:
    """Split inline-markup text into sentences, whitespace normalised."""
    text = " ".join(text.split())
    return [s for s in _SPLIT.split(text) if s]
