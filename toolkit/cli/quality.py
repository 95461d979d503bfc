"""``tmkit check``, ``tmkit status``, ``tmkit pseudo``: quality and progress."""

from __future__ import annotations

import click

from toolkit.errors import TmkitError
from toolkit.cli import echo, echo_block, echo_chunks, echo_rewrites, pass_project
from toolkit.project.layout import relative

_lang_option = click.option("--lang", "languages", multiple=True, metavar="TAG",
                            help="Only this language (repeatable); pseudo-languages qps, qps-rtl too.")
_article_option = click.option("--article", "slugs", multiple=True, metavar="SLUG",
                               help="Only this article (repeatable).")


@click.command("check")
@_lang_option
@_article_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--source", is_flag=True,
              help="Proofread the English articles instead (spelling, repeated words, punctuation).")
@pass_project
@click.pass_context
def check_command(ctx: click.Context, project, languages, slugs, fmt: str, source: bool) -> None:
    """Check translations (or, with --source, the English); exit 1 when an error-level finding exists."""
    if source and languages:
        raise TmkitError("does not apply to --source (the source is English)", "--lang")
    if source:
        from toolkit.checks.proofread import proofread_project

        report = proofread_project(project.config, list(slugs))
    else:
        from toolkit.checks.runner import run_checks

        report = run_checks(project.config, list(languages), list(slugs))
    if fmt == "json":
        echo_chunks(report.json_chunks())
    else:
        for finding in report.findings:
            echo(finding.format())
        if source:
            for line in report.grade_lines():
                echo(line)
        echo(report.summary())
        for hint in _check_hints(project.config, report, source):
            echo(f"tmkit: hint: {hint}", err=True)
    ctx.exit(report.exit_code)


def _check_hints(config, report, source: bool) -> list[str]:
    """How to accept a deliberate change the checks flag, and what to do when nothing was checked."""
    from toolkit.catalog import broken
    from toolkit.checks.findings import accept_hint

    if not source and not report.files and not broken.found():
        return ["no PO files to check yet: run 'tmkit extract' then 'tmkit update' "
                "(exit 0: nothing is wrong, there is nothing to check)"]
    names = dict.fromkeys(f.check for f in report.findings if f.is_error)
    return [accept_hint(name, source) for name in names if accept_hint(name, source)]


@click.command("status")
@_lang_option
@_article_option
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "html"]), default="table",
              show_default=True, help="html writes exports/status.html.")
@pass_project
def status_command(project, languages, slugs, fmt: str) -> None:
    """Completeness per language and article, and what blocks publishing."""
    stamp = _status_stamp(project.root, languages, slugs, fmt)
    stored = stamp.replay() if stamp is not None else None
    if stored is not None:      # nothing it reads changed since the last run: its output again
        echo_block(stored["output"])
        return
    from toolkit.catalog import broken
    from toolkit.status import RENDERERS, compute_status, write_html

    config = project.config
    if stamp is not None:
        stamp.begin(*_status_inputs(config, languages))
    report = compute_status(config, list(languages), list(slugs),
                            all_read=stamp.scan_ahead if stamp is not None else None)
    if fmt == "html":
        echo(f"wrote {relative(config, write_html(config, report))}")
        return
    try:
        output = RENDERERS[fmt](report)
        echo_block(output)
        if stamp is not None and not broken.found():
            stamp.finish({"output": output}, [])
    finally:
        if stamp is not None:
            stamp.settle()      # the scan started once all was read ends with the command


def _status_stamp(root, languages, slugs, fmt: str):
    """The no-change stamp of a status rendering (:mod:`toolkit.project.nochange`): a daily
    status of an unchanged project prints the stored output without reading settings or
    catalogs.  The table's width depends on the terminal, so the key holds it; ``html``
    writes a file and is always made afresh."""
    if fmt == "html":
        return None
    import shutil

    from toolkit.project.nochange import Stamp, command_key

    columns = str(shutil.get_terminal_size((80, 24)).columns) if fmt == "table" else ""
    return Stamp(root, command_key("status", languages, slugs, [fmt, columns]))


def _status_inputs(config, languages) -> tuple[list[str], list[str]]:
    """Folders and files whose change must redo a status: sources, every language's PO
    files and sign-offs, the settings, the glossary and the word list."""
    from toolkit.catalog.pseudo import resolve_languages
    from toolkit.checks.proofread import proofread_inputs

    tags = dict.fromkeys([*config.languages, *resolve_languages(config, list(languages))])
    folders, files = proofread_inputs(config)
    folders += [relative(config, config.po_file(tag, "-").parent) for tag in tags]
    return folders, files


@click.command("pseudo")
@click.option("--lang", default="qps", show_default=True, type=click.Choice(["qps", "qps-rtl"]),
              help="qps: accented and ~40% longer; qps-rtl: mirrored, right to left.")
@_article_option
@pass_project
@click.pass_context
def pseudo_command(ctx: click.Context, project, lang: str, slugs) -> None:
    """Write pseudo-translated PO files (po/<lang>/<slug>.po) for layout testing.

    A file someone saved during the run is left as saved, with a warning (exit 1).
    """
    from toolkit.catalog.pseudo import make_pseudo

    config = project.config
    report = make_pseudo(config, lang, list(slugs))
    for path in report.files:
        echo(f"wrote {relative(config, path)}")
    ctx.exit(echo_rewrites(config.root, [], report.left, "pseudo"))


commands = [check_command, status_command, pseudo_command]
