"""``tmkit check --source``: proofreading the English (spelling, repeated words,
full stop before a lower-case word, brackets, quotes), on the seed and on
articles written for these tests in every source format."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from lxml import html as lxml_html

from conftest import REPO, SEED, run_cli
from test_checks import _set_toml
from toolkit.checks.proofread import SourceLines, prose_text
from toolkit.checks.prose import check_brackets, check_full_stop, check_quotes, check_repeated_word
from toolkit.checks.source import SourceEnv, SourceProblem, SourceText
from toolkit.checks.spelling import Speller, medical_words

SEED_TYPOS = {"Assocition": "Association", "throught": "through", "appoved": "approved",
              "Acedemy": "Academy"}
#: "heath" is a typo for "health" but an English word: no spell-checker reports it.
REAL_WORD_TYPOS = {"heath"}

_FINDING_RE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): \[(?P<check>[\w-]+)\] (?:warning: )?(?P<message>.*)$")


def findings(output: str) -> list[dict]:
    """Finding lines of ``tmkit check --source`` output, parsed; not the reading grade of
    a whole article (``readability``: tests/test_readability.py), these tests are about
    the proofreading checks."""
    return [m.groupdict() for m in map(_FINDING_RE.match, output.splitlines())
            if m and m.group("check") != "readability"]


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first line of ``path`` containing ``needle``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if needle in line)


def spelt(found: list[dict]) -> list[str]:
    return [re.match(r"'([^']+)'", f["message"]).group(1) for f in found if f["check"] == "spelling"]


def write_article(root: Path, name: str, text: str) -> Path:
    path = root / "source" / name
    path.write_text(text, encoding="utf-8")
    return path


def source_only(root: Path, *articles: tuple[str, str]) -> None:
    """Replace the project's articles with ``articles`` (name, text)."""
    for old in (root / "source").iterdir():
        old.unlink()
    for name, text in articles:
        write_article(root, name, text)


# -- the seed ------------------------------------------------------------------------

def test_seed_typos_found_with_file_and_line(runner, project):
    result = run_cli(runner, project, "check", "--source")
    found = findings(result.output)
    for typo, meant in SEED_TYPOS.items():
        expected = [f for f in found if f["message"].startswith(f"'{typo}'")]
        assert len(expected) == 1, (typo, result.output)
        assert expected[0]["path"] == f"source/{SEED.name}"
        assert int(expected[0]["line"]) == line_of(SEED, typo)
        assert meant in expected[0]["message"]          # the suggestion names the right word
    # ...and the seed's reading grade (14.0, above max_grade 8): one more warning.
    assert "[readability] warning: grade 14.0 (Flesch-Kincaid)" in result.output
    assert result.output.splitlines()[-1].startswith(f"0 errors, {len(found) + 1} warnings in 1 source file")


def test_seed_correct_words_flagged_at_most_two(runner, project):
    """Without the project's words.txt only the association's coinages remain;
    with the repository's words.txt no correct word is reported at all."""
    result = run_cli(runner, project, "check", "--source")
    words = {w.casefold() for w in spelt(findings(result.output))}
    correct = words - {t.casefold() for t in SEED_TYPOS}
    assert correct == {"spinecare", "spinehealth"}
    shutil.copy(REPO / "words.txt", project / "words.txt")
    words = {w.casefold() for w in spelt(findings(run_cli(runner, project, "check", "--source").output))}
    assert words == {t.casefold() for t in SEED_TYPOS}


def test_seed_full_stops_before_lower_case(runner, project):
    found = [f for f in findings(run_cli(runner, project, "check", "--source").output)
             if f["check"] == "full-stop"]
    assert [(int(f["line"]), f["message"].split("'")[1]) for f in found] == [
        (line_of(SEED, "spine. spinehealth"), "spine. spinehealth"),
        (line_of(SEED, "support. not replace"), "support. not")]


def test_demo_project_acceptance(runner):
    """The repository's own project (words.txt committed): the four typos, the two full stops."""
    result = run_cli(runner, REPO, "check", "--source")
    found = findings(result.output)
    assert sorted(spelt(found)) == sorted(SEED_TYPOS)
    for typo in SEED_TYPOS:
        assert any(f["line"] == str(line_of(SEED, typo)) and typo in f["message"] for f in found)
    assert {f["check"] for f in found} == {"spelling", "full-stop"}


