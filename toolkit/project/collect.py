"""Running Python's cyclic garbage collector rarely during a long batch of work.

Shared by the site build (rendering thousands of pages), ``tmkit review``
(reading, hashing and rendering every article of a language) and ``tmkit
update`` (assembling thousands of new catalogs): all allocate
millions of short-lived objects, none of them in cycles that outlive an
article, while holding many long-lived ones that the collector, at its
default thresholds, scanned again and again (about 5 % of a full build, 15 %
of a review of 1,000 articles, issue 23).
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect rarely inside the ``with`` block, as before after it.

    Objects alive on entry are frozen (never scanned, and their pages not
    copied into forked workers by refcount updates); the previous thresholds
    come back and the frozen objects are released on exit.
    """
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
