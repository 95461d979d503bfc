"""Shared helpers of the TM tests (and ``benchmarks/tm_bench.py``): small PO files, edited queries."""

from __future__ import annotations

import random
from pathlib import Path

import polib

SEED_FIRST = ("Failed back syndrome (FBS) is defined as persistent or onset of low back or "
              "extremity pain after spinal surgery.")
SEED_FIRST_ES = ("El síndrome de espalda fallida (FBS) se define como dolor persistente o de "
                 "nueva aparición en la zona lumbar o en las extremidades después de una "
                 "cirugía de columna.")
EDITED = ("Failed back syndrome (FBS) is defined as persistent or new low back or leg pain "
          "after spinal surgery.")
FOOTER = ("The information provided on this site is designed to support, not replace, the "
          "relationship that exists between patient/site visitor and his/her physician.")
FOOTER_ES = ("La información de este sitio está diseñada para apoyar, no reemplazar, la "
             "relación que existe entre el paciente o visitante del sitio y su médico.")


def write_po(root: Path, lang: str, slug: str, entries: list[tuple], translator: str = "Ana <ana@example.org>") -> Path:
    """Write ``po/<lang>/<slug>.po`` with ``(msgid, msgstr[, flags[, comment]])`` entries."""
    po = polib.POFile(wrapwidth=79)
    po.metadata = {"Language": lang, "Last-Translator": translator,
                   "Content-Type": "text/plain; charset=UTF-8",
                   "PO-Revision-Date": "2026-11-20 10:00+0100"}
    for number, item in enumerate(entries, 1):
        msgid, msgstr = item[0], item[1]
        flags = list(item[2]) if len(item) > 2 else []
        tcomment = item[3] if len(item) > 3 else ""
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr, flags=flags, tcomment=tcomment,
                                comment=f"id: b{number}.s1"))
    path = root / "po" / lang / f"{slug}.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    return path


def edit_one_word(rng: random.Random, text: str) -> str:
    """A fuzzy query from a source: one word replaced or deleted (as the benchmark does)."""
    words = text.split(" ")
    if len(words) < 3:
        return text + " x"
    position = rng.randrange(len(words))
    if rng.random() < 0.5:
        del words[position]
    else:
        words[position] = rng.choice(["new", "other", "file", "the", "value", "system"])
    return " ".join(words)
