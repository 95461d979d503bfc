"""A strict, fast PO parser producing :class:`polib.POFile` objects.

polib's parser costs about 3 ms per catalog of 30 entries, which made
re-merging 5,000 catalogs (for instance after the translation memory changed)
take seconds, and it is lenient where tmkit must not be: an unterminated
string is silently cut short, a stray line ignored.  This parser reads the
PO grammar gettext writes (comments ``#``, ``#.``, ``#:``, ``#,``, previous
strings ``#|``, obsolete ``#~``, ``msgctxt``/``msgid``/``msgid_plural``/
``msgstr``/``msgstr[n]`` with continuation lines), rejects anything else with
the line number, and fills the same polib objects the rest of tmkit uses.
"""

from __future__ import annotations

import functools
import re
from types import MappingProxyType
from typing import Mapping, Optional

import polib

from toolkit.errors import CatalogError

# Strings as "unrolled loops" (runs of plain characters between escapes):
# the same language as (?:[^"\\]|\\.)* but matched many times faster.
_QUOTED = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"[ \t]*$')
_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)[ \t]+(.*)$")
_ESCAPE = re.compile(r"\\(.)")
_UNESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r", "a": "\a", "b": "\b",
              "f": "\f", "v": "\v"}


def _unescape(text: str, shown: str = "<string>", number: int = 0) -> str:
    """Decode the C escapes gettext writes; any other (``\\q``) is an error, as in msgfmt."""
    if "\\" not in text:
        return text

    def one(match: re.Match) -> str:
        try:
            return _UNESCAPES[match.group(1)]
        except KeyError:
            raise CatalogError(f"not a valid PO file: invalid escape '\\{match.group(1)}'",
                               shown, number) from None

    return _ESCAPE.sub(one, text)


#: What :class:`polib.POEntry` sets in ``__init__``, with its defaults.
_ENTRY_DEFAULTS = {"msgid": "", "msgstr": "", "msgid_plural": "", "msgctxt": None, "obsolete": False,
                   "encoding": polib.default_encoding, "comment": "", "tcomment": "",
                   "previous_msgctxt": None, "previous_msgid": None, "previous_msgid_plural": None,
                   "linenum": None}


def make_entry(**fields) -> polib.POEntry:
    """A :class:`polib.POEntry` with ``fields`` set, four times cheaper than its constructor.

    polib's ``__init__`` goes through ``kwargs.get`` for every attribute
    (about 4 µs); catalogs of thousands of articles create hundreds of
    thousands of entries.  The result has exactly the attributes polib's
    constructor gives (fresh lists and dict unless ``fields`` pass them).
    """
    entry = polib.POEntry.__new__(polib.POEntry)
    values = entry.__dict__
    values.update(_ENTRY_DEFAULTS)
    values["msgstr_plural"] = {}
    values["occurrences"] = []
    values["flags"] = []
    values.update(fields)
    return entry


class _Entry:
    """An entry being read."""

    __slots__ = ("tcomment", "comment", "occurrences", "flags", "previous", "fields", "obsolete",
                 "linenum", "last")

    def __init__(self) -> None:
        self.tcomment: list[str] = []
        self.comment: list[str] = []
        self.occurrences: list[tuple[str, str]] = []
        self.flags: list[str] = []
        self.previous: dict[str, list[str]] = {}
        self.fields: dict[str, list[str]] = {}
        self.obsolete = False
        self.linenum = 0
        self.last: Optional[list[str]] = None

    def empty(self) -> bool:
        return not (self.fields or self.tcomment or self.comment or self.occurrences
                    or self.flags or self.previous)

    def build(self) -> polib.POEntry:
        fields = {k: "".join(v) for k, v in self.fields.items()}
        plural = {int(k[7:-1]): v for k, v in fields.items() if k.startswith("msgstr[")}
        previous = {k: "".join(v) for k, v in self.previous.items()}
        return make_entry(
            msgid=fields.get("msgid", ""), msgstr=fields.get("msgstr", ""),
            msgid_plural=fields.get("msgid_plural", ""), msgstr_plural=plural,
            msgctxt=fields.get("msgctxt"), obsolete=self.obsolete,
            tcomment="\n".join(self.tcomment), comment="\n".join(self.comment),
            occurrences=self.occurrences, flags=self.flags,
            previous_msgctxt=previous.get("msgctxt"), previous_msgid=previous.get("msgid"),
            previous_msgid_plural=previous.get("msgid_plural"), linenum=self.linenum)


