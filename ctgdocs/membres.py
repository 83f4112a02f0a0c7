"""Whom a meeting participant's `partie` designates, and whether it is a member on a given day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .designation import nom_partie
from .formatting import normaliser_nom
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


def meme_personne(participant: dict[str, Any], representant: dict[str, Any]) -> bool:
    """Whether a participant is that representative: the same name, and no other function.

    Homonyms exist (a maire and a Caf's chargée de mission may share a name): a
    participant whose qualité is another function than the representative's is not them.
    Functions are compared on their stem, so « Présidente » is « Président ».
    """
    if f"{representant.get('prenom')} {representant.get('nom')}" != _text(participant.get("nom")):
        return False
    qualite, autre = _text(participant.get("qualite")), _text(representant.get("qualite"))
    return not qualite or not autre or normaliser_nom(qualite)[:5] == normaliser_nom(autre)[:5]


# Words by which a participant's `structure` says they come from a commune.
_MOTS_COMMUNE = ("commune", "mairie", "ville", "municipal")


def _pour_la_commune(participant: dict[str, Any], insee: str) -> bool:
    """Whether the participant's `structure`, if any, can be that commune."""
    structure = normaliser_nom(_text(participant.get("structure")) or "")
    official = commune(insee)
    return (
        not structure
        or any(word in structure for word in _MOTS_COMMUNE)
        or (official is not None and normaliser_nom(official.nom) in structure)
    )


def par_nom(doc: dict[str, Any], participant: dict[str, Any]) -> str | None:
    """The INSEE code of the commune whose representative at its avenant is `participant`.

    A participant listed without `partie` who will sign for a commune joining by
    avenant is that commune's representative: before it joins, a guest. Their
    function and structure, where given, must fit: a homonym from another body is not.
    """
    for avenant in _mappings(doc.get("avenants")):
        for added in _mappings(avenant.get("communes_ajoutees")):
            insee = _text(added.get("insee"))
            if insee is None or not _pour_la_commune(participant, insee):
                continue
            if any(meme_personne(participant, r) for r in _mappings(added.get("representants"))):
                return insee
    return None


def reference(doc: dict[str, Any], participant: dict[str, Any]) -> tuple[str | None, bool]:
    """Whom a participant represents: its `partie`, or else inferred from its name."""
    declared = _text(participant.get("partie"))
    if declared is not None:
        return declared, False
    inferred = par_nom(doc, participant) if _text(participant.get("nom")) else None
    return inferred, inferred is not None


def identifiants(doc: dict[str, Any]) -> list[str]:
    """The ids of the convention's parties, for messages."""
    return [code for p in _mappings(doc.get("parties")) if (code := _text(p.get("id")))]
