"""The translator comment pre-translation leaves on an entry it filled.

``tmkit-tm: 88% from es/other-article#b3.s1`` says where a pre-filled
translation came from (Poedit and Lokalize show it).  :mod:`toolkit.tm.pretranslate`
writes it; the review page shows it.  Kept apart, with no imports, so that
reading it costs neither side the other's modules.
"""

from __future__ import annotations

from typing import Optional

TAG = "tmkit-tm:"


def tm_origins(tcomment: Optional[str]) -> list[str]:
    """The ``tmkit-tm:`` lines of a translator comment, without the tag."""
    return [line[len(TAG):].strip() for line in (tcomment or "").splitlines() if line.startswith(TAG)]