def test_seed_medical_terms_are_unknown_to_the_dictionary_but_not_reported(runner, project):
    """The seed's medical words need tmkit's vocabulary: the general dictionary lacks them."""
    plain = Speller()
    for term in ("arachnoiditis", "laminectomy", "myelogram", "electrodiagnostic", "hypermobility",
                 "deconditioning"):
        assert term in SEED.read_text(encoding="utf-8")
        assert not plain.known(term), term
    result = run_cli(runner, project, "check", "--source")
    assert not {"arachnoiditis", "laminectomy", "myelogram"} & set(spelt(findings(result.output)))


# -- articles written for the tests ------------------------------------------------------

MEDICAL = """\
Spine Terms

Spondylolisthesis, radiculopathy, arachnoiditis and spinal stenosis are common causes of neuropathic pain.
Surgeons may perform a laminectomy, a foraminotomy, a discectomy or a microdiscectomy; some patients need two laminectomies.
Radiculopathies and myelopathy are assessed with electromyography, discography or a myelogram.
Drugs such as gabapentin, pregabalin, duloxetine, naproxen, tramadol and methylprednisolone are prescribed.
A physiatrist or neurosurgeon may suggest kyphoplasty, vertebroplasty or transforaminal epidural injections at L4-L5.
"""


def test_medical_terms_not_reported(runner, project):
    source_only(project, ("terms.txt", MEDICAL))
    result = run_cli(runner, project, "check", "--source")
    assert findings(result.output) == [], result.output
    # ... and a misspelt one is, with the medical term suggested.
    write_article(project, "terms.txt", MEDICAL.replace("radiculopathy", "radiculopaty"))
    (found,) = findings(run_cli(runner, project, "check", "--source").output)
    assert found["message"] == "'radiculopaty' (did you mean 'radiculopathy'?)"
    assert found["line"] == "3"


def test_vocabulary_is_a_few_hundred_lower_case_words():
    words = medical_words()
    assert 300 <= len(words) <= 1000
    assert {"spondylolisthesis", "radiculopathy", "laminectomy", "arachnoiditis", "foraminotomy",
            "discectomy", "neuropathic"} <= words
    assert all(w == w.casefold() and " " not in w for w in words)


MARKDOWN = """\
---
title: Sciatica and the Spine
---

# Sciatica and the Spine

Sciatica is pain that follows the sciatic nerve. It is often caused by a
herniated disc, spondylolisthesis or foraminal stenosis, and the
the pain can radiate into the leg (radiculopathy.

## Treatment

- Most patients improve with physiotherapy, e.g. walking, stretching, etc. and rest.
- Some need surgery; see [our guide](https://spine.example.org/guidde) for more.
- Medication such as gabapentin may help neuropathic pain. ask your doctor first.

Write to infoo@spine.example.org or call 555-0100. Take 2.5 mg twice a day (or 10mg at night); an MRI or CT, `getDoze(x]`.

He said "rest for a week and avoid liftting.
"""


def test_markdown_article(runner, project):
    path = write_article(project, "sciatica.md", MARKDOWN)
    result = run_cli(runner, project, "check", "--source", "--article", "sciatica")
    got = [(int(f["line"]), f["check"], f["message"]) for f in findings(result.output)]
    assert got == [
        (line_of(path, "disc, spondylolisthesis"), "repeated-word", "'the the': word repeated"),
        (line_of(path, "(radiculopathy"), "unbalanced-bracket", "'(radiculopathy…': '(' is never closed with ')'"),
        (line_of(path, "pain. ask"), "full-stop", "'pain. ask': full stop before a lower-case word "
                                                  "(a comma meant, or a capital letter missing?)"),
        (line_of(path, "liftting"), "spelling", "'liftting' (did you mean 'lifting'?)"),
        (line_of(path, '"rest'), "unbalanced-quote", "'\"rest…': '\"' is never closed (odd number of quotes)"),
    ], result.output
    assert all(f["path"] == "source/sciatica.md" for f in findings(result.output))
    # The paragraph starts on line 7; what is at fault is on lines 8 and 9.
    assert [g[0] for g in got[:2]] == [8, 9]


