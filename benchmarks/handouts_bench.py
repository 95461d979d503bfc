"""Benchmark the PDF handouts: ``tmkit build`` with and without ``pdf`` and ``pdf-bilingual``.

Two projects: the demo (the repository's article and PO files, German held
back) and ``--articles N`` generated variants of it (pipeline_bench's
project, every msgstr filled, 5 languages).  For each: a build from scratch
of HTML, XML and text only, the same from scratch with the two PDF formats
added, and an unchanged rebuild with them.  Wall and CPU seconds of the tmkit
processes (the build renders in worker processes on both cores from 40
changed articles).  Needs Pango (WeasyPrint); ``--skip-large`` times the demo only.

Usage: python benchmarks/handouts_bench.py [--articles 1000] [--skip-large] [--no-large-handouts] [--keep DIR]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pipeline_bench  # noqa: E402
from pipeline_bench import REPO, Timing, time_commands, timing, tmkit_binary, translate_all  # noqa: E402

WITHOUT = ["--format", "html", "--format", "xml", "--format", "txt"]


def demo_project(root: Path) -> None:
    root.mkdir(parents=True)
    for name in ("tmkit.toml", "glossary.csv", "words.txt"):
        shutil.copy(REPO / name, root / name)
    shutil.copytree(REPO / "source", root / "source")
    shutil.copytree(REPO / "po", root / "po")


def bench(root: Path, label: str, handouts: bool = True) -> list[Timing]:
    tmkit = tmkit_binary()
    without = time_commands([[tmkit, "build", *WITHOUT]], root)
    if not handouts:
        return [timing(f"{label}: build html+xml+txt, from scratch", without)]
    shutil.rmtree(root / "exports")
    handouts = time_commands([[tmkit, "build"]], root)
    pdfs = sum(1 for _ in (root / "exports").glob("*/*.pdf"))
    unchanged = time_commands([[tmkit, "build"]], root)
    return [timing(f"{label}: build html+xml+txt, from scratch", without),
            Timing(f"{label}: build + pdf handouts, from scratch", handouts[0], f"  {pdfs} PDFs",
                   cpu=handouts[1]),
            timing(f"{label}: build + pdf handouts, unchanged", unchanged)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--skip-large", action="store_true", help="only the demo project")
    parser.add_argument("--keep", type=Path, help="build the projects here and keep them")
    parser.add_argument("--no-large-handouts", action="store_true",
                        help="time the large project without PDFs only (11 handouts per article "
                             "take about 3 s of CPU: 1,000 articles, about an hour on 2 cores)")
    args = parser.parse_args(argv)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "toolkit")], check=True)
    with tempfile.TemporaryDirectory(prefix="tmkit-handouts-") as tmp:
        base = args.keep or Path(tmp)
        for old in ("demo", "project"):
            shutil.rmtree(base / old, ignore_errors=True)
        demo_project(base / "demo")
        timings = bench(base / "demo", "demo")
        if not args.skip_large:
            root = base / "project"
            pipeline_bench.generate_project(root, args.articles, handouts=True)
            time_commands([[tmkit_binary(), "extract"], [tmkit_binary(), "update"]], root)
            translate_all(root)
            timings += bench(root, f"{args.articles} articles", not args.no_large_handouts)
        pipeline_bench.report(timings, args.articles if not args.skip_large else 1, base)
    return 0


if __name__ == "__main__":
    sys.exit(main())
