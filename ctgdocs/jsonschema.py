"""The JSON Schema of the format, derived from the cerberus schema, for editors."""

from __future__ import annotations

import json
from typing import Any

from .descriptions import description
from .schema import GUILLEMETS, MAX_CARACTERES, MAX_ENTIER, SCHEMA, TYPE_DESCRIPTIONS, Schema

_PATTERNS = {
    "date": r"^\d{4}-\d{2}-\d{2}$",
    "heure": r"^([01]?\d|2[0-3])[:h][0-5]\d$",
    "insee": r"^((0[1-9]|1\d|[3-8]\d|9[0-5]|2[1-9])\d{3}|2[AB]\d{3}|97[1-6]\d{2})$",
    "siren": r"^\d{9}$",
    "departement": r"^(0[1-9]|1\d|[3-8]\d|9[0-5]|2[1-9]|2[AB]|97[1-6])$",
    "montant": r"^\d+([.,]\d{1,2})?$",
    "entier": r"^\d+$",
}
# An editor reads YAML 1.2: an unquoted code is a number there (01053 → 1053), which
# ctgdocs, reading every value as text, accepts. The bounds admit what such a code becomes.
_NUMBERS: dict[str, dict[str, Any]] = {
    "insee": {"type": "integer", "minimum": 1001, "maximum": 97699},
    "siren": {"type": "integer", "minimum": 100000000, "maximum": 999999999},
    "departement": {"type": "integer", "minimum": 1, "maximum": 976},
    "montant": {"type": "number", "minimum": 0},
    "entier": {"type": "integer", "minimum": 1, "maximum": MAX_ENTIER},
}
# Text fields take any scalar: `valeur: 48` or `lieu: true` are read as the text typed.
_ANY_SCALAR = ["string", "number", "boolean"]


def _expected(type_: str) -> str:
    return f"attendu : {TYPE_DESCRIPTIONS.get(type_, 'une valeur')}"


def _scalar(type_: str) -> dict[str, Any]:
    if type_ in _PATTERNS:
        text = {"type": "string", "pattern": _PATTERNS[type_]}
        if type_ not in _NUMBERS:
            return text
        return {"anyOf": [text, _NUMBERS[type_]]}
    if type_ == "communes_fiche":
        return {
            "anyOf": [
                {"const": "toutes"},
                {"type": "array", "items": _with_messages(_scalar("insee"), "insee")},
            ]
        }
    if type_ in ("ligne", "code"):
        quotes = GUILLEMETS if type_ == "code" else ""
        return {
            "type": _ANY_SCALAR,
            "minLength": 1,
            "maxLength": MAX_CARACTERES[type_],
            "pattern": f"^[^\\n{quotes}]*\\n?$",
        }
    return {"type": _ANY_SCALAR, "minLength": 1, "maxLength": MAX_CARACTERES["texte"]}


def _with_messages(result: dict[str, Any], type_: str) -> dict[str, Any]:
    """French messages where an editor would print its own English ones."""
    if type_ in TYPE_DESCRIPTIONS and type_ not in ("dict", "list"):
        result["errorMessage"] = _expected(type_)
        if "pattern" in result or "anyOf" in result:
            result["patternErrorMessage"] = _expected(type_)
    return result


def _convert(rules: Schema, path: str) -> dict[str, Any]:
    type_ = rules.get("type", "")
    if type_ == "dict":
        fields: Schema = rules["schema"]
        result: dict[str, Any] = {
            "type": "object",
            "properties": {
                name: _convert(sub, f"{path}.{name}" if path else name)
                for name, sub in fields.items()
            },
            "additionalProperties": False,
        }
        required = [name for name, sub in fields.items() if sub.get("required")]
        if required:
            result["required"] = required
    elif type_ == "list":
        item_path = f"{path}[]"
        result = {"type": "array", "items": _convert(rules["schema"], item_path)}
        if rules.get("minlength"):
            result["minItems"] = rules["minlength"]
    else:
        result = _with_messages(_scalar(type_), type_)
    if "allowed" in rules:
        allowed = list(rules["allowed"])
        numeric = [int(v) for v in allowed if v.isdigit()] if type_ == "entier" else []
        result = {
            "enum": allowed + numeric,
            "errorMessage": f"attendu : une des valeurs {', '.join(allowed)}",
        }
    text = description(path) or TYPE_DESCRIPTIONS.get(type_)
    if text:
        result["description"] = text
    return result


def json_schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of the convention format."""
    schema = _convert({"type": "dict", "schema": SCHEMA}, "")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://ctgdocs.invalid/schema/convention-1.json",
        "title": "Convention territoriale globale (format ctgdocs 1)",
        **schema,
    }


def json_schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
