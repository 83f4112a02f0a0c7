"""The generated documents, read back: every fact a legal document must state, exactly."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest
from docx import Document

from ctgdocs.builder import BuildOptions, build
from ctgdocs.contextes import Signataire
from ctgdocs.documents.convention import parties_en_titre

from .conftest import EXAMPLES, FIXTURES, MINIMALE, REFERENCE, run
from .docx_tools import docx_text, header_text, plain, table_rows

# docx_text folds the typography (no-break spaces, ’, ‑), which test_layout checks raw.
NB = NN = " "


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("build")
    result = build(EXAMPLES, BuildOptions(output=folder))
    assert result.written == 22
    return folder


@pytest.fixture(scope="module")
def aigle(out: Path) -> Path:
    return out / "CTG-61-2018-01"


def test_outputs_are_where_the_issue_says(out: Path) -> None:
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*.docx"))
    assert files == [
        "CTG-30-2022-BTA/avenants/avenant-1.docx",
        "CTG-30-2022-BTA/avenants/avenant-2.docx",
        "CTG-30-2022-BTA/comptes-rendus/2022-10-04-comite_pilotage.docx",
        "CTG-30-2022-BTA/comptes-rendus/2023-01-17-groupe_de_travail.docx",
        "CTG-30-2022-BTA/convention-consolidee.docx",
        "CTG-30-2022-BTA/convention.docx",
        "CTG-30-2022-BTA/fiches-actions/1.1.docx",
        "CTG-30-2022-BTA/fiches-actions/2.1.docx",
        "CTG-30-2022-BTA/fiches-actions/3.1-avenant-2.docx",
        "CTG-30-2022-BTA/fiches-actions/3.1.docx",
        "CTG-30-2022-BTA/fiches-suivi/1.1.docx",
        "CTG-30-2022-BTA/fiches-suivi/2.1.docx",
        "CTG-61-2018-01/avenants/avenant-1.docx",
        "CTG-61-2018-01/comptes-rendus/2019-02-19-comite_pilotage.docx",
        "CTG-61-2018-01/convention-consolidee.docx",
        "CTG-61-2018-01/convention.docx",
        "CTG-61-2018-01/fiches-actions/FA-1.1.docx",
        "CTG-61-2018-01/fiches-actions/FA-2.1.docx",
        "CTG-61-2018-01/fiches-actions/FA-3.1.docx",
        "CTG-61-2018-01/fiches-suivi/FA-1.1.docx",
        "CTG-82-2022-GM/convention.docx",
        "CTG-82-2022-GM/fiches-actions/A-1.docx",
    ]


def test_convention_parties_and_agreement(aigle: Path) -> None:
    text = docx_text(aigle / "convention.docx")
    assert (
        "La Caisse d'allocations familiales de l'Orne, dont le siège est situé 1 rue de la "
        "Préfecture, 61000 Alençon, représentée par le Président de son Conseil d'administration, "
        "Monsieur Jean-Pierre Lemaître, et par sa Directrice, Madame Sophie Garnier, dûment "
        "autorisés par délibération du Conseil d'administration du 15 mai 2018, ci-après "
        "dénommée « la Caf »,"
    ) in text
    assert (
        "représentée par son Président, Monsieur Philippe Vasseur, dûment autorisé par "
        "délibération n° 2018-061 du Conseil communautaire du 7 juin 2018"
    ) in text
    assert (
        "La Mutualité sociale agricole Mayenne-Orne-Sarthe, représentée par sa Directrice générale"
        in text
    )
    assert "d'une part," in text and "d'autre part." in text


def test_convention_dates_duration_and_closing(aigle: Path) -> None:
    text = docx_text(aigle / "convention.docx")
    assert "conclue pour une durée de quatre ans, du 1er janvier 2018 au 31 décembre 2021." in text
    assert "Fait à L'Aigle, le 28 juin 2018, en trois exemplaires originaux." in text
    assert (
        "Vu la délibération n° 2018-061 du Conseil communautaire de la Communauté de communes des Pays de L'Aigle du 7 juin 2018 ;"
        in text
    )
    assert "PROJET" not in text
    header = header_text(aigle / "convention.docx")
    assert header.startswith("CTG-61-2018-01 – Convention territoriale globale")


def test_convention_articles_are_numbered_in_the_text(aigle: Path) -> None:
    document = Document(str(aigle / "convention.docx"))
    articles = [plain(p.text) for p in document.paragraphs if p.style.name == "CTG Article"]
    # Avenants cite articles by number: the numbers are text, never Word's numbering.
    assert articles == [
        "Article 1 – Objet de la convention",
        "Article 2 – Champs d'intervention",
        "Article 3 – Diagnostic et enjeux du territoire",
        "Article 4 – Axes stratégiques et plan d'actions",
        "Article 5 – Engagements des parties",
        "Article 6 – Engagements financiers",
        "Article 7 – Pilotage et gouvernance",
        "Article 8 – Suivi et évaluation",
        "Article 9 – Échanges de données et confidentialité",
        "Article 10 – Durée et prise d'effet",
        "Article 11 – Révision",
        "Article 12 – Retrait d'un signataire et résiliation",
        "Article 13 – Annexes",
        "Article 14 – Élection de domicile",  # the MSA gives no seat address
        "Article 15 – Règlement des litiges",
    ]
    assert document.styles["CTG Article"].element.pPr.numPr is None


def test_convention_annexes(aigle: Path) -> None:
    path = aigle / "convention.docx"
    perimeter = next(
        t for t in (table_rows(path, i) for i in range(4)) if t[0] == ["Commune", "Code INSEE"]
    )
    rows = perimeter[1:]
    assert len(rows) == 32
    assert ["L'Aigle", "61214"] in rows
    assert ["Saint-Michel-Tubœuf", "61432"] in rows
    names = [r[0] for r in rows]
    assert names.index("Écorcei") < names.index("Fay")  # French order, not file order
    text = docx_text(path)
    assert (
        "FA-1.1 | Mettre en place un plan mercredi à l'échelle intercommunale | La Communauté de communes | 01/09/2018 – 31/07/2021 | 50 500,50 €"
        in text
    )
    assert "Total |  |  |  |  | 77 500,50 €" in text


def _one_commune_one_fiche_without_budget(tmp_path: Path) -> Path:
    """The minimal convention on one commune, with one fiche whose budget is still to set."""
    text = MINIMALE.read_text(encoding="utf-8").replace(
        '  departement: "30"', '  departement: "30"\n  communes: [{insee: "30032", nom: Beaucaire}]'
    )
    fiche = """fiches_actions:
  - code: FA-1.1
    axe: A1
    intitule: Créer un réseau parentalité
    objectifs: [Recenser les actions]
    description: Un réseau.
    public: [Parents]
    communes: toutes
    pilote: {partie: cc}
    calendrier: {debut: 2022-03-01, fin: 2025-12-31}
    statut: a_venir
