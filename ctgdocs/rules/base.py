"""What every domain rule shares: typed access to half-valid data, and findings."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..formatting import date_longue, normaliser_nom
from ..loader import Positions
from ..problems import AVERTISSEMENT, ERREUR, DataPath, Problem, Severity
from ..referentiel import commune, commune_rattachee, communes, departement_of, millesime


@dataclass
class Findings:
    """The problems the rules found, each placed at its node."""

    positions: Positions
    problems: list[Problem] = field(default_factory=list)

    def add(self, severity: Severity, path: DataPath, message: str) -> None:
        line, column = self.positions.locate(path)
        self.problems.append(Problem(severity, path, message, line, column))

    def error(self, path: DataPath, message: str) -> None:
        self.add(ERREUR, path, message)

    def warning(self, path: DataPath, message: str) -> None:
        self.add(AVERTISSEMENT, path, message)

    def line_of(self, path: DataPath) -> int:
        return self.positions.locate(path)[0]


def at(data: Any, *path: str | int) -> Any:
    """The value at `path`, or None where any step is missing or of the wrong kind."""
    for part in path:
        if isinstance(part, int):
            if not isinstance(data, list) or part >= len(data):
                return None
            data = data[part]
        elif isinstance(data, dict):
            data = data.get(part)
        else:
            return None
    return data


def date_at(data: Any, *path: str | int) -> dt.date | None:
    value = at(data, *path)
    return value if isinstance(value, dt.date) else None


def text_at(data: Any, *path: str | int) -> str | None:
    value = at(data, *path)
    return value if isinstance(value, str) and value else None


def entries(data: Any, *path: str | int) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, mapping) for each mapping in the list at `path`."""
    items = at(data, *path)
    if isinstance(items, list):
        for index, item in enumerate(items):
            if isinstance(item, dict):
                yield index, item


class Seen:
    """Where each value of a list was first met, to name it when the value comes again."""

    def __init__(self) -> None:
        self._first: dict[Hashable, int] = {}

    def earlier(self, value: Hashable, index: int) -> int | None:
        """The index where `value` was first met, or None when it is new (or empty)."""
        if not value:
            return None
        if value in self._first:
            return self._first[value]
        self._first[value] = index
        return None


def texts(data: Any, *path: str | int) -> Iterator[tuple[int, str]]:
    """(index, text) for each text in the list at `path`."""
    items = at(data, *path)
    if isinstance(items, list):
        for index, item in enumerate(items):
            if isinstance(item, str) and item:
                yield index, item


def check_dates_order(
    findings: Findings, base: DataPath, debut: dt.date | None, fin: dt.date | None, what: str
) -> None:
    """`fin` must come after `debut` (both inside the block at `base`)."""
    if debut and fin and fin <= debut:
        findings.error(
            (*base, "fin"),
            f"{what} : la fin ({date_longue(fin)}) doit être postérieure "
            f"au début ({date_longue(debut)})",
        )


def check_deliberation(
    findings: Findings, path: DataPath, day: dt.date | None, signature: dt.date | None
) -> None:
    """A deliberation authorising a signature must come before it."""
    if day and signature and day > signature:
        findings.error(
            path,
            f"délibération du {date_longue(day)}, postérieure à la signature "
            f"du {date_longue(signature)} : l'autorisation de signer doit la précéder",
        )


def rattachee(code: str) -> tuple[str, str] | None:
    """For a commune déléguée, associée or an arrondissement: what it is (« Champigné,
    commune déléguée des Hauts-d'Anjou (49080) ») and the code of its commune; else None."""
    # A commune nouvelle keeps the code of the commune déléguée that is its chef-lieu.
    found = commune_rattachee(code) if commune(code) is None else None
    if found is None:
        return None
    parent = commune(found.rattachement)
    parent_text = f" {parent.de_nom} ({parent.code})" if parent else ""
    return f"{found.nom}, {_STATUTS[found.statut]}{parent_text}", found.rattachement


def check_commune(
    findings: Findings, path: DataPath, code: str, nom: str | None, nom_path: DataPath
) -> bool:
    """Check an INSEE code against the reference data; True if it is a current commune."""
    official = commune(code)
    if official is None:
        part_of = rattachee(code)
        if part_of is None:
            findings.error(
                path,
                f"code INSEE « {code} » inconnu du référentiel ({millesime()})"
                + _code_of_name(nom, code),
            )
            return False
        findings.warning(
            path,
            f"« {code} » désigne {part_of[0]} et non une commune au sens du référentiel "
            f"({millesime()})",
        )
        return False
    if nom is not None and normaliser_nom(nom) != normaliser_nom(official.nom):
        findings.warning(
            nom_path,
            f"« {nom} » ne correspond pas au code {code} : nom officiel « {official.nom} » "
            f"({millesime()})" + _code_of_name(nom, code),
        )
    elif nom is not None and nom != official.nom:
        findings.warning(
            nom_path,
            f"« {nom} » s'écrit « {official.nom} » dans le référentiel ({millesime()}) : les "
            "documents portent l'orthographe officielle",
        )
    return True


@functools.cache
def _codes_by_name(departement_code: str | None) -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for found in communes(departement_code):
        index.setdefault(normaliser_nom(found.nom), []).append(found.code)
    return {name: tuple(codes) for name, codes in index.items()}


def _code_of_name(nom: str | None, typed: str) -> str:
    """The code of the commune `nom` names, when one alone bears that name in the typed
    code's département (digits swapped: Wittisheim typed 67574 for 67547) or else in France."""
    if not nom:
        return ""
    name = normaliser_nom(nom)
    codes = _codes_by_name(departement_of(typed)).get(name) or _codes_by_name(None).get(name)
    if codes is None or len(codes) != 1:
        return ""
    return f' ; « {nom} » a le code "{codes[0]}"'


_STATUTS = {
    "deleguee": "commune déléguée",
    "associee": "commune associée",
    "arrondissement": "arrondissement municipal",
}