def _string(rest: str, shown: str, number: int) -> str:
    found = _QUOTED.match(rest)
    if not found:
        raise CatalogError("not a valid PO file: unterminated or malformed string", shown, number)
    value = _unescape(found.group(1), shown, number)
    if "\x00" in value:
        raise CatalogError("not a valid PO file: NUL character in a string", shown, number)
    return value


def _comment_text(line: str, marker_len: int) -> str:
    text = line[marker_len:]
    return text[1:] if text.startswith(" ") else text


def _references(text: str) -> list[tuple[str, str]]:
    refs = []
    for item in text.split():
        path, sep, line = item.rpartition(":")
        refs.append((path, line) if sep and line.isdigit() else (item, ""))
    return refs


def parse_entries(text: str, shown: str) -> list[polib.POEntry]:
    """The entries of PO ``text`` in file order (the header entry included)."""
    entries: list[polib.POEntry] = []
    current = _Entry()

    def finish() -> None:
        nonlocal current
        if "msgid" not in current.fields:
            if current.fields:
                raise CatalogError("not a valid PO file: entry without msgid", shown, current.linenum)
            # Comments with no entry after them (end of file): gettext drops them too.
        else:
            if not any(k.startswith("msgstr") for k in current.fields):
                raise CatalogError("not a valid PO file: entry without msgstr", shown, current.linenum)
            entries.append(current.build())
        current = _Entry()

    for number, line in enumerate(text.split("\n"), 1):
        line = line.rstrip("\r")
        if not line.strip():
            if current.fields:
                finish()
            continue
        obsolete = False
        body = line
        if line.startswith("#~"):
            obsolete = True
            body = line[2:].lstrip(" ")
            if not body:
                continue
        if body.startswith("#|") or body.startswith("|"):
            rest = body[2:] if body.startswith("#|") else body[1:]
            rest = rest.lstrip(" ")
            if current.fields and any(k.startswith("msgstr") for k in current.fields):
                finish()
            found = _KEYWORD.match(rest)
            if found and found.group(1) in ("msgctxt", "msgid", "msgid_plural"):
                current.last = current.previous.setdefault(found.group(1), [])
                current.last.append(_string(found.group(3), shown, number))
            elif rest.startswith('"') and current.last is not None and not current.fields:
                current.last.append(_string(rest, shown, number))
            else:
                raise CatalogError("not a valid PO file: malformed '#|' line", shown, number)
            continue
        if body.startswith("#") and not obsolete:
            if current.fields and any(k.startswith("msgstr") for k in current.fields):
                finish()
            if not current.linenum:
                current.linenum = number
            kind = body[1:2]
            if kind == ".":
                current.comment.append(_comment_text(body, 2))
            elif kind == ":":
                current.occurrences += _references(body[2:])
            elif kind == ",":
                current.flags += [f.strip() for f in body[2:].split(",") if f.strip()]
            else:
                current.tcomment.append(_comment_text(body, 1))
            continue
        found = _KEYWORD.match(body)
        if found:
            keyword = found.group(1)
            if keyword in ("msgctxt", "msgid") and current.fields and (
                    keyword == "msgctxt" or "msgctxt" not in current.fields or "msgid" in current.fields):
                finish()
            if keyword in current.fields:
                raise CatalogError(f"not a valid PO file: second {keyword} in one entry", shown, number)
            if keyword == "msgid" or (keyword == "msgctxt" and not current.fields):
                current.linenum = number
            current.obsolete = obsolete
            current.last = current.fields.setdefault(keyword, [])
            current.last.append(_string(found.group(3), shown, number))
        elif body.startswith('"') and current.last is not None and current.fields:
            current.last.append(_string(body, shown, number))
        else:
            raise CatalogError("not a valid PO file: unexpected line", shown, number)
    if current.fields:
        finish()
    return entries


