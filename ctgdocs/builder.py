"""Build: validate conventions, plan their documents, render them all, then write them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .checking import CheckedFile, check_file, collect_paths
from .documents import KINDS, Document, plan_documents, safe_name
from .errors import BuildFailedError, InvalidConventionError, OutputError
from .problems import FileReport
from .render import render_document, write_atomically
from .resources import template_path


@dataclass(frozen=True)
class Job:
    """One document of one convention, with where it goes."""

    source: Path
    document: Document
    path: Path
    template: Path


@dataclass
class BuildResult:
    written: list[Path] = field(default_factory=list)
    reports: list[FileReport] = field(default_factory=list)


def check_all(paths: Sequence[Path]) -> list[CheckedFile]:
    """Validate every file; raise with every report if any has an error."""
    checked = [check_file(path) for path in collect_paths(list(paths))]
    if not all(c.report.ok for c in checked):
        raise InvalidConventionError("conventions invalides", reports=[c.report for c in checked])
    return checked


def plan(
    checked: Sequence[CheckedFile],
    output: Path,
    only: Sequence[str] = KINDS,
    templates: Path | None = None,
) -> list[Job]:
    """Every document to produce, refusing two documents at one path."""
    jobs: list[Job] = []
    owners: dict[str, Path] = {}
    for item in checked:
        assert item.data is not None  # checked files without errors always carry data
        folder = output / safe_name(item.data["convention"]["reference"])
        for document in plan_documents(item.data, only):
            path = folder / document.output
            key = str(path).casefold()
            if key in owners:
                raise InvalidConventionError(
                    f"{path} serait écrit deux fois ({owners[key]} et {item.report.path}) : "
                    "deux conventions ont la même référence, ou deux codes ne diffèrent que "
                    "par des caractères qu'un nom de fichier ne garde pas"
                )
            owners[key] = item.report.path
            jobs.append(
                Job(item.report.path, document, path, template_path(document.template, templates))
            )
    return jobs


def build(
    paths: Sequence[Path],
    output: Path,
    only: Sequence[str] = KINDS,
    templates: Path | None = None,
) -> BuildResult:
    """Write every document of every convention; nothing at all if any input is invalid."""
    checked = check_all(paths)
    jobs = plan(checked, output, only, templates)
    # Render everything first: a broken template stops the build before any write.
    rendered = [(job, render_document(job.template, job.document)) for job in jobs]
    result = BuildResult(reports=[c.report for c in checked])
    failures: list[str] = []
    for job, data in rendered:
        try:
            write_atomically(job.path, data)
        except OutputError as exc:
            failures.append(str(exc))
            continue
        result.written.append(job.path)
    if failures:
        raise BuildFailedError(
            f"{len(failures)} document(s) non produit(s) :\n  " + "\n  ".join(failures)
        )
    return result
