"""Reading generated documents back, and editing templates, for the tests."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from docx import Document

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
