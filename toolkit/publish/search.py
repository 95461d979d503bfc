"""The site's search index: one Pagefind run per language, in chunks of bounded memory.

Pagefind keeps every indexed word of a run in memory until it writes the
index: about 0.26 MiB per page of the seed article (4.2 KB of article
markup, ~600 words), ~20 MiB plus 62 bytes per byte of article markup,
whatever the page's navigation or style (those are not indexed:
``data-pagefind-body`` is on the ``<article>`` only).  One run over the
whole site of 4,000 articles x 6 languages took 4.3 GB.  So each language is
indexed by itself (a patient on the Spanish home searches Spanish pages),
its pages cut into chunks of at most :data:`CHUNK_BYTES` of article markup
(a run of ~300 MiB), each chunk its own Pagefind bundle:

    exports/pagefind/<lang>/1/, 2/, ...      one bundle per chunk
    exports/pagefind/<lang>/tmkit-search.json  their pages (and digests), for the next build

The language home lists its bundles (``data-bundles`` on the search box);
``search.js`` opens the first and merges the others with Pagefind's
documented ``mergeIndex``, so one search box finds the pages of every chunk.

A language is indexed again only when its published pages changed (the
build manifest's digest of each HTML page, :func:`language_key`), and then
only the chunks holding a changed, removed or new page (:func:`plan_language`;
the others' bundles are hard-linked into the new index).  The new bundles are
written beside the old ones and swapped in, so a failed run leaves the
previous index whole.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

SEARCH_DIR = "pagefind"
STATE_NAME = "tmkit-search.json"
#: Bytes of article markup (``data-pagefind-body`` .. ``</article>``) per Pagefind run:
#: ~20 MiB + 62 bytes a byte, so ~300 MiB (about 1,000 pages of the seed article).
CHUNK_BYTES = 4_500_000
BODY_START, BODY_END = b"data-pagefind-body", b"</article>"


@dataclass
class Chunk:
    """The pages of one Pagefind run (slug -> the manifest's digest of its HTML), their article
    bytes, and the bundle of the last build that holds exactly them (``None``: to be built)."""

    pages: dict[str, str]
    size: int
    reuse: Optional[int] = None


@dataclass
class LanguageIndex:
    """One language's search bundles, in order (bundle ``n`` is ``chunks[n - 1]``)."""

    lang: str
    key: str
    chunks: list[Chunk] = field(default_factory=list)
    stale: bool = True

    def bundles(self, prefix: str = "../") -> list[str]:
        """The bundles' addresses from a language home (``../pagefind/es/1/``...)."""
        return [f"{prefix}{SEARCH_DIR}/{self.lang}/{n}/" for n in range(1, len(self.chunks) + 1)]

    def state(self, binary: Path) -> dict:
        """What ``tmkit-search.json`` keeps of the index, for the next build's plan."""
        return {"key": self.key, "made": _made(binary),
                "chunks": [{"size": c.size, "pages": c.pages} for c in self.chunks]}


def pagefind() -> Optional[Path]:
    """The Pagefind binary: the extended one when its wheel is installed, else ``pagefind-bin``'s; or ``None``.

    The extended binary (``pagefind-bin-extended``, 52 MB against 5) also
    splits Chinese and Japanese text into words; without it a run of Chinese
    text between punctuation is indexed as one word.
    """
    for module in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            return __import__(module).get_executable()
        except (ImportError, FileNotFoundError, AttributeError):
            continue
    return None


def _made(binary: Path) -> str:
    """The binary and chunk size an index was made with: another one builds every chunk again."""
    return f"{binary.name} {CHUNK_BYTES}"


def language_key(lang: str, pages: list[tuple[str, str]], binary: Path) -> str:
    """Digest of what a language's index is built from: its pages' (slug, HTML digest), the binary, the chunk size."""
    h = hashlib.sha256(f"{lang}\0{binary.name}\0{CHUNK_BYTES}\n".encode())
    for slug, digest in pages:
        h.update(f"{slug}\0{digest}\n".encode())
    return h.hexdigest()


def article_bytes(path: Path) -> int:
    """Bytes of the page Pagefind indexes (its ``data-pagefind-body`` element), the file's size without one."""
    try:
        data = path.read_bytes()
    except OSError:
        return 0
    start = data.find(BODY_START)
    if start < 0:
        return len(data)
    end = data.find(BODY_END, start)
    return (end if end >= 0 else len(data)) - start


def chunk(sizes: list[tuple[str, int]], budget: int = 0) -> list[list[str]]:
    """Consecutive runs of slugs, each at most ``budget`` bytes (a larger page alone)."""
    budget = budget or CHUNK_BYTES
    chunks: list[list[str]] = []
    total = 0
    for slug, size in sizes:
        if not chunks or (total + size > budget and chunks[-1]):
            chunks.append([])
            total = 0
        chunks[-1].append(slug)
        total += size
    return chunks


def _last_state(folder: Path, binary: Path) -> tuple[str, list[Chunk]]:
    """The last index's key and chunks (each naming its bundle to reuse), or ``("", [])`` when
    there is none or another binary or chunk size made it; a missing bundle makes the key
    unusable and its chunk is left out (built again)."""
    try:
        state = json.loads((folder / STATE_NAME).read_text("utf-8"))
        if state["made"] != _made(binary):
            return "", []
        chunks = [Chunk({str(k): str(v) for k, v in c["pages"].items()}, int(c["size"]), n)
                  for n, c in enumerate(state["chunks"], 1)]
        key = str(state["key"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return "", []
    present = [c for c in chunks if (folder / str(c.reuse) / "pagefind-entry.json").is_file()]
    return (key if len(present) == len(chunks) else ""), present


def plan_language(output: Path, lang: str, pages: list[tuple[str, str]], binary: Path) -> LanguageIndex:
    """The language's chunks: the last build's where their pages are the same, so a changed
    page re-indexes its own chunk only.

    A chunk with a changed or removed page is built again (split when it
    grew over :data:`CHUNK_BYTES`); new pages go into the last chunk while it
    has room, else into new ones.  Only the pages of chunks to build are read
    (for their size).
    """
    key = language_key(lang, pages, binary)
    last_key, last = _last_state(output / SEARCH_DIR / lang, binary)
    if last and last_key == key:
        return LanguageIndex(lang, key, last, stale=False)
    current = dict(pages)

    def sized(slugs) -> list[tuple[str, int]]:
        return [(slug, article_bytes(output / lang / f"{slug}.html")) for slug in slugs]

    chunks: list[Chunk] = []
    placed: set[str] = set()
    for old in last:
        kept = {slug: current[slug] for slug in old.pages if slug in current}
        placed.update(kept)
        if kept == old.pages:
            chunks.append(old)
        elif kept:
            chunks += _chunks(sized(kept), current)
    new = sized(slug for slug, _ in pages if slug not in placed)
    if new and chunks and (chunks[-1].reuse is None or chunks[-1].size + new[0][1] <= CHUNK_BYTES):
        new = sized(chunks.pop().pages) + new      # the last chunk takes them while it has room
    chunks += _chunks(new, current)
    return LanguageIndex(lang, key, chunks)


def _chunks(sizes: list[tuple[str, int]], current: dict[str, str]) -> list[Chunk]:
    """New chunks (to build) of these pages."""
    size = dict(sizes)
    return [Chunk({slug: current[slug] for slug in run}, sum(size[slug] for slug in run))
            for run in chunk(sizes)]


def build_language(output: Path, index: LanguageIndex, binary: Optional[Path] = None) -> str:
    """Run Pagefind once per chunk of ``index`` into ``output/pagefind/<lang>``; '' or the problem.

    Each chunk's pages are hard links (copies where links fail) in a
    staging site, so Pagefind reads exactly them and names them
    ``/<lang>/<slug>.html`` as on the real site.
    """
    binary = binary or pagefind()
    if binary is None:
        return "pagefind-bin is not installed (pip install pagefind-bin)"
    lang = index.lang
    fresh, old, stage = (output / f".{SEARCH_DIR}-{part}" / lang for part in ("new", "old", "pages"))
    for folder in (fresh, old, stage):
        shutil.rmtree(folder, ignore_errors=True)
    try:
        target = output / SEARCH_DIR / lang
        fresh.mkdir(parents=True)
        for number, part in enumerate(index.chunks, 1):
            if part.reuse is not None:      # the same pages as a bundle of the last index: linked
                shutil.copytree(target / str(part.reuse), fresh / str(number), copy_function=_link)
                continue
            problem = _run(binary, output, lang, list(part.pages), stage, fresh / str(number))
            if problem:
                return problem
        (fresh / STATE_NAME).write_text(json.dumps(index.state(binary), separators=(",", ":")), "utf-8")
        target.parent.mkdir(exist_ok=True)
        if target.exists():
            old.parent.mkdir(exist_ok=True)
            target.rename(old)
        fresh.rename(target)
    finally:
        for folder in (fresh, old, stage):
            shutil.rmtree(folder, ignore_errors=True)
        for part in ("new", "old", "pages"):
            try:
                (output / f".{SEARCH_DIR}-{part}").rmdir()
            except OSError:
                pass
    index.stale = False
    return ""


def _run(binary: Path, output: Path, lang: str, slugs: list[str], stage: Path, bundle: Path) -> str:
    shutil.rmtree(stage, ignore_errors=True)
    (stage / lang).mkdir(parents=True)
    for slug in slugs:
        source, link = output / lang / f"{slug}.html", stage / lang / f"{slug}.html"
        _link(source, link)
    result = subprocess.run([os.fspath(binary), "--site", os.fspath(stage), "--output-path", os.fspath(bundle),
                             "--silent"], capture_output=True, text=True)
    shutil.rmtree(stage, ignore_errors=True)
    if result.returncode != 0 or not (bundle / "pagefind-entry.json").is_file():
        lines = (result.stderr or result.stdout).strip().splitlines()
        return f"pagefind failed: {lines[-1] if lines else f'exit status {result.returncode}'}"
    return ""


def _link(source, target) -> None:
    """A hard link (nothing copied), or a copy where the file system has none."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def remove_others(output: Path, languages: set[str]) -> list[Path]:
    """Remove from ``output/pagefind`` every entry that is not a searched language's folder
    (a language no longer published, or the single whole-site index of earlier builds)."""
    folder = output / SEARCH_DIR
    removed = []
    if folder.is_dir():
        for entry in sorted(folder.iterdir()):
            if entry.name in languages and entry.is_dir():
                continue
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed.append(entry)
    return removed
