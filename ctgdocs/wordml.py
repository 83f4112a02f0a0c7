"""Rendered WordprocessingML parts as Word must see them: what every renderer applies to each.

A renderer (docxtpl or the compiled engine) must call `typeset_part(xml)` on every
rendered part holding text (body, headers, footers; `is_text_part` says which): the
markers that `typographie.composer` and `brouillon` leave in strings become run markup
(superscript, highlight, w:noBreakHyphen), titles and signature blocks get their no-break
spaces (insecables), lead-ins ending with « : », closing labels, the ends of the parties
block and the end of an act keep with what they belong to, and a long table (signature
blocks too many for one page included) is chained only at its head and foot.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Iterable
from typing import cast

from lxml import etree

from .brouillon import HIGHLIGHT_END, HIGHLIGHT_START
from .insecables import DISPLAY_STYLES, lier
from .ooxml import TEXT_PARTS, Package, W, insert_in_order
from .signature_pages import rows_on_one_page

SUPERSCRIPT_START = "\ue000"
SUPERSCRIPT_END = "\ue001"
NON_BREAKING_HYPHEN = "\u2011"


@functools.cache  # called for every element of every part: formatting it each time costs
def _w(name: str) -> str:
    return f"{{{W}}}{name}"


_BODY, _P, _PPR, _PSTYLE, _KEEP_NEXT, _R, _T, _TBL, _TR, _VAL = (
    _w(name) for name in ("body", "p", "pPr", "pStyle", "keepNext", "r", "t", "tbl", "tr", "val")
)


def _child(element: etree._Element, tag: str) -> etree._Element | None:
    """`element.find(tag)`: its first child of this tag, found by libxml2 (lxml's `find` runs
    ElementPath in Python, twice as slow)."""
    return next(element.iterchildren(tag), None)


def _grandchild(element: etree._Element, tag: str, inner: str) -> etree._Element | None:
    """`element.find("tag/inner")`, found as `_child` finds."""
    for child in element.iterchildren(tag):
        for found in child.iterchildren(inner):
            return found
    return None


def _children(element: etree._Element, tag: str) -> list[etree._Element]:
    """`element.findall(tag)`, found as `_child` finds."""
    return list(element.iterchildren(tag))


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


def _text_nodes(text: str, near: etree._Element) -> list[etree._Element]:
    """w:t elements, with a w:noBreakHyphen wherever the text has U+2011, made in the
    document of `near` (where they go: an element of its own document costs more)."""
    nodes: list[etree._Element] = []
    make = near.makeelement
    for index, piece in enumerate(text.split(NON_BREAKING_HYPHEN)):
        if index:
            nodes.append(make(_w("noBreakHyphen")))
        if piece:
            t = make(_w("t"))
            t.text = piece
            if piece != piece.strip():
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            nodes.append(t)
    return nodes


_STYLE_MARKER = re.compile(f"[{''.join(start + end for start, end, _, _ in _STYLES)}]")


def _split_hyphens(run: etree._Element) -> bool:
    """`_split_run` done in place, in the common case (« Saint-Pierre ») where it would give
    back the run as it is but for its texts, each split at its no-break hyphens: no style
    marker, its properties first, no text of its own. Whether it was that case."""
    rpr = _child(run, _w("rPr"))
    if run.text is not None or (rpr is not None and run[0] is not rpr):
        return False
    if run.getparent() is None or any(
        _STYLE_MARKER.search(t.text or "") for t in run.iterchildren(_T)
    ):
        return False
    for t in _children(run, _T):
        if t.text and NON_BREAKING_HYPHEN in t.text:
            for node in reversed(_text_nodes(t.text, run)):
                t.addnext(node)
            run.remove(t)
    return True


# A table cell's room, in characters of its 9.5-point text: its width less Word's default
# margins (2 × 108 twips), at about half an em (95 twips) a character.
_CELL_MARGINS = 216
_TWIPS_PER_CHARACTER = 95
_TC, _TCPR, _TCW = _w("tc"), _w("tcPr"), _w("tcW")
_JOINED_NAME = re.compile(rf"[\w’]+(?:{NON_BREAKING_HYPHEN}[\w’]+)+")


def _free_long_names(run: etree._Element) -> None:
    """In a table cell, a name longer than the cell holds breaks at its hyphens: kept whole,
    the line would be cut inside a word (« Bouches-du-Rhô / ne »)."""
    paragraph = run.getparent()
    cell = paragraph.getparent() if paragraph is not None else None
    if cell is None or cell.tag != _TC:
        return
    width = _grandchild(cell, _TCPR, _TCW)
    if width is None or width.get(_w("type")) != "dxa" or not (width.get(_w("w")) or "").isdigit():
        return
    room = (int(width.get(_w("w")) or 0) - _CELL_MARGINS) // _TWIPS_PER_CHARACTER

    def free(match: re.Match[str]) -> str:
        name = match[0]
        return name.replace(NON_BREAKING_HYPHEN, "-") if len(name) > room else name

    for t in _children(run, _T):
        if t.text and NON_BREAKING_HYPHEN in t.text:
            t.text = _JOINED_NAME.sub(free, t.text)


def _split_run(run: etree._Element) -> None:
    """Replace a run whose text carries markers by runs Word understands."""
    rpr = _child(run, _w("rPr"))
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
                add(_text_nodes(piece, run), style)
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
    ppr = _child(paragraph, _PPR)
    if ppr is None:
        ppr = paragraph.makeelement(_PPR)
        paragraph.insert(0, ppr)
    if _child(ppr, _KEEP_NEXT) is None:
        insert_in_order(ppr, ppr.makeelement(_KEEP_NEXT))


# Prefilters, run by libxml2: they keep every element the exact Python test below accepts
# (a superset at worst), in document order, and skip the walk over every paragraph and run.
# The descendant axis, never « // »: libxml2 would first gather every node below.
_NS = {"w": W}
_WITH_COLON = etree.XPath("w:p[descendant::w:t[contains(., ':')]]", namespaces=_NS)
# The attributes compared with a string, not a predicate on each pStyle: a fifth faster.
_SIGNATURE = "CTGSignature"
_SIGNATURE_TABLES = etree.XPath(
    f"w:tbl[descendant::w:pStyle/@w:val = '{_SIGNATURE}']", namespaces=_NS
)
_MARKER = re.compile(f"[{''.join(_MARKERS)}]")


_DISPLAY = etree.XPath(
    "descendant::w:p[w:pPr/w:pStyle[" + " or ".join(f"@w:val='{s}'" for s in DISPLAY_STYLES) + "]]",
    namespaces=_NS,
)
_DISPLAY_BYTES = re.compile(b'w:val="(?:' + "|".join(DISPLAY_STYLES).encode() + b')"')
# A title, a heading or a signature block comes back in every document of its kind.
_bound = functools.lru_cache(maxsize=4096)(lier)


def _display_paragraphs(root: etree._Element) -> tuple[list[etree._Element], bool]:
    """What `_DISPLAY` selects, found from the pStyle elements: libxml2 walks to them without
    wrapping the other elements, in a third of the XPath's time; and whether a pStyle names
    the signature style (True when unsure), which `_SIGNATURE_TABLES` needs.

    Their order is the paragraphs' when each paragraph's pPr comes first in it, as the
    schema wants (a text box's paragraphs come after the paragraph holding them); else the
    XPath says.
    """
    found: list[etree._Element] = []
    signed = False
    for style in root.iter(_PSTYLE):
        value = style.get(_VAL)
        if value not in DISPLAY_STYLES:
            continue
        signed = signed or value == _SIGNATURE
        properties = style.getparent()
        if properties is None or properties.tag != _PPR:
            continue
        paragraph = properties.getparent()
        if paragraph is None or paragraph.tag != _P or paragraph is root:
            continue
        if properties.getprevious() is not None:
            return _found(_DISPLAY, root), True
        if not found or found[-1] is not paragraph:  # a pPr with two pStyle
            found.append(paragraph)
    return found, signed


def _bind_display_text(root: etree._Element) -> bool:
    """Titles and signature blocks (`insecables.DISPLAY_STYLES`): no-break spaces after short
    words and inside short proper names, the paragraph's text read across its runs.

    Whether the part may hold signature blocks (`_display_paragraphs`).
    """
    paragraphs, signed = _display_paragraphs(root)
    for paragraph in paragraphs:
        style = _grandchild(paragraph, _PPR, _PSTYLE)
        texts = list(paragraph.iter(_w("t")))
        joined = "".join(t.text or "" for t in texts)
        if style is None or " " not in joined:
            continue
        bound = _bound(joined, DISPLAY_STYLES[style.get(_w("val"), "")])
        if bound == joined:
            continue  # nothing to bind: its texts stay as they are
        start = 0
        for t in texts:  # `lier` changes spaces one for one: each w:t keeps its length
            if t.text:
                t.text, start = bound[start : start + len(t.text)], start + len(t.text)
    return signed


def _found(xpath: etree.XPath, node: etree._Element, **variables: int) -> list[etree._Element]:
    """The elements an XPath of elements selects."""
    return cast(list[etree._Element], xpath(node, **variables))


_PARAGRAPHS_AND_TABLES = etree.XPath("w:p|w:tbl", namespaces=_NS)


# About the characters a line of CTG Corps holds (Arial 10.5 pt over the 16.4 cm between the
# margins): « Champs d'intervention : logement et cadre de vie ; animation de la vie sociale ;
# accès aux droits. » (98) takes one line.
LINE_CHARS = 100


def _one_line(paragraph: etree._Element) -> bool:
    return len(_text(paragraph).strip()) <= LINE_CHARS


def _keep_lead_ins(body: etree._Element) -> None:
    """A body paragraph ending with « : » keeps with what it introduces (Objectifs :); one
    paragraph of one line between a heading and a lead-in (« Champs d'intervention : … »)
    keeps with it too, so that the heading's group never breaks. A longer paragraph there
    gives the heading lines of its own: kept, it would chain the heading to the lead-in and
    all it keeps (a table of six rows), and the chain would move whole to the next page,
    leaving a blank at the foot of this one (the avenant of the Vallée de Munster)."""
    for paragraph in _found(_WITH_COLON, body):
        text = _text(paragraph).rstrip()
        if not text.endswith(":") or paragraph.getnext() is None:
            continue
        _keep_with_next(paragraph)
        between = paragraph.getprevious()
        if between is None or between.tag != _P:
            continue
        heading = between.getprevious()
        if heading is not None and _is_heading(heading) and _one_line(between):
            _keep_with_next(between)


# A paragraph led by a bold label: « Fiches actions : FA-1.1, FA-1.2. »
_LABELLED = etree.XPath("w:p[w:r[1]/w:rPr/w:b]", namespaces=_NS)
_LABEL_BYTES = re.compile(rb":\s</w:t>")
# A group (a heading and what follows it, up to its closing label) of at most this many
# paragraphs besides the heading is kept whole.
SHORT_GROUP = 4


def _closing_label(paragraph: etree._Element) -> bool:
    """Whether a paragraph led by a bold « label : » with its text closes the group it ends
    (the next element is a heading, a page break or the end of the body)."""
    first = _child(paragraph, _R)
    bold = _grandchild(first, _w("rPr"), _w("b")) if first is not None else None
    if first is None or bold is None or bold.get(_w("val")) in ("0", "false", "off"):
        return False
    label = "".join(t.text or "" for t in first.iter(_w("t"))).strip()
    if not label.endswith(":") or len(_text(paragraph).strip()) <= len(label):
        return False
    following = paragraph.getnext()
    while following is not None and _is_empty(following):
        following = following.getnext()
    if following is None or following.tag == _w("sectPr"):
        return True
    return following.tag == _w("p") and (_is_heading(following) or _page_break(following))


def _keep_closing_labels(body: etree._Element) -> None:
    """A closing label (« Fiches actions : … » after an axe's objectives, « Fiche action
    concernée : … » after a point of a compte rendu) never opens a page alone: the paragraph
    before it keeps with it, and the whole group when it is short."""
    for paragraph in _found(_LABELLED, body):
        if not _closing_label(paragraph):
            continue
        group: list[etree._Element] = []
        for previous in paragraph.itersiblings(preceding=True):
            if previous.tag != _w("p") or _is_heading(previous) or _page_break(previous):
                break
            group.append(previous)
        for kept in group if len(group) <= SHORT_GROUP else group[:1]:
            _keep_with_next(kept)


_SIGNATURE_STYLE = f'w:val="{_SIGNATURE}"'.encode()
# Bullets, and numbered items (an agenda, decisions).
_LIST_STYLES = ("CTGPuce", "CTGListe")
_LIST_BYTES = tuple(f'w:val="{style}"'.encode() for style in _LIST_STYLES)
_LIST_ITEMS = etree.XPath(
    "*[(w:pPr/w:pStyle)[1][" + " or ".join(f"@w:val='{s}'" for s in _LIST_STYLES) + "]]",
    namespaces=_NS,
)


def _keep_list_ends(body: etree._Element) -> None:
    """A list (bullets, an agenda, decisions) never leaves one item alone at the foot or the
    head of a page: its first item
    keeps with the second, and its last but one with the last (a list of three stays
    whole)."""
    runs: list[list[etree._Element]] = []
    for item in _found(_LIST_ITEMS, body):
        # Items next to each other are one list; anything between them ends it.
        if runs and runs[-1][-1].getnext() is item:
            runs[-1].append(item)
        else:
            runs.append([item])
    for run in runs:
        if len(run) >= 2:
            _keep_with_next(run[0])
            _keep_with_next(run[-2])


# The ends of the parties block (« Entre : …, d'une part, Et : …, d'autre part. »), each a
# paragraph of its own after a party's designation.
_PARTY_END = re.compile(r"d['’]\s*(?:une|autre)\s+part\s*[,.;]?", re.IGNORECASE)
_WITH_PART = etree.XPath("w:p[contains(string(.), 'part')]", namespaces=_NS)


def _keep_party_ends(body: etree._Element) -> None:
    """« d'une part, » and « d'autre part. » never open a page alone: the designation of the
    party they close (and any empty paragraph between) keeps with them."""
    for paragraph in _found(_WITH_PART, body):
        if not _PARTY_END.fullmatch(_text(paragraph).strip()):
            continue
        for previous in paragraph.itersiblings(preceding=True):
            if previous.tag != _P:
                break
            _keep_with_next(previous)
            if _text(previous).strip():
                break


def _keep_closing(signatures: list[etree._Element]) -> None:
    """« Fait à … » and the last paragraph of the act keep with the signature blocks (the
    body's tables of CTGSignature paragraphs, in order): with all their rows when they fit
    on one page, else with the first (`_split_signatures`).

    Done on the rendered part, where a loop of articles has become paragraphs: only the
    act's very last paragraph is kept, never every repetition of it.
    """
    for table in signatures:
        texted = 0
        for previous in table.itersiblings(preceding=True):
            if previous.tag != _P or texted == 2:
                break
            _keep_with_next(previous)
            if _text(previous).strip():
                texted += 1


def _split_signatures(body: etree._Element, signatures: list[etree._Element]) -> None:
    """Signature blocks too many for one page under « Fait à … » break between their rows.

    The template keeps every row with the next: a chain longer than a page, which LibreOffice
    and Word move whole to a fresh page (the page before left mostly empty) and then break
    anyway. When the rows do not fit on one page with what keeps with them
    (`signature_pages.rows_on_one_page`), only the first row stays with « Fait à » and the
    act's last paragraph, and the last but one with the last, so that no block signs alone
    on the last page; the rows between may end a page, and pages fill as the text does. A
    row never splits (w:cantSplit).
    """
    for table in signatures:
        rows = _children(table, _TR)
        if len(rows) <= rows_on_one_page(body, rows):
            continue
        # The rows free to end a page, counted from 1 as XPath does: all but the last two.
        for keep in _found(_ROW_KEEPS, table, first=1, last=len(rows) - 2):
            cast(etree._Element, keep.getparent()).remove(keep)


def _is_empty(element: etree._Element) -> bool:
    return element.tag == _P and not _text(element).strip()


def _keep_the_end(body: etree._Element, signatures: set[etree._Element]) -> None:
    """The last section never stands alone on the last page: what precedes it keeps with it.

    Back from the end, over the paragraphs kept with the next one (a heading, a lead-in),
    the empty paragraphs before them keep with the next one, and so does the element before
    those: a paragraph, or a table's last row (its total). An act that ends with its
    signature blocks (`signatures`) is left to `_keep_closing`.
    """
    elements = _found(_PARAGRAPHS_AND_TABLES, body)
    end = len(elements) - 1
    while end >= 0 and _is_empty(elements[end]):
        end -= 1
    if end <= 0 or elements[end] in signatures:
        return
    while end > 0 and _keeps_with_next(elements[end - 1]):
        end -= 1
    previous = end - 1
    while previous >= 0 and _is_empty(elements[previous]):
        _keep_with_next(elements[previous])
        previous -= 1
    if previous < 0:
        return
    if elements[previous].tag == _P:
        _keep_with_next(elements[previous])
    elif elements[previous] not in signatures:
        rows = _children(elements[previous], _TR)
        for paragraph in rows[-1].iter(_P) if rows else ():
            _keep_with_next(paragraph)


# Rows kept together at a table's head (after its header rows) and at its foot (total).
HEAD_ROWS = 3
FOOT_ROWS = 3
_TABLE = re.compile(rb"<w:tbl[ >]")
# The paragraphs' keepNext in a table's rows from $first to $last.
_ROW_KEEPS = etree.XPath(
    "w:tr[position() >= $first and position() <= $last]//w:pPr/w:keepNext", namespaces=_NS
)


def _header_row(row: etree._Element) -> bool:
    """Whether a table row repeats at the head of each page (`row.find("w:trPr/w:tblHeader")`)."""
    return _grandchild(row, _w("trPr"), _w("tblHeader")) is not None


def _chain_table_ends(body: etree._Element, signatures: set[etree._Element]) -> None:
    """A table's rows keep with the next only at its head and its foot, so that it splits.

    The template keeps every row with the next (w:keepNext in each cell): a table rendered
    with many rows would be one chain, which LibreOffice moves whole to a new page, leaving
    its heading and lead-in alone. Here the header rows and the first HEAD_ROWS rows stay
    with what precedes them, the last FOOT_ROWS rows (the total) stay together, and the rows
    between may end a page; the header row repeats on the next (w:tblHeader). Rows never
    split (w:cantSplit); the signature blocks (`signatures`) have their own rule
    (`_split_signatures`).
    """
    for table in body.iterchildren(_TBL):
        if table in signatures:
            continue
        rows = _children(table, _TR)
        header = 0
        while header < len(rows) and _header_row(rows[header]):
            header += 1
        # The rows free to end a page, counted from 1 as XPath does.
        first, last = header + HEAD_ROWS, len(rows) - FOOT_ROWS
        if first <= last:
            for keep in _found(_ROW_KEEPS, table, first=first, last=last):
                cast(etree._Element, keep.getparent()).remove(keep)


# LibreOffice (7.4) opens a .docx on provisional pages (SwLayHelper, sw/source/core/layout/
# laycache.cxx) and never re-examines a paragraph that keeps with the next one when it closes
# such a provisional page: if the real page ends there too, a heading or a lead-in is left
# last on it. Each body element adds to a count (a paragraph 1, a table its rows); the
# element that takes the count past PROVISIONAL_PAGE, or that starts with a page break,
# opens the next provisional page and the count starts again from 0 there (an empty
# paragraph holding only a page break stays on the page it ends: the element after it
# opens the next one; so the first
# page holds 25 elements, the next ones 26). A table taking the count past
# PROVISIONAL_PAGE + LONG_TABLE is spread over pages of its own, and the count starts
# again after it. Empty paragraphs one twentieth of a point high, before the chain of
# paragraphs kept together that spans a boundary, make its first paragraph open the next
# provisional page; Word and the reader see nothing.
PROVISIONAL_PAGE = 25
LONG_TABLE = 10
# LibreOffice lowers its 25 to 20 (and more: + 3 per 1,000) for a body of more than 100
# nodes once 25 nodes per table are left out (SwLayHelper::CalcPageCount).
_ESTIMATED_NODES = 100
_NODES_PER_TABLE = 25
_FEWEST = 20  # the fewest elements LibreOffice puts on a provisional page (provisional_page)
_KEEP_STYLES = {"CTGArticle", "CTGAnnexe", "CTGSection", "CTGSous-section"}
_BREAK_STYLES = {"CTGAnnexe"}  # styles with w:pageBreakBefore (scripts/make_templates.py)


def _is_heading(element: etree._Element) -> bool:
    style = _grandchild(element, _PPR, _PSTYLE) if element.tag == _P else None
    return style is not None and style.get(_w("val")) in _KEEP_STYLES


def _keeps_with_next(element: etree._Element) -> bool:
    if element.tag != _w("p"):
        return False
    properties = _child(element, _PPR)
    if properties is None:
        return False
    keep = _child(properties, _KEEP_NEXT)
    if keep is not None:
        return keep.get(_w("val")) not in ("0", "false", "off")
    style = _child(properties, _PSTYLE)
    return style is not None and style.get(_w("val")) in _KEEP_STYLES


def _page_break(paragraph: etree._Element) -> bool:
    if paragraph.tag != _w("p"):
        return False
    before = _grandchild(paragraph, _PPR, _w("pageBreakBefore"))
    if before is not None:
        return before.get(_w("val")) not in ("0", "false", "off")
    style = _grandchild(paragraph, _PPR, _PSTYLE)
    if style is not None and style.get(_w("val")) in _BREAK_STYLES:
        return True
    return any(b.get(_w("type")) == "page" for b in paragraph.iter(_w("br")))


def _ends_page(paragraph: etree._Element) -> bool:
    """Whether the paragraph's page break comes after all its text: it ends its page (as
    « <w:p><w:r><w:br w:type="page"/></w:r></w:p> » does) rather than opening the next."""
    if _grandchild(paragraph, _PPR, _w("pageBreakBefore")) is not None:
        return False
    broken = False
    for node in paragraph.iter(_w("br"), _T):
        if node.tag == _T:
            if broken and node.text:
                return False
        elif node.get(_w("type")) == "page":
            broken = True
    return broken


def _spacer(near: etree._Element) -> etree._Element:
    """An invisible paragraph, made in the document of `near`."""
    paragraph = near.makeelement(_w("p"))
    properties = etree.SubElement(paragraph, _w("pPr"))
    etree.SubElement(
        properties,
        _w("spacing"),
        {_w("before"): "0", _w("after"): "0", _w("line"): "1", _w("lineRule"): "exact"},
    )
    marks = etree.SubElement(properties, _w("rPr"))
    etree.SubElement(marks, _w("sz"), {_w("val"): "2"})
    return paragraph


# The test of `_page_break` and the count of `provisional_page`, run by libxml2 once per
# body: a Python call and three lookups per paragraph cost more. The paragraphs that keep
# with the next are asked only where a provisional page ends (`_keeps_with_next`).
_OFF = "@w:val='0' or @w:val='false' or @w:val='off'"


def _any_style(styles: set[str]) -> str:
    return " or ".join(f"@w:val='{style}'" for style in sorted(styles))


_BREAKING = etree.XPath(
    f"w:p[(w:pPr/w:pageBreakBefore)[1][not({_OFF})] or (not(w:pPr/w:pageBreakBefore)"
    f" and ((w:pPr/w:pStyle)[1][{_any_style(_BREAK_STYLES)}]"
    " or descendant::w:br[@w:type='page']))]",
    namespaces=_NS,
)
_NESTED_TABLE = etree.XPath("boolean(w:tbl/descendant::w:tbl)", namespaces=_NS)
# Without nested tables, each paragraph of a table is in one cell only.
_NODES = etree.XPath(
    f"count(w:p) + 2 - {_NODES_PER_TABLE - 2} * count(w:tbl)"
    " + 2 * count(w:tbl/descendant::w:tc) + count(w:tbl/descendant::w:tc/descendant::w:p)",
    namespaces=_NS,
)


_WEIGHTS = etree.XPath("count(w:p) + count(w:tbl/w:tr)", namespaces=_NS)
# What a part holding a paragraph `_BREAKING` selects holds: a page break before, a style
# breaking the page, or a w:br element (whatever its prefix) and the word « page » (or a
# character reference, which may spell an attribute's value).
_BREAK_BYTES = (b"pageBreakBefore", b"&#", *(style.encode() for style in sorted(_BREAK_STYLES)))
_BR_BYTES = re.compile(rb"<(?:[^\s<>/:]+:)?br[\s/>]")


def may_break_pages(xml: bytes) -> bool:
    """Whether a paragraph of this part may break a page (False: surely none does)."""
    if any(name in xml for name in _BREAK_BYTES):
        return True
    return b"page" in xml and _BR_BYTES.search(xml) is not None


def _weight(element: etree._Element) -> int:
    """What a body paragraph or table adds to LibreOffice's count: 1, or the table's rows."""
    return 1 if element.tag == _P else len(_children(element, _TR))


def _spread(table: etree._Element, most: int) -> bool:
    """Whether LibreOffice spreads a long table over provisional pages of its own rows: a
    share of `most` per row's cell, more than its repeated header rows, fewer than its rows
    (else the whole table opens the next provisional page)."""
    rows = _children(table, _TR)
    if len(rows) > 3 * most:
        per_page = most
    else:
        cells = len(_children(rows[min(1, len(rows) - 1)], _w("tc")))
        per_page = max(2, most // max(cells, 1))
    repeated = 0
    while repeated < len(rows) and _header_row(rows[repeated]):
        repeated += 1
    return repeated < per_page < len(rows)


def provisional_page(body: etree._Element) -> int:
    """How many elements LibreOffice puts on a provisional page of this body (its estimate)."""
    return _per_page(_nodes(body))


def _nodes(body: etree._Element) -> int:
    """The body's nodes as LibreOffice counts them for its estimate (`_per_page`)."""
    if not _NESTED_TABLE(body):
        return int(cast(float, _NODES(body)))
    tables = _children(body, _TBL)
    nodes = len(_children(body, _P)) + 2 - _NODES_PER_TABLE * len(tables)
    for table in tables:  # a table, its end, and each cell's start, end and paragraphs
        nodes += 2 + sum(2 + sum(1 for _ in cell.iter(_P)) for cell in table.iter(_w("tc")))
    return nodes


def _per_page(nodes: int) -> int:
    """LibreOffice's elements per provisional page for a body of `nodes` nodes."""
    return PROVISIONAL_PAGE if nodes <= _ESTIMATED_NODES else min(53, _FEWEST + nodes // 1000 * 3)


def _clear_provisional_pages(body: etree._Element, page_breaks: bool = True) -> None:
    """No paragraph that keeps with the next closes one of LibreOffice's provisional pages
    (`page_breaks`: False if `may_break_pages` said no paragraph breaks a page).

    The spacers are body paragraphs too, which LibreOffice counts: when they take the body
    past 100 nodes or a thousand more, its provisional pages hold another number of elements
    (`_per_page`) than the one they were placed for, and it leaves a lead-in (« Il est
    convenu ce qui suit : ») or a heading last on a page. They are then placed for that
    number; if so placed they are too few to reach it, spacers at the end of the body
    (after every provisional page that matters) make up the count.
    """
    total = int(cast(float, _WEIGHTS(body)))  # the sum of the elements' `_weight`
    if total <= _FEWEST:
        return  # the whole body holds on its first provisional page
    nodes = _nodes(body)
    most = _per_page(nodes)
    if total <= most:
        return  # the count never passes `most`: no element opens a provisional page
    weighed = [(e, weight) for e in _found(_PARAGRAPHS_AND_TABLES, body) if (weight := _weight(e))]
    breaking = set(_found(_BREAKING, body)) if page_breaks else set()
    spacers = _spacers(weighed, breaking, most)
    settled = _per_page(nodes + sum(count for _, count in spacers))
    padding = 0
    if settled != most:
        most, spacers = settled, _spacers(weighed, breaking, settled)
        added = sum(count for _, count in spacers)
        padding = next((n for n in range(1001) if _per_page(nodes + added + n) == most), 0)
    for paragraph, count in spacers:
        for _ in range(count):
            paragraph.addprevious(_spacer(paragraph))
    if padding:
        last = weighed[-1][0]
        for _ in range(padding):
            last.addnext(_spacer(last))


def _spacers(
    weighed: list[tuple[etree._Element, int]], breaking: set[etree._Element], most: int
) -> list[tuple[etree._Element, int]]:
    """Where spacers go for provisional pages of `most` elements: (paragraph, how many before
    it), in order."""
    spacers = []
    count = 0
    for index, (element, weight) in enumerate(weighed):
        count += weight
        if not index:
            continue
        if element in breaking:
            count = -1 if _ends_page(element) else 0
        elif element.tag == _TBL and count > most + LONG_TABLE and _spread(element, most):
            count = 0  # spread over pages of its own, its first rows under what precedes
        elif count > most:
            # `element` opens the next provisional page: if the paragraphs before it keep
            # with it (`chain`, in order), spacers make the first of them open it instead (a
            # chain's paragraphs weigh 1 each).
            start = index
            while start > 0 and _keeps_with_next(weighed[start - 1][0]):
                start -= 1
            chain = [kept for kept, _ in weighed[start:index]]
            before = count - weight - len(chain)
            if chain and before > 0 and chain[0] not in breaking:
                spacers.append((chain[0], most - before))
                count = len(chain) - 1 + weight
                if count > most:  # a chain longer than a page: nothing to do
                    count = 0
            else:
                count = 0
    return spacers


def needs_typesetting(xml: bytes) -> bool:
    """Whether `typeset_part` changes this part: markers, a signature block, a bookmark, a
    list, a lead-in or a table."""
    # Every marker's bytes hold one of these: three scans of the part rather than thirteen.
    maybe = b"\xee\x80" in xml or b"\xe2\x80\x91" in xml or b"&#" in xml
    if maybe and any(marker in xml for marker in _MARKER_BYTES):
        return True
    return (
        _SIGNATURE_STYLE in xml
        or b"bookmarkStart" in xml
        or _DISPLAY_BYTES.search(xml) is not None
        or (b"<w:b/>" in xml and _LABEL_BYTES.search(xml) is not None)
        or sum(xml.count(style) for style in _LIST_BYTES) >= 2
        or _LEAD_IN.search(xml) is not None
        or _TABLE.search(xml) is not None
        or xml.count(b"<w:p>") + xml.count(b"<w:p ") >= PROVISIONAL_PAGE
    )


def marked_texts(root: etree._Element) -> list[etree._Element]:
    """The w:t elements whose text carries a marker (below the root, in document order)."""
    search = _MARKER.search
    return [t for t in root.iter(_T) if t is not root and t.text and search(t.text)]


def surely_needs_typesetting(root: etree._Element, marked: list[etree._Element]) -> bool:
    """Whether `needs_typesetting` is true of this tree's serialisation, seen on the tree
    (False: it may be, or not); `marked` is its `marked_texts`."""
    if marked:
        return True  # serialised in UTF-8, a marker in a text is written as itself
    # A w:tbl with children or attributes is written « <w:tbl> » or « <w:tbl  » (_TABLE).
    return any(t.prefix == "w" and (len(t) or t.attrib) for t in root.iter(_w("tbl")))


_BOOKMARK_START, _BOOKMARK_END = _w("bookmarkStart"), _w("bookmarkEnd")
_ID, _NAME = _w("id"), _w("name")
# Word's longest bookmark name.
BOOKMARK_NAME_MAX = 40


def _unique_bookmarks(root: etree._Element) -> None:
    """Bookmarks a loop of the template repeated get ids and names of their own.

    Word wants each bookmark's w:id unique and each w:name unique whatever its case:
    repeated, it repairs the document. The first of each keeps its id and name; a repetition
    gets a new id (the next end of the old id, after it, closes the latest such start) and
    its name with « _2 », « _3 »… (a cross-reference or a link to it still lands on the
    first).
    """
    starts = list(root.iter(_BOOKMARK_START))
    ids = [start.get(_ID) for start in starts]
    names = [(start.get(_NAME) or "").casefold() for start in starts]
    if len(set(ids)) == len(ids) and len(set(names)) == len(names):
        return
    numbers = [
        int(v)
        for mark in root.iter(_BOOKMARK_START, _BOOKMARK_END)
        if (v := mark.get(_ID) or "").isdigit()
    ]
    fresh = max(numbers, default=-1) + 1
    seen_ids: set[str | None] = set()
    seen_names = set(names)
    given: set[str] = set()
    open_ids: dict[str | None, list[str | None]] = {}
    for mark in root.iter(_BOOKMARK_START, _BOOKMARK_END):
        old = mark.get(_ID)
        if mark.tag == _BOOKMARK_END:
            pending = open_ids.get(old)
            if pending:
                new = pending.pop()
                if new is not None:
                    mark.set(_ID, new)
            continue
        new_id: str | None = None
        if old in seen_ids:
            new_id = str(fresh)
            fresh += 1
            mark.set(_ID, new_id)
        seen_ids.add(old)
        open_ids.setdefault(old, []).append(new_id)
        name = mark.get(_NAME)
        if name is None:
            continue
        if name.casefold() not in given:
            given.add(name.casefold())
            continue
        count = 2
        while True:
            suffix = f"_{count}"
            candidate = name[: BOOKMARK_NAME_MAX - len(suffix)] + suffix
            if candidate.casefold() not in seen_names | given:
                break
            count += 1
        mark.set(_NAME, candidate)
        given.add(candidate.casefold())


def typeset_tree(
    root: etree._Element,
    marked: list[etree._Element] | None = None,
    page_breaks: bool = True,
    bookmarks: bool = True,
) -> None:
    """`typeset_part`'s changes, made in place on the tree of a part that needs them
    (`marked`: its `marked_texts`, if already found; `page_breaks`: False if the part
    serialised holds no page break, as `may_break_pages` tells; `bookmarks`: False if it
    holds no « bookmarkStart »)."""
    if marked is None:
        marked = marked_texts(root)
    if bookmarks:
        _unique_bookmarks(root)
    # Spaces only: the markers of `marked` stay where they are.
    signed = _bind_display_text(root)
    body = _child(root, _BODY)
    if body is not None:  # none of these changes a text: `marked` holds
        # Without a pStyle of the signature style, the XPath's walk of every table finds none.
        signatures = _found(_SIGNATURE_TABLES, body) if signed else []
        signature_set = set(signatures)
        _keep_lead_ins(body)
        _keep_closing_labels(body)
        _keep_list_ends(body)
        _keep_party_ends(body)
        _keep_closing(signatures)
        _split_signatures(body, signatures)
        _chain_table_ends(body, signature_set)
        _keep_the_end(body, signature_set)
        _clear_provisional_pages(body, page_breaks)
    runs = {t.getparent() for t in marked}
    for run in runs:
        if run is not None and run.tag == _R:
            _free_long_names(run)
            if not _split_hyphens(run):
                _split_run(run)
        elif run is not None:
            for t in _children(run, _T):
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
    typeset_tree(root, page_breaks=may_break_pages(xml), bookmarks=b"bookmarkStart" in xml)
    return serialize_typeset(root)


def strip_markers(text: str) -> str:
    """Plain text from a typeset string (document properties, file names)."""
    for marker in _MARKERS[:4]:
        text = text.replace(marker, "")
    return text.replace(NON_BREAKING_HYPHEN, "-")


def is_text_part(name: str) -> bool:
    """Whether `typeset_package` typesets this part (the compiled engine asks it too)."""
    return TEXT_PARTS.match(name) is not None


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
