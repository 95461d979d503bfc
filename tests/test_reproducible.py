"""Same result on every machine: plural forms that do not move, pinned installs, a clean `make run`."""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import polib
import pytest

from conftest import REPO, run_cli
from toolkit.project.config import load_config
from toolkit.errors import ConfigError
from toolkit.text.languages import get_language
from toolkit.text.plural_table import PLURAL_FORMS
from toolkit.text.plurals import parse_rule, table_rule

# What GNU gettext, Launchpad and Weblate's defaults write for the issue's languages.
EXPECTED = {
    "es": "nplurals=2; plural=(n != 1);",
    "de": "nplurals=2; plural=(n != 1);",
    "it": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "pt-BR": "nplurals=2; plural=(n > 1);",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 "
          ": n%100>=11 ? 4 : 5);",
    "zh-Hans": "nplurals=1; plural=0;",
    "ja": "nplurals=1; plural=0;",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
          "(n%100<10 || n%100>=20) ? 1 : 2);",
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
}
NUMBERS = [*range(2201), 10**6]
_TEMPLATE = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
             '"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"\n\nmsgid "x"\nmsgstr ""\n')


def _forms(rule: str) -> tuple[int, list[int]]:
    nplurals, function = parse_rule(rule)
    return nplurals, [function(n) for n in NUMBERS]


def _msginit_rule(code: str, tmp_path: Path) -> str | None:
    pot = tmp_path / "x.pot"
    pot.write_text(_TEMPLATE, encoding="utf-8")
    out = subprocess.run(["msginit", "--no-translator", "-l", code, "-i", str(pot), "-o", "-"],
                         capture_output=True, text=True, timeout=30).stdout
    po = polib.pofile(out)
    value = po.metadata.get("Plural-Forms", "")
    return None if "INTEGER" in value else value


def test_issue_languages_get_gettexts_rules():
    for tag, rule in EXPECTED.items():
        assert get_language(tag).plural_forms == rule, tag


def test_script_and_region_fall_back_to_the_base_language():
    assert table_rule("zh_Hans") == table_rule("zh") == "nplurals=1; plural=0;"
    assert table_rule("pt_BR") == "nplurals=2; plural=(n > 1);"
    assert table_rule("es_MX") == table_rule("es")
    assert get_language("sr-Latn").plural_forms == PLURAL_FORMS["sr"]


def test_every_table_rule_is_valid():
    for code, rule in PLURAL_FORMS.items():
        assert parse_rule(rule) is not None, code


@pytest.mark.skipif(not shutil.which("msginit"), reason="GNU gettext's msginit is not installed")
def test_rules_agree_with_msginit(tmp_path):
    """For every language msginit knows: the same form for n = 0..2,200 and 10**6."""
    compared = 0
    for code, rule in PLURAL_FORMS.items():
        theirs = _msginit_rule(code, tmp_path)
        if theirs is None:
            continue
        assert _forms(rule) == _forms(theirs), code
        compared += 1
    assert compared >= 40   # gettext 0.21 knows ~60 of the table's languages


def test_parse_rule_refuses_what_gettext_cannot_use():
    assert parse_rule("nplurals=2; plural=(n != 1);")
    for bad in ["", "nplurals=2;", "nplurals=INTEGER; plural=EXPRESSION;", "nplurals=2; plural=(n != ;",
                "nplurals=2; plural=n;", "nplurals=0; plural=0;", "nplurals=2; plural=__import__('os');"]:
        assert parse_rule(bad) is None, bad


def test_new_project_catalogs_carry_gettext_rules(runner, tmp_path):
    from conftest import SEED
    root = tmp_path / "multi"
    tags = list(EXPECTED)
    run_cli(runner, tmp_path, "init", str(root), *[a for t in tags for a in ("--lang", t)])
    shutil.copy(SEED, root / "source" / SEED.name)
    run_cli(runner, root, "extract")
    run_cli(runner, root, "update")
    for tag, rule in EXPECTED.items():
        po = polib.pofile(str(root / "po" / tag / f"{SEED.stem}.po"))
        assert po.metadata["Plural-Forms"] == rule, tag
        if shutil.which("msgfmt"):
            subprocess.run(["msgfmt", "-c", "-o", os.devnull, po.fpath], check=True)


def test_update_keeps_a_translators_plural_forms(runner, project):
    run_cli(runner, project, "extract")
    run_cli(runner, project, "update", "--lang", "fr")
    path = project / "po" / "fr" / "failed-back-syndrome.po"
    text = path.read_text(encoding="utf-8")
    mine = "nplurals=2; plural=(n != 1);"
    path.write_text(text.replace("nplurals=2; plural=(n > 1);", mine), encoding="utf-8")
    result = run_cli(runner, project, "update", "--lang", "fr")
    assert "warning" not in result.output
    assert polib.pofile(str(path)).metadata["Plural-Forms"] == mine


@pytest.mark.parametrize("header", ["", '"Plural-Forms: nplurals=2; plural=(n >;\\n"\n'])
def test_update_replaces_a_missing_or_invalid_rule_with_a_warning(runner, project, header):
    run_cli(runner, project, "extract")
    run_cli(runner, project, "update", "--lang", "es")
    path = project / "po" / "es" / "failed-back-syndrome.po"
    text = re.sub(r'"Plural-Forms: [^"]*\\n"\n', lambda _: header, path.read_text(encoding="utf-8"),
                  count=1)
    path.write_text(text, encoding="utf-8")
    result = run_cli(runner, project, "update", "--lang", "es")
    assert "tmkit: warning: po/es/failed-back-syndrome.po: has " in result.output
    assert polib.pofile(str(path)).metadata["Plural-Forms"] == EXPECTED["es"]


