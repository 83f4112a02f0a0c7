"""The public facts the acts cite: the competent tribunal administratif and the Cnaf's COG."""

from __future__ import annotations

import datetime as dt

import pytest

from ctgdocs.juridictions import cog_en_vigueur, tribunal
from ctgdocs.referentiel import departement, departement_bien_forme


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
