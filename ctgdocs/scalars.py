"""The schema's value types: which texts each accepts, and the Python value each stands for."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .referentiel import departement_bien_forme, insee_bien_forme, siren_bien_forme
from .schema import ANNEES, GUILLEMETS, MAX_CARACTERES, MAX_CHIFFRES_MONTANT, MAX_ENTIER

# ASCII digits only: `\d` and str.isdigit also take « ² », « ٣ » or « ３ ».
DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
HEURE = re.compile(r"^([01]?[0-9]|2[0-3])[:h]([0-5][0-9])$")
MONTANT = re.compile(r"^[0-9]+(?:[.,][0-9]{1,2})?$")
ENTIER = re.compile(r"^[0-9]+$")
CONTROLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
TYPOGRAPHIQUES = re.compile(f"[{GUILLEMETS}]")
# What no text takes, in one search: a character of problems.INTERDITS or of CONTROLE
# (INTERDITS with the carriage return taken out of what it lets through).
# Invisible characters a paste from a web page or a word processor leaves, that Word keeps
# without showing them: a word cut in two for a search, a line broken where none is seen.
# The private use area holds no letter (and ctgdocs's own markers, typographie).
INVISIBLES = {
    "\u200b": "espace sans chasse",
    "\u2028": "séparateur de ligne",
    "\u2029": "séparateur de paragraphe",
    "\u2060": "gluon de mots",
    "\ufeff": "espace insécable sans chasse",
}
INVISIBLE = re.compile(f"[{''.join(INVISIBLES)}\ue000-\uf8ff]")
_HORS_TEXTE = re.compile(
    "[^\t\n\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|" + INVISIBLE.pattern
)
_HORS_CODE = re.compile(f"{_HORS_TEXTE.pattern}|[{GUILLEMETS}]")


def _text_ok(value: Any, type_: str, one_line: bool, forbidden: re.Pattern[str]) -> bool:
    if not isinstance(value, str):
        return False
    bare = value.strip()
    return (
        bool(bare)
        and len(bare) <= MAX_CARACTERES[type_]
        and not (one_line and "\n" in bare)
        and not forbidden.search(value)
    )


def parse_date(value: str) -> dt.date | None:
    """The date written AAAA-MM-JJ, if it is one of the accepted years."""
    try:
        day = dt.date.fromisoformat(value) if DATE.match(value) else None
    except ValueError:
        return None
    # Outside these years date arithmetic (durations, the day after) may overflow.
    return day if day is not None and ANNEES[0] <= day.year <= ANNEES[1] else None


def _montant_ok(value: Any) -> bool:
    return (
        isinstance(value, str)
        and bool(MONTANT.match(value))
        and len(re.split("[.,]", value)[0].lstrip("0")) <= MAX_CHIFFRES_MONTANT
    )


def _entier_ok(value: Any) -> bool:
    # The length first: int() of thousands of digits is slow, then refused by Python.
    return (
        isinstance(value, str)
        and bool(ENTIER.match(value))
        and len(value.lstrip("0")) <= len(str(MAX_ENTIER))
        and 1 <= int(value) <= MAX_ENTIER
    )


def parse_heure(value: str) -> dt.time | None:
    """The time written HH:MM (or HHhMM), if it is one."""
    match = HEURE.match(value)
    return dt.time(int(match[1]), int(match[2])) if match else None


def code_without_spaces(type_: str, value: str) -> str | None:
    """A SIREN or an INSEE code copied with its spaces or dots (« 200 069 391 », as the
    Insee directory shows it), written without them, if that is a well-formed code."""
    if type_ not in ("siren", "insee"):
        return None
    bare = re.sub(r"[\s.]", "", value)
    return bare if bare != value and CHECKS[type_](bare) else None


# Each value type: a check on the raw text, and its conversion.
CHECKS: dict[str, Callable[[Any], bool]] = {
    "texte": lambda v: _text_ok(v, "texte", False, _HORS_TEXTE),
    "ligne": lambda v: _text_ok(v, "ligne", True, _HORS_TEXTE),
    "code": lambda v: _text_ok(v, "code", True, _HORS_CODE),
    "date": lambda v: isinstance(v, str) and parse_date(v) is not None,
    "heure": lambda v: isinstance(v, str) and parse_heure(v) is not None,
    "montant": _montant_ok,
    "entier": _entier_ok,
    "insee": lambda v: isinstance(v, str) and insee_bien_forme(v),
    "siren": lambda v: isinstance(v, str) and siren_bien_forme(v),
    "departement": lambda v: isinstance(v, str) and departement_bien_forme(v),
    "communes_fiche": lambda v: v == "toutes" or isinstance(v, list),
}
CONVERSIONS: dict[str, Callable[[str], Any]] = {
    "texte": str.strip,
    "ligne": str.strip,
    "code": str.strip,
    "date": parse_date,
    "heure": parse_heure,
    "montant": lambda v: Decimal(v.replace(",", ".")),
    "entier": int,
}
