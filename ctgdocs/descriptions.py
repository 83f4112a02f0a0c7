"""What each key of the format means, in French: the editor's tooltips (JSON Schema)."""

from __future__ import annotations

import re

from .schema import FICHE_MODIFIEE

_PERIODE = {"debut": "Premier jour (AAAA-MM-JJ).", "fin": "Dernier jour (AAAA-MM-JJ)."}
_REPRESENTANT = {
    "civilite": "Madame ou Monsieur : « représentée par sa Directrice », « son Président ».",
    "prenom": "Prénom du représentant.",
    "nom": "Nom du représentant.",
    "qualite": "Fonction qui l'autorise à signer (Directrice, Président, Maire…).",
    "delegation": (
        "Signature par délégation (adjoint, vice-président) : « agissant par délégation "
        "du Maire en vertu de l'arrêté du … ». Un directeur par intérim exerce la fonction "
        "elle-même : pas de délégation, sauf si vous la donnez."
    ),
    "delegation.de": "Qui a délégué : Maire, la Présidente, le Directeur…",
    "delegation.acte": "arrete, decision ou deliberation (par défaut : arrêté en collectivité).",
    "delegation.date": "Date de l'acte de délégation (AAAA-MM-JJ).",
    "delegation.numero": "Numéro de l'acte de délégation (facultatif).",
}
_HABILITATION = {
    "": "Délibération qui autorise la partie à signer (« dûment autorisé par délibération… »).",
    "instance": "Instance qui a délibéré (Conseil communautaire, Conseil municipal…).",
    "date": "Date de la délibération (AAAA-MM-JJ).",
    "numero": "Numéro de la délibération (facultatif).",
    "avenants": "oui : la délibération autorise aussi la signature des avenants à la convention.",
}
_SIGNATAIRE = {
    "nom_court": "Comment le texte la désigne ensuite (« la Caf », « la Communauté de communes »).",
    "genre": (
        "feminin ou masculin : accord de « représenté(e) », « ci-après dénommé(e) » quand le "
        "premier mot du nom ne dit pas le genre (facultatif)."
    ),
    "adresse": "Adresse du siège de la partie.",
    "representants": "Les personnes qui signent pour la partie (au moins une).",
    "engagements": (
        "Ce à quoi la partie s'engage, un infinitif par ligne ; à défaut, les engagements par "
        "défaut de son type."
    ),
}
_ARTICLE = {
    "cle": "Clé de l'article inséré, pour qu'un avenant puisse le désigner ensuite.",
    "remplace": "Clé de l'article par défaut à réécrire (objet, engagements, litiges…).",
    "apres": "Clé de l'article après lequel insérer celui-ci.",
    "titre": "Titre de l'article.",
    "texte": "Texte de l'article, en bloc « | ».",
}


def _block(prefix: str, fields: dict[str, str]) -> dict[str, str]:
    return {f"{prefix}.{k}" if k else prefix: v for k, v in fields.items()}


