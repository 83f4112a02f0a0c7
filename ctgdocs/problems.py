"""Problems found in a convention file: severity, position, field and message."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from .formatting import pluriel

Severity = Literal["erreur", "avertissement"]
ERREUR: Severity = "erreur"
AVERTISSEMENT: Severity = "avertissement"

# Characters neither YAML nor XML 1.0 (so Word) accepts: control characters but tab and
# line breaks, DEL, C1 controls but NEL, lone surrogates, U+FFFE and U+FFFF.
INTERDITS = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# A path into the YAML document: keys and list indexes, e.g. ("fiches_actions", 2, "axe").
DataPath = tuple[str | int, ...]


def one_line(text: str) -> str:
    """Text quoted from a file, safe to print on one line."""
    return INTERDITS.sub("?", re.sub("\r\n|[\r\n\x85\u2028\u2029]", "↵", text))


def shown(value: str) -> str:
    """A value as a message quotes it: on one line, a long one cut, with its length."""
    return one_line(value if len(value) <= 60 else f"{value[:50]}… ({len(value)} caractères)")


def format_path(path: DataPath) -> str:
    """Spell a data path as users read it: `fiches_actions[2].axe`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return one_line(text)


@dataclass(frozen=True)
class Problem:
    """One error or warning, located in its file."""

    severity: Severity
    path: DataPath
    message: str
    line: int = 0
    column: int = 0

    def __post_init__(self) -> None:
        # A message may quote a value: one line, and no control character to the terminal.
        object.__setattr__(self, "message", one_line(self.message))

    @property
    def field(self) -> str:
        return format_path(self.path)

    def sort_key(self) -> tuple[int, int, str, str]:
        return (self.line, self.column, self.field, self.message)


@dataclass
class FileReport:
    """Every problem of one convention file."""

    path: Path
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERREUR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == AVERTISSEMENT]

    @property
    def ok(self) -> bool:
        return not self.errors

    def strict(self) -> FileReport:
        """Return this report with every warning turned into an error."""
        return FileReport(self.path, [replace(p, severity=ERREUR) for p in self.problems])

    def sorted(self) -> list[Problem]:
        return sorted(self.problems, key=Problem.sort_key)


class ReportSpool:
    """The problems of many files, on disk until read: a national build gives tens of
    thousands of warnings, which its parent would otherwise hold until it prints them.

    A private temporary SQLite database, deleted with the spool or when the process dies.
    """

    def __init__(self) -> None:
        self._db = sqlite3.connect("")
        self._db.execute("CREATE TABLE reports (number INTEGER PRIMARY KEY, data TEXT NOT NULL)")

    def keep(self, number: int, report: FileReport) -> FileReport:
        """The report, its problems left here under `number`."""
        data = [[p.severity, list(p.path), p.message, p.line, p.column] for p in report.problems]
        self._db.execute("INSERT OR REPLACE INTO reports VALUES (?, ?)", (number, json.dumps(data)))
        return SpooledReport(report.path, self, number, report.ok)

    def problems(self, number: int) -> list[Problem]:
        row = self._db.execute("SELECT data FROM reports WHERE number = ?", (number,)).fetchone()
        return [
            Problem(sev, tuple(path), msg, line, col)
            for sev, path, msg, line, col in json.loads(row[0])
        ]


class SpooledReport(FileReport):
    """A report whose problems are read from its spool each time they are asked for."""

    def __init__(self, path: Path, spool: ReportSpool, number: int, ok: bool) -> None:
        self.path = path
        self._spool = spool
        self._number = number
        self._ok = ok

    @property  # read-only: written once, to the spool
    def problems(self) -> list[Problem]:  # type: ignore[override]
        return self._spool.problems(self._number)

    @property
    def ok(self) -> bool:
        return self._ok


def format_problem(path: Path, problem: Problem) -> str:
    """Render `chemin:ligne:colonne: erreur: champ: message`."""
    where = f"{path}:{problem.line}:{problem.column}"
    if problem.field:
        return f"{where}: {problem.severity}: {problem.field}: {problem.message}"
    return f"{where}: {problem.severity}: {problem.message}"


def summary(reports: Sequence[FileReport]) -> str:
    """One line counting files, errors and warnings."""
    errors = sum(len(r.errors) for r in reports)
    warnings = sum(len(r.warnings) for r in reports)
    invalid = sum(1 for r in reports if not r.ok)
    files = pluriel(len(reports), "fichier")
    counts = f"{pluriel(errors, 'erreur')}, {pluriel(warnings, 'avertissement')}"
    if invalid:
        return f"Échec : {counts} ; {pluriel(invalid, 'fichier', 'invalide')} sur {len(reports)}."
    return f"Validation réussie : {files}, {counts}."


def format_text(reports: Iterable[FileReport]) -> list[str]:
    """Every problem of every report, one line each, sorted by file then line."""
    return list(text_lines(reports))


def text_lines(reports: Iterable[FileReport]) -> Iterator[str]:
    """`format_text`'s lines one at a time, a report's problems read only when printed."""
    for report in sorted(reports, key=lambda r: str(r.path)):
        yield from (format_problem(report.path, p) for p in report.sorted())


def format_json(reports: Sequence[FileReport]) -> str:
    """The same problems as a JSON document for other tools."""
    payload = {
        "fichiers": [
            {
                "chemin": str(report.path),
                "valide": report.ok,
                "problemes": [
                    {
                        "ligne": p.line,
                        "colonne": p.column,
                        "gravite": p.severity,
                        "champ": p.field,
                        "chemin": list(p.path),
                        "message": p.message,
                    }
                    for p in report.sorted()
                ],
            }
            for report in sorted(reports, key=lambda r: str(r.path))
        ],
        "erreurs": sum(len(r.errors) for r in reports),
        "avertissements": sum(len(r.warnings) for r in reports),
        "resume": summary(reports),
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)
