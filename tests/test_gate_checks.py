"""The publishing gate holds what ``tmkit check`` calls an error (issue 20).

Every test drives the command line on a copy of the repository's demo (its
settings, glossary, article and translations) and reads what was written.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from lxml import html as lhtml

from tests.conftest import clone_demo

SLUG = "failed-back-syndrome"
ES = f"po/es/{SLUG}.po"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """A clone of the demo project: settings, glossary, word list, article and PO files."""
    return clone_demo(tmp_path / "demo")


def _edit(root: Path, rel: str, old: str, new: str) -> int:
    """Replace ``old`` by ``new`` once in a file; returns the line it is on."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return text[:text.index(new)].count("\n") + 1


def _page_text(root: Path, lang: str) -> str:
    return lhtml.document_fromstring((root / "exports" / lang / f"{SLUG}.html").read_bytes()).text_content()


def _summary(output: str) -> dict[str, tuple[int, int]]:
    """``tmkit build``'s table: language -> (published, held back)."""
    rows = {}
    for line in output.splitlines():
        cells = line.split()
        if len(cells) == 4 and cells[1].isdigit() and cells[2].isdigit():
            rows[cells[0]] = (int(cells[1]), int(cells[2]))
    return rows


def _check_errors(runner, root: Path) -> list[dict]:
    result = run(runner, root, "check", "--format", "json", expect=None)
    return [f for f in json.loads(result.output)["findings"] if f["severity"] == "error"]


def run(runner, root: Path, *args: str, expect=0):
    from toolkit.cli import cli

    result = runner.invoke(cli, ["-C", str(root), *args], catch_exceptions=False)
    if expect is not None:
        assert result.exit_code == expect, (result.exit_code, result.output)
    return result


def test_the_demo_publishes_as_it_is(runner, demo):
    """The demo's catalogs have warnings only: nothing is held for check errors."""
    assert _check_errors(runner, demo) == []
    out = run(runner, demo, "build").output
    assert "check error" not in out
    assert _summary(out)["es"] == (1, 0)


def test_a_wrong_number_holds_the_page_back_keeps_the_last_one_and_force_publishes(runner, demo):
    run(runner, demo, "build")
    assert "más del 60%" in _page_text(demo, "es")
    line = _edit(demo, ES, '"Se estima que más del 60%', '"Se estima que más del 70%')

    # tmkit check calls it an error ...
    errors = _check_errors(runner, demo)
    assert [(e["path"], e["check"]) for e in errors] == [(ES, "numbers")]
    msgstr_line = errors[0]["line"]
    assert msgstr_line in (line - 1, line)        # the msgstr "" line or the line with the text

    # ... so the build holds it back, saying where and which check, and the old page stays
    out = run(runner, demo, "build").output
    held = [x for x in out.splitlines() if x.startswith(f"held back: es/{SLUG}:")]
    assert len(held) == 1
    assert f"{ES}:{msgstr_line}: [numbers]" in held[0] and "70%" in held[0]
    assert "last published version stays" in held[0]
    assert _summary(out)["es"] == (0, 1)
    page = _page_text(demo, "es")
    assert "más del 60%" in page and "70%" not in page
    assert (demo / "exports" / "es" / f"{SLUG}.xml").read_text("utf-8").count("70%") == 0
    home = lhtml.document_fromstring((demo / "exports" / "es" / "index.html").read_bytes())
    assert home.xpath(f"//main//a[@href='{SLUG}.html']")     # the kept page is still listed

    # status says the same
    status = run(runner, demo, "status").output
    assert re.search(rf"^es\s+{SLUG}\b.*\bheld$", status, re.M)
    assert f"  es/{SLUG}: {ES}:{msgstr_line}: [numbers]" in status
    data = json.loads(run(runner, demo, "status", "--format", "json").output)
    es = next(a for lang in data["languages"] if lang["lang"] == "es" for a in lang["articles"])
    assert es["gate"]["passed"] is False and data["hold_on_check_errors"] is True
    assert any(f"{ES}:{msgstr_line}: [numbers]" in r for r in es["gate"]["reasons"])

    # an unchanged rebuild still holds it (the report replays the same reasons)
    again = run(runner, demo, "build").output
    assert f"{ES}:{msgstr_line}: [numbers]" in again and "70%" not in _page_text(demo, "es")

    # --force publishes it, with a warning naming the error
    forced = run(runner, demo, "build", "--force")
    assert _summary(forced.output)["es"] == (1, 0)
    warnings = [x for x in forced.output.splitlines()
                if x.startswith(f"tmkit: warning: es/{SLUG}: published with --force")]
    assert len(warnings) == 1 and f"{ES}:{msgstr_line}: [numbers]" in warnings[0]
    assert "más del 70%" in _page_text(demo, "es")


def test_without_an_earlier_page_none_is_written(runner, demo):
    """Also: holding on check errors is the default when tmkit.toml does not mention it."""
    _edit(demo, "tmkit.toml", "\nhold_on_check_errors = true", "")
    _edit(demo, ES, '"Se estima que más del 60%', '"Se estima que más del 70%')
    out = run(runner, demo, "build").output
    assert f"held back: es/{SLUG}: 1 check error" in out
    assert "last published version" not in out
    assert not (demo / "exports" / "es").exists() or not list((demo / "exports" / "es").iterdir())
    index = lhtml.document_fromstring((demo / "exports" / "index.html").read_bytes())
    assert "es/index.html" not in index.xpath("//main//a/@href")   # no Spanish page: no Spanish home


