"""The Open XML SDK validates every template and every document built: Word opens them unrepaired.

One Node process validates all the files (the SDK's start-up costs seconds). Without Node
or the validator (`make ooxml-validator`) the tests skip on a user's machine, never in CI.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

from ctgdocs.builder import BuildOptions, written
from ctgdocs.resources import bundled_templates
from ctgdocs.sdk_validation import (
    SchemaError,
    Validator,
    ValidatorUnavailable,
    find_validator,
    validate_files,
)

from .conftest import EXAMPLES, FIXTURES, REFERENCE, run
from .docx_tools import copy_templates, word_saved

LIBREOFFICE = FIXTURES / "modeles-libreoffice"


@pytest.fixture(scope="module")
def validator() -> Validator:
    try:
        return find_validator()
    except ValidatorUnavailable as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true : le validateur Open XML doit être installé ({exc})")
        pytest.skip(str(exc))


def misordered(source: Path, target: Path) -> Path:
    """A template as an earlier ctgdocs wrote it: keepNext after spacing in a style."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/styles.xml":
                data = re.sub(
                    rb'(w:styleId="CTGArticle".*?)(<w:keepNext/>)(<w:spacing [^>]*/>)',
                    rb"\1\3\2",
                    data,
                    count=1,
                )
            dst.writestr(info, data)
    return target


@pytest.fixture(scope="module")
def results(validator: Validator, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Every file to validate, by a readable name, and its errors as French messages."""
    root = tmp_path_factory.mktemp("schema")
    files = {f"modèle {p.name}": p for p in sorted(bundled_templates().glob("*.docx"))}
    for path in written(EXAMPLES, BuildOptions(output=root / "build")):
        files[str(path.relative_to(root / "build"))] = path
    # A fiche built from the template re-saved by LibreOffice's default filter.
    lo = written(
        [REFERENCE],
        BuildOptions(output=root / "lo", templates=LIBREOFFICE, only=("fiches",)),
    )
    files["fiche (modèle LibreOffice)"] = lo[0]
    # The convention and a fiche built from templates as Word saves them after an edit.
    word = root / "modeles-word"
    word.mkdir()
    for name in ("convention.docx", "fiche-action.docx"):
        word_saved(bundled_templates() / name, word / name)
    built = written(
        [REFERENCE],
        BuildOptions(output=root / "word", templates=word, only=("convention", "fiches")),
    )
    for path in built[:3]:  # the convention, its consolidated version, a fiche
        files[f"{path.name} (modèle Word)"] = path
    files["témoin"] = misordered(bundled_templates() / "convention.docx", root / "temoin.docx")
    found = validate_files(list(files.values()), validator)
    return {name: [e.message() for e in found[path]] for name, path in files.items()}


def test_every_template_and_built_document_is_valid(results: dict[str, list[str]]) -> None:
    assert len(results) == 5 + 22 + 1 + 3 + 1
    assert {name: errors for name, errors in results.items() if errors and name != "témoin"} == {}


def test_the_validator_sees_an_element_out_of_schema_order(results: dict[str, list[str]]) -> None:
    # Proof that the test above can fail: the error the templates had before.
    assert results["témoin"] == [
        "partie word/styles.xml, élément w:pPr (dans w:style n° 12) : élément enfant inattendu "
        "« w:keepNext » (hors de l'ordre du schéma ou interdit ici)"
    ]


def test_messages_name_the_part_and_the_element() -> None:
    error = SchemaError(
        "/word/document.xml",
        "/w:document[1]/w:body[1]/w:tbl[2]/w:tr[1]/w:trPr[1]/w:cantSplit[1]",
        "Sch_AttributeValueDataTypeDetailed",
        "The attribute 'http://schemas.openxmlformats.org/wordprocessingml/2006/main:val' has "
        "invalid value 'true'. The Enumeration constraint failed.",
    )
    assert error.message() == (
        "partie word/document.xml, élément w:cantSplit (dans w:trPr n° 1) : valeur « true » "
        "non permise pour l'attribut « w:val »"
    )


def test_templates_check_validates_a_cafs_own_templates(
    validator: Validator, tmp_path: Path
) -> None:
    # One run: a template to repair, LibreOffice's, and one the render cannot repair.
    custom = tmp_path / "modeles"
    custom.mkdir()
    misordered(bundled_templates() / "convention.docx", custom / "convention.docx")
    shutil.copy(LIBREOFFICE / "fiche-action.docx", custom / "fiche-action.docx")
    with zipfile.ZipFile(bundled_templates() / "avenant.docx") as src:
        files = {info.filename: src.read(info) for info in src.infolist()}
    files["word/document.xml"] = files["word/document.xml"].replace(
        b"<w:body>", b'<w:body><w:p><w:pPr><w:jc w:val="milieu"/></w:pPr></w:p>', 1
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name, data in files.items():
            dst.writestr(name, data)
    (custom / "avenant.docx").write_bytes(out.getvalue())
    result = run("templates", "check", "--templates", custom)
    assert result.exit_code == 3, result.stdout
    lines = result.stdout.splitlines()
    assert (
        f"{custom / 'convention.docx'}: réparé: word/styles.xml : 1 élément de propriétés remis "
        "dans l'ordre du schéma"
    ) in lines
    assert (
        f"{custom / 'fiche-action.docx'}: réparé: type de relation des propriétés du document "
        "(écrit par LibreOffice) corrigé"
    ) in lines
    assert [line for line in lines if ": erreur: " in line] == [
        f"{custom / 'avenant.docx'}: erreur: schéma Open XML : partie word/document.xml, élément "
        "w:jc (dans w:pPr n° 1) : valeur « milieu » non permise pour l'attribut « w:val »"
    ]
    assert lines[-1] == (
        "Échec : 1 problème dans les modèles. Les réparations sont faites dans chaque document "
        "produit ; le modèle reste tel quel."
    )


def test_templates_check_says_when_it_cannot_validate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    custom = copy_templates(bundled_templates(), tmp_path / "modeles")
    # Any program stands for Node here: the validator's folder is what is missing.
    monkeypatch.setenv("CTGDOCS_NODE", sys.executable)
    monkeypatch.setenv("CTGDOCS_OOXML_VALIDATE", str(tmp_path / "absent"))
    result = run("templates", "check", "--templates", custom)
    assert result.exit_code == 0
    first, last = result.stdout.splitlines()
    assert first.startswith(
        f"{custom}: note: conformité au schéma Open XML non vérifiée pour convention.docx, "
        "fiche-action.docx, fiche-suivi.docx, compte-rendu.docx, avenant.docx : validateur "
        "Open XML absent de "
    )
    assert last == "5 modèles vérifiés : aucun problème de balise ou de variable."
