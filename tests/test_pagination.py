"""Keep rules of the rendered tables: chained at their head and foot only, so that they split."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from lxml import etree

from ctgdocs.builder import BuildOptions, build
from ctgdocs.wordml import (
    _BREAKING,
    FOOT_ROWS,
    HEAD_ROWS,
    PROVISIONAL_PAGE,
    may_break_pages,
    provisional_page,
    typeset_part,
)

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


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _paragraph(text: str, style: str = "CTGCorps", keep: bool = False, page: bool = False) -> str:
    properties = f'<w:pStyle w:val="{style}"/>' + ("<w:keepNext/>" if keep else "")
    run = '<w:r><w:br w:type="page"/></w:r>' if page else ""
    return f"<w:p><w:pPr>{properties}</w:pPr>{run}<w:r><w:t>{text}</w:t></w:r></w:p>"


_END = [_paragraph("fin"), _paragraph("fin.")]  # the end of the body, kept apart (_keep_the_end)


def _laid_out(paragraphs: list[str]) -> list[str]:
    """The body's paragraphs once typeset: their texts, "" for an inserted spacer."""
    body = f"{''.join([*paragraphs, *_END])}<w:sectPr/>"
    root = etree.fromstring(
        typeset_part(f"<w:document {_W}><w:body>{body}</w:body></w:document>".encode())
    )
    return ["".join(p.itertext()) for p in root[0] if p.tag.endswith("}p")][: -len(_END)]


def test_no_keep_with_next_paragraph_closes_a_provisional_page() -> None:
    # The 25th paragraph, a heading: one spacer before it, none elsewhere.
    plain = [_paragraph(f"p{i}") for i in range(1, PROVISIONAL_PAGE)]
    heading = _paragraph("Article 2", "CTGArticle")
    assert _laid_out([*plain, heading, _paragraph("texte")]) == [
        *(f"p{i}" for i in range(1, PROVISIONAL_PAGE)),
        "",
        "Article 2",
        "texte",
    ]
    # A lead-in (24th) and its heading (25th) kept together: the chain moves whole.
    lead_in = _paragraph("Il est convenu ce qui suit :", keep=True)
    assert _laid_out([*plain[:-1], lead_in, heading, _paragraph("texte")])[-5:] == [
        "",
        "",
        "Il est convenu ce qui suit :",
        "Article 2",
        "texte",
    ]
    # A paragraph whose text a page break opens opens the page, counted 0: 25 paragraphs
    # follow it there.
    title = [_paragraph("titre"), _paragraph("suite", page=True)]
    body = [*title, *plain, heading, _paragraph("texte")]
    assert "" not in _laid_out(body)[2:-3]
    assert _laid_out(body)[-3:] == ["", "Article 2", "texte"]
    # A paragraph holding only a page break ends its page: the next one opens the page,
    # counted 0, and 26 follow it (measured with LibreOffice 7.4: a heading 26th after
    # the title page's break was left last on page 2).
    title = [_paragraph("titre"), _paragraph("", page=True)]
    body = [*title, *plain, _paragraph("p25"), heading, _paragraph("texte")]
    assert "" not in _laid_out(body)[2:-3]
    assert _laid_out(body)[-3:] == ["", "Article 2", "texte"]
    assert "" not in _laid_out([*title, *plain, heading, _paragraph("texte")])[2:]


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def test_a_part_said_without_page_breaks_holds_none() -> None:
    # `may_break_pages` lets typesetting skip `_BREAKING`: it must say True wherever the
    # XPath finds a paragraph, whatever the prefix or the spelling of the break.
    breaking = [
        '<w:p><w:r><w:br w:type="page"/></w:r></w:p>',
        "<w:p><w:r><w:br w:type='page'/></w:r></w:p>",
        '<w:p><w:r><w:br w:type="&#112;age"/></w:r></w:p>',
        '<w:p><w:r><x:br xmlns:x="{ns}" x:type="page"/></w:r></w:p>',
        '<w:p><w:r><br xmlns="{ns}" w:type="page"></br></w:r></w:p>',
        "<w:p><w:pPr><w:pageBreakBefore/></w:pPr></w:p>",
        '<w:p><w:pPr><w:pStyle w:val="CTGAnnexe"/></w:pPr></w:p>',
    ]
    plain = [
        "<w:p><w:r><w:t>le numéro de la page, membres, décembre</w:t></w:r></w:p>",
        "<w:p><w:r><w:br/><w:t>à la ligne</w:t></w:r></w:p>",
        '<w:p><w:r><w:br w:type="textWrapping"/><w:t>page</w:t></w:r></w:p>',
    ]
    for paragraph, expected in [(p, True) for p in breaking] + [(p, False) for p in plain]:
        xml = f'<w:body xmlns:w="{_W_NS}">{paragraph.format(ns=_W_NS)}</w:body>'.encode()
        found = bool(_BREAKING(etree.fromstring(xml)))
        assert found is expected, paragraph
        assert may_break_pages(xml) or not found, paragraph
    # Most parts: no break element, or no « page » anywhere.
    for paragraph in plain[:2]:
        assert not may_break_pages(f'<w:body xmlns:w="{_W_NS}">{paragraph}</w:body>'.encode())


