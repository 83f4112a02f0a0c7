"""--pdf and --pdfa: batch conversion by LibreOffice, checks, retries, timeouts, absence."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import EXAMPLES, REFERENCE, libreoffice_available, run

REF = "CTG-61-2018-01"
# Known before any test pretends to be on Windows (sys.platform monkeypatched).
WINDOWS = sys.platform == "win32"
needs_libreoffice = pytest.mark.usefixtures("needs_libreoffice")


def pdfinfo(path: Path, *options: str) -> str:
    return subprocess.run(
        ["pdfinfo", "-enc", "UTF-8", *options, str(path)],
        check=True,
        capture_output=True,
        encoding="utf-8",
    ).stdout


def fake_soffice(folder: Path, body: str) -> Path:
    """A soffice stand-in: a real executable that misbehaves as a broken install would."""
    if WINDOWS:
        pytest.skip("soffice de substitution en sh : POSIX seulement")
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "soffice"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return script


@needs_libreoffice
def test_pdf_beside_each_document(tmp_path: Path) -> None:
    result = run("build", REFERENCE, "-o", tmp_path, "--pdf")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == f"8 documents écrits, 8 PDF dans {tmp_path}."
    docx = sorted(tmp_path.rglob("*.docx"))
    assert len(docx) == 8
    for path in docx:
        pdf = path.with_suffix(".pdf")
        assert f"PDF : {pdf}" in result.stdout.splitlines()
        assert "Pages:" in pdfinfo(pdf)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(tmp_path / REF / "convention.pdf"), "-"],
        check=True,
        capture_output=True,
        encoding="utf-8",
    ).stdout
    assert "Caisse d’allocations familiales de l’Orne" in text
    entry = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))["documents"][
        f"{REF}/convention.docx"
    ]
    assert entry["pdf"]["path"] == f"{REF}/convention.pdf" and entry["pdf"]["pdfa"] is False
    again = run("build", REFERENCE, "-o", tmp_path, "--pdf")
    assert again.stdout == f"Rien à faire : 8 documents à jour dans {tmp_path}.\n"
    assert not (tmp_path / ".ctgdocs-tmp").exists()


@needs_libreoffice
def test_pdfa_is_identified_and_tagged(tmp_path: Path) -> None:
    result = run("build", REFERENCE, "-o", tmp_path, "--pdfa", "--only", "avenants")
    assert result.exit_code == 0, result.stderr
    pdf = tmp_path / REF / "avenants" / "avenant-1.pdf"
    assert "Tagged:          yes" in pdfinfo(pdf)
    meta = pdfinfo(pdf, "-meta")
    assert "<pdfaid:part>2</pdfaid:part>" in meta
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in meta
    # Asking for plain PDFs afterwards converts again: the format is part of the build.
    plain = run("build", REFERENCE, "-o", tmp_path, "--pdf", "--only", "avenants", "-v")
    assert "PDF : " in plain.stdout
    assert "pdfaid" not in pdfinfo(pdf, "-meta")


@needs_libreoffice
@pytest.mark.parametrize("option", ["--pdf", "--pdfa"])
def test_the_same_document_converts_to_the_same_pdf(tmp_path: Path, option: str) -> None:
    # LibreOffice stamps the time of the conversion (Info, /ID, a checksum, XMP and the
    # PDF/A profile): two conversions a few seconds apart gave different files.
    first, second = tmp_path / "un", tmp_path / "deux"
    for out in (first, second):
        result = run("build", REFERENCE, "-o", out, option, "--only", "avenants")
        assert result.exit_code == 0, result.stderr
        time.sleep(1.1)  # another second on LibreOffice's clock
    pdf = Path(REF) / "avenants" / "avenant-1.pdf"
    assert (first / pdf).read_bytes() == (second / pdf).read_bytes()
    info = pdfinfo(first / pdf)
    # The date of the act, as its Word properties say (dcterms:created).
    assert re.search(r"CreationDate:\s+\w+ \w+ +\d+ 00:00:00 \d{4} UTC", info), info
    if option == "--pdfa":
        assert "T00:00:00Z</xmp:CreateDate>" in pdfinfo(first / pdf, "-meta")


@needs_libreoffice
def test_stale_pdf_never_stays_beside_a_new_document(tmp_path: Path) -> None:
    source = tmp_path / "aigle.yaml"
    shutil.copy(REFERENCE, source)
    out = tmp_path / "out"
    assert run("build", source, "-o", out, "--pdf", "--only", "convention").exit_code == 0
    source.write_text(
        source.read_text(encoding="utf-8").replace("exemplaires: 3", "exemplaires: 4"),
        encoding="utf-8",
    )
    result = run("build", source, "-o", out, "--only", "convention")
    assert f"supprimé (PDF périmé) : {out / REF / 'convention.pdf'}" in result.stdout
    assert not (out / REF / "convention.pdf").exists()


@needs_libreoffice
def test_two_conventions_two_soffice_at_once(tmp_path: Path) -> None:
    result = run("build", *EXAMPLES, "-o", tmp_path, "--pdf", "--jobs", "2")
    assert result.exit_code == 0, result.stderr
    pdfs = sorted(tmp_path.rglob("*.pdf"))
    assert len(pdfs) == 22
    for pdf in pdfs:
        assert "Pages:" in pdfinfo(pdf)


@needs_libreoffice
def test_failed_conversion_is_retried_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = shutil.which("soffice")
    marker = tmp_path / "first-call-done"
    script = fake_soffice(
        tmp_path / "bin",
        f'if [ ! -e "{marker}" ]; then touch "{marker}"; exit 1; fi\nexec "{real}" "$@"',
    )
    monkeypatch.setenv("CTGDOCS_SOFFICE", str(script))
    result = run(
        "build", REFERENCE, "-o", tmp_path / "out", "--pdf", "--only", "fiches", "--jobs", "1"
    )
    assert result.exit_code == 0, result.stderr
    assert len(list((tmp_path / "out").rglob("*.pdf"))) == 3


@needs_libreoffice
def test_one_bad_pdf_is_named_others_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = shutil.which("soffice")
    # Converts for real, then spoils the first PDF of each batch: the same document fails twice.
    script = fake_soffice(
        tmp_path / "bin",
        f'"{real}" "$@"; status=$?\n'
        'for arg in "$@"; do case "$arg" in *0000.docx) : > "${arg%.docx}.pdf";; esac; done\n'
        "exit $status",
    )
    monkeypatch.setenv("CTGDOCS_SOFFICE", str(script))
    result = run(
        "build", REFERENCE, "-o", tmp_path / "out", "--pdf", "--only", "fiches", "--jobs", "1"
    )
    assert result.exit_code == 1
    assert "Erreur : 1 document non produit :" in result.stderr
    assert "FA-1.1.pdf : PDF vide ou illisible" in result.stderr
    folder = tmp_path / "out" / REF / "fiches-actions"
    assert sorted(p.name for p in folder.glob("*.pdf")) == ["FA-2.1.pdf", "FA-3.1.pdf"]
    assert len(list(folder.glob("*.docx"))) == 3


def alive(pid: int) -> bool:
    """True for a running process; a zombie waiting for its parent counts as dead."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status


