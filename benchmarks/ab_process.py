"""A/B of one tmkit command as whole processes: a base revision against the working tree.

Small gains (a few per cent) hide in the noise of single runs on a 2-core
machine; this runs the same command on the same project alternately with the
code of ``--base`` (a temporary git worktree) and of this checkout, ``--rounds``
times each, restoring the project before every run, and prints the medians.

    .venv/bin/python benchmarks/ab_process.py --base main --project P \\
        --restore /tmp/queries.po:po/de/queries.po --remove .tmkit -- tm pretranslate

The editable install's import finder would load this checkout's ``toolkit``
whatever ``sys.path`` says, so each run starts Python with that finder taken
out of ``sys.meta_path`` and the variant's folder first on ``sys.path``; the
assertion in the wrapper fails loudly if the wrong code is imported.  Both
variants' bytecode is compiled before the first round.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

#: Run ``toolkit.cli.main`` from the folder given first, with argv after it.
WRAPPER = ("import sys; sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in repr(f).lower()]; "
           "root = sys.argv.pop(1); sys.path.insert(0, root); import toolkit; "
           "assert toolkit.__file__.startswith(root), toolkit.__file__; sys.argv[0] = 'tmkit'; "
           "from toolkit.cli import main; main()")


def run_once(code: Path, project: Path, command: list[str], restore: list[tuple[Path, Path]],
             remove: list[str]) -> tuple[float, float]:
    """(wall, CPU of the process and its children) of one run, after restoring the project."""
    for source, target in restore:
        shutil.copyfile(source, project / target)
    for name in remove:
        shutil.rmtree(project / name, ignore_errors=True)
    os.sync()   # the restored files' writes are not the command's
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", WRAPPER, str(code), "-C", str(project), *command],
                   stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="HEAD", help="git revision to compare with (default HEAD)")
    parser.add_argument("--project", type=Path, required=True, help="project folder the command runs in")
    parser.add_argument("--restore", action="append", default=[], metavar="SRC:DST",
                        help="copy SRC over DST (relative to the project) before every run (repeatable)")
    parser.add_argument("--remove", action="append", default=[], metavar="PATH",
                        help="remove this folder of the project before every run (repeatable)")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the tmkit command")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the tmkit command after --")
    restore = []
    for pair in args.restore:
        source, _, target = pair.partition(":")
        if not target:
            parser.error(f"--restore {pair!r}: expected SRC:DST")
        restore.append((Path(source), Path(target)))
    project = args.project.resolve()
    with tempfile.TemporaryDirectory(prefix="tmkit-ab-") as tmp:
        base = Path(tmp) / "base"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(base), args.base],
                       check=True)
        try:
            variants = {f"base {args.base}": base, "this checkout": REPO}
            for folder in variants.values():
                subprocess.run([sys.executable, "-m", "compileall", "-q", str(folder / "toolkit")], check=True)
            runs: dict[str, list[tuple[float, float]]] = {name: [] for name in variants}
            for _ in range(args.rounds):
                for name, folder in variants.items():
                    runs[name].append(run_once(folder, project, command, restore, args.remove))
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(base)], check=False)
    print(f"tmkit {' '.join(command)}: {args.rounds} interleaved rounds; load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    medians = {}
    for name, measured in runs.items():
        walls, cpus = [m[0] for m in measured], [m[1] for m in measured]
        medians[name] = (statistics.median(walls), statistics.median(cpus))
        print(f"  {name:<20} wall median {medians[name][0] * 1000:7.1f} ms (min {min(walls) * 1000:.1f}), "
              f"CPU median {medians[name][1] * 1000:7.1f} ms (min {min(cpus) * 1000:.1f})")
    (base_wall, base_cpu), (new_wall, new_cpu) = medians.values()
    print(f"  this checkout / base: wall {new_wall / base_wall:.3f}, CPU {new_cpu / base_cpu:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
