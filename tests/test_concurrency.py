"""Builds at the same time: of one folder, the second waits and says so; of two, both run at once.

Every build is a process of its own. Where the test needs two builds to overlap, it makes them
overlap (a soffice stand-in that holds the first build until the second is seen waiting, or
two soffice that wait for each other) rather than hoping a machine's timing will.
"""

from __future__ import annotations

import shutil
import signal
import sys
from pathlib import Path

import pytest

from .conftest import REFERENCE, run
from .docx_tools import built_documents
from .processes import CONVERTS, Child, check_outputs, consistent, leftovers, wait_for
from .test_kills import version
from .test_pdf import fake_soffice, needs_libreoffice, pdfinfo

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"),
    reason="des soffice de substitution en sh et l'environnement des processus (/proc) : Linux",
)

REF = "CTG-61-2018-01"
WAITING = "attente : une autre construction écrit dans {out}…"


def gate(folder: Path) -> tuple[Path, Path, Path]:
    """A soffice that says it has started, then converts only once it is released."""
    started, release = folder / "commence", folder / "libere"
    body = f'touch "{started}"\nwhile [ ! -e "{release}" ]; do sleep 0.02; done\n{CONVERTS}'
    return fake_soffice(folder, body), started, release


def test_second_build_of_a_folder_waits_then_builds(tmp_path: Path) -> None:
    out, temp = tmp_path / "out", tmp_path / "temp"
    first_source, second_source = tmp_path / "a.yaml", tmp_path / "b.yaml"
    version(first_source, 0)
    version(second_source, 1)
    soffice, started, release = gate(tmp_path / "bin")
    first = Child(
        ["build", str(first_source), "-o", str(out), "--pdf"],
        temp=temp,
        env={"CTGDOCS_SOFFICE": str(soffice)},
    )
    try:
        # The first build holds the lock: its documents are in place, its PDFs under way.
        wait_for(started.exists, "la première construction convertit")
        second = Child(["build", str(second_source), "-o", str(out)], temp=temp)
        wait_for(
            lambda: WAITING.format(out=out) in second.stdout or second.process.poll() is not None,
            "la seconde construction dit qu'elle attend",
        )
        assert second.process.poll() is None
        assert not list(out.rglob("*.pdf"))  # nothing of the second build yet
    finally:
        release.touch()
    assert first.settle() == [] and first.process.returncode == 0, first.stderr
    assert second.settle() == [] and second.process.returncode == 0, second.stderr
    assert second.stdout.splitlines()[0] == WAITING.format(out=out)
    # The second build came last: its documents, none of the first one's PDFs beside them.
    clean = tmp_path / "propre"
    assert run("build", second_source, "-o", clean).exit_code == 0
    assert built_documents(out) == built_documents(clean)
    check_outputs(out, [built_documents(clean)])
    assert not list(out.rglob("*.pdf"))
    consistent(out)
    assert leftovers(out, temp) == []
    assert run("build", second_source, "-o", out, "--check").exit_code == 0


def test_a_waiting_build_can_be_stopped(tmp_path: Path) -> None:
    out, temp = tmp_path / "out", tmp_path / "temp"
    source = tmp_path / "a.yaml"
    version(source, 0)
    soffice, started, release = gate(tmp_path / "bin")
    env = {"CTGDOCS_SOFFICE": str(soffice)}
    first = Child(["build", str(source), "-o", str(out), "--pdf"], temp=temp, env=env)
    try:
        wait_for(started.exists, "la première construction convertit")
        second = Child(["build", str(source), "-o", str(out)], temp=temp)
        wait_for(lambda: "attente" in second.stdout, "la seconde construction attend")
        second.kill(signal.SIGTERM)
        assert second.settle() == [] and second.process.returncode == 130
        assert second.stderr.strip() == "Interrompu."  # after the newline click writes
    finally:
        release.touch()
    assert first.settle() == [] and first.process.returncode == 0, first.stderr
    check_outputs(out, [built_documents(out)])
    assert len(list(out.rglob("*.pdf"))) == 8
    consistent(out)
    assert leftovers(out, temp) == []


