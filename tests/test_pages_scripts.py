"""Pages in every script, as the system Chromium lays them out (issue 25).

A project with 25 target languages is built with ``tmkit build``; Chromium
renders the pages at 1,280 px.  Measurements are taken by a script added to a
copy of each page (the exported page itself forbids scripts), which writes
what it measured into the DOM that ``--dump-dom`` prints:

* Urdu is set in Noto Nastaliq Urdu: the computed font family names it first,
  and the paragraph is exactly as wide as the same text forced into that font
  (and not as wide as in Noto Naskh Arabic): the font actually used;
* no Korean word is split across two lines (each word, wrapped in a span,
  has one line box) in a narrow column;
* the index and the status page fit 1,280 px without horizontal scrolling.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import CHROMIUM, render_in_chromium, run_cli, without_handouts
from test_checks_support import SEED_SLUG, write_po

#: The faces the measurements compare (Debian's fonts-noto-core and fonts-noto-cjk).
FONTS = [Path("/usr/share/fonts/truetype/noto/NotoNastaliqUrdu-Regular.ttf"),
         Path("/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf"),
         Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")]

pytestmark = [
    pytest.mark.skipif(not shutil.which(CHROMIUM) and not shutil.which("chromium"),
                       reason="Chromium not installed (apt-get install -y chromium)"),
    pytest.mark.skipif(not all(f.exists() for f in FONTS),
                       reason="Noto fonts for Chromium missing (apt-get install -y fonts-noto-core fonts-noto-cjk)"),
]

#: The issue's 24 languages and one more: 25 targets, 26 columns with English.
LANGUAGES = ["es", "fr", "de", "ar", "zh-Hans", "he", "fa", "ur", "hi", "bn", "th", "ja", "ko", "ru",
             "uk", "pl", "tr", "vi", "sw", "am", "ta", "el", "pt-BR", "es-419", "it"]

URDU = {
    "title": "ناکام کمر سنڈروم",
    "b1.s1": "ناکام کمر سنڈروم (FBS) سے مراد ریڑھ کی ہڈی کی سرجری کے بعد کمر کے نچلے حصے یا ٹانگوں "
             "میں مسلسل یا نیا درد ہے۔",
    "b1.s2": "اندازہ ہے کہ درد کے کلینکوں میں آنے والے 60% سے زیادہ افراد ناکام کمر سنڈروم کا شکار ہیں۔",
}
KOREAN = {
    "title": "척추 수술 실패 증후군",
    "b1.s1": "척추 수술 실패 증후군(FBS)은 척추 수술 후에도 허리 아래쪽이나 팔다리의 통증이 계속되거나 "
             "새로 나타나는 상태로 정의됩니다.",
    "b1.s2": "통증 클리닉을 찾는 사람들의 60% 이상이 척추 수술 실패 증후군을 겪고 있는 것으로 추정됩니다.",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The project, built in every language (held-back languages forced, with fallbacks)."""
    from click.testing import CliRunner

    from conftest import REPO, SEED

    root = tmp_path_factory.mktemp("scripts") / "proj"
    (root / "source").mkdir(parents=True)
    settings = without_handouts((REPO / "tmkit.toml").read_text(encoding="utf-8")).replace(
        'glossary = "glossary.csv"', 'glossary = ""')
    listed = ", ".join(f'"{t}"' for t in LANGUAGES)
    settings = re.sub(r"^languages = .*$", f"languages = [{listed}]", settings, count=1, flags=re.M)
    (root / "tmkit.toml").write_text(settings, encoding="utf-8")
    shutil.copy(SEED, root / "source" / SEED.name)
    shutil.copy(SEED, root / "source" / "chronic-back-pain-after-spinal-surgery.txt")
    write_po(root, "ur", URDU)
    write_po(root, "ko", KOREAN)
    runner = CliRunner()
    run_cli(runner, root, "build", "--force")
    run_cli(runner, root, "status", "--format", "html")
    return root


def _measure(page: Path, script: str, tmp_path: Path, width: int = 1280) -> dict:
    """Run ``script`` (which sets ``result``) in a copy of ``page`` in Chromium at ``width`` px."""
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page.read_text(encoding="utf-8"))
    probe = ("<script>document.fonts.ready.then(() => { let result = {}; try {" + script +
             "} catch (e) { result = {error: String(e)}; }; const pre = document.createElement('pre'); pre.id = 'measured';"
             " pre.textContent = JSON.stringify(result); document.body.appendChild(pre); });</script>")
    copy = tmp_path / f"measure-{page.parent.name}-{page.name}"
    copy.write_text(text.replace("</body>", probe + "</body>"), encoding="utf-8")
    dom = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                          f"--user-data-dir={tmp_path / 'chrome'}", f"--window-size={width},900",
                          "--virtual-time-budget=10000", "--dump-dom", copy.as_uri()],
                         check=True, capture_output=True, timeout=120, text=True).stdout
    found = re.search(r'<pre id="measured">(.*?)</pre>', dom, re.S)
    assert found, dom[-2000:]
    return json.loads(html.unescape(found.group(1)))


