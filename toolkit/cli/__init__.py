"""The ``tmkit`` command line: a thin layer over the library.

Each module of this package holds one group of commands and lists them in
``commands``; :data:`COMMANDS` is the one place they are registered.  A
module is imported only when one of its commands runs, so ``tmkit build``
does not pay for numpy (TM) or translate-toolkit (checks).
Commands parse options, call one library function, and print through
:func:`echo` (or :func:`echo_block`), never ``click.echo`` directly.  A
:class:`~toolkit.errors.TmkitError` becomes ``tmkit: error: <file>:<line>:
<what>`` with exit code 2, never a traceback.
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Optional

import click

from toolkit import __version__
from toolkit.errors import TmkitError
from toolkit.text.xmlchars import shown

if TYPE_CHECKING:   # settings are read only by commands that need them
    from toolkit.project.config import Config

#: Exit code for an unexpected failure inside tmkit (0 ok, 1 findings, 2 bad input).
INTERNAL_ERROR = 3
#: Exit code of a run that left a file as someone saved it meanwhile: rerun it.
INCOMPLETE = 1

#: Command name -> the module of this package defining it, in ``tmkit --help`` order.
COMMANDS = {
    "init": "project",
    "language": "project",
    "article": "project",
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
    "language": "Languages of the project: add one later (settings and PO files).",
    "article": "Rename or retire an article with its template, PO files and sign-offs.",
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


def echo(message: str = "", err: bool = False) -> None:
    """Print one line, every control character in it shown escaped.

    Names, paths, reviewers, translations and check messages come from files
    anyone can commit: an ESC sequence in them must not recolour the terminal
    or move its cursor, and a newline must not fake a line of tmkit's own
    output (``held back: ...``).  So one call prints exactly one line; a
    newline inside ``message`` is shown as ``\\n``
    (:func:`toolkit.text.xmlchars.shown`).
    """
    click.echo(shown(message), err=err)


def echo_block(text: str) -> None:
    """Print a rendering of several lines (a status table, JSON) as it is.

    Its producer escaped every value from a file where it put it in (the
    status table's cells, :func:`toolkit.text.xmlchars.json_shown`), so the
    only control characters left are its own line breaks and colours, which
    click strips off a pipe.
    """
    click.echo(text, color=None)


def echo_chunks(chunks: Iterable[str], size: int = 1 << 20) -> None:
    """:func:`echo_block` of ``"".join(chunks)``, written about ``size`` characters at a time
    (a JSON report of a quarter of a million findings is never held whole)."""
    buffer: list[str] = []
    held = 0
    for chunk in chunks:
        buffer.append(chunk)
        held += len(chunk)
        if held >= size:
            click.echo("".join(buffer), nl=False, color=None)
            buffer, held = [], 0
    click.echo("".join(buffer), color=None)


class OneLineUsageError(click.UsageError):
    """A usage error shown as tmkit shows every error: one line, with the usage and where help is.

    ``tmkit: error: No such option '--bogus' (usage: tmkit status [OPTIONS]; see 'tmkit status --help')``
    instead of click's three lines; exit code 2.
    """

    @classmethod
    def of(cls, exc: click.UsageError) -> "OneLineUsageError":
        return exc if isinstance(exc, cls) else cls(exc.format_message(), exc.ctx)

    def show(self, file=None) -> None:  # noqa: D401 - click API
        hint = ""
        if self.ctx is not None:
            usage = " ".join(self.ctx.get_usage().split())
            usage = usage[len("Usage: "):] if usage.startswith("Usage: ") else usage
            hint = f" (usage: {usage}; see '{self.ctx.command_path} --help')"
        message = self.format_message().rstrip(".")
        echo(f"tmkit: error: {message}{hint}", err=True)


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

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            raise OneLineUsageError.of(exc) from None

    def get_command(self, ctx: click.Context, cmd_name: str) -> Optional[click.Command]:
        module = COMMANDS.get(cmd_name)
        if module is None:
            return None
        commands = importlib.import_module(f"toolkit.cli.{module}").commands
        command = next((c for c in commands if c.name == cmd_name), None)
        return _prepare(command) if command is not None else None

    def invoke(self, ctx: click.Context):  # noqa: D401 - click API
        from toolkit.catalog import broken

        with broken.going_on() as found:
            try:
                result = self._invoke(ctx)
            except click.exceptions.Exit as exc:
                _report_broken(ctx, found, exc.exit_code)
                raise
            _report_broken(ctx, found, 0)
            return result

    def _invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except TmkitError as exc:
            echo(_no_secret(f"tmkit: error: {exc}", ctx), err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            echo("tmkit: interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            ctx.exit(1)
        except OSError as exc:
            where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            echo(_no_secret(f"tmkit: error: {where}{exc.strerror or exc}", ctx), err=True)
            ctx.exit(2)
        except click.UsageError as exc:
            raise OneLineUsageError.of(exc) from None
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # a bug, not the user's fault: still no traceback by default
            if os.environ.get("TMKIT_DEBUG"):
                raise
            echo(_no_secret(f"tmkit: internal error: {type(exc).__name__}: {exc} "
                            "(set TMKIT_DEBUG=1 for a traceback; please report it)", ctx), err=True)
            ctx.exit(INTERNAL_ERROR)


def _no_secret(message: str, ctx: click.Context) -> str:
    """``message`` without the TM password, whatever raised it (a last line of defence:
    the TM's own messages are scrubbed where they are made, :mod:`toolkit.project.dburl`)."""
    urls = [os.environ.get("TMKIT_TM_URL", "").strip()]
    project = ctx.find_object(ProjectContext)
    if project is not None and project._config is not None:
        urls.append(project._config.tm.url)
    urls = [url for url in urls if url]
    if not urls:
        return message
    from toolkit.project.dburl import scrub

    for url in urls:
        message = scrub(message, url)
    return message


def _report_broken(ctx: click.Context, found: list[str], code: int) -> None:
    """Name every PO file that could not be read (the rest was processed); exit 2."""
    if not found:
        return
    for message in found:
        echo(f"tmkit: error: {message}", err=True)
    ctx.exit(max(code, 2))


@click.group(cls=TmkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tmkit")
@click.option("-C", "--project", "project_dir", type=click.Path(file_okay=False, path_type=Path),
              default=".", show_default=True,
              help="Project folder (holding tmkit.toml, or any folder inside the project); "
                   "also accepted after the command name.")
@click.pass_context
def cli(ctx: click.Context, project_dir: Path) -> None:
    """tmkit: translate health articles with PO files and a translation memory,
    and publish them as HTML, XML and text in every language."""
    ctx.obj = ProjectContext(project_dir)
    _show_warnings()


def _show_warnings() -> None:
    """Show :class:`TmkitWarning` s from the library as ``tmkit: warning: ...`` on stderr."""
    import warnings

    from toolkit.errors import TmkitWarning

    shown = warnings.showwarning
    if getattr(shown, "_tmkit", False):
        return

    def show(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, TmkitWarning):
            echo(f"tmkit: warning: {message}", err=True)
        else:
            shown(message, category, filename, lineno, file, line)

    show._tmkit = True  # type: ignore[attr-defined]
    warnings.showwarning = show
    warnings.simplefilter("always", TmkitWarning)


class ProjectContext:
    """Lazily loaded project settings shared by the commands of one run.

    ``root`` is the project holding the folder given with ``-C`` (default: the
    current one): the nearest folder at or above it with ``tmkit.toml``, as git
    finds its repository, so ``cd source && tmkit status`` works.
    """

    def __init__(self, start: Path) -> None:
        self.start = start
        self._root: Optional[Path] = None
        self._config: Optional["Config"] = None

    def move_to(self, start: Path) -> None:
        """``-C DIR`` given after the command name: the project is looked for from there."""
        self.start, self._root, self._config = start, None, None

    @property
    def root(self) -> Path:
        if self._root is None:
            from toolkit.project.root import find_root

            self._root = find_root(self.start) or self.start
        return self._root

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
    def name(path: Path) -> str:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            return str(path)

    for path in redone:
        echo(f"merged again {name(path)}: saved by someone while tmkit ran")
    for item in left:
        echo(f"tmkit: warning: {name(item.path)}: {item.reason}; run 'tmkit {command}' again",
             err=True)
    if redone or left:
        echo(f"{len(redone)} files saved during the run merged again, {len(left)} left as saved")
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


#: Commands that do not work on a project, so take no ``-C`` of their own.
NO_PROJECT = frozenset({"init", "merge-po"})


def _project_option(ctx: click.Context, _param: click.Parameter, value: Optional[Path]) -> None:
    if value is not None:
        ctx.find_object(ProjectContext).move_to(value)


def _add_project_option(command: click.Command) -> None:
    """``-C DIR`` after the command name too (``tmkit status -C DIR``), as before it."""
    command.params.append(click.Option(
        ["-C", "--project"], type=click.Path(file_okay=False, path_type=Path), default=None,
        expose_value=False, callback=_project_option,
        help="Project folder (holding tmkit.toml, or a folder inside the project)."))


def _prepare(command: click.Command, prefix: str = "") -> click.Command:
    """Wrap the writing commands (and sub-commands) of a freshly loaded module, once,
    and give each command of a project its own ``-C``."""
    if getattr(command, "_tmkit_prepared", False):
        return command
    name = f"{prefix}{command.name}"
    if name.split()[0] not in NO_PROJECT:
        _add_project_option(command)
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
    """Console entry point (``tmkit``).

    Whatever the command leaves is frozen before the interpreter exits: its
    exit-time garbage collections then skip it (35 of the 52 ms a first
    ``tmkit status`` of 1,000 articles spent leaving).  Only objects in
    reference cycles are concerned (the rest is freed as before): nothing of
    tmkit's needs them finalized, every file it writes is closed when written.
    """
    try:
        cli.main(args=argv, prog_name="tmkit")
    finally:
        import gc

        gc.freeze()


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
