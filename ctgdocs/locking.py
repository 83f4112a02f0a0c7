"""One build at a time per output folder: two builds into one folder would mix their manifests."""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import filelock

from .errors import OutputError
from .files import os_reason

LOCK = ".ctgdocs.lock"
_ATTEMPTS = 20


def _open_failure(folder: Path, exc: OSError) -> OutputError:
    # The lock file is created, never replaced: an access refused is not a file held open.
    reason = os_reason(exc, held_open=False)
    return OutputError(f"{folder} : dossier de sortie inutilisable ({reason})")


class UnwritableFolder(OutputError):
    """The output folder exists but cannot be written: a build may still find it up to date."""


def _unwritable(folder: Path, exc: OSError) -> bool:
    return folder.is_dir() and (isinstance(exc, PermissionError) or exc.errno == errno.EROFS)


def _acquire(folder: Path, path: Path, on_wait: Callable[[], None] | None) -> filelock.BaseFileLock:
    waited = False
    for attempt in range(_ATTEMPTS):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            lock = filelock.FileLock(path, is_singleton=False)
            try:
                lock.acquire(timeout=0)
            except filelock.Timeout:
                if on_wait is not None and not waited:
                    on_wait()
                waited = True
                lock.acquire()
        except OSError as exc:
            # The build before removed the folder it had created and left empty, as this one
            # made sure it existed (FileExistsError: gone between « it exists » and « it is a
            # folder »): this one creates it again.
            vanished = isinstance(exc, FileNotFoundError) or (
                isinstance(exc, FileExistsError) and not folder.exists()
            )
            if vanished and attempt < _ATTEMPTS - 1:
                continue
            if _unwritable(folder, exc):
                raise UnwritableFolder(str(_open_failure(folder, exc))) from exc
            raise _open_failure(folder, exc) from exc
        return lock
    raise AssertionError("unreachable")  # pragma: no cover


@contextmanager
def build_lock(
    folder: Path, *, shared: bool = False, on_wait: Callable[[], None] | None = None
) -> Iterator[UnwritableFolder | None]:
    """Hold the folder's lock, waiting while another build holds it (`on_wait` says so once).

    A folder that exists but cannot be written (read-only disk or share) holds no lock:
    the error is given instead, for the build to raise if it has anything to write
    (nothing can be written there, by this build or by one it would wait for).
    A shared hold only reads, so it creates nothing. The operating system releases
    the lock of a process that dies, however it dies, and filelock closes the lock
    in forked workers, so that none of them keeps it after their parent is gone.
    """
    if shared:
        yield None
        return
    created = not folder.exists()
    path = folder / LOCK
    try:
        lock = _acquire(folder, path, on_wait)
    except UnwritableFolder as exc:
        yield exc
        return
    try:
        yield None
    finally:
        # Removed while still held: a build waiting on this file finds it deleted once it
        # gets it, and locks the next one instead (filelock checks).
        with contextlib.suppress(OSError):  # Windows: deleted by filelock once released
            path.unlink()
        lock.release()
        if created:
            # A build that wrote nothing (a broken template) leaves nothing behind.
            with contextlib.suppress(OSError):
                folder.rmdir()
