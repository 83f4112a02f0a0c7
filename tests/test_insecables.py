"""No-break spaces of titles and signature blocks (ctgdocs.insecables), and in the documents."""

from __future__ import annotations

import pytest
from lxml import etree

from ctgdocs.insecables import lier
from ctgdocs.wordml import typeset_part

NB = "\u00a0"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.mark.parametrize(
    ("typed", "longest", "printed"),
    [
        # A short word never ends a line: « de / l'Orne », « de la / Marne ».
        (
            "Pour la Caisse d’allocations familiales de l’Orne,",
            26,
            f"Pour{NB}la{NB}Caisse d’allocations familiales de{NB}l’Orne,",
        ),
        ("de la Marne,", 26, f"de{NB}la{NB}Marne,"),
        # A proper name stays on one line: the capitalised words and what joins them.
        (
            "de la Communauté d’agglomération du Grand Sénonais",
            40,
            f"de{NB}la{NB}Communauté d’agglomération du{NB}Grand{NB}Sénonais",
        ),
        ("de l’Est Guyanais", 40, f"de{NB}l’Est{NB}Guyanais"),
        ("aux familles du Pays de L’Aigle", 40, f"aux{NB}familles du{NB}Pays{NB}de{NB}L’Aigle"),
        ("de Beaucaire Terre d’Argence", 40, f"de{NB}Beaucaire{NB}Terre{NB}d’Argence"),
        (
            "des Pays de L’Aigle et de la Vallée",
            40,
            f"des{NB}Pays{NB}de{NB}L’Aigle{NB}et{NB}de{NB}la{NB}Vallée",
        ),
        # A punctuation mark ends a name; a lower-case word is not part of it.
        ("Sens, Paron et Gron", 40, f"Sens, Paron{NB}et{NB}Gron"),
        ("la Caisse d’allocations familiales", 40, f"la{NB}Caisse d’allocations familiales"),
        # A lower-case word closing the name is its epithet: never « du Pays / basque, ».
        (
            "Pour la Caisse d’allocations familiales du Pays basque,",
            26,
            f"Pour{NB}la{NB}Caisse d’allocations familiales du{NB}Pays{NB}basque,",
        ),
        (
            "Caisse d’allocations familiales du Pays basque",
            40,
            f"Caisse d’allocations familiales du{NB}Pays{NB}basque",
        ),
        ("de la Plaine sud", 40, f"de{NB}la{NB}Plaine{NB}sud"),
        # Not after an article, nor an elided complement: the reference's lines stay.
        ("Article 2 – Champs d’intervention", 40, "Article 2 – Champs d’intervention"),
        ("La Directrice générale,", 26, f"La{NB}Directrice générale,"),
        (
            "Le Président du Conseil d’administration,",
            26,
            f"Le{NB}Président{NB}du{NB}Conseil d’administration,",
        ),
        # Longer than the style allows: its end that fits stays on one line.
        (
            "du Pays de Rance et de la Haute Vallée du Couesnon",
            20,
            f"du{NB}Pays de{NB}Rance et{NB}de{NB}la{NB}Haute Vallée{NB}du{NB}Couesnon",
        ),
        (
            "Pour la Communauté de Communes Cœur de Loire,",
            26,
            f"Pour{NB}la{NB}Communauté de{NB}Communes{NB}Cœur{NB}de{NB}Loire,",
        ),
        (
            "Pour la Communauté de Communes Cœur de Loire,",
            8,
            f"Pour{NB}la{NB}Communauté de{NB}Communes Cœur de{NB}Loire,",
        ),
        # Nothing else changes: existing no-break spaces, hyphens, quotes.
        (f"le 3{NB}février{NB}2024", 40, f"le{NB}3{NB}février{NB}2024"),
        ("Jean\u2011Pierre Lefèvre", 26, f"Jean\u2011Pierre{NB}Lefèvre"),
        ("Convention territoriale globale", 20, "Convention territoriale globale"),
        ("", 20, ""),
    ],
)
def test_short_words_and_names_never_end_a_line(typed: str, longest: int, printed: str) -> None:
    assert lier(typed, longest) == printed
    assert len(lier(typed, longest)) == len(typed)
    assert lier(printed, longest) == printed  # idempotent


def _paragraph(style: str, *texts: str) -> str:
    runs = "".join(f'<w:r><w:t xml:space="preserve">{t}</w:t></w:r>' for t in texts)
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{runs}</w:p>'


def test_titles_and_signature_blocks_are_bound_across_runs() -> None:
    body = (
        _paragraph("CTGSous-titre", "de la Communauté ", "d’agglomération du Grand", " Sénonais")
        + f"<w:tbl><w:tr><w:tc>{_paragraph('CTGSignature', 'Pour la Caf de la Marne,')}"
        "</w:tc></w:tr></w:tbl>" + _paragraph("CTGCorps", "Le texte courant de la convention.")
    )
    xml = f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'.encode()
    root = etree.fromstring(typeset_part(xml))
    texts = ["".join(p.itertext()) for p in root.iter(f"{{{W}}}p")]
    assert texts == [
        f"de{NB}la{NB}Communauté d’agglomération du{NB}Grand{NB}Sénonais",
        f"Pour{NB}la{NB}Caf{NB}de{NB}la{NB}Marne,",
        "Le texte courant de la convention.",  # body text: justified, free to break
    ]
    # Each run keeps its own text (its length, its formatting).
    runs = [t.text for t in root.iter(f"{{{W}}}t")][:3]
    assert runs == [f"de{NB}la{NB}Communauté ", f"d’agglomération du{NB}Grand", f"{NB}Sénonais"]
