"""tmkit: translation memory and multilingual export for health articles.

The package is a library first; :mod:`toolkit.cli` is a thin layer over it.
Data flows one way::

    source file -> readers -> Article -> segment -> catalog (POT/PO)
    PO files -> tm (store, match, tmx) -> pre-filled PO
    Article + PO -> merge -> TranslatedArticle -> writers -> exports/
"""

__version__ = "0.1.0"
