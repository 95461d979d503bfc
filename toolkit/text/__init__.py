"""Text below the document: inline markup and codes, sentences, languages, plural forms.

The ground floor every stage stands on besides :mod:`toolkit.model` and
:mod:`toolkit.errors`: nothing here knows about projects, catalogs or pages.
"""
