"""One convention in a build: validate, plan, decide, render what is stale into the staging folder.

This runs in a worker process: it receives only paths and the manifest entries of its file,
and returns a small record of counts, never a document's context or bytes: what it renders
goes to staging files the parent moves into place once every convention of the build has
succeeded, and its plan (each document, its reason, its new manifest entry) to a plan file
the parent reads back one convention at a time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .checking import CheckedFile, check_file
from .documents import plan_documents, safe_name
from .errors import TemplateError
from .files import os_reason
from .manifest import Entry, context_digest, folder_of, sha256_bytes, sha256_file
from .planning import (
    BuildOptions,
    Job,
    Template,
    docx_reason,
    manifest_entry,
    pdf_reason,
    signed_change,
)
from .problems import FileReport
from .render import engine_note, render_document
from .workers import gc_paused


@dataclass(frozen=True)
class Task:
    """What a worker needs to handle one convention file."""

    index: int
    source: Path
    label: str  # how the manifest names the file (planning.source_label)
    entries: dict[str, Entry]  # the manifest's entries of this file, by key
    render: bool  # False once the build is known to fail: validate only
    staging: Path
    templates: dict[str, Template]
    options: BuildOptions
    written_ns: int | None  # when the manifest was written (outputs older are not read)


# The plan of a convention in its staging folder: one JSON object a line.
PLAN = "plan.jsonl"


@dataclass(slots=True)
class Produced:
    """One planned document: why it is rebuilt (None if up to date) and where it was staged."""

    key: str
    kind: str
    reason: str | None
    pdf_reason: str | None
    record: str | None = None  # its new manifest entry once rendered (`Entry.record`)
    staged: str | None = None  # its file's path in the convention's staging folder (POSIX)

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "kind": self.kind,
            "reason": self.reason,
            "pdf_reason": self.pdf_reason,
            "record": self.record,
            "staged": self.staged,
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Produced:
        return cls(
            value["key"],
            value["kind"],
            value["reason"],
            value["pdf_reason"],
            value["record"],
            value["staged"],
        )


@dataclass
class Outcome:
    """What became of one convention file: counts, never a list as long as its documents.

    Its documents (and the keys of those it no longer has) are in `plan`, a file of the
    staging folder the worker wrote: the parent reads it back one convention at a time.
    """

    index: int
    report: FileReport
    source_sha256: str
    plan: Path | None = None
    to_write: int = 0  # documents rendered to replace their output
    up_to_date: int = 0
    to_convert: int = 0  # PDF to (re)make
    stale: int = 0  # previous documents it no longer plans
    folders: list[str] = field(default_factory=list)  # manifest.folder_of its documents
    failures: list[str] = field(default_factory=list)  # what could not be staged
    template_error: str | None = None
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # documents of signed acts that change


@dataclass(slots=True)
class Plan:
    """A convention's plan read back: its documents and the keys of its stale documents."""

    documents: list[Produced]
    stale: list[str]
    staging: Path


def read_plan(outcome: Outcome) -> Plan:
    """The plan the worker wrote for this outcome (empty when it had nothing to write)."""
    plan = Plan([], [], outcome.plan.parent if outcome.plan else Path())
    if outcome.plan is None:
        return plan
    with outcome.plan.open(encoding="utf-8") as handle:
        for line in handle:
            value = json.loads(line)
            if "stale" in value:
                plan.stale.append(value["stale"])
            else:
                plan.documents.append(Produced.from_json(value))
    return plan


# Times a file that changes while it is read is read again before the build gives up.
_READS = 3

# Rough CPU cost of one convention, to decide when workers pay (ctgdocs.workers).
PRODUCE_SECONDS = 0.15


def _checked(task: Task) -> tuple[CheckedFile, str, bool]:
    """The file checked, its digest, and whether it stayed the same while it was read.

    The file read is the one of this digest only if it did not change while it was read
    (an editor saving it): else the manifest would record documents of the old text as
    made from the new one, up to date for good.
    """
    for _ in range(_READS):
        before = sha256_file(task.source)
        checked = check_file(task.source, draft=task.options.draft)
        after = sha256_file(task.source)
        # Unreadable both times (locked, not permitted) is no change: the check says why.
        if before == after:
            return checked, after or "", True
    return checked, after or "", False