def test_project_may_override_one_language(runner, project):
    toml = project / "tmkit.toml"
    toml.write_text(toml.read_text(encoding="utf-8")
                    + '\n[plural_forms]\nfr = "nplurals=3; plural=(n==0 ? 0 : n==1 ? 1 : 2);"\n',
                    encoding="utf-8")
    run_cli(runner, project, "extract")
    run_cli(runner, project, "update", "--lang", "fr", "--lang", "es")
    fr = polib.pofile(str(project / "po" / "fr" / "failed-back-syndrome.po"))
    es = polib.pofile(str(project / "po" / "es" / "failed-back-syndrome.po"))
    assert fr.metadata["Plural-Forms"] == "nplurals=3; plural=(n==0 ? 0 : n==1 ? 1 : 2);"
    assert es.metadata["Plural-Forms"] == EXPECTED["es"]


@pytest.mark.parametrize("body, message", [
    ('[plural_forms]\nfr = "nplurals=2; plural=(n >;"\n', "not a valid rule"),
    ('[plural_forms]\nit = "nplurals=2; plural=(n != 1);"\n', "not in 'languages'"),
])
def test_bad_override_is_a_config_error(project, body, message):
    toml = project / "tmkit.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n" + body, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(project)
    assert message in str(info.value) and info.value.line


def test_unread_files_in_source_get_a_warning(runner, project):
    (project / "source" / "notes.odt").write_bytes(b"PK\x03\x04 not an article")
    (project / "source" / "diagram.png").write_bytes(b"\x89PNG")
    (project / "source" / ".DS_Store").write_bytes(b"x")
    result = run_cli(runner, project, "extract", "--no-source-checks")   # the seed's typos warn too
    lines = [line for line in result.output.splitlines() if "warning" in line]
    assert len(lines) == 2
    assert lines[0].startswith("tmkit: warning: source/diagram.png: not read: tmkit reads ")
    assert lines[1].startswith("tmkit: warning: source/notes.odt: not read: tmkit reads ")
    assert ".md" in lines[1] and ".txt" in lines[1]


def test_ignore_globs_skip_quietly_even_articles(runner, project):
    (project / "source" / "notes.odt").write_bytes(b"x")
    (project / "source" / "draft-intro.txt").write_text("Draft\n\nNot for translation yet.\n")
    toml = project / "tmkit.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'segmentation = "sentence"', 'segmentation = "sentence"\nignore = ["*.odt", "draft-*"]'),
        encoding="utf-8")
    result = run_cli(runner, project, "extract", "--no-source-checks")   # the seed's typos warn too
    assert "warning" not in result.output
    assert sorted(p.name for p in (project / "po" / "templates").iterdir()) == ["failed-back-syndrome.pot"]


def _lock() -> dict[str, str]:
    pins = {}
    for line in (REPO / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    return pins


def test_lock_pins_every_installed_dependency_exactly():
    """Every distribution tmkit[test] needs is pinned, and this environment has the pinned version."""
    pins = _lock()
    seen, todo = set(), ["tmkit"]
    while todo:
        name = todo.pop()
        for requirement in metadata.requires(name) or []:
            dist, _, marker = requirement.partition(";")
            # Only tmkit's own "test" extra counts: a dependency's extras (webencodings
            # has a "test" extra wanting ruff) are not installed.
            if marker and "extra" in marker and (name != "tmkit" or '"test"' not in marker):
                continue
            if marker and "extra" not in marker:
                from packaging.markers import Marker
                if not Marker(marker).evaluate():
                    continue
            key = re.sub(r"[-_.]+", "-", re.split(r"[\s\[<>=!~(]", dist.strip(), maxsplit=1)[0]).lower()
            if key in seen:
                continue
            seen.add(key)
            assert key in pins, f"{key} is not pinned in requirements.lock (run 'make lock')"
            if os.environ.get("TMKIT_LATEST") != "1":   # make test-latest runs newer versions on purpose
                assert metadata.version(key) == pins[key], f"{key}: installed {metadata.version(key)}, locked {pins[key]}"
            todo.append(key)
    assert {"babel", "polib", "translate-toolkit", "pytest"} <= seen


@pytest.mark.skipif(not shutil.which("git") or not shutil.which("make"), reason="needs git and make")
def test_make_run_leaves_every_tracked_file_unchanged(tmp_path):
    """The Makefile's own `run` recipe, in a copy of the repository, with this environment's tmkit."""
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True
                             ).stdout.decode().split("\0")
    if not any(tracked):
        pytest.skip("not a git checkout")
    copy = tmp_path / "repo"
    for name in filter(None, tracked):
        if (REPO / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, copy / name)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run(git + ["init", "-q"], cwd=copy, check=True)
    subprocess.run(git + ["add", "-A"], cwd=copy, check=True)
    subprocess.run(git + ["commit", "-qm", "copy"], cwd=copy, check=True)
    stamp = tmp_path / "installed"
    stamp.touch()
    bindir = Path(sys.executable).parent
    if not (bindir / "tmkit").exists():
        pytest.skip("tmkit console script not installed next to this Python")
    result = subprocess.run(["make", "run", f"BIN={bindir}", f"STAMP={stamp}"], cwd=copy,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (copy / "exports" / "index.html").is_file()
    status = subprocess.run(["git", "status", "--porcelain"], cwd=copy, capture_output=True, text=True,
                            check=True).stdout
    assert status == ""