def test_later_provisional_pages_hold_one_element_more() -> None:
    # The element opening a provisional page counts 0 there: the second page ends on the
    # 51st element (found on generated avenants: « Article 6 – Autres dispositions » left
    # last on page 2 when the count was taken 25 by 25).
    plain = [_paragraph(f"p{i}") for i in range(1, 2 * PROVISIONAL_PAGE + 1)]
    heading = _paragraph("Article 6", "CTGArticle")
    laid_out = _laid_out([*plain, heading, _paragraph("texte")])
    assert laid_out[2 * PROVISIONAL_PAGE :] == ["", "Article 6", "texte"]
    assert "" not in laid_out[: 2 * PROVISIONAL_PAGE]
    # Where the count reaches 50, nothing moves: the page holds one element more.
    assert "" not in _laid_out([*plain[:-1], heading, _paragraph("texte")])


def _left_last(body: etree._Element) -> list[str]:
    """The paragraphs keeping with the next that close one of LibreOffice's provisional pages
    of this body of paragraphs (no table, no page break), spacers counted as the others."""
    most = provisional_page(body)
    paragraphs = [p for p in body if p.tag == qn("w:p")]
    left, count = [], 0
    for index in range(len(paragraphs)):
        count += 1
        if index and count > most:
            previous = paragraphs[index - 1]
            properties = previous.find(qn("w:pPr"))
            keep = properties is not None and properties.find(qn("w:keepNext")) is not None
            style = previous.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            if keep or (style is not None and style.get(qn("w:val")) == "CTGArticle"):
                left.append("".join(previous.itertext()))
            count = 0
    return left


def test_the_spacers_count_in_the_size_of_a_provisional_page() -> None:
    # 991 paragraphs, every thirteenth a heading: 20 elements a provisional page for
    # LibreOffice (fewer than 1,000 nodes), ten spacers to move headings off their ends;
    # but with them the body holds 1,003 nodes, pages of 23, and two headings closed a page
    # (a consolidated convention of the corpus: « Il est convenu ce qui suit : » last on
    # page 2). Placed for pages of 23, they are six: one more, at the end, makes 1,000.
    paragraphs = [
        _paragraph(f"Article {i}", "CTGArticle") if i % 13 == 0 else _paragraph(f"p{i}")
        for i in range(1, 990)
    ]
    body = f"{''.join([*paragraphs, *_END])}<w:sectPr/>"
    xml = f"<w:document {_W}><w:body>{body}</w:body></w:document>".encode()
    typeset = etree.fromstring(typeset_part(xml))[0]
    assert provisional_page(typeset) == 23
    assert _left_last(typeset) == []
    texts = ["".join(p.itertext()) for p in typeset if p.tag == qn("w:p")]
    assert texts[-3:] == ["fin", "fin.", ""]  # the spacer making up the count
    assert texts.count("") == 6 + 1


def test_a_table_opening_a_provisional_page_takes_its_lead_in() -> None:
    # A lead-in kept with a table that takes the count past 25: the table opens the next
    # provisional page, so the lead-in moves there with spacers.
    plain = [_paragraph(f"p{i}") for i in range(1, PROVISIONAL_PAGE - 2)]
    lead_in = _paragraph("Les communes signataires sont :", keep=True)
    rows = "".join(
        f"<w:tr><w:tc><w:p><w:r><w:t>c{i}</w:t></w:r></w:p></w:tc></w:tr>" for i in range(3)
    )
    table = f"<w:tbl>{rows}</w:tbl>"
    laid_out = _laid_out([*plain, lead_in, table, _paragraph("texte")])
    assert laid_out == [
        *(f"p{i}" for i in range(1, PROVISIONAL_PAGE - 2)),
        *[""] * 3,  # the spacers bring the count to 25: the lead-in is the 26th
        "Les communes signataires sont :",
        "texte",
    ]


