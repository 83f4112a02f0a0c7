"""Package repairs (ooxml) and run markup (wordml), on bytes: what every renderer applies."""

from __future__ import annotations

import io
import re
import warnings
import zipfile

import pytest
from docx import Document
from lxml import etree

from ctgdocs.ooxml import CORE_PROPERTIES, W, insert_in_order, repair_template
from ctgdocs.resources import bundled_templates
from ctgdocs.wordml import strip_markers, typeset_part

from .conftest import FIXTURES

LIBREOFFICE = FIXTURES / "modeles-libreoffice" / "fiche-action.docx"
NS = {"w": W}


def entries(blob: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def rezip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_insert_in_order_follows_the_schema() -> None:
    ppr = etree.fromstring(
        f'<w:pPr xmlns:w="{W}"><w:numPr/><w:spacing/><w:outlineLvl w:val="0"/></w:pPr>'
    )
    insert_in_order(ppr, etree.fromstring(f'<w:keepNext xmlns:w="{W}"/>'))
    insert_in_order(ppr, etree.fromstring(f'<w:jc xmlns:w="{W}" w:val="left"/>'))
    insert_in_order(ppr, etree.fromstring(f'<w:outlineLvl xmlns:w="{W}" w:val="1"/>'))
    assert [etree.QName(c).localname for c in ppr] == [
        "keepNext",
        "numPr",
        "spacing",
        "jc",
        "outlineLvl",
    ]
    assert ppr[-1].get(f"{{{W}}}val") == "1"


def test_bundled_templates_need_no_repair() -> None:
    for template in sorted(bundled_templates().glob("*.docx")):
        blob = template.read_bytes()
        assert repair_template(blob) == (blob, ()), template.name


def test_bundled_templates_never_end_on_a_table() -> None:
    # Word adds a paragraph of the body's size after a last table: a blank page when the
    # table (an avenant's signatures) ends its page. Each template ends on a paragraph.
    for template in sorted(bundled_templates().glob("*.docx")):
        body = etree.fromstring(entries(template.read_bytes())["word/document.xml"])[0]
        last = [etree.QName(child).localname for child in body if child.tag != f"{{{W}}}sectPr"]
        assert last[-1] == "p", template.name


def test_libreoffice_default_filter_is_repaired() -> None:
    blob, repairs = repair_template(LIBREOFFICE.read_bytes())
    assert (
        repairs[0] == "type de relation des propriétés du document (écrit par LibreOffice) corrigé"
    )
    assert any("« true »/« false »" in r for r in repairs)
    assert any(r.startswith("word/numbering.xml : ") and "« start »" in r for r in repairs)
    assert CORE_PROPERTIES.encode() in entries(blob)["_rels/.rels"]
    # python-docx now finds the core properties instead of adding a second core.xml.
    document = Document(io.BytesIO(blob))
    document.core_properties.title = "Fiche"
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        document.save(out)
    names = [info.filename for info in zipfile.ZipFile(out).infolist()]
    assert names.count("docProps/core.xml") == 1
    assert repair_template(blob)[1] == ()  # idempotent


def test_stale_parts_and_schema_order_of_older_templates_are_repaired() -> None:
    # A Caf's template made by an earlier ctgdocs: Word 2010's styles copy, a thumbnail,
    # keepNext written after spacing.
    files = entries((bundled_templates() / "convention.docx").read_bytes())
    rels = files["word/_rels/document.xml.rels"].decode()
    files["word/_rels/document.xml.rels"] = rels.replace(
        "</Relationships>",
        '<Relationship Id="rId99" Type="http://schemas.microsoft.com/office/2007/relationships/'
        'stylesWithEffects" Target="stylesWithEffects.xml"/></Relationships>',
    ).encode()
    files["word/stylesWithEffects.xml"] = files["word/styles.xml"]
    types = files["[Content_Types].xml"].decode()
    files["[Content_Types].xml"] = types.replace(
        "</Types>",
        '<Override PartName="/word/stylesWithEffects.xml" ContentType="application/'
        'vnd.ms-word.stylesWithEffects+xml"/></Types>',
    ).encode()
    styles = files["word/styles.xml"].decode()
    article = re.search(r'w:styleId="CTGArticle".*?(<w:keepNext/>)(<w:spacing [^>]*/>)', styles)
    assert article is not None
    ordered = article[1] + article[2]
    files["word/styles.xml"] = styles.replace(ordered, article[2] + article[1], 1).encode()
    blob, repairs = repair_template(rezip(files))
    assert repairs == (
        "partie word/stylesWithEffects.xml retirée : copie périmée des styles (Word 2010), "
        "sans les styles CTG",
        "word/styles.xml : 1 élément de propriétés remis dans l'ordre du schéma",
    )
    repaired = entries(blob)
    assert "word/stylesWithEffects.xml" not in repaired
    assert b"stylesWithEffects" not in repaired["word/_rels/document.xml.rels"]
    assert b"stylesWithEffects" not in repaired["[Content_Types].xml"]
    assert ordered.encode() in repaired["word/styles.xml"]


def test_not_a_package_raises() -> None:
    with pytest.raises(zipfile.BadZipFile):
        repair_template(b"pas un docx")


PART = (
    f'<w:document xmlns:w="{W}"><w:body><w:p>'
    '<w:r><w:rPr><w:b/><w:sz w:val="20"/></w:rPr>'
    "<w:t>du 1\ue000er\ue001\u00a0janvier à Gevrey\u2011Chambertin</w:t></w:r>"
    "</w:p></w:body></w:document>"
).encode()


def test_markers_become_a_superscript_run_and_no_break_hyphens() -> None:
    root = etree.fromstring(typeset_part(PART))
    runs = root.findall(".//w:r", NS)
    assert [etree.tostring(r, encoding="unicode").count("<w:b/>") for r in runs] == [1, 1, 1]
    assert [r.find("w:rPr/w:vertAlign", NS) is not None for r in runs] == [False, True, False]
    # vertAlign sits after sz in the run properties, as the schema wants.
    assert [etree.QName(c).localname for c in runs[1].find("w:rPr", NS)] == ["b", "sz", "vertAlign"]
    assert [etree.QName(c).localname for c in runs[2]] == ["rPr", "t", "noBreakHyphen", "t"]
    assert "".join(root.itertext()) == "du 1er\u00a0janvier à GevreyChambertin"


def test_word_text_of_a_typeset_part_reads_as_typed() -> None:
    files = entries((bundled_templates() / "fiche-action.docx").read_bytes())
    files["word/document.xml"] = typeset_part(PART)
    document = Document(io.BytesIO(rezip(files)))
    assert document.paragraphs[0].text == "du 1er\u00a0janvier à Gevrey-Chambertin"


def test_part_without_markers_is_returned_as_is() -> None:
    part = f'<w:document xmlns:w="{W}"><w:body/></w:document>'.encode()
    assert typeset_part(part) is part


def test_strip_markers() -> None:
    assert strip_markers("1\ue000er\ue001 mai à Saint\u2011Lô") == "1er mai à Saint-Lô"
