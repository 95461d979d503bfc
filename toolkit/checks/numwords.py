"""Words that travel with numbers, per language: units, percent words, multipliers, duals.

CLDR (Babel) says how each language writes the digits of a number; it does
not say which words pair with one.  This module is that small table, keyed
by the base language (``zh`` serves ``zh-Hans`` and ``zh-Hant``).  It is
*data*: :mod:`toolkit.checks.numerals` compiles it.

Notation of a word:

* ``"mg"``: the whole word (not followed by a letter), except in scripts
  written without spaces (Han, kana, Hangul, Thai), where a unit is glued to
  what follows (``6日間``, ``6주간``, ``6 วันติดต่อกัน``);
* ``"día*"``: a stem, any ending (``días``, ``дней`` from ``дн*``), for
  languages that inflect the noun after a number.

Unit classes are deliberately coarse (``day``, ``week``, ``mg``...) and an age
is a ``year`` (``65 years or older``, ``65岁``, ``65 yaş``), so the same
quantity falls into the same class whatever the wording.  A word missing
from this table only makes the check less strict for that language (the
number pairs with anything), never wrong.
"""

from __future__ import annotations

#: Unit symbols written the same in every language (Latin or universal).
UNIVERSAL_UNITS: dict[str, tuple[str, ...]] = {
    "mg": ("mg",), "mcg": ("mcg", "µg", "μg"), "g": ("g",), "kg": ("kg",),
    "ml": ("ml", "mL", "cc"), "l": ("L",), "mm": ("mm",), "cm": ("cm",),
    "deg": ("°C", "°F", "℃", "°"),
}

