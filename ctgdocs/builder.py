"""Build: skip what is unchanged, produce the rest in workers, move it into place, convert, prune.

Nothing is written where a user looks until every convention of the build has validated and
rendered: workers stage each document as soon as it is rendered (memory stays bounded), and
the documents are moved into place only when the whole build has succeeded. An invalid
convention, or a broken template met midway, therefore leaves every output as it was.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .checking import collect_paths
from .errors import (
    BuildFailedError,
    ConversionError,
    InvalidConventionError,
    OutputError,
    TemplateError,
)
from .files import move_into_place, remove_file, remove_leftovers
from .formatting import pluriel
from .locking import build_lock
from .manifest import MANIFEST, Entry, Manifest, sha256_file
from .pdf import Conversion, convert_all
from .pipeline import load_reference_data
from .planning import (
    BuildOptions,
    current_templates,
    recorded_problems,
    source_label,
    unchanged_source,
    updated_record,
)
from .problems import FileReport
from .producing import PRODUCE_SECONDS, Outcome, Produced, Task, produce
from .workers import run_all

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
    # --continuer: the invalid conventions left out, the others being built.
    skipped: list[Path] = field(default_factory=list)
    # What the user should know although nothing failed (a damaged manifest set aside).
    notes: list[str] = field(default_factory=list)


def _by_source(manifest: Manifest) -> dict[str, dict[str, Entry]]:
    index: dict[str, dict[str, Entry]] = {}
    for key, entry in manifest.entries.items():
        index.setdefault(entry.source, {})[key] = entry
    return index


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


class _Build:
    """One build's state: its options, the manifest, and each convention file's fate."""

    def __init__(
        self, files: list[Path], options: BuildOptions, progress: Progress, manifest: Manifest
    ) -> None:
        self.options = options
        self.progress = progress
        self.manifest = manifest
        self.templates = current_templates(options)
        self.result = BuildResult(notes=[manifest.note] if manifest.note else [])
        self.files = files
        self.labels = [source_label(path, options.output) for path in files]
        self.reports: dict[int, FileReport] = {}
        self.outcomes: dict[int, Outcome] = {}
        self.todo: list[int] = []
        self.folders: set[Path] = set()  # output folders made by this build's commit

    def sort_out(self) -> None:
        """Which files are unchanged since the last build: neither validated nor rendered."""
        options = self.options
        entries = _by_source(self.manifest)
        for index, (path, label) in enumerate(zip(self.files, self.labels, strict=True)):
            record = self.manifest.sources.get(label)
            own = entries.get(label, {})
            sha256 = sha256_file(path)
            if unchanged_source(
                record, own, sha256, options, self.templates, written_ns=self.manifest.written_ns
            ):
                assert record is not None
                self.reports[index] = FileReport(path, recorded_problems(record))
                self.result.up_to_date += [
                    options.output / key for key, e in own.items() if e.kind in options.only
                ]
            else:
                self.todo.append(index)

    def produce_all(self, staging: Path) -> None:
        """Validate and render every file to do, in workers; stop rendering at a failure."""
        entries = _by_source(self.manifest)
        failed = False

        def make_task(position: int) -> Task:
            index = self.todo[position]
            own = entries.get(self.labels[index], {})
            path = self.files[index]
            return Task(
                index,
                path,
                self.labels[index],
                own,
                not failed,
                staging,
                self.templates,
                self.options,
                self.manifest.written_ns,
            )

        self.progress.start(len(self.todo), "Conventions")
        notes: set[str] = set()
        outcomes = run_all(
            produce,
            make_task,
            len(self.todo),
            workers=self.options.jobs,
            warm_up=load_reference_data,
            seconds_per_task=PRODUCE_SECONDS,
        )
        with closing(outcomes):
            for outcome in outcomes:
                self.outcomes[outcome.index] = outcome
                self.reports[outcome.index] = outcome.report
                invalid = not outcome.report.ok and not self.options.keep_going
                unstaged = any(p.failure for p in outcome.documents)
                failed = failed or invalid or unstaged or outcome.template_error is not None
                for note in outcome.notes:
                    if note not in notes:
                        notes.add(note)
                        self.progress.detail(note)
                self.progress.advance(1, "")
        self.result.reports = [self.reports[i] for i in range(len(self.files))]

    def documents(self) -> list[tuple[int, Produced]]:
        """Every document planned by the files produced, in the files' order."""
        return [(i, p) for i in sorted(self.outcomes) for p in self.outcomes[i].documents]

    def raise_failures(self) -> None:
        """Stop the build, before any write, if a file is invalid or a template broken."""
        invalid = [i for i, report in self.reports.items() if not report.ok]
        if invalid and self.options.keep_going and len(invalid) < len(self.files):
            # Left out, outputs untouched and not recorded: the others are built.
            for index in invalid:
                self.outcomes.pop(index, None)
            self.result.skipped = [self.files[i] for i in sorted(invalid)]
        elif invalid:
            raise InvalidConventionError("conventions invalides", reports=self.result.reports)
        duplicate = self._duplicate()
        if duplicate:
            raise InvalidConventionError(duplicate)
        errors = sorted({o.template_error for o in self.outcomes.values() if o.template_error})
        if errors:
            raise TemplateError("\n  ".join(errors))
        unstaged = [p.failure for _, p in self.documents() if p.failure]
        if unstaged:
            # A disk full while staging: none of the build's documents replaces its previous one.
            count = len(unstaged)
            raise OutputError(
                f"{pluriel(count, 'document')} non produit{'s' if count > 1 else ''}, aucun "
                "document n'a été remplacé :\n  " + "\n  ".join(sorted(unstaged))
            )

    def _duplicate(self) -> str | None:
        """Two documents of this build at one path (compared as Windows and macOS compare)."""
        owners: dict[str, Path] = {}
        positions = {label: index for index, label in enumerate(self.labels)}
        for key, entry in self.manifest.entries.items():
            index = positions.get(entry.source)
            if index is not None and index not in self.outcomes and entry.kind in self.options.only:
                # An unchanged file keeps its documents: a new one may not take their place.
                owners[key.casefold()] = self.files[index]
        for index, produced in self.documents():
            owner = owners.setdefault(produced.key.casefold(), self.files[index])
            if owner != self.files[index]:
                return (
                    f"{produced.path} serait écrit deux fois ({owner} et {self.files[index]}) : "
                    "deux conventions ont la même référence, ou deux codes ne diffèrent que par "
                    "des caractères qu'un nom de fichier ne garde pas"
                )
        return None

    def stale(self) -> list[str]:
        """Manifest entries of the files produced whose document no longer exists."""
        produced = {self.labels[i] for i in self.outcomes}
        planned = {p.key for _, p in self.documents()}
        return [
            key
            for key, entry in self.manifest.entries.items()
            if entry.source in produced and entry.kind in self.options.only and key not in planned
        ]

    def report_check(self, stale: list[str]) -> None:
        documents = [p for _, p in self.documents()]
        result = self.result
        result.stale = [(p.path, p.reason) for p in documents if p.reason]
        result.stale += [
            (p.path.with_suffix(".pdf"), p.pdf_reason) for p in documents if p.pdf_reason
        ]
        result.stale += [(self.options.output / k, "document obsolète à supprimer") for k in stale]

    def commit(self, stale: list[str]) -> None:
        """Move every staged document into place, convert, remove what is obsolete, record."""
        failures: list[str] = []
        failed: set[str] = set()  # files some of whose outputs are not as planned
        to_write = [(i, p) for i, p in self.documents() if p.reason]
        self.progress.start(len(to_write), "Documents")
        for index, produced in to_write:
            try:
                self._write(produced)
            except OutputError as exc:
                # The file on disk is still the one the manifest describes (a Word document
                # held open on Windows): the next build retries it.
                failures.append(str(exc))
                failed.add(self.labels[index])
        conversions = [p for _, p in self.documents() if p.pdf_reason]
        conversions = [p for p in conversions if p.key in self.manifest.entries]
        try:
            failures += _convert(
                self.manifest, conversions, self.options, self.progress, self.result
            )
        finally:
            failures += self._remove_stale(stale, failed)
            self._record_sources(failed)
            if self.outcomes or self.manifest.note:
                # Else no file was looked at again: the manifest on disk is still right.
                self.manifest.save()
        if failures:
            count = len(failures)
            raise BuildFailedError(
                f"{pluriel(count, 'document')} non produit{'s' if count > 1 else ''} :\n  "
                + "\n  ".join(failures)
            )

    def _write(self, produced: Produced) -> None:
        self.progress.detail(f"à reconstruire : {produced.path} ({produced.reason})")
        if produced.staged is None or produced.entry is None:
            raise OutputError(produced.failure or f"{produced.path} : non produit")
        entries = self.manifest.entries
        previous = entries.get(produced.key)
        pdf = produced.path.with_suffix(".pdf")
        # A PDF of the previous version must never sit beside the new document, not even
        # until the new PDF replaces it: the build may be killed in between.
        if previous is not None and previous.pdf and remove_file(pdf) and not self.options.pdf:
            self.result.removed.append(pdf)
            self.progress.advance(0, f"supprimé (PDF périmé) : {pdf}")
        move_into_place(produced.staged, produced.path, self.folders)
        entries[produced.key] = produced.entry
        self.result.written.append(produced.path)
        self.progress.advance(1, f"écrit : {produced.path}")

    def _record_sources(self, failed: set[str]) -> None:
        """Remember each file produced, to skip it next time if it does not change."""
        for index, outcome in self.outcomes.items():
            label = self.labels[index]
            if label in failed or self.options.draft:
                # Some of its outputs are not as planned (or are drafts, whose blanks a
                # build without --brouillon must report): the next build must look again.
                self.manifest.sources.pop(label, None)
                continue
            self.manifest.sources[label] = updated_record(
                self.manifest.sources.get(label),
                outcome.source_sha256,
                outcome.report.problems,
                self.options,
                self.templates,
            )

    def _remove_stale(self, stale: list[str], failed: set[str]) -> list[str]:
        """Delete the outputs of documents that no longer exist; what could not be deleted."""
        failures = []
        for key in stale:
            entry = self.manifest.entries[key]
            obsolete = [self.options.output / key]
            if entry.pdf:
                obsolete.append(self.options.output / entry.pdf["path"])
            try:
                for path in obsolete:
                    if remove_file(path):
                        self.result.removed.append(path)
                        self.progress.advance(0, f"supprimé (obsolète) : {path}")
            except OutputError as exc:
                failures.append(str(exc))  # kept in the manifest: the next build retries
                failed.add(entry.source)
                continue
            del self.manifest.entries[key]
        return failures