def test_many_builds_of_one_folder_at_once(tmp_path: Path) -> None:
    out, temp = tmp_path / "out", tmp_path / "temp"
    sources = []
    for index in range(4):
        sources.append(tmp_path / f"v{index}.yaml")
        version(sources[-1], index % 2)
    children = [
        Child(["build", str(source), "-o", str(out), "-q"], temp=temp) for source in sources
    ]
    for child in children:
        assert child.settle() == [] and child.process.returncode == 0, child.stderr
    # One after the other: the folder is wholly one version, the manifest says which.
    cleans = []
    for number in (0, 1):
        assert run("build", sources[number], "-o", tmp_path / f"propre{number}").exit_code == 0
        cleans.append(built_documents(tmp_path / f"propre{number}"))
    assert built_documents(out) in cleans
    consistent(out)
    assert leftovers(out, temp) == []


@needs_libreoffice  # the second build converts with the real soffice
def test_a_waiting_build_goes_on_when_the_holder_is_killed(tmp_path: Path) -> None:
    out, temp = tmp_path / "out", tmp_path / "temp"
    first_source, second_source = tmp_path / "a.yaml", tmp_path / "b.yaml"
    version(first_source, 0)
    version(second_source, 1)
    soffice, started, _ = gate(tmp_path / "bin")  # never released
    first = Child(
        ["build", str(first_source), "-o", str(out), "--pdf"],
        temp=temp,
        env={"CTGDOCS_SOFFICE": str(soffice)},
    )
    wait_for(started.exists, "la première construction convertit")
    second = Child(["build", str(second_source), "-o", str(out), "--pdf"], temp=temp)
    wait_for(lambda: "attente" in second.stdout, "la seconde construction attend")
    first.kill(signal.SIGKILL)
    assert first.settle() == []  # its soffice stopped by the watcher, not left converting
    assert second.settle() == [] and second.process.returncode == 0, second.stderr
    clean = tmp_path / "propre"
    assert run("build", second_source, "-o", clean).exit_code == 0
    check_outputs(out, [built_documents(clean)])
    assert built_documents(out) == built_documents(clean)
    assert len(list(out.rglob("*.pdf"))) == 8
    consistent(out)
    assert leftovers(out, temp) == []


# Two real soffice that wait for each other before converting: the builds overlap for sure.
BARRIER = """
printf '%s\\n' "$@" | grep UserInstallation > "{folder}/profil-$$"
tries=0
while [ "$(ls "{folder}" | grep -c '^profil-')" -lt 2 ] && [ $tries -lt 6000 ]; do
    sleep 0.02; tries=$((tries + 1))
done
exec "{real}" "$@"
"""


@needs_libreoffice
def test_two_folders_with_pdf_at_once(tmp_path: Path) -> None:
    seen = tmp_path / "vus"
    seen.mkdir()
    real = shutil.which("soffice")
    soffice = fake_soffice(tmp_path / "bin", BARRIER.format(folder=seen, real=real))
    temp = tmp_path / "temp"
    children = [
        Child(
            ["build", str(REFERENCE), "-o", str(tmp_path / name), "--pdf", "-j1", "-q"],
            temp=temp,
            env={"CTGDOCS_SOFFICE": str(soffice)},
        )
        for name in ("a", "b")
    ]
    for child in children:
        assert child.settle(timeout=60) == [] and child.process.returncode == 0, child.stderr
    profiles = {path.read_text(encoding="utf-8") for path in seen.iterdir()}
    assert len(profiles) == 2  # one LibreOffice profile each
    for name in ("a", "b"):
        pdfs = sorted((tmp_path / name).rglob("*.pdf"))
        assert len(pdfs) == 8
        for pdf in pdfs:
            assert "Pages:" in pdfinfo(pdf)
        consistent(tmp_path / name)
        assert leftovers(tmp_path / name, temp) == []