HTML = """\
<!DOCTYPE html>
<html lang="en">
<head><title>Arachnoiditis</title></head>
<body>
<h1>Arachnoiditis</h1>
<p>Arachnoiditis is an inflamation of the arachnoid,
one of the membranes that surround the nerves of the spinne.</p>
<ul>
<li>It can follow a foraminotomy, a discectomy or an epidural injection.</li>
<li>Symptoms include burning pain, numbness and weakness.]</li>
</ul>
<p>Treatment aims at relieving pain &amp; improving function; see <a href="https://example.org/arachnoidtis">the “guide</a>.</p>
</body>
</html>
"""


def test_html_article(runner, project):
    write_article(project, "arachnoiditis.html", HTML)
    result = run_cli(runner, project, "check", "--source", "--article", "arachnoiditis")
    got = [(int(f["line"]), f["check"], f["message"].split(" (")[0]) for f in findings(result.output)]
    assert got == [
        (6, "spelling", "'inflamation'"),
        (7, "spelling", "'spinne'"),
        (10, "unbalanced-bracket", "'…weakness.]': ']' closes no '['"),
        (12, "unbalanced-quote", "'“guide…': '“' is never closed with '”'"),
    ], result.output


def test_json_output(runner, project):
    write_article(project, "sciatica.md", MARKDOWN)
    result = run_cli(runner, project, "check", "--source", "--format", "json")
    data = json.loads(result.output)
    assert set(data) == {"findings", "files", "units", "words", "errors", "warnings", "readability"}
    assert data["files"] == 2 and data["errors"] == 0 and data["warnings"] == len(data["findings"])
    first = data["findings"][0]
    assert set(first) == {"path", "line", "check", "severity", "message", "lang", "slug"}
    assert (first["lang"], first["severity"]) == ("en", "warning")
    typo = next(f for f in data["findings"] if "Assocition" in f["message"])
    assert (typo["path"], typo["line"], typo["slug"]) == (f"source/{SEED.name}", line_of(SEED, "Assocition"),
                                                          SEED.stem)
    text = findings(run_cli(runner, project, "check", "--source").output)
    assert [(f["path"], int(f["line"]), f["check"]) for f in text] == \
        [(f["path"], f["line"], f["check"]) for f in data["findings"] if f["check"] != "readability"]
    assert data["readability"][f"source/{SEED.name}"]["flesch_kincaid"] == 14.0


# -- exit codes and silencing -------------------------------------------------------------

def test_exit_code_one_only_for_error_level(runner, project):
    assert run_cli(runner, project, "check", "--source").exit_code == 0   # warnings only
    _set_toml(project, 'severity = {spelling = "error"}')
    result = run_cli(runner, project, "check", "--source", expect=1)
    assert f"source/{SEED.name}:{line_of(SEED, 'Acedemy')}: [spelling] 'Acedemy'" in result.output
    assert "[full-stop] warning: " in result.output
    _set_toml(project, 'severity = {spelling = "error"}\nsource_disable = ["spelling"]')
    run_cli(runner, project, "check", "--source", expect=0)


def test_bad_settings_are_one_line_errors(runner, project):
    _set_toml(project, 'source_disable = ["speling"]')
    result = run_cli(runner, project, "check", "--source", expect=2)
    assert re.fullmatch(r"tmkit: error: .*tmkit\.toml:\d+: unknown source check 'speling' in "
                        r"checks.source_disable \(known: .*spelling.*\)\n", result.output)
    _set_toml(project, 'words = "terms/missing.txt"')
    result = run_cli(runner, project, "check", "--source", expect=2)
    assert "word list not found: terms/missing.txt" in result.output and "Traceback" not in result.output
    _set_toml(project, 'words = "../outside.txt"')
    assert "leaves the project" in run_cli(runner, project, "check", "--source", expect=2).output
    _set_toml(project, "")
    result = run_cli(runner, project, "check", "--source", "--lang", "es", expect=2)
    assert result.output == "tmkit: error: --lang: does not apply to --source (the source is English)\n"


