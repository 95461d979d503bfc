"""Time ``tmkit extract`` + ``update`` + ``build`` on 1,000 articles beside po4a.

Usage: ``python benchmarks/pipeline_bench.py [--articles N] [--keep DIR] [--skip STEP]``

Generates N variants of the seed article (words and numbers varied in some
sentences so the articles differ; the footer stays identical, as on the real
site) in a temporary project with five target languages, then times whole
processes, as a user would run them, each beside its anchor in the same run:

* tmkit ``extract`` + ``update`` as users type them (defaults: extract also
  proofreads the English, which po4a does not do) from scratch (no POT/PO
  files), the first rerun with nothing changed, and a second one; and from
  scratch with ``--no-source-checks`` on a copy, for comparison;
* po4a 0.69 as people use it: ``po4a --no-translations`` on a ``po4a.cfg``
  listing the same files as ``text`` documents with ONE template for all of
  them (``[po4a_paths] pot/all.pot $lang:po/$lang.po``), from scratch and
  unchanged;
* ``tmkit build`` (3 formats + the English originals) after every msgstr is
  filled in (language prefix + msgid): from scratch, unchanged, after one PO
  file changed, with its peak memory for the whole project and a quarter of
  it, and how long creating the same files (same sizes, same atomic batch
  writer) takes alone: the build's share that is file creation;
* po4a writing the translated text documents of all languages (one format)
  from the same one-template configuration, its PO files filled the same way;
* translate-toolkit's ``txt2po`` (extraction only, paragraphs) when installed;
* the from-scratch steps again (po4a beside tmkit) with the project in memory
  on ``/dev/shm`` (rows marked ``[tmpfs]``): tmkit's own cost, apart from the
  disk, which on some file systems dominates (see :func:`file_system`; the
  report names the project's file system).

Every pair prints ``anchor / tmkit`` (above 1: tmkit is faster).  CPU (user
+ system of all processes) is printed beside the wall clock: on a shared
machine it is the steadier figure.  The load average is printed with the
figures.  Each step is a function returning ``Timing`` rows, listed in
:data:`STEPS`.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "source" / "failed-back-syndrome.txt"
LANGUAGES = ["es", "fr", "de", "ar", "zh-Hans"]
#: Targets of issue 12 in seconds; extract+update are held to po4a's time in the same run
#: (the ratios printed below the table).
TARGETS = {"tmkit build, from scratch": 3.0, "tmkit build, unchanged": 0.2,
           "tmkit build, from scratch [tmpfs]": 3.0}
PREFIX = {"es": "ES", "fr": "FR", "de": "DE", "ar": "عربي", "zh-Hans": "中文"}
FOOTER_MARK = "Educational Partners"


@dataclass
class Timing:
    name: str
    seconds: float                    # wall clock
    note: str = ""
    cpu: float = float("nan")         # user + system CPU of the processes: steadier on a busy machine


# -- the project ---------------------------------------------------------------

_SWAPS = [("60%", "{pct}%"), ("second or third", "{ordinal} or {ordinal2}"),
          ("spine surgeon", "{specialist}"), ("diabetes", "{disease}"),
          ("Smoking", "{risk}"), ("chronic back", "chronic {area}")]
_WORDS = {"ordinal": ["second", "third", "fourth"], "ordinal2": ["third", "fifth", "sixth"],
          "specialist": ["spine surgeon", "orthopaedic surgeon", "pain specialist", "neurosurgeon"],
          "disease": ["diabetes", "obesity", "osteoporosis", "arthritis"],
          "risk": ["Smoking", "Obesity", "Inactivity"], "area": ["back", "neck", "lower back"]}


def article_variant(seed: str, number: int) -> str:
    """The seed with some sentences varied; the footer is left untouched."""
    rng = random.Random(number)
    body, footer = seed.split(FOOTER_MARK, 1)
    for old, new in _SWAPS:
        if rng.random() < 0.6:
            values = {k: rng.choice(v) for k, v in _WORDS.items()}
            body = body.replace(old, new.format(pct=rng.randint(20, 95), **values), 1)
    body = body.replace("Failed Back Syndrome\n", f"Failed Back Syndrome {number}\n", 1)
    return body + FOOTER_MARK + footer


def generate_project(root: Path, articles: int, prefill: Optional[str] = None,
                     handouts: bool = False) -> list[str]:
    """A tmkit project with ``articles`` variants of the seed; returns the slugs.

    ``prefill`` overrides ``[tm] prefill`` (``off``: update without the TM hook).
    The demo's PDF handouts are left out of ``[export] formats`` unless
    ``handouts`` (benchmarks/handouts_bench.py times them).
    """
    (root / "source").mkdir(parents=True)
    toml = (REPO / "tmkit.toml").read_text(encoding="utf-8")
    if not handouts:
        toml = toml.replace(', "pdf", "pdf-bilingual"', "")
    if prefill:
        toml = re.sub(r'(?m)^prefill = .*$', f'prefill = "{prefill}"', toml)
    toml = re.sub(r"(?m)^languages = .*$", "languages = [%s]" % ", ".join(f'"{l}"' for l in LANGUAGES), toml)
    (root / "tmkit.toml").write_text(toml, encoding="utf-8")
    shutil.copy(REPO / "glossary.csv", root / "glossary.csv")   # the repository's settings name it
    seed = SEED.read_text(encoding="utf-8")
    slugs = []
    for number in range(1, articles + 1):
        slug = f"article-{number:04d}"
        (root / "source" / f"{slug}.txt").write_text(article_variant(seed, number), encoding="utf-8")
        slugs.append(slug)
    return slugs


def time_commands(commands: list[list[str]], cwd: Path) -> tuple[float, float]:
    """(wall-clock, CPU) seconds for running ``commands`` one after the other."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    for command in commands:
        result = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(command[:3])}... failed:\n{result.stderr[-2000:]}")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def timing(name: str, measured: tuple[float, float]) -> Timing:
    return Timing(name, measured[0], cpu=measured[1])


