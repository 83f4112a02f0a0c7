"""What a Windows desktop does differently, simulated: code pages, LibreOffice's folder, locked files,
drives, case-insensitive names, Ctrl-Break, the 61 workers Windows can wait on."""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path, PurePosixPath, PureWindowsPath
from stat import FILE_ATTRIBUTE_READONLY
from types import SimpleNamespace

import filelock
import psutil
import pytest

from ctgdocs import files, pdf, planning, reaper, workers
from ctgdocs.checking import collect_paths
from ctgdocs.errors import ConversionError
from ctgdocs.files import MAX_PATH, os_reason, write_atomically
from ctgdocs.locking import build_lock
from ctgdocs.pipeline import load_reference_data
from ctgdocs.planning import relative_label

from .conftest import FIXTURES, MINIMALE, REFERENCE, run
from .processes import wait_for
from .test_pdf import WINDOWS, fake_soffice

REF = "CTG-61-2018-01"
PDF = ("--pdf", "--only", "avenants")
CLOSE = "fichier ouvert dans un autre programme (Word, Acrobat…) : fermez-le puis relancez la construction"
# A soffice stand-in that "converts" every .docx it is given into a minimal valid PDF.
CONVERTS = (
    'for arg in "$@"; do case "$arg" in *.docx) '
    'printf "%%PDF-1.4\\n%%%%EOF\\n" > "${arg%.docx}.pdf";; esac; done'
)


def ctgdocs(
    *args: str, env: dict[str, str] | None = None, **kwargs: object
) -> subprocess.CompletedProcess[bytes]:
    """Run ctgdocs in its own process, as a user's shell would."""
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **kwargs}
    return subprocess.run(
        [sys.executable, "-m", "ctgdocs", *args],
        check=False,
        env={**os.environ, **(env or {})},
        **streams,  # type: ignore[call-overload]
    )


# Console and files ----------------------------------------------------------------------


def test_redirected_report_is_utf8_whatever_the_code_page(tmp_path: Path) -> None:
    # `validate > rapport.txt` in cmd.exe: Python encodes a redirected stdout in the ANSI
    # code page, which has no narrow no-break space (amounts) and, in cp850, no « € ».
    report = tmp_path / "rapport.txt"
    for code_page in ("cp1252", "cp850"):
        with report.open("wb") as handle:
            result = ctgdocs(
                "validate",
                str(FIXTURES / "invalides" / "montants-francais.yaml"),
                env={"PYTHONIOENCODING": code_page},
                stdout=handle,
                stderr=subprocess.PIPE,
            )
        assert result.returncode == 1, result.stderr
        text = report.read_bytes().decode("utf-8")
        assert "« 1 200,00 € » n'est pas un montant" in text
        assert "Erreur interne" not in result.stderr.decode("utf-8")


def test_init_to_redirected_stdout_is_utf8() -> None:
    result = ctgdocs("init", "--epci", "200068468", "-o", "-", env={"PYTHONIOENCODING": "cp1252"})
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode("utf-8")
    assert "nom: Caisse d'allocations familiales de l'Orne" in text
    assert "À COMPLÉTER" in text


def test_utf16_file_asks_for_utf8(tmp_path: Path) -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    for encoding in ("utf-16", "utf-16-le", "utf-16-be"):
        path = tmp_path / f"{encoding}.yaml"
        path.write_bytes(text.encode(encoding))
        result = run("validate", path)
        assert result.exit_code == 1
        assert result.stdout.splitlines()[0] == (
            f"{path}:1:1: erreur: le fichier est encodé en UTF-16 (« Unicode » du Bloc-notes) ; "
            "enregistrez-le en UTF-8 (Bloc-notes : Fichier > Enregistrer sous, Encodage : UTF-8)"
        )
    binary = tmp_path / "image.yaml"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert "fichier binaire" in run("validate", binary).stdout


# LibreOffice ---------------------------------------------------------------------------


def windows(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, Path]:
    """A Windows machine: no soffice on the PATH, Program Files folders of its own."""
    monkeypatch.setattr(sys, "platform", "win32")
    empty = tmp_path / "path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("CTGDOCS_SOFFICE", raising=False)
    folders = {}
    for variable in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)"):
        folders[variable] = tmp_path / variable
        monkeypatch.setenv(variable, str(folders[variable]))
    return folders


def install_libreoffice(folder: Path) -> Path:
    soffice = folder / "LibreOffice" / "program" / "soffice.exe"
    soffice.parent.mkdir(parents=True)
    soffice.write_bytes(b"MZ")
    return soffice


@pytest.mark.parametrize("variable", ["ProgramFiles", "ProgramFiles(x86)"])
def test_soffice_found_in_program_files(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, variable: str
) -> None:
    folders = windows(monkeypatch, tmp_path)
    soffice = install_libreoffice(folders[variable])
    assert pdf.find_soffice() == str(soffice)


