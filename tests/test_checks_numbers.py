"""The numbers check as each language writes numbers, paired with what they count.

An article full of numbers (tests/data/numbers/numbers-in-recovery.md:
ranges, decimal doses, thousands, hundreds of thousands, a decimal
percentage, ages, durations) translated correctly into 22 languages
(tests/data/numbers/translations.toml: Arabic, Persian, Urdu, Hebrew, Hindi,
Marathi, Bengali, Tamil, Thai, Japanese, Korean, Chinese in both scripts,
Russian, Turkish, Greek, Latin American Spanish, French, German, Swahili,
Georgian, Vietnamese) goes through ``tmkit extract``, ``tmkit update`` and
``tmkit check``: no number error.  Then each wrong number planted in each
language (a 10x dose, a changed percentage, a dropped thousands group, a
swapped quantity, swapped durations) is an error on that entry's line.
"""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from conftest import REPO, run_cli
from toolkit.checks.base import Entry, LanguageEnv
from toolkit.checks.medical import ACCEPT_HINT, check_numbers, compare_numbers
from toolkit.checks.numerals import conventions, read_numbers
from toolkit.checks.pofiles import msgstr_lines

DATA = Path(__file__).resolve().parent / "data" / "numbers"
SLUG = "numbers-in-recovery"
TRANSLATIONS: dict[str, dict] = tomllib.loads((DATA / "translations.toml").read_text(encoding="utf-8"))
LANGUAGES = list(TRANSLATIONS)
KINDS = ("dose", "percent", "group", "swap", "duration")


@pytest.fixture(scope="module")
def numbers_project(tmp_path_factory) -> Path:
    """A project with the article in 22 languages: POT extracted, PO files made by update."""
    root = tmp_path_factory.mktemp("numbers") / "proj"
    (root / "source").mkdir(parents=True)
    settings = (REPO / "tmkit.toml").read_text(encoding="utf-8")
    settings = settings.replace('glossary = "glossary.csv"', 'glossary = ""')
    settings = re.sub(r"^languages = \[.*\]$", "languages = " + json.dumps(LANGUAGES), settings, flags=re.M)
    (root / "tmkit.toml").write_text(settings, encoding="utf-8")
    shutil.copy(DATA / f"{SLUG}.md", root / "source")
    runner = CliRunner()
    run_cli(runner, root, "extract")
    run_cli(runner, root, "update")
    return root


def _planted(lang: str, kind: str) -> tuple[str, str]:
    """(segment id, wrong translation) of a planted error."""
    table = TRANSLATIONS[lang]
    segment, *change = table["plants"][kind]
    if len(change) == 1:
        return segment, change[0]
    old, new = change
    assert table[segment].count(old) == 1, (lang, kind, old)
    return segment, table[segment].replace(old, new)


def fill(root: Path, kind: str = "", ignore: bool = False) -> dict[str, tuple[Path, str]]:
    """Fill every PO file's msgstr by segment id (``# id:`` comments), with the ``kind`` error planted.

    Returns, per language, the PO file and the msgid of the planted entry.
    """
    planted: dict[str, tuple[Path, str]] = {}
    for lang in LANGUAGES:
        path = root / "po" / lang / f"{SLUG}.po"
        po = polib.pofile(str(path), wrapwidth=0)
        wrong = _planted(lang, kind) if kind else ("", "")
        for entry in po:
            ids = re.findall(r"^id: (\S+)$", entry.comment or "", flags=re.M)
            if not ids or ids[0] not in TRANSLATIONS[lang]:
                continue
            entry.msgstr = TRANSLATIONS[lang][ids[0]]
            entry.tcomment = ""
            if ids[0] == wrong[0]:
                entry.msgstr = wrong[1]
                entry.tcomment = "tmkit-ignore: numbers" if ignore else ""
                planted[lang] = (path, entry.msgid)
        po.save(str(path))
    return planted


