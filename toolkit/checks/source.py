"""The contract of the *source* checks (``tmkit check --source``).

The translation checks (:mod:`toolkit.checks.base`) look at PO entries; the
source checks proofread the English itself before it is sent to translators,
because a typo in a health article is copied into every language.  A source
check is a function ``check(text, env) -> list[SourceProblem]``: it sees the
plain text of one translatable place of an article (:class:`SourceText`: the
title, a breadcrumb step, a heading, a paragraph, a list item) and returns
problems with their offset in that text.  :mod:`toolkit.checks.proofread`
turns the offset into the line of the source file.

:data:`SOURCE_CHECKS` is their registry, filled with the same
:func:`~toolkit.checks.base.register` decorator as the translation checks;
names are what ``[checks] source_disable`` and ``severity`` in
``tmkit.toml`` use.  They are kept apart from :data:`~toolkit.checks.base.CHECKS`
because the runner of the translation checks calls every enabled check on
every PO entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Optional, Protocol

from toolkit.checks.base import CheckSpec
from toolkit.text.sentences import BEFORE_NUMBER, MAY_END, NEVER_FINAL


class WordList(Protocol):
    """The speller as the source checks hold it: known words and suggestions.

    :class:`toolkit.checks.spelling.Speller` implements it; naming only the
    shape keeps this contract below the spelling check registered on it.
    """

    def known(self, word: str) -> bool: ...

    def suggestions(self, word: str) -> list[str]: ...


@dataclass(frozen=True)
class SourceText:
    """One translatable place of an article, as the source checks see it."""

    text: str        # plain text: inline markup removed, entities decoded
    line: int        # line of the source file where the place starts
    kind: str        # "title", "paragraph", "item", "heading", a metadata key
    path: str        # source file, relative to the project
    slug: str

    @cached_property
    def prose(self) -> str:
        """``text`` with addresses blanked (same length, so offsets agree)."""
        return blank_addresses(self.text)


@dataclass
class SourceEnv:
    """What the source checks know about the project.

    ``skip_words`` are lower-case words never reported as misspelt: the
    words of ``do_not_translate`` and of the glossary's English terms.
    ``speller`` is loaded by the runner only when ``spelling`` runs.
    """

    skip_words: frozenset[str] = frozenset()
    speller: Optional[WordList] = None
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SourceProblem:
    """A source check's verdict: where in the text, and what.

    ``anchor`` is the text found at ``start`` (a word, ``"support. not"``,
    ``"(vascular"``); the runner looks it up in the source file to report the
    line it is on, even when a paragraph spans several lines.
    """

    start: int
    anchor: str
    message: str
    severity: Optional[str] = None


SourceCheck = Callable[[SourceText, SourceEnv], list[SourceProblem]]

#: Every source check, by name (filled by :mod:`toolkit.checks.spelling` and
#: :mod:`toolkit.checks.prose` on import, and ``readability`` below).
SOURCE_CHECKS: dict[str, CheckSpec] = {}


def _per_article(text: "SourceText", env: "SourceEnv") -> list["SourceProblem"]:
    """Nothing per place: the reading grade is measured over a whole article
    (:mod:`toolkit.checks.readability`, run by :mod:`toolkit.checks.proofread`);
    registered so that ``source_disable`` and ``severity`` know its name."""
    return []


SOURCE_CHECKS["readability"] = CheckSpec(
    "readability", "warning", True, _per_article,
    "the article's reading grade (Flesch-Kincaid, SMOG) is above [checks] max_grade")

#: Abbreviations written with a full stop (``e.g.``, ``approx.``, ``etc.``,
#: ``Fig.``): the sentence splitter's lists, lower case, without the final dot.
ABBREVIATIONS = NEVER_FINAL | BEFORE_NUMBER | MAY_END

#: Web and e-mail addresses, and bare domain names (``spine.org``): not prose,
#: so neither spelt, nor bracket-counted, nor read as sentence ends.
_ADDRESS_RE = re.compile(
    r"(?:https?://|ftp://|mailto:|www\.)[^\s<>\"]+"
    r"|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?<![\w.-])[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|edu|gov|int|info|io|health|eu|uk|us|ca|au|de|fr|es)\b"
    r"(?:/[^\s<>\"]*)?",
    re.IGNORECASE)


def blank_addresses(text: str) -> str:
    """``text`` with every address replaced by spaces of the same length
    (offsets stay valid); a trailing full stop or bracket is left as prose."""

    def blank(match: re.Match) -> str:
        found = match.group(0)
        kept = found.rstrip(".,;:!?)]}'\"")
        return " " * len(kept) + found[len(kept):]

    if "." not in text and "@" not in text:
        return text
    return _ADDRESS_RE.sub(blank, text)
