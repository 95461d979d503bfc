"""Issue 26: a new user's first hour, from ``tmkit init`` to a published page, through the CLI.

Each test follows what README, docs and ``--help`` say, on a project created
with ``tmkit init`` (not the repository's settings), and checks the real
files written (PO parsed with polib, HTML with lxml, sign-off files read back).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from toolkit.cli import cli
from toolkit.project.config import load_config

from conftest import REPO, SEED, run_cli

ARTICLE = """Back Surgery Recovery

Most people go home two days after the operation. Call 999 in an emergency.

After the operation

Walk a little every day and avoid lifting for six weeks. Your physician will check the wound.

This article does not replace the advice of your doctor.
"""


def invoke(runner: CliRunner, *args: str, expect: int = 0, **kwargs):
    result = runner.invoke(cli, list(args), catch_exceptions=False, prog_name="tmkit", **kwargs)
    assert result.exit_code == expect, (result.exit_code, result.output)
    return result


@pytest.fixture
def fresh(tmp_path: Path, runner: CliRunner) -> Path:
    """``tmkit init new --lang es --lang fr`` with one article of the user's own."""
    root = tmp_path / "new"
    invoke(runner, "init", str(root), "--lang", "es", "--lang", "fr")
    (root / "source" / "recovery.txt").write_text(ARTICLE, encoding="utf-8")
    return root


def translate(po_path: Path, table: dict[str, str], comment: str = "") -> None:
    """Translate the entries whose msgid contains a key of ``table`` (as a PO editor would)."""
    po = polib.pofile(str(po_path))
    for entry in po:
        for needle, text in table.items():
            if needle in entry.msgid:
                entry.msgstr = text
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                if comment:
                    entry.tcomment = comment
    po.save(str(po_path))


def comments(pot: Path) -> dict[str, str]:
    return {e.msgid: e.comment.split("\n")[0] for e in polib.pofile(str(pot))}


# -- 1. an author's last section is never taken for the page footer ---------------------

def test_authors_last_section_with_a_disclaimer_stays_body(runner, fresh):
    run_cli(runner, fresh, "extract")
    found = comments(fresh / "po" / "templates" / "recovery.pot")
    assert "[footer]" not in found["After the operation"]
    recovery = next(v for k, v in found.items() if k.startswith("Walk a little"))
    assert "[footer]" not in recovery and "[disclaimer]" not in recovery
    assert found["This article does not replace the advice of your doctor."].endswith("[disclaimer]")
    run_cli(runner, fresh, "build")
    page = lxml_html.fromstring((fresh / "exports" / "en" / "recovery.html").read_bytes())
    boxed = " ".join(" ".join(div.itertext()) for div in page.xpath('//div[@class="footer" or @class="disclaimer"]'))
    assert "does not replace" in boxed
    assert "After the operation" not in boxed and "Walk a little" not in boxed


def test_footer_marked_explicitly_in_web_copy(runner, fresh):
    (fresh / "source" / "recovery.txt").write_text(
        ARTICLE + "\n[footer]\n\nSpine Clinic, 1 High Street.\n\nThe advice here is general.\n",
        encoding="utf-8")
    run_cli(runner, fresh, "extract")
    found = comments(fresh / "po" / "templates" / "recovery.pot")
    assert found["Spine Clinic, 1 High Street."].endswith("[footer]")
    assert found["The advice here is general."].endswith("[footer]")
    assert "[footer]" not in found  # the mark itself is not text to translate
    assert "[footer]" not in found["After the operation"]


def test_seed_page_footer_is_unchanged(runner, project):
    run_cli(runner, project, "extract")
    found = comments(project / "po" / "templates" / "failed-back-syndrome.pot")
    assert found["Educational Partners"].endswith("[footer]")
    roles = [c.rsplit("[", 1)[-1] for m, c in found.items() if "under 'Educational Partners'" in c]
    assert roles == ["footer]", "footer]", "disclaimer]", "disclaimer]"]


# -- 2. the project is found from any subfolder; init refuses inside one ----------------

