"""Benchmark of the translation memory on real gettext data (not a test).

Data: the compiled catalogs of this machine (``/usr/share/locale/*/LC_MESSAGES/*.mo``)
turned back into PO with GNU ``msgunfmt``; extracted once and cached under
``benchmarks/data/`` (git-ignored).  The TM holds the German units with sources
of 20-200 characters minus 2,000 held-out queries (half of them edited: one
word replaced or deleted).  ``--size N`` tops the TM up with distinct real
strings of every catalog (any language) to N units for the scaling runs.

Reports queries/s of tmkit's indexed lookup (one by one, and the whole batch
through ``lookup_many`` on every core), its brute-force reference,
``msgmerge --compendium`` and translate-toolkit's matcher on the same queries
and TM; recall against the brute-force ground truth at 75%; import and index
time; peak memory of a lookup process; TM size on disk; and the whole-process
time of ``tmkit tm pretranslate`` on a 2,000-entry PO beside msgmerge: both
whole processes, in ``--rounds`` interleaved rounds (default 3), compared by
their medians (one msgmerge run alone moved by a quarter within an hour here).

    .venv/bin/python benchmarks/tm_bench.py                 # ~31k German units
    .venv/bin/python benchmarks/tm_bench.py --size 300000   # scaling
    .venv/bin/python benchmarks/tm_bench.py --size 1000000 --skip-tt

``--url postgresql://...`` (a scratch database: tmkit's tables in it are dropped
first) or ``--url auto`` (a throwaway local cluster, as the tests start) runs
the import, lookups (one by one and batch), recall against the same
brute-force truth, peak memory and ``tmkit tm pretranslate`` through the
PostgreSQL backend too, in the same run, and prints them beside SQLite's.
``--pg-trgm`` also measures PostgreSQL's own trigram index (``pg_trgm``, GIN)
as the fuzzy candidate finder instead of tmkit's local index.

``--reuse`` keeps the built SQLite TM (``benchmarks/work/tm-N/``, git-ignored)
for the next run with ``--reuse`` when it was built from the same units (a
digest of them is stored beside it), and the brute-force truth when the
queries, the sample and tmkit's scoring code (``toolkit/tm/match.py``,
``normalize.py``) are the same: at 300k units that skips ~40 s of import and
index build and ~2 minutes of brute force, so A/B runs of two commits can
follow each other within a minute or two.  Every timed part is measured again.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polib

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
WORK = HERE / "work"
sys.path.insert(0, str(HERE.parent))

from toolkit.tm import TMUnit, TranslationMemory  # noqa: E402
from toolkit.tm.batch import default_workers  # noqa: E402
from toolkit.tm.match import BruteForceMatcher  # noqa: E402
from toolkit.tm.normalize import normalize  # noqa: E402
from tests.tm_helpers import edit_one_word as _edit  # noqa: E402  (the tests use the same edits)

MIN = 75.0
QUERIES = 2000


# -- data ---------------------------------------------------------------------------
def _unfmt(path: str) -> list[tuple[str, str]]:
    try:
        text = subprocess.run(["msgunfmt", path], capture_output=True, check=True,
                              text=True, errors="replace").stdout
        po = polib.pofile(text)
    except Exception:   # a broken catalog is skipped, not fatal
        return []
    return [(e.msgid, e.msgstr) for e in po if e.msgid and e.msgstr and not e.msgid_plural]


def extract() -> tuple[Path, Path]:
    """Cache German pairs and every catalog's strings as JSON lines."""
    german, strings = DATA / "de_pairs.jsonl", DATA / "all_strings.jsonl"
    if german.exists() and strings.exists():
        return german, strings
    DATA.mkdir(parents=True, exist_ok=True)
    files = sorted(glob.glob("/usr/share/locale/*/LC_MESSAGES/*.mo"))
    started = time.perf_counter()
    seen_pairs, seen_strings = set(), set()
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool, \
            open(german, "w") as gout, open(strings, "w") as sout:
        for path, pairs in zip(files, pool.map(_unfmt, files)):
            lang = path.split("/")[4]
            for msgid, msgstr in pairs:
                if lang == "de" and (msgid, msgstr) not in seen_pairs:
                    seen_pairs.add((msgid, msgstr))
                    gout.write(json.dumps([msgid, msgstr], ensure_ascii=False) + "\n")
                for text, other in ((msgid, msgstr), (msgstr, msgid)):
                    if 10 <= len(text) <= 500 and text not in seen_strings:
                        seen_strings.add(text)
                        sout.write(json.dumps([text, other], ensure_ascii=False) + "\n")
    print(f"extracted {len(files)} catalogs in {time.perf_counter() - started:.0f}s: "
          f"{len(seen_pairs)} German pairs, {len(seen_strings)} distinct strings")
    return german, strings


