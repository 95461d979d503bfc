"""``tmkit tm``: the translation memory (see docs/tm.md)."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.cli import echo, echo_block, echo_rewrites, pass_project
from toolkit.tm import project as tmp
from toolkit.tm.pretranslate import pretranslate_project
from toolkit.text.xmlchars import json_shown


@click.group("tm")
def tm_group() -> None:
    """The translation memory: feed it, query it, exchange it as TMX."""


@tm_group.command("update")
@click.option("--lang", "languages", multiple=True, help="Only these languages (repeatable).")
@pass_project
def update(project, languages: tuple[str, ...]) -> None:
    """Add the translated (non-fuzzy) entries of every project PO file to the TM."""
    results = tmp.update_tm(project.config, languages)
    for lang, result in results.items():
        changes = "".join(f", {n} {what}" for n, what in (
            (result.revised, "revised"), (result.withdrawn, "withdrawn"),
            (result.refed, "catalogs fed again (the TM had lost their units)")) if n)
        echo(f"{lang}: {result.added} new units, {result.counted} seen in new places, "
             f"{result.unchanged} unchanged{changes}")
    if not results:
        echo("no PO files yet; run 'tmkit update' first")


@tm_group.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", help="Target language (PO files without a Language header; TMX filter).")
@click.option("--source-lang", help="Source language if the file does not say (TMX srclang).")
@pass_project
def import_(project, files: tuple[Path, ...], lang: str, source_lang: str) -> None:
    """Import TMX 1.4, PO/POT files with translations, or compendia."""
    for path, result in tmp.import_files(project.config, files, lang, source_lang):
        for warning in result.warnings:
            echo(f"tmkit: warning: {warning}", err=True)
        skipped = f", {result.skipped} skipped" if result.skipped else ""
        echo(f"{path}: {result.units} units read, {result.added} new, "
             f"{result.counted} counted again{skipped}")


@tm_group.command("export")
@click.option("--lang", help="Only this target language (default: all).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="TMX file to write.")
@click.option("--history", is_flag=True,
              help="Also superseded translations (marked x-tmkit-state=history).")
@pass_project
def export(project, lang: str, output: Path, history: bool) -> None:
    """Write the TM as TMX 1.4b (readable by OmegaT, Trados, translate-toolkit)."""
    result = tmp.export_file(project.config, lang, output, history)
    skipped = f" ({result.skipped} skipped: characters XML cannot carry)" if result.skipped else ""
    echo(f"{output}: {result.units} units{skipped}")


@tm_group.command("lookup")
@click.argument("text")
@click.option("--lang", required=True, help="Target language.")
@click.option("--min", "min_score", type=click.FloatRange(0, 100), default=None,
              help="Lowest score offered (default: [tm] min_score).")
@click.option("--limit", type=click.IntRange(1), default=5, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_project
def lookup(project, text: str, lang: str, min_score: float, limit: int, as_json: bool) -> None:
    """Show the TM matches for TEXT, best first, with score and origin."""
    matches = tmp.lookup_text(project.config, text, lang, min_score, limit)
    if as_json:
        echo_block(json_shown([m.as_dict() for m in matches]))
        return
    if not matches:
        echo("no match")
    for match in matches:
        kind = "exact" if match.exact else "fuzzy"
        notes = f"  [{', '.join(match.penalties)}]" if match.penalties else ""
        echo(f"{match.score:5.1f}% {kind}  {match.unit.origin}  "
             f"({match.unit.status}, used {match.unit.count}x){notes}")
        echo(f"    source: {match.unit.source}")
        echo(f"    target: {match.unit.target}")


@tm_group.command("pretranslate")
@click.option("--lang", "languages", multiple=True, help="Only these languages (repeatable).")
@click.option("--article", "slugs", multiple=True, help="Only these articles (slugs).")
@pass_project
@click.pass_context
def pretranslate(ctx: click.Context, project, languages: tuple[str, ...], slugs: tuple[str, ...]) -> None:
    """Fill untranslated entries of the existing PO files from the TM ([tm] settings).

    A PO file saved by a translator during the run is filled again from the
    saved file, or left as saved with a warning (exit 1: run it again).
    """
    report = pretranslate_project(project.config, languages, slugs)
    idle = "TM prefill is off ([tm] prefill)" if project.config.tm.prefill == "off" else "no PO files"
    for lang, counters in report.languages.items():
        text = ", ".join(f"{value} {key}" for key, value in counters.items()) or idle
        echo(f"{lang}: {text}")
    ctx.exit(echo_rewrites(project.config.root, report.redone, report.left, "tm pretranslate"))


@tm_group.command("conflicts")
@click.option("--lang", required=True, help="Target language.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_project
def conflicts(project, lang: str, as_json: bool) -> None:
    """List sources with different current translations in different places."""
    found = tmp.find_conflicts(project.config, lang)
    if as_json:
        echo_block(json_shown([{"source": c.source, "translations": [
            {"target": u.target, "count": u.count, "origin": u.origin, "translator": u.translator,
             "status": u.status} for u in c.units]} for c in found]))
        return
    for conflict in found:
        echo(conflict.source)
        for unit in conflict.units:
            echo(f"    {unit.count}x  {unit.target}  ({unit.origin})")
    echo(f"{len(found)} source(s) with more than one translation")


@tm_group.command("migrate")
@pass_project
def migrate(project) -> None:
    """Create or upgrade the TM's schema (also done on first use)."""
    where, version, repaired = tmp.migrate_tm(project.config)
    for note in repaired:
        echo(f"{where}: repaired: {note}")
    echo(f"{where}: TM schema version {version}")


commands = [tm_group]
