"""What Word would repair in a package and the Open XML SDK's schema check lets through.

`tests/word_repair.py` checks the whole package (ids across parts, references, tables,
fields, zip entries); here it runs on the templates and on every document of the example
conventions, and each of its checks is shown to fail on a document broken on purpose.
"""

from __future__ import annotations

import io
import re
import shutil
import warnings
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from ctgdocs.builder import BuildOptions, written
from ctgdocs.resources import bundled_templates
from ctgdocs.wordml import W, _unique_bookmarks

from .conftest import EXAMPLES, FIXTURES, REFERENCE
from .docx_tools import copy_templates, edit_template, word_saved
from .signataires import with_blocks
from .word_repair import CHECKS, problems


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Every document of the example conventions, and the acts with many signatories
    (from nine blocks, the signatures go on rows that break: wordml._split_signatures)."""
    root = tmp_path_factory.mktemp("word")
    paths = written(EXAMPLES, BuildOptions(output=root / "exemples"))
    documents = {str(p.relative_to(root)): p.read_bytes() for p in paths}
    for blocks in (9, 30):
        source = with_blocks(root / f"blocs-{blocks}", blocks)
        for path in written([source], BuildOptions(output=root / f"build-{blocks}")):
            documents[str(path.relative_to(root))] = path.read_bytes()
    return documents


@pytest.fixture(scope="module")
def from_edited_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The documents of the reference from its templates as Word saves them after an edit,
    and its fiches from the fiche template as LibreOffice saves it."""
    root = tmp_path_factory.mktemp("modeles")
    word = root / "word"
    word.mkdir()
    for template in bundled_templates().glob("*.docx"):
        word_saved(template, word / template.name)
    libreoffice = copy_templates(bundled_templates(), root / "libreoffice")
    shutil.copy(FIXTURES / "modeles-libreoffice" / "fiche-action.docx", libreoffice)
    paths = written([REFERENCE], BuildOptions(output=root / "par-word", templates=word))
    paths += written(
        [REFERENCE],
        BuildOptions(output=root / "par-lo", templates=libreoffice, only=("fiches",)),
    )
    return {str(p.relative_to(root)): p.read_bytes() for p in paths}


def _messages(blob: bytes) -> list[str]:
    return [str(p) for p in problems(blob)]


def test_no_template_needs_repair() -> None:
    templates = sorted(bundled_templates().glob("*.docx"))
    assert len(templates) == 5
    assert {t.name: _messages(t.read_bytes()) for t in templates} == {t.name: [] for t in templates}


def test_no_built_document_needs_repair(built: dict[str, bytes]) -> None:
    assert len(built) > 22
    kinds = {name.split("/")[-2] for name in built}
    assert {"fiches-actions", "fiches-suivi", "comptes-rendus", "avenants"} <= kinds
    assert {name: m for name, blob in built.items() if (m := _messages(blob))} == {}


def test_no_document_of_templates_word_or_libreoffice_saved_needs_repair(
    from_edited_templates: dict[str, bytes],
) -> None:
    # Word numbers every paragraph (w14:paraId, unique in its part): a loop of the template
    # repeated its paragraphs and their ids, 1,075 duplicates in these documents.
    assert len(from_edited_templates) == 8 + 3
    found = {name: _messages(blob) for name, blob in from_edited_templates.items()}
    assert {name: m for name, m in found.items() if m} == {}


def test_numbering_levels_name_styles_of_the_package() -> None:
    # python-docx's blank document linked nine list levels to « List Bullet », « List
    # Number »… styles that the templates' authoring drops: every template named them.
    for template in bundled_templates().glob("*.docx"):
        with zipfile.ZipFile(template) as archive:
            numbering = archive.read("word/numbering.xml")
        assert re.findall(rb'<w:num w:numId="(\d+)"', numbering) == [b"90", b"91", b"92"]
        assert b"ListBullet" not in numbering
        assert b"ListNumber" not in numbering


# --- each check fails on a document broken for it -----------------------------------------


def _convention(built: dict[str, bytes]) -> bytes:
    return built["exemples/CTG-61-2018-01/convention.docx"]  # the reference, pays-de-laigle


