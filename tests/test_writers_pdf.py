"""The printable handouts (``pdf``, ``pdf-bilingual``): built through ``tmkit build`` on the
demo project and read back with poppler's own tools (pdftotext, pdffonts), as a reader's
PDF viewer would.  No timings here (benchmarks/build_bench.py measures them)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, clone_demo, run_cli

SLUG = "failed-back-syndrome"
ARABIC = re.compile("[\u0621-\u064a]{3}")
HAN = re.compile("[\u4e00-\u9fff]{3}")


def _need_tools() -> None:
    for tool in ("pdftotext", "pdffonts"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} not installed (Debian package poppler-utils)")
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:       # the library loads Pango when imported
        pytest.skip(f"WeasyPrint cannot load Pango ({exc}); install libpango-1.0-0 libpangoft2-1.0-0")


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True, timeout=60).stdout


def pdf_fonts(path: Path) -> list[tuple[str, str]]:
    """(font name without the subset prefix, embedded yes/no) per font pdffonts lists."""
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True,
                         timeout=60).stdout.splitlines()[2:]
    fonts = []
    for line in out:
        parts = line.split()
        name = parts[0].split("+", 1)[-1]
        fonts.append((name, parts[-5]))      # columns: ... emb sub uni object ID
    return fonts


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """The demo project built once (German is held back: 58 % translated), Spanish signed off."""
    _need_tools()
    from click.testing import CliRunner

    root = clone_demo(tmp_path_factory.mktemp("handouts") / "demo", handouts=True)
    runner = CliRunner()
    run_cli(runner, root, "review", "approve", "--lang", "es", "--article", SLUG, "--by", "Dr. Ana Ruiz")
    run_cli(runner, root, "build")
    return root


def test_each_handout_is_in_its_own_script_and_the_bilingual_one_in_both(demo):
    exports = demo / "exports"
    spanish = pdf_text(exports / "es" / f"{SLUG}.pdf")
    assert "Síndrome" in spanish or "síndrome" in spanish
    assert "Failed Back Syndrome" not in spanish
    arabic = pdf_text(exports / "ar" / f"{SLUG}.pdf")
    assert len(ARABIC.findall(arabic)) > 50
    chinese = pdf_text(exports / "zh-Hans" / f"{SLUG}.pdf")
    assert len(HAN.findall(chinese)) > 50
    for lang, script in (("es", re.compile("[áéíóúñ]")), ("ar", ARABIC), ("zh-Hans", HAN)):
        both = pdf_text(exports / lang / f"{SLUG}.en-{lang}.pdf")
        assert "Failed Back Syndrome" in both and "spinal surgery" in both, lang
        assert script.search(both), lang
    # The English original has a handout; no bilingual English-English one.
    assert "Failed Back Syndrome" in pdf_text(exports / "en" / f"{SLUG}.pdf")
    assert not list((exports / "en").glob("*.en-en.pdf"))


def test_the_noto_face_of_each_script_is_embedded(demo):
    exports = demo / "exports"
    for path, face in ((exports / "ar" / f"{SLUG}.pdf", "Noto-Naskh-Arabic"),
                       (exports / "ar" / f"{SLUG}.en-ar.pdf", "Noto-Naskh-Arabic"),
                       (exports / "zh-Hans" / f"{SLUG}.pdf", "Noto-Sans-CJK-SC"),
                       (exports / "zh-Hans" / f"{SLUG}.en-zh-Hans.pdf", "Noto-Sans-CJK-SC"),
                       (exports / "es" / f"{SLUG}.pdf", "Noto-Sans")):
        fonts = pdf_fonts(path)
        assert (face, "yes") in fonts, (path.name, fonts)
        assert all(emb == "yes" for _, emb in fonts), fonts
    # Chinese is set in the Simplified Chinese face, not the Japanese one fontconfig would pick.
    assert not [f for f, _ in pdf_fonts(exports / "zh-Hans" / f"{SLUG}.en-zh-Hans.pdf") if "CJK-JP" in f]


def test_header_and_footer_name_title_language_and_review(demo):
    exports = demo / "exports"
    spanish = pdf_text(exports / "es" / f"{SLUG}.pdf")
    assert re.search(r"Medically reviewed by Dr\. Ana Ruiz on \d{4}-\d{2}-\d{2}", spanish)
    assert "Español" in spanish and re.search(r"\b1 ?/ ?2\b", spanish)
    bilingual = pdf_text(exports / "es" / f"{SLUG}.en-es.pdf")
    assert "Medically reviewed by Dr. Ana Ruiz" in bilingual
    french = pdf_text(exports / "fr" / f"{SLUG}.pdf")
    assert "Not yet reviewed by a clinician" in french and "Français" in french
    # The running header repeats the title on every page.
    pages = pdf_text(exports / "fr" / f"{SLUG}.pdf").split("\f")
    assert len([p for p in pages if p.strip()]) >= 2


def test_only_published_article_languages_get_handouts(demo):
    held = demo / "exports" / "de"
    assert not list(held.glob("*.pdf")) and not (held / f"{SLUG}.html").exists()
    for lang in ("en", "es", "fr", "ar", "zh-Hans"):
        assert (demo / "exports" / lang / f"{SLUG}.pdf").is_file(), lang


def test_an_unchanged_rebuild_rewrites_no_handout_and_an_edit_only_its_own(demo, tmp_path):
    from click.testing import CliRunner

    root = tmp_path / "copy"
    shutil.copytree(demo, root)
    runner = CliRunner()
    pdfs = sorted((root / "exports").glob("*/*.pdf"))
    before = {p: p.stat().st_mtime_ns for p in pdfs}
    result = run_cli(runner, root, "build")
    assert "0 file(s) written" in result.output
    assert {p: p.stat().st_mtime_ns for p in pdfs} == before
    # Editing a French paragraph re-renders the article: only French handouts change bytes.
    po = root / "po" / "fr" / f"{SLUG}.po"
    text = po.read_text("utf-8")
    assert '"Le syndrome d\'échec chirurgical' in text
    po.write_text(text.replace('"Le syndrome d\'échec chirurgical', '"Ce syndrome d\'échec chirurgical', 1), "utf-8")
    run_cli(runner, root, "build")
    changed = {p.relative_to(root / "exports").as_posix() for p in pdfs if p.stat().st_mtime_ns != before[p]}
    assert changed == {f"fr/{SLUG}.pdf", f"fr/{SLUG}.en-fr.pdf"}


def test_without_pango_the_build_writes_everything_else_and_says_what_to_install(tmp_path):
    """WeasyPrint loads Pango when imported; simulate its absence in a subprocess."""
    root = clone_demo(tmp_path / "demo", handouts=True)
    script = (
        "import sys, importlib.abc\n"
        "class NoPango(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'weasyprint':\n"
        "            raise OSError(\"cannot load library 'libpango-1.0-0': libpango-1.0-0: "
        "cannot open shared object file: No such file or directory\")\n"
        "sys.meta_path.insert(0, NoPango())\n"
        "from toolkit.cli import main\n"
        "sys.argv = ['tmkit', '-C', sys.argv[1], 'build']\n"
        "main()\n")
    def without_pango() -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", script, str(root)], capture_output=True, text=True,
                              timeout=300, cwd=REPO, env={**os.environ, "TMKIT_DEBUG": ""})

    done = without_pango()
    assert done.returncode == 0, done.stderr
    notes = [line for line in done.stderr.splitlines() if "pdf" in line]
    assert len(notes) == 1, done.stderr
    assert notes[0].startswith("tmkit: warning: pdf, pdf-bilingual not written: weasyprint cannot load")
    assert "libpango-1.0-0" in notes[0] and "apt-get install" in notes[0]
    exports = root / "exports"
    assert not list(exports.glob("*/*.pdf"))
    for lang in ("en", "es", "ar", "zh-Hans"):
        for ext in (".html", ".xml", ".txt"):
            assert (exports / lang / f"{SLUG}{ext}").is_file()
    assert (exports / "index.html").is_file()
    # Again: still said (no "nothing to do" replayed without it)...
    assert "pdf, pdf-bilingual not written" in without_pango().stderr
    # ...and once Pango is there, the next build writes the handouts, and only them.
    from click.testing import CliRunner

    result = run_cli(CliRunner(), root, "build")
    assert "not written" not in result.output
    assert (exports / "es" / f"{SLUG}.pdf").is_file() and (exports / "es" / f"{SLUG}.en-es.pdf").is_file()
    assert re.search(r"^9 file\(s\) written", result.output, re.M), result.output   # en 1, es fr ar zh-Hans 2 each


def test_the_reviewers_name_is_text_in_the_handout(tmp_path):
    """Sign-off files are committed by hand too: the name is escaped, never markup."""
    _need_tools()
    from click.testing import CliRunner

    root = clone_demo(tmp_path / "demo", handouts=True)
    runner = CliRunner()
    name = '<b style="color:red">Dr "X"</b> & <img src="http://127.0.0.1:9/x.png">'
    run_cli(runner, root, "review", "approve", "--lang", "es", "--article", SLUG, "--by", name)
    run_cli(runner, root, "build", "--lang", "es", "--format", "pdf")
    text = pdf_text(root / "exports" / "es" / f"{SLUG}.pdf")
    assert f"Medically reviewed by {name}" in " ".join(text.split())