#: Unit words after a number, per language and class.
UNITS_AFTER: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {"mg": ("milligram*",), "g": ("gram*",), "kg": ("kilogram*", "kilo*"),
           "mcg": ("microgram*",), "ml": ("millilit*",), "l": ("litre*", "liter*"),
           "mm": ("millimet*",), "cm": ("centimet*",),
           "minute": ("minute*", "min", "mins"), "hour": ("hour*", "hr", "hrs", "h"),
           "day": ("day*",), "week": ("week*", "wk*"), "month": ("month*",),
           "year": ("year*", "yr*", "or older", "and older", "or over", "and over",
                    "or above", "and above"),
           "times": ("times",)},
    "es": {"mg": ("miligramo*",), "g": ("gramo*",), "kg": ("kilo*",), "ml": ("mililitro*",),
           "l": ("litro*",), "mm": ("milímetro*",), "cm": ("centímetro*",),
           "minute": ("minuto*", "min"), "hour": ("hora*", "h"), "day": ("día*", "dia*"),
           "week": ("semana*",), "month": ("mes", "meses"), "year": ("año*",),
           "times": ("vez", "veces")},
    "pt": {"mg": ("miligrama*",), "ml": ("mililitro*",), "minute": ("minuto*",),
           "hour": ("hora*",), "day": ("dia*",), "week": ("semana*",),
           "month": ("mês", "meses"), "year": ("ano*",), "times": ("vez", "vezes")},
    "fr": {"mg": ("milligramme*",), "g": ("gramme*",), "kg": ("kilo*",), "ml": ("millilitre*",),
           "l": ("litre*",), "minute": ("minute*", "min"), "hour": ("heure*", "h"),
           "day": ("jour*",), "week": ("semaine*",), "month": ("mois",),
           "year": ("an", "ans", "année*"), "times": ("fois",)},
    "it": {"mg": ("milligramm*",), "minute": ("minut*",), "hour": ("ora", "ore"),
           "day": ("giorn*",), "week": ("settiman*",), "month": ("mese", "mesi"),
           "year": ("anno", "anni"), "times": ("volta", "volte")},
    "de": {"mg": ("Milligramm*",), "g": ("Gramm*",), "kg": ("Kilo*",), "ml": ("Milliliter*",),
           "l": ("Liter*",), "minute": ("Minute*", "Min."), "hour": ("Stunde*", "Std."),
           "day": ("Tag", "Tage", "Tagen", "Tages", "tägig*"), "week": ("Woche*", "wöchig*"),
           "month": ("Monat*",), "year": ("Jahr*", "jährig*"), "times": ("Mal", "mal")},
    "nl": {"minute": ("minu*",), "hour": ("uur",), "day": ("dag", "dagen"),
           "week": ("week", "weken"), "month": ("maand*",), "year": ("jaar",), "times": ("keer",)},
    "pl": {"minute": ("minut*",), "hour": ("godzin*",), "day": ("dni", "dzień", "dnia"),
           "week": ("tydzień", "tygodni*", "tyg."), "month": ("miesi*",),
           "year": ("lat", "lata", "rok*", "roku"), "times": ("raz*",)},
    "ar": {"mg": ("ملغ", "مغ", "ملجم", "مجم", "ملليغرام*", "مليغرام*", "ميليغرام*", "ملليجرام*",
                  "مليجرام*"),
           "g": ("غرام*", "جرام*", "غ"), "kg": ("كغ", "كجم", "كيلوغرام*", "كيلوجرام*", "كيلو*"),
           "ml": ("مل", "ملل", "مليلتر*", "ملليلتر*", "ميليلتر*", "مليلیتر*"),
           "minute": ("دقيقة*", "دقائق", "دقيقه"), "hour": ("ساعة*", "ساعات"),
           "day": ("يوم*", "أيام", "ايام"), "week": ("أسبوع*", "أسابيع", "اسبوع*", "اسابيع"),
           "month": ("شهر*", "أشهر", "اشهر", "شهور"),
           "year": ("سنة*", "سنوات", "سنين", "سنه", "عام*", "أعوام", "اعوام"),
           "times": ("مرة*", "مرات", "مره")},
    "fa": {"mg": ("میلی\u200cگرم", "میلی گرم", "میلیگرم"), "g": ("گرم",),
           "kg": ("کیلوگرم", "کیلو"), "ml": ("میلی\u200cلیتر", "میلی لیتر", "میلیلیتر", "سی\u200cسی"),
           "minute": ("دقیقه*",), "hour": ("ساعت*",), "day": ("روز*",), "week": ("هفته*",),
           "month": ("ماه*",), "year": ("سال*",), "times": ("بار", "مرتبه")},
    "ur": {"mg": ("ملی گرام", "ملی\u200cگرام", "ملیگرام"), "g": ("گرام",),
           "kg": ("کلوگرام", "کلو"), "ml": ("ملی لیٹر", "ملی\u200cلیٹر", "ملیلیٹر"),
           "minute": ("منٹ*",), "hour": ("گھنٹ*",), "day": ("دن", "دنوں", "روز"),
           "week": ("ہفت*",), "month": ("مہین*", "ماہ"), "year": ("سال*", "برس*"),
           "times": ("بار", "مرتبہ")},
    "he": {"mg": ('מ"ג', "מ״ג", "מיליגרם*"), "g": ("גרם*",), "kg": ('ק"ג', "ק״ג", "קילוגרם*", "קילו"),
           "ml": ('מ"ל', "מ״ל", "מיליליטר*"), "mm": ('מ"מ', "מ״מ"), "cm": ('ס"מ', "ס״מ"),
           "minute": ("דקה", "דקות"), "hour": ("שעה", "שעות"), "day": ("יום", "ימים"),
           "week": ("שבוע", "שבועות"), "month": ("חודש", "חודשים"), "year": ("שנה", "שנים"),
           "times": ("פעם", "פעמים")},
    "hi": {"mg": ("मिलीग्राम*", "मि.ग्रा.", "मिग्रा"), "g": ("ग्राम*",),
           "kg": ("किलोग्राम*", "किग्रा", "किलो"), "ml": ("मिलीलीटर*", "मि.ली.", "मिली"),
           "minute": ("मिनट*",), "hour": ("घंट*", "घण्ट*"), "day": ("दिन*", "दिवस*"),
           "week": ("सप्ताह*", "हफ़्त*", "हफ्त*"), "month": ("महीन*", "माह*"),
           "year": ("वर्ष*", "साल*", "बरस*"), "times": ("बार",)},
    "bn": {"mg": ("মিলিগ্রাম*", "মি.গ্রা."), "g": ("গ্রাম*",), "kg": ("কেজি", "কিলোগ্রাম*"),
           "ml": ("মিলিলিটার*", "মি.লি.", "মিলি"), "minute": ("মিনিট*",),
           "hour": ("ঘণ্টা*", "ঘন্টা*"), "day": ("দিন*",), "week": ("সপ্তাহ*",),
           "month": ("মাস*",), "year": ("বছর*", "বৎসর*"), "times": ("বার*",)},
    "ta": {"mg": ("மி.கி.", "மி.கி", "மில்லிகிராம்*"), "g": ("கிராம்*",),
           "kg": ("கி.கி.", "கிலோ*"), "ml": ("மி.லி.", "மி.லி", "மில்லிலிட்டர்*"),
           "minute": ("நிமிட*",), "hour": ("மணி*",), "day": ("நாள்*", "நாட்க*"),
           "week": ("வார*",), "month": ("மாத*",), "year": ("ஆண்டு*", "வயது*", "வருட*"),
           "times": ("முறை*",)},
    "th": {"mg": ("มก.", "มิลลิกรัม"), "g": ("กรัม",), "kg": ("กก.", "กิโลกรัม"),
           "ml": ("มล.", "มิลลิลิตร"), "minute": ("นาที",), "hour": ("ชั่วโมง",), "day": ("วัน",),
           "week": ("สัปดาห์", "อาทิตย์"), "month": ("เดือน",), "year": ("ปี",), "times": ("ครั้ง",)},
    "ja": {"mg": ("ミリグラム",), "g": ("グラム",), "kg": ("キログラム", "キロ"), "ml": ("ミリリットル",),
           "minute": ("分",), "hour": ("時間",), "day": ("日",), "week": ("週",),
           "month": ("か月", "ヶ月", "カ月", "ケ月", "ヵ月", "箇月", "ヶ月"),
           "year": ("年", "歳", "才"), "times": ("回", "度")},
    "ko": {"mg": ("밀리그램",), "g": ("그램",), "kg": ("킬로그램", "킬로"), "ml": ("밀리리터",),
           "minute": ("분",), "hour": ("시간",), "day": ("일",), "week": ("주",),
           "month": ("개월", "달"), "year": ("년", "세", "살"), "times": ("회", "번")},
    "zh": {"mg": ("毫克",), "mcg": ("微克",), "g": ("克",), "kg": ("千克", "公斤"), "ml": ("毫升",),
           "minute": ("分钟", "分鐘", "分"), "hour": ("小时", "小時", "个小时", "個小時", "钟头", "鐘頭"),
           "day": ("天", "日"), "week": ("周", "週", "星期", "个星期", "個星期"),
           "month": ("个月", "個月"), "year": ("年", "岁", "歲", "周岁", "週歲"), "times": ("次",)},
    "ru": {"mg": ("мг", "миллиграмм*"), "mcg": ("мкг",), "g": ("г", "грамм*"),
           "kg": ("кг", "килограмм*"), "ml": ("мл", "миллилитр*"), "mm": ("мм",), "cm": ("см",),
           "minute": ("мин*",), "hour": ("час*", "ч"), "day": ("дн*", "день", "сут*"),
           "week": ("недел*", "нед."), "month": ("месяц*", "мес."), "year": ("год*", "лет"),
           "times": ("раз", "раза")},
    "uk": {"mg": ("мг", "міліграм*"), "g": ("г",), "kg": ("кг",), "ml": ("мл",),
           "minute": ("хвилин*", "хв"), "hour": ("годин*",), "day": ("дн*", "день", "доб*"),
           "week": ("тиж*",), "month": ("місяц*", "міс."), "year": ("рок*", "рік", "літ*"),
           "times": ("раз*",)},
    "tr": {"mg": ("miligram*",), "g": ("gram*",), "kg": ("kilo*",), "ml": ("mililitre*",),
           "minute": ("dakika*",), "hour": ("saat*",), "day": ("gün*",), "week": ("hafta*",),
           "month": ("ay", "aylık", "ayda", "aydan", "aya", "ayı", "aydır", "ayın", "aylar*"),
           "year": ("yıl*", "yaş*"), "times": ("kez", "defa", "kere")},
    "el": {"mg": ("χιλιοστόγραμμ*",), "kg": ("κιλά", "κιλό*"), "minute": ("λεπτ*",),
           "hour": ("ώρ*", "ωρ*"), "day": ("ημέρ*", "ημερ*", "μέρ*", "μερ*"),
           "week": ("εβδομάδ*", "εβδομαδ*"), "month": ("μήν*", "μην*"),
           "year": ("έτ*", "ετ*", "χρόν*", "χρον*"), "times": ("φορ*",)},
    "sw": {"mg": ("miligramu",), "ml": ("mililita",)},
    "vi": {"minute": ("phút",), "hour": ("giờ",), "day": ("ngày",), "week": ("tuần",),
           "month": ("tháng",), "year": ("năm", "tuổi"), "times": ("lần",)},
    "id": {"minute": ("menit",), "hour": ("jam",), "day": ("hari",), "week": ("minggu",),
           "month": ("bulan",), "year": ("tahun",), "times": ("kali",)},
    "ka": {"mg": ("მგ", "მილიგრამ*"), "ml": ("მლ",), "minute": ("წუთ*",), "hour": ("საათ*",),
           "day": ("დღ*",), "week": ("კვირ*",), "month": ("თვ*",), "year": ("წლ*", "წელ*"),
           "times": ("-ჯერ", "ჯერ")},
}
UNITS_AFTER["ms"] = UNITS_AFTER["id"]
UNITS_AFTER["ne"] = UNITS_AFTER["hi"]
UNITS_AFTER["mr"] = {**UNITS_AFTER["hi"], "hour": ("तास*",), "week": ("आठवड*",),
                     "month": ("महिन*", "महीन*"), "year": ("वर्ष*",)}
