"""Rendered WordprocessingML parts as Word must see them: what every renderer applies to each.

A renderer (docxtpl or the compiled engine) must call `typeset_part(xml)` on every
rendered part holding text (body, headers, footers; `is_text_part` says which): the
markers that `typographie.composer` and `brouillon` leave in strings become run markup
(superscript, highlight, w:noBreakHyphen), and lead-ins ending with « : » and the end of
an act keep with what follows, and a long table is chained only at its head and foot.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from typing import cast

from lxml import etree

from .brouillon import HIGHLIGHT_END, HIGHLIGHT_START
from .ooxml import Package, W, insert_in_order

SUPERSCRIPT_START = "\ue000"
SUPERSCRIPT_END = "\ue001"
NON_BREAKING_HYPHEN = "\u2011"


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


_MARKERS = (SUPERSCRIPT_START, SUPERSCRIPT_END, HIGHLIGHT_START, HIGHLIGHT_END, NON_BREAKING_HYPHEN)
_MARKER_BYTES = (
    *(m.encode() for m in _MARKERS),
    *(f"&#x{ord(m):x};".encode() for m in _MARKERS[:4]),
    *(f"&#x{ord(m):X};".encode() for m in _MARKERS[:4]),
    b"&#8209;",
)
# Run properties each pair of markers turns on: (start, end, element, w:val).
_STYLES = (
    (SUPERSCRIPT_START, SUPERSCRIPT_END, "vertAlign", "superscript"),
    (HIGHLIGHT_START, HIGHLIGHT_END, "highlight", "yellow"),
)
_Style = tuple[bool, ...]


def _segments(text: str) -> Iterable[tuple[str, _Style]]:
    """(text, styles on) pieces of a string carrying style markers."""
    on = [False] * len(_STYLES)
    markers = "".join(start + end for start, end, _, _ in _STYLES)
    for piece in re.split(f"([{markers}])", text):
        for index, (start, end, _, _) in enumerate(_STYLES):
            if piece in (start, end):
                on[index] = piece == start
                break
        else:
            if piece:
                yield piece, tuple(on)


def _text_nodes(text: str) -> list[etree._Element]:
    """w:t elements, with a w:noBreakHyphen wherever the text has U+2011."""
    nodes: list[etree._Element] = []
    for index, piece in enumerate(text.split(NON_BREAKING_HYPHEN)):
        if index:
            nodes.append(etree.Element(_w("noBreakHyphen")))
        if piece:
            t = etree.Element(_w("t"))
            t.text = piece
            if piece != piece.strip():
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            nodes.append(t)
    return nodes


def _split_run(run: etree._Element) -> None:
    """Replace a run whose text carries markers by runs Word understands."""
    rpr = run.find(_w("rPr"))
    plain: _Style = (False,) * len(_STYLES)
    groups: list[tuple[_Style, list[etree._Element]]] = []

    def add(nodes: list[etree._Element], style: _Style) -> None:
        if groups and groups[-1][0] == style:
            groups[-1][1].extend(nodes)
        else:
            groups.append((style, nodes))

    for child in run:
        if child is rpr:
            continue
        if child.tag == _w("t") and any(m in (child.text or "") for m in _MARKERS):
            for piece, style in _segments(child.text or ""):
                add(_text_nodes(piece), style)
        else:
            add([child], plain)
    parent = run.getparent()
    if parent is None:
        return
    position = parent.index(run)
    parent.remove(run)
    for offset, (style, nodes) in enumerate(groups):
        new = etree.Element(_w("r"))
        for key, value in run.attrib.items():
            new.set(key, value)
        if rpr is not None or any(style):
            props = copy.deepcopy(rpr) if rpr is not None else etree.Element(_w("rPr"))
            for on, (_, _, name, value) in zip(style, _STYLES, strict=True):
                if on:
                    element = etree.Element(_w(name))
                    element.set(_w("val"), value)
                    insert_in_order(props, element)
            new.append(props)
        new.extend(nodes)
        parent.insert(position + offset, new)


_LEAD_IN = re.compile(rb":</w:t>\s*</w:r>\s*</w:p>")


def _text(paragraph: etree._Element) -> str:
    return "".join(t.text or "" for t in paragraph.iter(_w("t")))


def _keep_with_next(paragraph: etree._Element) -> None:
    ppr = paragraph.find(_w("pPr"))
    if ppr is None:
        ppr = etree.Element(_w("pPr"))
        paragraph.insert(0, ppr)
    if ppr.find(_w("keepNext")) is None:
        insert_in_order(ppr, etree.Element(_w("keepNext")))


# Prefilters, run by libxml2: they keep every element the exact Python test below accepts
# (a superset at worst), in document order, and skip the walk over every paragraph and run.
_NS = {"w": W}
_WITH_COLON = etree.XPath("w:p[.//w:t[contains(., ':')]]", namespaces=_NS)
_SIGNATURE_TABLES = etree.XPath("w:tbl[.//w:pStyle[@w:val='CTGSignature']]", namespaces=_NS)
_MARKED_TEXTS = etree.XPath(
    ".//w:t[" + " or ".join(f"contains(., '{m}')" for m in _MARKERS) + "]", namespaces=_NS
)


def _found(xpath: etree.XPath, node: etree._Element) -> list[etree._Element]:
    """The elements an XPath of elements selects."""
    return cast(list[etree._Element], xpath(node))


def _keep_lead_ins(root: etree._Element) -> None:
    """A body paragraph ending with « : » keeps with what it introduces (Objectifs :)."""
    body = root.find(_w("body"))
    if body is None:
        return
    for paragraph in _found(_WITH_COLON, body):
        text = _text(paragraph).rstrip()
        if not text.endswith(":") or paragraph.getnext() is None:
            continue
        _keep_with_next(paragraph)


_SIGNATURE_STYLE = b'w:val="CTGSignature"'


def _keep_closing(root: etree._Element) -> None:
    """« Fait à … » and the last paragraph of the act keep with the signature blocks.

    Done on the rendered part, where a loop of articles has become paragraphs: only the
    act's very last paragraph is kept, never every repetition of it.
    """
    body = root.find(_w("body"))
    if body is None:
        return
    for table in _found(_SIGNATURE_TABLES, body):
        texted = 0
        for previous in table.itersiblings(preceding=True):
            if previous.tag != _w("p") or texted == 2:
                break
            _keep_with_next(previous)
            if _text(previous).strip():
                texted += 1


# Rows kept together at a table's head (after its header rows) and at its foot (total).
HEAD_ROWS = 3
FOOT_ROWS = 3
_TABLE = re.compile(rb"<w:tbl[ >]")


def _chain_table_ends(root: etree._Element) -> None:
    """A table's rows keep with the next only at its head and its foot, so that it splits.

    The template keeps every row with the next (w:keepNext in each cell): a table rendered
    with many rows would be one chain, which LibreOffice moves whole to a new page, leaving
    its heading and lead-in alone. Here the header rows and the first HEAD_ROWS rows stay
    with what precedes them, the last FOOT_ROWS rows (the total) stay together, and the rows
    between may end a page; the header row repeats on the next (w:tblHeader). Rows never
    split (w:cantSplit); the signature blocks stay one chain.
    """
    body = root.find(_w("body"))
    if body is None:
        return
    header_mark = f"{_w('trPr')}/{_w('tblHeader')}"
    for table in body.iterchildren(_w("tbl")):
        if any(s.get(_w("val")) == "CTGSignature" for s in table.iter(_w("pStyle"))):
            continue
        rows = table.findall(_w("tr"))
        header = 0
        while header < len(rows) and rows[header].find(header_mark) is not None:
            header += 1
        for index, row in enumerate(rows):
            if index < header + HEAD_ROWS - 1 or index >= len(rows) - FOOT_ROWS:
                continue
            for keep in list(row.iter(_w("keepNext"))):
                parent = keep.getparent()
                if parent is not None and parent.tag == _w("pPr"):
                    parent.remove(keep)


# LibreOffice (7.4) opens a .docx on provisional pages of 25 body elements (a table counts
# its rows; the paragraph holding a page break is the first of the next) and never
# re-examines a paragraph that keeps with the next one when it closes such a provisional
# page: if the real page ends there too, a heading or a lead-in is left last on it. Empty
# paragraphs one twentieth of a point high, before the chain of paragraphs kept together
# that spans the boundary, move the whole chain past it; Word and the reader see nothing.
PROVISIONAL_PAGE = 25
_KEEP_STYLES = {"CTGArticle", "CTGAnnexe", "CTGSection", "CTGSous-section"}


def _keeps_with_next(element: etree._Element) -> bool:
    if element.tag != _w("p"):
        return False
    properties = element.find(_w("pPr"))
    if properties is None:
        return False
    keep = properties.find(_w("keepNext"))
    if keep is not None:
        return keep.get(_w("val")) not in ("0", "false", "off")
    style = properties.find(_w("pStyle"))
    return style is not None and style.get(_w("val")) in _KEEP_STYLES


def _page_break(paragraph: etree._Element) -> bool:
    before = paragraph.find(f"{_w('pPr')}/{_w('pageBreakBefore')}")
    if before is not None and before.get(_w("val")) not in ("0", "false", "off"):
        return True
    return any(b.get(_w("type")) == "page" for b in paragraph.iter(_w("br")))


def _spacer() -> etree._Element:
    paragraph = etree.Element(_w("p"))
    properties = etree.SubElement(paragraph, _w("pPr"))
    etree.SubElement(
        properties,
        _w("spacing"),
        {_w("before"): "0", _w("after"): "0", _w("line"): "1", _w("lineRule"): "exact"},
    )
    marks = etree.SubElement(properties, _w("rPr"))
    etree.SubElement(marks, _w("sz"), {_w("val"): "2"})
    return paragraph


def _clear_provisional_pages(root: etree._Element) -> None:
    """No paragraph that keeps with the next closes one of LibreOffice's provisional pages."""
    body = root.find(_w("body"))
    if body is None:
        return
    count = 0
    chain: list[tuple[etree._Element, int]] = []  # paragraphs kept together so far, counted
    for element in list(body):
        if element.tag == _w("tbl"):
            count += len(element.findall(_w("tr")))
            chain = []
            continue
        if element.tag != _w("p"):
            continue
        count = 1 if _page_break(element) else count + 1
        chain.append((element, count))
        if count % PROVISIONAL_PAGE == 0 and _keeps_with_next(element):
            first, start = chain[0]
            if 0 < start <= count and not _page_break(first):
                for _ in range(count - start + 1):
                    first.addprevious(_spacer())
                count += count - start + 1
        if not _keeps_with_next(element):
            chain = []


