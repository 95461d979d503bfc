"""Check noise beyond the Latin alphabet (issue 25): spelled numbers and native sentence ends.

A real project with a short article of doses and questions, translated into
Japanese, Chinese, Korean, Armenian, Amharic, Burmese, Tibetan, Thai and
Hindi, goes through ``tmkit extract``, ``tmkit update`` and ``tmkit check``:

* "Take the tablet twice a day." is ``1日2回`` in Japanese: the English
  spells the 1 ("a day") and the 2 ("twice"), so neither is an extra number;
  ``1日3回`` still is;
* Armenian puts its question mark ``՞`` on the word asked about and ends with
  ``։``; Burmese ``။`` and Tibetan ``།`` close questions too, and a Tibetan
  heading takes its shad; Amharic ends with ``።``; Thai asks with a particle
  and no mark: none of these is an ``endpunc`` warning, while a real change
  of end mark still is.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from conftest import REPO, run_cli
from toolkit.checks import ttk
from toolkit.checks.base import Entry, LanguageEnv
from toolkit.checks.medical import compare_numbers
from toolkit.checks.numerals import spelled_numbers

ARTICLE = """Medicines

Take the tablet twice a day.

Take it 2 times a day with food.

Take it three times a day for 5 days.

Is the pain worse at night?

