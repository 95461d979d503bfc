"""File-system helpers that never leave half-written files or escape the project.

All output goes through :func:`atomic_write_bytes`: the data is written to a
temporary file in the same directory, flushed to disk, then renamed over the
target.  A crash at any point leaves either the old file or the new one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from toolkit.errors import TmkitError


def atomic_write_bytes(path: os.PathLike | str, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically (temp file + fsync + rename)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def atomic_write_text(path: os.PathLike | str, text: str) -> None:
    """Write ``text`` as UTF-8 with ``\\n`` line ends, atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def read_text(path: os.PathLike | str) -> str:
    """Read a UTF-8 text file (a BOM is dropped), or raise a :class:`TmkitError`.

    The error names the line of the first byte that is not valid UTF-8, so a
    user can find it in an editor.
    """
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise TmkitError("no such file", p) from None
    except IsADirectoryError:
        raise TmkitError("is a directory, not a file", p) from None
    except OSError as exc:
        raise TmkitError(f"cannot read: {exc.strerror}", p) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise TmkitError(f"not valid UTF-8 (byte 0x{data[exc.start]:02x})", p, line) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def inside(root: os.PathLike | str, path: os.PathLike | str) -> Path:
    """Return ``path`` resolved, or raise if it lies outside ``root``.

    Used for every path derived from user data (slugs, options, file metadata)
    so that ``../../etc/passwd`` or a symlink out of the tree is refused.
    """
    base = Path(root).resolve()
    resolved = (base / path).resolve()
    if resolved != base and base not in resolved.parents:
        raise TmkitError(f"path leaves the project: {path}", root)
    return resolved
