"""Draft mode: text still « À COMPLÉTER » becomes a highlighted blank of a PROJET document."""

from __future__ import annotations

from typing import Any

from .problems import DataPath
from .validation import _rules_at

# Private-use markers around a value still to write: `wordml.typeset_part` highlights it.
HIGHLIGHT_START = "\ue002"
HIGHLIGHT_END = "\ue003"

# Keys that name or link things (file names, cross-references): never left blank.
_IDENTIFIERS = {"reference", "code", "id", "axe", "partie", "fiches_actions"}


def _blank_allowed(data: dict[str, Any], path: DataPath) -> bool:
    if (_rules_at(path) or {}).get("type") not in ("texte", "ligne"):
        return False  # a date, an amount, a choice: the document cannot be written without it
    if any(part in _IDENTIFIERS for part in path if isinstance(part, str)):
        return False
    if path[0] == "reunions" and len(path) > 1:
        reunion = data.get("reunions", [])[path[1]]
        return isinstance(reunion, dict) and not reunion.get("validation")
    return True


def _set(data: Any, path: DataPath, value: str) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def blank_placeholders(data: dict[str, Any], placeholders: dict[DataPath, str]) -> set[DataPath]:
    """Mark in `data` the placeholders a projet may show highlighted; return their paths.

    Only in an unsigned convention: every document is then a PROJET (an avenant cannot be
    signed before it, a compte rendu is one until validated).
    """
    convention = data.get("convention")
    if not isinstance(convention, dict) or convention.get("signature") is not None:
        return set()
    blanks = set()
    for path, text in placeholders.items():
        if path and _blank_allowed(data, path):
            _set(data, path, f"{HIGHLIGHT_START}{text}{HIGHLIGHT_END}")
            blanks.add(path)
    return blanks
