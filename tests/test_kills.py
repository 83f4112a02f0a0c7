"""Builds killed at any moment (SIGKILL, SIGTERM): outputs old or new, never half; the next repairs.

Each build runs in a process of its own, as a user's would. Killed at a chosen step (the kill
injected at the step itself, so that it lands there however loaded the machine is) or at a
random moment, it must leave every document either its previous version or its new one, whole,
with the PDF that goes with it or none; nothing it started may keep running; the next build
cleans what it left (work folder, temporary files, LibreOffice profiles) and gives the bytes
of a clean build. `CTGDOCS_EXAMPLES=N` multiplies the random kills by N, and runs every step
with both signals.
"""

from __future__ import annotations

import collections
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from ctgdocs.manifest import Manifest, sha256_bytes, sha256_file
from ctgdocs.pdf import find_soffice, valid_pdf

from .conftest import REFERENCE, examples, libreoffice_available, run
from .docx_tools import built_documents
from .processes import CONVERTS, Child, check_outputs, consistent, leftovers
from .test_pdf import fake_soffice

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"),
    reason="envoie SIGKILL et SIGTERM et lit l'environnement des processus (/proc) : Linux",
)

REF = "CTG-61-2018-01"
TITLE = "intitule: Convention territoriale globale de services aux familles du Pays de L'Aigle"
# Two versions of the reference that differ in every one of its 8 documents.
VERSIONS = (TITLE, TITLE.replace("de services aux familles", "des familles"))
SEED = int(os.environ.get("CTGDOCS_SEED", str(random.SystemRandom().randrange(10**6))))

# The build, with the kill injected at one of its steps (the count-th time it is reached).
INJECT = r"""
import os, signal, sys
from pathlib import Path

point, count, signame, forced_workers = sys.argv[1:5]
seen = [0]


def reached(step):
    if step == point:
        seen[0] += 1
        if seen[0] == int(count) and signame == "SIGKILL-groupe":
            os.killpg(0, signal.SIGKILL)  # the build, its workers: its whole process group
        elif seen[0] == int(count):
            os.kill(os.getpid(), getattr(signal, signame))


from ctgdocs import builder, pdf, workers

if forced_workers == "1":
    workers.MIN_SECONDS_PER_WORKER = 0.001  # workers even for one convention
if point == "rendu-processus":
    # Workers render: kill the build once they have staged `count` documents.
    import threading, time

    def watch():
        output = Path(sys.argv[sys.argv.index("-o") + 1])
        while len(list(output.glob(".ctgdocs-tmp/documents-*/*/*.docx"))) < int(count):
            time.sleep(0.001)
        reached("rendu-processus")

    threading.Thread(target=watch, daemon=True).start()
load, write_bytes, replace, start, mkdir = (
    builder.Manifest.load, Path.write_bytes, Path.replace, pdf._Running.start, os.mkdir
)


def load_manifest(folder, *, read_only=False):
    reached("verrou")  # the lock is held, the work folder of a killed build removed
    return load(folder, read_only=read_only)


def staged(self, data):
    written = write_bytes(self, data)
    if ".ctgdocs-tmp" in self.parts and self.suffix == ".docx":
        reached("rendu")
    return written


def replaced(self, target):
    target = Path(target)
    if target.name == "manifest.json":
        reached("manifeste")  # its temporary file written, not yet renamed
    moved = replace(self, target)
    reached({".docx": "document", ".pdf": "pdf", ".json": "fin"}.get(target.suffix, ""))
    return moved


def started(self, command):
    process = start(self, command)
    reached("soffice")
    return process


def made(path, *args, **kwargs):
    mkdir(path, *args, **kwargs)
    if os.path.basename(path).startswith("ctgdocs-profil-"):
        reached("profil")  # a LibreOffice profile created, soffice not started yet


builder.Manifest.load = load_manifest
Path.write_bytes, Path.replace, pdf._Running.start, os.mkdir = staged, replaced, started, made
from ctgdocs.cli import main

sys.argv = ["ctgdocs", *sys.argv[sys.argv.index("--") + 1 :]]
main()
"""

