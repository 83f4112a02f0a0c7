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
