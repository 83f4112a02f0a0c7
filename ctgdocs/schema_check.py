"""The schema compiled once into plain checks: cerberus' errors, in its order, and typed data.

ctgdocs used cerberus' generic walk, which interprets the rules of every field of every
file (about 20 ms a convention), then a second walk to type the values. The same rules,
compiled here into one closure per field, find the same errors in the same order (the test
suite keeps cerberus as the reference and compares both) and type each value as they check
it: for each key of a block in the file's order, `None` first, then the type, then the
field's other rules in the order the schema writes them; a block's missing required keys
after its keys (cerberus takes them from a set, in no stable order; here they come in the
schema's order). The data walked is the loader's: blocks (`dict` with `str` keys), lists,
texts and `None`. Typed data is a new tree: each valid value converted (`Decimal`, dates,
stripped texts), any other value as it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal, NamedTuple

from .problems import DataPath
from .scalars import CHECKS, CONVERSIONS
from .schema import SCHEMA, Schema

# What a schema error says, one for each cerberus error the schema's rules can give.
Kind = Literal["requis", "inconnu", "nul", "type", "longueur", "valeur", "motif"]
REQUIS: Kind = "requis"  # a required key is missing (REQUIRED_FIELD)
INCONNU: Kind = "inconnu"  # a key the schema does not know (UNKNOWN_FIELD)
NUL: Kind = "nul"  # no value (NOT_NULLABLE)
TYPE: Kind = "type"  # a value of another type (BAD_TYPE)
LONGUEUR: Kind = "longueur"  # a list shorter than its minlength (MIN_LENGTH)
VALEUR: Kind = "valeur"  # a value out of `allowed` (UNALLOWED_VALUE)
MOTIF: Kind = "motif"  # a text `regex` does not match (REGEX_MISMATCH)


class SchemaError(NamedTuple):
    """One schema violation: its kind, where, the value found and the rule's constraint."""

    kind: Kind
    path: DataPath
    value: Any = None
    constraint: Any = None


Errors = list[SchemaError]
# Checks a value found under `key` of the block or list at `parent`; returns it typed.
_Check = Callable[[Any, DataPath, str | int, Errors], Any]
# Checks a value already known to be neither None nor of the wrong type. A block's or a
# list's rule returns the container typed; the others return None.
_Rule = Callable[[Any, DataPath, str | int, Errors], Any]

_TYPES: dict[str, Callable[[Any], bool]] = {
    **CHECKS,
    "dict": lambda v: isinstance(v, dict),
    "list": lambda v: isinstance(v, list),
}
_SCALAR_TYPES = set(CHECKS) - {"communes_fiche"}  # those that only ever accept a text
# « meta » (cerberus keeps it for its user) says what a block expects when no key is required.
_RULES = {"type", "required", "allowed", "regex", "minlength", "schema", "meta"}


def _allowed(values: list[str]) -> _Rule:
    def rule(value: Any, parent: DataPath, key: str | int, errors: Errors) -> None:
        if value not in values:
            errors.append(SchemaError(VALEUR, (*parent, key), value, values))

    return rule


def _regex(pattern: str) -> _Rule:
    # Cerberus anchors the pattern at the end and matches it from the start.
    compiled = re.compile(pattern if pattern.endswith("$") else pattern + "$")

    def rule(value: Any, parent: DataPath, key: str | int, errors: Errors) -> None:
        if isinstance(value, str) and not compiled.match(value):
            errors.append(SchemaError(MOTIF, (*parent, key), value, pattern))

    return rule


def _minlength(length: int) -> _Rule:
    def rule(value: Any, parent: DataPath, key: str | int, errors: Errors) -> None:
        if len(value) < length:
            errors.append(SchemaError(LONGUEUR, (*parent, key), value, length))

    return rule


def _block(fields: Schema) -> _Rule:
    checks = {name: _compile(rules, name) for name, rules in fields.items()}
    required = tuple(name for name, rules in fields.items() if rules.get("required"))

    def rule(value: Any, parent: DataPath, key: str | int, errors: Errors) -> dict[str, Any]:
        return _check_block(checks, required, value, (*parent, key), errors)

    return rule


def _check_block(
    checks: dict[str, _Check], required: tuple[str, ...], block: Any, path: DataPath, errors: Errors
) -> dict[str, Any]:
    """Each key of `block` against its field's checks, then the required keys it lacks."""
    typed = {}
    for name, value in block.items():
        check = checks.get(name)
        if check is None:
            errors.append(SchemaError(INCONNU, (*path, name), value))
            typed[name] = _copy(value)
        else:
            typed[name] = check(value, path, name, errors)
    for name in required:
        if name not in block:
            errors.append(SchemaError(REQUIS, (*path, name)))
    return typed


def _items(item: Schema) -> _Rule:
    check = _compile(item, "[]")

    def rule(value: Any, parent: DataPath, key: str | int, errors: Errors) -> list[Any]:
        path = (*parent, key)
        return [check(element, path, index, errors) for index, element in enumerate(value)]

    return rule


def _copy(value: Any) -> Any:
    """Blocks and lists copied, values as they are: what the schema does not type."""
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


def _compile(rules: Schema, name: str) -> _Check:
    """The check of one field: None, then the type, then its other rules as written."""
    unknown = set(rules) - _RULES
    type_ = rules.get("type")
    if unknown or type_ not in _TYPES:
        raise ValueError(f"schema: {name}: rule or type not compiled: {unknown or type_}")
    type_ok = _TYPES[type_]
    steps: list[_Rule] = []
    for rule, constraint in rules.items():
        if rule in ("allowed", "regex") and type_ not in _SCALAR_TYPES:
            raise ValueError(f"schema: {name}: {rule} on a {type_}")
        if rule == "allowed":
            steps.append(_allowed(constraint))
        elif rule == "regex":
            steps.append(_regex(constraint))
        elif rule == "minlength":
            if type_ != "list":
                raise ValueError(f"schema: {name}: minlength on a {type_}")
            steps.append(_minlength(constraint))
        elif rule == "schema" and type_ == "dict":
            steps.append(_block(constraint))
        elif rule == "schema" and type_ == "list":
            steps.append(_items(constraint))
        elif rule == "schema":
            raise ValueError(f"schema: {name}: schema on a {type_}")

    # A block's or a list's typed value comes from its rule; a field without one copies it.
    conversion: Callable[[Any], Any] = _same if "schema" in rules else CONVERSIONS.get(type_, _copy)

    def check(value: Any, parent: DataPath, key: str | int, errors: Errors) -> Any:
        if value is None:
            errors.append(SchemaError(NUL, (*parent, key)))
            return None
        if not type_ok(value):
            errors.append(SchemaError(TYPE, (*parent, key), value))
            return _copy(value)
        typed = conversion(value)
        for step in steps:
            container = step(value, parent, key, errors)
            if container is not None:
                typed = container
        return typed

    return check


def _same(value: Any) -> Any:
    return value


_CHECKS = {name: _compile(rules, name) for name, rules in SCHEMA.items()}
_REQUIRED = tuple(name for name, rules in SCHEMA.items() if rules.get("required"))


def check_document(document: dict[str, Any]) -> tuple[list[SchemaError], dict[str, Any]]:
    """Every schema error of a loaded document, in cerberus' order, and the document typed."""
    errors: Errors = []
    typed = _check_block(_CHECKS, _REQUIRED, document, (), errors)
    return errors, typed
