"""Validated convention data → the context every document shares (all values computed here)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from decimal import Decimal
from typing import Any

from .contextes import Ctg, LignePerimetre, Signataire, Signature
from .designation import (
    INSTANCES_FEMININES,
    avec_departement,
    de_instance,
    de_partie,
    nom_court_et_genre,
)
from .etat import partie_commune
from .formatting import (
    a_lieu,
    cle_de_tri,
    commence_par_voyelle,
    date_longue,
    duree_en_lettres,
    en_lettres,
    guillemets,
    liste,
    majuscule,
    minuscule,
    sans_accents,
)
from .memo import per_convention
from .perimetre import CommunePerimetre
from .schema import CHAMPS, INSTANCES


def periode(debut: dt.date, fin: dt.date) -> str:
    """ "du 1er janvier 2018 au 31 décembre 2021"."""
    return f"du {date_longue(debut)} au {date_longue(fin)}"


def champs(codes: list[str] | None) -> str:
    """ "petite enfance, jeunesse et parentalité", for label lines.

    Semicolons when a champ itself contains "et" ("accès aux droits ; logement et cadre de
    vie"): "A, B et logement et cadre de vie" would not say where one champ ends.
    """
    names = [CHAMPS[c] for c in codes or []]
    return " ; ".join(names) if any(" et " in name for name in names) else liste(names)


def instance(reunion: dict[str, Any]) -> str:
    """ "Comité de pilotage", "Groupe de travail parentalité": the body that met.

    An `intitule` that names the body (its name anywhere in it, or its acronym first:
    « Comité de pilotage extraordinaire », « COPIL de mi-parcours ») names it more precisely;
    any other (« Bilan annuel ») is the meeting's object (`objet_reunion`).
    """
    intitule = reunion.get("intitule")
    if intitule and _nomme_instance(intitule, reunion["instance"]):
        return majuscule(str(intitule))
    return INSTANCES[reunion["instance"]]


def objet_reunion(reunion: dict[str, Any]) -> str | None:
    """ "Bilan annuel": an `intitule` that does not name the body that met."""
    intitule = reunion.get("intitule")
    if intitule and not _nomme_instance(intitule, reunion["instance"]):
        return str(intitule)
    return None


# The first words by which an intitulé names its body, beside the body's name anywhere in
# it (« Premier comité de pilotage »): its acronyms, and the names of working groups.
_NOMS_D_INSTANCE = {
    "comite_pilotage": ("copil",),
    "comite_technique": ("cotech", "cotec"),
    "groupe_de_travail": ("groupe", "commission", "atelier", "cellule"),
}


def _nomme_instance(intitule: str, instance: str) -> bool:
    """Whether an intitulé names the body that met rather than what the meeting is about."""
    words = sans_accents(intitule).lower().split()
    generique = sans_accents(INSTANCES[instance]).lower()
    return f" {generique} " in f" {' '.join(words)} " or (
        bool(words) and words[0] in _NOMS_D_INSTANCE.get(instance, ())
    )


def organe(nom: str) -> str:
    """ "le comité de pilotage", "la commission enfance-jeunesse", "l'atelier parentalité",
    "le COPIL de mi-parcours": a body's name in running text, with the article it takes."""
    text = minuscule(nom)
    if commence_par_voyelle(text):
        return f"l'{text}"
    feminin = text.split(" ", 1)[0].lower() in INSTANCES_FEMININES
    return ("la " if feminin else "le ") + text


def de_organe(nom: str) -> str:
    """ "du comité de pilotage", "de la commission …", "de l'atelier …"."""
    return de_instance(minuscule(nom))


def reunion_nommee(reunion: dict[str, Any]) -> str:
    """ "le comité de pilotage du 19 février 2019", "la commission enfance du 5 mars 2024"."""
    return f"{organe(instance(reunion))} du {date_longue(reunion['date'])}"


def provenance(doc: dict[str, Any], fiche: dict[str, Any]) -> str:
    """How a fiche came after the signature: "ajoutée par l'avenant n° 1", "adoptée par le
    comité de pilotage du 20 mars 2025"; "" for a fiche signed with the convention."""
    adoption = fiche.get("adoption") or {}
    if adoption.get("avenant"):
        return f"ajoutée par l'avenant n° {adoption['avenant']}"
    reunions = {r["id"]: r for r in doc.get("reunions", [])}
    if adoption.get("reunion") in reunions:
        return f"adoptée par {reunion_nommee(reunions[adoption['reunion']])}"
    return ""


def fait_a(signature: dict[str, Any] | None, exemplaires: int) -> str:
    """ "Fait à L'Aigle, le 28 juin 2018, en trois exemplaires originaux.", or blanks to fill."""
    copies = f"en {en_lettres(exemplaires)} " + (
        "exemplaires originaux" if exemplaires > 1 else "exemplaire original"
    )
    if signature is None:
        blank = "\u2026" * 12
        return f"Fait à {blank}, le {blank}, {copies}."
    return f"Fait {a_lieu(signature['lieu'])}, le {date_longue(signature['date'])}, {copies}."


def cotes(signataires: list[Signataire]) -> tuple[list[Signataire], list[Signataire]]:
    """The two sides of the parties block, each in the file's order: every Caf « d'une
    part », the other parties « d'autre part ».

    The Caisses d'allocations familiales of an EPCI over several départements sign together
    on one side; the collectivities and the other partners on the other.
    """
    cafs = [s for s in signataires if s["type"] == "caf"]
    # Validation requires a Caf; without one, the first party opens the block.
    une_part = cafs or signataires[:1]
    return une_part, [s for s in signataires if not any(s is u for u in une_part)]


def signatures(signataires: list[Signataire]) -> list[Signature]:
    """One signature block per representative, in the parties' order, two per row: a party
    signed by two (a Président and a Directrice) keeps its two blocks on one row, a blank
    cell before them where they would have been split."""
    blocks: list[Signature] = []
    for signataire in signataires:
        own = signataire["signatures"]
        if len(own) == 2 and len(blocks) % 2:
            blocks.append({"pour": "", "titre": "", "nom": ""})
        blocks += own
    return blocks


def depuis(avenant: int | None, current: int | None = None) -> str:
    """When a commune entered: "la convention initiale", "l'avenant n° 1", "le présent avenant"."""
    if avenant is None:
        return "la convention initiale"
    return "le présent avenant" if avenant == current else f"l'avenant n° {avenant}"


def communes_table(
    communes: list[CommunePerimetre], current: int | None = None
) -> list[LignePerimetre]:
    """Rows of a perimeter table, in French alphabetical order, with when each commune entered.

    Two communes of one name (Saint-Pierre-d'Entremont, in Isère and in Savoie) each say
    their département.
    """
    names = Counter(c.nom for c in communes)

    def nom(c: CommunePerimetre) -> str:
        return avec_departement(c.nom, c.insee) if names[c.nom] > 1 else c.nom

    return [
        {"nom": nom(c), "insee": c.insee, "depuis": depuis(c.avenant, current)}
        for c in sorted(communes, key=lambda c: (cle_de_tri(c.nom), c.insee))
    ]


@per_convention  # every fiche of a convention asks it
def _noms_courts(doc: dict[str, Any]) -> dict[str, str]:
    """The short name of every party by its id (a commune an avenant brings in by its INSEE
    code: it pilots the fiches adopted after)."""
    epci_type = doc["territoire"]["epci"]["type"]
    joined = [
        partie_commune(c) for a in doc.get("avenants", []) for c in a.get("communes_ajoutees", [])
    ]
    return {p["id"]: nom_court_et_genre(p, epci_type)[0] for p in [*joined, *doc["parties"]]}


def nom_pilote(doc: dict[str, Any], pilote: dict[str, Any], capitale: bool = True) -> str:
    """Who pilots a fiche, capitalised (unless not `capitale`): a party's short name ("La
    Communauté de communes"), or the structure as written, then its co-pilots ("La Caf et la
    Communauté de communes")."""
    noms = _noms_courts(doc)
    first = pilote.get("structure") or noms[pilote["partie"]]
    names = liste([first, *(noms[c] for c in pilote.get("copilotes") or [])])
    return majuscule(names) if capitale else names


def libelle_pilote(pilote: dict[str, Any]) -> str:
    """ "Pilote", or "Copilotes" before the parties that pilot an action together."""
    return "Copilotes" if pilote.get("copilotes") else "Pilote"


def somme(lines: list[dict[str, Any]] | None) -> Decimal:
    """The exact total of budget or funding lines."""
    return sum((line["montant"] for line in lines or []), Decimal(0))


# Characters the running header's line holds at 8 points across the text width: about 120
# of a title in Arial (measured on 55 titles of generated conventions), less 8 % for wide
# letters.
ENTETE_MAX = 110


def _sigle_epci(match: re.Match[str]) -> str:
    """ "CC", "CA", "CU" for « Communauté de communes », « … d'agglomération », « … urbaine »."""
    kind = match[0].removeprefix("Communauté ")
    return {"de communes": "CC", "urbaine": "CU"}.get(kind, "CA")


# What a title too long for the header gives up first: its generic words, never the
# territory's name that ends it.
_ABREGES = (
    (re.compile(r"^Convention territoriale globale\b", re.IGNORECASE), "CTG"),
    (re.compile(r" de services aux familles\b", re.IGNORECASE), ""),
    # A name's spelled-out acronym: « CIVIS (Communauté Intercommunale des Villes
    # Solidaires) » says it twice, and was cut inside its brackets.
    (re.compile(r" \([^()]*\)$"), ""),
    # Then the EPCI's kind, by the initials Cafs and prefectures write (« la CA Beaune, Côte
    # et Sud - Communauté Beaune-Chagny-Nolay »): the cut fell inside the territory's name.
    (re.compile(r"\bCommunauté (?:de communes|d['’]agglomération|urbaine)\b"), _sigle_epci),
)


def entete(reference: str, intitule: str) -> str:
    """ "CTG-61-2018-01 – Convention territoriale globale …": the header stays on one line.

    A long title is shortened first by its generic words (« CTG de la Communauté urbaine
    du Grand Reims »), then by a closing parenthesis, then by the initials of the EPCI's kind
    (« CTG de la CU du Grand Reims »), and only then cut after a word and marked « … ».
    """
    line = f"{reference} – {intitule}"
    for pattern, short in _ABREGES:
        if len(line) <= ENTETE_MAX:
            return line
        intitule = pattern.sub(short, intitule, count=1)
        line = f"{reference} – {intitule}"
    if len(line) <= ENTETE_MAX:
        return line
    cut = line[: ENTETE_MAX - 1].rsplit(" ", 1)[0].rstrip(" ,;:–-")
    return f"{cut}…"


def de_epci(doc: dict[str, Any]) -> str:
    """ "de la Communauté de communes des Pays de L'Aigle": the EPCI as the parties name it.

    The signing EPCI's own name, so that the act names it one way throughout; the
    territory's name only when the EPCI does not sign.
    """
    names = [p["nom"] for p in doc["parties"] if p.get("type") == "epci" and p.get("nom")]
    nom = names[0] if len(names) == 1 else doc["territoire"]["epci"]["nom"]
    return de_partie(nom, feminin=True)


@per_convention
def common(doc: dict[str, Any]) -> Ctg:
    """What every document of a convention says about the convention itself."""
    convention = doc["convention"]
    debut, fin = convention["periode"]["debut"], convention["periode"]["fin"]
    intitule = convention["intitule"]
    if intitule.startswith("Convention "):
        a_la_convention = f"à la {intitule[:1].lower()}{intitule[1:]}"
    else:
        a_la_convention = f"à la convention {guillemets(intitule)}"
    # The title page states the title once: "Convention territoriale globale" then the rest.
    lead = "Convention territoriale globale"
    rest = intitule[len(lead) :].strip() if intitule.lower().startswith(lead.lower()) else ""
    return {
        "reference": convention["reference"],
        "intitule": intitule,
        "entete": entete(convention["reference"], intitule),
        "titre": intitule[: len(lead)] if rest else lead,
        "sous_titre": rest or intitule,
        "intitule_majuscule": majuscule(intitule),
        # "à la convention territoriale globale …", as avenants name it.
        "a_la_convention": a_la_convention,
        "periode": periode(debut, fin),
        "periode_majuscule": majuscule(periode(debut, fin)),
        "duree": duree_en_lettres(debut, fin),
        "de_epci": de_epci(doc),
    }
