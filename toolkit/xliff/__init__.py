"""XLIFF 1.2 exchange with agencies' CAT tools (see docs/exchange.md).

* :mod:`~toolkit.xliff.writer` turns one PO catalog into one XLIFF document
  (one ``<file>``, one ``<trans-unit>`` per entry, context as notes, TM
  matches as ``<alt-trans>``);
* :mod:`~toolkit.xliff.reader` parses an XLIFF file safely (no entities, no
  DTD, no network, size limit) into plain dataclasses;
* :mod:`~toolkit.xliff.apply` brings a file's translations into its PO
  catalog by ``tmkit update``'s rules, changing nothing else;
* :mod:`~toolkit.xliff.project` is what ``tmkit xliff export|import`` call.

Inline markup travels as ``<g>``/``<x/>`` (:mod:`toolkit.text.inline_codes`).
The subset of XLIFF tmkit writes is ``toolkit/schema/xliff.rng``.
"""

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF_VERSION = "1.2"
#: XLIFF 1.1 (what translate-toolkit's ``po2xliff`` writes) is read too: for the
#: elements tmkit uses (file, trans-unit, source, target, g, x, context) it is 1.2.
XLIFF_READ = {"1.2": XLIFF_NS, "1.1": "urn:oasis:names:tc:xliff:document:1.1"}
