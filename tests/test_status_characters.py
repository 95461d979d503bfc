"""tmkit status: characters beside words for languages written without spaces (issue 25).

pocount's "words" in Thai or Japanese are mostly single letters or
characters, which no one plans work by; status adds the translated
characters (what such translations are priced and planned by), checked here against a count made straight from the
PO file (letters and digits; Thai vowel and tone marks are combining marks
that belong to the letter before them, so they are not counted apart).
"""

from __future__ import annotations

import json
import re
import unicodedata

import polib
from lxml import html as lxml_html
from translate.tools import pocount

from conftest import run_cli
from test_checks_support import SEED_SLUG, TRANSLATIONS, write_po

THAI = {
    "title": "กลุ่มอาการหลังผ่าตัดกระดูกสันหลังล้มเหลว",
    "b1.s1": "กลุ่มอาการหลังผ่าตัดกระดูกสันหลังล้มเหลว (FBS) หมายถึงอาการปวดหลังส่วนล่างหรือปวดขาที่ยังคงอยู่"
             "หรือเกิดขึ้นใหม่หลังการผ่าตัดกระดูกสันหลัง",
    "b1.s2": "มีการประมาณว่าผู้ที่มารับการรักษาในคลินิกระงับปวดมากกว่า 60% มีกลุ่มอาการนี้",
}


def _characters(text: str) -> int:
    return sum(1 for ch in text if unicodedata.category(ch)[0] in "LN")


def test_thai_status_shows_characters_beside_words(runner, project):
    text = (project / "tmkit.toml").read_text(encoding="utf-8")
    (project / "tmkit.toml").write_text(re.sub(r"^languages = .*$", 'languages = ["es", "th"]', text,
                                               count=1, flags=re.M), encoding="utf-8")
    write_po(project, "es", TRANSLATIONS["es"])
    path = write_po(project, "th", THAI)
    translated = [e.msgstr for e in polib.pofile(str(path)) if e.msgstr and not e.obsolete]
    words = sum(pocount.wordcount(t) for t in translated)
    characters = sum(_characters(t) for t in translated)
    assert 150 < characters != words

    data = json.loads(run_cli(runner, project, "status", "--format", "json").output)
    th = next(lang for lang in data["languages"] if lang["lang"] == "th")
    assert (th["target_words"], th["target_characters"]) == (words, characters)
    assert th["articles"][0]["target_characters"] == characters

    lines = run_cli(runner, project, "status").output.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert f"th/{SEED_SLUG}".ljust(29) + f" {words:>12,} {characters:>12,}" in lines
    assert not any(line.startswith(f"es/{SEED_SLUG}") for line in lines)   # Spanish has spaces

    csv_lines = run_cli(runner, project, "status", "--format", "csv").output.splitlines()
    column = csv_lines[0].split(",").index("target_characters")
    assert next(line for line in csv_lines if line.startswith("th,")).split(",")[column] == str(characters)

    run_cli(runner, project, "status", "--format", "html")
    page = lxml_html.parse(str(project / "exports" / "status.html")).getroot()
    assert [e.text_content() for e in page.xpath("//small[@class='chars']")] == [f"{characters:,} characters"]
    assert page.xpath("//small[@class='chars']/@data-lang") == ["th"]
