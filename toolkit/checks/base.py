"""The contract between the runner and the individual checks.

A check is a function ``check(entry, env) -> list[Problem]``: it sees one
translated PO entry (:class:`Entry`) and what is known about its language
(:class:`LanguageEnv`), and returns problems without knowing where they will
be printed.  :data:`CHECKS` is the one registry; names are what
``tmkit.toml`` and ``# tmkit-ignore:`` comments use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Protocol, Sequence

from toolkit.errors import ConfigError
from toolkit.project.config import Config


class TermSource(Protocol):
    """The glossary as the checks hold it: terms of an English text for a language.

    :class:`toolkit.checks.glossary.Glossary` implements it; this contract
    names only the shape, so this module never imports the glossary check
    that is registered on top of it.
    """

    def matches(self, source_markup: str, lang: str) -> Sequence[Any]: ...

    def unrendered(self, source_markup: str, target_markup: str, lang: str) -> Sequence[Any]: ...

    def why(self, term: Any, target_markup: str, lang: str) -> str: ...


@dataclass(frozen=True)
class Entry:
    """One translated PO entry as the checks see it."""

    source: str                    # msgid (inline markup)
    target: str                    # msgstr (inline markup)
    context: Optional[str] = None  # msgctxt
    path: str = ""                 # PO file, relative to the project
    line: int = 0                  # line of msgstr
    ignored: frozenset[str] = frozenset()  # names from "# tmkit-ignore:" comments


@dataclass
class LanguageEnv:
    """What the checks know about the target language and the project.

    ``length_ratio`` is the median target/source length ratio over the
    language's translated entries (None when too few to tell): the "usual"
    the length check compares against, learnt from the project itself rather
    than from a hand-made table.
    """

    lang: str
    do_not_translate: list[str] = field(default_factory=list)
    glossary: Optional[TermSource] = None
    length_ratio: Optional[float] = None
    localisable_numbers: frozenset[str] = frozenset()   # [checks] localisable_numbers
    extra: dict = field(default_factory=dict)  # per-check caches (e.g. the ttk checker)


@dataclass(frozen=True)
class Problem:
    """A check's verdict on one entry; ``severity`` overrides the check's default."""

    message: str
    severity: Optional[str] = None


CheckFunction = Callable[[Entry, LanguageEnv], list[Problem]]


@dataclass(frozen=True)
class CheckSpec:
    """A registered check: its name, default severity, and whether it runs by default."""

    name: str
    severity: str
    default: bool
    function: CheckFunction
    description: str


#: Every check tmkit knows, by name (filled by the check modules on import).
CHECKS: dict[str, CheckSpec] = {}


def register(name: str, severity: str, default: bool, description: str,
             registry: Optional[dict[str, CheckSpec]] = None) -> Callable[[CheckFunction], CheckFunction]:
    """Decorator adding a check function to :data:`CHECKS` (or to another
    registry of the same shape, such as the source checks' ``SOURCE_CHECKS``)."""

    def wrap(function: CheckFunction) -> CheckFunction:
        (CHECKS if registry is None else registry)[name] = CheckSpec(name, severity, default, function,
                                                                     description)
        return function

    return wrap


def chosen_severity(config: Config, spec: CheckSpec) -> str:
    """A check's severity, after ``[checks] severity = {name = "error"}``."""
    from toolkit.checks.findings import SEVERITIES

    chosen = config.checks.severity.get(spec.name, spec.severity)
    if chosen not in SEVERITIES:
        raise ConfigError(f"checks.severity.{spec.name} must be one of {', '.join(SEVERITIES)}",
                          config.path, config.line_mentioning(spec.name))
    return chosen