class Translation:
    """What merging needs of one PO entry (the attribute names of :class:`polib.POEntry`)."""

    __slots__ = ("msgctxt", "msgid", "msgstr", "flags", "linenum", "obsolete")

    def __init__(self, msgctxt: Optional[str], msgid: str, msgstr: str, flags: list[str],
                 linenum: int) -> None:
        self.msgctxt = msgctxt
        self.msgid = msgid
        self.msgstr = msgstr
        self.flags = flags
        self.linenum = linenum
        self.obsolete = False


class CheckedEntry(Translation):
    """What the checks and the review page need of one PO entry: a :class:`Translation`
    with the translator comments, the English a fuzzy translation was made for
    (``#| msgid``), and the line of its ``msgstr`` (where findings point).

    Read in one pass (:func:`parse_checked`): finding the ``msgstr`` lines
    afterwards meant reading and splitting every file a second time.
    """

    __slots__ = ("tcomment", "previous_msgid", "msgstr_line", "previous_msgctxt")
    # Only plain, singular entries are read this way (``tmkit status`` counts
    # them as polib entries): hence the empty plural attributes polib's have.
    msgid_plural = ""
    msgstr_plural: Mapping[int, str] = MappingProxyType({})

    def __init__(self, msgctxt: Optional[str], msgid: str, msgstr: str, flags: list[str],
                 linenum: int, tcomment: str, previous_msgid: Optional[str], msgstr_line: int,
                 obsolete: bool = False, previous_msgctxt: Optional[str] = None) -> None:
        # assigned here rather than through Translation.__init__: 170,000 entries on a first status
        self.msgctxt = msgctxt
        self.msgid = msgid
        self.msgstr = msgstr
        self.flags = flags
        self.linenum = linenum
        self.obsolete = obsolete
        self.tcomment = tcomment
        self.previous_msgid = previous_msgid
        self.msgstr_line = msgstr_line
        self.previous_msgctxt = previous_msgctxt


_LINE = r'"[^"\\\n]*+(?:\\.[^"\\\n]*+)*+"\n'
#: Each entry exactly as gettext (and tmkit) writes it: translator comments,
#: extracted comments and references, flags, the previous ``#| msgctxt`` and
#: ``#| msgid`` a fuzzy translation was made for (a TM prefill writes them),
#: optional msgctxt, msgid, msgstr, each string on whole lines, then a blank
#: line or the end.  Groups: the lines before msgctxt/msgid,
#: translator comments, flag lines, previous msgctxt, previous msgid, msgctxt,
#: msgid, msgstr lines.  One ``findall`` over a file builds the tuples in C,
#: no match object per entry; comments in another order, obsolete entries
#: (``#~``) and plurals leave text uncovered and the file to :func:`parse_entries`.
#: Every quantifier is possessive (``*+``, ``?+``): what follows each part never
#: starts as the part does, so giving back is never needed, and not recording
#: where it could makes the ``findall`` a fifth faster.
_PLAIN_ENTRIES = re.compile(
    r"("
    r"((?:#(?![.:,|~])[^\n]*+\n)*+)"
    r"(?:#[.:][^\n]*+\n)*+"
    r"((?:#,[^\n]*+\n)*+)"
    rf"(?:#\| msgctxt ({_LINE}(?:#\| {_LINE})*+))?+"
    rf"(?:#\| msgid ({_LINE}(?:#\| {_LINE})*+))?+"
    r")"
    rf"(?:msgctxt ({_LINE}(?:{_LINE})*+))?+"
    rf"msgid ({_LINE}(?:{_LINE})*+)"
    rf"msgstr ({_LINE}(?:{_LINE})*+)"
    r"(?:\n|\Z)")


