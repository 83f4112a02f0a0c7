"""French typesetting of the documents' strings, computed in Python."""

from __future__ import annotations

import pytest

from ctgdocs.formatting import cle_de_tri
from ctgdocs.typographie import composer, composer_contexte, composer_gabarit

NB = "\u00a0"  # no-break space
NN = "\u202f"  # narrow no-break space
NBH = "\u2011"  # non-breaking hyphen (w:noBreakHyphen in Word)
SUP, END = "\ue000", "\ue001"  # superscript markers (wordml.typeset_part)


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        # Dates never split; « 1er » with a superscript « er ».
        (
            "du 1er janvier 2018 au 31 décembre 2021",
            f"du 1{SUP}er{END}{NB}janvier{NB}2018 au 31{NB}décembre{NB}2021",
        ),
        ("le 28 juin 2018,", f"le 28{NB}juin{NB}2018,"),
        ("dès septembre 2018 ;", f"dès septembre{NB}2018{NN};"),
        ("la 1re réunion et le 2e avenant", f"la 1{SUP}re{END} réunion et le 2{SUP}e{END} avenant"),
        # High signs: no-break space before « : », narrow before « ; ! ? ».
        ("Objectifs :", f"Objectifs{NB}:"),
        ("Réalisation: le service", f"Réalisation{NB}: le service"),
        ("Vu le code ;", f"Vu le code{NN};"),
        ("Pourquoi ? Ainsi !", f"Pourquoi{NN}? Ainsi{NN}!"),
        ("Vraiment ?!", f"Vraiment{NN}?!"),
        # … but not in hours, links or ratios written without spaces.
        ("à 12:30, voir https://caf.fr/a?b=1", "à 12:30, voir https://caf.fr/a?b=1"),
        # Guillemets with no-break spaces inside; nested quotations “ ” inside « ».
        ('dénommée "la Caf"', f"dénommée «{NB}la Caf{NB}»"),
        ("« la Caf »", f"«{NB}la Caf{NB}»"),
        ("«la Caf»", f"«{NB}la Caf{NB}»"),
        ('« le projet "Familles" du territoire »', f"«{NB}le projet “Familles” du territoire{NB}»"),
        (
            "« le projet « Familles » du territoire »",
            f"«{NB}le projet “Familles” du territoire{NB}»",
        ),
        ("“Familles”", f"«{NB}Familles{NB}»"),
        # One apostrophe, the typographic one.
        ("l'Orne d’Aube l'État", "l’Orne d’Aube l’État"),
        # Amounts and percentages.
        ("50 500,50 €", f"50{NN}500,50{NB}€"),
        ("1 200€", f"1{NN}200{NB}€"),
        ("soit 25 %", f"soit 25{NN}%"),
        # A year is no group of thousands; a number keeps with the word it counts.
        ("en 2018 250 familles", f"en 2018 250{NB}familles"),
        ("1 500 rendez-vous et 2 318 réponses", f"1{NN}500{NB}rendez-vous et 2{NN}318{NB}réponses"),
        ("de 16 à 25 ans, en 2025 les", f"de 16 à 25{NB}ans, en 2025 les"),
        ("l'avenant n° 1 à la convention", f"l’avenant n°{NB}1 à la convention"),
        ("FA-1.1 Créer", f"FA{NBH}1.1 Créer"),
        ("CTG-974-2026-CINOR", f"CTG{NBH}974{NBH}2026{NBH}CINOR"),
        ("Val d'Erdre-Auxence", f"Val d’Erdre{NBH}Auxence"),
        ("(annexe 3.2) et l'article 7", f"(annexe{NB}3.2) et l’article{NB}7"),
        ("selon l'avenant 2.", f"selon l’avenant{NB}2."),
        ("les axes 1 et 2", f"les axes{NB}1 et 2"),
        ("Articles 3 et 4", f"Articles{NB}3 et 4"),
        ("le 3e et le 1er", f"le 3{SUP}e{END} et le 1{SUP}er{END}"),
        ("délibération n° 2018-061", f"délibération n°{NB}2018{NBH}061"),
        # A range of numbers never breaks at its hyphen.
        ("les 16-25 ans", f"les 16{NBH}25{NB}ans"),
        # Names keep their hyphens on one line; common words may break.
        ("Gevrey-Chambertin", f"Gevrey{NBH}Chambertin"),
        ("Tarn-et-Garonne", f"Tarn{NBH}et{NBH}Garonne"),
        ("Nuits-Saint-Georges", f"Nuits{NBH}Saint{NBH}Georges"),
        ("Saint-Martin-d'Hères", f"Saint{NBH}Martin{NBH}d’Hères"),
        ("Monsieur Jean-Pierre Lemaître", f"Monsieur Jean{NBH}Pierre Lemaître"),
        ("service enfance-jeunesse", "service enfance-jeunesse"),
        ("Petite-enfance", "Petite-enfance"),
        # A title's prefix never ends a line: « Vice- / présidente ».
        ("La Vice-présidente", f"La Vice{NBH}présidente"),
        ("la sous-préfète", f"la sous{NBH}préfète"),
        # Codes too: « FA-1.10 » never ends a line on « FA- ».
        ("CTG-61-2018-01, FA-1.1", f"CTG{NBH}61{NBH}2018{NBH}01, FA{NBH}1.1"),
        ("fiche A-1", f"fiche A{NBH}1"),
        ("Covid-19", "Covid-19"),
        ("Les points de suspension...", "Les points de suspension…"),
        ("", ""),
    ],
)
def test_composer(typed: str, printed: str) -> None:
    assert composer(typed) == printed
    assert composer(printed) == printed  # idempotent


