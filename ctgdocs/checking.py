"""One convention file → its typed data and every problem it has (schema, rules, placeholders)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .brouillon import blank_placeholders
from .errors import InvalidConventionError, UsageError
from .loader import load_convention
from .problems import AVERTISSEMENT, ERREUR, DataPath, FileReport, Problem
from .rules import check_rules
from .validation import PLACEHOLDER, check_schema, codes_for_rules, find_placeholders


@dataclass
class CheckedFile:
    """A convention file after validation: typed data (if it parsed) and its report."""

    report: FileReport
    data: dict[str, Any] | None = None


def _under(path: DataPath, prefixes: set[DataPath]) -> bool:
    return any(path[:end] in prefixes for end in range(len(path) + 1))


def check_file(path: Path, *, draft: bool = False) -> CheckedFile:
    """Load and validate one file; never raises for bad content.

    A draft leaves the text still « À COMPLÉTER » as highlighted blanks (a warning each)
    where the documents are projets.
    """
    try:
        loaded = load_convention(path)
    except InvalidConventionError as exc:
        return CheckedFile(exc.reports[0])
    positions = loaded.positions
    placeholders = find_placeholders(loaded.data)
    schema_problems, data = check_schema(loaded.data, positions)
    blanks = blank_placeholders(data, placeholders) if draft and isinstance(data, dict) else set()
    problems = [
        Problem(AVERTISSEMENT, where, f"{_todo_message(text)} : laissé en blanc surligné", *at)
        if where in blanks
        else Problem(ERREUR, where, _todo_message(text), *at)
        for where, text in placeholders.items()
        if (at := positions.locate(where))
    ]
    # A forbidden character is said where it stands; the schema would only repeat it.
    problems += loaded.problems + loaded.duplicates
    forbidden = {p.path for p in loaded.problems}
    schema_problems = [p for p in schema_problems if not _under(p.path, forbidden)]
    # Where the schema rejects a value, rules reading it would only repeat the error.
    rejected = {p.path for p in schema_problems} | forbidden
    rule_problems = [
        p
        for p in check_rules(codes_for_rules(data, rejected), positions)
        if not _under(p.path, rejected)
    ]
    # A placeholder already says what to write there; its other errors would only repeat it.
    todo = set(placeholders)
    problems += [p for p in schema_problems + rule_problems if not _under(p.path, todo)]
    return CheckedFile(FileReport(path, _unique(problems)), data)


def _todo_message(text: str) -> str:
    hint = text[len(PLACEHOLDER) :].strip(" :")
    return f"à compléter ({hint})" if hint else "à compléter"


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def collect_paths(paths: list[Path]) -> list[Path]:
    """The YAML files named, or found under the folders named, sorted."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                # Windows does not tell « .YAML » from « .yaml » (nor does Explorer show it).
                if p.suffix.lower() in (".yaml", ".yml")
                # A broken link or a pipe is reported by the loader, not skipped.
                and not p.is_dir()
                # Hidden folders (.venv, .git) hold other tools' YAML, never conventions.
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                raise UsageError(f"{path} : aucun fichier .yaml dans ce dossier")
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            raise UsageError(f"{path} : fichier ou dossier introuvable")
    return list(dict.fromkeys(files))
