"""The only module that opens .docx files: template + context → reproducible bytes → file."""

from __future__ import annotations

import datetime as dt
import io
import re
import traceback
import zipfile
from pathlib import Path

import jinja2
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

from .documents import Document
from .errors import TemplateError
from .ooxml import repair_template, typeset_package

# Fixed zip entry time: the bytes depend on the data only.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_APP_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    b"<Application>ctgdocs</Application></Properties>"
)
# Package parts a template may carry from its author's machine, never wanted in an output.
_DROPPED_RELATIONSHIPS = (RT.THUMBNAIL, RT.CUSTOM_PROPERTIES)


def jinja_environment() -> SandboxedEnvironment:
    """Missing data raises, `&` and `<` are escaped, templates cannot reach Python."""
    return SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=True)


def paragraph_lines(patched_xml: str) -> tuple[str, list[str]]:
    """The Jinja source as docxtpl renders it (one line per paragraph) and each line's text."""
    source = re.sub(r"<w:p([ >])", r"\n<w:p\1", patched_xml)
    return source, [" ".join(re.sub(r"<[^>]+>", "", line).split()) for line in source.splitlines()]


def _part_text_lines(template: DocxTemplate) -> list[str]:
    """The text of the part being rendered, one line per paragraph, as docxtpl numbers them."""
    part = getattr(template, "current_rendering_part", None)
    if part is None:
        return []
    return paragraph_lines(template.patch_xml(template.get_part_xml(part)))[1]


def _template_line(exc: BaseException) -> int | None:
    """The line of the Jinja source where a rendering error happened."""
    lineno = getattr(exc, "lineno", None)
    if lineno:
        return int(lineno)
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == "<template>"]
    return frames[-1].lineno if frames else None


def _where(template: DocxTemplate, exc: BaseException) -> str:
    line = _template_line(exc)
    lines = _part_text_lines(template)
    if line is None or not 0 < line <= len(lines):
        return ""
    text = lines[line - 1]
    return f" ; paragraphe : « {text[:160]} »" if text else ""


def _explain(exc: jinja2.TemplateError) -> str:
    if isinstance(exc, jinja2.UndefinedError):
        return f"variable inconnue ({exc.message})"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"balise illisible ({exc.message})"
    return f"erreur de modèle ({exc})"


def _set_properties(template: DocxTemplate, document: Document) -> None:
    props = template.docx.core_properties
    moment = dt.datetime.combine(document.date, dt.time())
    props.title = document.title
    props.subject = document.subject
    props.author = "ctgdocs"
    props.last_modified_by = "ctgdocs"
    props.keywords = "convention territoriale globale"
    props.comments = ""
    props.category = ""
    props.content_status = "Projet" if document.context.get("projet") else ""
    props.identifier = ""
    props.language = "fr-FR"
    props.version = ""
    props.revision = 1
    props.created = props.modified = moment
    props.last_printed = moment
    package = template.docx.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype in _DROPPED_RELATIONSHIPS:
            del package.rels[rel_id]


def reproducible_docx(blob: bytes) -> bytes:
    """The same .docx with fixed entry times and a neutral app.xml."""
    source = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = _APP_XML if info.filename == "docProps/app.xml" else source.read(info)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 3
            target.writestr(entry, data, compresslevel=6)
    return out.getvalue()


def open_template(template_path: Path) -> DocxTemplate:
    """Open a Word template, or raise TemplateError if it is not a readable .docx."""
    try:
        template = DocxTemplate(io.BytesIO(repair_template(template_path.read_bytes())[0]))
        template.init_docx()
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, PackageNotFoundError) as exc:
        raise TemplateError(
            f"modèle {template_path} illisible : ce n'est pas un .docx valide"
        ) from exc
    return template


def render_document(template_path: Path, document: Document) -> bytes:
    """Fill one template with one document's context; raise TemplateError if it cannot."""
    name = template_path.name
    template = open_template(template_path)
    try:
        template.render(document.context, jinja_environment(), autoescape=True)
    except jinja2.TemplateError as exc:
        raise TemplateError(f"modèle {name} : {_explain(exc)}{_where(template, exc)}") from exc
    except (TypeError, AttributeError, ValueError) as exc:
        # A sandboxed template misusing a value ("{{ x.y() }}", "{{ a + 1 }}").
        raise TemplateError(
            f"modèle {name} : expression invalide ({exc}){_where(template, exc)}"
        ) from exc
    _set_properties(template, document)
    buffer = io.BytesIO()
    template.save(buffer)
    return reproducible_docx(typeset_package(buffer.getvalue()))
