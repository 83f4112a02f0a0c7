"""The convention to be signed: parties, visas, articles, annexes, signature blocks."""

from __future__ import annotations

from typing import Any

from ..context import (
    champs,
    champs_liste,
    common,
    communes_table,
    fait_a,
    nom_pilote,
    periode,
    signataires_initiaux,
    signatures,
    somme,
    texte,
)
from ..formatting import date_courte, liste, montant
from ..perimetre import communes_initiales
from .base import Document, DocumentKind, date_convention, sujet


def _introduction(diagnostic: dict[str, Any]) -> list[str]:
    """ "Le diagnostic partagé a été conduit du … au …." and "Réalisation : …"."""
    sentences = []
    span = diagnostic.get("periode")
    if span:
        sentences.append(
            f"Le diagnostic partagé a été conduit {periode(span['debut'], span['fin'])}."
        )
    if diagnostic.get("realise_par"):
        # Free text without its article ("Service enfance-jeunesse…"): a label reads right.
        sentences.append(f"Réalisation : {diagnostic['realise_par'].rstrip('.')}.")
    return sentences


def _diagnostic(diagnostic: dict[str, Any]) -> dict[str, Any]:
    return {
        "introduction": _introduction(diagnostic),
        "methodes": diagnostic.get("methodes", []),
        "chiffres_cles": diagnostic.get("chiffres_cles", []),
        "constats": diagnostic["constats"],
    }


def _axes(doc: dict[str, Any]) -> list[dict[str, Any]]:
    fiches = doc.get("fiches_actions", [])
    return [
        {
            "code": axe["code"],
            "intitule": axe["intitule"],
            "champs": champs(axe.get("champs")),
            "objectifs": axe["objectifs"],
            "fiches": liste([f["code"] for f in fiches if f["axe"] == axe["code"]]),
        }
        for axe in doc["axes"]
    ]


def _plan(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "axe": fiche["axe"],
            "code": fiche["code"],
            "intitule": fiche["intitule"],
            "pilote": nom_pilote(doc, fiche["pilote"]["partie"]),
            "calendrier": f"{date_courte(fiche['calendrier']['debut'])} – "
            f"{date_courte(fiche['calendrier']['fin'])}",
            "budget": montant(somme(fiche.get("budget"))) if fiche.get("budget") else "—",
        }
        for fiche in doc.get("fiches_actions", [])
    ]


def _comite(comite: dict[str, Any] | None) -> dict[str, Any] | None:
    if comite is None:
        return None
    return {"composition": comite["composition"], "frequence": comite["frequence"]}


def documents(doc: dict[str, Any]) -> list[Document]:
    convention = doc["convention"]
    parties = signataires_initiaux(doc)
    ctg = common(doc)
    signature = convention.get("signature")
    perimetre = communes_initiales(doc) or []
    fiches = doc.get("fiches_actions", [])
    context = {
        "ctg": ctg,
        "projet": signature is None,
        "parties": parties,
        "premiere_partie": parties[0],
        "autres_parties": parties[1:],
        "deliberations": [p["deliberation"] for p in parties if p["deliberation"]],
        "preambule": texte(convention["preambule"]),
        "champs": champs_liste(doc["champs"]),
        "diagnostic": _diagnostic(doc["diagnostic"]),
        "axes": _axes(doc),
        "gouvernance": {
            "copil": _comite(doc["gouvernance"]["comite_pilotage"]),
            "cotech": _comite(doc["gouvernance"].get("comite_technique")),
        },
        "perimetre": communes_table(perimetre),
        "nombre_communes": len(perimetre),
        "plan": _plan(doc),
        "plan_total": montant(somme([line for f in fiches for line in f.get("budget", [])])),
        "fait_a": fait_a(signature, convention.get("exemplaires") or len(parties)),
        "signatures": signatures(parties),
    }
    return [
        KIND.document(
            "convention.docx", context, convention["intitule"], sujet(doc), date_convention(doc)
        )
    ]


KIND = DocumentKind("convention", "convention.docx", "", "convention.docx", documents)