UNITS_AFTER["bg"] = UNITS_AFTER["ru"]

#: Unit words *before* a number ("aged 65", Swahili "siku 6" = 6 days).
UNITS_BEFORE: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {"year": ("aged", "age", "ages")},
    "sw": {"minute": ("dakika",), "hour": ("saa",), "day": ("siku",), "week": ("wiki",),
           "month": ("mwezi", "miezi"), "year": ("mwaka", "miaka"), "times": ("mara",)},
}

#: Percent words after a number (the sign ``%``/``٪`` counts in every language).
PERCENT_AFTER: dict[str, tuple[str, ...]] = {
    "en": ("percent", "per cent"), "es": ("por ciento",), "pt": ("por cento",),
    "fr": ("pour cent", "pourcent*"), "it": ("per cento",), "de": ("Prozent",), "nl": ("procent",),
    "pl": ("procent*",), "ar": ("في المائة", "في المئة", "بالمائة", "بالمئة"), "fa": ("درصد",),
    "ur": ("فیصد",), "he": ("אחוז", "אחוזים"), "hi": ("प्रतिशत", "फ़ीसदी", "फीसदी"),
    "mr": ("टक्के",), "ne": ("प्रतिशत",), "bn": ("শতাংশ*",), "ta": ("சதவீத*", "சதவிகித*"),
    "th": ("เปอร์เซ็นต์",), "ja": ("パーセント",), "ko": ("퍼센트", "프로"), "zh": ("个百分点",),
    "ru": ("процент*",), "bg": ("процент*",), "uk": ("відсот*",), "el": ("τοις εκατό", "τοις εκατόν"),
    "vi": ("phần trăm",), "id": ("persen",), "ms": ("peratus",), "ka": ("პროცენტ*",),
}