"""
    text = text.replace("gouvernance:", fiche + "gouvernance:")
    source = tmp_path / "une-commune.yaml"
    source.write_text(text, encoding="utf-8")
    build([source], BuildOptions(output=tmp_path / "out", only=("convention", "fiches")))
    return tmp_path / "out" / "CTG-30-TEST"


def test_a_perimeter_of_one_commune_is_said_in_the_singular(tmp_path: Path) -> None:
    folder = _one_commune_one_fiche_without_budget(tmp_path)
    convention = docx_text(folder / "convention.docx")
    assert "La convention couvre la commune suivante :" in convention
    assert "les une communes" not in convention
    fiche_text = docx_text(folder / "fiches-actions" / "FA-1.1.docx")
    assert "Toutes les communes du territoire (1 commune)" in fiche_text


def test_a_plan_without_any_budget_has_no_total_of_zero(tmp_path: Path) -> None:
    # « Total 0,00 € » stated that the plan costs nothing; its fiche leaves the budget to set.
    folder = _one_commune_one_fiche_without_budget(tmp_path)
    plan = next(
        rows for i in range(6) if (rows := table_rows(folder / "convention.docx", i))[0][0] == "Axe"
    )
    assert plan[-1] == ["Total", "", "", "", "", "—"]


def test_fiche_amounts_and_totals(aigle: Path) -> None:
    text = docx_text(aigle / "fiches-actions" / "FA-1.1.docx")
    assert "Fiche action FA-1.1" in text
    assert "Personnel d'animation | 42 000,00 €" in text
    assert "Transport | 8 500,50 €" in text
    assert "Total | 50 500,50 €" in text
    assert "Total |  | 50 500,50 €" in text
    # Balanced: nothing to say in the annex (validation says it when it is not).
    assert "équilibré" not in text and "Reste à financer" not in text
    assert "Toutes les communes du territoire (32 communes)" in text
    assert "Du 1er septembre 2018 au 31 juillet 2021" in text
    assert "Axe | A1 – Renforcer l'attractivité" in text
    # One champ: the label agrees, as the convention's « Champ d'intervention : » of an axe.
    assert "\nChamp d'intervention | enfance\n" in text
    several = docx_text(aigle / "fiches-actions" / "FA-3.1.docx")
    assert "\nChamps d'intervention | accès aux droits et animation de la vie sociale" in several
    # The annex is what was signed: no live status in it.
    assert "Statut" not in text and "En cours" not in text
    assert text.startswith(
        "Annexe 3.1 à la convention territoriale globale de services aux familles du Pays de L'Aigle"
    )


def test_fiche_listed_communes_and_comma_in_label(aigle: Path) -> None:
    text = docx_text(aigle / "fiches-actions" / "FA-2.1.docx")
    # Typed L'Aigle, Aube, Rai: printed in alphabetical order, as in the perimeter's annex.
    assert "Aube (61008), L'Aigle (61214) et Rai (61342)" in text
    assert "Coordination du réseau (0,2 ETP) | 9 000,00 €" in text
    assert "Référent | Conseillère technique territoriale" in text


def test_fiche_unbalanced_funding_is_a_table_line(tmp_path: Path) -> None:
    build([FIXTURES / "invalides" / "budget-desequilibre.yaml"], BuildOptions(output=tmp_path))
    path = tmp_path / "CTG-30-TEST" / "fiches-actions" / "FA-1.docx"
    text = docx_text(path)
    assert "ne couvrent pas" not in text and "il manque" not in text
    funding = next(t for t in (table_rows(path, i) for i in range(4)) if t[0][0] == "Financeur")
    assert funding[-2] == ["Reste à financer", "", "0,25 €"]
    budget = next(
        t for t in (table_rows(path, i) for i in range(4)) if t[0][0] == "Poste de dépense"
    )
    assert funding[-1][-1] == budget[-1][-1]  # the funding total is the budget's


def test_compte_rendu(aigle: Path) -> None:
    text = docx_text(aigle / "comptes-rendus" / "2019-02-19-comite_pilotage.docx")
    assert "Comité de pilotage du 19 février 2019" in text
    assert "Date | Mardi 19 février 2019" in text
    assert "Horaires | De 14 h à 16 h 30" in text
    assert "Présents (2)" in text and "Excusée (1)" in text and "Absent" not in text
    # The mayor of Rai attends before her commune signs the avenant: a guest.
    assert "Invitée (1)" in text and "Mme Martine Leroy | Maire | Commune de Rai" in text
    assert "Catherine Roussel | Directrice générale | MSA Mayenne-Orne-Sarthe" in text
    assert "Décision n° 2 : Le comité donne un avis favorable" in text
    assert "Préparer le projet d'avenant | Caf de l'Orne | 31/10/2019" in text
    assert "Mardi 11 février 2020, Mairie de Rai." in text
    assert (
        "Fiche action concernée : FA-1.1 « Mettre en place un plan mercredi à l'échelle "
        "intercommunale »."
    ) in text


def test_avenant_reference(aigle: Path) -> None:
    path = aigle / "avenants" / "avenant-1.docx"
    text = docx_text(path)
    assert "Avenant n° 1" in text
    assert (
        "à la convention territoriale globale de services aux familles du Pays de L'Aigle" in text
    )
    assert "Convention en vigueur du 1er janvier 2018 au 31 décembre 2021" in text
    assert (
        "Vu la convention territoriale globale de services aux familles du Pays de L'Aigle, "
        "signée le 28 juin 2018 et conclue pour la période du 1er janvier 2018 au "
        "31 décembre 2021 ;"
    ) in text
    assert (
        "La Ville de L'Aigle, représentée par son Maire, Monsieur Thierry Moreau, dûment autorisé "
        "par délibération du Conseil municipal du 12 décembre 2019, ci-après dénommée « la Ville »"
    ) in text
    assert (
        "La Commune de Rai, représentée par sa Maire, Madame Martine Leroy, dûment autorisée"
        in text
    )
    # The convention's deliberations authorised the convention, not this avenant.
    assert "15 mai 2018" not in text and "7 juin 2018" not in text
    assert (
        "Le présent avenant a pour objet l'entrée de la Ville et de la Commune de Rai "
        "parmi les signataires de la convention."
    ) in text
    assert (
        "La Ville et la Commune de Rai deviennent parties à la convention et adhèrent à "
        "l'ensemble de ses stipulations, dans leur rédaction issue du présent avenant, qui leur "
        "sont applicables à compter du 1er janvier 2020."
    ) in text
    assert "Ville de L'Aigle | 61214 | le présent avenant" in text
    assert "Commune de Rai | 61342 | le présent avenant" in text
    assert (
        "L'article 5 de la convention (« Engagements des parties ») est complété par les "
        "stipulations suivantes :"
    ) in text
    assert "« La Ville et la Commune de Rai s'engagent à :" in text
    # Both were already in the perimeter: the avenant does not restate it.
    assert "Périmètre" not in text and "Aube | 61008" not in text
    assert (
        "Le présent avenant prend effet au 1er janvier 2020, quelle que soit la date de sa "
        "signature."
    ) in text
    assert "Les autres dispositions de la convention du 28 juin 2018 demeurent inchangées." in text
    assert "Fait à L'Aigle, le 23 janvier 2020, en cinq exemplaires originaux." in text
    assert text.count("Pour la Commune de Rai,") == 1
    assert "Martine Leroy" in text


def test_avenants_of_other_kinds(out: Path) -> None:
    folder = out / "CTG-30-2022-BTA"
    first = docx_text(folder / "avenants" / "avenant-1.docx")
    assert "La Commune de Fourques et la Commune de Vallabrègues deviennent parties" in first
    assert "Commune de Beaucaire | 30032 | la convention initiale" in first
    assert "« Les communes de Fourques et de Vallabrègues s'engagent à :" in first
    second = docx_text(folder / "avenants" / "avenant-2.docx")
    assert "Vu l'avenant n° 1 à cette convention, signé le 20 décembre 2022" in second
    assert "Nouveaux signataires" not in second  # this avenant adds no signatory
    # The parties now include the communes that joined by avenant n° 1.
    assert "La Commune de Fourques, représentée par son Maire, Monsieur Gilles Dumas" in second
    # Each signs on the deliberation that authorises this avenant, never an earlier one.
    assert (
        "Gilles Dumas, dûment autorisé par délibération du Conseil municipal du 2 juin 2025"
        in second
    )
    assert "28 novembre 2022" not in second
    # The Caf's new director signs the avenant; the convention keeps the one who signed it.
    assert "représentée par sa Directrice, Madame Nadia Benhamou" in second
    assert "Jean-Luc D'Amico" not in second
    assert "Nadia Benhamou" not in docx_text(folder / "convention.docx")
    assert (
        "Vu la délibération n° 2025/31 du Conseil communautaire de la Communauté de communes "
        "Beaucaire Terre d'Argence du 22 mai 2025 ;"
    ) in second
    assert (
        "Le présent avenant a pour objet la prolongation de la convention jusqu'au 31 décembre "
        "2026 et la modification de la fiche action 3.1 (annexe 3.3)."
    ) in second
    assert (
        "Article 3 – Fiche action 3.1\nLa fiche action 3.1 « Labelliser un espace France "
        "services à Fourques » (annexe 3.3) est modifiée comme suit, à compter du 1er juillet "
        "2025 :\nson calendrier s'étend du 1er février 2023 au 31 décembre 2026."
    ) in second
    assert (
        "La fiche action 3.1 ainsi modifiée est annexée au présent avenant ; elle remplace "
        "l'annexe 3.3 de la convention." in second
    )
    # The annex as signed stays as it was; the fiche as rewritten is the avenant's annex.
    signed = docx_text(folder / "fiches-actions" / "3.1.docx")
    assert signed.startswith("Annexe 3.3 à la convention territoriale globale")
    assert "Du 1er février 2023 au 31 décembre 2025" in signed
    fiche = docx_text(folder / "fiches-actions" / "3.1-avenant-2.docx")
    assert fiche.startswith(
        "Annexe 3.3 (rédaction issue de l'avenant n° 2) à la convention territoriale globale"
    )
    assert "Du 1er février 2023 au 31 décembre 2026" in fiche
    # The duration article is rewritten for the whole new period: nothing contradicts it.
    assert (
        # Article 11: the Caf inserted « Communication » after article 8.
        "L'article 11 de la convention (« Durée et prise d'effet ») est remplacé par les "
        "stipulations suivantes :"
    ) in second
    assert (
        "« Article 11 – Durée et prise d'effet\nLa présente convention est conclue pour une durée "
        "de cinq ans, du 1er janvier 2022 au 31 décembre 2026."
    ) in second
    assert (
        "Les autres dispositions de la convention du 15 mars 2022, modifiée par l'avenant n° 1, "
        "demeurent inchangées."
    ) in second


def test_function_with_a_complement_takes_the_article(out: Path) -> None:
    text = docx_text(out / "CTG-30-2022-BTA" / "convention.docx")
    assert (
        "Le Département du Gard, représenté par la Présidente du Conseil départemental, Madame "
        "Françoise Laurent-Perrigot, dûment autorisée par délibération de la Commission permanente "
        "du 18 février 2022, ci-après dénommé « le Département »"
    ) in text
    assert "sa Présidente du Conseil" not in text


def test_commitments_are_grouped_by_party(out: Path, aigle: Path) -> None:
    paragraphs = [plain(p.text) for p in Document(str(aigle / "convention.docx")).paragraphs]
    start = paragraphs.index(
        "Chaque signataire s'engage à contribuer, dans le respect de ses compétences, à la mise "
        "en œuvre du projet social de territoire. En particulier :"
    )
    leads = [p for p in paragraphs[start:] if p.endswith(" à :")][:3]
    assert leads == [
        "La Caf s'engage à :",
        "La Communauté de communes s'engage à :",
        "La MSA s'engage à :",
    ]
    items = paragraphs[paragraphs.index("La MSA s'engage à :") + 1 :][:3]
    assert items[0].endswith("régime agricole ;")
    assert items[-1] == "participer aux instances de pilotage et de suivi de la convention."
    body = [
        plain(p.text) for p in Document(str(out / "CTG-30-2022-BTA" / "convention.docx")).paragraphs
    ]
    # One commune: its own sentence; never the same sentence repeated for each commune.
    assert "La Commune de Beaucaire s'engage à :" in body
    assert (
        "inscrire son action en faveur des familles dans les orientations de la convention"
        + NN
        + ";"
        in body
    )
    # The Département's own commitments replace its type's defaults.
    assert (
        "associer les services de PMI au relais petite enfance et à la micro-crèche de Bellegarde"
        + NN
        + ";"
        in body
    )
    consolidated = [
        plain(p.text)
        for p in Document(str(out / "CTG-30-2022-BTA" / "convention-consolidee.docx")).paragraphs
    ]
    # The avenant completed the article with the default words for the communes that join:
    # the consolidated text writes it for every signatory in force, grouped, not once per
    # commune; its title says which avenant completed it.
    assert "Les communes signataires s'engagent à :" in consolidated
    assert "La Commune de Beaucaire s'engage à :" not in consolidated
    assert "Les communes de Fourques et de Vallabrègues s'engagent à :" not in consolidated
    assert "Article 5 – Engagements des parties (complété par l'avenant n° 1)" in consolidated
    # Its notice says that those words are not the acts' own.
    assert any(
        "Les articles 5 et 15, que les avenants complètent pour les communes qui entrent, y "
        "sont rédigés une fois pour l'ensemble des signataires en vigueur." in line
        for line in consolidated
    )
    # Annex numbers are not fiche codes: Article 14 names each fiche, the one avenant 2
    # rewrote with its wording's origin; the plan of actions says it too.
    assert (
        "les annexes 3.1 à 3.3 : les fiches actions 1.1, 2.1 et 3.1 (dans sa rédaction issue de "
        "l'avenant n° 2), dans cet ordre." in consolidated
    )
    plan = docx_text(out / "CTG-30-2022-BTA" / "convention-consolidee.docx")
    assert "3 | 3.1 | Labelliser un espace France services à Fourques (modifiée par l'avenant " in (
        plan
    )
    assert (
        "Les engagements financiers des collectivités signataires sont pris sous réserve du vote "
        "de leurs budgets par leurs assemblées délibérantes." in consolidated
    )


def test_special_characters_come_out_as_typed(out: Path) -> None:
    folder = out / "CTG-30-2022-BTA"
    fiche = docx_text(folder / "fiches-actions" / "2.1.docx")
    assert "Association Familles & Territoires" in fiche
    assert "Centre social « La Passerelle »" in fiche  # straight quotes printed as French ones
    assert "Créer un « Café des parents » itinérant" in fiche
    creche = docx_text(folder / "fiches-actions" / "1.1.docx")
    assert "enfants < 3 ans." in creche
    assert "Taux d'occupation | > 70 % | Tableau de bord Caf" in creche
    convention = docx_text(folder / "convention.docx")
    # Typed with ’ and with ': both printed with ’ (docx_text folds it back to ').
    assert "Madame Marie-Hélène N'Diaye" in convention
    raw = docx_text(folder / "convention.docx", raw=True)
    assert "N’Diaye" in raw and "D’Amico" in raw and "'" not in raw
    assert "Monsieur Jean-Luc D'Amico" in convention


def test_draft_says_projet_and_leaves_date_blank(out: Path) -> None:
    path = out / "CTG-82-2022-GM" / "convention.docx"
    # One PROJET mark, on a header line of its own, in every document of the dossier.
    assert header_text(path).splitlines()[0] == "PROJET"
    text = docx_text(path)
    assert "PROJET – document de travail non signé" in text
    blank = "\u2026" * 12
    assert f"Fait à {blank}, le {blank}, en trois exemplaires originaux." in text
    assert "La convention couvre les douze communes suivantes :" in text
    # What a signed act must show is a visible blank in a projet, never left out.
    dots = "\u2026" * 9
    assert (
        "représentée par Madame Isabelle Ferrand, Adjointe au Maire déléguée à la famille, "
        f"agissant par délégation du Maire en vertu de l'arrêté n° {dots} du {dots}, dûment autorisée par délibération du Conseil municipal du "
        f"{dots}, ci-après"
    ) in text
    assert f"Vu la délibération du Conseil municipal de la Ville de Montauban du {dots} ;" in text
    assert (
        "représentée par sa Directrice, Madame Hélène Castel, dûment autorisée par délibération "
        f"du Conseil d'administration du {dots}, ci-après dénommée « la Caf »"
    ) in text
    assert "Albefeuille-Lagarde | 82001" in text
    # A derived perimeter names its official source, not the software that carries it.
    assert (
        "Liste des communes membres de l'intercommunalité selon la composition communale des "
        "EPCI publiée par l'Insee (code officiel géographique au 1er janvier 2026)."
    ) in text
    fiche = docx_text(out / "CTG-82-2022-GM" / "fiches-actions" / "A-1.docx")
    assert "Toutes les communes du territoire (12 communes)" in fiche
    assert (
        header_text(out / "CTG-82-2022-GM" / "fiches-actions" / "A-1.docx").splitlines()[0]
        == "PROJET"
    )


def test_text_blocks_become_paragraphs_and_bullets(aigle: Path) -> None:
    document = Document(str(aigle / "convention.docx"))
    bullets = [plain(p.text) for p in document.paragraphs if p.style.name == "CTG Puce"]
    assert "une offre d'accueil du jeune enfant concentrée sur la ville-centre ;" in bullets
    body = [plain(p.text) for p in document.paragraphs]
    assert (
        "La branche Famille de la Sécurité sociale et la Communauté de communes des Pays de "
        "L'Aigle partagent l'ambition d'offrir aux familles du territoire des services lisibles, "
        "accessibles et adaptés à leurs besoins."
    ) in body


def test_diagnostic_and_champs_wording(aigle: Path) -> None:
    document = Document(str(aigle / "convention.docx"))
    body = [plain(p.text) for p in document.paragraphs]
    assert "Le diagnostic partagé a été conduit du 15 janvier 2018 au 30 avril 2018." in body
    assert (
        "Réalisation : Service enfance-jeunesse de la Communauté de communes, avec la Caf de l'Orne."
        in body
    )
    bullets = [plain(p.text) for p in document.paragraphs if p.style.name == "CTG Puce"]
    # Each champ its own bullet: "logement et cadre de vie" keeps its "et" unambiguous.
    assert {"petite enfance ;", "accès aux droits ;", "logement et cadre de vie."} <= set(bullets)
    assert (
        "Champs d'intervention : accès aux droits ; animation de la vie sociale ; logement et cadre de vie."
        in body
    )
    # Axe A2 has one champ and one objective: its labels are singular.
    a2 = next(i for i, text in enumerate(body) if text.startswith("Axe A2 – "))
    assert body[a2 + 1 : a2 + 3] == ["Champ d'intervention : parentalité.", "Objectif :"]
    assert body.count("Objectifs :") == 1  # axe A1 only: A3 has one objective too


def test_unsigned_avenant_is_a_draft(tmp_path: Path) -> None:
    text = REFERENCE.read_text(encoding="utf-8").replace(
        "    signature:\n      date: 2020-01-23\n      lieu: L'Aigle\n", ""
    )
    source = tmp_path / "projet-avenant.yaml"
    source.write_text(text, encoding="utf-8")
    build([source], BuildOptions(output=tmp_path / "out", only=("avenants",)))
    path = tmp_path / "out" / "CTG-61-2018-01" / "avenants" / "avenant-1.docx"
    # One PROJET mark, on a header line of its own, in every document of the dossier.
    assert header_text(path).splitlines()[0] == "PROJET"
    blank = "\u2026" * 12
    text = docx_text(path)
    assert f"Fait à {blank}, le {blank}, en cinq exemplaires originaux." in text
    # Who lacks a deliberation for this avenant gets a blank to fill before signing.
    dots = "\u2026" * 9
    assert (
        "Madame Catherine Roussel, dûment autorisée par délibération du Conseil d'administration "
        f"du {dots}" in text
    )
    assert "prend effet au 1er janvier 2020, quelle que soit la date de sa signature." in text


def test_commune_party_named_from_its_code_and_state_party(tmp_path: Path) -> None:
    text = MINIMALE.read_text(encoding="utf-8")
    text = text.replace(
        "  preambule:", "  signature: {date: 2022-03-01, lieu: Beaucaire}\n  preambule:"
    ).replace(
        "qualite: Président}]",
        "qualite: Président}]\n    habilitation: {instance: Conseil communautaire, date: 2022-02-01}",
    )
    text = text.replace(
        "champs:",
        """  - id: beaucaire
    type: commune
    insee: "30032"
    representants: [{civilite: Madame, prenom: Lise, nom: Roux, qualite: Maire}]
    habilitation: {instance: Conseil municipal, date: 2022-02-10}
  - id: etat
    type: etat
    nom: État
    representants: [{civilite: Monsieur, prenom: Paul, nom: Roux, qualite: Préfet du Gard}]
