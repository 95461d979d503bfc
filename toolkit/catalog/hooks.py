"""The update hooks ``tmkit update`` runs on every catalog it merges.

A hook is ``hook(po: polib.POFile, lang: str, slug: str) -> dict[str, int]``:
it may change the catalog (pre-fill from the translation memory, add
glossary notes as comments) and returns counters that ``tmkit update`` adds
to the language's summary.  A hook may carry a ``fingerprint`` attribute
(for example a hash of the TM); when it changes, catalogs are re-merged even
if template and PO file are unchanged.  Hooks must keep to flags gettext
knows (``fuzzy``, ``*-format``), since ``msgcat`` drops others.  A hook
may also have ``saved(po, lang, slug)``: called with a catalog a translator
saved while the run went on, as saved, before the hooks run on it again (the
TM pre-fill feeds it first, so a translation cleared in that save is
withdrawn before anything is filled).

Other parts register a *factory* ``(config) -> hook or None`` by adding its
dotted name (``"toolkit.tm.prefill:update_hook"``) to :data:`HOOK_FACTORIES`:
one line here, imported only when ``tmkit update`` runs.
"""

from __future__ import annotations

import importlib
from typing import Callable, Union

from toolkit.project.config import Config

#: Factories ``(config) -> hook or None``, as ``"module:function"`` or callables,
#: called once per ``tmkit update`` in this order.
HOOK_FACTORIES: list[Union[str, Callable[[Config], object]]] = [
    "toolkit.tm.pretranslate:prefill_hook_factory",     # fill from the translation memory
    "toolkit.checks.glossary:make_glossary_hook",       # glossary terms as translator comments
]


def _resolve(factory: Union[str, Callable[[Config], object]]) -> Callable[[Config], object]:
    if callable(factory):
        return factory
    module, _, name = factory.partition(":")
    return getattr(importlib.import_module(module), name)


def default_hooks(config: Config) -> list:
    """The hooks the CLI passes to :func:`toolkit.catalog.update.update_project`."""
    hooks = []
    for factory in HOOK_FACTORIES:
        hook = _resolve(factory)(config)
        if hook is not None:
            hooks.append(hook)
    return hooks
