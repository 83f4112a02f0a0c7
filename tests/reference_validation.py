"""How ctgdocs validated and typed a document before its schema was compiled: the reference.

Cerberus over the same schema and value types, then a generic walk converting each valid
value; the tests compare ctgdocs/schema_check.py with both on fixtures, examples, corpus
files, hostile cases and generated documents.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import cerberus
from cerberus import errors as cerr

from ctgdocs.scalars import CHECKS, CONVERSIONS
from ctgdocs.schema import SCHEMA, Schema
from ctgdocs.schema_check import (
    INCONNU,
    LONGUEUR,
    MOTIF,
    NUL,
    REQUIS,
    TYPE,
    VALEUR,
    Kind,
    SchemaError,
)

_KINDS: dict[int, Kind] = {
    cerr.REQUIRED_FIELD.code: REQUIS,
    cerr.UNKNOWN_FIELD.code: INCONNU,
    cerr.NOT_NULLABLE.code: NUL,
    cerr.BAD_TYPE.code: TYPE,
    cerr.MIN_LENGTH.code: LONGUEUR,
    cerr.UNALLOWED_VALUE.code: VALEUR,
    cerr.REGEX_MISMATCH.code: MOTIF,
}
# The errors whose constraint (the rule's value) the messages use.
_CONSTRAINED = (cerr.MIN_LENGTH.code, cerr.UNALLOWED_VALUE.code, cerr.REGEX_MISMATCH.code)


class _Validator(cerberus.Validator):  # type: ignore[misc]
    """Cerberus with ctgdocs' text-based value types, and errors kept in linear time."""

    def _error(self, *args: Any) -> None:
        # Cerberus re-sorts its error list and error trees at every error (minutes for
        # tens of thousands of unknown keys): keep the errors in the order they are found.
        if len(args) == 1:
            self._errors.extend(args[0])
        else:
            super()._error(*args)

    # Cerberus' own "date" expects a datetime.date; ours checks the text.
    types_mapping = {  # noqa: RUF012 (cerberus class protocol)
        name: kind for name, kind in cerberus.Validator.types_mapping.items() if name != "date"
    }

    # One `_validate_type_<name>` method per value type: cerberus' metaclass collects them
    # from the class body.
    for _name, _check in CHECKS.items():
        locals()[f"_validate_type_{_name}"] = lambda self, value, check=_check: check(value)
    del _name, _check


def _leaves(errors: list[Any]) -> Iterator[Any]:
    for error in errors:
        if error.is_group_error:
            yield from _leaves(error.child_errors)
        else:
            yield error


def cerberus_errors(document: dict[str, Any]) -> list[SchemaError]:
    """Cerberus' errors for the document, as the compiled checker spells them."""
    validator = _Validator(SCHEMA)
    validator.validate(document, normalize=False)
    return [
        SchemaError(
            _KINDS[e.code],
            tuple(e.document_path),
            e.value,
            e.constraint if e.code in _CONSTRAINED else None,
        )
        for e in _leaves(validator._errors)
    ]


def reference_convert(data: Any, rules: Schema | None = None) -> Any:
    """The data with every valid scalar converted to its Python type, the rest as it was."""
    rules = rules if rules is not None else {"type": "dict", "schema": SCHEMA}
    type_ = rules.get("type")
    inner = rules.get("schema")
    if isinstance(data, dict):
        fields = inner if type_ == "dict" and isinstance(inner, dict) else {}
        return {k: reference_convert(v, fields.get(k, {})) for k, v in data.items()}
    if isinstance(data, list):
        item = inner if type_ == "list" and isinstance(inner, dict) else {}
        return [reference_convert(v, item) for v in data]
    if isinstance(type_, str) and type_ in CONVERSIONS and CHECKS[type_](data):
        return CONVERSIONS[type_](data)
    return data