def test_no_libreoffice_on_windows_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    windows(monkeypatch, tmp_path)
    with pytest.raises(ConversionError, match=r"Windows : libreoffice\.org"):
        pdf.find_soffice()


@pytest.mark.parametrize("quote", ['"', "'", ' "'])
def test_quoted_ctgdocs_soffice(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, quote: str
) -> None:
    # Explorer's « Copier en tant que chemin d'accès » puts the path between quotes.
    script = fake_soffice(tmp_path / "Program Files" / "LibreOffice", "exit 0")
    monkeypatch.setenv("CTGDOCS_SOFFICE", f"{quote}{script}{quote.strip()}")
    assert pdf.find_soffice() == str(script)


@pytest.mark.parametrize("value", ["abc", "nan", "inf", "-5", "0"])
def test_bad_timeout_is_a_french_message(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str
) -> None:
    monkeypatch.setenv("CTGDOCS_SOFFICE", str(fake_soffice(tmp_path / "bin", CONVERTS)))
    monkeypatch.setenv("CTGDOCS_SOFFICE_TIMEOUT", value)
    result = run("build", REFERENCE, "-o", tmp_path / "out", "--pdf", "--only", "avenants")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Erreur : CTGDOCS_SOFFICE_TIMEOUT={value} : un nombre de secondes positif est attendu "
        "(par exemple 120). Les documents .docx ont été écrits.\n"
    )
    monkeypatch.setenv("CTGDOCS_SOFFICE_TIMEOUT", "2,5")
    assert pdf.configured_timeout() == 2.5


def test_profile_in_system_temp_not_in_output_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    args = tmp_path / "args.txt"
    script = fake_soffice(tmp_path / "bin", f'printf "%s\\n" "$@" > "{args}"\n{CONVERTS}')
    monkeypatch.setenv("CTGDOCS_SOFFICE", str(script))
    temp = tmp_path / "temp-local"
    temp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(temp))
    out = tmp_path / "partage-reseau"
    result = run("build", REFERENCE, "-o", out, "--pdf", "--only", "avenants")
    assert result.exit_code == 0, result.stderr
    arguments = args.read_text(encoding="utf-8").splitlines()
    profile = next(a for a in arguments if a.startswith("-env:"))
    assert profile.startswith(f"-env:UserInstallation={temp.as_uri()}/ctgdocs-profil-")
    assert list(temp.iterdir()) == []  # removed after the batch
    assert (out / REF / "avenants" / "avenant-1.pdf").read_bytes().startswith(b"%PDF-")


# What simulating Windows here needs of POSIX: sh scripts, `sleep`, os.fork.
posix_only = pytest.mark.skipif(WINDOWS, reason="soffice de substitution en sh : POSIX")


def running_from(folder: Path) -> list[psutil.Process]:
    """Live processes whose program lies in `folder` (other users' LibreOffice aside)."""
    found = []
    for process in psutil.process_iter(["cmdline", "status"]):
        command = process.info["cmdline"] or [""]
        if command[0].startswith(str(folder)) and process.info["status"] != psutil.STATUS_ZOMBIE:
            found.append(process)
    return found


@posix_only
def test_hung_soffice_tree_is_stopped_without_killpg(tmp_path: Path) -> None:
    # Windows has no os.killpg: the launcher and the soffice.bin it started are each killed.
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    shutil.copy(shutil.which("sleep") or "/bin/sleep", bin_ / "soffice.bin")
    script = fake_soffice(bin_, f'"{bin_ / "soffice.bin"}" 300 &\nwait')
    code = (
        "import os, sys; del os.killpg; from ctgdocs.cli import main; "
        "sys.argv[0] = 'ctgdocs'; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "build", str(REFERENCE), "-o", str(tmp_path / "out"), *PDF],
        check=False,
        capture_output=True,
        encoding="utf-8",  # ctgdocs writes UTF-8 whatever the code page
        timeout=120,
        env={**os.environ, "CTGDOCS_SOFFICE": str(script), "CTGDOCS_SOFFICE_TIMEOUT": "1"},
    )
    assert result.returncode == 1, result.stderr
    assert "avenant-1.pdf : LibreOffice ne répondait plus : arrêté après 1 s" in result.stderr
    assert running_from(bin_) == []