def test_fixing_the_error_publishes_again(runner, demo):
    run(runner, demo, "build")
    _edit(demo, ES, '"Se estima que más del 60%', '"Se estima que más del 70%')
    run(runner, demo, "build")
    _edit(demo, ES, '"Se estima que más del 70%', '"Se estima que más del 60 %')
    out = run(runner, demo, "build").output
    assert _summary(out)["es"] == (1, 0) and "check error" not in out
    assert "más del 60 %" in _page_text(demo, "es")


def test_the_setting_turns_the_hold_off(runner, demo):
    _edit(demo, "tmkit.toml", "hold_on_check_errors = true", "hold_on_check_errors = false")
    _edit(demo, ES, '"Se estima que más del 60%', '"Se estima que más del 70%')
    out = run(runner, demo, "build").output
    assert _summary(out)["es"] == (1, 0) and "check error" not in out
    assert "más del 70%" in _page_text(demo, "es")
    status = run(runner, demo, "status").output
    assert re.search(rf"^es\s+{SLUG}\b.*\bpass$", status, re.M)
    assert "held back for check errors" not in status


def test_a_changed_glossary_rechecks_and_unchanged_catalogs_are_not_rechecked(runner, demo):
    """Check inputs other than the PO (glossary, settings) are build inputs; nothing else re-checks."""
    shutil.copy(demo / "source" / f"{SLUG}.txt", demo / "source" / "second.txt")
    _edit(demo, "tmkit.toml", 'glossary = "glossary.csv"',
          'glossary = "glossary.csv"\nseverity = {glossary = "error"}')
    first = run(runner, demo, "build").output
    assert _summary(first)["es"] == (1, 1)          # second.txt has no Spanish PO: incomplete
    assert "0 of 2 article(s) unchanged" in first
    # one PO changed: only its article is merged and checked again
    _edit(demo, ES, '"Se estima que más del 60%', '"Se estima que más del 60 %')
    assert "1 of 2 article(s) unchanged" in run(runner, demo, "build").output
    # a glossary term the Spanish does not use: error-level by the settings, so held back
    with (demo / "glossary.csv").open("a", encoding="utf-8") as handle:
        handle.write("pain clinics,es,clínicas del dolor,house term\n")
    out = run(runner, demo, "build").output
    assert "0 of 2 article(s) unchanged" in out
    assert re.search(rf"held back: es/{SLUG}: \d+ check errors? \(tmkit check\): {ES}:\d+: \[glossary\]", out)
    assert [e["check"] for e in _check_errors(runner, demo)][:1] == ["glossary"]


def test_a_check_made_an_error_by_the_settings_holds_too(runner, demo):
    """``length`` set to ``error``: the gate compares with the language's usual ratio,
    computed over all its catalogs as ``tmkit check`` does."""
    _edit(demo, "tmkit.toml", 'glossary = "glossary.csv"',
          'glossary = "glossary.csv"\nseverity = {length = "error"}')
    assert _check_errors(runner, demo) == []
    assert _summary(run(runner, demo, "build").output)["es"] == (1, 0)
    _edit(demo, ES, '"El tabaquismo es un factor de riesgo de mala recuperación tras este tipo de "\n"operación."',
          '"Fumar."')
    [error] = _check_errors(runner, demo)
    assert (error["path"], error["check"]) == (ES, "length")
    out = run(runner, demo, "build").output
    assert f"held back: es/{SLUG}: 1 check error (tmkit check): {ES}:{error['line']}: [length]" in out
    assert "Fumar." not in _page_text(demo, "es")


def test_only_the_changed_catalog_is_checked_again(runner, demo, monkeypatch):
    """The build counts the catalogs it really checks (the runner itself, spied on)."""
    from toolkit.checks import runner as checks_runner

    checked: list[str] = []
    real = checks_runner.catalog_errors

    def spy(checks, path, shown, slug):
        checked.append(shown)
        return real(checks, path, shown, slug)

    monkeypatch.setattr(checks_runner, "catalog_errors", spy)
    run(runner, demo, "build")
    assert sorted(checked) == sorted(f"po/{lang}/{SLUG}.po" for lang in ("es", "fr", "de", "ar", "zh-Hans"))
    checked.clear()
    _edit(demo, ES, '"Se estima que más del 60%', '"Se estima que más del 70%')
    out = run(runner, demo, "build").output
    assert checked == [ES] and f"held back: es/{SLUG}: 1 check error" in out
    checked.clear()
    _edit(demo, "glossary.csv", "ar,متلازمة فشل جراحة الظهر,ISA house term", "ar,متلازمة فشل جراحة الظهر,ISA term")
    run(runner, demo, "build")
    assert len(checked) == 5
    checked.clear()
    assert "held back: es/" in run(runner, demo, "build").output and checked == []