def _check(root: Path, expect: int) -> dict:
    return json.loads(run_cli(CliRunner(), root, "check", "--format", "json", expect=expect).output)


def test_correct_local_notation_gives_no_number_error(numbers_project):
    fill(numbers_project)
    report = _check(numbers_project, 0)
    assert report["files"] == len(LANGUAGES) == 22 and report["entries"] == 22 * 6
    numbers = [f for f in report["findings"] if f["check"] == "numbers"]
    assert [f for f in numbers if f["severity"] == "error"] == []
    # The only remarks: "every 2 weeks" said with a dual noun, a warning as it should be.
    assert sorted((f["lang"], f["severity"]) for f in numbers) == [("ar", "warning"), ("he", "warning")]
    assert all("dual" in f["message"] for f in numbers)
    assert report["errors"] == 0


@pytest.mark.parametrize("kind", KINDS)
def test_each_planted_wrong_number_is_an_error_in_every_language(numbers_project, kind):
    planted = fill(numbers_project, kind)
    report = _check(numbers_project, 1)
    errors = {(f["lang"], f["line"]) for f in report["findings"]
              if f["check"] == "numbers" and f["severity"] == "error"}
    expected = set()
    for lang, (path, msgid) in planted.items():
        po = polib.pofile(str(path))
        expected.add((lang, msgstr_lines(path, po)[id(po.find(msgid))]))
    assert len(expected) == 22
    assert errors == expected, sorted(expected - errors)
    assert all(ACCEPT_HINT in f["message"] for f in report["findings"] if f["severity"] == "error")


def test_ignore_comment_accepts_a_deliberate_change(numbers_project):
    fill(numbers_project, "swap", ignore=True)
    report = _check(numbers_project, 0)
    assert report["errors"] == 0


def test_swapped_quantity_is_an_error_with_its_units():
    missing, extra = compare_numbers("Take 2.5 mg for 6 days.", "Tome 6 mg durante 2,5 días.", "es")
    assert [n.label for n in missing] == ["2.5 mg", "6 days"]
    assert [n.label for n in extra] == ["6 mg", "2,5 días"]
    (problem,) = check_numbers(Entry("Take 2.5 mg for 6 days.", "Tome 6 mg durante 2,5 días."),
                               LanguageEnv("es"))
    assert problem.severity is None  # the check's own severity: error
    assert problem.message == ("source has 2.5 mg, 6 days, translation has 6 mg, 2,5 días (the same "
                               f"numbers count other things: swapped?); {ACCEPT_HINT}")
    # The same sentence in the right order, or reordered by the language, is fine.
    assert compare_numbers("Take 2.5 mg for 6 days.", "Tome 2,5 mg durante 6 días.", "es") == ([], [])
    assert compare_numbers("Take 2.5 mg for 6 days.", "6日間、2.5 mgを服用してください。", "ja") == ([], [])


