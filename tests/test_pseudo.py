"""tmkit pseudo: pseudo-translations that keep what the checks protect."""

from __future__ import annotations

import json
import unicodedata

import polib
import pytest

from conftest import run_cli
from test_checks_support import SEED_SLUG
from toolkit.text import inline
from toolkit.checks.medical import compare_numbers
from toolkit.catalog.pseudo import CLOSE, OPEN, PDF, RLM, RLO, pseudolocalize

MARKED = ('Take <strong>2.5 mg</strong> of drug X if over 60% of the MRI shows '
          '<a href="https://example.org/a?b=1">scar tissue</a>, see www.spine.org.')


def test_qps_is_accented_expanded_and_bracketed():
    out = pseudolocalize(MARKED, keep=["MRI"])
    assert inline.signature(out) == inline.signature(MARKED)
    plain, source = inline.plain_text(out), inline.plain_text(MARKED)
    assert plain.startswith(OPEN) and plain.endswith(CLOSE + ".")
    assert compare_numbers(source, plain, "qps") == ([], [])
    assert "MRI" in plain and "www.spine.org" in plain and "ḿǵ" in plain.replace("ḿḿ", "ḿ")
    assert not any(c.isascii() and c.isalpha() for c in plain.replace("MRI", "").replace("www.spine.org", ""))
    assert 1.3 <= len(plain) / len(source) <= 1.5


def test_qps_rtl_overrides_each_word():
    out = pseudolocalize("More common in adults", rtl=True)
    assert out.startswith(RLM + OPEN) and out.count(RLO) == out.count(PDF) == 4
    words = out.strip(RLM + OPEN + CLOSE).split()
    assert all(w.startswith(RLO) and w.endswith(PDF) for w in words)
    # The characters stay in reading order (only their display is mirrored).
    assert unicodedata.normalize("NFD", words[0]).encode("ascii", "ignore").decode() == "MMooree"


@pytest.mark.parametrize("lang", ["qps", "qps-rtl"])
def test_pseudo_catalogs_pass_every_check_and_the_gate(runner, project, lang):
    result = run_cli(runner, project, "pseudo", "--lang", lang)
    assert result.output == f"wrote po/{lang}/{SEED_SLUG}.po\n"
    path = project / "po" / lang / f"{SEED_SLUG}.po"
    po = polib.pofile(str(path))
    assert po.percent_translated() == 100 and not po.fuzzy_entries()
    assert po.metadata["Language"] == ("qps" if lang == "qps" else "qps_RTL")
    assert [len(e.occurrences) for e in po if e.msgid == "Spine Disorders"] == [2]
    checked = run_cli(runner, project, "check", "--lang", lang)
    assert checked.output == "0 errors, 0 warnings in 1 file (32 translated entries checked)\n"
    data = json.loads(run_cli(runner, project, "status", "--lang", lang, "--format", "json").output)
    assert data["languages"][0]["rtl"] is (lang == "qps-rtl")
    assert data["languages"][0]["articles"][0]["gate"]["passed"] is True
    before = path.read_bytes()
    run_cli(runner, project, "pseudo", "--lang", lang)
    assert path.read_bytes() == before  # same input, same file


def test_pseudo_languages_stay_out_of_default_runs(runner, project):
    run_cli(runner, project, "pseudo")
    data = json.loads(run_cli(runner, project, "status", "--format", "json").output)
    assert "qps" not in [lang["lang"] for lang in data["languages"]]
    assert "Invalid value for '--lang'" in run_cli(runner, project, "pseudo", "--lang", "de", expect=2).output


def _links(page) -> set[str]:
    """Language tags a page links to: hreflang links in the head, the switcher's links."""
    from lxml import html as lhtml

    tree = lhtml.fromstring(page.read_bytes())
    return set(tree.xpath("//link[@rel='alternate']/@hreflang")) | set(
        tree.xpath("//nav[contains(@class, 'languages')]//@lang"))


def test_pseudo_languages_build_without_configuring_and_stay_off_real_pages(runner, project):
    from test_checks_support import write_all

    write_all(project)
    run_cli(runner, project, "pseudo")
    run_cli(runner, project, "build", "--lang", "qps", "--lang", "qps-rtl", "--lang", "es", "--force")
    exports = project / "exports"
    for lang in ("qps", "qps-rtl"):
        assert (exports / lang / f"{SEED_SLUG}.txt").is_file()
        assert _links(exports / lang / f"{SEED_SLUG}.html") == {"en", "es", lang, "x-default"}
    assert 'dir="rtl"' in (exports / "qps-rtl" / f"{SEED_SLUG}.html").read_text(encoding="utf-8")
    run_cli(runner, project, "build", "--force")       # every real language, the pseudo pages kept
    assert (exports / "qps" / f"{SEED_SLUG}.html").is_file()
    for lang in ("en", "es", "fr", "de", "ar", "zh-Hans"):
        links = _links(exports / lang / f"{SEED_SLUG}.html")
        assert {"en", "es", "fr"} <= links and not any(tag.startswith("qps") for tag in links)
    assert "qps" not in (exports / "index.html").read_text(encoding="utf-8")
    assert not (exports / "qps" / "index.html").exists()      # no language home, not searched
    searched = sorted(p.name for p in (exports / "pagefind").iterdir())
    assert "es" in searched and not any(name.startswith("qps") for name in searched)
