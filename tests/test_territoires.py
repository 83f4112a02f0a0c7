"""Conventions of other territories, written by reviewers reading the acts as a Caf jurist.

Each brought a rule the examples did not reach (tests/fixtures/territoires): Mayotte's
Caisse de sécurité sociale, Guadeloupe's State and Région, two Cafs over the Indre and the
Cher, the Métropole de Lyon and its 22 communes, an acting director on Oléron, the Grand
Annecy's masculine short name, Corsica, Rouen, the Val d'Amour, La Réunion, Quimperlé
Communauté and Le Mans Métropole (names that take no article), the Haut Allier Margeride,
Hautes Terres and the Bocage Bressuirais (avenants of every kind), Cœur de Chartreuse (two
départements, two Cafs, two communes named Saint-Pierre-d'Entremont), the Vallées du
Haut-Anjou (communes nouvelles, a fiche amended by two avenants, a co-piloted fiche), the
Vallée de Munster and the CACEM (the Collectivité européenne d'Alsace and the Collectivité
territoriale de Martinique as the département's partner, bodies that name their collectivity).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from ctgdocs.builder import BuildOptions, build
from ctgdocs.checking import check_file

from .conftest import CONVENTIONS, FIXTURES, SANS_PROBLEME
from .docx_tools import docx_text, plain

TERRITOIRES = sorted((FIXTURES / "territoires").glob("*.yaml"))


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("territoires")
    build(TERRITOIRES, BuildOptions(output=folder))
    return folder


def test_every_territory_validates_without_error() -> None:
    assert len(TERRITOIRES) == 19
    for source in TERRITOIRES:
        assert check_file(source).report.errors == [], source.name


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("CTG-971-2024-CARL-B/convention.docx", "Fait au Gosier, le 12 septembre 2024"),
        ("CTG-971-2024-CARL-B/convention.docx", "l'État : en la préfecture de la Guadeloupe ;"),
        (
            "CTG-971-2024-CARL-B/convention.docx",
            "Les engagements financiers de l'État sont pris sous réserve de l'ouverture des "
            "crédits correspondants en loi de finances.",
        ),
        (
            "VAR-36-B/convention.docx",
            "Les financements de la Caf de l'Indre et de la Caf du Cher sont accordés dans le "
            "respect de leur réglementation",
        ),
        ("CTG-69-2025-METRO/convention.docx", "Les vingt-deux communes signataires\n"),
        # A collectivité à statut particulier: its communes are not its members.
        (
            "CTG-69-2025-METRO/convention.docx",
            "associer les communes situées sur son territoire à la démarche",
        ),
        # A body that names its collectivity is not followed by its name again.
        (
            "CTG-972-2023-CACEM/convention.docx",
            "Vu la délibération n° 23-512-1 du Conseil exécutif de Martinique du 5 décembre 2023 ;",
        ),
        (
            "CTG-972-2023-CACEM/avenants/avenant-1.docx",
            "Vu la délibération du Conseil exécutif de Martinique du ……………………… ;",
        ),
        (
            "CTG-2A-2024-CAPA/convention.docx",
            "Vu la délibération n° 2024-317 CE du Conseil exécutif de Corse du 24 septembre 2024 ;",
        ),
        (
            "CTG-68-2024-CCVM/convention.docx",
            "Vu la délibération n° CP-2024-9-12-3 de la Commission permanente de la Collectivité "
            "européenne d'Alsace du 9 septembre 2024 ;",
        ),
        # An intitulé that does not name the body is the meeting's object.
        (
            "CTG-68-2024-CCVM/comptes-rendus/2024-11-19-comite_pilotage.docx",
            "Comité de pilotage du 19 novembre 2024",
        ),
        (
            "CTG-69-2025-METRO/convention.docx",
            "Vu la délibération n° 2025-1234 du Conseil de la Métropole de Lyon du 12 mai 2025 ;",
        ),
        (
            "CTG-74-2024-GA/convention.docx",
            "La Communauté d'agglomération du Grand Annecy, dont le siège est situé 46 avenue "
            "des Îles, 74000 Annecy, représentée par sa Présidente",
        ),
        (
            "CTG-17-2022-OLERON/convention.docx",
            "représentée par son Directeur par intérim, Monsieur Éric Lemaire, dûment autorisé",
        ),
        (
            "CTG-976-2023-CADEMA/comptes-rendus/2024-11-19-comite_pilotage.docx",
            "Compte rendu validé le 14 janvier 2025 par le comité de pilotage.",
        ),
        # A place followed by its kind takes no article, and keeps its place's own.
        ("CTG-29-2023-QC/convention.docx", "\nQuimperlé Communauté, dont le siège est situé"),
        ("CTG-29-2023-QC/convention.docx", "Pour Quimperlé Communauté,"),
        (
            "CTG-29-2023-QC/convention.docx",
            "Vu la délibération n° 2024-03-12 du Conseil communautaire de Quimperlé Communauté",
        ),
        ("CTG-72-2025-LMM/convention.docx", "sur le territoire de Le Mans Métropole"),
        # Two communes of one name: the annex and the acts tell them apart by département.
        ("CTG-73-2023-04/convention.docx", "Saint-Pierre-d'Entremont (Isère) | 38446\n"),
        ("CTG-73-2023-04/convention.docx", "Saint-Pierre-d'Entremont (Savoie) | 73274\n"),
        (
            "CTG-73-2023-04/avenants/avenant-1.docx",
            "ci-après dénommée « la Commune de Saint-Pierre-d'Entremont (Savoie) »",
        ),
        # The second avenant that rewrites a fiche amends the first one's version.
        (
            "CTG-49-2022-03/avenants/avenant-2.docx",
            "(annexe 3.2, dans sa rédaction issue de l'avenant n° 1) est modifiée comme suit, "
            "à compter du 1er mars 2025 :",
        ),
        (
            "CTG-49-2022-03/avenants/avenant-2.docx",
            "elle remplace l'annexe 3.2 de la convention, dans sa rédaction issue de l'avenant "
            "n° 1.",
        ),
        # A Vice-présidente signs for the Présidente.
        (
            "CTG-73-2023-04/avenants/avenant-3.docx",
            "Pour la Présidente et par délégation, la Première vice-présidente,",
        ),
        # A fiche co-piloted by two parties, one piloted by a structure that does not sign.
        (
            "CTG-29-2023-QC/fiches-actions/FA-3.1.docx",
            "Copilotes | La Caf et Quimperlé Communauté\n",
        ),
        (
            "CTG-29-2023-QC/fiches-actions/FA-2.1.docx",
            "Pilote | Centre social « L'Ellipse » & Cie\n",
        ),
        ("CTG-29-2023-QC/convention.docx", "| Centre social « L'Ellipse » & Cie |"),
        ("CTG-72-2025-LMM/convention.docx", "Le Mans Métropole, dont le siège est situé"),
        # A fiche added by avenant is added by the avenant's own text, as a new annex.
        (
            "CTG-15-2023-01/avenants/avenant-1.docx",
            "La fiche action FA-2.2 « Organiser des ateliers parents-enfants à Murat » est "
            "ajoutée au plan d'actions de la convention, à compter du 1er avril 2024. Annexée "
            "au présent avenant, elle constitue l'annexe 3.4 de la convention.",
        ),
        # Annexes numbered as they were annexed: 3.1 by the committee (2023), then 2.2 (2024).
        ("CTG-79-2022-02/fiches-actions/3.1.docx", "Annexe 3.3 à la convention"),
        ("CTG-79-2022-02/fiches-actions/2.2.docx", "Annexe 3.4 à la convention"),
        ("CTG-79-2022-02/convention.docx", "La convention couvre les trente et une communes"),
        (
            "CTG-79-2022-02/comptes-rendus/2023-06-20-comite_pilotage.docx",
            "Compte rendu validé le 10 juillet 2023 par la Présidente du comité de pilotage.",
        ),
        (
            "CTG-15-2023-01/fiches-suivi/FA-1.1.docx",
            "État au 8 octobre 2024, établi par le comité technique (compte rendu non validé)",
        ),
        # A fiche's new lists quoted item by item, not run into one sentence with capitals.
        (
            "CTG-79-2022-02/avenants/avenant-2.docx",
            "Ses objectifs deviennent :\n« Organiser des cafés des parents dans six communes ;\n"
            "Créer un annuaire des ressources parentalité. »\nSes partenaires deviennent :",
        ),
        # One commune joins: its articles say so in the singular.
        ("CTG-48-2022-HAM/avenants/avenant-2.docx", "Article 2 – Nouveau signataire\n"),
        (
            "CTG-48-2022-HAM/avenants/avenant-2.docx",
            "Article 3 – Engagements du nouveau signataire\n",
        ),
        (
            "CTG-48-2022-HAM/avenants/avenant-1.docx",
            "La commune signataire de la convention est désormais la suivante :\n",
        ),
    ],
)
def test_what_each_territory_brought_reads_right(out: Path, document: str, expected: str) -> None:
    assert expected in docx_text(out / document)


def test_no_act_of_another_territory_prints_a_defect_found_before(out: Path) -> None:
    texts = {p: docx_text(p) for p in out.rglob("*.docx")}
    assert len(texts) > 70
    for path, text in texts.items():
        for wrong in (
            "Fait à Le ",
            "Fait à Les ",
            "La Caf et la Caf",
            "de la Métropole de la Métropole",
            "Le Communauté",
            "À COMPLÉTER",
            "la Quimperlé",
            "du Mans Métropole",
        ):
            assert wrong not in text, (path.name, wrong)


def test_a_departement_none_of_the_communes_is_in_is_an_error(tmp_path: Path) -> None:
    # A Lozère EPCI, its ten communes and the Caf de la Lozère, under département 43: the
    # litigation article would cite Clermont-Ferrand instead of Nîmes.
    source = FIXTURES / "territoires" / "haut-allier-margeride.yaml"
    text = source.read_text(encoding="utf-8")
    assert text.count('departement: "48"') == 1
    wrong = tmp_path / "ham.yaml"
    wrong.write_text(text.replace('departement: "48"', 'departement: "43"'), encoding="utf-8")
    errors = check_file(wrong).report.errors
    assert [(p.severity, p.field, p.message) for p in errors] == [
        (
            "erreur",
            "territoire.departement",
            "département « 43 » (Haute-Loire) : aucune commune du territoire n'y est située "
            '(Lozère (48) : 10 communes) ; indiquez departement: "48"',
        )
    ]


def test_la_commune_among_several_signing_communes_is_a_warning() -> None:
    # Langogne joins as « la Commune » by avenant 1, Auroux as « la Commune d'Auroux » by
    # avenant 2: « La Commune s'engage à… », added by avenant 1, no longer says which.
    source = FIXTURES / "territoires" / "haut-allier-margeride.yaml"
    warnings = [p for p in check_file(source).report.warnings if "désigne une des" in p.message]
    assert [(p.field, p.message) for p in warnings] == [
        (
            "avenants[0].communes_ajoutees[0].nom_court",
            "« la Commune » désigne une des deux communes qui signent la convention ou ses "
            "avenants : l'acte ne dirait pas laquelle s'engage ; nommez-la (par exemple "
            "nom_court: la Commune de Langogne)",
        )
    ]


def test_a_visa_citing_a_habilitation_again_is_a_warning() -> None:
    # The Département's deliberation, cited by its habilitation, was added as a visa too.
    source = FIXTURES / "territoires" / "quimperle.yaml"
    warnings = [p for p in check_file(source).report.warnings if p.field.startswith("convention.v")]
    assert [(p.field, p.message) for p in warnings] == [
        (
            "convention.visas[0]",
            "la délibération n° 2024-CP-017 est déjà citée dans les visas, d'après "
            "l'habilitation de parties[3] : l'acte la citerait deux fois ; retirez ce visa",
        )
    ]


def test_a_prolongation_is_signed_before_the_convention_ends(out: Path, tmp_path: Path) -> None:
    # « prend effet …, quelle que soit la date de sa signature » let a convention that had
    # ended be prolonged; the projet says by when it is signed, a later signature is an error.
    text = docx_text(out / "CTG-15-2023-01" / "avenants" / "avenant-3.docx")
    assert (
        "Le présent avenant prend effet au 1er juillet 2026. Il est signé au plus tard le "
        "31 décembre 2026, terme de la convention qu'il prolonge."
    ) in text
    source = (FIXTURES / "territoires" / "hautes-terres.yaml").read_text(encoding="utf-8")
    projet = "    date_effet: 2026-07-01\n    nouvelle_fin: 2027-12-31\n"
    assert source.count(projet) == 1
    late = tmp_path / "tard.yaml"
    signed = projet + "    signature: {date: 2027-01-15, lieu: Murat}\n"
    late.write_text(source.replace(projet, signed), encoding="utf-8")
    errors = [(p.field, p.message) for p in check_file(late).report.errors]
    assert (
        "avenants[2].signature.date",
        "avenant de prolongation signé le 15 janvier 2027, après la fin de la convention "
        "(31 décembre 2026) : une convention échue ne peut être prolongée ; une nouvelle "
        "convention est nécessaire",
    ) in errors


CHARTREUSE = FIXTURES / "territoires" / "chartreuse.yaml"


def _warnings_and_errors(tmp_path: Path, text: str) -> list[tuple[str, str, str]]:
    source = tmp_path / "chartreuse.yaml"
    source.write_text(text, encoding="utf-8")
    return [(p.severity, p.field, p.message) for p in check_file(source).report.sorted()]


def test_a_signing_commune_named_like_another_is_told_apart(tmp_path: Path) -> None:
    text = CHARTREUSE.read_text(encoding="utf-8")
    told_apart = (
        "        nom: Commune de Saint-Pierre-d'Entremont (Savoie)\n"
        "        nom_court: la Commune de Saint-Pierre-d'Entremont (Savoie)\n"
    )
    assert told_apart in text
    # Without its département, the acts would name it as they would name 38446 (Isère).
    found = _warnings_and_errors(tmp_path, text.replace(told_apart, ""))
    assert [f for f in found if "porte le nom" in f[2]] == [
        (
            "avertissement",
            "avenants[0].communes_ajoutees[1].insee",
            "la commune 73274 porte le nom de la commune 38446 (Isère) du périmètre : l'acte "
            "la nommerait « la Commune de Saint-Pierre-d'Entremont » sans la distinguer ; "
            "indiquez nom_court: la Commune de Saint-Pierre-d'Entremont (Savoie) (et nom: "
            "Commune de Saint-Pierre-d'Entremont (Savoie))",
        )
    ]
    # Both joining by the same avenant, under one designation: the acts could not tell
    # which one commits.
    both = text.replace(
        told_apart,
        "        representants:\n"
        "          - {civilite: Madame, prenom: Anne, nom: Roux, qualite: Maire}\n"
        "        habilitation: {instance: Conseil municipal, date: 2024-03-07, avenants: oui}\n"
        '      - insee: "38446"\n',
    )
    errors = [f for f in _warnings_and_errors(tmp_path, both) if f[0] == "erreur"]
    assert errors == [
        (
            "erreur",
            "avenants[0].communes_ajoutees[2].nom_court",
            "« la Commune de Saint-Pierre-d'Entremont » désigne déjà "
            "avenants[0].communes_ajoutees[1] (ligne 461) : l'acte ne dirait pas laquelle "
            "s'engage ; donnez-lui un nom_court distinct (par exemple « la Commune de "
            "Saint-Pierre-d'Entremont (Isère) ») et un nom",
        )
    ]


def test_each_departement_of_the_perimeter_has_its_caf(tmp_path: Path) -> None:
    text = CHARTREUSE.read_text(encoding="utf-8")
    start = text.index("  - id: caf38\n")
    end = text.index("  - id: ", start + 1)
    found = _warnings_and_errors(tmp_path, text[:start] + text[end:])
    assert (
        "avertissement",
        "parties",
        "le périmètre s'étend sur 2 départements (Isère, 7 communes ; Savoie, 10 communes) et "
        "une seule Caf signe la convention : une Caf n'agit que pour les familles de son "
        "département ; ajoutez la Caf de chaque département aux parties, ou vérifiez qu'une "
        "convention entre Cafs le prévoit",
    ) in found


def test_an_avenant_signed_after_the_councils_renewal_asks_for_the_new_authority(
    tmp_path: Path,
) -> None:
    # Avenant 3 (27 May 2027) rests on the communes' deliberations of March 2024: the
    # councils elected in March 2026 did not take them.
    found = _warnings_and_errors(tmp_path, CHARTREUSE.read_text(encoding="utf-8"))
    renewals = [message for _, _, message in found if "renouvellement général" in message]
    assert renewals == [
        "la Commune de Saint-Pierre-d'Entremont (Savoie) signe l'avenant n° 3 le 27 mai 2027 "
        "en vertu de la délibération du 7 mars 2024, antérieure au renouvellement général "
        "des conseils municipaux et communautaires de mars 2026 : vérifiez son représentant "
        "(signataires) et ajoutez la délibération du nouveau conseil (habilitations, "
        "partie: 73274)",
        "la Commune des Échelles signe l'avenant n° 3 le 27 mai 2027 en vertu de la "
        "délibération du 4 mars 2024, antérieure au renouvellement général des conseils "
        "municipaux et communautaires de mars 2026 : vérifiez son représentant (signataires) "
        "et ajoutez la délibération du nouveau conseil (habilitations, partie: 73105)",
    ]


HAUT_ANJOU = FIXTURES / "territoires" / "haut-anjou.yaml"


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        # A fiche names the commune nouvelle by its code; its text may name the déléguée.
        (
            '    communes: ["49080"]\n',
            '    communes: ["49065"]\n',
            "fiches_actions[0].communes[0]",
            "« 49065 » désigne Champigné, commune déléguée des Hauts-d'Anjou (49080), non une "
            'commune du périmètre : écrivez "49080" (la commune) ; le texte de la fiche peut '
            "nommer la commune déléguée",
        ),
        # Listed beside its commune, the annex would count the same territory twice.
        (
            '    - {insee: "49080", nom: "Les Hauts-d\'Anjou"}\n',
            '    - {insee: "49080", nom: "Les Hauts-d\'Anjou"}\n'
            '    - {insee: "49065", nom: "Champigné"}\n',
            "territoire.communes[9].insee",
            "« 49065 » désigne Champigné, commune déléguée des Hauts-d'Anjou (49080), déjà dans "
            "le périmètre : retirez cette ligne (l'annexe compterait deux fois le même "
            "territoire)",
        ),
    ],
)
def test_a_commune_deleguee_is_named_for_its_commune(
    tmp_path: Path, old: str, new: str, field: str, message: str
) -> None:
    text = HAUT_ANJOU.read_text(encoding="utf-8")
    assert text.count(old) == 1
    source = tmp_path / "haut-anjou.yaml"
    source.write_text(text.replace(old, new), encoding="utf-8")
    errors = [(p.field, p.message) for p in check_file(source).report.errors]
    assert errors == [(field, message)]


def test_a_maire_delegue_attends_for_a_commune_deleguee(tmp_path: Path) -> None:
    guest = (
        "      - {nom: Gaëlle Rousselot, civilite: Madame, qualite: Directrice, structure: "
        "Association Familles Rurales du Haut-Anjou, presence: invite}\n"
    )
    delegue = (
        "      - {nom: Jacques Rabineau, civilite: Monsieur, qualite: Maire délégué, "
        'partie: "49065", presence: invite}\n'
    )
    source = tmp_path / "haut-anjou.yaml"
    source.write_text(
        HAUT_ANJOU.read_text(encoding="utf-8").replace(guest, guest + delegue, 1),
        encoding="utf-8",
    )
    errors = [(p.field, p.message) for p in check_file(source).report.errors]
    assert errors == [
        (
            "reunions[0].participants[7].partie",
            "« 49065 » n'est ni l'id d'une partie (caf, cc, msa, cd, hauts, lion) ni le code "
            "INSEE d'une commune du territoire : « 49065 » désigne Champigné, commune déléguée "
            'des Hauts-d\'Anjou (49080) ; indiquez la commune (partie: "49080") si elle signe, '
            "ou structure",
        )
    ]


def test_a_fiche_cited_before_its_adoption_is_a_projet_de_fiche(tmp_path: Path) -> None:
    presented = "          L'association « Le Louroux & vous » présente son projet.\n"
    text = HAUT_ANJOU.read_text(encoding="utf-8")
    assert text.count(presented) == 1
    source = tmp_path / "haut-anjou.yaml"
    source.write_text(
        text.replace(presented, presented + "        fiches_actions: [FA-3.3]\n"),
        encoding="utf-8",
    )
    warnings = [(p.field, p.message) for p in check_file(source).report.warnings]
    assert (
        "reunions[1].points[1].fiches_actions[0]",
        "la fiche « FA-3.3 » est citée le 16 mai 2023, avant son adoption (27 juin 2023) : le "
        "compte rendu la présente comme un projet de fiche",
    ) in warnings
    out = tmp_path / "out"
    build([source], BuildOptions(output=out))
    minutes = out / "CTG-49-2022-03" / "comptes-rendus"
    draft = (
        "Soutenir la création d'un espace de vie sociale à Val d'Erdre-Auxence » (projet de fiche)."
    )
    assert draft in docx_text(minutes / "2023-05-16-comite_technique.docx")
    # Adopted at that meeting: an annex from then on.
    adopted = docx_text(minutes / "2023-06-27-comite_pilotage.docx")
    assert "Val d'Erdre-Auxence »." in adopted and "(projet de fiche)" not in adopted


def test_a_party_signing_twice_keeps_its_two_blocks_on_one_row(out: Path) -> None:
    # The MSA signs by its Président and its Directrice générale: after the Communauté de
    # communes, alone on its row, never split over two rows.
    convention = Document(str(out / "CTG-49-2022-03" / "convention.docx"))
    table = next(t for t in convention.tables if plain(t.rows[0].cells[0].text).startswith("Pour "))
    rows = [[plain(cell.text).split("\n")[0] for cell in row.cells] for row in table.rows]
    assert rows == [
        ["Pour la Caisse d'allocations familiales de Maine-et-Loire,"] * 2,
        ["Pour la Communauté de communes des Vallées du Haut-Anjou,", ""],
        ["Pour la MSA Maine-et-Loire,"] * 2,
        ["Pour le Département de Maine-et-Loire,", "Pour la Commune des Hauts-d'Anjou,"],
        ["Pour la Commune du Lion-d'Angers,", ""],
    ]


def test_a_governance_rewritten_without_the_plans_updates_is_flagged(tmp_path: Path) -> None:
    # Article « revision » keeps « les actualisations du plan d'actions prévues à
    # l'article 7 »: avenant 1 rewrites article 7 without them.
    found = _warnings_and_errors(tmp_path, HAUT_ANJOU.read_text(encoding="utf-8"))
    assert (
        "avertissement",
        "avenants[0].dispositions[0].texte",
        "l'article « gouvernance » ainsi rédigé ne dit plus que le comité de pilotage adopte "
        "les fiches actions, alors que l'article « revision » renvoie aux actualisations du "
        "plan d'actions qu'il prévoit : prévoyez-les dans ce texte, ou remplacez aussi "
        "l'article revision",
    ) in found
    updated = HAUT_ANJOU.read_text(encoding="utf-8").replace(
        "comité de pilotage et en suit les décisions.",
        "comité de pilotage et en suit les décisions. Le comité de pilotage actualise le plan "
        "d'actions.",
    )
    assert not [f for f in _warnings_and_errors(tmp_path, updated) if "revision" in f[2]]


def test_a_follow_up_dated_apart_from_its_meeting_is_flagged(tmp_path: Path) -> None:
    # The fiche de suivi would say « établi par le comité de pilotage » on a day it did not meet.
    entry = "      - {date: 2023-02-07, statut: en_cours, reunion: copil-2023-02-07, commentaire: Permis"
    text = HAUT_ANJOU.read_text(encoding="utf-8")
    assert text.count(entry) == 1
    found = _warnings_and_errors(
        tmp_path, text.replace(entry, entry.replace("date: 2023-02-07", "date: 2023-02-17"))
    )
    assert (
        "avertissement",
        "fiches_actions[0].suivi[1].date",
        "état du 17 février 2023 arrêté par la réunion « copil-2023-02-07 », tenue le 7 février "
        "2023 : indiquez date: 2023-02-07, ou retirez reunion si aucune instance ne l'a arrêté",
    ) in found
    assert not [f for f in _warnings_and_errors(tmp_path, text) if "tenue le" in f[2]]


def test_a_title_or_caf_short_name_naming_a_party_otherwise_is_a_warning(tmp_path: Path) -> None:
    # Files written by an earlier `ctgdocs init`: « … de la Metz Métropole » in the title
    # of an act that says « sur le territoire de Metz Métropole », « la Caf du Vaucluse »
    # for the « Caisse d'allocations familiales de Vaucluse ».
    epci = "Communauté de communes Beaucaire Terre d'Argence"
    source = tmp_path / "titre.yaml"
    source.write_text(
        SANS_PROBLEME.replace(
            "intitule: Convention territoriale globale de Beaucaire Terre d'Argence",
            f"intitule: Convention territoriale globale de services aux familles de {epci}",
        ).replace(
            "nom: Caisse d'allocations familiales du Gard\n",
            "nom: Caisse d'allocations familiales du Gard\n    nom_court: la Caf de Gard\n",
        ),
        encoding="utf-8",
    )
    problems = check_file(source).report.problems
    assert [(p.field, p.message) for p in problems] == [
        (
            "convention.intitule",
            f"« de {epci} » : l'acte nomme ailleurs l'intercommunalité « de la {epci} » (sur "
            "le territoire…, délibération…) ; corrigez l'intitulé, qu'il imprime sur chaque "
            "document",
        ),
        (
            "parties[0].nom_court",
            "« la Caf de Gard » ne reprend pas le nom de la partie (« Caisse d'allocations "
            "familiales du Gard ») : l'acte dirait l'un puis l'autre ; écrivez nom_court: la "
            "Caf du Gard",
        ),
    ]
    # Named as the act names them: nothing to say.
    source.write_text(
        SANS_PROBLEME.replace(
            "intitule: Convention territoriale globale de Beaucaire Terre d'Argence",
            f"intitule: Convention territoriale globale de services aux familles de la {epci}",
        ).replace(
            "nom: Caisse d'allocations familiales du Gard\n",
            "nom: Caisse d'allocations familiales du Gard\n    nom_court: la Caf du Gard\n",
        ),
        encoding="utf-8",
    )
    assert check_file(source).report.problems == []


def _sides(path: Path) -> tuple[list[str], list[str]]:
    """The parties « d'une part » and « d'autre part » of an act, each by its full name."""
    texts = [plain(p.text) for p in Document(str(path)).paragraphs]
    start, une, et, autre = (
        texts.index(marker) for marker in ("Entre :", "d'une part,", "Et :", "d'autre part.")
    )

    def names(designations: list[str]) -> list[str]:
        return [d.split(", ")[0] for d in designations]

    return names(texts[start + 1 : une]), names(texts[et + 1 : autre])


def _signing(path: Path) -> list[str]:
    """Who each signature block signs for, in order (once per party); none in a consolidated
    version."""
    document = Document(str(path))
    tables = [t for t in document.tables if plain(t.rows[0].cells[0].text).startswith("Pour ")]
    if not tables:
        return []
    pour = [plain(c.text).split("\n")[0] for row in tables[0].rows for c in row.cells]
    return list(dict.fromkeys(p.removeprefix("Pour ").rstrip(",") for p in pour if p))


_INDRE_ET_CHER = [
    "La Caisse d'allocations familiales de l'Indre",
    "La Caisse d'allocations familiales du Cher",
]
_SAVOIE_ET_ISERE = [
    "La Caisse d'allocations familiales de la Savoie",
    "La Caisse d'allocations familiales de l'Isère",
]


@pytest.mark.parametrize(
    ("document", "cafs"),
    [
        ("VAR-36-B/convention.docx", _INDRE_ET_CHER),
        ("CTG-73-2023-04/convention.docx", _SAVOIE_ET_ISERE),
        ("CTG-73-2023-04/convention-consolidee.docx", _SAVOIE_ET_ISERE),
        ("CTG-73-2023-04/avenants/avenant-1.docx", _SAVOIE_ET_ISERE),
        ("CTG-73-2023-04/avenants/avenant-3.docx", _SAVOIE_ET_ISERE),
    ],
)
def test_the_cafs_sign_together_on_one_side(out: Path, document: str, cafs: list[str]) -> None:
    # The Caisses of an EPCI over two départements are one side of the act, « d'une part »;
    # the collectivities and the other partners the other, « d'autre part ».
    une_part, autre_part = _sides(out / document)
    assert une_part == cafs
    assert autre_part and not any("allocations familiales" in p for p in autre_part)
    # The signature blocks follow the parties block.
    if "consolidee" not in document:
        assert _signing(out / document) == [n[0].lower() + n[1:] for n in une_part + autre_part]


def test_a_caf_written_after_the_collectivities_still_signs_with_the_other(
    tmp_path: Path,
) -> None:
    source = FIXTURES / "territoires" / "issoudun.yaml"
    text = source.read_text(encoding="utf-8")
    start = text.index("  - id: caf18\n")
    end = text.index("  - id: ", start + 1)
    after_msa = text.index("  - id: cd36\n")
    moved = text[:start] + text[end:after_msa] + text[start:end] + text[after_msa:]
    (tmp_path / "issoudun.yaml").write_text(moved, encoding="utf-8")
    build([tmp_path / "issoudun.yaml"], BuildOptions(output=tmp_path / "out"))
    convention = tmp_path / "out" / "VAR-36-B" / "convention.docx"
    une_part, autre_part = _sides(convention)
    assert une_part == _INDRE_ET_CHER
    assert autre_part[0] == "La Communauté de communes du Pays d'Issoudun"
    assert _signing(convention)[:3] == [
        "la Caisse d'allocations familiales de l'Indre",
        "la Caisse d'allocations familiales du Cher",
        "la Communauté de communes du Pays d'Issoudun",
    ]


_RAI = '      - insee: "61342"           # nom déduit : « Commune de Rai »\n'
_AJOUTS = "    communes_ajoutees:        # communes"


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        # A commune of the Eure joins as a signatory.
        (
            (
                _RAI,
                '      - insee: "27679"\n'
                "        representants:\n"
                "          - {civilite: Monsieur, prenom: Yves, nom: Rocher, qualite: Maire}\n"
                "        habilitation: {instance: Conseil municipal, date: 2019-12-10}\n",
            ),
            (318, "avenants[0].communes_ajoutees[1].insee", "27679"),
        ),
        # A commune of the Eure only enters the perimeter.
        (
            (_AJOUTS, '    perimetre_ajoute:\n      - {insee: "27157", nom: Marbois}\n'),
            (306, "avenants[0].perimetre_ajoute[0].insee", "27157"),
        ),
    ],
    ids=["signataire", "perimetre"],
)
def test_a_commune_an_avenant_brings_from_another_departement_asks_for_its_caf(
    tmp_path: Path, edit: tuple[str, str], where: tuple[int, str, str]
) -> None:
    before, inserted = edit
    line, field, code = where
    text = (CONVENTIONS / "pays-de-laigle-2018.yaml").read_text(encoding="utf-8")
    assert before in text
    source = tmp_path / "aigle.yaml"
    source.write_text(text.replace(before, inserted + before), encoding="utf-8")
    found = [
        (p.line, p.field, p.message)
        for p in check_file(source).report.warnings
        if "Caf n'agit que" in p.message
    ]
    assert found == [
        (
            line,
            field,
            f"la commune {code} (Eure) entre dans le périmètre par l'avenant n° 1, qui l'étend "
            "alors sur 2 départements (Eure, 1 commune ; Orne, 32 communes) ; une seule Caf "
            "signe la convention : une Caf n'agit que pour les familles de son département ; "
            "ajoutez la Caf de l'Eure aux parties, ou vérifiez qu'une convention entre Cafs le "
            "prévoit",
        )
    ]


def test_a_commune_an_avenant_brings_where_a_caf_signs_asks_nothing(tmp_path: Path) -> None:
    # Cœur de Chartreuse: the Cafs of the Savoie and of the Isère sign; an avenant bringing
    # another Isère commune needs no other Caf.
    text = CHARTREUSE.read_text(encoding="utf-8")
    before = "    communes_ajoutees:\n"
    assert before in text
    added = '    perimetre_ajoute:\n      - {insee: "38185", nom: Grenoble}\n'
    found = _warnings_and_errors(tmp_path, text.replace(before, added + before, 1))
    assert [f for f in found if "Caf n'agit que" in f[2]] == []


_GRAND_PARIS = """format: 1
convention:
  reference: CTG-75-TEST
  intitule: Convention territoriale globale de la Métropole du Grand Paris
  periode: {debut: 2023-01-01, fin: 2026-12-31}
  signature: {date: 2023-03-15, lieu: Paris}
  cog: 2023-2027
  preambule: Un préambule.
