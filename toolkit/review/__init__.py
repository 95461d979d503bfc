"""Clinical review: a page to read a translation by, and a recorded sign-off.

* :mod:`~toolkit.review.page` - ``tmkit review``: ``exports/review/<lang>/<slug>.html``,
  English and translation side by side with states, differences, findings,
  translation-memory origins and the line to fix;
* :mod:`~toolkit.review.approve` - ``tmkit review approve``: the sign-off file
  (:mod:`toolkit.publish.signoff`) that the publishing gate (:mod:`toolkit.publish.gate`) checks.

Both only read catalogs: neither ever writes a PO file.
"""
