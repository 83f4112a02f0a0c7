"""Signature blocks and the parties block as they keep together: « Fait à », rows, « d'autre part »."""

from __future__ import annotations

import itertools
import math
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from ctgdocs.builder import BuildOptions, written
from ctgdocs.resources import bundled_templates
from ctgdocs.signature_pages import CLOSING, body_height, rows_on_one_page
from ctgdocs.wordml import typeset_part

from .signataires import FEWEST, with_blocks

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f'xmlns:w="{W}"'
NS = {"w": W}
ROW = 2608  # 4.6 cm, the templates' w:trHeight
WHOLE = 4  # rows of 4.6 cm that an A4 page of the templates holds under « Fait à »
# The templates' section: A4, 2.5 cm above the body, 2.2 cm below.
A4 = '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1417" w:bottom="1247"/></w:sectPr>'


def _paragraph(text: str, style: str = "CTGCorps") -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>'


def _signatures(rows: int) -> str:
    """A rendered table of signature blocks: each row as the template has it (never split,
    4.6 cm at least, every paragraph kept with the next)."""
    cell = "".join(
        f'<w:p><w:pPr><w:pStyle w:val="CTGSignature"/><w:keepNext/></w:pPr>'
        f"<w:r><w:t>{line}</w:t></w:r></w:p>"
        for line in ("Pour la Commune,", "Le Maire,", "Nom")
    )
    row = (
        f'<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="{ROW}" w:hRule="atLeast"/></w:trPr>'
        f"<w:tc>{cell}</w:tc><w:tc>{cell}</w:tc></w:tr>"
    )
    return f"<w:tbl>{row * rows}</w:tbl>"


def _act(rows: int, section: str = A4) -> etree._Element:
    """The end of an act, typeset: its last article, « Fait à », the blocks."""
    body = [
        _paragraph("Texte."),
        _paragraph("Article 15 – Règlement des litiges", "CTGArticle"),
        _paragraph("Les signataires s'efforcent de régler à l'amiable tout différend."),
        _paragraph("Fait à L'Aigle, le 28 juin 2018, en trois exemplaires originaux."),
        _paragraph(""),
        _signatures(rows),
        '<w:p><w:pPr><w:spacing w:line="1" w:lineRule="exact"/></w:pPr></w:p>',
    ]
    xml = f"<w:document {_W}><w:body>{''.join(body)}{section}</w:body></w:document>"
    return etree.fromstring(typeset_part(xml.encode()))[0]


def _kept(element: etree._Element) -> bool:
    return element.find(".//w:keepNext", NS) is not None


def _kept_rows(table: etree._Element) -> list[int]:
    """The rows whose every paragraph keeps with the next."""
    return [
        index
        for index, row in enumerate(table.findall("w:tr", NS))
        if all(p.find("w:pPr/w:keepNext", NS) is not None for p in row.iter(f"{{{W}}}p"))
    ]


def _closing(table: etree._Element) -> list[bool]:
    """Whether the three paragraphs before the table (the act's last, « Fait à », the empty
    one) keep with the next."""
    return [_kept(p) for p in list(table.itersiblings(preceding=True))[:3]][::-1]


@pytest.mark.parametrize("rows", range(1, 16))  # 2 to 30 blocks
def test_signature_rows_break_between_them_only_when_a_page_cannot_hold_them(rows: int) -> None:
    # Up to four rows, one chain with « Fait à » and the act's last paragraph, as before.
    # From five (nine blocks), a chain longer than a page: LibreOffice moved it whole to a
    # new page and broke it all the same; now only the first row keeps with « Fait à », the
    # last but one with the last, and the rows between may end a page.
    body = _act(rows)
    table = body.find("w:tbl", NS)
    assert table is not None
    assert _closing(table) == [True, True, True]
    if rows <= WHOLE:
        assert _kept_rows(table) == list(range(rows))
    else:
        assert _kept_rows(table) == [rows - 2, rows - 1]
    assert all(r.find("w:trPr/w:cantSplit", NS) is not None for r in table.findall("w:tr", NS))
    assert not _kept(body[0])  # nothing before the last article's heading joins the chain


def test_the_rows_a_page_holds_follow_its_geometry() -> None:
    # A4 portrait: 25 cm of body, 4.7 cm of closing at most, rows of 4.6 cm: four rows.
    assert body_height(_act(1)) == 16838 - 1417 - 1247
    assert (body_height(_act(1)) - CLOSING) // ROW == WHOLE
    # An A3 page holds seven; A4 landscape two; a section that says nothing reads as A4.
    a3 = A4.replace('w:h="16838"', 'w:h="23811"')
    landscape = A4.replace('w:h="16838"', 'w:h="11906"')
    for section, whole in ((a3, 7), (landscape, 2), ("<w:sectPr/>", WHOLE)):
        assert _kept_rows(_act(whole, section).find("w:tbl", NS)) == list(range(whole))
        split = _act(whole + 1, section).find("w:tbl", NS)
        assert _kept_rows(split) == [whole - 1, whole]


