"""Writing and removing output files so that a reader never sees half a file, on every system."""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import shutil
import stat
import sys
import time
from collections.abc import Callable, Iterable
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
READ_ONLY = (
    "fichier en lecture seule : décochez « Lecture seule » dans ses propriétés puis "
    "relancez la construction"
)


# What the system says, in French: its own words (strerror) are English whatever the locale.
_REASONS = {
    getattr(errno, name): reason
    for name, reason in (
        ("ENOSPC", "disque plein"),
        ("EDQUOT", "quota du disque dépassé"),
        ("EFBIG", "fichier trop gros pour ce disque"),
        ("EROFS", "disque ou dossier en lecture seule"),
        ("EACCES", "accès refusé"),
        ("EPERM", "opération non permise"),
        ("ENOENT", "fichier ou dossier introuvable"),
        ("ENOTDIR", "un élément du chemin n'est pas un dossier"),
        ("EISDIR", "c'est un dossier"),
        ("ENAMETOOLONG", "nom de fichier trop long"),
        ("EIO", "erreur de lecture ou d'écriture du disque"),
        ("EMFILE", "trop de fichiers ouverts"),
        ("ENFILE", "trop de fichiers ouverts sur le système"),
        ("EBUSY", "fichier ou dossier occupé"),
        ("EXDEV", "dossiers sur deux disques différents"),
    )
    if hasattr(errno, name)  # not every system has them all
}


# Windows' limit on a path without its « long paths » option: beyond it, a file "cannot be
# found" (WinError 3) or its name "is too long" (WinError 206).
MAX_PATH = 260
_PATH_NOT_FOUND, _FILENAME_EXCED_RANGE = 3, 206


def _too_long_for_windows(exc: OSError) -> int | None:
    """The length of the path Windows refused for being too long, if that is the reason."""
    names = [n for n in (exc.filename, exc.filename2) if isinstance(n, str)]
    # Windows counts the absolute path: a relative one (-o sortie) is longer than typed.
    longest = max((len(str(Path(n).absolute())) for n in names), default=0)
    winerror = getattr(exc, "winerror", None)
    if winerror == _FILENAME_EXCED_RANGE:
        return longest
    windows = sys.platform == "win32" and isinstance(exc, FileNotFoundError)
    if (windows or winerror == _PATH_NOT_FOUND) and longest >= MAX_PATH:
        return longest
    return None


def os_reason(exc: OSError, *, held_open: bool = True) -> str:
    """Why the system refused, in French: « disque plein », « accès refusé »…

    `held_open`: whether a file another program holds open may be the reason (not when
    creating a file: Windows then says « access denied » for a folder one may not write).
    """
    sharing = getattr(exc, "winerror", None) in _SHARING_VIOLATIONS
    if sharing or (held_open and _locked(exc)):
        return "fichier ouvert dans un autre programme"
    length = _too_long_for_windows(exc)
    if length is not None:
        return (
            f"chemin trop long pour Windows : {length} caractères, {MAX_PATH - 1} au plus ; "
            "choisissez un dossier de sortie moins profond (-o), ou activez les chemins longs "
            "de Windows"
        )
    reason = _REASONS.get(exc.errno or 0)
    if reason is not None:
        return reason
    # The system's own words are English (strerror, Windows' FormatMessage): after the code.
    winerror = getattr(exc, "winerror", None)
    code = f"erreur Windows n° {winerror}" if winerror else f"erreur système n° {exc.errno}"
    if not (winerror or exc.errno):
        code = "erreur du système"
    detail = exc.strerror or (str(exc) if not (winerror or exc.errno) else "")
    return f"{code} ({detail})" if detail else code


def not_a_file(path: Path) -> str | None:
    """Why `path` cannot be read as a file (a folder, a pipe, a device, a broken link), or None.

    Checked before opening: a named pipe would block the read, `/dev/zero` never end it.
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if path.is_symlink():
            return f"lien symbolique cassé (il pointe vers {path.readlink()}, introuvable)"
        return "fichier introuvable"
    except OSError as exc:
        return f"fichier illisible ({os_reason(exc)})"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "c'est un dossier, pas un fichier"
    if stat.S_ISFIFO(mode):
        return "c'est un tube nommé (FIFO), pas un fichier"
    return "c'est un périphérique ou un fichier spécial, pas un fichier"


def _read_only(exc: OSError) -> bool:
    """True if a file the failed operation named has Windows' read-only attribute."""
    for name in (exc.filename, exc.filename2):
        if not name:
            continue
        try:
            attributes = getattr(Path(name).stat(), "st_file_attributes", 0)  # Windows only
        except (OSError, TypeError, ValueError):
            continue
        if attributes & stat.FILE_ATTRIBUTE_READONLY:
            return True
    return False


def _locked(exc: OSError) -> bool:
    """True for the error Windows gives when another program has the file open."""
    if getattr(exc, "winerror", None) in _SHARING_VIOLATIONS:
        return True
    # Access is denied too for a file marked read-only: no program to close there.
    return sys.platform == "win32" and isinstance(exc, PermissionError) and not _read_only(exc)


def _what_to_do(exc: OSError) -> str | None:
    """What the user must do for Windows to let a file be replaced or removed, if known."""
    if _locked(exc):
        return CLOSE_AND_RETRY
    if sys.platform == "win32" and isinstance(exc, PermissionError) and _read_only(exc):
        return READ_ONLY
    return None


