"""``tmkit init``: create a project."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.project.layout import init_project

@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--lang", "languages", multiple=True, metavar="TAG",
              help="Target language (BCP 47), repeatable. Default: es fr de ar zh-Hans.")
@click.option("--name", default=None, help="Project name (default: the folder's name).")
def init_command(directory: Path, languages: tuple[str, ...], name: str | None) -> None:
    """Create a project: tmkit.toml, source/, po/, exports/, .gitattributes (PO merge driver), .gitignore."""
    created = init_project(directory, list(languages) or None, name)
    for path in created:
        click.echo(f"created {path}")
    if not created:
        click.echo(f"{directory}: already a tmkit project, nothing to do")


commands = [init_command]
