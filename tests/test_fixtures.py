"""One YAML per failure mode: `ctgdocs validate` prints exactly what the fixture expects.

Each file under fixtures/invalides ends with the expected output as comments:
`# Sortie attendue de « ctgdocs validate » (code N) :` then one `#> ` line each
(the file name prefix left out, so the line numbers are those of the file).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import FIXTURES, run

INVALIDES = sorted((FIXTURES / "invalides").glob("*.yaml"))
_HEADER = re.compile(r"^# Sortie attendue de « ctgdocs validate » \(code (\d)\) :$", re.M)


def expected(path: Path) -> tuple[int, list[str]]:
    text = path.read_text(encoding="utf-8")
    header = _HEADER.search(text)
    assert header, f"{path.name} : sortie attendue absente"
    lines = [line[3:] for line in text[header.end() :].splitlines() if line.startswith("#> ")]
    return int(header[1]), lines


@pytest.mark.parametrize("fixture", INVALIDES, ids=lambda p: p.stem)
def test_fixture_output_is_exact(fixture: Path) -> None:
    code, lines = expected(fixture)
    result = run("validate", fixture.name, cwd=fixture.parent)
    assert result.exit_code == code
    assert result.stdout.splitlines() == [f"{fixture.name}:{line}" for line in lines[:-1]] + [
        lines[-1]
    ]
    assert result.stderr == ""


def test_every_failure_fixture_reports_a_problem() -> None:
    # A fixture that expects nothing would prove nothing.
    for fixture in INVALIDES:
        code, lines = expected(fixture)
        assert len(lines) >= 2, fixture.name
        assert code == 1 or "avertissement" in "".join(lines), fixture.name


def test_all_fixtures_in_one_run_sorted_by_file() -> None:
    result = run("validate", FIXTURES / "invalides")
    assert result.exit_code == 1
    files = [line.split(":", 1)[0] for line in result.stdout.splitlines()[:-1]]
    assert files == sorted(files)
    assert len(set(files)) == len(INVALIDES)
    errors = sum(line.count(": erreur: ") for line in result.stdout.splitlines())
    assert f"{errors} erreurs" in result.stdout.splitlines()[-1]