def needs_typesetting(xml: bytes) -> bool:
    """Whether `typeset_part` changes this part: markers, a signature block, a lead-in or a
    table."""
    # Every marker's bytes hold one of these: three scans of the part rather than thirteen.
    maybe = b"\xee\x80" in xml or b"\xe2\x80\x91" in xml or b"&#" in xml
    if maybe and any(marker in xml for marker in _MARKER_BYTES):
        return True
    return (
        _SIGNATURE_STYLE in xml
        or _LEAD_IN.search(xml) is not None
        or _TABLE.search(xml) is not None
        or xml.count(b"<w:p>") + xml.count(b"<w:p ") >= PROVISIONAL_PAGE
    )


def marked_texts(root: etree._Element) -> list[etree._Element]:
    """The w:t elements whose text carries a marker (below the root, in document order)."""
    return [
        t
        for t in _found(_MARKED_TEXTS, root)
        if t.text and any(m in t.text for m in _MARKERS) and t.getparent() is not None
    ]


def surely_needs_typesetting(root: etree._Element, marked: list[etree._Element]) -> bool:
    """Whether `needs_typesetting` is true of this tree's serialisation, seen on the tree
    (False: it may be, or not); `marked` is its `marked_texts`."""
    if marked:
        return True  # serialised in UTF-8, a marker in a text is written as itself
    # A w:tbl with children or attributes is written « <w:tbl> » or « <w:tbl  » (_TABLE).
    return any(t.prefix == "w" and (len(t) or t.attrib) for t in root.iter(_w("tbl")))