def dataset(size: int | None, seed: int = 7):
    """(units, queries): German units of 20-200 chars minus held-out queries, topped up."""
    german, strings = extract()
    pairs = [tuple(json.loads(line)) for line in open(german)]
    pairs = [p for p in pairs if 20 <= len(p[0]) <= 200]
    rng = random.Random(seed)
    by_source: dict[str, list] = {}
    for source, target in pairs:
        by_source.setdefault(source, []).append(target)
    sources = sorted(by_source)
    held = set(rng.sample(sources, QUERIES))
    queries = [s if i % 2 else _edit(rng, s) for i, s in enumerate(sorted(held))]
    units = [TMUnit(s, t, "en", "de", "de-catalogs") for s, t in pairs if s not in held]
    if size and size > len(units):
        known = set(by_source)
        for line in open(strings):
            text, other = json.loads(line)
            if len(units) >= size:
                break
            if 20 <= len(text) <= 200 and text not in known:
                units.append(TMUnit(text, other, "en", "de", "all-catalogs"))
        if len(units) < size:   # the 10-500 character strings as well
            for line in open(strings):
                text, other = json.loads(line)
                if len(units) >= size:
                    break
                if not 20 <= len(text) <= 200 and text not in known:
                    units.append(TMUnit(text, other, "en", "de", "all-catalogs"))
    return units, queries


