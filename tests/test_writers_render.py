"""Headless Chromium renders the Arabic and Chinese pages (skipped without Chromium).

The screenshots are for a human to look at (see benchmarks/render_check.py);
this test proves the pages load in a real browser and produce images.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(not (shutil.which("chromium") or shutil.which("chromium-browser")),
                    reason="Chromium not installed (apt-get install -y chromium)")
def test_chromium_renders_arabic_and_chinese(tmp_path):
    result = subprocess.run([sys.executable, str(REPO / "benchmarks" / "render_check.py"),
                             "--out", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    for lang in ("ar", "zh-Hans"):
        png = (tmp_path / f"{lang}.png").read_bytes()
        assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 20_000
