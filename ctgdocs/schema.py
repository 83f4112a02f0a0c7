"""The schema of the convention format (version 1), in cerberus' rules, with its value types."""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

FORMAT_VERSION = "1"

CHAMPS = {
    "petite_enfance": "petite enfance",
    "enfance": "enfance",
    "jeunesse": "jeunesse",
    "parentalite": "parentalité",
    "animation_vie_sociale": "animation de la vie sociale",
    "acces_aux_droits": "accès aux droits",
    "logement": "logement et cadre de vie",
    "inclusion_numerique": "inclusion numérique",
    "handicap": "handicap",
    "culture": "culture",
    "mobilite": "mobilité",
    "insertion": "insertion",
}
CHAMPS_ESSENTIELS = ("petite_enfance", "jeunesse", "parentalite")
TYPES_PARTIE = ("caf", "epci", "commune", "msa", "departement", "etat", "autre")
TYPES_EPCI = ("CC", "CA", "CU", "METRO")
CIVILITES = ("Madame", "Monsieur")
GENRES = ("feminin", "masculin")
STATUTS = {
    "a_venir": "À venir",
    "en_cours": "En cours",
    "realisee": "Réalisée",
    "abandonnee": "Abandonnée",
}
INSTANCES = {
    "comite_pilotage": "Comité de pilotage",
    "comite_technique": "Comité technique",
    "groupe_de_travail": "Groupe de travail",
}
# Attendance at a meeting: each value's label, masculine (also the generic) and feminine.
# A guest (`invite`) attends without being a member; members are listed first.
PRESENCES = {
    "present": ("Présent", "Présente"),
    "represente": ("Représenté", "Représentée"),
    "excuse": ("Excusé", "Excusée"),
    "absent": ("Absent", "Absente"),
    "invite": ("Invité", "Invitée"),
}

# Value types: every scalar arrives as text and is checked, then converted, by type.
TYPE_DESCRIPTIONS = {
    "texte": "un texte",
    "ligne": "un texte sur une ligne",
    "code": "un code sur une ligne, sans guillemets (par exemple FA-1.1)",
    "date": "une date au format AAAA-MM-JJ (par exemple 2018-06-28)",
    "heure": "une heure au format HH:MM (par exemple 14:30)",
    "montant": "un montant en euros, au centime près (par exemple 8500.50)",
    "entier": "un nombre entier de 1 à 9\u202f999",
    "insee": (
        "un code INSEE de 5 caractères entre guillemets : département (01 à 95, 2A ou 2B "
        'en Corse, 971 à 976) puis numéro de commune, par exemple "61214"'
    ),
    "siren": 'un SIREN de 9 chiffres entre guillemets (par exemple "200068468")',
    "departement": 'un code de département entre guillemets (par exemple "61", "2A", "971")',
    "communes_fiche": "« toutes » ou une liste de codes INSEE du périmètre",
    "dict": "un bloc de clés",
    "list": "une liste",
}


# Bounds every field of a type obeys, present and future (validation checks them by type):
# no real convention comes near them; past them, Word's 255-character properties, file
# names, Python's integers or date arithmetic would fail.
MAX_CARACTERES = {"texte": 50_000, "ligne": 300, "code": 50}
MAX_ENTIER = 9_999
MAX_CHIFFRES_MONTANT = 9  # euros before the decimal point: below a billion
ANNEES = (1900, 2100)
# Typographic quotes a word processor puts where straight ones were typed: never in a code.
GUILLEMETS = "“”‘’«»„‟‚‹›"
# Patterns some fields match, each with what a value that does not match is told.
SANS_BARRE = r"[^/\\]+"  # it names a folder or a file
PERIODE_COG = r"(19|20)\d\d-(19|20)\d\d"
CLE_ARTICLE = r"[a-z0-9_-]+"
MOTIFS = {
    SANS_BARRE: "ne doit contenir ni « / » ni « \\ »",
    PERIODE_COG: "n'est pas une période de COG ; attendu : deux années séparées par un tiret "
    "(par exemple 2023-2027)",
    CLE_ARTICLE: "n'est pas une clé d'article ; attendu : des lettres minuscules sans accents, "
    "des chiffres, « _ » ou « - » (par exemple communication)",
}


