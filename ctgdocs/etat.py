"""The convention as it stands: at its signature, or once avenants 1 to n apply."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from .memo import per_convention
from .perimetre import CommunePerimetre, communes_initiales

if TYPE_CHECKING:
    from .blocs import Bloc


@dataclass(frozen=True)
class Modification:
    """A change the convention itself makes to the default articles (`articles`)."""

    titre: str | None
    texte: str | None
    cle: str = ""  # the key of an article it inserts, for avenants to refer to
    remplace: str | None = None
    apres: str | None = None
    supprime: str | None = None


@dataclass(frozen=True)
class Amendement:
    """A change an avenant makes to the text of the convention, in its own words.

    The avenant quotes `blocs` as the new wording; the consolidated version applies them.
    `complete` adds them to the article `cible`, `remplace` rewrites it, `insere` adds an
    article (key `cle`) after it. `defaut`: the words are the default article's (for the
    parties that join, or for a prolonged period), not the avenant's own: a consolidated
    version may write a completed article afresh for all its signatories (« Les communes
    signataires s'engagent… », not one sentence each), and a later prolongation may rewrite
    a default article, never one an avenant worded itself.
    """

    avenant: int
    operation: Literal["complete", "remplace", "insere"]
    cible: str
    titre: str
    blocs: tuple[Bloc, ...]
    cle: str = ""
    defaut: bool = False


@dataclass
class Etat:
    """What the convention says at one point of its life (`avenant` None: as signed)."""

    avenant: int | None
    # Who signs in this state: the parties, then the communes that joined by avenant.
    parties: list[dict[str, Any]]
    debut: dt.date
    fin_initiale: dt.date
    fin: dt.date
    # The fiches in force (the annex of a consolidated version lists the later ones too).
    fiches: list[dict[str, Any]]
    perimetre: list[CommunePerimetre]
    # The text as signed is written from what was signed: its parties and fiches.
    signees: list[dict[str, Any]] = field(default_factory=list)
    fiches_signees: list[dict[str, Any]] = field(default_factory=list)
    modifications: list[Modification] = field(default_factory=list)
    amendements: list[Amendement] = field(default_factory=list)


def cle_ajout(item: dict[str, Any], avenant: int | None, index: int) -> str:
    """The key of an article a modification inserts: its own `cle`, or one made up."""
    return str(item.get("cle") or f"ajout-{avenant or 0}-{index}")


def _modifications(items: list[dict[str, Any]] | None) -> list[Modification]:
    return [
        Modification(
            titre=item.get("titre"),
            texte=item.get("texte"),
            cle=cle_ajout(item, None, index),
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

    The signed ones follow the axes' order (the fiches of an axe in the file's order), as
    the plan d'actions presents them; later ones follow the order of the acts that annexed
    them (an avenant's signature, or else its date of effect; a committee's meeting), then
    the axes': a fiche adopted later never renumbers the annexes already signed or adopted.
    """
    return list(_fiches_ordonnees(doc))


@per_convention
def _fiches_ordonnees(doc: dict[str, Any]) -> tuple[dict[str, Any], ...]:
    rang = {a.get("code"): i for i, a in enumerate(doc.get("axes", []))}
    fiches = sorted(doc.get("fiches_actions", []), key=lambda f: rang.get(f.get("axe"), len(rang)))
    later = sorted((f for f in fiches if not fiche_annexee(f)), key=lambda f: annexee_le(doc, f))
    return (*(f for f in fiches if fiche_annexee(f)), *later)


def annexee_le(doc: dict[str, Any], fiche: dict[str, Any]) -> dt.date:
    """When a fiche adopted after the signature was annexed (its act's date; last if unknown)."""
    # Read on data the rules may not have accepted yet: any step may be of the wrong kind.
    adoption = fiche.get("adoption")
    adoption = adoption if isinstance(adoption, dict) else {}

    def items(key: str) -> list[dict[str, Any]]:
        found = doc.get(key)
        return [i for i in found if isinstance(i, dict)] if isinstance(found, list) else []

    for avenant in items("avenants"):
        if avenant.get("numero") == adoption.get("avenant"):
            signature = avenant.get("signature")
            day = signature.get("date") if isinstance(signature, dict) else None
            day = day or avenant.get("date_effet")
            return day if isinstance(day, dt.date) else dt.date.max
    for reunion in items("reunions"):
        if adoption.get("reunion") is not None and reunion.get("id") == adoption.get("reunion"):
            return reunion["date"] if isinstance(reunion.get("date"), dt.date) else dt.date.max
    return dt.date.max


def etat_initial(doc: dict[str, Any]) -> Etat:
    """The convention as signed (or, for a projet, as it will be signed)."""
    convention = doc["convention"]
    periode = convention["periode"]
    signed = [f for f in fiches_ordonnees(doc) if fiche_annexee(f)]
    return Etat(
        avenant=None,
        parties=list(doc["parties"]),
        debut=periode["debut"],
        fin_initiale=periode["fin"],
        fin=periode["fin"],
        fiches=signed,
        perimetre=communes_initiales(doc) or [],
        signees=list(doc["parties"]),
        fiches_signees=signed,
        modifications=_modifications(convention.get("articles")),
    )


def partie_commune(commune: dict[str, Any]) -> dict[str, Any]:
    """A commune joining by avenant, as a party: its INSEE code is its id."""
    return {"type": "commune", "id": commune["insee"], **commune}
