"""Writing and removing output files so that a reader never sees half a file, on every system."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from .errors import OutputError

# Windows refuses to replace or delete a file another program holds open: Word and
# Acrobat do while a document is shown, an antivirus or the indexer for a moment.
_SHARING_VIOLATIONS = (32, 33)  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
_RETRY_DELAYS = (0.05, 0.1, 0.2, 0.4)
CLOSE_AND_RETRY = (
    "fichier ouvert dans un autre programme (Word, Acrobat…) : fermez-le puis relancez "
    "la construction"
)


def _locked(exc: OSError) -> bool:
    """True for the error Windows gives when another program has the file open."""
    if getattr(exc, "winerror", None) in _SHARING_VIOLATIONS:
        return True
    return sys.platform == "win32" and isinstance(exc, PermissionError)


def replace_message(exc: OSError) -> str:
    """Why a file could not be replaced or removed, in the words of what to do about it."""
    if _locked(exc):
        return CLOSE_AND_RETRY
    return f"écriture impossible ({exc.strerror or exc})"


def _retrying(operation: Callable[[], object]) -> None:
    """Run `operation`, retrying a moment while Windows says the file is in use."""
    for delay in (*_RETRY_DELAYS, None):
        try:
            operation()
            return
        except OSError as exc:
            if delay is None or not _locked(exc):
                raise
        time.sleep(delay)


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never half."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
        _retrying(lambda: temporary.replace(path))
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        if _locked(exc):
            raise OutputError(f"{path} : {CLOSE_AND_RETRY}") from exc
        raise OutputError(f"{path} : écriture impossible ({exc.strerror})") from exc


def move_into_place(source: Path, target: Path) -> None:
    """Replace `target` by the finished file `source` (same file system) in one rename."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _retrying(lambda: source.replace(target))
    except OSError as exc:
        if _locked(exc):
            raise OutputError(f"{target} : {CLOSE_AND_RETRY}") from exc
        raise OutputError(f"{target} : écriture impossible ({exc.strerror})") from exc


def remove_file(path: Path) -> bool:
    """Delete `path`; False if it was not there. A file held open raises OutputError."""
    try:
        _retrying(path.unlink)
    except FileNotFoundError:
        return False
    except OSError as exc:
        if _locked(exc):
            raise OutputError(f"{path} : suppression impossible, {CLOSE_AND_RETRY}") from exc
        raise OutputError(f"{path} : suppression impossible ({exc.strerror})") from exc
    return True
