"""Build: validate, plan, render in parallel, write, convert to PDF, remove what is obsolete."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .checking import CheckedFile, check_file, collect_paths
from .documents import Document
from .errors import BuildFailedError, ConversionError, InvalidConventionError, OutputError
from .files import remove_file, write_atomically
from .formatting import pluriel
from .locking import build_lock
from .manifest import Manifest, sha256_bytes, sha256_file
from .pdf import Conversion, convert_all
from .planning import BuildOptions, Decisions, Job, decide, manifest_entry, plan
from .problems import FileReport
from .render import render_document

__all__ = ["BuildOptions", "BuildResult", "Progress", "build"]

WORKDIR = ".ctgdocs-tmp"


class Progress(Protocol):
    """How a build tells its caller what it does; the CLI shows it, the library ignores it."""

    def start(self, total: int, label: str) -> None: ...
    def advance(self, count: int, message: str) -> None: ...
    def detail(self, message: str) -> None: ...


class Silent:
    """No progress to show: the library used without a terminal."""

    def start(self, total: int, label: str) -> None:
        pass

    def advance(self, count: int, message: str) -> None:
        pass

    def detail(self, message: str) -> None:
        pass


@dataclass
class BuildResult:
    reports: list[FileReport] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    up_to_date: list[Path] = field(default_factory=list)
    # --check: what would be (re)built or removed, and why.
    stale: list[tuple[Path, str]] = field(default_factory=list)


def check_all(paths: Sequence[Path]) -> list[CheckedFile]:
    """Validate every file; raise with every report if any has an error."""
    checked = [check_file(path) for path in collect_paths(list(paths))]
    if not all(c.report.ok for c in checked):
        raise InvalidConventionError("conventions invalides", reports=[c.report for c in checked])
    return checked


def _render_group(items: list[tuple[Path, Document]]) -> list[bytes]:
    """Render the documents of one convention (in a worker process)."""
    return [render_document(template, document) for template, document in items]


def _render(jobs: Sequence[Job], workers: int) -> list[bytes]:
    """Render every job, one process per convention when there are several."""
    groups: dict[Path, list[int]] = {}
    for index, job in enumerate(jobs):
        groups.setdefault(job.source, []).append(index)
    batches = [
        [(jobs[i].template, jobs[i].document) for i in indexes] for indexes in groups.values()
    ]
    if workers <= 1 or len(batches) <= 1:
        rendered = [_render_group(batch) for batch in batches]
    else:
        with ProcessPoolExecutor(max_workers=min(workers, len(batches))) as pool:
            rendered = list(pool.map(_render_group, batches))
    result: list[bytes] = [b""] * len(jobs)
    for indexes, blobs in zip(groups.values(), rendered, strict=True):
        for index, blob in zip(indexes, blobs, strict=True):
            result[index] = blob
    return result


def build(
    paths: Sequence[Path], options: BuildOptions, progress: Progress | None = None
) -> BuildResult:
    """Bring the outputs of every convention up to date; nothing at all if any input is invalid."""
    progress = progress or Silent()
    checked = check_all(paths)
    jobs = plan(checked, options)
    result = BuildResult(reports=[c.report for c in checked])
    waiting = f"attente : une autre construction écrit dans {options.output}…"
    with build_lock(
        options.output, shared=options.check, on_wait=lambda: progress.advance(0, waiting)
    ):
        manifest = Manifest.load(options.output)
        decisions = decide(manifest, jobs, {c.report.path for c in checked}, options)
        rebuilt = {j.path for j, _ in decisions.docx}
        result.up_to_date = [job.path for job in jobs if job.path not in rebuilt]
        if options.check:
            result.stale = [(j.path, r) for j, r in decisions.docx]
            result.stale += [(j.pdf_path, r) for j, r in decisions.pdf]
            result.stale += [
                (options.output / key, "document obsolète à supprimer") for key in decisions.stale
            ]
            return result
        _produce(manifest, decisions, options, progress, result)
    return result


def _produce(
    manifest: Manifest,
    decisions: Decisions,
    options: BuildOptions,
    progress: Progress,
    result: BuildResult,
) -> None:
    """Write what is out of date, convert, remove what is obsolete, record it all."""
    failures: list[str] = []
    todo = [job for job, _ in decisions.docx]
    for job, reason in decisions.docx:
        progress.detail(f"à reconstruire : {job.path} ({reason})")
    # Render everything first: a broken template stops the build before any write.
    rendered = _render(todo, options.jobs)
    progress.start(len(todo), "Documents")
    for job, data in zip(todo, rendered, strict=True):
        key = manifest.key(job.path)
        previous = manifest.entries.get(key)
        try:
            # A PDF of the previous version must never sit beside the new document.
            stale_pdf = not options.pdf and previous is not None and bool(previous.pdf)
            if stale_pdf and remove_file(job.pdf_path):
                result.removed.append(job.pdf_path)
                progress.advance(0, f"supprimé (PDF périmé) : {job.pdf_path}")
            write_atomically(job.path, data)
        except OutputError as exc:
            # The file on disk is still the one the manifest describes (a Word document
            # held open on Windows): the next build retries it.
            failures.append(str(exc))
            continue
        manifest.entries[key] = manifest_entry(job, options, sha256_bytes(data))
        result.written.append(job.path)
        progress.advance(1, f"écrit : {job.path}")
    conversions = [
        (job, Conversion(job.path, job.pdf_path))
        for job, _ in decisions.pdf
        if manifest.key(job.path) in manifest.entries
    ]
    try:
        failures += _convert(manifest, conversions, options, progress, result)
    finally:
        for key in decisions.stale:
            entry = manifest.entries[key]
            obsolete = [options.output / key]
            if entry.pdf:
                obsolete.append(options.output / entry.pdf["path"])
            try:
                for path in obsolete:
                    if remove_file(path):
                        result.removed.append(path)
                        progress.advance(0, f"supprimé (obsolète) : {path}")
            except OutputError as exc:
                failures.append(str(exc))  # kept in the manifest: the next build retries
                continue
            del manifest.entries[key]
        manifest.save()
    if failures:
        count = len(failures)
        raise BuildFailedError(
            f"{pluriel(count, 'document')} non produit{'s' if count > 1 else ''} :\n  "
            + "\n  ".join(failures)
        )


def _convert(
    manifest: Manifest,
    conversions: list[tuple[Job, Conversion]],
    options: BuildOptions,
    progress: Progress,
    result: BuildResult,
) -> list[str]:
    """Convert to PDF and record each PDF; the failures, by document."""
    if not conversions:
        return []
    workdir = options.output / WORKDIR
    progress.start(len(conversions), "PDF")
    try:
        failed = convert_all(
            [c for _, c in conversions],
            workdir,
            pdfa=options.pdfa,
            jobs=options.jobs,
            on_batch=lambda done: progress.advance(done, ""),
        )
    except ConversionError as exc:
        raise ConversionError(f"{exc}. Les documents .docx ont été écrits.") from exc
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    reasons = {f.conversion.target: f.reason for f in failed}
    for job, conversion in conversions:
        entry = manifest.entries[manifest.key(job.path)]
        if conversion.target in reasons:
            entry.pdf = None
            continue
        entry.pdf = {
            "path": manifest.key(conversion.target),
            "sha256": sha256_file(conversion.target),
            "pdfa": options.pdfa,
        }
        result.pdfs.append(conversion.target)
        progress.advance(0, f"PDF : {conversion.target}")
    return [f"{target} : {reason}" for target, reason in sorted(reasons.items())]
