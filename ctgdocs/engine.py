"""The compiled engine: a Word template opened, repaired and compiled once, then rendered fast.

It produces, byte for byte, what docxtpl then python-docx would save (the differential tests
hold both engines to it): the same tag repair, Jinja environment and post-processing per
part, the same XML serialisation; only the work that does not depend on a document's data
(opening the package, repairing tags, compiling Jinja, deflating unchanged parts) is done once.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import jinja2
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import serialize_part_xml
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from .documents import Document
from .docxzip import ZipEntry, zip_archive, zip_entry
from .sandbox import unknown_name_error
from .typographie import composer_contexte
from .wordml import (
    is_text_part,
    marked_texts,
    may_break_pages,
    needs_typesetting,
    serialize_typeset,
    surely_needs_typesetting,
    typeset_part,
    typeset_tree,
)

# docxtpl's string-level helpers do not use their instance: called with none.
_NO_TEMPLATE: Any = None
_PARAGRAPH_START = re.compile(r"<w:p([ >])")
_TAGS = ("{{", "{%", "{#")
_XML_TAG = re.compile(r"<[^>]+>")
_LISTING_BYTES = (b"\t", b"\a", b"\n", b"\f")


_FOOTNOTES = "notes de bas de page"
_DROPPED_RELATIONSHIPS = (RT.THUMBNAIL, RT.CUSTOM_PROPERTIES)


class Unsupported(Exception):
    """The template uses something the compiled engine does not reproduce: use docxtpl."""


@dataclass
class TemplatePart:
    """One XML part that docxtpl renders: its source for Jinja, as docxtpl repairs it."""

    label: str  # "corps", "en-tête", "pied de page", "notes de bas de page"
    member: str  # its name in the zip archive
    source: str  # docxtpl's patched XML, one line per paragraph
    lines: list[str]  # the text of each line, for messages
    tree: nodes.Template | None = None  # None when it does not parse
    syntax_error: jinja2.TemplateSyntaxError | None = None


def paragraph_lines(patched_xml: str) -> tuple[str, list[str]]:
    """The Jinja source as docxtpl renders it (one line per paragraph) and each line's text."""
    source = _PARAGRAPH_START.sub(r"\n<w:p\1", patched_xml)
    return source, [" ".join(_XML_TAG.sub("", line).split()) for line in source.splitlines()]


# What is said of a paragraph whose tags do not close in it.
UNCLOSED = "balise ouverte et non fermée (ou l'inverse)"


class UnclosedTag(jinja2.TemplateSyntaxError):
    """A paragraph whose tags do not close in it (`tags_unclosed`), as `_part` finds it."""


def tags_unclosed(line: str) -> bool:
    """Whether a paragraph's text opens a tag it does not close, or closes one it did not open."""
    return line.count("{{") != line.count("}}") or line.count("{%") != line.count("%}")


def _unclosed(xml: str) -> str | None:
    """The text of the first paragraph, as written, whose tags do not close in it."""
    return next((line for line in paragraph_lines(xml)[1] if tags_unclosed(line)), None)


def _part(label: str, member: str, xml: str, env: SandboxedEnvironment) -> TemplatePart:
    source, lines = paragraph_lines(DocxTemplate.patch_xml(_NO_TEMPLATE, xml))
    part = TemplatePart(label, member, source, lines)
    try:
        part.tree = env.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        part.syntax_error = exc
    else:
        part.syntax_error = unknown_name_error(env, part.tree)
    unclosed = _unclosed(xml) if part.syntax_error is None else None
    if unclosed is not None:
        # docxtpl's patch reads an unclosed « {{ » up to the next « }} », and a {%p … %} met
        # on the way drops the paragraphs in between: the document would lose them silently.
        # The paragraph is quoted as written, since the patched source no longer holds it.
        part.lines.append(unclosed)
        part.syntax_error = UnclosedTag(UNCLOSED, len(part.lines))
    return part


