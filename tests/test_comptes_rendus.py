"""Comptes rendus read back: attendance as the minutes list it, fiches, validation block."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from ctgdocs.builder import BuildOptions, build
from ctgdocs.checking import check_file
from ctgdocs.documents.compte_rendu import context, titre_groupe
from ctgdocs.documents.fiche import suivi_context
from ctgdocs.membres import rattachement

from .conftest import CONVENTIONS, FIXTURES, REFERENCE
from .docx_tools import header_text, plain

# body() folds the typography (no-break spaces, ’), which test_layout checks raw.
NB = " "
NBSP = "\u00a0"  # in contexts, before the typesetting
INVALIDES = FIXTURES / "invalides"


def body(path: Path) -> list[str]:
    """The body in reading order: a paragraph's text, or a table's rows as "a | b | c"."""
    document = Document(str(path))
    blocks: list[str] = []
    for child in document.element.body.iterchildren():
        if child.tag.endswith("}p"):
            text = plain(Paragraph(child, document).text)
            if text:
                blocks.append(text)
        elif child.tag.endswith("}tbl"):
            table = Table(child, document)
            blocks.extend(plain(" | ".join(c.text for c in row.cells)) for row in table.rows)
    return blocks


def attendance(blocks: list[str]) -> list[str]:
    """From "Participants" to "Ordre du jour": group titles and their rows, headers left out."""
    start, end = blocks.index("Participants"), blocks.index("Ordre du jour")
    return [b for b in blocks[start + 1 : end] if b != "Nom | Qualité | Structure"]


def tail(blocks: list[str]) -> list[str]:
    """The validation block, which ends the document."""
    return blocks[next(i for i, b in enumerate(blocks) if b.startswith("Validation")) :]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cr")
    sources = [
        REFERENCE,
        CONVENTIONS / "beaucaire-terre-d-argence-2022.yaml",
        INVALIDES / "reunion-non-signataire.yaml",
    ]
    build(sources, BuildOptions(output=folder, only=("comptes-rendus",)))
    return folder


def test_group_titles_agree_in_gender_and_number() -> None:
    assert titre_groupe(("Excusé", "Excusée"), True, 1) == "Excusée (1)"
    assert titre_groupe(("Présent", "Présente"), False, 3) == "Présents (3)"
    assert titre_groupe(("Invité excusé", "Invitée excusée"), True, 2) == "Invitées excusées (2)"


def test_reference_attendance_omits_empty_groups_and_agrees_with_known_civilites(
    out: Path,
) -> None:
    # No civilité in the minutes, but each participant is a representative the convention
    # names with one: "Excusée (1)" for Madame Roussel. The mayor of Rai signs the avenant
    # by which her commune joins a year later: on this day she is a guest.
    blocks = body(out / "CTG-61-2018-01" / "comptes-rendus" / "2019-02-19-comite_pilotage.docx")
    assert attendance(blocks) == [
        "Présents (2)",
        "M. Philippe Vasseur | Président | Communauté de communes",
        "Mme Sophie Garnier | Directrice | Caf de l'Orne",
        "Excusée (1)",
        "Mme Catherine Roussel | Directrice générale | MSA Mayenne-Orne-Sarthe",
        "Invitée (1)",
        "Mme Martine Leroy | Maire | Commune de Rai",
    ]


def test_draft_compte_rendu_says_projet(out: Path) -> None:
    path = out / "CTG-61-2018-01" / "comptes-rendus" / "2019-02-19-comite_pilotage.docx"
    blocks = body(path)
    assert blocks[0] == "PROJET – compte rendu non validé"
    assert header_text(path).splitlines()[0] == "PROJET"  # its own line, as in every document
    assert tail(blocks) == [
        "Validation",
        "Projet de compte rendu, soumis à la validation du comité de pilotage lors de sa "
        "prochaine réunion.",
    ]


def test_members_represented_excused_then_guests(out: Path) -> None:
    path = out / "CTG-30-2022-BTA" / "comptes-rendus" / "2022-10-04-comite_pilotage.docx"
    assert attendance(body(path)) == [
        "Présents (3)",
        f"Mme{NB}Marie-Hélène N'Diaye | Présidente | Communauté de communes",
        f"M.{NB}Jean-Luc D'Amico | Directeur | Caf du Gard",
        # No `structure`: the party's name, from `partie`.
        f"M.{NB}Julien Sanchez | Maire | Commune de Beaucaire",
        "Représenté (1)",
        f"M.{NB}Olivier Aubert, représenté par Mme Nadia Belkacem, responsable de l'action "
        "sanitaire et sociale | Directeur général | MSA du Languedoc",
        "Excusée (1)",
        f"Mme{NB}Françoise Laurent-Perrigot | Présidente | Département du Gard",
        "Invité (1)",
        f"M.{NB}Gilles Dumas | Maire | Commune de Fourques",
    ]


def test_validated_compte_rendu_ends_with_validation_diffusion_and_attachments(
    out: Path,
) -> None:
    path = out / "CTG-30-2022-BTA" / "comptes-rendus" / "2022-10-04-comite_pilotage.docx"
    blocks = body(path)
    assert "PROJET" not in header_text(path) and "PROJET" not in " ".join(blocks)
    assert tail(blocks) == [
        "Validation et diffusion",
        "Compte rendu validé le 14 mars 2023 par le comité de pilotage.",
        "Diffusion :",
        "Membres du comité de pilotage ;",
        "Maires des communes de la Communauté de communes.",
        "Pièces jointes :",
        "Diaporama présenté en séance ;",
        "Calendrier prévisionnel des travaux de la micro-crèche.",
    ]


def test_draft_of_a_named_working_group(out: Path) -> None:
    path = out / "CTG-30-2022-BTA" / "comptes-rendus" / "2023-01-17-groupe_de_travail.docx"
    assert tail(body(path)) == [
        "Validation",
        "Projet de compte rendu, soumis à la validation du groupe de travail parentalité.",
    ]


def test_commune_not_yet_signatory_is_listed_among_guests(out: Path) -> None:
    folder = out / "CTG-30-TEST" / "comptes-rendus"
    assert attendance(body(folder / "2022-10-04-comite_pilotage.docx")) == [
        "Présentes (2)",
        f"Mme{NB}Anne Martin | Directrice | Caisse d'allocations familiales du Gard",
        f"Mme{NB}Léa Petit | Vice-présidente | Communauté de communes Beaucaire Terre d'Argence",
        "Représenté (1)",
        f"M.{NB}Paul Durand, représenté par Mme Léa Petit, Vice-présidente | Président | "
        "Communauté de communes Beaucaire Terre d'Argence",
        # Marked present, but Fourques signs by avenant n° 1, in force on 1 January 2023.
        "Invité (1)",
        f"M.{NB}Gilles Dumas | Maire | Commune de Fourques",
        # Marked excused; Bellegarde is in the perimeter only: an excused guest.
        "Invitée excusée (1)",
        f"Mme{NB}Sophie Roux | Maire | Commune de Bellegarde",
    ]
    # After avenant n° 1 Fourques is a member; Vallabrègues's avenant is not signed.
    assert attendance(body(folder / "2023-03-01-comite_pilotage.docx")) == [
        "Présent (1)",
        f"M.{NB}Gilles Dumas | Maire | Commune de Fourques",
        "Représentée (1)",
        f"Mme{NB}Anne Martin, représentée par M. Marc Blanc, Directeur adjoint | Directrice | "
        "Caisse d'allocations familiales du Gard",
        "Invitées (2)",
        f"Mme{NB}Annie Chabaud | Maire | Commune de Vallabrègues",
        f"Mme{NB}Sophie Roux | Maire | Commune de Bellegarde",
    ]


@pytest.mark.parametrize("fixture", ["reunion-fiche-avant-signature", "reunion-fiche-projet"])
def test_fiche_cited_before_signature_is_a_projet_fiche(tmp_path: Path, fixture: str) -> None:
    build([INVALIDES / f"{fixture}.yaml"], BuildOptions(output=tmp_path))
    blocks = body(tmp_path / "CTG-30-TEST" / "comptes-rendus" / "2022-02-01-comite_pilotage.docx")
    assert (
        f"Fiche action concernée (projet de convention) : FA-1 «{NB}Ouvrir une micro-crèche{NB}»."
        in blocks
    )


def test_several_fiches_are_plural() -> None:
    doc = check_file(REFERENCE).data
    assert doc is not None
    reunion = doc["reunions"][0]
    reunion["points"][0]["fiches_actions"] = ["FA-1.1", "FA-3.1"]
    point = context(doc, reunion)["reunion"]["points"][0]
    # Signed before the meeting: fiches of the convention, no "projet" mention.
    assert point["fiches_titre"] == "Fiches actions concernées : "
    assert point["fiches"] == (
        f"FA-1.1 «{NBSP}Mettre en place un plan mercredi à l'échelle intercommunale{NBSP}» et "
        f"FA-3.1 «{NBSP}Organiser l'itinérance des services et des animations{NBSP}»"
    )


@pytest.mark.parametrize(
    ("par", "texte"),
    [
        ("Comité de pilotage", "par le comité de pilotage."),
        ("le comité de pilotage du 5 mars 2019", "par le comité de pilotage du 5 mars 2019."),
        ("Commission enfance-jeunesse", "par la commission enfance-jeunesse."),
        ("Assemblée plénière", "par l'assemblée plénière."),
        ("Conseil communautaire", "par le Conseil communautaire."),
        ("Madame la Présidente", "par Madame la Présidente."),
        ("COPIL", "par le COPIL."),
        ("CoTech du 5 mars 2019", "par le CoTech du 5 mars 2019."),
        ("Atelier parentalité", "par l'atelier parentalité."),
        ("Présidente du comité de pilotage", "par la Présidente du comité de pilotage."),
        ("Directeur de la Caf", "par le Directeur de la Caf."),
        ("Membres du comité de pilotage", "par les membres du comité de pilotage."),
        ("Consultation écrite des membres", "par consultation écrite des membres."),
    ],
)
def test_who_validated_is_named_with_its_article(par: str, texte: str) -> None:
    doc = check_file(REFERENCE).data
    assert doc is not None
    reunion = doc["reunions"][0]
    reunion["validation"] = {"date": dt.date(2019, 3, 5), "par": par}
    validation = context(doc, reunion)["reunion"]["validation"]
    assert validation == f"Compte rendu validé le 5 mars 2019 {texte}"


def test_single_attachment_is_singular() -> None:
    doc = check_file(REFERENCE).data
    assert doc is not None
    reunion = {**doc["reunions"][0], "pieces_jointes": ["Diaporama"]}
    assert context(doc, reunion)["reunion"]["pieces_titre"] == "Pièce jointe :"


def test_commune_joining_by_a_retroactive_avenant_is_member_once_it_has_signed() -> None:
    # Avenant n° 1 of the reference: in effect on 1 January 2020, signed on 23 January.
    doc = check_file(REFERENCE).data
    assert doc is not None
    rai = rattachement(doc, "61342")
    assert rai is not None and (rai.nom, rai.avenant) == ("Commune de Rai", 1)
    assert not rai.membre_le(dt.date(2020, 1, 10))
    assert rai.membre_le(dt.date(2020, 1, 23))
    aube = rattachement(doc, "61008")  # in the perimeter, never a signatory
    assert aube is not None and not aube.membre_le(dt.date(2021, 1, 1))
    assert rattachement(doc, "msa") is not None and rattachement(doc, "61999") is None


def test_a_homonym_from_another_body_is_neither_a_guest_nor_given_a_civilite(
    tmp_path: Path,
) -> None:
    # Martine Leroy, maire of Rai, signs avenant 1; a Caf agent of the same name sits as
    # a member, and a commune's agent of the same name with another function is not her.
    text = REFERENCE.read_text(encoding="utf-8").replace(
        "      - {nom: Martine Leroy, qualite: Maire, structure: Commune de Rai, presence: present}",
        "      - {nom: Martine Leroy, qualite: Maire, structure: Commune de Rai, presence: present}\n"
        "      - {nom: Martine Leroy, qualite: Chargée de mission, structure: Caf de l'Orne, "
        "presence: present}\n"
        "      - {nom: Martine Leroy, qualite: Secrétaire générale, structure: Commune, "
        "presence: excuse}",
    )
    source = tmp_path / "homonymes.yaml"
    source.write_text(text, encoding="utf-8")
    build([source], BuildOptions(output=tmp_path / "out", only=("comptes-rendus",)))
    path = (
        tmp_path / "out" / "CTG-61-2018-01" / "comptes-rendus" / "2019-02-19-comite_pilotage.docx"
    )
    assert attendance(body(path)) == [
        "Présents (3)",
        "M. Philippe Vasseur | Président | Communauté de communes",
        "Mme Sophie Garnier | Directrice | Caf de l'Orne",
        "Martine Leroy | Chargée de mission | Caf de l'Orne",
        "Excusés (2)",
        "Mme Catherine Roussel | Directrice générale | MSA Mayenne-Orne-Sarthe",
        "Martine Leroy | Secrétaire générale | Commune",
        "Invitée (1)",
        "Mme Martine Leroy | Maire | Commune de Rai",
    ]


@pytest.mark.parametrize(
    ("intitule", "instance", "objet"),
    [
        # An intitulé that names the body more precisely is its name.
        ("Comité de pilotage extraordinaire", "Comité de pilotage extraordinaire", None),
        ("comité de pilotage annuel", "Comité de pilotage annuel", None),
        ("Premier comité  de pilotage", "Premier comité  de pilotage", None),
        ("Comite de pilotage CTG", "Comite de pilotage CTG", None),
        ("COPIL de mi-parcours", "COPIL de mi-parcours", None),
        # Any other is what the meeting is about: the body keeps its name.
        ("Bilan annuel", "Comité de pilotage", "Bilan annuel"),
        ("Lancement de la convention", "Comité de pilotage", "Lancement de la convention"),
        ("Comités réunis", "Comité de pilotage", "Comités réunis"),
        (None, "Comité de pilotage", None),
    ],
)
def test_an_intitule_names_the_body_or_the_meeting_s_object(
    intitule: str | None, instance: str, objet: str | None
) -> None:
    doc = check_file(REFERENCE).data
    assert doc is not None
    reunion = {**doc["reunions"][0], "intitule": intitule}
    assert reunion["instance"] == "comite_pilotage"
    contexte = context(doc, reunion)["reunion"]
    assert contexte["titre"] == f"{instance} du 19 février 2019"
    assert contexte["objet"] == objet
    # Whatever its meeting is called, the committee validates its minutes when it meets next:
    # « du premier comité de pilotage lors de sa prochaine réunion » named one that does not.
    assert contexte["validation"].startswith("Compte rendu validé") or (
        "la validation du comité de pilotage lors de sa prochaine" in contexte["validation"]
    )


def test_the_object_of_a_meeting_is_a_row_of_its_header(tmp_path: Path) -> None:
    line = "    date: 2019-02-19\n"
    source = REFERENCE.read_text(encoding="utf-8")
    assert source.count(line) == 1
    source = source.replace(line, line + "    intitule: Bilan annuel\n")
    path = tmp_path / "bilan.yaml"
    path.write_text(source, encoding="utf-8")
    build([path], BuildOptions(output=tmp_path / "out", only=("comptes-rendus",)))
    (document,) = (tmp_path / "out").rglob("2019-02-19-*.docx")
    blocks = body(document)
    assert blocks[blocks.index("Compte rendu") + 1] == "Comité de pilotage du 19 février 2019"
    assert "Objet | Bilan annuel" in blocks


@pytest.mark.parametrize(
    ("day", "intitule"),
    [
        (dt.date(2024, 5, 14), "Développer un réseau d'écoute des parents"),
        # Avenant n° 2, in force from 1 October 2024, renamed fiche 2.1.
        (dt.date(2025, 1, 14), "Développer un réseau d'écoute et de soutien des parents"),
    ],
)
def test_a_fiche_is_cited_by_the_title_it_had_on_the_day_of_the_meeting(
    day: dt.date, intitule: str
) -> None:
    doc = check_file(FIXTURES / "territoires" / "bressuirais.yaml").data
    assert doc is not None
    reunion = {**doc["reunions"][2], "date": day}
    reunion["points"] = [{"titre": "Point d'étape", "fiches_actions": ["2.1"]}]
    point = context(doc, reunion)["reunion"]["points"][0]
    assert point["fiches"] == f"2.1 «{NBSP}{intitule}{NBSP}»"


def test_a_participant_typed_without_function_or_body_leaves_no_blank_cell() -> None:
    doc = check_file(REFERENCE).data
    assert doc is not None
    reunion = doc["reunions"][0]
    reunion["participants"] = [
        # The Caf's director, typed with her party only: the convention gives her function.
        {"nom": "Sophie Garnier", "partie": "caf", "presence": "present"},
        # Someone the convention does not know: nothing to fill the cells with.
        {"nom": "Jean Dupont", "presence": "present"},
        # A namesake of the MSA's director typed for the Caf is not her.
        {"nom": "Catherine Roussel", "partie": "caf", "presence": "excuse"},
    ]
    groups = context(doc, reunion)["reunion"]["presences"]
    caf = "Caisse d'allocations familiales de l'Orne"
    assert [group["personnes"] for group in groups] == [
        [
            {"nom": f"Mme{NBSP}Sophie Garnier", "qualite": "Directrice", "structure": caf},
            {"nom": "Jean Dupont", "qualite": "—", "structure": "—"},
        ],
        [{"nom": f"Mme{NBSP}Catherine Roussel", "qualite": "—", "structure": caf}],
    ]


_PRESIDENCE = "    presidence: Philippe Vasseur, Président de la Communauté de communes\n"


@pytest.mark.parametrize(
    ("presidence", "warned"),
    [
        ("Philippe Vasseur, Président de la Communauté de communes", False),
        ("Monsieur Philippe Vasseur (Président)", False),
        ("PHILIPPE VASSEUR", False),
        # A chair written as a role is the participant of that qualité.
        ("Directrice de la Caf de l'Orne", False),
        ("Jean Vasseur, Président de la Communauté de communes", True),
        ("Présidente du Conseil départemental", True),
    ],
)
def test_the_chair_is_among_those_present(tmp_path: Path, presidence: str, warned: bool) -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    assert _PRESIDENCE in text
    source = tmp_path / "aigle.yaml"
    source.write_text(text.replace(_PRESIDENCE, f"    presidence: {presidence}\n"), "utf-8")
    found = [
        (p.line, p.field, p.message)
        for p in check_file(source).report.warnings
        if p.field.endswith("presidence")
    ]
    expected = (
        267,
        "reunions[0].presidence",
        f"la présidence revient à « {presidence} », que les participants ne comptent pas "
        "parmi les présents (ni ce nom ni cette qualité n'y figurent) : ajoutez qui préside "
        "aux participants, avec presence: present, ou écrivez son nom comme la liste le "
        "donne (Prénom Nom, qualité)",
    )
    assert found == ([expected] if warned else [])


@pytest.mark.parametrize(
    ("intitule", "le", "du"),
    [
        ("Commission parentalité", "la commission parentalité", "de la commission parentalité"),
        ("Cellule de veille parentalité", "la cellule de veille", "de la cellule de veille"),
        ("Atelier parentalité", "l'atelier parentalité", "de l'atelier parentalité"),
        ("Groupe de travail parentalité", "le groupe de travail", "du groupe de travail"),
    ],
)
def test_a_working_group_is_named_with_the_article_its_name_takes(
    intitule: str, le: str, du: str
) -> None:
    # The complete fixture's working group examines fiche 2.1 on 17 January 2023, last.
    doc = check_file(FIXTURES / "valides" / "complete.yaml").data
    assert doc is not None
    groupe = next(r for r in doc["reunions"] if r["id"] == "gt-parentalite-2023-01")
    groupe["intitule"] = intitule
    validation = context(doc, groupe)["reunion"]["validation"]
    assert validation.startswith(f"Projet de compte rendu, soumis à la validation {du}")
    fiche = next(f for f in doc["fiches_actions"] if f["code"] == "2.1")
    suivi = suivi_context(doc, fiche)["suivi"]
    assert suivi["etat_au"].startswith(f"État au 17 janvier 2023 (examen {du}")
    assert suivi["examens"][-1].startswith(f"{le[0].upper()}{le[1:]}")
    assert " du 17 janvier 2023 : Bilan." in suivi["examens"][-1]
    # The state a follow-up entry of that meeting records is established by it.
    fiche["suivi"] = [{"date": groupe["date"], "statut": "en_cours", "reunion": groupe["id"]}]
    etat = suivi_context(doc, fiche)["suivi"]["etat_au"]
    assert etat.startswith(f"État au 17 janvier 2023, établi par {le}")


def test_a_next_meeting_place_typed_with_its_full_stop_ends_with_one() -> None:
    checked = check_file(REFERENCE)
    assert checked.data is not None
    reunion = dict(checked.data["reunions"][0])
    reunion["prochaine_reunion"] = {"date": dt.date(2020, 2, 11), "lieu": "Mairie de Rai. "}
    ctx = context(checked.data, reunion)
    assert ctx["reunion"]["prochaine"].endswith("Mairie de Rai")


def test_a_fiche_adopted_by_a_meeting_its_minutes_do_not_cite_is_warned(tmp_path: Path) -> None:
    # complete.yaml's fiche 3.2 is « adoptée par le comité de pilotage du 4 octobre 2022 »:
    # without a decision or a point citing it, the minutes of that meeting would not say so.
    text = (FIXTURES / "valides" / "complete.yaml").read_text(encoding="utf-8")
    decision = (
        "      - Le comité adopte la fiche action 3.2 « Ouvrir un point d'accès au numérique ».\n"
    )
    assert decision in text
    source = tmp_path / "sans-decision.yaml"
    source.write_text(text.replace(decision, ""), encoding="utf-8")
    warnings = [
        p.message for p in check_file(source).report.problems if "qui adopte la fiche" in p.message
    ]
    assert warnings == [
        "le compte rendu de la réunion du 4 octobre 2022, qui adopte la fiche 3.2, ne la cite "
        "pas : ajoutez 3.2 aux fiches_actions d'un de ses points, ou une décision qui l'adopte"
    ]
    assert not [
        p
        for p in check_file(FIXTURES / "valides" / "complete.yaml").report.problems
        if "qui adopte la fiche" in p.message
    ]


@pytest.mark.parametrize(
    ("cited", "warned"),
    [("3.21 «", True), ("13.2 «", True), ("FA-3.2 «", True), ("3.2, «", False), ("3.2.", False)],
)
def test_a_decision_cites_a_fiche_by_its_whole_code(
    tmp_path: Path, cited: str, warned: bool
) -> None:
    # « 3.2 » is not cited by a decision on the fiche 3.21 (or 13.2): the code, not a part.
    text = (FIXTURES / "valides" / "complete.yaml").read_text(encoding="utf-8")
    source = tmp_path / "decision.yaml"
    source.write_text(text.replace("fiche action 3.2 «", f"fiche action {cited}"), "utf-8")
    problems = check_file(source).report.problems
    assert any("qui adopte la fiche 3.2," in p.message for p in problems) is warned
