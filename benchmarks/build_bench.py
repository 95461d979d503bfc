"""Benchmark ``tmkit build``: 1,000 articles x 5 languages x 3 formats (+ English).

The measurement lives in :mod:`pipeline_bench` (step ``build``, beside
extract/update and the po4a/txt2po comparisons); this runs only the build
and po4a writing the translated documents.  Extra arguments are passed on
(``--articles N``, ``--keep DIR``, ``--skip po4a_build``).

Usage: python benchmarks/build_bench.py [--articles N] [--keep DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pipeline_bench  # noqa: E402

if __name__ == "__main__":
    sys.exit(pipeline_bench.main(["--skip", "tmkit_help", "--skip", "tmkit", "--skip", "po4a",
                                  "--skip", "txt2po", *sys.argv[1:]]))
