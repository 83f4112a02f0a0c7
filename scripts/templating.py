"""Authoring helpers for ctgdocs' Word templates: styles, numbering, tables, Jinja blocks.

Used by scripts/make_templates.py to write the first version of templates/*.docx;
after that, the .docx files are the source and may be edited in Word or LibreOffice.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from ctgdocs.ooxml import insert_in_order, repair_template
from ctgdocs.render import reproducible_docx
from ctgdocs.typographie import composer_gabarit

FONT = "Arial"
ARTICLE_NUM = 90
ANNEXE_NUM = 91
BULLET_NUM = 92
GREY = "E7E6E6"
RED = RGBColor(0xC0, 0x00, 0x00)
PROJET_MARK = "PROJET"
TEXT_WIDTH = 16.4  # cm between the margins: every table spans it exactly
# The templates are in Word 2010's compatibility mode (python-docx's blank document:
# compatibilityMode 14), where Word and LibreOffice put the *text* of a table's first cell at
# w:tblInd and its left border one cell margin further left (Table Grid's 108 twips): a
# bordered table is indented by that margin, so that its borders sit on the text margins (its
# width is the text width); the signature blocks, without borders, keep their text there.
COMPATIBILITY_MODE = "14"
CELL_MARGIN = 108  # twips
# Columns printed right-aligned, by their header: amounts read down their units.
AMOUNT_HEADERS = ("Montant", "Budget", "Coût", "Total")

# Word numbering definitions: "Article 1 – ", "Annexe 1 – " and an en-dash bullet.
_ABSTRACTS = {
    ARTICLE_NUM: ("decimal", "Article %1 – ", "CTGArticle", 0, 0),
    ANNEXE_NUM: ("decimal", "Annexe %1 – ", "CTGAnnexe", 0, 0),
    BULLET_NUM: ("bullet", "–", "CTGPuce", 567, 283),
}


def _abstract_num(num_id: int) -> str:
    fmt, text, style, left, hanging = _ABSTRACTS[num_id]
    suffix = "nothing" if fmt == "decimal" else "tab"
    return (
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{num_id}">'
        '<w:multiLevelType w:val="singleLevel"/>'
        f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:pStyle w:val="{style}"/><w:suff w:val="{suffix}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr></w:lvl>'
        "</w:abstractNum>"
    )


class Template:
    """A Word document being authored as a ctgdocs template."""

    def __init__(self, title: str) -> None:
        self.doc = Document()
        self._signed = False  # the template ends with signature blocks
        self._page()
        self._styles()
        self._numbering()
        self._settings()
        props = self.doc.core_properties
        props.author = "ctgdocs"
        props.last_modified_by = "ctgdocs"
        props.title = title
        props.comments = ""
        props.keywords = ""
        props.revision = 1
        props.created = props.modified = dt.datetime(2026, 1, 1)
        # python-docx's blank document starts with one empty paragraph.
        body = self.doc.element.body
        for paragraph in list(body.iterchildren(qn("w:p"))):
            body.remove(paragraph)

    # -- set-up -------------------------------------------------------------------------
    def _page(self) -> None:
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.3)
        section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
        section.header_distance = section.footer_distance = Cm(1.1)

    def _style(self, name: str, base: str = "Normal", **fmt: object) -> object:
        styles = self.doc.styles
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        style.quick_style = True
        font = style.font
        font.name = FONT
        font.size = Pt(float(fmt.get("size", 10.5)))  # type: ignore[arg-type]
        font.bold = bool(fmt.get("bold", False))
        font.all_caps = bool(fmt.get("caps", False))
        if fmt.get("color"):
            font.color.rgb = fmt["color"]
        pf = style.paragraph_format
        pf.space_before = Pt(float(fmt.get("before", 0)))  # type: ignore[arg-type]
        pf.space_after = Pt(float(fmt.get("after", 6)))  # type: ignore[arg-type]
        pf.line_spacing = 1.1
        pf.keep_with_next = bool(fmt.get("keep", False))
        pf.alignment = fmt.get("align", WD_ALIGN_PARAGRAPH.JUSTIFY)
        return style

    def _settings(self) -> None:
        """French document settings: Word checks the spelling afresh (python-docx's blank
        document says it was checked, in English), decimal comma, list separator « ; »."""
        settings = self.doc.settings.element
        for element in settings.findall(qn("w:proofState")):
            settings.remove(element)
        lang = settings.find(qn("w:themeFontLang"))
        if lang is not None:
            lang.attrib.clear()
            lang.set(qn("w:val"), "fr-FR")
        for name, value in (("w:decimalSymbol", ","), ("w:listSeparator", ";")):
            element = settings.find(qn(name))
            if element is not None:
                element.set(qn("w:val"), value)
        modes = [
            setting.get(qn("w:val"))
            for setting in settings.iter(qn("w:compatSetting"))
            if setting.get(qn("w:name")) == "compatibilityMode"
        ]
        assert modes == [COMPATIBILITY_MODE], modes  # the tables' indent rests on it

    def _styles(self) -> None:
        normal = self.doc.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(10.5)
        rpr = normal.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
        lang = parse_xml(
            f'<w:lang {nsdecls("w")} w:val="fr-FR" w:eastAsia="fr-FR" w:bidi="ar-SA"/>'
        )
        insert_in_order(rpr, lang)
        # Widow and orphan control, as in Word's own Normal: no line alone at a page's foot
        # or head, and a heading's keep-with-next honoured by LibreOffice as by Word.
        defaults = self.doc.styles.element.find(qn("w:docDefaults"))
        ppr_default = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
        insert_in_order(ppr_default, parse_xml(f"<w:widowControl {nsdecls('w')}/>"))
        insert_in_order(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")), lang.__copy__())
        center = WD_ALIGN_PARAGRAPH.CENTER
        left = WD_ALIGN_PARAGRAPH.LEFT
        right = WD_ALIGN_PARAGRAPH.RIGHT
        self._style("CTG Corps")
        # Numbered items in the text (an agenda, decisions): kept together at a list's ends.
        self._style("CTG Liste")
        self._style("CTG Titre", size=20, bold=True, caps=True, align=center, before=0, after=8)
        self._style("CTG Sous-titre", size=13, bold=True, align=center, after=10)
        self._style("CTG Centré", align=center, after=6)
        self._style("CTG Mention", size=12, bold=True, align=center, color=RED, after=12)
        self._style("CTG Article", size=12, bold=True, keep=True, before=14, after=6, align=left)
        self._style("CTG Annexe", size=12, bold=True, keep=True, before=0, after=10, align=left)
        self._style("CTG Section", size=11.5, bold=True, keep=True, before=9, after=3, align=left)
        self._style(
            "CTG Sous-section", size=10.5, bold=True, keep=True, before=8, after=3, align=left
        )
        self._style("CTG Puce", after=2)
        self._style("CTG Espace", size=5, after=0, align=left)
        self._style("CTG Tableau", size=9.5, after=0, align=left)
        self._style("CTG Tableau en-tête", size=9.5, bold=True, after=0, align=left)
        self._style("CTG Signature", after=0, align=left)
        self._style("CTG En-tête", size=8, after=0, align=left)
        self._style("CTG Pied", size=8, after=0, align=center)
        self._style("CTG Projet", size=9, bold=True, color=RED, after=2, align=right)
        for name in ("CTG Article", "CTG Annexe", "CTG Section"):
            ppr = self.doc.styles[name].element.get_or_add_pPr()
            insert_in_order(
                ppr,
                parse_xml(
                    f'<w:outlineLvl {nsdecls("w")} w:val="{0 if name != "CTG Section" else 1}"/>'
                ),
            )
        # Articles and annexes carry their numbers as text ("Article 5 bis"): avenants
        # cite them, so Word must not renumber them.
        for name, num in (("CTG Puce", BULLET_NUM),):
            ppr = self.doc.styles[name].element.get_or_add_pPr()
            insert_in_order(
                ppr, parse_xml(f'<w:numPr {nsdecls("w")}><w:numId w:val="{num}"/></w:numPr>')
            )
        annexe = self.doc.styles["CTG Annexe"].paragraph_format
        annexe.page_break_before = True

    def _numbering(self) -> None:
        """Our three lists and nothing else: python-docx's blank document defines nine more,
        for Word's "List Bullet" and "List Number" styles, which _drop_unused_styles drops;
        their levels would name styles absent from styles.xml."""
        numbering = self.doc.part.numbering_part.element
        for unused in numbering.findall(qn("w:abstractNum")) + numbering.findall(qn("w:num")):
            numbering.remove(unused)
        for num_id in _ABSTRACTS:
            abstract = parse_xml(_abstract_num(num_id))
            first_num = numbering.find(qn("w:num"))
            if first_num is not None:
                first_num.addprevious(abstract)
            else:
                numbering.append(abstract)
            numbering.append(
                parse_xml(
                    f'<w:num {nsdecls("w")} w:numId="{num_id}">'
                    f'<w:abstractNumId w:val="{num_id}"/></w:num>'
                )
            )

    # -- headers and footers --------------------------------------------------------------
    def header(self, left: str, *, mark: bool = True, consolidation: bool = False) -> None:
        """The running header: the reference line, and the PROJET mark on a line of its own.

        The mark is the same word in every document of a dossier; each document says on
        its first page what kind of projet it is. With `consolidation`, a consolidated
        version says on every page that it is not an original.
        """
        header = self.doc.sections[0].header
        first = header.paragraphs[0]
        paragraph = first
        if mark:
            first.style = self.doc.styles["CTG Tableau"]
            first.add_run("{%p if projet %}")
            projet = header.add_paragraph(style=self.doc.styles["CTG Projet"])
            projet.add_run(PROJET_MARK)
            header.add_paragraph(style=self.doc.styles["CTG Tableau"]).add_run("{%p endif %}")
            paragraph = header.add_paragraph()
        if consolidation:
            paragraph.style = self.doc.styles["CTG Tableau"]
            paragraph.add_run("{%p if consolidee %}")
            notice = header.add_paragraph(style=self.doc.styles["CTG Projet"])
            notice.add_run("{{ consolidee.entete }}")
            header.add_paragraph(style=self.doc.styles["CTG Tableau"]).add_run("{%p endif %}")
            paragraph = header.add_paragraph()
        paragraph.style = self.doc.styles["CTG En-tête"]
        paragraph.add_run(left)
        border = parse_xml(
            f"<w:pBdr {nsdecls('w')}>"
            '<w:bottom w:val="single" w:sz="4" w:space="4" w:color="808080"/></w:pBdr>'
        )
        insert_in_order(paragraph._p.get_or_add_pPr(), border)

    def footer(self) -> None:
        footer = self.doc.sections[0].footer
        paragraph = footer.paragraphs[0]
        paragraph.style = self.doc.styles["CTG Pied"]
        paragraph.add_run("Page ")
        paragraph._p.append(self._field("PAGE"))
        paragraph.add_run(" sur ")
        paragraph._p.append(self._field("NUMPAGES"))

    @staticmethod
    def _field(instruction: str) -> object:
        return parse_xml(
            f'<w:fldSimple {nsdecls("w")} w:instr=" {instruction} \\* MERGEFORMAT ">'
            "<w:r><w:rPr><w:noProof/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>"
        )

    # -- body -------------------------------------------------------------------------
    def p(
        self, text: str = "", style: str = "CTG Corps", *, bold: bool = False, left: bool = False
    ) -> object:
        """A paragraph; `left`: ragged right, for lines that end on a long unbreakable date
        (a justified visa would open wide gaps before « du 30 septembre 2024 »)."""
        paragraph = self.doc.add_paragraph(style=self.doc.styles[style])
        if left:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        if text:
            run = paragraph.add_run(text)
            run.bold = bold or None
        return paragraph

    def runs(self, parts: Sequence[tuple[str, bool]], style: str = "CTG Corps") -> None:
        """A paragraph of several runs, (text, bold) each."""
        paragraph = self.doc.add_paragraph(style=self.doc.styles[style])
        for text, bold in parts:
            paragraph.add_run(text).bold = bold or None

    def tag(self, statement: str) -> None:
        """A paragraph that docxtpl replaces by a Jinja block statement ({%p … %})."""
        self.p(f"{{%p {statement} %}}")

    @contextmanager
    def when(self, condition: str) -> Iterator[None]:
        """Paragraphs (and tables) kept only when `condition` holds."""
        self.tag(f"if {condition}")
        yield
        self.tag("endif")

    @contextmanager
    def each(self, loop: str) -> Iterator[None]:
        """Paragraphs (and tables) repeated for each item: `loop` is "x in items"."""
        self.tag(f"for {loop}")
        yield
        self.tag("endfor")

    def puces(self, expression: str, item: str = "{{ x }}", var: str = "x") -> None:
        with self.each(f"{var} in {expression}"):
            self.p(item, "CTG Puce")

    def page_break(self) -> None:
        paragraph = self.doc.add_paragraph(style=self.doc.styles["CTG Corps"])
        paragraph.add_run().add_break(WD_BREAK.PAGE)

    def title_page(self) -> None:
        """The first page is a title page: no running header or footer on it."""
        section = self.doc.sections[0]
        section.different_first_page_header_footer = True
        for blank in (section.first_page_header, section.first_page_footer):
            blank.is_linked_to_previous = False
            blank.paragraphs[0].style = self.doc.styles["CTG Pied"]

    def table(
        self,
        headers: Sequence[str],
        cells: Sequence[str],
        loop: str,
        widths: Sequence[float],
        *,
        total: Sequence[str] | None = None,
        right: Sequence[int] = (),
    ) -> None:
        """A table: a header row repeated on each page, one row per item, an optional total.

        Its rows never split and keep with the next; the render (wordml.typeset_part) keeps
        only the header and first rows, and the last rows with the total, so that a long
        table splits under its heading; amounts are right-aligned.
        """
        rows = 3 + (1 if headers else 0) + (1 if total else 0)
        table = self.doc.add_table(rows=rows, cols=len(cells))
        table.style = self.doc.styles["Table Grid"]
        index = 0
        if headers:
            self._fill(table.rows[0], headers, "CTG Tableau en-tête", shade=True)
            trpr = table.rows[0]._tr.get_or_add_trPr()
            trpr.append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
            index = 1
        self._loop_row(table.rows[index], f"{{%tr {loop} %}}")
        self._fill(table.rows[index + 1], cells, "CTG Tableau")
        self._loop_row(table.rows[index + 2], "{%tr endfor %}")
        if total:
            self._fill(table.rows[index + 3], total, "CTG Tableau en-tête", shade=True)
        for column, header in enumerate(headers):
            if header.startswith(AMOUNT_HEADERS) or column in right:
                for row in table.rows:
                    row.cells[column].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        self._rows_together(table)
        self._widths(table, widths)
        self.p("", "CTG Espace")  # two tables in a row would merge into one

    def fiche_table(
        self, rows: Sequence[tuple[str, str, str | None]], widths: tuple[float, float]
    ) -> None:
        """A two-column table of labels and values; a row with a condition shows only if true."""
        table = self.doc.add_table(rows=0, cols=2)
        table.style = self.doc.styles["Table Grid"]
        for label, value, condition in rows:
            if condition:
                self._loop_row(table.add_row(), f"{{%tr if {condition} %}}")
            row = table.add_row()
            self._fill(row, [label, value], "CTG Tableau")
            self._shade(row.cells[0])
            row.cells[0].paragraphs[0].runs[0].bold = True
            if condition:
                self._loop_row(table.add_row(), "{%tr endif %}")
        self._rows_together(table)
        self._widths(table, widths)
        self.p("", "CTG Espace")  # two tables in a row would merge into one

    def signature_table(self) -> None:
        """The signature blocks, two by row, each with room below the name to sign and stamp.

        A row never splits and the rows keep together; the render keeps « Fait à … » and the
        last paragraph of the act with them (wordml.typeset_part), so that no party signs
        alone on a page, and frees the rows between the first and the last two when they are
        too many for one page (ctgdocs/signature_pages.py: from five rows on A4).
        """
        self._signed = True  # wordml.typeset_part keeps « Fait à » and the act's end with it
        table = self.doc.add_table(rows=3, cols=2)
        self._loop_row(table.rows[0], "{%tr for rang in signatures|batch(2) %}")
        for column, cell in enumerate(table.rows[1].cells):
            item = f"rang[{column}]"
            guard = ("{% if rang|length > 1 %}", "{% endif %}") if column else ("", "")
            lines = (f"{item}.pour", f"{item}.titre", f"{item}.nom")
            for number, expression in enumerate(lines):
                paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
                paragraph.style = self.doc.styles["CTG Signature"]
                run = paragraph.add_run(f"{guard[0]}{{{{ {expression} }}}}{guard[1]}")
                run.bold = number == 2 or None
        self._loop_row(table.rows[2], "{%tr endfor %}")
        trpr = table.rows[1]._tr.get_or_add_trPr()
        trpr.append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
        trpr.append(
            parse_xml(
                f'<w:trHeight {nsdecls("w")} w:val="{int(Cm(4.6).twips)}" w:hRule="atLeast"/>'
            )
        )
        self._rows_together(table)
        self._widths(table, (TEXT_WIDTH / 2, TEXT_WIDTH / 2), indent=0)

    @staticmethod
    def _rows_together(table: object) -> None:
        """Rows that never split, each kept with the next (Word's and LibreOffice's rule)."""
        for row in table.rows:  # type: ignore[attr-defined]
            trpr = row._tr.get_or_add_trPr()
            if trpr.find(qn("w:cantSplit")) is None:
                trpr.append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True

    # -- cells ------------------------------------------------------------------------
    def _fill(self, row: object, texts: Sequence[str], style: str, shade: bool = False) -> None:
        for cell, text in zip(row.cells, texts, strict=True):  # type: ignore[attr-defined]
            paragraph = cell.paragraphs[0]
            paragraph.style = self.doc.styles[style]
            if text:
                paragraph.add_run(text)
            if shade:
                self._shade(cell)

    def _loop_row(self, row: object, tag: str) -> None:
        cell = row.cells[0]  # type: ignore[attr-defined]
        cell.paragraphs[0].style = self.doc.styles["CTG Tableau"]
        cell.paragraphs[0].add_run(tag)

    @staticmethod
    def _widths(table: object, widths: Sequence[float], indent: int = CELL_MARGIN) -> None:
        """Column widths in the grid (LibreOffice) and every cell (Word), on the text margins
        (`indent`: see CELL_MARGIN)."""
        assert abs(sum(widths) - TEXT_WIDTH) < 0.01, widths
        table.alignment = WD_TABLE_ALIGNMENT.LEFT  # type: ignore[attr-defined]
        table.autofit = False  # type: ignore[attr-defined]
        grid = table._tbl.tblGrid  # type: ignore[attr-defined]
        for column, width in zip(grid.iterchildren(qn("w:gridCol")), widths, strict=True):
            column.set(qn("w:w"), str(int(Cm(width).twips)))
        for row in table.rows:  # type: ignore[attr-defined]
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)
        tblpr = table._tbl.tblPr  # type: ignore[attr-defined]
        width = int(Cm(TEXT_WIDTH).twips)
        insert_in_order(tblpr, parse_xml(f'<w:tblW {nsdecls("w")} w:w="{width}" w:type="dxa"/>'))
        insert_in_order(tblpr, parse_xml(f'<w:tblInd {nsdecls("w")} w:w="{indent}" w:type="dxa"/>'))
        insert_in_order(tblpr, parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>'))

    @staticmethod
    def _shade(cell: object) -> None:
        tcpr = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
        insert_in_order(
            tcpr, parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{GREY}"/>')
        )

    def _drop_unused_styles(self) -> None:
        """Keep the styles the template uses (and their bases), the defaults, nothing else.

        python-docx's blank document defines 179 styles (355 kB) that Word and LibreOffice
        both know by name anyway: an unused one is only weight in every generated document.
        """
        styles = self.doc.styles.element
        by_id = {s.get(qn("w:styleId")): s for s in styles.iterchildren(qn("w:style"))}
        parts = [self.doc.element, *(s.header._element for s in self.doc.sections)]
        parts += [s.footer._element for s in self.doc.sections]
        wanted = {
            ref.get(qn("w:val"))
            for part in parts
            for tag in ("w:pStyle", "w:rStyle", "w:tblStyle")
            for ref in part.iter(qn(tag))
        }
        wanted |= {i for i, s in by_id.items() if s.get(qn("w:default")) == "1"}
        wanted |= {i for i in by_id if i and i.startswith("CTG")}
        pending = list(wanted)
        while pending:
            style = by_id.get(pending.pop())
            if style is None:
                continue
            for tag in ("w:basedOn", "w:link", "w:next"):
                ref = style.find(qn(tag))
                if ref is not None and ref.get(qn("w:val")) not in wanted:
                    wanted.add(ref.get(qn("w:val")))
                    pending.append(ref.get(qn("w:val")))
        for style_id, style in by_id.items():
            if style_id not in wanted:
                styles.remove(style)

    def _typeset(self) -> None:
        """The static text in French typography, as the render typesets the data (tags kept)."""
        section = self.doc.sections[0]
        for part in (self.doc.element, section.header._element, section.footer._element):
            for t in part.iter(qn("w:t")):
                if t.text:
                    t.text = composer_gabarit(t.text)

    def _keep_last_section(self) -> None:
        """The last section keeps with the end of the one before: never alone on a last page.

        Acts ending with signatures already keep their end together (signature_table).
        """
        if self._signed:
            return
        body = self.doc.element.body
        children = list(body.iterchildren(qn("w:p"), qn("w:tbl")))
        headings = [
            i
            for i, child in enumerate(children)
            if child.tag == qn("w:p") and child.style in ("CTGSection", "CTGArticle")
        ]
        if not headings:
            return
        for child in reversed(children[: headings[-1]]):
            if child.tag != qn("w:p"):
                return  # a table: its rows already keep with what follows
            if "".join(child.itertext()).startswith("{%p "):
                continue
            insert_in_order(child.get_or_add_pPr(), parse_xml(f"<w:keepNext {nsdecls('w')}/>"))
            return

    def _end_on_a_paragraph(self) -> None:
        """A body ending on a table (an avenant's signatures) gets a last paragraph one
        twentieth of a point high: Word adds one of the body's size after such a table,
        which opens a blank page when the table ends its page."""
        body = self.doc.element.body
        last = body[-2] if body[-1].tag == qn("w:sectPr") else body[-1]
        if last.tag == qn("w:tbl"):
            last.addnext(
                parse_xml(
                    f'<w:p {nsdecls("w")}><w:pPr><w:spacing w:before="0" w:after="0" '
                    'w:line="1" w:lineRule="exact"/><w:rPr><w:sz w:val="2"/></w:rPr></w:pPr></w:p>'
                )
            )

    def save(self, path: Path) -> None:
        """Save with fixed zip times, so that regenerating an unchanged template changes nothing."""
        self._end_on_a_paragraph()
        self._keep_last_section()
        self._typeset()
        self._drop_unused_styles()
        buffer = io.BytesIO()
        self.doc.save(buffer)
        # Only the stale parts of python-docx's blank document may need dropping: anything
        # else repair_template would fix is a bug of this authoring code.
        blob, repairs = repair_template(buffer.getvalue())
        unexpected = [r for r in repairs if not r.startswith("partie ")]
        if unexpected:
            raise AssertionError(f"{path.name}: {unexpected}")
        path.write_bytes(reproducible_docx(blob))
