"""Plan a build: every document of the conventions, and which are out of date and why."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .checking import CheckedFile
from .documents import KINDS, Document, plan_documents, safe_name
from .errors import InvalidConventionError
from .manifest import Entry, Manifest, context_digest, sha256_file
from .resources import bundled_templates, template_path


@dataclass(frozen=True)
class BuildOptions:
    output: Path = Path("build")
    only: tuple[str, ...] = KINDS
    templates: Path | None = None
    pdf: bool = False
    pdfa: bool = False
    jobs: int = 1
    force: bool = False
    check: bool = False


@dataclass(frozen=True)
class Job:
    """One document of one convention: where it goes, and the digests of what makes it."""

    source: Path
    source_sha256: str
    document: Document
    path: Path
    template: Path
    template_sha256: str
    context_sha256: str

    @property
    def pdf_path(self) -> Path:
        return self.path.with_suffix(".pdf")


def plan(checked: Sequence[CheckedFile], options: BuildOptions) -> list[Job]:
    """Every document to produce, refusing two documents at one path."""
    jobs: list[Job] = []
    owners: dict[str, Path] = {}
    digests: dict[Path, str] = {}
    for item in checked:
        if item.data is None:  # pragma: no cover - check_all keeps only valid files
            continue
        source = item.report.path
        source_sha = sha256_file(source) or ""
        folder = options.output / safe_name(item.data["convention"]["reference"])
        for document in plan_documents(item.data, options.only):
            path = folder / document.output
            key = str(path).casefold()
            if key in owners:
                raise InvalidConventionError(
                    f"{path} serait écrit deux fois ({owners[key]} et {source}) : deux conventions "
                    "ont la même référence, ou deux codes ne diffèrent que par des caractères "
                    "qu'un nom de fichier ne garde pas"
                )
            owners[key] = source
            template = template_path(document.template, options.templates)
            if template not in digests:
                digests[template] = sha256_file(template) or ""
            jobs.append(
                Job(
                    source,
                    source_sha,
                    document,
                    path,
                    template,
                    digests[template],
                    context_digest(document),
                )
            )
    return jobs


def _docx_reason(job: Job, entry: Entry | None, options: BuildOptions) -> str | None:
    """Why the document must be (re)built, or None when it is up to date."""
    if options.force:
        return "reconstruction demandée (--force)"
    if entry is None:
        return "nouveau document"
    if entry.context_sha256 != job.context_sha256:
        return "données modifiées"
    if entry.template_sha256 != job.template_sha256:
        return "modèle modifié"
    if entry.ctgdocs != __version__:
        return f"ctgdocs {entry.ctgdocs} → {__version__}"
    if sha256_file(job.path) != entry.sha256:
        return "fichier absent ou modifié hors de ctgdocs"
    return None


def _pdf_reason(
    job: Job, entry: Entry | None, docx_rebuilt: bool, options: BuildOptions
) -> str | None:
    if not options.pdf:
        return None
    if docx_rebuilt or entry is None or entry.pdf is None:
        return "PDF à produire"
    if bool(entry.pdf.get("pdfa")) != options.pdfa:
        return "passage en PDF/A" if options.pdfa else "passage en PDF simple"
    if sha256_file(job.pdf_path) != entry.pdf.get("sha256"):
        return "PDF absent ou modifié hors de ctgdocs"
    return None


def _stale(
    manifest: Manifest, jobs: Sequence[Job], sources: set[Path], options: BuildOptions
) -> list[str]:
    """Manifest entries of the conventions built whose document no longer exists."""
    planned = {manifest.key(job.path) for job in jobs}
    resolved = {s.resolve() for s in sources}
    return [
        key
        for key, entry in manifest.entries.items()
        if key not in planned
        and entry.kind in options.only
        and (options.output / entry.source).resolve() in resolved
    ]


@dataclass
class Decisions:
    """What a build must do: documents and PDFs to (re)make with why, outputs to remove."""

    docx: list[tuple[Job, str]] = field(default_factory=list)
    pdf: list[tuple[Job, str]] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)


def decide(
    manifest: Manifest, jobs: Sequence[Job], sources: set[Path], options: BuildOptions
) -> Decisions:
    """Compare each planned document with the manifest."""
    decisions = Decisions(stale=_stale(manifest, jobs, sources, options))
    for job in jobs:
        entry = manifest.entries.get(manifest.key(job.path))
        reason = _docx_reason(job, entry, options)
        if reason:
            decisions.docx.append((job, reason))
        pdf_reason = _pdf_reason(job, entry, reason is not None, options)
        if pdf_reason:
            decisions.pdf.append((job, pdf_reason))
    return decisions


def _template_label(path: Path, output: Path) -> str:
    """How the manifest names a template: "ctgdocs:convention.docx" when bundled."""
    if path.parent == bundled_templates():
        return f"ctgdocs:{path.name}"
    return os.path.relpath(path.resolve(), output.resolve())


def manifest_entry(job: Job, options: BuildOptions, sha256: str) -> Entry:
    """What the manifest records of a document just written: its audit trail."""
    return Entry(
        kind=job.document.kind,
        source=os.path.relpath(job.source.resolve(), options.output.resolve()),
        source_sha256=job.source_sha256,
        template=_template_label(job.template, options.output),
        template_sha256=job.template_sha256,
        context_sha256=job.context_sha256,
        ctgdocs=__version__,
        sha256=sha256,
    )