territoire:
  epci: {siren: "200054781", nom: Métropole du Grand Paris, type: METRO}
  departement: "75"
  communes: [{insee: "75056", nom: Paris}]
parties:
  - id: caf
    type: caf
    nom: Caisse d'allocations familiales de Paris
    representants: [{civilite: Madame, prenom: Anne, nom: Martin, qualite: Directrice}]
    habilitation: {instance: Conseil d'administration, date: 2023-02-01}
  - id: mgp
    type: epci
    nom: Métropole du Grand Paris
    representants: [{civilite: Monsieur, prenom: Paul, nom: Durand, qualite: Président}]
    habilitation: {instance: Conseil métropolitain, date: 2023-02-10}
champs: [petite_enfance, jeunesse, parentalite]
diagnostic:
  constats: [Un constat.]
axes:
  - {code: A1, intitule: Un axe, objectifs: [Un objectif]}
gouvernance:
  comite_pilotage: {composition: [Les élus], frequence: une fois par an}
avenants:
  - numero: 1
    objet: Entrée de Paris dans la convention
    date_effet: 2024-01-01
    expose: Paris souhaite signer.
    communes_ajoutees:
      - insee: "75056"
        representants: [{civilite: Madame, prenom: Lise, nom: Roux, qualite: Maire}]
"""


def test_paris_signs_as_the_ville_de_paris_and_its_council_is_the_conseil_de_paris(
    tmp_path: Path,
) -> None:
    # Paris is a collectivité à statut particulier, the Ville de Paris, whose assembly is the
    # Conseil de Paris (CGCT, art. L. 2512-1 and L. 2512-2): an act naming « la Commune de
    # Paris » or leaving a blank for its « Conseil municipal » cannot be signed as produced.
    source = tmp_path / "grand-paris.yaml"
    source.write_text(_GRAND_PARIS, encoding="utf-8")
    assert check_file(source).report.errors == []
    build([source], BuildOptions(output=tmp_path / "out"))
    text = plain(docx_text(tmp_path / "out" / "CTG-75-TEST" / "avenants" / "avenant-1.docx"))
    dots = "\u2026" * 9
    assert (
        "La Ville de Paris, représentée par sa Maire, Madame Lise Roux, dûment autorisée par "
        f"délibération du Conseil de Paris du {dots}, ci-après dénommée « la Ville de Paris »"
    ) in text
    assert f"Vu la délibération du Conseil de Paris du {dots} ;" in text
    assert (
        "Les engagements financiers de la Ville de Paris sont pris sous réserve du vote de son "
        "budget par le Conseil de Paris."
    ) in text
    assert "Pour la Ville de Paris," in text
    assert "Commune de Paris" not in text
    assert "municipal" not in text
