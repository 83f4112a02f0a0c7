"""Package-level Office Open XML fixes, bytes in and bytes out: what every renderer applies.

A renderer (docxtpl or the compiled engine) must call `repair_template(blob)` once per
template, before opening it: the package as Word and the Open XML SDK expect it, whatever
saved it (LibreOffice, Word, ctgdocs). What it must do to each rendered part is
`wordml.typeset_part`.
"""

from __future__ import annotations

import functools
import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from lxml import etree

from .docxzip import LEVEL
from .xmlfr import xml_reason

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
CORE_PROPERTIES = (
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
)
# LibreOffice's "Office Open XML Text" filter writes this type, which python-docx does not
# know: it then adds a second docProps/core.xml to the package.
_CORE_PROPERTIES_VARIANTS = (
    "http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/metadata/core-properties",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/metadataCoreProperties",
)
# Parts a generated document never needs, and why each is dropped.
_STALE = {
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects": (
        "copie périmée des styles (Word 2010), sans les styles CTG"
    ),
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail": (
        "vignette de la première page du modèle, pas du document"
    ),
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties": (
        "propriétés personnalisées du poste de l'auteur du modèle"
    ),
}


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Children order of the property elements the schema defines as sequences (ECMA-376 Part 1).
_ORDER: dict[str, tuple[str, ...]] = {
    "pPr": _names(
        "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
        "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
        "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
        "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
        "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
    ),
    "rPr": _names(
        "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
        "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u "
        "effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
    ),
    "tcPr": _names(
        "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
        "tcFitText vAlign hideMark headers cellIns cellDel cellMerge tcPrChange"
    ),
    "tblPr": _names(
        "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
        "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
        "tblDescription tblPrChange"
    ),
}
# Elements whose w:val is ST_OnOffOnly ("on"/"off") for the SDK, where LibreOffice writes "true".
_ON_OFF_ONLY = {"cantSplit", "tblHeader", "hidden", "noWrap", "tcFitText", "hideMark", "bidiVisual"}
_TRUE = {"true", "1", "on"}
# Alignments LibreOffice writes with ISO 29500 names that the transitional schema lacks here.
_JC_NAMES = {"start": "left", "end": "right"}
_XML_PARTS = re.compile(r"^word/[^/]+\.xml$")
# The ids Word gives each paragraph and table row it saves (MS-OI29500 § 2.6.2.3: unique
# within a part, below 0x80000000): a loop of the template repeats them with its paragraphs
# and rows, so they leave the parts that hold the text; Word gives new ones at its next save.
_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_PARAGRAPH_IDS = (f"{{{_W14}}}paraId", f"{{{_W14}}}textId")
# The parts that hold a document's text (wordml.is_text_part typesets them).
TEXT_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


# Each child's rank in its parent's order, by local name (the first place if named twice).
_RANKS = {parent: {name: order.index(name) for name in order} for parent, order in _ORDER.items()}


def _local(tag: object) -> str:
    return tag.split("}", 1)[-1] if isinstance(tag, str) else ""


def insert_in_order(parent: etree._Element, child: etree._Element) -> etree._Element:
    """Put `child` in `parent` (a pPr, rPr, tcPr or tblPr) where the schema wants it.

    A child of the same name is replaced; an unknown parent gets the child at its end.
    """
    ranks = _RANKS.get(_local(parent.tag))
    for existing in list(parent.iterchildren(child.tag)):
        parent.remove(existing)
    rank = None if ranks is None else ranks.get(_local(child.tag))
    if ranks is None or rank is None:
        parent.append(child)
        return child
    for sibling in parent:
        other = ranks.get(_local(sibling.tag))
        if other is not None and other > rank:
            sibling.addprevious(child)
            return child
    parent.append(child)
    return child