def _joined(lines: str, joint: str = '"\n"') -> str:
    """The string of whole ``"..."`` lines (as :data:`_PLAIN_ENTRIES` matched them), decoded.

    Within a matched line a quote is always escaped and there is no newline,
    so a quote-newline-quote occurs only where one line ends and the next
    begins: removing those joins the lines (one C call instead of a findall).
    ``joint``: ``'"\\n#| "'`` for a previous string's lines.
    """
    text = lines[1:-2].replace(joint, "")
    return _unescape(text) if "\\" in text else text


def _previous(lines: str) -> str:
    """A ``#|`` string's lines (after the keyword) decoded."""
    return _joined(lines, '"\n#| "')


def _flags(lines: str) -> list[str]:
    """The flags of an entry's ``#,`` lines, as :func:`parse_entries` reads them."""
    if lines == "#, fuzzy\n":      # what nearly every flagged entry has: a TM prefill, an update
        return ["fuzzy"]
    return [f.strip() for line in lines[:-1].split("\n") for f in line[2:].split(",") if f.strip()]


@functools.lru_cache(maxsize=1 << 12)
def _translator_comments(lines: str) -> str:
    """An entry's ``#`` comment lines as polib's ``tcomment`` (one leading space taken off each);
    remembered: the same glossary note stands on an entry in every language of every article."""
    return "\n".join(_comment_text(line, 1) for line in lines[:-1].split("\n"))


def _plain_translations(text: str, checked: bool = False) -> Optional[list[Translation]]:
    """The entries of ``text`` when every one has the plain layout, else ``None``.

    Several times faster than :func:`parse_entries`, which accepts the whole
    grammar (obsolete entries, plurals, odd spacing or order) and is used
    whenever this returns ``None``; on the files it accepts, both give the
    same strings, flags, previous strings and lines.  ``checked``:
    :class:`CheckedEntry` objects (translator comments, previous strings and
    ``msgstr`` lines too).
    """
    if "\r" in text:
        return None
    out: list[Translation] = []
    append = out.append
    line, covered = 1, 0
    for head, translator, flags, pctxt, pmsgid, ctxt, msgid, msgstr in _PLAIN_ENTRIES.findall(text):
        # inlined _joined: this loop runs for each of the 170,000 entries of a first status;
        # a string on one line (nearly every one) has no joint to remove
        msgid_lines, msgstr_lines = msgid.count("\n"), msgstr.count("\n")
        msgid_text = msgid[1:-2].replace('"\n"', "") if msgid_lines > 1 else msgid[1:-2]
        if "\\" in msgid_text:
            msgid_text = _unescape(msgid_text)
        msgstr_text = msgstr[1:-2].replace('"\n"', "") if msgstr_lines > 1 else msgstr[1:-2]
        if "\\" in msgstr_text:
            msgstr_text = _unescape(msgstr_text)
        at = line + head.count("\n")         # the msgid line
        covered += len(head) + len(msgid) + len(msgstr) + 14     # "msgid ", "msgstr ", the blank line
        if ctxt:
            at += ctxt.count("\n")
            covered += len(ctxt) + 8                                # "msgctxt "
            ctxt = _joined(ctxt)
        else:
            ctxt = None
        line = at + msgid_lines              # the msgstr line
        if checked:
            append(CheckedEntry(ctxt, msgid_text, msgstr_text, _flags(flags) if flags else [], at,
                                _translator_comments(translator) if translator else "",
                                _previous(pmsgid) if pmsgid else None, line, False,
                                _previous(pctxt) if pctxt else None))
        else:
            append(Translation(ctxt, msgid_text, msgstr_text, _flags(flags) if flags else [], at))
        line += msgstr_lines + 1
    # findall skips what does not match: the entries must cover the text exactly.  Each
    # entry was counted with its blank line; the last has none when the text ends right
    # after it (a text ending in a blank line has it: the pattern takes "\n" before the end).
    return out if covered - (not text.endswith("\n\n")) == len(text) else None


