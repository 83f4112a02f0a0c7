"""Pages of a PDF as LibreOffice lays them out, read with pdftotext -layout, for page rules."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

from .docx_tools import plain

HEADING_STYLES = ("CTG Article", "CTG Annexe", "CTG Section", "CTG Sous-section")
_FOOTER = re.compile(r"^Page \d+ sur \d+$")


@dataclass
class Page:
    number: int
    lines: list[str]  # body lines: header and footer left out, spaces collapsed


def pages(pdf: Path, header: str) -> list[Page]:
    """The body lines of every page; `header`, the running header's text (`header_text`):
    the lines at the top of a page that it holds are left out, wrapped or not."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    header = " ".join(header.split())
    result = []
    for number, raw in enumerate(text.split("\f")[:-1], 1):
        lines = [" ".join(plain(line).split()) for line in raw.splitlines()]
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


# The kinds of fault `page_faults` reports, in the words of issue 9.
FAULT_KINDS = (
    "signatures seules",  # a page whose only text is signature blocks
    "Fait à",  # « Fait à » not on the page of the first signature block
    "titre en bas de page",  # a heading or a lead-in ending with « : » last on a page
    "en-tête de tableau seul",  # a table's header row last on a page
    "total seul",  # a table's total row first on a page (after the repeated header)
    "page finale orpheline",  # a last page of a few lines only (a section left alone)
)
ORPHAN_LINES = 3


def page_faults(pdf: Path, docx: Path) -> list[tuple[str, str]]:
    """The page rules of issue 9 this PDF breaks: (kind, where) pairs, kinds of FAULT_KINDS."""
    document_pages = pages(pdf, header_text(docx))
    faults: list[tuple[str, str]] = []
    words = signature_words(docx)
    if words:
        names = signature_names(docx)
        signing = [
            p
            for p in document_pages
            if any(is_signature_line(line, words) and any(n in line for n in names)
                   for line in p.lines)
        ]  # fmt: skip
        for page in signing:
            others = [line for line in page.lines if not is_signature_line(line, words)]
            if not [line for line in others if not line.startswith("Fait à ")]:
                faults.append((FAULT_KINDS[0], f"page {page.number}"))
        fait_a = [p.number for p in document_pages if any(x.startswith("Fait à ") for x in p.lines)]
        if not signing or fait_a != [signing[0].number]:
            where = signing[0].number if signing else None
            faults.append((FAULT_KINDS[1], f"« Fait à » page {fait_a}, signatures page {where}"))
        elif signing[0].lines[0].startswith("Fait à "):
            faults.append((FAULT_KINDS[1], f"« Fait à » en haut de la page {fait_a[0]}"))
    titles = headings(docx)
    table_headers = _table_header_lines(docx)
    for page in document_pages[:-1]:
        if not page.lines:
            continue
        last = page.lines[-1]
        if any(last.endswith(title) for title in titles) or last.endswith(":"):
            faults.append((FAULT_KINDS[2], f"page {page.number} : « {last} »"))
        if last in table_headers:
            faults.append((FAULT_KINDS[3], f"page {page.number} : « {last} »"))
    for page in document_pages[1:]:
        body = [line for line in page.lines if line not in table_headers]
        if body and (body[0] == "Total" or body[0].startswith("Total ")):
            faults.append((FAULT_KINDS[4], f"page {page.number} : « {body[0]} »"))
    if len(document_pages) > 1 and len(document_pages[-1].lines) <= ORPHAN_LINES:
        last_page = document_pages[-1]
        faults.append((FAULT_KINDS[5], f"page {last_page.number} : {last_page.lines}"))
    return faults
