"""French presentation rules, computed in Python."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ctgdocs import formatting as f

NB = "\u00a0"
NN = "\u202f"


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2020, 1, 1), "1er janvier 2020"),
        (dt.date(2018, 6, 28), "28 juin 2018"),
        (dt.date(2021, 8, 2), "2 août 2021"),
        (dt.date(2019, 2, 11), "11 février 2019"),
        (dt.date(2024, 12, 1), "1er décembre 2024"),
    ],
)
def test_date_longue(day: dt.date, text: str) -> None:
    assert f.date_longue(day) == text


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("50500.50", f"50{NN}500,50{NB}€"),
        ("0", f"0,00{NB}€"),
        ("999.9", f"999,90{NB}€"),
        ("1000", f"1{NN}000,00{NB}€"),
        ("1234567.05", f"1{NN}234{NN}567,05{NB}€"),
        ("-3000", f"-3{NN}000,00{NB}€"),
    ],
)
def test_montant(amount: str, text: str) -> None:
    assert f.montant(Decimal(amount)) == text


def test_totals_are_exact_where_floats_are_not() -> None:
    total = sum((Decimal("0.10") for _ in range(3)), Decimal(0))
    assert f.montant(total) == f"0,30{NB}€"
    assert 0.1 + 0.1 + 0.1 != 0.3  # the trap Decimal avoids


def test_liste() -> None:
    assert f.liste([]) == ""
    assert f.liste(["A"]) == "A"
    assert f.liste(["A", "B"]) == "A et B"
    assert f.liste(["A", "B", "C"]) == "A, B et C"


def test_heure() -> None:
    assert f.heure(dt.time(14, 0)) == f"14{NB}h"
    assert f.heure(dt.time(9, 5)) == f"9{NB}h{NB}05"


def test_possessif_and_agreement() -> None:
    assert f.possessif("Directrice", feminin=True) == "sa"
    assert f.possessif("Président", feminin=False) == "son"
    assert f.possessif("Administratrice", feminin=True) == "son"
    assert f.accord(True, "autorisé", "autorisée") == "autorisée"


@pytest.mark.parametrize(
    ("debut", "fin", "text"),
    [
        (dt.date(2018, 1, 1), dt.date(2021, 12, 31), "quatre ans"),
        (dt.date(2022, 7, 1), dt.date(2027, 6, 30), "cinq ans"),
        (dt.date(2022, 1, 1), dt.date(2025, 6, 30), "trois ans et six mois"),
        (dt.date(2024, 1, 31), dt.date(2024, 3, 1), "un mois et deux jours"),
        (dt.date(2020, 2, 29), dt.date(2021, 2, 27), "11 mois et 30 jours"),
    ],
)
def test_duree_en_lettres(debut: dt.date, fin: dt.date, text: str) -> None:
    assert f.duree_en_lettres(debut, fin) == text


def test_paragraphes_and_bullets() -> None:
    text = (
        "Première ligne\nqui continue.\n\nLe diagnostic :\n- une offre ;\n"
        "- un besoin\n  sur deux lignes ;\n\nFin."
    )
    assert f.paragraphes(text) == [
        {"texte": "Première ligne qui continue.", "puce": False},
        {"texte": "Le diagnostic :", "puce": False},
        {"texte": "une offre ;", "puce": True},
        {"texte": "un besoin sur deux lignes ;", "puce": True},
        {"texte": "Fin.", "puce": False},
    ]


def test_cle_de_tri_ignores_accents_and_case() -> None:
    names = ["Écorcei", "Aube", "Fay", "écluse", "Beaufai"]
    assert sorted(names, key=f.cle_de_tri) == ["Aube", "Beaufai", "écluse", "Écorcei", "Fay"]


def test_cle_de_tri_compares_word_by_word_whatever_separates_the_words() -> None:
    # « Saint Maurice Étusson » is spelt with spaces: among the Saint-M…, not before them all.
    names = [
        "Saint-Paul-en-Gâtine",
        "Saint Maurice Étusson",
        "La Chapelle-Saint-Laurent",
        "Saint-Amand-sur-Sèvre",
        "L'Absie",
    ]
    assert sorted(names, key=f.cle_de_tri) == [
        "L'Absie",
        "La Chapelle-Saint-Laurent",
        "Saint-Amand-sur-Sèvre",
        "Saint Maurice Étusson",
        "Saint-Paul-en-Gâtine",
    ]


def test_mots_significatifs_ignores_type_and_articles() -> None:
    assert f.mots_significatifs("CA Grand Montauban") == f.mots_significatifs(
        "Communauté d'agglomération du Grand Montauban"
    )
    assert f.mots_significatifs("CC des Pays de L'Aigle") != f.mots_significatifs(
        "CC du Pays de Beaucaire"
    )


def test_minuscule_keeps_acronyms() -> None:
    assert f.minuscule("Comité de pilotage") == "comité de pilotage"
    assert f.minuscule("CTG") == "CTG"
    assert f.minuscule("É") == "É"


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (1, "un"),
        (3, "trois"),
        (17, "dix-sept"),
        (21, "vingt et un"),
        (32, "trente-deux"),
        (71, "soixante et onze"),
        (80, "quatre-vingts"),
        (81, "quatre-vingt-un"),
        (99, "quatre-vingt-dix-neuf"),
        (200, "deux cents"),
        (201, "deux cent un"),
        (1000, "mille"),
        (80_000, "quatre-vingt mille"),
        (200_000, "deux cent mille"),
        (2_000_000, "deux millions"),
    ],
)
def test_numbers_in_words(number: int, words: str) -> None:
    assert f.en_lettres(number) == words


def test_enumerations_end_items_with_a_semicolon_and_the_last_with_a_full_stop() -> None:
    assert f.ponctuer(["a", "b.", "c ;", "d"]) == ["a\u202f;", "b\u202f;", "c\u202f;", "d."]
    assert f.ponctuer(["Pourquoi ?"]) == ["Pourquoi ?"]
    # Sentences keep their full stops; names and phrases are an enumeration.
    sentences = ["L'offre est saturée.", "Les jeunes manquent de lieux !", "Rien d'autre."]
    assert f.ponctuer(sentences) == sentences
    assert f.ponctuer(["Caf de l'Orne", "Commune de Rai."]) == [
        f"Caf de l'Orne{NN};",
        "Commune de Rai.",
    ]


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("27662", f"27{NN}662"),
        ("3 412", f"3{NN}412"),
        ("1 234 567 familles", f"1{NN}234{NN}567 familles"),
        ("48,5", "48,5"),
        ("3390", f"3{NN}390"),  # a figure of four digits, alone: grouped as the others
        ("3390,5", f"3{NN}390,5"),
        ("en 2024", "en 2024"),  # four digits in a text may be a year: as typed
        ("12,34567", "12,34567"),  # decimals are not thousands
        ("FA-12345", "FA-12345"),
        ("27662 en 2024", f"27{NN}662 en 2024"),
    ],
)
def test_chiffres_groupes(typed: str, printed: str) -> None:
    assert f.chiffres_groupes(typed) == printed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "16 avenue François Mitterrand, 72039 Le Mans Cedex 9",
            f"16 avenue François Mitterrand, 72039{NB}Le{NB}Mans{NB}Cedex{NB}9",
        ),
        ("Place X, 61300 L'Aigle, France", f"Place X, 61300{NB}L'Aigle, France"),
        # A town that runs on past a line's length keeps only its postal code.
        ("2 rue Y 75001 Paris " + "et encore " * 5, f"2 rue Y 75001{NB}Paris " + "et encore " * 5),
    ],
)
def test_a_postal_code_and_its_town_never_break(text: str, expected: str) -> None:
    # « 72033 Le » ended a line, « Mans Cedex 9 » began the next.
    assert f.adresse(text) == expected


@pytest.mark.parametrize(
    ("n", "words"),
    [(1, "une"), (21, "vingt et une"), (31, "trente et une"), (81, "quatre-vingt-une"),
     (11, "onze"), (71, "soixante et onze"), (101, "cent une"), (2, "deux")],
)  # fmt: skip
def test_a_count_of_communes_agrees_with_its_feminine_noun(n: int, words: str) -> None:
    # « les trente et un communes suivantes » in the perimeter's annex.
    assert f.en_lettres(n, feminin=True) == words


@pytest.mark.parametrize(
    ("lieu", "attendu"),
    [
        ("Le Havre", "du Havre"),
        ("Les Loges", "des Loges"),
        ("La Désirade", "de La Désirade"),
        ("L'Aigle", "de L'Aigle"),
        ("Étretat", "d'Étretat"),
        ("Rai", "de Rai"),
        ("Lesparre-Médoc", "de Lesparre-Médoc"),
    ],
)
def test_de_lieu_contracts_the_places_own_article(lieu: str, attendu: str) -> None:
    assert f.de_lieu(lieu) == attendu
