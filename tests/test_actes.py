"""The convention and its avenants as acts: clauses as data, authority, what signing freezes."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document

from ctgdocs.builder import BuildOptions, build
from ctgdocs.checking import check_file

from .conftest import MINIMALE, REFERENCE
from .docx_tools import docx_text, plain, table_rows

REF = "CTG-61-2018-01"


def signed_minimale(extra: str = "", convention: str = "", parties: str = "") -> str:
    """The smallest signed convention (Caf and EPCI, Gard), with additions where named."""
    text = MINIMALE.read_text(encoding="utf-8")
    text = text.replace(
        "  preambule:",
        f"  signature: {{date: 2022-03-15, lieu: Beaucaire}}\n{convention}  preambule:",
    )
    text = text.replace(
        "qualite: Président}]",
        "qualite: Président}]\n    habilitation: {instance: Conseil communautaire, "
        "date: 2022-03-01}\n    adresse: 1 avenue de la Croix-Blanche, 30300 Beaucaire" + parties,
    )
    text = text.replace(
        "qualite: Directrice}]",
        "qualite: Directrice}]\n    adresse: 321 rue Maurice-Faure, 30000 Nîmes",
    )
    return text + extra


def problems(tmp_path: Path, text: str, field: Callable[[str], bool]) -> list[tuple[str, str]]:
    """(field, message) of what validation says of the fields `field` accepts."""
    source = tmp_path / "c.yaml"
    source.write_text(text, encoding="utf-8")
    return [(p.field, p.message) for p in check_file(source).report.sorted() if field(p.field)]


def built(tmp_path: Path, text: str, name: str = "ctg.yaml") -> Path:
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    build([source], BuildOptions(output=tmp_path / "out"))
    return tmp_path / "out" / "CTG-30-TEST"


def paragraphs(path: Path) -> list[str]:
    return [plain(p.text) for p in Document(str(path)).paragraphs]


def articles(path: Path) -> list[str]:
    return [plain(p.text) for p in Document(str(path)).paragraphs if p.style.name == "CTG Article"]


def test_default_clauses_for_two_parties(tmp_path: Path) -> None:
    folder = built(tmp_path, signed_minimale())
    text = docx_text(folder / "convention.docx")
    # The EPCI is named as it signs, not by the territory's short name (« CC Beaucaire… »).
    assert (
        "projet social de territoire partagé par les signataires sur le territoire de la "
        "Communauté de communes Beaucaire Terre d'Argence et d'organiser"
    ) in text
    # Every party has its seat: no « Élection de domicile ».
    assert "Élection de domicile" not in text
    # Two signatories: withdrawal ends the convention; no "les autres signataires".
    assert (
        "Chaque signataire peut mettre fin à la présente convention par lettre recommandée avec "
        "accusé de réception adressée à l'autre signataire, moyennant un préavis de trois mois."
    ) in text
    assert "l'autre signataire peut résilier la convention à l'expiration" in text
    assert "d'un commun accord entre les deux signataires." in text
    assert "les autres signataires" not in text
    # Money is committed under reserve, for one collectivity.
    assert (
        "Les financements de la Caf sont accordés dans le respect de sa réglementation et de ses "
        "règles d'intervention, dans la limite des crédits disponibles."
    ) in text
    assert (
        "Les engagements financiers de la Communauté de communes sont pris sous réserve du vote "
        "de son budget par son assemblée délibérante."
    ) in text
    # Without fiches, no annex 3 is announced.
    assert "annexe 3" not in text and "fiches actions (" not in text
    assert "le litige est porté devant le tribunal administratif de Nîmes." in text
    assert (
        "Vu la convention d'objectifs et de gestion conclue entre l'État et la Caisse nationale "
        "des allocations familiales pour la période 2018-2022 ;"
    ) in text
    assert (
        "La présente convention est conclue pour une durée de quatre ans, du 1er janvier 2022 "
        "au 31 décembre 2025. Elle prend effet au 1er janvier 2022, quelle que soit la date de "
        "sa signature."
    ) in text
    assert "Fait à Beaucaire, le 15 mars 2022, en deux exemplaires originaux." in text


def test_a_caf_replaces_inserts_and_drops_articles(tmp_path: Path) -> None:
    convention = """  cog: 2023-2027
  visas:
    - la délibération du Conseil d'administration de la Caf du Gard du 8 février 2022
  articles:
    - remplace: litiges
      texte: |
        Tout différend est soumis au médiateur de la Caf avant toute action contentieuse.
    - apres: evaluation
      cle: communication
      titre: Communication
      texte: Les signataires font mention de la convention dans leurs supports.
    - supprime: diagnostic
  annexes:
    - titre: le diagnostic partagé (rapport de juin 2021)
