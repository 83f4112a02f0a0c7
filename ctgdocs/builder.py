"""Build: skip what is unchanged, produce the rest in workers, move it into place, convert, prune.

Nothing is written where a user looks until every convention of the build has validated and
rendered: workers stage each document as soon as it is rendered (memory stays bounded), and
the documents are moved into place only when the whole build has succeeded. An invalid
convention, or a broken template met midway, therefore leaves every output as it was.
"""

from __future__ import annotations

import os
import posixpath
import tempfile
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Protocol, cast

from .checking import collect_paths
from .errors import (
    BuildFailedError,
    ConversionError,
    InvalidConventionError,
    OutputError,
    TemplateError,
)
from .files import (
    MAX_PATH,
    move_into_place,
    remove_empty_folders,
    remove_file,
    remove_leftovers,
    remove_tree,
    set_aside,
)
from .formatting import pluriel
from .locking import build_lock
from .manifest import MANIFEST, Entry, Manifest, folder_of, sha256_file, unchanged_output
from .pdf import BATCH_SIZE, Conversion, convert_all
from .pipeline import load_reference_data
from .planning import (
    BuildOptions,
    current_templates,
    recorded_problems,
    source_label,
    unchanged_source,
    updated_record,
)
from .problems import FileReport, ReportSpool
from .producing import (
    PLAN,
    PRODUCE_SECONDS,
    Outcome,
    Plan,
    Produced,
    Task,
    produce,
    read_plan,
)
from .workers import run_all

__all__ = ["BuildOptions", "BuildResult", "Progress", "build", "written"]

WORKDIR = ".ctgdocs-tmp"
WRITTEN = "écrit : "  # how progress is told a document was written
# Documents converted to PDF per call of convert_all: its batches, a bounded list at a time.
CONVERSION_CHUNK = 40 * BATCH_SIZE


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
    """What a build did: counts of documents, lists only of what is per convention or failed.

    A national build writes tens of thousands of documents: their paths are in the manifest
    (and `Listing`) and were shown by `Progress` as they were written, not kept here.
    """

    reports: list[FileReport] = field(default_factory=list)
    written: int = 0
    pdfs: int = 0
    removed: int = 0
    up_to_date: int = 0
    # --check: what would be (re)built or removed, and why (what --check prints).
    stale: list[tuple[Path, str]] = field(default_factory=list)
    # --continuer: the invalid conventions left out, the others being built.
    skipped: list[Path] = field(default_factory=list)
    # What the user should know although nothing failed (a damaged manifest set aside).
    notes: list[str] = field(default_factory=list)


class Listing(Silent):
    """A progress that keeps the path of every document written, in the order written.

    For a caller that wants the list (tests, benches): a build keeps none of its own.
    """

    def __init__(self) -> None:
        self.written: list[Path] = []

    def advance(self, count: int, message: str) -> None:
        if count and message.startswith(WRITTEN):
            self.written.append(Path(message.removeprefix(WRITTEN)))


def written(paths: Sequence[Path], options: BuildOptions) -> list[Path]:
    """Build, and the documents written, in order: each convention's in its plan's order."""
    listing = Listing()
    build(paths, options, listing)
    return listing.written


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


