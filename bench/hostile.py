"""Feed `ctgdocs build` hostile inputs, as a careless or malicious user would, and count outcomes.

Usage: .venv/bin/python bench/hostile.py [KIND...] [--timeout S] [--jobs N] [--show]
KIND is one of structure, caracteres, nombres, longueurs, noms, guillemets (on the reference
convention), types, references, doublons, listes, dates, speciaux, caracteres+ (on a convention
that fills every key of the format, bench/mutations.py); default: all.
Each case is one convention file built by `ctgdocs build FILE -o DIR` in its own process,
then sorted into: accepté (code 0, every .docx opens), refusé (code 1, a located French
message, nothing written), and the failures: refusé sans position, sortie partielle,
erreur interne (code 4 or a trace), bloqué (past the timeout), autre code. Prints one line
per kind with the counts, the slowest case and the largest memory used; --show prints every
failing case with its first message.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import re
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from docx import Document

import ctgdocs as ctgdocs_package
from ctgdocs.checking import check_file
from ctgdocs.cli import main as ctgdocs
from ctgdocs.loader import parse_text
from ctgdocs.validation import _rules_at

# bench/mutations.py, whether this file runs as a script or is loaded by the tests.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from mutations import COMPLETE, Case
from mutations import KINDS as FIELD_KINDS

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "conventions" / "pays-de-laigle-2018.yaml"
# The child reports its peak memory (where the platform tells it) on its last stderr line.
RUNNER = (
    "import atexit, sys\n"
    "try:\n"
    "    import resource\n"
    "    atexit.register(lambda: sys.stderr.write("
    "f'\\n@maxrss {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n'))\n"
    "except ImportError:\n"
    "    pass\n"
    "from ctgdocs.cli import main\n"
    "sys.argv = ['ctgdocs', *sys.argv[1:]]\n"
    "main()\n"
)
LOCATED = re.compile(r":\d+:\d+: erreur: ")


@dataclass
class Outcome:
    case: Case
    verdict: str
    seconds: float
    maxrss_kb: int
    message: str


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**9)


def scalars(data: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from scalars(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from scalars(value, (*path, index))
    elif isinstance(data, str):
        yield path


def set_at(data: Any, path: tuple[str | int, ...], value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def one_per_field(paths: list[tuple[str | int, ...]]) -> list[tuple[str | int, ...]]:
    """The first path of each field (list indexes ignored): one case per schema field."""
    seen: dict[tuple[str, ...], tuple[str | int, ...]] = {}
    for path in paths:
        seen.setdefault(tuple(p if isinstance(p, str) else "[]" for p in path), path)
    return list(seen.values())


def typed(type_: str) -> list[tuple[str | int, ...]]:
    return [p for p in FIELDS if (_rules_at(p) or {}).get("type") == type_]


def label(path: tuple[str | int, ...]) -> str:
    return ".".join(str(p) for p in path)


def mutations(
    kind: str,
    paths: list[tuple[str | int, ...]],
    values: list[str],
    name: Callable[[str], str],
    valid: tuple[str, ...] = (),
) -> Iterator[Case]:
    for path in paths:
        for value in values:
            data = parse_text(BASE)[0]
            set_at(data, path, value)
            yield Case(kind, f"{label(path)} = {name(value)}", dump(data), value not in valid)


BASE = REFERENCE.read_text(encoding="utf-8")
FIELDS = one_per_field(list(scalars(parse_text(BASE)[0])))


def structure() -> Iterator[Case]:
    for levels in (4, 9):
        text = 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
        for i in range(1, levels):
            text += f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n"
        yield Case("structure", f"billion laughs, {levels} niveaux", text)
    yield Case(
        "structure", "ancre et alias simples", BASE.replace("format: 1", "format: &v 1\nx: *v")
    )
    for depth in (40, 500, 999, 10_000):
        yield Case("structure", f"imbrication [] {depth}", f"a: {'[' * depth}{']' * depth}\n")
        yield Case("structure", f"imbrication {{}} {depth}", f"a: {'{b: ' * depth}1{'}' * depth}\n")
    block = "".join(f"{'  ' * i}k{i}:\n" for i in range(300)) + f"{'  ' * 300}x: 1\n"
    yield Case("structure", "imbrication en blocs 300", block)
    for count in (1_000, 20_000, 60_000):
        keys = "".join(f"cle{i}: valeur\n" for i in range(count))
        yield Case("structure", f"{count} clés inconnues", BASE + keys)
        items = "".join(f"  - inconnu{i}\n" for i in range(count))
        yield Case(
            "structure",
            f"champs : {count} éléments",
            BASE.replace("  - petite_enfance\n", items, 1),
        )
    yield Case("structure", "fichier de 6 Mo", BASE + "#" * 6_000_000 + "\n")
    yield Case(
        "structure", "valeur de 4 Mo", BASE.replace("format: 1", f"format: 1\nx: {'a' * 4_000_000}")
    )


def caracteres() -> Iterator[Case]:
    texts = typed("texte") + typed("ligne") + typed("code")
    yield from mutations(
        "caracteres",
        texts,
        ["avant\x01après", "avant\ufffeaprès", "avant\uffffaprès", "avant\x0baprès"],
        ascii,
    )
    for case in mutations("caracteres", texts, ["SURROGAT0SEUL"], lambda v: "surrogat seul"):
        # A lone surrogate cannot be dumped: write its YAML escape in its place.
        assert "SURROGAT0SEUL" in case.text and "'SURROGAT0SEUL'" not in case.text
        yield Case(case.kind, case.label, case.text.replace("SURROGAT0SEUL", '"a\\ud800b"'))


def nombres() -> Iterator[Case]:
    yield from mutations(
        "nombres", typed("entier"), ["9" * 5000, "9" * 30, "0", "²", "\u0661\u0662"], _short
    )
    yield from mutations(
        "nombres",
        typed("montant")[:3],
        ["9" * 27, "9" * 40 + ".99", "1e9", "\u0661\u0662\u0660\u0660", "NaN", "Infinity"],
        _short,
    )
    yield from mutations(
        "nombres",
        typed("date"),
        ["9999-12-31", "0001-01-01", "\u0662\u0660\u0661\u0668-\u0660\u0666-\u0662\u0668"],
        _short,
    )
    yield from mutations(
        "nombres", typed("heure"), ["\u0661\u0664:\u0663\u0660", "23:59"], _short, ("23:59",)
    )
    yield from mutations(
        "nombres", typed("siren"), ["20006846²", "２00068468", "²²²²²²²²²"], _short
    )
    yield from mutations("nombres", typed("insee"), ["６1214", "6121\u00b2"], _short)


def longueurs() -> Iterator[Case]:
    yield from mutations("longueurs", typed("ligne"), ["a" * 240, "é" * 3000], _short, ("a" * 240,))
    # Identifiers end up in file names and titles: 240 characters is too long for them.
    yield from mutations("longueurs", typed("code"), ["a" * 240, "é" * 3000], _short)


def noms() -> Iterator[Case]:
    names = ["..", ".", "CON", "nul", "COM1", "lpt9.docx", "AUX.txt", "a.", "a ", "../../x",
             "..\\..\\x", "/abs", "C:\\x", "x" * 250, "\u202eexe.docx", "-", "~", "é/è",
             "a\tb"]  # fmt: skip
    paths = [("convention", "reference"), ("fiches_actions", 0, "code")]
    # Refusing these is fine, accepting them too, as long as the files stay well named.
    yield from mutations("noms", paths, names, _short, tuple(names))
    data = parse_text(BASE)[0]
    data["fiches_actions"][1]["code"] = data["fiches_actions"][0]["code"].replace("-", " ")
    yield Case("noms", "deux codes de fiche, un même nom de fichier", dump(data))
    data = parse_text(BASE)[0]
    data["fiches_actions"][1]["code"] = data["fiches_actions"][0]["code"].lower()
    yield Case("noms", "deux codes de fiche ne différant que par la casse", dump(data))


def guillemets() -> Iterator[Case]:
    paths = [
        ("convention", "reference"),
        ("fiches_actions", 0, "code"),
        ("fiches_actions", 0, "axe"),
        ("axes", 0, "code"),
        ("parties", 0, "id"),
        ("fiches_actions", 0, "pilote", "partie"),
        *typed("insee")[:1],
        *typed("siren")[:1],
    ]
    data = parse_text(BASE)[0]
    for path in paths:
        value = data
        for part in path:
            value = value[part]
        for left, right in (("“", "”"), ("‘", "’"), ("«\u00a0", "\u00a0»")):
            copy = parse_text(BASE)[0]
            set_at(copy, path, f"{left}{value}{right}")
            yield Case("guillemets", f"{label(path)} = {left}{value}{right}", dump(copy))


def _short(value: str) -> str:
    return ascii(value) if len(value) < 30 else f"{value[:3]}… ({len(value)} caractères)"


KINDS: dict[str, Callable[[], Iterator[Case]]] = {
    "structure": structure,
    "caracteres": caracteres,
    "nombres": nombres,
    "longueurs": longueurs,
    "noms": noms,
    "guillemets": guillemets,
    **FIELD_KINDS,
}
# The kinds mutating the reference convention (the others mutate complete.yaml).
REFERENCE_KINDS = ("structure", "caracteres", "nombres", "longueurs", "noms", "guillemets")


def run(case: Case, timeout: float) -> Outcome:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "convention.yaml"
        source.write_text(case.text, encoding="utf-8", errors="surrogatepass")
        output = Path(folder) / "sortie"
        start = time.perf_counter()
        try:
            done = subprocess.run(
                [sys.executable, "-c", RUNNER, "build", str(source), "-o", str(output), "-q"],
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="replace",
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return Outcome(case, "bloqué", time.perf_counter() - start, 0, f"> {timeout} s")
        seconds = time.perf_counter() - start
        memory = re.search(r"@maxrss (\d+)", done.stderr)
        stderr = re.sub(r"\n?@maxrss \d+\n", "", done.stderr)
        first = next((line for line in stderr.splitlines() if line.strip()), "")
        outside = sorted(p.name for p in Path(folder).iterdir() if p not in (source, output))
        verdict, detail = _verdict(case, done.returncode, stderr, output, outside)
        return Outcome(case, verdict, seconds, int(memory[1]) if memory else 0, detail or first)


def run_forked(cases: list[Case], timeout: float, jobs: int) -> list[Outcome]:
    """Each case in a child forked from this process, ctgdocs already imported and warm:
    the same isolation as a fresh process (its own exit code, stderr, memory, timeout) at
    a tenth of the start-up cost. POSIX only; `run` is the portable way."""
    # Every module imported now, reference data and schema loaded once, shared by every
    # child: none reads the source files again (they may be edited during a long run).
    for module in pkgutil.walk_packages(ctgdocs_package.__path__, "ctgdocs."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    check_file(COMPLETE)
    outcomes: dict[int, Outcome] = {}
    running: dict[int, tuple[int, Path, float]] = {}
    pending = list(enumerate(cases))
    folders: dict[int, tempfile.TemporaryDirectory[str]] = {}
    while pending or running:
        while pending and len(running) < jobs:
            index, case = pending.pop(0)
            folders[index] = tempfile.TemporaryDirectory()
            folder = Path(folders[index].name)
            (folder / "convention.yaml").write_text(
                case.text, encoding="utf-8", errors="surrogatepass"
            )
            running[os.fork() or _child(folder)] = (index, folder, time.perf_counter())
        pid, status, usage = os.wait4(-1, os.WNOHANG)
        if pid == 0:
            now = time.perf_counter()
            for child, (index, _, start) in list(running.items()):
                if now - start > timeout:
                    os.kill(child, signal.SIGKILL)
                    os.waitpid(child, 0)
                    del running[child]
                    outcomes[index] = Outcome(cases[index], "bloqué", now - start, 0,
                                              f"> {timeout} s")  # fmt: skip
                    folders.pop(index).cleanup()
            time.sleep(0.005)
            continue
        index, folder, start = running.pop(pid)
        seconds = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        stderr = (folder / "stderr").read_text(encoding="utf-8", errors="replace")
        first = next((line for line in stderr.splitlines() if line.strip()), "")
        source, output, log = (folder / n for n in ("convention.yaml", "sortie", "stderr"))
        outside = sorted(p.name for p in folder.iterdir() if p not in (source, output, log))
        verdict, detail = _verdict(cases[index], code, stderr, output, outside)
        memory = usage.ru_maxrss
        outcomes[index] = Outcome(cases[index], verdict, seconds, memory, detail or first)
        folders.pop(index).cleanup()
    return [outcomes[i] for i in range(len(cases))]


def _child(folder: Path) -> int:
    """Run `ctgdocs build` on the folder's convention, then exit with its code (never returns)."""
    code = 4
    try:
        error = os.open(folder / "stderr", os.O_WRONLY | os.O_CREAT, 0o600)
        os.dup2(error, 2)
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        source, output = folder / "convention.yaml", folder / "sortie"
        ctgdocs(["build", str(source), "-o", str(output), "-q"], prog_name="ctgdocs")
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # a trace is the finding: the verdict reads it
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _verdict(
    case: Case, code: int, stderr: str, output: Path, outside: list[str]
) -> tuple[str, str]:
    """The verdict on one run, and what shows it when the first message does not."""
    files = sorted(output.rglob("*")) if output.exists() else []
    documents = [p for p in files if p.suffix == ".docx" and p.is_file()]
    badly_named = [p for p in files if not _portable(p.relative_to(output))]
    if "Traceback" in stderr or code == 4:
        return "erreur interne", ""
    if outside:
        return "écrit hors du dossier", ", ".join(outside)
    if badly_named:
        return "nom non portable", str(badly_named[0].relative_to(output))
    if code == 1:
        if documents:
            return "sortie partielle", str(documents[0].relative_to(output))
        if not LOCATED.search(stderr):
            return "refusé sans position", ""
        return ("refusé à tort", "") if case.accept else ("refusé", "")
    if code != 0:
        return f"code {code}", ""
    return _accepted(case, documents)