def test_hung_soffice_is_killed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pidfile = tmp_path / "child.pid"
    # Like soffice.bin under its launcher: a child process that hangs.
    script = fake_soffice(tmp_path / "bin", f'sleep 300 &\necho $! > "{pidfile}"\nwait')
    env = {**os.environ, "CTGDOCS_SOFFICE": str(script), "CTGDOCS_SOFFICE_TIMEOUT": "1"}
    command = [
        sys.executable,
        "-m",
        "ctgdocs",
        "build",
        str(REFERENCE),
        "-o",
        str(tmp_path / "out"),
    ]
    # A guard against hanging, far above the 1 s timeout: a build that only killed the
    # launcher would wait for the child holding its pipe, and never come back here.
    result = subprocess.run(
        [*command, "--pdf", "--only", "avenants"],
        check=False,
        env=env,
        capture_output=True,
        encoding="utf-8",  # ctgdocs writes UTF-8 whatever the code page
        timeout=120,
    )
    assert result.returncode == 1
    assert "avenant-1.pdf : LibreOffice ne répondait plus : arrêté après 1 s" in result.stderr
    assert (tmp_path / "out" / REF / "avenants" / "avenant-1.docx").exists()
    # The whole process group was killed, the hung child with it.
    assert not alive(int(pidfile.read_text(encoding="utf-8")))


def test_failing_soffice_is_reported_by_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = fake_soffice(
        tmp_path / "bin", 'echo "Error: source file could not be loaded" >&2\nexit 1'
    )
    monkeypatch.setenv("CTGDOCS_SOFFICE", str(script))
    result = run("build", REFERENCE, "-o", tmp_path / "out", "--pdf", "--only", "fiches")
    assert result.exit_code == 1
    for code in ("FA-1.1", "FA-2.1", "FA-3.1"):
        assert (
            f"{code}.pdf : LibreOffice a échoué (code 1) : Error: source file could not be loaded"
            in result.stderr
        )
    manifest = (tmp_path / "out" / "manifest.json").read_text(encoding="utf-8")
    entries = json.loads(manifest)["documents"]
    assert all(entry["pdf"] is None for entry in entries.values())
    # The documents are up to date; only the PDFs remain to be made.
    check = run("build", REFERENCE, "-o", tmp_path / "out", "--pdf", "--only", "fiches", "--check")
    assert check.exit_code == 1 and check.stdout.count("(PDF à produire)") == 3


def test_libreoffice_absent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CTGDOCS_SOFFICE", raising=False)
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = run("build", REFERENCE, "-o", tmp_path / "out", "--pdf")
    assert result.exit_code == 1
    assert "LibreOffice est introuvable (commande soffice) ; installez-le" in result.stderr
    assert "sudo apt install libreoffice-writer" in result.stderr
    assert "Les documents .docx ont été écrits." in result.stderr
    assert len(list((tmp_path / "out").rglob("*.docx"))) == 8


def test_configured_soffice_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CTGDOCS_SOFFICE", str(tmp_path / "nulle-part" / "soffice"))
    result = run("build", REFERENCE, "-o", tmp_path / "out", "--pdf", "--only", "avenants")
    assert result.exit_code == 1
    assert "CTGDOCS_SOFFICE=" in result.stderr and "programme introuvable" in result.stderr


def test_gate_matches_the_machine() -> None:
    # Under CI=true the LibreOffice tests above must run, never skip.
    if os.environ.get("CI") == "true":
        assert libreoffice_available()
