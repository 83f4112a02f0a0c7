"""General, not tuned to the examples: every EPCI of the reference data scaffolds, validates, builds."""

from __future__ import annotations

import re
from pathlib import Path

from ctgdocs import referentiel
from ctgdocs.builder import BuildOptions, build
from ctgdocs.checking import check_file
from ctgdocs.juridictions import tribunal
from ctgdocs.scaffold import scaffold

from .docx_tools import docx_text

VALUES = {
    "reference": "CTG-{siren}",
    "debut": "2024-01-01",
    "fin": "2027-12-31",
    "civilite": "Madame",
    "prenom": "Anne",
    "nom": "Martin",
    "qualite": "Directrice",
    "date": "2023-12-01",
    "intitule": "Développer l'accueil du jeune enfant",
}


def filled(siren: str) -> str:
    """The scaffold of an EPCI with every placeholder answered as a person would."""
    text, _ = scaffold(siren)
    text = re.sub(
        r'(\w+): "À COMPLÉTER[^"]*"',
        lambda m: f'{m[1]}: "{VALUES.get(m[1], "Un texte.").format(siren=siren)}"',
        text,
    )
    text = re.sub(r'- "À COMPLÉTER[^"]*"', '- "Un élément."', text)
    return re.sub(r"    À COMPLÉTER : [^\n]*", "    Un préambule.", text)


def test_every_epci_scaffold_validates_once_filled(tmp_path: Path) -> None:
    sirens = sorted(referentiel._data()["epci"])
    assert len(sirens) == 1255
    failures = {}
    for siren in sirens:
        path = tmp_path / f"{siren}.yaml"
        path.write_text(filled(siren), encoding="utf-8")
        problems = check_file(path).report.problems
        if problems:
            failures[siren] = [f"{p.field}: {p.message}" for p in problems]

    # Only an EPCI whose members fall under several tribunaux administratifs (Grand Paris,
    # EPCI over two départements) is told to check the litigation article's tribunal.
    def tribunaux(siren: str) -> set[str | None]:
        known = referentiel.epci(siren)
        assert known is not None
        return {tribunal(referentiel.departement_of(code)) for code in known.membres}

    spanning = {siren for siren in sirens if len(tribunaux(siren)) > 1}
    assert 20 < len(spanning) < 100
    warned = {
        siren
        for siren, messages in failures.items()
        if len(messages) == 1
        and messages[0].startswith(
            "territoire.departement: le territoire relève de plusieurs tribunaux administratifs"
        )
    }
    assert {s: m for s, m in failures.items() if s not in warned} == {}
    assert warned == spanning


def test_unusual_epcis_build(tmp_path: Path) -> None:
    # Métropole de Lyon (MET69), Grand Paris (several départements), Guadeloupe, Corse-du-Sud.
    cases = {
        "200046977": "du Rhône",
        "200054781": "du Val-de-Marne",
        "200018653": "de la Guadeloupe",
        "242010056": "de la Corse-du-Sud",
    }
    sources = []
    for siren in cases:
        path = tmp_path / f"{siren}.yaml"
        path.write_text(filled(siren), encoding="utf-8")
        sources.append(path)
    result = build(sources, BuildOptions(output=tmp_path / "out"))
    assert result.written == 4
    for siren, caf in cases.items():
        text = docx_text(tmp_path / "out" / f"CTG-{siren}" / "convention.docx")
        assert f"La Caisse d'allocations familiales {caf}, représentée par sa Directrice" in text
        known = referentiel.epci(siren)
        assert known is not None
        assert f"sur le territoire {known.de_nom} et" in text