def typeset_tree(root: etree._Element, marked: list[etree._Element] | None = None) -> None:
    """`typeset_part`'s changes, made in place on the tree of a part that needs them
    (`marked`: its `marked_texts`, if already found)."""
    if marked is None:
        marked = marked_texts(root)
    _keep_lead_ins(root)  # none of these changes a text: `marked` holds
    _keep_closing(root)
    _chain_table_ends(root)
    _clear_provisional_pages(root)
    runs = {t.getparent() for t in marked}
    for run in runs:
        if run is not None and run.tag == _w("r"):
            _split_run(run)
        elif run is not None:
            for t in run.findall(_w("t")):
                t.text = strip_markers(t.text or "")


def serialize_typeset(root: etree._Element) -> bytes:
    """A typeset tree's bytes, as `typeset_part` writes them."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def typeset_part(xml: bytes) -> bytes:
    """A rendered part as Word must see it: typographic markers as superscript runs and
    w:noBreakHyphen, lead-ins ending with « : » and the end of the act kept with what follows,
    long tables free to split between their head and foot."""
    if not needs_typesetting(xml):
        return xml
    root = etree.fromstring(xml)
    typeset_tree(root)
    return serialize_typeset(root)


def strip_markers(text: str) -> str:
    """Plain text from a typeset string (document properties, file names)."""
    for marker in _MARKERS[:4]:
        text = text.replace(marker, "")
    return text.replace(NON_BREAKING_HYPHEN, "-")


_TEXT_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")


def is_text_part(name: str) -> bool:
    """Whether `typeset_package` typesets this part (the compiled engine asks it too)."""
    return _TEXT_PARTS.match(name) is not None


def typeset_package(blob: bytes) -> bytes:
    """`typeset_part` applied to every text part of a rendered package (docxtpl's output)."""
    package = Package.read(blob)
    changed = False
    for name, data in package.entries.items():
        if is_text_part(name):
            typeset = typeset_part(data)
            if typeset is not data:
                package.entries[name] = typeset
                changed = True
    return package.write() if changed else blob
