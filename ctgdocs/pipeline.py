"""The library entry points the CLI calls: validate, init, schema, build, check templates."""

from __future__ import annotations

import difflib
import itertools
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .checking import check_file, collect_paths
from .documents import KINDS
from .errors import OutputError, UsageError
from .files import os_reason
from .formatting import pluriel
from .problems import FileReport, format_json, format_text, summary, text_lines
from .workers import gc_paused, run_all

if TYPE_CHECKING:
    from .builder import BuildOptions, BuildResult, Progress


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


def validated(path: Path) -> FileReport:
    """The report of one convention file; in a worker process for a large folder."""
    with gc_paused():
        return check_file(path).report


def load_reference_data() -> None:
    """What every worker needs before its first file: the reference data (COG, EPCI)."""
    from . import referentiel

    referentiel.epci("")


def validate(paths: list[Path], *, strict: bool = False) -> ValidationResult:
    """Validate every convention file named or found under the folders named."""
    files = collect_paths(paths)
    order = {path: index for index, path in enumerate(files)}
    work = run_all(
        validated,
        files.__getitem__,
        len(files),
        workers=os.cpu_count() or 1,
        warm_up=load_reference_data,
        seconds_per_task=0.03,
    )
    reports = sorted(work, key=lambda report: order[report.path])
    if strict:
        reports = [report.strict() for report in reports]
    return ValidationResult(reports)


def init_text(epci: str) -> str:
    """A new convention for the EPCI named by `epci` (SIREN or name), as text."""
    from .scaffold import scaffold

    return scaffold(epci)[0]


def _create(target: Path, text: str) -> None:
    """Create a UTF-8 file with `text`, never replacing one that exists."""
    try:
        with target.open("xb") as handle:
            handle.write(text.encode("utf-8"))
    except FileExistsError as exc:
        raise OutputError(f"{target} existe déjà : choisissez un autre nom avec -o") from exc
    except OSError as exc:
        raise OutputError(f"{target} : écriture impossible ({os_reason(exc)})") from exc


def init(epci: str, output: Path | None) -> tuple[Path, Path]:
    """Write a new convention for the EPCI named by `epci`, and the schema beside it."""
    from .editor import with_modeline, write_schema_beside
    from .scaffold import scaffold

    text, default_name = scaffold(epci)
    target = output or Path(default_name)
    _create(target, with_modeline(text))
    return target, write_schema_beside(target)


def exemple(folder: Path) -> tuple[Path, Path]:
    """Write the commented reference convention into `folder`, and the schema beside it."""
    from .editor import with_modeline, write_schema_beside
    from .resources import commented_example

    source = commented_example()
    target = folder / source.name
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder} : dossier impossible à créer ({os_reason(exc)})") from exc
    _create(target, with_modeline(source.read_text(encoding="utf-8")))
    return target, write_schema_beside(target)


def schema() -> str:
    """The JSON Schema of the format, as text."""
    from .jsonschema import json_schema_text

    return json_schema_text()


def write_schema(target: Path) -> None:
    """Write the JSON Schema to `target` (UTF-8), replacing an older one."""
    from .files import write_atomically

    write_atomically(target, schema().encode("utf-8"))


@dataclass
class BuildSummary:
    """What a build did (or, with --check, would do), as lines to print."""

    lines: list[str]
    warnings: Iterable[str]
    summary: str
    ok: bool = True


def parse_only(only: str | None) -> tuple[str, ...]:
    """ "fiches,avenants" → ("fiches", "avenants"), or a usage error naming the valid kinds."""
    if only is None:
        return KINDS
    kinds = tuple(k.strip() for k in only.split(",") if k.strip())
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        close = [m for k in unknown if (m := difflib.get_close_matches(k, KINDS, n=1))]
        hint = f" (vouliez-vous dire {', '.join(m[0] for m in close)} ?)" if close else ""
        raise UsageError(
            f"--only {only} : type inconnu {', '.join(unknown) or '(vide)'}{hint} ; "
            f"types possibles : {', '.join(KINDS)}"
        )
    return kinds


