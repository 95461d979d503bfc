"""Benchmark ``tmkit build``: 1,000 articles x 5 languages x 3 formats.

Generates a project of seed variants with PO files written by polib
(translations = msgid with a language prefix), then times, each in a fresh
``tmkit`` process:

* the full build (every file written),
* a rebuild with nothing changed (must write nothing),
* a rebuild after one PO file changed,

and reports peak memory (``resource.getrusage`` of the child) for the full
build at two project sizes, to show it stays flat in the number of articles.
If ``po4a-translate`` is installed, it is timed on the same articles for one
format (text) and the ratio printed.

Usage: python benchmarks/build_bench.py [--articles N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polib

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from toolkit.config import load_config  # noqa: E402
from toolkit.project import iter_articles  # noqa: E402
from toolkit.segment import segment_article  # noqa: E402

LANGS = ["es", "fr", "de", "ar", "zh-Hans"]
PREFIX = {"es": "ES", "fr": "FR", "de": "DE", "ar": "عربي", "zh-Hans": "中文"}
TMKIT = [sys.executable, "-m", "toolkit"]


def make_project(root: Path, articles: int) -> None:
    """``articles`` variants of the seed with complete PO files in five languages."""
    (root / "source").mkdir(parents=True)
    config_text = (REPO / "tmkit.toml").read_text()
    (root / "tmkit.toml").write_text(config_text)
    seed = (REPO / "source" / "failed-back-syndrome.txt").read_text()
    title = "Failed Back Syndrome"
    for n in range(articles):
        text = seed.replace(title, f"{title} {n}", 1).replace("60%", f"{n % 90 + 10}%")
        (root / "source" / f"article-{n:04d}.txt").write_text(text, encoding="utf-8")
    config = load_config(root)
    for article in iter_articles(config):
        segments = segment_article(article, config.segmentation)
        for lang in LANGS:
            po = polib.POFile(wrapwidth=0)
            po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": lang}
            seen = set()
            for s in segments:
                if s.key in seen:
                    continue
                seen.add(s.key)
                po.append(polib.POEntry(msgid=s.text, msgctxt=s.context, comment=s.comment,
                                        msgstr=f"{PREFIX[lang]} {s.text}",
                                        occurrences=[(article.path, str(s.line))]))
            path = config.po_file(lang, article.slug)
            path.parent.mkdir(parents=True, exist_ok=True)
            po.save(str(path))


def run(args: list[str], cwd: Path) -> tuple[float, int, str]:
    """Seconds, peak RSS of the child in MiB, and output of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(args)}\n{proc.stdout}\n{proc.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) // 1024, proc.stdout


def tail(output: str) -> str:
    return output.strip().splitlines()[-1]


def po4a_time(root: Path, sample: int) -> tuple[float, int] | None:
    """``po4a-translate`` writing translated text documents (one format).

    po4a-translate handles one document per run (a Perl process each), so it is
    timed on ``sample`` articles in every language and scaled to the project
    linearly.  Returns (seconds for the whole project, documents timed).
    """
    if not shutil.which("po4a-translate"):
        return None
    out = root / "po4a-out"
    sources = sorted((root / "source").iterdir())
    timed = sources[:sample]
    start = time.perf_counter()
    for lang in LANGS:
        (out / lang).mkdir(parents=True, exist_ok=True)
        for src in timed:
            subprocess.run(["po4a-translate", "-f", "text", "-m", str(src), "-M", "UTF-8",
                            "-p", str(root / "po" / lang / f"{src.stem}.po"), "-k", "0",
                            "-l", str(out / lang / src.name), "-L", "UTF-8"],
                           check=False, capture_output=True)
    seconds = time.perf_counter() - start
    return seconds * len(sources) / max(len(timed), 1), len(timed) * len(LANGS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="keep the generated project here")
    parser.add_argument("--no-po4a", action="store_true")
    parser.add_argument("--po4a-sample", type=int, default=40,
                        help="articles po4a-translate is timed on (scaled to the project)")
    options = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="tmkit-build-bench-"))
    try:
        root = options.keep or base / "project"
        start = time.perf_counter()
        make_project(root, options.articles)
        print(f"project: {options.articles} articles x {len(LANGS)} languages "
              f"(generated in {time.perf_counter() - start:.1f} s) at {root}")
        small = base / "small"
        small_count = max(options.articles // 4, 1)
        make_project(small, small_count)
        _, small_peak, _ = run(TMKIT + ["build"], small)
        full, peak, out = run(TMKIT + ["build"], root)
        files = sum(1 for p in (root / "exports").rglob("*") if p.is_file())
        print(f"full build (3 formats + English originals): {full:.2f} s, {files} files, "
              f"peak RSS {peak} MiB   [{tail(out)}]")
        again, _, out = run(TMKIT + ["build"], root)
        print(f"rebuild, nothing changed:                   {again:.2f} s   [{tail(out)}]")
        po = root / "po" / "es" / "article-0007.po"
        po.write_text(po.read_text(encoding="utf-8").replace('msgstr "ES ', 'msgstr "ES2 ', 1),
                      encoding="utf-8")
        one, _, out = run(TMKIT + ["build"], root)
        print(f"rebuild, one PO changed:                    {one:.2f} s   [{tail(out)}]")
        print(f"peak RSS of the build process: {small_peak} MiB for {small_count} articles, "
              f"{peak} MiB for {options.articles} (flat: one article at a time)")
        start = time.perf_counter()
        for po in sorted((root / "po").glob("*/*.po")):
            polib.pofile(str(po), encoding="utf-8", wrapwidth=0)
        print(f"of which reading the PO files with polib alone (serial, one process): "
              f"{time.perf_counter() - start:.2f} s")
        target = "3 s"
        print(f"targets: full build {full:.2f} s (aim {target}); unchanged rebuild {again:.2f} s (<= 0.5 s)")
        if not options.no_po4a:
            timed = po4a_time(root, options.po4a_sample)
            if timed is None:
                print("po4a-translate not installed (apt-get install -y po4a): no comparison")
            else:
                seconds, documents = timed
                print(f"po4a-translate, text only: {seconds:.1f} s for the same "
                      f"{options.articles} x {len(LANGS)} documents (timed on {documents}, scaled); "
                      f"ratio po4a / tmkit full build = {seconds / full:.1f}")
    finally:
        if not options.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
