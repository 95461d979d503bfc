"""``tmkit extract`` and ``tmkit update``: articles -> POT -> PO files.

The library is imported inside the commands so that ``tmkit --help`` and the
other command groups do not pay for polib, rapidfuzz and the readers.
"""

from __future__ import annotations

import sys

import click

from toolkit.cli import ProjectContext, pass_project

_ARTICLE = click.option("--article", "slugs", multiple=True, metavar="SLUG",
                        help="Only this article (file name without extension), repeatable.")


#: Show a progress bar from this many articles on (and only on a terminal), as build does.
PROGRESS_FROM = 20


@click.command("extract")
@_ARTICLE
@click.option("-v", "--verbose", is_flag=True, help="List every template written.")
@pass_project
def extract_command(project: ProjectContext, slugs: tuple[str, ...], verbose: bool) -> None:
    """Write po/templates/<slug>.pot for every article in source/."""
    from toolkit.catalog import rerun

    with _ProgressBar("extracting") as bar:
        report = rerun.extract(project.root, list(slugs) or None, bar.update)
    if verbose:
        for path in report.written:
            click.echo(f"wrote {_shown(project, path)}")
    click.echo(f"{report.total} templates, {report.entries} entries: "
               f"{len(report.written)} written, {report.unchanged} unchanged")


@click.command("update")
@click.option("--lang", "languages", multiple=True, metavar="TAG",
              help="Only this language (BCP 47 tag from tmkit.toml), repeatable.")
@_ARTICLE
@pass_project
def update_command(project: ProjectContext, languages: tuple[str, ...], slugs: tuple[str, ...]) -> None:
    """Create or update po/<lang>/<slug>.po from the templates, keeping all work."""
    from toolkit.catalog import rerun

    report = rerun.update(project.root, list(languages) or None, list(slugs) or None)
    rows = [(tag, counts.as_dict()) for tag, counts in report.languages.items()]
    rows.append(("total", report.total.as_dict()))
    names = list(dict.fromkeys(name for _, counts in rows for name in counts))
    width = max([len("language")] + [len(tag) for tag, _ in rows])
    widths = [max(len(name), 5) for name in names]
    headers = [name.replace(" ", "-") for name in names]
    click.echo(f"{'language':<{width}}  " + "  ".join(f"{h:>{w}}" for h, w in zip(headers, widths)))
    for tag, counts in rows:
        cells = "  ".join(f"{counts.get(n, 0):>{w}}" for n, w in zip(names, widths))
        click.echo(f"{tag:<{width}}  {cells}")
    click.echo(f"{len(report.written)} files written, {report.unchanged} unchanged")


class _ProgressBar:
    """A progress bar on stderr, shown only on a terminal and for many articles.

    ``update(done, total)`` is what the library calls; the bar appears on
    the first call with ``total >= PROGRESS_FROM`` (a rerun with nothing to
    do never calls it).
    """

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar = None
        self.shown = 0

    def update(self, done: int, total: int) -> None:
        if self.bar is None:
            if total < PROGRESS_FROM or not sys.stderr.isatty():
                return
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def __enter__(self) -> "_ProgressBar":
        return self

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


def _shown(project: ProjectContext, path) -> str:
    try:
        return path.relative_to(project.root.resolve()).as_posix()
    except ValueError:
        return str(path)


commands = [extract_command, update_command]
