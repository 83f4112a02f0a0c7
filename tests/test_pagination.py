"""Keep rules of the rendered tables: chained at their head and foot only, so that they split."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

from ctgdocs.builder import BuildOptions, build
from ctgdocs.wordml import FOOT_ROWS, HEAD_ROWS

from .conftest import REFERENCE


def _kept(row: object) -> bool:
    return any(True for _ in row._tr.iter(qn("w:keepNext")))  # type: ignore[attr-defined]


def test_a_long_table_keeps_only_its_head_and_foot(tmp_path: Path) -> None:
    build([REFERENCE], BuildOptions(output=tmp_path, only=("convention",)))
    document = Document(str(tmp_path / "CTG-61-2018-01" / "convention.docx"))
    perimeter = next(t for t in document.tables if t.rows[0].cells[0].text == "Commune")
    rows = perimeter.rows
    assert len(rows) == 33  # header and the 32 communes
    assert rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    kept = [index for index, row in enumerate(rows) if _kept(row)]
    head = list(range(HEAD_ROWS))  # the header row and the rows after it, chained
    foot = list(range(len(rows) - FOOT_ROWS, len(rows)))
    assert kept == head + foot
    assert all(row._tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for row in rows)
    # The signature blocks stay one chain.
    signatures = [
        t
        for t in document.tables
        if "CTG Signature"
        in {p.style.name for row in t.rows for c in row.cells for p in c.paragraphs if p.style}
    ]
    assert signatures and all(_kept(row) for t in signatures for row in t.rows)
