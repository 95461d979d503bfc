"""Publishing: from PO files to pages, behind the gate.

The stage runs in this order, one module each::

    merge      Article + PO -> TranslatedArticle (English where not translated)
    gate       completeness, required text, sign-off: may it be published?
    signoff    the sign-off file and the fingerprint it must match
    build      the incremental build of exports/ (manifest, workers)
    run        ``tmkit build``: lock, no-change stamp, then build
    report     what a build did, for the command line
    writers/   one module per output format (html, xml, text)

Nothing below this package imports it: checks, XLIFF and the TM know what
"translated" means from :mod:`toolkit.catalog`, not from the gate.
"""