def test_the_bundled_acts_hold_four_rows_under_fait_a() -> None:
    # The threshold from the templates themselves: their section and their row's height.
    for name in ("convention.docx", "avenant.docx"):
        with zipfile.ZipFile(bundled_templates() / name) as package:
            body = etree.fromstring(package.read("word/document.xml")).find("w:body", NS)
        assert body is not None
        row = next(
            tr
            for tr in body.iter(f"{{{W}}}tr")
            if tr.find("w:trPr/w:trHeight", NS) is not None
            and tr.find(".//w:pStyle[@w:val='CTGSignature']", NS) is not None
        )
        assert int(row.find("w:trPr/w:trHeight", NS).get(f"{{{W}}}val")) == ROW
        assert rows_on_one_page(body, [row] * 15) == WHOLE, name


def test_d_une_part_and_d_autre_part_keep_with_their_party() -> None:
    body = [
        _paragraph("Entre :"),
        _paragraph("La Caisse d’allocations familiales de l’Orne, ci-après dénommée « la Caf »,"),
        _paragraph("d’une part,"),
        _paragraph("Et :"),
        _paragraph("La Communauté de communes, ci-après dénommée « la Communauté »,"),
        _paragraph("La Commune de Rai, ci-après dénommée « la Commune de Rai »,"),
        _paragraph(""),
        _paragraph("D'autre part."),
        _paragraph("Vu le Code de la sécurité sociale ;"),
        _paragraph("Un texte qui parle d’autre part de la convention."),
        _paragraph("La suite."),
        _paragraph("fin"),  # kept with the last paragraph, by another rule (_keep_the_end)
        _paragraph("fin."),
    ]
    xml = f"<w:document {_W}><w:body>{''.join(body)}{A4}</w:body></w:document>"
    typeset = etree.fromstring(typeset_part(xml.encode()))[0]
    kept = ["".join(p.itertext()) for p in typeset.findall("w:p", NS) if _kept(p)]
    assert kept == [
        "Entre :",  # a lead-in
        "La Caisse d’allocations familiales de l’Orne, ci-après dénommée « la Caf »,",
        "Et :",
        "La Commune de Rai, ci-après dénommée « la Commune de Rai »,",
        "",
        "fin",
    ]


@pytest.fixture(scope="module")
def acts(tmp_path_factory: pytest.TempPathFactory) -> dict[int, list[Path]]:
    """The conventions of the reference with 2 to 30 signature blocks: their acts, by blocks."""
    root = tmp_path_factory.mktemp("signataires")
    sources = [with_blocks(root / "yaml", blocks) for blocks in range(FEWEST, 31)]
    options = BuildOptions(output=root / "build", only=("convention", "avenants"))
    documents = written(sources, options)
    return {
        blocks: [d for d in documents if f"-S{blocks:02d}" in d.parent.as_posix()]
        for blocks in range(FEWEST, 31)
    }


def _body(docx: Path) -> etree._Element:
    with zipfile.ZipFile(docx) as package:
        body = etree.fromstring(package.read("word/document.xml")).find("w:body", NS)
    assert body is not None
    return body


def test_acts_of_2_to_30_blocks_keep_fait_a_with_the_rows_a_page_holds(
    acts: dict[int, list[Path]],
) -> None:
    checked = 0
    for blocks, documents in acts.items():
        for docx in documents:
            if docx.name == "convention-consolidee.docx":
                continue  # not signed
            table = next(
                t
                for t in _body(docx).iterfind("w:tbl", NS)
                if t.find(".//w:pStyle[@w:val='CTGSignature']", NS) is not None
            )
            # The avenant: the two communes it adds sign it too.
            signed = blocks + (2 if docx.parent.name == "avenants" else 0)
            rows = math.ceil(signed / 2)
            assert len(table.findall("w:tr", NS)) == rows, (docx, blocks)
            expected = list(range(rows)) if rows <= WHOLE else [rows - 2, rows - 1]
            assert _kept_rows(table) == expected, (docx, blocks)
            assert _closing(table) == [True, True, True], (docx, blocks)
            checked += 1
    assert checked == 2 * 29  # a convention and an avenant for each count


def test_every_act_keeps_d_autre_part_with_the_last_party(acts: dict[int, list[Path]]) -> None:
    # The convention, its consolidated version and the avenant: each parties block ends
    # « …, d'une part, Et : …, d'autre part. », and neither end opens a page alone.
    ends = 0
    for docx in acts[10]:
        paragraphs = _body(docx).findall("w:p", NS)
        for previous, paragraph in itertools.pairwise(paragraphs):
            if "".join(paragraph.itertext()) in ("d’une part,", "d’autre part."):
                assert _kept(previous) and "".join(previous.itertext()).endswith(","), docx
                ends += 1
    assert ends == 2 * 3