# A soffice that hangs with a child of its own, as soffice.bin under its launcher.
HANGS = "sleep 600 &\nwait"


def version(source: Path, number: int) -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    source.write_text(text.replace(VERSIONS[0], VERSIONS[number]), encoding="utf-8")


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, bytes]]:
    """The documents of a clean build of each version."""
    folder = tmp_path_factory.mktemp("propres")
    built = []
    for number in (0, 1):
        version(folder / "ctg.yaml", number)
        assert run("build", folder / "ctg.yaml", "-o", folder / str(number)).exit_code == 0
        built.append(built_documents(folder / str(number)))
    return built


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, Path]:
    """Output folders of version 0, without and with PDF, built once for every test to copy."""
    folder = tmp_path_factory.mktemp("version-0")
    version(folder / "ctg.yaml", 0)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CTGDOCS_SOFFICE", str(fake_soffice(folder / "bin", CONVERTS)))
        for pdf, name in ((False, "docx"), (True, "pdf")):
            options = ["--pdf"] if pdf else []
            assert run("build", folder / "ctg.yaml", "-o", folder / name, *options).exit_code == 0
    return {False: folder / "docx", True: folder / "pdf"}


class Setup:
    """A convention, its output folder, the soffice stand-ins, and how to build it in-process."""

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.source = tmp_path / "ctg.yaml"
        self.out = tmp_path / "out"
        self.temp = tmp_path / "temp"
        self.converts = fake_soffice(tmp_path / "bin", CONVERTS)
        self.hangs = fake_soffice(tmp_path / "bin-bloque", f"{CONVERTS}\n{HANGS}")
        monkeypatch.setenv("CTGDOCS_SOFFICE", str(self.converts))

    def start_from(self, built: Path) -> None:
        """Begin where a complete build of version 0 (as `first` made it) left the folder."""
        version(self.source, 0)
        shutil.copytree(built, self.out)  # times kept: the manifest still vouches for them

    def build(self, number: int, *options: str) -> None:
        """Bring the folder to `number` in-process: a build after a killed one repairs it."""
        version(self.source, number)
        result = run("build", self.source, "-o", self.out, *options)
        assert result.exit_code == 0, result.stderr
        assert "attente" not in result.stdout  # no lock left held

    def child(
        self, number: int, options: tuple[str, ...], point: str, count: int, sig: str, **env: str
    ) -> Child:
        version(self.source, number)
        return Child(
            ["build", str(self.source), "-o", str(self.out), *options],
            temp=self.temp,
            env={"CTGDOCS_SOFFICE": str(self.converts), **env},
            code=INJECT,
            code_args=(point, str(count), sig, "1" if "-j2" in options else "0"),
            session=sig == "SIGKILL-groupe",
        )

    def check_repaired(self, number: int, clean: list[dict[str, bytes]], *options: str) -> None:
        """The next build cleans up and gives the bytes of a clean build, manifest included."""
        self.build(number, *options)
        assert built_documents(self.out) == clean[number]
        assert leftovers(self.out, self.temp) == []
        consistent(self.out)
        check = run("build", self.source, "-o", self.out, "--check", *options)
        assert check.exit_code == 0, check.stdout


def expected_end(child: Child, sig: str, returncode: int) -> None:
    """A SIGKILL ends at once; a SIGTERM ends as Ctrl-C does: « Interrompu. », code 130."""
    if sig.startswith("SIGKILL"):
        assert returncode == -signal.SIGKILL, child.stderr
    else:
        assert returncode == 130, child.stderr
        assert child.stderr.endswith("Interrompu.\n"), child.stderr
        assert "Traceback" not in child.stderr


