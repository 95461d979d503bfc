"""Replacing PO files that translators may be saving at the same moment.

Translators keep catalogs open in Poedit while ``tmkit update`` (or ``tm
pretranslate``, ``pseudo``, ``xliff import``) runs; editors take no lock.  A
command reads each catalog, computes its new text, and replaces the files at
the end; a save in between would be silently overwritten.  So every command
that rewrites catalogs hands its results to :func:`rewrite_catalogs`, which
replaces a file only if it is still byte for byte what the command read
(:meth:`toolkit.project.fsutil.AtomicBatch.add` with ``expected``).  A file that
moved is merged again from its new content by the command's ``redo``
function, a few times at most; if it keeps moving, or cannot be merged (the
save left it unreadable), or the command has nothing to merge (``redo`` is
``None``), it is left exactly as saved and reported, so the user can rerun.
Nothing else of the run is lost because one file moved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

from toolkit.catalog.state import read_bytes
from toolkit.errors import TmkitError
from toolkit.catalog.pofile import new_files_synced
from toolkit.project.fsutil import AtomicBatch

#: How many times a file that keeps changing on disk is merged again before it is left.
RETRIES = 3

#: ``redo(path, content) -> new text``: merge again from the file's current
#: bytes (``None``: the file is gone).  Returns ``None`` when the file needs no
#: change; raises :class:`TmkitError` when it cannot be merged.
Redo = Callable[[Path, Optional[bytes]], Optional[str]]


@dataclass
class Rewrite:
    """One catalog to replace: its new text and the bytes it was made from."""

    path: Path
    read: Optional[bytes]      # what the command read (None: there was no file)
    text: str                  # what it wants to write


@dataclass
class LeftFile:
    """A catalog that changed on disk during the run and was left as saved."""

    path: Path
    reason: str


@dataclass
class RewriteReport:
    """What :func:`rewrite_catalogs` did with each catalog that needed writing."""

    written: list[Path] = field(default_factory=list)     # replaced, including those redone
    redone: list[Path] = field(default_factory=list)      # changed on disk, merged again from the save
    left: list[LeftFile] = field(default_factory=list)    # changed on disk, left as saved

    @property
    def complete(self) -> bool:
        return not self.left


def rewrite_catalogs(items: Iterable[Rewrite], redo: Optional[Redo] = None,
                     retries: int = RETRIES) -> RewriteReport:
    """Replace each catalog that changes, unless it changed on disk since it was read.

    All files go through one :class:`~toolkit.project.fsutil.AtomicBatch` (one disk
    sync for the batch); each is compared with what was read at the last
    moment before its rename.  The ones that moved are merged again one by
    one with ``redo`` (see the module docstring).
    """
    report = RewriteReport()
    changed: list[Path] = []
    with AtomicBatch() as batch:
        for item in items:
            data = item.text.encode("utf-8")
            if item.read is None or data != item.read:
                batch.add(item.path, data, expected=item.read)   # staged now: memory stays flat
                changed.append(item.path)
        batch.sync_new = new_files_synced(len(changed))
    moved = set(batch.moved)
    report.written = [path for path in changed if path not in moved]
    again = merge_moved(batch.moved, redo, retries)
    report.written += again.written
    report.redone, report.left = again.redone, again.left
    return report


def merge_moved(paths: Iterable[Path], redo: Optional[Redo] = None, retries: int = RETRIES) -> RewriteReport:
    """Deal with the catalogs an :class:`~toolkit.project.fsutil.AtomicBatch` did not replace (its ``moved``).

    For a command that stages its files in a batch of its own (``add(path,
    data, expected=bytes_read)``): each one is merged again with ``redo``
    and replaced if it now holds still, else left as saved (see the module
    docstring).
    """
    report = RewriteReport()
    for path in paths:
        _merge_again(path, redo, retries, report)
    return report


def _merge_again(path: Path, redo: Optional[Redo], retries: int, report: RewriteReport) -> None:
    """Merge ``path`` from what is on disk now and replace it, if it holds still long enough."""
    if redo is None:
        report.left.append(LeftFile(path, "changed on disk while tmkit ran; left as saved"))
        return
    for _ in range(retries):
        current = read_bytes(path)
        try:
            text = redo(path, current)
        except TmkitError as exc:
            report.left.append(LeftFile(path, f"changed on disk while tmkit ran and cannot be merged "
                                              f"now ({exc}); left as saved"))
            return
        if text is None or (current is not None and text.encode("utf-8") == current):
            report.redone.append(path)      # the saved file already holds the result
            return
        with AtomicBatch(sync_new=True) as batch:
            batch.add(path, text.encode("utf-8"), expected=current)
        if not batch.moved:
            report.redone.append(path)
            report.written.append(path)
            return
    report.left.append(LeftFile(path, f"kept changing on disk while tmkit ran (merged again "
                                      f"{retries} times); left as saved"))