def test_a_long_table_opens_a_page_unless_spread() -> None:
    # 12 rows of one cell after 23 paragraphs: more than 25 + 10, yet 25 rows a page hold it
    # whole, so the table opens the next provisional page and its lead-in goes with it.
    plain = [_paragraph(f"p{i}") for i in range(1, PROVISIONAL_PAGE - 1)]
    lead_in = _paragraph("Les communes sont :", keep=True)
    one_cell = _table(*(f"c{i}" for i in range(12)))
    assert _laid_out([*plain, lead_in, one_cell, _paragraph("texte")])[-3:] == [
        "",
        "Les communes sont :",
        "texte",
    ]
    # Three cells a row: 8 rows a page, the table is spread and its first rows stay.
    rows = "".join("<w:tr>" + "<w:tc><w:p/></w:tc>" * 3 + "</w:tr>" for _ in range(12))
    laid_out = _laid_out([*plain, lead_in, f"<w:tbl>{rows}</w:tbl>", _paragraph("texte")])
    assert "" not in laid_out


def _kept_texts(paragraphs: list[str]) -> list[tuple[str, bool]]:
    """Each body element once typeset: its text (a table's, joined) and whether it keeps
    with the next (a table: its last row)."""
    xml = f"<w:document {_W}><w:body>{''.join(paragraphs)}<w:sectPr/></w:body></w:document>"
    body = etree.fromstring(typeset_part(xml.encode()))[0]
    result = []
    for element in body:
        if element.tag.endswith("}p") or element.tag.endswith("}tbl"):
            last = element.findall(qn("w:tr"))[-1] if element.tag.endswith("}tbl") else element
            result.append(
                ("".join(element.itertext()), any(True for _ in last.iter(qn("w:keepNext"))))
            )
    return result


def _table(*cells: str, style: str = "CTGTableau") -> str:
    rows = "".join(
        f'<w:tr><w:tc><w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
        f"<w:r><w:t>{cell}</w:t></w:r></w:p></w:tc></w:tr>"
        for cell in cells
    )
    return f"<w:tbl>{rows}</w:tbl>"


def test_the_last_section_keeps_with_what_precedes_it() -> None:
    # A convention: the plan's table, an empty paragraph, one last sentence.
    end = [_table("FA-1.1", "Total"), _paragraph("", "CTGEspace"), _paragraph("Chaque fiche…")]
    assert _kept_texts([_paragraph("texte"), *end]) == [
        ("texte", False),
        ("FA-1.1Total", True),
        ("", True),
        ("Chaque fiche…", False),
    ]
    # A fiche: its last heading and table come with the end of the section before.
    end = [_paragraph("Indicateurs", "CTGSection"), _table("Indicateur 1")]
    kept = _kept_texts([_paragraph("texte"), _paragraph("fin du plan"), _paragraph(""), *end])
    assert kept == [
        ("texte", False),
        ("fin du plan", True),
        ("", True),
        ("Indicateurs", False),  # kept with the next by its style
        ("Indicateur 1", False),
    ]
    # An act that ends with its signature blocks: « Fait à » and the act's last paragraph
    # only (_keep_closing), nothing before them.
    signatures = _table("Pour la Caf", style="CTGSignature")
    kept = _kept_texts([_paragraph("avant"), _paragraph("fin"), _paragraph("Fait à"), signatures])
    assert [k for _, k in kept] == [False, True, True, False]


def test_a_list_never_leaves_one_item_alone_at_a_page_foot_or_head() -> None:
    body = [
        _paragraph("Avant"),
        *(_paragraph(f"a{i}", "CTGPuce") for i in range(4)),
        _paragraph("Entre"),
        _paragraph("seul", "CTGPuce"),
        _paragraph("Après"),
        *(_paragraph(f"Décision {i}", "CTGListe") for i in range(2)),
        *_END,
    ]
    kept = [text for text, keep in _kept_texts(body) if keep]
    # The first item with the second, the last but one with the last; one item alone: free.
    # (« fin » keeps with the body's last paragraph, by another rule.)
    assert [k for k in kept if k != "fin"] == ["a0", "a2", "Décision 0"]


