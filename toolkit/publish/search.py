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
    exports/pagefind/<lang>/tmkit-search.json  what they were built from

The language home lists its bundles (``data-bundles`` on the search box);
``search.js`` opens the first and merges the others with Pagefind's
documented ``mergeIndex``, so one search box finds the pages of every chunk.

A language is indexed again only when its published pages changed (the
build manifest's digest of each HTML page, :func:`language_key`); the new
bundles are written beside the old ones and swapped in, so a failed run
leaves the previous index whole.
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
class LanguageIndex:
    """One language's search bundles: its page slugs in chunks, and whether they must be built."""

    lang: str
    key: str
    chunks: list[list[str]] = field(default_factory=list)
    stale: bool = True

    def bundles(self, prefix: str = "../") -> list[str]:
        """The bundles' addresses from a language home (``../pagefind/es/1/``...)."""
        return [f"{prefix}{SEARCH_DIR}/{self.lang}/{n}/" for n in range(1, len(self.chunks) + 1)]


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


def plan_language(output: Path, lang: str, pages: list[tuple[str, str]], binary: Path) -> LanguageIndex:
    """The language's bundles: the last ones when its pages are the same, else new chunks (pages read)."""
    key = language_key(lang, pages, binary)
    folder = output / SEARCH_DIR / lang
    try:
        state = json.loads((folder / STATE_NAME).read_text("utf-8"))
        if state["key"] == key and all((folder / str(n) / "pagefind-entry.json").is_file()
                                       for n in range(1, len(state["chunks"]) + 1)):
            return LanguageIndex(lang, key, [list(c) for c in state["chunks"]], stale=False)
    except (OSError, ValueError, KeyError, TypeError):
        pass
    sizes = [(slug, article_bytes(output / lang / f"{slug}.html")) for slug, _ in pages]
    return LanguageIndex(lang, key, chunk(sizes))


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
        for number, slugs in enumerate(index.chunks, 1):
            problem = _run(binary, output, lang, slugs, stage, fresh / str(number))
            if problem:
                shutil.rmtree(fresh, ignore_errors=True)
                return problem
        (fresh / STATE_NAME).write_text(json.dumps({"key": index.key, "chunks": index.chunks}), "utf-8")
        target = output / SEARCH_DIR / lang
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
        try:
            os.link(source, link)
        except OSError:
            shutil.copyfile(source, link)
    result = subprocess.run([os.fspath(binary), "--site", os.fspath(stage), "--output-path", os.fspath(bundle),
                             "--silent"], capture_output=True, text=True)
    shutil.rmtree(stage, ignore_errors=True)
    if result.returncode != 0 or not (bundle / "pagefind-entry.json").is_file():
        lines = (result.stderr or result.stdout).strip().splitlines()
        return f"pagefind failed: {lines[-1] if lines else f'exit status {result.returncode}'}"
    return ""


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
