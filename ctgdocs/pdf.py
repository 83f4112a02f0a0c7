"""LibreOffice: .docx → PDF or PDF/A-2b, in batches, each soffice process with its own profile."""

from __future__ import annotations

import contextlib
import locale
import math
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .errors import ConversionError
from .files import move_file, os_reason, remove_tree, replace_message
from .pdf_stamps import make_reproducible
from .reaper import KILL_GRACE, Reaper, stop_tree
from .workers import first_completed

PDF_FILTER = "pdf:writer_pdf_Export"
# PDF/A-2b, tagged: LibreOffice 7.4+ takes filter options as JSON.
PDFA_FILTER = (
    'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"},'
    '"UseTaggedPDF":{"type":"boolean","value":"true"}}'
)
BATCH_SIZE = 25
_MAC_SOFFICE = Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")
# Where LibreOffice's Windows installer puts it (64-bit, then 32-bit); it adds nothing to PATH.
_WINDOWS_FOLDERS = ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)")
_WINDOWS_SOFFICE = Path("LibreOffice", "program", "soffice.exe")
INSTALL_HINT = (
    "LibreOffice est introuvable (commande soffice) ; installez-le pour produire les PDF "
    "(Debian, Ubuntu : sudo apt install libreoffice-writer ; macOS : brew install --cask "
    "libreoffice ; Windows : libreoffice.org) ou donnez son chemin dans CTGDOCS_SOFFICE"
)


@dataclass(frozen=True)
class Conversion:
    """One document to convert, and where its PDF goes."""

    source: Path
    target: Path


@dataclass(frozen=True)
class Failure:
    conversion: Conversion
    reason: str


def _installed_soffice() -> Path | None:
    """LibreOffice where its installer puts it when it is not on the PATH."""
    if sys.platform == "win32":
        for variable in _WINDOWS_FOLDERS:
            folder = os.environ.get(variable)
            if folder and (Path(folder) / _WINDOWS_SOFFICE).is_file():
                return Path(folder) / _WINDOWS_SOFFICE
        return None
    return _MAC_SOFFICE if _MAC_SOFFICE.exists() else None


def find_soffice() -> str:
    """The soffice executable: $CTGDOCS_SOFFICE, then the PATH, then the installer's folder."""
    # A path copied from Windows' Explorer ("Copy as path") comes between quotes.
    configured = os.environ.get("CTGDOCS_SOFFICE", "").strip().strip("\"'").strip()
    if configured:
        found = shutil.which(configured)
        if found is None:
            raise ConversionError(f"CTGDOCS_SOFFICE={configured} : programme introuvable")
        return found
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    installed = _installed_soffice()
    if installed is not None:
        return str(installed)
    raise ConversionError(INSTALL_HINT)


