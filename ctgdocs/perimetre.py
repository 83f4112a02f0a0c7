"""The perimeter of a convention: its communes, declared or derived, as avenants extend it."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .formatting import cle_de_tri, normaliser_nom
from .memo import per_convention
from .referentiel import commune, epci


@dataclass(frozen=True)
class CommunePerimetre:
    insee: str
    nom: str
    # Set when an avenant brought the commune into the perimeter.
    avenant: int | None = None
    date_effet: dt.date | None = None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


@functools.lru_cache(maxsize=1 << 16)
def nom_imprime(code: str, declared: str | None) -> str:
    """The name the documents print: the COG's spelling when the declared name only differs
    from it by accents, case, hyphens or apostrophes; the declared name otherwise."""
    official = commune(code)
    if official is None:
        return declared or code
    if declared is None or normaliser_nom(declared) == normaliser_nom(official.nom):
        return official.nom
    return declared


def communes_initiales(doc: dict[str, Any]) -> list[CommunePerimetre] | None:
    """The perimeter at signature: declared, or the EPCI's members; None if unknowable."""
    territoire = doc.get("territoire")
    territoire = territoire if isinstance(territoire, dict) else {}
    declared = territoire.get("communes")
    if isinstance(declared, list):
        return [
            CommunePerimetre(code, nom_imprime(code, _text(item.get("nom"))))
            for item in declared
            if isinstance(item, dict) and (code := _text(item.get("insee")))
        ]
    groupement = territoire.get("epci")
    siren = _text(groupement.get("siren")) if isinstance(groupement, dict) else None
    known = epci(siren) if siren else None
    if known is None:
        return None
    members = []
    for code in known.membres:
        official = commune(code)
        members.append(CommunePerimetre(code, official.nom if official else code))
    return sorted(members, key=lambda c: cle_de_tri(c.nom))


def ajouts(doc: dict[str, Any]) -> list[CommunePerimetre]:
    """Communes that avenants bring into the perimeter, in the avenants' order."""
    added: list[CommunePerimetre] = []
    avenants = doc.get("avenants")
    for avenant in avenants if isinstance(avenants, list) else []:
        if not isinstance(avenant, dict):
            continue
        numero = avenant.get("numero") if isinstance(avenant.get("numero"), int) else None
        effet = avenant.get("date_effet")
        effet = effet if isinstance(effet, dt.date) else None
        for key in ("communes_ajoutees", "perimetre_ajoute"):
            items = avenant.get(key)
            for item in items if isinstance(items, list) else []:
                code = _text(item.get("insee")) if isinstance(item, dict) else None
                if code:
                    declared = _text(item.get("nom")) if key == "perimetre_ajoute" else None
                    nom = nom_imprime(code, declared)
                    added.append(CommunePerimetre(code, nom, numero, effet))
    return added


# The perimeter on a day (on every avenant's day with None).
Perimetres = Callable[[dt.date | None], "dict[str, CommunePerimetre] | None"]


def perimetre_au(doc: dict[str, Any], day: dt.date | None) -> dict[str, CommunePerimetre] | None:
    """Communes in the perimeter on `day` (every avenant when `day` is None), by INSEE code."""
    return _au(communes_initiales(doc), ajouts(doc), day)


def perimetre_par_jour(doc: dict[str, Any]) -> Perimetres:
    """`perimetre_au(doc, day)` for any day, computed once per day: the perimeter at
    signature (an EPCI's members sorted by name) and the avenants' additions read once."""

    @functools.cache
    def read() -> tuple[list[CommunePerimetre] | None, list[CommunePerimetre]]:
        return communes_initiales(doc), ajouts(doc)

    @functools.cache
    def au(day: dt.date | None) -> dict[str, CommunePerimetre] | None:
        return _au(*read(), day)

    return au


def _au(
    initial: list[CommunePerimetre] | None, added: list[CommunePerimetre], day: dt.date | None
) -> dict[str, CommunePerimetre] | None:
    if initial is None:
        return None
    result = {c.insee: c for c in initial}
    for c in added:
        in_force = day is None or (c.date_effet is not None and c.date_effet <= day)
        if in_force and c.insee not in result:
            result[c.insee] = c
    return result


def perimetre_apres(doc: dict[str, Any], numero: int) -> list[CommunePerimetre]:
    """The perimeter once avenants 1 to `numero` apply, sorted by name."""
    return list(_perimetre_apres(doc, numero))


@per_convention  # every fiche of a convention asks it
def _perimetre_apres(doc: dict[str, Any], numero: int) -> tuple[CommunePerimetre, ...]:
    result = {c.insee: c for c in communes_initiales(doc) or []}
    for added in ajouts(doc):
        if added.avenant is not None and added.avenant <= numero and added.insee not in result:
            result[added.insee] = added
    return tuple(sorted(result.values(), key=lambda c: cle_de_tri(c.nom)))
