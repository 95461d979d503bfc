"""``tmkit extract``, ``tmkit update``, ``tmkit merge-po``: articles -> POT -> PO files, and merging them.

The library is imported inside the commands so that ``tmkit --help`` and the
other command groups do not pay for polib, rapidfuzz and the readers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import click

from toolkit.cli import INCOMPLETE, ProgressBar, ProjectContext, echo, echo_rewrites, pass_project

#: Proofreading findings ``extract`` prints before summing up the rest: quiet at scale.
EXTRACT_FINDINGS_SHOWN = 20

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

    proofreading = _Proofreading(project, slugs) if source_checks else None
    with ProgressBar("extracting") as bar:
        report = rerun.extract(project.root, list(slugs) or None, bar.update,
                               proofreading.extract_pass if proofreading is not None else None)
    for warning in report.warnings:
        echo(f"tmkit: warning: {warning}", err=True)
    if verbose:
        for path in report.written:
            echo(f"wrote {_shown(project, path)}")
    echo(f"{report.total} templates, {report.entries} entries: "
         f"{len(report.written)} written, {report.unchanged} unchanged")
    if proofreading is not None:
        findings = proofreading.findings()
        shown = findings if verbose else findings[:EXTRACT_FINDINGS_SHOWN]
        for finding in shown:
            echo(finding, err=True)
        if len(shown) < len(findings):
            echo(f"tmkit: warning: {len(findings) - len(shown)} more findings in the English "
                 "(all with -v, or 'tmkit check --source')", err=True)


class _Proofreading:
    """The proofreading findings of the English, formatted, under a no-change stamp of their
    own (:mod:`toolkit.project.nochange`): with the articles, settings, glossary and word
    list unchanged, the stored findings are printed again and nothing is read.

    Otherwise, when extract does real work, the articles are proofread in
    extract's worker processes as they read them (:meth:`extract_pass`);
    what they did not proofread is proofread in :meth:`findings`.
    """

    def __init__(self, project: ProjectContext, slugs: tuple[str, ...]) -> None:
        from toolkit.project.nochange import Stamp, command_key

        self.project, self.slugs = project, slugs
        self.stamp = Stamp(project.root, command_key("extract-proofread", slugs))
        self.stored = self.stamp.replay()
        self.proofreader = None

    def _start(self, config):
        from toolkit.checks.proofread import ProjectProofreader, proofread_inputs

        self.stamp.begin(*proofread_inputs(config))
        return ProjectProofreader(config, list(self.slugs) or None, use_cache=True)

    def extract_pass(self, config):
        """The pass extract runs in its workers (None when the stored findings will do)."""
        from toolkit.errors import TmkitError

        if self.stored is not None:
            return None
        try:
            self.proofreader = self._start(config)
        except TmkitError:        # raised again by findings(), after extract's own work
            self.proofreader = None
        return self.proofreader

    def findings(self) -> list[str]:
        if self.stored is not None:
            return list(self.stored["findings"])
        proofreader = self.proofreader or self._start(self.project.config)
        findings = [f.format() for f in proofreader.report().findings]
        self.stamp.finish({"findings": findings}, [])
        return findings


@click.command("update")
@click.option("--lang", "languages", multiple=True, metavar="TAG",
              help="Only this language (BCP 47 tag from tmkit.toml), repeatable.")
@_ARTICLE
@pass_project
@click.pass_context
def update_command(ctx: click.Context, project: ProjectContext, languages: tuple[str, ...],
                   slugs: tuple[str, ...]) -> None:
    """Create or update po/<lang>/<slug>.po from the templates, keeping all work.

    A catalog saved by a translator during the run is merged again from the
    saved file, or left as saved with a warning (exit 1: run update again).
    """
    from toolkit.catalog import rerun

    report = rerun.update(project.root, list(languages) or None, list(slugs) or None)
    for warning in report.total.warnings:
        echo(f"tmkit: warning: {warning}", err=True)
    rows = [(tag, counts.as_dict()) for tag, counts in report.languages.items()]
    rows.append(("total", report.total.as_dict()))
    names = list(dict.fromkeys(name for _, counts in rows for name in counts))
    width = max([len("language")] + [len(tag) for tag, _ in rows])
    widths = [max(len(name), 5) for name in names]
    headers = [name.replace(" ", "-") for name in names]
    echo(f"{'language':<{width}}  " + "  ".join(f"{h:>{w}}" for h, w in zip(headers, widths)))
    for tag, counts in rows:
        cells = "  ".join(f"{counts.get(n, 0):>{w}}" for n, w in zip(names, widths))
        echo(f"{tag:<{width}}  {cells}")
    echo(f"{len(report.written)} files written, {report.unchanged} unchanged")
    code = 0
    if report.redone or report.left:
        code = echo_rewrites(project.config.root, report.redone, report.left, "update")
    for error in report.late_errors:
        echo(f"tmkit: warning: {error}", err=True)
        echo("tmkit: warning: the PO files above were written and are complete; the TM was "
             "not fed them and catches up on the next 'tmkit update' or 'tmkit tm update'",
             err=True)
        code = INCOMPLETE
    ctx.exit(code)


def _shown(project: ProjectContext, path) -> str:
    try:
        return path.relative_to(project.root.resolve()).as_posix()
    except ValueError:
        return str(path)


_FILE = click.Path(dir_okay=False, exists=True, path_type=Path)


@click.command("merge-po")
@click.argument("base", type=_FILE)
@click.argument("ours", type=_FILE)
@click.argument("theirs", type=_FILE)
@click.argument("name", required=False)
@click.pass_context
def merge_po_command(ctx: click.Context, base: Path, ours: Path, theirs: Path, name: Optional[str]) -> None:
    """Merge two versions of a PO/POT file entry by entry; the result replaces OURS.

    A git merge driver: git passes %O %A %B (and %P, the file's name, for
    messages); see README "Git merges".  Exit 0: merged.  Exit 1: merged, but
    entries translated differently on both sides keep one translation marked
    fuzzy with the other in a '# merge: other translation:' comment (listed
    here; git reports the file as conflicted until you review and add it).
    Exit 2: a version is not valid PO; OURS is left as it was.
    """
    from toolkit.catalog.threeway import OTHER_TRANSLATION, merge_po_files

    result = merge_po_files(base, ours, theirs, name)
    shown = name or str(ours)
    for conflict in result.conflicts:
        echo(f"{shown}:{conflict.line}: translated differently on both sides: kept "
             f"{conflict.kept!r} marked fuzzy, the other in '# {OTHER_TRANSLATION}'")
    if result.conflicts:
        echo(f"{shown}: {len(result.conflicts)} entries to review (search for '#, fuzzy')")
    ctx.exit(1 if result.conflicts else 0)


commands = [extract_command, update_command, merge_po_command]