# -- the steps -------------------------------------------------------------------

def tmkit_binary() -> str:
    local = Path(sys.executable).parent / "tmkit"
    return str(local) if local.exists() else "tmkit"


def bench_tmkit(root: Path, slugs: list[str]) -> list[Timing]:
    """extract + update as users type them (defaults: extract proofreads the English too),
    from scratch and unchanged; the same without proofreading (``--no-source-checks``,
    po4a's job only) from scratch on a copy, for comparison."""
    tmkit = tmkit_binary()
    bare = root.parent / "bare"
    shutil.copytree(root, bare)
    steps = [[tmkit, "extract"], [tmkit, "update"]]
    scratch = time_commands(steps, root)
    first = time_commands(steps, root)
    second = time_commands(steps, root)
    without = time_commands([[tmkit, "extract", "--no-source-checks"], [tmkit, "update"]], bare)
    shutil.rmtree(bare)
    return [timing("tmkit extract+update, from scratch", scratch),
            timing("tmkit extract+update, unchanged (1st rerun)", first),
            timing("tmkit extract+update, unchanged (2nd rerun)", second),
            Timing("tmkit extract --no-source-checks+update, scratch", without[0],
                   "  (without proofreading, for comparison)", cpu=without[1])]


def bench_tmkit_help(root: Path, slugs: list[str]) -> list[Timing]:
    return [timing("tmkit --help (start-up)", time_commands([[tmkit_binary(), "--help"]], root))]


def translate_all(root: Path) -> None:
    """Fill every msgstr (language prefix + msgid), as if translators had finished.

    Written in place, not replaced: replacing 5,000 files frees 5,000 inodes
    just before the build is timed, and on ext4 without a journal the kernel
    then creates each new file in time proportional to the inodes freed in
    the last minutes (see :func:`file_system`), which would time the
    benchmark's own clean-up rather than the build.
    """
    sys.path.insert(0, str(REPO))
    from toolkit.catalog.pofile import format_po, read_po

    for path in sorted((root / "po").glob("*/*.po")):
        po = read_po(path)
        for entry in po:
            entry.msgstr = f"{PREFIX[path.parent.name]} {entry.msgid}"
        path.write_bytes(format_po(po).encode("utf-8"))


def peak_rss_mib(command: list[str], cwd: Path) -> int:
    """Peak resident memory of ``command`` (its largest process), in MiB."""
    code = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
            "stdout=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, *command], cwd=cwd, check=True,
                         capture_output=True, text=True).stdout
    return int(out) // 1024


