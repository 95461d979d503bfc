"""``tmkit build``: merge translations and export HTML, XML and text."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import click

from toolkit.publish.report import BuildReport
from toolkit.cli import ProgressBar


def _print_report(report: BuildReport, root: Path) -> None:
    for warning in report.warnings:
        click.echo(f"tmkit: warning: {warning}", err=True)
    for held in report.held_back:
        kept = ("" if not held.kept else "; its last approved version stays published" if held.approved
                else "; its last published version stays")
        click.echo(f"held back: {held.lang}/{held.slug}: {'; '.join(held.reasons)}{kept}")
    rows = report.summary()
    click.echo(f"{'language':<10} {'published':>9} {'held back':>9} {'complete':>9}")
    for row in rows:
        click.echo(f"{row.lang:<10} {row.published:>9} {row.held_back:>9} {row.completeness:>8.1f}%")
    approved = [r for r in report.kept if r.approved]
    if approved:
        names = ", ".join(f"{r.lang}/{r.slug}" for r in approved)
        click.echo(f"kept: {len(approved)} held-back article-language(s) keep their last "
                   f"approved pages until a new sign-off: {names}")
    last = [r for r in report.kept if not r.approved]
    if last:
        names = ", ".join(f"{r.lang}/{r.slug}" for r in last)
        click.echo(f"kept: {len(last)} held-back article-language(s) keep their last published "
                   f"pages until what holds them back is fixed: {names}")
    try:
        where = report.output.relative_to(root.resolve())
    except ValueError:
        where = report.output
    click.echo(f"{len(report.written)} file(s) written, {len(report.removed)} removed, "
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
@click.pass_context
def build_command(ctx: click.Context, languages: tuple[str, ...], formats: tuple[str, ...],
                  output: Optional[Path], force: bool) -> None:
    """Merge PO files into every article and export them (only what changed)."""
    from toolkit.publish.run import build_project

    project = ctx.obj
    with ProgressBar("building") as bar:
        report = build_project(project.root, languages, formats, output, force, bar.update)
    _print_report(report, project.root)


commands = [build_command]