def _accepted(case: Case, documents: list[Path]) -> tuple[str, str]:
    """The verdict on a build that exited 0: its documents open and print the marker."""
    texts = []
    for path in documents:
        try:
            texts.append(_text(Document(str(path))))
        except Exception as exc:  # any failure to open is the finding
            return "document illisible", f"{path.name}: {exc}"
    if not documents:
        return "accepté sans document", ""
    if case.refuse:
        return "accepté à tort", ""
    if case.marker:
        lines = [line for text in texts for line in text.splitlines() if case.marker[0][:2] in line]
        if not lines:
            return "absent des documents", ""
        if not any(all(mark in line for mark in case.marker) for line in lines):
            return "imprimé autrement", lines[0][:60]
    return "accepté", ""


def _text(document: Any) -> str:
    """Every paragraph of a document: body, tables (nested too), headers and footers."""
    parts = [p.text for p in document.paragraphs]
    tables = list(document.tables)
    while tables:
        table = tables.pop()
        for cell in (c for row in table.rows for c in row.cells):
            parts += [p.text for p in cell.paragraphs]
            tables += cell.tables
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header):
            parts += [p.text for p in part.paragraphs]
    return "\n".join(parts)


GOOD = {"accepté", "refusé"}
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"{p}{n}" for p in ("COM", "LPT") for n in range(10))}


