"""Pages of a PDF as LibreOffice lays them out, read with pdftotext -layout, for page rules."""

from __future__ import annotations

import itertools
import re
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from lxml import etree

from ctgdocs.insecables import DISPLAY_STYLES, lier
from ctgdocs.signature_pages import CLOSING, row_height, rows_on_one_page

from .docx_tools import plain

HEADING_STYLES = ("CTG Article", "CTG Annexe", "CTG Section", "CTG Sous-section")
NBSP = "\u00a0"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_FOOTER = re.compile(r"^Page \d+ sur \d+$")


@dataclass
class Page:
    number: int
    lines: list[str]  # body lines: header and footer left out, spaces collapsed


def _layout(pdf: Path) -> list[list[str]]:
    """The lines of every page as pdftotext -layout writes them (columns apart)."""
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-layout", str(pdf), "-"],
        check=True, capture_output=True, encoding="utf-8",
    ).stdout  # fmt: skip
    return [page.splitlines() for page in text.split("\f")[:-1]]


def pages(pdf: Path, header: str) -> list[Page]:
    """The body lines of every page; `header`, the running header's text (`header_text`):
    the lines at the top of a page that it holds are left out, wrapped or not."""
    header = " ".join(header.split())
    result = []
    for number, raw in enumerate(_layout(pdf), 1):
        lines = [" ".join(plain(line).split()) for line in raw]
        lines = [line for line in lines if line and line != "PROJET" and not _FOOTER.match(line)]
        while lines and header and lines[0] in header:
            lines.pop(0)
        result.append(Page(number, lines))
    return result


def headings(docx: Path) -> list[str]:
    """The text of every heading paragraph (Word numbering left out: « Article 3 – » is not text)."""
    document = Document(str(docx))
    return [
        " ".join(plain(p.text).split())
        for p in document.paragraphs
        if p.style is not None and p.style.name in HEADING_STYLES and p.text.strip()
    ]


def _followers(docx: Path) -> tuple[set[str], dict[str, list[str]]]:
    """The texts of the body's other paragraphs, and what follows each heading."""
    paragraphs = [
        (" ".join(plain(p.text).split()), p.style is not None and p.style.name in HEADING_STYLES)
        for p in Document(str(docx)).paragraphs
    ]
    others = {text for text, heading in paragraphs if not heading}
    after: dict[str, list[str]] = {}
    for (text, heading), (following, _) in itertools.pairwise(paragraphs):
        if heading and text:
            after.setdefault(text, []).append(following)
    return others, after


def _heading_left_last(last: str, next_first: str, titles: list[str], docx: Path) -> bool:
    """Whether the page's last line is a heading left there, not a paragraph with its text
    (a compte rendu's agenda lists its points' titles): when a paragraph has the same text,
    the next page must open on what follows the heading."""
    title = next((t for t in titles if last.endswith(t)), None)
    if title is None:
        return False
    others, after = _followers(docx)
    if title not in others:
        return True
    head = " ".join(next_first.split())[:20]
    return any(following.startswith(head) for following in after.get(title, []) if head)


def signature_words(docx: Path) -> set[str]:
    """Every word of the signature blocks (the cells styled « CTG Signature »)."""
    document = Document(str(docx))
    words: set[str] = set()
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    if paragraph.style is not None and paragraph.style.name == "CTG Signature":
                        words.update(plain(paragraph.text).split())
    return words


def signature_names(docx: Path) -> list[str]:
    """The signatories' names: the bold line of each signature block."""
    document = Document(str(docx))
    return [
        plain(paragraph.text)
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        for paragraph in cell.paragraphs
        if paragraph.style is not None
        and paragraph.style.name == "CTG Signature"
        and paragraph.runs
        and paragraph.runs[0].bold
        and paragraph.text.strip()
    ]


@dataclass
class SignatureRows:
    count: int  # rows of signature blocks in the act
    on_one_page: int  # how many of them one page holds under « Fait à » (signature_pages)
    first: int  # the first row's height, in twips