DESCRIPTIONS: dict[str, str] = {
    "format": "Version du format de fichier : 1.",
    "convention": "La convention elle-même : référence, intitulé, période, signature, préambule.",
    "convention.reference": (
        "Référence unique de la convention (par exemple CTG-61-2018-01) : nom du dossier des "
        "documents produits."
    ),
    "convention.intitule": "Titre complet de la convention, tel qu'il figure en page de titre.",
    "convention.periode": "Période couverte par la convention (4 ou 5 ans en général).",
    **_block("convention.periode", _PERIODE),
    "convention.signature": (
        "Date et lieu de signature ; absente, la convention est un projet (mention PROJET)."
    ),
    "convention.signature.date": "Date de signature (AAAA-MM-JJ).",
    "convention.signature.lieu": "Commune où la convention est signée (« Fait à … »).",
    "convention.exemplaires": "Nombre d'exemplaires originaux (par défaut : un par signataire).",
    "convention.visas": "Visas ajoutés à ceux que ctgdocs écrit, sans « Vu ».",
    "convention.cog": (
        "Période de la convention d'objectifs et de gestion de la Cnaf citée en visa "
        "(2023-2027) ; par défaut, celle en vigueur à la signature."
    ),
    "convention.articles": (
        "Articles réécrits (remplace), insérés (apres) ou retirés (supprime) ; les autres "
        "sont les articles par défaut de ctgdocs."
    ),
    **_block("convention.articles[]", _ARTICLE),
    "convention.articles[].supprime": (
        "Clé d'un article par défaut facultatif à retirer (champs, diagnostic)."
    ),
    "convention.annexes": "Documents joints en annexe, en plus de ceux que ctgdocs produit.",
    "convention.annexes[].titre": "Titre du document annexé.",
    "convention.preambule": (
        "Préambule, en bloc « | » : une ligne vide sépare deux paragraphes, « - » fait une puce."
    ),
    "territoire": "Le territoire : l'intercommunalité, son département et le périmètre couvert.",
    "territoire.epci": "L'intercommunalité (EPCI) signataire.",
    "territoire.epci.siren": "SIREN de l'EPCI (9 chiffres) : vérifié dans le référentiel.",
    "territoire.epci.nom": "Nom officiel de l'EPCI.",
    "territoire.epci.type": "CC, CA, CU ou METRO.",
    "territoire.departement": "Code du département de la Caf (61, 2A, 971…).",
    "territoire.communes": (
        "Communes couvertes ; omis, le périmètre est celui des communes membres de l'EPCI."
    ),
    "territoire.communes[].insee": "Code INSEE de la commune (5 caractères).",
    "territoire.communes[].nom": "Nom de la commune, comparé au Code officiel géographique.",
    "parties": "Les signataires, dans l'ordre du bloc « Entre : » (au moins deux).",
    "parties[].id": "Identifiant court de la partie, repris ailleurs (pilote d'une fiche…).",
    "parties[].type": "caf, epci, commune, msa, departement, etat ou autre.",
    "parties[].nom": "Nom complet de la partie (facultatif pour une commune : déduit du COG).",
    "parties[].siren": "SIREN de la partie (facultatif).",
    "parties[].insee": "Code INSEE, obligatoire pour une partie de type commune.",
    **_block("parties[]", _SIGNATAIRE),
    **_block("parties[].representants[]", _REPRESENTANT),
    **_block("parties[].habilitation", _HABILITATION),
    "champs": "Champs d'intervention couverts (petite_enfance, jeunesse, parentalite…).",
    "diagnostic": "Le diagnostic partagé qui fonde la convention.",
    "diagnostic.realise_par": "Qui a conduit le diagnostic.",
    "diagnostic.periode": "Quand le diagnostic a été conduit.",
    **_block("diagnostic.periode", _PERIODE),
    "diagnostic.methodes": "Méthodes employées (statistiques, questionnaires, entretiens…).",
    "diagnostic.chiffres_cles": "Chiffres clés, libellé et valeur.",
    "diagnostic.chiffres_cles[].libelle": "Ce que mesure le chiffre.",
    "diagnostic.chiffres_cles[].valeur": "La valeur, telle qu'elle doit s'afficher (« 3 412 »).",
    "diagnostic.constats": "Constats du diagnostic (au moins un).",
    "axes": "Axes stratégiques (au moins un), que les fiches actions déclinent.",
    "axes[].code": "Code de l'axe (A1, A2…), repris par les fiches.",
    "axes[].intitule": "Intitulé de l'axe.",
    "axes[].champs": "Champs d'intervention de l'axe.",
    "axes[].objectifs": "Objectifs de l'axe (au moins un).",
    "fiches_actions": "Les fiches actions : un document par fiche, et leur annexe.",
    "fiches_actions[].code": "Code de la fiche (FA-1.1…) : nom de son document.",
    "fiches_actions[].axe": "Code de l'axe auquel la fiche se rattache.",
    "fiches_actions[].intitule": "Intitulé, qui commence par un infinitif (« Créer un… »).",
    "fiches_actions[].champs": "Champs d'intervention de la fiche.",
    "fiches_actions[].constat": "Constat qui motive l'action.",
    "fiches_actions[].objectifs": "Objectifs de l'action (au moins un).",
    "fiches_actions[].description": "Description de l'action.",
    "fiches_actions[].public": "Publics visés.",
    "fiches_actions[].communes": "« toutes » ou la liste des codes INSEE concernés.",
    "fiches_actions[].pilote": "Qui pilote l'action.",
    "fiches_actions[].pilote.partie": "id de la partie pilote.",
    "fiches_actions[].pilote.structure": (
        "Pilote qui ne signe pas la convention (« Centre social Denentzat »), au lieu de partie."
    ),
    "fiches_actions[].pilote.copilotes": "id des autres parties qui copilotent l'action.",
    "fiches_actions[].pilote.referent": "Fonction du référent de l'action.",
    "fiches_actions[].partenaires": "Partenaires de l'action.",
    "fiches_actions[].calendrier": "Calendrier de l'action.",
    **_block("fiches_actions[].calendrier", _PERIODE),
    "fiches_actions[].budget": "Budget prévisionnel : postes et montants.",
    "fiches_actions[].budget[].poste": "Poste de dépense.",
    "fiches_actions[].budget[].montant": "Montant en euros, point décimal (8500.50).",
    "fiches_actions[].financements": "Plan de financement : financeurs et montants.",
    "fiches_actions[].financements[].financeur": "Qui finance.",
    "fiches_actions[].financements[].dispositif": "Dispositif de financement (facultatif).",
    "fiches_actions[].financements[].montant": "Montant en euros, point décimal (8500.50).",
    "fiches_actions[].indicateurs": "Indicateurs d'évaluation.",
    "fiches_actions[].indicateurs[].libelle": "Ce que l'indicateur mesure.",
    "fiches_actions[].indicateurs[].cible": "Valeur visée.",
    "fiches_actions[].indicateurs[].source": "D'où vient la mesure.",
    "fiches_actions[].statut": "a_venir, en_cours, realisee ou abandonnee.",
    "fiches_actions[].adoption": (
        "Fiche adoptée après la signature : par un comité (reunion) ou un avenant (son "
        "numéro) ; sans elle, la fiche est annexée à la convention signée."
    ),
    "fiches_actions[].adoption.reunion": "id de la réunion du comité qui a adopté la fiche.",
    "fiches_actions[].adoption.avenant": "Numéro de l'avenant qui ajoute la fiche.",
    "fiches_actions[].suivi": "États datés de la fiche, repris par sa fiche de suivi.",
    "fiches_actions[].suivi[].date": "Date de l'état (AAAA-MM-JJ).",
    "fiches_actions[].suivi[].statut": "a_venir, en_cours, realisee ou abandonnee.",
    "fiches_actions[].suivi[].reunion": "id de la réunion qui a constaté ou décidé cet état.",
    "fiches_actions[].suivi[].commentaire": "Précision sur l'état de l'action.",
    "gouvernance": "Les instances de pilotage de la convention.",
    "gouvernance.comite_pilotage": "Le comité de pilotage (élus, direction de la Caf…).",
    "gouvernance.comite_technique": "Le comité technique (facultatif).",
    "reunions": "Les réunions des comités : un compte rendu par réunion.",
    "reunions[].id": "Identifiant de la réunion.",
    "reunions[].instance": "comite_pilotage, comite_technique ou groupe_de_travail.",
    "reunions[].intitule": (
        "Intitulé de la réunion (facultatif) : le nom précis de l'instance s'il la nomme "
        "(« Groupe de travail parentalité », « COPIL de mi-parcours »), sinon l'objet de la "
        "réunion (« Bilan annuel »), en tête du compte rendu."
    ),
    "reunions[].date": "Date de la réunion (AAAA-MM-JJ).",
    "reunions[].heure_debut": "Heure de début (HH:MM, entre guillemets).",
    "reunions[].heure_fin": "Heure de fin (HH:MM, entre guillemets).",
    "reunions[].lieu": "Lieu de la réunion.",
    "reunions[].presidence": "Qui préside.",
    "reunions[].redacteur": "Qui rédige le compte rendu.",
    "reunions[].participants": "Les participants (au moins un présent).",
    "reunions[].participants[].nom": "Nom du participant.",
    "reunions[].participants[].civilite": "Madame ou Monsieur.",
    "reunions[].participants[].qualite": "Fonction du participant.",
    "reunions[].participants[].structure": "Structure qu'il représente.",
    "reunions[].participants[].partie": "id de la partie (ou code INSEE) qu'il représente.",
    "reunions[].participants[].presence": "Présence à la réunion (present, excuse, absent…).",
    "reunions[].participants[].represente_par": "Qui le représente, s'il est représenté.",
    "reunions[].ordre_du_jour": "Points de l'ordre du jour.",
    "reunions[].points": "Points discutés, une section chacun.",
    "reunions[].points[].titre": "Titre du point.",
    "reunions[].points[].synthese": "Synthèse des échanges.",
    "reunions[].points[].fiches_actions": "Codes des fiches actions concernées.",
    "reunions[].decisions": "Relevé de décisions, numéroté dans le compte rendu.",
    "reunions[].suites": "Suites à donner : action, responsable, échéance.",
    "reunions[].suites[].action": "Ce qui est à faire.",
    "reunions[].suites[].responsable": "Qui s'en charge.",
    "reunions[].suites[].echeance": "Pour quand (AAAA-MM-JJ).",
    "reunions[].prochaine_reunion": "Date, heure et lieu de la prochaine réunion.",
    "reunions[].prochaine_reunion.date": "Date (AAAA-MM-JJ).",
    "reunions[].prochaine_reunion.heure": "Heure (HH:MM).",
    "reunions[].prochaine_reunion.lieu": "Lieu.",
    "reunions[].validation": "Validation du compte rendu : sans elle, il porte la mention PROJET.",
    "reunions[].validation.date": "Date de validation (AAAA-MM-JJ).",
    "reunions[].validation.par": "Qui a validé le compte rendu.",
    "reunions[].diffusion": "Destinataires du compte rendu.",
    "reunions[].pieces_jointes": "Pièces jointes au compte rendu.",
    "avenants": "Les avenants à la convention : un document par avenant.",
    "avenants[].numero": "Numéro de l'avenant (1, 2…), dans l'ordre.",
    "avenants[].objet": "Objet de l'avenant.",
    "avenants[].date_effet": "Date d'effet (AAAA-MM-JJ).",
    "avenants[].signature": "Date et lieu de signature ; absente, l'avenant est un projet.",
    "avenants[].signature.date": "Date de signature (AAAA-MM-JJ).",
    "avenants[].signature.lieu": "Commune où l'avenant est signé.",
    "avenants[].exemplaires": "Nombre d'exemplaires originaux.",
    "avenants[].expose": "Exposé des motifs.",
    "avenants[].communes_ajoutees": "Communes qui deviennent signataires par cet avenant.",
    "avenants[].communes_ajoutees[].insee": "Code INSEE de la commune.",
    "avenants[].communes_ajoutees[].nom": "Nom de la partie (par défaut « Commune de » + COG).",
    **_block("avenants[].communes_ajoutees[]", _SIGNATAIRE),
    **_block("avenants[].communes_ajoutees[].representants[]", _REPRESENTANT),
    **_block("avenants[].communes_ajoutees[].habilitation", _HABILITATION),
    "avenants[].perimetre_ajoute": "Communes qui entrent dans le périmètre sans signer.",
    "avenants[].perimetre_ajoute[].insee": "Code INSEE de la commune.",
    "avenants[].perimetre_ajoute[].nom": "Nom de la commune.",
    "avenants[].habilitations": "Délibérations qui autorisent les signataires antérieurs.",
    "avenants[].habilitations[].partie": "id de la partie, ou code INSEE d'une commune entrée.",
    "avenants[].habilitations[].instance": "Instance qui a délibéré.",
    "avenants[].habilitations[].date": "Date de la délibération (AAAA-MM-JJ).",
    "avenants[].habilitations[].numero": "Numéro de la délibération (facultatif).",
    "avenants[].nouvelle_fin": "Nouvelle date de fin, pour une prolongation (AAAA-MM-JJ).",
    "avenants[].signataires": (
        "Nouveaux représentants d'une partie pour cet avenant et les suivants (élections, "
        "nouvelle direction) ; la convention garde les siens."
    ),
    "avenants[].signataires[].partie": "id de la partie, ou code INSEE d'une commune entrée.",
    "avenants[].signataires[].representants": "Qui signe désormais pour la partie.",
    **_block("avenants[].signataires[].representants[]", _REPRESENTANT),
    "avenants[].dispositions": (
        "Autres modifications de la convention : titre et texte ; remplace ou apres pour "
        "réécrire un article ou en insérer un."
    ),
    **_block("avenants[].dispositions[]", _ARTICLE),
    "avenants[].dispositions[].titre": "Titre de la disposition.",
    "avenants[].dispositions[].texte": "Texte de la disposition.",
}
DESCRIPTIONS["avenants[].fiches_modifiees"] = (
    "Fiches actions que l'avenant modifie : code, puis seulement les rubriques qui changent "
    "(elles remplacent celles de la fiche)."
)
DESCRIPTIONS["avenants[].fiches_modifiees[].code"] = "Code de la fiche modifiée."
# A change takes the fiche's keys, with their descriptions.
for _path, _text in list(DESCRIPTIONS.items()):
    _key = _path.removeprefix("fiches_actions[].")
    if _key != _path and re.split(r"[.\[]", _key)[0] in FICHE_MODIFIEE and _key != "code":
        DESCRIPTIONS[f"avenants[].fiches_modifiees[].{_key}"] = _text
for _comite in ("comite_pilotage", "comite_technique"):
    DESCRIPTIONS[f"gouvernance.{_comite}.composition"] = "Qui y siège (au moins un membre)."
    DESCRIPTIONS[f"gouvernance.{_comite}.frequence"] = "À quel rythme il se réunit."


def description(path: str) -> str | None:
    """The description of the key at `path` ("parties[].representants[].nom")."""
    return DESCRIPTIONS.get(path)
