"""The action plan annex as LibreOffice lays it out: no name cut inside a word."""

from __future__ import annotations

import importlib.util
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from ctgdocs.builder import BuildOptions, written
from ctgdocs.wordml import typeset_part

from .conftest import ROOT
from .docx_tools import plain

# Corpus territories whose Caf pilots fiches under a long hyphenated name: the Métropole
# d'Aix-Marseille-Provence (« La Caf des Bouches-du-Rhône », printed « Bouches-du-Rhô » /
# « ne » in a 3 cm column) and Durance-Lubéron-Verdon (« Alpes-de-Haute-Provence »).
SIRENS = ("200054807", "200034700")
# A fiche's title naming a commune longer than the title's column holds.
LONG_NAME = "Saint-Marc-Jaumegarde"
_COMPOUND = re.compile(r"\w+(?:-\w+)+")
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _convention(siren: str, folder: Path) -> tuple[Path, dict[str, Any]]:
    spec = importlib.util.spec_from_file_location("corpus", ROOT / "bench" / "corpus.py")
    assert spec is not None and spec.loader is not None
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    data = corpus.convention(siren)
    data["fiches_actions"][0]["intitule"] = f"Créer un relais à {LONG_NAME}"
    folder.mkdir(exist_ok=True)
    path = folder / f"{siren}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return path, data


def _cut(name: str, words: set[str]) -> set[str]:
    """The beginnings of `name` printed alone that do not end at one of its hyphens: a cut
    inside a word always leaves one (« Bouches-du-Rhô »)."""
    return {w for w in words if w != name and name.startswith(w) and not w.endswith("-")}


@pytest.mark.libreoffice
@pytest.mark.usefixtures("needs_libreoffice")
@pytest.mark.parametrize("siren", SIRENS)
def test_no_name_of_the_plan_is_cut_inside_a_word(tmp_path: Path, siren: str) -> None:
    source, data = _convention(siren, tmp_path / "yaml")
    built = written([source], BuildOptions(output=tmp_path / "out", only=("convention",), pdf=True))
    pdf = next(path for path in built if path.name == "convention.docx").with_suffix(".pdf")
    command = ["pdftotext", "-enc", "UTF-8", "-layout", str(pdf), "-"]
    text = plain(subprocess.run(command, check=True, capture_output=True, encoding="utf-8").stdout)
    plan = text[text.index("Annexe 2 – Plan d'actions") :]
    names = {c for partie in data["parties"] for c in _COMPOUND.findall(partie["nom_court"])}
    assert names
    words = set(plan.split())
    for name in {*names, LONG_NAME}:
        assert not _cut(name, words), name


def _cell(width: int, text: str) -> bytes:
    return (
        f'<w:document {_W}><w:body><w:tbl><w:tr><w:tc><w:tcPr><w:tcW w:type="dxa" '
        f'w:w="{width}"/></w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc></w:tr>'
        f"</w:tbl><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
    ).encode()


def test_a_name_longer_than_its_cell_breaks_at_its_hyphens() -> None:
    name = "La Caf des Bouches\u2011du\u2011Rhône"
    narrow = typeset_part(_cell(1701, name)).decode()  # 3 cm: about 15 characters
    assert "La Caf des Bouches-du-Rhône</w:t>" in narrow
    # Outside the table, the same name stays whole.
    assert narrow.count("<w:noBreakHyphen/>") == 2
    wide = typeset_part(_cell(2438, name)).decode()  # 4.3 cm: about 23 characters
    assert wide.count("<w:noBreakHyphen/>") == 4
