"""A sign-off covers what the page shows: the blocks' kinds and structure too (issue 20).

Through the CLI: approve, change only how the English is laid out (a
paragraph becomes a block quote, a bulleted list becomes numbered, a heading
changes level), and status says "changed" while the build holds the
article-language back under ``require_review``, keeping the approved page.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from lxml import html as lhtml

from tests.conftest import run_cli
from tests.export_helpers import prefixed, write_po

SLUG = "care"
ARTICLE = """# Care after surgery

Rest for two days after the operation.

Walk a little every day. Do not lift heavy things.

## What to watch

- Fever over 38 degrees.
- Pain that gets worse.
"""


@pytest.fixture
def reviewed(project: Path, runner) -> Path:
    """A Markdown article, its Spanish translation signed off and published."""
    (project / "source" / "failed-back-syndrome.txt").unlink()
    (project / "source" / f"{SLUG}.md").write_text(ARTICLE, encoding="utf-8")
    toml = project / "tmkit.toml"
    toml.write_text(toml.read_text("utf-8").replace("require_review = false", "require_review = true")
                    .replace('required = ["disclaimer"]', "required = []"), encoding="utf-8")
    write_po(project, "es", prefixed("ES"))
    run_cli(runner, project, "review", "approve", "--lang", "es", "--article", SLUG, "--by", "Dr. R")
    out = run_cli(runner, project, "build", "--lang", "es").output
    assert "held back: es/" not in out
    return project


def _state(runner, root: Path) -> dict:
    data = json.loads(run_cli(runner, root, "status", "--lang", "es", "--format", "json").output)
    return data["languages"][0]["articles"][0]


def _page(root: Path) -> Path:
    return root / "exports" / "es" / f"{SLUG}.html"


@pytest.mark.parametrize("old,new", [
    ("Walk a little every day.", "> Walk a little every day."),           # paragraph -> block quote
    ("- Fever over 38 degrees.\n- Pain", "1. Fever over 38 degrees.\n2. Pain"),  # bulleted -> numbered
    ("## What to watch", "### What to watch"),                            # heading level
])
def test_a_layout_change_after_the_signoff_is_a_change(runner, reviewed, old, new):
    assert _state(runner, reviewed)["review"]["state"] == "approved"
    approved = _page(reviewed).read_bytes()
    source = reviewed / "source" / f"{SLUG}.md"
    source.write_text(source.read_text("utf-8").replace(old, new), encoding="utf-8")
    # the English words and every translation are as they were: only the structure moved
    run_cli(runner, reviewed, "extract", "--no-source-checks")
    run_cli(runner, reviewed, "update")
    po = (reviewed / "po" / "es" / f"{SLUG}.po").read_text("utf-8")
    assert "#, fuzzy" not in po

    state = _state(runner, reviewed)
    assert state["review"]["state"] == "changed" and state["gate"]["passed"] is False
    assert state["review"]["changed_segments"] >= 1
    out = run_cli(runner, reviewed, "build", "--lang", "es").output
    assert f"held back: es/{SLUG}: changed since the sign-off by Dr. R" in out
    assert _page(reviewed).read_bytes() == approved        # the approved layout stays published

    run_cli(runner, reviewed, "review", "approve", "--lang", "es", "--article", SLUG, "--by", "Dr. R")
    out = run_cli(runner, reviewed, "build", "--lang", "es").output
    assert "held back: es/" not in out and _page(reviewed).read_bytes() != approved
    if old.startswith("Walk"):
        page = lhtml.document_fromstring(_page(reviewed).read_bytes())
        assert "ES Walk a little every day." in page.xpath("string(//blockquote)")


def test_a_version_1_signoff_asks_for_a_new_approval(runner, reviewed):
    path = reviewed / "po" / "es" / f"{SLUG}.review.toml"
    text = path.read_text("utf-8")
    assert tomllib.loads(text)["version"] == 2
    path.write_text(text.replace("version = 2", "version = 1"), encoding="utf-8")
    state = _state(runner, reviewed)
    assert state["review"]["state"] == "changed" and state["review"]["reviewer"] == "Dr. R"
    out = run_cli(runner, reviewed, "build", "--lang", "es").output
    assert (f"held back: es/{SLUG}: signed off by Dr. R (") in out
    assert "version 1 sign-off file, which did not cover the page's structure: approve again" in out
    run_cli(runner, reviewed, "review", "approve", "--lang", "es", "--article", SLUG, "--by", "Dr. R")
    assert tomllib.loads(path.read_text("utf-8"))["version"] == 2
    assert "held back: es/" not in run_cli(runner, reviewed, "build", "--lang", "es").output
