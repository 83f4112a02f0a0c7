"""How the documents name each kind of party, whatever the territory."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ctgdocs import articles_defaut, designation
from ctgdocs.designation import (
    avec_article,
    de_partie,
    genre_du_nom,
    nom_court_et_genre,
    nom_partie,
    signataire,
)

NB = "\u00a0"


def rep(civilite: str, qualite: str, prenom: str = "Claire", nom: str = "Martin") -> dict[str, str]:
    return {"civilite": civilite, "prenom": prenom, "nom": nom, "qualite": qualite}


@pytest.mark.parametrize(
    ("partie", "designation"),
    [
        (
            {"type": "etat", "nom": "État", "representants": [rep("Madame", "Préfète des Landes")]},
            "L'État, représenté par la Préfète des Landes, Madame Claire Martin, "
            f"ci\u2011après dénommé «{NB}l'État{NB}»",
        ),
        (
            {
                "type": "etat",
                "nom": "État",
                "representants": [rep("Monsieur", "Préfet de l'Orne", "Paul", "Roux")],
            },
            "L'État, représenté par le Préfet de l'Orne, Monsieur Paul Roux, "
            f"ci\u2011après dénommé «{NB}l'État{NB}»",
        ),
        (
            {
                "type": "commune",
                "insee": "61008",
                "representants": [rep("Madame", "Maire")],
                "habilitation": {"instance": "Conseil municipal", "date": dt.date(2024, 3, 1)},
            },
            "La Commune d'Aube, représentée par sa Maire, Madame Claire Martin, dûment autorisée "
            f"par délibération du Conseil municipal du 1er mars 2024, ci\u2011après dénommée «{NB}la"
            f"{NB}Commune{NB}d'Aube{NB}»",
        ),
        (
            {
                "type": "autre",
                "nom": "Association « Familles & Rivières »",
                "nom_court": "l'Association",
                "genre": "feminin",
                "representants": [rep("Monsieur", "Administrateur", "Jean", "D'Arc")],
            },
            # Its authority to sign is not given: a blank to fill, never left out.
            "L'Association « Familles & Rivières », représentée par son Administrateur, "
            f"Monsieur Jean D'Arc, dûment autorisé par délibération du {'…' * 9} du {'…' * 9}, "
            f"ci\u2011après dénommée «{NB}l'Association{NB}»",
        ),
        (
            {
                "type": "caf",
                "nom": "Caisse d'allocations familiales du Cher",
                "representants": [rep("Madame", "Directrice par intérim")],
            },
            # An acting director holds the office itself: no delegation to cite.
            "La Caisse d'allocations familiales du Cher, représentée par sa Directrice par "
            f"intérim, Madame Claire Martin, dûment autorisée par délibération du Conseil "
            f"d'administration du {'…' * 9}, ci\u2011après dénommée «{NB}la{NB}Caf{NB}»",
        ),
    ],
)
def test_designation_of_each_kind_of_party(partie: dict[str, Any], designation: str) -> None:
    assert signataire(partie, "CC")["designation"] == designation


def test_a_commune_without_name_is_named_from_its_code() -> None:
    assert nom_partie({"type": "commune", "insee": "61342"}) == "Commune de Rai"
    assert nom_partie({"type": "commune", "insee": "61214"}) == "Commune de L'Aigle"
    assert nom_partie({"type": "commune", "insee": "61214", "nom": "Ville de L'Aigle"}) == (
        "Ville de L'Aigle"
    )


@pytest.mark.parametrize(
    ("insee", "nom", "attendu"),
    [
        ("97360", "Apatou", "Commune d'Apatou"),
        ("97227", "Sainte-Luce", "Commune de Sainte-Luce"),
        ("61214", "L’Aigle", "Commune de L'Aigle"),
        ("61342", "RAI", "Commune de Rai"),
    ],
)
def test_a_commune_named_by_its_place_alone_is_the_commune(
    insee: str, nom: str, attendu: str
) -> None:
    # « nom: Apatou » printed « L'Apatou, représentée par son Maire » and « Pour l'Apatou ».
    partie = {"type": "commune", "insee": insee, "nom": nom}
    assert nom_partie(partie) == attendu
    assert signataire({**partie, "representants": [rep("Monsieur", "Maire")]}, "CC")[
        "designation"
    ].startswith(f"La {attendu}, représentée par son Maire")


@pytest.mark.parametrize(
    ("civilite", "qualite", "attendu"),
    [
        (
            "Madame",
            "Présidente du Conseil d'administration",
            "la Présidente de son Conseil d'administration",
        ),
        ("Madame", "Présidente du Conseil départemental", "la Présidente du Conseil départemental"),
        ("Monsieur", "Directeur", "son Directeur"),
        ("Madame", "Directrice", "sa Directrice"),
        ("Madame", "Adjointe au Maire", "son Adjointe au Maire"),
        # An elided complement is one too (Guyane's executive heads its Assemblée).
        ("Monsieur", "Président de l'Assemblée de Guyane", "le Président de l'Assemblée de Guyane"),
        ("Madame", "Présidente de l’Assemblée générale", "la Présidente de son Assemblée générale"),
        # A place's name: « la Maire de Paris » (was « sa Maire de Paris »).
        ("Madame", "Maire de Paris", "la Maire de Paris"),
        ("Monsieur", "Maire d'Apatou", "le Maire d'Apatou"),
        ("Monsieur", "Président d’Orléans Métropole", "le Président d’Orléans Métropole"),
        ("Madame", "Directrice de cabinet", "sa Directrice de cabinet"),
    ],
)
def test_a_function_with_a_complement_is_not_possessed(
    civilite: str, qualite: str, attendu: str
) -> None:
    assert designation.fonction({"civilite": civilite, "qualite": qualite}) == attendu


def test_mayotte_caisse_de_securite_sociale_is_not_called_la_caf() -> None:
    mayotte = {"type": "caf", "nom": "Caisse de sécurité sociale de Mayotte"}
    assert nom_court_et_genre(mayotte, None) == ("la Caisse", "feminin")
    orne = {"type": "caf", "nom": "Caisse d'allocations familiales de l'Orne"}
    assert nom_court_et_genre(orne, None) == ("la Caf", "feminin")


def test_an_avenants_objet_takes_the_cog_preposition_whatever_the_apostrophes() -> None:
    def printed(objet: str, insee: str) -> str:
        avenant = {"objet": objet, "communes_ajoutees": [{"insee": insee}]}
        return designation.objet_de_l_avenant(avenant)[0]

    assert printed("Entrée de la commune de Ussel-d'Allier", "03294") == (
        "Entrée de la commune d'Ussel-d'Allier"
    )
    assert printed("Entrée de la commune de Le Mayet-d’École", "03164") == (
        "Entrée de la commune du Mayet-d'École"
    )
    # Already right, or another commune's name: left as typed.
    assert printed("Entrée de la commune d'Ussel-d'Allier", "03294") == (
        "Entrée de la commune d'Ussel-d'Allier"
    )
    assert printed("Entrée de Rai", "03294") == "Entrée de Rai"


def test_a_short_designation_never_breaks_across_lines() -> None:
    def dit(partie: dict[str, Any]) -> str:
        return signataire({**partie, "representants": [rep("Madame", "Présidente")]}, "CA")[
            "designation"
        ].rsplit("ci\u2011après ", 1)[1]

    collectivite = {"type": "departement", "nom": "Collectivité de Corse"}
    assert dit(collectivite).endswith(f"«{NB}la{NB}Collectivité{NB}»")
    # A long one may break, or the line before it would open wide gaps.
    agglomeration = {"type": "epci", "nom": "Communauté d'agglomération du Pays Ajaccien"}
    assert dit(agglomeration).endswith(f"«{NB}la Communauté d'agglomération{NB}»")


def test_the_designation_agrees_with_the_full_name_not_the_short_one() -> None:
    partie = {
        "type": "epci",
        "nom": "Communauté d'agglomération du Grand Annecy",
        "nom_court": "le Grand Annecy",
        "representants": [rep("Madame", "Présidente")],
        "habilitation": {"instance": "Conseil communautaire", "date": dt.date(2024, 9, 12)},
    }
    signed = signataire(partie, "CA", signe=True)
    assert signed["designation"] == (
        "La Communauté d'agglomération du Grand Annecy, représentée par sa Présidente, Madame "
        "Claire Martin, dûment autorisée par délibération du Conseil communautaire du 12 "
        f"septembre 2024, ci\u2011après dénommée «{NB}le{NB}Grand{NB}Annecy{NB}»"
    )
    assert signed["deliberation"] == (
        "la délibération du Conseil communautaire de la Communauté d'agglomération du Grand "
        "Annecy du 12 septembre 2024"
    )
    assert signed["signatures"][0]["pour"] == "Pour la Communauté d'agglomération du Grand Annecy,"
    # A name whose first word says nothing: the short name's article decides.
    assert (
        designation.genre_du_nom(
            {"type": "autre", "nom": "Familles Rurales", "nom_court": "le Réseau"}, None
        )
        == "masculin"
    )


def test_an_instance_naming_the_party_takes_its_name_once() -> None:
    habilitation = {"instance": "Conseil de la Métropole", "date": dt.date(2025, 5, 12)}
    assert designation.deliberation(habilitation, "Métropole de Lyon", True) == (
        "la délibération du Conseil de la Métropole de Lyon du 12 mai 2025"
    )
    assert designation.deliberation(habilitation, "Métropole Rouen Normandie", True) == (
        "la délibération du Conseil de la Métropole Rouen Normandie du 12 mai 2025"
    )


@pytest.mark.parametrize(
    ("instance", "nom", "attendu"),
    [
        # An instance that names the party already: its name is not repeated.
        (
            "Conseil exécutif de Martinique",
            "Collectivité territoriale de Martinique",
            "du Conseil exécutif de Martinique",
        ),
        (
            "Assemblée de Martinique",
            "Collectivité territoriale de Martinique",
            "de l'Assemblée de Martinique",
        ),
        ("Conseil exécutif de Corse", "Collectivité de Corse", "du Conseil exécutif de Corse"),
        (
            "Commission permanente du Conseil de la Collectivité européenne d'Alsace",
            "Collectivité européenne d'Alsace",
            "de la Commission permanente du Conseil de la Collectivité européenne d'Alsace",
        ),
        ("Conseil d'Alsace", "Collectivité européenne d'Alsace", "du Conseil d'Alsace"),
        # An instance that names the party's kind, in several words or after another body.
        (
            "Conseil de la Communauté d'agglomération",
            "Communauté d'agglomération du Pays Basque",
            "du Conseil de la Communauté d'agglomération du Pays Basque",
        ),
        (
            "Commission permanente du Conseil de la Métropole",
            "Métropole de Lyon",
            "de la Commission permanente du Conseil de la Métropole de Lyon",
        ),
        # An instance that names neither: the party's name follows, even where the party's
        # name holds the kind the instance names (« Conseil de communauté »).
        (
            "Conseil de communauté",
            "Quimperlé Communauté",
            "du Conseil de communauté de Quimperlé Communauté",
        ),
        (
            "Conseil d'agglomération",
            "Lorient Agglomération",
            "du Conseil d'agglomération de Lorient Agglomération",
        ),
        (
            "Conseil de territoire",
            "Communauté d'agglomération du Territoire de la Côte Ouest",
            "du Conseil de territoire de la Communauté d'agglomération du Territoire de la "
            "Côte Ouest",
        ),
        (
            "Commission permanente",
            "Collectivité européenne d'Alsace",
            "de la Commission permanente de la Collectivité européenne d'Alsace",
        ),
        (
            "Conseil d'administration",
            "Caisse d'allocations familiales de l'Orne",
            "du Conseil d'administration de la Caisse d'allocations familiales de l'Orne",
        ),
    ],
)
def test_an_instance_naming_its_party_is_not_followed_by_its_name(
    instance: str, nom: str, attendu: str
) -> None:
    habilitation = {"instance": instance, "date": dt.date(2024, 9, 9)}
    assert designation.deliberation(habilitation, nom, True) == (
        f"la délibération {attendu} du 9 septembre 2024"
    )


@pytest.mark.parametrize(
    ("nom", "pour", "de"),
    [
        ("Quimperlé Communauté", "Quimperlé Communauté", "de Quimperlé Communauté"),
        ("Rennes Métropole", "Rennes Métropole", "de Rennes Métropole"),
        ("Le Mans Métropole", "Le Mans Métropole", "de Le Mans Métropole"),
        # « de » elides before the place's vowel, as before any other name.
        ("Orléans Métropole", "Orléans Métropole", "d'Orléans Métropole"),
        ("Alès Agglomération", "Alès Agglomération", "d'Alès Agglomération"),
        (
            "Les Sables d'Olonne Agglomération",
            "Les Sables d'Olonne Agglomération",
            "des Sables d'Olonne Agglomération",
        ),
        ("Le Grand Narbonne", "Le Grand Narbonne", "du Grand Narbonne"),
        (
            "Métropole Rouen Normandie",
            "la Métropole Rouen Normandie",
            "de la Métropole Rouen Normandie",
        ),
        (
            "Communauté d'agglomération Pays Basque",
            "la Communauté d'agglomération Pays Basque",
            "de la Communauté d'agglomération Pays Basque",
        ),
    ],
)
def test_a_place_followed_by_its_kind_takes_no_article(nom: str, pour: str, de: str) -> None:
    # « la Quimperlé Communauté » named the EPCI otherwise than its statutes do.
    assert (avec_article(nom, True), de_partie(nom, True)) == (pour, de)
    # « Le Mans Métropole, … représentée » : the kind is the noun, whatever the place's article.
    genre = "masculin" if nom == "Le Grand Narbonne" else "feminin"
    assert genre_du_nom({"type": "epci", "nom": nom, "nom_court": nom}, "CA") == genre


@pytest.mark.parametrize(
    ("de", "mention"),
    [
        ("Présidente", "Pour la Présidente et par délégation, "),
        ("Président", "Pour le Président et par délégation, "),
        ("Directrice générale", "Pour la Directrice générale et par délégation, "),
        ("la Maire", "Pour la Maire et par délégation, "),
        ("Adjointe", "Pour l'Adjointe et par délégation, "),
        # « Pour le Préfète », « Pour le Secrétaire générale » were printed.
        (
            "Préfète de la Seine-Maritime",
            "Pour la Préfète de la Seine-Maritime et par délégation, ",
        ),
        ("Sous-préfète", "Pour la Sous-préfète et par délégation, "),
        ("Secrétaire générale", "Pour la Secrétaire générale et par délégation, "),
        ("Secrétaire général", "Pour le Secrétaire général et par délégation, "),
        ("Maire", "Pour le Maire et par délégation, "),
    ],
)
def test_the_delegation_mention_takes_the_article_of_the_function(de: str, mention: str) -> None:
    # A Vice-présidente signing for the Présidente: « Pour le Présidente » was printed.
    deputy = {**rep("Madame", "Vice-présidente"), "delegation": {"de": de}}
    assert designation.par_delegation(deputy, "epci") == mention


def test_a_blank_visa_names_the_usual_instance_and_its_party_once() -> None:
    """An avenant's projet without the new deliberation: the body that authorised the
    convention, its party named once (« du Conseil exécutif de Martinique du …… »)."""
    partie = {
        "type": "departement",
        "nom": "Collectivité territoriale de Martinique",
        "representants": [rep("Monsieur", "Président du Conseil exécutif de Martinique")],
    }
    visa = signataire(partie, "CA", instance_usuelle="Conseil exécutif de Martinique")
    assert visa["deliberation"] == (
        f"la délibération du Conseil exécutif de Martinique du {designation.BLANC}"
    )
    visa = signataire(partie, "CA", instance_usuelle="Commission permanente")
    assert visa["deliberation"] == (
        "la délibération de la Commission permanente de la Collectivité territoriale de "
        f"Martinique du {designation.BLANC}"
    )


@pytest.mark.parametrize(
    ("nom", "de", "acte"),
    [
        (
            "Département de Maine-et-Loire",
            "Président du Conseil départemental",
            "l'arrêté du Président du Conseil départemental de Maine-et-Loire",
        ),
        (
            "Département du Gard",
            "Présidente du Conseil départemental",
            "l'arrêté de la Présidente du Conseil départemental du Gard",
        ),
        # A delegant that does not name the council: the Département named as a party.
        ("Département du Gard", "Président", "l'arrêté du Président du Département du Gard"),
    ],
)
def test_a_departements_delegation_names_it_once(nom: str, de: str, acte: str) -> None:
    deputy = {
        "civilite": "Madame",
        "prenom": "Lise",
        "nom": "Roux",
        "qualite": "Vice-présidente du Conseil départemental",
        "delegation": {"de": de, "acte": "arrete", "date": dt.date(2021, 7, 5)},
    }
    visa = designation.visa_delegation(
        deputy, "departement", True, designation.de_partie(nom, False)
    )
    assert visa == f"{acte} du 5 juillet 2021 portant délégation à Madame Lise Roux"


@pytest.mark.parametrize(
    ("partie", "debut", "pour", "de"),
    [
        (
            {
                "type": "autre",
                "nom": "France Travail",
                "nom_court": "France Travail",
                "genre": "masculin",
                "representants": [rep("Madame", "Directrice territoriale")],
            },
            "France Travail, représenté par sa Directrice territoriale",
            "Pour France Travail,",
            "de France Travail",
        ),
        (
            {
                "type": "autre",
                "nom": "Familles Rurales du Havre",
                "nom_court": "Familles Rurales",
                "genre": "feminin",
                "representants": [rep("Monsieur", "Président")],
                "habilitation": {
                    "instance": "Conseil d'administration",
                    "date": dt.date(2024, 3, 1),
                },
            },
            "Familles Rurales du Havre, représentée par son Président",
            "Pour Familles Rurales du Havre,",
            "de Familles Rurales",
        ),
        # An acronym written without its article still takes one: it is no proper name.
        (
            {
                "type": "msa",
                "nom": "MSA Haute-Normandie",
                "nom_court": "MSA",
                "genre": "feminin",
                "representants": [rep("Madame", "Directrice générale")],
            },
            "La MSA Haute-Normandie, représentée par sa Directrice générale",
            "Pour la MSA Haute-Normandie,",
            "de la MSA",
        ),
        (
            {
                "type": "caf",
                "nom": "Caf de la Seine-Maritime",
                "nom_court": "Caf de la Seine-Maritime",
                "genre": "feminin",
                "representants": [rep("Madame", "Directrice")],
            },
            "La Caf de la Seine-Maritime, représentée par sa Directrice",
            "Pour la Caf de la Seine-Maritime,",
            "de la Caf de la Seine-Maritime",
        ),
        # A short name that is not the full name's beginning leaves the full name its article.
        (
            {
                "type": "autre",
                "nom": "Office public de l'habitat du Havre",
                "nom_court": "l'Office",
                "genre": "masculin",
                "representants": [rep("Monsieur", "Directeur général")],
            },
            "L'Office public de l'habitat du Havre, représenté par son Directeur général",
            "Pour l'Office public de l'habitat du Havre,",
            "de l'Office",
        ),
    ],
)
def test_a_proper_name_without_article_is_never_given_one(
    partie: dict[str, Any], debut: str, pour: str, de: str
) -> None:
    # « Le France Travail, représenté… », « Pour la Familles Rurales du Havre » and « Les
    # engagements financiers du France Travail » could not be signed as written.
    signed = signataire(partie, "CA", signe=True)
    assert signed["designation"].startswith(debut)
    assert signed["signatures"][0]["pour"] == pour
    if "habilitation" in partie:
        assert signed["deliberation"] == (
            "la délibération du Conseil d'administration de Familles Rurales du Havre du "
            "1er mars 2024"
        )
    doc = {"territoire": {"epci": {"type": "CA"}}}
    assert articles_defaut.de_nom_court(doc, partie) == de


@pytest.mark.parametrize(
    ("partie", "de", "acte", "mention"),
    [
        (
            {"type": "commune", "insee": "69029"},
            "Maire de Bron",
            "l'arrêté du Maire de Bron",
            "Pour le Maire de Bron et par délégation, ",
        ),
        # The party named by its acronym, as instances may name it.
        (
            {"type": "caf", "nom": "Caisse d'allocations familiales du Gard"},
            "Directeur de la Caf",
            "l'arrêté du Directeur de la Caisse d'allocations familiales du Gard",
            "Pour le Directeur de la Caf et par délégation, ",
        ),
        (
            {"type": "commune", "insee": "76351"},
            "Maire du Havre",
            "l'arrêté du Maire du Havre",
            "Pour le Maire du Havre et par délégation, ",
        ),
        (
            {"type": "epci", "nom": "Métropole de Lyon"},
            "Président de la Métropole de Lyon",
            "l'arrêté du Président de la Métropole de Lyon",
            "Pour le Président de la Métropole de Lyon et par délégation, ",
        ),
        # The function names the party's kind: the party's name stands for it.
        (
            {"type": "epci", "nom": "Métropole de Lyon"},
            "Président de la Métropole",
            "l'arrêté du Président de la Métropole de Lyon",
            "Pour le Président de la Métropole et par délégation, ",
        ),
        (
            {"type": "epci", "nom": "Communauté de communes du Pays de Caux"},
            "Présidente de la Communauté de communes",
            "l'arrêté de la Présidente de la Communauté de communes du Pays de Caux",
            "Pour la Présidente de la Communauté de communes et par délégation, ",
        ),
        # The function alone: the party named after it, as before.
        (
            {"type": "commune", "insee": "69029"},
            "Maire",
            "l'arrêté du Maire de la Commune de Bron",
            "Pour le Maire et par délégation, ",
        ),
    ],
)
def test_a_delegant_that_names_its_party_is_not_followed_by_it_again(
    partie: dict[str, Any], de: str, acte: str, mention: str
) -> None:
    # « l'arrêté du Maire de Bron de la Commune de Bron », « … du Président de la Métropole
    # de la Métropole de Lyon » and « Pour président de la Métropole et par délégation ».
    deputy = {
        **rep("Madame", "Adjointe"),
        "delegation": {"de": de, "acte": "arrete", "date": dt.date(2020, 7, 10)},
    }
    signed = signataire({**partie, "representants": [deputy]}, "METRO", signe=True)
    assert signed["delegations"] == [
        f"{acte} du 10 juillet 2020 portant délégation à Madame Claire Martin"
    ]
    assert designation.par_delegation(deputy, partie["type"]) == mention


@pytest.mark.parametrize(
    ("nom", "type_", "instance", "visa"),
    [
        (
            "Caisse d'allocations familiales du Gard",
            "caf",
            "Conseil d'administration de la Caf",
            "du Conseil d'administration de la Caisse d'allocations familiales du Gard",
        ),
        (
            "Mutualité sociale agricole Mayenne-Orne-Sarthe",
            "msa",
            "Conseil d'administration de la MSA Mayenne-Orne-Sarthe",
            "du Conseil d'administration de la Mutualité sociale agricole Mayenne-Orne-Sarthe",
        ),
        (
            "Communauté de communes du Pays de Caux",
            "epci",
            "Conseil de la CC",
            "du Conseil de la Communauté de communes du Pays de Caux",
        ),
        # Written in full already: unchanged.
        (
            "MSA Mayenne-Orne-Sarthe",
            "msa",
            "Conseil d'administration de la MSA",
            "du Conseil d'administration de la MSA Mayenne-Orne-Sarthe",
        ),
    ],
)
def test_an_instance_naming_its_party_by_an_acronym_names_it_once(
    nom: str, type_: str, instance: str, visa: str
) -> None:
    # « Vu la délibération du Conseil d'administration de la Caf de la Caisse d'allocations
    # familiales du Gard »: the acronym named the party's kind, then the party followed.
    partie = {
        "type": type_,
        "nom": nom,
        "representants": [rep("Madame", "Directrice")],
        "habilitation": {"instance": instance, "date": dt.date(2024, 1, 5)},
    }
    assert signataire(partie, "CC", signe=True)["deliberation"] == (
        f"la délibération {visa} du 5 janvier 2024"
    )


def test_a_prefetes_delegation_is_hers_in_the_text_and_the_visa() -> None:
    # « agissant par délégation du Préfète », « Vu l'arrêté du Préfète … ».
    deputy = {
        **rep("Monsieur", "Sous-préfet de Dieppe", "Paul", "Roux"),
        "delegation": {"de": "Préfète", "acte": "arrete", "date": dt.date(2024, 9, 2)},
    }
    partie = {"type": "etat", "nom": "État", "representants": [deputy]}
    signed = signataire(partie, "CU", signe=True)
    assert (
        "agissant par délégation de la Préfète en vertu de l'arrêté du 2 septembre 2024"
        in (signed["designation"])
    )
    assert signed["delegations"] == [
        "l'arrêté de la Préfète du 2 septembre 2024 portant délégation à Monsieur Paul Roux"
    ]