@posix_only
def test_watcher_of_a_killed_build_stops_soffice_without_killpg(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What the watcher does once the build is dead, where there is no os.killpg: it stops the
    # soffice registered by its id, the one not registered yet (found by its profile on its
    # command line), the soffice.bin each started, and removes their profiles.
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    shutil.copy(shutil.which("sleep") or "/bin/sleep", bin_ / "soffice.bin")
    script = fake_soffice(bin_, f'"{bin_ / "soffice.bin"}" 300 &\nwait')
    profiles = [tmp_path / "ctgdocs-profil-enregistre", tmp_path / "ctgdocs-profil-demarre"]
    launchers = []
    for profile in profiles:
        profile.mkdir()
        argument = f"-env:UserInstallation={profile.as_uri()}"
        launchers.append(subprocess.Popen([str(script), argument], start_new_session=True))
    try:
        wait_for(lambda: len(running_from(bin_)) == 2, "les deux soffice.bin ont démarré")
        registered = psutil.Process(launchers[0].pid)
        with monkeypatch.context() as windows:
            windows.delattr(os, "killpg")
            reaper._clean_up([(registered.pid, registered.create_time())], list(map(str, profiles)))
        for launcher in launchers:
            launcher.wait(timeout=30)  # ended, whether killed or left without its child
        assert running_from(bin_) == []
    finally:
        for process in running_from(bin_):
            process.kill()
        for launcher in launchers:
            launcher.kill()
            launcher.wait()
    assert not any(profile.exists() for profile in profiles)


# Files held open by Word or Acrobat ----------------------------------------------------


def hold_open(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    """Windows with these files open in Word: replacing or deleting them is refused."""
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr("ctgdocs.files._RETRY_DELAYS", (0.0,))
    real_replace, real_unlink = Path.replace, Path.unlink

    def replace(self: Path, target: str | os.PathLike[str]) -> Path:
        if Path(target).name in names:
            raise PermissionError(13, "Permission denied", str(target))
        return real_replace(self, target)

    def unlink(self: Path, missing_ok: bool = False) -> None:
        if self.name in names and self.exists():
            raise PermissionError(13, "Permission denied", str(self))
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "replace", replace)
    monkeypatch.setattr(Path, "unlink", unlink)


def built(tmp_path: Path, *options: str) -> tuple[Path, Path]:
    """A copy of the reference built once, then edited: (source, output folder)."""
    source = tmp_path / "aigle.yaml"
    shutil.copy(REFERENCE, source)
    out = tmp_path / "out"
    assert run("build", source, "-o", out, *options).exit_code == 0
    return source, out


def rename_director(source: Path) -> None:
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("Sophie", "Sophia"), encoding="utf-8")


def test_document_open_in_word_others_still_written(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    source, out = built(tmp_path)
    rename_director(source)
    with monkeypatch.context() as patch:
        hold_open(patch, "convention.docx")
        result = run("build", source, "-o", out)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Erreur : 1 document non produit :\n  {out / REF / 'convention.docx'} : {CLOSE}\n"
    )
    assert "écrit : " in result.stdout and "avenant-1.docx" in result.stdout
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["documents"]
    assert f"{REF}/convention.docx" in manifest
    assert not list(out.rglob("*.tmp")) and not (out / ".ctgdocs.lock").exists()
    # Word closed: the next build writes what was left.
    again = run("build", source, "-o", out, "-v")
    assert again.exit_code == 0, again.stderr
    assert [line for line in again.stdout.splitlines() if line.startswith("écrit : ")] == [
        f"écrit : {out / REF / 'convention.docx'}"
    ]


def test_replace_retried_while_windows_holds_the_file_a_moment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr("ctgdocs.files._RETRY_DELAYS", (0.0, 0.0, 0.0))
    real_replace = Path.replace
    refusals = [1, 2]

    def replace(self: Path, target: str | os.PathLike[str]) -> Path:
        if refusals:
            refusals.pop()
            raise PermissionError(13, "Permission denied", str(target))
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", replace)
    write_atomically(tmp_path / "a.docx", b"contenu")
    assert (tmp_path / "a.docx").read_bytes() == b"contenu"
    assert [p.name for p in tmp_path.iterdir()] == ["a.docx"]


