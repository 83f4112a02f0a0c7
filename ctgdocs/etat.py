"""The convention as it stands: at its signature, or once avenants 1 to n apply."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .perimetre import CommunePerimetre, communes_initiales, perimetre_apres


@dataclass(frozen=True)
class Modification:
    """A change to the default articles: the convention's own, or an avenant's disposition."""

    avenant: int | None  # None: written in the convention itself
    titre: str | None
    texte: str | None
    cle: str = ""  # the key of an article it inserts, for later avenants to refer to
    remplace: str | None = None
    apres: str | None = None
    supprime: str | None = None


@dataclass
class Etat:
    """What the convention says at one point of its life (`avenant` None: as signed)."""

    avenant: int | None
    parties: list[dict[str, Any]]
    debut: dt.date
    fin_initiale: dt.date
    fin: dt.date
    fiches: list[dict[str, Any]]
    perimetre: list[CommunePerimetre]
    # True when a party of the convention as signed has no seat address: the convention
    # then carries « Élection de domicile » (kept by consolidations, to keep the numbers).
    domicile: bool = False
    # (avenant number, new end) for each prolongation in force.
    prolongations: list[tuple[int, dt.date]] = field(default_factory=list)
    modifications: list[Modification] = field(default_factory=list)


def cle_ajout(item: dict[str, Any], avenant: int | None, index: int) -> str:
    """The key of an article a modification inserts: its own `cle`, or one made up."""
    return str(item.get("cle") or f"ajout-{avenant or 0}-{index}")


def _modifications(items: list[dict[str, Any]] | None, avenant: int | None) -> list[Modification]:
    return [
        Modification(
            avenant=avenant,
            titre=item.get("titre"),
            texte=item.get("texte"),
            cle=cle_ajout(item, avenant, index),
            remplace=item.get("remplace"),
            apres=item.get("apres"),
            supprime=item.get("supprime"),
        )
        for index, item in enumerate(items or [], 1)
    ]


def fiche_annexee(fiche: dict[str, Any]) -> bool:
    """True for a fiche annexed to the convention as signed (adopted with it)."""
    return not fiche.get("adoption")


def fiches_ordonnees(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The fiches as numbered in annex: those signed with the convention, then later ones.

    A fiche adopted after the signature never renumbers the annexes already signed.
    """
    fiches = doc.get("fiches_actions", [])
    return [f for f in fiches if fiche_annexee(f)] + [f for f in fiches if not fiche_annexee(f)]


def etat_initial(doc: dict[str, Any]) -> Etat:
    """The convention as signed (or, for a projet, as it will be signed)."""
    convention = doc["convention"]
    periode = convention["periode"]
    return Etat(
        avenant=None,
        parties=[dict(p) for p in doc["parties"]],
        debut=periode["debut"],
        fin_initiale=periode["fin"],
        fin=periode["fin"],
        fiches=[f for f in doc.get("fiches_actions", []) if fiche_annexee(f)],
        perimetre=communes_initiales(doc) or [],
        modifications=_modifications(convention.get("articles"), None),
        domicile=any(not p.get("adresse") for p in doc["parties"]),
    )


def partie_commune(commune: dict[str, Any]) -> dict[str, Any]:
    """A commune joining by avenant, as a party: its INSEE code is its id."""
    return {"type": "commune", "id": commune["insee"], **commune}


def _adoptee_avant(fiche: dict[str, Any], numero: int) -> bool:
    adoption = fiche.get("adoption") or {}
    if "avenant" in adoption:
        return bool(adoption["avenant"] <= numero)
    return True  # adopted by a committee: in force in every later consolidation


def etat_apres(doc: dict[str, Any], numero: int) -> Etat:
    """The convention once avenants 1 to `numero` apply (representatives as they sign)."""
    etat = etat_initial(doc)
    etat.avenant = numero
    by_id = {p["id"]: p for p in etat.parties}
    for avenant in doc.get("avenants", [])[:numero]:
        for commune in avenant.get("communes_ajoutees", []):
            party = partie_commune(commune)
            etat.parties.append(party)
            by_id[party["id"]] = party
        for change in avenant.get("signataires", []):
            if change["partie"] in by_id:
                by_id[change["partie"]]["representants"] = change["representants"]
        if avenant.get("nouvelle_fin"):
            etat.fin = avenant["nouvelle_fin"]
            etat.prolongations.append((avenant["numero"], avenant["nouvelle_fin"]))
        etat.modifications += _modifications(avenant.get("dispositions"), avenant["numero"])
    etat.fiches = [
        f for f in fiches_ordonnees(doc) if fiche_annexee(f) or _adoptee_avant(f, numero)
    ]
    etat.perimetre = perimetre_apres(doc, numero)
    return etat