def test_context_strings_are_typeset_and_the_rest_untouched() -> None:
    context = {
        "ctg": {"intitule": "CTG de l'Orne", "annee": 2018},
        "projet": True,
        "parties": [{"nom": "Commune d'Aube", "type": "commune"}],
        "codes": ("61214",),
    }
    assert composer_contexte(context) == {
        "ctg": {"intitule": "CTG de l’Orne", "annee": 2018},
        "projet": True,
        "parties": [{"nom": "Commune d’Aube", "type": "commune"}],
        "codes": ("61214",),
    }


def test_template_text_is_typeset_around_its_tags() -> None:
    assert (
        composer_gabarit(
            "{{ p.nom_court_majuscule }} s'engage à piloter les actions qu'{{ p.pronom }} pilote :"
        )
        == f"{{{{ p.nom_court_majuscule }}}} s’engage à piloter les actions qu’{{{{ p.pronom }}}} pilote{NB}:"
    )
    assert composer_gabarit('{%p if p.type == "caf" %}') == '{%p if p.type == "caf" %}'
    assert composer_gabarit("« {{ x }} » ;") == f"«{NB}{{{{ x }}}}{NB}»{NN};"
    assert composer_gabarit("{{ d }} ;") == f"{{{{ d }}}}{NN};"
    # A proper name with a spaced hyphen never breaks at it.
    assert composer("Communauté de communes Nebbiu - Conca d'Oro") == (
        f"Communauté de communes Nebbiu{NB}-{NB}Conca d’Oro"
    )
    # « n° » keeps its number on its line, whether typed or given by a tag.
    assert (
        composer_gabarit("Avenant n° {{ avenant.numero }}")
        == f"Avenant n°{NB}{{{{ avenant.numero }}}}"
    )


def test_sort_keys_expand_ligatures() -> None:
    names = ["Chambolle-Musigny", "Chambœuf", "Écorcei", "Aæsir", "Aube"]
    assert sorted(names, key=cle_de_tri) == [
        "Aæsir",
        "Aube",
        "Chambœuf",
        "Chambolle-Musigny",
        "Écorcei",
    ]
    assert cle_de_tri("Œuilly") == "oeuilly"
