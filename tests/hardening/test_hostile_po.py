"""Hostile and broken PO files through every command that reads them (as subprocesses).

Each bad file must give exit 2 and one line ``tmkit: error: <file>:<line>: ...``,
no traceback, and leave every file of the project as it was.  A broken file
fails its own article-language only (issue 26): the rest is processed, so a
build may still write the site's index and manifest where there were none.  Files that are
odd but legal (BOM, CRLF, a Latin-1 file that says so) must simply work.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hardening.helpers import (SLUG, assert_clean_error, assert_no_traceback, assert_unchanged, copy_project,
                                     make_project, run_all, tmkit, tree_hash, write)

PO_REL = f"po/es/{SLUG}.po"
#: Every command that reads a PO file, each restricted to Spanish.
READERS = (("build", "--lang", "es"), ("update", "--lang", "es"), ("tm", "update", "--lang", "es"),
           ("check", "--lang", "es"), ("status", "--lang", "es"), ("tm", "pretranslate", "--lang", "es"),
           ("review", "--lang", "es"),
           ("review", "approve", "--lang", "es", "--article", SLUG, "--by", "R"))


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("po") / "proj")


def _good(template: Path) -> str:
    return (template / PO_REL).read_text("utf-8")


def _append(extra: str):
    """A case: the good Spanish file with ``extra`` appended; the error is on its first line."""
    def make(good: str) -> tuple[bytes, int]:
        body = good.rstrip("\n") + "\n\n"
        return (body + extra).encode("utf-8"), body.count("\n") + 1
    return make


BAD = {
    "bad_escape": _append('msgid "x"\nmsgstr "a \\q b"\n'),
    "unterminated": _append('msgid "Home page\nmsgstr "x"\n'),
    "missing_msgstr": _append('msgid "Only an id"\n\nmsgid "other"\nmsgstr ""\n'),
    "duplicate_msgid": lambda good: _dup(good),
    "stray_line": _append('this is not PO\n'),
    "plural_mismatch": _append('msgid "one"\nmsgid_plural "many"\nmsgstr[0] "a"\nmsgstr[1] "b"\nmsgstr[2] "c"\n'),
    "lying_charset_utf8_latin1_bytes": lambda good: _latin1_bytes(good, "UTF-8"),
    "unknown_charset": lambda good: (good.replace("charset=UTF-8", "charset=KLINGON-9").encode(), 15),
    "nul_byte": _append('msgid "x\x00y"\nmsgstr "z"\n'),
    # tmkit reads and writes UTF-8 only and says how to convert (msgconv)
    "latin1_declared": lambda good: (_latin1_declared(good), 15),
}
#: The commands every case goes through; ``test_every_reader_refuses`` runs all of READERS.
MAIN_READERS = READERS[:3]


def _dup(good: str) -> tuple[bytes, int]:
    body = good.rstrip("\n") + "\n\n"
    return (body + 'msgid "Home"\nmsgstr "Inicio otra vez"\n').encode(), body.count("\n") + 1


def _latin1_bytes(good: str, declared: str) -> tuple[bytes, int]:
    body = good.rstrip("\n") + "\n\n"
    line = body.count("\n") + 2
    data = body.encode("utf-8") + 'msgid "x"\nmsgstr "Espa\xf1a"\n'.encode("latin-1")
    return data.replace(b"charset=UTF-8", f"charset={declared}".encode()), line


def _refused(template: Path, tmp_path: Path, case: str, commands) -> None:
    root = copy_project(template, tmp_path / "proj")
    (tmp_path / "outside").mkdir()
    write(tmp_path / "outside" / "keep.txt", "untouched")
    data, line = BAD[case](_good(template))
    write(root / PO_REL, data)
    before = tree_hash(tmp_path)
    runs = run_all([(lambda a=cmd: tmkit(root, *a)) for cmd in commands])
    for args, run in zip(commands, runs):
        if args[0] == "check" and run.code != 2:
            # check may report a broken catalog as an error finding (exit 1) with file:line
            assert run.code == 1 and PO_REL in run.out, (args, run)
            assert_no_traceback(run)
            continue
        message = assert_clean_error(run, PO_REL)
        assert f":{line}:" in message or f":{line + 1}:" in message, (args, case, line, message)
    after = {k: v for k, v in tree_hash(tmp_path).items() if k in before or not k.startswith("proj/exports/")}
    assert_unchanged(before, after)


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_po_is_refused(template, tmp_path, case):
    _refused(template, tmp_path, case, MAIN_READERS)


@pytest.mark.parametrize("case", ["plural_mismatch", "bad_escape"])
def test_every_reader_refuses(template, tmp_path, case):
    _refused(template, tmp_path, case, READERS)


def _bom(good: str) -> bytes:
    return b"\xef\xbb\xbf" + good.encode("utf-8")


def _crlf(good: str) -> bytes:
    return good.replace("\n", "\r\n").encode("utf-8")


def _latin1_declared(good: str) -> bytes:
    return good.replace("charset=UTF-8", "charset=ISO-8859-1").encode("latin-1", "replace")


def _megabyte_line(good: str) -> bytes:
    return good.replace('msgstr "Usted está aquí"', 'msgstr "' + "Usted está aquí " * 200_000 + '"').encode()


ODD_BUT_LEGAL = {"bom": _bom, "crlf": _crlf, "megabyte_line": _megabyte_line}


@pytest.mark.parametrize("case", sorted(ODD_BUT_LEGAL))
def test_odd_but_legal_po_is_read(template, tmp_path, case):
    root = copy_project(template, tmp_path / "proj")
    write(root / PO_REL, ODD_BUT_LEGAL[case](_good(template)))
    outside = tree_hash(template.parent)
    for args in (("build", "--lang", "es"), ("status", "--lang", "es"), ("tm", "update", "--lang", "es")):
        run = tmkit(root, *args)
        assert_no_traceback(run)
        assert run.code == 0, (case, args, run.err)
    html = (root / "exports" / "es" / f"{SLUG}.html").read_text("utf-8")
    assert "Usted está aquí" in html
    assert tree_hash(template.parent) == outside


CONFLICT = ('<<<<<<< HEAD\nmsgstr "Usted está aquí"\n=======\nmsgstr "Está usted aquí"\n'
            '>>>>>>> translator\n')


def _conflicted(good: str) -> tuple[str, int]:
    """The Spanish catalog as a line-level ``git merge`` leaves it; the first marker's line."""
    assert good.count('msgstr "Usted está aquí"\n') == 1
    before = good.split('msgstr "Usted está aquí"\n')[0]
    return good.replace('msgstr "Usted está aquí"\n', CONFLICT), before.count("\n") + 1