def valid_pdf(path: Path) -> bool:
    """A non-empty file with a PDF header and an end-of-file marker."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
            handle.seek(max(0, path.stat().st_size - 2048))
            tail = handle.read()
    except OSError:
        return False
    return head.startswith(b"%PDF-") and b"%%EOF" in tail


def configured_timeout() -> float | None:
    """$CTGDOCS_SOFFICE_TIMEOUT in seconds, None when unset (the default depends on the batch)."""
    configured = os.environ.get("CTGDOCS_SOFFICE_TIMEOUT", "").strip()
    if not configured:
        return None
    try:
        seconds = float(configured.replace(",", "."))
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds <= 0:
        raise ConversionError(
            f"CTGDOCS_SOFFICE_TIMEOUT={configured} : un nombre de secondes positif est attendu "
            "(par exemple 120)"
        )
    return seconds


def _timeout(count: int, configured: float | None) -> float:
    return configured if configured is not None else 60.0 + 10.0 * count


class _Running:
    """The soffice processes of one conversion: all stopped at once if the build stops.

    An interrupted build (Ctrl-C, SIGTERM) stops them itself; a killed one leaves that to
    the reaper, to which each is registered before it starts.
    """

    def __init__(self, reaper: Reaper) -> None:
        self.reaper = reaper
        self._processes: set[subprocess.Popen[bytes]] = set()
        self._lock = threading.Lock()
        self._stopping = False

    def start(self, command: list[str]) -> subprocess.Popen[bytes] | None:
        """Start soffice, or None once the conversion is being stopped."""
        with self._lock:
            if self._stopping:
                return None
            process = subprocess.Popen(
                command,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                # POSIX: its own process group, so that a kill reaches its children.
                start_new_session=True,
            )
            self._processes.add(process)
        self.reaper.watch(process.pid)
        return process

    def finish(self, process: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._processes.discard(process)

    def stop_all(self) -> None:
        with self._lock:
            self._stopping = True
            processes = list(self._processes)
        for process in processes:
            stop_tree(process.pid)


def _run_soffice(soffice: str, args: list[str], timeout: float, running: _Running) -> str | None:
    """Run one soffice; the reason it failed, or None. A hung soffice is killed."""
    process = running.start([soffice, *args])
    if process is None:
        return "conversion interrompue"
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        stop_tree(process.pid)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.communicate(timeout=KILL_GRACE)
        return f"LibreOffice ne répondait plus : arrêté après {timeout:g} s"
    finally:
        running.finish(process)
    if process.returncode != 0:
        lines = decoded(stderr).strip().splitlines()
        detail = f" : {lines[-1]}" if lines else ""
        return f"LibreOffice {_ended(process.returncode)}{detail}"
    return None


def decoded(output: bytes) -> str:
    """What soffice wrote: UTF-8, else the locale's encoding. On Windows, LibreOffice writes
    its messages (and the paths in them) in the ANSI code page (cp1252), not in UTF-8."""
    try:
        return output.decode("utf-8")
    except UnicodeDecodeError:
        return output.decode(locale.getencoding(), "replace")


def _ended(code: int) -> str:
    """How soffice ended, from its exit code: a crash is said as one, on every system."""
    if code < 0:  # POSIX: killed by a signal (11: a segmentation fault)
        return f"s'est arrêté brutalement (signal {-code})"
    if code >= 0xC0000000:  # Windows: an exception status (0xC0000005: access violation)
        return f"s'est arrêté brutalement (code 0x{code:08X})"
    return f"a échoué (code {code})"


def convert_batch(
    soffice: str,
    batch: Sequence[Conversion],
    workdir: Path,
    *,
    pdfa: bool,
    timeout: float | None,
    running: _Running,
) -> list[Failure]:
    """Convert a batch in one soffice call with a fresh profile; return what failed."""
    try:
        stage = Path(tempfile.mkdtemp(prefix="lot-", dir=workdir))
    except OSError as exc:
        return _not_staged(batch, exc)
    # The profile is thousands of small files: on the local disk, never on the output
    # folder, which is often a network share. Named to the reaper before it exists, so
    # that a build killed at any moment leaves none behind.
    profile = Path(tempfile.gettempdir(), f"ctgdocs-profil-{uuid.uuid4().hex[:12]}")
    running.reaper.watch_folder(profile)
    try:
        staged = []
        try:
            profile.mkdir(mode=0o700)
            for index, conversion in enumerate(batch):
                # Unique names in one folder: one --outdir serves every document.
                copy = stage / f"{index:04d}.docx"
                shutil.copyfile(conversion.source, copy)
                staged.append(copy)
        except OSError as exc:
            # A disk full: said of every document of the batch, which the retry may convert.
            return _not_staged(batch, exc)
        args = [
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            PDFA_FILTER if pdfa else PDF_FILTER,
            "--outdir",
            str(stage),
            *map(str, staged),
        ]
        error = _run_soffice(soffice, args, _timeout(len(batch), timeout), running)
        failures = []
        for conversion, copy in zip(batch, staged, strict=True):
            produced = copy.with_suffix(".pdf")
            if valid_pdf(produced):
                try:
                    make_reproducible(produced, conversion.source)
                except OSError as exc:
                    failures.append(Failure(conversion, f"PDF non écrit ({os_reason(exc)})"))
                    continue
                try:
                    move_file(produced, conversion.target)
                except OSError as exc:
                    failures.append(Failure(conversion, replace_message(exc)))
            else:
                reason = error or (
                    "PDF vide ou illisible" if produced.exists() else "aucun PDF produit"
                )
                failures.append(Failure(conversion, reason + _disk_full(stage)))
        return failures
    finally:
        remove_tree(stage)
        remove_tree(profile)


def _not_staged(batch: Sequence[Conversion], exc: OSError) -> list[Failure]:
    """Every document of a batch whose work files could not be made (a disk full)."""
    # Files being created, none held open: Windows' « access denied » is a folder's right.
    reason = f"conversion impossible ({os_reason(exc, held_open=False)})"
    return [Failure(conversion, reason) for conversion in batch]


# Below this much free space, a PDF LibreOffice left empty or cut is put down to a full disk
# (LibreOffice itself says nothing of it).
_NEARLY_FULL = 1024 * 1024


def _disk_full(folder: Path) -> str:
    """« (disque plein ?) » when the disk of `folder` is all but full, else nothing."""
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return ""
    return " (disque plein ?)" if free < _NEARLY_FULL else ""


def convert_all(
    conversions: Sequence[Conversion],
    workdir: Path,
    *,
    pdfa: bool = False,
    jobs: int = 1,
    on_batch: Callable[[int], None] | None = None,
) -> list[Failure]:
    """Convert everything in batches, `jobs` soffice at once; retry failures once."""
    if not conversions:
        return []
    soffice = find_soffice()
    timeout = configured_timeout()
    workdir.mkdir(parents=True, exist_ok=True)
    with Reaper() as reaper:
        running = _Running(reaper)

        def convert_and_report(batch: list[Conversion]) -> list[Failure]:
            failures = convert_batch(
                soffice, batch, workdir, pdfa=pdfa, timeout=timeout, running=running
            )
            if on_batch is not None:
                on_batch(len(batch) - len(failures))
            return failures

        def run(batches: list[list[Conversion]]) -> list[list[Failure]]:
            with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
                futures = [pool.submit(convert_and_report, batch) for batch in batches]
                try:
                    pending = set(futures)
                    while pending:
                        done, pending = first_completed(pending)
                        for future in done:
                            future.result()  # a batch's error stops the others at once
                    return [future.result() for future in futures]
                except BaseException:
                    # Interrupted: the pool waits for its threads, which wait for soffice.
                    for future in futures:
                        future.cancel()
                    running.stop_all()
                    raise

        failed = run(_batches(list(conversions), jobs))
        # soffice converts in order: the first document a batch did not convert is the one
        # that crashed or hung it. Retried alone, it cannot take the others down again.
        suspects = [[failures[0].conversion] for failures in failed if failures]
        others = [f.conversion for failures in failed for f in failures[1:]]
        retried = run(suspects + (_batches(others, jobs) if others else []))
    return [failure for failures in retried for failure in failures]


def _batches(items: list[Conversion], jobs: int) -> list[list[Conversion]]:
    """Split into at most BATCH_SIZE items per batch, and at least one batch per job."""
    count = max(min(jobs, len(items)), -(-len(items) // BATCH_SIZE))
    return [items[i::count] for i in range(count)]
