"""Time PDF conversion: one soffice call for a batch against one call per document.

Usage: .venv/bin/python bench/pdf.py [COPIES]

Builds the example conventions (16 documents), takes COPIES copies of them
(default 2, so 32 documents), then converts the same files three ways in the
same run and prints the time per document:
  - one soffice call per document (a warm profile shared by the calls, its best case);
  - one soffice call for the whole batch (what ctgdocs does);
  - ctgdocs' own conversion with --jobs 1 and --jobs 2 (batches of 25, checks, retries).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ctgdocs.builder import BuildOptions, written
from ctgdocs.pdf import PDF_FILTER, Conversion, convert_all, find_soffice, valid_pdf

ROOT = Path(__file__).resolve().parent.parent


def soffice_call(soffice: str, profile: Path, outdir: Path, files: list[Path]) -> None:
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", PDF_FILTER, "--outdir", str(outdir), *map(str, files)],
        check=True, capture_output=True,
    )  # fmt: skip


def report(label: str, seconds: float, count: int) -> None:
    print(f"  {label:32} : {seconds:6.2f} s, {seconds / count * 1000:5.0f} ms/document")


def main(copies: int) -> None:
    soffice = find_soffice()
    work = Path(tempfile.mkdtemp(prefix="ctgdocs-bench-"))
    try:
        built = written(
            sorted((ROOT / "conventions").glob("*.yaml")), BuildOptions(output=work / "build")
        )
        sources = work / "docx"
        sources.mkdir()
        files = []
        for copy in range(copies):
            for index, path in enumerate(built):
                target = sources / f"{copy:02d}-{index:02d}-{path.name}"
                shutil.copyfile(path, target)
                files.append(target)
        count = len(files)
        # Warm a profile once, so that per-document calls pay only their own start-up.
        warm = work / "profil-chaud"
        soffice_call(soffice, warm, work / "chauffe", files[:1])

        start = time.perf_counter()
        for path in files:
            soffice_call(soffice, warm, work / "un-par-un", [path])
        one_by_one = time.perf_counter() - start

        start = time.perf_counter()
        soffice_call(soffice, work / "profil-lot", work / "lot", files)
        batch = time.perf_counter() - start

        timings = {}
        for jobs in (1, 2):
            targets = work / f"ctgdocs-j{jobs}"
            targets.mkdir()
            conversions = [Conversion(p, targets / p.with_suffix(".pdf").name) for p in files]
            start = time.perf_counter()
            failures = convert_all(conversions, work / f"tmp-j{jobs}", jobs=jobs)
            timings[jobs] = time.perf_counter() - start
            assert not failures and all(valid_pdf(c.target) for c in conversions)
        for folder in ("un-par-un", "lot"):
            assert len(list((work / folder).glob("*.pdf"))) == count

        print(f"{count} documents (exemples × {copies}), LibreOffice : {soffice}")
        report("un appel soffice par document", one_by_one, count)
        report("un appel soffice pour le lot", batch, count)
        for jobs, seconds in timings.items():
            report(f"ctgdocs convert_all --jobs {jobs}", seconds, count)
        print(f"  rapport un-par-un / lot : {one_by_one / batch:.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
