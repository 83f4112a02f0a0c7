"""What makes Word open a .docx only "after repair", beyond what the Open XML SDK's schema sees.

The SDK validates each part against the schema; Word also checks the package as a whole:
ids unique across parts, references that land (relationships, numbering, notes, bookmarks,
styles), tables whose grid holds their rows, a cell that ends with a paragraph, fields that
close, namespaces it does not know ignorable, text it can read. `problems(blob)` lists what
a package breaks, each problem with the check that found it (`CHECKS`), its part and an
excerpt; an empty list is a package these checks pass.

The rules come from ECMA-376 (Part 1, WordprocessingML; Part 2, Open Packaging Conventions)
and from what Word is known to repair where the schema is silent (the row of a table without
a cell, a cell not ending with a paragraph, a durable id of 0x80000000 or more).
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
XML = "http://www.w3.org/XML/1998/namespace"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
DCTERMS = "http://purl.org/dc/terms/"
CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"

# Namespaces Word reads (ECMA-376 transitional, and Office's own up to Word 2016): an element
# or attribute of any other namespace must be listed in mc:Ignorable, or Word rejects it.
KNOWN_NAMESPACES = frozenset(
    {
        W,
        R,
        WP,
        MC,
        W14,
        XML,
        XSI,
        "http://schemas.openxmlformats.org/officeDocument/2006/math",
        "http://schemas.openxmlformats.org/drawingml/2006/main",
        "http://schemas.openxmlformats.org/drawingml/2006/picture",
        "http://schemas.openxmlformats.org/drawingml/2006/chart",
        "http://schemas.openxmlformats.org/drawingml/2006/diagram",
        "http://schemas.openxmlformats.org/officeDocument/2006/bibliography",
        "http://schemas.openxmlformats.org/officeDocument/2006/customXml",
        "http://schemas.openxmlformats.org/schemaLibrary/2006/main",
        "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
        "urn:schemas-microsoft-com:vml",
        "urn:schemas-microsoft-com:office:office",
        "urn:schemas-microsoft-com:office:word",
        "urn:schemas-microsoft-com:office:excel",
        "urn:schemas-microsoft-com:office:powerpoint",
        "http://schemas.microsoft.com/office/word/2006/wordml",
        "http://schemas.microsoft.com/office/word/2012/wordml",
        "http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing",
        "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
        "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",
        "http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas",
        "http://schemas.microsoft.com/office/word/2010/wordprocessingInk",
        "http://schemas.microsoft.com/office/drawing/2010/main",
        _RELS,
        _TYPES,
        CP,
        EXTENDED,
        DCTERMS,
        "http://purl.org/dc/elements/1.1/",
        "http://purl.org/dc/dcmitype/",
    }
)

# The checks, by name, and what each looks at.
CHECKS = {
    "zip": "entrées du zip : noms uniques, en-têtes locaux fidèles, ni chiffrement ni dossier",
    "content-types": "[Content_Types].xml couvre chaque partie, sans Override orpheline",
    "xml": "chaque partie XML bien formée, en UTF-8, sans caractère de contrôle",
    "relationships": "identifiants uniques, cibles internes présentes, types attendus",
    "references": "chaque r:id d'une partie existe dans ses relations",
    "namespaces": "mc:Ignorable déclaré ; espaces de noms inconnus de Word ignorables",
    "core-properties": "docProps/core.xml : dates W3CDTF, révision entière",
    "app-properties": "docProps/app.xml : nombres entiers",
    "drawing-ids": "wp:docPr/@id unique dans tout le paquet",
    "long-hex-ids": "w14:paraId (uniques dans leur partie), textId, docId, durableId < 0x80000000",
    "change-ids": "w:id des révisions et commentaires uniques",
    "bookmarks": "w:bookmarkStart et w:bookmarkEnd appariés, identifiants et noms uniques",
    "notes": "appels de note vers une note existante",
    "comments": "marques de commentaire vers un commentaire existant",
    "numbering": "w:numId vers w:num, w:abstractNumId vers w:abstractNum, dans l'ordre",
    "styles": "styles référencés existants et du bon type, identifiants uniques",
    "tables": "grille assez large, ligne avec cellule, cellule finissant par un paragraphe",
    "sections": "w:sectPr dernier du corps, ni en cellule ni en en-tête ; un en-tête par type",
    "fields": "w:fldChar begin/separate/end équilibrés",
    "hyperlinks": "w:hyperlink vers une relation externe ou un signet existant",
    "text": "espaces de bord préservés, pas de saut de ligne ni tabulation dans w:t",
}


@dataclass(frozen=True)
class Problem:
    check: str
    part: str
    message: str

    def __str__(self) -> str:
        return f"[{self.check}] {self.part} : {self.message}"


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _excerpt(element: etree._Element, limit: int = 160) -> str:
    text = etree.tostring(element, encoding="unicode", with_tail=False)
    text = re.sub(r' xmlns(:\w+)?="[^"]*"', "", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Package:
    """A .docx read for checking: raw entries, parsed XML parts, relationships by source."""

    blob: bytes
    infos: list[zipfile.ZipInfo] = field(default_factory=list)
    entries: dict[str, bytes] = field(default_factory=dict)
    trees: dict[str, etree._Element] = field(default_factory=dict)
    found: list[Problem] = field(default_factory=list)

    def add(self, check: str, part: str, message: str) -> None:
        self.found.append(Problem(check, part, message))

    def rels(self, part: str) -> dict[str, etree._Element]:
        """The relationships of `part` ("" for the package), by Id."""
        folder, name = posixpath.split(part)
        tree = self.trees.get(posixpath.join(folder, "_rels", f"{name}.rels"))
        if tree is None:
            return {}
        return {rel.get("Id", ""): rel for rel in tree.iterfind(f"{{{_RELS}}}Relationship")}

    def target(self, part: str, rel: etree._Element) -> str:
        target = rel.get("Target", "")
        if target.startswith("/"):
            return posixpath.normpath(target).lstrip("/")
        return posixpath.normpath(posixpath.join(posixpath.dirname(part), target))

    def main_part(self) -> str:
        for rel in self.rels("").values():
            if rel.get("Type") == _REL_TYPE + "officeDocument":
                return self.target("", rel)
        return "word/document.xml"

    def related(self, part: str, kind: str) -> list[str]:
        return [self.target(part, r) for r in self.rels(part).values() if r.get("Type") == kind]

    def one_related(self, kind: str) -> etree._Element | None:
        parts = self.related(self.main_part(), _REL_TYPE + kind)
        return self.trees.get(parts[0]) if parts else None

    def stories(self) -> list[str]:
        """The parts holding text: the main document, headers, footers, notes, comments."""
        main = self.main_part()
        kinds = ("header", "footer", "footnotes", "endnotes", "comments")
        parts = [main] + [p for k in kinds for p in self.related(main, _REL_TYPE + k)]
        return [p for p in parts if p in self.trees]


# --- package --------------------------------------------------------------------------------

_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_DATA_DESCRIPTOR = 0x8
_ENCRYPTED = 0x1
_UTF8 = 0x800


def _check_zip(package: Package) -> None:
    names = [info.filename for info in package.infos]
    for name, count in Counter(names).items():
        if count > 1:
            package.add("zip", name, f"entrée présente {count} fois")
    folded = Counter(name.lower() for name in set(names))
    for name in sorted(set(names)):
        if folded[name.lower()] > 1:
            package.add("zip", name, "deux entrées ne diffèrent que par la casse")
    if names and names[0] != "[Content_Types].xml":
        package.add("zip", names[0], "[Content_Types].xml n'est pas la première entrée")
    for info in package.infos:
        if info.flag_bits & _ENCRYPTED:
            package.add("zip", info.filename, "entrée chiffrée")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            package.add("zip", info.filename, f"compression {info.compress_type}")
        if "\\" in info.filename or info.filename.startswith("/") or info.is_dir():
            package.add("zip", info.filename, "nom d'entrée non permis dans un paquet")
        if info.external_attr == 0 and info.create_system == 0:
            # Word for Mac repairs a package whose entries have no attributes at all.
            package.add("zip", info.filename, "entrée sans attributs externes")
        # The local header says what the central directory says: its name, its method and,
        # without a data descriptor (bit 3) to give them after the data, its CRC and sizes.
        header = _LOCAL_HEADER.unpack_from(package.blob, info.header_offset)
        start = info.header_offset + _LOCAL_HEADER.size
        name = package.blob[start : start + header[9]]
        described = header[2] & _DATA_DESCRIPTOR
        sizes = (info.CRC, info.compress_size, info.file_size)
        if (
            header[0] != b"PK\x03\x04"
            or header[3] != info.compress_type
            or name.decode("utf-8" if header[2] & _UTF8 else "cp437") != info.filename
            or (not described and header[6:9] != sizes)
        ):
            package.add("zip", info.filename, "en-tête local contraire au répertoire central")


def _check_content_types(package: Package) -> None:
    types = package.trees.get("[Content_Types].xml")
    if types is None:
        package.add("content-types", "[Content_Types].xml", "absent")
        return
    defaults = Counter(
        d.get("Extension", "").lower() for d in types.iterfind(f"{{{_TYPES}}}Default")
    )
    overrides = Counter(
        o.get("PartName", "").lower() for o in types.iterfind(f"{{{_TYPES}}}Override")
    )
    for extension, count in defaults.items():
        if count > 1:
            package.add(
                "content-types", "[Content_Types].xml", f"Default .{extension} {count} fois"
            )
    present = {name.lower() for name in package.entries}
    for part_name, count in overrides.items():
        if count > 1:
            package.add("content-types", part_name, f"Override {count} fois")
        if part_name.lstrip("/") not in present:
            package.add("content-types", part_name, "Override d'une partie absente du paquet")
    for name in package.entries:
        if name == "[Content_Types].xml":
            continue
        base = posixpath.basename(name)
        extension = base.rsplit(".", 1)[-1].lower() if "." in base else ""
        if f"/{name}".lower() not in overrides and extension not in defaults:
            package.add("content-types", name, "partie sans type de contenu (Default ni Override)")
    _check_part_types(package, types)


def _check_part_types(package: Package, types: etree._Element) -> None:
    # A part of a known relationship has that kind's content type, or Word does not see it
    # as a header, the styles…: a Default "application/xml" covers the part, wrongly.
    for source in ["", *package.stories()]:
        for rel in package.rels(source).values():
            kind = rel.get("Type", "").rsplit("/", 1)[-1]
            expected = _EXPECTED_TYPES.get(kind)
            target = package.target(source, rel)
            if expected and rel.get("TargetMode") != "External" and target in package.entries:
                found = _content_type(types, target)
                if found != expected:
                    package.add("content-types", target, f"type {found}, pas {expected}")


_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
_EXPECTED_TYPES = {
    "officeDocument": _MAIN,
    "styles": _WML + "styles+xml",
    "numbering": _WML + "numbering+xml",
    "settings": _WML + "settings+xml",
    "webSettings": _WML + "webSettings+xml",
    "fontTable": _WML + "fontTable+xml",
    "header": _WML + "header+xml",
    "footer": _WML + "footer+xml",
    "footnotes": _WML + "footnotes+xml",
    "endnotes": _WML + "endnotes+xml",
    "comments": _WML + "comments+xml",
    "theme": "application/vnd.openxmlformats-officedocument.theme+xml",
    "core-properties": "application/vnd.openxmlformats-package.core-properties+xml",
    "extended-properties": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
}


def _content_type(types: etree._Element, part: str) -> str | None:
    for override in types.iterfind(f"{{{_TYPES}}}Override"):
        if override.get("PartName", "").lower() == f"/{part}".lower():
            return override.get("ContentType")
    extension = part.rsplit(".", 1)[-1].lower()
    for default in types.iterfind(f"{{{_TYPES}}}Default"):
        if default.get("Extension", "").lower() == extension:
            return default.get("ContentType")
    return None


# XML 1.0 Char, less the "discouraged" C1 controls and non-characters (XML 1.0 § 2.2).
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufdd0-\ufdef\ufffe\uffff]")
_DECLARATION = re.compile(rb"^<\?xml[^>]*encoding=['\"]([^'\"]+)['\"]")


def _parse(package: Package) -> None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    for name, data in package.entries.items():
        if not (name.endswith((".xml", ".rels")) or name == "[Content_Types].xml"):
            continue
        declared = _DECLARATION.match(data)
        if declared and declared[1].lower() not in (b"utf-8", b"utf-16"):
            package.add("xml", name, f"encodage {declared[1].decode()} (Word lit UTF-8 et UTF-16)")
        if b"<!DOCTYPE" in data[:1024]:
            package.add("xml", name, "déclaration DOCTYPE (interdite dans un paquet, OPC M1.17)")
        try:
            root = etree.fromstring(data, parser)
        except etree.XMLSyntaxError as exc:
            package.add("xml", name, f"XML mal formé : {exc}")
            continue
        package.trees[name] = root
        for text in _texts(root):
            bad = _NOT_TEXT.search(text)
            if bad:
                package.add("xml", name, f"caractère U+{ord(bad[0]):04X} dans « {text[:60]} »")


def _texts(root: etree._Element) -> Iterator[str]:
    for element in root.iter():
        if element.text:
            yield element.text
        if element.tail:
            yield element.tail
        yield from element.attrib.values()


_ID = re.compile(r"^[A-Za-z_][\w.\-]*$")
_URI = re.compile(r"^[\w\-._~:/?#\[\]@!$&'()*+,;=%]*$")


def _check_relationships(package: Package) -> None:
    for name, root in package.trees.items():
        if not name.endswith(".rels"):
            continue
        source = posixpath.join(
            posixpath.dirname(posixpath.dirname(name)), posixpath.basename(name)[: -len(".rels")]
        )
        if source and source not in package.entries:
            package.add("relationships", name, f"relations d'une partie absente ({source})")
        ids = Counter(rel.get("Id", "") for rel in root)
        for rel in root.iterfind(f"{{{_RELS}}}Relationship"):
            rel_id, target = rel.get("Id", ""), rel.get("Target", "")
            if ids[rel_id] > 1 or not _ID.match(rel_id):
                package.add("relationships", name, f"identifiant {rel_id!r} : {_excerpt(rel)}")
            if not _URI.match(target):
                package.add("relationships", name, f"cible qui n'est pas une URI : {_excerpt(rel)}")
            if rel.get("TargetMode") == "External":
                continue
            if package.target(source, rel) not in package.entries:
                package.add("relationships", name, f"cible absente : {_excerpt(rel)}")
    kinds = Counter(rel.get("Type") for rel in package.rels("").values())
    if kinds[_REL_TYPE + "officeDocument"] != 1:
        package.add("relationships", "_rels/.rels", "il faut une et une seule officeDocument")


# Element → the relationship type its r:id must have.
_REFERENCE_TYPES = {
    "headerReference": "header",
    "footerReference": "footer",
    "hyperlink": "hyperlink",
    "attachedTemplate": "attachedTemplate",
}


def _check_references(package: Package) -> None:
    for name, root in package.trees.items():
        if name.endswith(".rels") or name == "[Content_Types].xml":
            continue
        rels = package.rels(name)
        for element in root.iter():
            for attribute, value in element.attrib.items():
                if not attribute.startswith(f"{{{R}}}"):
                    continue
                rel = rels.get(value)
                if rel is None:
                    package.add(
                        "references", name, f"{value} absent des relations : {_excerpt(element)}"
                    )
                    continue
                kind = _REFERENCE_TYPES.get(etree.QName(element).localname)
                if kind and rel.get("Type") != _REL_TYPE + kind:
                    package.add("references", name, f"{value} de type {rel.get('Type')}")


def _check_namespaces(package: Package) -> None:
    for name, root in package.trees.items():
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            ignorable = element.get(f"{{{MC}}}Ignorable")
            if ignorable is not None:
                for prefix in ignorable.split():
                    if prefix not in element.nsmap:
                        package.add("namespaces", name, f"mc:Ignorable nomme {prefix}, non déclaré")
            used = [
                etree.QName(element).namespace,
                *(etree.QName(a).namespace for a in element.attrib),
            ]
            for namespace in used:
                known = not namespace or namespace in KNOWN_NAMESPACES
                if not known and not _ignored(element, namespace):
                    package.add("namespaces", name, f"{namespace} inconnu et non ignorable")


def _ignored(element: etree._Element, namespace: str) -> bool:
    for ancestor in (element, *element.iterancestors()):
        ignorable = ancestor.get(f"{{{MC}}}Ignorable")
        if ignorable and any(ancestor.nsmap.get(p) == namespace for p in ignorable.split()):
            return True
    return False


# W3CDTF (the profile of ISO 8601 that OPC Part 2 § 10.3 requires for created and modified).
_W3CDTF = re.compile(
    r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$"
)


def _check_core_properties(package: Package) -> None:
    parts = package.related(
        "", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
    )
    for part in parts:
        root = package.trees.get(part)
        if root is None:
            continue
        for element in root:
            xsi_type = element.get(f"{{{XSI}}}type")
            local = etree.QName(element).localname
            dated = etree.QName(element).namespace == DCTERMS and local in ("created", "modified")
            if dated and (xsi_type != "dcterms:W3CDTF" or not _W3CDTF.match(element.text or "")):
                package.add("core-properties", part, f"date non W3CDTF : {_excerpt(element)}")
            elif not dated and xsi_type is not None:
                package.add(
                    "core-properties",
                    part,
                    f"xsi:type interdit ici (OPC M4.5) : {_excerpt(element)}",
                )
            if local == "revision" and not re.fullmatch(r"\d*", element.text or ""):
                package.add("core-properties", part, f"révision non entière : {_excerpt(element)}")
            if element.get(f"{{{XML}}}lang") is not None:
                package.add(
                    "core-properties", part, f"xml:lang interdit (OPC M4.4) : {_excerpt(element)}"
                )


_APP_NUMBERS = {
    "TotalTime", "Pages", "Words", "Characters", "Lines", "Paragraphs", "CharactersWithSpaces",
    "DocSecurity", "Slides", "Notes", "HiddenSlides", "MMClips",
}  # fmt: skip


def _check_app_properties(package: Package) -> None:
    kind = _REL_TYPE + "extended-properties"
    for part in package.related("", kind):
        root = package.trees.get(part)
        for element in [] if root is None else root:
            local = etree.QName(element).localname
            if local in _APP_NUMBERS and not re.fullmatch(r"-?\d+", element.text or ""):
                package.add("app-properties", part, f"nombre attendu : {_excerpt(element)}")


# --- WordprocessingML -----------------------------------------------------------------------


def _all(package: Package, tag: str) -> Iterator[tuple[str, etree._Element]]:
    for part in package.stories():
        for element in package.trees[part].iter(tag):
            yield part, element


def _duplicates(
    package: Package, check: str, found: Iterable[tuple[str, etree._Element]], key: str
) -> None:
    seen: dict[str, str] = {}
    for part, element in found:
        value = element.get(key, "")
        if value in seen:
            package.add(
                check,
                part,
                f"{etree.QName(key).localname}={value} déjà dans {seen[value]} : {_excerpt(element)}",
            )
        seen.setdefault(value, part)


def _check_drawing_ids(package: Package) -> None:
    docprs = [
        (part, element)
        for part in package.stories()
        for element in package.trees[part].iter(f"{{{WP}}}docPr")
    ]
    _duplicates(package, "drawing-ids", docprs, "id")


_LONG_HEX_LIMIT = 0x80000000


def _long_hex(value: str) -> bool:
    """An ST_LongHexNumber Word takes: 8 hex digits, below 0x80000000 (signed 32 bits)."""
    return bool(re.fullmatch(r"[0-9A-Fa-f]{8}", value)) and int(value, 16) < _LONG_HEX_LIMIT


def _check_long_hex_ids(package: Package) -> None:
    for name, root in package.trees.items():
        for element in root.iter():
            docid = etree.QName(element).localname == "docId"
            for attribute, value in element.attrib.items():
                local = etree.QName(attribute).localname
                long_hex = local in ("paraId", "textId", "durableId") or (docid and local == "val")
                if long_hex and not _long_hex(value):
                    package.add("long-hex-ids", name, f"{value} ≥ 0x80000000 : {_excerpt(element)}")
    paragraph_id = f"{{{W14}}}paraId"
    for part in package.stories():  # unique within its part (MS-OI29500 § 2.6.2.3)
        ids = [(part, e) for e in package.trees[part].iter() if e.get(paragraph_id) is not None]
        _duplicates(package, "long-hex-ids", ids, paragraph_id)


_CHANGES = ("ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange", "comment")


def _check_change_ids(package: Package) -> None:
    for tag in _CHANGES:
        _duplicates(package, "change-ids", _all(package, _w(tag)), _w("id"))


def _check_bookmarks(package: Package) -> None:
    starts = list(_all(package, _w("bookmarkStart")))
    _duplicates(package, "bookmarks", starts, _w("id"))
    _duplicates(package, "bookmarks", starts, _w("name"))
    ends = Counter(e.get(_w("id")) for _, e in _all(package, _w("bookmarkEnd")))
    opened = Counter(e.get(_w("id")) for _, e in starts)
    for bookmark_id in sorted((opened - ends) + (ends - opened), key=str):
        package.add(
            "bookmarks", package.main_part(), f"signet {bookmark_id} sans son début ou sa fin"
        )
    for part, start in starts:
        if len(start.get(_w("name"), "")) > 40:
            package.add("bookmarks", part, f"nom de plus de 40 caractères : {_excerpt(start)}")


def _check_notes(package: Package) -> None:
    for kind, note in (("footnotes", "footnote"), ("endnotes", "endnote")):
        root = package.one_related(kind)
        ids = set() if root is None else {n.get(_w("id")) for n in root.iter(_w(note))}
        for part, reference in _all(package, _w(f"{note}Reference")):
            if reference.get(_w("id")) not in ids:
                package.add("notes", part, f"note absente de {kind}.xml : {_excerpt(reference)}")


def _check_comments(package: Package) -> None:
    root = package.one_related("comments")
    ids = set() if root is None else {c.get(_w("id")) for c in root.iter(_w("comment"))}
    for tag in ("commentRangeStart", "commentRangeEnd", "commentReference"):
        for part, mark in _all(package, _w(tag)):
            if mark.get(_w("id")) not in ids:
                package.add("comments", part, f"commentaire absent : {_excerpt(mark)}")


def _check_numbering(package: Package) -> None:
    numbering = package.one_related("numbering")
    nums: set[str | None] = set()
    if numbering is not None:
        part = package.related(package.main_part(), _REL_TYPE + "numbering")[0]
        abstracts = [a.get(_w("abstractNumId")) for a in numbering.iterfind(_w("abstractNum"))]
        nums = {n.get(_w("numId")) for n in numbering.iterfind(_w("num"))}
        _duplicates(
            package,
            "numbering",
            ((part, a) for a in numbering.iterfind(_w("abstractNum"))),
            _w("abstractNumId"),
        )
        _duplicates(
            package, "numbering", ((part, n) for n in numbering.iterfind(_w("num"))), _w("numId")
        )
        kinds = [etree.QName(c).localname for c in numbering if isinstance(c.tag, str)]
        if "num" in kinds and "abstractNum" in kinds[kinds.index("num") :]:
            package.add("numbering", part, "w:abstractNum après un w:num (ECMA-376 § 17.9.17)")
        for num in numbering.iterfind(_w("num")):
            target = num.find(_w("abstractNumId"))
            if target is None or target.get(_w("val")) not in abstracts:
                package.add(
                    "numbering", part, f"w:num vers un abstractNum absent : {_excerpt(num)}"
                )
    for name, root in package.trees.items():
        for num_id in root.iter(_w("numId")):
            value = num_id.get(_w("val"))
            if num_id.getparent().tag == _w("numPr") and value != "0" and value not in nums:
                package.add(
                    "numbering",
                    name,
                    f"w:numId {value} sans w:num : {_excerpt(num_id.getparent())}",
                )


# Referencing element → the type of style it must name.
_STYLE_KINDS = {"pStyle": "paragraph", "rStyle": "character", "tblStyle": "table", "numStyleLink": "numbering", "styleLink": "numbering"}  # fmt: skip


def _check_styles(package: Package) -> None:
    styles = package.one_related("styles")
    if styles is None:
        return
    part = package.related(package.main_part(), _REL_TYPE + "styles")[0]
    defined = list(styles.iterfind(_w("style")))
    _duplicates(package, "styles", ((part, s) for s in defined), _w("styleId"))
    types = {s.get(_w("styleId")): s.get(_w("type"), "paragraph") for s in defined}
    defaults = Counter(
        s.get(_w("type"), "paragraph")
        for s in defined
        if s.get(_w("default")) in ("1", "true", "on")
    )
    for kind, count in defaults.items():
        if count > 1:
            package.add("styles", part, f"{count} styles par défaut de type {kind}")
    for name, root in package.trees.items():
        for local, kind in _STYLE_KINDS.items():
            for element in root.iter(_w(local)):
                value = element.get(_w("val"))
                if value not in types:
                    package.add(
                        "styles",
                        name,
                        f"style {value} absent de styles.xml : {_excerpt(element.getparent())}",
                    )
                elif types[value] != kind and not (local == "styleLink" and name == part):
                    package.add("styles", name, f"style {value} de type {types[value]}, pas {kind}")
    for style in defined:
        for local in ("basedOn", "next", "link"):
            element = style.find(_w(local))
            value = None if element is None else element.get(_w("val"))
            if value is not None and value not in types:
                package.add(
                    "styles", part, f"w:{local} vers {value}, absent : {_excerpt(style, 100)}"
                )


def _cells(row: etree._Element) -> Iterator[etree._Element]:
    """The cells of a row, those in w:sdt and w:customXml wrappers included."""
    for child in row:
        if child.tag == _w("tc"):
            yield child
        elif child.tag in (_w("sdt"), _w("customXml")):
            content = child.find(_w("sdtContent")) if child.tag == _w("sdt") else child
            if content is not None:
                yield from _cells(content)


def _span(properties: etree._Element | None, tag: str, default: int) -> int:
    found = None if properties is None else properties.find(tag)
    return default if found is None else int(found.get(_w("val"), str(default)))


def _rows(table: etree._Element) -> Iterator[etree._Element]:
    for child in table:
        if child.tag == _w("tr"):
            yield child
        elif child.tag in (_w("sdt"), _w("customXml")):
            content = child.find(_w("sdtContent")) if child.tag == _w("sdt") else child
            if content is not None:
                yield from _rows(content)


_RANGE_MARKS = {_w(t) for t in ("bookmarkEnd", "commentRangeEnd", "moveFromRangeEnd", "moveToRangeEnd", "permEnd", "proofErr")}  # fmt: skip


def _check_tables(package: Package) -> None:
    for part, table in _all(package, _w("tbl")):
        grid = table.find(_w("tblGrid"))
        columns = 0 if grid is None else len(grid.findall(_w("gridCol")))
        rows = list(_rows(table))
        if not rows:
            package.add("tables", part, f"tableau sans ligne : {_excerpt(table)}")
        widths = []
        for row in rows:
            cells = list(_cells(row))
            if not cells:
                package.add("tables", part, f"ligne sans cellule : {_excerpt(row)}")
            properties = row.find(_w("trPr"))
            widths.append(
                sum(_span(c.find(_w("tcPr")), _w("gridSpan"), 1) for c in cells)
                + _span(properties, _w("gridBefore"), 0)
                + _span(properties, _w("gridAfter"), 0)
            )
            for cell in cells:
                blocks = [c for c in cell if c.tag not in _RANGE_MARKS and c.tag != _w("tcPr")]
                if not blocks or blocks[-1].tag != _w("p"):
                    package.add(
                        "tables", part, f"cellule qui ne finit pas par w:p : {_excerpt(cell)}"
                    )
        if widths and max(widths) != columns:
            package.add(
                "tables",
                part,
                f"{columns} w:gridCol pour des lignes de {sorted(set(widths))} colonnes : {_excerpt(table)}",
            )


def _check_sections(package: Package) -> None:
    main = package.main_part()
    root = package.trees.get(main)
    if root is None:
        return  # not read: the xml check says why
    body = root.find(_w("body"))
    if body is None:
        package.add("sections", main, "pas de w:body")
        return
    children = [c for c in body if isinstance(c.tag, str)]
    sections = body.findall(_w("sectPr"))
    if len(sections) > 1 or (sections and children[-1] is not sections[0]):
        package.add("sections", main, "w:sectPr n'est pas le dernier enfant, unique, de w:body")
    for part in package.stories():
        for section in package.trees[part].iter(_w("sectPr")):
            holder = next(section.iterancestors(_w("tc"), _w("txbxContent")), None)
            if part != main or holder is not None:
                # Word ends no section in a cell, a text box, a header or a note.
                package.add("sections", part, f"w:sectPr hors du corps : {_excerpt(section)}")
    for section in root.iter(_w("sectPr")):
        for tag in ("headerReference", "footerReference"):
            kinds = Counter(r.get(_w("type"), "default") for r in section.iterfind(_w(tag)))
            for kind, count in kinds.items():
                if count > 1:
                    package.add(
                        "sections", main, f"{count} w:{tag} de type {kind} : {_excerpt(section)}"
                    )


def _check_fields(package: Package) -> None:
    for part in package.stories():
        depth: list[bool] = []  # one per open field: whether it has passed its separator
        for char in package.trees[part].iter(_w("fldChar")):
            kind = char.get(_w("fldCharType"))
            if kind == "begin":
                depth.append(False)
            elif kind == "separate" and depth and not depth[-1]:
                depth[-1] = True
            elif kind == "end" and depth:
                depth.pop()
            else:
                package.add(
                    "fields",
                    part,
                    f"w:fldChar {kind} hors d'un champ ouvert : {_excerpt(char.getparent())}",
                )
        if depth:
            package.add("fields", part, f"{len(depth)} champ(s) sans w:fldChar end")
        for simple in package.trees[part].iter(_w("fldSimple")):
            if not (simple.get(_w("instr")) or "").strip():
                package.add("fields", part, f"w:fldSimple sans instruction : {_excerpt(simple)}")


def _check_hyperlinks(package: Package) -> None:
    names = {e.get(_w("name")) for _, e in _all(package, _w("bookmarkStart"))}
    for part, link in _all(package, _w("hyperlink")):
        anchor, rel_id = link.get(_w("anchor")), link.get(f"{{{R}}}id")
        if rel_id is None and anchor is None:
            package.add("hyperlinks", part, f"lien sans cible : {_excerpt(link)}")
        elif rel_id is None and anchor not in names:
            package.add("hyperlinks", part, f"lien vers un signet absent : {_excerpt(link)}")
        elif rel_id is not None:
            rel = package.rels(part).get(rel_id)
            if rel is not None and rel.get("TargetMode") != "External":
                package.add(
                    "hyperlinks", part, f"lien hypertexte interne par relation : {_excerpt(rel)}"
                )


def _check_text(package: Package) -> None:
    preserve = f"{{{XML}}}space"
    for part, text in _all(package, _w("t")):
        value = text.text or ""
        if value != value.strip(" ") and text.get(preserve) != "preserve":
            package.add("text", part, f"espace de bord perdue sans xml:space : {_excerpt(text)}")
        if re.search(r"[\n\r\t]", value):
            package.add("text", part, f"saut de ligne ou tabulation dans w:t : {_excerpt(text)}")


_RUN_ORDER: list[Callable[[Package], None]] = [
    _check_zip,
    _check_content_types,
    _check_relationships,
    _check_references,
    _check_namespaces,
    _check_core_properties,
    _check_app_properties,
    _check_drawing_ids,
    _check_long_hex_ids,
    _check_change_ids,
    _check_bookmarks,
    _check_notes,
    _check_comments,
    _check_numbering,
    _check_styles,
    _check_tables,
    _check_sections,
    _check_fields,
    _check_hyperlinks,
    _check_text,
]


def problems(blob: bytes) -> list[Problem]:
    """Everything in the .docx `blob` that Word would repair, reject or lay out wrongly."""
    package = Package(blob)
    try:
        archive = zipfile.ZipFile(io.BytesIO(blob))
    except zipfile.BadZipFile as exc:
        return [Problem("zip", "(paquet)", f"pas un zip : {exc}")]
    with archive:
        package.infos = archive.infolist()
        for info in package.infos:
            package.entries.setdefault(info.filename, archive.read(info))
    _parse(package)
    for check in _RUN_ORDER:
        check(package)
    return package.found