def test_obsolete_document_open_is_kept_and_retried(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    source, out = built(tmp_path, "--only", "fiches")
    text = source.read_text(encoding="utf-8")
    start = text.index("  - code: FA-3.1")
    source.write_text(text[:start] + text[text.index("\ngouvernance:") + 1 :], encoding="utf-8")
    fiche = out / REF / "fiches-actions" / "FA-3.1.docx"
    with monkeypatch.context() as patch:
        hold_open(patch, "FA-3.1.docx")
        result = run("build", source, "-o", out, "--only", "fiches")
    assert result.exit_code == 1
    assert f"{fiche} : suppression impossible, {CLOSE}" in result.stderr
    assert fiche.exists()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["documents"]
    assert f"{REF}/fiches-actions/FA-3.1.docx" in manifest
    again = run("build", source, "-o", out, "--only", "fiches")
    assert again.exit_code == 0, again.stderr
    assert f"supprimé (obsolète) : {fiche}" in again.stdout
    assert not fiche.exists()


def test_stale_pdf_open_in_acrobat_keeps_the_old_pair(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CTGDOCS_SOFFICE", str(fake_soffice(tmp_path / "bin", CONVERTS)))
    source, out = built(tmp_path, "--pdf", "--only", "convention")
    docx = out / REF / "convention.docx"
    old = docx.read_bytes()
    rename_director(source)
    with monkeypatch.context() as patch:
        hold_open(patch, "convention.pdf")
        result = run("build", source, "-o", out, "--only", "convention")
    assert result.exit_code == 1
    assert f"{docx.with_suffix('.pdf')} : suppression impossible, {CLOSE}" in result.stderr
    # Never a new document beside the PDF of the old one.
    assert docx.read_bytes() == old
    again = run("build", source, "-o", out, "--only", "convention")
    assert again.exit_code == 0, again.stderr
    assert not docx.with_suffix(".pdf").exists() and docx.read_bytes() != old


def test_pdf_open_in_acrobat_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CTGDOCS_SOFFICE", str(fake_soffice(tmp_path / "bin", CONVERTS)))
    out = tmp_path / "out"
    with monkeypatch.context() as patch:
        hold_open(patch, "FA-2.1.pdf")
        result = run("build", REFERENCE, "-o", out, "--pdf", "--only", "fiches")
    assert result.exit_code == 1
    folder = out / REF / "fiches-actions"
    assert (
        result.stderr == f"Erreur : 1 document non produit :\n  {folder / 'FA-2.1.pdf'} : {CLOSE}\n"
    )
    assert sorted(p.name for p in folder.glob("*.pdf")) == ["FA-1.1.pdf", "FA-3.1.pdf"]


def test_a_path_too_long_for_windows_is_named_with_what_to_do(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Windows without its long paths option: a path of 260 characters or more "cannot be
    # found" (WinError 3). A deep output folder and the fiche a long-coded avenant rewrites.
    real_replace = Path.replace

    def replace(self: Path, target: str | os.PathLike[str]) -> Path:
        if len(str(target)) >= MAX_PATH:
            error = FileNotFoundError(2, "The system cannot find the path specified", str(target))
            error.winerror = 3  # type: ignore[attr-defined]  # what Windows' OSError carries
            raise error
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", replace)
    out = tmp_path
    while len(str(out)) < 170:
        out /= "dossier-de-sortie-de-la-caf"
    # 200 characters: convention.docx fits (237), a compte rendu (up to 270) does not.
    out /= "d" * (199 - len(str(out)))
    result = run("build", FIXTURES / "valides" / "complete.yaml", "-o", out)
    assert result.exit_code == 1, result.stderr
    long = [line for line in result.stderr.splitlines() if line.startswith("  ")]
    assert long and all(
        line.endswith(
            "caractères, 259 au plus ; choisissez un dossier de sortie moins profond (-o), ou "
            "activez les chemins longs de Windows)"
        )
        and len(line.split(" : ")[0].strip()) >= MAX_PATH
        for line in long
    ), result.stderr
    # The documents whose paths fit are written, the others named; nothing half-written.
    assert (out / "CTG-30-2022-COMPLETE" / "convention.docx").exists()
    assert not list(out.rglob("*.tmp"))


# The build lock --------------------------------------------------------------------------

HOLD = """
import os, sys, time
from pathlib import Path
from ctgdocs.locking import build_lock
with build_lock(Path(sys.argv[1])):
    if sys.argv[2] == "fork" and os.fork() == 0:
        time.sleep(60)  # a worker that outlives its parent
        os._exit(0)
    print("tenu", flush=True)
    time.sleep(float(sys.argv[3]))
"""


def holder(folder: Path, mode: str = "", seconds: float = 60) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(folder), mode or "-", str(seconds)],
        stdout=subprocess.PIPE,
        encoding="utf-8",
    )
    assert process.stdout is not None and process.stdout.readline() == "tenu\n"
    return process


def test_builds_without_fcntl(tmp_path: Path) -> None:
    # Windows has no fcntl: ctgdocs never imports it (filelock locks with msvcrt there).
    code = (
        "import sys; sys.modules['fcntl'] = None; from ctgdocs.cli import main; "
        "sys.argv[0] = 'ctgdocs'; main()"
    )
    out = ("-o", str(tmp_path), "--only", "avenants,fiches")
    result = subprocess.run(
        [sys.executable, "-W", "ignore::UserWarning", "-c", code, "build", str(REFERENCE), *out],
        check=False,
        capture_output=True,
        encoding="utf-8",
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / REF / "avenants" / "avenant-1.docx").exists()
    assert not (tmp_path / ".ctgdocs.lock").exists()


def test_lock_file_removed_after_the_build(tmp_path: Path) -> None:
    assert run("build", REFERENCE, "-o", tmp_path, "--only", "avenants").exit_code == 0
    assert not (tmp_path / ".ctgdocs.lock").exists()


def test_second_build_waits_and_says_so(tmp_path: Path) -> None:
    first = holder(tmp_path, seconds=2)
    try:
        result = run("build", REFERENCE, "-o", tmp_path, "--only", "avenants")
    finally:
        first.wait(timeout=30)
        assert first.stdout is not None
        first.stdout.close()
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        f"attente : une autre construction écrit dans {tmp_path}…"
    )
    assert (tmp_path / REF / "avenants" / "avenant-1.docx").exists()
    assert not (tmp_path / ".ctgdocs.lock").exists()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork : POSIX")