def test_silencing(runner, project):
    (project / "terms").mkdir()
    (project / "terms" / "ours.txt").write_text("# our words\nSpinecare\nspinehealth  # the site\n",
                                                encoding="utf-8")
    _set_toml(project, 'words = "terms/ours.txt"\nsource_disable = ["full-stop"]')
    found = findings(run_cli(runner, project, "check", "--source").output)
    assert sorted(spelt(found)) == sorted(SEED_TYPOS)
    assert {f["check"] for f in found} == {"spelling"}
    # Per article, and do_not_translate / glossary words are never spelt.
    write_article(project, "sciatica.md", MARKDOWN)
    (project / "glossary.csv").write_text("term,lang,translation\nliftting,es,levantar\n", encoding="utf-8")
    _set_toml(project, 'words = "terms/ours.txt"\nglossary = "glossary.csv"\ndo_not_translate = ["Acedemy"]\n'
                       'source_per_article = {sciatica = {disable = ["repeated-word", "unbalanced-quote"]}}')
    found = findings(run_cli(runner, project, "check", "--source").output)
    assert sorted(spelt(found)) == ["Assocition", "appoved", "throught"]
    sciatica = {f["check"] for f in found if f["path"] == "source/sciatica.md"}
    assert sciatica == {"unbalanced-bracket", "full-stop"}
    # The whole feature off: nothing reported, nothing loaded.
    _set_toml(project, 'source_disable = ["spelling", "repeated-word", "full-stop", "unbalanced-bracket", '
                       '"unbalanced-quote"]')
    assert findings(run_cli(runner, project, "check", "--source").output) == []


# -- extract and status ----------------------------------------------------------------------

def test_extract_warns_without_changing_exit_code(runner, project):
    result = run_cli(runner, project, "extract")
    assert f"source/{SEED.name}:{line_of(SEED, 'Assocition')}: [spelling] warning: 'Assocition'" in result.stderr
    assert "[spelling]" not in result.stdout
    pot = (project / "po" / "templates" / f"{SEED.stem}.pot").read_text(encoding="utf-8")
    _set_toml(project, 'severity = {spelling = "error"}')
    result = run_cli(runner, project, "extract", expect=0)     # warnings only, even error-level ones
    assert "'Acedemy'" in result.stderr
    assert (project / "po" / "templates" / f"{SEED.stem}.pot").read_text(encoding="utf-8") == pot
    assert run_cli(runner, project, "extract", "--no-source-checks").stderr == ""


def test_status_shows_source_findings(runner, project):
    write_article(project, "notes.txt", "Notes\n\nUse <b>bold) text & the the rest.\n")
    run_cli(runner, project, "extract", "--no-source-checks")
    data = json.loads(run_cli(runner, project, "status", "--format", "json").output)
    expected = json.loads(run_cli(runner, project, "check", "--source", "--format", "json").output)
    assert data["source_findings"] == len(expected["findings"]) > 6
    run_cli(runner, project, "status", "--format", "html")
    page = (project / "exports" / "status.html").read_text(encoding="utf-8")
    doc = lxml_html.fromstring(page)
    rows = [[td.text_content() for td in tr.xpath("td")]
            for tr in doc.xpath("//table[@id='source-findings']/tbody/tr")]
    assert rows == [[f"{f['path']}:{f['line']}", f["check"], f["message"]] for f in expected["findings"]]
    assert ["source/notes.txt:3", "unbalanced-bracket", "'…<b>bold)': ')' closes no '('"] in rows
    assert "<b>bold" not in page and "&lt;b&gt;bold)" in page     # escaped
    assert not doc.xpath("//script | //b")


# -- the checks one by one -----------------------------------------------------------------

def _run(check, text: str) -> list[SourceProblem]:
    return check(SourceText(text, 1, "paragraph", "source/x.txt", "x"), SourceEnv())


@pytest.mark.parametrize("text", [
    "Walk daily, e.g. around the block.", "Take approx. two tablets.", "Pain, stiffness, etc. and fatigue.",
    "Studies in the U.S. and Europe agree.", "Smith et al. found this.", "Wait... then rest.",
    "See spine.org. more later.", "1. rest in bed", "Visit www.spine.org/help. then call.",
    "It is over. iPhone apps help.", "Take 2 tablets at 5 p.m. daily.",
])
def test_full_stop_exceptions(text):
    assert _run(check_full_stop, text) == []


def test_full_stop_reported():
    (problem,) = _run(check_full_stop, "Rest is good. exercise is better.")
    assert (problem.start, problem.anchor) == (8, "good. exercise")


