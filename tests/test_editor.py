"""A user without a checkout: `ctgdocs exemple`, `init` for an editor, and the JSON Schema."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from ctgdocs.descriptions import DESCRIPTIONS
from ctgdocs.loader import _TextLoader, parse_text
from ctgdocs.resources import commented_example
from ctgdocs.schema import SCHEMA, Schema

from .conftest import EXAMPLES, FIXTURES, REFERENCE, run

MODELINE = "# yaml-language-server: $schema=./ctgdocs-schema.json\n"


def schema_paths(rules: Schema = SCHEMA, prefix: str = "") -> Iterator[str]:
    """Every key of the format: "parties[].representants[].nom"."""
    for key, sub in rules.items():
        path = f"{prefix}.{key}" if prefix else key
        yield path
        inner = sub.get("schema")
        if sub.get("type") == "dict":
            yield from schema_paths(inner, path)
        elif sub.get("type") == "list" and inner.get("type") == "dict":
            yield from schema_paths(inner["schema"], f"{path}[]")


# ctgdocs exemple ------------------------------------------------------------------------


def test_exemple_writes_the_reference_with_the_schema(tmp_path: Path) -> None:
    result = run("exemple", "-o", tmp_path / "ctg")
    assert result.exit_code == 0, result.stderr
    written = tmp_path / "ctg" / "pays-de-laigle-2018.yaml"
    schema = tmp_path / "ctg" / "ctgdocs-schema.json"
    assert result.stderr.splitlines() == [
        f"Exemple créé : {written} (schéma pour l'éditeur : {schema})",
        f"Pour produire ses documents : ctgdocs build {written}",
    ]
    text = written.read_text(encoding="utf-8")
    assert text.startswith(MODELINE)
    assert json.loads(schema.read_text(encoding="utf-8")) == json.loads(run("schema").stdout)
    # The same convention as the reference, byte for byte once parsed: same documents.
    assert parse_text(text)[0] == parse_text(REFERENCE.read_text(encoding="utf-8"))[0]
    build = run("build", written, "-o", tmp_path / "out")
    assert build.exit_code == 0, build.stderr
    assert len(list((tmp_path / "out").rglob("*.docx"))) == 8
    again = run("exemple", "-o", tmp_path / "ctg")
    assert again.exit_code == 1
    assert again.stderr == f"Erreur : {written} existe déjà : choisissez un autre nom avec -o\n"


def sections(text: str) -> dict[str, list[str]]:
    """The lines of each top-level key of a YAML text."""
    found: dict[str, list[str]] = {}
    current = ""
    for line in text.splitlines():
        match = re.match(r"^(\w+):", line)
        if match:
            current = match[1]
        found.setdefault(current, []).append(line)
    return found


def test_exemple_comments_every_key_of_the_format() -> None:
    # A key added to the format must be shown and explained in the example
    # (ctgdocs/data/exemple/pays-de-laigle-2018.yaml), commented out when optional.
    by_section = sections(commented_example().read_text(encoding="utf-8"))
    missing = []
    for path in schema_paths():
        top, leaf = path.split(".")[0].removesuffix("[]"), re.split(r"[.\[\]]+", path)[-1]
        if path == top:
            leaf = top
        lines = by_section.get(top, [])
        if not any("#" in line and re.search(rf"\b{leaf}\b", line) for line in lines):
            missing.append(path)
    assert missing == []


def test_every_key_has_a_french_description() -> None:
    # A key added to the format needs its tooltip in ctgdocs/descriptions.py.
    assert [p for p in schema_paths() if p not in DESCRIPTIONS] == []
    assert sorted(set(DESCRIPTIONS) - set(schema_paths())) == []


# ctgdocs init and schema for an editor ----------------------------------------------------


def test_init_writes_the_modeline_and_the_schema_beside(tmp_path: Path) -> None:
    target = tmp_path / "ctg" / "aigle.yaml"
    target.parent.mkdir()
    result = run("init", "--epci", "200 068 468", "-o", target)
    assert result.exit_code == 0, result.stderr
    schema = target.parent / "ctgdocs-schema.json"
    assert result.stderr.splitlines()[0] == (
        f"Convention créée : {target} (schéma pour l'éditeur : {schema})"
    )
    assert target.read_text(encoding="utf-8").startswith(MODELINE + "# Convention territoriale")
    assert json.loads(schema.read_bytes().decode("utf-8"))["title"].startswith("Convention")
    # stdout has no schema beside it: no modeline pointing to nothing.
    assert not run("init", "--epci", "200068468", "-o", "-").stdout.startswith("# yaml-")


def test_schema_to_a_file_is_utf8(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    result = run("schema", "-o", target)
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr == f"Schéma écrit : {target}\n"
    assert target.read_bytes().decode("utf-8") == run("schema").stdout
    assert "période" in target.read_bytes().decode("utf-8")


# The JSON Schema accepts what ctgdocs accepts, as an editor reads YAML ----------------------

_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")


def yaml12(node: yaml.Node) -> Any:
    """The value an editor's YAML 1.2 parser gives: unquoted 01053 is the number 1053."""
    if isinstance(node, yaml.MappingNode):
        return {k.value: yaml12(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [yaml12(item) for item in node.value]
    value = node.value
    if node.style not in (None, ""):
        return value
    if value in ("", "~", "null", "Null", "NULL"):
        return None
    if value in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return value.lower() == "true"
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    return value


def editor_view(text: str) -> Any:
    return yaml12(yaml.compose(text, Loader=_TextLoader))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(run("schema").stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_accepts_examples_as_an_editor_reads_them(
    validator: jsonschema.Draft202012Validator,
) -> None:
    for path in [*EXAMPLES, commented_example()]:
        errors = list(validator.iter_errors(editor_view(path.read_text(encoding="utf-8"))))
        assert errors == [], (path.name, [e.message for e in errors[:3]])


def test_schema_accepts_unquoted_codes_and_numbers_in_text(
    validator: jsonschema.Draft202012Validator, tmp_path: Path
) -> None:
    text = (
        REFERENCE.read_text(encoding="utf-8")
        .replace('siren: "200068468"', "siren: 200068468")
        .replace('departement: "61"', "departement: 61")
        .replace('{insee: "61008", nom: Aube}', "{insee: 61008, nom: Aube}")
        .replace('cible: "120"', "cible: 120")
        .replace("lieu: Mairie de Rai", "lieu: true")
    )
    path = tmp_path / "sans-guillemets.yaml"
    path.write_text(text, encoding="utf-8")
    assert run("validate", path).exit_code == 0
    assert list(validator.iter_errors(editor_view(text))) == []


def test_schema_messages_are_french(validator: jsonschema.Draft202012Validator) -> None:
    schema = validator.schema
    periode = schema["properties"]["convention"]["properties"]["periode"]
    assert periode["description"] == "Période couverte par la convention (4 ou 5 ans en général)."
    debut = periode["properties"]["debut"]
    assert debut["patternErrorMessage"] == (
        "attendu : une date au format AAAA-MM-JJ (par exemple 2018-06-28)"
    )
    messages = re.findall(r'"(?:errorMessage|patternErrorMessage)": "([^"]*)', json.dumps(schema))
    assert messages and all(m.startswith("attendu : ") for m in messages)


def test_schema_still_rejects_what_validate_rejects(
    validator: jsonschema.Draft202012Validator,
) -> None:
    for name in ("cle-inconnue", "valeurs-permises", "dates", "insee-mal-forme"):
        text = (FIXTURES / "invalides" / f"{name}.yaml").read_text(encoding="utf-8")
        assert list(validator.iter_errors(editor_view(text))), name