def test_lock_released_when_the_build_is_killed(tmp_path: Path) -> None:
    # SIGKILL gives no chance to clean up; a forked worker still runs after its parent.
    process = holder(tmp_path, "fork")
    worker = psutil.Process(process.pid).children()[0]
    process.kill()
    process.wait(timeout=10)
    assert process.stdout is not None
    process.stdout.close()
    try:
        assert worker.is_running()
        result = ctgdocs(
            "build", str(REFERENCE), "-o", str(tmp_path), "--only", "avenants", timeout=60
        )
        assert result.returncode == 0, result.stderr
        assert b"attente" not in result.stdout
    finally:
        worker.kill()


RACE = """
import os, sys, time
from pathlib import Path
from ctgdocs.locking import build_lock
folder, log = Path(sys.argv[1]), Path(sys.argv[2])
for _ in range(15):
    with build_lock(folder):
        with log.open("a", encoding="utf-8") as handle:
            handle.write(f"+{os.getpid()}\\n")
        time.sleep(0.01)
        with log.open("a", encoding="utf-8") as handle:
            handle.write(f"-{os.getpid()}\\n")
"""


def test_lock_file_removal_never_lets_two_holders_in(tmp_path: Path) -> None:
    # Deleting the lock file could let a late-comer lock a new file while a waiter holds
    # the old one: four processes in a loop show that one holder at a time remains true.
    log = tmp_path / "log.txt"
    out = tmp_path / "out"
    processes = [
        subprocess.Popen([sys.executable, "-c", RACE, str(out), str(log)]) for _ in range(4)
    ]
    assert [p.wait(timeout=120) for p in processes] == [0, 0, 0, 0]
    lines = log.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 * 15 * 2
    for enter, leave in zip(lines[::2], lines[1::2], strict=True):
        assert enter[0] == "+" and leave == f"-{enter[1:]}"
    assert not (out / ".ctgdocs.lock").exists()


def test_a_folder_removed_while_the_lock_is_awaited_is_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A waiter polls for the lock, making sure the folder exists each time; the build before,
    # which had created the folder, removes it between « it exists » and « it is a folder »:
    # mkdir says FileExistsError for a folder that is no longer there (CI, filelock 4.3).
    out = tmp_path / "out"
    acquire = filelock.FileLock.acquire
    raised: list[bool] = []

    def removed_meanwhile(self: filelock.BaseFileLock, *args: object, **kwargs: object) -> object:
        if not raised:
            raised.append(True)
            out.rmdir()
            raise FileExistsError(errno.EEXIST, "File exists", str(out))
        return acquire(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(filelock.FileLock, "acquire", removed_meanwhile)
    with build_lock(out):
        assert raised and (out / ".ctgdocs.lock").exists()
    assert not out.exists()  # created by this build, left empty: removed


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "disque plein"),
        (OSError(errno.ENOMSG, "No message of desired type"),
         f"erreur système n° {errno.ENOMSG} (No message of desired type)"),
        (OSError(None, "Unknown error"), "erreur du système (Unknown error)"),
        (OSError("opaque"), "erreur du système (opaque)"),
    ],
)  # fmt: skip
def test_a_system_error_reads_french_first(error: OSError, reason: str) -> None:
    # « erreur système 42 : No message… » read English; the system's words now follow the code.
    assert os_reason(error) == reason


def test_a_windows_error_is_named_by_its_windows_code() -> None:
    # What Python raises for ERROR_NETNAME_DELETED on a share that went away: errno EINVAL.
    error = OSError(errno.EINVAL, "Le nom réseau spécifié n'est plus disponible")
    error.winerror = 64  # type: ignore[misc]  # set by Python on Windows only
    assert os_reason(error).startswith("erreur Windows n° 64 (")


def test_a_read_only_document_is_not_a_document_held_open(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Windows denies replacing a file with the read-only attribute as it denies one open
    # in Word: the message said to close a program, and the build waited for it.
    source, out = built(tmp_path)
    rename_director(source)
    target = out / REF / "convention.docx"
    real_stat = os.stat

    def stat(path: str | os.PathLike[str], *args: object, **kwargs: object) -> object:
        status = real_stat(path, *args, **kwargs)  # type: ignore[arg-type]
        if Path(path) == target:
            return SimpleNamespace(
                st_file_attributes=FILE_ATTRIBUTE_READONLY,
                st_mode=status.st_mode,
                st_size=status.st_size,
                st_mtime_ns=status.st_mtime_ns,
            )
        return status

    with monkeypatch.context() as patch:
        hold_open(patch, "convention.docx")
        patch.setattr(files.os, "stat", stat)
        result = run("build", source, "-o", out)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Erreur : 1 document non produit :\n  {target} : fichier en lecture seule : décochez "
        "« Lecture seule » dans ses propriétés puis relancez la construction\n"
    )