# -- measurements -----------------------------------------------------------------
def peak_mb() -> float:
    """Peak resident memory of this process (VmHWM: unlike ru_maxrss, reset by exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _location(tm_path: str) -> tuple[str, Path | None]:
    """A TM path, or ``URL|index folder`` for a server TM (its local index cache)."""
    if "://" in tm_path:
        url, _, index = tm_path.partition("|")
        return url, Path(index)
    return tm_path, None


def lookup_process(tm_path: str, queries_path: Path) -> dict:
    """Run in a fresh process: open the TM, answer every query, report latency and memory."""
    queries = json.loads(queries_path.read_text())
    started = time.perf_counter()
    tm = TranslationMemory.open(*_location(tm_path))
    tm.matcher("en", "de")
    opened = time.perf_counter() - started
    latencies, results = [], []
    cpu = time.process_time()
    for query in queries:
        start = time.perf_counter()
        found = tm.lookup(query, "en", "de", MIN, 1)
        latencies.append(time.perf_counter() - start)
        results.append([found[0].score, found[0].unit.source] if found else None)
    latencies.sort()
    cpu = time.process_time() - cpu
    # the whole batch at once on every core (this process and forked children), forks included
    started = time.perf_counter()
    answers = tm.lookup_many(queries, "en", "de", MIN, 1)
    batch_s = time.perf_counter() - started
    same = results == [[f[0].score, f[0].unit.source] if f else None for f in answers]
    return {"open_s": opened, "total_s": sum(latencies), "cpu_s": cpu, "median_ms": statistics.median(latencies) * 1e3,
            "p95_ms": latencies[int(len(latencies) * 0.95)] * 1e3, "peak_mb": peak_mb(),
            "batch_s": batch_s, "batch_same": same, "workers": default_workers(), "results": results}


def import_process(tm_path: str, units_path: Path) -> dict:
    """Run in a fresh process: stream units into a new TM in batches, then build the index."""
    tm = TranslationMemory.open(*_location(tm_path))
    started = time.perf_counter()
    batch = []
    with open(units_path) as handle:
        for line in handle:
            source, target = json.loads(line)
            batch.append(TMUnit(source, target, "en", "de", "catalogs"))
            if len(batch) == 50_000:
                tm.add(batch)
                batch.clear()
    tm.add(batch)
    imported = time.perf_counter() - started
    started = time.perf_counter()
    tm.matcher("en", "de")
    return {"import_s": imported, "index_s": time.perf_counter() - started, "peak_mb": peak_mb()}


def run_msgmerge(units, queries, folder: Path) -> tuple[dict, float, float, float]:
    compendium = polib.POFile()
    compendium.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    seen = set()
    for unit in units:
        if unit.source not in seen:
            seen.add(unit.source)
            compendium.append(polib.POEntry(msgid=unit.source, msgstr=unit.target))
    compendium.save(str(folder / "compendium.po"))
    pot = polib.POFile()
    pot.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for query in dict.fromkeys(queries):
        pot.append(polib.POEntry(msgid=query, msgstr=""))
    pot.save(str(folder / "queries.pot"))
    empty = polib.POFile()
    empty.metadata = dict(pot.metadata)
    empty.save(str(folder / "empty.po"))
    seconds, mbytes, cpu = msgmerge_process(folder)
    merged = {e.msgid: (e.previous_msgid or e.msgid if e.fuzzy else e.msgid) for e in
              polib.pofile(str(folder / "merged.po")) if e.msgstr}
    return merged, seconds, mbytes, cpu


def msgmerge_process(folder: Path) -> tuple[float, float, float]:
    """One ``msgmerge --compendium`` run on the files :func:`run_msgmerge` wrote:
    (wall seconds, peak MB, CPU seconds)."""
    command = ["/usr/bin/time", "-f", "%e %M %U %S", "msgmerge", "--quiet", "--previous", "--compendium",
               str(folder / "compendium.po"), str(folder / "empty.po"), str(folder / "queries.pot"),
               "-o", str(folder / "merged.po")]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    seconds, kbytes, user, system = done.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(kbytes) / 1024, float(user) + float(system)


def run_tt(units, queries, limit: int) -> tuple[list, float]:
    from translate.search.match import matcher
    from translate.storage.pypo import pofile, pounit
    store = pofile()
    for unit in units:
        po_unit = pounit(unit.source)
        po_unit.target = unit.target
        store.addunit(po_unit)
    match = matcher(store, max_candidates=1, min_similarity=int(MIN), max_length=500)
    started = time.perf_counter()
    found = [match.matches(q) for q in queries[:limit]]
    return [f[0].source if f else None for f in found], time.perf_counter() - started


def tmkit_process(tm_path: Path, queries, folder: Path, url: str = "") -> float:
    """Whole-process time of ``tmkit tm pretranslate`` on a 2,000-entry PO.

    With ``url`` the project's TM is that server (``TMKIT_TM_URL``), with the
    index cache the import built copied in, as SQLite's index is copied."""
    from toolkit.tm.backends import cache_dir
    project = folder / ("project-pg" if url else "project")
    shutil.rmtree(project, ignore_errors=True)
    (project / "po" / "de").mkdir(parents=True)
    (project / "tmkit.toml").write_text('[project]\nlanguages = ["de"]\n[tm]\npath = "tm.sqlite"\n')
    if url:
        shutil.copytree(folder / "pg-index", cache_dir(url, project))
    for suffix in ("", ".index") if not url else ():
        source = Path(str(tm_path) + suffix)
        if source.is_dir():
            shutil.copytree(source, project / f"tm.sqlite{suffix}")
        elif source.exists():
            shutil.copy(source, project / "tm.sqlite")
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "de"}
    for query in dict.fromkeys(queries):
        po.append(polib.POEntry(msgid=query, msgstr=""))
    po.save(str(project / "po" / "de" / "queries.po"))
    tmkit = Path(sys.executable).with_name("tmkit")
    # the copies made above are the benchmark's writes, not tmkit's: flush them now, or the
    # one file-system sync tmkit does before replacing the PO file would write them out
    os.sync()
    started = time.perf_counter()
    env = {k: v for k, v in os.environ.items() if k != "TMKIT_TM_URL"}
    if url:
        env["TMKIT_TM_URL"] = url
    done = subprocess.run([str(tmkit), "-C", str(project), "tm", "pretranslate"],
                          capture_output=True, text=True, check=True, env=env)
    elapsed = time.perf_counter() - started
    print(f"  tmkit tm pretranslate said: {done.stdout.strip()}")
    return elapsed


