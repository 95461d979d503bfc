"""``tmkit review`` (the review page) and ``tmkit review approve`` (the sign-off)."""

from __future__ import annotations

from typing import Optional

import click

from toolkit.cli import ProjectContext, echo, pass_project
from toolkit.project.layout import relative


@click.group("review", invoke_without_command=True)
@click.option("--lang", metavar="TAG", help="Language to review (required without a sub-command).")
@click.option("--article", "slug", metavar="SLUG", help="Only this article (default: every article with a PO file).")
@click.pass_context
def review_group(ctx: click.Context, lang: Optional[str], slug: Optional[str]) -> None:
    """Write exports/review/<lang>/<slug>.html: English and translation side by
    side for a clinical reviewer; 'review approve' records the sign-off."""
    if ctx.invoked_subcommand is not None:
        return
    if not lang:
        raise click.UsageError("--lang is required (e.g. tmkit review --lang es)")
    from toolkit.project.lock import project_lock
    from toolkit.review.write import write_review_pages

    config = ctx.find_object(ProjectContext).config
    with project_lock(config):
        pages = write_review_pages(config, lang, [slug] if slug else None)
    for path, page in pages:
        counts = page.counts
        echo(f"wrote {relative(config, path)}: {counts['translated']} translated, "
             f"{counts['fuzzy']} fuzzy, {counts['untranslated'] + counts['rejected']} to do, "
             f"{page.error_count} error(s); review: {page.state}")
    from toolkit.catalog import broken

    if not pages and not broken.found():
        echo(f"no PO files for {lang} yet; run 'tmkit update' first")


@review_group.command("approve")
@click.option("--lang", required=True, metavar="TAG", help="Language reviewed.")
@click.option("--article", "slug", required=True, metavar="SLUG", help="Article reviewed.")
@click.option("--by", "reviewer", required=True, metavar="NAME", help="Reviewer's name, as recorded.")
@click.option("--despite-findings", is_flag=True,
              help="Approve although error-level check findings exist (recorded in the file).")
@click.option("--fingerprint", "expect", metavar="HEX",
              help="Only if the catalog is still the version the review page showed.")
@pass_project
def approve_command(project, lang: str, slug: str, reviewer: str, despite_findings: bool,
                    expect: Optional[str]) -> None:
    """Record a sign-off of the current version in po/<lang>/<slug>.review.toml."""
    from toolkit.review.approve import ReviewRefused, approve

    config = project.config
    try:
        path, record = approve(config, lang, slug, reviewer, despite_findings, expect)
    except ReviewRefused as refused:
        for finding in refused.findings:
            echo(finding.format())
        raise
    despite = (f" despite {record.error_findings} error-level finding(s)"
               if record.despite_findings else "")
    echo(f"wrote {relative(config, path)}: {lang}/{slug} approved by {record.reviewer} "
         f"at {record.approved_at}{despite} ({record.fingerprint[:19]}…)")
    from toolkit.review.approve import translated_percent
    from toolkit.review.page import review_path
    from toolkit.review.write import write_review_pages

    percent = translated_percent(config, lang, slug)
    if percent + 1e-9 < config.publish.min_translated:
        echo(f"tmkit: warning: {lang}/{slug} is only {percent:.0f}% translated (the gate needs "
             f"{config.publish.min_translated:g}%): this sign-off covers its untranslated "
             "segments as untranslated; approve again once it is translated", err=True)
    if review_path(config, lang, slug).exists():   # the page must not say "Not signed off yet"
        for page_path, _page in write_review_pages(config, lang, [slug]):
            echo(f"updated {relative(config, page_path)}")


commands = [review_group]
