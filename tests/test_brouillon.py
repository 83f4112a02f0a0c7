"""`build --brouillon`: text still « À COMPLÉTER » shows as highlighted blanks in a PROJET."""

from __future__ import annotations

import os
import re
from pathlib import Path

import docx
import pytest

from ctgdocs.brouillon import HIGHLIGHT_END, HIGHLIGHT_START
from ctgdocs.sdk_validation import ValidatorUnavailable, find_validator, validate_files
from ctgdocs.wordml import SUPERSCRIPT_END, SUPERSCRIPT_START, strip_markers, typeset_part

from .conftest import REFERENCE, run

REF = "CTG-30-2026-01"
TYPED = {
    "reference": REF,
    "debut": "2026-01-01",
    "fin": "2029-12-31",
    "civilite": "Madame",
    "date": "2025-12-01",
}


def draft(tmp_path: Path) -> Path:
    """A convention from `init` whose dates, codes and choices are filled, not its texts."""
    path = tmp_path / "brouillon.yaml"
    assert run("init", "--epci", "243000585", "-o", path).exit_code == 0
    text = path.read_text(encoding="utf-8")
    for key, value in TYPED.items():
        text = re.sub(rf'{key}: "À COMPLÉTER[^"]*"', f"{key}: {value}", text)
    path.write_text(text, encoding="utf-8")
    return path


def highlighted(path: Path) -> list[str]:
    document = docx.Document(str(path))
    # Typeset: a no-break space before the colon.
    return [
        run.text.replace("\u00a0", " ")
        for paragraph in document.paragraphs
        for run in paragraph.runs
        if run.font.highlight_color is not None
    ]


def test_draft_builds_with_highlighted_blanks(tmp_path: Path) -> None:
    source = draft(tmp_path)
    out = tmp_path / "out"
    refused = run("build", source, "-o", out)
    assert refused.exit_code == 1 and not out.exists()
    result = run("build", source, "-o", out, "--brouillon")
    assert result.exit_code == 0, result.stderr
    assert (
        f"{source}:44:17: avertissement: parties[0].representants[0].prenom: à compléter "
        "(prénom) : laissé en blanc surligné"
    ) in result.stderr.splitlines()
    convention = out / REF / "convention.docx"
    blanks = highlighted(convention)
    assert "À COMPLÉTER : prénom" in blanks
    assert "À COMPLÉTER : ambition partagée et contexte de la convention." in blanks
    text = "\n".join(p.text for p in docx.Document(str(convention)).paragraphs)
    assert "PROJET" in text
    assert HIGHLIGHT_START not in text and HIGHLIGHT_END not in text
    # Never remembered as done: a build without --brouillon reports the blanks again.
    again = run("build", source, "-o", out)
    assert again.exit_code == 1
    assert "erreur: parties[0].representants[0].prenom: à compléter (prénom)" in again.stderr


def test_draft_documents_are_valid_open_xml(tmp_path: Path) -> None:
    try:
        validator = find_validator()
    except ValidatorUnavailable as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true : le validateur Open XML doit être installé ({exc})")
        pytest.skip(str(exc))
    out = tmp_path / "out"
    assert run("build", draft(tmp_path), "-o", out, "--brouillon").exit_code == 0
    found = validate_files(sorted(out.rglob("*.docx")), validator)
    assert {path.name: errors for path, errors in found.items() if errors} == {}


def test_dates_and_choices_are_never_left_blank(tmp_path: Path) -> None:
    source = draft(tmp_path)
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace("debut: 2026-01-01", 'debut: "À COMPLÉTER : date"'), encoding="utf-8"
    )
    result = run("build", source, "-o", tmp_path / "out", "--brouillon")
    assert result.exit_code == 1
    assert f"{source}:13:12: erreur: convention.periode.debut: à compléter (date)" in result.stderr


def test_a_signed_convention_has_no_blanks(tmp_path: Path) -> None:
    text = REFERENCE.read_text(encoding="utf-8").replace(
        "lieu: Mairie de Rai", 'lieu: "À COMPLÉTER : lieu"'
    )
    source = tmp_path / "signee.yaml"
    source.write_text(text, encoding="utf-8")
    result = run("build", source, "-o", tmp_path / "out", "--brouillon")
    assert result.exit_code == 1
    assert "erreur: reunions[0].prochaine_reunion.lieu: à compléter (lieu)" in result.stderr


def test_highlight_markers_become_run_properties() -> None:
    body = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body><w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Le 1{SUPERSCRIPT_START}er{SUPERSCRIPT_END} {HIGHLIGHT_START}À COMPLÉTER{HIGHLIGHT_END} fin</w:t></w:r>"
        "</w:p></w:body></w:document>"
    )
    xml = typeset_part(body.encode()).decode()
    runs = re.findall(r"<w:r>(.*?)</w:r>", xml)
    assert runs == [
        "<w:rPr><w:b/></w:rPr><w:t>Le 1</w:t>",
        '<w:rPr><w:b/><w:vertAlign w:val="superscript"/></w:rPr><w:t>er</w:t>',
        '<w:rPr><w:b/></w:rPr><w:t xml:space="preserve"> </w:t>',
        '<w:rPr><w:b/><w:highlight w:val="yellow"/></w:rPr><w:t>À COMPLÉTER</w:t>',
        '<w:rPr><w:b/></w:rPr><w:t xml:space="preserve"> fin</w:t>',
    ]
    assert strip_markers(f"{HIGHLIGHT_START}À COMPLÉTER{HIGHLIGHT_END}") == "À COMPLÉTER"