def _headers_footers(template: DocxTemplate) -> Iterator[tuple[str, Any]]:
    for uri, label in ((template.HEADER_URI, "en-tête"), (template.FOOTER_URI, "pied de page")):
        for _, part in template.get_headers_footers(uri):
            yield label, part


def _footnotes(template: DocxTemplate) -> list[Any]:
    footnotes = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
    return [p for p in template.docx.part.package.parts if p.content_type == footnotes]


def template_parts(template: DocxTemplate, env: SandboxedEnvironment) -> list[TemplatePart]:
    """Every part docxtpl renders, in its order: body, headers, footers, footnotes."""
    document = template.docx.part
    parts = [_part("corps", document.partname[1:], template.get_xml(), env)]
    for label, part in _headers_footers(template):
        parts.append(_part(label, part.partname[1:], template.get_part_xml(part), env))
    for part in _footnotes(template):
        xml = part.blob.decode("utf-8")
        parts.append(_part(_FOOTNOTES, part.partname[1:], xml, env))
    return parts


def finish_part(rendered: str) -> bytes:
    """docxtpl's post-processing of a rendered part: paragraphs rejoined, escapes, listings;
    in UTF-8, as every part is written (these ASCII patterns are replaced alike in bytes)."""
    data = rendered.encode("utf-8")
    # docxtpl's re.sub(r"\n<w:p([ >])", r"<w:p\1", …), without a Python call per paragraph.
    if b"\n<w:p" in data:
        data = data.replace(b"\n<w:p ", b"<w:p ").replace(b"\n<w:p>", b"<w:p>")
    if b"{_" in data or b"_}" in data:
        for escaped, tag in ((b"{_{", b"{{"), (b"}_}", b"}}"), (b"{_%", b"{%"), (b"%_}", b"%}")):
            data = data.replace(escaped, tag)
    if not any(char in data for char in _LISTING_BYTES):
        # resolve_listing only rewrites these characters in text runs: without any, it is
        # the identity, and its three nested regex passes are most of a render's time.
        return data
    return str(DocxTemplate.resolve_listing(_NO_TEMPLATE, data.decode("utf-8"))).encode("utf-8")


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# Rendered parts kept per template, deflated: a body is kept only while it repeats.
_RECENT = 16


_GRID_SPAN, _TBL, _TBL_GRID = (f"{{{_W}}}{name}" for name in ("gridSpan", "tbl", "tblGrid"))


# Evaluated by libxml2: a walk over every row and cell in Python costs more than the parse.
_NS = {"w": _W}
_GRID_COLUMNS = etree.XPath("count(w:tblGrid[1]/w:gridCol)", namespaces=_NS)
_ROWS_WIDER = etree.XPath("boolean(descendant::w:tr[count(w:tc) > $columns])", namespaces=_NS)
_ROWS_AS_WIDE = etree.XPath("boolean(descendant::w:tr[count(w:tc) = $columns])", namespaces=_NS)


def _tables_as_drawn(tree: etree._Element) -> bool:
    """Whether docxtpl's fix_tables would leave every table alone: no cell spans, and every
    table's widest row exactly as wide as its grid (a cell loop changes neither here)."""
    if tree.nsmap.get("w") != _W:
        return False
    tables = []
    for element in tree.iter(_GRID_SPAN, _TBL):  # one walk finds both
        if element.tag == _GRID_SPAN:
            return False
        tables.append(element)
    for table in tables:
        if next(table.iterchildren(_TBL_GRID), None) is None:
            return False
        # The widest of its rows (nested tables' rows too, as table.iter finds them), or 0.
        columns = _GRID_COLUMNS(table)
        if _ROWS_WIDER(table, columns=columns):
            return False
        if columns and not _ROWS_AS_WIDE(table, columns=columns):
            return False
    return True


