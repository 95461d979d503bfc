"""Hostile TMX files through ``tmkit tm import`` (subprocess): entities are never
expanded, no DTD is loaded, nothing is half-imported, and metadata that names
paths is only ever data."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from tests.hardening.helpers import (assert_clean_error, assert_no_traceback, assert_unchanged,
                                     make_project, tmkit, tree_hash, write)

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
BODY = ('<tmx version="1.4"><header srclang="en" creationtool="t" creationtoolversion="1" '
        'segtype="sentence" o-tmf="x" adminlang="en" datatype="plaintext"/><body>\n'
        '<tu><tuv xml:lang="en"><seg>Back pain</seg></tuv><tuv xml:lang="es"><seg>{target}</seg></tuv></tu>\n'
        '</body></tmx>\n')


def tmx(target: str = "Dolor de espalda", doctype: str = "", body: str = BODY) -> str:
    return HEAD + doctype + body.format(target=target)


LAUGHS = ('<!DOCTYPE tmx [\n<!ENTITY a "lol">\n'
          + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(9))
          + ']>\n')

#: name -> (file text, line the error must name)
BAD = {
    "external_entity": (tmx("&xxe;", '<!DOCTYPE tmx [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'), 3),
    "billion_laughs": (tmx("&j;", LAUGHS), 3),
    "parameter_entity": (tmx("x", '<!DOCTYPE tmx [\n<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd">\n%p;\n]>\n'), 3),
    "wrong_version": (tmx().replace('version="1.4"', 'version="7.0"'), 2),
    "not_tmx_root": (HEAD + "<html><body/></html>\n", 2),
    "truncated": (tmx()[:-40], 3),
    "no_srclang": (tmx().replace('srclang="en" ', ""), 3),
    "latin1_bytes_declared_utf8": (tmx("Espa\udcf1a"), 3),
}


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("tmx") / "proj")


def _units(root: Path) -> int:
    db = root / ".tmkit" / "tm.sqlite"
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM units").fetchone()[0]


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_tmx_is_refused(root, tmp_path, case):
    text, line = BAD[case]
    path = write(tmp_path / f"{case}.tmx", text.encode("utf-8", "surrogateescape"))
    before, units = tree_hash(root.parent), _units(root)
    run = tmkit(root, "tm", "import", str(path))
    assert_clean_error(run, f"{case}.tmx", line=line)
    assert "root:" not in run.err and "lollol" not in run.err
    assert_unchanged(before, tree_hash(root.parent))
    assert _units(root) == units


def test_external_dtd_is_not_loaded(root, tmp_path):
    """A DOCTYPE naming a DTD (as TMX files from other tools do) is fine; it is never fetched."""
    dtd = write(tmp_path / "evil.dtd", '<!ENTITY target "FROM THE DTD">')
    path = write(tmp_path / "dtd.tmx", tmx("Dolor", f'<!DOCTYPE tmx SYSTEM "{dtd.as_uri()}">\n'))
    path2 = write(tmp_path / "net.tmx", tmx("Dolor", '<!DOCTYPE tmx SYSTEM "http://127.0.0.1:9/tmx14.dtd">\n'))
    run = tmkit(root, "tm", "import", str(path), str(path2))
    assert_no_traceback(run)
    assert run.code == 0, run.err
    assert "FROM THE DTD" not in tmkit(root, "tm", "lookup", "Back pain", "--lang", "es").out


def test_units_without_source_are_skipped_not_fatal(root, tmp_path):
    body = BODY.replace('<tuv xml:lang="en"><seg>Back pain</seg></tuv>', "")
    path = write(tmp_path / "nosource.tmx", tmx(body=body))
    run = tmkit(root, "tm", "import", str(path))
    assert run.code == 0 and "1 skipped" in run.out, (run.out, run.err)


def _big_tmx(count: int, bad_at: int | None = None) -> str:
    tus = []
    for i in range(count):
        src = "" if i == bad_at else ' srclang="en"'
        tus.append(f'<tu{src}><tuv xml:lang="en"><seg>Sentence number {i} about the spine.</seg></tuv>'
                   f'<tuv xml:lang="es"><seg>Frase número {i} sobre la columna.</seg></tuv></tu>')
    return (HEAD + '<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" '
            'o-tmf="x" adminlang="en" datatype="plaintext"/><body>\n' + "\n".join(tus) + "\n</body></tmx>\n")


def test_fifty_thousand_units_import_and_a_late_error_imports_nothing(root, tmp_path):
    big = write(tmp_path / "big.tmx", _big_tmx(50_000))
    before = _units(root)
    started = time.perf_counter()
    run = tmkit(root, "tm", "import", str(big))
    assert run.code == 0, run.err
    assert "50000 units read, 50000 new" in run.out, run.out
    assert _units(root) == before + 50_000
    print(f"50,000-unit TMX imported in {time.perf_counter() - started:.1f}s")
    # an error at unit 45,000 (after the first batches) leaves the TM as it was
    late = write(tmp_path / "late.tmx", _big_tmx(45_001, bad_at=45_000).replace("number", "nombre"))
    run = tmkit(root, "tm", "import", str(late))
    assert_clean_error(run, "late.tmx", line=45_003)
    assert _units(root) == before + 50_000


def test_path_like_metadata_is_only_data(root, tmp_path):
    """TMX props/attributes naming ``../../x`` are stored as text and never become paths."""
    body = BODY.replace("<tu>", '<tu tuid="../../../pwned" creationid="../../x">'
                        '<prop type="x-tmkit-origin">../../../escape/evil#../../b1</prop>')
    path = write(tmp_path / "meta.tmx", tmx("Traducción", body=body))
    before = tree_hash(tmp_path)
    for args in (("tm", "import", str(path)), ("update", "--lang", "es"),
                 ("tm", "export", "--lang", "es", "-o", "exports/tm.tmx"), ("build", "--lang", "es")):
        run = tmkit(root, *args)
        assert_no_traceback(run)
        assert run.code == 0, (args, run.err)
    after = tree_hash(tmp_path)
    assert {k: v for k, v in after.items() if k in before} == before
    assert not [p for p in tmp_path.rglob("*") if "pwned" in p.name or "escape" in p.name or p.name == "x"]