"""
    folder = built(tmp_path, signed_minimale(convention=convention))
    path = folder / "convention.docx"
    assert articles(path) == [
        "Article 1 – Objet de la convention",
        "Article 2 – Champs d'intervention",
        "Article 3 – Axes stratégiques et plan d'actions",
        "Article 4 – Engagements des parties",
        "Article 5 – Engagements financiers",
        "Article 6 – Pilotage et gouvernance",
        "Article 7 – Suivi et évaluation",
        "Article 8 – Communication",
        "Article 9 – Échanges de données et confidentialité",
        "Article 10 – Durée et prise d'effet",
        "Article 11 – Révision",
        "Article 12 – Retrait d'un signataire et résiliation",
        "Article 13 – Annexes",
        "Article 14 – Règlement des litiges",
    ]
    body = paragraphs(path)
    assert "Les signataires font mention de la convention dans leurs supports." in body
    assert (
        "Tout différend est soumis au médiateur de la Caf avant toute action contentieuse." in body
    )
    assert not any("tribunal administratif" in line for line in body)
    # Cross-references follow the numbers: the caf's commitments point to article 5.
    assert "dans les conditions prévues à l'article 5 ;" in "\n".join(body)
    assert (
        "Vu la délibération du Conseil d'administration de la Caf du Gard du 8 février 2022 ;"
        in body
    )
    assert any("pour la période 2023-2027 ;" in line for line in body)
    assert "l'annexe 3 : le diagnostic partagé (rapport de juin 2021)." in body


def test_delegation_and_blanks_in_a_projet(tmp_path: Path) -> None:
    text = signed_minimale(
        parties="""
  - id: beaucaire
    type: commune
    insee: "30032"
    representants:
      - civilite: Madame
        prenom: Lise
        nom: Roux
        qualite: Première adjointe au Maire
        delegation: {de: Maire, date: 2020-07-10, numero: "2020-45"}"""
    ).replace("  signature: {date: 2022-03-15, lieu: Beaucaire}\n", "")
    folder = built(tmp_path, text)
    body = "\n".join(paragraphs(folder / "convention.docx"))
    dots = "\u2026" * 9
    assert (
        "La Commune de Beaucaire, représentée par Madame Lise Roux, Première adjointe au "
        "Maire, agissant par délégation du Maire en vertu de l'arrêté n° 2020-45 du "
        f"10 juillet 2020, dûment autorisée par délibération du Conseil municipal du {dots}, "
        "ci-après dénommée « la Commune de Beaucaire »,"
    ) in body
    assert f"Vu la délibération du Conseil municipal de la Commune de Beaucaire du {dots} ;" in body
    # The Caf's authority is not given either: a blank, never left out.
    assert (
        "représentée par sa Directrice, Madame Anne Martin, dûment autorisée par délibération "
        f"du Conseil d'administration du {dots}, ci-après dénommée « la Caf »"
    ) in body
    signatures = docx_text(folder / "convention.docx")
    assert "Pour le Maire et par délégation, la Première adjointe au Maire," in signatures
    # The visa names the delegation's author and whose office it is (among several
    # communes, which Maire); the act's number never breaks at a hyphen.
    assert (
        "Vu l'arrêté du Maire de la Commune de Beaucaire n° 2020-45 du 10 juillet 2020 portant "
        "délégation à Madame Lise Roux"
    ) in body
    with zipfile.ZipFile(folder / "convention.docx") as package:
        xml = package.read("word/document.xml").decode()
    assert xml.count("2020</w:t><w:noBreakHyphen/><w:t>45") == 2  # parties and visa


def test_function_with_an_organ_of_the_party_takes_the_possessive(tmp_path: Path) -> None:
    build([REFERENCE], BuildOptions(output=tmp_path / "out", only=("convention",)))
    text = docx_text(tmp_path / "out" / REF / "convention.docx")
    assert "représentée par le Président de son Conseil d'administration, Monsieur" in text
    assert "son Président du Conseil" not in text


@pytest.fixture
def reference_copy(tmp_path: Path) -> Path:
    source = tmp_path / "aigle.yaml"
    source.write_text(REFERENCE.read_text(encoding="utf-8"), encoding="utf-8")
    return source


def rebuild(source: Path, out: Path, old: str, new: str) -> bytes:
    text = source.read_text(encoding="utf-8")
    assert old in text
    source.write_text(text.replace(old, new, 1), encoding="utf-8")
    build([source], BuildOptions(output=out, force=True))
    return (out / REF / "convention.docx").read_bytes()


def test_what_happens_after_signature_never_changes_the_signed_convention(
    reference_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build([reference_copy], BuildOptions(output=out))
    signed = (out / REF / "convention.docx").read_bytes()
    # A fiche's status moves on: the annex carries no live status.
    assert rebuild(reference_copy, out, "statut: a_venir", "statut: en_cours") == signed
    # A new representative signs the avenant: the convention keeps the one who signed it.
    assert rebuild(reference_copy, out, "prenom: Thierry", "prenom: Thibault") == signed
    # A fiche adopted later by the steering committee joins the consolidated version only.
    fiche = """  - code: FA-3.2
    axe: A3
    intitule: Ouvrir un espace France services itinérant
    objectifs: [Rapprocher les services des habitants]
    pilote: {partie: cdc}
    calendrier: {debut: 2019-06-01, fin: 2021-12-31}
    statut: a_venir
    adoption: {reunion: copil-2019-02-19}

