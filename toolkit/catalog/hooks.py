"""The update hooks ``tmkit update`` runs on every catalog it merges.

A hook is ``hook(po: polib.POFile, lang: str, slug: str) -> dict[str, int]``:
it may change the catalog (pre-fill from the translation memory, add
glossary notes as comments) and returns counters that ``tmkit update`` adds
to the language's summary.  A hook may carry a ``fingerprint`` attribute
(for example a hash of the TM); when it changes, catalogs are re-merged even
if template and PO file are unchanged.  Hooks must keep to flags gettext
knows (``fuzzy``, ``*-format``), since ``msgcat`` drops others.

Other parts register here: add a factory to :data:`HOOK_FACTORIES`.
"""

from __future__ import annotations

from typing import Callable

from toolkit.config import Config

#: Factories ``(config) -> hook or None``, called once per ``tmkit update``.
HOOK_FACTORIES: list[Callable[[Config], object]] = []


def default_hooks(config: Config) -> list:
    """The hooks the CLI passes to :func:`toolkit.catalog.update.update_project`."""
    hooks = []
    for factory in HOOK_FACTORIES:
        hook = factory(config)
        if hook is not None:
            hooks.append(hook)
    return hooks