def _rewrite(
    blob: bytes,
    part: str,
    old: str,
    new: str,
    *,
    count: int = 1,
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """The package with `old` replaced by `new` in `part` (which must hold it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blob)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == part:
                text = data.decode("utf-8")
                assert old in text, f"{old!r} absent de {part}"
                data = text.replace(old, new, count).encode("utf-8")
            dst.writestr(info, data, zipfile.ZIP_DEFLATED)
        for name, data in (extra or {}).items():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # a duplicate name, on purpose
                dst.writestr(name, data)
    return out.getvalue()


_DOC = "word/document.xml"
_DRAWING = (
    '<w:r><w:drawing><wp:inline><wp:extent cx="1" cy="1"/><wp:docPr id="{}" name="Logo"/>'
    "</wp:inline></w:drawing></w:r>"
)
_FIRST_P = "<w:body><w:p>"
_FIRST_RUN = '<w:r><w:rPr/><w:t xml:space="preserve">Convention territoriale globale</w:t></w:r>'
_END_P = '<w:p><w:pPr><w:pStyle w:val="CTGCentré"/></w:pPr></w:p>'
# One broken document per check: (part, old, new, what the problem says).
BROKEN = {
    "drawing-ids": (
        "word/header1.xml",
        "</w:r></w:p></w:hdr>",
        "</w:r>" + _DRAWING.format(1) + "</w:p></w:hdr>",
        "id=1 déjà dans word/document.xml",
    ),
    "bookmarks": (_DOC, _FIRST_RUN, '<w:bookmarkStart w:id="3" w:name="titre"/>' + _FIRST_RUN, "signet 3"),
    "notes": (_DOC, _FIRST_RUN, _FIRST_RUN + '<w:r><w:footnoteReference w:id="2"/></w:r>', "note absente"),
    "numbering": (_DOC, '<w:pStyle w:val="CTGTitre"/>', '<w:pStyle w:val="CTGTitre"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="7"/></w:numPr>', "w:numId 7 sans w:num"),
    "styles": (_DOC, '<w:pStyle w:val="CTGTitre"/>', '<w:pStyle w:val="Titre1"/>', "style Titre1 absent"),
    "references": (_DOC, 'r:id="rId9"', 'r:id="rId99"', "rId99 absent des relations"),
    "relationships": ("word/_rels/document.xml.rels", 'Target="footer2.xml"', 'Target="footer9.xml"', "cible absente"),
    "content-types": ("[Content_Types].xml", '<Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>', "", "type application/xml, pas application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"),
    "tables": (_DOC, '<w:gridCol w:w="2268"/></w:tblGrid>', "</w:tblGrid>", "1 w:gridCol pour des lignes de [2] colonnes"),
    "sections": (_DOC, "</w:sectPr></w:body>", "</w:sectPr>" + _END_P + "</w:body>", "w:sectPr n'est pas le dernier"),
    "fields": (_DOC, _FIRST_RUN, _FIRST_RUN + '<w:r><w:fldChar w:fldCharType="begin"/></w:r>', "sans w:fldChar end"),
    "hyperlinks": (_DOC, _FIRST_RUN, f'<w:hyperlink w:anchor="annexe">{_FIRST_RUN}</w:hyperlink>', "signet absent"),
    "text": (_DOC, '<w:t xml:space="preserve">Convention territoriale globale</w:t>', "<w:t>Convention territoriale </w:t>", "espace de bord"),
    "namespaces": (_DOC, 'mc:Ignorable="w14 wp14"', 'mc:Ignorable="w14 wp14 w15"', "mc:Ignorable nomme w15"),
    "xml": (_DOC, "Convention territoriale globale<", "Convention&#11; territoriale globale<", "XML mal formé"),
    "core-properties": ("docProps/core.xml", "2018-06-28T00:00:00Z</dcterms:created>", "28/06/2018</dcterms:created>", "date non W3CDTF"),
    "app-properties": ("docProps/app.xml", "</Application>", "</Application><Pages>deux</Pages>", "nombre attendu"),
    "long-hex-ids": (_DOC, _FIRST_P, '<w:body><w:p w14:paraId="80000001">', "≥ 0x80000000"),
    "change-ids": (_DOC, _FIRST_RUN, f'<w:ins w:id="4" w:author="a">{_FIRST_RUN}</w:ins><w:ins w:id="4" w:author="a"/>', "id=4 déjà"),
    "comments": (_DOC, _FIRST_RUN, _FIRST_RUN + '<w:r><w:commentReference w:id="0"/></w:r>', "commentaire absent"),
}  # fmt: skip


@pytest.mark.parametrize("check", sorted(BROKEN))
def test_each_check_finds_what_it_looks_for(built: dict[str, bytes], check: str) -> None:
    part, old, new, said = BROKEN[check]
    blob = _convention(built)
    if check == "drawing-ids":  # a logo in the body and the same id in the header
        blob = _rewrite(blob, _DOC, _FIRST_RUN, _FIRST_RUN + _DRAWING.format(1))
    found = problems(_rewrite(blob, part, old, new))
    assert [p.check for p in found] == [check], [str(p) for p in found]
    assert said in found[0].message


def test_the_zip_check_sees_a_duplicated_entry(built: dict[str, bytes]) -> None:
    blob = _convention(built)
    twice = _rewrite(
        blob, "docProps/app.xml", "ctgdocs", "ctgdocs", extra={"docProps/app.xml": b""}
    )
    assert [str(p) for p in problems(twice) if p.check == "zip"] == [
        "[zip] docProps/app.xml : entrée présente 2 fois"
    ]


def test_the_table_checks_see_a_row_without_cell_and_a_cell_ending_on_a_table(
    built: dict[str, bytes],
) -> None:
    blob = _convention(built)
    no_cell = _rewrite(blob, _DOC, "</w:tr></w:tbl>", "</w:tr><w:tr/></w:tbl>")
    assert [p.message[:19] for p in problems(no_cell)] == ["ligne sans cellule "]
    nested = "<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/></w:tblGrid><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>"
    ending = _rewrite(
        blob, _DOC, "</w:p></w:tc></w:tr></w:tbl>", "</w:p>" + nested + "</w:tc></w:tr></w:tbl>"
    )
    assert [p.message[:32] for p in problems(ending)] == ["cellule qui ne finit pas par w:p"]


def test_every_check_is_exercised() -> None:
    assert set(CHECKS) == {*BROKEN, "zip"}


def test_the_section_check_sees_a_section_ending_in_a_cell(built: dict[str, bytes]) -> None:
    blob = _convention(built)
    in_cell = _rewrite(
        blob,
        _DOC,
        "</w:p></w:tc></w:tr></w:tbl>",
        "<w:pPr><w:sectPr/></w:pPr></w:p></w:tc></w:tr></w:tbl>",
    )
    assert [p.message[:20] for p in problems(in_cell)] == ["w:sectPr hors du cor"]


def _convention_with_a_looped(tmp_path: Path, marks: str, engine: str = "rapide") -> bytes:
    """The reference's convention from a template whose loop over the parties' names holds
    `marks` in its repeated paragraph."""
    templates = copy_templates(bundled_templates(), tmp_path / "modeles")
    loop = '{%p for nom in parties_en_titre %}</w:t></w:r></w:p><w:p><w:pPr><w:pStyle w:val="CTGSous-titre"/></w:pPr>'
    edit_template(
        bundled_templates() / "convention.docx", templates / "convention.docx", loop, loop + marks
    )
    options = BuildOptions(
        output=tmp_path / "out", templates=templates, only=("convention",), engine=engine
    )
    return written([REFERENCE], options)[0].read_bytes()


def test_a_go_back_bookmark_in_a_loop_is_not_repeated(tmp_path: Path) -> None:
    # Word keeps the place of the last edit in a hidden bookmark, _GoBack: in a paragraph
    # of a loop it came out once per party, each time with the same w:id.
    go_back = '<w:bookmarkStart w:id="0" w:name="_GoBack"/><w:bookmarkEnd w:id="0"/>'
    assert _messages(_convention_with_a_looped(tmp_path, go_back)) == []


@pytest.mark.parametrize("engine", ["rapide", "docxtpl"])
def test_a_bookmark_in_a_loop_gets_an_id_and_a_name_of_its_own(tmp_path: Path, engine: str) -> None:
    # A bookmark the template's author placed in a paragraph of a loop came out once per
    # party with the same w:id and w:name: Word repairs such a document.
    mark = '<w:bookmarkStart w:id="7" w:name="partie"/><w:bookmarkEnd w:id="7"/>'
    blob = _convention_with_a_looped(tmp_path, mark, engine)
    assert _messages(blob) == []
    body = zipfile.ZipFile(io.BytesIO(blob)).read("word/document.xml").decode()
    names = re.findall(r'<w:bookmarkStart w:id="(\d+)" w:name="([^"]+)"/>', body)
    assert len(names) >= 3
    assert names[:3] == [("7", "partie"), ("8", "partie_2"), ("9", "partie_3")]
    ends = re.findall(r'<w:bookmarkEnd w:id="(\d+)"/>', body)
    assert ends == [i for i, _ in names]


def test_bookmark_names_differing_only_by_case_are_made_unique() -> None:
    # Word compares bookmark names whatever their case: « Sig » and « sig » clash.
    marks = "".join(
        f'<w:p><w:bookmarkStart w:id="{i}" w:name="{name}"/><w:bookmarkEnd w:id="{i}"/></w:p>'
        for i, name in (("1", "Sig"), ("2", "sig"), ("2", "sig"))
    )
    root = etree.fromstring(f'<w:body xmlns:w="{W}">{marks}</w:body>')
    _unique_bookmarks(root)
    starts = [
        (s.get(f"{{{W}}}id"), s.get(f"{{{W}}}name")) for s in root.iter(f"{{{W}}}bookmarkStart")
    ]
    ends = [e.get(f"{{{W}}}id") for e in root.iter(f"{{{W}}}bookmarkEnd")]
    assert starts == [("1", "Sig"), ("2", "sig_2"), ("3", "sig_3")]
    assert ends == ["1", "2", "3"]
