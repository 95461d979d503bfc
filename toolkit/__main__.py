"""Allow ``python -m toolkit`` as well as the ``tmkit`` console command."""

from toolkit.cli import main

if __name__ == "__main__":  # pragma: no cover - exercised through subprocess tests
    main()
