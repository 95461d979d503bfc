"""Shared fixtures: a fresh project in a temporary folder, the seed article, a CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import cli

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "source" / "failed-back-syndrome.txt"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with the repository's settings and the seed article, no PO files yet."""
    root = tmp_path / "proj"
    (root / "source").mkdir(parents=True)
    shutil.copy(REPO / "tmkit.toml", root / "tmkit.toml")
    shutil.copy(SEED, root / "source" / SEED.name)
    return root


def run_cli(runner: CliRunner, root: Path, *args: str, expect: int = 0):
    """Run ``tmkit -C root args`` and assert on the exit code."""
    result = runner.invoke(cli, ["-C", str(root), *args], catch_exceptions=False)
    assert result.exit_code == expect, (result.exit_code, result.output)
    return result
