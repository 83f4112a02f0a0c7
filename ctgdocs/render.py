"""The only module that opens .docx files: template + context → reproducible bytes → file.

Two engines give the same bytes: "rapide" (the default) compiles each template once per
process (ctgdocs.engine); "docxtpl" runs plain docxtpl for every document and is the
reference the differential tests compare it with.
"""

from __future__ import annotations

import hashlib
import io
import re
import traceback
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import jinja2
from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from .documents import Document
from .docxzip import reproducible_zip
from .engine import (
    CompiledTemplate,
    TemplatePart,
    UnclosedTag,
    Unsupported,
    drop_unwanted_parts,
    paragraph_lines,
    set_core_properties,
    template_parts,
)
from .errors import TemplateError
from .files import not_a_file, os_reason
from .jinja_fr import traduire
from .ooxml import repair_template
from .sandbox import TemplateSandbox, runtime_reason
from .typographie import composer_contexte
from .wordml import typeset_package
from .xmlfr import xml_reason

__all__ = [
    "ENGINES",
    "Engine",
    "ParsedTemplate",
    "jinja_environment",
    "paragraph_lines",
    "parsed_template",
    "render_document",
    "reproducible_docx",
]

Engine = Literal["rapide", "docxtpl"]
ENGINES: tuple[Engine, ...] = ("rapide", "docxtpl")

_APP_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    b"<Application>ctgdocs</Application></Properties>"
)
# A Word template is a few hundred kB; these bounds refuse zip bombs before inflating them.
MAX_TEMPLATE_BYTES = 50_000_000
MAX_UNCOMPRESSED_BYTES = 200_000_000
MAX_PARTS = 2000
_MAIN_PART = "word/document.xml"


def jinja_environment() -> SandboxedEnvironment:
    """Missing data raises, `&` and `<` are escaped, templates cannot reach Python."""
    return TemplateSandbox(undefined=jinja2.StrictUndefined, autoescape=True)


def _refuse(path: Path, reason: str) -> TemplateError:
    return TemplateError(f"modèle {path} : {reason}")


def read_template(path: Path) -> bytes:
    """The bytes of a Word template, refused with a clear message unless it looks like a .docx."""
    reason = not_a_file(path)  # a pipe would block the read, /dev/zero never end it
    if reason is not None:
        raise _refuse(path, reason)
    try:
        size = path.stat().st_size
        if size > MAX_TEMPLATE_BYTES:
            raise _refuse(path, f"fichier trop gros ({size // 1_000_000} Mo) pour un modèle Word")
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise _refuse(path, "fichier introuvable") from exc
    except OSError as exc:
        raise _refuse(path, f"illisible ({os_reason(exc)})") from exc
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _refuse(
            path,
            "ce n'est pas un document Word .docx (un .doc, un .odt ou un PDF doit d'abord être "
            "enregistré au format « Document Word (.docx) »)",
        ) from exc
    inflated = sum(info.file_size for info in infos)
    if len(infos) > MAX_PARTS or inflated > MAX_UNCOMPRESSED_BYTES:
        raise _refuse(
            path,
            f"archive refusée : {len(infos)} parties, {inflated // 1_000_000} Mo une fois "
            f"décompressée (au plus {MAX_PARTS} parties et "
            f"{MAX_UNCOMPRESSED_BYTES // 1_000_000} Mo pour un modèle Word)",
        )
    if _MAIN_PART not in {info.filename for info in infos}:
        raise _refuse(path, f"archive sans {_MAIN_PART} : ce n'est pas un document Word (.docx)")
    return data


_RESAVE = " ; ouvrez-le dans Word et enregistrez-le de nouveau"