# docxtpl's parser, made once: a parser costs more to make than a small body to parse.
_RECOVERING = etree.XMLParser(recover=True)
# python-docx's parser (`docx.oxml.parser.oxml_parser`) without its element classes.
_PLAIN = etree.XMLParser(remove_blank_text=True, resolve_entities=False)


# A strict parse of the UTF-8 bytes: a third faster than docxtpl's recovering parse of the
# text, and the same tree whenever the body is well-formed (recovering changes only what a
# strict parse refuses, which then takes docxtpl's parse).
_STRICT = etree.XMLParser()


def fix_tables(data: bytes) -> etree._Element:
    """docxtpl's fix_tables, without its slow walk over every cell when it would change nothing."""
    try:
        tree = etree.fromstring(data, parser=_STRICT)
    except etree.XMLSyntaxError:
        tree = etree.fromstring(data, parser=_RECOVERING)
    if _tables_as_drawn(tree):
        return tree
    fixed: etree._Element = DocxTemplate.fix_tables(_NO_TEMPLATE, data.decode("utf-8"))
    return fixed


class _DocPrCounter:
    """docxtpl numbers drawing ids from 1001 in every rendered body."""

    def __init__(self) -> None:
        self.docx_ids_index = 1000


def _constant(tree: nodes.Template) -> bool:
    """Whether a template outputs the same text whatever the context."""
    return all(
        isinstance(node, nodes.Output)
        and all(isinstance(c, nodes.TemplateData) for c in node.nodes)
        for node in tree.body
    )


@dataclass
class _Rendered:
    """A part rendered for each document, and how its Jinja output becomes the part's bytes."""

    part: TemplatePart
    template: jinja2.Template
    finish: Callable[[str], bytes]
    typeset: bool  # whether `finish` has already typeset the part (wordml.typeset_part)


def set_core_properties(props: CoreProperties, document: Document) -> None:
    """The document's properties: its own title, subject and date, never the template's."""
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
    # Never printed: Word would show the act's date as its « dernière impression ».
    for printed in props._element.findall(qn("cp:lastPrinted")):
        props._element.remove(printed)


def drop_unwanted_parts(template: DocxTemplate) -> None:
    """Remove the parts a template carries from its author's machine (thumbnail, custom)."""
    package = template.docx.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype in _DROPPED_RELATIONSHIPS:
            del package.rels[rel_id]


