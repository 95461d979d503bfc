"""Catalogs: articles -> POT templates -> per-language PO files.

:mod:`~toolkit.catalog.pofile` reads and writes PO text (polib at the edge,
GNU gettext's layout on disk); :mod:`~toolkit.catalog.template` turns an
article into a POT catalog; :mod:`~toolkit.catalog.update` merges a template
into a language's PO file without losing work (``update_project``);
:mod:`~toolkit.catalog.extract` writes the templates of a project
(``extract_project``); :mod:`~toolkit.catalog.hooks` lists the hooks
``tmkit update`` runs.  :mod:`~toolkit.catalog.rewrite` replaces catalogs
only if nobody saved them meanwhile (every command that rewrites PO files
uses it); :mod:`~toolkit.catalog.threeway` merges two versions of a catalog
entry by entry (``tmkit merge-po``, a git merge driver).
"""