PDF = ("--pdf", "-j2")
# (step, how many times it is reached before the kill, build options)
STEPS = [
    ("verrou", 1, ()),
    ("rendu", 3, ()),
    ("rendu-processus", 1, ("-j2",)),
    ("document", 4, ()),
    ("manifeste", 1, ()),
    ("fin", 1, ()),
    ("profil", 1, PDF),
    ("soffice", 1, PDF),
    ("soffice", 2, PDF),
    ("pdf", 3, PDF),
]
BOTH = examples(1) > 1
CASES = [
    pytest.param((step, count, options, sig), id=f"{step}{count}{''.join(options)}-{sig}")
    for index, (step, count, options) in enumerate(STEPS)
    for sig in ("SIGKILL", "SIGTERM")
    # By default each step once, the signals alternating; both with CTGDOCS_EXAMPLES.
    if BOTH or step == "soffice" or (sig == "SIGKILL") == (index % 2 == 0)
]
# The whole process group killed at once (`kill -9 -PGID`): the watcher, in a session of
# its own, survives it to stop soffice.
CASES.append(pytest.param(("soffice", 1, PDF, "SIGKILL-groupe"), id="soffice1-groupe"))


@pytest.mark.parametrize("case", CASES)
def test_build_killed_at_a_step(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    clean: list[dict[str, bytes]],
    first: dict[bool, Path],
    case: tuple[str, int, tuple[str, ...], str],
) -> None:
    step, count, options, sig = case
    setup = Setup(tmp_path, monkeypatch)
    pdf = "--pdf" in options
    setup.start_from(first[pdf])
    # A soffice that hangs far longer than the test waits: an interrupted build must stop it.
    soffice = {"CTGDOCS_SOFFICE": str(setup.hangs), "CTGDOCS_SOFFICE_TIMEOUT": "600"}
    soffice = soffice if step == "soffice" else {}
    child = setup.child(1, options, step, count, sig, **soffice)
    orphans = child.settle()
    expected_end(child, sig, child.process.returncode)
    assert orphans == []  # workers, soffice and its child, the watcher: all gone
    check_outputs(setup.out, clean)
    # LibreOffice profiles are removed by the build (SIGTERM) or its watcher (SIGKILL).
    assert list(setup.temp.glob("ctgdocs-profil-*")) == []
    setup.check_repaired(1, clean, *(["--pdf"] if pdf else []))


CONFIGURATIONS = {"seul": (), "processus": ("-j2",), "pdf": PDF}


def moment(out: Path, before: dict[str, bytes], after: dict[str, bytes]) -> str:
    """Where the build was when it was killed, from what it left."""
    documents = built_documents(out)
    replaced = sum(documents[k] != before[k] for k in before if documents[k] == after[k])
    if replaced == 0:
        return "avant la mise en place"
    if replaced < len(before):
        return "pendant la mise en place"
    manifest = Manifest.load(out, read_only=True)
    recorded = {k: e.sha256 for k, e in manifest.items()}
    if any(recorded.get(k) != sha256_file(out / k) for k in before):
        return "documents en place, manifeste ancien"
    return "après le manifeste"


def activity(child: Child) -> str:
    """What the build had started when it was signalled: workers, soffice."""
    try:
        commands = [" ".join(p.cmdline()) for p in child.children()]
    except psutil.Error:
        return ""
    if any("soffice" in command for command in commands):
        return ", soffice en cours"
    if any("spawn_main" in command for command in commands):
        return ", processus lancés"
    return ""


