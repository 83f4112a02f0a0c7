"""Rules on the meetings that produce comptes rendus."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..formatting import date_longue, heure
from ..schema import PRESENCES
from .base import Findings, at, date_at, entries, text_at
from .plan import unique_codes


def check(doc: dict[str, Any], findings: Findings) -> None:
    unique_codes(doc, findings, "reunions", "id", "identifiant de réunion")
    fiches = {text_at(f, "code") for _, f in entries(doc, "fiches_actions")}
    meetings: dict[tuple[dt.date, str], int] = {}
    for index, reunion in entries(doc, "reunions"):
        path = ("reunions", index)
        day = date_at(reunion, "date")
        start, end = at(reunion, "heure_debut"), at(reunion, "heure_fin")
        if isinstance(start, dt.time) and isinstance(end, dt.time) and end <= start:
            findings.error(
                (*path, "heure_fin"),
                f"fin à {heure(end)}, pas après le début à {heure(start)}",
            )
        presences = [p.get("presence") for _, p in entries(reunion, "participants")]
        if presences and set(presences) <= set(PRESENCES) and "present" not in presences:
            findings.error(
                (*path, "participants"),
                "aucun participant présent (presence: present) : un compte rendu suppose "
                "au moins un présent",
            )
        instance = text_at(reunion, "instance")
        if day and instance:
            other = meetings.setdefault((day, instance), index)
            if other != index:
                findings.error(
                    (*path, "date"),
                    f"deux réunions {instance} le {date_longue(day)} (voir reunions[{other}]) : "
                    "leurs comptes rendus porteraient le même nom",
                )
        for number, point in entries(reunion, "points"):
            for position, code in enumerate(at(point, "fiches_actions") or []):
                if isinstance(code, str) and code not in fiches:
                    known = ", ".join(sorted(c for c in fiches if c)) or "aucune"
                    findings.error(
                        (*path, "points", number, "fiches_actions", position),
                        f"« {code} » n'est pas le code d'une fiche action (fiches : {known})",
                    )
        for number, suite in entries(reunion, "suites"):
            due = date_at(suite, "echeance")
            if due and day and due < day:
                findings.warning(
                    (*path, "suites", number, "echeance"),
                    f"échéance ({date_longue(due)}) antérieure à la réunion ({date_longue(day)})",
                )
        following = date_at(reunion, "prochaine_reunion", "date")
        if following and day and following <= day:
            findings.error(
                (*path, "prochaine_reunion", "date"),
                f"la prochaine réunion ({date_longue(following)}) doit suivre celle-ci "
                f"({date_longue(day)})",
            )