def test_a_heading_its_label_and_its_lead_in_keep_together() -> None:
    body = [
        _paragraph("Axe A5 – Structurer la mobilité des jeunes", "CTGSection"),
        _paragraph("Champs d'intervention : jeunesse."),
        _paragraph("Objectifs :"),
        _paragraph("Un objectif.", "CTGPuce"),
        _paragraph("Un texte."),
        _paragraph("Autre texte :"),
        _paragraph("Suite."),
        *_END,
    ]
    kept = [text for text, keep in _kept_texts(body) if keep]
    # The label between the heading and « Objectifs : » keeps with it; a paragraph after
    # other text does not (« Un texte. » is not kept: no heading before it).
    assert "Champs d'intervention : jeunesse." in kept and "Objectifs :" in kept
    assert "Un texte." not in kept


def _labelled(label: str, text: str) -> str:
    return (
        '<w:p><w:pPr><w:pStyle w:val="CTGCorps"/></w:pPr>'
        f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{label} </w:t></w:r>'
        f"<w:r><w:t>{text}</w:t></w:r></w:p>"
    )


def test_a_closing_label_keeps_with_the_end_of_its_group() -> None:
    # An axe (convention) and points of a compte rendu: « Fiches actions : … » never opens a
    # page alone; a short group stays whole, a long one keeps its last paragraph only.
    body = [
        _paragraph("Axe A1 – Accueillir", "CTGSection"),
        _labelled("Champs d’intervention :", "petite enfance."),
        _paragraph("Objectifs :"),
        _paragraph("Objectif 1 ;", "CTGPuce"),
        _paragraph("Objectif 2.", "CTGPuce"),
        _labelled("Fiches actions :", "FA‑1.1 et FA‑1.2."),
        _paragraph("1. Point 1", "CTGSous-section"),
        *(_paragraph(f"Texte {i}.") for i in range(5)),
        _labelled("Fiche action concernée :", "FA‑1.1."),
        _paragraph("2. Point 2", "CTGSous-section"),
        _paragraph("Un texte."),
        _labelled("Décision :", "validée."),  # followed by text: not a closing label
        _paragraph("La suite."),
        *_END,
    ]
    # (A heading keeps with the next by its style.)
    kept = [text for text, keep in _kept_texts(body) if keep]
    assert kept[:4] == [
        "Champs d’intervention : petite enfance.",
        "Objectifs :",
        "Objectif 1 ;",
        "Objectif 2.",
    ]
    assert "Texte 4." in kept and "Texte 3." not in kept
    assert "Un texte." not in kept


def test_a_long_paragraph_after_a_heading_does_not_keep_with_the_lead_in() -> None:
    # The avenant of the Vallée de Munster: « Article 2 – Nouveaux signataires », a sentence
    # of three lines, the lead-in and the table of the signing communes (six rows, whole).
    # Kept with the lead-in, the sentence made the heading, the sentence, the lead-in and the
    # table one chain, moved whole to page 3: 6 cm blank at the foot of page 2. Only a
    # paragraph of one line (a label) keeps with the lead-in after a heading.
    sentence = (
        "La Commune de Stosswihr et la Commune de Gunsbach deviennent parties à la convention"
        " et adhèrent à l’ensemble de ses stipulations, dans leur rédaction issue du présent"
        " avenant, qui leur sont applicables à compter du 1er novembre 2025."
    )
    body = [
        _paragraph("Article 2 – Nouveaux signataires", "CTGArticle"),
        _paragraph(sentence),
        _paragraph("Les communes signataires de la convention sont désormais les suivantes :"),
        _table("Commune", "Ville de Munster", "Commune de Metzeral", "Commune de Gunsbach"),
        _paragraph("", "CTGEspace"),
        _paragraph("Article 3 – Engagements", "CTGArticle"),
        _paragraph("Suite."),
        *_END,
    ]
    kept = [text for text, keep in _kept_texts(body) if keep]
    assert sentence not in kept
    assert "Les communes signataires de la convention sont désormais les suivantes :" in kept
    # A label of one line keeps with the lead-in still, bold or not.
    body = [
        _paragraph("Axe 3 – Améliorer le cadre de vie et l’accès aux droits", "CTGSection"),
        _labelled(
            "Champs d’intervention :",
            "logement et cadre de vie ; animation de la vie sociale ; accès aux droits.",
        ),
        _paragraph("Objectif :"),
        _paragraph("Rapprocher les services des habitants.", "CTGPuce"),
        _paragraph("Texte."),
        *_END,
    ]
    kept = [text for text, keep in _kept_texts(body) if keep]
    assert kept[:2] == [
        "Champs d’intervention : logement et cadre de vie ; animation de la vie sociale ;"
        " accès aux droits.",
        "Objectif :",
    ]