champs:""",
    ) + (
        "avenants:\n"
        "  - {numero: 1, objet: Entrée de Fourques, date_effet: 2023-01-01, expose: Un exposé.,\n"
        "     communes_ajoutees: [{insee: '30117', representants: [{civilite: Monsieur,\n"
        "       prenom: Gilles, nom: Dumas, qualite: Maire}]}]}\n"
    )
    source = tmp_path / "communes.yaml"
    source.write_text(text, encoding="utf-8")
    build([source], BuildOptions(output=tmp_path / "out"))
    folder = tmp_path / "out" / "CTG-30-TEST"
    convention = docx_text(folder / "convention.docx")
    assert (
        "La Commune de Beaucaire, représentée par sa Maire, Madame Lise Roux, dûment autorisée par "
        "délibération du Conseil municipal du 10 février 2022, ci-après dénommée "
        "« la Commune de Beaucaire »"
    ) in convention
    assert "L'État, représenté par le Préfet du Gard, Monsieur Paul Roux" in convention
    assert "Pour la Commune de Beaucaire," in convention
    avenant = docx_text(folder / "avenants" / "avenant-1.docx")
    assert "Commune de Beaucaire | 30032 | la convention initiale" in avenant
    assert "Commune de Fourques | 30117 | le présent avenant" in avenant


def test_perimeter_grows_by_avenant(tmp_path: Path) -> None:
    source = FIXTURES / "valides" / "perimetre-etendu.yaml"
    build([source], BuildOptions(output=tmp_path))
    folder = tmp_path / "CTG-30-TEST"
    convention = docx_text(folder / "convention.docx")
    assert "La convention couvre les trois communes suivantes :" in convention
    first = docx_text(folder / "avenants" / "avenant-1.docx")
    assert (
        "Le présent avenant a pour objet l'extension du périmètre de la convention à la commune "
        "de Jonquières-Saint-Vincent." in first
    )
    assert (
        "À compter du 1er janvier 2023, le périmètre de la convention est étendu à la commune de "
        "Jonquières-Saint-Vincent, qui n'en devient pas signataire." in first
    )
    assert (
        "L'annexe 1 de la convention est remplacée par la liste suivante des quatre communes de "
        "son périmètre :" in first
    )
    assert "Jonquières-Saint-Vincent | 30135 | le présent avenant" in first
    assert "Nouveaux signataires" not in first
    second = docx_text(folder / "avenants" / "avenant-2.docx")
    assert "Vu l'avenant n° 1 à cette convention, signé le 15 décembre 2022 ;" in second
    # A commune that signs and was outside the perimeter: its object says both, in the
    # order of the articles that do them.
    assert (
        "Le présent avenant a pour objet l'entrée de la Commune de Vallabrègues parmi les "
        "signataires de la convention, la modification de l'article 12 de la convention "
        "(« Retrait d'un signataire et résiliation ») et l'extension du périmètre de la "
        "convention à la commune de Vallabrègues." in second
    )
    assert (
        "le périmètre de la convention est étendu à la commune de Vallabrègues, qui en devient "
        "signataire." in second
    )
    assert "Jonquières-Saint-Vincent | 30135 | l'avenant n° 1" in second
    assert "Vallabrègues | 30336 | le présent avenant" in second
    assert "Commune de Vallabrègues | 30336 | le présent avenant" in second
    assert (
        "La Commune de Vallabrègues, représentée par sa Maire, Madame Annie Chabaud, dûment "
        "autorisée par délibération n° 2023-12 du Conseil municipal du 1er décembre 2023"
    ) in second
    fiche = docx_text(folder / "fiches-actions" / "F1.docx")
    assert "Jonquières-Saint-Vincent (30135)" in fiche


def test_all_communes_of_a_fiche_are_counted_as_its_redaction_stands(tmp_path: Path) -> None:
    # F1 says « toutes » and starts after avenant 1 brings Jonquières in; avenant 3
    # rewrites it after avenant 2 brought Vallabrègues.
    text = (FIXTURES / "valides" / "perimetre-etendu.yaml").read_text(encoding="utf-8")
    text = text.replace('communes: ["30135"]', "communes: toutes") + (
        "  - numero: 3\n"
        "    objet: Prolongation de la fiche F1\n"
        "    date_effet: 2025-01-01\n"
        "    signature: {date: 2024-12-10, lieu: Beaucaire}\n"
        "    expose: La fiche F1 dure un an de plus.\n"
        "    fiches_modifiees:\n"
        "      - {code: F1, calendrier: {debut: 2023-06-01, fin: 2025-12-31},\n"
        "         indicateurs: [{libelle: Familles, cible: '20'}]}\n"
    )
    source = tmp_path / "toutes.yaml"
    source.write_text(text, encoding="utf-8")
    build([source], BuildOptions(output=tmp_path / "out", only=("fiches",)))
    fiches = tmp_path / "out" / "CTG-30-TEST" / "fiches-actions"
    # The annex signed on 1 March 2022 counts the three communes of that day, whatever the
    # avenants added since; the fiche rewritten by avenant 3, the five it covers by then.
    assert "Toutes les communes du territoire (3 communes)" in docx_text(fiches / "F1.docx")
    rewritten = docx_text(fiches / "F1-avenant-3.docx")
    assert "Toutes les communes du territoire (5 communes)" in rewritten


def test_a_commune_that_joins_by_avenant_pilots_the_fiches_adopted_after(tmp_path: Path) -> None:
    fixture = (FIXTURES / "invalides" / "pilote-commune-entree.yaml").read_text(encoding="utf-8")
    text = fixture.split("\n# Sortie attendue")[0]
    # The signed annex keeps its own pilot; F2 comes with avenant 2, which Vallabrègues signs.
    text = text.replace(
        'pilote: {partie: "30336", referent: Coordinatrice}', "pilote: {partie: cc}"
    )
    text = text.replace("adoption: {avenant: 1}", "adoption: {avenant: 2}")
    source = tmp_path / "pilote.yaml"
    source.write_text(text, encoding="utf-8")
    build([source], BuildOptions(output=tmp_path / "out"))
    folder = tmp_path / "out" / "CTG-30-TEST"
    fiche = docx_text(folder / "fiches-actions" / "F2.docx")
    assert "Copilotes | La Commune de Vallabrègues et la Communauté de communes" in fiche
    consolidee = docx_text(folder / "convention-consolidee.docx")
    assert "| La Commune de Vallabrègues et la Communauté de communes |" in consolidee


def test_a_fiche_leaves_out_what_it_does_not_say_and_names_it_once(out: Path) -> None:
    sparse = docx_text(out / "CTG-30-2022-BTA" / "fiches-actions" / "3.1.docx")
    for section in ("Référent", "Description de l'action", "Partenaires", "Budget prévisionnel"):
        assert section not in sparse
    assert "Public visé\nTous publics." in sparse
    assert sparse.count("Le comité de pilotage arrête") == 1
    assert (
        "Le comité de pilotage arrête, dans les conditions prévues par la convention, les "
        "éléments de la fiche qui n'y sont pas encore précisés : le référent, la description "
        "de l'action, les partenaires, le budget prévisionnel, le plan de financement et les "
        "indicateurs d'évaluation."
    ) in sparse
    complete = docx_text(out / "CTG-61-2018-01" / "fiches-actions" / "FA-1.1.docx")
    assert "Le comité de pilotage arrête" not in complete
    assert "Budget prévisionnel" in complete and "Indicateurs d'évaluation" in complete


def test_a_fiche_de_suivi_says_where_its_status_comes_from(out: Path) -> None:
    # The meeting examined the fiche; nothing records who set its status.
    text = docx_text(out / "CTG-61-2018-01" / "fiches-suivi" / "FA-1.1.docx")
    assert (
        "État au 19 février 2019 (examen du comité de pilotage de ce jour, compte rendu non "
        "validé ; statut déclaré dans la fiche action, non arrêté par une instance)"
    ) in text
    # The last follow-up entry names no meeting: its status is not a committee's either.
    text = docx_text(out / "CTG-30-2022-BTA" / "fiches-suivi" / "1.1.docx")
    assert "État au 15 septembre 2023 (statut non arrêté par une instance)\n" in text


def test_a_title_page_counts_the_communes_when_they_would_not_hold_on_it() -> None:
    def partie(nom: str, type_: str) -> Signataire:
        return cast(Signataire, {"nom": nom, "type": type_})

    few = [partie("Caisse d'allocations familiales du Rhône", "caf")] + [
        partie(f"Commune {n}", "commune") for n in range(11)
    ]
    assert parties_en_titre(few) == [p["nom"] for p in few]
    many = [*few[:1], partie("Métropole de Lyon", "epci")] + [
        partie(f"Commune {n}", "commune") for n in range(22)
    ]
    assert parties_en_titre(many) == [
        "Caisse d'allocations familiales du Rhône",
        "Métropole de Lyon",
        "Les vingt-deux communes signataires",
    ]


@pytest.fixture(scope="module")
def complete(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("complete")
    build([FIXTURES / "valides" / "complete.yaml"], BuildOptions(output=folder))
    return folder / "CTG-30-2022-COMPLETE"


def _table(path: Path, first: str) -> list[list[str]]:
    """The table of a document whose header row starts with `first`."""
    tables = Document(str(path)).tables
    return next(t for t in (table_rows(path, i) for i in range(len(tables))) if t[0][0] == first)


def test_a_funder_without_dispositif_gets_a_dash_not_a_blank(complete: Path) -> None:
    fiche = _table(complete / "fiches-actions" / "1.1.docx", "Financeur")
    assert fiche[2] == ["Communauté de communes", "—", "61 350,75 €"]
    avenant = _table(complete / "avenants" / "avenant-2.docx", "Financeur")
    assert avenant[2] == ["Communauté de communes", "—", "10 499,75 €"]
    # The total row names no dispositif: it is a sum, not a funder.
    assert fiche[-1][:2] == avenant[-1][:2] == ["Total", ""]


def test_an_avenant_rewrites_a_fiche_in_the_fiche_s_own_terms(complete: Path) -> None:
    avenant = docx_text(complete / "avenants" / "avenant-2.docx")
    fiche = complete / "fiches-actions" / "3.1-avenant-2.docx"
    assert "\nPublic visé\n" in docx_text(fiche)
    assert "Son public visé devient :\n« Tous publics de Fourques et de Vallabrègues. »" in avenant
    assert "publics deviennent" not in avenant
    for first in ("Poste de dépense", "Financeur", "Indicateur"):
        assert _table(complete / "avenants" / "avenant-2.docx", first)[0] == _table(fiche, first)[0]


def test_an_avenant_s_object_follows_the_order_of_its_articles(tmp_path: Path) -> None:
    # A commune joins a convention written for two, which the avenant also prolongs.
    source = tmp_path / "entree-et-prolongation.yaml"
    text = (FIXTURES / "valides" / "perimetre-etendu.yaml").read_text(encoding="utf-8")
    source.write_text(
        text.replace(
            "    expose: Vallabrègues signe.\n",
            "    expose: Vallabrègues signe.\n    nouvelle_fin: 2026-12-31\n",
        ),
        encoding="utf-8",
    )
    build([source], BuildOptions(output=tmp_path / "out", only=("avenants",)))
    lines = docx_text(tmp_path / "out" / "CTG-30-TEST" / "avenants" / "avenant-2.docx")
    titles = [line.split(" – ", 1)[1] for line in lines.splitlines() if line.startswith("Article ")]
    assert titles[1:6] == [
        "Nouveau signataire",
        "Engagements du nouveau signataire",
        "Retrait d'un signataire et résiliation",
        "Périmètre de la convention",
        "Durée de la convention",
    ]
    assert (
        "Le présent avenant a pour objet l'entrée de la Commune de Vallabrègues parmi les "
        "signataires de la convention, la modification de l'article 12 de la convention "
        "(« Retrait d'un signataire et résiliation »), l'extension du périmètre de la convention "
        "à la commune de Vallabrègues et la prolongation de la convention jusqu'au "
        "31 décembre 2026."
    ) in lines


def _with_avenant(tmp_path: Path, avenant: str) -> Path:
    text = (FIXTURES / "valides" / "perimetre-etendu.yaml").read_text(encoding="utf-8")
    source = tmp_path / "avenant.yaml"
    source.write_text(text + avenant, encoding="utf-8")
    return source


def test_an_avenant_changes_a_fiches_pilot_and_communes(tmp_path: Path) -> None:
    # Vallabrègues signs by avenant 2 and enters the perimeter after F1 has started: avenant 3
    # makes it F1's pilot with the Caf and adds it to F1's communes.
    source = _with_avenant(
        tmp_path,
        "  - numero: 3\n"
        "    objet: Copilotage de la fiche F1\n"
        "    date_effet: 2025-01-01\n"
        "    signature: {date: 2024-12-10, lieu: Beaucaire}\n"
        "    expose: Vallabrègues copilote la fiche F1.\n"
        "    fiches_modifiees:\n"
        "      - code: F1\n"
        "        pilote: {partie: '30336', copilotes: [caf], referent: Directrice du centre}\n"
        "        communes: ['30336', '30135']\n",
    )
    assert run("validate", source).exit_code == 0
    build([source], BuildOptions(output=tmp_path / "out"))
    folder = tmp_path / "out" / "CTG-30-TEST"
    avenant = docx_text(folder / "avenants" / "avenant-3.docx")
    assert (
        "elle est désormais copilotée par la Commune de Vallabrègues et la Caf ;\n"
        "son référent devient « Directrice du centre » ;\n"
        "elle concerne désormais Jonquières-Saint-Vincent (30135) et Vallabrègues (30336)."
    ) in avenant
    assert "Le plan d'actions (annexe 2) est modifié en conséquence." in avenant
    fiche = docx_text(folder / "fiches-actions" / "F1-avenant-3.docx")
    assert "La Commune de Vallabrègues et la Caf" in fiche
    assert "Directrice du centre" in fiche
    assert "Jonquières-Saint-Vincent (30135) et Vallabrègues (30336)" in fiche
    # The annex signed with the convention is unchanged.
    signed = docx_text(folder / "fiches-actions" / "F1.docx")
    assert "Vallabrègues" not in signed


def test_an_avenant_gives_a_fiche_only_a_pilot_and_communes_it_has_by_then(
    tmp_path: Path,
) -> None:
    source = _with_avenant(
        tmp_path,
        "  - numero: 3\n"
        "    objet: Modification de la fiche F1\n"
        "    date_effet: 2025-01-01\n"
        "    signature: {date: 2024-12-10, lieu: Beaucaire}\n"
        "    expose: La fiche F1 change.\n"
        "    fiches_modifiees:\n"
        "      - {code: F1, communes: []}\n",
    ).read_text(encoding="utf-8")
    early = source.replace(
        "    perimetre_ajoute:\n",
        "    fiches_modifiees:\n"
        "      - {code: F1, pilote: {partie: '30336'}, communes: ['30336', '30999']}\n"
        "    perimetre_ajoute:\n",
    )
    path = tmp_path / "tot.yaml"
    path.write_text(early, encoding="utf-8")
    result = run("validate", path)
    assert result.exit_code == 1
    lines = [line.split(": ", 3)[-1] for line in result.stdout.splitlines() if ": erreur: " in line]
    assert lines == [
        "« 30336 » : cette commune ne signe la convention que par l'avenant n° 2 ; elle ne "
        "peut piloter qu'une fiche adoptée ou modifiée par cet avenant ou un suivant ; sinon, "
        "écrivez-la sous structure",
        "la commune 30336 (Vallabrègues) n'entre dans le périmètre qu'au 1er janvier 2024 "
        "(avenant n° 2), après la prise d'effet de l'avenant n° 1 (1er janvier 2023)",
        "la commune 30999 n'est pas dans le périmètre de la convention",
        "aucune commune : écrivez communes: toutes, ou la liste des codes INSEE des communes "
        'concernées, par exemple ["61214", "61008"]',
    ]


def test_a_commune_declared_under_another_name_is_named_alike_in_text_and_table(
    tmp_path: Path,
) -> None:
    # The article said « étendu à la commune d'Alençon » (the COG's name for the code) while
    # the perimeter's table, as declared, listed « Le Grand Alençon | 61001 ».
    text = REFERENCE.read_text(encoding="utf-8")
    before = "    communes_ajoutees:"
    assert before in text
    added = '    perimetre_ajoute:\n      - {insee: "61001", nom: Le Grand Alençon}\n'
    source = tmp_path / "aigle.yaml"
    source.write_text(text.replace(before, added + before, 1), encoding="utf-8")
    build([source], BuildOptions(output=tmp_path / "out", only=("avenants",)))
    avenant = docx_text(tmp_path / "out" / "CTG-61-2018-01" / "avenants" / "avenant-1.docx")
    assert "le périmètre de la convention est étendu à la commune du Grand Alençon" in avenant
    assert "Le Grand Alençon | 61001 | le présent avenant" in avenant
    assert "d'Alençon" not in avenant


def test_an_avenant_changes_its_fiches_in_the_order_of_their_annexes(tmp_path: Path) -> None:
    source = tmp_path / "ordre.yaml"
    source.write_text(
        REFERENCE.read_text(encoding="utf-8") + "    fiches_modifiees:\n"
        "      - {code: FA-2.1, communes: toutes}\n"
        "      - {code: FA-1.1, pilote: {partie: msa}}\n",
        encoding="utf-8",
    )
    build([source], BuildOptions(output=tmp_path / "out", only=("avenants",)))
    text = docx_text(tmp_path / "out" / "CTG-61-2018-01" / "avenants" / "avenant-1.docx")
    assert text.index("Fiche action FA-1.1") < text.index("Fiche action FA-2.1")
    assert "la modification des fiches actions FA-1.1 (annexe 3.1) et FA-2.1 (annexe 3.2)." in text


def test_an_avenant_adding_two_fiches_names_them_in_one_phrase(tmp_path: Path) -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    start = text.index("  - code: FA-3.1\n")
    fiche = text[start : text.index("\ngouvernance:", start)]
    added = "".join(
        fiche.replace("FA-3.1", code).replace("debut: 2019-03-01", "debut: 2020-03-01")
        + "\n    adoption: {avenant: 1}\n"
        for code in ("FA-3.2", "FA-3.3")
    )
    source = tmp_path / "ajouts.yaml"
    source.write_text(text.replace(fiche, fiche + "\n" + added.rstrip("\n")), encoding="utf-8")
    build([source], BuildOptions(output=tmp_path / "out", only=("avenants",)))
    avenant = docx_text(tmp_path / "out" / "CTG-61-2018-01" / "avenants" / "avenant-1.docx")
    assert "l'ajout des fiches actions FA-3.2 (annexe 3.4) et FA-3.3 (annexe 3.5)." in avenant
