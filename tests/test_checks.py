"""tmkit check: findings on real PO files, through the CLI and the library."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polib
import pytest

from conftest import run_cli
from test_checks_support import SEED_SLUG, TRANSLATIONS, copy_demo, write_all, write_po
from toolkit.checks.base import CHECKS, Entry, LanguageEnv
from toolkit.checks.medical import ACCEPT_HINT, check_length, compare_numbers, usual_ratio
from toolkit.checks.runner import check_entry, enabled_checks, run_checks
from toolkit.project.config import load_config

PO_ES = f"po/es/{SEED_SLUG}.po"


def _set_toml(root: Path, checks: str) -> None:
    """Replace the [checks] section of the project's tmkit.toml."""
    text = (root / "tmkit.toml").read_text(encoding="utf-8")
    text = re.sub(r"\[checks\]\n(?:[^\[].*\n|\n)*", "[checks]\n" + checks + "\n\n", text)
    (root / "tmkit.toml").write_text(text, encoding="utf-8")


def _msgstr_line(path: Path, needle: str) -> int:
    """Line of the ``msgstr`` keyword of the one entry whose translation contains ``needle``."""
    (entry,) = [e for e in polib.pofile(str(path)) if needle in e.msgstr]
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n in range(entry.linenum, len(lines) + 1) if lines[n - 1].startswith("msgstr"))


def test_correct_translations_have_no_findings(runner, project):
    write_all(project)
    result = run_cli(runner, project, "check")
    assert result.output.splitlines() == [
        "0 errors, 0 warnings in 4 files (32 translated entries checked)"]


def test_six_for_sixty_is_reported_with_file_and_line(runner, project):
    paths = write_all(project)
    text = paths["es"].read_text(encoding="utf-8")
    paths["es"].write_text(text.replace("más del 60%", "más del 6%"), encoding="utf-8")
    result = run_cli(runner, project, "check", expect=1)
    line = _msgstr_line(paths["es"], "más del 6%")
    assert result.stdout.splitlines() == [
        f"{PO_ES}:{line}: [numbers] source has 60%, translation has 6%; {ACCEPT_HINT}",
        "1 error, 0 warnings in 4 files (32 translated entries checked)"]
    # and how to accept a deliberate change (issue 26)
    assert "'# tmkit-ignore: numbers'" in result.stderr and "localisable_numbers" in result.stderr


def test_translator_comment_silences_one_entry(runner, project):
    table = dict(TRANSLATIONS["es"], **{"b1.s2": TRANSLATIONS["es"]["b1.s2"].replace("60%", "6%")})
    write_po(project, "es", table, tcomments={"b1.s2": "tmkit-ignore: numbers"})
    run_cli(runner, project, "check", "--lang", "es")
    write_po(project, "es", table, tcomments={"b1.s2": "tmkit-ignore: glossary"})
    run_cli(runner, project, "check", "--lang", "es", expect=1)


def test_json_format_and_filters(runner, project):
    write_all(project)
    table = dict(TRANSLATIONS["ar"], **{"b1.s5": TRANSLATIONS["ar"]["b1.s5"].replace("MRI", "الرنين")})
    write_po(project, "ar", table)
    data = json.loads(run_cli(runner, project, "check", "--format", "json", expect=1).output)
    assert data["errors"] == 1 and data["files"] == 4
    (finding,) = data["findings"]
    assert finding["check"] == "do-not-translate" and finding["severity"] == "error"
    assert finding["lang"] == "ar" and finding["slug"] == SEED_SLUG
    assert "'MRI'" in finding["message"]
    # Restricting to other languages hides it.
    run_cli(runner, project, "check", "--lang", "es", "--lang", "fr", "--article", SEED_SLUG)