def _portable(relative: Path) -> bool:
    """A path Windows, macOS and Linux all accept, inside the output folder."""
    return all(
        part not in ("", ".", "..")
        and part.split(".")[0].upper() not in RESERVED
        and not part.endswith((".", " "))
        and len(part) <= 120
        and not re.search(r'[<>:"/\\|?*\x00-\x1f]', part)
        for part in relative.parts
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kinds", nargs="*", choices=[*KINDS, []], default=[])
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--show", action="store_true")
    parser.add_argument(
        "--processus", action="store_true", help="a fresh interpreter per case (slower)"
    )
    parser.add_argument("--part", default="1/1", help="K/N: every Nth case from the Kth")
    args = parser.parse_args()
    fork = hasattr(os, "fork") and not args.processus
    part, parts = (int(n) for n in args.part.split("/"))
    failures = 0
    total = 0
    for kind in args.kinds or list(KINDS):
        cases = list(KINDS[kind]())[part - 1 :: parts]
        if fork:
            outcomes = run_forked(cases, args.timeout, args.jobs)
        else:
            with ThreadPoolExecutor(args.jobs) as pool:
                outcomes = list(pool.map(lambda c: run(c, args.timeout), cases))
        counts = Counter(o.verdict for o in outcomes)
        slowest = max(outcomes, key=lambda o: o.seconds)
        memory = max(o.maxrss_kb for o in outcomes) // 1024
        print(
            f"{kind:11} {len(cases):4} cas : "
            + ", ".join(f"{n} {verdict}" for verdict, n in counts.most_common())
            + f" ; le plus lent {slowest.seconds:.1f} s ({slowest.case.label[:50]}),"
            f" mémoire max {memory} Mo",
            flush=True,
        )
        bad = [o for o in outcomes if o.verdict not in GOOD]
        failures += len(bad)
        total += len(cases)
        if args.show:
            for outcome in bad:
                print(f"    {outcome.verdict}: {outcome.case.label[:80]} → {outcome.message}")
    print(f"Total : {total} cas, {failures} en échec.")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