def test_a_share_one_may_not_write_is_not_a_file_held_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Windows says « access denied » (WinError 5) for a lock file in a read-only share: the
    # message said « fichier ouvert dans un autre programme », as for a document open in Word.
    source = tmp_path / "ctg.yaml"
    shutil.copy(REFERENCE, source)
    out = tmp_path / "sortie"
    out.mkdir()
    denied = PermissionError(errno.EACCES, "Accès refusé")
    denied.winerror = 5  # type: ignore[attr-defined]  # set by Python on Windows only

    def refused(*args: object, **kwargs: object) -> None:
        raise denied

    monkeypatch.setattr(files, "sys", SimpleNamespace(platform="win32"))  # files' view only
    monkeypatch.setattr("filelock.FileLock.acquire", refused)
    result = run("build", source, "-o", out)
    assert result.exit_code == 1
    assert result.stderr == f"Erreur : {out} : dossier de sortie inutilisable (accès refusé)\n"
    assert list(out.iterdir()) == []


# The manifest, the folder scan, the workers, soffice's messages --------------------------


def test_manifest_names_sources_and_templates_with_forward_slashes() -> None:
    # os.path.relpath gave « ..\conventions\aigle.yaml » on Windows: a build folder copied to
    # a Linux server (or back) found no source it knew, and rebuilt everything.
    start = PureWindowsPath(r"C:\Users\Jérôme\CTG\sortie")
    source = PureWindowsPath(r"C:\Users\Jérôme\CTG\conventions\Aigle.yaml")
    assert relative_label(source, start) == "../conventions/Aigle.yaml"
    assert relative_label(PurePosixPath("/srv/ctg/a.yaml"), PurePosixPath("/srv/out")) == (
        "../ctg/a.yaml"
    )
    # Another drive, a network share: no relative path there, but still forward slashes.
    assert relative_label(PureWindowsPath(r"D:\ctg\a.yaml"), start) == "D:/ctg/a.yaml"
    share = PureWindowsPath(r"\\serveur\caf\ctg\a.yaml")
    assert relative_label(share, start) == "//serveur/caf/ctg/a.yaml"


def test_a_convention_on_another_drive_than_the_output_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Conventions on a share (Z:), documents on C: — relpath raised ValueError, which the
    # build reported as « Erreur interne de ctgdocs ».
    def other_drive(path: object, start: object) -> str:
        raise ValueError("path is on mount 'Z:', start on mount 'C:'")

    monkeypatch.setattr(planning, "posixpath", SimpleNamespace(relpath=other_drive))
    source, out = built(tmp_path, "--only", "avenants")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert list(manifest["sources"]) == [source.resolve().as_posix()]
    assert {entry["source"] for entry in manifest["documents"].values()} == {
        source.resolve().as_posix()
    }
    again = run("build", source, "-o", out, "--only", "avenants")
    assert again.exit_code == 0, again.stderr
    assert again.stdout.startswith("Rien à faire")


def test_a_folder_scan_finds_upper_case_extensions(tmp_path: Path) -> None:
    # Windows names are not case-sensitive: « Aigle.YAML » is a YAML file like any other.
    folder = tmp_path / "conventions"
    folder.mkdir()
    shutil.copy(REFERENCE, folder / "Aigle.YAML")
    shutil.copy(MINIMALE, folder / "minimale.Yml")
    assert collect_paths([folder]) == [folder / "Aigle.YAML", folder / "minimale.Yml"]


def test_at_most_61_workers_on_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    # ProcessPoolExecutor raises ValueError beyond 61 workers on Windows: `-j 64`, or a
    # server of 64 cores by default, ended in « Erreur interne ».
    assert workers.worker_count(100, 10_000, 1.0) == 100
    monkeypatch.setattr(sys, "platform", "win32")
    assert workers.worker_count(100, 10_000, 1.0) == 61
    assert workers.worker_count(100, 4, 0.5) == 4  # few tasks: few workers, as before
    # What the executor itself checks, on this "Windows".
    with pytest.raises(ValueError, match="61"):
        ProcessPoolExecutor(max_workers=62)


def test_workers_and_watcher_leave_ctrl_break_to_the_build(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Ctrl-Break reaches every process of the console; its default action ends a process at
    # once. A worker killed by it broke the pool (« Erreur interne ») instead of « Interrompu. ».
    stand_in = signal.SIGUSR1  # this system has no SIGBREAK
    monkeypatch.setattr(signal, "SIGBREAK", stand_in, raising=False)
    before = {number: signal.getsignal(number) for number in (signal.SIGINT, stand_in)}
    try:
        workers.ignore_console_interrupts()
        assert signal.getsignal(stand_in) == signal.SIG_IGN
        assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)