@pytest.mark.parametrize("lang, source, target", [
    ("zh-Hans", "150,000 people", "15万人"),
    ("zh-Hant", "150,000 people", "15萬人"),
    ("ja", "150,000 people", "１５０，０００人"),
    ("ko", "150,000 people", "15만 명"),
    ("ko", "300 million", "3억"),
    ("hi", "150,000 people", "1,50,000 लोग"),
    ("hi", "150,000 people", "१,५०,००० लोग"),
    ("hi", "150,000 people", "1.5 लाख लोग"),
    ("bn", "150,000 people", "১,৫০,০০০ জন"),
    ("ta", "150,000 people", "1,50,000 பேர்"),
    ("th", "150,000 people", "๑๕๐,๐๐๐ คน"),
    ("tr", "20-40% of them", "%20-40'ı"),
    ("tr", "over 60% of", "yüzde 60'tan fazlası"),
    ("es-419", "take 2.5 mg", "tome 2,5 mg"),
    ("es-419", "take 2.5 mg", "tome 2.5 mg"),
    ("es-419", "1,500 patients", "1.500 pacientes"),
    ("es-419", "1,500 patients and 2.5 mg", "1.500 pacientes y 2,5 mg"),
    ("fa", "take 2.5 mg", "۲/۵ میلی‌گرم"),
    ("fa", "take 2.5 mg", "۲٫۵ میلی‌گرم"),
    ("fa", "over 60% of", "بیش از ۶۰ درصد"),
    ("ar", "over 60% of", "أكثر من 60\u200f%"),
    ("ar", "over 40% of", "أكثر من 40\u200e%\u200e"),
    ("ar", "over 60% of", "أكثر من ٦٠٪\u061c"),
    ("ar", "over 60% of", "أكثر من ٦٠ في المائة"),
    ("ur", "over 60% of", "60 فیصد سے زیادہ"),
    ("hi", "over 60% of", "60 प्रतिशत से अधिक"),
    ("bn", "over 60% of", "৬০ শতাংশের বেশি"),
    ("th", "over 60% of", "มากกว่าร้อยละ 60"),
    ("sw", "over 60% of", "zaidi ya asilimia 60"),
    ("ru", "over 60% of", "более 60 процентов"),
    ("ru", "over 2% of", "более 2 процента"),
    ("el", "over 60% of", "πάνω από το 60 τοις εκατό"),
    ("he", "over 60% of", "יותר מ-60 אחוז"),
    ("zh-Hans", "over 60% of", "超过百分之60"),
    ("ja", "over 60% of", "60パーセント以上"),
    ("fr", "10-20%", "10 à 20\u202f%"),
])
def test_local_notation_is_no_error(lang, source, target):
    assert compare_numbers(source, target, lang) == ([], [])


@pytest.mark.parametrize("lang, source, target, missing", [
    ("zh-Hans", "150,000 people", "15千人", "150,000"),
    ("ko", "150,000 people", "1만5천 명", "150,000"),        # composite words are not read: flagged
    ("hi", "150,000 people", "1,50,00 लोग", "150,000"),       # a group lost
    ("hi", "150,000 people", "15,000 लोग", "150,000"),
    ("es-419", "1,500 patients and 2.5 mg", "1.500 pacientes y 25 mg", "2.5 mg"),
    ("fa", "take 2.5 mg", "۲۵ میلی‌گرم", "2.5 mg"),
    ("tr", "20-40% of them", "%20-45'i", "40%"),
    ("ar", "over 60% of", "أكثر من ٦ في المائة", "60%"),
    ("ar", "over 60% of", "أكثر من ٦٠ مريضًا", "60%"),      # no longer a percentage
    ("ja", "for 6 weeks, from age 65", "65週間、6歳から", "6 weeks"),
    ("es", "every 2 weeks", "cada 2 meses", "2 weeks"),
])
def test_wrong_numbers_are_reported(lang, source, target, missing):
    lost, _extra = compare_numbers(source, target, lang)
    assert [n.label for n in lost][:1] == [missing]


@pytest.mark.parametrize("lang, target", [("ar", "كل أسبوعين"), ("he", "כל שבועיים")])
def test_dual_noun_for_two_is_a_warning(lang, target):
    (problem,) = check_numbers(Entry("every 2 weeks", target), LanguageEnv(lang))
    assert problem.severity == "warning" and "dual" in problem.message
    # A dual of another unit is not the same thing: "every 2 weeks" -> "every two years".
    wrong = {"ar": "كل سنتين", "he": "כל שנתיים"}[lang]
    (problem,) = check_numbers(Entry("every 2 weeks", wrong), LanguageEnv(lang))
    assert problem.severity is None


def test_conventions_come_from_cldr():
    hindi = conventions("hi")
    assert any(c.indian for c in hindi) and {c.decimal for c in hindi} == {"."}
    assert {c.decimal for c in conventions("es-419")} == {".", ","}  # es-419 and its base es
    assert "/" in {c.decimal for c in conventions("fa")}
    assert {c.decimal for c in conventions("ar")} >= {"\u066b", "."}
    assert conventions("qps") == conventions("en")


