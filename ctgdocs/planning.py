"""Plan a build: the options, each document's digests, and what is out of date and why."""

from __future__ import annotations

import ntpath
import posixpath
from dataclasses import dataclass
from pathlib import Path, PurePath, PureWindowsPath
from typing import Any

from . import __version__
from .documents import KINDS, Document, kind
from .manifest import Entry, SourceRecord, sha256_file, unchanged_output
from .problems import Problem
from .render import Engine
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
    engine: Engine = "rapide"
    # --continuer: build the valid conventions even if others are invalid (a draft).
    keep_going: bool = False
    # --brouillon: text still « À COMPLÉTER » left as highlighted blanks of projets.
    draft: bool = False


@dataclass(frozen=True)
class Template:
    """The template a kind of document uses in this build: file, manifest label, digest."""

    path: Path
    label: str
    sha256: str


def _template_label(path: Path, output: Path) -> str:
    """How the manifest names a template: "ctgdocs:convention.docx" when bundled."""
    if path.parent == bundled_templates():
        return f"ctgdocs:{path.name}"
    return relative_label(path.resolve(), output.resolve())


def current_templates(options: BuildOptions) -> dict[str, Template]:
    """The template of every kind built, read once per build."""
    templates = {}
    for name in options.only:
        path = template_path(kind(name).template, options.templates)
        templates[name] = Template(
            path, _template_label(path, options.output), sha256_file(path) or ""
        )
    return templates


def source_label(source: Path, output: Path) -> str:
    """How the manifest names a convention file: relative to the output folder."""
    return relative_label(source.resolve(), output.resolve())


def relative_label(target: PurePath, start: PurePath) -> str:
    """`target` relative to the folder `start`, as the manifest names it: with forward
    slashes on every system, so that a build folder moved between Windows and Linux or
    macOS keeps its manifest. Windows has no relative path from one drive (or network
    share) to another: the absolute path then, with forward slashes too."""
    flavour = ntpath if isinstance(target, PureWindowsPath) else posixpath
    try:
        relative = flavour.relpath(target, start)
    except ValueError:  # Windows: "path is on mount 'D:', start on mount 'C:'"
        return target.as_posix()
    return type(target)(relative).as_posix()


@dataclass(frozen=True)
class Job:
    """One document of one convention: where it goes, and the digests of what makes it."""

    source: Path
    source_sha256: str
    document: Document
    path: Path
    template: Template
    context_sha256: str

    @property
    def pdf_path(self) -> Path:
        return self.path.with_suffix(".pdf")


def docx_reason(
    job: Job, entry: Entry | None, options: BuildOptions, written_ns: int | None
) -> str | None:
    """Why the document must be (re)built, or None when it is up to date."""
    if options.force:
        return "reconstruction demandée (--force)"
    if entry is None:
        return "nouveau document"
    if entry.context_sha256 != job.context_sha256:
        return "données modifiées"
    if entry.template_sha256 != job.template.sha256:
        return "modèle modifié"
    if entry.ctgdocs != __version__:
        return f"ctgdocs {entry.ctgdocs} → {__version__}"
    if not unchanged_output(job.path, entry.sha256, entry.size, written_ns):
        return "fichier absent ou modifié hors de ctgdocs"
    return None


# What a document is once its act is signed (a compte rendu, once validated).
_FINAL = {
    "convention": "la convention est signée",
    "fiches": "cette fiche est l'annexe d'un acte signé",
    "comptes-rendus": "ce compte rendu est validé",
    "avenants": "cet avenant est signé",
}


def signed_change(job: Job, entry: Entry | None) -> str | None:
    """A warning when the data of a signed act (or of a validated compte rendu) changed
    since this version of ctgdocs last built it signed: the document no longer reads as
    it was signed (a projet that becomes signed is not warned).

    A new version of ctgdocs, which may word a document better, is not a change of data; a
    fiche de suivi and the consolidated convention follow the convention's life.
    """
    document = job.document
    if entry is None or not entry.final or entry.ctgdocs != __version__:
        return None
    if entry.context_sha256 == job.context_sha256:
        return None
    if document.context.get("projet", True) or document.context.get("consolidee"):
        return None
    final = _FINAL.get(document.kind)
    if final is None:
        return None
    if document.kind == "comptes-rendus":
        advice = (
            "le compte rendu ne reproduit plus celui que l'instance a validé : faites-le "
            "valider à nouveau (validation), sauf erreur matérielle"
        )
    else:
        advice = (
            "le document ne reproduit plus l'acte tel qu'il a été signé : un acte signé se "
            "modifie par avenant (fiches_modifiees, dispositions), sauf erreur matérielle"
        )
    return (
        f"{job.path}: avertissement: {final} et ses données ont changé depuis sa dernière "
        f"construction ; {advice}"
    )


