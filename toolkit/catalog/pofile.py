"""Reading and writing PO/POT files: polib inside, GNU gettext's layout outside.

Everything that touches PO text on disk goes through here, so the rest of the
package deals with :class:`polib.POFile` objects only.

* :func:`read_po` parses strictly (:mod:`toolkit.catalog.poread`, into
  polib objects), refuses a wrong charset and duplicate entries, and turns
  every failure into a :class:`~toolkit.errors.CatalogError` naming the file
  and line.
* :func:`format_po` writes the layout of GNU gettext (see
  :mod:`toolkit.catalog.wrap`), so ``msgcat``/``msgmerge``/Poedit round trips
  change nothing, and it is several times faster than polib's writer.
* :func:`write_po` writes only when the bytes differ, atomically.
"""

from __future__ import annotations

import contextlib
import operator
import os
import re
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

import polib

from toolkit.catalog import poread
from toolkit.catalog.wrap import PAGE_WIDTH, format_string
from toolkit.errors import CatalogError, TmkitError
from toolkit.project.fsutil import atomic_write_many, atomic_write_text, read_regular

_CHARSET = re.compile(r"charset=([^\s;\\\"]+)", re.IGNORECASE)


# -- writing -----------------------------------------------------------------

def _comment_lines(marker: str, text: str) -> list[str]:
    """gettext writes comments unwrapped, one ``#<marker> line`` per line."""
    return [f"{marker} {line}" if line else marker for line in text.split("\n")]


def tcomment_lines(text: str) -> str:
    """A translator comment as gettext writes it (``# line`` per line)."""
    return "\n".join(_comment_lines("#", text))


def format_references(occurrences: Iterable[tuple[str, str]], width: int = PAGE_WIDTH) -> list[str]:
    """``#: file:line`` lines, filled up to the page width as gettext does."""
    lines: list[str] = []
    current = "#:"
    for path, line in occurrences:
        ref = f"{path}:{line}" if line not in (None, "") else path
        if len(current) > 2 and len(current) + 1 + len(ref) > width:
            lines.append(current)
            current = "#:"
        current += " " + ref
    if len(current) > 2:
        lines.append(current)
    return lines


def format_flags(flags: list[str]) -> list[str]:
    """``#, fuzzy, ...`` with ``fuzzy`` first, as gettext orders it."""
    if not flags:
        return []
    ordered = (["fuzzy"] if "fuzzy" in flags else []) + [f for f in flags if f != "fuzzy"]
    return ["#, " + ", ".join(dict.fromkeys(ordered))]


def format_entry(entry: polib.POEntry) -> str:
    """One entry in gettext's layout (no trailing newline)."""
    obsolete = entry.obsolete
    lines: list[str] = []
    if entry.tcomment:
        lines += _comment_lines("#", entry.tcomment)
    if entry.comment and not obsolete:
        lines += _comment_lines("#.", entry.comment)
    if entry.occurrences and not obsolete:
        lines += format_references(entry.occurrences)
    flags = entry.flags
    if "fuzzy" in flags and not (entry.msgstr or any(entry.msgstr_plural.values())):
        flags = [f for f in flags if f != "fuzzy"]  # gettext drops it on untranslated entries
    lines += format_flags(flags)
    prev = "#~| " if obsolete else "#| "
    if entry.previous_msgctxt is not None:
        lines += format_string("msgctxt", entry.previous_msgctxt, prev)
    if entry.previous_msgid is not None:
        lines += format_string("msgid", entry.previous_msgid, prev)
    if entry.previous_msgid_plural is not None:
        lines += format_string("msgid_plural", entry.previous_msgid_plural, prev)
    prefix = "#~ " if obsolete else ""
    if entry.msgctxt is not None:
        lines += format_string("msgctxt", entry.msgctxt, prefix)
    lines += format_string("msgid", entry.msgid, prefix)
    if entry.msgid_plural:
        lines += format_string("msgid_plural", entry.msgid_plural, prefix)
        for index in sorted(entry.msgstr_plural, key=int):
            lines += format_string(f"msgstr[{index}]", entry.msgstr_plural[index], prefix)
    else:
        lines += format_string("msgstr", entry.msgstr, prefix)
    return "\n".join(lines)


def format_header(po: polib.POFile) -> str:
    """The header comment and the ``msgid ""`` entry holding the metadata."""
    lines: list[str] = []
    if po.header:
        lines += _comment_lines("#", po.header)
    if po.metadata_is_fuzzy:
        lines.append("#, fuzzy")
    value = "".join(f"{key}: {val}\n" for key, val in po.metadata.items())
    lines += format_string("msgid", "")
    lines += format_string("msgstr", value)
    return "\n".join(lines)


