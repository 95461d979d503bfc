"""The ``tmkit update`` hook: exact footer prefill across articles, policy settings."""

from __future__ import annotations

import shutil
import subprocess

import polib
import pytest

from toolkit.project.config import load_config
from toolkit.catalog.pofile import fit_line_ends, format_po
from toolkit.tm.pretranslate import make_prefill_hook
from tests.tm_helpers import EDITED, FOOTER, FOOTER_ES, SEED_FIRST, SEED_FIRST_ES, write_po

pytestmark = pytest.mark.usefixtures("tm_backend")   # every test on SQLite and PostgreSQL

DISCLAIMER = ("All health information posted on the site is based on the latest research and "
              "national treatment standards.")
DISCLAIMER_ES = ("Toda la información de salud publicada en el sitio se basa en la investigación "
                 "más reciente y en las normas nacionales de tratamiento.")


def _second_article() -> polib.POFile:
    po = polib.POFile()
    for msgid in (FOOTER, DISCLAIMER, EDITED, "Herniated discs are common."):
        po.append(polib.POEntry(msgid=msgid, msgstr=""))
    return po


def test_footer_and_disclaimer_prefilled_as_exact_in_second_article(project):
    write_po(project, "es", "failed-back-syndrome",
             [(SEED_FIRST, SEED_FIRST_ES), (FOOTER, FOOTER_ES), (DISCLAIMER, DISCLAIMER_ES)])
    hook = make_prefill_hook(load_config(project))
    po = _second_article()
    try:
        assert hook(po, "es", "second-article") == {"tm exact": 2, "tm fuzzy": 1}
    finally:
        hook.close()
    footer, disclaimer, edited, other = po
    assert (footer.msgstr, disclaimer.msgstr) == (FOOTER_ES, DISCLAIMER_ES)
    assert not footer.fuzzy and not disclaimer.fuzzy
    assert edited.fuzzy and edited.previous_msgid == SEED_FIRST
    assert other.msgstr == ""


def test_exact_as_fuzzy_and_prefill_off(project):
    write_po(project, "es", "failed-back-syndrome", [(FOOTER, FOOTER_ES)])
    config = load_config(project)
    config.tm.exact_as = "fuzzy"
    hook = make_prefill_hook(config)
    po = _second_article()
    hook(po, "es", "x")
    hook.close()
    assert po[0].msgstr == FOOTER_ES and po[0].fuzzy
    config.tm.prefill = "off"
    hook = make_prefill_hook(config)
    po = _second_article()
    assert hook(po, "es", "x") == {}
    assert all(not e.msgstr for e in po)


def test_fuzzy_needs_min_score(project):
    write_po(project, "es", "failed-back-syndrome", [(SEED_FIRST, SEED_FIRST_ES)])
    config = load_config(project)
    config.tm.min_score = 90
    hook = make_prefill_hook(config)
    po = _second_article()
    assert hook(po, "es", "x") == {"tm exact": 0, "tm fuzzy": 0}
    hook.close()


def test_fingerprint_changes_when_the_tm_learns(project):
    """tmkit update re-merges unchanged catalogs only when a hook's fingerprint changes."""
    config = load_config(project)
    write_po(project, "es", "failed-back-syndrome", [(FOOTER, FOOTER_ES)])
    first = make_prefill_hook(config)
    first.close()
    again = make_prefill_hook(config)
    again.close()
    assert first.fingerprint == again.fingerprint
    write_po(project, "es", "failed-back-syndrome", [(FOOTER, FOOTER_ES), (SEED_FIRST, SEED_FIRST_ES)])
    learned = make_prefill_hook(config)
    learned.close()
    assert learned.fingerprint != first.fingerprint
    config.tm.min_score = 80
    stricter = make_prefill_hook(config)
    stricter.close()
    assert stricter.fingerprint != learned.fingerprint


