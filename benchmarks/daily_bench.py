"""Time the daily commands (``status``, ``check``, ``review``) as users type them, beside pocount.

Usage: ``python benchmarks/daily_bench.py [--articles 1000 4000] [--keep DIR] [--review-only]
[--status-only] [--fuzzy-share 0.125]``

For each size, a project of N generated variants of the seed article x 5
languages (:func:`pipeline_bench.generate_project`) goes through ``tmkit
extract`` and ``tmkit update`` and has every msgstr filled in (as if the
translators had finished: the checks then have text to check), one entry in
eight of them left fuzzy with a ``#| msgid`` as a TM prefill leaves it
(:func:`prefill_fuzzy`).  Then, with
default options, each a whole process:

* ``tmkit status``: first run (no cache of any kind), unchanged (twice),
  and after one PO file changed; ``pocount`` on the same PO files in the
  same run (the anchor: what people run to count a translation's progress);
* ``tmkit check``: first run and again;
* ``tmkit review --lang es``: first run and again;
* peak resident memory of each command's first run (``/usr/bin/time``-style,
  from ``getrusage`` of the child).

Ratios ``pocount / tmkit status`` are printed (above 1: tmkit is faster), and
``review`` at each size against the smallest size (linear: the ratio of the
sizes).  The load average and the commit are printed with the figures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pipeline_bench as pb  # noqa: E402  (the shared project generator and timers)


def pocount_binary() -> str:
    local = Path(sys.executable).parent / "pocount"
    return str(local) if local.exists() else "pocount"


def run(command: list[str], cwd: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one process; exit 1 (findings exist) is a normal outcome."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command[:3])}... failed:\n{done.stderr[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def peak_rss_mib(command: list[str], cwd: Path) -> int:
    """Peak resident memory of ``command`` in MiB, measured in a fresh helper process
    (a process's children's ``ru_maxrss`` is the largest of all of them so far)."""
    code = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
            "stderr=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, *command], cwd=cwd, check=True,
                         capture_output=True, text=True).stdout
    return int(out) // 1024


#: The share of entries left fuzzy with the English they were made for (``#| msgid``), as a
#: TM prefill leaves a similar sentence's translation for the translator to confirm.
FUZZY_SHARE = 0.125


def prefill_fuzzy(root: Path, share: float = FUZZY_SHARE) -> int:
    """Turn about ``share`` of the translated entries into TM prefills: ``#, fuzzy``, the
    TM's English as ``#| msgid`` (one word fewer, or "(old)" added), its translation as msgstr.

    A real project's catalogs have such entries (``[tm] prefill = "fuzzy"``, the default);
    without them the benchmark would time a file layout users rarely have.  Deterministic
    (by entry), written in place (see :func:`pipeline_bench.translate_all`); returns the
    number of entries made fuzzy.
    """
    sys.path.insert(0, str(pb.REPO))
    from toolkit.catalog.pofile import format_po, read_po

    made = 0
    step = max(1, round(1 / share)) if share > 0 else 0
    if not step:
        return 0
    for path in sorted((root / "po").glob("*/*.po")):
        po = read_po(path)
        for number, entry in enumerate(po):
            if (number + len(path.stem)) % step or not entry.msgstr:
                continue
            words = entry.msgid.split(" ")
            previous = (" ".join(words[:-2] + words[-1:]) if len(words) > 3 else entry.msgid + " (old)")
            entry.previous_msgid = previous
            entry.msgstr = f"{pb.PREFIX[path.parent.name]} {previous}"
            entry.flags = ["fuzzy"]
            made += 1
        path.write_bytes(format_po(po).encode("utf-8"))
    return made


def prepare(root: Path, articles: int, fuzzy_share: float = FUZZY_SHARE) -> list[str]:
    slugs = pb.generate_project(root, articles)
    tmkit = pb.tmkit_binary()
    pb.time_commands([[tmkit, "extract"], [tmkit, "update"]], root)
    pb.translate_all(root)
    prefill_fuzzy(root, fuzzy_share)
    shutil.rmtree(root / ".tmkit" / "nochange", ignore_errors=True)   # status's first run: no stamp
    for name in ("status-cache.json",):
        (root / ".tmkit" / name).unlink(missing_ok=True)
    return slugs


def bench_size(root: Path, articles: int, review_only: bool = False, status_only: bool = False,
               fuzzy_share: float = FUZZY_SHARE) -> list[pb.Timing]:
    slugs = prepare(root, articles, fuzzy_share)
    tmkit = pb.tmkit_binary()
    po_files = sorted(str(p) for p in (root / "po").glob("*/*.po"))
    n = f" [{articles}]"
    rows: list[pb.Timing] = []

    def timed(name: str, command: list[str]) -> None:
        measured = run(command, root)
        rows.append(pb.Timing(name + n, measured[0], cpu=measured[1]))

    if review_only:   # --review-only: the review rows alone, each size's first run and two more
        for name in ("first run", "again", "again (2)"):
            timed(f"tmkit review --lang es, {name}", [tmkit, "review", "--lang", "es"])
        return rows

    timed("pocount (same PO files)", [pocount_binary(), *po_files])
    timed("tmkit status, first run", [tmkit, "status"])
    timed("tmkit status, unchanged", [tmkit, "status"])
    timed("tmkit status, unchanged (again)", [tmkit, "status"])
    po = root / "po" / "es" / f"{slugs[len(slugs) // 2]}.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "ES ', 'msgstr "ES2 ', 1), encoding="utf-8")
    timed("tmkit status, one PO file changed", [tmkit, "status"])
    timed("pocount (same PO files, again)", [pocount_binary(), *po_files])
    if status_only:   # --status-only: the status rows and their anchor alone
        return rows
    timed("tmkit check, first run", [tmkit, "check"])
    timed("tmkit check, again", [tmkit, "check"])
    timed("tmkit review --lang es, first run", [tmkit, "review", "--lang", "es"])
    timed("tmkit review --lang es, again", [tmkit, "review", "--lang", "es"])
    # peak memory: each command once more, from its cold state where it has one
    shutil.rmtree(root / ".tmkit" / "nochange", ignore_errors=True)
    (root / ".tmkit" / "status-cache.json").unlink(missing_ok=True)
    memory = {name: peak_rss_mib(command, root) for name, command in
              [("status", [tmkit, "status"]), ("check", [tmkit, "check"]),
               ("review", [tmkit, "review", "--lang", "es"])]}
    rows.append(pb.Timing(f"peak RSS MiB{n}", float("nan"),
                          "  " + ", ".join(f"{k} {v}" for k, v in memory.items())))
    return rows


def report(rows: list[pb.Timing], sizes: list[int]) -> None:
    print(f"\ndaily commands x {len(pb.LANGUAGES)} languages (wall = elapsed, cpu = user+sys); "
          f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}; commit {pb.commit()}")
    print(f"{'step':<52} {'wall s':>7} {'cpu s':>7}")
    for t in rows:
        wall = "      -" if t.seconds != t.seconds else f"{t.seconds:7.2f}"
        cpu = "      -" if t.cpu != t.cpu else f"{t.cpu:7.2f}"
        print(f"{t.name:<52} {wall} {cpu}{t.note}")
    found = {t.name: t for t in rows}
    print("\nratios (measured in this run)")
    for size in (s for s in sizes if f"pocount (same PO files) [{s}]" in found):
        n = f" [{size}]"
        anchor = found[f"pocount (same PO files){n}"]
        for mine, target in [("tmkit status, first run", 3.0), ("tmkit status, unchanged", None),
                             ("tmkit status, one PO file changed", None)]:
            t = found[mine + n]
            mark = "" if target is None else f"  target >= {target:g}: {'ok' if anchor.seconds / t.seconds >= target else 'MISSED'}"
            print(f"  pocount / {mine}{n}: wall {anchor.seconds / t.seconds:.2f}x, "
                  f"cpu {anchor.cpu / t.cpu:.2f}x{mark}")
        unchanged = found[f"tmkit status, unchanged{n}"].seconds
        print(f"  tmkit status, unchanged{n}: {unchanged:.2f} s  target <= 0.3 s (1,000 x 5): "
              f"{'ok' if unchanged <= 0.3 else 'MISSED'}")
    if len(sizes) > 1:
        small, *larger = sizes
        base = found[f"tmkit review --lang es, first run [{small}]"].seconds
        base_cpu = found[f"tmkit review --lang es, first run [{small}]"].cpu
        for size in larger:
            t = found[f"tmkit review --lang es, first run [{size}]"]
            print(f"  review {size} / review {small}: wall {t.seconds / base:.2f}x, cpu {t.cpu / base_cpu:.2f}x "
                  f"(sizes {size / small:g}x; linear)")


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[1000, 4000])
    parser.add_argument("--keep", type=Path, help="build the projects here and keep them")
    parser.add_argument("--review-only", action="store_true", help="time tmkit review alone")
    parser.add_argument("--status-only", action="store_true", help="time tmkit status and pocount alone")
    parser.add_argument("--fuzzy-share", type=float, default=FUZZY_SHARE,
                        help="share of entries left fuzzy with a '#| msgid' (a TM prefill); 0: none")
    args = parser.parse_args(argv)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(pb.REPO / "toolkit")], check=True)
    rows: list[pb.Timing] = []
    with tempfile.TemporaryDirectory(prefix="tmkit-daily-") as tmp:
        for size in args.articles:
            root = (args.keep or Path(tmp)) / f"project-{size}"
            if root.exists():
                shutil.rmtree(root)
            rows += bench_size(root, size, args.review_only, args.status_only, args.fuzzy_share)
            if not args.keep:
                shutil.rmtree(root)
    report(rows, args.articles)
    return 0


if __name__ == "__main__":
    sys.exit(main())
