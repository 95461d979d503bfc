"""English fallback runs on right-to-left pages read in English order (issue 20).

Consecutive untranslated sentences of one paragraph on an Arabic, Hebrew,
Persian or Urdu page are one left-to-right isolate, not one per sentence
(which the bidirectional algorithm lays out right to left: the second
sentence first).  Proved on the DOM and, with Chromium, on the boxes the
browser draws.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from lxml import html as lhtml

from tests.conftest import CHROMIUM, run_cli
from tests.export_helpers import write_po

SLUG = "care"
FIRST, SECOND, THIRD = "Smoking slows healing.", "Vascular disease does too.", "Rest helps."
ARTICLE = f"# Care\n\n{FIRST} {SECOND} {THIRD}\n\nAsk your doctor. Call us.\n"
ARABIC = {FIRST: "التدخين يبطئ الشفاء.", "Care": "العناية", "Call us.": "اتصل بنا."}


def _publish(project: Path, runner, lang: str) -> Path:
    (project / "source" / "failed-back-syndrome.txt").unlink()
    (project / "source" / f"{SLUG}.md").write_text(ARTICLE, encoding="utf-8")
    toml = project / "tmkit.toml"
    settings = toml.read_text("utf-8")
    assert 'languages = ["es", "fr", "de", "ar", "zh-Hans"]' in settings
    toml.write_text(settings.replace('languages = ["es", "fr", "de", "ar", "zh-Hans"]', f'languages = ["{lang}"]'),
                    encoding="utf-8")
    write_po(project, lang, lambda s: ARABIC.get(s.text))
    run_cli(runner, project, "build", "--force", "--lang", lang)
    return project / "exports" / lang / f"{SLUG}.html"


@pytest.mark.parametrize("lang", ["ar", "he", "fa", "ur"])
def test_consecutive_fallback_sentences_are_one_ltr_isolate(project, runner, lang):
    page = lhtml.document_fromstring(_publish(project, runner, lang).read_bytes())
    assert page.getroottree().getroot().get("dir") == "rtl"
    [first], [second] = page.xpath("//p[@id='b1']"), page.xpath("//p[@id='b2']")
    [run] = first.xpath(".//span[@class='fallback']")
    assert (run.get("lang"), run.get("dir"), run.get("data-status")) == ("en", "ltr", "untranslated")
    assert run.text_content() == f"{SECOND} {THIRD}"
    assert first.text_content() == f"{ARABIC[FIRST]} {SECOND} {THIRD}"
    # a fallback sentence alone, and one between translated ones, keeps its own span
    [alone] = second.xpath(".//span[@class='fallback']")
    assert alone.text_content() == "Ask your doctor." and alone.get("dir") == "ltr"


def test_mixed_statuses_keep_each_sentence_status(project, runner):
    (project / "source" / "failed-back-syndrome.txt").unlink()
    (project / "source" / f"{SLUG}.md").write_text(ARTICLE, encoding="utf-8")
    write_po(project, "ar", lambda s: ARABIC.get(s.text) or (f"عربي {s.text}" if s.text == THIRD else None),
             fuzzy=lambda s: s.text == THIRD)
    run_cli(runner, project, "build", "--force", "--lang", "ar")
    page = lhtml.document_fromstring((project / "exports" / "ar" / f"{SLUG}.html").read_bytes())
    [run] = page.xpath("//span[@class='fallback']")[:1]
    assert run.get("dir") == "ltr" and run.get("data-status") is None
    assert [(s.get("data-status"), s.text_content()) for s in run.xpath("./span")] == [
        ("untranslated", SECOND), ("fuzzy", THIRD)]


def test_left_to_right_pages_are_unchanged(project, runner):
    """German keeps one span per fallback sentence, without dir (as before)."""
    (project / "source" / "failed-back-syndrome.txt").unlink()
    (project / "source" / f"{SLUG}.md").write_text(ARTICLE, encoding="utf-8")
    write_po(project, "de", lambda s: {FIRST: "Rauchen verlangsamt die Heilung."}.get(s.text))
    run_cli(runner, project, "build", "--force", "--lang", "de")
    data = (project / "exports" / "de" / f"{SLUG}.html").read_text("utf-8")
    assert (f'<span lang="en" class="fallback" data-status="untranslated">{SECOND}</span> '
            f'<span lang="en" class="fallback" data-status="untranslated">{THIRD}</span>') in data


_MEASURE = """<script>
window.addEventListener("load", () => {
  const boxes = {};
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentNode.closest("script, pre#measured")) continue;   // this script's own text
    for (const [name, needle] of Object.entries(NEEDLES)) {
      const at = node.data.indexOf(needle);
      if (at < 0 || (name + ".start") in boxes) continue;
      const range = document.createRange();
      for (const [edge, start] of [["start", at], ["end", at + needle.length - 1]]) {
        range.setStart(node, start);
        range.setEnd(node, start + 1);
        const r = range.getBoundingClientRect();
        boxes[name + "." + edge] = [r.left, r.right, r.top, r.bottom];
      }
    }
  }
  const out = document.createElement("pre");
  out.id = "measured";
  out.textContent = JSON.stringify(boxes);
  document.body.appendChild(out);
});
</script>"""


def _before_in_english(a: list[float], b: list[float]) -> bool:
    """Box ``a`` comes before box ``b`` in left-to-right reading: on a line above, or left on the line."""
    a_left, _, a_top, a_bottom = a
    b_left, _, b_top, _ = b
    if a_bottom <= b_top + 1:
        return True
    return abs(a_top - b_top) < 2 and a_left < b_left


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed (apt-get install chromium)")
@pytest.mark.parametrize("lang", ["ar", "he"])
def test_chromium_lays_the_run_out_in_english_order(project, runner, tmp_path, lang):
    exported = _publish(project, runner, lang)
    # The page as published, plus a measuring script (the page's own policy forbids scripts,
    # so the copy measured drops that one meta element; nothing that lays text out changes).
    data = exported.read_text("utf-8")
    data, removed = re.subn(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", data)
    assert removed == 1
    needles = {"second": SECOND, "third": THIRD}
    script = _MEASURE.replace("NEEDLES", json.dumps(needles))
    data = data.replace("</body>", script + "</body>")
    measured = tmp_path / "measured.html"
    measured.write_text(data, encoding="utf-8")
    dom = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                          f"--user-data-dir={tmp_path / 'chrome'}", "--window-size=1400,900",
                          "--virtual-time-budget=3000", "--dump-dom", measured.as_uri()],
                         check=True, capture_output=True, timeout=120, text=True).stdout
    boxes = json.loads(lhtml.fromstring(dom).xpath("string(//pre[@id='measured'])"))
    assert set(boxes) == {"second.start", "second.end", "third.start", "third.end"}
    assert all(right - left > 1 and bottom - top > 1 for left, right, top, bottom in boxes.values()), boxes
    # the run fits on one line here, so a wrong order would show as "third" left of "second"
    assert abs(boxes["second.start"][2] - boxes["third.start"][2]) < 2
    assert _before_in_english(boxes["second.start"], boxes["third.start"])
    assert _before_in_english(boxes["second.end"], boxes["third.start"])
    assert _before_in_english(boxes["second.start"], boxes["second.end"])
