"""Conventions of other territories, written by reviewers reading the acts as a Caf jurist.

Each brought a rule the examples did not reach (tests/fixtures/territoires): Mayotte's
Caisse de sécurité sociale, Guadeloupe's State and Région, two Cafs over the Indre and the
Cher, the Métropole de Lyon and its 22 communes, an acting director on Oléron, the Grand
Annecy's masculine short name, Corsica, Rouen, the Val d'Amour, La Réunion, Quimperlé
Communauté and Le Mans Métropole (names that take no article), the Haut Allier Margeride.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ctgdocs.builder import BuildOptions, build
from ctgdocs.checking import check_file

from .conftest import FIXTURES
from .docx_tools import docx_text

TERRITOIRES = sorted((FIXTURES / "territoires").glob("*.yaml"))


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("territoires")
    build(TERRITOIRES, BuildOptions(output=folder))
    return folder


def test_every_territory_validates_without_error() -> None:
    assert len(TERRITOIRES) == 13
    for source in TERRITOIRES:
        assert check_file(source).report.errors == [], source.name


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("CTG-971-2024-CARL-B/convention.docx", "Fait au Gosier, le 12 septembre 2024"),
        ("CTG-971-2024-CARL-B/convention.docx", "l'État : en la préfecture de la Guadeloupe ;"),
        (
            "CTG-971-2024-CARL-B/convention.docx",
            "Les engagements financiers de l'État sont pris sous réserve de l'ouverture des "
            "crédits correspondants en loi de finances.",
        ),
        (
            "VAR-36-B/convention.docx",
            "Les financements de la Caf de l'Indre et de la Caf du Cher sont accordés dans le "
            "respect de leur réglementation",
        ),
        ("CTG-69-2025-METRO/convention.docx", "Les vingt-deux communes signataires\n"),
        (
            "CTG-69-2025-METRO/convention.docx",
            "Vu la délibération n° 2025-1234 du Conseil de la Métropole de Lyon du 12 mai 2025 ;",
        ),
        (
            "CTG-74-2024-GA/convention.docx",
            "La Communauté d'agglomération du Grand Annecy, dont le siège est situé 46 avenue "
            "des Îles, 74000 Annecy, représentée par sa Présidente",
        ),
        (
            "CTG-17-2022-OLERON/convention.docx",
            "représentée par son Directeur par intérim, Monsieur Éric Lemaire, dûment autorisé",
        ),
        (
            "CTG-976-2023-CADEMA/comptes-rendus/2024-11-19-comite_pilotage.docx",
            "Compte rendu validé le 14 janvier 2025 par le comité de pilotage.",
        ),
        # A place followed by its kind takes no article, and keeps its place's own.
        ("CTG-29-2023-QC/convention.docx", "\nQuimperlé Communauté, dont le siège est situé"),
        ("CTG-29-2023-QC/convention.docx", "Pour Quimperlé Communauté,"),
        (
            "CTG-29-2023-QC/convention.docx",
            "Vu la délibération n° 2024-03-12 du Conseil communautaire de Quimperlé Communauté",
        ),
        ("CTG-72-2025-LMM/convention.docx", "sur le territoire de Le Mans Métropole"),
        ("CTG-72-2025-LMM/convention.docx", "Le Mans Métropole, dont le siège est situé"),
    ],
)
def test_what_each_territory_brought_reads_right(out: Path, document: str, expected: str) -> None:
    assert expected in docx_text(out / document)


def test_no_act_of_another_territory_prints_a_defect_found_before(out: Path) -> None:
    texts = {p: docx_text(p) for p in out.rglob("*.docx")}
    assert len(texts) > 70
    for path, text in texts.items():
        for wrong in (
            "Fait à Le ",
            "Fait à Les ",
            "La Caf et la Caf",
            "de la Métropole de la Métropole",
            "Le Communauté",
            "À COMPLÉTER",
            "la Quimperlé",
            "du Mans Métropole",
        ):
            assert wrong not in text, (path.name, wrong)


def test_a_departement_none_of_the_communes_is_in_is_an_error(tmp_path: Path) -> None:
    # A Lozère EPCI, its ten communes and the Caf de la Lozère, under département 43: the
    # litigation article would cite Clermont-Ferrand instead of Nîmes.
    source = FIXTURES / "territoires" / "haut-allier-margeride.yaml"
    text = source.read_text(encoding="utf-8")
    assert text.count('departement: "48"') == 1
    wrong = tmp_path / "ham.yaml"
    wrong.write_text(text.replace('departement: "48"', 'departement: "43"'), encoding="utf-8")
    errors = check_file(wrong).report.errors
    assert [(p.severity, p.field, p.message) for p in errors] == [
        (
            "erreur",
            "territoire.departement",
            "département « 43 » (Haute-Loire) : aucune commune du territoire n'y est située "
            '(Lozère (48) : 10 communes) ; indiquez departement: "48"',
        )
    ]


def test_la_commune_among_several_signing_communes_is_a_warning() -> None:
    # Langogne joins as « la Commune » by avenant 1, Auroux as « la Commune d'Auroux » by
    # avenant 2: « La Commune s'engage à… », added by avenant 1, no longer says which.
    source = FIXTURES / "territoires" / "haut-allier-margeride.yaml"
    warnings = [p for p in check_file(source).report.warnings if "désigne une des" in p.message]
    assert [(p.field, p.message) for p in warnings] == [
        (
            "avenants[0].communes_ajoutees[0].nom_court",
            "« la Commune » désigne une des deux communes qui signent la convention ou ses "
            "avenants : l'acte ne dirait pas laquelle s'engage ; nommez-la (par exemple "
            "nom_court: la Commune de Langogne)",
        )
    ]


def test_a_visa_citing_a_habilitation_again_is_a_warning() -> None:
    # The Département's deliberation, cited by its habilitation, was added as a visa too.
    source = FIXTURES / "territoires" / "quimperle.yaml"
    warnings = [p for p in check_file(source).report.warnings if p.field.startswith("convention.v")]
    assert [(p.field, p.message) for p in warnings] == [
        (
            "convention.visas[0]",
            "la délibération n° 2024-CP-017 est déjà citée dans les visas, d'après "
            "l'habilitation de parties[3] : l'acte la citerait deux fois ; retirez ce visa",
        )
    ]