def bench_build(root: Path, slugs: list[str]) -> list[Timing]:
    tmkit = tmkit_binary()
    if not (root / "po").is_dir():
        time_commands([[tmkit, "extract"], [tmkit, "update"]], root)
    translate_all(root)
    scratch = time_commands([[tmkit, "build"]], root)
    files = sum(1 for p in (root / "exports").rglob("*") if p.is_file())
    creation = time_file_creation(root / "exports", root.parent / "creation")
    unchanged = time_commands([[tmkit, "build"]], root)
    po = root / "po" / "es" / f"{slugs[len(slugs) // 2]}.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "ES ', 'msgstr "ES2 ', 1), encoding="utf-8")
    one = time_commands([[tmkit, "build"]], root)
    # Memory last: these runs delete and create files the timed ones would pay for.
    quarter = root.parent / "quarter"
    if quarter.exists():
        shutil.rmtree(quarter)
    shutil.copytree(root, quarter, ignore=shutil.ignore_patterns("exports", "po4a", "txt2po-out"))
    for extra in sorted((quarter / "source").glob("*.txt"))[max(len(slugs) // 4, 1):]:
        extra.unlink()
    small = peak_rss_mib([tmkit, "build"], quarter)
    shutil.rmtree(quarter)
    shutil.rmtree(root / "exports")
    full = peak_rss_mib([tmkit, "build"], root)
    return [Timing("tmkit build, from scratch", scratch[0], f"  {files} files", cpu=scratch[1]),
            Timing("  of which creating the files alone", creation[0],
                   f"  {100 * creation[0] / scratch[0]:.0f}% of the build (same sizes, same writer)",
                   cpu=creation[1]),
            timing("tmkit build, unchanged", unchanged),
            timing("tmkit build, one PO changed", one),
            Timing(f"build peak RSS MiB ({len(slugs) // 4} / {len(slugs)} art.)", float("nan"),
                   f"{small} / {full} MiB (flat: one article at a time)")]


def time_file_creation(exports: Path, scratch: Path) -> tuple[float, float]:
    """(wall, CPU) of creating files of the sizes in ``exports`` in a new tree, with the
    build's writer (:class:`toolkit.project.fsutil.AtomicBatch`, batches of 25 articles' files)."""
    sys.path.insert(0, str(REPO))
    from toolkit.project.fsutil import AtomicBatch

    sizes = [(p.relative_to(exports), p.stat().st_size) for p in sorted(exports.rglob("*")) if p.is_file()]
    shutil.rmtree(scratch, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    for first in range(0, len(sizes), 25 * 18):
        with AtomicBatch() as batch:
            for relative, size in sizes[first:first + 25 * 18]:
                batch.add(scratch / relative, b"x" * size)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    shutil.rmtree(scratch, ignore_errors=True)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _po4a_project(root: Path, slugs: list[str], translated: bool) -> Path:
    """po4a's usual layout: one template for all documents, one PO file per language."""
    work = root / ("po4a-build" if translated else "po4a")
    shutil.rmtree(work, ignore_errors=True)
    for folder in ("pot", "po"):
        (work / folder).mkdir(parents=True)
    langs = " ".join(l.replace("-", "_") for l in LANGUAGES)
    lines = [f"[po4a_langs] {langs}", "[po4a_paths] pot/all.pot $lang:po/$lang.po"]
    target = " $lang:out/$lang/{slug}.txt" if translated else ""
    lines += [f"[type: text] ../source/{slug}.txt" + target.format(slug=slug) for slug in slugs]
    (work / "po4a.cfg").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return work


def bench_po4a(root: Path, slugs: list[str]) -> list[Timing]:
    """po4a --no-translations, one template (its usual configuration): extract + update."""
    if not shutil.which("po4a"):
        return [Timing("po4a", float("nan"), "not installed (apt-get install -y po4a)")]
    work = _po4a_project(root, slugs, translated=False)
    command = [["po4a", "--no-translations", "--quiet", "po4a.cfg"]]
    scratch = time_commands(command, work)
    unchanged = time_commands(command, work)
    return [timing("po4a --no-translations, from scratch", scratch),
            timing("po4a --no-translations, unchanged", unchanged)]


def bench_po4a_build(root: Path, slugs: list[str]) -> list[Timing]:
    """po4a writing the translated documents (text, one format) for every language."""
    if not shutil.which("po4a"):
        return [Timing("po4a (build)", float("nan"), "not installed (apt-get install -y po4a)")]
    work = _po4a_project(root, slugs, translated=True)
    time_commands([["po4a", "--no-translations", "--quiet", "po4a.cfg"]], work)
    sys.path.insert(0, str(REPO))
    from toolkit.catalog.pofile import format_po, read_po
    from toolkit.project.fsutil import atomic_write_many

    def filled():
        for lang in LANGUAGES:
            path = work / "po" / f"{lang.replace('-', '_')}.po"
            po = read_po(path)
            for entry in po:
                entry.msgstr = f"{PREFIX[lang]} {entry.msgid}"
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
            yield path, format_po(po).encode("utf-8")

    atomic_write_many(filled())
    scratch = time_commands([["po4a", "--keep", "0", "--quiet", "po4a.cfg"]], work)
    files = sum(1 for p in (work / "out").rglob("*") if p.is_file())
    return [Timing("po4a, translated documents (text only)", scratch[0], f"  {files} files",
                   cpu=scratch[1])]


def bench_txt2po(root: Path, slugs: list[str]) -> list[Timing]:
    txt2po = Path(sys.executable).parent / "txt2po"
    binary = str(txt2po) if txt2po.exists() else shutil.which("txt2po")
    if not binary:
        return [Timing("txt2po", float("nan"), "not installed (translate-toolkit)")]
    seconds = time_commands([[binary, "--progress=none", "-P", "source", "txt2po-out"]], root)
    return [timing("txt2po -P (extract only, paragraphs)", seconds)]


def bench_tmpfs(root: Path, slugs: list[str]) -> list[Timing]:
    """The from-scratch steps again with the project in memory (``/dev/shm``), po4a beside them.

    What tmkit itself costs, apart from the disk: the project's file system
    can make creating thousands of files (a PO per article and language, 18
    exports per article) the larger part of a run (see :func:`file_system`).
    """
    shm = Path("/dev/shm")
    if not shm.is_dir() or not file_system(shm).startswith("tmpfs") or shutil.disk_usage(shm).free < 2 << 30:
        return [Timing("[tmpfs] steps", float("nan"), "no tmpfs with 2 GiB free at /dev/shm")]
    tmkit = tmkit_binary()
    with tempfile.TemporaryDirectory(prefix="tmkit-bench-", dir=shm) as tmp:
        work = Path(tmp) / "project"
        shutil.copytree(root, work, ignore=shutil.ignore_patterns("exports", "po", "po4a", "po4a-build",
                                                                  "txt2po-out", ".tmkit"))
        timings = []
        if shutil.which("po4a"):
            po4a = _po4a_project(work, slugs, translated=False)
            timings.append(timing("po4a --no-translations, from scratch [tmpfs]", time_commands(
                [["po4a", "--no-translations", "--quiet", "po4a.cfg"]], po4a)))
        timings.append(timing("tmkit extract+update, from scratch [tmpfs]", time_commands(
            [[tmkit, "extract"], [tmkit, "update"]], work)))
        if "build" not in SKIPPED:     # --skip build leaves out the build in memory too
            translate_all(work)
            timings.append(timing("tmkit build, from scratch [tmpfs]", time_commands([[tmkit, "build"]], work)))
    return timings


def file_system(path: Path) -> str:
    """The file system holding ``path``, as ``type (source on mount point)``.

    ext4 says whether it has a journal: without one, the kernel does not
    reuse an inode freed in the last few minutes and steps over such inodes
    one by one for each new file (``recently_deleted`` in fs/ext4/ialloc.c),
    so creating N files soon after deleting N costs time in N squared.  This
    benchmark's machine may be such a virtual disk; the figure is printed
    with the results so they can be read for what they are.
    """
    best = ("", "?", "?")
    try:
        lines = Path("/proc/self/mountinfo").read_text().splitlines()
    except OSError:
        return "unknown"
    target = str(path.resolve())
    for line in lines:
        fields = line.split()
        mount = fields[4]
        dash = fields.index("-")
        fstype, source = fields[dash + 1], fields[dash + 2]
        if (target == mount or target.startswith(mount.rstrip("/") + "/")) and len(mount) >= len(best[0]):
            best = (mount, fstype, source)
    mount, fstype, source = best
    if fstype == "ext4":
        task = Path("/sys/fs/ext4") / Path(source).name / "journal_task"
        try:
            journal = "without a journal" if task.read_text().strip() == "<none>" else "with a journal"
        except OSError:
            journal = "journal unknown"
        fstype = f"ext4 {journal}"
    return f"{fstype} ({source} on {mount})"


#: The steps left out (``--skip``).
SKIPPED: set[str] = set()

#: The measured steps, in order; each gets the project root and the slugs.
STEPS: list[Callable[[Path, list[str]], list[Timing]]] = [
    bench_tmkit_help, bench_po4a, bench_tmkit, bench_build, bench_po4a_build, bench_txt2po, bench_tmpfs]


def report(timings: list[Timing], articles: int, root: Path) -> None:
    print(f"\n{articles} articles x {len(LANGUAGES)} languages (wall = elapsed, cpu = user+sys); "
          f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}; commit {commit()}")
    where = file_system(root)
    print(f"project on {where}" + ("; creating files soon after deleting many is slow there "
                                   "(see file_system in this script; [tmpfs] rows: the same steps in memory)"
                                   if "without a journal" in where else ""))
    print(f"{'step':<45} {'wall s':>7} {'cpu s':>7}  target")
    for t in timings:
        target = TARGETS.get(t.name)
        mark = "" if target is None else (f"<= {target:g} s " + ("ok" if t.seconds <= target else "MISSED"))
        wall = "      -" if t.seconds != t.seconds else f"{t.seconds:7.2f}"
        cpu = "      -" if t.cpu != t.cpu else f"{t.cpu:7.2f}"
        print(f"{t.name:<45} {wall} {cpu}  {mark}{t.note}")
    found = {t.name: t for t in timings if t.seconds == t.seconds}
    pairs = [("po4a --no-translations, from scratch", "tmkit extract+update, from scratch", 1.0),
             ("po4a --no-translations, unchanged", "tmkit extract+update, unchanged (1st rerun)", 1.0),
             ("po4a --no-translations, unchanged", "tmkit extract+update, unchanged (2nd rerun)", 1.0),
             ("po4a --no-translations, from scratch [tmpfs]", "tmkit extract+update, from scratch [tmpfs]", 1.0),
             ("po4a, translated documents (text only)", "tmkit build, from scratch", None),
             ("txt2po -P (extract only, paragraphs)", "tmkit extract+update, from scratch", None)]
    print("\nratios (anchor / tmkit, measured in this run; above 1: tmkit is faster)")
    for other, mine, target in pairs:
        if other in found and mine in found:
            a, b = found[other], found[mine]
            wall = a.seconds / b.seconds
            mark = "" if target is None else f"  target >= {target:g}: {'ok' if wall >= target else 'MISSED'}"
            print(f"  {other} / {mine}: wall {wall:.2f}x, cpu {a.cpu / b.cpu:.2f}x{mark}")


def commit() -> str:
    done = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True)
    return done.stdout.strip() or "?"


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="build the project here and keep it")
    parser.add_argument("--skip", action="append", default=[], metavar="STEP",
                        help="leave out a step: tmkit_help, po4a, tmkit, build (also the one in "
                             "memory), po4a_build, txt2po, tmpfs (repeatable)")
    parser.add_argument("--prefill", choices=["off", "comment", "fuzzy"],
                        help="[tm] prefill of the generated project (default: the repository's)")
    args = parser.parse_args(argv)
    SKIPPED.update(args.skip)
    # tmkit's processes load its bytecode as an installed tmkit does (pip compiles it;
    # an editable install under PYTHONDONTWRITEBYTECODE=1 compiles every module at each start).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "toolkit")], check=True)
    with tempfile.TemporaryDirectory(prefix="tmkit-bench-") as tmp:
        root = (args.keep or Path(tmp)) / "project"
        if root.exists():
            shutil.rmtree(root)
        slugs = generate_project(root, args.articles, args.prefill)
        timings: list[Timing] = []
        for step in STEPS:
            if step.__name__.removeprefix("bench_") not in args.skip:
                timings += step(root, slugs)
        report(timings, args.articles, root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