def _open(path: Path, data: bytes) -> DocxTemplate:
    """A docxtpl template on bytes already checked by read_template."""
    try:
        template = DocxTemplate(io.BytesIO(repair_template(data)[0]))
        template.init_docx()
    except etree.XMLSyntaxError as exc:
        raise _refuse(path, f"ce n'est pas un .docx valide : {xml_reason(exc)}{_RESAVE}") from exc
    except ValueError as exc:  # ctgdocs.ooxml's « word/styles.xml : XML mal formé (…) »
        raise _refuse(path, f"ce n'est pas un .docx valide : {exc}{_RESAVE}") from exc
    except (OSError, KeyError, zipfile.BadZipFile, PackageNotFoundError, AttributeError) as exc:
        # Python's own words (« Bad CRC-32 for file … ») would be English: what to do instead.
        raise _refuse(
            path,
            "archive endommagée ou incomplète, ce n'est pas un .docx valide : ouvrez-le dans "
            "Word et enregistrez-le de nouveau",
        ) from exc
    drop_unwanted_parts(template)
    return template


def open_template(path: Path) -> DocxTemplate:
    """Open a Word template, or raise TemplateError if it is not a readable .docx."""
    return _open(path, read_template(path))


@dataclass
class ParsedTemplate:
    """A template read once per process: its parts for the check, its compiled form to render."""

    path: Path
    parts: list[TemplatePart]
    compiled: CompiledTemplate | None
    fallback: str | None  # why the compiled engine does not take it, if it does not


_PARSED: dict[str, ParsedTemplate] = {}
_SEEN: dict[Path, tuple[tuple[int, int, int, int], str]] = {}
_ENV: SandboxedEnvironment | None = None


def _environment() -> SandboxedEnvironment:
    global _ENV  # noqa: PLW0603 - one environment per process holds the compiled templates
    if _ENV is None:
        _ENV = jinja_environment()
    return _ENV


def _signature(path: Path) -> tuple[int, int, int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_ctime_ns, status.st_size, status.st_ino)


def parsed_template(path: Path) -> ParsedTemplate:
    """The template at `path`, parsed and compiled once per process and per content."""
    signature = _signature(path)
    seen = _SEEN.get(path)
    if signature is not None and seen is not None and seen[0] == signature and seen[1] in _PARSED:
        # The same file as for the previous document: no need to read and hash it again
        # (unless it could not be opened then: it raises again).
        return _PARSED[seen[1]]
    data = read_template(path)
    key = hashlib.sha256(data).hexdigest()
    if signature is not None:
        _SEEN[path] = (signature, key)
    cached = _PARSED.get(key)
    if cached is not None:
        return cached
    env = _environment()
    template = _open(path, data)
    parts = template_parts(template, env)
    compiled: CompiledTemplate | None = None
    fallback: str | None = None
    if not any(p.syntax_error for p in parts):
        try:
            compiled = CompiledTemplate(_open(path, data), env, _APP_XML, parts)
        except Unsupported as exc:
            fallback = str(exc)
    parsed = ParsedTemplate(path, parts, compiled, fallback)
    _PARSED[key] = parsed
    return parsed


def _template_line(exc: BaseException) -> int | None:
    """The line of the Jinja source where a rendering error happened."""
    lineno = getattr(exc, "lineno", None)
    if lineno:
        return int(lineno)
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == "<template>"]
    return frames[-1].lineno if frames else None


def part_name(part: TemplatePart) -> str:
    """How a message names a part of a template: « en-tête (word/header1.xml) »."""
    return f"{part.label} ({part.member})"


def _where(part: TemplatePart | None, exc: BaseException) -> str:
    """ " ; partie : corps (word/document.xml) ; paragraphe : « … »": where to look in Word."""
    if part is None:
        return ""
    where = f" ; partie : {part_name(part)}"
    line = _template_line(exc)
    if line is None or not 0 < line <= len(part.lines):
        return where
    text = part.lines[line - 1]
    return f"{where} ; paragraphe : « {text[:160]} »" if text else where


_UNSAFE_ATTRIBUTE = re.compile(r"access to attribute '([^']*)' of '([^']*)' object is unsafe")


