"""``tmkit init``, ``tmkit language add``, ``tmkit article rename|remove``: the project itself."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.cli import ProjectContext, echo, pass_project


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--lang", "languages", multiple=True, metavar="TAG",
              help="Target language (BCP 47), repeatable. Default: es fr de ar zh-Hans. "
                   "On an existing project: languages to add (as 'tmkit language add').")
@click.option("--name", default=None, help="Project name (default: the folder's name).")
@click.pass_context
def init_command(ctx: click.Context, directory: Path, languages: tuple[str, ...], name: str | None) -> None:
    """Create a project: tmkit.toml, source/, po/, exports/, .gitattributes (PO merge driver), .gitignore.

    Refused inside an existing project (commands find the project from any of
    its subfolders). On an existing project, --lang adds languages."""
    from toolkit.project.config import CONFIG_NAME
    from toolkit.project.layout import init_project

    existing = (directory / CONFIG_NAME).is_file()
    created = init_project(directory, list(languages) or None, name)
    if existing and languages:
        ctx.obj.move_to(directory)
        _added(ctx, created, list(languages))
        return
    for path in created:
        echo(f"created {path}")
    if not created:
        echo(f"{directory}: already a tmkit project, nothing to do "
             "(add a language with 'tmkit language add TAG')")


def _added(ctx: click.Context, changed: list[Path], languages: list[str]) -> None:
    """Report added languages and create their catalogs with ``tmkit update``."""
    from toolkit.cli.catalog import update_command

    project = ctx.find_object(ProjectContext)
    if not changed:
        echo(f"already configured: {', '.join(languages)}; nothing to add")
        return
    echo(f"added {', '.join(languages)} to {project.root / 'tmkit.toml'}")
    if project.config.template_path.is_dir() and any(project.config.template_path.glob("*.pot")):
        ctx.invoke(update_command, languages=tuple(languages), slugs=())
    else:
        echo("no templates yet: 'tmkit extract' then 'tmkit update' create the PO files")


@click.group("language")
def language_group() -> None:
    """Languages of the project: add one later (settings and PO files)."""


@language_group.command("add")
@click.argument("tags", nargs=-1, required=True, metavar="TAG...")
@click.pass_context
def language_add_command(ctx: click.Context, tags: tuple[str, ...]) -> None:
    """Add target languages to tmkit.toml and create their PO files (tmkit update)."""
    from toolkit.project.layout import add_languages
    from toolkit.project.lock import project_lock

    project = ctx.find_object(ProjectContext)
    with project_lock(project.config):
        changed = add_languages(project.root, list(tags))
    project.move_to(project.root)   # settings changed: read them again
    _added(ctx, changed, [t for t in tags])


@click.group("article")
def article_group() -> None:
    """Rename or retire an article with its template, PO files and sign-offs."""


def _refresh(ctx: click.Context, slug: str) -> None:
    """Templates and catalogs of ``slug`` after a rename: references name the new file."""
    from toolkit.cli.catalog import extract_command, update_command

    ctx.invoke(extract_command, slugs=(slug,), verbose=False, source_checks=False)
    ctx.invoke(update_command, languages=(), slugs=(slug,))


@article_group.command("rename")
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@pass_project
@click.pass_context
def article_rename_command(ctx: click.Context, project: ProjectContext, old: str, new: str) -> None:
    """Rename article OLD to NEW: source/, po/templates/, every po/<lang>/ file and sign-off.

    A sign-off that covered exactly the current version stays valid; one
    already out of date moves as it is and must be approved again. Every
    translation is fed to the TM first."""
    from toolkit.project.lock import project_lock
    from toolkit.review.articles import rename_article

    with project_lock(project.config):
        change = rename_article(project.config, old, new)
    for before, after in change.moved:
        echo(f"moved {before} -> {after}")
    if change.signoffs_kept:
        echo(f"sign-off still valid: {', '.join(change.signoffs_kept)}")
    if change.signoffs_to_redo:
        echo(f"sign-off to approve again (it did not cover the current version): "
             f"{', '.join(change.signoffs_to_redo)}")
    _refresh(ctx, new)


@article_group.command("remove")
@click.argument("slug", metavar="SLUG")
@pass_project
def article_remove_command(project: ProjectContext, slug: str) -> None:
    """Retire article SLUG: delete its source, template, PO files and sign-offs.

    Every translation is fed to the TM first and stays there; the next
    'tmkit build' removes its pages; git keeps the files' history."""
    from toolkit.project.lock import project_lock
    from toolkit.review.articles import remove_article

    with project_lock(project.config):
        change = remove_article(project.config, slug)
    for path in change.removed:
        echo(f"removed {path}")
    echo(f"the TM keeps its translations ({change.tm_units} new unit(s) fed first); "
         "run 'tmkit build' to remove its pages")


commands = [init_command, language_group, article_group]