def _dispositions(_: int) -> tuple[object, object]:
    return signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)


def test_spawned_workers_ignore_ctrl_c() -> None:
    # Spawned as on Windows: what a worker ignores comes from its initializer, not its parent.
    results = list(
        workers.run_all(
            _dispositions, int, 4, workers=2, warm_up=load_reference_data, seconds_per_task=1.0
        )
    )
    assert results == [(signal.SIG_IGN, signal.SIG_DFL)] * 4


def _ctrl_c_held(_: int) -> bool:
    return signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, set())


def _held_signals(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    return int(status.split("SigBlk:")[1].split()[0], 16)


POSIX_MASKS = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="masques de signaux lus dans /proc : Linux"
)


@POSIX_MASKS
def test_spawned_workers_start_with_ctrl_c_held() -> None:
    # A worker imports ctgdocs before its initializer ignores Ctrl-C: a Ctrl-C in that
    # half second printed a KeyboardInterrupt traceback from the worker on the terminal.
    results = list(
        workers.run_all(
            _ctrl_c_held, int, 4, workers=2, warm_up=load_reference_data, seconds_per_task=1.0
        )
    )
    assert results == [True] * 4
    assert not _ctrl_c_held(0)  # the build itself receives Ctrl-C again


@POSIX_MASKS
def test_watcher_starts_with_ctrl_c_held() -> None:
    with reaper.Reaper() as watcher:
        assert _held_signals(watcher._process.pid) & (1 << (signal.SIGINT - 1))
    assert not _ctrl_c_held(0)


def test_soffice_message_in_the_ansi_code_page_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # LibreOffice on Windows writes its messages, paths included, in the ANSI code page.
    monkeypatch.setattr("locale.getencoding", lambda: "cp1252")
    assert pdf.decoded(b"Error: C:\\Users\\J\xe9r\xf4me\\0000.docx") == (
        "Error: C:\\Users\\Jérôme\\0000.docx"
    )
    assert pdf.decoded("Jérôme".encode()) == "Jérôme"  # UTF-8 stays UTF-8


