"""The site around the pages: front page, language homes, sitemap, search index.

Called by :func:`toolkit.publish.build.build` after the article pages are
written, from the manifest's records (each keeps, per published language,
the translated title and section: :func:`home_entry`), so an unchanged
article is never read again for them.  Every file is written only when its
bytes change; a language's search index is rebuilt only when its pages changed.

- ``exports/index.html``: a language chooser, each language by its own name
  (``lang`` and ``dir`` on it), no percentages (the manager's matrix is
  ``exports/status.html``, written by ``tmkit status --format html``);
- ``exports/<lang>/index.html``: that language's published articles by
  translated title, grouped by the article's section (else its last
  breadcrumb step), sorted with the language's collation
  (:mod:`toolkit.text.collation`), with the search box;
- ``exports/sitemap.xml`` with ``xhtml:link`` ``hreflang`` alternates and
  ``x-default``, when ``[site] url`` is set (otherwise none, and the build
  says why: :data:`NO_SITEMAP`);
- ``exports/pagefind/<lang>/``: that language's Pagefind bundles (built in
  chunks of bounded memory by :mod:`toolkit.publish.search`), from the
  ``pagefind-bin`` wheel's binary, and ``exports/search.js`` which starts
  Pagefind's own search box on them (no inline script: the pages'
  Content-Security-Policy allows only the site's own script files).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from toolkit.project.config import Config
from toolkit.project.fsutil import atomic_write_bytes
from toolkit.publish.report import BuildReport
from toolkit.publish.search import (SEARCH_DIR, LanguageIndex, build_language, pagefind, plan_language,
                                     remove_others)
from toolkit.publish.trust import Trust, words
from toolkit.publish.writers import TEMPLATE_DIR, site_address
from toolkit.text.collation import sort_key
from toolkit.text.inline import plain_text
from toolkit.text.languages import PSEUDO_LANGUAGES, Language, get_language

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
SEARCH_SCRIPT = "search.js"
#: The language homes may run the site's own scripts (Pagefind: its files and WebAssembly).
SEARCH_CSP = ("default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
              "script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'")
NO_SITEMAP = "no sitemap.xml: set [site] url = \"https://...\" in tmkit.toml (the site's address) to write one"


def home_entry(translated, trust: Optional[Trust]) -> dict:
    """What a language home shows of one published page (kept in the build manifest)."""
    from toolkit.publish.writers.text import block_text

    def first(key: str) -> str:
        values = [plain_text(m.segment.text) if m.segment else m.value
                  for m in translated.meta_segments(key)]
        return values[-1 if key == "breadcrumb" else 0].strip() if values else ""

    return {"title": block_text(translated.title).strip(),
            "group": first("section") or first("breadcrumb"),
            "modified": trust.modified if trust else ""}


@dataclass
class _Page:
    slug: str
    title: str
    group: str
    modified: str


def _published(records: dict, output: Path) -> dict[str, list[_Page]]:
    """Language -> its published article pages (those whose HTML file the manifest records)."""
    out: dict[str, list[_Page]] = {}
    for slug in sorted(records):
        record = records[slug]
        for lang, entry in (record.get("pages") or {}).items():
            if lang in PSEUDO_LANGUAGES or f"{lang}/{slug}.html" not in record.get("outputs", {}):
                continue
            if not isinstance(entry, dict):
                continue
            out.setdefault(lang, []).append(_Page(slug, str(entry.get("title") or record.get("title") or slug),
                                                  str(entry.get("group") or ""),
                                                  str(entry.get("modified") or "")))
    return out


def write_site(config: Config, output: Path, records: dict, templates, report: BuildReport,
               generator: str) -> None:
    """Write the front page, language homes, sitemap and search index (see the module's text)."""
    from toolkit.publish.writers.html import CSP, render_template

    pages = _published(records, output)
    order = [config.source_language] + [lang for lang in config.languages if lang not in PSEUDO_LANGUAGES]
    languages = [get_language(lang) for lang in order if pages.get(lang)]
    site = config.site.url
    binary = _pagefind() if config.site.search else None
    indexes = _plan_search(output, records, pages, languages, binary) if binary else {}
    source = words(config.source_language)

    def write(rel: str, data: bytes) -> None:
        target = output / rel
        if not target.exists() or target.read_bytes() != data:
            atomic_write_bytes(target, data)
            report.written.append(target)

    homes = [{"tag": l.tag, "name": l.native_name, "english": l.english_name, "dir": l.dir,
              "href": f"{l.tag}/index.html", "url": site_address(site, f"{l.tag}/index.html") if site else ""}
             for l in languages]
    write("index.html", render_template(templates, "index.html", {
        "lang": config.source_language, "dir": get_language(config.source_language).dir,
        "title": config.name, "words": source, "languages": homes, "csp": CSP, "generator": generator,
        "canonical": site_address(site, "index.html") if site else ""}))
    for lang in order:
        if not pages.get(lang):     # no published page (any more): no home
            _remove(output / lang / "index.html", report)
    for language in languages:
        index = indexes.get(language.tag)
        write(f"{language.tag}/index.html", _home(config, language, pages[language.tag], homes, templates,
                                                  index.bundles() if index else [], generator))
    if binary:
        write(SEARCH_SCRIPT, (TEMPLATE_DIR / SEARCH_SCRIPT).read_bytes())
    if site:
        write("sitemap.xml", sitemap(site, pages, languages, config.source_language))
    else:
        report.notes.append(NO_SITEMAP)
        _remove(output / "sitemap.xml", report)
    if not config.site.search:     # turned off: the last index and its starter go
        _remove(output / SEARCH_SCRIPT, report)
        if (output / SEARCH_DIR).is_dir():
            shutil.rmtree(output / SEARCH_DIR)
            report.removed.append(output / SEARCH_DIR)
        return
    if binary is None:
        report.notes.append("no search index: pagefind-bin is not installed (pip install pagefind-bin)")
        return
    unsegmented = [l.tag for l in languages if l.tag.split("-")[0] in UNSEGMENTED]
    if unsegmented and not _extended():
        report.notes.append(f"search: {', '.join(unsegmented)} text is indexed without word segmentation "
                            "(pip install pagefind-bin-extended for it)")
    report.removed.extend(remove_others(output, set(indexes)))
    for index in indexes.values():
        if index.stale:
            problem = build_language(output, index, binary)
            if problem:
                report.notes.append(f"no search index for {index.lang}: {problem}")


def _plan_search(output: Path, records: dict, pages: dict[str, list[_Page]], languages: list[Language],
                 binary: Path) -> dict[str, LanguageIndex]:
    """Each searched language's bundles (:func:`toolkit.publish.search.plan_language`),
    keyed by the manifest's digest of each of its HTML pages."""
    out = {}
    for language in languages:
        tag = language.tag
        listed = [(p.slug, str(records[p.slug].get("outputs", {}).get(f"{tag}/{p.slug}.html", "")))
                  for p in pages[tag]]
        out[tag] = plan_language(output, tag, listed, binary)
    return out


def _home(config: Config, language: Language, pages: list[_Page], homes: list[dict], templates,
          search: list[str], generator: str) -> bytes:
    """The language home; ``search``: its Pagefind bundles (none: no search box)."""
    from toolkit.publish.writers.html import CSP, render_template

    key = sort_key(language.tag)
    table = words(language.tag)
    groups: dict[str, list[_Page]] = {}
    for page in pages:
        groups.setdefault(page.group, []).append(page)
    named = sorted((g for g in groups if g), key=key) + ([""] if "" in groups else [])
    listed = [{"name": name or (table["other"] if len(groups) > 1 else ""),
               "articles": [{"title": p.title, "href": f"{p.slug}.html"}
                            for p in sorted(groups[name], key=lambda p: (key(p.title), p.slug))]}
              for name in named]
    site = config.site.url
    switch = [dict(home, href=f"../{home['href']}", current=home["tag"] == language.tag) for home in homes]
    return render_template(templates, "home.html", {
        "lang": language.tag, "dir": language.dir, "words": table, "site_name": config.name,
        "groups": listed, "languages": switch if len(switch) > 1 else [], "alternates": homes,
        "x_default": next((h["url"] or f"../{h['href']}" for h in homes if h["tag"] == config.source_language), ""),
        "canonical": site_address(site, f"{language.tag}/index.html") if site else "",
        "search": search, "csp": SEARCH_CSP if search else CSP, "generator": generator,
        "front": "../index.html"})


def sitemap(site: str, pages: dict[str, list[_Page]], languages: list[Language], source: str) -> bytes:
    """``sitemap.xml``: every published page and language home, each with its language alternates."""
    from lxml import etree

    root = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS, "xhtml": XHTML_NS})
    tags = [l.tag for l in languages]

    def add(rel: str, alternates: dict[str, str], modified: str = "") -> None:
        url = etree.SubElement(root, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = site_address(site, rel)
        if modified:
            etree.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = modified
        if len(alternates) > 1:
            for tag, href in [*alternates.items()] + ([("x-default", alternates[source])]
                                                       if source in alternates else []):
                etree.SubElement(url, f"{{{XHTML_NS}}}link", rel="alternate", hreflang=tag,
                                 href=site_address(site, href))

    add("index.html", {})
    homes = {tag: f"{tag}/index.html" for tag in tags}
    for tag in tags:
        add(homes[tag], homes)
    by_slug: dict[str, dict[str, _Page]] = {}
    for tag in tags:
        for page in pages[tag]:
            by_slug.setdefault(page.slug, {})[tag] = page
    for slug in sorted(by_slug):
        alternates = {tag: f"{tag}/{slug}.html" for tag in tags if tag in by_slug[slug]}
        for tag, page in by_slug[slug].items():
            add(alternates[tag], alternates, page.modified)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _remove(path: Path, report: BuildReport) -> None:
    if path.exists():
        path.unlink()
        report.removed.append(path)


#: The Pagefind binary (a name of this module's, so a test can take it away).
_pagefind = pagefind


def _extended() -> bool:
    binary = _pagefind()
    return binary is not None and binary.name.startswith("pagefind_extended")


#: Languages whose words are not separated by spaces: Pagefind segments them only in its extended binary.
UNSEGMENTED = ("zh", "ja")
