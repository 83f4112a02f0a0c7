"""ctgdocs in processes of its own for the fault tests, and what such a process leaves behind."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

import psutil
from docx import Document

from ctgdocs.manifest import Manifest, sha256_file
from ctgdocs.pdf import valid_pdf

from .docx_tools import built_documents

# The variable that marks every process a test's ctgdocs started, however far down.
MARK = "CTGDOCS_TEST_PROCESSUS"
# A generous bound for a loaded machine: conditions are waited for, never slept on.
PATIENCE = 120.0

# A soffice stand-in: a "PDF" per .docx, carrying the SHA-256 of the document it comes from,
# so that a PDF can be matched to the .docx beside it.
CONVERTS = (
    'for arg in "$@"; do case "$arg" in *.docx) '
    'sum=$(sha256sum "$arg" | cut -c1-64); '
    'printf "%%PDF-1.4\\n%% docx %s\\n%%%%EOF\\n" "$sum" > "${arg%.docx}.pdf";; esac; done'
)


def wait_for(condition: Callable[[], bool], what: str, timeout: float = PATIENCE) -> None:
    """Poll `condition` until it holds; fail, saying `what` was awaited, after `timeout`."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"toujours pas après {timeout:g} s : {what}")
        time.sleep(0.02)


class Child:
    """One `ctgdocs` command in a process of its own, marked so that its descendants are found."""

    started: ClassVar[list[Child]] = []

    def __init__(
        self,
        args: list[str],
        *,
        temp: Path,
        env: dict[str, str] | None = None,
        code: str | None = None,
        code_args: tuple[str, ...] = (),
        session: bool = False,
    ) -> None:
        self.mark = uuid.uuid4().hex
        temp.mkdir(parents=True, exist_ok=True)
        environment = {**os.environ, **(env or {}), MARK: self.mark, "TMPDIR": str(temp)}
        environment.pop("CTGDOCS_DEBUG", None)
        prefix = ["-c", code, *code_args, "--"] if code else ["-m", "ctgdocs"]
        # Files, not pipes: what it says can be read while it runs, and it never blocks on it.
        self._out, self._err = temp / f"{self.mark}.out", temp / f"{self.mark}.err"
        with self._out.open("wb") as out, self._err.open("wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, *prefix, *args],
                stdout=out,
                stderr=err,
                env=environment,
                start_new_session=session,  # a group of its own, to be killed whole
            )
        Child.started.append(self)

    @property
    def stdout(self) -> str:
        return self._out.read_text(encoding="utf-8", errors="replace")

    @property
    def stderr(self) -> str:
        return self._err.read_text(encoding="utf-8", errors="replace")

    def descendants(self) -> list[psutil.Process]:
        """Every live process that carries this child's mark, the child included."""
        found = []
        for process in psutil.process_iter():
            try:
                if (
                    process.environ().get(MARK) == self.mark
                    and process.status() != psutil.STATUS_ZOMBIE
                ):
                    found.append(process)
            except psutil.Error:
                continue
        return found

    def children(self) -> list[psutil.Process]:
        """The processes this child has started and still waits for, however far down."""
        return psutil.Process(self.process.pid).children(recursive=True)

    def wait(self, timeout: float = PATIENCE) -> int:
        return self.process.wait(timeout=timeout)

    def kill(self, signal_number: int) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal_number)

    def settle(self, timeout: float = 30.0) -> list[str]:
        """Wait until nothing this child started still runs; what had to be killed, if anything."""
        self.wait()
        deadline = time.monotonic() + timeout
        left = self.descendants()
        while left and time.monotonic() < deadline:
            psutil.wait_procs(left, timeout=0.2)
            left = self.descendants()
        orphans = []
        for process in left:
            try:
                orphans.append(" ".join(process.cmdline()))
                process.kill()
            except psutil.Error:
                continue
        return orphans


def stop_children() -> None:
    """Stop every child a test started that still runs: the machine is shared with others."""
    while Child.started:
        child = Child.started.pop()
        if child.process.poll() is None:
            child.process.kill()
        child.settle(timeout=10)


def check_outputs(out: Path, allowed: list[dict[str, bytes]]) -> dict[str, bytes]:
    """Every output is one of the complete versions in `allowed`, opens, and pairs with its PDF.

    Every document of the first version is still there (a killed build deletes nothing), the
    manifest reads as one, and a PDF, where there is one, is that of the .docx beside it.
    """
    documents = built_documents(out)
    for key, data in documents.items():
        versions = [version[key] for version in allowed if key in version]
        assert data in versions, (
            f"{key} : ni l'ancienne version ni la nouvelle ({len(data)} octets)"
        )
        Document(io.BytesIO(data))  # python-docx opens it
    missing = set(allowed[0]) - set(documents)
    assert not missing, f"documents perdus : {sorted(missing)}"
    manifest = Manifest.load(out, read_only=True)
    assert manifest.note is None, manifest.note
    for pdf in sorted(out.rglob("*.pdf")):
        if ".ctgdocs-tmp" in pdf.parts:
            continue
        assert valid_pdf(pdf), f"{pdf} : PDF incomplet"
        docx = pdf.with_suffix(".docx")
        text = pdf.read_bytes().decode("latin-1")
        if "% docx " in text:  # the stand-in's: it says which document it comes from
            assert f"% docx {sha256_file(docx)}" in text, f"{pdf} : PDF d'une autre version"
    return documents


def consistent(out: Path) -> None:
    """The manifest reads, and describes the files on disk."""
    manifest = Manifest.load(out, read_only=True)
    assert manifest.note is None
    assert len(manifest)
    for key, entry in manifest.items():
        assert sha256_file(out / key) == entry.sha256, key


def leftovers(out: Path, temp: Path) -> list[str]:
    """What a build should never leave once it is over: work folders, temporary files, lock."""
    found = [p for p in out.rglob("*") if p.name.endswith(".tmp") or p.name == ".ctgdocs-tmp"]
    found += [out / ".ctgdocs.lock"] if (out / ".ctgdocs.lock").exists() else []
    found += list(temp.glob("ctgdocs-profil-*"))
    return sorted(str(p) for p in found)