def test_commands_find_the_project_from_a_subfolder(runner, fresh, monkeypatch):
    monkeypatch.chdir(fresh / "source")
    result = invoke(runner, "extract")
    assert (fresh / "po" / "templates" / "recovery.pot").is_file()
    assert "1 templates" in result.output
    assert "recovery" in invoke(runner, "status").output
    # init there is refused, and creates nothing
    refused = invoke(runner, "init", expect=2)
    assert f"inside the tmkit project {fresh}" in refused.output and len(refused.output.splitlines()) == 1
    refused = invoke(runner, "init", "sub", expect=2)
    assert not (fresh / "source" / "tmkit.toml").exists() and not (fresh / "source" / "sub").exists()


def test_outside_a_project_the_message_says_so(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "status", expect=2)
    assert result.output == (f"tmkit: error: {tmp_path}: no tmkit.toml in this folder or any folder "
                             "above it; create a project with 'tmkit init'\n")


def test_subfolder_discovery_in_a_real_process(fresh):
    out = subprocess.run([sys.executable, "-m", "toolkit", "extract"], cwd=fresh / "po",
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert not (fresh / "po" / "tmkit.toml").exists()
    assert (fresh / "po" / "templates" / "recovery.pot").is_file()


# -- 3. neutral settings; how to accept a deliberate change ----------------------------

def test_init_writes_neutral_settings_with_commented_examples(fresh):
    config = load_config(fresh)
    assert config.checks.do_not_translate == [] and config.checks.localisable_numbers == []
    text = (fresh / "tmkit.toml").read_text("utf-8")
    assert "FBS" not in text and "MRI\", \"CT" not in text
    assert '# Numbers a translation may localise, e.g. emergency numbers ["999", "112", "911"]:' in text
    assert "tmkit-ignore: numbers" in text


def test_rm_for_mri_is_no_error_in_a_new_project(runner, fresh):
    (fresh / "source" / "recovery.txt").write_text("Scans\n\nYou may need an MRI scan.\n", encoding="utf-8")
    run_cli(runner, fresh, "extract")
    run_cli(runner, fresh, "update", "--lang", "es")
    translate(fresh / "po" / "es" / "recovery.po", {"MRI": "Puede necesitar una RM.", "Scans": "Pruebas"})
    assert "0 errors" in run_cli(runner, fresh, "check", "--lang", "es").output


def test_localised_emergency_number_how_to_accept_it(runner, fresh):
    run_cli(runner, fresh, "extract")
    run_cli(runner, fresh, "update", "--lang", "es")
    po = fresh / "po" / "es" / "recovery.po"
    translate(po, {"Call 999": "Llame al 112 en caso de emergencia."})
    failed = run_cli(runner, fresh, "check", "--lang", "es", expect=1)
    assert "[numbers] source has 999, translation has 112" in failed.stdout
    assert "'# tmkit-ignore: numbers'" in failed.stderr and "[checks] localisable_numbers" in failed.stderr
    # either way the hint names works: the translator's comment on the entry...
    translate(po, {"Call 999": "Llame al 112 en caso de emergencia."}, comment="tmkit-ignore: numbers")
    assert "0 errors" in run_cli(runner, fresh, "check", "--lang", "es").output
    # ...or the project's list of localisable numbers
    translate(po, {"Call 999": "Llame al 112 en caso de emergencia."}, comment="reviewed")
    run_cli(runner, fresh, "check", "--lang", "es", expect=1)
    toml = fresh / "tmkit.toml"
    toml.write_text(toml.read_text("utf-8").replace("localisable_numbers = []",
                                                    'localisable_numbers = ["999", "112"]'), "utf-8")
    assert "0 errors" in run_cli(runner, fresh, "check", "--lang", "es").output
    # 999 may become another number of the list, not any number
    translate(po, {"Call 999": "Llame al 113 en caso de emergencia."})
    wrong = run_cli(runner, fresh, "check", "--lang", "es", expect=1)
    assert "[numbers] source has 999, translation has 113" in wrong.stdout
    toml.write_text(toml.read_text("utf-8").replace('["999", "112"]', '["9 9 9"]'), "utf-8")
    bad = run_cli(runner, fresh, "check", expect=2)
    assert "tmkit.toml:" in bad.output and "localisable_numbers" in bad.output


# -- 5. one "complete" everywhere ------------------------------------------------------

def test_build_and_status_give_the_same_complete(runner, fresh):
    (fresh / "source" / "short.txt").write_text("Short\n\nRest helps.\n", encoding="utf-8")
    run_cli(runner, fresh, "extract")
    run_cli(runner, fresh, "update", "--lang", "es")
    translate(fresh / "po" / "es" / "short.po", {"Short": "Corto", "Rest helps.": "Descansar ayuda."})
    built = run_cli(runner, fresh, "build", "--lang", "es").output
    row = next(line.split() for line in built.splitlines() if line.startswith("es "))
    assert "translated share of the segments on the page, all articles of a language together" in built
    status = run_cli(runner, fresh, "status", "--lang", "es").output
    total = next(line.split() for line in status.splitlines() if "(all" in line)
    # 2 of the 9 segments of both articles are translated: 22%, not the mean of 100% and 0%
    assert row[-1] == "22.2%" and total[-2] == "22%"
    assert "(all N): of all articles together" in status
    # the Spanish home lists the published article by its Spanish title; the front page
    # shows no percentages (completeness is for managers: tmkit status, status.html)
    home = lxml_html.fromstring((fresh / "exports" / "es" / "index.html").read_bytes())
    assert home.xpath("//main//a[@href='short.html']/text()") == ["Corto"]
    front = lxml_html.fromstring((fresh / "exports" / "index.html").read_bytes())
    assert "%" not in front.xpath("//body")[0].text_content()


# -- 6. a broken PO file fails alone -----------------------------------------------------

BROKEN_COMMANDS = [["status"], ["build"], ["check"], ["update"], ["review", "--lang", "es"],
                   ["xliff", "export", "--lang", "es", "-o", "{out}"], ["tm", "update"]]


def test_one_broken_po_fails_only_its_own_file(runner, fresh, tmp_path):
    shutil.copy(SEED, fresh / "source" / SEED.name)
    run_cli(runner, fresh, "extract")
    run_cli(runner, fresh, "update")
    po = fresh / "po" / "es" / "recovery.po"
    translate(po, {"Back Surgery Recovery": "Recuperación"})
    text = po.read_text("utf-8")
    line = text[:text.index('msgstr "Recuperación"')].count("\n") + 1
    po.write_text(text.replace('msgstr "Recuperación"', 'msgstr "Recuperación'), "utf-8")
    for command in BROKEN_COMMANDS:
        args = [a.format(out=tmp_path / "agency") for a in command]
        result = run_cli(runner, fresh, *args, expect=2)
        errors = [l for l in result.stderr.splitlines() if l.startswith("tmkit: error: ")]
        assert len(errors) == 1, (command, errors)
        assert errors[0].startswith(f"tmkit: error: po/es/recovery.po:{line}: "), (command, errors)
    # everything else was done
    built = run_cli(runner, fresh, "build", expect=2).stdout
    assert f"held back: es/recovery: unreadable PO file po/es/recovery.po:{line}: " in built
    assert "held back: fr/recovery: 0% translated" in built
    index = lxml_html.fromstring((fresh / "exports" / "index.html").read_bytes())
    assert index.xpath("//main//a[@href='en/index.html']")      # the site around the pages too
    assert not (fresh / "exports" / "es" / "recovery.html").exists()
    assert (fresh / "exports" / "en" / "recovery.html").is_file()
    assert (fresh / "exports" / "review" / "es" / "failed-back-syndrome.html").is_file()
    assert (tmp_path / "agency" / "es" / "failed-back-syndrome.xlf").is_file()
    assert not (tmp_path / "agency" / "es" / "recovery.xlf").exists()
    assert po.read_text("utf-8").count('msgstr "Recuperación\n') == 1   # left exactly as it was
    status = run_cli(runner, fresh, "status", "--format", "json", expect=2).stdout
    assert '"slug": "failed-back-syndrome"' in status
    # once repaired, everything passes again (no stored "nothing to do" hides it)
    po.write_text(text, "utf-8")
    for command in BROKEN_COMMANDS:
        run_cli(runner, fresh, *[a.format(out=tmp_path / "agency") for a in command])
    assert (tmp_path / "agency" / "es" / "recovery.xlf").is_file()


# -- 7. -C after the command, usage errors on one line -------------------------------------

def test_project_option_after_the_command(runner, fresh, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    invoke(runner, "extract", "-C", str(fresh))
    assert "recovery" in invoke(runner, "status", "-C", str(fresh)).output
    assert "recovery" in invoke(runner, "status", "-C", str(fresh / "source")).output
    invoke(runner, "tm", "update", "-C", str(fresh))


@pytest.mark.parametrize("args, usage", [
    (["status", "--bogus"], "tmkit status [OPTIONS]"),
    (["bogus"], "tmkit [OPTIONS] COMMAND [ARGS]..."),
    (["tm", "lookup"], "tmkit tm lookup [OPTIONS] TEXT"),
])
def test_usage_errors_are_one_line_with_the_usage(runner, fresh, args, usage):
    result = invoke(runner, "-C", str(fresh), *args, expect=2)
    assert len(result.output.splitlines()) == 1
    assert result.output.startswith("tmkit: error: ") and f"(usage: {usage}; see '" in result.output


# -- 8. languages and articles later on ---------------------------------------------------

def test_language_add_writes_settings_and_catalogs(runner, fresh):
    run_cli(runner, fresh, "extract")
    run_cli(runner, fresh, "update")
    before = (fresh / "tmkit.toml").read_text("utf-8")
    result = run_cli(runner, fresh, "language", "add", "de")
    assert load_config(fresh).languages == ["es", "fr", "de"]
    after = (fresh / "tmkit.toml").read_text("utf-8")
    assert after.replace('"fr", "de"]', '"fr"]') == before            # only the list changed
    assert polib.pofile(str(fresh / "po" / "de" / "recovery.po")).metadata["Language"] == "de"
    assert "de " in result.output
    # init --lang on the existing project does the same
    run_cli(runner, fresh, "init", str(fresh), "--lang", "ar")
    assert load_config(fresh).languages == ["es", "fr", "de", "ar"]
    assert (fresh / "po" / "ar" / "recovery.po").is_file()
    assert "nothing to add" in run_cli(runner, fresh, "language", "add", "ar").output
    run_cli(runner, fresh, "language", "add", "xx-Nope", expect=2)


def _approved(runner, fresh) -> None:
    run_cli(runner, fresh, "extract")
    run_cli(runner, fresh, "update", "--lang", "es")
    translate(fresh / "po" / "es" / "recovery.po", {
        "Back Surgery Recovery": "Recuperación", "Most people": "La mayoría vuelve a casa.",
        "Call 999": "Llame al 999.", "After the operation": "Después de la operación",
        "Walk a little": "Camine un poco.", "Your physician": "Su médico revisará la herida.",
        "does not replace": "Este artículo no sustituye el consejo de su médico."})
    run_cli(runner, fresh, "review", "approve", "--lang", "es", "--article", "recovery", "--by", "Dr. Ruiz")


def test_article_rename_moves_everything_and_keeps_a_valid_signoff(runner, fresh):
    _approved(runner, fresh)
    run_cli(runner, fresh, "update")
    result = run_cli(runner, fresh, "article", "rename", "recovery", "after-surgery")
    assert "sign-off still valid: es" in result.output
    assert sorted(p.relative_to(fresh).as_posix() for p in fresh.rglob("*recovery*")) == []
    assert (fresh / "source" / "after-surgery.txt").read_text("utf-8") == ARTICLE
    po = polib.pofile(str(fresh / "po" / "es" / "after-surgery.po"))
    assert ("source/after-surgery.txt", "3") in [o for e in po for o in e.occurrences]
    assert sum(bool(e.msgstr) for e in po) == 7
    signoff = (fresh / "po" / "es" / "after-surgery.review.toml").read_text("utf-8")
    assert 'article = "after-surgery"' in signoff and 'reviewer = "Dr. Ruiz"' in signoff
    status = run_cli(runner, fresh, "status", "--format", "json").stdout
    assert '"state": "approved"' in status
    assert "0 errors" in run_cli(runner, fresh, "check").output
    # the TM keeps the old name's history and knows the new one after tm update
    run_cli(runner, fresh, "tm", "update")
    found = run_cli(runner, fresh, "tm", "lookup", "Walk a little every day and avoid lifting for six weeks.",
                    "--lang", "es").output
    assert "es/recovery#" in found or "es/after-surgery#" in found


def test_article_rename_of_an_outdated_signoff_asks_for_a_new_one(runner, fresh):
    _approved(runner, fresh)
    translate(fresh / "po" / "es" / "recovery.po", {"Walk a little": "Camine un poco cada día."})
    result = run_cli(runner, fresh, "article", "rename", "recovery", "after-surgery")
    assert "sign-off to approve again" in result.output and "es" in result.output
    status = run_cli(runner, fresh, "status", "--format", "json").stdout
    assert '"state": "changed"' in status


def test_article_rename_refuses_a_taken_name(runner, fresh):
    (fresh / "source" / "other.txt").write_text("Other\n\nText.\n", encoding="utf-8")
    run_cli(runner, fresh, "extract")
    result = run_cli(runner, fresh, "article", "rename", "recovery", "other", expect=2)
    assert "source/other.txt exists" in result.output
    assert (fresh / "source" / "recovery.txt").is_file()


def test_article_remove_retires_every_file(runner, fresh):
    _approved(runner, fresh)
    run_cli(runner, fresh, "build")
    assert (fresh / "exports" / "es" / "recovery.html").is_file()
    result = run_cli(runner, fresh, "article", "remove", "recovery")
    assert list(fresh.glob("source/*")) == [] and list(fresh.rglob("po/**/recovery*")) == []
    assert "removed po/es/recovery.review.toml" in result.output
    found = run_cli(runner, fresh, "tm", "lookup", "Walk a little every day and avoid lifting for six weeks.",
                    "--lang", "es").output
    assert "Camine un poco." in found
    run_cli(runner, fresh, "build")
    assert not (fresh / "exports" / "es" / "recovery.html").exists()


# -- 9. the smaller points -----------------------------------------------------------------

def test_status_shows_long_slugs_on_a_wide_terminal(runner, fresh):
    shutil.move(fresh / "source" / "recovery.txt", fresh / "source" / "recovery-after-lumbar-spine-surgery.txt")
    run_cli(runner, fresh, "extract")
    wide = runner.invoke(cli, ["-C", str(fresh), "status"], env={"COLUMNS": "120"})
    assert "recovery-after-lumbar-spine-surgery " in wide.output
    narrow = runner.invoke(cli, ["-C", str(fresh), "status"], env={"COLUMNS": "80"})
    assert "recovery-after-lumb…" in narrow.output
    assert max(len(line) for line in narrow.output.splitlines()) <= 80


def test_held_back_reasons_are_not_cut_mid_word(runner, fresh):
    run_cli(runner, fresh, "extract")
    out = run_cli(runner, fresh, "build").output
    assert "('This article does not replace the…')" in out


def test_review_page_says_approved_right_after_approve(runner, fresh):
    run_cli(runner, fresh, "extract")
    run_cli(runner, fresh, "update", "--lang", "es")
    run_cli(runner, fresh, "review", "--lang", "es")
    page = fresh / "exports" / "review" / "es" / "recovery.html"
    assert "Not signed off yet" in page.read_text("utf-8")
    result = run_cli(runner, fresh, "review", "approve", "--lang", "es", "--article", "recovery",
                     "--by", "Dr. Ruiz")
    assert "updated exports/review/es/recovery.html" in result.stdout
    assert "Not signed off yet" not in page.read_text("utf-8") and "Dr. Ruiz" in page.read_text("utf-8")
    # 0% translated: the approval warns
    assert "only 0% translated" in result.stderr


def test_build_one_article(runner, fresh):
    (fresh / "source" / "short.txt").write_text("Short\n\nRest helps.\n", encoding="utf-8")
    run_cli(runner, fresh, "extract")
    out = run_cli(runner, fresh, "build", "--article", "short").output
    assert (fresh / "exports" / "en" / "short.html").is_file()
    assert not (fresh / "exports" / "en" / "recovery.html").exists()
    assert "of 1 article(s)" in out
    run_cli(runner, fresh, "build")
    run_cli(runner, fresh, "build", "--article", "short")
    assert (fresh / "exports" / "en" / "recovery.html").is_file()   # the others stay
    assert "no article named nope" in run_cli(runner, fresh, "build", "--article", "nope", expect=2).output


def test_british_spelling_is_accepted(runner, fresh):
    (fresh / "source" / "recovery.txt").write_text(
        "Before Surgery\n\nRemove your jewellery and grey nail varnish before the operation.\n",
        encoding="utf-8")
    out = run_cli(runner, fresh, "check", "--source").output
    assert "jewellery" not in out and "'grey'" not in out


def test_po_comments_number_paragraphs_within_their_section(runner, fresh):
    run_cli(runner, fresh, "extract")
    found = comments(fresh / "po" / "templates" / "recovery.pot")
    assert found["After the operation"] == "Heading 1"
    walk = next(v for k, v in found.items() if k.startswith("Walk a little"))
    assert walk.startswith("Paragraph 1 under 'After the operation'")
    disclaimer = found["This article does not replace the advice of your doctor."]
    assert disclaimer.startswith("Paragraph 2 under 'After the operation'")


def test_build_and_check_before_extract_give_a_hint(runner, tmp_path):
    root = tmp_path / "p"
    invoke(runner, "init", str(root), "--lang", "es")
    empty = run_cli(runner, root, "build")
    assert "tmkit: hint: no articles in source/ yet" in empty.stderr
    (root / "source" / "recovery.txt").write_text(ARTICLE, encoding="utf-8")
    built = run_cli(runner, root, "build")
    assert "tmkit: hint: no PO files for es yet: run 'tmkit extract' then 'tmkit update'" in built.stderr
    checked = run_cli(runner, root, "check")
    assert "tmkit: hint: no PO files to check yet" in checked.stderr


def test_footer_marked_in_markdown_with_a_footer_block(runner, fresh):
    (fresh / "source" / "recovery.txt").unlink()
    (fresh / "source" / "recovery.md").write_text(
        "# Recovery\n\nText here.\n\n## After the operation\n\nWalk a little.\n\n"
        "<footer>\n<p>Spine Clinic, 1 High Street.</p>\n</footer>\n", encoding="utf-8")
    run_cli(runner, fresh, "extract")
    found = comments(fresh / "po" / "templates" / "recovery.pot")
    assert found["Spine Clinic, 1 High Street."].endswith("[footer]")
    assert "[footer]" not in found["After the operation"] and "[footer]" not in found["Walk a little."]


def test_work_for_someone_without_git_po_and_tmx(runner, fresh, tmp_path):
    """docs/catalogs.md "Everyday tasks": PO files plus a TMX of the TM for a volunteer."""
    _approved(runner, fresh)
    run_cli(runner, fresh, "tm", "update")
    tmx = tmp_path / "es.tmx"
    run_cli(runner, fresh, "tm", "export", "--lang", "es", "-o", str(tmx))
    from lxml import etree

    tree = etree.parse(str(tmx), etree.XMLParser(resolve_entities=False, no_network=True))
    segs = [s.text for s in tree.iter("seg")]
    assert "Camine un poco." in segs and "Walk a little every day and avoid lifting for six weeks." in segs
