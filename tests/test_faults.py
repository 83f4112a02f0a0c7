"""Faults of the machine: read-only folder, disk full, template gone, LibreOffice that crashes or hangs.

Each fault is real where this machine can make it (a read-only mount, a tiny tmpfs that fills
up, a soffice that really crashes or hangs); the others are a write that raises the error the
system would. Each gives one French message and a non-zero exit code, writes nothing half, and
leaves the previous outputs as they were; once the fault is gone, the next build repairs.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import pytest
from click.testing import Result

from ctgdocs import pdf, producing
from ctgdocs.documents import Document
from ctgdocs.manifest import Manifest, sha256_bytes
from ctgdocs.render import Engine
from ctgdocs.resources import bundled_templates

from .conftest import run
from .docx_tools import built_documents, copy_templates
from .processes import CONVERTS, Child, check_outputs, consistent, leftovers
from .test_kills import version
from .test_pdf import fake_soffice

REF = "CTG-61-2018-01"
linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"),
    reason="soffice de substitution en sh, signaux POSIX et environnement des processus : Linux",
)


def snapshot(out: Path) -> dict[str, bytes]:
    """Every file of a build folder but its lock, with its bytes."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != ".ctgdocs.lock"
    }


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """Version 0 built in `out`; the source now says version 1; the documents of a clean 1."""
    source, out = tmp_path / "ctg.yaml", tmp_path / "out"
    version(source, 1)
    assert run("build", source, "-o", tmp_path / "propre").exit_code == 0
    clean = built_documents(tmp_path / "propre")
    version(source, 0)
    out.mkdir()
    return source, out, clean


def first_build(source: Path, out: Path) -> dict[str, bytes]:
    assert run("build", source, "-o", out).exit_code == 0
    version(source, 1)
    return snapshot(out)


# Mounts: a read-only folder and a full disk, for real -------------------------------------


@pytest.fixture
def mounts() -> Iterator[Callable[..., None]]:
    """Mount as root does (`mount ARGS… PATH`), everything unmounted at the end."""
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        pytest.skip("monter un dossier en lecture seule ou un petit tmpfs : root sous Linux")
    mounted: list[Path] = []

    def mount(path: Path, *args: str) -> None:
        command = ["mount", *args, str(path)]
        result = subprocess.run(command, check=False, capture_output=True, text=True)
        if result.returncode != 0:
            pytest.skip(f"mount refusé ici : {result.stderr.strip()}")
        mounted.append(path)

    yield mount
    for path in reversed(mounted):
        subprocess.run(["umount", "-l", str(path)], check=False)


def read_only(mount: Callable[..., None], folder: Path) -> None:
    mount(folder, "--bind", str(folder))
    mount(folder, "-o", "remount,bind,ro")


def test_read_only_output_folder(
    built: tuple[Path, Path, dict[str, bytes]], mounts: Callable[..., None]
) -> None:
    source, out, _ = built
    before = first_build(source, out)
    read_only(mounts, out)
    result = run("build", source, "-o", out)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Erreur : {out} : dossier de sortie inutilisable (disque ou dossier en lecture seule)\n"
    )
    assert snapshot(out) == before


