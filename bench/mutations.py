"""Hostile cases drawn from a convention that fills every key of the format (complete.yaml).

Each generator yields the cases of one kind for bench/hostile.py: every field's value replaced
by every other type or removed, references to codes that do not exist or name another kind
of object, list items duplicated, lists emptied or made huge, dates moved before, after and
across one another, `& < > " ' ’` in every text. A case says whether accepting it is wrong
(`refuse`) or refusing it is (`accept`); otherwise either answer is right, and only a trace,
a hang, a partial output or an unlocated message is a failure.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ctgdocs.loader import parse_text
from ctgdocs.validation import _rules_at

ROOT = Path(__file__).resolve().parent.parent
COMPLETE = ROOT / "tests" / "fixtures" / "valides" / "complete.yaml"
DataPath = tuple[str | int, ...]
# Typed as a user types them: `&` and `<` must come out of the documents as typed, the
# quotes and apostrophes as French typography sets them (ctgdocs/typographie.py).
SPECIAUX = 'Zq & <b> "x" l\'a l’b Zq'
IMPRIMES = ("Zq & <b> ", "x", "l’a l’b Zq")


@dataclass
class Case:
    kind: str
    label: str
    text: str
    refuse: bool = True  # accepting it is a failure (the default: these are hostile inputs)
    accept: bool = False  # refusing it is a failure
    marker: tuple[str, ...] = ()  # texts one paragraph must contain when it is accepted


def dump(data: Any) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text: str = yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=10**9)
    return text


_BASE: dict[str, Any] = parse_text(COMPLETE.read_text(encoding="utf-8"))[0]


def base() -> dict[str, Any]:
    """A fresh copy of the complete convention, as the loader reads it."""
    return copy.deepcopy(_BASE)


def nodes(data: Any, path: DataPath = ()) -> Iterator[DataPath]:
    """Every node below the root, parents before children."""
    items = data.items() if isinstance(data, dict) else enumerate(data)
    for key, value in items if isinstance(data, dict | list) else ():
        yield (*path, key)
        yield from nodes(value, (*path, key))


def get(data: Any, path: DataPath) -> Any:
    for part in path:
        data = data[part]
    return data


def label(path: DataPath) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def field(path: DataPath) -> tuple[str, ...]:
    return tuple(p if isinstance(p, str) else "[]" for p in path)


def one_per_field(paths: Iterator[DataPath]) -> list[DataPath]:
    """The first path of each field (list indexes ignored): one case per schema field."""
    seen: dict[tuple[str, ...], DataPath] = {}
    for path in paths:
        seen.setdefault(field(path), path)
    return list(seen.values())


def edited(path: DataPath, change: Callable[[Any, str | int], None]) -> str:
    data = base()
    change(get(data, path[:-1]), path[-1])
    return dump(data)


def setter(value: Any) -> Callable[[Any, str | int], None]:
    def change(holder: Any, key: str | int) -> None:
        holder[key] = copy.deepcopy(value)

    return change


def remove(holder: Any, key: str | int) -> None:
    del holder[key]


# What a scalar type accepts among the replacement values below.
_SHAPES = {
    "date": r"\d{4}-\d\d-\d\d",
    "entier": r"\d+",
    "montant": r"\d+",
    "heure": r"\d\d?:\d\d",
    "insee": r"\d{5}",
    "siren": r"\d{9}",
    "departement": r"\d{2,3}",
    "communes_fiche": "toutes",
}
REPLACEMENTS: list[Any] = [None, "", "texte", "12", "2022-01-01", ["x"], {"x": "y"}, [], {}]


def must_refuse(path: DataPath, value: Any) -> bool:
    """Whether the schema forbids `value` at `path` (the replacement is then hostile)."""
    rules = _rules_at(path) or {}
    type_ = rules.get("type")
    required = bool(rules.get("required")) or isinstance(path[-1], int)
    if value is None or value == "":
        return required
    if type_ == "list":
        return not isinstance(value, list) or (value == [] and bool(rules.get("minlength")))
    if type_ == "dict":
        needed = any(r.get("required") for r in rules.get("schema", {}).values())
        return not isinstance(value, dict) or (value == {} and needed)
    if isinstance(value, list) and type_ == "communes_fiche":
        return value == ["x"]  # a list of INSEE codes; "x" is none
    if isinstance(value, dict | list):
        return True
    if "allowed" in rules:
        return value not in rules["allowed"]
    shape = _SHAPES.get(str(type_))
    return shape is not None and not re.fullmatch(shape, value)


def types() -> Iterator[Case]:
    data = base()
    for path in one_per_field(nodes(data)):
        current = get(data, path)
        rules = _rules_at(path) or {}
        if not isinstance(path[-1], int):
            yield Case("types", f"{label(path)} supprimé", edited(path, remove),
                       refuse=bool(rules.get("required")))  # fmt: skip
        for value in REPLACEMENTS:
            if value == current:
                continue
            yield Case("types", f"{label(path)} = {value!r}", edited(path, setter(value)),
                       refuse=must_refuse(path, value))  # fmt: skip


def _identifiers(data: dict[str, Any]) -> dict[str, set[str]]:
    """What each kind of reference may name in the base."""
    parties = {p["id"] for p in data["parties"]} | {
        p["insee"] for p in data["parties"] if "insee" in p
    }
    communes = {c["insee"] for a in data["avenants"] for c in a.get("communes_ajoutees", [])}
    return {
        "axe": {a["code"] for a in data["axes"]},
        "partie": parties | communes,
        "reunion": {r["id"] for r in data["reunions"]},
        "avenant": {a["numero"] for a in data["avenants"]},
        "fiche": {f["code"] for f in data["fiches_actions"]},
        "article": {"objet", "axes", "engagements", "gouvernance", "evaluation", "litiges"},
        "insee": {c["insee"] for c in data["territoire"]["communes"]},
    }


# Every field that names something declared elsewhere, and the kind it names.
REFERENCES: list[tuple[str, str]] = [
    (r"fiches_actions\[\d+\]\.axe", "axe"),
    (r"fiches_actions\[\d+\]\.pilote\.partie", "partie"),
    (r"fiches_actions\[\d+\]\.adoption\.reunion", "reunion"),
    (r"fiches_actions\[\d+\]\.adoption\.avenant", "avenant"),
    (r"fiches_actions\[\d+\]\.suivi\[\d+\]\.reunion", "reunion"),
    (r"fiches_actions\[\d+\]\.communes\[\d+\]", "insee"),
    (r"reunions\[\d+\]\.participants\[\d+\]\.partie", "partie"),
    (r"reunions\[\d+\]\.points\[\d+\]\.fiches_actions\[\d+\]", "fiche"),
    (r"avenants\[\d+\]\.habilitations\[\d+\]\.partie", "partie"),
    (r"avenants\[\d+\]\.signataires\[\d+\]\.partie", "partie"),
    (r"avenants\[\d+\]\.fiches_modifiees\[\d+\]\.code", "fiche"),
    (r"convention\.articles\[\d+\]\.(apres|remplace|supprime)", "article"),
    (r"avenants\[\d+\]\.dispositions\[\d+\]\.(apres|remplace)", "article"),
]


def references() -> Iterator[Case]:
    data = base()
    known = _identifiers(data)
    # One name of each kind, every name of the right kind, and names of nothing.
    others = {min(values, key=str) for values in known.values()} | {"INCONNU", "0", "-"}
    for path in one_per_field(nodes(data)):
        kind = next((k for pattern, k in REFERENCES if re.fullmatch(pattern, label(path))), None)
        if kind is None or get(data, path) is None:
            continue
        for value in sorted(others | known[kind], key=str):
            if value == get(data, path):
                continue
            # Another valid target may be refused by a later rule: only names of nothing
            # of the kind must be.
            yield Case("references", f"{label(path)} = {value!r}", edited(path, setter(value)),
                       refuse=value not in known[kind])  # fmt: skip


# Lists whose items are identified: a second copy of one is a conflict.
IDENTIFIED = re.compile(
    r"parties|axes|fiches_actions|reunions|avenants|territoire\.communes|convention\.articles"
    r"|avenants\[\d+\]\.(fiches_modifiees|signataires|habilitations|communes_ajoutees"
    r"|perimetre_ajoute|dispositions)|parties\[\d+\]\.representants"
)


def doublons() -> Iterator[Case]:
    data = base()
    for path in nodes(data):
        values = get(data, path)
        if not isinstance(values, list) or not values:
            continue
        for index in sorted({0, len(values) - 1}):

            def twice(holder: Any, key: str | int, index: int = index) -> None:
                holder[key].insert(index + 1, copy.deepcopy(holder[key][index]))

            identified = IDENTIFIED.fullmatch(label(path)) is not None
            yield Case("doublons", f"{label(path)}[{index}] en double", edited(path, twice),
                       refuse=identified)  # fmt: skip
    yield from versions()


def versions() -> Iterator[Case]:
    """A fiche whose code gives the file name of a fiche an avenant rewrites."""
    data = base()
    for avenant in data["avenants"]:
        for change in avenant.get("fiches_modifiees", []):
            for spelling in ("{}-avenant-{}", "{} Avenant {}"):
                code = spelling.format(change["code"], avenant["numero"])

                def rename(holder: Any, key: str | int, code: str = code) -> None:
                    holder[key] = code

                yield Case("doublons", f"fiches_actions[0].code = {code!r}",
                           edited(("fiches_actions", 0, "code"), rename))  # fmt: skip


def listes() -> Iterator[Case]:
    data = base()
    for path in one_per_field(p for p in nodes(data) if isinstance(get(data, p), list)):
        values = get(data, path)
        rules = _rules_at(path) or {}
        yield Case("listes", f"{label(path)} vidée", edited(path, setter([])),
                   refuse=bool(rules.get("minlength")))  # fmt: skip
        for size in (300, 3_000):
            huge = (values * (size // len(values) + 1))[:size]
            yield Case("listes", f"{label(path)} × {size}", edited(path, setter(huge)),
                       refuse=False)  # fmt: skip


def _dates(data: dict[str, Any]) -> list[DataPath]:
    return [p for p in nodes(data) if (_rules_at(p) or {}).get("type") == "date"]


def dates() -> Iterator[Case]:
    data = base()
    periode = data["convention"]["periode"]
    start, end = (dt.date.fromisoformat(periode[k]) for k in ("debut", "fin"))
    moments = {
        "1900-01-01", "2099-12-31", str(start - dt.timedelta(days=1)),
        str(end + dt.timedelta(days=1)), "2024-02-29", "2023-02-29",
    }  # fmt: skip
    every = sorted({get(data, p) for p in _dates(data)})
    for position, path in enumerate(one_per_field(iter(_dates(data)))):
        # Three other dates of the file, a different three for each field.
        among = {every[(position * 3 + i) % len(every)] for i in range(3)}
        for value in sorted(moments | among):
            if value == get(data, path):
                continue
            yield Case("dates", f"{label(path)} = {value}", edited(path, setter(value)),
                       refuse=value == "2023-02-29")  # fmt: skip
    # Every period reversed: its end before its start.
    for path in nodes(data):
        value = get(data, path)
        if isinstance(value, dict) and {"debut", "fin"} <= set(value):

            def reverse(holder: Any, key: str | int) -> None:
                holder[key]["debut"], holder[key]["fin"] = holder[key]["fin"], holder[key]["debut"]

            yield Case("dates", f"{label(path)} inversée", edited(path, reverse))
    # Items of dated lists in any order.
    for name in ("avenants", "reunions"):

        def backwards(holder: Any, key: str | int) -> None:
            holder[key].reverse()

        yield Case("dates", f"{name} dans l'ordre inverse", edited((name,), backwards),
                   refuse=False)  # fmt: skip


def speciaux() -> Iterator[Case]:
    """`& < > " ' ’` in every free text: accepted, and printed as typed where printed."""
    data = base()
    for path in one_per_field(nodes(data)):
        rules = _rules_at(path) or {}
        if rules.get("type") not in ("texte", "ligne") or "allowed" in rules or "regex" in rules:
            continue
        if not isinstance(get(data, path), str) or path[-1] == "nom_court":
            continue
        if tuple(path) == ("territoire", "epci", "nom"):
            continue  # printed only when the EPCI does not sign: the acts name it as it signs
        yield Case("speciaux", label(path), edited(path, setter(SPECIAUX)),
                   refuse=False, accept=True, marker=IMPRIMES)  # fmt: skip


def champs_textes(data: dict[str, Any]) -> list[DataPath]:
    """One path per text, line or code field of the base (choices left out)."""
    return [
        p
        for p in one_per_field(nodes(data))
        if (_rules_at(p) or {}).get("type") in ("texte", "ligne", "code")
        and isinstance(get(data, p), str)
    ]


def caracteres_complets() -> Iterator[Case]:
    """Characters XML forbids, and very long strings, in every text field of the base."""
    data = base()
    for path in champs_textes(data):
        for value in ("a\x01b", "a\ufffeb", "a\uffffb", "a\x1bb", "a\x85b"):
            yield Case("caracteres+", f"{label(path)} = {value!r}", edited(path, setter(value)),
                       refuse=value != "a\x85b")  # fmt: skip
        type_ = (_rules_at(path) or {}).get("type")
        for size in (301, 50_001):
            yield Case("caracteres+", f"{label(path)} = {size} caractères",
                       edited(path, setter("é" * size)),
                       refuse=type_ != "texte" or size > 50_000)  # fmt: skip


KINDS: dict[str, Callable[[], Iterator[Case]]] = {
    "types": types,
    "references": references,
    "doublons": doublons,
    "listes": listes,
    "dates": dates,
    "speciaux": speciaux,
    "caracteres+": caracteres_complets,
}
