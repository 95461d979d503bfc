"""Errors a user can act on.

Every failure caused by input (a file, an option, a setting) is raised as a
:class:`TmkitError` carrying the file and line it concerns.  The CLI turns it
into one line ``tmkit: error: <file>:<line>: <what>`` and exit code 2; it never
shows a traceback for them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Optional


class TmkitError(Exception):
    """An error in the user's input, reported as one line without a traceback."""

    exit_code = 2

    def __init__(self, message: str, path: Optional[os.PathLike | str] = None,
                 line: Optional[int] = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = os.fspath(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{where}{self.message}"


class ConfigError(TmkitError):
    """``tmkit.toml`` is missing, malformed or holds a value we cannot use."""


class SourceError(TmkitError):
    """A source article cannot be read or parsed."""


class CatalogError(TmkitError):
    """A PO or POT file cannot be read or is inconsistent."""


class TMError(TmkitError):
    """The translation memory, or a file imported into it, is unusable."""


class XliffError(TmkitError):
    """An XLIFF file brought back for import is unusable (nothing is applied)."""


class TmkitWarning(UserWarning):
    """Something the user should know that did not stop the command.

    Library code raises it with :func:`warnings.warn`; the CLI shows it as
    ``tmkit: warning: <what>`` on stderr (every time, not once per place).
    """


@dataclass(frozen=True)
class ErrorRecord:
    """A :class:`TmkitError` as data, for a worker process to send to its parent
    (which raises it again with the same file and line)."""

    kind: type
    message: str
    path: Optional[str]
    line: Optional[int]

    @classmethod
    def of(cls, exc: TmkitError) -> "ErrorRecord":
        return cls(type(exc), exc.message, exc.path, exc.line)

    def error(self) -> TmkitError:
        return self.kind(self.message, self.path, self.line)
