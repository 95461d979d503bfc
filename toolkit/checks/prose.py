"""Source checks on the shape of English prose (not on single words).

* ``repeated-word``: the same word twice in a row (``the the``);
* ``full-stop``: a full stop followed by a lower-case word inside a sentence
  (the seed's ``support. not replace``), which is almost always a comma typed
  as a full stop, or a capital letter lost; abbreviations the sentence
  splitter knows (``e.g.``, ``approx.``, ``etc.``, ``Dr.``), initialisms
  (``U.S.``), ellipses and list numbers are not reported;
* ``unbalanced-bracket``: ``(``, ``[``, ``{`` without its closing partner
  in the same place (paragraph, list item, heading), or a closer without
  an opener; list markers such as ``a)`` and emoticons are not brackets;
* ``unbalanced-quote``: an odd number of ``"`` (inch marks after a digit
  excepted), or ``“``/``”`` and ``‘`` without their partner.  A lone ``’``
  is an apostrophe and never reported.

Each runs on one translatable place at a time: a quotation or bracket never
legitimately spans two paragraphs of a patient article.
"""

from __future__ import annotations

import re

from toolkit.checks.base import register
from toolkit.checks.findings import WARNING
from toolkit.checks.source import ABBREVIATIONS, SOURCE_CHECKS, SourceEnv, SourceProblem, SourceText

#: Doubled words that can be grammatical English ("he had had enough",
#: "the fact that that happened").
GRAMMATICAL_REPEATS = frozenset({"had", "that"})

_REPEAT_RE = re.compile(r"(?<![\w'’-])([^\W\d_]+)((?:\s+\1)+)(?![\w'’-])", re.IGNORECASE)
_STOP_RE = re.compile(r"(?<=[^\s.])\.\s+(?=[^\W\d_])")
_NEXT_WORD_RE = re.compile(r"[\w'’-]+")
_OPENERS = "\"'“‘([{«"
_PAIRS = {")": "(", "]": "[", "}": "{"}
#: ``a)``, ``2)``, ``iv)`` at the start of the text or after a space: list markers.
_LIST_MARKER_RE = re.compile(r"(?:^|(?<=\s))(?:\d{1,2}|[a-zA-Z]|[ivxIVX]{1,4})\)")
_EMOTICON_RE = re.compile(r"[:;]-?[()\[\]]")
_BRACKETS_RE = re.compile(r"[()\[\]{}]")
_QUOTES_RE = re.compile("[\"“”‘]")


def _word_at(text: str, start: int) -> str:
    match = _NEXT_WORD_RE.match(text, start)
    return match.group(0) if match else ""


@register("repeated-word", WARNING, True, "the same word twice in a row", registry=SOURCE_CHECKS)
def check_repeated_word(text: SourceText, env: SourceEnv) -> list[SourceProblem]:
    problems = []
    for match in _REPEAT_RE.finditer(text.text):
        word = match.group(1)
        if word.casefold() in GRAMMATICAL_REPEATS or len(word) < 2 and word.casefold() != "a":
            continue
        repeated = match.group(0)
        problems.append(SourceProblem(match.start(), repeated,
                                      f"'{' '.join(repeated.split())}': word repeated"))
    return problems


@register("full-stop", WARNING, True, "a full stop followed by a lower-case word inside a sentence",
          registry=SOURCE_CHECKS)
def check_full_stop(text: SourceText, env: SourceEnv) -> list[SourceProblem]:
    prose = text.prose
    problems = []
    for match in _STOP_RE.finditer(prose):
        after = _word_at(prose, match.end())
        if not after[:1].islower() or any(c.isupper() or c.isdigit() for c in after):
            continue                      # a sentence start, or a name such as iPhone
        start = prose.rfind(" ", 0, match.start()) + 1
        before = prose[start:match.start()].lstrip(_OPENERS)
        if not before.strip() or "." in before or before.casefold() in ABBREVIATIONS:
            continue                      # an address, initials (U.S.), e.g., approx., etc.
        if before.isdigit() and not prose[:start].strip():
            continue                      # "1. rest" opening a list item
        shown = f"{before}. {after}"
        problems.append(SourceProblem(prose.index(before, start), f"{before}.{match.group(0)[1:]}{after}",
                                      f"'{shown}': full stop before a lower-case word "
                                      f"(a comma meant, or a capital letter missing?)"))
    return problems


def _bracket_problems(prose: str) -> list[SourceProblem]:
    markers = {m.end() - 1 for m in _LIST_MARKER_RE.finditer(prose)}
    markers |= {m.end() - 1 for m in _EMOTICON_RE.finditer(prose)}
    stack: list[int] = []
    problems = []
    for at, char in enumerate(prose):
        if at in markers:
            continue
        if char in "([{":
            stack.append(at)
        elif char in _PAIRS:
            if stack and prose[stack[-1]] == _PAIRS[char]:
                stack.pop()
            else:
                problems.append(_closer_problem(prose, at, char))
    for at in stack:
        opener = prose[at]
        anchor = opener + _word_at(prose, at + 1)
        closer = next(c for c, o in _PAIRS.items() if o == opener)
        problems.append(SourceProblem(at, anchor, f"'{anchor.strip()}…': '{opener}' is never closed "
                                                  f"with '{closer}'"))
    return problems


def _closer_problem(prose: str, at: int, char: str) -> SourceProblem:
    start = prose.rfind(" ", 0, at) + 1
    anchor = prose[start:at + 1]
    return SourceProblem(start, anchor, f"'…{anchor}': '{char}' closes no '{_PAIRS[char]}'")


@register("unbalanced-bracket", WARNING, True, "a bracket without its partner", registry=SOURCE_CHECKS)
def check_brackets(text: SourceText, env: SourceEnv) -> list[SourceProblem]:
    if not _BRACKETS_RE.search(text.text):
        return []
    return sorted(_bracket_problems(text.prose), key=lambda p: p.start)


def _quote_problem(prose: str, at: int, what: str) -> SourceProblem:
    anchor = prose[at] + _word_at(prose, at + 1)
    return SourceProblem(at, anchor, f"'{anchor}…': {what}")


@register("unbalanced-quote", WARNING, True, "a quotation mark without its partner", registry=SOURCE_CHECKS)
def check_quotes(text: SourceText, env: SourceEnv) -> list[SourceProblem]:
    if not _QUOTES_RE.search(text.text):
        return []
    prose = text.prose
    problems = []
    straight = [at for at, c in enumerate(prose) if c == '"' and not (at and prose[at - 1].isdigit())]
    if len(straight) % 2:
        problems.append(_quote_problem(prose, straight[-1], "'\"' is never closed (odd number of quotes)"))
    for opener, closer in (("“", "”"), ("‘", "’")):
        open_at: list[int] = []
        for at, char in enumerate(prose):
            if char == opener:
                open_at.append(at)
            elif char == closer and open_at:
                open_at.pop()
            elif char == closer and opener == "“":   # a lone ’ is an apostrophe
                start = prose.rfind(" ", 0, at) + 1
                problems.append(SourceProblem(start, prose[start:at + 1],
                                              f"'…{prose[start:at + 1]}': '”' closes no '“'"))
        problems += [_quote_problem(prose, at, f"'{opener}' is never closed with '{closer}'")
                     for at in open_at]
    return sorted(problems, key=lambda p: p.start)
