"""File-system helpers that never leave half-written files or escape the project.

All output goes through :func:`atomic_write_bytes`: the data is written to a
temporary file in the same directory, flushed to disk, then renamed over the
target.  A crash at any point leaves either the old file or the new one.

Files that people edit while tmkit runs (PO catalogs open in Poedit) are
replaced only if they still hold what tmkit read: :class:`AtomicBatch` takes
the expected content with each file and :func:`replace_if_unchanged` checks
it at the last moment (see docs/guarantees.md for the window that remains).
"""

from __future__ import annotations

import errno
import functools
import hashlib
import itertools
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterable, Optional, Union

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


_TEMP_NUMBERS = itertools.count()


def _create_temp(target: Path) -> tuple[int, str]:
    """An exclusive new temp file beside ``target`` (cheaper than ``mkstemp``'s random names).

    The name is made from the path's string (``Path.parent`` builds a new path
    object: a tenth of the cost of staging a small file)."""
    folder, name = os.path.split(os.fspath(target))
    tmp = os.path.join(folder, f".{name}.{os.getpid()}-{next(_TEMP_NUMBERS)}.tmp")
    try:
        return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600), tmp
    except FileExistsError:
        return tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)


def sync_filesystem(directory: os.PathLike | str) -> None:
    """Flush every written file of the file system holding ``directory`` to disk.

    One ``syncfs`` (Linux) costs about as much as a single ``fsync`` but covers
    a whole batch; elsewhere ``os.sync`` does the same for all file systems.
    """
    syncfs = _syncfs()
    if syncfs is None:
        os.sync()
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        if syncfs(fd) != 0:
            os.sync()
    finally:
        os.close(fd)


@functools.lru_cache(maxsize=None)
def _syncfs():
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).syncfs   # libc's, already loaded
    except (OSError, AttributeError):
        return None


class _Unchecked:
    """The default ``expected`` of :meth:`AtomicBatch.add`: replace whatever is there."""

    def __repr__(self) -> str:
        return "UNCHECKED"


UNCHECKED = _Unchecked()
#: What a caller expects to find before replacing a file: the bytes it read,
#: ``None`` for "no file", or :data:`UNCHECKED`.
Expected = Union[bytes, None, _Unchecked]


def content_digest(data: bytes) -> bytes:
    """Identifies file content (kept instead of the bytes, so a batch stays small in memory)."""
    return hashlib.sha256(data).digest()


def _current_digest(path: os.PathLike | str) -> Optional[bytes]:
    try:
        with open(path, "rb", buffering=0) as handle:
            return content_digest(handle.readall())
    except (FileNotFoundError, NotADirectoryError):
        return None


_RENAME_NOREPLACE, _RENAME_EXCHANGE = 1, 2
_AT_FDCWD = -100


@functools.lru_cache(maxsize=None)
def _libc_renameat2():
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).renameat2   # glibc >= 2.28
    except (OSError, AttributeError):
        return None


def _renameat2(source: str, target: os.PathLike | str, flags: int) -> bool:
    """Linux ``renameat2``; False when this system or file system lacks it (caller falls back)."""
    function = _libc_renameat2()
    if function is None:
        return False
    import ctypes

    if function(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), flags) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), os.fspath(target))


def replace_if_unchanged(tmp: str, target: os.PathLike | str, expected: Optional[bytes]) -> bool:
    """Rename ``tmp`` over ``target`` only if ``target`` still has the content digest ``expected``.

    ``expected`` is :func:`content_digest` of what the caller read, or
    ``None`` when there was no file.  Returns False, and removes ``tmp``,
    when someone changed (or created, or removed) the file meanwhile: the
    caller must never overwrite a save it has not seen.

    Where Linux offers ``renameat2`` the check leaves no window for editors
    that save by rename (Poedit, Lokalize, most editors): a new file is
    created with ``RENAME_NOREPLACE``; an existing one is compared, swapped
    in with ``RENAME_EXCHANGE``, and the file swapped out is compared again,
    so a save in the instant between the check and the swap is put back.
    Elsewhere the check is followed at once by ``os.replace``, and a save
    landing in between (microseconds) would be lost.
    """
    if expected is None:
        try:
            if _renameat2(tmp, target, _RENAME_NOREPLACE):
                return True
        except FileExistsError:
            _unlink(tmp)
            return False
        if os.path.lexists(target):
            _unlink(tmp)
            return False
        os.replace(tmp, target)
        return True
    if _current_digest(target) != expected:
        _unlink(tmp)
        return False
    if not _renameat2(tmp, target, _RENAME_EXCHANGE):
        os.replace(tmp, target)
        return True
    if _current_digest(tmp) == expected:     # ``tmp`` now holds the file swapped out
        _unlink(tmp)
        return True
    _renameat2(tmp, target, _RENAME_EXCHANGE)   # a save landed in between: put it back
    _unlink(tmp)
    return False


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


