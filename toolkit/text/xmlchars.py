"""Characters XML 1.0 cannot carry, in one place.

A PO file may hold C0 control characters (other than tab, newline and
carriage return), U+FFFE or U+FFFF; no XML document can (lxml refuses them,
and a browser would show garbage).  Every writer of XML — the export, XLIFF,
TMX — and the publishing gate ask this module instead of keeping a pattern
of their own.
"""

from __future__ import annotations

import re

#: One character XML 1.0 forbids (lone surrogates included: they cannot be encoded).
XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> bool:
    """True when ``text`` can go into an XML 1.0 document as it is."""
    return XML_BAD.search(text) is None
