"""The editor's support beside a convention: the JSON Schema file and the line that points to it."""

from __future__ import annotations

from pathlib import Path

from .files import write_atomically
from .jsonschema import json_schema_text

SCHEMA_FILE = "ctgdocs-schema.json"
# yaml-language-server (VS Code's YAML extension and others) reads this first line.
MODELINE = f"# yaml-language-server: $schema=./{SCHEMA_FILE}\n"


def with_modeline(text: str) -> str:
    """The convention text, its first line pointing the editor to the schema beside it."""
    return text if text.startswith(MODELINE) else MODELINE + text


def write_schema_beside(convention: Path) -> Path:
    """Write (or bring up to date) the schema file in the convention's folder."""
    target = convention.parent / SCHEMA_FILE
    data = json_schema_text().encode("utf-8")
    try:
        current = target.read_bytes()
    except OSError:
        current = None
    if current != data:
        write_atomically(target, data)
    return target
