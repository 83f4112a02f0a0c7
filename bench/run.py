"""Measure the national build: both engines, a full build, validation and rebuilds.

Usage: .venv/bin/python bench/run.py [--quick] [--jobs N] [--corpus DOSSIER]
Prints, in one run and on a copy of the corpus (bench/corpus.py writes it if missing):
documents per second of the compiled engine and of plain docxtpl on the same contexts
(and whether their outputs are byte-identical); wall and CPU time of `ctgdocs build --jobs N`
and the peak memory of its parent process and of each worker (the parent's must not grow
with the number of conventions: compare `--quick` with the whole corpus); `ctgdocs validate`;
a no-change rebuild; a rebuild after editing one fiche. `--quick` takes 50 conventions
instead of 1,255. The machine's cores may be shared: CPU time (user + system, all
processes) is printed beside wall time.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ctgdocs.checking import check_file
from ctgdocs.documents import plan_documents
from ctgdocs.render import render_document
from ctgdocs.resources import template_path
from ctgdocs.typographie import composer

ROOT = Path(__file__).resolve().parent.parent
CTGDOCS = Path(sys.executable).parent / "ctgdocs"


@dataclass
class Timing:
    wall: float
    cpu: float
    peaks: dict[int, int]  # pid → peak resident memory in kB (Linux)
    output: str
    code: int
    parent: int  # the pid of ctgdocs itself; the others are its workers (and helpers)
    roles: dict[int, str]  # pid → "ouvrier" or another role (multiprocessing's helpers)


def _descendants(pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    found = [int(c) for c in children]
    return found + [d for c in found for d in _descendants(c)]


def _role(pid: int) -> str:
    """What a child of ctgdocs is: a worker, or a helper of multiprocessing's."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "ouvrier"
    return "suivi des ressources" if b"resource_tracker" in command else "ouvrier"


def _peak_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def timed(*args: str | Path) -> Timing:
    """Run ctgdocs; wall time, CPU time of it and its workers, peak memory of each process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(
        [str(CTGDOCS), *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    peaks: dict[int, int] = {}
    roles: dict[int, str] = {}

    def sample() -> None:
        while process.poll() is None:
            for pid in [process.pid, *_descendants(process.pid)]:
                peak = _peak_kb(pid)
                if peak:
                    peaks[pid] = max(peaks.get(pid, 0), peak)
                    if pid != process.pid and pid not in roles:
                        roles[pid] = _role(pid)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    wall = time.perf_counter() - start
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    text = output.decode("utf-8", "replace")
    return Timing(wall, cpu, peaks, text, process.returncode, process.pid, roles)


def _memory(timing: Timing) -> str:
    """Peak resident memory of the parent, of each worker, of multiprocessing's helpers."""
    if not timing.peaks:
        return "mémoire : non mesurée (pas de /proc)"
    parent = timing.peaks.get(timing.parent, 0)
    others = [(pid, v) for pid, v in timing.peaks.items() if pid != timing.parent]
    workers = sorted((v for pid, v in others if timing.roles[pid] == "ouvrier"), reverse=True)
    shown = ", ".join(f"{v / 1024:.0f} Mo" for v in workers) or "aucun"
    helpers = [
        f"{timing.roles[p]} {v / 1024:.0f} Mo" for p, v in others if timing.roles[p] != "ouvrier"
    ]
    return f"mémoire max : processus parent {parent / 1024:.0f} Mo ; par ouvrier {shown}" + (
        f" ; {', '.join(helpers)}" if helpers else ""
    )


def _load() -> str:
    """The load average (Unix): other processes on the cores slow the build's wall time."""
    if not hasattr(os, "getloadavg"):
        return "inconnue"
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