def signature_rows(docx: Path) -> SignatureRows | None:
    """The rows of the act's signature blocks (the table of « CTG Signature » paragraphs)."""
    w = f"{{{_W}}}"
    with zipfile.ZipFile(docx) as package:
        body = etree.fromstring(package.read("word/document.xml")).find(f"{w}body")
    assert body is not None
    for table in body.iterchildren(f"{w}tbl"):
        if any(s.get(f"{w}val") == "CTGSignature" for s in table.iter(f"{w}pStyle")):
            rows = table.findall(f"{w}tr")
            return SignatureRows(len(rows), rows_on_one_page(body, rows), row_height(rows[0]))
    return None


def foot_space(pdf: Path, page: int, docx: Path) -> float:
    """The room, in points, between a page's lowest line of text and the bottom margin."""
    xml = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True, capture_output=True, encoding="utf-8",
    ).stdout  # fmt: skip
    height = float(re.findall(r'<page width="[\d.]+" height="([\d.]+)"', xml)[0])
    section = Document(str(docx)).sections[0]
    assert section.bottom_margin is not None
    bottom = height - section.bottom_margin / 12700  # EMU to points
    lowest = [y for y in map(float, re.findall(r'yMax="([\d.]+)"', xml)) if y <= bottom]
    return bottom - max(lowest) if lowest else bottom


def is_signature_line(line: str, words: set[str]) -> bool:
    return bool(words) and all(word in words for word in line.split())


def header_text(docx: Path) -> str:
    """The running header's text, as `pages` leaves it out."""
    document = Document(str(docx))
    return plain(" ".join(p.text for p in document.sections[0].header.paragraphs))


def _table_header_lines(docx: Path) -> set[str]:
    """The text of every repeated header row (w:tblHeader), as pdftotext writes it on a line."""
    document = Document(str(docx))
    lines = set()
    for table in document.tables:
        for row in table.rows:
            if row._tr.trPr is None or row._tr.trPr.find(qn("w:tblHeader")) is None:
                break
            lines.add(" ".join(plain(" ".join(cell.text for cell in row.cells)).split()))
    return lines


def display_paragraphs(docx: Path) -> list[str]:
    """The titles and signature blocks (`insecables.DISPLAY_STYLES`), each with a no-break
    space wherever `insecables.lier` wants one, the rest as typed (`plain`)."""
    document = Document(str(docx))
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs += cell.paragraphs
    found = []
    for paragraph in paragraphs:
        style = paragraph.style.style_id if paragraph.style is not None else ""
        if style in DISPLAY_STYLES and paragraph.text.strip():
            found.append(lier(plain(paragraph.text), DISPLAY_STYLES[style]))
    return found


_COLUMNS = re.compile(r"\s{3,}")


def _word_prefix(text: str, chunk: str) -> bool:
    return text.startswith(chunk) and (len(chunk) == len(text) or text[len(chunk)] == " ")


def display_breaks(pdf: Path, docx: Path) -> list[str]:
    """Where a title or a signature block breaks on a space that must not break
    (`display_paragraphs`): « … de / l'Orne », « du Grand / Sénonais ». A paragraph's lines
    are found as a line (a column of the layout) that starts it, then lines just below that
    go on with it, to its end."""
    faults = []
    paragraphs = list(dict.fromkeys(display_paragraphs(docx)))
    for number, raw in enumerate(_layout(pdf), 1):
        lines = [[" ".join(c.split()) for c in _COLUMNS.split(plain(line).strip())] for line in raw]
        lines = [[c for c in line if c] for line in lines]
        lines = [line for line in lines if line]
        for index, line in enumerate(lines):
            for chunk in line:
                for text in paragraphs:
                    spaced = text.replace(NBSP, " ")
                    if spaced == chunk or not _word_prefix(spaced, chunk):
                        continue
                    at, below, breaks = len(chunk), index, []
                    while at < len(spaced):
                        rest = spaced[at + 1 :]
                        following = [
                            (j, c)
                            for j in range(below + 1, min(below + 3, len(lines)))
                            for c in lines[j]
                            if _word_prefix(rest, c)
                        ]
                        if not following:
                            break
                        if text[at] == NBSP:
                            breaks.append(f"page {number} : « {spaced[:at]} / {rest} »")
                        below, at = following[0][0], at + 1 + len(following[0][1])
                    if at >= len(spaced):  # every line of the paragraph found: its breaks
                        faults += breaks
    return faults


