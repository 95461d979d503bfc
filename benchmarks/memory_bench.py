"""Peak resident memory of every user command on a large project (issue 23: under 400 MB).

Usage: ``python benchmarks/memory_bench.py [--articles 4000] [--keep DIR] [--limit 400]``

A project of N generated variants of the seed article x 5 languages
(:func:`pipeline_bench.generate_project`) goes through the commands as a
team would run them, each a whole process with default options, and for
each the peak resident set size of its process (``ru_maxrss`` from
``getrusage`` of a fresh helper's children, as ``/usr/bin/time -f %M``
reports it) is printed with its wall and CPU time:

* ``extract`` and ``update`` from scratch, ``check --source``;
* every msgstr filled (translators finished), then ``status`` (no cache),
  ``check``, ``review --lang es``, ``review approve`` of one article;
* the translation memory: ``tm update`` (every PO file fed), ``tm lookup``,
  ``tm conflicts``, ``tm export`` (TMX), ``tm import`` of that TMX, and
  ``tm pretranslate`` after the Spanish translations were emptied (every
  Spanish entry looked up);
* ``xliff export --lang es`` of every article and ``xliff import`` of all
  those files; ``pseudo``; ``build`` from scratch and unchanged;
  ``language add``, ``article rename`` and ``article remove``; ``merge-po``.

Handouts (PDF) are left out (``[export] formats`` of the generated project,
as in the other benchmarks; benchmarks/handouts_bench.py times them).
Commands above ``--limit`` MiB are marked ``OVER``.  The load average and the
commit are printed with the table.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pipeline_bench as pb  # noqa: E402  (the shared project generator)

#: Run ``argv[1:]`` and print (max RSS KiB, user+sys CPU s, exit code) of it: a
#: fresh helper per command, since ``RUSAGE_CHILDREN`` keeps the largest child so far.
_HELPER = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
           "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE); "
           "w = time.perf_counter() - t; u = resource.getrusage(resource.RUSAGE_CHILDREN); "
           "sys.stderr.buffer.write(r.stderr[-2000:]); "
           "print(u.ru_maxrss, u.ru_utime + u.ru_stime, w, r.returncode)")


@dataclass
class Measured:
    name: str
    mib: float
    cpu: float
    wall: float
    code: int


def measure(name: str, command: list[str], cwd: Path) -> Measured:
    """Peak RSS (MiB), CPU and wall seconds of one process; exit 1 (findings) is normal."""
    done = subprocess.run([sys.executable, "-c", _HELPER, *command], cwd=cwd,
                          capture_output=True, text=True)
    rss, cpu, wall, code = done.stdout.split()
    if int(code) not in (0, 1):
        raise SystemExit(f"{name} failed (exit {code}):\n{done.stderr}")
    return Measured(name, int(rss) / 1024, float(cpu), float(wall), int(code))


def empty_language(root: Path, lang: str) -> None:
    """Every msgstr of ``lang`` emptied (written in place), for pre-translation to fill."""
    for path in sorted((root / "po" / lang).glob("*.po")):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r'(?m)^msgstr "(?!")(.*)"$', 'msgstr ""', text), encoding="utf-8")


def run_all(root: Path, articles: int) -> list[Measured]:
    slugs = pb.generate_project(root, articles)
    tmkit = pb.tmkit_binary()
    rows: list[Measured] = []
    out = root.parent / f"{root.name}-out"
    shutil.rmtree(out, ignore_errors=True)

    def step(name: str, *args: str) -> None:
        rows.append(measure(name, [tmkit, *args], root))
        print(f"  {rows[-1].name:<40} {rows[-1].mib:7.0f} MiB", file=sys.stderr, flush=True)

    one, other = slugs[0], slugs[len(slugs) // 2]
    step("extract (from scratch)", "extract")
    step("update (from scratch)", "update")
    step("check --source", "check", "--source")
    pb.translate_all(root)
    step("status (no cache)", "status")
    step("status --format html", "status", "--format", "html")
    step("check", "check")
    step("check --format json", "check", "--format", "json")
    step("review --lang es", "review", "--lang", "es")
    step("review approve (one article)", "review", "approve", "--lang", "es", "--article", one,
         "--by", "Dr. Bench", "--despite-findings")
    step("tm update", "tm", "update")
    step("tm lookup", "tm", "lookup", "--lang", "es", "Failed back syndrome is common.")
    step("tm conflicts --lang es", "tm", "conflicts", "--lang", "es")
    step("tm export (TMX)", "tm", "export", "-o", str(out / "tm.tmx"))
    step("tm import (that TMX)", "tm", "import", str(out / "tm.tmx"))
    step("xliff export --lang es", "xliff", "export", "--lang", "es", "-o", str(out / "xliff"))
    xlf = sorted(str(p) for p in (out / "xliff" / "es").glob("*.xlf"))
    step("xliff import (every file)", "xliff", "import", *xlf)
    empty_language(root, "es")
    step("tm pretranslate (es emptied)", "tm", "pretranslate")
    pb.translate_all(root)
    step("pseudo", "pseudo")
    step("build (from scratch)", "build")
    step("build (unchanged)", "build")
    step("language add it", "language", "add", "it")
    step("article rename", "article", "rename", other, "renamed-article")
    step("article remove", "article", "remove", "renamed-article")
    po = root / "po" / "es" / f"{one}.po"
    step("merge-po (one file)", "merge-po", str(po), str(po), str(po))
    shutil.rmtree(out, ignore_errors=True)
    return rows


def report(rows: list[Measured], articles: int, limit: float) -> None:
    print(f"\npeak RSS per command, {articles} articles x {len(pb.LANGUAGES)} languages; "
          f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}; commit {pb.commit()}")
    print(f"{'command (tmkit ...)':<40} {'peak MiB':>8} {'cpu s':>7} {'wall s':>7}")
    for m in rows:
        mark = f"  OVER {limit:g} MB" if m.mib * 1.048576 > limit else ""
        print(f"{m.name:<40} {m.mib:8.0f} {m.cpu:7.2f} {m.wall:7.2f}{mark}")
    worst = max(rows, key=lambda m: m.mib)
    print(f"largest: {worst.name} {worst.mib:.0f} MiB; target < {limit:g} MB for every command: "
          f"{'ok' if all(m.mib * 1.048576 < limit for m in rows) else 'MISSED'}")


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=4000)
    parser.add_argument("--limit", type=float, default=400.0, help="MB (10^6 bytes) per command")
    parser.add_argument("--keep", type=Path, help="build the project here and keep it")
    args = parser.parse_args(argv)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(pb.REPO / "toolkit")], check=True)
    with tempfile.TemporaryDirectory(prefix="tmkit-memory-") as tmp:
        root = (args.keep or Path(tmp)) / f"project-{args.articles}"
        if root.exists():
            shutil.rmtree(root)
        rows = run_all(root, args.articles)
    report(rows, args.articles, args.limit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