def test_pretranslate_reads_each_catalog_once_and_feeds_it_first(project, monkeypatch):
    """The TM is fed from the catalogs pretranslate parsed (not parsed again), before filling."""
    import toolkit.tm.feed as feed
    import toolkit.tm.pretranslate as pretranslate

    write_po(project, "es", "failed-back-syndrome",
             [(SEED_FIRST, SEED_FIRST_ES), (FOOTER, FOOTER_ES), (DISCLAIMER, DISCLAIMER_ES)])
    second = _second_article()
    second.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "es"}
    second.save(str(project / "po" / "es" / "second-article.po"))
    parsed: list[str] = []

    def counting(real):
        def parse(data, shown):
            parsed.append(str(shown))
            return real(data, shown)
        return parse

    monkeypatch.setattr(pretranslate, "parse_po_bytes", counting(pretranslate.parse_po_bytes))
    monkeypatch.setattr(feed, "parse_po_bytes", counting(feed.parse_po_bytes))
    report = pretranslate.pretranslate_project(load_config(project), ["es"])
    assert sorted(parsed) == ["po/es/failed-back-syndrome.po", "po/es/second-article.po"]
    assert report.languages["es"] == {"tm exact": 2, "tm fuzzy": 1}      # fed before filling
    filled = polib.pofile(str(project / "po" / "es" / "second-article.po"))
    assert [e.msgstr for e in filled][:2] == [FOOTER_ES, DISCLAIMER_ES]


def test_pretranslate_in_chunks_fills_what_one_pass_fills(project, monkeypatch):
    """A language larger than CHUNK is fed whole first, then filled a chunk at a time.

    Only one chunk's parsed catalogs are held (memory at 4,000 articles), and the
    footer translated in the first article still pre-fills the later ones.
    """
    import toolkit.tm.pretranslate as pretranslate

    write_po(project, "es", "failed-back-syndrome",
             [(SEED_FIRST, SEED_FIRST_ES), (FOOTER, FOOTER_ES), (DISCLAIMER, DISCLAIMER_ES)])
    for name in ("a-second", "b-third", "c-fourth"):
        second = _second_article()
        second.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "es"}
        second.save(str(project / "po" / "es" / f"{name}.po"))
    held: list[int] = []
    real_fill = pretranslate.prefill_catalogs

    def fill(catalogs, *args):
        held.append(len(catalogs))
        return real_fill(catalogs, *args)

    monkeypatch.setattr(pretranslate, "CHUNK", 2)
    monkeypatch.setattr(pretranslate, "prefill_catalogs", fill)
    report = pretranslate.pretranslate_project(load_config(project), ["es"])
    assert held == [2, 2]
    assert report.languages["es"] == {"tm exact": 6, "tm fuzzy": 3}
    assert sorted(p.name for p in report.written) == ["a-second.po", "b-third.po", "c-fourth.po"]
    for name in ("a-second", "b-third", "c-fourth"):
        filled = polib.pofile(str(project / "po" / "es" / f"{name}.po"))
        assert [e.msgstr for e in filled][:2] == [FOOTER_ES, DISCLAIMER_ES]


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext not installed")
def test_prefilled_catalog_passes_msgfmt_check_when_line_ends_differ(project, tmp_path):
    """An exact or fuzzy match found through the normal form (line ends stripped) takes the
    query's leading and trailing newlines: ``msgfmt --check`` refuses a msgstr whose
    newlines at either end differ from its msgid's, even on a fuzzy entry."""
    write_po(project, "es", "failed-back-syndrome",
             [(FOOTER, FOOTER_ES + "\n"), (SEED_FIRST, "\n" + SEED_FIRST_ES)])
    hook = make_prefill_hook(load_config(project))
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for msgid in ("\n" + FOOTER + "\n", FOOTER, EDITED + "\n"):
        po.append(polib.POEntry(msgid=msgid, msgstr=""))
    try:
        assert hook(po, "es", "second-article") == {"tm exact": 2, "tm fuzzy": 1}
    finally:
        hook.close()
    assert [e.msgstr for e in po] == ["\n" + FOOTER_ES + "\n", FOOTER_ES, SEED_FIRST_ES + "\n"]
    path = tmp_path / "second-article.po"
    path.write_text(format_po(po), encoding="utf-8")
    for fuzzies in ([], ["--use-fuzzy"]):
        done = subprocess.run(["msgfmt", "--check", *fuzzies, "-o", "/dev/null", str(path)],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr


def test_fit_line_ends():
    assert fit_line_ends("a\n", "b") == "b\n"
    assert fit_line_ends("a", "b\n\n") == "b"
    assert fit_line_ends("\na", "b") == "\nb"
    assert fit_line_ends("a", "\n\nb\n") == "b"
    assert fit_line_ends("a", "b") == "b"