def closing_labels(docx: Path) -> list[str]:
    """The paragraphs led by a bold « label : » that end a group, not open it (« Fiches
    actions : … » after an axe's objectives, « Fiche action concernée : … » after a point)."""
    document = Document(str(docx))
    found = []
    previous = None
    for paragraph in document.paragraphs:
        runs = paragraph.runs
        label = runs[0].text.strip() if runs else ""
        text = " ".join(plain(paragraph.text).split())
        after_heading = previous is not None and previous.style.name in HEADING_STYLES
        labelled = runs and runs[0].bold and label.endswith(":") and len(text) > len(label)
        if labelled and not after_heading:
            found.append(text)
        if text:
            previous = paragraph
    return found


_LINE = re.compile(
    r'<path style="fill:none;[^"]*" d="M ([\d.]+) ([\d.]+) L ([\d.]+) ([\d.]+) "'
    r'(?: transform="matrix\(([-\d.]+),0,0,[-\d.]+,([-\d.]+),[-\d.]+\)")?'
)


def horizontal_rules(pdf: Path, page: int) -> list[tuple[float, float]]:
    """The (left, right) ends, in points from the page's left edge, of the horizontal lines
    LibreOffice draws on a page: a bordered table's rules, the running header's."""
    svg = subprocess.run(
        ["pdftocairo", "-svg", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True, capture_output=True, encoding="utf-8",  # SVG: UTF-8 XML
    ).stdout  # fmt: skip
    rules = []
    for x1, y1, x2, y2, scale, shift in _LINE.findall(svg):
        if y1 == y2:
            factor, offset = float(scale or 1), float(shift or 0)
            ends = sorted((float(x1) * factor + offset, float(x2) * factor + offset))
            rules.append((ends[0], ends[1]))
    return rules


# The kinds of fault `page_faults` reports, in the words of issue 9.
FAULT_KINDS = (
    "signatures seules",  # a page whose only text is signature blocks
    "Fait à",  # « Fait à » not on the page of the first signature block
    "titre en bas de page",  # a heading or a lead-in ending with « : » last on a page
    "en-tête de tableau seul",  # a table's header row last on a page
    "total seul",  # a table's total row first on a page (after the repeated header)
    "page finale orpheline",  # a last page of a few lines only (a section left alone)
    "titre coupé",  # a title or signature line ending on a short word or inside a name
    "rappel seul en haut de page",  # a closing label (« Fiches actions : … ») opening a page
    "tableau hors des marges",  # a table's borders (or the header's rule) off the margins
    # Signature blocks too many for one page, moved to a new page all the same: the page
    # before « Fait à » had room for it, the act's last paragraph and the first row.
    "signatures déplacées",
    "fin des parties seule en haut de page",  # « d'une part, », « d'autre part. » opening a page
)
# « d'une part, » and « d'autre part. », each closing a party's designation.
_PARTY_END = re.compile(r"d'(?:une|autre) part[,.]")
# How far (in points) a rule's end may lie from a margin: LibreOffice draws the inner rules
# of a table between its outer borders, about a point inside; a table indented by nothing
# (its text on the margin) had its borders 5.4 points (a cell margin) to the left.
EDGE_TOLERANCE = 1.5
ORPHAN_LINES = 3


def _first_line_faults(
    document_pages: list[Page], table_headers: set[str], labels: list[str]
) -> list[tuple[str, str]]:
    """A total row, or a closing label, first on a page (after a repeated table header)."""
    faults = []
    for page in document_pages[1:]:
        body = [line for line in page.lines if line not in table_headers]
        if body and (body[0] == "Total" or body[0].startswith("Total ")):
            faults.append((FAULT_KINDS[4], f"page {page.number} : « {body[0]} »"))
        if body and any(label.startswith(body[0]) for label in labels):
            faults.append((FAULT_KINDS[7], f"page {page.number} : « {body[0]} »"))
        if body and _PARTY_END.fullmatch(body[0]):
            faults.append((FAULT_KINDS[10], f"page {page.number} : « {body[0]} »"))
    return faults


def _edge_faults(pdf: Path, docx: Path, count: int) -> list[tuple[str, str]]:
    """Pages whose horizontal rules (table borders, the header's rule) do not run from the
    left margin to the right one."""
    section = Document(str(docx)).sections[0]
    assert section.left_margin is not None and section.right_margin is not None
    assert section.page_width is not None
    left = section.left_margin / 12700  # EMU to points
    right = (section.page_width - section.right_margin) / 12700
    faults = []
    for number in range(1, count + 1):
        for start, end in horizontal_rules(pdf, number):
            if abs(start - left) > EDGE_TOLERANCE or abs(end - right) > EDGE_TOLERANCE:
                where = f"page {number} : de {start:.1f} à {end:.1f} pt"
                faults.append((FAULT_KINDS[8], f"{where}, marges {left:.1f} et {right:.1f} pt"))
                break
    return faults


def _fait_line(line: str) -> bool:
    return line.startswith(("Fait à ", "Fait au ", "Fait aux "))


def _signature_faults(
    pdf: Path, docx: Path, document_pages: list[Page], words: set[str]
) -> list[tuple[str, str]]:
    """A page of signature blocks only, « Fait à » apart from the first blocks, and blocks
    too many for one page moved whole to a new one."""
    faults = []
    names = signature_names(docx)
    signing = [
        p
        for p in document_pages
        if any(is_signature_line(line, words) and any(n in line for n in names)
               for line in p.lines)
    ]  # fmt: skip
    rows = signature_rows(docx)
    # Rows too many for one page go on over the next pages, two rows at least on the last.
    overflowing = rows is not None and rows.count > rows.on_one_page
    for index, page in enumerate(signing):
        others = [line for line in page.lines if not is_signature_line(line, words)]
        if [line for line in others if not _fait_line(line)]:
            continue
        named = [line for line in page.lines if any(name in line for name in names)]
        follows = index > 0 and signing[index - 1].number == page.number - 1
        if not (overflowing and follows and len(named) >= 2):
            faults.append((FAULT_KINDS[0], f"page {page.number}"))
    fait_a = [p.number for p in document_pages if any(_fait_line(x) for x in p.lines)]
    if not signing or fait_a != [signing[0].number]:
        where = signing[0].number if signing else None
        faults.append((FAULT_KINDS[1], f"« Fait à » page {fait_a}, signatures page {where}"))
    elif _fait_line(signing[0].lines[0]):
        faults.append((FAULT_KINDS[1], f"« Fait à » en haut de la page {fait_a[0]}"))
    elif overflowing and rows is not None and fait_a[0] > 1:
        room = foot_space(pdf, fait_a[0] - 1, docx)
        if room > (CLOSING + rows.first) / 20:  # twips to points
            where = f"page {fait_a[0] - 1} : {room / 28.35:.1f} cm libres en bas de page"
            faults.append((FAULT_KINDS[9], where))
    return faults


def page_faults(pdf: Path, docx: Path) -> list[tuple[str, str]]:
    """The page rules of issue 9 this PDF breaks: (kind, where) pairs, kinds of FAULT_KINDS."""
    document_pages = pages(pdf, header_text(docx))
    faults: list[tuple[str, str]] = []
    words = signature_words(docx)
    if words:
        faults += _signature_faults(pdf, docx, document_pages, words)
    titles = headings(docx)
    table_headers = _table_header_lines(docx)
    for page, following in itertools.pairwise(document_pages):
        if not page.lines:
            continue
        last = page.lines[-1]
        next_first = following.lines[0] if following.lines else ""
        if _heading_left_last(last, next_first, titles, docx) or last.endswith(":"):
            faults.append((FAULT_KINDS[2], f"page {page.number} : « {last} »"))
        if last in table_headers:
            faults.append((FAULT_KINDS[3], f"page {page.number} : « {last} »"))
    faults += _first_line_faults(document_pages, table_headers, closing_labels(docx))
    if len(document_pages) > 1 and len(document_pages[-1].lines) <= ORPHAN_LINES:
        last_page = document_pages[-1]
        faults.append((FAULT_KINDS[5], f"page {last_page.number} : {last_page.lines}"))
    faults += [(FAULT_KINDS[6], where) for where in display_breaks(pdf, docx)]
    faults += _edge_faults(pdf, docx, len(document_pages))
    return faults