class CompiledTemplate:
    """A template ready to render documents: every part that does not change already deflated.

    `template` must be freshly opened and prepared (`drop_unwanted_parts`) and not rendered;
    `parts`, if given, are its `template_parts` (found once for the template check too).
    """

    def __init__(
        self,
        template: DocxTemplate,
        env: SandboxedEnvironment,
        app_xml: bytes,
        parts: list[TemplatePart] | None = None,
    ) -> None:
        check_supported(template)
        docx = template.docx
        self.parts = template_parts(template, env) if parts is None else parts
        for part in self.parts:
            if part.syntax_error is not None:
                raise part.syntax_error
        self._core = copy.deepcopy(docx.core_properties._element)
        constants = CoreProperties(self._core)
        for name in _RENDERED_PROPERTIES:
            # docxtpl renders these before ctgdocs sets its own: it creates their elements.
            setattr(constants, name, env.from_string(getattr(constants, name)).render({}))
        self._core_member = docx.part.package._core_properties_part.partname[1:]
        self._core_segments: dict[bool, list[bytes | str]] = {}
        self._recent: dict[tuple[str, str], ZipEntry] = {}
        body_member = docx.part.partname[1:]
        self._typeset_body = is_text_part(body_member)
        root = docx.element
        # The document element without its body: each render puts its own body in. Parsed
        # again as plain lxml elements: python-docx's classes (its `CT_R.text`, a walk over
        # the run) would answer the typesetting's every lookup in Python.
        self._skeleton = etree.fromstring(etree.tostring(root), parser=_PLAIN)
        self._body_index = list(root).index(root.body)
        self._skeleton[self._body_index] = etree.Element(qn("w:body"))
        rendered: list[_Rendered] = []
        constant: dict[str, bytes] = {}
        for part in self.parts:
            compiled = env.from_string(part.source)
            if part.member == body_member:
                finish = self._finish_body
            elif part.label == _FOOTNOTES:
                finish = _finish_raw
            else:
                finish = _finish_xml_part
            assert part.tree is not None
            if part.member != body_member and _constant(part.tree):
                constant[part.member] = finish(compiled.render({}))
            else:
                rendered.append(_Rendered(part, compiled, finish, part.member == body_member))
        self._rendered = rendered
        self._order, self._static = _layout(
            template, app_xml, constant, {r.part.member for r in rendered} | {self._core_member}
        )

    def _core_xml(self, document: Document) -> bytes:
        """docProps/core.xml as python-docx writes it once ctgdocs has set the properties."""
        title, subject = document.title, document.subject
        if not (_settable(title) and _settable(subject)):
            # python-docx's setters raise what the reference engine raises.
            core = copy.deepcopy(self._core)
            set_core_properties(CoreProperties(core), document)
            return bytes(serialize_part_xml(core))
        projet = bool(document.context.get("projet"))
        if projet not in self._core_segments:
            self._core_segments[projet] = _core_segments(self._core, projet)
        moment = dt.datetime.combine(document.date, dt.time()).strftime("%Y-%m-%dT%H:%M:%SZ")
        values = {"title": _escape(title), "subject": _escape(subject), "date": moment.encode()}
        return b"".join(
            piece if isinstance(piece, bytes) else values[piece]
            for piece in self._core_segments[projet]
        )

    def _finish_body(self, rendered: str) -> bytes:
        """The body as python-docx saves it, then typeset (`wordml.typeset_part`).

        Typeset on the tree rather than on a parse of its serialisation: lxml parses what it
        serialised back into the same tree, so the bytes are the same. A body seen on its tree
        to need typesetting (`wordml.surely_needs_typesetting`) is serialised only once.
        """
        xml = finish_part(rendered)
        tree = fix_tables(xml)
        if b"docPr" in xml:  # else no drawing to number (its XPath costs more than the test)
            DocxTemplate.fix_docpr_ids(_DocPrCounter(), tree)
        root = copy.deepcopy(self._skeleton)
        root.replace(root[self._body_index], tree)
        if not self._typeset_body:
            return bytes(serialize_part_xml(root))
        marked = marked_texts(root)
        if not surely_needs_typesetting(root, marked):
            data = bytes(serialize_part_xml(root))
            if not needs_typesetting(data):
                return data
        typeset_tree(root, marked, may_break_pages(xml), b"bookmarkStart" in xml)
        return serialize_typeset(root)

    def render(self, document: Document) -> bytes:
        """The .docx of one document; a Jinja error carries the part it happened in."""
        entries = dict(self._static)
        context = composer_contexte(document.context)
        for item in self._rendered:
            try:
                output = item.template.render(context)
            except Exception as exc:
                exc.ctgdocs_part = item.part  # type: ignore[attr-defined]
                raise
            member = item.part.member
            entry = self._recent.get((member, output))
            if entry is None:
                data = item.finish(output)
                entry = zip_entry(member, data if item.typeset else _typeset(member, data))
                if len(self._recent) >= _RECENT:
                    self._recent.clear()
                # Headers and footers repeat from one document of a convention to the next.
                self._recent[member, output] = entry
            entries[member] = entry
        entries[self._core_member] = zip_entry(self._core_member, self._core_xml(document))
        return zip_archive([entries[name] for name in self._order])


