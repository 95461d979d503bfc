"""Hand-written translations of part of the seed, and a PO writer for tests.

Until the demo PO files of the catalog work are available, the quality tests
build their own: correct translations of a few segments of the seed
(including "60%" as ``60 %`` with NBSP in French and ``٦٠٪`` in Arabic), the
rest left untranslated.  No tests live here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import polib

from toolkit.project.config import load_config
from toolkit.text.languages import get_language
from toolkit.readers.sources import iter_articles
from toolkit.segment import segments_by_unit

SEED_SLUG = "failed-back-syndrome"

TRANSLATIONS: dict[str, dict[str, str]] = {
    "es": {
        "title": "Síndrome de espalda fallida",
        "m.alias.1": "Síndrome de cirugía de espalda fallida (FBSS)",
        "b1.s1": "El síndrome de espalda fallida (FBS) se define como un dolor lumbar o de las "
                 "extremidades que persiste o aparece después de una cirugía de columna.",
        "b1.s2": "Se calcula que más del 60% de las personas atendidas en clínicas del dolor "
                 "padecen el síndrome de espalda fallida.",
        "b1.s5": "Los estudios de MRI posoperatorios suelen realizarse con y sin contraste para "
                 "ayudar a identificar la presencia de fibrosis o tejido cicatricial.",
        "b2.s2": "Múltiples factores pueden contribuir a la aparición o al desarrollo del FBS.",
        "b2.s5": "Fumar es un riesgo de mala recuperación después de una operación de este tipo.",
        "b4.i1.s1": "Más frecuente en adultos",
        "b4.i2.s1": "Afecta a hombres y mujeres con la misma prevalencia.",
        "b8.s1": "La información de este sitio está diseñada para apoyar, no para reemplazar, la "
                 "relación que existe entre el paciente/visitante del sitio y su médico.",
    },
    "fr": {
        "title": "Syndrome d'échec de la chirurgie du dos",
        "b1.s1": "Le syndrome d'échec de la chirurgie du dos (FBS) se définit comme une douleur "
                 "lombaire ou des membres, persistante ou apparue après une chirurgie du rachis.",
        "b1.s2": "On estime que plus de 60\u00a0% des personnes suivies dans les centres antidouleur "
                 "souffrent du syndrome d'échec de la chirurgie du dos.",
        "b1.s5": "Les examens MRI postopératoires sont généralement réalisés avec et sans "
                 "produit de contraste afin d'aider à repérer une fibrose ou un tissu cicatriciel.",
        "b2.s2": "De multiples facteurs peuvent contribuer à l'apparition ou au développement du FBS.",
        "b4.i1.s1": "Plus fréquent chez l'adulte",
        "b4.i2.s1": "Touche les hommes et les femmes avec une prévalence égale.",
        "b8.s1": "Les informations fournies sur ce site sont destinées à soutenir, et non à "
                 "remplacer, la relation entre le patient/visiteur du site et son médecin.",
    },
    "ar": {
        "title": "متلازمة فشل جراحة الظهر",
        "b1.s1": "تُعرَّف متلازمة فشل جراحة الظهر (FBS) بأنها ألم مستمر أو جديد في أسفل الظهر "
                 "أو في الأطراف بعد جراحة العمود الفقري.",
        "b1.s2": "تشير التقديرات إلى أن أكثر من ٦٠٪ من مرضى عيادات الألم يعانون من متلازمة "
                 "فشل جراحة الظهر.",
        "b1.s5": "تُجرى فحوص MRI بعد الجراحة عادةً مع مادة التباين وبدونها للمساعدة في الكشف عن "
                 "التليف أو النسيج الندبي.",
        "b4.i1.s1": "أكثر شيوعًا لدى البالغين",
        "b4.i2.s1": "تصيب الذكور والإناث بنسبة متساوية.",
        "b8.s1": "المعلومات المقدمة في هذا الموقع مصممة لدعم العلاقة بين المريض/زائر الموقع "
                 "وطبيبه، لا لتحل محلها.",
    },
    "zh-Hans": {
        "title": "腰椎手术失败综合征",
        "b1.s1": "腰椎手术失败综合征（FBS）是指脊柱手术后持续存在或新出现的腰痛或四肢疼痛。",
        "b1.s2": "据估计，在疼痛诊所就诊的患者中，超过60%患有腰椎手术失败综合征。",
        "b1.s5": "术后MRI检查通常在使用和不使用造影剂的情况下进行，以帮助确定是否存在纤维化或瘢痕组织。",
        "b4.i1.s1": "多见于成人",
        "b4.i2.s1": "男女患病率相同。",
        "b8.s1": "本网站提供的信息旨在支持而非取代患者/网站访问者与其医生之间的关系。",
    },
}


def write_po(root: Path, lang: str, translations: dict[str, str], fuzzy: Iterable[str] = (),
             slug: str = SEED_SLUG, tcomments: dict[str, str] | None = None) -> Path:
    """Write ``po/<lang>/<slug>.po`` with every segment; ``translations`` by segment id.

    An entry shared by several segments lists all their places as
    occurrences, the way a catalog does.
    """
    config = load_config(root)
    article = next(a for a in iter_articles(config) if a.slug == slug)
    language = get_language(lang)
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Language": language.gettext, "MIME-Version": "1.0",
                   "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit",
                   "Plural-Forms": language.plural_forms}
    by_key: dict[tuple, polib.POEntry] = {}
    fuzzy = set(fuzzy)
    for _unit, segments in segments_by_unit(article, config.segmentation):
        for segment in segments:
            entry = by_key.get(segment.key)
            if entry is None:
                entry = polib.POEntry(msgctxt=segment.context, msgid=segment.text,
                                      msgstr=translations.get(segment.id, ""), comment=segment.comment,
                                      tcomment=(tcomments or {}).get(segment.id, ""))
                if segment.id in fuzzy:
                    entry.flags.append("fuzzy")
                by_key[segment.key] = entry
                po.append(entry)
            entry.occurrences.append((article.path, str(segment.line)))
    path = config.po_file(lang, slug)
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    return path


def write_all(root: Path) -> dict[str, Path]:
    """The four hand-made translations of the seed; returns their paths by language."""
    return {lang: write_po(root, lang, table) for lang, table in TRANSLATIONS.items()}


REPO = Path(__file__).resolve().parent.parent
DEMO_LANGUAGES = ("es", "fr", "de", "ar", "zh-Hans")


def copy_demo(root: Path) -> dict[str, Path]:
    """The repository's demonstration PO files, copied into the project ``root``."""
    paths = {}
    for lang in DEMO_LANGUAGES:
        source = REPO / "po" / lang / f"{SEED_SLUG}.po"
        target = root / "po" / lang / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
        paths[lang] = target
    return paths
