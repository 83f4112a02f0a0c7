"""The public facts the acts cite: the competent tribunal administratif and the Cnaf's COG."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ctgdocs.checking import check_file
from ctgdocs.juridictions import cog_en_vigueur, tribunal
from ctgdocs.referentiel import departement, departement_bien_forme

from .conftest import MINIMALE


def test_every_departement_a_convention_may_name_has_its_tribunal() -> None:
    codes = [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"]
    codes += [str(n) for n in range(971, 977)]
    for code in codes:
        assert departement_bien_forme(code)
        if departement(code) is not None:
            assert tribunal(code), code


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("61", "tribunal administratif de Caen"),
        ("45", "tribunal administratif d'Orléans"),
        ("02", "tribunal administratif d'Amiens"),
        ("93", "tribunal administratif de Montreuil"),
        ("92", "tribunal administratif de Cergy-Pontoise"),
        ("07", "tribunal administratif de Lyon"),
        ("84", "tribunal administratif de Nîmes"),
        ("2A", "tribunal administratif de Bastia"),
        ("974", "tribunal administratif de La Réunion"),
        ("976", "tribunal administratif de Mayotte"),
    ],
)
def test_tribunal_of_a_departement(code: str, name: str) -> None:
    assert tribunal(code) == name


def test_cog_in_force() -> None:
    assert cog_en_vigueur(dt.date(2018, 6, 28)) == (2018, 2022)
    assert cog_en_vigueur(dt.date(2023, 1, 1)) == (2023, 2027)
    assert cog_en_vigueur(dt.date(2017, 12, 31)) == (2013, 2017)
    assert cog_en_vigueur(dt.date(2028, 1, 1)) is None  # not known yet: the file must say it


def _tribunal_warnings(tmp_path: Path, extra: str) -> list[str]:
    source = tmp_path / "c.yaml"
    text = MINIMALE.read_text(encoding="utf-8").replace('  departement: "30"\n', extra)
    source.write_text(text, encoding="utf-8")
    return [p.message for p in check_file(source).report.sorted() if "tribunaux" in p.message]


def test_a_territory_over_two_jurisdictions_is_warned(tmp_path: Path) -> None:
    # Beaucaire (Gard, Nîmes) and Tarascon (Bouches-du-Rhône, Marseille).
    communes = (
        '  departement: "30"\n  communes:\n    - {insee: "30032"}\n    - {insee: "30135"}\n'
        '    - {insee: "13108"}\n'
    )
    assert _tribunal_warnings(tmp_path, communes) == [
        "le territoire relève de plusieurs tribunaux administratifs : tribunal administratif "
        "de Marseille (Bouches-du-Rhône, 1 commune), tribunal administratif de Nîmes (Gard, 2 "
        "communes) ; l'article « Litiges » cite le tribunal administratif de Nîmes : s'il "
        "n'est pas compétent, remplacez l'article (convention.articles, remplace: litiges)"
    ]
    # One jurisdiction (the EPCI's members, all in the Gard): nothing to say.
    assert _tribunal_warnings(tmp_path, '  departement: "30"\n') == []
