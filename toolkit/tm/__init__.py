"""The translation memory: SQLite store, trigram index, fuzzy matching, TMX, pre-translation.

See ``docs/tm.md``.  Most callers need only :class:`TranslationMemory`,
:func:`toolkit.tm.feed.feed_project` and
:func:`toolkit.tm.pretranslate.make_prefill_hook`.
"""

from toolkit.tm.match import Match
from toolkit.tm.memory import TranslationMemory
from toolkit.tm.store import SQLiteStore, TMStore, TMUnit

__all__ = ["Match", "SQLiteStore", "TMStore", "TMUnit", "TranslationMemory"]