@pytest.mark.parametrize("text, expected", [
    ("the the", ["the the"]), ("It is is painful and and swollen.", ["is is", "and and"]),
    ("The the pain", ["The the"]), ("He had had surgery.", []), ("that that happened", []),
    ("Take 10 10 mg", []), ("theme the", []), ("pain pain pain", ["pain pain pain"]),
])
def test_repeated_words(text, expected):
    assert [p.anchor for p in _run(check_repeated_word, text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("Steps: a) rest b) walk", []), ("Happy :) and sad :(", []), ("(one [two] {three})", []),
    ("pain (vascular", ["(vascular"]), ("pain vascular)", ["vascular)"]), ("a (b] c", ["(b]", "(b"]),
    ("see https://example.org/a_(b for more", []),
])
def test_brackets(text, expected):
    assert [p.anchor for p in _run(check_brackets, text)] == expected


@pytest.mark.parametrize("text, expected", [
    ('He said "rest" and "walk".', []), ('A 5" scar.', []), ("Don’t worry, it’s fine.", []),
    ("“Rest,” she said.", []), ("‘Rest’, she said.", []),
    ('He said "rest.', ['"rest']), ("“Rest, she said.", ["“Rest"]), ("Rest,” she said.", ["Rest,”"]),
    ("‘Rest, she said.", ["‘Rest"]),
])
def test_quotes(text, expected):
    assert [p.anchor for p in _run(check_quotes, text)] == expected


def test_lines_follow_repeated_anchors_across_lines():
    raw = "Title\n\nThe cat sat.\nThe cat ran.\nThe cat hid.\n"
    text = SourceText("The cat sat. The cat ran. The cat hid.", 3, "paragraph", "x", "x")
    lines = SourceLines(raw)
    assert [lines.line_of(SourceProblem(at, "cat", ""), text) for at in (4, 17, 30)] == [3, 4, 5]
    # Not found in the file (written differently): the place's first line.
    assert lines.line_of(SourceProblem(0, "dog", ""), text) == 3


def test_code_is_not_proofread():
    assert prose_text("Run <code>getConfg(x]</code> now, <em>then</em> rest.").split() == ["Run", "now,",
                                                                                           "then", "rest."]


def test_speller_cases_and_suggestions():
    speller = Speller(frozenset({"spinecare"}))
    assert speller.known("Spinecare") and speller.known("spinecares") and speller.known("patient's")
    assert not speller.known("Assocition")
    assert speller.suggestions("Assocition") == ["Association"]
    assert set(speller.suggestions("throught")) == {"thought", "through"}
    assert speller.suggestions("qqqqqzzzzz") == []


def test_suggestions_scan_only_lengths_within_reach_and_find_what_all_words_give():
    """Suggestions look only at words whose length is within the edit distance: the same
    words as a scan of the whole dictionary (and the extra words) finds."""
    import random

    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    from toolkit.checks.spelling import MAX_DISTANCE, MAX_SUGGESTIONS, _dictionary

    extra = frozenset({"spinecare", "kyphoplasty"})
    speller = Speller(extra)
    frequency = dict(_dictionary())
    for word in extra:
        frequency.setdefault(word, 1)
    words = list(frequency)

    def everywhere(key: str) -> list[str]:
        found = process.extract(key, words, scorer=OSA.distance, score_cutoff=MAX_DISTANCE, limit=None)
        if not found:
            return []
        best = min(distance for _, distance, _ in found)
        return sorted((w for w, d, _ in found if d == best), key=lambda w: (-frequency[w], w))[:MAX_SUGGESTIONS]

    rng = random.Random(7)
    keys = ["teh", "a", "ab", "recieve", "kyphoplsty", "spinecar", "spondylolisthesiss",
            *("".join(rng.choice("aeinorst") for _ in range(rng.randint(1, 12))) for _ in range(30)),
            *rng.sample(words, 10)]
    for key in keys:
        assert speller._closest(key) == everywhere(key), key