def pdf_reason(
    pdf_path: Path,
    entry: Entry | None,
    docx_rebuilt: bool,
    options: BuildOptions,
    written_ns: int | None,
) -> str | None:
    if not options.pdf:
        return None
    if docx_rebuilt or entry is None or entry.pdf is None:
        return "PDF à produire"
    if bool(entry.pdf.get("pdfa")) != options.pdfa:
        return "passage en PDF/A" if options.pdfa else "passage en PDF simple"
    if not unchanged_output(pdf_path, entry.pdf["sha256"], entry.pdf.get("size"), written_ns):
        return "PDF absent ou modifié hors de ctgdocs"
    return None


def manifest_entry(job: Job, source: str, sha256: str, size: int) -> Entry:
    """What the manifest records of a document just written: its audit trail (`source` is
    the convention file's `source_label`)."""
    return Entry(
        kind=job.document.kind,
        source=source,
        source_sha256=job.source_sha256,
        template=job.template.label,
        template_sha256=job.template.sha256,
        context_sha256=job.context_sha256,
        ctgdocs=__version__,
        sha256=sha256,
        size=size,
        final=not job.document.context.get("projet", True),
    )


def unchanged_source(
    record: SourceRecord | None,
    entries: dict[str, Entry],
    sha256: str | None,
    options: BuildOptions,
    templates: dict[str, Template],
    *,
    written_ns: int | None,
) -> bool:
    """Whether a convention file needs neither validation nor rendering in this build.

    True when it is byte for byte the file of the last build, by this ctgdocs, with the
    same templates for every kind asked, and every output it gave is still there untouched.
    """
    if options.force or record is None or sha256 is None or record.sha256 != sha256:
        return False
    if record.ctgdocs != __version__:
        return False
    for name in options.only:
        known = record.kinds.get(name)
        template = templates[name]
        if known != {"template": template.label, "template_sha256": template.sha256}:
            return False
    for key, entry in entries.items():
        if entry.kind not in options.only:
            continue
        if entry.source_sha256 != sha256 or entry.template_sha256 != templates[entry.kind].sha256:
            return False
        path = options.output / key
        if not unchanged_output(path, entry.sha256, entry.size, written_ns):
            return False
        if options.pdf and pdf_reason(path.with_suffix(".pdf"), entry, False, options, written_ns):
            return False
    return True


def updated_record(
    old: SourceRecord | None,
    sha256: str,
    problems: list[Problem],
    options: BuildOptions,
    templates: dict[str, Template],
) -> SourceRecord:
    """The record of a convention file just built: the kinds asked, and those still valid."""
    kinds = {k: {"template": t.label, "template_sha256": t.sha256} for k, t in templates.items()}
    if old is not None and old.sha256 == sha256 and old.ctgdocs == __version__:
        for name, known in old.kinds.items():
            if name not in kinds and name in KINDS:
                path = template_path(kind(name).template, options.templates)
                label = _template_label(path, options.output)
                if known == {"template": label, "template_sha256": sha256_file(path) or ""}:
                    kinds[name] = known
    return SourceRecord(sha256, __version__, kinds, [problem_record(p) for p in problems])


def problem_record(problem: Problem) -> dict[str, Any]:
    return {
        "severity": problem.severity,
        "path": list(problem.path),
        "message": problem.message,
        "line": problem.line,
        "column": problem.column,
    }


def recorded_problems(record: SourceRecord) -> list[Problem]:
    """The warnings kept for an unchanged file; what does not read as one is dropped."""
    problems = []
    for item in record.problems:
        severity, path, message = item.get("severity"), item.get("path"), item.get("message")
        line, column = item.get("line", 0), item.get("column", 0)
        if (
            severity == "avertissement"
            and isinstance(path, list)
            and all(isinstance(p, str | int) for p in path)
            and isinstance(message, str)
            and isinstance(line, int)
            and isinstance(column, int)
        ):
            problems.append(Problem(severity, tuple(path), message, line, column))
    return problems
