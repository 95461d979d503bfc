"""The ``tmkit`` command line: a thin layer over the library.

Each module of this package holds one group of commands and lists them in
``commands``; :data:`COMMANDS` is the one place they are registered.  A
module is imported only when one of its commands runs, so ``tmkit build``
does not pay for numpy (TM) or translate-toolkit (checks).
Commands parse options, call one library function, and print.  A
:class:`~toolkit.errors.TmkitError` becomes ``tmkit: error: <file>:<line>:
<what>`` with exit code 2, never a traceback.
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import click

from toolkit import __version__
from toolkit.errors import TmkitError

if TYPE_CHECKING:   # settings are read only by commands that need them
    from toolkit.project.config import Config

#: Exit code for an unexpected failure inside tmkit (0 ok, 1 findings, 2 bad input).
INTERNAL_ERROR = 3
#: Exit code of a run that left a file as someone saved it meanwhile: rerun it.
INCOMPLETE = 1

#: Command name -> the module of this package defining it, in ``tmkit --help`` order.
COMMANDS = {
    "init": "project",
    "extract": "catalog",
    "update": "catalog",
    "check": "quality",
    "build": "build",
    "status": "quality",
    "review": "review",
    "tm": "tm",
    "xliff": "xliff",
    "pseudo": "quality",
    "merge-po": "catalog",
}


#: The first paragraph of each command's help, for ``tmkit --help``: listing the
#: commands then imports none of their modules (numpy, translate-toolkit, Jinja2).
#: A test checks these against the commands; one left out is imported to be listed.
COMMAND_HELP = {
    "init": "Create a project: tmkit.toml, source/, po/, exports/, .gitattributes (PO merge driver), .gitignore.",
    "extract": "Write po/templates/<slug>.pot for every article in source/.",
    "update": "Create or update po/<lang>/<slug>.po from the templates, keeping all work.",
    "check": "Check translations (or, with --source, the English); exit 1 when an error-level "
             "finding exists.",
    "build": "Merge PO files into every article and export them (only what changed).",
    "status": "Completeness per language and article, and what blocks publishing.",
    "review": "Write exports/review/<lang>/<slug>.html: English and translation side by side "
              "for a clinical reviewer; 'review approve' records the sign-off.",
    "tm": "The translation memory: feed it, query it, exchange it as TMX.",
    "xliff": "XLIFF 1.2 files for agencies' CAT tools: export work, import translations.",
    "pseudo": "Write pseudo-translated PO files (po/<lang>/<slug>.po) for layout testing.",
    "merge-po": "Merge two versions of a PO/POT file entry by entry; the result replaces OURS.",
}


class TmkitGroup(click.Group):
    """Loads commands on first use; reports :class:`TmkitError` as one line, exit 2."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of ``tmkit --help``, as click writes it, from :data:`COMMAND_HELP`."""
        from click.utils import make_default_short_help

        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            if name in COMMAND_HELP:
                rows.append((name, make_default_short_help(COMMAND_HELP[name], limit)))
            else:
                command = self.get_command(ctx, name)
                if command is not None and not command.hidden:
                    rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def get_command(self, ctx: click.Context, cmd_name: str) -> Optional[click.Command]:
        module = COMMANDS.get(cmd_name)
        if module is None:
            return None
        commands = importlib.import_module(f"toolkit.cli.{module}").commands
        command = next((c for c in commands if c.name == cmd_name), None)
        return _prepare(command) if command is not None else None

    def invoke(self, ctx: click.Context):  # noqa: D401 - click API
        try:
            return super().invoke(ctx)
        except TmkitError as exc:
            click.echo(f"tmkit: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("tmkit: interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            ctx.exit(1)
        except OSError as exc:
            where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            click.echo(f"tmkit: error: {where}{exc.strerror or exc}", err=True)
            ctx.exit(2)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # a bug, not the user's fault: still no traceback by default
            if os.environ.get("TMKIT_DEBUG"):
                raise
            click.echo(f"tmkit: internal error: {type(exc).__name__}: {exc} "
                       "(set TMKIT_DEBUG=1 for a traceback; please report it)", err=True)
            ctx.exit(INTERNAL_ERROR)


@click.group(cls=TmkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tmkit")
@click.option("-C", "--project", "project_dir", type=click.Path(file_okay=False, path_type=Path),
              default=".", show_default=True, help="Project folder (holding tmkit.toml).")
@click.pass_context
def cli(ctx: click.Context, project_dir: Path) -> None:
    """tmkit: translate health articles with PO files and a translation memory,
    and publish them as HTML, XML and text in every language."""
    ctx.obj = ProjectContext(project_dir)


class ProjectContext:
    """Lazily loaded project settings shared by the commands of one run."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._config: Optional["Config"] = None

    @property
    def config(self) -> "Config":
        if self._config is None:
            from toolkit.project.config import load_config

            self._config = load_config(self.root)
        return self._config


pass_project = click.make_pass_decorator(ProjectContext)


def echo_rewrites(root: Path, redone: list, left: list, command: str) -> int:
    """Name the catalogs saved by someone while ``command`` ran; the exit code to end with.

    ``redone``: paths merged again from the saved file; ``left``: items with
    ``path`` and ``reason``, files left as saved (the run is incomplete: 1).
    """
    def shown(path: Path) -> str:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            return str(path)

    for path in redone:
        click.echo(f"merged again {shown(path)}: saved by someone while tmkit ran")
    for item in left:
        click.echo(f"tmkit: warning: {shown(item.path)}: {item.reason}; run 'tmkit {command}' again",
                   err=True)
    if redone or left:
        click.echo(f"{len(redone)} files saved during the run merged again, {len(left)} left as saved")
    return INCOMPLETE if left else 0

#: Commands that write project files: each runs holding the project lock
#: (:mod:`toolkit.project.lock`), so two of them never interleave their writes.
#: ``extract``, ``update`` and ``build`` take it themselves (:mod:`toolkit.catalog.rerun`,
#: :mod:`toolkit.publish.run`), after finding out without settings or lock whether there is
#: anything to do.
#: (``review`` without a sub-command takes the lock itself: a group's callback
#: also runs before ``review approve``, which must not take it twice.)
WRITING_COMMANDS = frozenset({"pseudo", "status", "tm update", "tm import", "tm pretranslate",
                              "review approve", "xliff import"})


def _locked(command: click.Command) -> None:
    """Make ``command`` take the project lock after the settings are read."""
    inner = command.callback

    @functools.wraps(inner)
    def callback(*args, **kwargs):
        from toolkit.project.lock import project_lock

        project = click.get_current_context().find_object(ProjectContext)
        with project_lock(project.config):
            return inner(*args, **kwargs)

    command.callback = callback


def _prepare(command: click.Command, prefix: str = "") -> click.Command:
    """Wrap the writing commands (and sub-commands) of a freshly loaded module, once."""
    if getattr(command, "_tmkit_prepared", False):
        return command
    name = f"{prefix}{command.name}"
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _prepare(sub, f"{name} ")
    elif name in WRITING_COMMANDS:
        _locked(command)
    command._tmkit_prepared = True  # type: ignore[attr-defined]
    return command


#: Show a progress bar from this many articles on (and only on a terminal).
PROGRESS_FROM = 20


class ProgressBar:
    """A progress bar on stderr, shown only on a terminal and for many articles.

    ``update(done, total)`` is what the library calls; the bar appears on
    the first call with ``total >= PROGRESS_FROM`` (a rerun with nothing to
    do never calls it).
    """

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar = None
        self.shown = 0

    def update(self, done: int, total: int) -> None:
        if self.bar is None:
            if total < PROGRESS_FROM or not sys.stderr.isatty():
                return
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def __enter__(self) -> "ProgressBar":
        return self

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


def main(argv: Optional[list[str]] = None) -> None:
    """Console entry point (``tmkit``)."""
    cli.main(args=argv, prog_name="tmkit")


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
