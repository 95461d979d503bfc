"""A damaged TM schema: one line naming what is missing, and ``tmkit tm migrate`` repairs it.

Both backends; the damage is done with the database's own client (tables
dropped or emptied by hand, as an operator's mistake or a partial restore).
"""

from __future__ import annotations

import json
import sqlite3

import polib
import psycopg
import pytest

from tests.conftest import run_cli
from tests.tm_helpers import FOOTER, FOOTER_ES, SEED_FIRST, SEED_FIRST_ES, write_po


def _damage(project, tm_backend, *statements):
    if tm_backend.name == "sqlite":
        with sqlite3.connect(project / ".tmkit" / "tm.sqlite") as db:
            for statement in statements:
                db.execute(statement)
    else:
        with psycopg.connect(tm_backend.location, autocommit=True) as db:
            for statement in statements:
                db.execute(statement.replace("DROP TABLE units", "DROP TABLE units CASCADE"))


def _fed(project, runner):
    write_po(project, "es", "failed-back-syndrome", [(SEED_FIRST, SEED_FIRST_ES), (FOOTER, FOOTER_ES)])
    assert "es: 2 new units" in run_cli(runner, project, "tm", "update").output
    assert _lookup(runner, project, FOOTER) == [FOOTER_ES]


def _lookup(runner, project, text, expect=0):
    result = run_cli(runner, project, "tm", "lookup", text, "--lang", "es", "--json", expect=expect)
    return [m["target"] for m in json.loads(result.stdout)] if expect == 0 else result.output


def _refused(runner, project, *wanted):
    for args in (("tm", "lookup", FOOTER, "--lang", "es"), ("tm", "update"), ("update", "--lang", "es")):
        output = run_cli(runner, project, *args, expect=2).output
        assert output.startswith("tmkit: error: ") and output.count("\n") == 1, output
        assert "the TM is damaged: " in output and "'tmkit tm migrate' repairs" in output
        assert "unchanged" not in output and "Traceback" not in output
        for what in wanted:
            assert what in output, output


def _migrate(runner, project, *notes):
    output = run_cli(runner, project, "tm", "migrate").output
    assert output.rstrip().endswith("TM schema version 3"), output
    for note in notes:
        assert f"repaired: {note}" in output, output
    return output


@pytest.mark.parametrize("statements, wanted, notes", [
    (["DELETE FROM meta"], ["table meta has no tm_id"], ["gave the TM a new identity"]),
    (["DROP TABLE schema_version"], ["table schema_version is missing"], ["recorded schema version 3"]),
    (["DELETE FROM schema_version"], ["table schema_version is empty"], ["recorded schema version 3"]),
    (["DROP TABLE live_places", "DROP TABLE pair_log"],
     ["table live_places is missing", "table pair_log is missing"],
     ["created the missing table live_places", "created the missing table pair_log"]),
    (["DELETE FROM pairs"], ["table pairs is empty but units is not"],
     ["rebuilt table pairs from the units"]),
])
def test_damage_is_named_and_repaired(project, runner, tm_backend, statements, wanted, notes):
    _fed(project, runner)
    _damage(project, tm_backend, *statements)
    _refused(runner, project, *wanted)
    _migrate(runner, project, *notes)
    assert _lookup(runner, project, FOOTER) == [FOOTER_ES]
    assert "unchanged" in run_cli(runner, project, "tm", "update").output
    _migrate(runner, project)                        # nothing left to repair
    assert "repaired" not in _migrate(runner, project)


def test_lost_units_are_fed_again_after_the_repair(project, runner, tm_backend):
    _fed(project, runner)
    _damage(project, tm_backend, "DROP TABLE units")
    _refused(runner, project, "table units is missing")
    _migrate(runner, project, "created the missing table units", "the units were lost")
    assert _lookup(runner, project, FOOTER) == []
    output = run_cli(runner, project, "tm", "update").output
    assert "es: 2 new units" in output and "1 catalogs fed again" in output, output
    assert _lookup(runner, project, FOOTER) == [FOOTER_ES]


def test_a_pair_that_lost_its_row_in_pairs_is_not_silently_empty(project, runner, tm_backend):
    """Only one pair's row gone (pairs not empty): the pre-fill must not silently find nothing."""
    _fed(project, runner)
    write_po(project, "de", "failed-back-syndrome", [(FOOTER, "Die Information dieser Seite.")])
    run_cli(runner, project, "tm", "update")
    _damage(project, tm_backend, "DELETE FROM pairs WHERE target_lang = 'es'")
    output = _lookup(runner, project, FOOTER, expect=2)
    assert "the TM is damaged: table pairs has no row for en->es" in output, output
    run_cli(runner, project, "extract")
    assert "table pairs has no row for en->es" in run_cli(runner, project, "update", "--lang", "es",
                                                          expect=2).output
    _migrate(runner, project, "rebuilt table pairs from the units")
    assert _lookup(runner, project, FOOTER) == [FOOTER_ES]
    (project / "po" / "es" / "failed-back-syndrome.po").unlink()     # pre-filled from the TM again
    run_cli(runner, project, "update", "--lang", "es")
    po = polib.pofile(str(project / "po" / "es" / "failed-back-syndrome.po"))
    assert po.find(SEED_FIRST).msgstr == SEED_FIRST_ES
