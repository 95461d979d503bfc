"""The candidate index: character trigrams with a length filter, in compact arrays.

Scanning a million sources per lookup is what makes ``msgmerge --compendium``
and translate-toolkit slow.  Here every source of a language pair is broken
into lower-cased character trigrams, hashed into ``2**bits`` buckets (more
for a bigger TM, see :func:`bucket_bits`), and stored as an inverted index in
CSR form: ``offsets`` (one per bucket) and ``postings`` (unit positions).
Units are numbered in order of source length, so within a posting list the
length filter (a similarity of ``t`` needs ``t*n <= len <= n/t``) is a binary
search, not a filter.  The normalised sources are kept in the same file
(``blob``), so scoring a candidate needs no database query (and only the
candidates' sources are decoded).

A lookup collects, for the units in the length window, the query's trigrams
they share (of the trigrams found in more than ``COMMON`` of the TM, the most
common are skipped as long as the rarest ``RAREST`` of the query's remain, and of
a long query's only a quarter as long as ``RAREST_ENOUGH`` remain: they cost most
and say least), keeps the ``CANDIDATES`` units sharing the most (half as many
for a query of ``LONG_QUERY`` characters or more), plus up to ``TIE_ROOM`` times
as many tied at the cut-off (closest in length first),
and scores only those (:func:`toolkit.tm.match.match_many`).  The q-gram count
bound cannot prove completeness at 75% similarity (an edit distance
k <= max(n, m)/4 guarantees only D - 3k of the query's D trigrams: a quarter
for equal lengths, none at the long end of the window), so it prunes nothing
the ranking keeps and the cut-off is a heuristic; ``benchmarks/tm_bench.py``
measures its recall against the brute-force reference and the tests compare
the two on random pairs.

The arrays are built with numpy in chunks and saved next to the TM in one
file written atomically, tagged with the TM's identity and the pair's
generation; units added since the last build are scored directly (a small
"delta"), and the file is rebuilt once the delta grows past ``DELTA_LIMIT``.
"""

from __future__ import annotations

import functools
import json
import mmap
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional, Sequence


def _import_numpy():
    """numpy, without the BLAS thread pool it would start and tmkit never uses.

    numpy's wheels load OpenBLAS, which starts one thread per core when it is
    loaded unless ``OPENBLAS_NUM_THREADS`` says otherwise: ~55 ms of CPU in every
    ``tmkit tm pretranslate`` (measured on a busy 2-core machine: ``python -c "import numpy"`` takes
    0.18 s of CPU, 0.125 s with the variable at 1), and threads that a forked
    lookup worker would not have.  No tmkit code does linear algebra.  The
    variable is set only while numpy loads (OpenBLAS reads it then), and only
    if the user has not set it; subprocesses never see it.
    """
    variable, ours = "OPENBLAS_NUM_THREADS", "OPENBLAS_NUM_THREADS" not in os.environ
    if ours:
        os.environ[variable] = "1"
    try:
        import numpy
    finally:
        if ours:
            os.environ.pop(variable, None)
    return numpy


np = _import_numpy()
"".encode("utf-32-le")   # the codec _grams uses, loaded once here: forked lookup workers inherit it

from toolkit.errors import TMError, TmkitWarning
from toolkit.project.fsutil import atomic_write_bytes, inside
from toolkit.tm.match import Match, match_many
from toolkit.tm.normalize import normalize
from toolkit.tm.store import Checkpoint, TMStore

