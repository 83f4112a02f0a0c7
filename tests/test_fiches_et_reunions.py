"""Fiches, fiches de suivi and comptes rendus as a Caf's reader checks them: labels that
agree with what they introduce, the body that validates the minutes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ctgdocs.blocs import texte_libre
from ctgdocs.checking import check_file
from ctgdocs.context import entete
from ctgdocs.documents.compte_rendu import context
from ctgdocs.formatting import ponctuer

from .conftest import REFERENCE
from .docx_tools import docx_text
from .test_actes import built, signed_minimale

# Two fiches: F1 piloted by the EPCI with the Caf, F2 by the Caf alone; a steering
# committee examines both after the signature, so that each has a fiche de suivi.
COPILOTAGE = """fiches_actions:
  - code: F1
    axe: A1
    intitule: Ouvrir un accueil de loisirs
    objectifs: [Accueillir les enfants le mercredi]
    pilote: {partie: cc, copilotes: [caf], referent: Coordinatrice}
    calendrier: {debut: 2022-09-01, fin: 2023-06-30}
    statut: en_cours
  - code: F2
    axe: A1
    intitule: Créer un café des parents
    objectifs: [Réunir les parents]
    pilote: {partie: caf, referent: Conseillère}
    calendrier: {debut: 2022-09-01, fin: 2023-06-30}
    statut: en_cours
reunions:
  - id: copil-1
    instance: comite_pilotage
    intitule: Comité de pilotage de mi-parcours
    date: 2022-11-15
    heure_debut: "10:00"
    heure_fin: "12:00"
    lieu: Beaucaire
    presidence: Paul Durand
    redacteur: La coordinatrice
    participants: [{nom: Paul Durand, qualite: Président, presence: present}]
    ordre_du_jour: [Bilan]
    points: [{titre: Bilan, synthese: Texte., fiches_actions: [F1, F2]}]
    prochaine_reunion: {date: 2023-03-01}
"""


def test_a_co_piloted_fiche_says_copilotes_and_a_single_pilot_pilote(tmp_path: Path) -> None:
    folder = built(tmp_path, signed_minimale(COPILOTAGE))
    for kind in ("fiches-actions", "fiches-suivi"):
        copilotee = docx_text(folder / kind / "F1.docx")
        # Two parties pilot together: the label agrees with the list it introduces.
        assert "\nCopilotes | La Communauté de communes et la Caf\n" in copilotee
        assert "\nPilote |" not in copilotee
        seule = docx_text(folder / kind / "F2.docx")
        assert "\nPilote | La Caf\n" in seule


def test_the_standing_committee_validates_the_minutes_of_its_named_meeting(
    tmp_path: Path,
) -> None:
    folder = built(tmp_path, signed_minimale(COPILOTAGE))
    text = docx_text(folder / "comptes-rendus" / "2022-11-15-comite_pilotage.docx")
    # The meeting keeps its name in its title; the body that meets next is the committee.
    assert "Comité de pilotage de mi-parcours du 15 novembre 2022" in text
    assert (
        "Projet de compte rendu, soumis à la validation du comité de pilotage lors de sa "
        "prochaine réunion."
    ) in text


def test_bullets_pasted_with_the_marks_of_a_word_processor_stay_bullets() -> None:
    # « • » or « – » began a line of a list pasted from Word: it ran on into the paragraph
    # before, « Constat : • une offre saturée • des horaires… ».
    text = (
        "Constat :\n• une offre saturée\n– des horaires peu adaptés\n\nEn 2023 :\n-5 % d'inscrits."
    )
    assert [(b["type"], b["texte"]) for b in texte_libre(text)] == [
        ("p", "Constat :"),
        ("puce", "une offre saturée\u202f;"),
        ("puce", "des horaires peu adaptés."),
        ("p", "En 2023 : -5 % d'inscrits."),  # a number, not a bullet
    ]


@pytest.mark.parametrize(
    ("par", "validee_par"),
    [
        ("Élus du comité de pilotage", "les élus du comité de pilotage"),
        ("Représentants des signataires", "les représentants des signataires"),
        ("Membres du comité", "les membres du comité"),
    ],
)
def test_minutes_validated_by_members_of_a_body_name_them_in_the_plural(
    par: str, validee_par: str
) -> None:
    # « validé le … par Élus du comité de pilotage » had neither article nor lower case.
    doc = check_file(REFERENCE).data
    assert doc is not None
    reunion = {**doc["reunions"][0], "validation": {"date": dt.date(2019, 6, 4), "par": par}}
    validation = context(doc, reunion)["reunion"]["validation"]
    assert validation == f"Compte rendu validé le 4 juin 2019 par {validee_par}."


def test_a_running_header_gives_up_the_epcis_kind_before_its_name() -> None:
    # Every document's header: « CTG de la Communauté d'agglomération Beaune, Côte et Sud -
    # Communauté… » cut the territory's name; its kind by its initials leaves room for it.
    assert entete(
        "CTG-21-2022-200006682",
        "Convention territoriale globale de services aux familles de la Communauté "
        "d'agglomération Beaune, Côte et Sud - Communauté Beaune-Chagny-Nolay",
    ) == (
        "CTG-21-2022-200006682 – CTG de la CA Beaune, Côte et Sud - Communauté Beaune-Chagny-Nolay"
    )


def test_an_item_ending_with_etc_keeps_its_point() -> None:
    # « Ateliers, sorties, etc ; » lost the abbreviation's point inside the list.
    assert ponctuer(["Ateliers, sorties, etc.", "Accueil du mercredi", "Goûters, jeux, etc."]) == [
        "Ateliers, sorties, etc.\u202f;",
        "Accueil du mercredi\u202f;",
        "Goûters, jeux, etc.",
    ]


def test_a_word_that_may_abbreviate_is_a_word_at_the_end_of_an_item() -> None:
    # « art. » abbreviates « article », but an item typed « Éveil à l'art. » ends a sentence.
    assert ponctuer(["Éveil à l'art.", "Lecture"]) == ["Éveil à l'art\u202f;", "Lecture."]
    assert ponctuer(["Villes de 20 000 hab.", "Lecture"]) == [
        "Villes de 20 000 hab.\u202f;",
        "Lecture.",
    ]


@pytest.mark.parametrize(
    ("lieu", "prochaine"),
    [
        ("Rai", "Mardi 11 février 2020 à 14\u00a0h à Rai"),
        ("L'Aigle", "Mardi 11 février 2020 à 14\u00a0h à L'Aigle"),
        ("Mairie de Rai", "Mardi 11 février 2020 à 14\u00a0h, Mairie de Rai"),
    ],
)
def test_the_next_meeting_in_a_commune_says_where_it_is_held(lieu: str, prochaine: str) -> None:
    # « Mardi 11 février 2020 à 14 h, Rai. » read as a fragment: a commune of the perimeter
    # is where the committee meets; a place of another kind keeps its comma.
    doc = check_file(REFERENCE).data
    assert doc is not None
    reunion = dict(doc["reunions"][0])
    reunion["prochaine_reunion"] = {
        "date": dt.date(2020, 2, 11),
        "heure": dt.time(14),
        "lieu": lieu,
    }
    assert context(doc, reunion)["reunion"]["prochaine"] == prochaine


# Avenant 1 adds F9 with effect from 1 December 2022 but is signed on 15 December: a
# committee that examines F9 on 8 December examines the projet of a fiche.
AJOUTEE_PAR_AVENANT = """fiches_actions:
  - code: F9
    axe: A1
    intitule: Ouvrir un relais petite enfance
    objectifs: [Informer les parents]
    pilote: {partie: cc, referent: Coordinatrice}
    calendrier: {debut: 2023-01-01, fin: 2024-06-30}
    statut: en_cours
    adoption: {avenant: 1}
