"""Whom a meeting participant's `partie` designates, and whether it is a member on a given day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .designation import nom_partie
from .perimetre import perimetre_au
from .referentiel import commune


@dataclass(frozen=True)
class Rattachement:
    """A party of the convention, or a commune of the territory, that a participant represents.

    A party of the convention sits as a member from the start (even before the
    signature: it is then a future signatory). A commune that joins by an avenant
    is a member once that avenant is both signed and in effect; a commune that
    only lies in the perimeter never is: it attends as a guest.
    """

    nom: str  # "Caisse d'allocations familiales du Gard", "Commune de Fourques"
    initiale: bool  # a party of the convention itself
    insee: str | None = None
    avenant: int | None = None  # the avenant by which the commune becomes a signatory
    signataire_le: dt.date | None = None  # None: that avenant is not signed

    def membre_le(self, day: dt.date) -> bool:
        if self.initiale:
            return True
        return self.signataire_le is not None and self.signataire_le <= day

    @property
    def commune(self) -> str:
        """ "la commune de Fourques (30117)", for messages."""
        official = commune(self.insee) if self.insee else None
        name = f"la commune {official.de_nom}" if official else "la commune"
        return f"{name} ({self.insee})"


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _mappings(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _joining(avenant: dict[str, Any], insee: str, added: dict[str, Any]) -> Rattachement:
    """A commune that an avenant makes a signatory."""
    effet, signature = avenant.get("date_effet"), avenant.get("signature")
    signe = signature.get("date") if isinstance(signature, dict) else None
    # Bound once it has signed and the avenant is in effect, whichever comes last.
    depuis = None
    if isinstance(effet, dt.date) and isinstance(signe, dt.date):
        depuis = max(effet, signe)
    numero = avenant.get("numero")
    return Rattachement(
        nom_partie({"insee": insee, "nom": added.get("nom")}),
        False,
        insee,
        numero if isinstance(numero, int) else None,
        depuis,
    )


def rattachement(doc: dict[str, Any], reference: str) -> Rattachement | None:
    """What `reference` (a party's id or an INSEE code) designates, or None if nothing."""
    for partie in _mappings(doc.get("parties")):
        if reference in (_text(partie.get("id")), _text(partie.get("insee"))):
            return Rattachement(nom_partie(partie), True, _text(partie.get("insee")))
    for avenant in _mappings(doc.get("avenants")):
        for added in _mappings(avenant.get("communes_ajoutees")):
            if _text(added.get("insee")) == reference:
                return _joining(avenant, reference, added)
    perimetre = perimetre_au(doc, None) or {}
    if reference in perimetre:
        return Rattachement(nom_partie({"insee": reference}), False, reference)
    return None


def par_nom(doc: dict[str, Any], nom: str) -> str | None:
    """The INSEE code of the commune whose representative at its avenant is `nom`.

    A participant listed without `partie` who will sign for a commune joining by
    avenant is that commune's representative: before it joins, a guest.
    """
    for avenant in _mappings(doc.get("avenants")):
        for added in _mappings(avenant.get("communes_ajoutees")):
            for rep in _mappings(added.get("representants")):
                if f"{rep.get('prenom')} {rep.get('nom')}" == nom and _text(added.get("insee")):
                    return str(added["insee"])
    return None


def reference(doc: dict[str, Any], participant: dict[str, Any]) -> tuple[str | None, bool]:
    """Whom a participant represents: its `partie`, or else inferred from its name."""
    declared = _text(participant.get("partie"))
    if declared is not None:
        return declared, False
    nom = _text(participant.get("nom"))
    inferred = par_nom(doc, nom) if nom else None
    return inferred, inferred is not None


def identifiants(doc: dict[str, Any]) -> list[str]:
    """The ids of the convention's parties, for messages."""
    return [code for p in _mappings(doc.get("parties")) if (code := _text(p.get("id")))]
