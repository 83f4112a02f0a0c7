"""The library entry points the CLI calls: validate, init, schema, build, check templates."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from .checking import check_file, collect_paths
from .errors import OutputError
from .problems import FileReport, format_json, format_text, summary


@dataclass
class ValidationResult:
    """The reports of every file validated."""

    reports: list[FileReport]

    @property
    def ok(self) -> bool:
        return all(report.ok for report in self.reports)

    def as_text(self) -> str:
        return "\n".join([*format_text(self.reports), summary(self.reports)])

    def as_json(self) -> str:
        return format_json(self.reports)


def validate(paths: list[Path], *, strict: bool = False) -> ValidationResult:
    """Validate every convention file named or found under the folders named."""
    reports = [check_file(path).report for path in collect_paths(paths)]
    if strict:
        reports = [report.strict() for report in reports]
    return ValidationResult(reports)


def init(siren: str, output: Path | None) -> Path | None:
    """Write a new convention for the EPCI `siren`; None when written to stdout."""
    from .scaffold import scaffold

    text, default_name = scaffold(siren)
    if output is not None and str(output) == "-":
        sys.stdout.write(text)
        return None
    target = output or Path(default_name)
    try:
        with target.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError as exc:
        raise OutputError(f"{target} existe déjà : choisissez un autre nom avec -o") from exc
    except OSError as exc:
        raise OutputError(f"{target} : écriture impossible ({exc.strerror})") from exc
    return target


def schema() -> str:
    """The JSON Schema of the format, as text."""
    from .jsonschema import json_schema_text

    return json_schema_text()