def test_units_and_ranges_are_read():
    numbers = read_numbers("aged 65 or older, 6 to 8 weeks, 10-20%", "en", side="source")
    assert [(n.text, n.unit) for n in numbers] == [
        ("65", "year"), ("6", "week"), ("8", "week"), ("10", None), ("20%", "%")]
    # In a translation a percent sign is shared by a range's bounds.
    assert [n.unit for n in read_numbers("%20-40'ı", "tr")] == ["%", "%"]
    assert [(n.text, n.unit) for n in read_numbers("6～8週間", "ja")] == [("6", "week"), ("8", "week")]


def _mutations(text: str):
    """Each number of ``text`` made wrong two ways, in its own digits: first digit changed,
    a digit put in front (the first one again, or a one before a zero: 0.5 -> 10.5)."""
    for match in re.finditer(r"\d+(?:[.,'\u066b\u066c/\u00a0\u202f]\d+)*", text):
        token, first = match.group(0), match.group(0)[0]
        zero = ord(first) - int(first)  # the script's digit zero
        bumped = chr(zero + (int(first) + 1) % 10) + token[1:]
        prefix = first if first != chr(zero) else chr(zero + 1)
        for wrong in (bumped, prefix + token):
            yield text[:match.start()] + wrong + text[match.end():]


def _correct_pairs():
    """(lang, English, correct translation) of the article and of the demo translations."""
    article = (DATA / f"{SLUG}.md").read_text(encoding="utf-8").split("---", 2)[2]
    english = {f"b{n}.s1": p.strip() for n, p in enumerate(
        (p for p in article.split("\n\n") if p.strip()), 1)}
    for lang, table in TRANSLATIONS.items():
        for segment, target in table.items():
            if segment != "plants":
                yield lang, english[segment], target
    for path in sorted((REPO / "po").glob("*/failed-back-syndrome.po")):
        for entry in polib.pofile(str(path)):
            if entry.msgstr and "fuzzy" not in entry.flags and re.search(r"\d", entry.msgid):
                yield path.parent.name, entry.msgid, entry.msgstr


def test_every_number_made_wrong_is_an_error():
    """Every number of every correct translation, changed or multiplied, is an error."""
    caught = tried = 0
    missed = []
    for lang, source, target in _correct_pairs():
        env = LanguageEnv(lang)
        if any(p.severity is None for p in check_numbers(Entry(source, target), env)):
            continue  # already reported as it stands (none in these files)
        for wrong in _mutations(target):
            tried += 1
            if any(p.severity is None for p in check_numbers(Entry(source, wrong), env)):
                caught += 1
            else:
                missed.append((lang, wrong))
    assert missed == [] and tried > 500, (tried, missed[:10])


def test_pairing_is_a_maximum_matching_and_survives_long_entries():
    # Greedy would give the unit-less 2.5 the "2,5 mg" and strand the source's 2.5 mg.
    assert compare_numbers("2.5 and 2.5 mg", "2,5 mg y 2,5 días", "es") == ([], [])
    long_source = " ".join(["take 1 mg for 1 day"] * 1500)
    long_target = " ".join(["tome 1 mg durante 1 día"] * 1499 + ["tome 1 mg durante 7 días"])
    missing, extra = compare_numbers(long_source, long_target, "es")
    assert [n.label for n in missing] == ["1 day"] and [n.label for n in extra] == ["7 días"]


def test_unreadable_tokens_fall_back_to_sibling_locales_then_english():
    assert compare_numbers("take 2.5 mg", "تناول 2,5 ملغ", "ar") == ([], [])   # as ar_MA writes
    assert compare_numbers("take 2.5 mg", "tome 2.5 mg", "es") == ([], [])     # English
    lost, _ = compare_numbers("1,500 patients", "1,500 pacientes", "es")      # read locally: 1.5
    assert [n.text for n in lost] == ["1,500"]