def _sort_children(element: etree._Element, order: tuple[str, ...]) -> bool:
    """Reorder the known children of `element` in schema order; True if anything moved."""
    children = list(element)
    known = [c for c in children if _local(c.tag) in order]
    ranked = sorted(known, key=lambda c: order.index(_local(c.tag)))
    if ranked == known:
        return False
    slots = iter(ranked)
    for index, child in enumerate(children):
        if _local(child.tag) in order:
            children[index] = next(slots)
    for child in children:
        element.remove(child)
    element.extend(children)
    return True


@dataclass
class Package:
    """The entries of a zip, in order, with helpers for relationships and content types."""

    entries: dict[str, bytes]
    repairs: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, blob: bytes) -> Package:
        entries: dict[str, bytes] = {}
        with zipfile.ZipFile(io.BytesIO(blob)) as archive:
            for info in archive.infolist():
                try:
                    # A duplicated entry (python-docx's second core.xml): the first one counts.
                    entries.setdefault(info.filename, archive.read(info))
                except (zlib.error, EOFError) as exc:
                    # A damaged or cut deflate stream: zipfile lets zlib's own error through.
                    raise zipfile.BadZipFile(f"{info.filename}: {exc}") from exc
        return cls(entries)

    def write(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.entries.items():
                entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = 0o644 << 16
                entry.create_system = 3
                archive.writestr(entry, data, compresslevel=LEVEL)
        return out.getvalue()

    @staticmethod
    def rels_name(part: str) -> str:
        folder, name = posixpath.split(part)
        return posixpath.join(folder, "_rels", f"{name}.rels")

    def xml(self, name: str) -> etree._Element | None:
        data = self.entries.get(name)
        return etree.fromstring(data) if data is not None else None

    def put(self, name: str, root: etree._Element) -> None:
        self.entries[name] = etree.tostring(
            root, xml_declaration=True, encoding="UTF-8", standalone=True
        )

    def rels_files(self) -> list[str]:
        return [name for name in self.entries if name.endswith(".rels")]

    def drop_part(self, part: str) -> None:
        """Remove a part, its own relationships and its content-type override."""
        self.entries.pop(part, None)
        self.entries.pop(self.rels_name(part), None)
        types = self.xml("[Content_Types].xml")
        if types is None:
            return
        for override in types.findall(f"{{{_CT_NS}}}Override"):
            if override.get("PartName") == f"/{part}":
                types.remove(override)
        self.put("[Content_Types].xml", types)


def _source_of(rels_name: str) -> str:
    """ "word/_rels/document.xml.rels" → "word"; "_rels/.rels" → "" (the package)."""
    return posixpath.dirname(posixpath.dirname(rels_name))


def _fix_relationships(package: Package) -> None:
    for rels_name in package.rels_files():
        root = package.xml(rels_name)
        if root is None:
            continue
        changed = False
        for rel in list(root.findall(f"{{{_REL_NS}}}Relationship")):
            kind = rel.get("Type", "")
            target = rel.get("Target", "")
            if kind in _CORE_PROPERTIES_VARIANTS:
                rel.set("Type", CORE_PROPERTIES)
                package.repairs.append(
                    "type de relation des propriétés du document (écrit par LibreOffice) corrigé"
                )
                changed = True
            elif kind in _STALE and rel.get("TargetMode") != "External":
                part = posixpath.normpath(posixpath.join(_source_of(rels_name), target)).lstrip("/")
                root.remove(rel)
                package.drop_part(part)
                package.repairs.append(f"partie {part} retirée : {_STALE[kind]}")
                changed = True
        if changed:
            package.put(rels_name, root)


def _fix_part(name: str, root: etree._Element) -> list[str]:
    """Schema order and value spellings in one WordprocessingML part; what was fixed."""
    counts = {"ordre": 0, "onoff": 0, "jc": 0, "charset": 0}
    for element in root.iter():
        local = _local(element.tag)
        if local in _ORDER and _sort_children(element, _ORDER[local]):
            counts["ordre"] += 1
        value = element.get(_w("val"))
        if local in _ON_OFF_ONLY and value is not None and value not in ("on", "off"):
            if value in _TRUE:
                del element.attrib[_w("val")]
            else:
                element.set(_w("val"), "off")
            counts["onoff"] += 1
        parent = element.getparent()
        in_table = parent is not None and _local(parent.tag) in ("tblPr", "trPr")
        if value in _JC_NAMES and (local == "lvlJc" or (local == "jc" and in_table)):
            element.set(_w("val"), _JC_NAMES[value])
            counts["jc"] += 1
        if local == "charset" and element.get(_w("characterSet")) is not None:
            del element.attrib[_w("characterSet")]
            counts["charset"] += 1
    labels = {
        "ordre": (
            "élément de propriétés remis",
            "éléments de propriétés remis",
            "dans l'ordre du schéma",
        ),
        "onoff": (
            "valeur « true »/« false » écrite",
            "valeurs « true »/« false » écrites",
            "« on »/« off » (lignes de tableau)",
        ),
        "jc": (
            "alignement « start »/« end » écrit",
            "alignements « start »/« end » écrits",
            "« left »/« right »",
        ),
        "charset": (
            "jeu de caractères de police non standard retiré",
            "jeux de caractères de police non standard retirés",
            "",
        ),
    }
    return [
        f"{name} : {count} {labels[key][count > 1]} {labels[key][2]}".rstrip()
        for key, count in counts.items()
        if count
    ]


def _drop_paragraph_ids(root: etree._Element) -> bool:
    """Remove the w14:paraId and w14:textId of a part's paragraphs and rows; True if any."""
    dropped = False
    for element in root.iter():
        for attribute in _PARAGRAPH_IDS:
            if attribute in element.attrib:
                del element.attrib[attribute]
                dropped = True
    return dropped


def _drop_go_back(root: etree._Element) -> bool:
    """Remove the hidden _GoBack bookmark, where Word keeps the last edit's place; True if
    there was one. Inside a loop it would repeat with its w:id, which Word wants unique."""
    dropped = False
    for start in list(root.iter(_w("bookmarkStart"))):
        if start.get(_w("name")) != "_GoBack":
            continue
        bookmark = start.get(_w("id"))
        ends = [e for e in root.iter(_w("bookmarkEnd")) if e.get(_w("id")) == bookmark]
        for mark in [start, *ends]:
            parent = mark.getparent()
            if parent is not None:
                parent.remove(mark)
        dropped = True
    return dropped


@functools.lru_cache(maxsize=32)
def repair_template(blob: bytes) -> tuple[bytes, tuple[str, ...]]:
    """The template package fixed for python-docx and the Open XML schema, and the fixes made
    (the paragraph ids and the _GoBack bookmark that Word writes are dropped too, without
    being listed as fixes).

    Raises zipfile.BadZipFile (or KeyError, ValueError) for bytes that are not a package.
    """
    package = Package.read(blob)
    _fix_relationships(package)
    changed = False
    for name in list(package.entries):
        if not _XML_PARTS.match(name):
            continue
        try:
            root = etree.fromstring(package.entries[name])
        except etree.XMLSyntaxError as exc:
            raise ValueError(f"{name} : {xml_reason(exc, package.entries[name])}") from exc
        fixes = _fix_part(name, root)
        # Not repairs to report: Word's own bookkeeping, which a loop would duplicate.
        text_part = TEXT_PARTS.match(name) is not None
        data = package.entries[name]
        dropped = text_part and b"paraId" in data and _drop_paragraph_ids(root)
        dropped = (text_part and b"_GoBack" in data and _drop_go_back(root)) or dropped
        if fixes or dropped:
            package.put(name, root)
            package.repairs.extend(fixes)
            changed = True
    if not package.repairs and not changed:
        return blob, ()
    return package.write(), tuple(package.repairs)
