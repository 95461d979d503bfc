"""Writers: one module per export format, registered in :data:`WRITERS`.

A writer is a function ``render(article, page) -> bytes`` taking a
:class:`~toolkit.model.TranslatedArticle` and the :class:`PageContext` it is
published in (the other languages of the article, text width, templates).
Adding a format is one new module and one line in the table below.
"""

from __future__ import annotations

import hashlib
import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from toolkit.errors import ConfigError
from toolkit.text.languages import Language
from toolkit.model import TranslatedArticle


@dataclass
class PageContext:
    """What a page needs to know beyond its own article.

    ``alternates`` are the languages this article is published in (source
    language first), for the language switcher and ``hreflang`` links;
    ``templates`` is the Jinja2 environment of the HTML writer (built once per
    build by :func:`toolkit.publish.writers.html.environment`; ``None``: the defaults).
    """

    language: Language
    alternates: list[Language] = field(default_factory=list)
    source_language: str = "en"
    text_width: int = 0
    generator: str = "tmkit"
    templates: Optional[Any] = None
    trust: Optional[Any] = None        # toolkit.publish.trust.Trust of a translated page
    site_url: str = ""                 # [site] url: canonical and hreflang URLs are absolute


Render = Callable[[TranslatedArticle, PageContext], bytes]

#: The built-in Jinja2 templates (``article.html``, ``index.html``, ``head.html``, ``style.css``).
TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates"   # toolkit/templates


@dataclass(frozen=True)
class Writer:
    """One export format: its name (as in ``--format`` and settings), file
    extension, and the module whose ``render`` writes it (imported on first
    use, so that a build with nothing to do does not load Jinja2 or lxml)."""

    name: str
    extension: str                    # may name the languages: ".{source}-{lang}.pdf"
    module: str
    description: str = ""
    function: str = "render"          # the module's function that writes one file
    translations_only: bool = False   # no file for the source language (a bilingual handout)
    needs: str = ""                   # a module that may fail to load for want of a system library

    @property
    def render(self) -> Render:
        return getattr(importlib.import_module(self.module), self.function)

    def file_name(self, slug: str, lang: str, source: str) -> Optional[str]:
        """The file this writer writes for ``slug`` in ``lang`` (``None``: none for that language)."""
        if self.translations_only and lang == source:
            return None
        return slug + self.extension.format(source=source, lang=lang)


#: Format name -> writer: the one registry of export formats.
WRITERS: dict[str, Writer] = {
    "html": Writer("html", ".html", "toolkit.publish.writers.html", "standalone HTML5 page"),
    "xml": Writer("xml", ".xml", "toolkit.publish.writers.xml", "XML in the tmkit article vocabulary (schema shipped)"),
    "txt": Writer("txt", ".txt", "toolkit.publish.writers.text", "plain UTF-8 text"),
    "pdf": Writer("pdf", ".pdf", "toolkit.publish.writers.pdf", "printable handout (PDF, WeasyPrint)",
                  needs="weasyprint"),
    "pdf-bilingual": Writer("pdf-bilingual", ".{source}-{lang}.pdf", "toolkit.publish.writers.pdf",
                            "bilingual handout: English and the translation side by side (PDF)",
                            "render_bilingual", translations_only=True, needs="weasyprint"),
}


def get_writer(name: str) -> Writer:
    """The writer for ``name``; a :class:`~toolkit.errors.ConfigError` if unknown."""
    try:
        return WRITERS[name]
    except KeyError:
        raise ConfigError(f"unknown export format '{name}' (known: {', '.join(WRITERS)})") from None


def site_address(site_url: str, rel: str) -> str:
    """The absolute URL of ``rel`` (a path inside ``exports/``) on the site at ``site_url``."""
    from urllib.parse import quote

    return site_url.rstrip("/") + "/" + quote(rel)


#: What to install when a writer's library cannot load (WeasyPrint needs Pango, a C library).
INSTALL_HINTS = {
    "weasyprint": "install Pango (Debian/Ubuntu: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0; "
                  "macOS: brew install pango), then run tmkit build again",
}


def available(writers: list[Writer]) -> tuple[list[Writer], list[str]]:
    """The writers that can run here, and one line per format left out.

    A writer whose library needs a system library that is missing (WeasyPrint
    without Pango fails on import with ``OSError``) is left out so that the
    build writes every other format; the line says what to install.
    """
    usable: list[Writer] = []
    left_out: dict[str, tuple[list[str], str]] = {}     # library -> (formats, why)
    for writer in writers:
        if writer.needs:
            try:
                importlib.import_module(writer.module)
            except (OSError, ImportError) as exc:
                reason = (str(exc).splitlines() or [type(exc).__name__])[0]
                left_out.setdefault(writer.needs, ([], reason))[0].append(writer.name)
                continue
        usable.append(writer)
    return usable, [f"{', '.join(names)} not written: {library} cannot load ({reason}); "
                    f"{INSTALL_HINTS.get(library, f'install {library}')}"
                    for library, (names, reason) in left_out.items()]


def templates_digest(override: Optional[Path] = None) -> str:
    """A hash of every template file that may be used: part of the build's inputs."""
    digest = hashlib.sha256()
    for folder in ([override] if override else []) + [TEMPLATE_DIR]:
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.is_file():
                digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