def parse_checked(text: str, shown: str, nul_free: bool = False) -> list:
    """The entries of PO ``text`` as the checks, the review page and ``tmkit status`` read them,
    header left out.

    The plain layout through :func:`_plain_translations` (:class:`CheckedEntry`
    objects); anything else through the full parser (the same errors as
    :func:`parse`), whose polib entries keep their plural forms and are given
    their ``msgstr`` line (:func:`set_msgstr_lines`).  ``nul_free``: the caller
    found no NUL in the file's bytes (see :func:`_plain_candidate`).
    """
    entries = None
    if _plain_candidate(text, nul_free):
        entries = _plain_translations(text, checked=True)
    if entries is None:   # anything unusual: the full parser and all its checks
        full = list(parse(text, shown))
        set_msgstr_lines(full, text.split("\n"))
        return full
    if entries and entries[0].msgid == "" and entries[0].msgctxt is None:
        del entries[0]
    return entries


def parse_translations(text: str, shown: str, nul_free: bool = False) -> list:
    """The entries of PO ``text`` as merging reads them, the header left out.

    Each has ``msgctxt``, ``msgid``, ``msgstr``, ``flags``, ``linenum`` and
    ``obsolete`` as :class:`polib.POEntry` has; the same errors as
    :func:`parse` are raised for what is not valid PO; ``nul_free``: as
    :func:`parse_checked`.
    """
    entries = None
    if _plain_candidate(text, nul_free):
        entries = _plain_translations(text)
    if entries is None:   # anything unusual: the full parser and all its checks
        return list(parse(text, shown))
    if entries and entries[0].msgid == "" and entries[0].msgctxt is None and not entries[0].obsolete:
        del entries[0]
    return entries


def _plain_candidate(text: str, nul_free: bool = False) -> bool:
    """Whether ``text`` may have the plain layout :func:`_plain_translations` reads: no NUL
    (``nul_free``: the caller found none in the file's bytes), no plural, no odd escape."""
    return (nul_free or "\x00" not in text) and "msgstr[" not in text and not _ODD_ESCAPE.search(text)


#: A backslash not starting an escape gettext writes (or a doubled backslash):
#: such files take the strict path, which reports the bad escape with its line.
_ODD_ESCAPE = re.compile(r'\\[^ntr"\\abfv]')


def parse(text: str, shown: str) -> polib.POFile:
    """PO text -> :class:`polib.POFile` with header, metadata and entries."""
    po = polib.POFile(wrapwidth=79)
    entries = parse_entries(text, shown)
    if entries and entries[0].msgid == "" and entries[0].msgctxt is None and not entries[0].obsolete:
        head = entries.pop(0)
        po.header = head.tcomment
        po.metadata_is_fuzzy = ["fuzzy"] if "fuzzy" in head.flags else 0
        for line in head.msgstr.split("\n"):
            key, sep, value = line.partition(":")
            if sep and key.strip():
                po.metadata[key.strip()] = value.strip()
    list.extend(po, entries)
    _check_plurals(po, shown)
    return po


_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")


def _check_plurals(po: polib.POFile, shown: str) -> None:
    """Plural entries must have exactly the forms the header's ``Plural-Forms`` declares.

    A ``msgstr[2]`` in a two-form language would be silently dropped by one
    tool and shown by another; msgfmt refuses it, and so do we.
    """
    found = _NPLURALS.search(po.metadata.get("Plural-Forms", ""))
    if not found:
        return
    nplurals = int(found.group(1))
    for entry in po:
        if entry.msgid_plural and not entry.obsolete and entry.msgstr_plural:
            forms = sorted(entry.msgstr_plural)
            if forms != list(range(nplurals)):
                raise CatalogError(f"plural entry has forms {forms} but Plural-Forms declares "
                                   f"nplurals={nplurals}", shown, entry.linenum)


def set_msgstr_lines(entries: list[polib.POEntry], lines: list[str]) -> None:
    """Set each entry's ``msgstr_line``: the first ``msgstr`` line from where it starts
    (its first line when there is none), where a check finding points."""
    for entry in entries:
        start = entry.linenum or 1
        entry.msgstr_line = start
        for number in range(start - 1, len(lines)):
            if lines[number].startswith(("msgstr", "#~ msgstr")):
                entry.msgstr_line = number + 1
                break