def produce(task: Task) -> Outcome:
    """Handle one convention file; never raises for bad content or a broken template."""
    # Its trees, strings and records are freed as their counts fall, and hold no cycles
    # worth a collection: the cyclic GC would walk them about every thousand allocations.
    with gc_paused():
        return _produce(task)


def _produce(task: Task) -> Outcome:
    checked, source_sha, steady = _checked(task)
    outcome = Outcome(task.index, checked.report, source_sha)
    if not steady:
        outcome.failures.append(
            f"{task.source} : modifié pendant la construction ; relancez-la une fois le "
            "fichier enregistré"
        )
        return outcome
    if checked.data is None or not checked.report.ok:
        return outcome
    options = task.options
    rendered: set[Path] = set()
    folder = options.output / safe_name(checked.data["convention"]["reference"])
    rendering = task.render and not options.check
    # A folder of its own per convention: creating a file costs several times more in a
    # folder that already holds tens of thousands (ext4 places its blocks near its folder's).
    staging = task.staging / str(task.index)
    # Staged as they will lie in the convention's folder: a folder new to the output is then
    # moved into place whole (`builder._Build.commit`).
    made: set[Path] = set()
    documents: list[Produced] = []
    for document in plan_documents(checked.data, options.only):
        path = folder / document.output
        key = path.relative_to(options.output).as_posix()
        template = task.templates[document.kind]
        job = Job(task.source, source_sha, document, path, template, context_digest(document))
        entry = task.entries.get(key)
        reason = docx_reason(job, entry, options, task.written_ns)
        changed = signed_change(job, entry)
        if changed is not None:
            outcome.warnings.append(changed)
        produced = Produced(
            key,
            document.kind,
            reason,
            pdf_reason(job.pdf_path, entry, reason is not None, options, task.written_ns),
        )
        documents.append(produced)
        if reason is None or not rendering:
            continue
        try:
            data = render_document(template.path, document, options.engine)
        except TemplateError as exc:
            outcome.template_error = str(exc)
            rendering = False
            continue
        rendered.add(template.path)
        produced.record = manifest_entry(job, task.label, sha256_bytes(data), len(data)).record()
        staged = staging / document.output
        try:
            if staged.parent not in made:
                staged.parent.mkdir(parents=True, exist_ok=True)
                made.add(staged.parent)
            staged.write_bytes(data)
        except OSError as exc:
            outcome.failures.append(f"{path} : écriture impossible ({os_reason(exc)})")
            continue
        produced.staged = document.output.as_posix()
        outcome.to_write += 1
    outcome.notes = [n for t in sorted(rendered) if (n := engine_note(t, options.engine))]
    _write_plan(task, outcome, documents, staging)
    return outcome


def _write_plan(task: Task, outcome: Outcome, documents: list[Produced], staging: Path) -> None:
    """Count the convention's documents in `outcome` and write them to its plan file."""
    planned = {p.key for p in documents}
    kinds = task.options.only
    stale = [k for k, e in task.entries.items() if e.kind in kinds and k not in planned]
    outcome.up_to_date = sum(p.reason is None for p in documents)
    outcome.to_convert = sum(p.pdf_reason is not None for p in documents)
    outcome.stale = len(stale)
    outcome.folders = sorted({folder_of(p.key) for p in documents})
    lines = [_dumps(p.as_json()) for p in documents]
    lines += [_dumps({"stale": key}) for key in stale]
    plan = staging / PLAN
    try:
        staging.mkdir(exist_ok=True)
        with plan.open("w", encoding="utf-8") as handle:
            handle.writelines(f"{line}\n" for line in lines)
    except OSError as exc:
        # The build fails: for the documents not staged if there are (a full disk says
        # so of them first), else for this plan.
        if not outcome.failures:
            outcome.failures.append(f"{plan} : écriture impossible ({os_reason(exc)})")
        return
    outcome.plan = plan


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