def build(
    paths: Sequence[Path], options: BuildOptions, progress: Progress | None = None
) -> BuildResult:
    """Bring the outputs of every convention up to date; nothing at all if any input is invalid."""
    files = collect_paths(list(paths))
    waiting = f"attente : une autre construction écrit dans {options.output}…"
    shown = progress or Silent()
    with build_lock(
        options.output, shared=options.check, on_wait=lambda: shown.advance(0, waiting)
    ) as unwritable:
        read_only = options.check or unwritable is not None
        workdir = options.output / WORKDIR
        if not read_only:
            # What a killed build left behind.
            shutil.rmtree(workdir, ignore_errors=True)
            remove_leftovers(options.output / MANIFEST)
        manifest = Manifest.load(options.output, read_only=read_only)
        run = _Build(files, options, shown, manifest)
        run.sort_out()
        if unwritable is not None and (run.todo or manifest.note) and not options.check:
            raise unwritable  # a read-only folder is fine while everything in it is up to date
        staging = workdir / f"documents-{uuid.uuid4().hex[:12]}"
        if run.todo and not options.check:
            staging.mkdir(parents=True)
        try:
            run.produce_all(staging)
            run.raise_failures()
            run.result.up_to_date += [p.path for _, p in run.documents() if p.reason is None]
            stale = run.stale()
            if options.check:
                run.report_check(stale)
            else:
                run.commit(stale)
        finally:
            if not read_only:
                shutil.rmtree(workdir, ignore_errors=True)
    return run.result


def _convert(
    manifest: Manifest,
    documents: list[Produced],
    options: BuildOptions,
    progress: Progress,
    result: BuildResult,
) -> list[str]:
    """Convert to PDF and record each PDF; the failures, by document."""
    if not documents:
        return []
    conversions = [Conversion(p.path, p.path.with_suffix(".pdf")) for p in documents]
    workdir = options.output / WORKDIR / "pdf"
    progress.start(len(conversions), "PDF")
    try:
        failed = convert_all(
            conversions,
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
    for produced, conversion in zip(documents, conversions, strict=True):
        entry = manifest.entries[produced.key]
        if conversion.target in reasons:
            entry.pdf = None
            continue
        entry.pdf = {
            "path": manifest.key(conversion.target),
            "sha256": sha256_file(conversion.target),
            "pdfa": options.pdfa,
            "size": _size(conversion.target),
        }
        result.pdfs.append(conversion.target)
        progress.advance(0, f"PDF : {conversion.target}")
    return [f"{target} : {reason}" for target, reason in sorted(reasons.items())]
