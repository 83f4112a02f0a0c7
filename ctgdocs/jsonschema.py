"""The JSON Schema of the format, derived from the cerberus schema, for editors."""

from __future__ import annotations

import json
from typing import Any

from .schema import SCHEMA, TYPE_DESCRIPTIONS, Schema

_PATTERNS = {
    "date": r"^\d{4}-\d{2}-\d{2}$",
    "heure": r"^([01]?\d|2[0-3])[:h][0-5]\d$",
    "insee": r"^((0[1-9]|1\d|[3-8]\d|9[0-5]|2[1-9])\d{3}|2[AB]\d{3}|97[1-6]\d{2})$",
    "siren": r"^\d{9}$",
    "departement": r"^(0[1-9]|1\d|[3-8]\d|9[0-5]|2[1-9]|2[AB]|97[1-6])$",
}


def _scalar(type_: str) -> dict[str, Any]:
    if type_ in _PATTERNS:
        return {"type": "string", "pattern": _PATTERNS[type_]}
    if type_ == "montant":
        return {"type": ["number", "string"], "pattern": r"^\d+([.,]\d{1,2})?$", "minimum": 0}
    if type_ == "entier":
        return {"type": ["integer", "string"], "pattern": r"^\d+$", "minimum": 0}
    if type_ == "communes_fiche":
        return {
            "anyOf": [
                {"const": "toutes"},
                {"type": "array", "items": _scalar("insee")},
            ]
        }
    if type_ == "ligne":
        return {"type": "string", "minLength": 1, "pattern": r"^[^\n]*\n?$"}
    return {"type": "string", "minLength": 1}


def _convert(rules: Schema) -> dict[str, Any]:
    type_ = rules.get("type", "")
    if type_ == "dict":
        fields: Schema = rules["schema"]
        result: dict[str, Any] = {
            "type": "object",
            "properties": {name: _convert(sub) for name, sub in fields.items()},
            "additionalProperties": False,
        }
        required = [name for name, sub in fields.items() if sub.get("required")]
        if required:
            result["required"] = required
    elif type_ == "list":
        result = {"type": "array", "items": _convert(rules["schema"])}
        if rules.get("minlength"):
            result["minItems"] = rules["minlength"]
    else:
        result = _scalar(type_)
    if "allowed" in rules:
        allowed = list(rules["allowed"])
        numeric = [int(v) for v in allowed if v.isdigit()] if type_ == "entier" else []
        result = {"enum": allowed + numeric}
    description = TYPE_DESCRIPTIONS.get(type_)
    if description:
        result["description"] = description
    return result


def json_schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of the convention format."""
    schema = _convert({"type": "dict", "schema": SCHEMA})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://ctgdocs.invalid/schema/convention-1.json",
        "title": "Convention territoriale globale (format ctgdocs 1)",
        **schema,
    }


def json_schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
