"""The consolidated convention: each amended article reads as the avenants in force say."""

from __future__ import annotations

from pathlib import Path

from ctgdocs.builder import BuildOptions, build

from .conftest import FIXTURES
from .docx_tools import docx_text

COMPLETE = FIXTURES / "valides" / "complete.yaml"
REF = "CTG-30-2022-COMPLETE"


def built(tmp_path: Path, text: str) -> Path:
    source = tmp_path / "ctg.yaml"
    source.write_text(text, encoding="utf-8")
    build([source], BuildOptions(output=tmp_path / "out", only=("convention", "avenants")))
    return tmp_path / "out" / REF


# Avenant n° 1 of the complete fixture rewrites the duration article in its own words,
# under the default title; avenant n° 2 prolongs the convention.
_DUREE = (
    "    dispositions:\n"
    "      - titre: Durée et prise d'effet\n"
    "        remplace: duree\n"
    "        texte: La présente convention est conclue du 1er janvier 2022 au 31 décembre "
    "2025. Un bilan intermédiaire est remis au 30 juin 2024.\n"
)


def test_a_prolongation_keeps_the_duration_an_earlier_avenant_worded(tmp_path: Path) -> None:
    text = COMPLETE.read_text(encoding="utf-8")
    anchor = '    communes_ajoutees:\n      - insee: "30117"'
    assert text.count(anchor) == 1
    folder = built(tmp_path, text.replace(anchor, _DUREE + anchor))
    second = docx_text(folder / "avenants" / "avenant-2.docx")
    # Completed, not replaced by the default wording: the intermediate report stays.
    assert (
        "L'article 11 de la convention (« Durée et prise d'effet ») est complété par les "
        "stipulations suivantes :" in second
    )
    assert "« La convention est prolongée jusqu'au 31 décembre 2026. »" in second
    consolidated = docx_text(folder / "convention-consolidee.docx")
    article = consolidated.split("Article 11 – ", 1)[1].split("Article 12 – ", 1)[0]
    assert article.splitlines() == [
        "Durée et prise d'effet (modifié par l'avenant n° 1, complété par l'avenant n° 2)",
        "La présente convention est conclue du 1er janvier 2022 au 31 décembre 2025. Un bilan "
        "intermédiaire est remis au 30 juin 2024.",
        "La convention est prolongée jusqu'au 31 décembre 2026.",
    ]


def _signed_without_fiches() -> str:
    """The complete fixture signed without any fiche: all come later, by avenant n° 2, but
    for 3.2, adopted by a committee."""
    text = COMPLETE.read_text(encoding="utf-8")
    for code in ('"1.1"', '"2.1"', '"3.1"'):
        start = text.index(f"  - code: {code}\n", text.index("fiches_actions:"))
        end = text.index("\n", text.index("\n    statut:", start) + 1)
        text = text[:end] + "\n    adoption: {avenant: 2}" + text[end:]
    # Avenant n° 2 no longer rewrites fiche 3.1: it adds it.
    start = text.index("    fiches_modifiees:")
    return text[:start] + text[text.index("    dispositions:", start) :]


def test_fiches_adopted_after_a_signature_without_any_do_not_renumber_its_annexes(
    tmp_path: Path,
) -> None:
    source = tmp_path / "ctg.yaml"
    source.write_text(_signed_without_fiches(), encoding="utf-8")
    build([source], BuildOptions(output=tmp_path / "out"))
    folder = tmp_path / "out" / REF
    signed = docx_text(folder / "convention.docx")
    assert "l'annexe 3 : le diagnostic partagé (rapport de juin 2019)." in signed
    consolidated = docx_text(folder / "convention-consolidee.docx")
    article = consolidated.split("– Annexes\n", 1)[1].split("Article 15", 1)[0].splitlines()
    assert article[1:5] == [
        "l'annexe 1 : le périmètre de la convention ;",
        "l'annexe 2 : le plan d'actions ;",
        # Still annexe 3, as signed: the fiches that came later follow it.
        "l'annexe 3 : le diagnostic partagé (rapport de juin 2019) ;",
        "les annexes 4.1 à 4.5 : les fiches actions 3.2 (adoptée par le comité de pilotage du "
        "4 octobre 2022), 1.1 (ajoutée par l'avenant n° 2), 2.1 (ajoutée par l'avenant n° 2), "
        "3.1 (ajoutée par l'avenant n° 2) et 3.3 (ajoutée par l'avenant n° 2), dans cet ordre.",
    ]
    fiche = docx_text(folder / "fiches-actions" / "3.2.docx")
    assert "Annexe 4.1 à la convention territoriale globale" in fiche
    avenant = docx_text(folder / "avenants" / "avenant-2.docx")
    assert "la fiche action 1.1 « Ouvrir une micro-crèche à Bellegarde » : annexe 4.2 ;" in avenant


def test_an_article_inserted_where_an_earlier_avenant_inserted_one_takes_the_next_number(
    tmp_path: Path,
) -> None:
    # Avenant n° 1 inserts « 8 bis » after article 8; avenant n° 2 inserts there as well.
    text = COMPLETE.read_text(encoding="utf-8")
    anchor = '    communes_ajoutees:\n      - insee: "30117"'
    insertion = (
        "    dispositions:\n"
        "      - titre: Bilan intermédiaire\n"
        "        apres: evaluation\n"
        "        cle: bilan_intermediaire\n"
        "        texte: Un bilan intermédiaire est présenté au comité de pilotage en 2024.\n"
    )
    folder = built(tmp_path, text.replace(anchor, insertion + anchor))
    first = docx_text(folder / "avenants" / "avenant-1.docx")
    assert "« Article 8 bis – Bilan intermédiaire" in first
    second = docx_text(folder / "avenants" / "avenant-2.docx")
    assert (
        "Il est inséré après l'article 8 de la convention (« Suivi et évaluation ») un article "
        "8 ter ainsi rédigé :" in second
    )
    assert "« Article 8 ter – Évaluation finale" in second
    consolidated = docx_text(folder / "convention-consolidee.docx")
    headings = [line for line in consolidated.splitlines() if line.startswith("Article 8")]
    assert headings == [
        "Article 8 – Suivi et évaluation",
        "Article 8 bis – Bilan intermédiaire (inséré par l'avenant n° 1)",
        "Article 8 ter – Évaluation finale (inséré par l'avenant n° 2)",
    ]