The pain usually improves within six weeks.
"""
ENGLISH = [block.strip() for block in ARTICLE.split("\n\n")]

#: Correct translations, in the order of ENGLISH.
TRANSLATIONS = {
    "ja": ["薬", "錠剤を1日2回服用してください。", "食事と一緒に1日2回服用してください。",
           "5日間、1日3回服用してください。", "痛みは夜に悪化しますか？", "痛みは通常6週間以内に改善します。"],
    "zh-Hans": ["药物", "每天2次服用药片。", "每天2次随餐服用。", "连续5天，每天3次。", "夜间疼痛会加重吗？",
                "疼痛通常在6周内好转。"],
    "ko": ["약", "정제를 1일 2회 복용하세요.", "식사와 함께 하루 2회 복용하세요.", "5일 동안 하루 3회 복용하세요.",
           "밤에 통증이 심해지나요?", "통증은 보통 6주 이내에 좋아집니다."],
    "hy": ["Դեղեր", "Ընդունեք դեղահաբը օրական երկու անգամ։", "Ընդունեք այն օրական 2 անգամ սննդի հետ։",
           "Ընդունեք այն օրական երեք անգամ 5 օր շարունակ։", "Ցավը գիշերը ուժեղանո՞ւմ է։",
           "Ցավը սովորաբար թեթևանում է վեց շաբաթվա ընթացքում։"],
    "am": ["መድሃኒቶች", "ጽላቱን በቀን ሁለት ጊዜ ይውሰዱ።", "በቀን 2 ጊዜ ከምግብ ጋር ይውሰዱት።", "ለ5 ቀናት በቀን ሶስት ጊዜ ይውሰዱት።",
           "ህመሙ በሌሊት ይባባሳል፧", "ህመሙ ብዙውን ጊዜ በስድስት ሳምንታት ውስጥ ይሻሻላል።"],
    "my": ["ဆေးဝါးများ", "ဆေးပြားကို တစ်နေ့ နှစ်ကြိမ် သောက်ပါ။", "အစာနှင့်အတူ တစ်နေ့ ၂ ကြိမ် သောက်ပါ။",
           "၅ ရက်ကြာ တစ်နေ့ သုံးကြိမ် သောက်ပါ။", "ညဘက်တွင် နာကျင်မှု ပိုဆိုးသလား။",
           "နာကျင်မှုသည် များသောအားဖြင့် ခြောက်ပတ်အတွင်း သက်သာလာသည်။"],
    "bo": ["སྨན།", "སྨན་རིལ་ཉིན་རེར་ཐེངས་གཉིས་ཟ་དགོས།", "ཉིན་རེར་ཐེངས་༢ ཁ་ལག་དང་མཉམ་དུ་ཟ་དགོས།",
           "ཉིན་༥ རིང་ཉིན་རེར་ཐེངས་གསུམ་ཟ་དགོས།", "ན་ཟུག་མཚན་མོ་ཚབས་ཆེ་བ་ཡིན་ནམ།",
           "ན་ཟུག་སྤྱིར་བཏང་གཟའ་འཁོར་དྲུག་གི་ནང་དུ་ཡག་པོ་ཆགས་ཀྱི་ཡོད།"],
    "th": ["ยา", "รับประทานยาเม็ดวันละสองครั้ง", "รับประทานวันละ 2 ครั้งพร้อมอาหาร",
           "รับประทานวันละสามครั้งเป็นเวลา 5 วัน", "อาการปวดแย่ลงตอนกลางคืนหรือไม่",
           "อาการปวดมักดีขึ้นภายในหกสัปดาห์"],
    "hi": ["दवाइयाँ", "गोली दिन में दो बार लें।", "इसे भोजन के साथ दिन में 2 बार लें।",
           "इसे 5 दिनों तक दिन में तीन बार लें।", "क्या रात में दर्द बढ़ जाता है?",
           "दर्द आमतौर पर छह सप्ताह के भीतर कम हो जाता है।"],
}


@pytest.fixture(scope="module")
def meds_project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("noise") / "proj"
    (root / "source").mkdir(parents=True)
    settings = (REPO / "tmkit.toml").read_text(encoding="utf-8").replace('glossary = "glossary.csv"',
                                                                         'glossary = ""')
    settings = re.sub(r"^languages = \[.*\]$", "languages = " + json.dumps(list(TRANSLATIONS)), settings,
                      flags=re.M)
    (root / "tmkit.toml").write_text(settings, encoding="utf-8")
    (root / "source" / "meds.txt").write_text(ARTICLE, encoding="utf-8")
    runner = CliRunner()
    run_cli(runner, root, "extract")
    run_cli(runner, root, "update")
    return root


def _fill(root: Path, changed: dict[tuple[str, int], str] | None = None) -> None:
    """Every PO file translated as TRANSLATIONS says, with ``changed`` (lang, index) -> text."""
    for lang, texts in TRANSLATIONS.items():
        path = root / "po" / lang / "meds.po"
        po = polib.pofile(str(path), wrapwidth=0)
        by_english = {english: (i, text) for i, (english, text) in enumerate(zip(ENGLISH, texts))}
        for entry in po:
            if entry.msgid in by_english:
                index, text = by_english[entry.msgid]
                entry.msgstr = (changed or {}).get((lang, index), text)
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
        po.save(str(path))


def _findings(root: Path) -> list[dict]:
    report = json.loads(run_cli(CliRunner(), root, "check", "--format", "json").output)
    assert report["entries"] == len(TRANSLATIONS) * len(ENGLISH), report["entries"]
    return report["findings"]


def test_correct_translations_in_nine_scripts_raise_nothing(meds_project):
    _fill(meds_project)
    assert _findings(meds_project) == []


def test_a_wrong_count_or_a_changed_end_mark_is_still_reported(meds_project):
    _fill(meds_project, {("ja", 1): "錠剤を1日3回服用してください。",           # three times, not twice
                         ("hy", 4): "Ցավը գիշերը ուժեղանում է։",                 # a statement: no ՞
                         ("my", 1): "ဆေးပြားကို တစ်နေ့ နှစ်ကြိမ် သောက်ပါ?",       # a question mark on an order
                         ("th", 3): "รับประทานวันละสามครั้งเป็นเวลา 5 วัน?"})
    found = sorted((f["lang"], f["check"], f["message"]) for f in _findings(meds_project))
    assert found == [("hy", "endpunc", "Different punctuation at the end"),
                     ("ja", "numbers", "translation has 3 回, not in the source"),
                     ("my", "endpunc", "Different punctuation at the end"),
                     ("th", "endpunc", "Different punctuation at the end")]


def test_english_spelled_numbers_are_read_with_their_units():
    read = [(n.text, int(next(iter(n.values))), n.unit) for n in spelled_numbers(
        "Twice a day, once daily, three times per week for twenty-one days, every month; "
        "a patient, per cent, a mg.")]
    assert read == [("Twice", 2, "times"), ("a", 1, "day"), ("once", 1, "times"), ("daily", 1, "day"),
                    ("three", 3, "times"), ("per", 1, "week"), ("twenty-one", 21, "day"),
                    ("every", 1, "month")]


@pytest.mark.parametrize("lang, source, target", [
    ("ja", "Take it twice a day.", "1日2回服用してください。"),
    ("ja", "Take it 2 times a day.", "1日2回服用してください。"),
    ("ja", "Once daily.", "1日1回。"),
    ("zh-Hans", "Take it twice a day.", "每天2次。"),
    ("ko", "Take it twice a day.", "1일 2회 복용하세요."),
    ("ja", "Within six weeks.", "6週間以内。"),
])
def test_spelled_numbers_account_for_a_translation_s_digits(lang, source, target):
    assert compare_numbers(source, target, lang) == ([], [])


@pytest.mark.parametrize("lang, source, target, extra", [
    ("ja", "Take it twice a day.", "1日3回服用してください。", ["3 回"]),
    ("ja", "Take it twice a day.", "1週2回服用してください。", ["1 週"]),      # a week, not a day
    ("ja", "Within six weeks.", "6か月以内。", ["6 か月"]),
])
def test_spelled_numbers_do_not_hide_other_numbers(lang, source, target, extra):
    assert [n.label for n in compare_numbers(source, target, lang)[1]] == extra


def test_spelled_numbers_are_never_required():
    """A translation that spells the number too (六週間, หกสัปดาห์) is not asked for digits."""
    assert compare_numbers("Within six weeks.", "六週間以内。", "ja") == ([], [])
    assert compare_numbers("Within six weeks.", "ภายในหกสัปดาห์", "th") == ([], [])


@pytest.mark.parametrize("lang, source, target", [
    ("hy", "Is the pain worse at night?", "Ցավը գիշերը ուժեղանո՞ւմ է։"),
    ("hy", "Is the pain worse at night?", "Ցավը գիշերը ուժեղանո՞ւմ է"),
    ("hy", "It hurts so much!", "Որքա՜ն է ցավում։"),
    ("am", "Is the pain worse?", "ህመሙ ይባባሳል፧"),
    ("am", "The pain is worse.", "ህመሙ ይባባሳል።"),
    ("my", "Is the pain worse?", "နာကျင်မှု ပိုဆိုးသလား။"),
    ("bo", "Is the pain worse?", "ན་ཟུག་ཚབས་ཆེ་བ་ཡིན་ནམ།"),
    ("bo", "Medicines", "སྨན།"),
    ("bo", "Take the tablet.", "སྨན་རིལ་ཟ་དགོས།"),
    ("th", "Is the pain worse?", "อาการปวดแย่ลงหรือไม่"),
    ("th", "Is the pain worse?", "อาการปวดแย่ลงหรือไม่?"),
    ("ja", "Is the pain worse?", "痛みは悪化しますか？"),
])
def test_native_sentence_ends_pass_endpunc(lang, source, target):
    assert ttk.run_ttk(Entry(source, target), LanguageEnv(lang), set(ttk.DEFAULT_TESTS)) == {}


@pytest.mark.parametrize("lang, source, target", [
    ("hy", "Is the pain worse at night?", "Ցավը գիշերը ուժեղանում է։"),   # no ՞ anywhere
    ("hy", "The pain is worse.", "Ցավը ուժեղանո՞ւմ է՞"),
    ("my", "Take the tablet.", "ဆေးပြားကို သောက်ပါ?"),
    ("bo", "Take the tablet.", "སྨན་རིལ་ཟ་དགོས?"),
    ("th", "Take the tablet.", "รับประทานยาเม็ด?"),
    ("am", "The pain is worse.", "ህመሙ ይባባሳል፧"),
])
def test_a_changed_end_mark_still_fails(lang, source, target):
    assert "endpunc" in ttk.run_ttk(Entry(source, target), LanguageEnv(lang), set(ttk.DEFAULT_TESTS))


def test_trailing_space_is_still_seen_by_endwhitespace():
    assert "endwhitespace" in ttk.run_ttk(Entry("Is it worse?", "ပိုဆိုးသလား။ "), LanguageEnv("my"),
                                          set(ttk.DEFAULT_TESTS))
