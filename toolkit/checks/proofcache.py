"""Remembered source-check findings, so ``tmkit extract`` and ``tmkit status``
re-read only changed articles.

``tmkit extract`` proofreads the English on every run (as warnings), but an
unchanged project must stay a no-op: extract itself skips articles whose
bytes did not change.  ``.tmkit/proofread-cache.json`` keeps, per article,
the hash of its bytes and the findings it gave; they are reused while the
article and everything else the checks read are unchanged (the
:func:`fingerprint`: check settings, the project word list, the glossary,
the medical vocabulary, the spell-checker's version and this code's
revision).  A missing or unreadable cache only means a slower run.
Both commands hold the project lock; ``tmkit check --source``, which does
not, always proofreads afresh and writes nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Optional

from toolkit.project.config import Config
from toolkit.project.fsutil import atomic_write_text

CACHE_FILE = ".tmkit/proofread-cache.json"
#: Bump when a check changes what it reports.
REVISION = 2            # 2: the readability grade per article


@dataclass
class CachedArticle:
    """What proofreading one article gave: findings (as dicts) and counts."""

    source: str          # hash of the article's bytes
    findings: list[dict]
    units: int
    words: int
    readability: Optional[dict] = None   # toolkit.checks.readability.Readability.as_dict()


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def article_hash(path: Path, data: Optional[bytes] = None) -> str:
    """The hash an article's findings are kept by; ``data``: its bytes, when the caller
    has just read them (extract), so the file is not read twice."""
    return _hash(path.read_bytes() if data is None else data)


def fingerprint(config: Config, inputs: list[Optional[Path]]) -> str:
    """Everything besides the article that decides the findings."""
    checks = config.checks
    parts = [str(REVISION), metadata.version("pyspellchecker"), config.source_language,
             json.dumps([checks.do_not_translate, checks.source_disable, checks.source_per_article,
                         checks.severity, checks.max_grade], sort_keys=True),
             _hash((resources.files("toolkit.checks") / "vocabulary" / "medical.txt").read_bytes())]
    parts += [f"{p}:{_hash(p.read_bytes())}" if p is not None and p.is_file() else "-" for p in inputs]
    return _hash("\n".join(parts).encode("utf-8"))


class ProofreadCache:
    """The cache file: ``{"fingerprint": ..., "articles": {path: CachedArticle}}``."""

    def __init__(self, config: Config, settings: str) -> None:
        self.path = config.root / CACHE_FILE
        self.settings = settings
        self.articles: dict[str, dict] = {}
        self.dirty = False
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict) and loaded.get("fingerprint") == settings:
                self.articles = dict(loaded.get("articles") or {})
        except (OSError, ValueError):
            pass

    def get(self, shown: str, source: str) -> Optional[CachedArticle]:
        entry = self.articles.get(shown)
        try:
            cached = CachedArticle(**entry) if isinstance(entry, dict) else None
        except TypeError:
            return None
        return cached if cached is not None and cached.source == source else None

    def put(self, shown: str, article: CachedArticle) -> None:
        value = vars(article)
        if self.articles.get(shown) != value:
            self.articles[shown] = dict(value)
            self.dirty = True

    def keep_only(self, shown: set[str]) -> None:
        """Forget articles no longer in the project (after a run over all of them)."""
        gone = set(self.articles) - shown
        for key in gone:
            del self.articles[key]
        self.dirty = self.dirty or bool(gone)

    def save(self) -> None:
        if self.dirty:
            atomic_write_text(self.path, json.dumps({"fingerprint": self.settings, "articles": self.articles},
                                                    sort_keys=True, ensure_ascii=False) + "\n")
            self.dirty = False