#: Percent words before a number (Turkish "yüzde 60", Thai "ร้อยละ 60", Chinese "百分之60").
PERCENT_BEFORE: dict[str, tuple[str, ...]] = {
    "tr": ("yüzde",), "th": ("ร้อยละ",), "sw": ("asilimia",), "zh": ("百分之",), "bn": ("শতকরা",),
}

#: Large-number words after a number: 15万 = 150,000; 1.5 लाख = 150,000.
MULTIPLIERS_AFTER: dict[str, dict[str, int]] = {
    "en": {"thousand": 10**3, "million": 10**6, "lakh": 10**5, "crore": 10**7},
    "zh": {"千": 10**3, "万": 10**4, "萬": 10**4, "百万": 10**6, "百萬": 10**6, "亿": 10**8, "億": 10**8},
    "ja": {"千": 10**3, "万": 10**4, "萬": 10**4, "億": 10**8},
    "ko": {"천": 10**3, "만": 10**4, "백만": 10**6, "억": 10**8},
    "hi": {"हज़ार": 10**3, "हजार": 10**3, "लाख": 10**5, "करोड़": 10**7, "करोड": 10**7,
           "मिलियन": 10**6},
    "bn": {"হাজার": 10**3, "লাখ": 10**5, "লক্ষ": 10**5, "কোটি": 10**7},
    "ur": {"ہزار": 10**3, "لاکھ": 10**5, "کروڑ": 10**7, "ملین": 10**6},
    "ta": {"ஆயிரம்": 10**3, "லட்சம்": 10**5, "இலட்சம்": 10**5, "கோடி": 10**7},
    "th": {"พัน": 10**3, "หมื่น": 10**4, "แสน": 10**5, "ล้าน": 10**6},
    "fa": {"هزار": 10**3, "میلیون": 10**6},
    "ar": {"ألف": 10**3, "آلاف": 10**3, "الف": 10**3, "مليون": 10**6, "ملايين": 10**6},
    "he": {"אלף": 10**3, "אלפים": 10**3, "מיליון": 10**6},
    "ru": {"тыс.": 10**3, "тысяч*": 10**3, "млн": 10**6, "миллион*": 10**6},
    "uk": {"тис.": 10**3, "тисяч*": 10**3, "млн": 10**6, "мільйон*": 10**6},
    "tr": {"bin": 10**3, "milyon": 10**6}, "el": {"χιλιάδες": 10**3, "εκατομμύρι*": 10**6},
    "es": {"mil": 10**3, "millón": 10**6, "millones": 10**6}, "pt": {"mil": 10**3, "milhões": 10**6},
    "fr": {"mille": 10**3, "million*": 10**6}, "it": {"mila": 10**3, "milion*": 10**6},
    "de": {"Tausend": 10**3, "Million*": 10**6, "Mio.": 10**6}, "pl": {"tys.": 10**3},
    "vi": {"nghìn": 10**3, "ngàn": 10**3, "triệu": 10**6}, "id": {"ribu": 10**3, "juta": 10**6},
    "ka": {"ათას*": 10**3},
}
MULTIPLIERS_AFTER["mr"] = MULTIPLIERS_AFTER["ne"] = MULTIPLIERS_AFTER["hi"]