class AtomicBatch:
    """Many files replaced atomically, with one disk sync for the whole batch.

    :meth:`add` writes each file's data to a temp file beside its target at
    once (only paths are kept, so memory does not grow with the batch);
    :meth:`commit` syncs the file system once, then renames every temp file
    over its target.  A crash leaves each target either old or complete, as
    with :func:`atomic_write_bytes`, at a fraction of the cost of one
    ``fsync`` per file.  :meth:`abort` (or leaving a ``with`` block by an
    exception) removes the temp files and leaves every target as it was.

    ``sync_new``: whether to sync when no file replaces an existing one.  The
    sync before the renames protects what existed; callers whose new files
    are checked later (the catalogs' state file holds their hashes) may skip it.

    ``expected`` (per file, see :meth:`add`): compare before replace.  A file
    that no longer holds what the caller read is not replaced; it is listed
    in :attr:`moved` for the caller to merge again or report.
    """

    def __init__(self, sync_new: bool = True) -> None:
        self.sync_new = sync_new
        self.moved: list[Path] = []      # targets left alone: they changed on disk (see ``expected``)
        self._staged: list[tuple[str, Path, object]] = []
        self._replaces = False
        self._dirs: set[str] = set()

    def add(self, path: os.PathLike | str, data: bytes, expected: Expected = UNCHECKED) -> None:
        """Stage ``data`` for ``path`` (made visible only by :meth:`commit`).

        ``expected``: the content the caller read from ``path`` (``None``: it
        did not exist); :meth:`commit` then replaces the file only if it
        still holds exactly that (:func:`replace_if_unchanged`).

        (A thread creating the files while the caller renders the next page
        was tried: on two cores busy with two build workers its hand-offs
        cost more CPU than it overlapped.)
        """
        check = expected if expected is None or expected is UNCHECKED else content_digest(expected)
        self._stage(Path(path), data, check)

    def _stage(self, target: Path, data: bytes, check: object = UNCHECKED) -> None:
        folder = os.path.dirname(target) or "."   # a str: hashing a Path costs more than the write
        if folder not in self._dirs:
            os.makedirs(folder, exist_ok=True)
            self._dirs.add(folder)
        fd, tmp = _create_temp(target)
        self._staged.append((tmp, target, check))
        try:
            _write_all(fd, data)
            self._replaces |= _set_mode(fd, target)
        finally:
            os.close(fd)

    def adopt(self, staged: "Staged") -> None:
        """Take a file staged by :func:`stage` (in a forked worker, say) into this batch:
        :meth:`commit` renames it with the others, :meth:`abort` removes it."""
        self._dirs.add(os.path.dirname(staged.target) or ".")
        self._staged.append((staged.tmp, staged.target, staged.check))
        self._replaces |= staged.replaces

    def commit(self) -> list[Path]:
        """Sync once (see ``sync_new``), then rename every staged file into place.

        Returns the targets not replaced because they changed on disk (also
        in :attr:`moved`).
        """
        if not self._staged:
            return self.moved
        if self._replaces or self.sync_new:
            filesystems = {os.stat(folder).st_dev: folder for folder in self._dirs}
            for folder in filesystems.values():   # one sync per file system written to
                sync_filesystem(folder)
        for index, (tmp, target, check) in enumerate(self._staged):
            try:
                if check is UNCHECKED:
                    os.replace(tmp, target)
                elif not replace_if_unchanged(tmp, target, check):   # the last moment: compare
                    self.moved.append(target)
            except BaseException:
                self._staged = self._staged[index:]
                self.abort()
                raise
        self._staged = []
        self._replaces = False
        return self.moved

    def abort(self) -> None:
        """Remove the temp files not yet renamed."""
        staged, self._staged = self._staged, []
        for tmp, _, _ in staged:
            _unlink(tmp)

    def __enter__(self) -> "AtomicBatch":
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.commit()
        else:
            self.abort()


def _set_mode(fd: int, target: os.PathLike | str) -> bool:
    """Give the temp file the mode of the file it replaces (0644 for a new one);
    True when there is a file to replace."""
    try:
        mode = os.stat(target).st_mode & 0o777
        replaces = True
    except FileNotFoundError:
        mode, replaces = 0o644, False
    os.fchmod(fd, mode)
    return replaces


