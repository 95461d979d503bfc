"""``tmkit review`` in worker processes (from ``PARALLEL_FROM`` articles on) writes exactly
what one process writes, and the rows made in Python are what the former row template made.

The speed itself is measured by benchmarks/daily_bench.py, never here.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
from pathlib import Path

import jinja2
import pytest
from markupsafe import escape

from conftest import run_cli
from test_checks_support import SEED_SLUG, write_all
from toolkit.checks.findings import Finding
from toolkit.project.config import load_config
from toolkit.catalog.translated import entry_status
from toolkit.publish.signoff import _encode_record, segment_hashes
from toolkit.publish.writers.html import environment
from toolkit.review import write as review_write
from toolkit.review.catalog import reviewed_catalog
from toolkit.review.page import _escape, build_page, render_page, word_diff


def tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def varied(runner, project: Path) -> Path:
    """Six articles in Spanish: translated, pre-filled fuzzy (with the old English and the TM
    origin), one with a numbers error, one signed off and then changed, one broken PO file."""
    write_all(project)
    seed = project / "source" / f"{SEED_SLUG}.txt"
    text = seed.read_text("utf-8")
    old = "in pain clinics suffer from failed back syndrome."
    for number in range(5):
        changed = text.replace(old, f"in pain clinics have failed back syndrome ({number}).")
        (project / "source" / f"copy-{number}.txt").write_text(changed if number % 2 else text, "utf-8")
    run_cli(runner, project, "extract")
    run_cli(runner, project, "update", "--lang", "es")
    po = project / "po/es/copy-2.po"
    po.write_text(po.read_text("utf-8").replace("más del 60%", "más del 6%"), "utf-8")
    run_cli(runner, project, "review", "approve", "--lang", "es", "--article", "copy-4", "--by", "Dr. O'Brien <x>",
            "--despite-findings")
    po = project / "po/es/copy-4.po"
    po.write_text(po.read_text("utf-8").replace("más del 60%", "más de un 60%"), "utf-8")
    broken = project / "po/es/copy-0.po"
    broken.write_text(broken.read_text("utf-8") + '\nmsgid "unterminated\n', "utf-8")
    return project


def test_workers_write_exactly_what_one_process_writes(runner, varied, monkeypatch):
    monkeypatch.setattr(review_write, "PARALLEL_FROM", 10 ** 9)
    one = run_cli(runner, varied, "review", "--lang", "es", expect=2)
    expected = tree(varied / "exports/review")
    assert "copy-0.po" in one.output and len(expected) == 5         # the broken file: reported, skipped
    assert "review: changed" in one.output and "1 fuzzy" in one.output
    assert "1 error(s)" in one.output

    shutil.rmtree(varied / "exports/review")
    monkeypatch.setattr(review_write, "PARALLEL_FROM", 1)
    monkeypatch.setattr(review_write, "_processes", lambda articles: 2)   # even on a one-core runner
    forked = run_cli(runner, varied, "review", "--lang", "es", expect=2)
    assert forked.output == one.output
    assert tree(varied / "exports/review") == expected

    # Unchanged pages are not written again by the workers either.
    page = varied / "exports/review/es/copy-1.html"
    before = page.stat()
    run_cli(runner, varied, "review", "--lang", "es", expect=2)
    assert (page.stat().st_ino, page.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_damaged_signoff_in_a_worker_stops_the_review_and_replaces_no_page(runner, varied, monkeypatch):
    monkeypatch.setattr(review_write, "_processes", lambda articles: 2)
    monkeypatch.setattr(review_write, "PARALLEL_FROM", 1)
    run_cli(runner, varied, "review", "--lang", "es", expect=2)
    before = tree(varied / "exports/review")
    po = varied / "po/es/copy-1.po"
    po.write_text(po.read_text("utf-8").replace("más del 60%", "más del 61%"), "utf-8")
    (varied / "po/es/copy-3.review.toml").write_text("version = [\n", "utf-8")
    result = run_cli(runner, varied, "review", "--lang", "es", expect=2)
    assert any(x.startswith("tmkit: error: po/es/copy-3.review.toml: invalid TOML") for x in result.output.splitlines()), result.output
    assert "wrote " not in result.output and "Traceback" not in result.output
    assert tree(varied / "exports/review") == before        # copy-1's page not replaced either
    monkeypatch.setattr(review_write, "PARALLEL_FROM", 10 ** 9)   # what one process says
    assert run_cli(runner, varied, "review", "--lang", "es", expect=2).output == result.output


def _reference_environment(tmp_path: Path) -> jinja2.Environment:
    """Jinja2 with the row template ``review.html`` had before its rows were made in Python."""
    folder = tmp_path / "reference"
    folder.mkdir()
    page = (Path(__file__).parent / "data" / "review_rows_reference.html").read_text("utf-8")
    (folder / "review.html").write_text(page, "utf-8")
    return environment(folder)


def rows(html: bytes) -> bytes:
    """The table body of a page (the rest of review.html may change without the reference)."""
    start, end = html.index(b"<tbody>"), html.index(b"</tbody>")
    assert end - start > 1000
    return html[start:end]


HOSTILE = ['<script>alert("x")</script>', "O'Brien & \"co\" <b>", "&amp; &#39; ñ 中 ﷺ", "", "a\u2028b"]


def test_python_rows_are_what_the_row_template_rendered_on_every_branch(varied, tmp_path):
    config = load_config(varied)
    reference, ours = _reference_environment(tmp_path), environment(None)
    rng = random.Random(23)
    pages = 0
    for slug in ("copy-1", "copy-2", "copy-3", "copy-4", SEED_SLUG):
        page = build_page(config, reviewed_catalog(config, "es", slug), [])
        assert rows(render_page(config, page, reference)) == rows(render_page(config, page, ours))
        for s in page.segments:   # every branch, with text that must be escaped
            s.changed = rng.random() < 0.3
            s.id += rng.choice(HOSTILE[:3] + ["", ""])
            s.place += rng.choice(HOSTILE)
            s.state = rng.choice(["translated", "fuzzy", "untranslated", "rejected"])
            if rng.random() < 0.3:
                s.previous = rng.choice(HOSTILE) + " old words"
                s.diff = word_diff(s.previous, s.source)
            if rng.random() < 0.4:
                s.findings = [Finding(page.po_file, 3, rng.choice(["numbers", 'a"b']),
                                      rng.choice(["error", "warning"]), m) for m in rng.sample(HOSTILE, 2)]
            if rng.random() < 0.3:
                s.tm_origin = rng.sample(HOSTILE, 2)
            if rng.random() < 0.2:
                s.translation = ""
            elif rng.random() < 0.3:
                s.translation += ' <b>bold</b> <a href="javascript:x">l</a> & <unknown>'
            s.location += rng.choice(HOSTILE)
        assert rows(render_page(config, page, reference)) == rows(render_page(config, page, ours))
        pages += 1
    assert pages == 5


def test_escape_is_markupsafes():
    for text in HOSTILE + ["\x00<>&'\"" * 3, "plain"]:
        assert _escape(text) == str(escape(text))


def test_segment_hash_record_is_the_json_of_its_fields(varied):
    """The sign-off hashes encode each record as json.dumps did (a sign-off made before stays valid)."""
    config = load_config(varied)
    catalog = reviewed_catalog(config, "es", "copy-3")
    hashes = segment_hashes(catalog.units, catalog.index)
    for unit, segments in catalog.units:
        for segment in segments:
            entry = catalog.index.get(segment.key)
            record = [segment.id, segment.context or "", segment.text, entry_status(entry, segment.text).value,
                      entry.msgstr if entry is not None and not entry.obsolete else "",
                      unit.kind, unit.role, unit.shape]
            expected = hashlib.sha256(json.dumps(record, ensure_ascii=False).encode("utf-8")).hexdigest()
            assert hashes[segment.id] == expected
            for text in HOSTILE + ["\x00\x1f\\ \ud800"]:
                record[2] = text
                assert _encode_record(record) == json.dumps(record, ensure_ascii=False)
    assert len(hashes) > 20
