"""One compte rendu per meeting: attendance, agenda, points, decisions, follow-ups."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from ..context import common, texte
from ..formatting import date_avec_jour, date_courte, date_longue, heure, liste, majuscule
from ..schema import INSTANCES
from .base import Document, safe_name, sujet

_PRESENCES = (
    ("present", "Présents", "Aucun présent."),
    ("excuse", "Excusés", "Aucun excusé."),
    ("absent", "Absents", "Aucun absent."),
)


def _presences(reunion: dict[str, Any]) -> list[dict[str, Any]]:
    """Attendance grouped as présents, excusés, absents, each with its count."""
    groups = []
    for presence, label, none in _PRESENCES:
        people = [
            {"nom": p["nom"], "qualite": p.get("qualite", ""), "structure": p.get("structure", "")}
            for p in reunion["participants"]
            if p["presence"] == presence
        ]
        groups.append({"titre": f"{label} ({len(people)})", "personnes": people, "aucun": none})
    return groups


def _prochaine(reunion: dict[str, Any]) -> str:
    """ "mardi 11 février 2020 à 9 h 30, Mairie de Rai", or ""."""
    prochaine = reunion.get("prochaine_reunion")
    if not prochaine:
        return ""
    text = date_avec_jour(prochaine["date"])
    if prochaine.get("heure"):
        text += f" à {heure(prochaine['heure'])}"
    if prochaine.get("lieu"):
        text += f", {prochaine['lieu']}"
    return text


def context(doc: dict[str, Any], reunion: dict[str, Any]) -> dict[str, Any]:
    fiches = {f["code"]: f["intitule"] for f in doc.get("fiches_actions", [])}
    instance = reunion.get("intitule") or INSTANCES[reunion["instance"]]
    return {
        "ctg": common(doc),
        "projet": False,
        "reunion": {
            "instance": instance,
            "titre": f"{instance} du {date_longue(reunion['date'])}",
            "date_majuscule": majuscule(date_avec_jour(reunion["date"])),
            "horaires_majuscule": f"De {heure(reunion['heure_debut'])} "
            f"à {heure(reunion['heure_fin'])}",
            "lieu": reunion["lieu"],
            "presidence": reunion["presidence"],
            "redacteur": reunion["redacteur"],
            "presences": _presences(reunion),
            "ordre_du_jour": [
                {"numero": i, "texte": item} for i, item in enumerate(reunion["ordre_du_jour"], 1)
            ],
            "points": [
                {
                    "numero": i,
                    "titre": point["titre"],
                    "synthese": texte(point.get("synthese")),
                    "fiches": liste(
                        [f"{code} « {fiches[code]} »" for code in point.get("fiches_actions", [])]
                    ),
                }
                for i, point in enumerate(reunion.get("points", []), 1)
            ],
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
            "prochaine": majuscule(_prochaine(reunion)),
        },
    }


def documents(doc: dict[str, Any]) -> list[Document]:
    result = []
    for reunion in doc.get("reunions", []):
        ctx = context(doc, reunion)
        name = f"{reunion['date'].isoformat()}-{safe_name(reunion['instance'])}.docx"
        result.append(
            Document(
                kind="comptes-rendus",
                template="compte-rendu.docx",
                output=PurePosixPath("comptes-rendus") / name,
                context=ctx,
                title=f"Compte rendu – {ctx['reunion']['titre']}",
                subject=sujet(doc),
                date=reunion["date"],
            )
        )
    return result
