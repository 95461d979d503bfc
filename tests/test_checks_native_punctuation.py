"""translate-toolkit's checks and native punctuation (issue 25).

Hindi ends sentences with ``।``, Hebrew writes abbreviations with a
gershayim typed as ``"`` (``ע"י``, ``מ"ג``), Japanese writes acronyms in
full width (``ＭＲＩ``) and quotes with ``「」``, German with ``„“``: none of
these is a problem, and ``tmkit check`` must not say so, while a real change
of punctuation is still reported.
"""

from __future__ import annotations

import re

import pytest

from conftest import run_cli
from test_checks_support import write_po
from toolkit.checks import ttk
from toolkit.checks.base import CHECKS, Entry, LanguageEnv

#: b1.s5: "Postoperative MRI studies are typically performed with and without contrast
#: to help identify the presence of fibrosis or scar tissue."
#: b1.s6: "Re-evaluation after failed back syndrome is often performed by a spine surgeon
#: or a neurologist, who has special experience and interest in this condition."
NATIVE = {
    "hi": {"b1.s5": "शल्य-चिकित्सा के बाद के MRI अध्ययन आमतौर पर कंट्रास्ट के साथ और उसके बिना किए "
                    "जाते हैं, ताकि फाइब्रोसिस या निशान ऊतक की पहचान में मदद मिल सके।"},
    "he": {"b1.s6": 'הערכה מחודשת לאחר תסמונת הגב הכושל מתבצעת לעיתים קרובות ע"י מנתח עמוד שדרה '
                    "או נוירולוג, בעל ניסיון ועניין מיוחדים במצב זה."},
    "ja": {"b1.s5": "術後のＭＲＩ検査は、線維症や瘢痕組織の有無を確認するため、造影剤を使用する場合と"
                    "使用しない場合の両方で行われるのが一般的です。"},
}


def _languages(project, *tags: str) -> None:
    text = (project / "tmkit.toml").read_text(encoding="utf-8")
    listed = ", ".join(f'"{t}"' for t in tags)
    (project / "tmkit.toml").write_text(re.sub(r"^languages = .*$", f"languages = [{listed}]", text,
                                               count=1, flags=re.M), encoding="utf-8")


@pytest.mark.parametrize("lang", sorted(NATIVE))
def test_native_punctuation_raises_nothing(runner, project, lang):
    _languages(project, *NATIVE)
    write_po(project, lang, NATIVE[lang])
    result = run_cli(runner, project, "check", "--lang", lang)
    assert "0 errors, 0 warnings in 1 file (1 translated entry checked)" in result.output, result.output


def test_a_real_change_of_punctuation_is_still_reported(runner, project):
    _languages(project, *NATIVE)
    write_po(project, "hi", {"b1.s5": NATIVE["hi"]["b1.s5"].replace("।", "?")})
    assert "[endpunc] warning: Different punctuation at the end" in run_cli(
        runner, project, "check", "--lang", "hi").output
    write_po(project, "ja", {"b1.s5": NATIVE["ja"]["b1.s5"].replace("ＭＲＩ", "磁気共鳴画像")})
    assert "[do-not-translate] 'MRI' must stay as it is" in run_cli(
        runner, project, "check", "--lang", "ja", expect=1).output


@pytest.mark.parametrize("lang, source, target", [
    ("hi", "Back pain is common.", "पीठ दर्द आम है।"),
    ("ur", "Is it common?", "کیا یہ عام ہے؟"),
    ("he", "Take 5 mg a day.", 'יש ליטול 5 מ"ג ביום.'),
    ("he", 'The "failed back" label.', 'התווית "גב כושל".'),
    ("ja", 'Take it "twice" a day.', "一日に「二回」飲んでください。"),
    ("de", 'It is "common".', "Es ist „häufig“."),
    ("ru", 'It is "common".', "Это «обычно»."),
    ("fr", 'It is "common".', "C’est « courant »."),
])
def test_native_marks_pass_translate_toolkit(lang, source, target):
    assert ttk.run_ttk(Entry(source, target), LanguageEnv(lang), set(ttk.DEFAULT_TESTS)) == {}


@pytest.mark.parametrize("lang, source, target, failing", [
    ("hi", "Is back pain common?", "क्या पीठ दर्द आम है।", "endpunc"),
    ("he", 'The "failed back" label.', "התווית גב כושל.", "doublequoting"),
    ("de", 'It is "common".', "Es ist häufig.", "doublequoting"),
    ("fr", 'It is "common".', "C’est courant.", "doublequoting"),
])
def test_missing_or_changed_marks_still_fail(lang, source, target, failing):
    assert failing in ttk.run_ttk(Entry(source, target), LanguageEnv(lang), set(ttk.DEFAULT_TESTS))


def test_full_width_acronym_is_the_acronym_kept():
    check = CHECKS["do-not-translate"].function
    env = LanguageEnv("ja", ["MRI", "FBS"])
    assert check(Entry("An MRI of FBS.", "ＭＲＩとＦＢＳ。"), env) == []
    assert [p.message for p in check(Entry("An MRI of FBS.", "ＦＢＳの画像。"), env)] == [
        "'MRI' must stay as it is, translation lacks it"]
