"""The action plan annex as LibreOffice lays it out: no pilot's name cut inside a word."""

from __future__ import annotations

import importlib.util
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from ctgdocs.builder import BuildOptions, written

from .conftest import ROOT
from .docx_tools import plain

pytestmark = [pytest.mark.libreoffice, pytest.mark.usefixtures("needs_libreoffice")]

# Corpus territories whose Caf pilots fiches under a long hyphenated name: the Métropole
# d'Aix-Marseille-Provence (« La Caf des Bouches-du-Rhône », printed « Bouches-du-Rhô » /
# « ne » in a 3 cm column) and Durance-Lubéron-Verdon (« Alpes-de-Haute-Provence »).
SIRENS = ("200054807", "200034700")
_COMPOUND = re.compile(r"\w+(?:-\w+)+")


def _convention(siren: str, folder: Path) -> Path:
    spec = importlib.util.spec_from_file_location("corpus", ROOT / "bench" / "corpus.py")
    assert spec is not None and spec.loader is not None
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    folder.mkdir(exist_ok=True)
    path = folder / f"{siren}.yaml"
    path.write_text(yaml.safe_dump(corpus.convention(siren), allow_unicode=True), "utf-8")
    return path


@pytest.mark.parametrize("siren", SIRENS)
def test_a_pilot_s_name_is_never_cut_inside_a_word(tmp_path: Path, siren: str) -> None:
    source = _convention(siren, tmp_path / "yaml")
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    built = written([source], BuildOptions(output=tmp_path / "out", only=("convention",), pdf=True))
    pdf = next(path for path in built if path.name == "convention.docx").with_suffix(".pdf")
    command = ["pdftotext", "-enc", "UTF-8", "-layout", str(pdf), "-"]
    text = plain(subprocess.run(command, check=True, capture_output=True, encoding="utf-8").stdout)
    plan = text[text.index("Annexe 2 – Plan d'actions") :]
    names = {
        compound
        for partie in data["parties"]
        for compound in _COMPOUND.findall(partie["nom_court"])
    }
    assert names
    words = set(plan.split())
    for name in names:
        # A piece of the name alone on a line of the column: cut inside a word.
        cut = {
            w
            for w in words
            if w != name
            and (
                (name.startswith(w) and not w.endswith("-"))
                or (name.endswith(w) and name[-len(w) - 1] != "-")
            )
        }
        assert not cut, (name, cut)
