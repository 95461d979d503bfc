"""Quality checks on translations (``tmkit check``).

* :mod:`~toolkit.checks.findings` - :class:`Finding`, sorting and formatting;
* :mod:`~toolkit.checks.base` - what a check sees and the registry :data:`CHECKS`;
* :mod:`~toolkit.checks.medical` - numbers, do-not-translate terms, markup, length;
* :mod:`~toolkit.checks.numerals` - numbers as each language writes them, with their units;
* :mod:`~toolkit.checks.numwords` - the per-language words that go with numbers (data);
* :mod:`~toolkit.checks.ttk` - translate-toolkit's checks as tmkit checks;
* :mod:`~toolkit.checks.glossary` - the project glossary, its check and catalog hook;
* :mod:`~toolkit.checks.runner` - running them over PO files with the project's settings.
"""

from toolkit.checks.findings import ERROR, WARNING, Finding

__all__ = ["ERROR", "WARNING", "Finding", "CheckReport", "run_checks"]


def __getattr__(name: str):
    """The runner (and with it translate-toolkit) is imported only when asked for:
    ``tmkit update`` uses the glossary module alone."""
    if name in ("CheckReport", "run_checks"):
        from toolkit.checks import runner

        return getattr(runner, name)
    raise AttributeError(name)
