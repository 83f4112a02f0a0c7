"""Sweep the national corpus: Open XML SDK errors of every document, page faults of a sample.

Usage: .venv/bin/python bench/sweep.py [--pas 4] [--pages 2] [--sans-sdk] [--sans-pdf]
                                       [--garder DOSSIER] [--relire DOSSIER] [-v]
Needs the corpus (`.venv/bin/python bench/corpus.py`). Builds every PAS-th convention of
bench/corpus/ with --jobs 1 (all its documents), validates every .docx with the Open XML SDK
in one Node process, then converts with LibreOffice (batches of 25, one process) the
documents of every PAGES-th convention built (the convention, its consolidated version, its
avenants, the first and last fiche action, fiche de suivi and compte rendu) and checks the
page rules of issue 9 on each PDF (tests/pdf_pages.page_faults). Prints the counts; -v lists.
--relire DOSSIER checks the page rules again on the PDFs a sweep kept there (--garder), without
building or converting: the rules of today on the pages of another version.
"""

from __future__ import annotations

import argparse
import collections
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ctgdocs.builder import BuildOptions, written  # noqa: E402
from ctgdocs.pdf import Conversion, convert_all  # noqa: E402
from ctgdocs.sdk_validation import SchemaError, find_validator, validate_files  # noqa: E402
from tests.pdf_pages import FAULT_KINDS, page_faults  # noqa: E402

CORPUS = ROOT / "bench" / "corpus"
SERIES = ("fiches-actions", "fiches-suivi", "comptes-rendus")


def sample(folder: Path) -> list[Path]:
    """The documents of one built convention that the page check converts."""
    chosen = [folder / "convention.docx", folder / "convention-consolidee.docx"]
    chosen += sorted((folder / "avenants").glob("*.docx"))
    for series in SERIES:
        found = sorted((folder / series).glob("*.docx"))
        chosen += found[:1] + found[-1:] if len(found) > 1 else found
    return [path for path in chosen if path.exists()]


# Documents per Node process: the SDK's start-up costs seconds; the count so far is printed.
SDK_CHUNK = 500
# The shorter kinds first, so that a sweep stopped early has seen every kind.
ORDER = ("convention", "convention-consolidee", "avenants", "comptes-rendus", "fiches-suivi")


def _kind(path: Path) -> str:
    """convention, convention-consolidee, avenants, comptes-rendus… of a built document."""
    return path.stem if path.parent.name.startswith("CTG-") else path.parent.name


def _rank(path: Path) -> tuple[int, str]:
    kind = _kind(path)
    return (ORDER.index(kind) if kind in ORDER else len(ORDER), str(path))


def sdk(documents: list[Path], verbose: bool) -> None:
    start = time.perf_counter()
    validator = find_validator()
    documents = sorted(documents, key=_rank)
    results: dict[Path, list[SchemaError]] = {}
    for index in range(0, len(documents), SDK_CHUNK):
        results.update(validate_files(documents[index : index + SDK_CHUNK], validator))
        wrong = [path for path, found in results.items() if found]
        print(
            f"  {len(results)} / {len(documents)} validés, {len(wrong)} en erreur "
            f"({time.perf_counter() - start:.0f} s)",
            flush=True,
        )
    errors = collections.Counter(
        (error.part, error.code) for found in results.values() for error in found
    )
    wrong = [path for path, found in results.items() if found]
    kinds = collections.Counter(_kind(path) for path in documents)
    print(
        f"SDK Open XML : {len(documents)} documents validés en "
        f"{time.perf_counter() - start:.0f} s "
        f"({dict(sorted(kinds.items()))}), "
        f"{sum(errors.values())} erreurs dans {len(wrong)} documents"
    )
    for (part, code), count in errors.most_common(20):
        print(f"  {count} × {part} {code}")
    for path in wrong[: 20 if verbose else 3]:
        print(f"  {path} : {results[path][0].message()}")


def pages(folders: list[Path], work: Path, build_folder: Path, verbose: bool) -> None:
    batch = work / "pdf"
    batch.mkdir()
    conversions = []
    for folder in folders:
        for path in sample(folder):
            relative = path.relative_to(build_folder).as_posix().replace("/", "--")
            copy = batch / relative
            shutil.copyfile(path, copy)
            conversions.append(Conversion(copy, copy.with_suffix(".pdf")))
    start = time.perf_counter()
    failures = convert_all(conversions, work / "lo", jobs=1)
    # « CTG-…--avenants--avenant-1.docx » : avenants ; « CTG-…--convention.docx » : convention.
    kinds = collections.Counter(c.source.stem.split("--")[1] for c in conversions)
    print(
        f"Pages : {len(conversions)} PDF de {len(folders)} conventions en "
        f"{time.perf_counter() - start:.0f} s ({dict(sorted(kinds.items()))}), "
        f"{len(failures)} conversions en échec"
    )
    report(conversions, verbose)


def report(conversions: list[Conversion], verbose: bool) -> None:
    """The page faults of each converted document, counted by kind."""
    faults = collections.defaultdict(list)
    for conversion in conversions:
        if conversion.target.exists():
            for fault, where in page_faults(conversion.target, conversion.source):
                faults[fault].append(f"{conversion.source.stem} {where}")
    for fault in FAULT_KINDS:
        print(f"  {fault} : {len(faults[fault])}")
        for line in faults[fault] if verbose else ():
            print(f"      {line}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pas", type=int, default=4, help="one convention in PAS (4 : 314)")
    parser.add_argument("--pages", type=int, default=2, help="one built convention in PAGES")
    parser.add_argument("--sans-sdk", action="store_true")
    parser.add_argument("--sans-pdf", action="store_true")
    parser.add_argument("--garder", type=Path, help="folder kept with the documents and PDFs")
    parser.add_argument("--relire", type=Path, help="folder of a kept sweep: its PDFs again")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    if args.relire:
        kept = sorted((args.relire / "pdf").glob("*.docx"))
        print(f"Pages : {len(kept)} documents relus dans {args.relire / 'pdf'}")
        report([Conversion(path, path.with_suffix(".pdf")) for path in kept], args.verbose)
        return 0
    sources = sorted(CORPUS.glob("*.yaml"))[:: args.pas]
    if not sources:
        print(f"{CORPUS} est vide : lancez d'abord bench/corpus.py", file=sys.stderr)
        return 1
    work = args.garder or Path(tempfile.mkdtemp(prefix="ctgdocs-sweep-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        start = time.perf_counter()
        built = written(sources, BuildOptions(output=work / "build", jobs=1, force=True))
        print(
            f"{len(sources)} conventions, {len(built)} documents produits en "
            f"{time.perf_counter() - start:.0f} s"
        )
        if not args.sans_sdk:
            sdk(sorted(built), args.verbose)
        if not args.sans_pdf:
            folders = sorted(p for p in (work / "build").iterdir() if p.is_dir())
            pages(folders[:: args.pages], work, work / "build", args.verbose)
    finally:
        if args.garder is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