def test_extract_remembers_findings_of_unchanged_articles(runner, project):
    """A second extract gives the same warnings from .tmkit/proofread-cache.json;
    an edit of the article, of words.txt or of the settings is seen."""
    first = run_cli(runner, project, "extract").stderr
    cache = project / ".tmkit" / "proofread-cache.json"
    assert json.loads(cache.read_text(encoding="utf-8"))["articles"][f"source/{SEED.name}"]["findings"]
    cache.write_text(cache.read_text(encoding="utf-8").replace("Assocition", "Cached"), encoding="utf-8")
    again = run_cli(runner, project, "extract").stderr     # nothing changed: the stamp's findings,
    assert "'Cached'" not in again and "'Assocition'" in again  # no article nor cache read (issue 23)
    shutil.rmtree(project / ".tmkit" / "nochange")             # without the stamps: the per-article cache
    assert "'Cached'" in run_cli(runner, project, "extract").stderr          # really read from the cache
    (project / "words.txt").write_text("spinecare\n", encoding="utf-8")      # a new word list: proofread again
    second = run_cli(runner, project, "extract").stderr
    assert "'Cached'" not in second and "'Assocition'" in second
    assert "'spinecare'" not in second and "'spinecare'" in first and "'spinehealth'" in second
    text = SEED.read_text(encoding="utf-8").replace("Acedemy", "Academy")
    (project / "source" / SEED.name).write_text(text, encoding="utf-8")
    assert "'Acedemy'" not in run_cli(runner, project, "extract").stderr
    write_article(project, "other.txt", "Other\n\nA paragraf.\n")
    assert "source/other.txt:3: [spelling] warning: 'paragraf'" in run_cli(runner, project, "extract").stderr
    (project / "source" / "other.txt").unlink()
    run_cli(runner, project, "extract")
    assert list(json.loads(cache.read_text(encoding="utf-8"))["articles"]) == [f"source/{SEED.name}"]
    _set_toml(project, 'source_disable = ["spelling"]')
    assert "[spelling]" not in run_cli(runner, project, "extract").stderr
    cache.write_text("{not json", encoding="utf-8")                          # a broken cache is only slower
    assert "[full-stop]" in run_cli(runner, project, "extract").stderr


def test_a_clean_patient_article_gives_no_findings(runner, project):
    """~500 words of ordinary patient English (drugs, anatomy, British 'tumour',
    'Pilates', 'MRIs', 'flare-ups', 'doesn't') written for this test: nothing to report."""
    article = (Path(__file__).parent / "data" / "proofread" / "back-pain.md").read_text(encoding="utf-8")
    source_only(project, ("back-pain.md", article))
    result = run_cli(runner, project, "check", "--source")
    # Nothing to proofread; only its reading grade (9.6) is above the patient target of 8.
    assert findings(result.output) == []
    assert "source/back-pain.md:1: [readability] warning: grade 9.6 (Flesch-Kincaid)" in result.output
    assert result.output.endswith("0 errors, 1 warning in 1 source file (490 words in 19 places checked)\n")
    # Planting typos makes it fail, each on its line.
    broken = article.replace("sedentary", "sedentery").replace("bladder or bowels", "bladder or or bowels")
    write_article(project, "back-pain.md", broken)
    got = [(f["line"], f["check"]) for f in findings(run_cli(runner, project, "check", "--source").output)]
    path = project / "source" / "back-pain.md"
    assert got == [(str(line_of(path, "sedentery")), "spelling"), (str(line_of(path, "or or")), "repeated-word")]


@pytest.mark.parametrize("word", ["tumour", "tumours", "paediatric", "oedema", "haematoma", "centre",
                                  "organisation", "analysed", "programme", "travelled", "licence", "favourite"])
def test_british_spellings_are_accepted(word):
    assert Speller().known(word)


@pytest.mark.parametrize("word", ["recieve", "seperate", "definately", "occured", "untill", "becuase"])
def test_common_misspellings_are_not(word):
    assert not Speller().known(word)


def test_binary_source_formats_use_the_readers_lines(project, monkeypatch):
    """A format that is not text (such as .docx) has no lines to search: the
    reader's line of each place is reported, and nothing fails."""
    from toolkit.checks import proofread
    from toolkit.project.config import load_config
    from toolkit.model import Article, Block, BlockKind

    path = project / "source" / "leaflet.txt"
    path.write_bytes(b"PK\x03\x04\xff\xfe binary")
    article = Article("leaflet", "source/leaflet.txt", "docx", "Leaflet", 1,
                      blocks=[Block(BlockKind.PARAGRAPH, "Rest and and walk.", 3)])
    monkeypatch.setattr(proofread, "read_article", lambda p, shown, limits=None: article)
    result = proofread.proofread_article(load_config(project), path, proofread.source_env(load_config(project)))
    assert [(f["line"], f["check"]) for f in result.findings] == [(3, "repeated-word")]