MAX_BUCKET_BITS = 22                 # 4M buckets for a million units
CANDIDATES = 48                      # units scored per lookup (before ties)...
LONG_QUERY = 30                      # ...and half as many for a query this long (characters)
TIE_ROOM = 2                        # units tied at the cut-off: up to 2 x CANDIDATES in all
COMMON = 0.01                       # trigrams in more than 1% of units are skipped...
RAREST = (1, 2)                     # ...as long as this share (half) of the query's rarest remain,
RAREST_LONG = (1, 4)                # ...or of a long query's this share (a quarter)...
RAREST_ENOUGH = 16                  # ...as long as at least this many remain
DELTA_LIMIT = 20_000                # units added since the build scored directly
CHUNK = 65_536                      # texts hashed per numpy batch while building
FEW_LISTS = 64                      # posting lists searched one by one rather than all at once
FORMAT = "tmkit-trigram-index/3"
_MAGIC = b"TMKITIDX"
_M1, _M2, _M3 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(0x165667B19E3779F9)


def bucket_bits(units: int) -> int:
    """Enough buckets for few collisions, without a 32 MB table for a small TM."""
    return max(12, min(MAX_BUCKET_BITS, (max(units, 1) * 4).bit_length()))


def _grams(texts: list[str], bits: int) -> tuple[np.ndarray, np.ndarray]:
    """Distinct trigram buckets of each text: ``(text numbers, buckets)`` sorted by both.

    Texts are joined with NUL separators and read as UTF-32 code points, so the
    hashing is a handful of vectorised operations however many texts there are.
    """
    if not texts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    lowered = [t.lower() for t in texts]   # may change the length ("İ" -> "i̇")
    padded = "\0".join(f" {t} " for t in lowered) + "\0\0"
    codes = np.frombuffer(padded.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.fromiter((len(t) + 3 for t in lowered), dtype=np.int64, count=len(texts))
    owner = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    a, b, c = codes[:-2], codes[1:-1], codes[2:]
    valid = (a != 0) & (b != 0) & (c != 0)
    with np.errstate(over="ignore"):
        hashed = (a * _M1) ^ (b * _M2) ^ (c * _M3)
    buckets = (hashed[valid] >> np.uint64(64 - bits)).astype(np.int64)
    keys = (owner[: len(valid)][valid] << bits) | buckets
    keys.sort()   # sort + neighbour test: numpy 2's hash-based unique is several times slower
    keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
    return keys >> bits, keys & ((1 << bits) - 1)


_MASK = (1 << 64) - 1
_P1, _P2, _P3 = int(_M1), int(_M2), int(_M3)


def query_grams(text: str, bits: int) -> list[int]:
    """The trigram buckets of one text, sorted, as :func:`_grams` computes them, without
    numpy's per-call overhead (which dominates for a single short text)."""
    codes = [ord(c) for c in f" {text.lower()} "]
    shift = 64 - bits
    return sorted({((((a * _P1) & _MASK) ^ ((b * _P2) & _MASK) ^ ((c * _P3) & _MASK)) >> shift)
                   for a, b, c in zip(codes, codes[1:], codes[2:])})


def _windows(values: np.ndarray, starts: np.ndarray, ends: np.ndarray, lows: np.ndarray,
             highs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each i, the part of ``values[starts[i]:ends[i]]`` (sorted) that lies in
    ``[lows[i], highs[i])``, as absolute ``(first, end)`` indices.

    Many lists (a chunk of queries): binary searches all at once, a few numpy
    operations per halving instead of a ``searchsorted`` call (and its overhead)
    per list.  Few lists (one query): a ``searchsorted`` each costs less.
    """
    if len(starts) <= FEW_LISTS:
        windows = np.stack((lows, highs), axis=1).astype(values.dtype)
        found = [a + values[a:b].searchsorted(window)
                 for a, b, window in zip(starts.tolist(), ends.tolist(), windows)]
        both = np.array(found, dtype=np.int64).reshape(-1, 2)
        return both[:, 0], both[:, 1]
    lo, hi = np.concatenate((starts, starts)), np.concatenate((ends, ends))
    targets = np.concatenate((lows, highs)).astype(values.dtype)
    last = len(values) - 1
    while True:
        active = np.flatnonzero(lo < hi)
        if not len(active):
            return lo[:len(starts)], lo[len(starts):]
        a_lo, a_hi = lo[active], hi[active]
        mid = (a_lo + a_hi) >> 1
        right = values[np.minimum(mid, last)] < targets[active]
        lo[active] = np.where(right, mid + 1, a_lo)
        hi[active] = np.where(right, a_hi, mid)


def _rarest_kept(trigrams: np.ndarray) -> np.ndarray:
    """How many of each query's rarest trigrams are read however common they are.

    Half of a short query's; of a long one's a quarter, but at least
    ``RAREST_ENOUGH``.  A long query's rarest quarter already singles out the
    units that share most of it, and its common trigrams were most of the
    hits to count: at 300k units this took about a tenth off a batch of
    2,000 lookups (0.356 -> 0.318 s in one process), recall against the
    brute force unchanged at 300k and a million units
    (``benchmarks/tm_bench.py``).  A short query
    has few trigrams to tell its near matches apart (misses at 16-30
    characters when a third of every query's were read), so it keeps half.
    """
    half = -(-trigrams * RAREST[0] // RAREST[1])
    share = -(-trigrams * RAREST_LONG[0] // RAREST_LONG[1])
    return np.maximum(np.minimum(half, RAREST_ENOUGH), share)


@dataclass
class IndexData:
    """The arrays of one built index (see module docstring)."""

    ids: np.ndarray        # int64: unit id at each position (positions sorted by length)
    lengths: np.ndarray    # int32: length of the normalised source at each position
    offsets: np.ndarray    # int64: postings of bucket b are postings[offsets[b]:offsets[b+1]]
    postings: np.ndarray   # int32: positions, ascending within a bucket
    text_offsets: np.ndarray  # int64: normalised source at p is blob[text_offsets[p]:...[p+1]]
    blob: np.ndarray       # uint8: the normalised sources, UTF-8, in position order
    max_id: int            # generation the index was built for
    units: int
    bits: int              # log2 of the number of buckets
    tm_id: str = ""        # identity of the TM it indexes
    checksum: int = 0      # the pair's checksum at max_id (toolkit.tm.store.Checkpoint)
    text: object = b""     # the same sources as a bytes-like (slices are bytes): blob is text[text_base:]
    text_base: int = 0


def build(items: Iterable[tuple[int, str]], max_id: int, units: int) -> IndexData:
    """Build the index of ``(id, source)`` items (sources are normalised here)."""
    pairs = [(len(n), uid, n) for uid, n in ((uid, normalize(s)) for uid, s in items)]
    pairs.sort(key=lambda p: (p[0], p[1]))
    ids = np.fromiter((p[1] for p in pairs), dtype=np.int64, count=len(pairs))
    lengths = np.fromiter((p[0] for p in pairs), dtype=np.int32, count=len(pairs))
    texts = [p[2] for p in pairs]
    del pairs
    encoded = [t.encode("utf-8") for t in texts]
    text_offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)),
              out=text_offsets[1:])
    text = b"".join(encoded)
    blob = np.frombuffer(text, dtype=np.uint8)
    del encoded
    bits = bucket_bits(len(texts))
    chunks = []
    counts = np.zeros(1 << bits, dtype=np.int64)
    for start in range(0, len(texts), CHUNK):
        owners, buckets = _grams(texts[start:start + CHUNK], bits)
        order = np.argsort(buckets, kind="stable")       # by bucket, positions ascending
        owners = (owners[order] + start).astype(np.int32)
        buckets = buckets[order].astype(np.int32)
        counts += np.bincount(buckets, minlength=1 << bits)
        chunks.append((owners, buckets))
    offsets = np.zeros((1 << bits) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    postings = np.empty(int(offsets[-1]), dtype=np.int32)
    fill = offsets[:-1].copy()
    for owners, buckets in chunks:                       # chunks in position order
        first = np.searchsorted(buckets, buckets, side="left")
        postings[fill[buckets] + (np.arange(len(buckets)) - first)] = owners
        fill += np.bincount(buckets, minlength=1 << bits)
    return IndexData(ids, lengths, offsets, postings, text_offsets, blob, max_id, units, bits,
                     text=text)


def save(path: Path, data: IndexData) -> None:
    """Write the index as one file (header + raw arrays), atomically."""
    arrays = {"ids": data.ids, "lengths": data.lengths, "offsets": data.offsets,
              "postings": data.postings, "text_offsets": data.text_offsets, "blob": data.blob}
    layout, position = {}, 0
    for name, array in arrays.items():
        layout[name] = [position, str(array.dtype), int(array.size)]
        position += array.nbytes
    header = json.dumps({"format": FORMAT, "tm": data.tm_id, "bucket_bits": data.bits, "max_id": data.max_id,
                         "units": data.units, "checksum": data.checksum, "arrays": layout}).encode()
    header += b" " * (-(len(header) + 16) % 16)
    blob = bytearray(_MAGIC + len(header).to_bytes(8, "little") + header)
    for array in arrays.values():
        blob += memoryview(np.ascontiguousarray(array)).cast("B")
    atomic_write_bytes(path, blob)


def load(path: Path) -> Optional[IndexData]:
    """Map a saved index into memory, or None if missing or of another format."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
            if head[:8] != _MAGIC:
                return None
            header = json.loads(handle.read(int.from_bytes(head[8:], "little")))
            base = 16 + int.from_bytes(head[8:], "little")
    except (OSError, ValueError):
        return None
    if header.get("format") != FORMAT:
        return None
    arrays = {}
    try:
        with open(path, "rb") as handle:     # one read-only mapping; the arrays are views of it
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        for name, (offset, dtype, size) in header["arrays"].items():
            arrays[name] = np.frombuffer(mapped, dtype=dtype, count=size, offset=base + offset) \
                if size else np.zeros(0, dtype)
    except (OSError, ValueError, TypeError):
        return None
    if set(arrays) != {"ids", "lengths", "offsets", "postings", "text_offsets", "blob"}:
        return None
    return IndexData(arrays["ids"], arrays["lengths"], arrays["offsets"], arrays["postings"],
                     arrays["text_offsets"], arrays["blob"], header["max_id"], header["units"],
                     header["bucket_bits"], header.get("tm", ""), int(header.get("checksum", -1)),
                     text=mapped,
                     text_base=base + header["arrays"]["blob"][0])


@functools.lru_cache(maxsize=None)
def keep_freed_memory() -> bool:
    """Ask glibc to keep freed memory instead of handing it back to the kernel (once).

    A lookup allocates and frees numpy arrays of 50 KB to 1 MB (its hits, the
    runs in them); by default glibc returns such memory at once and the next
    lookup faults it in again, page by page (measured when lookups counted
    over their whole length window: about 35,000 page faults and a tenth of
    the CPU time for 2,000 lookups at 300k units; since they sort their
    hits, 3 %).  Arrays up to 4 MB then come from the heap, and up to 64 MB of free heap stays with the
    process (peak memory is unchanged).  Elsewhere (no glibc) nothing changes.
    """
    try:
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(_M_TRIM_THRESHOLD, 64 << 20) and mallopt(_M_MMAP_THRESHOLD, 4 << 20))


_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3     # glibc's mallopt parameters
_MADV_POPULATE_READ = 22                           # Linux 5.14+; Python's mmap module lacks the name


def map_in(data: IndexData) -> None:
    """Map every page of a saved index into this process at once, before a batch of lookups.

    A lookup touches its posting lists and sources page by page; the first
    thousand lookups of a fresh process took ~60 % longer than the next
    (page faults: ~2,500 for 125 lookups at 300k units), and a forked worker
    pays them again (a child does not inherit the parent's mappings of a
    shared file).  ``MADV_POPULATE_READ`` maps the pages already in the page
    cache in one call (4 ms for the 90 MB index of 300k units) and reads the
    others ahead.  Only for batches: one lookup touches a few hundred pages.
    Elsewhere (another kernel, an index built in memory) nothing happens.
    """
    mapped = data.text
    if isinstance(mapped, mmap.mmap):
        try:
            mapped.madvise(_MADV_POPULATE_READ)
        except (OSError, ValueError, AttributeError):
            pass


class IndexedMatcher:
    """Fuzzy lookups for one language pair through the trigram index.

    The saved index is a cache of the server's units, and proves it before it
    is used: it is used only if the TM still holds, at the index's highest
    id, the checksum the index was built with (:meth:`TMStore.holds`); a TM
    restored from an older backup and written to again (ids given to other
    units) fails that, and the index is rebuilt with a warning.  Every match
    is checked once more against the unit the server returns for its id
    (:func:`toolkit.tm.match.match_many`): a cached source that is not the
    unit's drops the match, rebuilds the index and answers again.
    """

    def __init__(self, store: TMStore, source_lang: str, target_lang: str,
                 index_dir: Optional[Path] = None, candidates: int = CANDIDATES) -> None:
        self.store = store
        self.source_lang, self.target_lang = source_lang, target_lang
        self.candidates = candidates
        # the tags come from the TM (a TMX file, an option): the name must stay in index_dir
        self.path = inside(index_dir, f"{source_lang}_{target_lang}.idx") if index_dir else None
        keep_freed_memory()
        self._open()

    def _open(self, stale: str = "") -> None:
        """Load the saved index if it still describes the TM, else build (and save) it."""
        store, sl, tl, path = self.store, self.source_lang, self.target_lang, self.path
        now = store.checkpoint(sl, tl)
        data = load(path) if path and path.exists() and not stale else None
        identity = store.identity()
        if data is not None and data.tm_id == identity:
            if data.max_id > now.max_id or not store.holds(sl, tl, Checkpoint(data.max_id, data.units,
                                                                                 data.checksum)):
                stale = (f"the TM no longer holds the units it was built from (highest id "
                         f"{data.max_id}, now {now.max_id}): restored from an older backup?")
                data = None
        if data is not None and (data.tm_id != identity or now.units - data.units > DELTA_LIMIT):
            data = None
        if data is None:
            # units another process adds meanwhile (id > max_id) belong to the delta
            data = build(((uid, text) for uid, text in store.sources(sl, tl) if uid <= now.max_id),
                         now.max_id, now.units)
            data.tm_id, data.checksum = identity, now.checksum
            if path is not None:
                try:
                    save(path, data)
                except OSError as exc:
                    raise TMError(f"cannot write the TM index: {exc.strerror}", path) from None
            if stale:
                warnings.warn(TmkitWarning(f"{path or 'TM index'}: the local TM index did not "
                                           f"match the TM ({stale}); rebuilt it"))
        self.data = data
        # Only the candidates' normalised sources are decoded, per lookup (~0.1 µs
        # each, sliced from the memory-mapped file as bytes): decoding all of them
        # when the matcher opens cost 0.3 s at 300k units (1 s and ~170 MB at a
        # million) before the first lookup.
        # Units added since the index was built: few, scored directly.
        self.delta_ids: list[int] = []
        self.delta_norms: list[str] = []
        for uid, source in store.sources(sl, tl, data.max_id):
            self.delta_ids.append(uid)
            self.delta_norms.append(normalize(source))

    def candidate_positions(self, query_norm: str, min_score: float) -> np.ndarray:
        """Positions of the units most likely to score ``min_score`` or more."""
        return self.candidate_lists([query_norm], min_score)[0]

    def candidate_lists(self, queries: Sequence[str], min_score: float) -> list[np.ndarray]:
        """:meth:`candidate_positions` of many normalised queries, sharing the numpy work.

        The length windows, the trigram lists to read (very common trigrams, in
        more than ``COMMON`` of the TM, say little and cost most: the most common
        are skipped as long as the rarest ``RAREST`` (half) of the query's trigrams
        remain, see :func:`_rarest_kept`), the window inside each posting list
        (one vectorised binary search for all of them) are computed for all
        queries at once; gathering the hits and counting
        shared trigrams (:meth:`_top`) run per query, on its own hits (one query's
        stay in the CPU cache, a chunk's would not).
        """
        data, found = self.data, [np.zeros(0, np.int64) for _ in queries]
        t = max(min_score, 1.0) / 100.0
        sizes = np.fromiter(map(len, queries), dtype=np.float64, count=len(queries))
        # keys of the arrays' own type: searchsorted would otherwise convert the whole array
        kind, limit = data.lengths.dtype, np.iinfo(data.lengths.dtype).max
        lows = data.lengths.searchsorted(np.minimum(np.ceil(sizes * t - 1e-9), limit).astype(kind))
        highs = data.lengths.searchsorted(np.minimum(np.floor(sizes / t + 1e-9) + 1, limit).astype(kind))
        active = [i for i in range(len(queries)) if highs[i] > lows[i]]
        if not active:
            return found
        texts = [queries[i] for i in active]
        if any("\0" in text for text in texts):       # _grams drops trigrams with a NUL
            grams = [query_grams(text, data.bits) for text in texts]
            per_query = np.fromiter(map(len, grams), dtype=np.int64, count=len(grams))
            owner = np.repeat(np.arange(len(active)), per_query)   # query of each trigram
            buckets = np.fromiter((b for g in grams for b in g), dtype=np.int64,
                                  count=int(per_query.sum()))
        else:                                          # the same buckets, hashed all at once
            owner, buckets = _grams(texts, data.bits)
            per_query = np.bincount(owner, minlength=len(active))
        starts, ends = data.offsets[buckets], data.offsets[buckets + 1]
        # rank each query's trigrams by list size (stable: ties in bucket order)
        order = np.lexsort((ends - starts, owner))
        first = np.concatenate(([0], np.cumsum(per_query)[:-1]))
        rank = np.arange(len(order)) - np.repeat(first, per_query)
        keep = np.maximum(3, _rarest_kept(per_query))[owner[order]]
        kept = order[((ends - starts)[order] <= COMMON * len(data.ids)) | (rank < keep)]
        kept.sort()                                                  # back in query order
        owner, starts, ends = owner[kept], starts[kept], ends[kept]
        window = np.asarray(active)[owner]
        first_hit, end_hit = _windows(data.postings, starts, ends, lows[window], highs[window])
        first_hit, end_hit = first_hit.tolist(), end_hit.tolist()
        postings, lengths = data.postings, data.lengths
        cuts = np.searchsorted(owner, np.arange(len(active) + 1)).tolist()
        for number, i in enumerate(active):
            slices = [postings[a:b] for a, b in zip(first_hit[cuts[number]:cuts[number + 1]],
                                                    end_hit[cuts[number]:cuts[number + 1]]) if b > a]
            if slices:
                n = len(queries[i])
                hits = np.concatenate(slices)     # int32 positions
                hits.sort()                       # in place: our own array
                found[i] = self._top(hits, lengths, n, len(slices),
                                     self.candidates if n < LONG_QUERY else max(1, self.candidates // 2))
        return found

    def _top(self, hits: np.ndarray, lengths: np.ndarray, n: int, lists: int, k: int) -> np.ndarray:
        """The ``k`` positions among ``hits`` with the most shared trigrams.

        ``hits`` holds one entry per (unit, shared trigram), from ``lists``
        posting lists, sorted: a unit's count is the length of its run.
        Counting by sorting int32 positions costs in proportion to the hits,
        not to the length window: ``bincount`` over the window (~100k units
        at 300k) spent most of a lookup zeroing its counts and casting the hits
        to int64, and sorting took a quarter off a batch of 2,000 lookups at a
        million units, a tenth at 300k, with the same candidates in the same
        order.  Units tied just below the cut-off fill the remaining room,
        those closest to the query's length ``n`` (``lengths``: of every
        position) first.  A long query asks for fewer (``LONG_QUERY``): its
        many trigrams set its near matches apart from the rest, and decoding
        and scoring a candidate cost in proportion to its length (another
        tenth at 300k units, recall against the brute force unchanged at 300k
        and a million units, ``benchmarks/tm_bench.py``).
        """
        first = np.empty(len(hits), dtype=bool)       # where each unit's run starts
        first[0] = True
        np.not_equal(hits[1:], hits[:-1], out=first[1:])
        starts = np.flatnonzero(first)
        units = hits.take(starts)
        counts = np.empty(len(starts), dtype=np.uint16 if lists < 1 << 16 else np.int64)
        np.subtract(starts[1:], starts[:-1], out=counts[:-1], casting="unsafe")
        counts[-1] = len(hits) - starts[-1]
        histogram = np.sort(counts)
        top = int(histogram[-1])
        # reaching[c - 1]: the units with a count of c or more
        reaching = (len(histogram) - histogram.searchsorted(np.arange(1, top + 1, dtype=counts.dtype))).tolist()
        if reaching[top - 1] > k:          # more than k units share the highest count
            return units[counts == top][:k]
        threshold = next(c for c in range(1, top + 1) if reaching[c - 1] <= k)
        best = units[counts >= threshold]
        if threshold > 1 and len(best) < k:
            extra = units[counts == threshold - 1]
            room = TIE_ROOM * k - len(best)
            if len(extra) > room:
                extra = extra[np.argsort(np.abs(lengths[extra] - n), kind="stable")[:room]]
            best = np.concatenate([best, extra])
        return best

    def sources_at(self, positions: np.ndarray) -> list[str]:
        """The normalised sources at ``positions``, sliced from the mapped file and decoded."""
        data = self.data
        starts = (data.text_offsets[positions] + data.text_base).tolist()
        ends = (data.text_offsets[positions + 1] + data.text_base).tolist()
        text = data.text
        return [text[a:b].decode("utf-8") for a, b in zip(starts, ends)]

    def lookup(self, text: str, min_score: float = 75.0, limit: int = 5) -> list[Match]:
        """The ``limit`` best matches at or above ``min_score``, best first."""
        return self.lookup_many([text], min_score, limit)[0]

    def lookup_many(self, texts: Sequence[str], min_score: float = 75.0,
                    limit: int = 5) -> list[list[Match]]:
        """:meth:`lookup` of each text; the numpy work, decoding and unit fetching are shared."""
        queries = [normalize(t) for t in texts]
        stale: set[int] = set()
        answers = self._lookup(queries, min_score, limit, stale)
        if stale:
            self._open(f"{len(stale)} cached source(s) were not the server's units of those ids")
            answers = self._lookup(queries, min_score, limit, set())
        return answers

    def _lookup(self, queries: list[str], min_score: float, limit: int,
                stale: set[int]) -> list[list[Match]]:
        found = self.candidate_lists(queries, min_score)
        cuts = np.cumsum([0] + [len(f) for f in found]).tolist()
        everything = np.concatenate(found).astype(np.intp) if found else np.zeros(0, np.intp)
        decoded = self.sources_at(everything)        # texts rarely share candidates: no dedup
        ids_of = self.data.ids[everything].tolist()
        ids = [ids_of[a:b] + self.delta_ids for a, b in zip(cuts, cuts[1:])]
        norms = [decoded[a:b] + self.delta_norms for a, b in zip(cuts, cuts[1:])]
        return [m[:limit] for m in match_many(self.store, queries, ids, norms, min_score, stale)]