def test_conflict_markers_get_their_own_error(template, tmp_path):
    root = copy_project(template, tmp_path / "proj")
    text, line = _conflicted(_good(template))
    write(root / PO_REL, text)
    pot_rel = f"po/templates/{SLUG}.pot"
    before = tree_hash(tmp_path)
    commands = [c for c in READERS if c[0] != "check"]
    for args, run in zip(commands, run_all([(lambda a=cmd: tmkit(root, *a)) for cmd in commands])):
        message = assert_clean_error(run)
        assert message == (f"tmkit: error: {PO_REL}:{line}: unresolved merge conflict; resolve it or use "
                           "tmkit's merge driver (see README)"), (args, message)
    check = tmkit(root, "check", "--lang", "es")
    assert check.code in (1, 2) and f"{PO_REL}:{line}: unresolved merge conflict" in check.out + check.err
    assert_unchanged(before, {k: v for k, v in tree_hash(tmp_path).items()
                              if k in before or not k.startswith("proj/exports/")})
    # a template with markers (diff3 style too) is named the same way
    write(root / PO_REL, _good(template))
    pot = (root / pot_rel).read_text("utf-8").split("\n")
    pot[20:20] = ["<<<<<<< ours", "||||||| base", "=======", ">>>>>>> theirs"]
    write(root / pot_rel, "\n".join(pot))
    message = assert_clean_error(tmkit(root, "update", "--lang", "es"))
    assert message.startswith(f"tmkit: error: {pot_rel}:21: unresolved merge conflict;"), message