def test_soffice_failure_in_cp1252_is_reported_readably(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("locale.getencoding", lambda: "cp1252")
    script = fake_soffice(tmp_path / "bin", "printf 'Error: J\\351r\\364me\\n' >&2\nexit 1")
    monkeypatch.setenv("CTGDOCS_SOFFICE", str(script))
    result = run("build", REFERENCE, "-o", tmp_path / "out", *PDF)
    assert result.exit_code == 1
    assert "avenant-1.pdf : LibreOffice a échoué (code 1) : Error: Jérôme" in result.stderr


def test_a_work_folder_an_antivirus_holds_is_removed_once_it_lets_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file just written is read by an antivirus for a moment: the first removals fail on
    # Windows, and a LibreOffice profile of thousands of files stayed in %TEMP%.
    folder = tmp_path / "profil"
    (folder / "user").mkdir(parents=True)
    (folder / "user" / "registrymodifications.xcu").write_text("x", encoding="utf-8")
    real_rmtree = shutil.rmtree
    attempts: list[Path] = []

    def held(path: Path, ignore_errors: bool = False) -> None:
        attempts.append(path)
        if len(attempts) > 2:
            real_rmtree(path, ignore_errors=ignore_errors)

    monkeypatch.setattr(files.shutil, "rmtree", held)
    monkeypatch.setattr(files, "_RETRY_DELAYS", (0.0, 0.0, 0.0))
    monkeypatch.setattr(files, "sys", SimpleNamespace(platform="win32"))
    files.remove_tree(folder)
    assert not folder.exists() and len(attempts) == 3
    # Elsewhere nothing holds a file: one removal, and what it leaves stays.
    monkeypatch.setattr(files, "sys", SimpleNamespace(platform="linux"))
    attempts.clear()
    folder.mkdir()
    files.remove_tree(folder)
    assert attempts == [folder]


def case_insensitive_names(monkeypatch: pytest.MonkeyPatch) -> None:
    """NTFS: a file moved into place answers to every spelling of its name that differs by
    case only, as the one file it is (simulated by hard links)."""
    real_move = files.move_file

    def move_file(source: Path, target: Path) -> None:
        real_move(source, target)
        for other in target.parent.iterdir():
            if other.name != target.name and other.name.casefold() == target.name.casefold():
                other.unlink()
                os.link(target, other)

    monkeypatch.setattr(files, "move_file", move_file)
    monkeypatch.setattr(pdf, "move_file", move_file)


@posix_only
def test_a_code_renamed_by_case_only_keeps_its_new_document_and_pdf(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # FA-1.1 written fa-1.1: on Windows the new fa-1.1.docx is the file the obsolete
    # FA-1.1.docx names. It was said « modifié hors de ctgdocs, supprimez-le » (deleting it
    # deletes the new document), and the new PDF, just converted, was deleted as obsolete.
    monkeypatch.setenv("CTGDOCS_SOFFICE", str(fake_soffice(tmp_path / "bin", CONVERTS)))
    source, out = built(tmp_path, "--pdf", "--only", "fiches")
    source.write_text(
        source.read_text(encoding="utf-8").replace("FA-1.1", "fa-1.1"), encoding="utf-8"
    )
    with monkeypatch.context() as patch:
        case_insensitive_names(patch)
        result = run("build", source, "-o", out, "--pdf", "--only", "fiches")
    assert result.exit_code == 0, result.stderr
    assert "modifié hors de ctgdocs" not in result.stdout + result.stderr
    folder = out / REF / "fiches-actions"
    assert (folder / "fa-1.1.docx").exists() and (folder / "fa-1.1.pdf").exists()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["documents"]
    assert f"{REF}/fiches-actions/fa-1.1.docx" in manifest
    assert f"{REF}/fiches-actions/FA-1.1.docx" not in manifest
    assert run("build", source, "-o", out, "--pdf", "--only", "fiches").stdout.startswith(
        "Rien à faire"
    )


def test_a_code_renamed_by_case_only_removes_the_old_files_where_names_differ(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Where names keep their case (Linux), FA-1.1.docx is another file: removed as obsolete.
    source, out = built(tmp_path, "--only", "fiches")
    source.write_text(
        source.read_text(encoding="utf-8").replace("FA-1.1", "fa-1.1"), encoding="utf-8"
    )
    result = run("build", source, "-o", out, "--only", "fiches")
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in (out / REF / "fiches-actions").iterdir())
    if sys.platform.startswith("linux"):
        assert names == ["FA-2.1.docx", "FA-3.1.docx", "fa-1.1.docx"]


def test_a_work_folder_one_may_not_create_is_not_a_file_held_open(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Windows says « access denied » for a folder one may not create files in: the PDFs'
    # failure said « fichier ouvert dans un autre programme », with no program to close.
    monkeypatch.setenv("CTGDOCS_SOFFICE", str(fake_soffice(tmp_path / "bin", CONVERTS)))
    denied = PermissionError(errno.EACCES, "Access is denied")
    denied.winerror = 5  # type: ignore[attr-defined]  # set by Python on Windows only

    def refused(*args: object, **kwargs: object) -> str:
        raise denied

    monkeypatch.setattr(files, "sys", SimpleNamespace(platform="win32"))  # files' view only
    monkeypatch.setattr(pdf.tempfile, "mkdtemp", refused)
    result = run("build", REFERENCE, "-o", tmp_path / "out", *PDF)
    assert result.exit_code == 1
    assert "avenant-1.pdf : conversion impossible (accès refusé)" in result.stderr, result.stderr


def test_a_document_set_aside_keeps_a_path_windows_accepts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # « (modifié hors de ctgdocs) » adds 26 characters: a document a few characters short of
    # Windows' limit could be written but not set aside, and the build failed on it for good.
    document = tmp_path / "FA-1.1-avenant-2.docx"
    document.write_bytes(b"retouche")
    (tmp_path / "FA-1.1-avena (1).docx").write_bytes(b"")  # taken: the next number serves
    monkeypatch.setattr(files, "MAX_PATH", len(str(document)) + 5)
    kept = files.set_aside(document, "modifié hors de ctgdocs")
    assert kept.name == "FA-1.1-avena (2).docx"
    assert len(str(kept)) <= len(str(document))
    assert kept.read_bytes() == b"retouche"
    short = tmp_path / "FA-2.docx"
    short.write_bytes(b"x")
    monkeypatch.setattr(files, "MAX_PATH", MAX_PATH)
    assert files.set_aside(short, "modifié hors de ctgdocs").name == (
        "FA-2 (modifié hors de ctgdocs).docx"
    )


def test_a_relative_path_is_measured_as_windows_counts_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # -o sortie from a deep folder: Windows counts the absolute path, longer than typed; the
    # path refused « cannot be found » was not recognised as too long.
    deep = tmp_path
    while len(str(deep)) < 200:
        deep /= "dossier-de-la-caf"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    relative = str(Path("sortie", "CTG-30-2022-BTA", "comptes-rendus", "x" * 40 + ".docx"))
    assert len(relative) < MAX_PATH <= len(str(Path(relative).absolute()))
    error = FileNotFoundError(2, "The system cannot find the path specified", relative)
    error.winerror = 3  # type: ignore[attr-defined]
    assert os_reason(error).startswith(
        f"chemin trop long pour Windows : {len(str(Path(relative).absolute()))} caractères"
    )