def check_templates_folder(templates: Path | None) -> None:
    if templates is not None and not templates.is_dir():
        if templates.exists():
            raise UsageError(
                f"--templates {templates} : c'est un fichier ; donnez le dossier des modèles"
            )
        raise UsageError(f"--templates {templates} : dossier introuvable")


def build(
    paths: list[Path],
    output: Path,
    *,
    only: str | None = None,
    templates: Path | None = None,
    pdf: bool = False,
    pdfa: bool = False,
    jobs: int | None = None,
    force: bool = False,
    check: bool = False,
    engine: str = "rapide",
    keep_going: bool = False,
    draft: bool = False,
    progress: Progress | None = None,
) -> BuildSummary:
    """Validate then bring the outputs up to date; see builder.build."""
    from .builder import BuildOptions
    from .builder import build as run_build
    from .render import ENGINES

    check_templates_folder(templates)
    chosen = next((e for e in ENGINES if e == engine), None)
    if chosen is None:
        raise UsageError(f"--engine {engine} : moteur inconnu ; moteurs : {', '.join(ENGINES)}")
    options = BuildOptions(
        output=output,
        only=parse_only(only),
        templates=templates,
        pdf=pdf or pdfa,
        pdfa=pdfa,
        jobs=max(1, jobs or os.cpu_count() or 1),
        force=force,
        check=check,
        engine=chosen,
        keep_going=keep_going,
        draft=draft,
    )
    result = run_build(paths, options, progress)
    summary = _build_summary(result, options)
    if result.skipped:
        names = ", ".join(str(path) for path in result.skipped)
        count = len(result.skipped)
        summary.summary += (
            f" Échec : {pluriel(count, 'convention', 'invalide')} non "
            f"construite{'s' if count > 1 else ''} ({names})."
        )
        summary.ok = False
    return summary


def _build_summary(result: BuildResult, options: BuildOptions) -> BuildSummary:
    output, check, pdfa = options.output, options.check, options.pdfa
    # Read and printed one at a time: a national build gives tens of thousands.
    warnings = itertools.chain(result.notes, text_lines(result.reports))
    if check:
        lines = [f"périmé : {path} ({reason})" for path, reason in result.stale]
        if lines:
            summary = f"Échec : {pluriel(len(lines), 'sortie')} à mettre à jour dans {output}."
        else:
            summary = f"{output} est à jour ({pluriel(result.up_to_date, 'document')})."
        return BuildSummary(lines, warnings, summary, ok=not lines)
    current = f" ; {result.up_to_date} déjà à jour" if result.up_to_date else ""
    if not result.written and not result.pdfs and not result.removed:
        summary = f"Rien à faire : {pluriel(result.up_to_date, 'document')} à jour dans {output}."
        return BuildSummary([], warnings, summary)
    parts = [pluriel(result.written, "document", "écrit")]
    if options.pdf:
        parts.append(f"{result.pdfs} PDF{'/A' if pdfa else ''}")
    if result.removed:
        parts.append(pluriel(result.removed, "fichier", "supprimé"))
    return BuildSummary([], warnings, f"{', '.join(parts)}{current} dans {output}.")


@dataclass
class TemplatesReport:
    lines: list[str]
    summary: str
    ok: bool


def check_templates(templates: Path | None) -> TemplatesReport:
    """Check every template (custom folder first, bundled otherwise)."""
    from .templates_check import check_templates as run_checks

    check_templates_folder(templates)
    checked, issues = run_checks(templates)
    errors = [issue for issue in issues if issue.is_error]
    if errors:
        summary = f"Échec : {pluriel(len(errors), 'problème')} dans les modèles."
    else:
        summary = f"{len(checked)} modèles vérifiés : aucun problème."
        if any(issue.severity == "note" for issue in issues):
            summary = f"{len(checked)} modèles vérifiés : aucun problème de balise ou de variable."
    if any(issue.severity == "réparé" for issue in issues):
        summary += (
            " Les réparations sont faites dans chaque document produit ; le modèle reste tel quel."
        )
    return TemplatesReport([str(i) for i in issues], summary, not errors)
