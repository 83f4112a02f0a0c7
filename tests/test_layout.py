"""Every document built from the examples, read raw: French typography and the layout markup."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.table import Table
from lxml import etree

from ctgdocs.builder import BuildOptions, build, written
from ctgdocs.context import entete
from ctgdocs.formatting import MOIS

from .conftest import EXAMPLES, MINIMALE, REFERENCE
from .docx_tools import docx_text
from .pdf_pages import _followers, _heading_left_last, headings

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
_DATE_WITH_SPACE = re.compile(
    rf"\b\d{{1,2}}(?:er)?[ \t](?:{'|'.join(MOIS)})|(?:{'|'.join(MOIS)})[ \t]\d{{4}}"
)


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    documents = written(EXAMPLES, BuildOptions(output=tmp_path_factory.mktemp("layout")))
    assert len(documents) == 22
    return documents


def parts(path: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as package:
        return {
            name: etree.fromstring(package.read(name))
            for name in package.namelist()
            if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name)
        }


def test_french_spaces_quotes_and_apostrophes(documents: list[Path]) -> None:
    problems = []
    for path in documents:
        text = docx_text(path, raw=True)
        for label, pattern in (
            ("apostrophe droite", r"'"),
            ("guillemet droit", r'"'),
            ("espace sécable avant ; : ! ?", r"[ \t][;:!?](?=\s|$)"),
            ("espace sécable dans « »", r"«[^\u00a0]|[^\u00a0]»"),
            ("date sécable", _DATE_WITH_SPACE.pattern),
            ("montant sécable", r"\d[ \t]€|\d [0-9]{3},\d\d"),
        ):
            problems += [f"{path.name}: {label}: {m!r}" for m in re.findall(pattern, text)]
    assert problems == []


def test_first_of_the_month_has_a_superscript_er(documents: list[Path]) -> None:
    checked = 0
    for path in documents:
        for root in parts(path).values():
            for run in root.iter(f"{{{W}}}r"):
                text = "".join(run.itertext())
                superscript = run.find("w:rPr/w:vertAlign[@w:val='superscript']", NS) is not None
                if superscript:
                    assert text in ("er", "re", "e"), (path.name, text)
                    previous = run.getprevious()
                    assert previous is not None, path.name
                    assert re.search(r"\d$", "".join(previous.itertext())), (path.name, text)
                    checked += 1
                else:
                    # No « 1er » left in a plain run: it would print « 1er » on the line.
                    assert not re.search(r"(?<!\w)1er(?!\w)", text), (path.name, text)
    assert checked >= 16


def test_names_keep_their_hyphens(documents: list[Path]) -> None:
    convention = next(p for p in documents if p.parts[-2:] == ("CTG-61-2018-01", "convention.docx"))
    body = etree.tostring(parts(convention)["word/document.xml"], encoding="unicode")
    # Title page and parties: « Mutualité sociale agricole Mayenne-Orne-Sarthe ».
    assert body.count("Mayenne</w:t><w:noBreakHyphen/><w:t>Orne</w:t><w:noBreakHyphen/>") >= 2
    assert "Mayenne-Orne" not in body
    assert "Jean-Pierre" not in body
    assert "ville-centre" in body  # a common word may still break at its hyphen


def test_due_dates_in_tables_are_dd_mm_yyyy(documents: list[Path]) -> None:
    long_dates = re.compile(rf"\d{{1,2}}(?:er)?\s(?:{'|'.join(MOIS)})\s\d{{4}}")
    short = 0
    for path in documents:
        document = Document(str(path))
        for table in document.tables:
            if not _has_header_row(table):
                continue  # label | value tables read as sentences (« Mardi 19 février 2019 »)
            for row in table.rows[1:]:
                for cell in row.cells:
                    assert not long_dates.search(cell.text), (path.name, cell.text)
                    short += len(re.findall(r"\b\d\d/\d\d/\d{4}\b", cell.text))
    assert short >= 10


def _has_header_row(table: Table) -> bool:
    first = table.rows[0]._tr
    return first.find("w:trPr/w:tblHeader", NS) is not None


TEXT_WIDTH = "9298"  # twips between the margins (16.4 cm, as python-docx rounds it)


def test_tables_on_the_margins_with_amounts_right_aligned(documents: list[Path]) -> None:
    amounts = 0
    for path in documents:
        document = Document(str(path))
        modes = document.settings.element.xpath(
            "w:compat/w:compatSetting[@w:name='compatibilityMode']/@w:val"
        )
        assert modes == ["14"], path.name
        for table in document.tables:
            tblpr = table._tbl.tblPr
            # In Word 2010's compatibility mode, a table's text is at w:tblInd and its border
            # one cell margin (108 twips) to the left: bordered tables are indented by it.
            bordered = table.style is not None and table.style.name == "Table Grid"
            indent = "108" if bordered else "0"
            assert tblpr.find("w:tblInd", NS).get(f"{{{W}}}w") == indent, path.name
            assert tblpr.find("w:tblW", NS).get(f"{{{W}}}w") == TEXT_WIDTH, path.name
            assert tblpr.find("w:jc", NS).get(f"{{{W}}}val") == "left", path.name
            if not _has_header_row(table):
                continue
            for column, cell in enumerate(table.rows[0].cells):
                if cell.text.startswith(("Montant", "Budget")):
                    for row in table.rows:
                        paragraph = row.cells[column].paragraphs[0]
                        assert paragraph.alignment == 2, (path.name, paragraph.text)  # right
                        amounts += 1
    assert amounts >= 20


def test_signature_blocks_in_a_grid_that_never_splits(documents: list[Path]) -> None:
    signed = 0
    for path in documents:
        document = Document(str(path))
        for table in document.tables:
            styles = {p.style.name for c in table.rows[0].cells for p in c.paragraphs}
            if "CTG Signature" not in styles:
                continue
            signed += 1
            names = [c.paragraphs[2].text for row in table.rows for c in row.cells]
            assert len(table.columns) == 2 and names[0], path.name
            for row in table.rows:
                trpr = row._tr.trPr
                assert trpr.find("w:cantSplit", NS) is not None
                height = int(trpr.find("w:trHeight", NS).get(f"{{{W}}}val"))
                assert height >= 2268, path.name  # 4 cm at least: room to sign and stamp
                for cell in row.cells:
                    assert all(p.paragraph_format.keep_with_next for p in cell.paragraphs)
            # Two by row: an odd count leaves the last right cell empty.
            assert len(table.rows) == (len([n for n in names if n]) + 1) // 2
    assert signed == 6


def test_one_projet_mark_on_its_own_header_line(documents: list[Path]) -> None:
    dossier = [p for p in documents if "CTG-82-2022-GM" in p.parts]
    assert len(dossier) == 2
    for path in dossier:
        lines = [p.text for p in Document(str(path)).sections[0].header.paragraphs]
        assert lines[0] == "PROJET" and lines[1].startswith("CTG-82-2022-GM – "), path.name
    signed = next(p for p in documents if p.parts[-2:] == ("CTG-61-2018-01", "convention.docx"))
    assert Document(str(signed)).sections[0].header.paragraphs[0].text.startswith("CTG-")


def test_title_page_has_no_running_header(documents: list[Path]) -> None:
    for path in documents:
        if path.name != "convention.docx":
            continue
        section = Document(str(path)).sections[0]
        assert section.different_first_page_header_footer, path.parent.name
        assert "".join(p.text for p in section.first_page_header.paragraphs) == ""
        assert "".join(p.text for p in section.first_page_footer.paragraphs) == ""


def test_the_running_header_holds_on_one_line(tmp_path: Path) -> None:
    # A long EPCI name would wrap the header over two lines: the title is cut after a word.
    long = (
        "Convention territoriale globale de services aux familles de la Communauté de communes "
        "Nebbiu - Conca d'Oro"
    )
    source = tmp_path / "long.yaml"
    source.write_text(
        MINIMALE.read_text(encoding="utf-8").replace(
            "intitule: Convention territoriale globale de Beaucaire Terre d'Argence",
            f"intitule: {long}",
        ),
        encoding="utf-8",
    )
    documents = written([source], BuildOptions(output=tmp_path / "out"))
    for path in documents:
        header = Document(str(path)).sections[0].header.paragraphs[-1].text
        assert len(header) <= 110, (path.name, header)
        if path.name == "convention.docx":
            # The generic words give way first, never the territory's name.
            assert header == (
                "CTG-30-TEST – CTG de services aux familles de la Communauté de communes "
                "Nebbiu\u00a0-\u00a0Conca d’Oro"
            )
    # The title page keeps the whole title.
    assert "Nebbiu - Conca d'Oro" in docx_text(documents[0].parent / "convention.docx")
    # Still too long without them: the EPCI's kind by its initials, then a cut after a word.
    assert entete(
        "CTG-85-2026-01",
        "Convention territoriale globale de services aux familles de la Communauté de "
        "communes du Pays de Saint-Gilles-Croix-de-Vie et des communes du littoral vendéen",
    ) == (
        "CTG-85-2026-01 – CTG de la CC du Pays de Saint-Gilles-Croix-de-Vie et des communes du "
        "littoral vendéen"
    )
    assert entete(
        "CTG-85-2026-01",
        "Convention territoriale globale de services aux familles de la Communauté de "
        "communes du Pays de Saint-Gilles-Croix-de-Vie et des communes du littoral vendéen "
        "et de l'île d'Yeu",
    ) == (
        "CTG-85-2026-01 – CTG de la CC du Pays de Saint-Gilles-Croix-de-Vie et des communes du "
        "littoral vendéen et de…"
    )
    # A closing parenthesis gives way before a cut inside it.
    assert (
        entete(
            "CTG-974-2024-249740077",
            "Convention territoriale globale de services aux familles de la Communauté "
            "d'agglomération CIVIS (Communauté Intercommunale des Villes Solidaires)",
        )
        == "CTG-974-2024-249740077 – CTG de la Communauté d'agglomération CIVIS"
    )


def test_a_header_that_fits_keeps_the_whole_title(documents: list[Path]) -> None:
    signed = next(p for p in documents if p.parts[-2:] == ("CTG-61-2018-01", "convention.docx"))
    assert Document(str(signed)).sections[0].header.paragraphs[-1].text == (
        "CTG-61-2018-01 – Convention territoriale globale de services aux familles du Pays de "
        "L’Aigle"
    )


def test_documents_are_set_for_french_and_proofread_afresh(documents: list[Path]) -> None:
    for path in documents:
        with zipfile.ZipFile(path) as package:
            settings = etree.fromstring(package.read("word/settings.xml"))
        assert settings.find("w:proofState", NS) is None, path.name  # never "clean" unread
        assert settings.find("w:themeFontLang", NS).get(f"{{{W}}}val") == "fr-FR"
        assert settings.find("w:decimalSymbol", NS).get(f"{{{W}}}val") == ","


def test_titles_and_signature_blocks_never_break_after_a_short_word(
    documents: list[Path],
) -> None:
    # « Pour la Caisse d'allocations familiales de / l'Orne, », « du Pays de / L'Aigle »: the
    # breaks a jurist found on the pages (tests/pdf_pages.display_breaks reads them there).
    aigle = [p for p in documents if "CTG-61-2018-01" in p.parts]
    convention = next(p for p in aigle if p.name == "convention.docx")
    avenant = next(p for p in aigle if p.name == "avenant-1.docx")
    blocks = [
        paragraph.text
        for table in Document(str(convention)).tables
        for cell in table._cells
        for paragraph in cell.paragraphs
        if paragraph.style is not None and paragraph.style.name == "CTG Signature"
    ]
    assert "Pour\u00a0la\u00a0Caisse d’allocations familiales de\u00a0l’Orne," in blocks
    assert (
        "Pour\u00a0la\u00a0Communauté de\u00a0communes des\u00a0Pays\u00a0de\u00a0L’Aigle,"
        in blocks
    )
    titles = [p.text for p in Document(str(avenant)).paragraphs if p.style.name == "CTG Sous-titre"]
    assert titles[0].endswith("aux\u00a0familles du\u00a0Pays\u00a0de\u00a0L’Aigle"), titles
    beaucaire = next(p for p in documents if p.parts[-2:] == ("CTG-30-2022-BTA", "convention.docx"))
    subtitle = [
        p.text for p in Document(str(beaucaire)).paragraphs if p.style.name == "CTG Sous-titre"
    ]
    assert any("de\u00a0Beaucaire\u00a0Terre\u00a0d’Argence" in t for t in subtitle), subtitle


def test_an_agenda_item_last_on_a_page_is_not_a_heading_left_there(tmp_path: Path) -> None:
    # A compte rendu's agenda lists its points' titles: the page rule reads the next page to
    # tell the agenda's last item from the point's heading (tests/pdf_pages.py).
    source = tmp_path / "ctg.yaml"
    source.write_text(
        REFERENCE.read_text(encoding="utf-8").replace(
            "      - Bilan de la première année de la convention\n",
            "      - Bilan de la première année\n",
        ),
        encoding="utf-8",
    )
    build([source], BuildOptions(output=tmp_path / "out"))
    compte_rendu = next((tmp_path / "out").rglob("2019-02-19-comite_pilotage.docx"))
    titles = headings(compte_rendu)
    title = "1. Bilan de la première année"
    assert title in titles and title in _followers(compte_rendu)[0]  # in the agenda too
    # The agenda's last item, the next page opening on the agenda's next item: no fault.
    assert not _heading_left_last(title, "2. Avancement des fiches actions", titles, compte_rendu)
    # The point's heading, the next page opening on its text: a fault.
    _, after = _followers(compte_rendu)
    assert _heading_left_last(title, after[title][0][:40], titles, compte_rendu)
    # A heading no other paragraph repeats is a fault whatever follows.
    assert _heading_left_last("Points abordés", "Autre chose", titles, compte_rendu)
