"""What each kind of document gives its template: every context declared as a TypedDict.

mypy checks the code that builds them; `templates check` reads the variables a template may
use from these declarations, not from example files.
"""

from __future__ import annotations

from typing import TypedDict

from .blocs import Article, Bloc


class Ctg(TypedDict):
    """What every document says about the convention itself (context.common)."""

    reference: str
    intitule: str
    entete: str  # the running header's line: "CTG-61-2018-01 – Convention …", one line
    titre: str
    sous_titre: str
    intitule_majuscule: str
    a_la_convention: str
    periode: str
    periode_majuscule: str
    duree: str
    de_epci: str


class Signature(TypedDict):
    """One signature block: "Pour la Caf,", "La Directrice,", "Sophie Garnier"."""

    pour: str
    titre: str
    nom: str


class Signataire(TypedDict):
    """A party as an act designates it (designation.signataire)."""

    nom: str
    nom_court: str
    nom_court_majuscule: str
    feminin: bool
    type: str
    designation: str
    deliberation: str
    delegations: list[str]  # the acts by which deputies sign, for the visas
    signatures: list[Signature]


class Consolidee(TypedDict):
    date: str
    actes: list[str]
    mention: str
    entete: str
    perimetre_modifie: bool


class Annexes(TypedDict):
    """The numbers of the annexes the convention template titles ("" when absent)."""

    perimetre: str
    plan: str
    fiches: str


class LignePerimetre(TypedDict):
    nom: str
    insee: str
    depuis: str


class LignePlan(TypedDict):
    axe: str
    code: str
    intitule: str
    pilote: str
    calendrier: str
    budget: str


class ConventionContexte(TypedDict):
    ctg: Ctg
    projet: bool
    periode_majuscule: str
    consolidee: Consolidee | None
    parties: list[Signataire]
    parties_en_titre: list[str]  # the title page's « Entre » list, on one page
    parties_d_une_part: list[Signataire]  # the Cafs
    parties_d_autre_part: list[Signataire]
    visas: list[str]
    preambule: list[Bloc]
    articles: list[Article]
    annexes: Annexes
    perimetre: list[LignePerimetre]
    communes_couvertes: str  # « les trente-deux communes suivantes », « la commune suivante »
    perimetre_source: str
    plan: list[LignePlan]
    plan_total: str
    fait_a: str
    signatures: list[Signature]


class LigneBudget(TypedDict):
    poste: str
    montant: str


class LigneFinancement(TypedDict):
    financeur: str
    dispositif: str
    montant: str


class Indicateur(TypedDict):
    libelle: str
    cible: str
    source: str


class Fiche(TypedDict):
    annexe: str
    code: str
    intitule: str
    axe: str
    champs: str
    champs_libelle: str  # « Champ d'intervention » for one, « Champs … » for several
    constat: list[Bloc]
    objectifs: list[str]
    description: list[Bloc]
    public: list[str]
    communes_majuscule: str
    pilote: str
    pilote_libelle: str  # « Pilote », or « Copilotes » for parties that pilot together
    referent: str
    partenaires: list[str]
    calendrier_majuscule: str
    budget: list[LigneBudget]
    budget_total: str
    financements: list[LigneFinancement]
    financements_total: str
    indicateurs: list[Indicateur]
    # What the committee has yet to set, in one sentence ("" when the fiche is complete).
    a_arreter: str


class FicheContexte(TypedDict):
    ctg: Ctg
    projet: bool
    fiche: Fiche


class EtatSuivi(TypedDict):
    date: str
    statut: str
    instance: str
    commentaire: str


class Suivi(TypedDict):
    portee: str  # what this document is: a follow-up, not the annexed fiche
    code: str
    intitule: str
    annexe: str
    etat_au: str
    statut: str
    pilote: str
    pilote_libelle: str
    calendrier_majuscule: str
    historique: list[EtatSuivi]
    examens: list[str]
    indicateurs: list[Indicateur]


class SuiviContexte(TypedDict):
    ctg: Ctg
    projet: bool
    suivi: Suivi


class Avenant(TypedDict):
    numero: int
    objet: str
    periode: str
    expose: list[Bloc]


class AvenantContexte(TypedDict):
    ctg: Ctg
    projet: bool
    parties: list[Signataire]
    parties_d_une_part: list[Signataire]  # the Cafs
    parties_d_autre_part: list[Signataire]
    visas: list[str]
    avenant: Avenant
    articles: list[Article]
    fait_a: str
    signatures: list[Signature]


class Personne(TypedDict):
    nom: str
    qualite: str
    structure: str


class Presence(TypedDict):
    titre: str
    personnes: list[Personne]


class Numerote(TypedDict):
    numero: int
    texte: str


class Point(TypedDict):
    numero: int
    titre: str
    synthese: list[Bloc]
    fiches_titre: str
    fiches: str


class Suite(TypedDict):
    action: str
    responsable: str
    echeance: str


class Reunion(TypedDict):
    instance: str
    titre: str
    objet: str | None
    date_majuscule: str
    horaires_majuscule: str
    lieu: str
    presidence: str
    redacteur: str
    presences: list[Presence]
    ordre_du_jour: list[Numerote]
    points: list[Point]
    decisions: list[Numerote]
    suites: list[Suite]
    prochaine: str
    validation_titre: str
    validation: str
    diffusion: list[str]
    pieces_jointes: list[str]
    pieces_titre: str


class CompteRenduContexte(TypedDict):
    ctg: Ctg
    projet: bool
    reunion: Reunion
