"""One compte rendu per meeting: attendance, agenda, points, decisions, follow-ups, validation."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from ..blocs import texte_libre
from ..consolidation import fiches_au
from ..context import common, de_organe, objet_reunion, organe
from ..context import instance as nom_instance
from ..contextes import CompteRenduContexte, Personne, Point, Presence
from ..designation import ARTICLES_MAJUSCULES, nom_sans_article
from ..etat import annexee_le, fiche_annexee
from ..formatting import (
    NBSP,
    a_lieu,
    accord,
    date_avec_jour,
    date_courte,
    date_longue,
    guillemets,
    heure,
    liste,
    majuscule,
    minuscule,
    ponctuer,
)
from ..membres import Rattachement, meme_personne, rattachement, reference
from ..perimetre import perimetre_au
from ..schema import INSTANCES, PRESENCES
from .base import Document, DocumentKind, safe_name, sujet

_CIVILITES = {"Madame": f"Mme{NBSP}", "Monsieur": f"M.{NBSP}"}
# Attendance groups, members first: (guest, presence) → label, masculine and feminine.
# Guests are present unless a commune not yet signatory was marked excused or absent
# (rules/reunions.py warns): it stays excused or absent, among the guests.
_GROUPES: dict[tuple[bool, str], tuple[str, str]] = {
    **{(False, p): PRESENCES[p] for p in ("present", "represente", "excuse", "absent")},
    (True, "present"): PRESENCES["invite"],
    (True, "excuse"): ("Invité excusé", "Invitée excusée"),
    (True, "absent"): ("Invité absent", "Invitée absente"),
}


def titre_groupe(forms: tuple[str, str], feminin: bool, count: int) -> str:
    """ "Excusée (1)", "Présents (3)", "Invitées excusées (2)": every word agrees."""
    words = accord(feminin, *forms).split()
    if count > 1:
        words = [f"{word}s" for word in words]
    return f"{' '.join(words)} ({count})"


def _feminine(participant: dict[str, Any]) -> bool:
    # Without a civilité the masculine generic applies, as French usage does.
    return bool(participant.get("civilite") == "Madame")


def _structure(participant: dict[str, Any], found: Rattachement | None) -> str:
    """As written, or the name of the party or commune the participant represents, or « — »."""
    return str(participant.get("structure") or (found.nom if found else "—"))


def _personne(participant: dict[str, Any]) -> Personne:
    nom = _CIVILITES.get(participant.get("civilite", ""), "") + participant["nom"]
    if participant["presence"] == "represente":
        represente = accord(_feminine(participant), "représenté", "représentée")
        nom += f", {represente} par {participant['represente_par']}"
    return {
        "nom": nom,
        "qualite": participant.get("qualite") or "—",
        "structure": participant["structure"],
    }


def _cles(partie: dict[str, Any]) -> set[str]:
    """How participants may name a party: its id, and a commune's INSEE code."""
    return {partie["id"], *([partie["insee"]] if partie.get("insee") else [])}


def _par_partie(doc: dict[str, Any]) -> Iterator[tuple[set[str], dict[str, Any]]]:
    """Every representative the convention and its avenants name, with the keys (id, INSEE)
    of the party they represent."""
    for partie in doc.get("parties", []):
        for representant in partie.get("representants", []):
            yield _cles(partie), representant
    for avenant in doc.get("avenants", []):
        for added in avenant.get("communes_ajoutees", []):
            for representant in added.get("representants", []):
                yield {added["insee"]}, representant
        for change in avenant.get("signataires", []):
            for representant in change.get("representants", []):
                yield {change["partie"]}, representant


