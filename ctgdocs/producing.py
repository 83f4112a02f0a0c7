"""One convention in a build: validate, plan, decide, render what is stale into the staging folder.

This runs in a worker process: it receives only paths and the manifest entries of its file,
and returns small records, never a document's context or bytes; what it renders goes to a
staging file the parent moves into place once every convention of the build has succeeded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .checking import check_file
from .documents import plan_documents, safe_name
from .errors import TemplateError
from .files import os_reason
from .manifest import Entry, context_digest, sha256_bytes, sha256_file
from .planning import BuildOptions, Job, Template, docx_reason, manifest_entry, pdf_reason
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


@dataclass(slots=True)
class Produced:
    """One planned document: why it is rebuilt (None if up to date) and where it was staged."""

    key: str
    path: Path
    kind: str
    reason: str | None
    pdf_reason: str | None
    entry: Entry | None = None  # the new manifest entry once rendered
    staged: Path | None = None
    failure: str | None = None  # could not be staged (disk full…)


@dataclass
class Outcome:
    """What became of one convention file."""

    index: int
    report: FileReport
    source_sha256: str
    documents: list[Produced] = field(default_factory=list)
    template_error: str | None = None
    notes: list[str] = field(default_factory=list)


# Rough CPU cost of one convention, to decide when workers pay (ctgdocs.workers).
PRODUCE_SECONDS = 0.15


def produce(task: Task) -> Outcome:
    """Handle one convention file; never raises for bad content or a broken template."""
    with gc_paused():
        checked = check_file(task.source, draft=task.options.draft)
    source_sha = sha256_file(task.source) or ""
    outcome = Outcome(task.index, checked.report, source_sha)
    if checked.data is None or not checked.report.ok:
        return outcome
    options = task.options
    rendered: set[Path] = set()
    folder = options.output / safe_name(checked.data["convention"]["reference"])
    rendering = task.render and not options.check
    # A folder of its own per convention: creating a file costs several times more in a
    # folder that already holds tens of thousands (ext4 places its blocks near its folder's).
    staging = task.staging / str(task.index)
    staged_any = False
    for number, document in enumerate(plan_documents(checked.data, options.only)):
        path = folder / document.output
        key = path.relative_to(options.output).as_posix()
        template = task.templates[document.kind]
        job = Job(task.source, source_sha, document, path, template, context_digest(document))
        entry = task.entries.get(key)
        reason = docx_reason(job, entry, options, task.written_ns)
        produced = Produced(
            key,
            path,
            document.kind,
            reason,
            pdf_reason(job.pdf_path, entry, reason is not None, options, task.written_ns),
        )
        outcome.documents.append(produced)
        if reason is None or not rendering:
            continue
        try:
            data = render_document(template.path, document, options.engine)
        except TemplateError as exc:
            outcome.template_error = str(exc)
            rendering = False
            continue
        rendered.add(template.path)
        produced.entry = manifest_entry(job, task.label, sha256_bytes(data), len(data))
        staged = staging / f"{number}.docx"
        try:
            if not staged_any:
                staging.mkdir(exist_ok=True)
                staged_any = True
            staged.write_bytes(data)
        except OSError as exc:
            produced.failure = f"{path} : écriture impossible ({os_reason(exc)})"
            continue
        produced.staged = staged
    outcome.notes = [n for t in sorted(rendered) if (n := engine_note(t, options.engine))]
    return outcome
