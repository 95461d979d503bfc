"""``tmkit xliff``: exchange with agencies' CAT tools as XLIFF 1.2 (see docs/exchange.md)."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.cli import INCOMPLETE, ProjectContext, echo, echo_rewrites, pass_project


@click.group("xliff")
def xliff_group() -> None:
    """XLIFF 1.2 files for agencies' CAT tools: export work, import translations."""


@xliff_group.command("export")
@click.option("--lang", required=True, metavar="TAG", help="Target language (BCP 47 tag from tmkit.toml).")
@click.option("--article", "slugs", multiple=True, metavar="SLUG",
              help="Only this article (file name without extension), repeatable.")
@click.option("--untranslated-only", is_flag=True,
              help="Only entries that need work (empty, fuzzy, or with tags that differ).")
@click.option("--no-tm", is_flag=True, help="Do not add TM matches as <alt-trans>.")
@click.option("--for", "flavour", type=click.Choice(["xliff", "omegat"]), default="xliff",
              show_default=True,
              help="xliff: standard XLIFF 1.2 (Trados, memoQ, Phrase, OmegaT 4+, translate-toolkit); "
                   "omegat: an OmegaT project in OUTPUT/LANG (OmegaT 3's source=target XLIFF, "
                   "translations as TMX).")
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write <LANG>/<slug>.xlf into.")
@pass_project
def export(project: ProjectContext, lang: str, slugs: tuple[str, ...], untranslated_only: bool,
           no_tm: bool, flavour: str, output: Path) -> None:
    """Write one XLIFF 1.2 file per article: OUTPUT/LANG/<slug>.xlf.

    With --for omegat, OUTPUT/LANG is an OmegaT project (source/<slug>.xlf,
    tm/auto/ with the finished translations); import OUTPUT/LANG/target/*.xlf.
    """
    from toolkit.review.catalog import signed_off_segments
    from toolkit.xliff.project import export_project

    config = project.config
    report = export_project(config, lang, output, list(slugs) or None, untranslated_only,
                            use_tm=not no_tm, flavour=flavour,
                            signed_off=lambda tag, slug: signed_off_segments(config, tag, slug))
    for item in report.files:
        skipped = (f" ({item.skipped} skipped: characters XML cannot carry)" if item.skipped else "")
        echo(f"{_shown(item.path)}: {item.units} units{skipped}")
    for slug in report.nothing_to_do:
        echo(f"{slug}: nothing to translate, no file written")
    echo(f"{len(report.files)} files, {sum(f.units for f in report.files)} units")
    if report.project is not None:
        echo(f"OmegaT project: {_shown(report.project)} (translated files come back in "
                   f"{_shown(report.project / 'target')})")


@xliff_group.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--stale", type=click.Choice(["fuzzy", "hold"]), default="fuzzy", show_default=True,
              help="Units whose English changed since the export: apply as fuzzy, or hold back.")
@pass_project
@click.pass_context
def import_(ctx: click.Context, project: ProjectContext, files: tuple[Path, ...], stale: str) -> None:
    """Bring the translations of XLIFF files back into the PO files.

    A unit refused (tags missing or extra: each is named; a control
    character) is named with its file and line and the import exits 1; the
    other units are applied.  A PO file a translator saved during the import
    gets the import again, applied to the saved file, or is left as saved
    with a warning (exit 1).
    """
    from toolkit.xliff.project import import_files

    results, report = import_files(project.config, files, stale)
    for result in results:
        for note in result.notes:
            echo(f"tmkit: note: {note}", err=True)
        for message in result.messages:
            echo(f"tmkit: warning: {message}", err=True)
        echo(f"{result.path}: {result.counts.summary()} -> {result.po}")
    echo(f"{len(report.written)} PO files written")
    refused = sum(result.counts.refused for result in results)
    if refused:
        echo(f"{refused} unit{'s' * (refused != 1)} refused (see the warnings above): "
                   "fix their tags in the CAT tool and import again")
    status = echo_rewrites(project.config.root, report.redone, report.left, "xliff import")
    ctx.exit(max(status, INCOMPLETE if refused else 0))


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


commands = [xliff_group]
