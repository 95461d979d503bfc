"""Glossary matching beyond the Latin alphabet: one test per script (issue 25).

Each case is a false alarm the old substring test raised (normalisation,
case folding, spacing, zero-width characters) or a wrong rendering it
accepted (a term inside a longer word of a language without spaces).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_cli
from test_checks import _msgstr_line, _set_toml
from test_checks_support import SEED_SLUG, write_po
from toolkit.checks.glossary import read_csv_glossary

SCAR, FESTERING = "แผลเป็น", "แผลเป็นหนอง"


def _glossary(tmp_path, rows: str):
    path = tmp_path / "glossary.csv"
    path.write_text("term,lang,translation,note\n" + rows, encoding="utf-8")
    return read_csv_glossary(path)


def _missing(glossary, source: str, target: str, lang: str) -> list[str]:
    return [t.term for t in glossary.unrendered(source, target, lang)]


def test_hindi_nukta_typed_as_combining_mark_matches_the_precomposed_letter(tmp_path):
    glossary = _glossary(tmp_path, "spine,hi,\u0930\u0940\u095d\n")           # रीढ़ with U+095D
    typed = "\u0930\u0940\u0922\u093c \u0915\u0940 \u0939\u0921\u094d\u0921\u0940"  # ढ + nukta
    assert _missing(glossary, "The spine.", typed, "hi") == []
    assert _missing(glossary, "The spine.", "\u0939\u0921\u094d\u0921\u0940", "hi") == ["spine"]


@pytest.mark.parametrize("lang", ["tr", "az"])
def test_turkic_dotted_capital_i_folds_to_i(tmp_path, lang):
    glossary = _glossary(tmp_path, f"recovery,{lang},iyileşme\nrisk,{lang},İlaç\n")
    assert _missing(glossary, "Recovery is slow.", "İyileşmenin süresi uzundur.", lang) == []
    # The glossary's own capital İ folds the same way, and dotless ı stays apart from i.
    assert _missing(glossary, "A risk.", "ilaç riski", lang) == []
    assert _missing(glossary, "Recovery is slow.", "IYILEŞME", lang) == ["recovery"]


def test_korean_spacing_variants_are_one_term(tmp_path):
    glossary = _glossary(tmp_path, "spinal surgery,ko,척추 수술\nback pain,ko,요통\n")
    assert _missing(glossary, "After spinal surgery.", "척추수술 후", "ko") == []
    assert _missing(glossary, "After spinal surgery.", "척추 수술 후", "ko") == []
    # Particles attach to Korean words: 요통이 still renders 요통.
    assert _missing(glossary, "Back pain persists.", "요통이 지속된다", "ko") == []
    assert _missing(glossary, "After spinal surgery.", "허리 수술 후", "ko") == ["spinal surgery"]


def test_thai_zero_width_space_inside_a_term_is_ignored(tmp_path):
    glossary = _glossary(tmp_path, f"scar,th,{SCAR}\n")
    assert _missing(glossary, "The scar tissue.", "เนื้อเยื่อแผล\u200bเป็น", "th") == []
    assert _missing(glossary, "The scar tissue.", "\ufeffเนื้อเยื่อ" + SCAR, "th") == []


def test_thai_term_inside_a_longer_glossary_word_is_not_the_term(tmp_path):
    glossary = _glossary(tmp_path, f"scar,th,{SCAR}\nfestering wound,th,{FESTERING}\nwound,th,แผล\n")
    assert _missing(glossary, "The scar hurts.", f"ผู้ป่วยมี{FESTERING}ที่หลัง", "th") == ["scar"]
    assert glossary.why(glossary.for_language("th")[0], f"มี{FESTERING}", "th") == \
        f"found only inside {FESTERING} ('festering wound')"
    assert _missing(glossary, "The scar hurts.", f"ผู้ป่วยมี{SCAR}ที่หลัง", "th") == []
    # The English's own longer term holds the shorter one: no false alarm for "wound".
    assert _missing(glossary, "A festering wound.", f"มี{FESTERING}", "th") == []


#: Correct Thai: the scar followed by other words, none of which binds to its เป็น.
SCAR_SENTENCES = [
    "แผลเป็นที่หลัง",                      # a scar on the back (เป็นที่ is a word, ที่ a preposition)
    "แผลเป็นจากการผ่าตัด",                  # a scar from the operation
    "ผู้ป่วยมีแผลเป็นหลังการผ่าตัด",            # the patient has a scar after the operation
    "อาจเกิดแผลเป็นได้",                     # a scar may form (เป็นได้ is a word, ได้ a particle)
    "รอยแผลเป็นที่หลัง",                    # a scar mark on the back (รอยแผล is a word too)
    "เนื้อเยื่อแผลเป็นอาจกดทับเส้นประสาท",     # scar tissue may press on the nerve
    "แผลเป็นนูน",                          # a raised scar
    "แผลเป็นจะค่อยๆ จางลง",                 # the scar will slowly fade
    "หลังผ่าตัดจะมีแผลเป็น",                 # after the operation there is a scar
    "แผลเป็นเป็นเรื่องปกติ",                  # a scar is normal
    "การตรวจเอ็มอาร์ไอหลังผ่าตัดมักทำเพื่อช่วยหาพังผืดหรือแผลเป็น",   # tests/test_writers_text.py
]


@pytest.mark.parametrize("sentence", SCAR_SENTENCES)
def test_thai_scar_followed_by_other_words_is_the_term(tmp_path, sentence):
    glossary = _glossary(tmp_path, f"scar,th,{SCAR}\n")
    assert _missing(glossary, "The scar.", sentence, "th") == []


@pytest.mark.parametrize("sentence", [FESTERING, f"ผู้ป่วยมี{FESTERING}ที่ขา", f"{FESTERING}หลังผ่าตัด"])
def test_thai_scar_inside_festering_is_caught_without_the_longer_term(tmp_path, sentence):
    """ICU cuts both แผล|เป็น(|หนอง); the Thai word list knows เป็นหนอง (to fester)."""
    glossary = _glossary(tmp_path, f"scar,th,{SCAR}\n")
    assert _missing(glossary, "The scar.", sentence, "th") == ["scar"]
    term = glossary.for_language("th")[0]
    assert glossary.why(term, sentence, "th") == f"found only inside {FESTERING} (reads แผล|เป็นหนอง)"


def test_thai_term_heading_a_longer_word_or_after_a_prefix_is_the_term(tmp_path):
    """The limits of the binding rule the other way: no false alarm for compounds the list knows."""
    glossary = _glossary(tmp_path, "pain,th,ความเจ็บ\nsmoking,th,การสูบ\n")
    assert _missing(glossary, "The pain.", "ความเจ็บปวดเรื้อรัง", "th") == []   # ความเจ็บปวด is one word
    assert _missing(glossary, "Smoking.", "การสูบบุหรี่ทำให้กระดูกเชื่อมติดช้าลง", "th") == []  # การ governs


def test_japanese_term_inside_a_longer_word_is_not_the_term(tmp_path):
    glossary = _glossary(tmp_path, "surgery,ja,手術\n")
    # ICU's dictionary: 手術室 (operating room) is one word; 手術|を are two.
    assert _missing(glossary, "Surgery was done.", "手術室で待った。", "ja") == ["surgery"]
    assert glossary.why(glossary.for_language("ja")[0], "手術室で待った。", "ja") == \
        "found only inside the word 手術室"
    assert _missing(glossary, "Surgery was done.", "手術を受けた。", "ja") == []
    assert _missing(glossary, "Surgery was done.", "ＭＲＩの後に手術を受けた。", "ja") == []


def test_chinese_term_inside_a_longer_word_is_not_the_term(tmp_path):
    glossary = _glossary(tmp_path, "disease,zh-Hans,病\n")
    # 病人 (patient) is one word; in 这种|病|需要 the disease stands alone.
    assert _missing(glossary, "The disease needs rest.", "病人需要休息。", "zh-Hans") == ["disease"]
    assert _missing(glossary, "The disease needs rest.", "这种病需要休息。", "zh-Hans") == []


def test_arabic_prefixes_still_attach_to_the_term(tmp_path):
    glossary = _glossary(tmp_path, "surgery,ar,جراحة\n")
    assert _missing(glossary, "After surgery.", "بعد الجراحة", "ar") == []
    assert _missing(glossary, "After surgery.", "بعد العملية", "ar") == ["surgery"]


def test_underscore_and_hyphen_tags_are_one_language(tmp_path):
    glossary = _glossary(tmp_path, "back pain,pt_BR,dor nas costas\nback pain,PT-br,lombalgia\n")
    assert glossary.for_language("pt-BR")[0].translations == ("dor nas costas", "lombalgia")
    assert _missing(glossary, "Back pain.", "Dor nas costas.", "pt-BR") == []
    assert glossary.unmatched_tags(["pt-BR"]) == []
    assert glossary.unmatched_tags(["pt-PT"]) == [("pt_BR", 2)]


def _thai_project(project):
    text = (project / "tmkit.toml").read_text(encoding="utf-8")
    (project / "tmkit.toml").write_text(
        re.sub(r"^languages = .*$", 'languages = ["es", "th"]', text, count=1, flags=re.M), encoding="utf-8")
    (project / "glossary.csv").write_text(
        "term,lang,translation,note\n"
        f"scar,th,{SCAR},\nscar,pt-BT,cicatriz,\n", encoding="utf-8")
    _set_toml(project, 'glossary = "glossary.csv"')


def test_check_flags_the_thai_substring_and_the_unknown_tag(runner, project):
    """End to end: ``tmkit check`` on a Thai catalog whose glossary has only "scar" (the
    issue's case), the finding saying what it saw; the glossary's stray tag warned about."""
    _thai_project(project)
    wrong = f"การตรวจ MRI หลังผ่าตัดช่วยหาพังผืดหรือเนื้อเยื่อ{FESTERING}"
    path = write_po(project, "th", {"b1.s5": wrong})
    output = run_cli(runner, project, "check", "--lang", "th").output.splitlines()
    line = _msgstr_line(path, wrong)
    assert (f"po/th/{SEED_SLUG}.po:{line}: [glossary] warning: 'scar' should be rendered '{SCAR}': "
            f"found only inside {FESTERING} (reads แผล|เป็นหนอง)") in output
    assert ("glossary.csv:3: [glossary] warning: glossary language 'pt-BT' matches no configured "
            "language (es, th): its rows are never used") in output

    write_po(project, "th", {"b1.s5": wrong.replace(FESTERING, "แผล\u200bเป็น")})
    output = run_cli(runner, project, "check", "--lang", "th").output
    assert "'scar' should be rendered" not in output
    write_po(project, "th", {"b1.s5": wrong.replace(FESTERING, "แผลเป็นที่หลัง")})
    output = run_cli(runner, project, "check", "--lang", "th").output
    assert "'scar' should be rendered" not in output


def test_thai_word_list_is_read_without_pythainlp_side_effects(tmp_path):
    """The word list is read from the installed files: importing pythainlp.corpus
    would create ~/pythainlp-data, which a check must not do."""
    code = ("from toolkit.text.lexicon import lexicon; words = lexicon('th'); "
            "assert 'เป็นหนอง' in words.words and 'ที่' in words.function_words; "
            "import sys; assert not any(m.startswith('pythainlp') for m in sys.modules)")
    env = {**os.environ, "HOME": str(tmp_path)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=Path(__file__).resolve().parent.parent)
    assert list(tmp_path.iterdir()) == []