def calibration() -> float:
    """Seconds of CPU this machine takes for ten million Python additions, the best of three:
    the speed of a shared virtual machine varies by 2× from hour to hour, and builds timed at
    different hours compare only through it."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        total = 0
        for number in range(10_000_000):
            total += number
        best = min(best, time.process_time() - start)
    return best


def _line(label: str, timing: Timing, extra: str = "") -> None:
    print(f"{label:38} {timing.wall:7.1f} s   CPU {timing.cpu:7.1f} s   {extra}")
    if timing.code not in (0,):
        print(f"  code de sortie {timing.code} :\n{timing.output[-2000:]}")


def engines(conventions: list[Path], sample: int) -> None:
    """Documents per second of both engines on the same contexts, and byte identity."""
    documents = [d for p in conventions[:sample] for d in plan_documents(check_file(p).data or {})]
    outputs: dict[str, list[bytes]] = {}
    rates: dict[str, float] = {}
    for engine in ("rapide", "docxtpl", "rapide", "docxtpl"):
        render_document(template_path(documents[0].template), documents[0], engine)  # warm
        composer.cache_clear()  # each engine typesets every string once, as a build does
        start = time.process_time()
        outputs[engine] = [render_document(template_path(d.template), d, engine) for d in documents]
        # The best of two runs: the cores are shared, a slow run says nothing of the engine.
        rates[engine] = max(rates.get(engine, 0.0), len(documents) / (time.process_time() - start))
    same = sum(a == b for a, b in zip(outputs["rapide"], outputs["docxtpl"], strict=True))
    ratio = rates["rapide"] / rates["docxtpl"]
    print(
        f"{'moteur rapide':38} {rates['rapide']:7.0f} documents/s (CPU)   "
        f"docxtpl {rates['docxtpl']:5.0f} documents/s   rapport {ratio:.1f}×"
    )
    print(
        f"{'':38} {same}/{len(documents)} documents identiques octet pour octet "
        f"({sample} conventions)"
    )


def _edit_one_fiche(folder: Path) -> Path:
    path = sorted(folder.glob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    marker = "cible: "
    at = text.index(marker) + len(marker)
    end = text.index("\n", at)
    path.write_text(text[:at] + "'99 %'" + text[end:], encoding="utf-8")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50 conventions")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--corpus", type=Path, default=ROOT / "bench" / "corpus")
    args = parser.parse_args()
    if not any(args.corpus.glob("*.yaml")):
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "corpus.py"), str(args.corpus)], check=True
        )
    files = sorted(args.corpus.glob("*.yaml"))[: 50 if args.quick else None]
    work = Path(tempfile.mkdtemp(prefix="ctgdocs-bench-"))
    try:
        conventions = work / "conventions"
        conventions.mkdir()
        for path in files:
            shutil.copy(path, conventions / path.name)
        out = work / "build"
        print(
            f"{len(files)} conventions, {os.cpu_count()} cœurs, --jobs {args.jobs}, "
            f"charge de la machine {_load()} (d'autres processus faussent le temps réel)"
        )
        print(f"{'étalon de vitesse':38} {calibration():7.2f} s   (10 millions d'additions Python)")
        engines(sorted(conventions.glob("*.yaml")), 3 if args.quick else 10)
        validate = timed("validate", conventions)
        _line("ctgdocs validate", validate)
        full = timed("build", conventions, "-o", out, "--jobs", args.jobs, "-q")
        documents = sum(1 for _ in out.rglob("*.docx"))
        _line("ctgdocs build (tout)", full, f"{documents} documents, {documents / full.wall:.0f}/s")
        # CPU / wall: how busy the cores were (2.0 = both, all along, on 2 cores).
        print(f"{'':38} occupation des cœurs {full.cpu / full.wall:.2f} (CPU / temps réel)")
        print(f"{'':38} {_memory(full)}")
        again = timed("build", conventions, "-o", out, "--jobs", args.jobs)
        _line("ctgdocs build (rien de changé)", again, again.output.strip().splitlines()[-1][:60])
        print(f"{'':38} {_memory(again)}")
        _edit_one_fiche(conventions)
        edited = timed("build", conventions, "-o", out, "--jobs", args.jobs)
        _line(
            "ctgdocs build (une fiche modifiée)",
            edited,
            edited.output.strip().splitlines()[-1][:60],
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