def _field(type_: str, required: bool, **rules: Any) -> Schema:
    return {"type": type_, "required": required, **rules}


def texte(required: bool = True) -> Schema:
    return _field("texte", required)


def ligne(required: bool = True, **rules: Any) -> Schema:
    return _field("ligne", required, **rules)


def code(required: bool = True, exemple: str = "", **rules: Any) -> Schema:
    """An identifier, or a reference to one: it may end up in a file name. `exemple` is the
    example the messages give (a fiche's code, FA-1.1, by default)."""
    if exemple:
        rules["meta"] = {"exemple": exemple}
    return _field("code", required, **rules)


def date(required: bool = True) -> Schema:
    return _field("date", required)


def choix(values: tuple[str, ...] | list[str], required: bool = True) -> Schema:
    return _field("ligne", required, allowed=list(values))


def bloc(fields: Schema, required: bool = True, cles: str = "") -> Schema:
    """A block of `fields`; `cles` says which it needs when the rules choose between them."""
    rules: Schema = {"type": "dict", "required": required, "schema": fields}
    if cles:
        rules["meta"] = {"cles": cles}
    return rules


def liste(item: Schema, required: bool = False, minlength: int = 0) -> Schema:
    rules: Schema = {"type": "list", "required": required, "schema": item}
    if minlength:
        rules["minlength"] = minlength
    return rules


def liste_textes(required: bool = False, minlength: int = 0) -> Schema:
    return liste({"type": "texte"}, required, minlength)


def periode(required: bool = True) -> Schema:
    return bloc({"debut": date(), "fin": date()}, required)


def signature(required: bool = False) -> Schema:
    return bloc({"date": date(), "lieu": ligne()}, required)


# The act by which a representative signs in another's name ("arrêté du Maire").
ACTES_DELEGATION = ("arrete", "decision", "deliberation")
REPRESENTANT = bloc(
    {
        "civilite": choix(CIVILITES),
        "prenom": ligne(),
        "nom": ligne(),
        "qualite": ligne(),
        "delegation": bloc(
            {
                "de": ligne(),
                "acte": choix(ACTES_DELEGATION, required=False),
                "date": date(),
                "numero": ligne(required=False),
            },
            required=False,
        ),
    }
)
REPRESENTANTS = liste(REPRESENTANT, required=True, minlength=1)
HABILITATION = bloc(
    {
        "instance": ligne(),
        "date": date(),
        "numero": ligne(required=False),
        # "oui": the deliberation also authorises signing the convention's avenants.
        "avenants": choix(("oui", "non"), required=False),
    },
    required=False,
)
# What a signatory party carries, shared by `parties` and the communes an avenant adds.
SIGNATAIRE = {
    "nom_court": ligne(required=False),
    "genre": choix(GENRES, required=False),
    "adresse": ligne(required=False),
    "representants": REPRESENTANTS,
    "habilitation": HABILITATION,
    # What the party commits to (article « Engagements des parties »); default by type.
    "engagements": liste_textes(),
}
# A change to the convention's articles: replace or drop a default one, or insert a new
# one after a named article (clauses.TITRES lists the keys).
MODIFICATION_ARTICLE = {
    "cle": code(required=False, regex=CLE_ARTICLE),
    "remplace": code(required=False),
    "apres": code(required=False),
    "titre": ligne(required=False),
    "texte": texte(required=False),
}
PARTIE = bloc(
    {
        "id": code(exemple="caf"),
        "type": choix(TYPES_PARTIE),
        # Required, except for a commune named after its INSEE code (rules/convention.py).
        "nom": ligne(required=False),
        "siren": _field("siren", False),
        "insee": _field("insee", False),
        **SIGNATAIRE,
    }
)
COMMUNE = bloc({"insee": _field("insee", True), "nom": ligne()})
COMITE = bloc({"composition": liste_textes(required=True, minlength=1), "frequence": ligne()})
MONTANT = _field("montant", True)
# The lines of a fiche's budget and funding tables (rules/plan.py totals them).
LIGNE_BUDGET = {"poste": ligne(), "montant": MONTANT}
LIGNE_FINANCEMENT = {"financeur": ligne(), "dispositif": ligne(required=False), "montant": MONTANT}