def convert_in_libreoffice(samples: list[bytes], folder: Path) -> None:
    """Open each distinct document left by a killed build in LibreOffice (one soffice call)."""
    folder.mkdir()
    paths = []
    for index, data in enumerate(samples):
        paths.append(folder / f"{index:03d}.docx")
        paths[-1].write_bytes(data)
    profile = folder / "profil"
    subprocess.run(
        [
            find_soffice(),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            *("--convert-to", "pdf", "--outdir", str(folder)),
            *map(str, paths),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    for path in paths:
        assert valid_pdf(path.with_suffix(".pdf")), f"LibreOffice n'a pas ouvert {path.name}"


def test_builds_killed_at_random_moments(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    clean: list[dict[str, bytes]],
    first: dict[bool, Path],
) -> None:
    rng = random.Random(SEED)
    setup = Setup(tmp_path, monkeypatch)
    setup.start_from(first[True])
    durations: dict[str, float] = {}
    tally: collections.Counter[tuple[str, str]] = collections.Counter()
    samples: dict[str, bytes] = {}
    current = 0
    kills = examples(6)
    for index in range(kills):
        name = list(CONFIGURATIONS)[index % 3]
        options = CONFIGURATIONS[name]
        sig = ("SIGKILL", "SIGTERM")[(index // 3 + index) % 2]
        target = 1 - current
        where = f"graine {SEED}, essai {index} ({name}, {sig})"
        if name not in durations:
            # How long this build takes here and now, to spread the kills over it.
            start = time.monotonic()
            child = setup.child(target, options, "aucun", 0, sig)
            assert child.settle() == [] and child.process.returncode == 0, child.stderr
            durations[name] = time.monotonic() - start
            setup.build(current, "--pdf")
        delay = rng.uniform(0.0, durations[name])
        start = time.monotonic()
        child = setup.child(target, options, "aucun", 0, sig)
        while time.monotonic() < start + delay and child.process.poll() is None:
            time.sleep(0.005)
        running = activity(child)
        finished = child.process.poll() is not None
        child.kill(getattr(signal, sig))
        orphans = child.settle()
        assert orphans == [], where
        returncode = child.process.returncode
        if finished or returncode == 0:
            assert returncode == 0, f"{where} : {child.stderr}"
            label = "terminée avant le signal"
            # Spread the next kills over what a build takes now, the machine as loaded as it is.
            durations[name] = min(durations[name], time.monotonic() - start)
        elif sig == "SIGTERM" and returncode == -signal.SIGTERM:
            label = "au démarrage de Python (avant le gestionnaire du signal)"
        else:
            expected_end(child, sig, returncode)
            label = moment(setup.out, clean[current], clean[target]) + running
        tally[sig, label] += 1
        left = check_outputs(setup.out, [clean[current], clean[target]])
        convention = left[f"{REF}/convention.docx"]
        samples.setdefault(sha256_bytes(convention), convention)
        assert list(setup.temp.glob("ctgdocs-profil-*")) == [], where
        setup.check_repaired(target, clean, "--pdf")
        current = target
    summary = "\n".join(
        f"  {sig} {label} : {count}" for (sig, label), count in sorted(tally.items())
    )
    print(f"\n{kills} constructions tuées (graine {SEED}) :\n{summary}")
    if libreoffice_available():
        convert_in_libreoffice(list(samples.values()), tmp_path / "libreoffice")
    elif os.environ.get("CI") == "true":
        pytest.fail(
            "CI=true : LibreOffice doit ouvrir les documents laissés par les constructions tuées"
        )


LOST_WAKEUP = """
import signal, threading
from concurrent.futures import Future
from ctgdocs.workers import first_completed

class Stop(Exception):
    pass

def stop(signum, frame):
    raise Stop

signal.signal(signal.SIGUSR1, stop)

def received_here():
    threading.Event().wait(0.3)  # the main thread is asleep in its wait by now
    signal.pthread_kill(threading.get_ident(), signal.SIGUSR1)

threading.Thread(target=received_here, daemon=True).start()
try:
    first_completed({Future()})  # never done, as a conversion whose soffice hangs
except Stop:
    print("arrêté")
"""


def test_a_signal_another_thread_received_stops_the_wait() -> None:
    # The SIGTERM a conversion's thread receives trips the flag that the main thread reads
    # between two bytecodes; a main thread asleep in `concurrent.futures.wait` without a
    # timeout never reads it, and the build hung until soffice's timeout (CI, -j2 --pdf).
    done = subprocess.run(
        [sys.executable, "-c", LOST_WAKEUP],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout) == (0, "arrêté\n"), done.stderr
