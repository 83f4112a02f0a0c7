"""Shared test helpers: paths, the CLI runner, and the LibreOffice gate."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ctgdocs.cli import main
from ctgdocs.errors import ConversionError
from ctgdocs.pdf import find_soffice

from .processes import stop_children

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CONVENTIONS = ROOT / "conventions"
REFERENCE = CONVENTIONS / "pays-de-laigle-2018.yaml"
MINIMALE = FIXTURES / "valides" / "minimale.yaml"
EXAMPLES = sorted(CONVENTIONS.glob("*.yaml"))
# The minimal convention with its perimeter declared: no problem at all, where MINIMALE warns
# that a perimeter derived from today's reference data may not be the one of 2022.
_COMMUNES = (
    "\n  communes:"
    '\n    - {insee: "30032", nom: Beaucaire}'
    '\n    - {insee: "30034", nom: Bellegarde}'
    '\n    - {insee: "30117", nom: Fourques}'
    '\n    - {insee: "30135", nom: Jonquières-Saint-Vincent}'
    '\n    - {insee: "30336", nom: Vallabrègues}'
)
SANS_PROBLEME = MINIMALE.read_text(encoding="utf-8").replace(
    'departement: "30"', 'departement: "30"' + _COMMUNES, 1
)


def run(*args: str | os.PathLike[str], cwd: Path | None = None) -> Result:
    """Run `ctgdocs ARGS…` in-process, stdout and stderr kept apart."""
    runner = CliRunner()
    argv: Sequence[str] = [str(a) for a in args]
    if cwd is None:
        return runner.invoke(main, argv, catch_exceptions=False)
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return runner.invoke(main, argv, catch_exceptions=False)
    finally:
        os.chdir(old)


def examples(count: int) -> int:
    """A hypothesis test's number of examples: bounded for `make test`, times
    CTGDOCS_EXAMPLES when set (CTGDOCS_EXAMPLES=20 make test, for a long search)."""
    return count * max(1, int(os.environ.get("CTGDOCS_EXAMPLES", "1")))


def soffice() -> str:
    """LibreOffice as ctgdocs finds it: on Windows, in Program Files rather than on the PATH."""
    return find_soffice()


def libreoffice_available() -> bool:
    try:
        soffice()
    except ConversionError:
        return False
    return all(shutil.which(tool) for tool in ("pdftotext", "pdfinfo"))


@pytest.fixture(scope="session")
def needs_libreoffice() -> None:
    """Skip without LibreOffice on a user's machine; fail under CI, which must prove it.

    Session-scoped, so that it runs before any module fixture that calls soffice.
    """
    if libreoffice_available():
        return
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true : LibreOffice (soffice) et poppler-utils doivent être installés")
    pytest.skip("LibreOffice (soffice) ou poppler-utils absent")


@pytest.fixture(autouse=True)
def _stop_children() -> Iterator[None]:
    """A fault test that fails midway leaves no build of its own running (tests/processes.py)."""
    yield
    stop_children()