INDICATEUR = bloc(
    {"libelle": ligne(), "cible": ligne(required=False), "source": ligne(required=False)}
)
INDICATEURS = liste(INDICATEUR)


# What an avenant may change in a fiche annexed to the convention (its new content). Only
# `partenaires` may be emptied (« elle n'a plus de partenaires ») : an empty public, budget,
# plan de financement or list of indicators would be an act's empty table, or no word at all.
def pilote(required: bool = True) -> Schema:
    """A fiche's pilot: a party (`partie`, with `copilotes` if several pilot it together), or
    a structure that does not sign (a commune, a centre social): one of the two."""
    return bloc(
        {
            "partie": code(required=False, exemple="caf"),
            "structure": ligne(required=False),
            "copilotes": liste({"type": "code"}),
            "referent": ligne(required=False),
        },
        required,
        cles="partie ou structure",
    )


FICHE_MODIFIEE = {
    "code": code(),
    "intitule": ligne(required=False),
    "objectifs": liste_textes(minlength=1),
    "description": texte(required=False),
    "public": liste_textes(minlength=1),
    "communes": _field("communes_fiche", False),
    "pilote": pilote(required=False),
    "partenaires": liste_textes(),
    "calendrier": periode(required=False),
    "budget": liste(bloc(LIGNE_BUDGET), minlength=1),
    "financements": liste(bloc(LIGNE_FINANCEMENT), minlength=1),
    "indicateurs": liste(INDICATEUR, minlength=1),
}
SCHEMA: Schema = {
    "format": _field("entier", True, allowed=[FORMAT_VERSION]),
    "convention": bloc(
        {
            "reference": code(regex=SANS_BARRE, exemple="CTG-61-2018-01"),
            "intitule": ligne(),
            "periode": periode(),
            "signature": signature(),
            "exemplaires": _field("entier", False),
            "preambule": texte(),
            # Visas the Caf adds to the default ones, without "Vu".
            "visas": liste_textes(),
            # The Cnaf's COG cited in the visas, "2023-2027"; by default the one in force.
            "cog": ligne(required=False, regex=PERIODE_COG),
            "articles": liste(bloc({**MODIFICATION_ARTICLE, "supprime": code(required=False)})),
            # Documents joined to the convention besides those ctgdocs produces.
            "annexes": liste(bloc({"titre": ligne()})),
        }
    ),
    "territoire": bloc(
        {
            "epci": bloc(
                {"siren": _field("siren", True), "nom": ligne(), "type": choix(TYPES_EPCI)}
            ),
            "departement": _field("departement", True),
            "communes": liste(COMMUNE, minlength=1),
        }
    ),
    "parties": liste(PARTIE, required=True, minlength=2),
    "champs": liste(choix(list(CHAMPS)), required=True, minlength=1),
    "diagnostic": bloc(
        {
            "realise_par": ligne(required=False),
            "periode": periode(required=False),
            "methodes": liste_textes(),
            "chiffres_cles": liste(bloc({"libelle": ligne(), "valeur": ligne()})),
            "constats": liste_textes(required=True, minlength=1),
        }
    ),
    "axes": liste(
        bloc(
            {
                "code": code(exemple="A1"),
                "intitule": ligne(),
                "champs": liste(choix(list(CHAMPS))),
                "objectifs": liste_textes(required=True, minlength=1),
            }
        ),
        required=True,
        minlength=1,
    ),
    "fiches_actions": liste(
        bloc(
            {
                "code": code(regex=SANS_BARRE),
                "axe": code(exemple="A1"),
                "intitule": ligne(),
                "champs": liste(choix(list(CHAMPS))),
                "constat": texte(required=False),
                "objectifs": liste_textes(required=True, minlength=1),
                "description": texte(required=False),
                "public": liste_textes(),
                "communes": _field("communes_fiche", False),
                "pilote": pilote(),
                "partenaires": liste_textes(),
                "calendrier": periode(),
                "budget": liste(bloc(LIGNE_BUDGET)),
                "financements": liste(bloc(LIGNE_FINANCEMENT)),
                "indicateurs": INDICATEURS,
                "statut": choix(list(STATUTS)),
                # A fiche adopted after the signature: by a committee or by an avenant.
                # Without it, the fiche is annexed to the convention as signed.
                "adoption": bloc(
                    {"reunion": code(required=False), "avenant": _field("entier", False)},
                    required=False,
                ),
                # Dated states of the fiche, recorded by the committees (fiche de suivi).
                "suivi": liste(
                    bloc(
                        {
                            "date": date(),
                            "statut": choix(list(STATUTS)),
                            "reunion": code(required=False),
                            "commentaire": texte(required=False),
                        }
                    )
                ),
            }
        )
    ),
    "gouvernance": bloc(
        {"comite_pilotage": COMITE, "comite_technique": {**COMITE, "required": False}}
    ),
    "reunions": liste(
        bloc(
            {
                "id": code(exemple="copil-2019-02-19"),
                "instance": choix(list(INSTANCES)),
                "intitule": ligne(required=False),
                "date": date(),
                "heure_debut": _field("heure", True),
                "heure_fin": _field("heure", True),
                "lieu": ligne(),
                "presidence": ligne(),
                "redacteur": ligne(),
                "participants": liste(
                    bloc(
                        {
                            "nom": ligne(),
                            "civilite": choix(CIVILITES, required=False),
                            "qualite": ligne(required=False),
                            "structure": ligne(required=False),
                            # A party's id, or the INSEE code of a commune (rules/reunions.py).
                            "partie": code(required=False),
                            "presence": choix(list(PRESENCES)),
                            "represente_par": ligne(required=False),
                        }
                    ),
                    required=True,
                    minlength=1,
                ),
                "ordre_du_jour": liste_textes(required=True, minlength=1),
                "points": liste(
                    bloc(
                        {
                            "titre": ligne(),
                            "synthese": texte(required=False),
                            "fiches_actions": liste({"type": "code"}),
                        }
                    )
                ),
                "decisions": liste_textes(),
                "suites": liste(
                    bloc({"action": ligne(), "responsable": ligne(), "echeance": date()})
                ),
                "prochaine_reunion": bloc(
                    {
                        "date": date(),
                        "heure": _field("heure", False),
                        "lieu": ligne(required=False),
                    },
                    required=False,
                ),
                "validation": bloc({"date": date(), "par": ligne()}, required=False),
                "diffusion": liste_textes(),
                "pieces_jointes": liste_textes(),
            }
        )
    ),
    "avenants": liste(
        bloc(
            {
                "numero": _field("entier", True),
                "objet": ligne(),
                "date_effet": date(),
                "signature": signature(),
                "exemplaires": _field("entier", False),
                "expose": texte(),
                "communes_ajoutees": liste(
                    bloc(
                        {
                            "insee": _field("insee", True),
                            "nom": ligne(required=False),
                            **SIGNATAIRE,
                        }
                    )
                ),
                "perimetre_ajoute": liste(COMMUNE),
                "habilitations": liste(
                    bloc(
                        {
                            "partie": code(exemple="caf"),
                            "instance": ligne(),
                            "date": date(),
                            "numero": ligne(required=False),
                        }
                    )
                ),
                "nouvelle_fin": date(required=False),
                # Fiches whose content this avenant changes, from its date of effect.
                "fiches_modifiees": liste(bloc(FICHE_MODIFIEE)),
                # New representatives of a party for this avenant and the next ones.
                "signataires": liste(
                    bloc({"partie": code(exemple="caf"), "representants": REPRESENTANTS})
                ),
                "dispositions": liste(
                    bloc({**MODIFICATION_ARTICLE, "titre": ligne(), "texte": texte()})
                ),
            }
        )
    ),
}
