"""Render the Arabic and Chinese pages in headless Chromium and save screenshots.

Builds the seed article in a temporary project (with the repository's
``po/ar`` and ``po/zh-Hans`` catalogs when they exist, otherwise with sample
translations written here by polib), then asks Chromium for a PNG of each
page.  Look at the PNGs: Arabic must read right to left (text, bullets and the
breadcrumb aligned on the right), Chinese must show real glyphs, not boxes.

Needs Chromium (``apt-get install -y chromium``) and fonts for Arabic and CJK
(``apt-get install -y fonts-noto-core fonts-noto-cjk``).  Exits 0 with a
message when Chromium is absent.

Usage: python benchmarks/render_check.py [--out DIR]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from toolkit.publish.build import build  # noqa: E402
from toolkit.project.config import load_config  # noqa: E402
from toolkit.readers.sources import iter_articles  # noqa: E402
from toolkit.segment import segment_article  # noqa: E402

SLUG = "failed-back-syndrome"
SAMPLES = {
    "ar": {"title": "متلازمة فشل جراحة الظهر",
           "heading": "شركاء تعليميون",
           "sentence": "يُعرَّف فشل جراحة الظهر بأنه ألم مستمر في أسفل الظهر بعد جراحة العمود الفقري."},
    "zh-Hans": {"title": "腰椎手术失败综合征",
                "heading": "教育合作伙伴",
                "sentence": "腰椎手术失败综合征是指脊柱手术后持续存在的腰痛或下肢疼痛。"},
}
CHROMIUM = ("chromium", "chromium-browser", "google-chrome")


def sample_po(root: Path, lang: str) -> None:
    import polib

    config = load_config(root)
    words = SAMPLES[lang]
    for article in iter_articles(config):
        po = polib.POFile(wrapwidth=0)
        po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": lang}
        seen = set()
        for s in segment_article(article, config.segmentation):
            if s.key in seen:
                continue
            seen.add(s.key)
            text = words["title"] if s.id == "title" else (
                words["heading"] if s.id.startswith("m.") or "." not in s.id else words["sentence"])
            if s.id == "b1.s2":
                text = ""          # one untranslated sentence: shows the fallback style
            po.append(polib.POEntry(msgid=s.text, msgctxt=s.context, msgstr=text))
        path = config.po_file(lang, article.slug)
        path.parent.mkdir(parents=True, exist_ok=True)
        po.save(str(path))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "tmkit-render")
    options = parser.parse_args()
    browser = next((shutil.which(b) for b in CHROMIUM if shutil.which(b)), None)
    if browser is None:
        print("Chromium not found (apt-get install -y chromium): nothing rendered")
        return 0
    work = Path(tempfile.mkdtemp(prefix="tmkit-render-"))
    try:
        root = work / "project"
        (root / "source").mkdir(parents=True)
        shutil.copy(REPO / "tmkit.toml", root)
        shutil.copy(REPO / "source" / f"{SLUG}.txt", root / "source")
        for lang in SAMPLES:
            repo_po = REPO / "po" / lang / f"{SLUG}.po"
            if repo_po.is_file():
                (root / "po" / lang).mkdir(parents=True, exist_ok=True)
                shutil.copy(repo_po, root / "po" / lang)
                print(f"{lang}: using the repository's {repo_po.relative_to(REPO)}")
            else:
                sample_po(root, lang)
                print(f"{lang}: sample translations")
        build(load_config(root), languages=list(SAMPLES), formats=["html"], force=True)
        options.out.mkdir(parents=True, exist_ok=True)
        for lang in SAMPLES:
            page = root / "exports" / lang / f"{SLUG}.html"
            png = options.out / f"{lang}.png"
            profile = tempfile.mkdtemp(prefix="tmkit-chromium-")
            subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                            "--disable-background-networking", "--disable-component-update",
                            "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                            "--hide-scrollbars", "--window-size=900,1400",
                            f"--screenshot={png}", page.as_uri()],
                           check=True, capture_output=True, timeout=120)
            shutil.rmtree(profile, ignore_errors=True)
            print(f"{lang}: {png} ({png.stat().st_size} bytes)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
