"""Reading generated documents back, and editing templates, for the tests."""

from __future__ import annotations

import copy
import re
import shutil
import zipfile
from pathlib import Path

from docx import Document
from lxml import etree

# What the typesetting pass adds (typographie.composer), folded back for tests of facts:
# the typography itself is tested on the raw text (test_typographie, test_layout).
_TYPOGRAPHY = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2019": "'", "\u2011": "-"})


def plain(text: str) -> str:
    """Text with no-break spaces, typographic apostrophes and hyphens as typed in the YAML."""
    return text.translate(_TYPOGRAPHY)


def docx_text(path: Path, *, raw: bool = False) -> str:
    """Every visible text of a .docx: body paragraphs, table cells, headers and footers.

    Unless `raw`, the typography is folded (see `plain`).
    """
    text = _docx_text(path)
    return text if raw else plain(text)


def _docx_text(path: Path) -> str:
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    for section in document.sections:
        parts.extend(p.text for p in section.header.paragraphs)
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts)


def header_text(path: Path) -> str:
    document = Document(str(path))
    return plain("\n".join(p.text for s in document.sections for p in s.header.paragraphs))


def table_rows(path: Path, index: int) -> list[list[str]]:
    document = Document(str(path))
    return [[plain(cell.text) for cell in row.cells] for row in document.tables[index].rows]


def edit_template(
    source: Path, target: Path, old: str, new: str, part: str = "word/document.xml"
) -> None:
    """Copy a template, replacing `old` by `new` in one of its XML parts."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == part:
                text = data.decode("utf-8")
                assert old in text, f"{old!r} absent de {source.name}"
                data = text.replace(old, new, 1).encode("utf-8")
            dst.writestr(info, data)


def copy_templates(source: Path, target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for template in source.glob("*.docx"):
        shutil.copy(template, target / template.name)
    return target


def built_documents(out: Path) -> dict[str, bytes]:
    """Every .docx of a build folder (not its work folder), by path, with its bytes."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*.docx"))
        if ".ctgdocs-tmp" not in p.parts
    }


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_TAG_PIECES = re.compile(r"(\{[{%#]|[}%#]\}|\s+)")
_EDITED_PARTS = re.compile(r"word/(document|header\d*|footer\d*)\.xml")


def word_saved(source: Path, target: Path) -> Path:
    """A template as Word writes it back after a Caf edited it and saved it.

    There is no Word on a Linux machine, so this reproduces what Word's own files show
    (python-docx's default template, templates sent by Cafs): each edit session's runs
    cut apart and stamped with its `w:rsidR`, proofing marks (`w:proofErr`) around the
    words it does not know, the run language, `w14:paraId` on paragraphs, the `_GoBack`
    bookmark, the session ids listed in the settings, the date it was last printed and
    Word's extended properties.
    The Jinja tags are cut at every delimiter and space, including between the two
    characters of `{{`, the way typing them in Word does.
    """
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if _EDITED_PARTS.fullmatch(info.filename):
                data = _word_edited_part(data, body=info.filename == "word/document.xml")
            elif info.filename == "word/settings.xml":
                data = data.replace(
                    b"</w:rsids>", b'<w:rsid w:val="00E5C0D1"/><w:rsid w:val="00F1A2B3"/></w:rsids>'
                )
            elif info.filename == "docProps/core.xml":
                data = data.replace(
                    b"</cp:coreProperties>",
                    b"<cp:lastPrinted>2025-11-03T09:12:00Z</cp:lastPrinted></cp:coreProperties>",
                )
            elif info.filename == "docProps/app.xml":
                data = (
                    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
                    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/docPropsVTypes"><Template>Normal.dotm</Template>'
                    b"<TotalTime>12</TotalTime><Pages>2</Pages><Words>310</Words>"
                    b"<Characters>1706</Characters><Application>Microsoft Office Word</Application>"
                    b"<DocSecurity>0</DocSecurity><Lines>14</Lines><Paragraphs>4</Paragraphs>"
                    b"<ScaleCrop>false</ScaleCrop><Company>Caf</Company>"
                    b"<LinksUpToDate>false</LinksUpToDate><CharactersWithSpaces>2012</CharactersWithSpaces>"
                    b"<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
                    b"<AppVersion>16.0000</AppVersion></Properties>"
                )
            dst.writestr(info, data)
    return target


def _word_edited_part(data: bytes, *, body: bool) -> bytes:
    root = etree.fromstring(data)
    w = f"{{{_W}}}"
    for number, paragraph in enumerate(root.iter(f"{w}p")):
        paragraph.set(f"{{{_W14}}}paraId", f"{0x1A2B0000 + number:08X}")
        paragraph.set(f"{{{_W14}}}textId", "77777777")
        paragraph.set(f"{w}rsidR", "00E5C0D1")
        paragraph.set(f"{w}rsidRDefault", "00F1A2B3")
    for run in list(root.iter(f"{w}r")):
        texts = run.findall(f"{w}t")
        if len(texts) != 1 or not re.search(r"\{[{%#]", texts[0].text or ""):
            continue
        pieces = [p for p in _TAG_PIECES.split(texts[0].text or "") if p]
        pieces = [c for p in pieces for c in ([p[0], p[1:]] if p[:2] in ("{{", "{%") else [p])]
        for piece in pieces:
            spelled = piece.replace(".", "").replace("_", "").isalnum() and "." in piece
            if spelled:
                run.addprevious(etree.Element(f"{w}proofErr", {f"{w}type": "spellStart"}))
            new = copy.deepcopy(run)
            new.set(f"{w}rsidR", "00E5C0D1")
            properties = new.find(f"{w}rPr")
            if properties is None:
                properties = etree.Element(f"{w}rPr")
                new.insert(0, properties)
            etree.SubElement(properties, f"{w}lang", {f"{w}val": "fr-FR"})
            text = new.find(f"{w}t")
            assert text is not None
            text.text = piece
            if piece != piece.strip():
                text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            run.addprevious(new)
            if spelled:
                run.addprevious(etree.Element(f"{w}proofErr", {f"{w}type": "spellEnd"}))
        parent = run.getparent()
        assert parent is not None
        parent.remove(run)
    if body:
        last = root.find(f"{w}body/{w}p")
        if last is not None:
            last.append(etree.Element(f"{w}bookmarkStart", {f"{w}id": "0", f"{w}name": "_GoBack"}))
            last.append(etree.Element(f"{w}bookmarkEnd", {f"{w}id": "0"}))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