def _wipe(url: str) -> None:
    """Drop tmkit's tables from the scratch database (a fresh TM for the run)."""
    import psycopg
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("DROP TABLE IF EXISTS live_places, places, pairs, units, meta, schema_version CASCADE")


def postgres(args, units, queries, folder: Path, units_path: Path, qfile: Path, built: dict,
             indexed: dict, truth: list, tm_path: Path, sqlite_whole) -> None:
    """The same import, lookups, recall and pretranslate through the PostgreSQL backend."""
    from toolkit.tm.backends import redact_url
    server, url = None, args.url
    if url == "auto":
        from tests.pg_server import PGServer, find_bindir
        server = PGServer(find_bindir()).start()
        url = server.new_database()
    try:
        _wipe(url)
        print(f"--- PostgreSQL backend ({redact_url(url)}), same units and queries ---")
        index = folder / "pg-index"
        shutil.rmtree(index, ignore_errors=True)
        location = f"{url}|{index}"
        done = subprocess.run([sys.executable, __file__, "--import-process", location,
                               str(units_path)], capture_output=True, text=True, check=True)
        pg_built = json.loads(done.stdout)
        import psycopg
        with psycopg.connect(url) as db:
            size = db.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        print(f"PostgreSQL import: {pg_built['import_s']:.1f}s ({len(units) / pg_built['import_s']:,.0f} "
              f"units/s; SQLite {built['import_s']:.1f}s, ratio {pg_built['import_s'] / built['import_s']:.2f}); "
              f"index build from the server: {pg_built['index_s']:.1f}s (SQLite {built['index_s']:.1f}s); "
              f"database {size / 2**20:.0f} MB; import+index process peak {pg_built['peak_mb']:.0f} MB "
              f"(SQLite {built['peak_mb']:.0f} MB)")
        done = subprocess.run([sys.executable, __file__, "--lookup-process", location, str(qfile)],
                              capture_output=True, text=True, check=True)
        pg = json.loads(done.stdout)
        qps, sqlite_qps = len(queries) / pg["total_s"], len(queries) / indexed["total_s"]
        batch, sqlite_batch = len(queries) / pg["batch_s"], len(queries) / indexed["batch_s"]
        print(f"PostgreSQL lookup one by one: {qps:,.0f} q/s, median {pg['median_ms']:.2f} ms, p95 "
              f"{pg['p95_ms']:.2f} ms (SQLite {sqlite_qps:,.0f} q/s: PG/SQLite {qps / sqlite_qps:.2f}); "
              f"open+index load {pg['open_s']:.2f}s; lookup process peak {pg['peak_mb']:.0f} MB "
              f"(SQLite {indexed['peak_mb']:.0f} MB)")
        print(f"PostgreSQL batch lookup ({pg['workers']} processes): {batch:,.0f} q/s (SQLite "
              f"{sqlite_batch:,.0f} q/s: {batch / sqlite_batch:.2f}); same results as one by one: "
              f"{'yes' if pg['batch_same'] else 'NO'}; same results as SQLite: "
              f"{'yes' if pg['results'] == indexed['results'] else 'NO'}")
        rate, base = recall(truth, pg["results"][:len(truth)])
        print(f"PostgreSQL recall vs brute force at {MIN:.0f}%: {rate:.2f}% of {base} queries with a match")
        # interleaved, three each: the machine's load moves between runs
        sqlite_runs, pg_runs = [], []
        for _ in range(3):
            sqlite_runs.append(tmkit_process(tm_path, queries, folder))
            pg_runs.append(tmkit_process(tm_path, queries, folder, url))
        pg_whole, sqlite_whole = statistics.median(pg_runs), statistics.median(sqlite_runs)
        print(f"whole process, 2,000-entry PO, median of 3 interleaved: tmkit tm pretranslate via "
              f"PostgreSQL {pg_whole:.2f}s vs SQLite {sqlite_whole:.2f}s: {pg_whole / sqlite_whole:.2f}x "
              f"(runs: PG {', '.join(f'{r:.2f}' for r in pg_runs)}; SQLite "
              f"{', '.join(f'{r:.2f}' for r in sqlite_runs)})")
        if args.pg_trgm:
            pg_trgm(url, queries[:500], truth[:500])
    finally:
        if server is not None:
            server.stop()


