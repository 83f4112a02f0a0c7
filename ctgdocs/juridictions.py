"""Public facts the acts cite: the competent tribunal administratif and the Cnaf's COG."""

from __future__ import annotations

import datetime as dt
from typing import Any

# Code de justice administrative, article R. 221-3 (seat and jurisdiction of each
# tribunal administratif, as amended by décret n° 2015-1444), and article R. 221-1
# for the names of the overseas tribunals.
_RESSORTS = {
    "Amiens": ("02", "60", "80"),
    "Bastia": ("2A", "2B"),
    "Besançon": ("25", "39", "70", "90"),
    "Bordeaux": ("24", "33", "47"),
    "Caen": ("14", "50", "61"),
    "Cergy-Pontoise": ("92", "95"),
    "Châlons-en-Champagne": ("08", "10", "51", "52"),
    "Clermont-Ferrand": ("03", "15", "43", "63"),
    "Dijon": ("21", "58", "71", "89"),
    "Grenoble": ("26", "38", "73", "74"),
    "Lille": ("59", "62"),
    "Limoges": ("19", "23", "36", "87"),
    "Lyon": ("01", "07", "42", "69"),
    "Marseille": ("04", "05", "13"),
    "Melun": ("77", "94"),
    "Montpellier": ("11", "34", "66"),
    "Montreuil": ("93",),
    "Nancy": ("54", "55", "88"),
    "Nantes": ("44", "49", "53", "72", "85"),
    "Nice": ("06",),
    "Nîmes": ("30", "48", "84"),
    "Orléans": ("18", "28", "37", "41", "45"),
    "Paris": ("75",),
    "Pau": ("32", "40", "64", "65"),
    "Poitiers": ("16", "17", "79", "86"),
    "Rennes": ("22", "29", "35", "56"),
    "Rouen": ("27", "76"),
    "Strasbourg": ("57", "67", "68"),
    "Toulon": ("83",),
    "Toulouse": ("09", "12", "31", "46", "81", "82"),
    "Versailles": ("78", "91"),
}
_OUTRE_MER = {
    "971": "tribunal administratif de la Guadeloupe",
    "972": "tribunal administratif de la Martinique",
    "973": "tribunal administratif de la Guyane",
    "974": "tribunal administratif de La Réunion",
    "975": "tribunal administratif de Saint-Pierre-et-Miquelon",
    "976": "tribunal administratif de Mayotte",
}
_VOYELLES = "AEIOUÉÈÊÎÔÛ"


def _nom(siege: str) -> str:
    de = "d'" if siege[0] in _VOYELLES else "de "
    return f"tribunal administratif {de}{siege}"


TRIBUNAUX = {
    **{code: _nom(siege) for siege, codes in _RESSORTS.items() for code in codes},
    **_OUTRE_MER,
}

# The Cnaf's conventions d'objectifs et de gestion with the State, by period.
COG_PERIODES = ((2009, 2012), (2013, 2017), (2018, 2022), (2023, 2027))


def tribunal(departement: str) -> str | None:
    """ "tribunal administratif de Caen" for the Orne; None for an unknown code."""
    return TRIBUNAUX.get(departement)


def date_de_la_cog(doc: dict[str, Any]) -> dt.date | None:
    """The day whose COG the visas cite: the signature, or for a projet the latest of the
    period's start and the parties' deliberations (it cannot be signed before them)."""
    convention = doc.get("convention")
    if not isinstance(convention, dict):
        convention = {}
    signature = convention.get("signature")
    if isinstance(signature, dict):
        signed = signature.get("date")
        if isinstance(signed, dt.date):
            return signed
    days: list[dt.date] = []
    periode = convention.get("periode")
    if isinstance(periode, dict) and isinstance(periode.get("debut"), dt.date):
        days.append(periode["debut"])
    parties = doc.get("parties")
    for partie in parties if isinstance(parties, list) else []:
        habilitation = partie.get("habilitation") if isinstance(partie, dict) else None
        if isinstance(habilitation, dict) and isinstance(habilitation.get("date"), dt.date):
            days.append(habilitation["date"])
    return max(days) if days else None


def cog_en_vigueur(day: dt.date) -> tuple[int, int] | None:
    """The period of the Cnaf's COG in force on `day`, if it is one ctgdocs knows."""
    for debut, fin in COG_PERIODES:
        if debut <= day.year <= fin:
            return debut, fin
    return None