def nothing_to_do(source: Path, out: Path) -> None:
    result = run("build", source, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == f"Rien à faire : 8 documents à jour dans {out}."


def test_read_only_output_folder_already_up_to_date(
    built: tuple[Path, Path, dict[str, bytes]], mounts: Callable[..., None]
) -> None:
    # It failed on the lock file although there was nothing to write.
    source, out, _ = built
    assert run("build", source, "-o", out).exit_code == 0
    before = snapshot(out)
    read_only(mounts, out)
    nothing_to_do(source, out)
    assert snapshot(out) == before


@pytest.mark.parametrize(
    "error", [PermissionError(errno.EACCES, "Permission denied"), OSError(errno.EROFS, "ro")]
)
def test_unwritable_output_folder_fails_only_when_something_is_to_write(
    built: tuple[Path, Path, dict[str, bytes]],
    monkeypatch: pytest.MonkeyPatch,
    error: OSError,
) -> None:
    # A share the user may only read (Windows: PermissionError on the lock file).
    source, out, _ = built
    assert run("build", source, "-o", out).exit_code == 0
    before = snapshot(out)

    def refused(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr("filelock.FileLock.acquire", refused)
    nothing_to_do(source, out)
    version(source, 1)
    result = run("build", source, "-o", out)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Erreur : {out} : dossier de sortie inutilisable (")
    assert snapshot(out) == before


def test_read_only_subfolder_keeps_its_documents(
    built: tuple[Path, Path, dict[str, bytes]], mounts: Callable[..., None]
) -> None:
    source, out, clean = built
    before = first_build(source, out)
    fiches = out / REF / "fiches-actions"
    read_only(mounts, fiches)
    result = run("build", source, "-o", out)
    assert result.exit_code == 1
    assert result.stderr == (
        "Erreur : 3 documents non produits :\n"
        + "".join(
            f"  {fiches / code}.docx : écriture impossible (disque ou dossier en lecture seule)\n"
            for code in ("FA-1.1", "FA-2.1", "FA-3.1")
        )
    )
    # The fiches are their previous version, whole; the other documents the new one.
    after = built_documents(out)
    for key, data in after.items():
        assert data == (before[key] if "/fiches-actions/" in key else clean[key]), key
    consistent(out)
    assert leftovers(out, out) == []
    subprocess.run(["umount", str(fiches)], check=True)  # writable again
    again = run("build", source, "-o", out)
    assert again.exit_code == 0, again.stderr
    assert [line for line in again.stdout.splitlines() if line.startswith("écrit : ")] == [
        f"écrit : {fiches / code}.docx" for code in ("FA-1.1", "FA-2.1", "FA-3.1")
    ]
    assert built_documents(out) == clean


def test_subfolder_on_another_disk(
    built: tuple[Path, Path, dict[str, bytes]], mounts: Callable[..., None]
) -> None:
    # The work folder cannot be renamed across disks: each document is copied beside its
    # place, then renamed; the PDFs too.
    source, out, clean = built
    fiches = out / REF / "fiches-actions"
    fiches.mkdir(parents=True)
    mounts(fiches, "-t", "tmpfs", "-o", "size=8m", "tmpfs")
    soffice = fake_soffice(out.parent / "bin", CONVERTS)
    env = {"CTGDOCS_SOFFICE": str(soffice)}
    child = Child(["build", str(source), "-o", str(out), "--pdf"], temp=out.parent / "t", env=env)
    assert child.settle() == [] and child.process.returncode == 0, child.stderr
    version(source, 1)
    child = Child(["build", str(source), "-o", str(out), "--pdf"], temp=out.parent / "t", env=env)
    assert child.settle() == [] and child.process.returncode == 0, child.stderr
    assert built_documents(out) == clean
    check_outputs(out, [clean])
    assert len(list(fiches.glob("*.pdf"))) == 3
    assert leftovers(out, out.parent / "t") == []


def fill(folder: Path, leave: int) -> Path:
    """Fill the file system of `folder` but for about `leave` bytes."""
    filler = folder / "remplissage"
    with filler.open("wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    with filler.open("r+b") as handle:
        handle.truncate(filler.stat().st_size - leave)
    return filler


def test_disk_full_replaces_nothing(
    built: tuple[Path, Path, dict[str, bytes]], mounts: Callable[..., None]
) -> None:
    source, out, clean = built
    mounts(out, "-t", "tmpfs", "-o", "size=4m", "tmpfs")
    before = first_build(source, out)
    filler = fill(out, leave=60_000)  # room for one document or two, not eight
    result = run("build", source, "-o", out)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("Erreur : ") and lines[0].endswith(
        " non produits, aucun document n'a été remplacé :"
    ), result.stderr
    assert lines[1:] and all(
        line.endswith(".docx : écriture impossible (disque plein)") for line in lines[1:]
    )
    filler.unlink()
    assert snapshot(out) == before  # documents and manifest as they were, no staging left
    again = run("build", source, "-o", out)
    assert again.exit_code == 0, again.stderr
    assert built_documents(out) == clean
    consistent(out)


# The same faults where this machine cannot make them: the system's error, raised ----------


def build_with_disk_full(
    monkeypatch: pytest.MonkeyPatch, source: Path, out: Path, full: Callable[[Path], bool]
) -> Result:
    """Build while writing a file for which `full(path)` holds fails as a full disk does.

    Every write goes through Path.open (Path.write_bytes too, and the manifest's streamed
    write): the file opened for writing takes half of what is written to it, then fails.
    """
    real = Path.open

    def opened(self: Path, mode: str = "r", *args: Any, **kwargs: Any) -> IO[Any]:
        handle = real(self, mode, *args, **kwargs)
        return _Full(handle, self) if "w" in mode and full(self) else handle

    with monkeypatch.context() as patch:
        patch.setattr(Path, "open", opened)
        return run("build", source, "-o", out)


class _Full:
    """A file on a disk that fills up at the first write."""

    def __init__(self, handle: IO[Any], path: Path) -> None:
        self.handle, self.path = handle, path

    def write(self, data: Any) -> int:
        self.handle.write(data[: len(data) // 2])  # as far as the disk went
        raise OSError(errno.ENOSPC, "No space left on device", str(self.path))

    def writelines(self, lines: Iterable[Any]) -> None:
        for line in lines:
            self.write(line)

    def __enter__(self) -> _Full:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()


def test_disk_full_while_staging_replaces_nothing(
    built: tuple[Path, Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    source, out, clean = built
    before = first_build(source, out)
    staged: list[Path] = []

    def third_staged_on(path: Path) -> bool:
        staged.extend([path] if ".ctgdocs-tmp" in path.parts else [])
        return ".ctgdocs-tmp" in path.parts and len(staged) > 2

    result = build_with_disk_full(monkeypatch, source, out, third_staged_on)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Erreur : 6 documents non produits, aucun document n'a été remplacé :\n  "
    )
    assert result.stderr.count("écriture impossible (disque plein)") == 6
    assert snapshot(out) == before
    again = run("build", source, "-o", out)
    assert again.exit_code == 0, again.stderr
    assert built_documents(out) == clean


def test_disk_full_for_the_manifest(
    built: tuple[Path, Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    source, out, clean = built
    before = first_build(source, out)
    result = build_with_disk_full(
        monkeypatch, source, out, lambda path: path.name.startswith(".manifest.json.")
    )
    assert result.exit_code == 1
    assert result.stderr == (
        f"Erreur : manifeste non enregistré : {out / 'manifest.json'} : écriture impossible "
        "(disque plein)\n"
    )
    # Each document is whole, old or new; the manifest is the previous one, and says so.
    assert (out / "manifest.json").read_bytes() == before["manifest.json"]
    check_outputs(out, [{k: v for k, v in before.items() if k.endswith(".docx")}, clean])
    assert leftovers(out, out) == []
    again = run("build", source, "-o", out)
    assert again.exit_code == 0, again.stderr
    assert built_documents(out) == clean
    consistent(out)


def test_template_deleted_midway(
    built: tuple[Path, Path, dict[str, bytes]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    source, out, clean = built
    custom = copy_templates(bundled_templates(), tmp_path / "modeles")
    assert run("build", source, "-o", out, "--templates", custom).exit_code == 0
    version(source, 1)
    before = snapshot(out)
    real = producing.render_document
    rendered: list[Path] = []

    def render_then_delete(template: Path, document: Document, engine: Engine) -> bytes:
        data = real(template, document, engine)
        rendered.append(template)
        if len(rendered) == 1:
            (custom / "avenant.docx").unlink()  # someone tidies the folder meanwhile
        return data

    monkeypatch.setattr(producing, "render_document", render_then_delete)
    result = run("build", source, "-o", out, "--templates", custom)
    assert result.exit_code == 3
    assert result.stderr == f"Erreur : modèle {custom / 'avenant.docx'} : fichier introuvable\n"
    assert snapshot(out) == before
    monkeypatch.setattr(producing, "render_document", real)
    shutil.copy(bundled_templates() / "avenant.docx", custom / "avenant.docx")
    again = run("build", source, "-o", out, "--templates", custom)
    assert again.exit_code == 0, again.stderr
    assert built_documents(out) == clean


def test_template_missing_from_the_installation(
    built: tuple[Path, Path, dict[str, bytes]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    # An installation that lost a template (a custom folder without it falls back on it).
    source, out, _ = built
    before = first_build(source, out)
    damaged = copy_templates(bundled_templates(), tmp_path / "installation")
    (damaged / "fiche-action.docx").unlink()
    monkeypatch.setattr("ctgdocs.resources.bundled_templates", lambda: damaged)
    result = run("build", source, "-o", out)
    assert result.exit_code == 3
    assert (
        result.stderr == f"Erreur : modèle {damaged / 'fiche-action.docx'} : fichier introuvable\n"
    )
    assert snapshot(out) == before


# LibreOffice that crashes or hangs in the middle of a batch --------------------------------

# Converts its documents in order, as soffice does, and crashes or hangs on the poisoned one.
POISONED = """
for arg in "$@"; do case "$arg" in *.docx)
    sum=$(sha256sum "$arg" | cut -c1-64)
    if [ "$sum" = "{poison}" ]; then {fault}; fi
    printf "%%PDF-1.4\\n%% docx %s\\n%%%%EOF\\n" "$sum" > "${{arg%.docx}}.pdf";;
esac; done
"""
CRASH = "kill -SEGV $$"
HANG = "sleep 600 & wait"


def poisoned_build(
    tmp_path: Path, clean: dict[str, bytes], poison: str, fault: str, *options: str
) -> tuple[Child, Path]:
    key = f"{REF}/{poison}"
    script = POISONED.format(poison=sha256_bytes(clean[key]), fault=fault)
    soffice = fake_soffice(tmp_path / "bin", script)
    out = tmp_path / "sortie"
    source = tmp_path / "ctg.yaml"
    version(source, 1)
    child = Child(
        ["build", str(source), "-o", str(out), "--pdf", *options],
        temp=tmp_path / "temp",
        env={"CTGDOCS_SOFFICE": str(soffice), "CTGDOCS_SOFFICE_TIMEOUT": "5"},
    )
    assert child.settle() == []  # no soffice, no child of it, no watcher left
    return child, out


@linux_only
def test_soffice_crashing_midway_names_the_document_the_others_come_out(
    built: tuple[Path, Path, dict[str, bytes]], tmp_path: Path
) -> None:
    _, _, clean = built
    # Two batches of four; the convention's crashes its batch before the three after it.
    child, out = poisoned_build(tmp_path, clean, "convention.docx", CRASH, "-j2")
    assert child.process.returncode == 1
    assert child.stderr == (
        f"Erreur : 1 document non produit :\n  {out / REF / 'convention.pdf'} : "
        "LibreOffice s'est arrêté brutalement (signal 11)\n"
    )
    assert built_documents(out) == clean  # every .docx kept
    check_outputs(out, [clean])
    pdfs = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf"))
    assert pdfs == sorted(
        k.replace(".docx", ".pdf") for k in clean if k != f"{REF}/convention.docx"
    )
    entries = Manifest.load(out, read_only=True).items()
    assert [k for k, e in entries if e.pdf is None] == [f"{REF}/convention.docx"]
    assert leftovers(out, tmp_path / "temp") == []


@linux_only
def test_soffice_hanging_midway_is_stopped_the_others_come_out(
    built: tuple[Path, Path, dict[str, bytes]], tmp_path: Path
) -> None:
    _, _, clean = built
    child, out = poisoned_build(
        tmp_path, clean, "fiches-actions/FA-2.1.docx", HANG, "-j1", "--only", "fiches"
    )
    assert child.process.returncode == 1
    folder = out / REF / "fiches-actions"
    assert child.stderr == (
        f"Erreur : 1 document non produit :\n  {folder / 'FA-2.1.pdf'} : "
        "LibreOffice ne répondait plus : arrêté après 5 s\n"
    )
    assert sorted(p.name for p in folder.iterdir()) == [
        "FA-1.1.docx",
        "FA-1.1.pdf",
        "FA-2.1.docx",
        "FA-3.1.docx",
        "FA-3.1.pdf",
    ]
    check_outputs(out, [{k: v for k, v in clean.items() if "/fiches-actions/" in k}])
    assert leftovers(out, tmp_path / "temp") == []


@linux_only
def test_disk_full_while_copying_for_soffice_names_each_pdf(
    built: tuple[Path, Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The copy of the documents LibreOffice converts failed with an internal error (code 4).
    source, out, _ = built
    monkeypatch.setenv("CTGDOCS_SOFFICE", str(fake_soffice(out.parent / "bin", CONVERTS)))
    assert run("build", source, "-o", out).exit_code == 0

    def full(source: Path, target: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr(pdf.shutil, "copyfile", full)
    result = run("build", source, "-o", out, "--pdf")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "Erreur : 8 documents non produits :"
    assert lines[1:] == sorted(
        f"  {(out / key).with_suffix('.pdf')} : conversion impossible (disque plein)"
        for key in built_documents(out)
    )
    consistent(out)
    monkeypatch.undo()
