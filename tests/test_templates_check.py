"""`ctgdocs templates check`: tags that no longer parse, and variables a context lacks."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctgdocs.resources import bundled_templates
from ctgdocs.templates_check import context_shapes

from .conftest import run
from .docx_tools import copy_templates, edit_template


def test_bundled_templates_pass() -> None:
    result = run("templates", "check")
    assert result.exit_code == 0
    assert result.stdout == "5 modèles vérifiés : aucun problème.\n"


def test_examples_cover_every_list_of_every_context() -> None:
    # The check can only verify an item's fields if some example has such an item.
    def walk(shape: dict[str, object], path: str) -> list[str]:
        if shape["kind"] == "any":
            return [path]
        if shape["kind"] == "dict":
            keys = shape["keys"]
            assert isinstance(keys, dict)
            return [p for k, sub in keys.items() for p in walk(sub, f"{path}.{k}")]
        if shape["kind"] == "list":
            item = shape["item"]
            assert isinstance(item, dict)
            return walk(item, f"{path}[]")
        return []

    shapes = context_shapes()
    assert set(shapes) == {"convention", "fiches", "suivis", "comptes-rendus", "avenants"}
    # Blocks of free text (préambule, constat, description, exposé) are paragraphs and
    # bullets, never tables: their table fields stay empty in every document.
    free_text = ("preambule[]", "constat[]", "description[]", "expose[]")
    uncovered = [p for kind, shape in shapes.items() for p in walk(shape, kind)]
    assert [p for p in uncovered if p.split(".")[-2] not in free_text] == []


def broken(tmp_path: Path, template: str, old: str, new: str) -> Path:
    custom = copy_templates(bundled_templates(), tmp_path / "modeles")
    edit_template(bundled_templates() / template, custom / template, old, new)
    return custom


@pytest.mark.parametrize(
    ("template", "old", "new", "message"),
    [
        (
            "fiche-action.docx",
            "{{ fiche.intitule }}",
            "{{ fiche.titre }}",
            "fiche-action.docx: erreur: variable inconnue « fiche.titre » ; paragraphe : « {{ fiche.titre }} »",
        ),
        (
            "compte-rendu.docx",
            "{{ s.responsable }}",
            "{{ s.responsable.nom }}",
            "compte-rendu.docx: erreur: « s.responsable.nom » : « nom » n'existe pas ici ; paragraphe : « {{ s.responsable.nom }} »",
        ),
        (
            "avenant.docx",
            "{{ avenant.objet }}",
            "{{ objet }}",
            "avenant.docx: erreur: variable inconnue « objet » ; paragraphe : « Objet : {{ objet }} »",
        ),
        (
            "convention.docx",
            "{{ ctg.reference }}</w:t>",
            "{ctg.reference}</w:t>",
            "convention.docx: erreur: balise à accolades simples : écrivez {{ … }} ; paragraphe : « Référence : {ctg.reference} »",
        ),
        (
            "convention.docx",
            "{{ ctg.sous_titre }}</w:t>",
            "{{ ctg.sous_titre }</w:t>",
            "convention.docx: erreur: balise ouverte et non fermée (ou l'inverse) ; paragraphe : « {{ ctg.sous_titre }{{ periode_majuscule }}{% if consolidee %} »",
        ),
    ],
    ids=["inconnue", "attribut", "hors-boucle", "accolade-simple", "non-fermee"],
)
def test_broken_template_is_reported(
    tmp_path: Path, template: str, old: str, new: str, message: str
) -> None:
    custom = broken(tmp_path, template, old, new)
    result = run("templates", "check", "--templates", custom)
    assert result.exit_code == 3
    assert f"{custom / message}" in result.stdout.splitlines()
    *issues, last = result.stdout.splitlines()
    count = len(issues)
    assert last == f"Échec : {count} problème{'s' if count > 1 else ''} dans les modèles."


def test_unclosed_block_does_not_parse(tmp_path: Path) -> None:
    custom = broken(tmp_path, "fiche-action.docx", "{%p endif %}", "{%p endfi %}")
    result = run("templates", "check", "--templates", custom)
    assert result.exit_code == 3
    assert "fiche-action.docx: erreur: balise illisible (" in result.stdout


def test_tag_split_across_runs_by_word_still_parses(tmp_path: Path) -> None:
    # Word often cuts "{{ fiche.code }}" into several runs when a template is edited.
    custom = broken(
        tmp_path,
        "fiche-action.docx",
        "{{ fiche.code }}</w:t>",
        '{{ fiche.</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">code }}</w:t>',
    )
    result = run("templates", "check", "--templates", custom)
    assert result.exit_code == 0, result.stdout


def test_not_a_docx(tmp_path: Path) -> None:
    custom = copy_templates(bundled_templates(), tmp_path / "modeles")
    (custom / "avenant.docx").write_text("pas un docx", encoding="utf-8")
    result = run("templates", "check", "--templates", custom)
    assert result.exit_code == 3
    assert "avenant.docx: erreur: modèle illisible" in result.stdout
