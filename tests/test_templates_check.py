"""`ctgdocs templates check`: tags that no longer parse, and variables a context lacks."""

from __future__ import annotations

import os
from pathlib import Path
from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints, is_typeddict

import pytest

from ctgdocs.checking import check_file
from ctgdocs.documents import DOCUMENT_KINDS, plan_documents
from ctgdocs.resources import bundled_templates
from ctgdocs.templates_check import context_shapes

from .conftest import EXAMPLES, FIXTURES, REFERENCE, run
from .docx_tools import copy_templates, edit_template


def test_bundled_templates_pass() -> None:
    result = run("templates", "check")
    assert result.exit_code == 0
    assert result.stdout == "5 modèles vérifiés : aucun problème.\n"


def conforms(value: Any, declared: Any, path: str) -> list[str]:
    """Where a real context departs from its declared type (contextes.py)."""
    if is_typeddict(declared):
        if not isinstance(value, dict):
            return [f"{path} : {type(value).__name__} au lieu d'un bloc"]
        hints = get_type_hints(declared)
        problems = (
            [f"{path} : clés {sorted(set(value) ^ set(hints))}"] if set(value) != set(hints) else []
        )
        return problems + [
            p for k, t in hints.items() if k in value for p in conforms(value[k], t, f"{path}.{k}")
        ]
    origin = get_origin(declared)
    if origin is list:
        if not isinstance(value, list):
            return [f"{path} : {type(value).__name__} au lieu d'une liste"]
        return [
            p
            for i, item in enumerate(value)
            for p in conforms(item, get_args(declared)[0], f"{path}[{i}]")
        ]
    if origin in (Union, UnionType):
        options = [conforms(value, option, path) for option in get_args(declared)]
        return [] if any(not o for o in options) else options[0]
    if origin is Literal:
        return [] if value in get_args(declared) else [f"{path} : {value!r}"]
    if declared is type(None):
        return [] if value is None else [f"{path} : {value!r} au lieu de None"]
    return (
        []
        if type(value) is declared
        else [f"{path} : {type(value).__name__}, pas {declared.__name__}"]
    )


def test_every_context_is_what_its_kind_declares() -> None:
    # templates check reads the declarations: they must say exactly what the documents get.
    kinds = {kind.name: kind.contexte for kind in DOCUMENT_KINDS}
    sources = [*EXAMPLES, *sorted((FIXTURES / "valides").glob("*.yaml"))]
    seen = set()
    for source in sources:
        for document in plan_documents(check_file(source).data or {}):
            seen.add(document.kind)
            assert conforms(document.context, kinds[document.kind], document.kind) == [], source
    assert seen == set(kinds)


def test_declared_contexts_give_the_shapes_templates_are_checked_against() -> None:
    shapes = context_shapes()
    assert set(shapes) == {"convention", "fiches", "suivis", "comptes-rendus", "avenants"}
    article = shapes["convention"]["keys"]["articles"]["item"]
    assert set(article["keys"]) == {"cle", "numero", "titre", "blocs"}
    assert shapes["convention"]["keys"]["consolidee"]["kind"] == "dict"  # Consolidee | None


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
            "fiche-action.docx: erreur: variable inconnue « fiche.titre » ; partie : corps (word/document.xml) ; paragraphe : « {{ fiche.titre }} »",
        ),
        (
            "compte-rendu.docx",
            "{{ s.responsable }}",
            "{{ s.responsable.nom }}",
            "compte-rendu.docx: erreur: « s.responsable.nom » : « nom » n'existe pas ici ; partie : corps (word/document.xml) ; paragraphe : « {{ s.responsable.nom }} »",
        ),
        (
            "avenant.docx",
            "{{ avenant.objet }}",
            "{{ objet }}",
            "avenant.docx: erreur: variable inconnue « objet » ; partie : corps (word/document.xml) ; paragraphe : « Objet : {{ objet }} »",
        ),
        (
            "convention.docx",
            "{{ ctg.reference }}</w:t>",
            "{ctg.reference}</w:t>",
            "convention.docx: erreur: balise à accolades simples : écrivez {{ … }} ; partie : corps (word/document.xml) ; paragraphe : « Référence : {ctg.reference} »",
        ),
        (
            "convention.docx",
            "{{ ctg.sous_titre }}</w:t>",
            "{{ ctg.sous_titre }</w:t>",
            "convention.docx: erreur: balise ouverte et non fermée (ou l'inverse) ; partie : corps (word/document.xml) ; paragraphe : « {{ ctg.sous_titre }{{ periode_majuscule }}{% if consolidee %} »",
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
    *lines, last = result.stdout.splitlines()
    # A note is no problem: without the Open XML validator, one says what was not checked.
    count = sum(": note: " not in line for line in lines)
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


def _special(path: Path, kind: str) -> None:
    if kind == "dossier":
        path.mkdir()
    elif kind == "tube":
        os.mkfifo(path)
    elif kind == "zero":
        path.symlink_to("/dev/zero")
    else:
        path.symlink_to(path.with_name("deplace.docx"))


SPECIAL = [
    ("dossier", "c'est un dossier, pas un fichier"),
    ("tube", "c'est un tube nommé (FIFO), pas un fichier"),
    ("zero", "c'est un périphérique ou un fichier spécial, pas un fichier"),
    ("lien", "lien symbolique cassé"),
]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="tubes et liens POSIX")
@pytest.mark.parametrize(("kind", "reason"), SPECIAL, ids=[k for k, _ in SPECIAL])
def test_a_template_that_is_not_a_file_is_refused_not_replaced(
    tmp_path: Path, kind: str, reason: str
) -> None:
    # Each was silently replaced by ctgdocs' own template (/dev/zero or a pipe could hang).
    custom = tmp_path / "modeles"
    custom.mkdir()
    _special(custom / "avenant.docx", kind)
    check = run("templates", "check", "--templates", custom)
    assert check.exit_code == 3
    assert f"{custom / 'avenant.docx'}: erreur: modèle illisible : {reason}" in check.stdout
    out = tmp_path / "out"
    build = run("build", REFERENCE, "-o", out, "--templates", custom)
    assert build.exit_code == 3
    assert build.stderr.startswith(f"Erreur : modèle {custom / 'avenant.docx'} : {reason}")
    assert "attendu : un fichier .docx" in build.stderr
    assert not out.exists()
