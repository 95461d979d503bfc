"""``tmkit build``: merge translations and export HTML, XML and text."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import click

from toolkit.publish.report import BuildReport
from toolkit.cli import ProgressBar, echo


def _print_report(report: BuildReport, root: Path) -> None:
    for warning in report.warnings:
        echo(f"tmkit: warning: {warning}", err=True)
    for held in report.held_back:
        kept = "; its last approved version stays published" if held.kept else ""
        echo(f"held back: {held.lang}/{held.slug}: {'; '.join(held.reasons)}{kept}")
    rows = report.summary()
    echo(f"{'language':<10} {'published':>9} {'held back':>9} {'complete':>9}")
    for row in rows:
        echo(f"{row.lang:<10} {row.published:>9} {row.held_back:>9} {row.completeness:>8.1f}%")
    if report.kept:
        names = ", ".join(f"{r.lang}/{r.slug}" for r in report.kept)
        echo(f"kept: {len(report.kept)} held-back article-language(s) keep their last "
             f"approved pages until a new sign-off: {names}")
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
