"""The wheel a Windows user installs carries everything: templates, example, reference data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT

# What a build of the wheel reads from the checkout.
PIP = (sys.executable, "-m", "pip")
SOURCES = ("setup.py", "pyproject.toml", "README.md", "ctgdocs", "templates", "conventions")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of the checkout (pip would write build/ into it)."""
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [*PIP, "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(source)],
        check=True,
    )
    (built,) = out.glob("ctgdocs-*.whl")
    return built


def test_wheel_bundles_templates_examples_and_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in ("convention", "fiche-action", "compte-rendu", "avenant"):
        assert f"ctgdocs/bundled/{template}.docx" in names
    for example in sorted((ROOT / "conventions").glob("*.yaml")):
        assert f"ctgdocs/bundled/exemples/{example.name}" in names
    assert "ctgdocs/data/exemple/pays-de-laigle-2018.yaml" in names
    assert "ctgdocs/data/referentiel.json.gz" in names
    assert "ctgdocs/data/LICENCE-decoupage-administratif.txt" in names
    requires = next(n for n in names if n.endswith("METADATA"))
    metadata = zipfile.ZipFile(wheel).read(requires).decode()
    assert "Requires-Dist: filelock" in metadata and "Requires-Dist: psutil" in metadata


def test_installed_wheel_works_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    # Installed on its own (its dependencies are those of this venv), run from elsewhere.
    site = tmp_path / "site"
    subprocess.run(
        [*PIP, "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
        check=True,
    )
    user = tmp_path / "bureau"
    user.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}

    def ctgdocs(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "ctgdocs", *args],
            cwd=user,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    where = subprocess.run(
        [sys.executable, "-c", "import ctgdocs.resources as r; print(r.bundled_templates())"],
        cwd=user,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert where == str(site / "ctgdocs" / "bundled")
    assert ctgdocs("exemple").returncode == 0
    build = ctgdocs("build", "pays-de-laigle-2018.yaml", "-o", "documents")
    assert build.returncode == 0, build.stderr
    assert len(list((user / "documents").rglob("*.docx"))) == 8
    assert ctgdocs("templates", "check").returncode == 0
