"""The generated documents, read back: every fact a legal document must state, exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from ctgdocs.builder import BuildOptions, build

from .conftest import EXAMPLES, FIXTURES, MINIMALE, REFERENCE
from .docx_tools import docx_text, header_text, plain, table_rows

# docx_text folds the typography (no-break spaces, ’, ‑), which test_layout checks raw.
NB = NN = " "


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("build")
    result = build(EXAMPLES, BuildOptions(output=folder))
    assert len(result.written) == 16
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
        "CTG-30-2022-BTA/convention.docx",
        "CTG-30-2022-BTA/fiches-actions/1.1.docx",
        "CTG-30-2022-BTA/fiches-actions/2.1.docx",
        "CTG-30-2022-BTA/fiches-actions/3.1.docx",
        "CTG-61-2018-01/avenants/avenant-1.docx",
        "CTG-61-2018-01/comptes-rendus/2019-02-19-comite_pilotage.docx",
        "CTG-61-2018-01/convention.docx",
        "CTG-61-2018-01/fiches-actions/FA-1.1.docx",
        "CTG-61-2018-01/fiches-actions/FA-2.1.docx",
        "CTG-61-2018-01/fiches-actions/FA-3.1.docx",
        "CTG-82-2022-GM/convention.docx",
        "CTG-82-2022-GM/fiches-actions/A-1.docx",
    ]


def test_convention_parties_and_agreement(aigle: Path) -> None:
    text = docx_text(aigle / "convention.docx")
    assert (
        "La Caisse d'allocations familiales de l'Orne, dont le siège est situé 1 rue de la "
        "Préfecture, 61000 Alençon, représentée par son Président du Conseil d'administration, "
        "Monsieur Jean-Pierre Lemaître, et par sa Directrice, Madame Sophie Garnier, dûment "
        "autorisés par délibération du Conseil d'administration du 15 mai 2018, ci-après "
        f"dénommée «{NB}la Caf{NB}»,"
    ) in text
    assert (
        "représentée par son Président, Monsieur Philippe Vasseur, dûment autorisé par "
        f"délibération n°{NB}2018-061 du Conseil communautaire du 7 juin 2018"
    ) in text
    assert (
        "La Mutualité sociale agricole Mayenne-Orne-Sarthe, représentée par sa Directrice générale"
        in text
    )
    assert "d'une part," in text and "d'autre part." in text


def test_convention_dates_duration_and_closing(aigle: Path) -> None:
    text = docx_text(aigle / "convention.docx")
    assert "conclue pour une durée de quatre ans, du 1er janvier 2018 au 31 décembre 2021." in text
    assert "Fait à L'Aigle, le 28 juin 2018, en 3 exemplaires originaux." in text
    assert (
        "Vu la délibération n° 2018-061 du Conseil communautaire de la Communauté de communes des Pays de L'Aigle du 7 juin 2018 ;"
        in text
    )
    assert "PROJET" not in text
    header = header_text(aigle / "convention.docx")
    assert header.startswith("CTG-61-2018-01 – Convention territoriale globale")


def test_convention_articles_are_word_numbered(aigle: Path) -> None:
    document = Document(str(aigle / "convention.docx"))
    articles = [plain(p.text) for p in document.paragraphs if p.style.name == "CTG Article"]
    assert articles[:3] == [
        "Objet de la convention",
        "Champs d'intervention",
        "Diagnostic et enjeux du territoire",
    ]
    assert len(articles) == 11
    style = document.styles["CTG Article"].element
    assert style.pPr.numPr.numId.val == 90  # Word numbers them: "Article 1 – …"


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
        f"FA-1.1 | Mettre en place un plan mercredi à l'échelle intercommunale | La Communauté de communes | 01/09/2018 – 31/07/2021 | 50{NN}500,50{NB}€"
        in text
    )
    assert f"Total |  |  |  |  | 77{NN}500,50{NB}€" in text


def test_fiche_amounts_and_totals(aigle: Path) -> None:
    text = docx_text(aigle / "fiches-actions" / "FA-1.1.docx")
    assert "Fiche action FA-1.1" in text
    assert f"Personnel d'animation | 42{NN}000,00{NB}€" in text
    assert f"Transport | 8{NN}500,50{NB}€" in text
    assert f"Total | 50{NN}500,50{NB}€" in text
    assert f"Total |  | 50{NN}500,50{NB}€" in text
    assert "Le plan de financement est équilibré." in text
    assert "Toutes les communes du territoire (32 communes)" in text
    assert "Du 1er septembre 2018 au 31 juillet 2021" in text
    assert "Axe | A1 – Renforcer l'attractivité" in text
    assert "Statut | En cours" in text


def test_fiche_listed_communes_and_comma_in_label(aigle: Path) -> None:
    text = docx_text(aigle / "fiches-actions" / "FA-2.1.docx")
    assert "L'Aigle (61214), Aube (61008) et Rai (61342)" in text
    assert f"Coordination du réseau (0,2 ETP) | 9{NN}000,00{NB}€" in text
    assert "Référent | Conseillère technique territoriale" in text


def test_fiche_unbalanced_funding_is_stated(tmp_path: Path) -> None:
    build([FIXTURES / "invalides" / "budget-desequilibre.yaml"], BuildOptions(output=tmp_path))
    text = docx_text(tmp_path / "CTG-30-TEST" / "fiches-actions" / "FA-1.docx")
    assert f"Les financements ne couvrent pas le budget : il manque 0,25{NB}€." in text


def test_compte_rendu(aigle: Path) -> None:
    text = docx_text(aigle / "comptes-rendus" / "2019-02-19-comite_pilotage.docx")
    assert "Comité de pilotage du 19 février 2019" in text
    assert "Date | Mardi 19 février 2019" in text
    assert f"Horaires | De 14{NB}h à 16{NB}h{NB}30" in text
    assert "Présents (3)" in text and "Excusé (1)" in text and "Absent" not in text
    assert "Catherine Roussel | Directrice générale | MSA Mayenne-Orne-Sarthe" in text
    assert "Décision n° 2 : Le comité donne un avis favorable" in text
    assert "Préparer le projet d'avenant | Caf de l'Orne | 31/10/2019" in text
    assert "Mardi 11 février 2020, Mairie de Rai." in text
    assert (
        f"Fiche action concernée : FA-1.1 «{NB}Mettre en place un plan mercredi à l'échelle "
        f"intercommunale{NB}»."
    ) in text


def test_avenant_reference(aigle: Path) -> None:
    path = aigle / "avenants" / "avenant-1.docx"
    text = docx_text(path)
    assert "Avenant n° 1" in text
    assert (
        "À la convention territoriale globale de services aux familles du Pays de L'Aigle" in text
    )
    assert (
        "Vu la convention territoriale globale de services aux familles du Pays de L'Aigle "
        "conclue pour la période du 1er janvier 2018 au 31 décembre 2021 et signée le 28 juin 2018 ;"
    ) in text
    assert (
        "La Ville de L'Aigle, représentée par son Maire, Monsieur Thierry Moreau, dûment autorisé "
        f"par délibération du Conseil municipal du 12 décembre 2019, ci-après dénommée «{NB}la Ville{NB}»"
    ) in text
    assert (
        "La Commune de Rai, représentée par sa Maire, Madame Martine Leroy, dûment autorisée"
        in text
    )
    assert (
        "À compter du 1er janvier 2020, la Ville et la commune de Rai deviennent signataires"
        in text
    )
    assert "Ville de L'Aigle | 61214 | le présent avenant" in text
    assert "Commune de Rai | 61342 | le présent avenant" in text
    assert (
        "Le présent avenant ne modifie pas le périmètre de la convention, qui comprend les 32 communes"
        in text
    )
    assert "Le présent avenant prend effet le 1er janvier 2020." in text
    assert "Les autres dispositions de la convention demeurent inchangées." in text
    assert "Fait à L'Aigle, le 23 janvier 2020, en 5 exemplaires originaux." in text
    assert text.count("Pour la Commune de Rai,") == 1
    assert "Martine Leroy" in text


def test_avenants_of_other_kinds(out: Path) -> None:
    folder = out / "CTG-30-2022-BTA"
    first = docx_text(folder / "avenants" / "avenant-1.docx")
    assert "la commune de Fourques et la commune de Vallabrègues deviennent signataires" in first
    assert "Commune de Beaucaire | 30032 | la convention initiale" in first
    second = docx_text(folder / "avenants" / "avenant-2.docx")
    assert "Vu l'avenant n° 1 à cette convention, signé le 20 décembre 2022 ;" in second
    assert "Nouveaux signataires" not in second  # this avenant adds no signatory
    assert "Fourques | 30117 | la convention initiale" in second
    # The parties now include the communes that joined by avenant n° 1.
    assert "La Commune de Fourques, représentée par son Maire, Monsieur Gilles Dumas" in second
    # Each signs on the deliberation that authorises this avenant, never an earlier one.
    assert (
        "Gilles Dumas, dûment autorisé par délibération du Conseil municipal du 2 juin 2025"
        in second
    )
    assert "28 novembre 2022" not in second
    assert (
        "Vu la délibération n° 2025/31 du Conseil communautaire de la Communauté de communes Beaucaire Terre d'Argence du 22 mai 2025 ;"
        in second
    )
    assert "Annie Chabaud, ci-après dénommée" in second  # no deliberation given for this avenant
    assert (
        "La convention est prolongée jusqu'au 31 décembre 2026. Elle couvre désormais la période du 1er janvier 2022 au 31 décembre 2026."
        in second
    )
    assert "Plan d'actions" in second
    assert (
        "La fiche action 3.1 « Labelliser un espace France services à Fourques » est prolongée"
        in second
    )


def test_masculine_party_with_female_representative(out: Path) -> None:
    text = docx_text(out / "CTG-30-2022-BTA" / "convention.docx")
    assert (
        "Le Département du Gard, représenté par sa Présidente du Conseil départemental, Madame "
        "Françoise Laurent-Perrigot, dûment autorisée par délibération de la Commission permanente "
        f"du 18 février 2022, ci-après dénommé «{NB}le Département{NB}»"
    ) in text
    assert "Le Département s'engage à articuler ses politiques" in text


def test_commitments_enumeration_ends_with_a_full_stop(aigle: Path) -> None:
    paragraphs = [plain(p.text) for p in Document(str(aigle / "convention.docx")).paragraphs]
    start = paragraphs.index(
        "Chaque signataire s'engage à contribuer à la mise en œuvre du "
        "projet social de territoire dans le respect de ses compétences. "
        "En particulier :"
    )
    items = paragraphs[start + 1 : start + 4]
    assert [item.split(" s'engage")[0] for item in items] == [
        "La Caf",
        "La Communauté de communes",
        "La MSA",
    ]
    assert items[0].endswith("l'évaluation de la convention ;")
    assert items[1].endswith("en faveur des actions qu'elle pilote ;")
    assert items[2].endswith("à participer aux instances de la convention.")


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
    assert "Monsieur Jean-Luc D'Amico" in convention
    raw = docx_text(folder / "convention.docx", raw=True)
    assert "N’Diaye" in raw and "D’Amico" in raw and "'" not in raw


def test_draft_says_projet_and_leaves_date_blank(out: Path) -> None:
    path = out / "CTG-82-2022-GM" / "convention.docx"
    assert "PROJET – document non signé" in header_text(path)
    text = docx_text(path)
    assert "PROJET – document de travail non signé" in text
    blank = "\u2026" * 12
    assert f"Fait à {blank}, le {blank}, en 3 exemplaires originaux." in text
    assert "La convention couvre les 12 communes suivantes :" in text
    assert "Albefeuille-Lagarde | 82001" in text
    fiche = docx_text(out / "CTG-82-2022-GM" / "fiches-actions" / "A-1.docx")
    assert "Toutes les communes du territoire (12 communes)" in fiche
    assert "PROJET" in header_text(out / "CTG-82-2022-GM" / "fiches-actions" / "A-1.docx")


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
    assert {"petite enfance", "accès aux droits", "logement et cadre de vie"} <= set(bullets)
    assert (
        "Champs d'intervention : accès aux droits ; animation de la vie sociale ; logement et cadre de vie"
        in body
    )


def test_unsigned_avenant_is_a_draft(tmp_path: Path) -> None:
    text = REFERENCE.read_text(encoding="utf-8").replace(
        "    signature:\n      date: 2020-01-23\n      lieu: L'Aigle\n", ""
    )
    source = tmp_path / "projet-avenant.yaml"
    source.write_text(text, encoding="utf-8")
    build([source], BuildOptions(output=tmp_path / "out", only=("avenants",)))
    path = tmp_path / "out" / "CTG-61-2018-01" / "avenants" / "avenant-1.docx"
    assert "PROJET – document non signé" in header_text(path)
    blank = "\u2026" * 12
    assert f"Fait à {blank}, le {blank}, en 5 exemplaires originaux." in docx_text(path)


def test_commune_party_named_from_its_code_and_state_party(tmp_path: Path) -> None:
    text = MINIMALE.read_text(encoding="utf-8")
    text = text.replace(
        "  preambule:", "  signature: {date: 2022-03-01, lieu: Beaucaire}\n  preambule:"
    )
    text = text.replace(
        "champs:",
        """  - id: beaucaire
    type: commune
    insee: "30032"
    representants: [{civilite: Madame, prenom: Lise, nom: Roux, qualite: Maire}]
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
        "La Commune de Beaucaire, représentée par sa Maire, Madame Lise Roux, ci-après dénommée "
        f"«{NB}la commune de Beaucaire{NB}»"
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
    assert "La convention couvre les 3 communes suivantes :" in convention
    first = docx_text(folder / "avenants" / "avenant-1.docx")
    assert (
        "À compter du 1er janvier 2023, le périmètre de la convention comprend les 4 communes "
        "suivantes" in first
    )
    assert "Jonquières-Saint-Vincent | 30135 | le présent avenant" in first
    assert "Nouveaux signataires" not in first
    second = docx_text(folder / "avenants" / "avenant-2.docx")
    assert "Vu l'avenant n° 1 à cette convention, signé le 15 décembre 2022 ;" in second
    assert "Jonquières-Saint-Vincent | 30135 | l'avenant n° 1" in second
    assert "Vallabrègues | 30336 | le présent avenant" in second
    assert "Commune de Vallabrègues | 30336 | le présent avenant" in second
    assert (
        "La Commune de Vallabrègues, représentée par sa Maire, Madame Annie Chabaud, dûment "
        f"autorisée par délibération n°{NB}2023-12 du Conseil municipal du 1er décembre 2023"
    ) in second
    fiche = docx_text(folder / "fiches-actions" / "F1.docx")
    assert "Jonquières-Saint-Vincent (30135)" in fiche
