"""tmkit status: figures checked against polib and pocount, renderings checked structurally."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from lxml import html as lxml_html
from translate.tools import pocount

from conftest import CHROMIUM, render_in_chromium, run_cli
from test_checks_support import SEED_SLUG, TRANSLATIONS, copy_demo, write_all, write_po
from toolkit.status import compute_status, render_table
from toolkit.project.config import load_config



def _independent(path: Path) -> dict:
    """Entries, places and words per state, straight from the PO file with polib.

    Entries and words count each PO entry once (as pocount does); places
    count an entry shared by several places in the article (its
    occurrences) once per place, as a reader sees it.
    """
    counts = {f"{kind}_{state}": 0 for kind in ("entries", "places", "words")
              for state in ("translated", "fuzzy", "untranslated")}
    counts["target_words"] = 0
    for entry in polib.pofile(str(path)):
        if entry.obsolete or not entry.msgid:
            continue
        state = ("fuzzy" if "fuzzy" in entry.flags and entry.msgstr else
                 "translated" if entry.msgstr else "untranslated")
        counts[f"entries_{state}"] += 1
        counts[f"places_{state}"] += len(entry.occurrences)
        counts[f"words_{state}"] += pocount.wordcount(entry.msgid)
        if state == "translated":
            counts["target_words"] += pocount.wordcount(entry.msgstr)
    return counts


def _got(article: dict) -> dict:
    got = {f"{kind}_{state}": article[kind][state] for kind in ("entries", "places", "words")
           for state in ("translated", "fuzzy", "untranslated")}
    got["target_words"] = article["target_words"]
    return got


def test_json_figures_equal_polib_counts(runner, project):
    paths = write_all(project)
    write_po(project, "de", {"title": "Postnukleotomiesyndrom", "b1.s2": "Über 60 % der Patienten."},
             fuzzy=["b1.s2"])
    data = json.loads(run_cli(runner, project, "status", "--format", "json").output)
    assert [lang["lang"] for lang in data["languages"]] == ["es", "fr", "de", "ar", "zh-Hans"]
    paths["de"] = project / f"po/de/{SEED_SLUG}.po"
    for lang in data["languages"]:
        (article,) = lang["articles"]
        assert _got(article) == _independent(paths[lang["lang"]]), lang["lang"]
        assert article["places"]["rejected"] == 0 and article["errors"] == 0
        assert article["gate"]["passed"] is False  # a few hand translations: far below 80%
    de = data["languages"][2]["articles"][0]
    assert de["entries"]["fuzzy"] == 1 and de["entries"]["translated"] == 1


@pytest.mark.parametrize("lang", ["zh-Hans", "ar"])
def test_word_counts_match_pocount(project, lang):
    path = write_po(project, lang, TRANSLATIONS[lang], fuzzy=["b4.i1.s1"])
    stats = pocount.calcstats(str(path))
    (article,) = compute_status(load_config(project), [lang]).languages[0].articles
    assert article.words.translated == stats["translatedsourcewords"]
    assert article.words.fuzzy == stats["fuzzysourcewords"]
    assert article.words.untranslated == stats["untranslatedsourcewords"]
    assert article.target_words == stats["translatedtargetwords"]
    assert (article.entries.translated, article.entries.fuzzy, article.entries.untranslated) == (
        stats["translated"], stats["fuzzy"], stats["untranslated"])
    # Entries are pocount's; places are what the page shows.  The seed's
    # "Spine Disorders" is both a breadcrumb step and the section label:
    # one entry, two places (docs/quality.md).
    shared = [e for e in polib.pofile(str(path)) if len(e.occurrences) > 1]
    assert [e.msgid for e in shared] == ["Spine Disorders"]
    assert article.places.total == stats["total"] + 1


def test_pocount_counts_chinese_by_character(project):
    path = write_po(project, "zh-Hans", TRANSLATIONS["zh-Hans"])
    (article,) = compute_status(load_config(project), ["zh-Hans"]).languages[0].articles
    expected = sum(len([c for c in TRANSLATIONS["zh-Hans"][k] if "\u4e00" <= c <= "\u9fff"])
                   + TRANSLATIONS["zh-Hans"][k].count("FBS") + TRANSLATIONS["zh-Hans"][k].count("MRI")
                   + TRANSLATIONS["zh-Hans"][k].count("60")
                   for k in TRANSLATIONS["zh-Hans"])
    assert article.target_words == expected
    assert path.exists()


def without_readability(output: str) -> list[str]:
    """The status table's lines without the English's reading grades printed last
    (tests/test_readability.py checks those)."""
    return output.split("\n\nreadability of the English")[0].splitlines()


def test_table_fits_80_columns_without_colour_off_a_tty(runner, project):
    write_all(project)
    out = run_cli(runner, project, "status").output
    assert max(len(line) for line in out.splitlines()) <= 80
    lines = without_readability(out)
    assert "\x1b[" not in out
    es = next(line for line in lines if line.startswith("es "))
    assert es.split()[1:5] == [SEED_SLUG, "10", "0", "22"] and es.endswith("held")
    assert lines[-2] == "0 of 5 article-languages pass the gate (min 80% translated)."
    assert lines[-1].startswith("pct: share of the page's segments translated")
    coloured = render_table(compute_status(load_config(project), ["es"]))
    assert "\x1b[31m" in coloured  # click strips it only when the output is not a terminal


def test_totals_per_language_with_several_articles(runner, project):
    shutil.copy(project / "source" / f"{SEED_SLUG}.txt", project / "source" / "another-article-with-a-long-name.txt")
    write_all(project)
    run_cli(runner, project, "pseudo", "--lang", "qps")
    out = run_cli(runner, project, "status", "--lang", "es", "--lang", "qps").output
    assert max(len(line) for line in out.splitlines()) <= 80
    lines = without_readability(out)
    rows = [line.split() for line in lines[3:-2]]
    assert [r[:2] for r in rows] == [["es", "another-article-wit…"], ["es", SEED_SLUG], ["es", "(all"],
                                     ["qps", "another-article-wit…"], ["qps", SEED_SLUG], ["qps", "(all"]]
    assert rows[2][3:] == ["10", "0", "54", "122", "0", "940", "0", "15%", "0/2"]   # entries; pct counts places
    assert rows[5][-2:] == ["100%", "2/2"]


def test_gate_passes_when_translated_enough(runner, project):
    config = load_config(project)
    from toolkit.segment import segment_article
    from toolkit.readers.sources import iter_articles
    article = next(iter_articles(config))
    every = {s.id: f"[{s.text}]" for s in segment_article(article)}
    write_po(project, "es", every)
    data = json.loads(run_cli(runner, project, "status", "--lang", "es", "--format", "json",
                              "--article", SEED_SLUG).output)
    gate = data["languages"][0]["articles"][0]["gate"]
    assert gate == {"passed": True, "percent": 100.0, "reasons": []}


def test_csv_has_one_row_per_language_and_article(runner, project):
    write_all(project)
    rows = list(csv.DictReader(io.StringIO(run_cli(runner, project, "status", "--format", "csv").output)))
    assert [(r["lang"], r["article"]) for r in rows] == [(l, SEED_SLUG) for l in ["es", "fr", "de", "ar", "zh-Hans"]]
    assert rows[0]["entries_translated"] == "10" and rows[2]["percent"] == "0.0"
    assert int(rows[0]["places_total"]) == int(rows[0]["entries_total"]) + 1   # "Spine Disorders" twice


def _html_project(runner, project) -> Path:
    toml = project / "tmkit.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'name = "isa-spine-articles"', 'name = "<script>alert(1)</script> & co"'), encoding="utf-8")
    write_all(project)
    write_po(project, "de", {"title": "Postnukleotomiesyndrom", "b1.s2": "Über 60 % der Patienten."},
             fuzzy=["b1.s2"])
    result = run_cli(runner, project, "status", "--format", "html")
    assert result.output == "wrote exports/status.html\n"
    return project / "exports" / "status.html"


def test_html_page_structure_and_escaping(runner, project):
    page = _html_project(runner, project)
    text = page.read_text(encoding="utf-8")
    doc = lxml_html.fromstring(text)
    bars = doc.xpath("//div[@id='bars']/div[contains(concat(' ', @class, ' '), ' bar ')]")
    assert [b.get("data-lang") for b in bars] == ["es", "fr", "de", "ar", "zh-Hans"]
    es_parts = [(s.get("class"), s.get("style")) for s in bars[0].xpath("span")]
    assert es_parts == [("translated", "width: 30.30%"), ("untranslated", "width: 69.70%")]
    assert [s.get("class") for s in bars[2].xpath("span")] == ["translated", "fuzzy", "untranslated"]
    assert len(doc.xpath("//table[@id='grid']/tbody/tr")) == 5
    assert doc.xpath("//table[@id='grid']/tbody/tr[1]/td")[0].get("class") == "cell c1"
    blockers = [li.text_content() for li in doc.xpath("//ul[@id='blockers']/li")]
    assert sum("below the 80% minimum" in b for b in blockers) == 5
    assert any(b.startswith(f"de {SEED_SLUG}: required text not translated: b7.s1 ('All health")
               for b in blockers)
    # Nothing executable or external; the hostile project name is shown as text.
    assert not doc.xpath("//script | //link | //img | //iframe | //*[@src]")
    assert "<script>alert(1)</script> & co" in doc.xpath("//h1")[0].text_content()
    assert "http:" not in text and "https:" not in text   # no external resources (the CSP meta says http-equiv)


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Chromium is not installed")
def test_html_renders_in_headless_chromium(runner, project, tmp_path):
    """Screenshot (kept at $TMKIT_SCREENSHOT if set) and the rendered DOM: one bar per language."""
    page = _html_project(runner, project)
    shot = Path(os.environ.get("TMKIT_SCREENSHOT", tmp_path / "status.png"))
    dom = render_in_chromium(page, tmp_path, shot, "1000,1100")
    rendered = lxml_html.fromstring(dom)
    assert len(rendered.xpath("//div[@id='bars']/div[@data-lang]")) == 5


def test_demo_json_figures_equal_polib_counts(runner, project):
    paths = copy_demo(project)
    data = json.loads(run_cli(runner, project, "status", "--format", "json").output)
    for lang in data["languages"]:
        (article,) = lang["articles"]
        assert _got(article) == _independent(paths[lang["lang"]]), lang["lang"]
    assert [lang["published"] for lang in data["languages"]] == [1, 1, 0, 1, 1]


def _msgfmt_statistics(path: Path) -> dict[str, int]:
    """``msgfmt --statistics``: "18 translated messages, 1 fuzzy translation, 14 untranslated messages."."""
    import re
    out = subprocess.run(["msgfmt", "--statistics", "-o", os.devnull, str(path)], capture_output=True,
                         text=True, check=True).stderr
    found = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for number, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", out):
        found[kind] = int(number)
    return found


def test_demo_counts_equal_pocount_and_msgfmt(runner, project):
    """Every demo catalog: entries and words as pocount says, entries as msgfmt --statistics says."""
    paths = copy_demo(project)
    data = json.loads(run_cli(runner, project, "status", "--format", "json").output)
    for lang in data["languages"]:
        (article,) = lang["articles"]
        stats = pocount.calcstats(str(paths[lang["lang"]]))
        entries = article["entries"]
        assert (entries["translated"], entries["fuzzy"], entries["untranslated"], entries["total"]) == (
            stats["translated"], stats["fuzzy"], stats["untranslated"], stats["total"]), lang["lang"]
        words = article["words"]
        assert (words["translated"], words["fuzzy"], words["untranslated"]) == (
            stats["translatedsourcewords"], stats["fuzzysourcewords"], stats["untranslatedsourcewords"])
        assert article["target_words"] == stats["translatedtargetwords"]
        if shutil.which("msgfmt"):
            assert _msgfmt_statistics(paths[lang["lang"]]) == {
                k: entries[k] for k in ("translated", "fuzzy", "untranslated")}, lang["lang"]


def test_entries_count_fuzzy_like_pocount(project):
    """A fuzzy entry is fuzzy for pocount and msgfmt alike; status agrees."""
    path = write_po(project, "de", {"title": "Postnukleotomiesyndrom", "b1.s2": "Über 60 % der Patienten."},
                    fuzzy=["b1.s2"])
    stats = pocount.calcstats(str(path))
    (article,) = compute_status(load_config(project), ["de"]).languages[0].articles
    assert (article.entries.translated, article.entries.fuzzy, article.entries.untranslated) == (
        stats["translated"], stats["fuzzy"], stats["untranslated"]) == (1, 1, stats["total"] - 2)
    if shutil.which("msgfmt"):
        assert _msgfmt_statistics(path) == {"translated": 1, "fuzzy": 1, "untranslated": stats["total"] - 2}