def test_word_document(runner, project):
    """A .docx (no lines): findings give the paragraph number the Word reader records."""
    docx = pytest.importorskip("docx")
    from toolkit.readers import read_article

    document = docx.Document()
    document.add_heading("Whiplash Injuries", 1)
    document.add_paragraph("Most people recover within weeks, but some develope chronic pain.")
    document.add_paragraph("Rest, ice and and gentle exercise help.", style="List Bullet")
    path = project / "source" / "whiplash.docx"
    document.save(str(path))
    result = run_cli(runner, project, "check", "--source", "--article", "whiplash")
    article = read_article(path)
    lines = {b.text.split()[-2]: b.line for b in article.walk() if b.text}
    assert [(f["path"], int(f["line"]), f["check"]) for f in findings(result.output)] == [
        ("source/whiplash.docx", lines["chronic"], "spelling"),
        ("source/whiplash.docx", lines["exercise"], "repeated-word")]
    assert "'develope' (did you mean" in result.output


def test_extract_sums_up_findings_beyond_twenty(runner, project):
    """At scale extract stays readable: 20 findings, then a count; -v prints them all."""
    source = project / "source"
    for number in range(5):
        (source / f"typos-{number}.txt").write_text(
            "Typos\n\nThe Assocition and the Acedemy appoved it throught the yeer.\n", encoding="utf-8")
    everything = [line for line in run_cli(runner, project, "extract", "-v").stderr.splitlines()
                  if "] warning:" in line]
    assert len(everything) > 20
    quiet = run_cli(runner, project, "extract").stderr.splitlines()
    assert sum("] warning:" in line for line in quiet) == 20
    assert (f"tmkit: warning: {len(everything) - 20} more findings in the English "
            "(all with -v, or 'tmkit check --source')") in quiet


def test_extract_proofreads_in_its_workers_as_one_process_does(runner, project):
    """From PARALLEL_FROM articles on, extract proofreads in its worker processes, on the
    articles they read for the templates (issue 23): the findings it prints (-v: all of
    them) are those ``tmkit check --source`` finds in one process, in the same order, and
    an article edited later is proofread again, alone, with the same result."""
    from toolkit.catalog.extract import PARALLEL_FROM

    seed = SEED.read_text(encoding="utf-8")
    typos = ["paragraf", "surgary", "recovary", "theraphy"]
    for number in range(PARALLEL_FROM + 6):
        text = seed.replace("Failed Back Syndrome\n", f"Failed Back Syndrome {number}\n", 1)
        text = text.replace("diabetes", typos[number % len(typos)], 1) if number % 3 else text
        write_article(project, f"variant-{number:03d}.txt", text)
    extract = run_cli(runner, project, "extract", "-v").stderr.splitlines()
    check = run_cli(runner, project, "check", "--source").output.splitlines()
    lines = [line for line in check if _FINDING_RE.match(line)]
    assert len(lines) > 10 * PARALLEL_FROM and "[spelling]" in "\n".join(lines)
    assert [line for line in extract if _FINDING_RE.match(line)] == lines
    assert any("'surgary'" in line for line in lines)
    edited = project / "source" / "variant-001.txt"
    edited.write_text(edited.read_text(encoding="utf-8").replace("surgary", "diabetes"), encoding="utf-8")
    again = [line for line in run_cli(runner, project, "extract", "-v").stderr.splitlines()
             if _FINDING_RE.match(line)]
    now = [line for line in run_cli(runner, project, "check", "--source").output.splitlines()
           if _FINDING_RE.match(line)]
    assert again == now and len(now) < len(lines)


def test_extract_with_bad_proofreading_settings_writes_templates_then_says_so(runner, project):
    """A proofreading settings error does not stop the templates (extract's own work,
    done in the workers that would have proofread): they are written, then the error."""
    _set_toml(project, 'source_disable = ["speling"]')
    result = run_cli(runner, project, "extract", expect=2)
    assert "unknown source check 'speling'" in result.output and "Traceback" not in result.output
    assert (project / "po" / "templates" / f"{SEED.stem}.pot").is_file()
    assert run_cli(runner, project, "extract", "--no-source-checks").exit_code == 0