def _same_box(one: list[float], other: list[float]) -> bool:
    """Two [width, height] boxes of the same text equal to within half a pixel."""
    return all(abs(a - b) < 0.5 for a, b in zip(one, other))


def test_urdu_page_is_set_in_nastaliq(site, tmp_path):
    page = site / "exports" / "ur" / f"{SEED_SLUG}.html"
    render_in_chromium(page, tmp_path, tmp_path / "ur.png", "1280,900")
    result = _measure(page, """
        const p = document.querySelector('p#b1');
        const text = p.textContent.match(/[\\u0600-\\u06ff]+/g).join(' ');
        const width = font => { const s = document.createElement('span'); s.textContent = text;
            s.style.whiteSpace = 'nowrap'; if (font) s.style.fontFamily = font;
            p.appendChild(s); const r = s.getBoundingClientRect(); s.remove(); return [r.width, r.height]; };
        result = {family: getComputedStyle(p).fontFamily, page: width(''),
                  nastaliq: width('"Noto Nastaliq Urdu"'), naskh: width('"Noto Naskh Arabic"'),
                  arabic: width('"Noto Sans Arabic"'),
                  fallback: getComputedStyle(document.querySelector('.fallback') || p).fontFamily}
    """, tmp_path)
    assert result["family"].startswith('"Noto Nastaliq Urdu"'), result
    # The font actually used: the words take exactly the box they take in Nastaliq, and
    # Naskh faces (the stack's next, and the old first) set them in another box.
    assert _same_box(result["page"], result["nastaliq"]), result
    assert not _same_box(result["nastaliq"], result["naskh"]), result
    assert not _same_box(result["nastaliq"], result["arabic"]), result
    assert "Nastaliq" not in result["fallback"]                         # English fallback: Latin stack


def test_korean_words_never_break_inside(site, tmp_path):
    page = site / "exports" / "ko" / f"{SEED_SLUG}.html"
    render_in_chromium(page, tmp_path, tmp_path / "ko.png", "420,900")
    result = _measure(page, """
        document.body.style.maxInlineSize = '16rem';
        let words = 0, split = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        const nodes = [];
        while (walker.nextNode()) {
            const node = walker.currentNode;
            if (/[\\uac00-\\ud7a3]/.test(node.data) && !node.parentElement.closest('.fallback, nav'))
                nodes.push(node);
        }
        for (const node of nodes) {           // each word in a span of its own
            const spans = document.createDocumentFragment();
            for (const part of node.data.split(/(\\s+)/)) {
                if (/^\\s*$/.test(part)) { spans.append(part); continue; }
                const s = document.createElement('span'); s.className = 'w'; s.textContent = part;
                spans.append(s);
            }
            node.replaceWith(spans);
        }
        for (const s of document.querySelectorAll('span.w')) {
            words += 1;
            if (s.getClientRects().length > 1) split.push(s.textContent);
        }
        result = {words, split, wordBreak: getComputedStyle(document.querySelector('p')).wordBreak,
                  family: getComputedStyle(document.querySelector('h1')).fontFamily}
    """, tmp_path, width=420)
    assert result["words"] > 30, result
    assert result["split"] == [], result
    assert result["wordBreak"] == "keep-all" and result["family"].startswith('"Noto Sans CJK KR"')


@pytest.mark.parametrize("name", ["index.html", "status.html"])
def test_overview_pages_fit_1280_px_with_25_languages(site, tmp_path, name):
    page = site / "exports" / name
    render_in_chromium(page, tmp_path, tmp_path / name.replace(".html", ".png"), "1280,900")
    if name == "index.html":     # the front page: a chooser of the 26 languages, no table
        result = _measure(page, """
            result = {scroll: document.documentElement.scrollWidth, viewport: window.innerWidth,
                      choices: document.querySelectorAll('main nav a').length}
        """, tmp_path)
        assert result["viewport"] == 1280
        assert result["scroll"] <= 1280 and result["choices"] == 26, result
        return
    result = _measure(page, """
        const table = document.querySelector('table');
        result = {scroll: document.documentElement.scrollWidth, viewport: window.innerWidth,
                  table: table.getBoundingClientRect().width,
                  columns: table.querySelector('tr').children.length,
                  rows: table.querySelectorAll('tbody tr').length}
    """, tmp_path)
    assert result["viewport"] == 1280
    assert result["scroll"] <= 1280 and result["table"] <= 1280, result
    assert result["rows"] == 25, result
