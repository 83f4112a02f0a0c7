"""What each party commits to: its own list or its type's default, grouped as jurists write."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .blocs import Bloc, p, puces
from .designation import nom_court_et_genre
from .formatting import liste, majuscule
from .referentiel import commune

# Default commitments by party type. {son} {sa} {ses} agree with the subject: "son offre"
# for one party, "leur offre" for "Les communes signataires s'engagent à".
DEFAUTS = {
    "caf": (
        "mobiliser {son} offre de service et {ses} dispositifs de financement en faveur des "
        "actions inscrites au plan d'actions, dans les conditions prévues à {financement}",
        "partager {ses} données et {son} expertise pour le diagnostic, le suivi et "
        "l'évaluation du projet social de territoire",
        "accompagner les signataires dans le pilotage de la convention",
    ),
    "epci": (
        "piloter la mise en œuvre du projet social de territoire et animer les instances de "
        "la convention",
        "mobiliser {ses} compétences et {ses} moyens en faveur des actions placées sous "
        "{sa} responsabilité",
        "associer {communes} à la démarche et les informer de ses résultats",
    ),
    "commune": (
        "inscrire {son} action en faveur des familles dans les orientations de la convention",
        "mobiliser {ses} services et {ses} équipements pour les actions conduites sur {son} "
        "territoire",
        "participer aux travaux des instances de la convention auxquels {elle} {est} {associee}",
    ),
    "msa": (
        "mobiliser {son} action sanitaire et sociale en faveur des familles relevant du "
        "régime agricole",
        "partager {ses} données et {son} expertise pour le suivi du projet social de territoire",
        "participer aux instances de pilotage et de suivi de la convention",
    ),
    "departement": (
        "articuler {ses} politiques de protection maternelle et infantile, de protection de "
        "l'enfance et d'insertion avec les orientations de la convention",
        "participer aux instances de pilotage et de suivi de la convention",
    ),
    "etat": (
        "veiller à la cohérence de la convention avec les politiques publiques conduites par "
        "l'État sur le territoire",
        "participer aux instances de pilotage et de suivi de la convention",
    ),
    "autre": (
        "contribuer aux actions du plan d'actions qui relèvent de {son} objet",
        "participer aux instances de pilotage et de suivi de la convention",
    ),
}
_POSSESSIFS = {
    False: {"son": "son", "sa": "sa", "ses": "ses", "elle": "elle", "est": "est"},
    True: {"son": "leur", "sa": "leur", "ses": "leurs", "elle": "elles", "est": "sont"},
}


def _items(partie: dict[str, Any], plural: bool, financement: str, membres: bool) -> list[str]:
    own = partie.get("engagements")
    if own:
        return list(own)
    defaults = DEFAUTS.get(partie.get("type", "autre"), DEFAUTS["autre"])
    possessifs = _POSSESSIFS[plural]
    words = {
        **possessifs,
        "financement": financement,
        "associee": "associées" if plural else "associée",
        "communes": "les communes membres"
        if membres
        else f"les communes situées sur {possessifs['son']} territoire",
    }
    return [item.format(**words) for item in defaults]


def _key(partie: dict[str, Any]) -> tuple[str, ...]:
    """Parties with the same key commit to the same things and are written as one subject."""
    own = partie.get("engagements")
    return ("propres", *own) if own else ("type", partie.get("type", "autre"))


def _sujet(group: Sequence[dict[str, Any]], communes: int, epci_type: str | None) -> str:
    """ "La Caf", "Les communes signataires", "Les communes de Fourques et de Vallabrègues"
    (a common noun in the plural: each is « la Commune de … »)."""
    if len(group) > 1 and all(g.get("type") == "commune" for g in group):
        if len(group) == communes:
            return "Les communes signataires"
        official = [commune(g["insee"]) for g in group if not g.get("nom_court")]
        if len(official) == len(group) and all(official):
            return f"Les communes {liste([c.de_nom for c in official if c])}"
    return majuscule(liste([nom_court_et_genre(g, epci_type)[0] for g in group]))


def engagements(
    parties: Sequence[dict[str, Any]],
    epci_type: str | None,
    financement: str,
    tous: bool = True,
    membres: bool = True,
) -> list[Bloc]:
    """ "La Caf s'engage à :" and its bullets, one group per set of identical commitments.

    `financement` is how the text refers to the financial article ("l'article 6");
    `tous`: `parties` are all the signatories, so that the communes together are "Les
    communes signataires" (an avenant names the communes it brings in); `membres`: the
    communes of the territory are the EPCI's members (not so of the Métropole de Lyon's,
    `referentiel.sans_communes_membres`).
    """
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for partie in parties:
        groups.setdefault(_key(partie), []).append(partie)
    communes = sum(1 for partie in parties if partie.get("type") == "commune") if tous else 0
    blocs: list[Bloc] = []
    for group in groups.values():
        plural = len(group) > 1
        verbe = "s'engagent" if plural else "s'engage"
        blocs.append(p(f"{_sujet(group, communes, epci_type)} {verbe} à :"))
        blocs += puces(_items(group[0], plural, financement, membres))
    return blocs
