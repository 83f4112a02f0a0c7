"""One fiche action per document: axe, objectives, communes, pilot, budget, indicators."""

from __future__ import annotations

from typing import Any

from ..context import champs, common, nom_pilote, periode, somme, texte
from ..formatting import liste, majuscule, montant
from ..perimetre import perimetre_au
from ..schema import STATUTS
from .base import Document, DocumentKind, date_convention, safe_name, sujet


def communes_concernees(doc: dict[str, Any], fiche: dict[str, Any]) -> str:
    """ "toutes les communes du territoire (32 communes)" or "L'Aigle (61214) et Rai (61342)"."""
    perimetre = perimetre_au(doc, fiche["calendrier"]["debut"]) or {}
    choice = fiche.get("communes", "toutes")
    if choice == "toutes":
        return f"toutes les communes du territoire ({len(perimetre)} communes)"
    return liste([f"{perimetre[code].nom} ({code})" for code in choice])


def equilibre(fiche: dict[str, Any]) -> str:
    """The balance of the funding plan, stated in words."""
    if not fiche.get("budget") and not fiche.get("financements"):
        return ""
    cost, funded = somme(fiche.get("budget")), somme(fiche.get("financements"))
    if cost == funded:
        return "Le plan de financement est équilibré."
    if funded < cost:
        return f"Les financements ne couvrent pas le budget : il manque {montant(cost - funded)}."
    return f"Les financements excèdent le budget de {montant(funded - cost)}."


def context(doc: dict[str, Any], fiche: dict[str, Any]) -> dict[str, Any]:
    axe = next(a for a in doc["axes"] if a["code"] == fiche["axe"])
    calendrier = fiche["calendrier"]
    return {
        "ctg": common(doc),
        "projet": doc["convention"].get("signature") is None,
        "fiche": {
            "code": fiche["code"],
            "intitule": fiche["intitule"],
            "axe": f"{axe['code']} – {axe['intitule']}",
            "champs": champs(fiche.get("champs")),
            "statut": STATUTS[fiche["statut"]],
            "constat": texte(fiche.get("constat")),
            "objectifs": fiche["objectifs"],
            "description": texte(fiche.get("description")),
            "public": fiche.get("public", []),
            "communes_majuscule": majuscule(communes_concernees(doc, fiche)),
            "pilote": nom_pilote(doc, fiche["pilote"]["partie"]),
            "referent": fiche["pilote"].get("referent", ""),
            "partenaires": fiche.get("partenaires", []),
            "calendrier_majuscule": majuscule(periode(calendrier["debut"], calendrier["fin"])),
            "budget": [
                {"poste": line["poste"], "montant": montant(line["montant"])}
                for line in fiche.get("budget", [])
            ],
            "budget_total": montant(somme(fiche.get("budget"))),
            "financements": [
                {
                    "financeur": line["financeur"],
                    "dispositif": line.get("dispositif", ""),
                    "montant": montant(line["montant"]),
                }
                for line in fiche.get("financements", [])
            ],
            "financements_total": montant(somme(fiche.get("financements"))),
            "equilibre": equilibre(fiche),
            "indicateurs": [
                {
                    "libelle": i["libelle"],
                    "cible": i.get("cible", "—"),
                    "source": i.get("source", "—"),
                }
                for i in fiche.get("indicateurs", [])
            ],
        },
    }


def documents(doc: dict[str, Any]) -> list[Document]:
    return [
        KIND.document(
            f"{safe_name(fiche['code'])}.docx",
            context=context(doc, fiche),
            title=f"Fiche action {fiche['code']} – {fiche['intitule']}",
            subject=sujet(doc),
            date=date_convention(doc),
        )
        for fiche in doc.get("fiches_actions", [])
    ]


KIND = DocumentKind("fiches", "fiche-action.docx", "fiches-actions", "<code>.docx", documents)