@dataclass(frozen=True)
class Staged:
    """A temp file written beside ``target``, waiting for an :class:`AtomicBatch` to adopt it."""

    tmp: str
    target: Path
    check: object          # what :meth:`AtomicBatch.add` makes of ``expected``
    replaces: bool         # a file existed at ``target`` when it was staged


def stage(path: os.PathLike | str, data: bytes, expected: Expected = UNCHECKED) -> Staged:
    """Write ``data`` to a temp file beside ``path``, for :meth:`AtomicBatch.adopt`.

    The same file :meth:`AtomicBatch.add` writes, made where the batch is not
    (a forked worker); :func:`unstage` removes it if no batch takes it.
    """
    target = path if isinstance(path, Path) else Path(path)
    check = expected if expected is None or expected is UNCHECKED else content_digest(expected)
    try:
        fd, tmp = _create_temp(target)
    except (FileNotFoundError, NotADirectoryError):   # the folder made only when missing: two calls less a file
        os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
        fd, tmp = _create_temp(target)
    try:
        _write_all(fd, data)
        replaces = _set_mode(fd, target)
    except BaseException:
        os.close(fd)
        _unlink(tmp)
        raise
    os.close(fd)
    return Staged(tmp, target, check, replaces)


def unstage(staged: Iterable[Optional[Staged]]) -> None:
    """Remove the temp files of files staged but never adopted."""
    for item in staged:
        if item is not None:
            _unlink(item.tmp)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def atomic_write_many(items: Iterable[tuple[os.PathLike | str, bytes]], sync_new: bool = True) -> None:
    """Write every ``(path, data)`` with one :class:`AtomicBatch` (all or none renamed)."""
    with AtomicBatch(sync_new) as batch:
        for path, data in items:
            batch.add(path, data)


def open_regular(path: os.PathLike | str, shown: Optional[str] = None) -> BinaryIO:
    """Open a regular file for reading, or raise a :class:`TmkitError` naming it.

    A FIFO, socket or device given where a file is expected would make a
    plain ``open`` wait forever (or read without end): it is opened without
    blocking, looked at, and refused.  ``shown`` names the file in errors.
    """
    return os.fdopen(_regular_fd(path, shown)[0], "rb")


def _regular_fd(path: os.PathLike | str, shown: Optional[str] = None) -> tuple[int, int]:
    """(descriptor, size) of a regular file opened for reading (see :func:`open_regular`)."""
    name = shown or Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise TmkitError("no such file", name) from None
    except IsADirectoryError:
        raise TmkitError("is a directory, not a file", name) from None
    except OSError as exc:
        raise TmkitError(f"cannot read: {exc.strerror}", name) from None
    found = os.fstat(fd)
    if not stat.S_ISREG(found.st_mode):
        os.close(fd)
        if stat.S_ISDIR(found.st_mode):
            raise TmkitError("is a directory, not a file", name)
        raise TmkitError("not a regular file (a FIFO, socket or device); give a file", name)
    os.set_blocking(fd, True)
    return fd, found.st_size


def read_regular(path: os.PathLike | str, shown: Optional[str] = None) -> bytes:
    """The bytes of a regular file, as :func:`open_regular` then ``read()`` give them, without
    a file object (a first ``tmkit status`` reads 5,000 PO files: half the time per file).
    Raises :class:`OSError` when reading fails after the file opened."""
    fd, size = _regular_fd(path, shown)
    try:
        chunks = []
        while True:       # to the end, whatever the size said (the file may grow meanwhile)
            data = os.read(fd, max(size + 1, 1 << 16))
            if not data:
                return b"".join(chunks)
            chunks.append(data)
    finally:
        os.close(fd)


def read_bytes(path: os.PathLike | str) -> bytes:
    """Read a regular file's bytes, or raise a :class:`TmkitError` naming it."""
    with open_regular(path) as handle:
        try:
            return handle.read()
        except OSError as exc:
            raise TmkitError(f"cannot read: {exc.strerror}", path) from None


def read_text(path: os.PathLike | str) -> str:
    """Read a UTF-8 text file (a BOM is dropped), or raise a :class:`TmkitError`.

    The error names the line of the first byte that is not valid UTF-8, so a
    user can find it in an editor.
    """
    p = Path(path)
    data = read_bytes(p)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise TmkitError(f"not valid UTF-8 (byte 0x{data[exc.start]:02x})", p, line) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    # looked for first: replace() scans a text with a character above U+00FF slowly
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


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