reunions:
  - id: copil-avant
    instance: comite_pilotage
    date: 2022-12-08
    heure_debut: "10:00"
    heure_fin: "12:00"
    lieu: Beaucaire
    presidence: Paul Durand
    redacteur: La coordinatrice
    participants: [{nom: Paul Durand, qualite: Président, presence: present}]
    ordre_du_jour: [Relais]
    points: [{titre: Relais, synthese: Texte., fiches_actions: [F9]}]
  - id: copil-apres
    instance: comite_pilotage
    date: 2023-02-07
    heure_debut: "10:00"
    heure_fin: "12:00"
    lieu: Beaucaire
    presidence: Paul Durand
    redacteur: La coordinatrice
    participants: [{nom: Paul Durand, qualite: Président, presence: present}]
    ordre_du_jour: [Bilan du relais]
    points: [{titre: Bilan du relais, synthese: Texte., fiches_actions: [F9]}]
avenants:
  - numero: 1
    objet: Ajout d'un relais petite enfance
    date_effet: 2022-12-01
    signature: {date: 2022-12-15, lieu: Beaucaire}
    expose: Le relais petite enfance ouvre.
    nouvelle_fin: 2026-12-31
    habilitations:
      - {partie: caf, instance: Conseil d'administration, date: 2022-12-01}
      - {partie: cc, instance: Conseil communautaire, date: 2022-12-02}
"""


def test_a_fiche_an_avenant_adds_is_followed_up_once_that_avenant_is_signed(
    tmp_path: Path,
) -> None:
    folder = built(tmp_path, signed_minimale(AJOUTEE_PAR_AVENANT))
    avant = docx_text(folder / "comptes-rendus" / "2022-12-08-comite_pilotage.docx")
    assert "F9 « Ouvrir un relais petite enfance » (projet de fiche)" in avant
    suivi = docx_text(folder / "fiches-suivi" / "F9.docx")
    # The meeting of 8 December examined the projet, as its minutes say: not a follow-up.
    assert "8 décembre 2022" not in suivi
    assert "Le comité de pilotage du 7 février 2023 : Bilan du relais." in suivi