#: Large-number words before a number (Swahili "elfu 150" = 150,000, "laki 1.5" = 150,000).
MULTIPLIERS_BEFORE: dict[str, dict[str, int]] = {"sw": {"elfu": 10**3, "laki": 10**5, "milioni": 10**6}}

#: Nouns in the dual: the number two is in the noun (يومين "two days", שנתיים "two years").
#: A source 2 they stand for is a warning, never an error.
DUALS: dict[str, dict[str, tuple[str, ...]]] = {
    "ar": {"day": ("يومين", "يومان"), "week": ("أسبوعين", "أسبوعان", "اسبوعين"),
           "month": ("شهرين", "شهران"), "year": ("سنتين", "سنتان", "عامين", "عامان"),
           "hour": ("ساعتين", "ساعتان"), "minute": ("دقيقتين", "دقيقتان"), "times": ("مرتين", "مرتان")},
    "he": {"day": ("יומיים",), "week": ("שבועיים",), "month": ("חודשיים",), "year": ("שנתיים",),
           "hour": ("שעתיים",), "times": ("פעמיים",)},
}

#: Numbers the English spells out ("six weeks", "three times"): they account
#: for the digits of a translation (``6週間``, ``3回``) but are never required
#: in one (a translator may spell them too: ``六週間``, ``หกสัปดาห์``).
NUMBER_WORDS: dict[str, dict[str, int]] = {
    "en": {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
           "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
           "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
           "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12},
}

#: Words that are one of the unit after them: "a day", "per week", "every month"
#: (Japanese and Chinese write the one: ``1日2回``, ``每天1次``).
ONE_BEFORE_UNIT: dict[str, tuple[str, ...]] = {"en": ("a", "an", "per", "each", "every")}

#: Words that are a number and a unit at once: "twice" (2 times), "daily" (1 day).
COUNTED_WORDS: dict[str, dict[str, tuple[int, str]]] = {
    "en": {"once": (1, "times"), "twice": (2, "times"), "thrice": (3, "times"),
           "hourly": (1, "hour"), "daily": (1, "day"), "nightly": (1, "day"), "weekly": (1, "week"),
           "fortnightly": (2, "week"), "monthly": (1, "month"), "yearly": (1, "year"),
           "annually": (1, "year")},
}

#: Unit classes "a"/"per"/"every" count one of: "a day" is one day, "a mg" is nothing.
TIME_UNITS = frozenset({"minute", "hour", "day", "week", "month", "year"})
