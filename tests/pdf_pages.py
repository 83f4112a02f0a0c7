"""Pages of a PDF as LibreOffice lays them out, read with pdftotext -layout, for page rules."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from docx import Document

from .docx_tools import plain

HEADING_STYLES = ("CTG Article", "CTG Annexe", "CTG Section", "CTG Sous-section")
_FOOTER = re.compile(r"^Page \d+ sur \d+$")


@dataclass
class Page:
    number: int
    lines: list[str]  # body lines: header and footer left out, spaces collapsed


def pages(pdf: Path, header: str) -> list[Page]:
    """The body lines of every page; `header` is the running header's reference line."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    result = []
    for number, raw in enumerate(text.split("\f")[:-1], 1):
        lines = [" ".join(plain(line).split()) for line in raw.splitlines()]
        lines = [
            line
            for line in lines
            if line and line != "PROJET" and not _FOOTER.match(line) and not line.startswith(header)
        ]
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