gouvernance:"""
    assert rebuild(reference_copy, out, "\ngouvernance:", "\n" + fiche) == signed
    consolidated = docx_text(out / REF / "convention-consolidee.docx")
    # Its plan, its axes and its annexes article name the fiche, and how it came (the
    # governance article says that fiches the committee adopts are annexed).
    assert (
        "A3 | FA-3.2 | Ouvrir un espace France services itinérant (adoptée par le comité de "
        "pilotage du 19 février 2019)"
    ) in consolidated
    assert (
        "les annexes 3.1 à 3.4 : les fiches actions FA-1.1, FA-2.1, FA-3.1 et FA-3.2 (adoptée "
        "par le comité de pilotage du 19 février 2019), dans cet ordre."
    ) in consolidated
    assert "Fiches actions : FA-3.1 et FA-3.2." in consolidated
    assert (
        "la convention signée le 28 juin 2018 ;\nla fiche action FA-3.2, adoptée par le comité "
        "de pilotage du 19 février 2019 ;\nl'avenant n° 1 signé le 23 janvier 2020."
    ) in consolidated
    annex = docx_text(out / REF / "fiches-actions" / "FA-3.2.docx")
    assert annex.startswith(
        "Annexe 3.4 à la convention territoriale globale de services aux familles du Pays de "
        "L'Aigle, adoptée par le comité de pilotage du 19 février 2019"
    )
    assert "Statut" not in annex


def test_an_avenant_replaces_and_inserts_articles(tmp_path: Path) -> None:
    text = signed_minimale(
        extra="""avenants:
  - numero: 1
    objet: Gouvernance et communication
    date_effet: 2023-01-01
    signature: {date: 2022-12-15, lieu: Beaucaire}
    expose: Les signataires revoient leur gouvernance.
    habilitations:
      - {partie: caf, instance: Conseil d'administration, date: 2022-12-01}
      - {partie: cc, instance: Conseil communautaire, date: 2022-12-02}
    dispositions:
      - titre: Pilotage et gouvernance
        remplace: gouvernance
        texte: Le comité de pilotage se réunit deux fois par an.
      - titre: Communication
        apres: evaluation
        cle: communication
        texte: Les signataires publient un bilan annuel.
"""
    )
    folder = built(tmp_path, text)
    avenant = docx_text(folder / "avenants" / "avenant-1.docx")
    assert (
        "Le présent avenant a pour objet la modification de l'article 7 de la convention "
        "(« Pilotage et gouvernance ») et l'insertion dans la convention d'un article "
        "« Communication »."
    ) in avenant
    assert (
        "L'article 7 de la convention (« Pilotage et gouvernance ») est remplacé par les "
        "stipulations suivantes :"
    ) in avenant
    assert "« Article 7 – Pilotage et gouvernance" in avenant
    assert (
        "Il est inséré après l'article 8 de la convention (« Suivi et évaluation ») un article "
        "8 bis ainsi rédigé :"
    ) in avenant
    assert "Les signataires publient un bilan annuel. »" in avenant
    assert "prend effet au 1er janvier 2023." in avenant  # signed before it takes effect
    consolidated = articles(folder / "convention-consolidee.docx")
    # The inserted article takes "8 bis": the others keep the numbers the avenants cite.
    assert consolidated[6:10] == [
        "Article 7 – Pilotage et gouvernance (modifié par l'avenant n° 1)",
        "Article 8 – Suivi et évaluation",
        "Article 8 bis – Communication (inséré par l'avenant n° 1)",
        "Article 9 – Échanges de données et confidentialité",
    ]
    body = paragraphs(folder / "convention-consolidee.docx")
    assert "Le comité de pilotage se réunit deux fois par an." in body
    assert any("Version consolidée au 1er janvier 2023" in line for line in body)


def test_commune_names_print_the_cog_spelling(tmp_path: Path) -> None:
    text = signed_minimale().replace(
        '  departement: "30"',
        '  departement: "30"\n  communes:\n    - {insee: "30336", nom: Vallabregues}\n'
        '    - {insee: "30032", nom: beaucaire}',
    )
    folder = built(tmp_path, text)
    path = folder / "convention.docx"
    rows = next(
        t for t in (table_rows(path, i) for i in range(4)) if t[0] == ["Commune", "Code INSEE"]
    )
    assert rows[1:] == [["Beaucaire", "30032"], ["Vallabrègues", "30336"]]


def test_identical_commitments_of_different_parties_are_one_sentence(tmp_path: Path) -> None:
    mine = "\n    engagements: [partager ses données, participer aux instances de la convention]"
    text = (
        signed_minimale()
        .replace("qualite: Directrice}]", "qualite: Directrice}]" + mine)
        .replace("qualite: Président}]", "qualite: Président}]" + mine)
    )
    folder = built(tmp_path, text)
    body = paragraphs(folder / "convention.docx")
    start = body.index("La Caf et la Communauté de communes s'engagent à :")
    assert body[start + 1 : start + 3] == [
        "partager ses données ;",
        "participer aux instances de la convention.",
    ]
    assert "La Caf s'engage à :" not in body


FICHE = """fiches_actions:
  - code: F1
    axe: A1
    intitule: Ouvrir un accueil de loisirs
    objectifs: [Accueillir les enfants le mercredi]
    pilote: {partie: cc}
    calendrier: {debut: 2022-09-01, fin: 2023-06-30}
    statut: en_cours
    budget: [{poste: Animation, montant: 10000}]
    financements: [{financeur: Caf du Gard, montant: 10000}]
"""


# An avenant signed by both parties, each with its deliberation: its changes follow it.
AVENANT_1 = """avenants:
  - numero: 1
    objet: Extension de l'accueil de loisirs
    date_effet: 2023-01-01
    signature: {date: 2022-12-15, lieu: Beaucaire}
    expose: L'accueil de loisirs ouvre aussi pendant les vacances.
    habilitations:
      - {partie: caf, instance: Conseil d'administration, date: 2022-12-01}
      - {partie: cc, instance: Conseil communautaire, date: 2022-12-02}
"""


def test_an_avenant_rewrites_a_fiche_and_carries_its_own_stipulations(tmp_path: Path) -> None:
    text = signed_minimale(
        extra=FICHE
        + AVENANT_1
        + """    fiches_modifiees:
      - code: F1
        calendrier: {debut: 2022-09-01, fin: 2025-06-30}
        budget: [{poste: Animation, montant: 10000}, {poste: Vacances, montant: 2500.50}]
        financements: [{financeur: Caf du Gard, dispositif: Bonus, montant: 12500.50}]
        description: |
          L'accueil ouvre pendant les vacances.

          - les petites vacances ;
          - l'été.
    dispositions:
      - titre: Bilan intermédiaire
        texte: Un bilan de l'extension est présenté au comité de pilotage en juin 2023.
"""
    )
    folder = built(tmp_path, text)
    # Empty lines left out: LibreOffice's pagination may need a spacer paragraph (wordml).
    avenant = re.sub(r"\n+", "\n", docx_text(folder / "avenants" / "avenant-1.docx"))
    assert (
        "Le présent avenant a pour objet la modification de la fiche action F1 (annexe 3.1)."
    ) in avenant
    assert (
        "La fiche action F1 « Ouvrir un accueil de loisirs » (annexe 3.1) est modifiée comme "
        "suit, à compter du 1er janvier 2023 :\nson calendrier s'étend du 1er septembre 2022 au "
        "30 juin 2025.\nSa description devient :"
    ) in avenant
    assert "Vacances | 2 500,50 €" in avenant
    assert "Total | 12 500,50 €" in avenant
    assert "Caf du Gard | Bonus | 12 500,50 €" in avenant
    # The new description quoted as it will read: its paragraph, then its bullets.
    assert (
        "Sa description devient :\n« L'accueil ouvre pendant les vacances.\nles petites "
        "vacances ;\nl'été. »\nSon budget prévisionnel devient :"
    ) in avenant
    # The amounts right-aligned, the total row set apart as the header is.
    tables = Document(str(folder / "avenants" / "avenant-1.docx")).tables
    budget = next(t for t in tables if plain(t.rows[0].cells[0].text) == "Poste de dépense")
    assert [row.cells[1].paragraphs[0].alignment for row in budget.rows] == [2, 2, 2, 2]
    assert budget.rows[-1].cells[0].paragraphs[0].style.name == "CTG Tableau en-tête"
    assert "Le plan d'actions (annexe 2) est modifié en conséquence." in avenant
    # An article that rewrites nothing in the convention belongs to the avenant alone.
    assert (
        "Son article 3 (« Bilan intermédiaire ») comporte en outre des stipulations propres au "
        "présent avenant."
    ) in avenant
    assert "30 juin 2023" in docx_text(folder / "fiches-actions" / "F1.docx")  # as signed
    fiche = docx_text(folder / "fiches-actions" / "F1-avenant-1.docx")
    assert fiche.startswith("Annexe 3.1 (rédaction issue de l'avenant n° 1) à la convention")
    assert "Du 1er septembre 2022 au 30 juin 2025" in fiche
    assert "12 500,50 €" in fiche
    # The consolidated version names the avenant's own article without reproducing it.
    consolidated = docx_text(folder / "convention-consolidee.docx")
    assert (
        "Les stipulations propres des avenants, qui s'appliquent en sus du présent texte, n'y "
        "sont pas reproduites : « Bilan intermédiaire » (avenant n° 1)."
    ) in consolidated
    assert "Un bilan de l'extension" not in consolidated


def test_what_an_avenant_changes_in_a_fiche_is_checked(tmp_path: Path) -> None:
    text = signed_minimale(
        extra=FICHE
        + """avenants:
  - numero: 1
    objet: Fiches
    date_effet: 2023-01-01
    signature: {date: 2022-12-15, lieu: Beaucaire}
    expose: Les fiches changent.
    habilitations:
      - {partie: caf, instance: Conseil d'administration, date: 2022-12-01}
      - {partie: cc, instance: Conseil communautaire, date: 2022-12-02}
    fiches_modifiees:
      - code: F2
        intitule: Une autre fiche
      - code: F1
      - code: F1
        calendrier: {debut: 2023-06-30, fin: 2023-01-01}
        budget: [{poste: Animation, montant: 12000}]
"""
    )
    source = tmp_path / "c.yaml"
    source.write_text(text, encoding="utf-8")
    path = "avenants[0].fiches_modifiees"
    found = [
        (p.field, p.severity, p.message)
        for p in check_file(source).report.sorted()
        if p.field.startswith(path)
    ]
    assert found == [
        (f"{path}[0].code", "erreur", "« F2 » n'est pas une fiche action (fiches : F1)"),
        (
            f"{path}[1]",
            "erreur",
            "rien n'est modifié : indiquez les nouveaux calendrier, budget, financements, "
            "objectifs… de la fiche",
        ),
        (
            f"{path}[2].financements",
            "avertissement",
            "les financements (10\u202f000,00\u00a0€) ne couvrent pas le budget "
            "(12\u202f000,00\u00a0€) : écart de 2\u202f000,00\u00a0€",
        ),
        (
            f"{path}[2].code",
            "erreur",
            "la fiche F1 est déjà modifiée par cet avenant : réunissez les modifications en une "
            "entrée",
        ),
        (
            f"{path}[2].calendrier.fin",
            "erreur",
            "calendrier de la fiche : la fin (1er janvier 2023) doit être postérieure au début "
            "(30 juin 2023)",
        ),
    ]


JOINS = """avenants:
  - numero: 1
    objet: Entrée de la commune de Fourques
    date_effet: 2023-01-01
    signature: {date: 2022-12-15, lieu: Beaucaire}
    expose: Fourques rejoint la convention.
    habilitations:
      - {partie: cc, instance: Conseil communautaire, date: 2022-12-02}
    communes_ajoutees:
      - insee: "30117"
        representants: [{civilite: Monsieur, prenom: Gilles, nom: Dumas, qualite: Maire}]
        habilitation: {instance: Conseil municipal, date: 2022-11-28}
"""


def test_a_third_signatory_rewrites_the_withdrawal_clause_written_for_two(
    tmp_path: Path,
) -> None:
    folder = built(tmp_path, signed_minimale(extra=JOINS))
    convention = docx_text(folder / "convention.docx")
    assert "adressée à l'autre signataire" in convention  # signed by two
    avenant = docx_text(folder / "avenants" / "avenant-1.docx")
    assert (
        "et la modification de l'article 12 de la convention (« Retrait d'un signataire et "
        "résiliation »)."
    ) in avenant
    assert (
        "Article 4 – Retrait d'un signataire et résiliation\nL'article 12 de la convention "
        "(« Retrait d'un signataire et résiliation ») est remplacé par les stipulations "
        "suivantes :"
    ) in avenant
    assert "La convention se poursuit entre les autres signataires" in avenant
    consolidated = docx_text(folder / "convention-consolidee.docx")
    assert "l'autre signataire" not in consolidated and "deux signataires" not in consolidated
    assert "Article 12 – Retrait d'un signataire et résiliation (modifié par l'avenant n° 1)" in (
        consolidated
    )


def test_a_signed_act_asserts_an_authority_it_does_not_cite_never_a_blank(
    tmp_path: Path,
) -> None:
    # The Caf gives no deliberation for the avenant: a projet leaves a blank to fill in,
    # the signed act cannot.
    folder = built(tmp_path, signed_minimale(extra=JOINS))
    avenant = docx_text(folder / "avenants" / "avenant-1.docx")
    assert "…" not in avenant
    assert (
        "représentée par sa Directrice, Madame Anne Martin, dûment habilitée à l'effet des "
        "présentes, ci-après dénommée « la Caf »"
    ) in avenant
    assert "Vu la délibération du Conseil d'administration" not in avenant
    (tmp_path / "projet").mkdir()
    projet = built(
        tmp_path / "projet",
        signed_minimale(extra=JOINS).replace(
            "    signature: {date: 2022-12-15, lieu: Beaucaire}\n", ""
        ),
    )
    draft = docx_text(projet / "avenants" / "avenant-1.docx")
    assert (
        "représentée par sa Directrice, Madame Anne Martin, dûment autorisée par délibération "
        "du Conseil d'administration du ………………………, ci-après"
    ) in draft


def test_fiches_are_numbered_and_planned_in_the_order_of_their_axes(tmp_path: Path) -> None:
    text = signed_minimale(
        extra="""fiches_actions:
  - {code: B1, axe: A2, intitule: Une fiche du second axe, objectifs: [Un objectif],
     pilote: {partie: cc}, calendrier: {debut: 2022-09-01, fin: 2023-06-30}, statut: a_venir}
  - {code: A1, axe: A1, intitule: Une fiche du premier axe, objectifs: [Un objectif],
     pilote: {partie: cc}, calendrier: {debut: 2022-09-01, fin: 2023-06-30}, statut: a_venir}
"""
    ).replace(
        "  - {code: A1, intitule: Un axe, objectifs: [Un objectif]}",
        "  - {code: A1, intitule: Un axe, objectifs: [Un objectif]}\n"
        "  - {code: A2, intitule: Un second axe, objectifs: [Un objectif]}",
    )
    folder = built(tmp_path, text)
    assert docx_text(folder / "fiches-actions" / "A1.docx").startswith("Annexe 3.1 ")
    assert docx_text(folder / "fiches-actions" / "B1.docx").startswith("Annexe 3.2 ")
    document = Document(str(folder / "convention.docx"))
    codes = [
        plain(row.cells[1].text) for t in document.tables for row in t.rows if len(row.cells) > 1
    ]
    assert [c for c in codes if c in ("A1", "B1")] == ["A1", "B1"]
    # Two annexes are « 3.1 et 3.2 », not a range.
    assert "les annexes 3.1 et 3.2 : les fiches actions A1 et B1, dans cet ordre." in (
        docx_text(folder / "convention.docx")
    )


def test_mayotte_caisse_is_not_a_caf(tmp_path: Path) -> None:
    text = MINIMALE.read_text(encoding="utf-8")
    text = text.replace(
        '{siren: "243000585", nom: CC Beaucaire Terre d\'Argence, type: CC}',
        '{siren: "200050532", nom: Communauté de communes de Petite-Terre, type: CC}',
    )
    text = text.replace('departement: "30"', 'departement: "976"')
    text = text.replace(
        "nom: Caisse d'allocations familiales du Gard",
        "nom: Caisse de Sécurité sociale de Mayotte\n    nom_court: la Caf",
    )
    text = text.replace(
        "nom: Communauté de communes Beaucaire Terre d'Argence",
        "nom: Communauté de communes de Petite-Terre",
    )
    source = tmp_path / "mayotte.yaml"
    source.write_text(text, encoding="utf-8")
    warnings = [
        p.message for p in check_file(source).report.sorted() if p.severity == "avertissement"
    ]
    assert (
        "« la Caf » : Caisse de Sécurité sociale de Mayotte n'est pas une caisse d'allocations "
        "familiales ; l'acte la désignerait à tort comme une Caf, écrivez par exemple "
        "nom_court: la Caisse" in warnings
    )
    # Without nom_court, whatever the case of its name, the act calls it « la Caisse ».
    source.write_text(text.replace("\n    nom_court: la Caf", ""), encoding="utf-8")
    build([source], BuildOptions(output=tmp_path / "out"))
    body = docx_text(tmp_path / "out" / "CTG-30-TEST" / "convention.docx")
    assert "ci-après dénommée « la Caisse »" in plain(body)
    assert (
        "Vu l'ordonnance n° 2002-149 du 7 février 2002 relative à l'extension et la "
        "généralisation des prestations familiales et à la protection sociale dans la "
        "collectivité départementale de Mayotte ;" in plain(body)
    )
    assert "Vu l'ordonnance n° 96-1122 du 20 décembre 1996" in plain(body)


def test_key_figures_print_their_thousands_apart(tmp_path: Path) -> None:
    text = signed_minimale().replace(
        "  constats: [Un constat.]",
        '  chiffres_cles:\n    - {libelle: Familles allocataires, valeur: "27662"}\n'
        '    - {libelle: Taux de couverture, valeur: "48,5"}\n  constats: [Un constat.]',
    )
    document = Document(str(built(tmp_path, text) / "convention.docx"))
    rows = next(
        [[cell.text for cell in row.cells] for row in table.rows]
        for table in document.tables
        if table.rows[0].cells[0].text == "Indicateur"
    )
    assert rows[1:] == [["Familles allocataires", "27\u202f662"], ["Taux de couverture", "48,5"]]


# Vallabrègues joins a year after Fourques, by avenant n° 2: the same avenant, a year on.
SECOND_JOIN = (
    JOINS.removeprefix("avenants:\n")
    .replace("numero: 1", "numero: 2")
    .replace("Fourques", "Vallabrègues")
    .replace('"30117"', '"30336"')
    .replace(
        "civilite: Monsieur, prenom: Gilles, nom: Dumas",
        "civilite: Madame, prenom: Annie, nom: Chabaud",
    )
    .replace("2023-01-01", "2024-01-01")
    .replace("2022-", "2023-")
)


def test_communes_joining_one_by_one_are_consolidated_as_one_group(tmp_path: Path) -> None:
    folder = built(tmp_path, signed_minimale(extra=JOINS + SECOND_JOIN))
    second = docx_text(folder / "avenants" / "avenant-2.docx")
    # The avenant completes the article in its own words, for the commune that joins.
    assert "« La Commune de Vallabrègues s'engage à :" in second
    consolidated = docx_text(folder / "convention-consolidee.docx")
    assert "Article 5 – Engagements des parties (complété par les avenants n° 1 et n° 2)" in (
        consolidated
    )
    assert "Les communes signataires s'engagent à :" in consolidated
    assert "La Commune de Fourques s'engage" not in consolidated
    assert "La Commune de Vallabrègues s'engage" not in consolidated
    # One budget reservation for the collectivities, not one sentence per commune.
    assert consolidated.count("sous réserve du vote") == 1
    assert (
        "Les engagements financiers des collectivités signataires sont pris sous réserve du vote "
        "de leurs budgets par leurs assemblées délibérantes." in consolidated
    )


STATUTS_DATES = """fiches_actions:
  - code: F1
    axe: A1
    intitule: Ouvrir un LAEP
    objectifs: [Un objectif]
    pilote: {partie: cc}
    calendrier: {debut: 2023-05-01, fin: 2025-12-31}
    statut: realisee
  - code: F2
    axe: A1
    intitule: Créer un café des parents
    objectifs: [Un objectif]
    pilote: {partie: caf}
    calendrier: {debut: 2022-04-01, fin: 2022-12-31}
    statut: a_venir
    suivi:
      - {date: 2023-02-01, statut: a_venir}
reunions:
"""


def _reunion(ident: str, day: str, sujet: str) -> str:
    """A steering committee meeting whose one point cites fiche F1."""
    return f"""  - id: {ident}
    instance: comite_pilotage
    date: {day}
    heure_debut: "10:00"
    heure_fin: "12:00"
    lieu: Beaucaire
    presidence: Paul Durand
    redacteur: La coordinatrice
    participants: [{{nom: Paul Durand, qualite: Président, presence: present}}]
    ordre_du_jour: [{sujet}]
    points: [{{titre: {sujet}, synthese: Texte., fiches_actions: [F1]}}]
"""


# A meeting before the signature (it examined the projet), then one after it.
STATUTS_DATES += _reunion("copil-projet", "2022-02-01", "Projet") + _reunion(
    "copil-2023", "2023-02-01", "Bilan"
)


def test_a_status_the_calendar_contradicts_is_said_and_a_draft_meeting_dates_nothing(
    tmp_path: Path,
) -> None:
    found = problems(
        tmp_path,
        signed_minimale(extra=STATUTS_DATES),
        lambda f: f.startswith("fiches_actions") and f.endswith("statut"),
    )
    assert found == [
        (
            "fiches_actions[0].statut",
            "« réalisée » le 1er février 2023, avant le début du calendrier de la fiche "
            "(1er mai 2023) : la fiche de suivi daterait cet état ; corrigez le statut ou le "
            "calendrier",
        ),
        (
            "fiches_actions[1].suivi[0].statut",
            "« à venir » le 1er février 2023, après la fin du calendrier de la fiche "
            "(31 décembre 2022) : la fiche de suivi daterait cet état ; corrigez le statut ou "
            "le calendrier",
        ),
    ]
    # Without the meeting after the signature, only the draft's meeting cites F1: it
    # examined the projet, so no fiche de suivi dates the annexed fiche by it.
    text = signed_minimale(extra=STATUTS_DATES).replace(
        "    points: [{titre: Bilan, synthese: Texte., fiches_actions: [F1]}]",
        "    points: [{titre: Bilan, synthese: Texte.}]",
    )
    folder = built(tmp_path, text, "sans-examen.yaml")
    assert not (folder / "fiches-suivi" / "F1.docx").exists()
    assert (folder / "fiches-suivi" / "F2.docx").exists()


def test_an_avenant_object_names_a_commune_with_the_cog_preposition(tmp_path: Path) -> None:
    # Le Cailar (30059): « du Cailar », never « de Le Cailar ».
    text = signed_minimale(
        extra=JOINS.replace(
            "objet: Entrée de la commune de Fourques",
            "objet: Entrée de la commune de Le Cailar et de la commune de Fourques",
        ).replace(
            '      - insee: "30117"',
            '      - insee: "30059"\n'
            "        representants: [{civilite: Madame, prenom: Léa, nom: Roux, "
            "qualite: Maire}]\n        habilitation: {instance: Conseil municipal, "
            'date: 2022-11-28}\n      - insee: "30117"',
        )
    )

    def objet_warnings(typed: str) -> list[str]:
        source = tmp_path / "c.yaml"
        source.write_text(text.replace("de Le Cailar", typed), encoding="utf-8")
        report = check_file(source).report.sorted()
        return [p.message for p in report if p.field == "avenants[0].objet"]

    assert objet_warnings("de Le Cailar") == [
        "« de Le Cailar » : le code officiel géographique écrit « du Cailar » ; le titre de "
        "l'avenant l'imprime ainsi"
    ]
    folder = built(tmp_path, text)
    assert (
        "Objet : Entrée de la commune du Cailar et de la commune de Fourques"
        in docx_text(folder / "avenants" / "avenant-1.docx").splitlines()
    )
    # Whatever the case typed, the same correction.
    assert objet_warnings("de le cailar") == [
        "« de le cailar » : le code officiel géographique écrit « du Cailar » ; le titre de "
        "l'avenant l'imprime ainsi"
    ]
    # With other accents, found but not rewritten: the warning says it is printed as typed.
    assert objet_warnings("de Le Caïlar") == [
        "« de Le Cailar » : le code officiel géographique écrit « du Cailar » ; l'objet figure "
        "tel quel au titre de l'avenant"
    ]


def test_a_signature_in_the_first_months_of_a_cog_asks_which_cog_it_cites(
    tmp_path: Path,
) -> None:
    def warnings(text: str) -> list[str]:
        source = tmp_path / "c.yaml"
        source.write_text(text, encoding="utf-8")
        return [p.message for p in check_file(source).report.sorted() if p.field == "convention"]

    early = signed_minimale().replace("date: 2022-03-15", "date: 2023-03-15")
    early = early.replace("periode: {debut: 2022-01-01", "periode: {debut: 2023-01-01")
    assert warnings(early) == [
        "cog absent : le visa cite la convention d'objectifs et de gestion de la Cnaf en "
        "vigueur le 15 mars 2023, celle de 2023-2027, qui n'était peut-être pas encore "
        "signée ; vérifiez-le et indiquez cog: 2023-2027 (ou la précédente, 2018-2022)"
    ]
    # Told which COG it cites, ctgdocs cites it without a question; in March 2022 it knows.
    assert warnings(early.replace("  preambule:", "  cog: 2018-2022\n  preambule:", 1)) == []
    assert warnings(signed_minimale()) == []


DEPARTEMENT = """
  - id: cd
    type: departement
    nom: Département du Gard
    representants: [{civilite: Madame, prenom: Rose, nom: Lenoir,
                     qualite: Présidente du Conseil départemental}]
    habilitation: {instance: Commission permanente, date: 2022-02-21}
    adresse: 3 rue Guillemette, 30000 Nîmes"""


def test_an_avenants_blank_names_the_body_that_authorised_the_convention(
    tmp_path: Path,
) -> None:
    # The Département deliberated in Commission permanente for the convention: the
    # avenant's blank names it, never « du ……… du ……… ».
    projet = JOINS.replace("    signature: {date: 2022-12-15, lieu: Beaucaire}\n", "")
    folder = built(tmp_path, signed_minimale(extra=projet, parties=DEPARTEMENT))
    avenant = docx_text(folder / "avenants" / "avenant-1.docx")
    dots = "\u2026" * 9
    assert (
        "représenté par la Présidente du Conseil départemental, Madame Rose Lenoir, dûment "
        f"autorisée par délibération de la Commission permanente du {dots}, ci-après"
    ) in avenant
    assert f"Vu la délibération de la Commission permanente du Département du Gard du {dots} ;" in (
        avenant
    )


def test_a_metropole_deliberates_in_its_conseil_metropolitain(tmp_path: Path) -> None:
    text = (
        signed_minimale()
        .replace("type: CC}", "type: METRO}")
        .replace("    habilitation: {instance: Conseil communautaire, date: 2022-03-01}\n", "")
        .replace("  signature: {date: 2022-03-15, lieu: Beaucaire}\n", "")
    )
    convention = docx_text(built(tmp_path, text) / "convention.docx")
    assert "dûment autorisé par délibération du Conseil métropolitain du " in convention
    assert "Conseil communautaire" not in convention


def test_a_collectivity_holding_a_departements_powers_is_not_called_the_departement(
    tmp_path: Path,
) -> None:
    collectivite = DEPARTEMENT.replace("Département du Gard", "Collectivité européenne du Gard")
    folder = built(tmp_path, signed_minimale(parties=collectivite))
    convention = docx_text(folder / "convention.docx")
    assert (
        "La Collectivité européenne du Gard, dont le siège est situé 3 rue Guillemette, 30000 "
        "Nîmes, représentée par la Présidente du Conseil départemental"
    ) in convention
    assert "ci-après dénommée « la Collectivité »" in convention
    assert "Pour la Collectivité européenne du Gard," in convention
    assert "Département" not in convention.replace("Conseil départemental", "")


def test_a_fiche_without_fields_of_its_own_works_in_its_axes(tmp_path: Path) -> None:
    text = signed_minimale(
        extra="""fiches_actions:
  - {code: F1, axe: A1, intitule: Une fiche, objectifs: [Un objectif],
     pilote: {partie: cc}, calendrier: {debut: 2022-09-01, fin: 2023-06-30}, statut: a_venir}
"""
    ).replace(
        "  - {code: A1, intitule: Un axe, objectifs: [Un objectif]}",
        "  - {code: A1, intitule: Un axe, objectifs: [Un objectif], champs: [jeunesse]}",
    )
    fiche = docx_text(built(tmp_path, text) / "fiches-actions" / "F1.docx")
    assert "Champ d'intervention | jeunesse" in fiche  # one champ, the axe's
    assert "les champs d'intervention" not in fiche  # nothing left to decide about them
    assert "Le comité de pilotage arrête" in fiche  # the rest still is


@pytest.mark.parametrize(
    ("lieu", "fait"),
    [
        ("Le Grau-du-Roi", "Fait au Grau-du-Roi, le 15 mars 2022"),
        ("Les Angles", "Fait aux Angles, le 15 mars 2022"),
        ("La Calmette", "Fait à La Calmette, le 15 mars 2022"),
        ("L'Aigle", "Fait à L'Aigle, le 15 mars 2022"),
        ("Lédenon", "Fait à Lédenon, le 15 mars 2022"),
    ],
)
def test_fait_a_contracts_the_article_of_the_place(tmp_path: Path, lieu: str, fait: str) -> None:
    text = signed_minimale().replace("lieu: Beaucaire}", f'lieu: "{lieu}"}}')
    assert fait in docx_text(built(tmp_path, text) / "convention.docx")


CAF_DU_CHER = """
  - id: caf18
    type: caf
    nom: Caisse d'allocations familiales du Cher
    representants: [{civilite: Monsieur, prenom: Luc, nom: Petit, qualite: Directeur}]
    adresse: 1 place de la Pyrotechnie, 18000 Bourges"""


@pytest.mark.parametrize(
    ("partie", "exemple"),
    [
        (CAF_DU_CHER.replace("du Cher", "du Var"), "la Caf du Var"),
        (
            """
  - id: cd
    type: autre
    nom: Syndicat mixte du Pays d'Arles
    nom_court: la Communauté de communes
    representants: [{civilite: Monsieur, prenom: Luc, nom: Petit, qualite: Président}]""",
            "le Syndicat mixte du Pays d'Arles",
        ),
    ],
)
def test_a_short_name_taken_twice_is_answered_with_the_partys_own(
    tmp_path: Path, partie: str, exemple: str
) -> None:
    # The example was « la Caf du Cher » whatever the party.
    source = tmp_path / "same.yaml"
    source.write_text(signed_minimale(parties=partie), encoding="utf-8")
    found = [
        p.message for p in check_file(source).report.sorted() if p.field == "parties[2].nom_court"
    ]
    assert len(found) == 1
    assert found[0].endswith(f"(par exemple « {exemple} »)")


def test_two_cafs_are_told_apart_and_both_commit_under_reserve(tmp_path: Path) -> None:
    same = signed_minimale(parties=CAF_DU_CHER)
    source = tmp_path / "same.yaml"
    source.write_text(same, encoding="utf-8")
    found = [
        (p.field, p.message) for p in check_file(source).report.sorted() if p.severity == "erreur"
    ]
    assert found == [
        (
            "parties[2].nom_court",
            "« la Caf » désigne déjà parties[0] (ligne 13) : l'acte ne dirait pas laquelle "
            "s'engage ; donnez à chacune un nom_court distinct (par exemple « la Caf du Cher »)",
        )
    ]
    text = same.replace(
        "qualite: Directrice}]", "qualite: Directrice}]\n    nom_court: la Caf du Gard"
    ).replace("adresse: 1 place", "nom_court: la Caf du Cher\n    adresse: 1 place")
    convention = docx_text(built(tmp_path, text) / "convention.docx")
    assert (
        "Les financements de la Caf du Gard et de la Caf du Cher sont accordés dans le respect "
        "de leur réglementation et de leurs règles d'intervention, dans la limite des crédits "
        "disponibles."
    ) in convention
    assert (
        "toutefois, le retrait de la Caf du Gard, de la Caf du Cher ou de la Communauté de "
        "communes met fin à la convention."
    ) in convention


def test_the_state_and_other_bodies_commit_under_their_own_reserve(tmp_path: Path) -> None:
    parties = """
  - id: etat
    type: etat
    nom: État
    representants: [{civilite: Madame, prenom: Rose, nom: Blanc, qualite: Préfète du Gard}]
  - id: region
    type: autre
    nom: Région Occitanie
    nom_court: la Région
    genre: feminin
    representants: [{civilite: Madame, prenom: Eva, nom: Noir, qualite: Présidente}]
    adresse: 201 avenue de la Pompignane, 34000 Montpellier"""
    convention = docx_text(built(tmp_path, signed_minimale(parties=parties)) / "convention.docx")
    assert (
        "Les engagements financiers de l'État sont pris sous réserve de l'ouverture des crédits "
        "correspondants en loi de finances."
    ) in convention
    assert (
        "Les engagements financiers de la Région sont pris sous réserve des décisions de ses "
        "instances compétentes et de la disponibilité de ses crédits."
    ) in convention
    # The State's seat is its prefecture, in the territory's département.
    assert "l'État : en la préfecture du Gard ;" in convention


def test_a_fiche_de_suivi_of_a_projet_follows_the_projet_of_convention(tmp_path: Path) -> None:
    signed = signed_minimale(extra=STATUTS_DATES)
    text = signed.replace("  signature: {date: 2022-03-15, lieu: Beaucaire}\n", "")
    suivi = "Document de suivi : il rend compte de l'avancement de l'action et ne modifie pas "
    projet = docx_text(built(tmp_path, text, "projet.yaml") / "fiches-suivi" / "F2.docx")
    assert f"{suivi}la fiche action annexée au projet de convention." in projet
    signee = docx_text(built(tmp_path, signed, "signee.yaml") / "fiches-suivi" / "F2.docx")
    assert f"{suivi}la fiche action annexée à la convention." in signee


def test_a_fiche_never_outlasts_the_convention_in_force_when_annexed(tmp_path: Path) -> None:
    # F1 ends in June 2026, after the convention signed to December 2025: a later
    # prolongation does not make its signed annex right. The avenant that prolongs may
    # annex a rewritten F1 up to its new end.
    text = signed_minimale(
        extra=FICHE.replace("fin: 2023-06-30}", "fin: 2026-06-30}")
        + """avenants:
  - numero: 1
    objet: Prolongation
    date_effet: 2025-12-01
    signature: {date: 2025-11-15, lieu: Beaucaire}
    nouvelle_fin: 2026-12-31
    habilitations:
      - {partie: caf, instance: Conseil d'administration, date: 2025-11-01}
      - {partie: cc, instance: Conseil communautaire, date: 2025-11-02}
    fiches_modifiees:
      - {code: F1, calendrier: {debut: 2022-09-01, fin: 2026-12-31}}
"""
    )
    assert problems(tmp_path, text, lambda f: f.endswith("calendrier")) == [
        (
            "fiches_actions[0].calendrier",
            "calendrier (1er septembre 2022 – 30 juin 2026) hors de la période de la "
            "convention (1er janvier 2022 – 31 décembre 2025)",
        )
    ]


def test_a_deliberation_not_yet_taken_is_told_to_leave_its_blank(tmp_path: Path) -> None:
    text = MINIMALE.read_text(encoding="utf-8").replace(
        "qualite: Président}]",
        "qualite: Président}]\n    habilitation: {instance: Conseil communautaire}",
    )
    assert problems(tmp_path, text, lambda f: f.startswith("parties")) == [
        (
            "parties[1].habilitation.date",
            "champ obligatoire manquant ; attendu : une date au format AAAA-MM-JJ (par exemple "
            "2018-06-28) ; si la délibération "
            "n'est pas encore prise, retirez habilitation : le projet laisse en blanc la "
            "délibération à citer",
        )
    ]


@pytest.mark.parametrize(
    ("day", "calendrier", "annexe"),
    [
        ("2022-10-01", "Du 1er septembre 2022 au 30 juin 2023", "Annexe 3.1 à la convention"),
        (
            "2023-03-01",
            "Du 1er septembre 2022 au 30 juin 2025",
            "Annexe 3.1 (rédaction issue de l'avenant n° 1) à la convention",
        ),
    ],
)
def test_a_fiche_de_suivi_shows_the_fiche_as_it_stood_on_its_day(
    tmp_path: Path, day: str, calendrier: str, annexe: str
) -> None:
    fiche = FICHE + f"    suivi: [{{date: {day}, statut: en_cours}}]\n"
    text = signed_minimale(
        extra=fiche
        + AVENANT_1
        + """    fiches_modifiees:
      - {code: F1, calendrier: {debut: 2022-09-01, fin: 2025-06-30}}
"""
    )
    suivi = docx_text(built(tmp_path, text) / "fiches-suivi" / "F1.docx")
    assert calendrier in suivi
    assert annexe in suivi


@pytest.mark.parametrize(
    ("disposition", "prolongation", "objet", "remplace"),
    [
        # The article the entry of communes completes, rewritten by the avenant's own words.
        (
            "      - {titre: Engagements financiers, remplace: financement, "
            "texte: Les montants des annexes sont prévisionnels.}\n",
            "",
            "la modification de l'article 6 de la convention (« Engagements financiers »)",
            "L'article 6 de la convention (« Engagements financiers ») est remplacé",
        ),
        # The duration article, under the title a prolongation gives it, with no prolongation.
        (
            "      - {titre: Durée et prise d'effet, remplace: duree, "
            "texte: La convention n'est pas renouvelable par tacite reconduction.}\n",
            "",
            "la modification de l'article 10 de la convention (« Durée et prise d'effet »)",
            "L'article 10 de la convention (« Durée et prise d'effet ») est remplacé",
        ),
        # A prolongation in the avenant's own words, under the default title.
        (
            "      - {titre: Durée et prise d'effet, remplace: duree, "
            "texte: La convention prend fin le 31 décembre 2026.}\n",
            "    nouvelle_fin: 2026-12-31\n",
            "la prolongation de la convention jusqu'au 31 décembre 2026",
            "L'article 10 de la convention (« Durée et prise d'effet ») est remplacé",
        ),
    ],
    ids=["financement", "duree", "prolongation"],
)
def test_an_avenant_says_which_article_its_disposition_replaces(
    tmp_path: Path, disposition: str, prolongation: str, objet: str, remplace: str
) -> None:
    text = signed_minimale(extra=AVENANT_1 + prolongation + "    dispositions:\n" + disposition)
    folder = built(tmp_path, text)
    avenant = docx_text(folder / "avenants" / "avenant-1.docx")
    assert f"Le présent avenant a pour objet {objet}." in avenant
    assert remplace in avenant
    # Never an article of its own, which the consolidated version applies all the same.
    assert "stipulations propres" not in avenant


def test_an_article_the_avenant_rewrites_is_not_also_completed_for_a_joining_commune(
    tmp_path: Path,
) -> None:
    text = signed_minimale(
        extra=JOINS
        + """    dispositions:
      - titre: Engagements financiers
        remplace: financement
        texte: Les montants des annexes sont prévisionnels ; chacun engage son budget.
"""
    )
    folder = built(tmp_path, text)
    avenant = docx_text(folder / "avenants" / "avenant-1.docx")
    # Article 6 is rewritten, once: not completed for Fourques just before.
    assert "L'article 6 de la convention (« Engagements financiers ») est remplacé" in avenant
    assert "L'article 6 de la convention (« Engagements financiers ») est complété" not in avenant
    assert "L'article 5 de la convention (« Engagements des parties ») est complété" in avenant
    consolidated = docx_text(folder / "convention-consolidee.docx")
    assert "chacun engage son budget" in consolidated