def _explain(exc: jinja2.TemplateError) -> str:
    if isinstance(exc, SecurityError):
        found = _UNSAFE_ATTRIBUTE.search(str(exc))
        what = f"l'attribut « {found[1]} »" if found else "cette expression"
        return (
            f"accès interdit à {what} : un modèle ne peut lire que les données du document, "
            "jamais les objets internes de Python"
        )
    if isinstance(exc, jinja2.UndefinedError):
        return f"variable inconnue ({traduire(exc.message)})"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        message = exc.message if isinstance(exc, UnclosedTag) else traduire(exc.message)
        return f"balise illisible ({message})"
    return f"erreur de modèle ({traduire(exc.message)})"


def _render_error(path: Path, exc: Exception, part: TemplatePart | None) -> TemplateError | None:
    """The French message of a failure while filling a template, or None if it is ours."""
    if isinstance(exc, jinja2.TemplateError):
        return TemplateError(f"modèle {path} : {_explain(exc)}{_where(part, exc)}")
    reason = runtime_reason(exc)
    if reason is not None:
        return TemplateError(f"modèle {path} : {reason}{_where(part, exc)}")
    return None


def _rendering_part(path: Path, template: DocxTemplate) -> TemplatePart | None:
    """The part docxtpl was rendering, with its text one line per paragraph as it numbers them."""
    current = getattr(template, "current_rendering_part", None)
    if current is None:
        return None
    member = current.partname[1:]
    lines = paragraph_lines(template.patch_xml(template.get_part_xml(current)))[1]
    try:
        labels = {p.member: p.label for p in parsed_template(path).parts}
    except TemplateError:
        labels = {}
    return TemplatePart(labels.get(member, "partie"), member, "", lines)


def reproducible_docx(blob: bytes) -> bytes:
    """The same .docx with fixed entry times and a neutral app.xml."""
    with zipfile.ZipFile(io.BytesIO(blob)) as source:
        return reproducible_zip(
            [
                (
                    info.filename,
                    _APP_XML if info.filename == "docProps/app.xml" else source.read(info),
                )
                for info in source.infolist()
            ]
        )


def _refuse_unclosed(template_path: Path) -> None:
    """Raise for a paragraph whose tags do not close: docxtpl would drop text without a word."""
    for part in parsed_template(template_path).parts:
        error = part.syntax_error
        if isinstance(error, UnclosedTag):
            raise TemplateError(
                f"modèle {template_path} : {_explain(error)}{_where(part, error)}"
            ) from error


def _render_docxtpl(template_path: Path, document: Document) -> bytes:
    """The reference engine: plain docxtpl and python-docx for every document."""
    _refuse_unclosed(template_path)
    template = open_template(template_path)
    try:
        template.render(composer_contexte(document.context), jinja_environment(), autoescape=True)
    except Exception as exc:
        error = _render_error(template_path, exc, _rendering_part(template_path, template))
        if error is None:
            raise
        raise error from exc
    set_core_properties(template.docx.core_properties, document)
    buffer = io.BytesIO()
    template.save(buffer)
    return reproducible_docx(typeset_package(buffer.getvalue()))


def render_document(template_path: Path, document: Document, engine: Engine = "rapide") -> bytes:
    """Fill one template with one document's context; raise TemplateError if it cannot."""
    if engine == "docxtpl":
        return _render_docxtpl(template_path, document)
    parsed = parsed_template(template_path)
    if parsed.compiled is None:
        # A broken tag (reported with its paragraph) or a feature only docxtpl covers.
        return _render_docxtpl(template_path, document)
    try:
        return parsed.compiled.render(document)
    except Exception as exc:
        part: TemplatePart | None = getattr(exc, "ctgdocs_part", None)
        error = _render_error(template_path, exc, part)
        if error is None:
            raise
        raise error from exc


def engine_note(template_path: Path, engine: Engine) -> str | None:
    """Why documents of this template are rendered by docxtpl although the fast engine was asked."""
    if engine == "docxtpl":
        return None
    parsed = parsed_template(template_path)
    if parsed.fallback is None:
        return None
    return f"modèle {template_path} rendu par docxtpl ({parsed.fallback})"
