"""Writers: one module per export format, registered in :data:`WRITERS`.

A writer is a function ``render(article, page) -> bytes`` taking a
:class:`~toolkit.model.TranslatedArticle` and the :class:`PageContext` it is
published in (the other languages of the article, text width, templates).
Adding a format is one new module and one line in the table below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from toolkit.languages import Language
from toolkit.model import TranslatedArticle


@dataclass
class PageContext:
    """What a page needs to know beyond its own article.

    ``alternates`` are the languages this article is published in (source
    language first), for the language switcher and ``hreflang`` links;
    ``templates`` is the Jinja2 environment of the HTML writer (built once per
    build by :func:`toolkit.writers.html.environment`).
    """

    language: Language
    alternates: list[Language] = field(default_factory=list)
    source_language: str = "en"
    text_width: int = 0
    generator: str = "tmkit"
    templates: Optional[Any] = None


Render = Callable[[TranslatedArticle, PageContext], bytes]


@dataclass(frozen=True)
class Writer:
    """One export format: its name (as in ``--format`` and settings) and file extension."""

    name: str
    extension: str
    render: Render
    description: str = ""


def _table() -> dict[str, Writer]:
    from toolkit.writers import html, text, xml

    return {
        "html": Writer("html", ".html", html.render, "standalone HTML5 page"),
        "xml": Writer("xml", ".xml", xml.render, "XML in the tmkit article vocabulary (schema shipped)"),
        "txt": Writer("txt", ".txt", text.render, "plain UTF-8 text"),
    }


#: Format name -> writer: the one registry of export formats.
WRITERS: dict[str, Writer] = _table()


def get_writer(name: str) -> Writer:
    """The writer for ``name``; a :class:`~toolkit.errors.ConfigError` if unknown."""
    from toolkit.errors import ConfigError

    try:
        return WRITERS[name]
    except KeyError:
        raise ConfigError(f"unknown export format '{name}' (known: {', '.join(WRITERS)})") from None
