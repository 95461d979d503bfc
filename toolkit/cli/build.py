"""``tmkit build``: merge translations and export HTML, XML and text."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import click

from toolkit.publish.report import COMPLETENESS, BuildReport
from toolkit.cli import ProgressBar, echo


def _print_report(report: BuildReport, root: Path) -> None:
    for warning in report.warnings:
        echo(f"tmkit: warning: {warning}", err=True)
    for held in report.held_back:
        kept = ("" if not held.kept else "; its last approved version stays published" if held.approved
                else "; its last published version stays")
        echo(f"held back: {held.lang}/{held.slug}: {'; '.join(held.reasons)}{kept}")
    rows = report.summary()
    echo(f"{'language':<10} {'published':>9} {'held back':>9} {'complete':>9}")
    for row in rows:
        echo(f"{row.lang:<10} {row.published:>9} {row.held_back:>9} {row.completeness:>8.1f}%")
    if rows:
        echo(f"({COMPLETENESS}, as tmkit status counts it)")
    approved = [r for r in report.kept if r.approved]
    if approved:
        names = ", ".join(f"{r.lang}/{r.slug}" for r in approved)
        echo(f"kept: {len(approved)} held-back article-language(s) keep their last "
             f"approved pages until a new sign-off: {names}")
    last = [r for r in report.kept if not r.approved]
    if last:
        names = ", ".join(f"{r.lang}/{r.slug}" for r in last)
        echo(f"kept: {len(last)} held-back article-language(s) keep their last published "
             f"pages until what holds them back is fixed: {names}")
    for note in report.notes:
        echo(note)
    try:
        where = report.output.relative_to(root.resolve())
    except ValueError:
        where = report.output
    echo(f"{len(report.written)} file(s) written, {len(report.removed)} removed, "
         f"{report.unchanged} of {report.articles} article(s) unchanged, in {where}/")


@click.command("build")
@click.option("--lang", "languages", multiple=True, metavar="L",
              help="Only this language (repeatable; the source language exports the original).")
@click.option("--format", "formats", multiple=True, metavar="F",
              help="Only this format: html, xml, txt (repeatable; default from tmkit.toml).")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Export folder (default: export_dir of tmkit.toml).")
@click.option("--force", is_flag=True,
              help="Also export article-languages the publishing gate holds back (with a warning).")
@click.option("--article", "slugs", multiple=True, metavar="SLUG",
              help="Only this article (repeatable); the others' pages stay as they are.")
@click.pass_context
def build_command(ctx: click.Context, languages: tuple[str, ...], formats: tuple[str, ...],
                  output: Optional[Path], force: bool, slugs: tuple[str, ...]) -> None:
    """Merge PO files into every article and export them (only what changed).

    Before any article is in source/ there is nothing to build: a hint says
    what to do, exit 0. An article-language without a PO file yet (before
    'tmkit extract' and 'tmkit update') is held back like any untranslated one,
    with a hint."""
    from toolkit.publish.run import build_project

    project = ctx.obj
    with ProgressBar("building") as bar:
        report = build_project(project.root, languages, formats, output, force, bar.update, slugs)
    _print_report(report, project.root)
    from toolkit.catalog import broken

    for result in report.results:
        if result.broken:
            broken.note(result.broken)
    for hint in _hints(project, report):
        echo(f"tmkit: hint: {hint}", err=True)


def _hints(project, report: BuildReport) -> list[str]:
    """What a new user should do next when the build had (almost) nothing to work with."""
    if not report.articles:
        return ["no articles in source/ yet: copy them there, then 'tmkit extract' and "
                "'tmkit update' (README, Workflow)"]
    empty = sorted({r.lang for r in report.held_back if not r.translated}) if report.held_back else []
    if not empty:
        return []
    config = project.config
    missing = [lang for lang in empty if not any((config.po_path / lang).glob("*.po"))]
    return [f"no PO files for {', '.join(missing)} yet: run 'tmkit extract' then 'tmkit update'"] \
        if missing else []


commands = [build_command]