def fit_line_ends(msgid: str, msgstr: str) -> str:
    r"""``msgstr`` beginning and ending with a newline exactly where ``msgid`` does.

    ``msgfmt --check`` refuses a catalog where they differ ("'msgid' and
    'msgstr' entries do not both end with '\n'"), a fatal error even on a
    fuzzy entry.  Translations that come from elsewhere get here without
    that guarantee: a TM match is found through the normal form, line ends
    stripped (``"Cannot allocate memory\n"`` finds the unit ``"Cannot
    allocate memory"`` as exact), and a CAT tool's XLIFF target may carry a
    newline its source does not.
    """
    if msgid.startswith("\n") != msgstr.startswith("\n"):
        msgstr = "\n" + msgstr if msgid.startswith("\n") else msgstr.lstrip("\n")
    if msgid.endswith("\n") != msgstr.endswith("\n"):
        msgstr = msgstr + "\n" if msgid.endswith("\n") else msgstr.rstrip("\n")
    return msgstr


def format_po(po: polib.POFile) -> str:
    """The whole catalog as gettext writes it: header, entries, obsolete last."""
    blocks = [format_header(po)]
    blocks += [format_entry(e) for e in po if not e.obsolete]
    blocks += [format_entry(e) for e in po if e.obsolete]
    return "\n\n".join(blocks) + "\n"


def write_text_if_changed(path: os.PathLike | str, text: str) -> bool:
    """Write ``text`` atomically unless the file already holds exactly it.

    Returns whether the file was written; equal content keeps the file's
    timestamp, so ``make``-style tools and ``git status`` see no change.
    """
    target = Path(path)
    data = text.encode("utf-8")
    try:
        if target.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    atomic_write_text(target, text)
    return True


def write_texts(items: list[tuple[Path, str]]) -> None:
    """Write many files atomically, syncing once for the batch, not once per file.

    Every file is replaced whole, by rename (:class:`toolkit.project.fsutil.AtomicBatch`).
    One sync before the renames puts all data on disk when any file
    *replaces* an existing one (a catalog holding translators' work must
    never become empty after a power cut).  A batch of only new files (a
    first ``update``) is not synced: nothing existed to lose, the hashes in
    the state file no longer match a damaged file, and the next run writes
    it again; syncing 50 MB would cost more than generating it (a handful
    of files is synced anyway).  A failure before the renames leaves every
    target as it was.
    """
    atomic_write_many(((path, text.encode("utf-8")) for path, text in items),
                      sync_new=new_files_synced(len(items)))


def new_files_synced(count: int) -> bool:
    """Whether a batch of ``count`` files is synced even when all are new (see :func:`write_texts`)."""
    return count < 8


def write_po(path: os.PathLike | str, po: polib.POFile) -> bool:
    """Write ``po`` in gettext's layout; returns whether the file changed."""
    return write_text_if_changed(path, format_po(po))


# -- reading -----------------------------------------------------------------

def read_po(path: os.PathLike | str, display: Optional[str] = None) -> polib.POFile:
    """Parse a PO or POT file, refusing what tmkit cannot safely rewrite.

    Raises :class:`CatalogError` (file and line) for invalid UTF-8, a charset
    other than UTF-8, syntax errors and duplicate entries: a catalog that
    loses or merges entries silently would lose a translator's work.
    """
    shown = display or os.fspath(path)
    return parse_po(_decode(read_po_bytes(path, shown), shown), shown)


def read_translations(path: os.PathLike | str, display: Optional[str] = None) -> list:
    """The entries of a PO file as merging needs them, header left out.

    A leaner :func:`read_po` for the build, which reads thousands of PO
    files only to look translations up: the same checks and errors, but
    entries with just ``msgctxt``, ``msgid``, ``msgstr``, ``flags``,
    ``linenum`` and ``obsolete`` (see :func:`toolkit.catalog.poread.parse_translations`).
    """
    return _read_lean(path, display, poread.parse_translations)


def read_checked(path: os.PathLike | str, display: Optional[str] = None) -> list:
    """The entries of a PO file as the checks and the review page need them, header left out.

    :func:`read_translations` plus translator comments, ``#| msgid`` and the
    line of each ``msgstr`` (:class:`toolkit.catalog.poread.CheckedEntry`, or
    polib's entries for files off the plain layout): ``tmkit check``,
    ``tmkit review`` and ``tmkit status`` read thousands of files without
    building polib objects or reading each file twice.  The same checks and
    errors as :func:`read_po`.
    """
    return _read_lean(path, display, poread.parse_checked)


def _read_lean(path: os.PathLike | str, display: Optional[str],
               parse: Callable[..., list]) -> list:
    """The entries ``parse`` reads from a PO file, with :func:`read_po`'s checks and errors."""
    shown = display or os.fspath(path)
    data = read_po_bytes(path, shown)
    text = _decode(data, shown)
    with _conflicts_named(text, shown):
        _check_charset(text, shown)
        # NUL looked for in the bytes (the same in UTF-8): in a text with a character
        # above U+00FF, "\x00" in text is slow (0.06 s over 5,000 files)
        entries = parse(text, shown, nul_free=b"\x00" not in data)
        _check_duplicates(entries, shown)
    return entries


