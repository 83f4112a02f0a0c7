"""Time `ctgdocs --help` and `ctgdocs validate` on one file, as a user runs them.

Usage: .venv/bin/python bench/validate.py [RUNS]
Prints the median and worst wall time of each command over RUNS runs (default 10).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CTGDOCS = Path(sys.executable).parent / "ctgdocs"
COMMANDS = {
    "ctgdocs --help": [str(CTGDOCS), "--help"],
    "ctgdocs validate (référence)": [
        str(CTGDOCS),
        "validate",
        str(ROOT / "conventions" / "pays-de-laigle-2018.yaml"),
    ],
    "ctgdocs validate conventions/": [str(CTGDOCS), "validate", str(ROOT / "conventions")],
}


def main(runs: int) -> None:
    for label, command in COMMANDS.items():
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
        print(
            f"{label:35} médiane {statistics.median(times) * 1000:6.0f} ms   "
            f"pire {max(times) * 1000:6.0f} ms   ({runs} essais)"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