def representants(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Every representative the convention and its avenants name."""
    return [representant for _, representant in _par_partie(doc)]


def civilite(people: list[dict[str, Any]], participant: dict[str, Any]) -> str | None:
    """The civilité the convention gives a participant typed without one (not a homonym's)."""
    return next((p.get("civilite") for p in people if meme_personne(participant, p)), None)


def representants_de(doc: dict[str, Any], ref: str) -> list[dict[str, Any]]:
    """The representatives the convention and its avenants name for one party (id or INSEE)."""
    ids = {ref}
    for partie in doc.get("parties", []):
        if ref in (partie.get("id"), partie.get("insee")):
            ids |= _cles(partie)
    return [representant for keys, representant in _par_partie(doc) if keys & ids]


def qualite(doc: dict[str, Any], participant: dict[str, Any], ref: str | None) -> str | None:
    """The function the convention gives a participant typed without one, if only one fits.

    Only among the representatives of the party the participant attends for: a namesake
    elsewhere is not them.
    """
    if ref is None:
        return None
    known = {r["qualite"] for r in representants_de(doc, ref) if meme_personne(participant, r)}
    return known.pop() if len(known) == 1 else None


def presences(doc: dict[str, Any], reunion: dict[str, Any]) -> list[Presence]:
    """Attendance grouped as the minutes list it; empty groups are left out.

    A participant without `civilite` who is one of the convention's representatives takes
    the civilité the convention gives them: « Excusée » agrees with Madame Roussel; without
    `qualite`, the function it gives them; a cell nothing fills says « — », never a blank.
    """
    groups: dict[tuple[bool, str], list[dict[str, Any]]] = {key: [] for key in _GROUPES}
    people = representants(doc)
    for typed in reunion["participants"]:
        participant = dict(typed)
        if "civilite" not in participant and (known := civilite(people, participant)):
            participant["civilite"] = known
        presence = participant["presence"]
        ref, _ = reference(doc, participant)
        if not participant.get("qualite") and (function := qualite(doc, participant, ref)):
            participant["qualite"] = function
        found = rattachement(doc, ref) if ref else None
        member = found is None or found.membre_le(reunion["date"])
        if presence == "invite" or not member:
            presence = "present" if presence in ("invite", "represente") else presence
            key = (True, presence)
        else:
            key = (False, presence)
        groups[key].append({**participant, "structure": _structure(participant, found)})
    return [
        {
            "titre": titre_groupe(forms, all(map(_feminine, people)), len(people)),
            "personnes": [_personne(p) for p in people],
        }
        for key, forms in _GROUPES.items()
        if (people := groups[key])
    ]


def _prochaine(doc: dict[str, Any], reunion: dict[str, Any]) -> str:
    """ "mardi 11 février 2020 à 9 h 30, Mairie de Rai", "mardi 16 mai 2023 à 14 h à
    Chiconi", or ""."""
    prochaine = reunion.get("prochaine_reunion")
    if not prochaine:
        return ""
    text = date_avec_jour(prochaine["date"])
    if prochaine.get("heure"):
        text += f" à {heure(prochaine['heure'])}"
    if prochaine.get("lieu"):
        # The template ends the sentence: a place typed with its full stop keeps one.
        lieu = prochaine["lieu"].rstrip().removesuffix(".")
        # A commune's bare name is where the committee meets: « à 14 h, Chiconi. » read as
        # a fragment; « à 14 h à Chiconi », « au Gosier », as a Caf's minutes write it.
        communes = {c.nom for c in (perimetre_au(doc, None) or {}).values()}
        text += f" {a_lieu(lieu)}" if lieu in communes else f", {lieu}"
    return text


def _fiches(
    doc: dict[str, Any], codes: list[str], day: dt.date, fiches: dict[str, dict[str, Any]]
) -> tuple[str, str]:
    """The label and list of the fiches a point cites; before signature, fiches of a projet.

    `fiches`: each fiche as it stood on the day of the meeting (`_fiches_du_jour`).
    """
    if not codes:
        return "", ""
    label = "Fiches actions concernées" if len(codes) > 1 else "Fiche action concernée"
    signature = doc["convention"].get("signature")
    if signature is None or day < signature["date"]:
        label += " (projet de convention)"

    def cited(code: str) -> str:
        fiche = fiches[code]
        # Adopted later (by a committee or an avenant): here, a fiche still in the making.
        draft = not fiche_annexee(fiche) and day < annexee_le(doc, fiche)
        return f"{code} {guillemets(fiche['intitule'])}{' (projet de fiche)' if draft else ''}"

    return f"{label} : ", liste([cited(code) for code in codes])


# Who validates, named without its article (« Comité de pilotage », « COPIL », « Présidente
# du comité »): a body is a common noun, lowercased in running text, with the article it
# takes (« Conseil », « Bureau » keep their capital); a function keeps its capital and takes
# the article of its gender; members (« Membres », « Élus », « Représentants » of a body)
# are plural; a procedure takes none.
_ORGANES = re.compile(
    r"^(?:comité|groupe|collège|atelier|commission|cellule|instance|assemblée|conférence|"
    r"réunion|(?P<sigle>copil|cotech|cotec)|"
    r"(?P<propre>conseil|bureau)|"
    r"(?P<fonction_m>président|vice-président|directeur|coordinateur|délégué|chef)|"
    r"(?P<fonction_f>présidente|vice-présidente|directrice|coordinatrice|déléguée|cheffe)|"
    r"(?P<membres>membres|élus|représentants|participants|signataires|partenaires)|"
    r"(?P<procedure>consultation|voie))\b",
    re.IGNORECASE,
)


def _par(par: str) -> str:
    """ "le comité de pilotage" for « Comité de pilotage », "le COPIL", "la Présidente du
    comité" for « Présidente du comité » or « La Présidente du comité », "les membres du
    comité", "consultation écrite des membres"; anything else as typed."""
    for article in ARTICLES_MAJUSCULES:
        # An article begins a sentence, not a complement; « Le Mans Métropole » keeps its own.
        if par.startswith(article) and not nom_sans_article(par):
            return article.lower() + par[len(article) :]
    match = _ORGANES.match(par)
    if match is None:
        return par
    if match["membres"]:
        return f"les {minuscule(par)}"
    if match["procedure"]:
        return minuscule(par)
    if match["fonction_m"] or match["fonction_f"]:
        return ("la " if match["fonction_f"] else "le ") + par
    if match["sigle"]:  # « CoTech » as typed
        return f"le {par}"
    # « Conseil », « Bureau » keep their capital; any other body is a common noun.
    return f"le {par}" if match["propre"] else organe(par)


def qui_valide(reunion: dict[str, Any]) -> str:
    """The body whose next meeting validates the minutes.

    A convention has one comité de pilotage and one comité technique, whatever one of their
    meetings is called (« Comité de pilotage de mi-parcours » does not meet again); a
    working group is a body of its own name (« Groupe de travail parentalité »).
    """
    if reunion["instance"] == "groupe_de_travail":
        return nom_instance(reunion)
    return INSTANCES[reunion["instance"]]


def _validation(reunion: dict[str, Any], instance: str) -> str:
    """ "Compte rendu validé le … par …." or, for a draft, who is to validate it."""
    validation = reunion.get("validation")
    if validation:
        par = _par(validation["par"])
        return f"Compte rendu validé le {date_longue(validation['date'])} par {par}" + (
            "" if par.endswith(".") else "."
        )
    # "du comité de pilotage": an instance's name is a common noun in running text.
    when = " lors de sa prochaine réunion" if reunion.get("prochaine_reunion") else ""
    return f"Projet de compte rendu, soumis à la validation {de_organe(instance)}{when}."


def _fiches_du_jour(doc: dict[str, Any], day: dt.date) -> dict[str, dict[str, Any]]:
    """Each fiche by code as it stood on `day`: renamed by an avenant in force then, the
    committee knew it by its new title; added by a later one, as the file gives it."""
    return {**{f["code"]: f for f in doc.get("fiches_actions", [])}, **fiches_au(doc, day)}


def context(doc: dict[str, Any], reunion: dict[str, Any]) -> CompteRenduContexte:
    instance = nom_instance(reunion)
    points: list[Point] = []
    cites = any(p.get("fiches_actions") for p in reunion.get("points", []))
    du_jour = _fiches_du_jour(doc, reunion["date"]) if cites else {}
    for i, point in enumerate(reunion.get("points", []), 1):
        label, fiches = _fiches(doc, point.get("fiches_actions", []), reunion["date"], du_jour)
        points.append(
            {
                "numero": i,
                "titre": point["titre"],
                "synthese": texte_libre(point.get("synthese")),
                "fiches_titre": label,
                "fiches": fiches,
            }
        )
    pieces = reunion.get("pieces_jointes", [])
    return {
        "ctg": common(doc),
        "projet": not reunion.get("validation"),
        "reunion": {
            "instance": instance,
            "titre": f"{instance} du {date_longue(reunion['date'])}",
            "objet": objet_reunion(reunion),
            "date_majuscule": majuscule(date_avec_jour(reunion["date"])),
            "horaires_majuscule": f"De {heure(reunion['heure_debut'])} "
            f"à {heure(reunion['heure_fin'])}",
            "lieu": reunion["lieu"],
            "presidence": reunion["presidence"],
            "redacteur": reunion["redacteur"],
            "presences": presences(doc, reunion),
            "ordre_du_jour": [
                {"numero": i, "texte": item} for i, item in enumerate(reunion["ordre_du_jour"], 1)
            ],
            "points": points,
            "decisions": [
                {"numero": i, "texte": d} for i, d in enumerate(reunion.get("decisions", []), 1)
            ],
            "suites": [
                {
                    "action": s["action"],
                    "responsable": s["responsable"],
                    "echeance": date_courte(s["echeance"]),
                }
                for s in reunion.get("suites", [])
            ],
            "prochaine": majuscule(_prochaine(doc, reunion)),
            "validation_titre": "Validation et diffusion"
            if reunion.get("diffusion")
            else "Validation",
            "validation": _validation(reunion, qui_valide(reunion)),
            "diffusion": ponctuer(reunion.get("diffusion", [])),
            "pieces_jointes": ponctuer(pieces),
            "pieces_titre": "Pièces jointes :" if len(pieces) > 1 else "Pièce jointe :",
        },
    }


def documents(doc: dict[str, Any]) -> list[Document]:
    result = []
    for reunion in doc.get("reunions", []):
        ctx = context(doc, reunion)
        name = f"{reunion['date'].isoformat()}-{safe_name(reunion['instance'])}.docx"
        result.append(
            KIND.document(
                name,
                context=ctx,
                title=f"Compte rendu – {ctx['reunion']['titre']}",
                subject=sujet(doc),
                date=reunion["date"],
            )
        )
    return result


KIND = DocumentKind(
    "comptes-rendus",
    "compte-rendu.docx",
    "comptes-rendus",
    "<date>-<instance>.docx",
    documents,
    CompteRenduContexte,
)