def parse_po_bytes(data: bytes, shown: str = "<string>") -> polib.POFile:
    """Parse the bytes of a PO file (see :func:`read_po`)."""
    return parse_po(_decode(data, shown), shown)


def read_po_bytes(path: os.PathLike | str, shown: str) -> bytes:
    """The bytes of a PO file, or a :class:`CatalogError` naming it as ``shown``."""
    try:
        return read_regular(path, shown)   # a FIFO is refused, never waited on
    except TmkitError as exc:
        raise CatalogError(exc.message, shown) from None
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}", shown) from None


def _decode(data: bytes, shown: str) -> str:
    """UTF-8 PO bytes as text with ``\\n`` line ends, or a :class:`CatalogError`."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        _check_charset(data[:4000].decode("latin-1"), shown)   # a wrong charset says so
        line = data.count(b"\n", 0, exc.start) + 1
        raise CatalogError(f"not valid UTF-8 (byte 0x{data[exc.start]:02x})", shown, line) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    # looked for in the bytes first: replace() on a text with a character above U+00FF
    # (a curly quote) scans it slowly, 0.1 s over a first status's 5,000 files
    return text.replace("\r\n", "\n") if b"\r" in data else text


def parse_po(text: str, shown: str = "<string>") -> polib.POFile:
    """Parse PO text (see :func:`read_po`)."""
    with _conflicts_named(text, shown):
        _check_charset(text, shown)
        po = poread.parse(text, shown)
        _check_duplicates(po, shown)
    return po


#: The lines ``git merge`` leaves around a conflict (``|||||||`` with ``merge.conflictStyle=diff3``).
_CONFLICT_MARKER = re.compile(r"^(?:<{7}|\|{7}|={7}|>{7})(?: |$)", re.MULTILINE)
CONFLICT_MESSAGE = "unresolved merge conflict; resolve it or use tmkit's merge driver (see README)"


@contextlib.contextmanager
def _conflicts_named(text: str, shown: str) -> Iterator[None]:
    """A file that fails to read because git left conflict markers in it says so.

    The markers break the PO grammar (or make duplicate entries), so this
    looks for them only when reading failed: the usual path pays nothing.
    The line is that of the first marker.
    """
    try:
        yield
    except CatalogError:
        found = _CONFLICT_MARKER.search(text)
        if found is None:
            raise
        raise CatalogError(CONFLICT_MESSAGE, shown, text.count("\n", 0, found.start()) + 1) from None


def _check_charset(text: str, shown: str) -> None:
    """The first line of the first 4,000 characters naming a ``content-type`` must say UTF-8
    (or no charset)."""
    found = _content_type_line(text[:4000])
    if found is None:
        return
    number, line = found
    charset = _CHARSET.search(line)
    if charset and charset.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise CatalogError(f"charset is {charset.group(1)}, tmkit reads and writes UTF-8 "
                           "(convert with: msgconv -t UTF-8)", shown, number)


def _content_type_line(head: str) -> Optional[tuple[int, str]]:
    """(number, text) of the first line of ``head`` naming a ``content-type`` in any case.

    One case-insensitive search of the text as it is, not a loop over lines
    nor a lower-cased copy (a first ``tmkit status`` reads 5,000 files; a
    copy of 4,000 characters each cost 0.06 s).  ASCII case folding only:
    no other character lower-cases to a letter of ``content-type``.
    """
    found = _CONTENT_TYPE.search(head)
    if found is None:
        return None
    at = found.start()
    start = head.rfind("\n", 0, at) + 1
    end = head.find("\n", at)
    return head.count("\n", 0, start) + 1, head[start:end] if end >= 0 else head[start:]


_CONTENT_TYPE = re.compile("content-type", re.ASCII | re.IGNORECASE)


#: An entry's identity in its file: two entries with the same one are a duplicate.
_ENTRY_KEY = operator.attrgetter("obsolete", "msgctxt", "msgid")


def _check_duplicates(po: Iterable, shown: str) -> None:
    """The second of two entries with the same :data:`_ENTRY_KEY` refused, at its line."""
    if isinstance(po, list) and len(set(map(_ENTRY_KEY, po))) == len(po):
        return       # no duplicate (the keys counted in C: 5,000 files on a first status)
    seen: dict[tuple[bool, Optional[str], str], int] = {}
    for entry in po:
        key = (entry.obsolete, entry.msgctxt, entry.msgid)
        if key in seen:
            what = entry.msgid if len(entry.msgid) <= 40 else entry.msgid[:40] + "…"
            raise CatalogError(f"duplicate entry {what!r} (first at line {seen[key]})",
                               shown, entry.linenum)
        seen[key] = entry.linenum