def replace_message(exc: OSError) -> str:
    """Why a file could not be replaced or removed, in the words of what to do about it."""
    return _what_to_do(exc) or f"écriture impossible ({os_reason(exc)})"


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


def remove_tree(folder: str | os.PathLike[str]) -> None:
    """Delete a folder ctgdocs made (its staging, a LibreOffice profile) and all it holds, as
    far as it can. On Windows a file an antivirus or the indexer reads for a moment cannot
    be deleted: the removal is tried again a few times, then left to the next build (its
    work folder) or to the system (its temporary folder)."""
    path = Path(folder)
    for delay in (*_RETRY_DELAYS, None):
        shutil.rmtree(path, ignore_errors=True)
        if delay is None or not _windows() or not path.exists():
            return
        time.sleep(delay)


def _windows() -> bool:
    return sys.platform == "win32"


def _temporary(path: Path, pid: int) -> Path:
    return path.with_name(f".{path.name}.{pid}.tmp")


def write_atomically(path: Path, data: bytes | bytearray | Iterable[bytes]) -> None:
    """Write `data` (or its chunks, in order) to `path`: readers see the old file or the new one.

    A process killed meanwhile leaves at most a temporary file beside `path`, which
    `remove_leftovers` deletes.
    """
    temporary = _temporary(path, os.getpid())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes | bytearray):
            temporary.write_bytes(data)
        else:
            with temporary.open("wb") as handle:
                handle.writelines(data)
        _retrying(lambda: temporary.replace(path))
    except BaseException as exc:  # an interruption too (Ctrl-C, SIGTERM) leaves nothing
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        if not isinstance(exc, OSError):
            raise
        raise OutputError(f"{path} : {replace_message(exc)}") from exc


def remove_leftovers(path: Path) -> None:
    """Delete the temporary files that writers of `path` killed midway left beside it.

    Only when no other process may be writing `path` (the build holds the folder's lock).
    """
    prefix = f".{path.name}."
    with contextlib.suppress(OSError):
        for leftover in path.parent.iterdir():
            pid = leftover.name.removeprefix(prefix).removesuffix(".tmp")
            if pid.isascii() and pid.isdigit() and leftover == _temporary(path, int(pid)):
                with contextlib.suppress(OSError):
                    leftover.unlink()


def move_file(source: Path, target: Path) -> None:
    """Replace `target` by the finished file `source` in one rename, readers never seeing half.

    A target on another disk than the work folder (a subfolder mounted there, a link to a
    share) cannot be renamed into: the file is copied beside it first, then renamed.
    """
    try:
        _retrying(lambda: source.replace(target))
        return
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
    remove_leftovers(target)  # of a build killed while it copied
    copy = _temporary(target, os.getpid())
    try:
        shutil.copyfile(source, copy)
        _retrying(lambda: copy.replace(target))
    except BaseException:
        with contextlib.suppress(OSError):
            copy.unlink(missing_ok=True)
        raise
    with contextlib.suppress(OSError):
        source.unlink()


def move_into_place(source: Path, target: Path, folders: set[Path] | None = None) -> None:
    """Replace `target` by the finished file `source`, or say in French why it cannot be.

    `folders`: those already made by the caller, made once rather than once per file.
    """
    try:
        if folders is None or target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            if folders is not None:
                folders.add(target.parent)
        move_file(source, target)
    except OSError as exc:
        raise OutputError(f"{target} : {replace_message(exc)}") from exc


def remove_file(path: Path) -> bool:
    """Delete `path`; False if it was not there. A file held open raises OutputError."""
    try:
        _retrying(path.unlink)
    except FileNotFoundError:
        return False
    except OSError as exc:
        what_to_do = _what_to_do(exc)
        if what_to_do is not None:
            raise OutputError(f"{path} : suppression impossible, {what_to_do}") from exc
        raise OutputError(f"{path} : suppression impossible ({os_reason(exc)})") from exc
    return True


def set_aside(path: Path, why: str) -> Path:
    """Rename `path` beside itself, « name (why).docx », not over another file; its new name
    (« nam (1).docx » where that would be too long a path for Windows).

    A file held open (Word on Windows) cannot be renamed: OutputError says what to do, and
    the file is left where it is.
    """
    for number in itertools.count(1):
        mark = why if number == 1 else f"{why}, {number}"
        kept = path.with_name(f"{path.stem} ({mark}){path.suffix}")
        if len(str(kept.absolute())) >= MAX_PATH:
            # Too long for Windows: « name (2).docx », its name cut to the document's length.
            tag = f" ({number})"
            kept = path.with_name(
                f"{path.stem[: max(1, len(path.stem) - len(tag))]}{tag}{path.suffix}"
            )
        if not (kept.exists() or kept.is_symlink()):
            break
    try:
        _retrying(lambda: path.rename(kept))
    except OSError as exc:
        raise OutputError(f"{path} : {why}, non remplacé : {replace_message(exc)}") from exc
    return kept


def remove_empty_folders(folder: Path, root: Path) -> None:
    """Remove `folder` and its parents up to `root` (kept) while they are empty: what the
    documents of a renamed reference or of a removed avenant leave."""
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:  # not empty (a user's file, a kept retouche), or held: kept
            return
        folder = folder.parent
