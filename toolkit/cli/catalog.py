"""``tmkit extract`` and ``tmkit update``: articles -> POT -> PO files.

The library is imported inside the commands so that ``tmkit --help`` and the
other command groups do not pay for polib, rapidfuzz and the readers.
"""

from __future__ import annotations

import click

from toolkit.cli import ProgressBar, ProjectContext, pass_project

_ARTICLE = click.option("--article", "slugs", multiple=True, metavar="SLUG",
                        help="Only this article (file name without extension), repeatable.")


@click.command("extract")
@_ARTICLE
@click.option("-v", "--verbose", is_flag=True, help="List every template written.")
@click.option("--no-source-checks", "source_checks", flag_value=False, default=True,
              help="Do not proofread the English (the findings of 'tmkit check --source').")
@pass_project
def extract_command(project: ProjectContext, slugs: tuple[str, ...], verbose: bool,
                    source_checks: bool) -> None:
    """Write po/templates/<slug>.pot for every article in source/.

    The English is also proofread (tmkit check --source); findings are
    printed as warnings on stderr and never change the exit code."""
    from toolkit.catalog import rerun

    with ProgressBar("extracting") as bar:
        report = rerun.extract(project.root, list(slugs) or None, bar.update)
    for warning in report.warnings:
        click.echo(f"tmkit: warning: {warning}", err=True)
    if verbose:
        for path in report.written:
            click.echo(f"wrote {_shown(project, path)}")
    click.echo(f"{report.total} templates, {report.entries} entries: "
               f"{len(report.written)} written, {report.unchanged} unchanged")
    if source_checks:
        from toolkit.checks.proofread import proofread_project

        for finding in proofread_project(project.config, list(slugs) or None, use_cache=True).findings:
            click.echo(finding.format(), err=True)


@click.command("update")
@click.option("--lang", "languages", multiple=True, metavar="TAG",
              help="Only this language (BCP 47 tag from tmkit.toml), repeatable.")
@_ARTICLE
@pass_project
def update_command(project: ProjectContext, languages: tuple[str, ...], slugs: tuple[str, ...]) -> None:
    """Create or update po/<lang>/<slug>.po from the templates, keeping all work."""
    from toolkit.catalog import rerun

    report = rerun.update(project.root, list(languages) or None, list(slugs) or None)
    for warning in report.total.warnings:
        click.echo(f"tmkit: warning: {warning}", err=True)
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


def _shown(project: ProjectContext, path) -> str:
    try:
        return path.relative_to(project.root.resolve()).as_posix()
    except ValueError:
        return str(path)


commands = [extract_command, update_command]
