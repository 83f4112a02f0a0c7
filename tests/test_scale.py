"""The build at scale: unchanged files skipped, documents staged, workers, damaged manifests."""

from __future__ import annotations

import gc
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ctgdocs import producing, workers
from ctgdocs.builder import BuildOptions, Silent, build
from ctgdocs.checking import CheckedFile
from ctgdocs.manifest import Entry, SourceRecord
from ctgdocs.problems import Problem, text_lines
from ctgdocs.producing import Produced
from ctgdocs.resources import bundled_templates

from .conftest import EXAMPLES, REFERENCE, run
from .docx_tools import built_documents, copy_templates, edit_template

REF = "CTG-61-2018-01"


def copies(folder: Path, count: int) -> list[Path]:
    """`count` conventions: the reference under other references."""
    folder.mkdir(parents=True, exist_ok=True)
    text = REFERENCE.read_text(encoding="utf-8")
    paths = []
    for index in range(count):
        path = folder / f"c{index}.yaml"
        path.write_text(text.replace("CTG-61-2018-01", f"CTG-61-2018-{index + 10}"), "utf-8")
        paths.append(path)
    return paths


def test_an_unchanged_file_is_not_validated_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "aigle.yaml"
    shutil.copy(EXAMPLES[0], source)
    out = tmp_path / "out"
    first = run("build", source, "-o", out)
    assert first.exit_code == 0
    warnings = first.stderr

    validated: list[Path] = []
    real = producing.check_file

    def spy(path: Path, *, draft: bool = False) -> CheckedFile:
        validated.append(path)
        return real(path, draft=draft)

    monkeypatch.setattr(producing, "check_file", spy)
    again = run("build", source, "-o", out)
    assert again.exit_code == 0
    assert again.stdout.startswith("Rien à faire : ")
    assert again.stderr == warnings  # the warnings of the last validation, said again
    assert validated == []
    source.write_text(source.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert run("build", source, "-o", out).exit_code == 0
    assert validated == [source]


def test_only_a_kind_built_before_skips_the_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", REFERENCE, "-o", out, "--only", "fiches").exit_code == 0
    # The convention was never built from this file: it must be planned, not skipped.
    result = run("build", REFERENCE, "-o", out)
    assert result.exit_code == 0
    written = [line for line in result.stdout.splitlines() if line.startswith("écrit : ")]
    # convention and its consolidated version, fiche de suivi, compte rendu, avenant
    assert len(written) == 5
    assert run("build", REFERENCE, "-o", out).stdout.startswith("Rien à faire : 8 documents")


def test_a_template_error_midway_writes_nothing(tmp_path: Path) -> None:
    sources = copies(tmp_path / "conventions", 3)
    out = tmp_path / "out"
    assert run("build", *sources, "-o", out).exit_code == 0
    before = built_documents(out)
    manifest = (out / "manifest.json").read_bytes()
    for path in sources:
        path.write_text(path.read_text(encoding="utf-8").replace("Sophie", "Sophia"), "utf-8")
    custom = copy_templates(bundled_templates(), tmp_path / "modeles")
    edit_template(
        bundled_templates() / "avenant.docx",
        custom / "avenant.docx",
        "{{ avenant.numero }}",
        "{{ avenant.inexistant }}",
    )
    result = run("build", *sources, "-o", out, "--templates", custom)
    assert result.exit_code == 3
    assert "variable inconnue" in result.stderr and "avenant.docx" in result.stderr
    # Conventions and fiches were rendered before the avenant failed: none was written.
    assert built_documents(out) == before
    assert (out / "manifest.json").read_bytes() == manifest
    assert not (out / ".ctgdocs-tmp").exists()


def test_an_invalid_file_among_many_writes_nothing(tmp_path: Path) -> None:
    sources = copies(tmp_path / "conventions", 6)
    sources[4].write_text(
        sources[4].read_text(encoding="utf-8").replace("axe: A2", "axe: A9"), "utf-8"
    )
    out = tmp_path / "out"
    result = run("build", *sources, "-o", out, "--jobs", "2")
    assert result.exit_code == 1
    assert "c4.yaml" in result.stderr and "« A9 » n'est pas un axe déclaré" in result.stderr
    assert "Aucun document n'a été écrit." in result.stderr
    assert not out.exists()


def test_workers_give_the_bytes_of_a_sequential_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers, "MIN_SECONDS_PER_WORKER", 0.01)  # workers even for 3 files
    parallel = run("build", *EXAMPLES, "-o", tmp_path / "p", "--jobs", "2")
    sequential = run("build", *EXAMPLES, "-o", tmp_path / "s", "--jobs", "1")
    assert parallel.exit_code == sequential.exit_code == 0, parallel.stderr
    assert parallel.stdout.replace(str(tmp_path / "p"), str(tmp_path / "s")) == sequential.stdout
    assert built_documents(tmp_path / "p") == built_documents(tmp_path / "s")
    assert len(built_documents(tmp_path / "p")) == 22


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="lit /proc")
def test_workers_die_with_a_killed_build(tmp_path: Path) -> None:
    sources = copies(tmp_path / "conventions", 40)
    out = tmp_path / "out"
    build = subprocess.Popen(
        [sys.executable, "-m", "ctgdocs", "build", *map(str, sources), "-o", str(out), "-j", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    children: list[int] = []
    deadline = time.monotonic() + 60
    while len(children) < 2 and time.monotonic() < deadline and build.poll() is None:
        time.sleep(0.05)
        children_file = Path(f"/proc/{build.pid}/task/{build.pid}/children")
        with_python = [
            int(pid)
            for pid in children_file.read_text(encoding="ascii").split()
            if "spawn_main"
            in Path(f"/proc/{pid}/cmdline").read_text(encoding="utf-8", errors="replace")
        ]
        children = with_python
    assert len(children) == 2, "les processus de la construction n'ont pas démarré"
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = [pid for pid in children if Path(f"/proc/{pid}").exists()]
    for pid in alive:
        os.kill(pid, signal.SIGKILL)
    assert alive == []
    # Nothing of the killed build was put in place; the next one cleans up and builds.
    assert built_documents(out) == {}
    result = run("build", *sources, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert len(built_documents(out)) == 40 * 8
    assert not (out / ".ctgdocs-tmp").exists()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{pas du json", "JSON illisible"),
        ('{"format": 1, "documents": {"a.docx": "texte"}}', "documents['a.docx'] : bloc attendu"),
        (
            '{"format": 1, "documents": {"CTG/convention.docx": {"kind": "convention"}}}',
            "documents['CTG/convention.docx'].source : texte attendu",
        ),
        ("[" * 100_000 + "]" * 100_000, "imbrication trop profonde"),
        ('{"format": 1, "documents": {"../../hors.docx": {}}}', "documents : chemin hors"),
        # A NUL in a path made every later build end in « Erreur interne ».
        ('{"format": 1, "documents": {"CTG/x\\u0000.docx": {}}}', "documents : chemin hors"),
        ('{"format": 1, "documents": {"CTG/CON": {}}}', "documents : chemin hors"),
        ('{"format": 1, "documents": {"C:/x.docx": {}}}', "documents : chemin hors"),
        ('{"format": 2, "documents": {}}', "format inconnu"),
    ],
    ids=[
        "tronque",
        "type",
        "champ-absent",
        "imbrication",
        "hors-dossier",
        "nul",
        "reserve",
        "lecteur",
        "format",
    ],
)
def test_a_damaged_manifest_is_set_aside(tmp_path: Path, text: str, reason: str) -> None:
    out = tmp_path / "out"
    assert run("build", REFERENCE, "-o", out).exit_code == 0
    (out / "manifest.json").write_text(text, encoding="utf-8")
    result = run("build", REFERENCE, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0].startswith(f"{out / 'manifest.json'} illisible ({reason}")
    assert f"mis de côté sous {out / 'manifest-illisible.json'} ; tout est reconstruit" in (
        result.stderr
    )
    assert (out / "manifest-illisible.json").read_text(encoding="utf-8") == text
    assert len(json.loads((out / "manifest.json").read_text(encoding="utf-8"))["documents"]) == 8
    assert run("build", REFERENCE, "-o", out).stdout.startswith("Rien à faire")


def test_a_pdf_path_missing_from_the_manifest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", REFERENCE, "-o", out).exit_code == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["documents"][f"{REF}/convention.docx"]
    entry["pdf"] = {"sha256": "0" * 64, "pdfa": False}
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = run("build", REFERENCE, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert "pdf.path : texte attendu" in result.stderr


def test_a_hand_edited_output_of_the_same_size_is_rebuilt(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", REFERENCE, "-o", out).exit_code == 0
    path = out / REF / "avenants" / "avenant-1.docx"
    data = bytearray(path.read_bytes())
    data[-30] ^= 1  # the same size, modified after the manifest was written
    time.sleep(0.01)
    path.write_bytes(bytes(data))
    result = run("build", REFERENCE, "-o", out)
    assert result.stdout.splitlines()[0] == f"écrit : {path}"


class Alive(Silent):
    """A progress that counts, at each step of a build, the objects of `kinds` alive in this
    process beyond those alive when it was made (what earlier tests left)."""

    def __init__(self, *kinds: type) -> None:
        self.kinds = kinds
        self.steps: list[int] = []
        self.before = 0
        self.before = self.now()

    def now(self) -> int:
        return sum(isinstance(o, self.kinds) for o in gc.get_objects()) - self.before

    def advance(self, count: int, message: str) -> None:
        self.steps.append(self.now())


def test_the_parent_holds_no_record_per_document(tmp_path: Path) -> None:
    """Structural: at every step of a build, the documents' records alive in the parent are
    those of one convention at most, never those of the whole build (the manifest's entries
    are on disk, each convention's plan is read back on its own)."""
    sources = copies(tmp_path / "conventions", 6)
    out = tmp_path / "out"
    alive = Alive(Entry, Produced)
    # In-process (jobs=1): the conventions are produced in this very process too.
    first = build(sources, BuildOptions(output=out, jobs=1), alive)
    again = build(sources, BuildOptions(output=out, jobs=1, force=True), alive)
    unchanged = build(sources, BuildOptions(output=out, jobs=1), alive)
    per_convention = first.written // len(sources)
    assert (first.written, again.written, unchanged.up_to_date) == (48, 48, 48)
    assert per_convention == 8
    # At most while a convention's documents are moved into place: its plan's records, their
    # entries and the one being replaced (the whole build's would be 6 times as many).
    assert alive.steps and max(alive.steps) <= 3 * per_convention, max(alive.steps)


def test_the_parent_holds_no_warning_per_file(tmp_path: Path) -> None:
    """Structural: the warnings of every file built (7 for each copy of the reference) wait
    on disk until printed, and so do the manifest's records of its sources: the parent never
    holds those of the whole build, whose printed lines are read one at a time."""
    sources = copies(tmp_path / "conventions", 6)
    out = tmp_path / "out"
    alive = Alive(Problem, SourceRecord)
    for options in (BuildOptions(output=out, jobs=1), BuildOptions(output=out, jobs=1)):
        result = build(sources, options, alive)
        assert alive.now() <= 7  # one file's problems at most: none
        lines = list(text_lines(result.reports))
        assert len(lines) == 7 * 6 and all(": avertissement: " in line for line in lines)
    assert alive.steps and max(alive.steps) <= 2 * 7, max(alive.steps)


def test_a_manifest_laid_out_otherwise_is_read_whole(tmp_path: Path) -> None:
    """A manifest reformatted by hand is not read a line at a time: it is read whole, and
    the next build writes it again a document a line."""
    out = tmp_path / "out"
    assert run("build", REFERENCE, "-o", out).exit_code == 0
    written = (out / "manifest.json").read_bytes()
    (out / "manifest.json").write_text(json.dumps(json.loads(written), indent=2), "utf-8")
    assert run("build", REFERENCE, "-o", out).stdout.startswith("Rien à faire : 8 documents")
    assert run("build", REFERENCE, "-o", out, "--force").exit_code == 0
    assert (out / "manifest.json").read_bytes() == written


def test_a_new_convention_may_not_take_an_unchanged_ones_documents(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", REFERENCE, "-o", out).exit_code == 0
    before = built_documents(out)
    # Another reference, the same folder where names are compared as Windows compares them.
    other = tmp_path / "autre.yaml"
    other.write_text(REFERENCE.read_text("utf-8").replace(REF, REF.lower()), "utf-8")
    result = run("build", REFERENCE, other, "-o", out)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"Erreur : {out / REF.lower() / 'convention.docx'} serait écrit deux fois ({REFERENCE} "
        f"et {other}) : deux conventions ont la même référence"
    ), result.stderr
    assert built_documents(out) == before
