"""Shared fixtures: a fresh project in a temporary folder, the seed article, a CLI runner."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import cli

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "source" / "failed-back-syndrome.txt"


@pytest.fixture(autouse=True, scope="session")
def _cache_folder(tmp_path_factory) -> None:
    """Libraries' data cached (toolkit/project/datacache.py) in a folder of the test run,
    not in the user's ~/.cache."""
    if "TMKIT_CACHE_DIR" not in os.environ:
        os.environ["TMKIT_CACHE_DIR"] = str(tmp_path_factory.mktemp("tmkit-cache"))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with the repository's settings and the seed article, no PO files yet."""
    root = tmp_path / "proj"
    (root / "source").mkdir(parents=True)
    # The repository's settings, without its glossary: tests that need one write their own.
    settings = without_handouts((REPO / "tmkit.toml").read_text(encoding="utf-8"))
    (root / "tmkit.toml").write_text(settings.replace('glossary = "glossary.csv"', 'glossary = ""'),
                                     encoding="utf-8")
    shutil.copy(SEED, root / "source" / SEED.name)
    return root


HANDOUT_FORMATS = ', "pdf", "pdf-bilingual"'


def without_handouts(settings: str) -> str:
    """The demo's settings without the PDF handouts: they take a second or more per
    article-language, and only tests/test_writers_pdf.py is about them."""
    assert HANDOUT_FORMATS in settings
    return settings.replace(HANDOUT_FORMATS, "")


def clone_demo(root: Path, handouts: bool = False) -> Path:
    """A copy of the repository's demo project at ``root``: settings, glossary, word list,
    article and PO files (what a new user has after cloning it); without the PDF
    handouts unless ``handouts``."""
    root.mkdir(parents=True)
    for name in ("tmkit.toml", "glossary.csv", "words.txt"):
        shutil.copy(REPO / name, root / name)
    if not handouts:
        settings = root / "tmkit.toml"
        settings.write_text(without_handouts(settings.read_text("utf-8")), "utf-8")
    shutil.copytree(REPO / "source", root / "source")
    shutil.copytree(REPO / "po", root / "po")
    return root


@pytest.fixture
def demo(tmp_path: Path, runner: CliRunner) -> Path:
    """The repository's demo project (settings, glossary, article, PO files), made current
    with ``extract`` and ``update``; a test module may define its own ``demo``."""
    root = clone_demo(tmp_path / "demo")
    run_cli(runner, root, "extract")
    run_cli(runner, root, "update")
    return root


def run_cli(runner: CliRunner, root: Path, *args: str, expect: int = 0):
    """Run ``tmkit -C root args`` and assert on the exit code."""
    result = runner.invoke(cli, ["-C", str(root), *args], catch_exceptions=False)
    assert result.exit_code == expect, (result.exit_code, result.output)
    return result


def summary_table(output: str) -> dict[str, dict[str, int]]:
    """Parse the table ``tmkit update`` prints: {language: {column: count}}."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("language "))
    header = lines[start].split()[1:]
    table = {}
    for line in lines[start + 1:]:
        cells = line.split()
        if len(cells) != len(header) + 1 or not all(c.isdigit() for c in cells[1:]):
            break
        table[cells[0]] = dict(zip(header, map(int, cells[1:])))
    return table


class TMBackend:
    """Where a test's TM lives: a SQLite file, or a fresh database on the test server."""

    def __init__(self, name: str, location, index_dir=None) -> None:
        self.name, self.location, self.index_dir = name, location, index_dir

    def open(self):
        from toolkit.tm import TranslationMemory
        return TranslationMemory.open(self.location, self.index_dir)


TM_BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=TM_BACKENDS)
def tm_backend(request, tmp_path: Path, monkeypatch) -> TMBackend:
    """Run a TM test on each backend; for PostgreSQL, ``TMKIT_TM_URL`` points projects at it."""
    if request.param == "sqlite":
        monkeypatch.delenv("TMKIT_TM_URL", raising=False)
        return TMBackend("sqlite", tmp_path / "tm.sqlite", tmp_path / "tm.sqlite.index")
    server = request.getfixturevalue("pg_server")
    url = server.new_database()
    monkeypatch.setenv("TMKIT_TM_URL", url)
    return TMBackend("postgresql", url, tmp_path / "tm-cache")


@pytest.fixture(scope="session")
def pg_server():
    """A real PostgreSQL server for the session (skipped only without PostgreSQL binaries)."""
    from tests.pg_server import PGServer, find_bindir
    bindir = find_bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL binaries (initdb, pg_ctl, postgres) in PATH or "
                    "/usr/lib/postgresql/*/bin; install the 'postgresql' package")
    server = PGServer(bindir).start()
    try:
        yield server
    finally:
        server.stop()


CHROMIUM = "/usr/bin/chromium"


def render_in_chromium(page: Path, tmp_path: Path, shot: Path, size: str) -> str:
    """Screenshot ``page`` to ``shot`` (checked to be a real PNG) and return the DOM Chromium built."""
    import subprocess

    base = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            f"--user-data-dir={tmp_path / 'chrome'}"]
    subprocess.run(base + [f"--screenshot={shot}", f"--window-size={size}", page.as_uri()],
                   check=True, capture_output=True, timeout=120)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    return subprocess.run(base + ["--dump-dom", page.as_uri()], check=True, capture_output=True,
                          timeout=120, text=True).stdout


# -- system tools -----------------------------------------------------------------
# Tests that need a system tool (Chromium, GNU gettext, PostgreSQL, git) skip with a
# reason naming it when it is missing.  CI installs them (dev/system-packages.sh) and
# sets TMKIT_REQUIRE_TOOLS=1: then such a skip fails the run, so a broken install
# cannot turn the browser or database tests into silent skips.
_TOOL_WORDS = ("chromium", "axe-core", "pagefind", "gettext", "msginit", "msgfmt", "postgresql", "git and make",
               "php-symfony-translation", "omegat", "gnu time", "poppler-utils", "pango")
_tool_skips: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped and isinstance(report.longrepr, tuple):
        reason = str(report.longrepr[2])
        if any(word in reason.lower() for word in _TOOL_WORDS):
            _tool_skips.append(f"{report.nodeid}: {reason}")


def pytest_sessionfinish(session, exitstatus):
    import os
    if _tool_skips and os.environ.get("TMKIT_REQUIRE_TOOLS") == "1":
        print("\nTMKIT_REQUIRE_TOOLS=1 but tests skipped for a missing system tool:")
        for line in _tool_skips:
            print(f"  {line}")
        session.exitstatus = 1