def test_json_report_is_written_piece_by_piece_as_the_same_document(runner, project):
    """``check --format json`` streams its findings (memory stays flat at 4,000 x 5); the
    text is exactly the document encoded at once, C1 controls escaped the same way."""
    from toolkit.checks.findings import Finding
    from toolkit.checks.proofread import proofread_project
    from toolkit.text.xmlchars import json_shown

    write_all(project)
    for lang in ("es", "fr"):
        table = {k: v.replace("60%", "6%").rstrip(".") for k, v in TRANSLATIONS[lang].items()}
        write_po(project, lang, table)
    out = run_cli(runner, project, "check", "--format", "json", expect=1).output
    report = run_checks(load_config(project))
    assert len(report.findings) > 5
    assert out == json_shown(report.as_dict()) + "\n" == "".join(report.json_chunks()) + "\n"
    report.findings.append(Finding("po/es/x\x85.po", 3, "numbers", "error", "a\x9f\u2028\n\ud800 é", "es", "x"))
    assert json_shown(report.as_dict()) == "".join(report.json_chunks())
    empty = run_checks(load_config(project), ["es"], [SEED_SLUG])
    empty.findings = []
    assert json_shown(empty.as_dict()) == "".join(empty.json_chunks())
    source = proofread_project(load_config(project), [])
    assert source.files == 1 and json_shown(source.as_dict()) == "".join(source.json_chunks())


def test_fuzzy_and_empty_entries_are_not_checked(runner, project):
    table = dict(TRANSLATIONS["es"], **{"b1.s2": "más del 6%"})
    write_po(project, "es", table, fuzzy=["b1.s2"])
    result = run_cli(runner, project, "check", "--lang", "es")
    assert "9 translated entries" in result.output


@pytest.mark.parametrize("lang, target", [
    ("es", "más del 60 % de"),
    ("fr", "plus de 60\u00a0% des"),
    ("fr", "plus de 60\u202f% des"),
    ("ar", "أكثر من ٦٠٪ من"),
    ("ar", "أكثر من 60% من"),
    ("fa", "بیش از ۶۰٪ از"),
    ("zh-Hans", "超过６０％的"),
    ("zh-Hans", "超过60%的"),
])
def test_percent_in_every_script(lang, target):
    assert compare_numbers("over 60% of", target, lang) == ([], [])


@pytest.mark.parametrize("source, target, lang", [
    ("take 2.5 mg twice", "tomar 2,5 mg dos veces", "es"),
    ("take 2.5 mg twice", "tomar 2.5 mg dos veces", "es"),
    ("1,500 patients", "1.500 pacientes", "es"),
    ("1,500 patients", "1\u202f500 patients", "fr"),
    ("1,500 patients", "١٬٥٠٠ مريض", "ar"),
    ("3.5 mg", "٣٫٥ ملغ", "ar"),
    ("levels L4-L5, 10-20%", "niveles L4-L5, 10 a 20 %", "es"),
])
def test_numbers_that_match(source, target, lang):
    assert compare_numbers(source, target, lang) == ([], [])


@pytest.mark.parametrize("source, target, lang, missing", [
    ("over 60% of", "más del 6% de", "es", "60%"),
    ("take 2.5 mg", "tomar 25 mg", "es", "2.5"),
    ("1,500 patients", "1,500 pacientes", "es", "1,500"),   # reads 1.5 in Spanish
    ("over 60% of", "más de 60 de", "es", "60%"),             # no longer a percentage
    ("over 60% of", "أكثر من ٦٪ من", "ar", "60%"),
])
def test_numbers_that_differ(source, target, lang, missing):
    lost, _extra = compare_numbers(source, target, lang)
    assert [n.text for n in lost] == [missing]


def test_markup_and_do_not_translate_are_errors():
    env = LanguageEnv("es", ["MRI", "FBS"])
    names = ["markup", "do-not-translate"]
    ok = Entry('Ask for an <a href="https://x.org/">MRI</a>.', 'Pida una <a href="https://x.org/">MRI</a>.')
    assert check_entry(ok, env, names) == []
    moved = Entry(ok.source, 'Pida una <a href="https://y.org/">RM</a>.')
    found = {name: p.message for name, p in check_entry(moved, env, names)}
    assert set(found) == {"markup", "do-not-translate"}
    assert "https://y.org/" in found["markup"]
    broken = Entry("<em>now</em>", "<em>ahora")
    assert "malformed" in check_entry(broken, env, ["markup"])[0][1].message


def test_terms_inside_cjk_text_count():
    env = LanguageEnv("zh-Hans", ["FBS"])
    assert check_entry(Entry("Failed back syndrome (FBS).", "失败综合征（FBS）。"), env,
                       ["do-not-translate", "brackets"]) == []


