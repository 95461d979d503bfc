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
    extension: str
    module: str
    description: str = ""

    @property
    def render(self) -> Render:
        return importlib.import_module(self.module).render


#: Format name -> writer: the one registry of export formats.
WRITERS: dict[str, Writer] = {
    "html": Writer("html", ".html", "toolkit.publish.writers.html", "standalone HTML5 page"),
    "xml": Writer("xml", ".xml", "toolkit.publish.writers.xml", "XML in the tmkit article vocabulary (schema shipped)"),
    "txt": Writer("txt", ".txt", "toolkit.publish.writers.text", "plain UTF-8 text"),
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
