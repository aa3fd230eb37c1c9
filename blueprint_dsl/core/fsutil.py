"""File output helpers: every file bpc writes goes through `atomic_write`."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Sequence
from pathlib import Path


class WriteError(OSError):
    """A file bpc could not write (a full disk, no permission, a folder in the way).

    A user's problem, not a bug: the CLI prints `str(error)`, one line naming the file
    (`cannot write out/x.svg: Permission denied`), and exits 2. An `OSError`, so code
    that catches `OSError` keeps working.
    """

    def __str__(self) -> str:
        return f"cannot write {self.filename}: {self.strerror}"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_error(error: OSError, target: Path) -> WriteError:
    code = error.errno if error.errno is not None else errno.EIO
    return WriteError(code, error.strerror or os.strerror(code), str(target))


def _refuse(code: int, target: Path) -> WriteError:
    return WriteError(code, os.strerror(code), str(target))


def ensure_folder(folder: Path, target: Path) -> None:
    """Create `folder` (and its parents) for writing `target`; a regular file in the way
    is "Not a directory" for `target`, not a confusing "File exists"."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file where a folder should be
        raise _refuse(errno.ENOTDIR, target) from None
    except OSError as error:
        raise _write_error(error, target) from None


#: What `atomic_write` writes: text (as UTF-8), bytes, or bytes in pieces (a big page
#: is written as it was made, not joined into one more copy first).
Payload = bytes | str | Sequence[bytes]


def _pieces(data: Payload) -> Sequence[bytes]:
    if isinstance(data, str):
        return (data.encode("utf-8"),)
    return (data,) if isinstance(data, bytes) else data


def content_digest(data: Payload) -> str:
    """The sha256 (hex) of what `atomic_write` writes for `data`."""
    import hashlib

    digest = hashlib.sha256()
    for piece in _pieces(data):
        digest.update(piece)
    return digest.hexdigest()


def atomic_write(path: str | os.PathLike[str], data: Payload) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename.

    A failed or interrupted write never leaves a truncated file or a temporary file,
    and never clobbers the previous good output. An existing target that is not a
    regular file (a device such as /dev/null, a pipe) is written into, never replaced.
    Raises `WriteError` (an `OSError` naming `path`) when the file cannot be written.
    """
    target = Path(path)
    payload = _pieces(data)
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    except NotADirectoryError:  # a regular file where a folder of the path should be
        raise _refuse(errno.ENOTDIR, target) from None
    except OSError as error:
        raise _write_error(error, target) from None
    if mode is not None and stat.S_ISDIR(mode):
        raise _refuse(errno.EISDIR, target)
    if mode is not None and not stat.S_ISREG(mode):
        _write_special(target, payload)
        return
    ensure_folder(target.parent, target)
    try:
        import tempfile

        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise _write_error(error, target) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            # mkstemp creates the file private (0600); give it the mode a plain open()
            # would, or keep the mode of the file it replaces.
            os.chmod(tmp, (mode & 0o7777) if mode is not None else 0o666 & ~_umask())
            for piece in payload:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(error, OSError) and not isinstance(error, WriteError):
            raise _write_error(error, target) from None
        raise


def _write_special(target: Path, payload: Sequence[bytes]) -> None:
    """Write into a device or pipe in place (there is nothing to rename over it)."""
    try:
        with open(target, "wb") as handle:
            for piece in payload:
                handle.write(piece)
            handle.flush()
    except OSError as error:
        raise _write_error(error, target) from None


def file_digest(path: Path) -> str | None:
    """The sha256 (hex) of a file's bytes, or None when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            import hashlib

            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def is_readable_file(path: Path) -> bool:
    """`path.is_file()`, but False (not an exception) for names the system rejects,
    such as a name longer than the file system allows."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False