def test_length_flags_a_dropped_clause():
    source = "Smoking is a risk for poor recovery from such an operation, and so is diabetes."
    usual = [Entry(source, "x" * 90)] * 10
    env = LanguageEnv("es", length_ratio=usual_ratio(usual))
    assert check_length(Entry(source, "x" * 85), env) == []
    (problem,) = check_length(Entry(source, "Fumar es un riesgo."), env)
    assert "shorter than the usual 1.14x for es" in problem.message
    assert usual_ratio(usual[:3]) is None  # too few entries to know what is usual


def test_translate_toolkit_checks_are_warnings():
    env = LanguageEnv("es")
    defaults = [name for name, spec in CHECKS.items() if spec.default]
    found = check_entry(Entry("Smoking is a risk.", "Fumar es es un riesgo."), env, defaults)
    assert [name for name, _problem in found] == ["doublewords"]
    assert CHECKS["doublewords"].severity == "warning" and CHECKS["escapes"].severity == "error"


def test_settings_enable_disable_and_severity(runner, project):
    table = dict(TRANSLATIONS["es"], **{"b1.s2": TRANSLATIONS["es"]["b1.s2"].replace("60%", "6%")})
    write_po(project, "es", table)
    _set_toml(project, 'disable = ["numbers"]')
    run_cli(runner, project, "check")
    _set_toml(project, 'per_language = {es = {disable = ["numbers"]}}')
    run_cli(runner, project, "check")
    _set_toml(project, 'per_language = {fr = {disable = ["numbers"]}}')
    run_cli(runner, project, "check", expect=1)
    _set_toml(project, 'severity = {numbers = "warning"}')
    assert "[numbers] warning: source has 60%" in run_cli(runner, project, "check").output
    _set_toml(project, 'enable = ["startcaps"]')
    config = load_config(project)
    assert "startcaps" in enabled_checks(config, "es") and "numbers" in enabled_checks(config, "es")


def test_unknown_check_name_is_a_config_error(runner, project):
    _set_toml(project, 'disable = ["numbrs"]')
    result = run_cli(runner, project, "check", expect=2)
    line = next(n for n, l in enumerate((project / "tmkit.toml").read_text().splitlines(), 1) if "numbrs" in l)
    assert result.output.startswith(f"tmkit: error: {project / 'tmkit.toml'}:{line}: unknown check 'numbrs'")


def test_bad_input_is_one_line_exit_2(runner, project):
    path = write_po(project, "es", TRANSLATIONS["es"])
    result = run_cli(runner, project, "check", "--article", "no-such-article", expect=2)
    assert "no article named no-such-article" in result.output
    result = run_cli(runner, project, "check", "--lang", "it", expect=2)
    assert "not configured" in result.output
    path.write_text(path.read_text(encoding="utf-8") + '\nmsgid "x"\nbroken\n', encoding="utf-8")
    result = run_cli(runner, project, "check", expect=2)   # the other catalogs are checked first
    assert result.stderr.startswith(f"tmkit: error: {PO_ES}:{len(path.read_text().splitlines())}: ")
    assert "Traceback" not in result.output


def test_library_report(project):
    write_all(project)
    report = run_checks(load_config(project), ["fr"])
    assert (report.files, report.entries, report.findings, report.exit_code) == (1, 8, [], 0)
    po = polib.pofile(str(project / f"po/fr/{SEED_SLUG}.po"))
    assert "60\u00a0%" in po.find(
        "It has been estimated that over 60% of individuals in pain clinics suffer from failed back syndrome.").msgstr


def test_demo_translations_have_no_errors(runner, project):
    copy_demo(project)
    result = run_cli(runner, project, "check")
    assert result.output.splitlines()[-1].startswith("0 errors, ")
    assert not [line for line in result.output.splitlines()[:-1] if "warning: " not in line]
    assert "in 5 files" in result.output


def test_demo_six_for_sixty_is_exactly_one_error(runner, project):
    paths = copy_demo(project)
    baseline = run_cli(runner, project, "check").output.splitlines()
    text = paths["es"].read_text(encoding="utf-8")
    assert text.count("más del 60%") == 1
    paths["es"].write_text(text.replace("más del 60%", "más del 6%"), encoding="utf-8")
    result = run_cli(runner, project, "check", expect=1)
    line = _msgstr_line(paths["es"], "más del 6%")
    new = [l for l in result.stdout.splitlines() if l not in baseline]
    assert new == [f"{PO_ES}:{line}: [numbers] source has 60%, translation has 6%; {ACCEPT_HINT}",
                   new[-1]]
    assert new[-1].startswith("1 error, ")
