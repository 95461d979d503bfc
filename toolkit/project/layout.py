"""A tmkit project on disk: creating one, where outputs may go, and paths as the project names them.

Which files under ``source/`` are articles is the readers' business
(:mod:`toolkit.readers.sources`): the layout knows folders, not formats.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import re
import tomllib

from toolkit.project.config import CONFIG_NAME, DEFAULT_CONFIG, Config, find_root, load_config
from toolkit.errors import TmkitError
from toolkit.project.fsutil import atomic_write_text
from toolkit.text.languages import get_language

DEFAULT_LANGUAGES = ["es", "fr", "de", "ar", "zh-Hans"]


def init_project(directory: os.PathLike | str, languages: Optional[list[str]] = None,
                 name: Optional[str] = None) -> list[Path]:
    """Create ``tmkit.toml``, the project folders, ``.gitattributes`` and ``.gitignore``.

    Returns what was created or extended.  An existing ``tmkit.toml`` is
    never overwritten (languages named for an existing project are added to
    it: :func:`add_languages`); an existing ``.gitattributes`` only gains the
    lines for tmkit's PO merge driver, an existing ``.gitignore`` only the
    patterns it lacks (:data:`GIT_IGNORE`).  A folder inside another project
    is refused: a second ``tmkit.toml`` there would split the project in two
    (commands run from a subfolder find the project above them, as git does).
    """
    root = Path(directory)
    outer = find_root(root) if root.exists() else find_root(_existing_parent(root))
    if outer is not None and outer != root.resolve():
        raise TmkitError(f"{root} is inside the tmkit project {outer} (its {CONFIG_NAME}); "
                         f"run commands from anywhere inside it, or create the new project elsewhere",
                         outer / CONFIG_NAME)
    if (root / CONFIG_NAME).is_file() and languages:
        return add_languages(root, languages)
    languages = languages or DEFAULT_LANGUAGES
    for tag in languages:
        get_language(tag)
    created: list[Path] = []
    root.mkdir(parents=True, exist_ok=True)
    config = root / CONFIG_NAME
    if not config.exists():
        text = DEFAULT_CONFIG.format(name=(name or root.resolve().name).replace('"', "'"),
                                     languages=", ".join(f'"{t}"' for t in languages))
        atomic_write_text(config, text)
        created.append(config)
    for folder in ("source", "po", "exports"):
        path = root / folder
        if not path.exists():
            path.mkdir()
            created.append(path)
    if _add_git_attributes(root / ".gitattributes"):
        created.append(root / ".gitattributes")
    if add_git_ignores(root / ".gitignore"):
        created.append(root / ".gitignore")
    load_config(root)  # what we wrote must read back
    return created


def _existing_parent(path: Path) -> Path:
    """The nearest folder of ``path`` that exists (where a new project would be created)."""
    path = path.resolve()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


_LANGUAGES_RE = re.compile(r"^(?P<head>[ \t]*languages[ \t]*=[ \t]*)\[(?P<body>[^\]]*)\]", re.MULTILINE)


def add_languages(directory: os.PathLike | str, languages: list[str]) -> list[Path]:
    """Add target languages to the ``languages`` list of an existing ``tmkit.toml``.

    Only that list is rewritten (comments and the rest of the file stay as
    they are); languages already there are skipped.  Returns ``[tmkit.toml]``
    when it changed, else ``[]``.  The PO files come from ``tmkit update``.
    """
    config = load_config(directory)
    for tag in languages:
        get_language(tag)
    new = [tag for tag in dict.fromkeys(languages) if tag not in config.languages]
    if not new:
        return []
    text = config.path.read_text(encoding="utf-8")
    found = _LANGUAGES_RE.search(text)
    if found is None:
        raise TmkitError("cannot find the 'languages = [...]' list to add to; add "
                         f"{', '.join(new)} by hand", config.path)
    tags = config.languages + new
    changed = (text[:found.start()] + found.group("head") + "[" + ", ".join(f'"{t}"' for t in tags)
               + "]" + text[found.end():])
    if tomllib.loads(changed).get("project", {}).get("languages", tomllib.loads(changed).get("languages")) != tags:
        raise TmkitError("cannot rewrite the 'languages' list safely; add "
                         f"{', '.join(new)} by hand", config.path)
    atomic_write_text(config.path, changed)
    load_config(config.root)   # what we wrote must read back
    return [config.path]


#: Lines of ``.gitattributes`` that send PO and POT files to ``tmkit merge-po``
#: (the driver itself is set once per clone with ``git config``; see README).
GIT_ATTRIBUTES = (
    "# PO files merge entry by entry with tmkit's merge driver; enable it once per clone:\n"
    "#   git config merge.tmkit-po.driver \"tmkit merge-po %O %A %B %P\"\n"
    "po/**/*.po merge=tmkit-po\n"
    "*.pot merge=tmkit-po\n")


def _add_git_attributes(path: Path) -> bool:
    """Add the merge-driver lines to ``.gitattributes`` (kept as it is if it has them)."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if "merge=tmkit-po" in old:
        return False
    separator = "\n" if old and not old.endswith("\n") else ""
    atomic_write_text(path, old + separator + GIT_ATTRIBUTES)
    return True


#: What a project's ``.gitignore`` keeps out of git: tmkit's state and TM
#: (``.tmkit/``), built pages (``exports/``), what PO editors and gettext leave
#: beside the PO files (Poedit's compiled ``.mo``, msgmerge's ``.po~`` backups),
#: and the virtual environment.
GIT_IGNORE = (".tmkit/", "exports/", "*.mo", "*.po~", ".venv/")


def add_git_ignores(path: Path) -> bool:
    """Add the patterns of :data:`GIT_IGNORE` that ``path`` lacks (others' lines kept as they are)."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    present = {line.strip() for line in old.splitlines()}
    missing = [pattern for pattern in GIT_IGNORE if pattern not in present]
    if not missing:
        return False
    header = "" if old else "# tmkit: state and TM, built pages, PO editors' by-products\n"
    separator = "\n" if old and not old.endswith("\n") else ""
    atomic_write_text(path, old + separator + header + "".join(f"{p}\n" for p in missing))
    return True


def check_output(config: Config, path: os.PathLike | str, option: str = "--output") -> Path:
    """Resolve an output named on the command line, refusing one that would overwrite inputs.

    An operator may publish or export anywhere they name explicitly (a web
    root, a shared drive), so an output outside the project is allowed; but
    never the project folder itself, ``tmkit.toml``, or anything inside the
    source, PO or ``.tmkit`` folders, where tmkit's output would replace the
    work it reads.  Paths from files (PO, TMX, manifests) never name outputs.
    """
    target = Path(path)
    resolved = (target if target.is_absolute() else Path.cwd() / target).resolve()
    root = config.root.resolve()
    guarded = [config.source_path, config.po_path, (root / ".tmkit").resolve(), config.tm_path.parent,
               (root / CONFIG_NAME).resolve()]
    if resolved == root or any(resolved == g or g in resolved.parents for g in guarded):
        raise TmkitError(f"{option} {path} would overwrite the project's own files "
                         "(tmkit.toml, source/, po/, .tmkit/); choose another place", option)
    return resolved


def relative(config: Config, path: Path) -> str:
    """``path`` relative to the project root, with ``/``, for references."""
    if path.is_absolute() and ".." not in path.parts:
        try:   # paths built from the (resolved) project folders need no resolving
            return path.relative_to(config.root).as_posix()
        except ValueError:
            pass
    try:
        return path.resolve().relative_to(config.root).as_posix()
    except ValueError:
        return path.as_posix()