def pg_trgm(url: str, queries: list, truth: list) -> None:
    """PostgreSQL's trigram index as the candidate finder: 64 most similar by pg_trgm, scored
    exactly as tmkit scores its own candidates (the alternative the issue asks to measure)."""
    import psycopg
    from toolkit.tm.match import match_texts
    from toolkit.tm.pgstore import PostgresStore
    store = PostgresStore(url)
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        started = time.perf_counter()
        db.execute("CREATE INDEX IF NOT EXISTS units_trgm ON units USING gin (source gin_trgm_ops)")
        build = time.perf_counter() - started
        db.execute("SET pg_trgm.similarity_threshold = 0.3")
        results, started = [], time.perf_counter()
        for query in queries:
            rows = db.execute("SELECT id, source FROM units WHERE source %% %s ORDER BY "
                              "similarity(source, %s) DESC LIMIT 64", (query, query)).fetchall()
            found = match_texts(store, normalize(query), [r[0] for r in rows],
                                [normalize(r[1]) for r in rows], MIN)
            results.append([found[0].score, found[0].unit.source] if found else None)
        elapsed = time.perf_counter() - started
    store.close()
    rate, base = recall(truth, results)
    print(f"pg_trgm (GIN, threshold 0.3, 64 candidates): {len(queries) / elapsed:,.1f} q/s over "
          f"{len(queries)} queries; recall {rate:.2f}% of {base}; index build {build:.1f}s")


