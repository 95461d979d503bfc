"""tmkit review (the page) and tmkit review approve (the sign-off), through the CLI.

Pages are parsed with html5lib in strict mode (any HTML5 parse error fails)
and with lxml for structure; figures are compared with what polib and
``tmkit check`` say independently.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import tomllib
from pathlib import Path

import html5lib
import polib
import pytest
from lxml import html as lxml_html

from conftest import CHROMIUM, render_in_chromium, run_cli
from test_checks_support import SEED_SLUG, copy_demo, write_all
from toolkit.project.config import load_config
from toolkit.review.approve import approve
from toolkit.review.write import write_review_pages

PO_ES = f"po/es/{SEED_SLUG}.po"
SIGNOFF_ES = f"po/es/{SEED_SLUG}.review.toml"
PAGE_ES = f"exports/review/es/{SEED_SLUG}.html"


def parse_page(path: Path):
    """The page as an lxml tree, after html5lib accepted it without a single parse error."""
    data = path.read_bytes()
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(data)
    return lxml_html.document_fromstring(data)


def test_strict_parser_rejects_broken_html():
    """The validity check above can fail."""
    with pytest.raises(html5lib.html5parser.ParseError):
        html5lib.HTMLParser(strict=True).parse(b"<!DOCTYPE html><title>x</title><p><b></p></i>")


def row(doc, seg_id: str):
    (found,) = doc.xpath(f"//tr[@data-id='{seg_id}']")
    return found


def msgstr_line(path: Path, msgid_start: str) -> int:
    """The line of the msgstr of the entry whose msgid starts with ``msgid_start`` (read as text)."""
    lines = path.read_text("utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if msgid_start in line)
    return next(i for i in range(start, len(lines)) if lines[i].startswith("msgstr")) + 1


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def set_require_review(project: Path, value: bool = True) -> None:
    toml = project / "tmkit.toml"
    text = toml.read_text("utf-8")
    assert "require_review = false" in text
    toml.write_text(text.replace("require_review = false", f"require_review = {str(value).lower()}"),
                    encoding="utf-8")


def edit_po(project: Path, old: str, new: str, rel: str = PO_ES) -> None:
    path = project / rel
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


# -- acceptance: the sentence with "60%" ---------------------------------------

def test_demo_page_shows_60_percent_side_by_side_and_the_numbers_finding(runner, project):
    copy_demo(project)
    out = run_cli(runner, project, "review", "--lang", "es").output
    assert out == f"wrote {PAGE_ES}: 33 translated, 0 fuzzy, 0 to do, 0 error(s); review: unreviewed\n"
    doc = parse_page(project / PAGE_ES)
    tr = row(doc, "b1.s2")
    source, target = tr.xpath("td[@class='source']")[0], tr.xpath("td[@class='target']")[0]
    assert "over 60% of individuals" in source.text_content()
    assert "más del 60%" in target.text_content()
    assert not tr.xpath(".//li[@data-check='numbers']")

    edit_po(project, "más del 60%", "más del 6%")
    run_cli(runner, project, "review", "--lang", "es", "--article", SEED_SLUG)
    doc = parse_page(project / PAGE_ES)
    tr = row(doc, "b1.s2")
    assert "over 60% of individuals" in tr.xpath("td[@class='source']")[0].text_content()
    assert "más del 6%" in tr.xpath("td[@class='target']")[0].text_content()
    (finding,) = tr.xpath(".//li[@data-check='numbers']")
    assert finding.get("data-severity") == "error"
    # The very finding `tmkit check` reports, at the place the page says to fix.
    check = json.loads(run_cli(runner, project, "check", "--lang", "es", "--format", "json",
                               expect=1).output)
    (error,) = [f for f in check["findings"] if f["severity"] == "error"]
    assert finding.text_content() == f"[numbers] error: {error['message']}"
    line = msgstr_line(project / PO_ES, "It has been estimated that over 60%")
    assert error["line"] == line
    assert tr.xpath(".//div[@class='fix']/code")[0].text == f"{PO_ES}:{line}"
    assert doc.xpath("//tbody/tr")[0].get("data-id") == "m.breadcrumb_label.1"   # reading order


def test_an_unchanged_page_is_not_written_again(runner, project):
    """A review of an unchanged catalog leaves its page file alone (same inode and time);
    a changed one is replaced."""
    copy_demo(project)
    run_cli(runner, project, "review", "--lang", "es")
    page = project / PAGE_ES
    before = page.stat()
    text = page.read_bytes()
    run_cli(runner, project, "review", "--lang", "es")
    after = page.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert page.read_bytes() == text
    edit_po(project, "más del 60%", "más del 6%")
    run_cli(runner, project, "review", "--lang", "es")
    assert page.stat().st_ino != before.st_ino and "más del 6%" in page.read_text(encoding="utf-8")


def test_page_rows_follow_reading_order_and_every_segment(runner, project):
    copy_demo(project)
    run_cli(runner, project, "review", "--lang", "de")
    doc = parse_page(project / f"exports/review/de/{SEED_SLUG}.html")
    from toolkit.readers.sources import iter_articles
    from toolkit.segment import segment_article
    config = load_config(project)
    expected = [s.id for s in segment_article(next(iter_articles(config)))]
    assert [tr.get("data-id") for tr in doc.xpath("//tbody/tr")] == expected
    states = [tr.get("data-state") for tr in doc.xpath("//tbody/tr")]
    assert states.count("translated") == 19 and states.count("untranslated") == 14
    empty = doc.xpath("//tr[@data-state='untranslated']/td[contains(@class,'target')]")[0]
    assert "empty" in empty.get("class") and empty.text_content().strip() == "(not translated)"


# -- states, difference, translation-memory origin ------------------------------

def test_fuzzy_prefill_shows_old_english_as_difference_and_tm_origin(runner, project):
    write_all(project)
    seed = project / "source" / f"{SEED_SLUG}.txt"
    other = project / "source" / "fbs-copy.txt"
    text = seed.read_text("utf-8")
    old = "in pain clinics suffer from failed back syndrome."
    assert old in text
    other.write_text(text.replace(old, "in pain clinics have failed back syndrome."), encoding="utf-8")
    run_cli(runner, project, "extract")
    run_cli(runner, project, "update", "--lang", "es")
    po = polib.pofile(str(project / "po/es/fbs-copy.po"))
    fuzzy = next(e for e in po if e.msgid.startswith("It has been estimated"))
    assert "fuzzy" in fuzzy.flags and fuzzy.previous_msgid and "tmkit-tm:" in fuzzy.tcomment

    run_cli(runner, project, "review", "--lang", "es", "--article", "fbs-copy")
    doc = parse_page(project / "exports/review/es/fbs-copy.html")
    tr = row(doc, "b1.s2")
    assert tr.get("data-state") == "fuzzy"
    assert [d.text for d in tr.xpath(".//div[@class='diff']/del")] == ["suffer from"]
    assert [i.text for i in tr.xpath(".//div[@class='diff']/ins")] == ["have"]
    diff = tr.xpath(".//div[@class='diff']")[0].text_content()
    assert "in pain clinics" in diff and "failed back syndrome." in diff
    (origin,) = tr.xpath(".//div[@class='tm']")
    assert re.fullmatch(rf"Pre-filled from the translation memory: (9\d|8\d)% from es/{SEED_SLUG}\S*",
                        origin.text_content())
    assert "más del 60%" in tr.xpath("td[contains(@class,'target')]")[0].text_content()
    exact = row(doc, "b1.s1")
    assert exact.get("data-state") == "translated"
    assert "100% (exact) from es/" in exact.xpath(".//div[@class='tm']")[0].text_content()
    assert row(doc, "b1.s3").get("data-state") == "untranslated"
    header = doc.xpath("//header/p")[0].text_content()
    assert "1 fuzzy" in header
    # The old English is only shown for fuzzy entries.
    assert len(doc.xpath("//div[@class='diff']")) == 1


def test_hostile_translation_and_reviewer_are_text_and_scripts_are_forbidden(runner, project):
    payload = '<script>alert(1)</script><img src=x onerror="alert(2)"> & <a href="javascript:x">y</a>'
    copy_demo(project)
    edit_po(project, 'msgstr "Inicio"', f'msgstr "{payload.replace(chr(34), chr(92) + chr(34))}"')
    run_cli(runner, project, "review", "approve", "--lang", "es", "--article", SEED_SLUG,
            "--by", '<b onmouseover="alert(3)">Dr "X"</b> \\ ', "--despite-findings")
    run_cli(runner, project, "review", "--lang", "es")
    data = (project / PAGE_ES).read_bytes()
    doc = parse_page(project / PAGE_ES)
    assert not doc.xpath("//script | //img | //iframe | //*[@src] | //b")
    assert not [a for el in doc.iter() for a in el.attrib if a.startswith("on")]
    assert not doc.xpath("//a[starts-with(@href,'javascript')]")
    assert b"<script" not in data and b"<img" not in data
    assert payload.replace('<a href="javascript:x">y</a>', "") in row(doc, "m.breadcrumb.1").text_content()
    assert '<b onmouseover="alert(3)">Dr "X"</b> \\' in doc.xpath("//div[@id='signoff']")[0].text_content()
    csp = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert "default-src 'none'" in csp and "script-src" not in csp


def test_each_column_carries_its_language_and_direction(runner, project):
    copy_demo(project)
    run_cli(runner, project, "review", "--lang", "ar")
    doc = parse_page(project / f"exports/review/ar/{SEED_SLUG}.html")
    root = doc.getroottree().getroot()
    assert (root.get("lang"), root.get("dir")) == ("en", "ltr")
    heads = doc.xpath("//table[@id='segments']/thead//th[@lang]")
    assert [(h.get("lang"), h.get("dir"), h.text) for h in heads] == [("en", "ltr", "English"),
                                                                      ("ar", "rtl", "العربية")]
    for tr in doc.xpath("//tbody/tr"):
        (src,) = tr.xpath("td[@class='source']")
        (tgt,) = tr.xpath("td[contains(@class,'target')]")
        assert (src.get("lang"), src.get("dir")) == ("en", "ltr")
        assert (tgt.get("lang"), tgt.get("dir")) == ("ar", "rtl")


# -- sign-off ----------------------------------------------------------------

def test_approve_refuses_error_findings_unless_despite_and_records_it(runner, project):
    copy_demo(project)
    edit_po(project, "más del 60%", "más del 6%")
    po_before = tree_digest(project / "po")
    result = run_cli(runner, project, "review", "approve", "--lang", "es", "--article", SEED_SLUG,
                     "--by", "Dr. Ana Ruiz", expect=1)
    line = msgstr_line(project / PO_ES, "It has been estimated that over 60%")
    assert f"{PO_ES}:{line}: [numbers] source has 60%, translation has 6%" in result.output
    assert result.output.strip().splitlines()[-1] == (
        f"tmkit: error: {PO_ES}: not approved: 1 error-level check finding; "
        "fix them, or approve with --despite-findings")
    assert tree_digest(project / "po") == po_before          # nothing written

    out = run_cli(runner, project, "review", "approve", "--lang", "es", "--article", SEED_SLUG,
                  "--by", "Dr. Ana Ruiz", "--despite-findings").output
    assert out.startswith(f"wrote {SIGNOFF_ES}: es/{SEED_SLUG} approved by Dr. Ana Ruiz at ")
    after = tree_digest(project / "po")
    assert {k: v for k, v in after.items() if k != f"es/{SEED_SLUG}.review.toml"} == po_before
    record = tomllib.loads((project / SIGNOFF_ES).read_text("utf-8"))
    assert record["despite_findings"] is True and record["error_findings"] == 1
    assert record["reviewer"] == "Dr. Ana Ruiz" and record["lang"] == "es"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", record["approved_at"])
    assert len(record["segments"]) == 33 and record["fingerprint"].startswith("sha256:")
    run_cli(runner, project, "review", "--lang", "es")
    signoff = parse_page(project / PAGE_ES).xpath("//div[@id='signoff']")[0]
    assert signoff.get("data-state") == "approved"
    assert "despite 1 error-level finding" in signoff.text_content()


def test_review_commands_never_write_po_files(runner, project):
    copy_demo(project)
    before = tree_digest(project / "po")
    run_cli(runner, project, "review", "--lang", "es")
    run_cli(runner, project, "review", "--lang", "de")
    assert tree_digest(project / "po") == before
    run_cli(runner, project, "review", "approve", "--lang", "fr", "--article", SEED_SLUG, "--by", "R")
    added = set(tree_digest(project / "po")) - set(before)
    assert added == {f"fr/{SEED_SLUG}.review.toml"}
    assert {k: v for k, v in tree_digest(project / "po").items() if k in before} == before


def test_changed_segments_stand_out_after_a_sign_off(runner, project):
    copy_demo(project)
    run_cli(runner, project, "review", "approve", "--lang", "es", "--article", SEED_SLUG, "--by", "R")
    run_cli(runner, project, "review", "--lang", "es")
    doc = parse_page(project / PAGE_ES)
    assert doc.xpath("//div[@id='signoff']/@data-state") == ["approved"]
    assert not doc.xpath("//tr[@data-changed]")
    edit_po(project, "padecen síndrome", "sufren síndrome")
    run_cli(runner, project, "review", "--lang", "es")
    doc = parse_page(project / PAGE_ES)
    assert doc.xpath("//div[@id='signoff']/@data-state") == ["changed"]
    assert [tr.get("data-id") for tr in doc.xpath("//tr[@data-changed='true']")] == ["b1.s2"]
    assert "changed since sign-off" in row(doc, "b1.s2").xpath("th")[0].text_content()
    assert "1 segment changed since" in doc.xpath("//div[@id='signoff']")[0].text_content()


def test_approve_with_fingerprint_refuses_a_version_changed_since_the_page(runner, project):
    copy_demo(project)
    run_cli(runner, project, "review", "--lang", "es")
    command = parse_page(project / PAGE_ES).xpath("//div[@id='signoff']//code")[0].text
    shown = command.split("--fingerprint ")[1]
    assert re.fullmatch(r"[0-9a-f]{16}", shown)
    edit_po(project, "padecen síndrome", "sufren síndrome")
    result = run_cli(runner, project, "review", "approve", "--lang", "es", "--article", SEED_SLUG,
                     "--by", "R", "--fingerprint", shown, expect=1)
    assert "the catalog changed since the review page showed" in result.output
    assert not (project / SIGNOFF_ES).exists()
    edit_po(project, "sufren síndrome", "padecen síndrome")
    run_cli(runner, project, "review", "approve", "--lang", "es", "--article", SEED_SLUG,
            "--by", "R", "--fingerprint", shown)
    assert (project / SIGNOFF_ES).exists()


@pytest.mark.parametrize("args, message", [
    (["--lang", "es", "--article", SEED_SLUG, "--by", "  "], "--by: the reviewer's name is empty"),
    (["--lang", "es", "--article", SEED_SLUG, "--by", "A\u202eB"], "invisible character U+202E"),
    (["--lang", "xx", "--article", SEED_SLUG, "--by", "R"], "unknown language tag"),
    (["--lang", "es", "--article", "nope", "--by", "R"], "no article named nope"),
    (["--lang", "es", "--article", SEED_SLUG, "--by", "R", "--fingerprint", "xyz"], "8 hex digits"),
])
def test_approve_bad_input_is_one_line_exit_2(runner, project, args, message):
    copy_demo(project)
    result = run_cli(runner, project, "review", "approve", *args, expect=2)
    assert result.output.startswith("tmkit: error: ") and message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not list((project / "po").rglob("*.review.toml"))


def test_missing_catalog_and_missing_lang(runner, project):
    result = run_cli(runner, project, "review", "--lang", "es", "--article", SEED_SLUG, expect=2)
    assert result.output == (f"tmkit: error: {PO_ES}: no PO file for this article-language; "
                             "run 'tmkit update' first\n")
    assert run_cli(runner, project, "review", "--lang", "es").output == \
        "no PO files for es yet; run 'tmkit update' first\n"
    assert "--lang is required" in run_cli(runner, project, "review", expect=2).output
    assert not (project / "exports" / "review").exists()


@pytest.mark.parametrize("content, where", [
    ("version = 1\nlang = \"es\"\nreviewer = \n", ":3: invalid TOML"),
    ("x", ": invalid TOML"),
    ("version = 1\nlang = \"es\"\n", ": 'article' is missing"),
    ("version = 2\n", ": 'lang' is missing"),
    ('\xff', ":1: invalid TOML"),
    ('version = 1\nlang = 2\n', ":2: 'lang' must be str"),
])
def test_damaged_signoff_file_is_an_error_with_its_line(runner, project, content, where):
    copy_demo(project)
    (project / SIGNOFF_ES).write_text(content, encoding="utf-8")
    for args in (["review", "--lang", "es"], ["status", "--lang", "es"]):
        result = run_cli(runner, project, *args, expect=2)
        assert result.output.startswith(f"tmkit: error: {SIGNOFF_ES}{where}")
    set_require_review(project)
    result = run_cli(runner, project, "build", "--lang", "es", expect=2)
    assert result.output.startswith(f"tmkit: error: {SIGNOFF_ES}{where}")
    assert not (project / "exports" / "es").exists()


def test_signoff_copied_to_another_language_is_refused(runner, project):
    copy_demo(project)
    run_cli(runner, project, "review", "approve", "--lang", "es", "--article", SEED_SLUG, "--by", "R")
    shutil.copy(project / SIGNOFF_ES, project / f"po/fr/{SEED_SLUG}.review.toml")
    result = run_cli(runner, project, "status", "--lang", "fr", expect=2)
    assert f"this sign-off is for es/{SEED_SLUG}, not fr/{SEED_SLUG}" in result.output
    # An edited fingerprint is not a sign-off of anything: the file must be well formed.
    text = (project / SIGNOFF_ES).read_text("utf-8")
    (project / SIGNOFF_ES).write_text(re.sub(r'fingerprint = ".*"', 'fingerprint = "ok"', text), "utf-8")
    result = run_cli(runner, project, "status", "--lang", "es", expect=2)
    assert "'fingerprint' must be 'sha256:' and 64 hex digits" in result.output


def test_signoff_file_round_trips_any_reviewer_name(project):
    copy_demo(project)
    config = load_config(project)
    name = 'Dra. Zoë "Z" O\'Brien \\ 王医生 د. علي ﷺ'
    path, record = approve(config, "es", SEED_SLUG, name, now="2026-01-02T03:04:05Z")
    data = tomllib.loads(path.read_text("utf-8"))
    assert data["reviewer"] == name and data["approved_at"] == "2026-01-02T03:04:05Z"
    assert data["fingerprint"] == record.fingerprint
    assert path.read_text("utf-8").startswith("# Sign-off recorded by `tmkit review approve`")
    # The library call for the page, as the CLI makes it.
    ((page_path, page),) = write_review_pages(config, "es", [SEED_SLUG])
    assert page_path == project / PAGE_ES and page.state == "approved" and page.slug == SEED_SLUG
    (reviewer,) = parse_page(page_path).xpath("//div[@id='signoff']//strong/text()")
    assert reviewer == name


# -- the publishing gate ------------------------------------------------------

def _page(project: Path, lang: str = "es") -> Path:
    return project / "exports" / lang / f"{SEED_SLUG}.html"


def test_require_review_holds_releases_and_holds_again(runner, project):
    copy_demo(project)
    set_require_review(project)
    out = run_cli(runner, project, "build").output
    assert f"held back: es/{SEED_SLUG}: not signed off (tmkit review approve)" in out
    assert not _page(project).exists() and (project / "exports/en" / f"{SEED_SLUG}.html").exists()
    switcher = lxml_html.parse(str(project / "exports/en" / f"{SEED_SLUG}.html")).getroot()
    assert not switcher.xpath("//nav[@class='languages']//*[@lang='es']")

    run_cli(runner, project, "review", "approve", "--lang", "es", "--article", SEED_SLUG,
            "--by", "Dr. Ana Ruiz")
    out = run_cli(runner, project, "build").output
    assert f"held back: es/" not in out
    approved = _page(project).read_bytes()
    assert "más del 60%" in approved.decode("utf-8")
    for ext in (".xml", ".txt"):
        assert (project / "exports/es" / f"{SEED_SLUG}{ext}").exists()

    edit_po(project, "padecen síndrome", "sufren síndrome")
    out = run_cli(runner, project, "build").output
    assert (f"held back: es/{SEED_SLUG}: changed since the sign-off by Dr. Ana Ruiz (") in out
    assert "1 segment changed; its last approved version stays published" in out
    assert f"kept: 1 held-back article-language(s) keep their last approved pages until a new " \
           f"sign-off: es/{SEED_SLUG}" in out
    assert _page(project).read_bytes() == approved            # the approved version, untouched
    home = lxml_html.parse(str(project / "exports/es/index.html")).getroot()
    assert home.xpath(f"//main//a[@href='{SEED_SLUG}.html']")   # the approved version stays listed

    status = json.loads(run_cli(runner, project, "status", "--lang", "es", "--format", "json").output)
    article = status["languages"][0]["articles"][0]
    assert article["review"]["state"] == "changed" and article["review"]["reviewer"] == "Dr. Ana Ruiz"
    assert article["gate"]["passed"] is False

    run_cli(runner, project, "review", "approve", "--lang", "es", "--article", SEED_SLUG, "--by", "Dr. B")
    out = run_cli(runner, project, "build").output
    assert f"held back: es/" not in out and "kept:" not in out
    assert "sufren síndrome" in _page(project).read_text("utf-8")


def test_a_changed_english_holds_the_translation_back_too(runner, project):
    copy_demo(project)
    set_require_review(project)
    run_cli(runner, project, "review", "approve", "--lang", "fr", "--article", SEED_SLUG, "--by", "R")
    run_cli(runner, project, "build", "--lang", "fr")
    assert _page(project, "fr").exists()
    seed = project / "source" / f"{SEED_SLUG}.txt"
    seed.write_text(seed.read_text("utf-8").replace("Smoking", "Tobacco smoking", 1), encoding="utf-8")
    out = run_cli(runner, project, "build", "--lang", "fr").output
    assert f"held back: fr/{SEED_SLUG}: changed since the sign-off" in out


def test_force_does_not_override_a_missing_signoff_and_unapproved_pages_are_withdrawn(runner, project):
    copy_demo(project)
    run_cli(runner, project, "build")                         # published without review
    assert _page(project).exists()
    set_require_review(project)
    out = run_cli(runner, project, "build", "--force").output
    assert f"held back: es/{SEED_SLUG}: not signed off" in out
    assert "kept:" not in out and not _page(project).exists()    # never approved: withdrawn
    # --force still publishes an incomplete but signed-off translation.
    run_cli(runner, project, "review", "approve", "--lang", "de", "--article", SEED_SLUG, "--by", "R")
    out = run_cli(runner, project, "build", "--force").output
    assert f"published with --force although held back: 58% translated" in out
    assert _page(project, "de").exists()


def test_status_shows_review_state_and_reviewer_in_every_format(runner, project):
    copy_demo(project)
    table = run_cli(runner, project, "status").output
    assert "review" not in table.split("pass the gate")[-1]          # no sign-offs, not required
    run_cli(runner, project, "review", "approve", "--lang", "es", "--article", SEED_SLUG,
            "--by", "Dr. Ana Ruiz", "--despite-findings")
    lines = run_cli(runner, project, "status").output.splitlines()
    assert max(len(line) for line in lines) <= 80
    es = next(line for line in lines if line.startswith(f"es/{SEED_SLUG}"))
    assert es.split()[1:4] == ["approved", "Dr.", "Ana"]
    assert next(line for line in lines if line.startswith(f"de/{SEED_SLUG}")).split()[1] == "unreviewed"

    rows = csv.DictReader(io.StringIO(run_cli(runner, project, "status", "--format", "csv").output))
    by_lang = {r["lang"]: r for r in rows}
    assert (by_lang["es"]["review"], by_lang["es"]["reviewer"]) == ("approved", "Dr. Ana Ruiz")
    assert by_lang["fr"]["review"] == "unreviewed" and by_lang["fr"]["reviewer"] == ""

    data = json.loads(run_cli(runner, project, "status", "--format", "json").output)
    review = data["languages"][0]["articles"][0]["review"]
    assert review["state"] == "approved" and review["reviewer"] == "Dr. Ana Ruiz"
    assert review["despite_findings"] is False and review["required"] is False

    run_cli(runner, project, "status", "--format", "html")
    doc = parse_page(project / "exports/status.html")
    cells = {tr.get("data-lang"): [td.text_content().strip() for td in tr.xpath("td")]
             for tr in doc.xpath("//table[@id='review']/tbody/tr")}
    assert cells["es"][1:3] == ["approved", "Dr. Ana Ruiz"] and cells["ar"][1] == "unreviewed"


def test_review_commands_take_the_project_lock(runner, project, monkeypatch):
    from toolkit.project.lock import project_lock

    copy_demo(project)
    monkeypatch.setenv("TMKIT_LOCK_TIMEOUT", "0.2")
    with project_lock(load_config(project)):
        for args in (["review", "--lang", "es"],
                     ["review", "approve", "--lang", "es", "--article", SEED_SLUG, "--by", "R"]):
            result = run_cli(runner, project, *args, expect=2)
            assert "another tmkit command" in result.output
    assert not (project / "exports").exists() and not (project / SIGNOFF_ES).exists()


def test_symlinked_review_folder_leading_out_is_refused(runner, project, tmp_path):
    copy_demo(project)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (project / "exports").mkdir()
    (project / "exports" / "review").symlink_to(outside)
    result = run_cli(runner, project, "review", "--lang", "es", expect=2)
    assert "folder leads out of the project" in result.output
    assert not list(outside.iterdir())


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed")
def test_review_page_renders_in_headless_chromium(runner, project, tmp_path):
    """The browser builds the same rows (no script needed, none allowed); Arabic column right to left."""
    copy_demo(project)
    run_cli(runner, project, "review", "--lang", "ar")
    page = project / f"exports/review/ar/{SEED_SLUG}.html"
    rendered = lxml_html.fromstring(render_in_chromium(page, tmp_path, tmp_path / "review.png",
                                                       "1400,1000"))
    assert len(rendered.xpath("//tbody/tr[@data-id]")) == 33
    assert rendered.xpath("//td[contains(@class,'target')][@dir='rtl']")