def _layout(
    template: DocxTemplate, app_xml: bytes, constant: dict[str, bytes], rendered: set[str]
) -> tuple[list[str], dict[str, ZipEntry]]:
    """The archive's part order as python-docx saves it, and every part not rendered, deflated."""
    buffer = io.BytesIO()
    template.docx.save(buffer)
    order: list[str] = []
    static: dict[str, ZipEntry] = {}
    with zipfile.ZipFile(buffer) as saved:
        for info in saved.infolist():
            name = info.filename
            order.append(name)
            if name in rendered:
                continue
            if name in constant:
                data = constant[name]
            elif name == "docProps/app.xml":
                data = app_xml
            else:
                data = saved.read(info)
            static[name] = zip_entry(name, _typeset(name, data))
    return order, static


def _typeset(name: str, data: bytes) -> bytes:
    """ctgdocs's typography (superscripts, non-breaking hyphens), as for docxtpl's output."""
    return typeset_part(data) if is_text_part(name) else data


# Stand-ins for the values of each document in core.xml: their places are found once.
_SLOT_DATE = dt.datetime(2099, 9, 9, 9, 9, 9)
_SLOTS = {"title": "ctgdocs-titre-7f3c9", "subject": "ctgdocs-sujet-7f3c9"}
_SCRATCH = etree.Element("t")


def _settable(value: str) -> bool:
    """Whether python-docx accepts `value` as a property (at most 255 characters of XML)."""
    if len(value) > 255:
        return False
    try:
        _SCRATCH.text = value
    except ValueError:
        return False
    return True


def _escape(text: str) -> bytes:
    """Text as libxml2 serialises it in an element."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("\r", "&#13;").encode("utf-8")


def _core_segments(core: Any, projet: bool) -> list[bytes | str]:
    """core.xml cut around its title, subject and dates (str pieces name the value to put)."""
    element = copy.deepcopy(core)
    sample = Document("", "", PurePosixPath(), {"projet": projet}, "", "", _SLOT_DATE.date())
    set_core_properties(CoreProperties(element), sample)
    props = CoreProperties(element)
    props.title, props.subject = _SLOTS["title"], _SLOTS["subject"]
    props.created = props.modified = _SLOT_DATE
    data = bytes(serialize_part_xml(element))
    date = _SLOT_DATE.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    pattern = b"|".join(re.escape(v.encode()) for v in [*_SLOTS.values(), date.decode()])
    names = {v.encode(): k for k, v in _SLOTS.items()} | {date: "date"}
    segments: list[bytes | str] = []
    position = 0
    for found in re.finditer(pattern, data):
        segments += [data[position : found.start()], names[found.group()]]
        position = found.end()
    return [*segments, data[position:]]


def _finish_xml_part(rendered: str) -> bytes:
    """A header or footer as python-docx reloads then saves it."""
    return bytes(serialize_part_xml(parse_xml(finish_part(rendered))))


def _finish_raw(rendered: str) -> bytes:
    """A footnotes part, kept as the text docxtpl rendered."""
    return finish_part(rendered)


_RENDERED_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")


def check_supported(template: DocxTemplate) -> None:
    """Raise Unsupported where docxtpl would do something this engine does not reproduce."""
    props = template.docx.core_properties
    for name in _RENDERED_PROPERTIES:
        if any(tag in (getattr(props, name) or "") for tag in _TAGS):
            # docxtpl renders these properties (then ctgdocs overwrites them).
            raise Unsupported(f"balise dans la propriété « {name} » du document")
    uris = (template.HEADER_URI, template.FOOTER_URI)
    rendered = [
        rel.target_part
        for rel in template.docx.part.rels.values()
        if rel.reltype in uris and rel.target_part.blob
    ]
    if len(rendered) != len({id(p) for p in rendered}):
        raise Unsupported("en-tête ou pied de page cité par plusieurs relations")
    if _footnotes(template) and len(template.docx.sections) != 1:
        # docxtpl renders footnotes once per section, each pass on the last one's output.
        raise Unsupported("notes de bas de page dans un document à plusieurs sections")