def recall(truth: list, got: list) -> tuple[float, int]:
    """Share of queries with a brute-force match >= MIN that got the same best score/source."""
    wanted = [(t, g) for t, g in zip(truth, got) if t is not None]
    hits = sum(1 for t, g in wanted if g is not None and g == t)
    return (100.0 * hits / len(wanted) if wanted else 100.0), len(wanted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=0, help="top the TM up to this many units")
    parser.add_argument("--brute", type=int, default=QUERIES, help="queries for the brute force")
    parser.add_argument("--tt", type=int, default=QUERIES, help="queries for translate-toolkit")
    parser.add_argument("--skip-tt", action="store_true")
    parser.add_argument("--skip-msgmerge", action="store_true")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved whole-process runs of "
                        "msgmerge and tmkit tm pretranslate (medians compared; default 3)")
    parser.add_argument("--reuse", action="store_true", help="reuse the SQLite TM and brute-force "
                        "truth of an earlier --reuse run built from the same units (see above)")
    parser.add_argument("--url", default="", help="also measure the PostgreSQL backend: a scratch "
                        "database URL (tmkit's tables there are dropped), or 'auto' for a "
                        "throwaway local cluster")
    parser.add_argument("--pg-trgm", action="store_true",
                        help="with --url: also measure pg_trgm (GIN) as the candidate finder")
    parser.add_argument("--lookup-process", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--import-process", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.import_process:
        print(json.dumps(import_process(args.import_process[0], Path(args.import_process[1]))))
        return
    if args.lookup_process:
        print(json.dumps(lookup_process(args.lookup_process[0], Path(args.lookup_process[1]))))
        return

    done = subprocess.run(["git", "-C", str(HERE.parent), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True)
    print(f"commit {done.stdout.strip() or '?'}; load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} at the start")
    # tmkit's processes below load its bytecode as an installed tmkit does (pip compiles it
    # on install); an editable install under PYTHONDONTWRITEBYTECODE=1 would otherwise
    # compile every module from source in every process (~40 ms of each tmkit start here)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "toolkit")], check=True)
    print(f"byte-compiled toolkit/ (PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r})")
    units, queries = dataset(args.size or None)
    folder = WORK / f"tm-{len(units)}"
    tm_path = folder / "tm.sqlite"
    lines = [json.dumps([unit.source, unit.target], ensure_ascii=False) + "\n" for unit in units]
    digest = hashlib.sha256("".join(lines).encode()).hexdigest()
    stamp = folder / "built.json"
    reused = (args.reuse and not args.url and tm_path.exists() and stamp.exists()
              and json.loads(stamp.read_text()).get("units") == digest)
    if not reused:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    print(f"TM: {len(units)} units (en->de), {len(queries)} queries (half edited), min {MIN:.0f}%")

    units_path = folder / "units.jsonl"
    with open(units_path, "w") as handle:
        handle.writelines(lines)
    if reused:
        built = json.loads(stamp.read_text())["built"]
        print(f"reused the TM built from the same units (--reuse; {folder}); its import took "
              f"{built['import_s']:.1f}s, index build {built['index_s']:.1f}s")
    else:
        done = subprocess.run([sys.executable, __file__, "--import-process", str(tm_path),
                               str(units_path)], capture_output=True, text=True, check=True)
        built = json.loads(done.stdout)
        stamp.write_text(json.dumps({"units": digest, "built": built}))
        disk = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        print(f"import: {built['import_s']:.1f}s ({len(units) / built['import_s']:,.0f} units/s); "
              f"index build: {built['index_s']:.1f}s; on disk: {disk / 2**20:.0f} MB (SQLite + "
              f"index); import+index process peak {built['peak_mb']:.0f} MB")

    qfile = folder / "queries.json"
    qfile.write_text(json.dumps(queries))
    done = subprocess.run([sys.executable, __file__, "--lookup-process", str(tm_path), str(qfile)],
                          capture_output=True, text=True, check=True)
    indexed = json.loads(done.stdout)
    indexed_qps = len(queries) / indexed["total_s"]
    print(f"tmkit indexed lookup: {indexed_qps:,.0f} q/s, median {indexed['median_ms']:.2f} ms, "
          f"p95 {indexed['p95_ms']:.2f} ms; open+index load {indexed['open_s']:.2f}s; "
          f"lookup process peak {indexed['peak_mb']:.0f} MB")
    batch_qps = len(queries) / indexed["batch_s"]
    print(f"tmkit batch lookup (lookup_many on {indexed['workers']} processes: this one and forked "
          f"children, forks included): "
          f"{batch_qps:,.0f} q/s ({indexed['batch_s']:.2f}s for {len(queries)}); same results as "
          f"one by one: {'yes' if indexed['batch_same'] else 'NO'}")

    tm = TranslationMemory.open(tm_path)
    sample = queries[:args.brute]
    scoring = b"".join((HERE.parent / "toolkit" / "tm" / name).read_bytes() for name in ("match.py", "normalize.py"))
    key = hashlib.sha256(json.dumps([digest, sample, MIN]).encode() + scoring).hexdigest()[:16]
    cached = folder / f"truth-{key}.json"
    if reused and cached.exists():
        truth, brute_s = json.loads(cached.read_text())
        print(f"brute-force truth reused (--reuse: same units, queries and scoring code; {cached.name})")
    else:
        brute = BruteForceMatcher(tm.store, "en", "de")
        started = time.perf_counter()
        truth = []
        for query in sample:
            found = brute.lookup(query, MIN, 1)
            truth.append([found[0].score, found[0].unit.source] if found else None)
        brute_s = time.perf_counter() - started
        cached.write_text(json.dumps([truth, brute_s]))
    if not sample:
        print(f"benchmark process peak memory: {peak_mb():.0f} MB (brute force skipped)")
        return
    brute_qps = len(sample) / brute_s
    rate, base = recall(truth, indexed["results"][:len(sample)])
    print(f"brute-force reference: {brute_qps:,.1f} q/s over {len(sample)} queries; "
          f"indexed is {indexed_qps / brute_qps:,.1f}x faster")
    print(f"recall of indexed vs brute force at {MIN:.0f}%: {rate:.2f}% of {base} queries with a match")
    tm.close()

    truth_sources = [t[1] if t else None for t in truth]
    sqlite_whole = None
    if not args.skip_msgmerge:
        merged, mm_s, mm_mb, mm_cpu = run_msgmerge(units, queries, folder)
        got = [normalize(merged[q]) == normalize(t) if (q in merged and t) else None
               for q, t in zip(sample, truth_sources)]
        mm_recall = 100.0 * sum(1 for g in got if g) / max(1, sum(1 for t in truth_sources if t))
        print(f"msgmerge --compendium: {len(queries) / mm_s:,.0f} q/s ({mm_s:.1f}s for "
              f"{len(queries)}, peak {mm_mb:.0f} MB); tmkit indexed is "
              f"{indexed_qps / (len(queries) / mm_s):,.1f}x faster one by one, "
              f"{batch_qps / (len(queries) / mm_s):,.1f}x as a batch; msgmerge recall {mm_recall:.1f}%")
        # msgmerge runs its matching on every core (OpenMP), tmkit's lookups on one:
        # the same comparison per second of CPU time.
        print(f"  per CPU second: msgmerge {len(queries) / mm_cpu:,.0f} q/s ({mm_cpu:.1f}s CPU), tmkit "
              f"{len(queries) / indexed['cpu_s']:,.0f} q/s ({indexed['cpu_s']:.2f}s CPU): "
              f"{mm_cpu / indexed['cpu_s']:,.1f}x")
        # msgmerge's own time moves by a quarter between runs on this 2-core machine (5.1-6.4 s
        # in one hour): whole processes in interleaved rounds, the ratio of the medians
        mm_runs, runs = [(mm_s, mm_cpu)], []
        for round_ in range(args.rounds):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            wall = tmkit_process(tm_path, queries, folder)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            runs.append((wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)))
            if round_ + 1 < args.rounds:
                seconds, _, cpu = msgmerge_process(folder)
                mm_runs.append((seconds, cpu))
        whole = sqlite_whole = statistics.median(r[0] for r in runs)
        whole_cpu = statistics.median(r[1] for r in runs)
        mm_s, mm_cpu = statistics.median(r[0] for r in mm_runs), statistics.median(r[1] for r in mm_runs)
        print(f"whole process, 2,000-entry PO, medians of {len(runs)} interleaved rounds: tmkit tm "
              f"pretranslate {whole:.2f}s ({whole_cpu:.2f}s CPU, children included) vs msgmerge "
              f"--compendium {mm_s:.2f}s ({mm_cpu:.2f}s CPU): msgmerge / tmkit = {mm_s / whole:.1f}x wall, "
              f"{mm_cpu / whole_cpu:.1f}x CPU (issue 23's target >= 15x: "
              f"{'ok' if mm_s / whole >= 15 else 'MISSED'}; aim 20x)")
        print(f"  rounds (msgmerge s / tmkit s = ratio): " + "; ".join(
            f"{m[0]:.2f} / {t[0]:.2f} = {m[0] / t[0]:.1f}x" for m, t in zip(mm_runs, runs)))
        print(f"batch lookups: msgmerge / tmkit = {batch_qps / (len(queries) / mm_s):.1f}x (target >= 20x: "
              f"{'ok' if batch_qps / (len(queries) / mm_s) >= 20 else 'MISSED'})")
    if args.url:
        postgres(args, units, queries, folder, units_path, qfile, built, indexed, truth, tm_path,
                 sqlite_whole)
    units_path.unlink()
    if not args.skip_tt:
        found, tt_s = run_tt(units, queries, args.tt)
        tt_qps = len(found) / tt_s
        hits = sum(1 for f, t in zip(found, truth_sources) if t and f and normalize(f) == normalize(t))
        tt_recall = 100.0 * hits / max(1, sum(1 for t in truth_sources[:len(found)] if t))
        print(f"translate-toolkit matcher: {tt_qps:,.1f} q/s over {len(found)} queries; "
              f"tmkit indexed is {indexed_qps / tt_qps:,.0f}x faster; tt recall {tt_recall:.1f}%")
    print(f"benchmark process peak memory: {peak_mb():.0f} MB; load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} at the end")


if __name__ == "__main__":
    main()
