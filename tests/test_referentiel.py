"""The bundled COG data: identifiers, lookups, prepositions from the type de nom."""

from __future__ import annotations

import pytest

from ctgdocs import referentiel as r


@pytest.mark.parametrize("code", ["61214", "01053", "2A004", "2B033", "97101", "97611", "95690"])
def test_well_formed_insee(code: str) -> None:
    assert r.insee_bien_forme(code)


@pytest.mark.parametrize(
    "code", ["20004", "96001", "97701", "98712", "6121", "612145", "2C004", "00001"]
)
def test_malformed_insee(code: str) -> None:
    assert not r.insee_bien_forme(code)


@pytest.mark.parametrize("siren", ["200068468", "243000585", "248200099", "216102145"])
def test_valid_siren(siren: str) -> None:
    assert r.siren_valide(siren)


@pytest.mark.parametrize("siren", ["200068469", "24300058", "2430005850", "24300058A"])
def test_invalid_siren(siren: str) -> None:
    assert not r.siren_valide(siren)


@pytest.mark.parametrize(
    ("code", "de_nom"),
    [
        ("61008", "d'Aube"),
        ("61342", "de Rai"),
        ("61214", "de L'Aigle"),
        ("61422", "des Aspres"),
        ("61259", "du Ménil-Bérard"),
        ("61100", "de La Chapelle-Viel"),
        ("60703", "des Marais"),
        ("2A004", "d'Ajaccio"),
    ],
)
def test_commune_preposition_from_type_de_nom(code: str, de_nom: str) -> None:
    commune = r.commune(code)
    assert commune is not None
    assert commune.de_nom == de_nom


@pytest.mark.parametrize(
    ("code", "caf"),
    [
        ("30", "Caisse d'allocations familiales du Gard"),
        ("61", "Caisse d'allocations familiales de l'Orne"),
        ("86", "Caisse d'allocations familiales de la Vienne"),
        ("40", "Caisse d'allocations familiales des Landes"),
        ("75", "Caisse d'allocations familiales de Paris"),
        # As the Caf names itself, not as the COG's "du Tarn-et-Garonne" would.
        ("82", "Caisse d'allocations familiales de Tarn-et-Garonne"),
        ("47", "Caisse d'allocations familiales de Lot-et-Garonne"),
        ("41", "Caisse d'allocations familiales de Loir-et-Cher"),
        ("84", "Caisse d'allocations familiales de Vaucluse"),
        # Two Cafs (Béarn et Soule, Pays basque), or none (Mayotte): nothing invented.
        ("64", None),
        ("976", None),
        ("35", "Caisse d'allocations familiales d'Ille-et-Vilaine"),
    ],
)
def test_caf_name_from_departement(code: str, caf: str | None) -> None:
    assert r.nom_caf(code) == caf


def test_epci_members_and_long_name() -> None:
    epci = r.epci("243000585")
    assert epci is not None
    assert epci.nom_long == "Communauté de communes Beaucaire Terre d'Argence"
    assert epci.de_nom == "de la Communauté de communes Beaucaire Terre d'Argence"
    assert sorted(epci.membres) == ["30032", "30034", "30117", "30135", "30336"]


def test_rattachee_points_to_its_commune_nouvelle() -> None:
    corbes = r.commune_rattachee("30094")
    assert corbes is not None
    assert (corbes.nom, corbes.statut, corbes.rattachement) == ("Corbès", "deleguee", "30329")
    assert r.commune("30094") is None


def test_vintage_is_named() -> None:
    assert r.millesime() == "COG 2026, @etalab/decoupage-administratif 6.0.0"


def test_departement_of() -> None:
    assert r.departement_of("2A004") == "2A"
    assert r.departement_of("97411") == "974"
    assert r.departement_of("61214") == "61"


def test_quoted_part_of_an_epci_name_takes_french_quotes() -> None:
    # The DGCL's export doubles the apostrophes that stand for quotes: « CA de Blois
    # ''Agglopolys'' ».
    blois = r.epci("200030385")
    assert blois is not None
    assert blois.nom_long == "Communauté d'agglomération de Blois « Agglopolys »"
    assert not [e.nom for e in r.epcis() if "''" in e.nom or '"' in e.nom]


def test_only_the_metropole_de_lyon_has_communes_that_are_not_its_members() -> None:
    assert r.sans_communes_membres("200046977")  # Métropole de Lyon
    assert not r.sans_communes_membres("200068468")  # CC des Pays de L'Aigle
    assert not r.sans_communes_membres("000000000")
    assert [e.siren for e in r.epcis() if r.sans_communes_membres(e.siren)] == ["200046977"]