class _Build:
    """One build's state: its options, the manifest, and each convention file's fate.

    Per convention file only (a report, an outcome of counts): every per-document record is
    in the manifest's store or in a plan file the workers wrote, read one convention at a time.
    """

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
        # Each file's report, its problems in `spool` (kept for as long as the result).
        self.spool = ReportSpool()
        self.reports: dict[int, FileReport] = {}
        self.outcomes: dict[int, Outcome] = {}
        self.todo: list[int] = []
        self.folders: set[Path] = set()  # output folders made by this build's commit
        # Files of previous builds, not of this one, whose documents this one makes.
        self.taken_over: set[str] = set()

    def sort_out(self) -> None:
        """Which files are unchanged since the last build: neither validated nor rendered."""
        options = self.options
        for index, (path, label) in enumerate(zip(self.files, self.labels, strict=True)):
            record = self.manifest.sources.get(label)
            own = self.manifest.of_source(label) if record is not None else {}
            sha256 = sha256_file(path)
            if unchanged_source(
                record, own, sha256, options, self.templates, written_ns=self.manifest.written_ns
            ):
                assert record is not None
                report = FileReport(path, recorded_problems(record))
                self.reports[index] = self.spool.keep(index, report)
                self.result.up_to_date += sum(e.kind in options.only for e in own.values())
            else:
                self.todo.append(index)

    def produce_all(self, staging: Path) -> None:
        """Validate and render every file to do, in workers; stop rendering at a failure."""
        failed = False

        def make_task(position: int) -> Task:
            index = self.todo[position]
            return Task(
                index,
                self.files[index],
                self.labels[index],
                self.manifest.of_source(self.labels[index]),
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
                outcome.report = self.spool.keep(outcome.index, outcome.report)
                self.outcomes[outcome.index] = outcome
                self.reports[outcome.index] = outcome.report
                invalid = not outcome.report.ok and not self.options.keep_going
                unstaged = bool(outcome.failures)
                failed = failed or invalid or unstaged or outcome.template_error is not None
                self.result.notes += outcome.warnings
                for note in outcome.notes:
                    if note not in notes:
                        notes.add(note)
                        self.progress.detail(note)
                self.progress.advance(1, "")
        self.result.reports = [self.reports[i] for i in range(len(self.files))]

    def plans(self, having: Callable[[Outcome], int] | None = None) -> Iterator[tuple[int, Plan]]:
        """The plan of every file produced (or only of those `having` counts something in),
        in the files' order, one at a time."""
        for index in sorted(self.outcomes):
            outcome = self.outcomes[index]
            if having is None or having(outcome):
                yield index, read_plan(outcome)

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
        unstaged = [failure for o in self.outcomes.values() for failure in o.failures]
        if unstaged:
            # A disk full while staging: none of the build's documents replaces its previous one.
            count = len(unstaged)
            raise OutputError(
                f"{pluriel(count, 'document')} non produit{'s' if count > 1 else ''}, aucun "
                "document n'a été remplacé :\n  " + "\n  ".join(sorted(unstaged))
            )

    def _shared_folders(self) -> tuple[set[str], list[int]]:
        """The first folders that documents of two files of this build go to; the unchanged
        files (their documents are not produced again)."""
        positions = {label: index for index, label in enumerate(self.labels)}
        owners: dict[str, set[int]] = {}
        kept: set[int] = set()
        for source, folder in self.manifest.folders(self.options.only):
            index = positions.get(source)
            if index is not None and index not in self.outcomes:
                kept.add(index)
                owners.setdefault(folder, set()).add(index)
        for index, outcome in self.outcomes.items():
            for folder in outcome.folders:
                owners.setdefault(folder, set()).add(index)
        return {f for f, indices in owners.items() if len(indices) > 1}, sorted(kept)

    def _duplicate(self) -> str | None:
        """Two documents of this build at one path (compared as Windows and macOS compare).

        Two such documents share their first folder: only the files that share one with
        another file have their documents compared, read back one file at a time.
        """
        shared, kept = self._shared_folders()
        if not shared:
            return None
        owners: dict[str, Path] = {}
        for index in kept:
            for key, entry in self.manifest.of_source(self.labels[index]).items():
                if entry.kind in self.options.only and folder_of(key) in shared:
                    # An unchanged file keeps its documents: a new one may not take their place.
                    owners[key.casefold()] = self.files[index]
        for index, plan in self.plans():
            for produced in plan.documents:
                if folder_of(produced.key) not in shared:
                    continue
                owner = owners.setdefault(produced.key.casefold(), self.files[index])
                if owner != self.files[index]:
                    return (
                        f"{self.options.output / produced.key} serait écrit deux fois ({owner} "
                        f"et {self.files[index]}) : deux conventions ont la même référence, ou "
                        "deux codes ne diffèrent que par des caractères qu'un nom de fichier "
                        "ne garde pas"
                    )
        return None

    def _take_over(self, index: int, plan: Plan, labels: set[str]) -> None:
        """Note the files of previous builds, not in this one (`labels`), whose documents
        file `index` makes (its `plan`): their records are forgotten when the build is
        recorded, and a file still there is named, as its documents are replaced.

        Unchanged, such a file would otherwise be found up to date with none of its documents
        (or another's in their place): renamed back, or built again into a shared folder.
        """
        root = self.options.output.resolve()
        for produced in plan.documents:
            entry = self.manifest.get(produced.key) if produced.reason else None
            if entry is None or entry.source in labels or entry.source in self.taken_over:
                continue  # its own, one this build decides on (_duplicate), or said
            self.taken_over.add(entry.source)
            other = Path(os.path.normpath(root / entry.source))
            if other.is_file():
                self.result.notes.append(
                    f"les documents de {other} dans "
                    f"{self.options.output / produced.key.split('/', 1)[0]} sont remplacés "
                    f"par ceux de {self.files[index]} : deux conventions ont la même "
                    "référence ; changez celle de l'une, ou construisez-les dans deux "
                    "dossiers de sortie (-o)"
                )

    def report_check(self) -> None:
        output, result = self.options.output, self.result
        pdfs: list[tuple[Path, str]] = []
        obsolete: list[tuple[Path, str]] = []
        for _, plan in self.plans():
            for p in plan.documents:
                if p.reason:
                    result.stale.append((output / p.key, p.reason))
                if p.pdf_reason:
                    pdfs.append(((output / p.key).with_suffix(".pdf"), p.pdf_reason))
            obsolete += [(output / key, "document obsolète à supprimer") for key in plan.stale]
        result.stale += pdfs + obsolete

    def commit(self) -> None:
        """Move every staged document into place, convert, remove what is obsolete, record."""
        failures: list[str] = []
        failed: set[str] = set()  # files some of whose outputs are not as planned
        unwritten: set[str] = set()  # keys of the documents that could not be moved
        self.progress.start(sum(o.to_write for o in self.outcomes.values()), "Documents")
        labels = set(self.labels)
        for index, plan in self.plans():
            if self.outcomes[index].to_write:
                self._take_over(index, plan, labels)
            if self._move_folder(self.outcomes[index], plan):
                continue
            for produced in plan.documents:
                if not produced.reason:
                    continue
                try:
                    self._write(produced, plan.staging)
                except OutputError as exc:
                    # The file on disk is still the one the manifest describes (a Word
                    # document held open on Windows): the next build retries it.
                    failures.append(str(exc))
                    failed.add(self.labels[index])
                    unwritten.add(produced.key)
        try:
            failures += self._convert_all()
        finally:
            failures += self._remove_stale(failed, unwritten)
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

    def _move_folder(self, outcome: Outcome, plan: Plan) -> bool:
        """Move a convention's staged folder into place whole, if it is all new: its folder
        is not in the output, and every document of it was rendered. False if not moved."""
        documents = plan.documents
        if not documents or plan.stale or any(p.record is None for p in documents):
            return False
        folder = documents[0].key.split("/", 1)[0]
        if any(not p.reason or p.key != f"{folder}/{p.staged}" for p in documents):
            return False
        target = self.options.output / folder
        if target.exists() or target.is_symlink():
            return False
        # A path Windows may refuse (without its long paths) is tried, and named, file by file.
        staged = [cast(str, p.staged) for p in documents]
        prefix = f"{target.absolute()}{os.sep}"
        if len(prefix) + max(map(len, staged)) >= MAX_PATH:
            return False
        # The plan, read again by the conversions, stays in the staging folder beside it.
        kept = plan.staging.with_name(f"{plan.staging.name}-{PLAN}")
        try:
            (plan.staging / PLAN).rename(kept)
            outcome.plan = kept
            plan.staging.rename(target)
        except OSError:
            return False  # moved file by file, each failure said by its name
        self.folders.update(target / folder for folder in {posixpath.dirname(s) for s in staged})
        label = self.labels[outcome.index]
        self.manifest.put_records((p.key, label, p.kind, cast(str, p.record)) for p in documents)
        for produced, name in zip(documents, staged, strict=True):
            path = prefix + name.replace("/", os.sep)
            self.progress.detail(f"à reconstruire : {path} ({produced.reason})")
            self.result.written += 1
            self.progress.advance(1, f"{WRITTEN}{path}")
        return True

    def _write(self, produced: Produced, staging: Path) -> None:
        path = self.options.output / produced.key
        self.progress.detail(f"à reconstruire : {path} ({produced.reason})")
        if produced.staged is None or produced.record is None:
            raise OutputError(f"{path} : non produit")
        previous = self.manifest.get(produced.key)
        pdf = path.with_suffix(".pdf")
        if previous is not None:
            # A user's work on a document is kept aside, never overwritten. (Its PDF, made
            # again from the document, may be a killed build's: nothing tells them apart.)
            self._keep_if_edited(path, previous, produced.record)
        # A PDF of the previous version must never sit beside the new document, not even
        # until the new PDF replaces it: the build may be killed in between.
        if previous is not None and previous.pdf and remove_file(pdf) and not self.options.pdf:
            self.result.removed += 1
            self.progress.advance(0, f"supprimé (PDF périmé) : {pdf}")
        move_into_place(staging / produced.staged, path, self.folders)
        self.manifest.put(produced.key, Entry.from_record(produced.record))
        self.result.written += 1
        self.progress.advance(1, f"{WRITTEN}{path}")

    def _same_file(self, key: str, other: str) -> bool:
        """Whether two keys name one file, as they do on Windows when only their case differs."""
        try:
            return (self.options.output / key).samefile(self.options.output / other)
        except OSError:
            return False

    def _edited(self, path: Path, previous: Entry, record: str | None) -> bool:
        """Whether a document is there but neither the file the manifest records nor the one
        just produced (`record`), which a build killed before its manifest left in place."""
        if not (path.exists() or path.is_symlink()):
            return False
        if unchanged_output(path, previous.sha256, previous.size, self.manifest.written_ns):
            return False
        return record is None or sha256_file(path) != Entry.from_record(record).sha256

    def _keep_if_edited(self, path: Path, previous: Entry, record: str | None) -> None:
        """Move a document modified outside ctgdocs out of the way of its new version, and
        say where. One that cannot be moved is not replaced (OutputError)."""
        if self._edited(path, previous, record):
            kept = set_aside(path, "modifié hors de ctgdocs")
            self.result.notes.append(
                f"{path} avait été modifié hors de ctgdocs : il est remplacé par la version "
                f"produite, et la version modifiée est conservée sous {kept}"
            )

    def _conversions(self) -> Iterator[str]:
        """The key of every document whose PDF is to (re)make, and that is in the manifest."""
        for _, plan in self.plans(lambda outcome: outcome.to_convert):
            for produced in plan.documents:
                if produced.pdf_reason and self.manifest.get(produced.key) is not None:
                    yield produced.key

    def _convert_all(self) -> list[str]:
        """Convert to PDF, a chunk of documents at a time; the failures, by document."""
        total = sum(1 for _ in self._conversions())
        if not total:
            return []
        self.progress.start(total, "PDF")
        failures: list[str] = []
        keys = self._conversions()
        while chunk := list(islice(keys, CONVERSION_CHUNK)):
            failures += _convert(self.manifest, chunk, self.options, self.progress, self.result)
        return failures

    def _record_sources(self, failed: set[str]) -> None:
        """Remember each file produced, to skip it next time if it does not change."""
        for label in self.taken_over:
            self.manifest.sources.pop(label, None)
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

    def _remove_stale(self, failed: set[str], unwritten: set[str]) -> list[str]:
        """Delete the outputs of documents that no longer exist; what could not be deleted."""
        failures = []
        emptied: set[Path] = set()  # folders of removed documents, left empty if all were
        for index, plan in self.plans(lambda outcome: outcome.stale):
            current = {produced.key.casefold(): produced.key for produced in plan.documents}
            for key in plan.stale:
                entry = self.manifest.get(key)
                if entry is None or entry.source != self.labels[index] or key in unwritten:
                    continue  # another file of this build now writes it
                obsolete = [self.options.output / key]
                if entry.pdf:
                    obsolete.append(self.options.output / entry.pdf["path"])
                renamed = current.get(key.casefold())
                if renamed is not None and self._same_file(key, renamed):
                    # A code whose case only changed: on Windows (and macOS) the obsolete name
                    # is the new document's own file, and its PDF's, if this build made one.
                    made = self.manifest.get(renamed)
                    obsolete = obsolete[1:] if made is None or not made.pdf else []
                try:
                    for path in obsolete:
                        if path.suffix == ".docx" and self._edited(path, entry, None):
                            # Not the file ctgdocs wrote: a user's work, never deleted.
                            self.result.notes.append(
                                f"{path} n'est plus produit, mais a été modifié hors de "
                                "ctgdocs : il est conservé ; supprimez-le s'il ne sert plus"
                            )
                        elif remove_file(path):
                            self.result.removed += 1
                            self.progress.advance(0, f"supprimé (obsolète) : {path}")
                except OutputError as exc:
                    failures.append(str(exc))  # kept in the manifest: the next build retries
                    failed.add(entry.source)
                    continue
                self.manifest.delete(key)
                emptied.add((self.options.output / key).parent)
        for folder in sorted(emptied, key=lambda f: len(f.parts), reverse=True):
            remove_empty_folders(folder, self.options.output)
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
            remove_tree(workdir)
            remove_leftovers(options.output / MANIFEST)
        manifest = Manifest.load(options.output, read_only=read_only)
        with closing(manifest):
            run = _Build(files, options, shown, manifest)
            run.sort_out()
            if unwritable is not None and (run.todo or manifest.note) and not options.check:
                raise unwritable  # a read-only folder is fine while everything in it is up to date
            with _staging(workdir, bool(run.todo), read_only) as staging:
                run.produce_all(staging)
                run.raise_failures()
                run.result.up_to_date += sum(o.up_to_date for o in run.outcomes.values())
                if options.check:
                    run.report_check()
                else:
                    run.commit()
    return run.result


@contextmanager
def _staging(workdir: Path, needed: bool, read_only: bool) -> Iterator[Path]:
    """Where workers stage documents and plans: in the output folder's work folder, or, for
    a build that writes nothing there (--check), in a temporary folder of the system."""
    if read_only:
        with tempfile.TemporaryDirectory(prefix="ctgdocs-verification-") as folder:
            yield Path(folder)
        return
    staging = workdir / f"documents-{uuid.uuid4().hex[:12]}"
    try:
        if needed:
            staging.mkdir(parents=True)
        yield staging
    finally:
        remove_tree(workdir)


def _convert(
    manifest: Manifest,
    keys: list[str],
    options: BuildOptions,
    progress: Progress,
    result: BuildResult,
) -> list[str]:
    """Convert these documents to PDF and record each PDF; the failures, by document."""
    conversions = [
        Conversion(options.output / k, (options.output / k).with_suffix(".pdf")) for k in keys
    ]
    workdir = options.output / WORKDIR / "pdf"
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
        remove_tree(workdir)
    reasons = {f.conversion.target: f.reason for f in failed}
    for key, conversion in zip(keys, conversions, strict=True):
        entry = manifest.get(key)
        assert entry is not None
        if conversion.target in reasons:
            entry.pdf = None
        else:
            entry.pdf = {
                "path": manifest.key(conversion.target),
                "sha256": sha256_file(conversion.target),
                "pdfa": options.pdfa,
                "size": _size(conversion.target),
            }
            result.pdfs += 1
            progress.advance(0, f"PDF : {conversion.target}")
        manifest.put(key, entry)
    return [f"{target} : {reason}" for target, reason in sorted(reasons.items())]
