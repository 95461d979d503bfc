"""Sentence segmentation speed: tmkit's rules (cold and warm cache) beside pysbd.

Run: ``.venv/bin/python benchmarks/segment_bench.py [--paragraphs N]``

The text is 1,000 paragraph variants built from the seed article's sentences
plus sentences with abbreviations, doses and inline markup, each variant made
unique (a number changes) so that the cold run really segments every one.
The warm run is the same paragraphs again, as when ``tmkit update`` re-reads
unchanged articles or a footer repeats.  pysbd, when installed (it is a test
extra), segments the same paragraphs with markup removed, for the ratio.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolkit.text.inline import plain_text  # noqa: E402
from toolkit.model import BlockKind  # noqa: E402
from toolkit.readers import read_article  # noqa: E402
from toolkit.text.sentences import _split_cached, split_sentences  # noqa: E402

SEED = ROOT / "source" / "failed-back-syndrome.txt"

EXTRA = [
    "Dr. Smith recommends approx. {n} minutes of walking, e.g. after meals.",
    "The U.S. Food and Drug Administration approved a {n}.5 mg dose in 2019.",
    "Take <strong>2.5 mg</strong> at 5 p.m. The next dose is due at 8 a.m.",
    "About {n}% of patients improve, i.e. most of them.",
    "St. John's wort may interact with pain medicines (see Fig. {n}.)",
    "Read <a href=\"https://www.spine.org/a.b?c={n}\">our guide</a> for details.",
    "Surgery vs. physical therapy: outcomes at {n} months were similar.",
    "The pain came back... Then it spread to the leg.",
]


def seed_sentences() -> list[str]:
    article = read_article(SEED, "source/failed-back-syndrome.txt")
    paragraphs = [b.text for b in article.blocks if b.kind is BlockKind.PARAGRAPH]
    return [s for p in paragraphs for s in split_sentences(p)]


def make_paragraphs(count: int) -> list[str]:
    """``count`` unique paragraphs of 4 to 9 sentences, with NBSP and double spaces."""
    rng = random.Random(20261125)
    pool = seed_sentences() + EXTRA
    paragraphs = []
    for n in range(count):
        chosen = [s.replace("{n}", str(n % 97 + 3)) for s in rng.sample(pool, rng.randint(4, 9))]
        chosen[0] = f"In case {n}, " + chosen[0][0].lower() + chosen[0][1:]
        separators = [rng.choice([" ", "  ", "\u00a0 ", "\n"]) for _ in chosen]
        paragraphs.append("".join(s + sep for s, sep in zip(chosen, separators)).strip())
    return paragraphs


def timed(function, paragraphs: list[str]) -> tuple[float, int]:
    start = time.perf_counter()
    sentences = sum(len(function(p)) for p in paragraphs)
    return time.perf_counter() - start, sentences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=1000)
    args = parser.parse_args()
    paragraphs = make_paragraphs(args.paragraphs)

    _split_cached.cache_clear()
    cold, sentences = timed(split_sentences, paragraphs)
    warm, _ = timed(split_sentences, paragraphs)
    print(f"{len(paragraphs)} paragraphs, {sentences} sentences")
    print(f"tmkit cold cache: {cold:8.4f} s  {sentences / cold:12,.0f} sentences/s")
    print(f"tmkit warm cache: {warm:8.4f} s  {sentences / warm:12,.0f} sentences/s")
    long_paragraph = [" ".join(paragraphs)]
    _split_cached.cache_clear()
    one, long_sentences = timed(split_sentences, long_paragraph)
    print(f"tmkit one paragraph of all {long_sentences} sentences: {one:8.4f} s  "
          f"{long_sentences / one:12,.0f} sentences/s (stays linear)")

    try:
        import pysbd
    except ImportError:
        print("pysbd not installed (pip install -e '.[test]'): no comparison")
        return
    segmenter = pysbd.Segmenter(language="en", clean=False)
    plain = [plain_text(p) for p in paragraphs]
    slow, pysbd_sentences = timed(segmenter.segment, plain)
    print(f"pysbd:            {slow:8.4f} s  {pysbd_sentences / slow:12,.0f} sentences/s "
          f"({pysbd_sentences} sentences)")
    print(f"ratio pysbd / tmkit cold: {slow / cold:6.1f}x   pysbd / tmkit warm: {slow / warm:8.1f}x")
    disagree = sum(1 for ours, theirs in zip(paragraphs, plain)
                   if [plain_text(s) for s in split_sentences(ours)]
                   != [s.strip() for s in segmenter.segment(" ".join(theirs.split()))])
    print(f"paragraphs where pysbd splits differently: {disagree} of {len(paragraphs)}")


if __name__ == "__main__":
    main()
