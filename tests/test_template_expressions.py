"""A Caf's template whose expressions fail or ask for huge values: a located French message."""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from ctgdocs.errors import TemplateError
from ctgdocs.render import parsed_template
from ctgdocs.resources import bundled_templates
from ctgdocs.xmlfr import xml_reason

from .conftest import REFERENCE, run
from .docx_tools import copy_templates, docx_text, edit_template

TAG = "{{ avenant.numero }}"

FAILING = [
    ("{{ avenant.numero|majuscules }}", "balise illisible (filtre « majuscules » inconnu)"),
    ("{% filter nope %}x{% endfilter %}", "balise illisible (filtre « nope » inconnu)"),
    ("{{ avenant.numero / 0 }}", "expression invalide (division par zéro)"),
    ("{{ 'ab' * avenant.numero * 10**9 }}", "expression refusée : texte ou liste de plus de 1 000 000 éléments"),
    ("{{ range(1000)|list * 10000 }}", "expression refusée : texte ou liste de plus de 1 000 000 éléments"),
    ("{{ 'x'|center(10**10) }}", "expression refusée : nombre supérieur à 1 000 000 passé à une fonction ou à un filtre"),
    ("{{ 'x'.ljust(10**10) }}", "expression refusée : nombre supérieur à 1 000 000 passé à une fonction ou à un filtre"),
    ("{% for i in range(10**9) %}x{% endfor %}", "expression refusée : nombre supérieur à 1 000 000 passé à une fonction ou à un filtre"),
    ("{% for i in range(200000) %}{% endfor %}", "expression refusée : range() compte au plus 100 000 éléments"),
    ("{{ 7 ** 99999 }}", "expression refusée : puissance de plus de 4300 chiffres"),
    ("{{ 10.0 ** 400 }}", "expression refusée : nombre trop grand"),
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "expression refusée : une macro s'appelle sans fin"),
]  # fmt: skip


def templates_with(tmp_path: Path, expression: str) -> Path:
    custom = tmp_path / "modeles"
    custom.mkdir()
    edit_template(
        bundled_templates() / "avenant.docx", custom / "avenant.docx", TAG, expression + TAG
    )
    return custom


@pytest.mark.parametrize("engine", ["rapide", "docxtpl"])
@pytest.mark.parametrize(("expression", "reason"), FAILING)
def test_a_failing_expression_is_named_with_its_paragraph(
    tmp_path: Path, expression: str, reason: str, engine: str
) -> None:
    # Each was « Erreur interne » (a Jinja or Python exception), or filled the memory.
    custom = templates_with(tmp_path, expression)
    out = tmp_path / "out"
    start = time.perf_counter()
    result = run("build", REFERENCE, "-o", out, "--templates", custom, "--engine", engine)
    assert time.perf_counter() - start < 60  # never the minutes a huge value takes
    assert result.exit_code == 3, result.stderr
    assert result.stderr.startswith(
        f"Erreur : modèle {custom / 'avenant.docx'} : {reason} ; partie : corps "
        f"(word/document.xml) ; paragraphe : « Avenant n° {expression}"
    ), result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("{{ avenant.numero|majuscules }}", "filtre « majuscules » inconnu"),
        ("{% if avenant.numero is pair %}x{% endif %}", "test « pair » inconnu"),
    ],
)
def test_templates_check_names_an_unknown_filter_or_test(
    tmp_path: Path, expression: str, reason: str
) -> None:
    custom = copy_templates(bundled_templates(), tmp_path / "modeles")
    edit_template(
        bundled_templates() / "avenant.docx", custom / "avenant.docx", TAG, expression + TAG
    )
    result = run("templates", "check", "--templates", custom)
    assert result.exit_code == 3, result.stderr
    assert (
        f"{custom / 'avenant.docx'}: erreur: balise illisible ({reason}) ; partie : corps "
        "(word/document.xml) ; paragraphe : "
        f"« Avenant n° {expression}"
    ) in result.stdout


def test_small_repetitions_and_powers_still_render(tmp_path: Path) -> None:
    custom = templates_with(tmp_path, "{{ '-' * 3 }}{{ 2 ** 10 }}{{ 'x'|center(5) }}")
    out = tmp_path / "out"
    result = run("build", REFERENCE, "-o", out, "--templates", custom, "--only", "avenants")
    assert result.exit_code == 0, result.stderr
    assert "Avenant n° ---1024  x  1" in docx_text(
        out / "CTG-61-2018-01" / "avenants" / "avenant-1.docx"
    )


def test_an_unknown_filter_does_not_hide_the_other_problems_of_its_part(tmp_path: Path) -> None:
    custom = copy_templates(bundled_templates(), tmp_path / "modeles")
    expression = "{{ avenant.numero|majuscules }}{{ avenant.titre }}"
    edit_template(
        bundled_templates() / "avenant.docx", custom / "avenant.docx", TAG, expression + TAG
    )
    result = run("templates", "check", "--templates", custom)
    assert result.exit_code == 3
    errors = [line for line in result.stdout.splitlines() if ": erreur: " in line]
    assert [line.split(" ; ")[0] for line in errors] == [
        f"{custom / 'avenant.docx'}: erreur: balise illisible (filtre « majuscules » inconnu)",
        f"{custom / 'avenant.docx'}: erreur: variable inconnue « avenant.titre »",
    ]


def write_damaged(path: Path) -> None:
    """The avenant template with 200 bytes of its document part zeroed (a copy cut short)."""
    data = (bundled_templates() / "avenant.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 40
    path.write_bytes(data[:start] + bytes(200) + data[start + 200 :])


def test_a_damaged_template_says_what_to_do_in_french(tmp_path: Path) -> None:
    custom = tmp_path / "modeles"
    custom.mkdir()
    write_damaged(custom / "avenant.docx")
    out = tmp_path / "out"
    result = run("build", REFERENCE, "-o", out, "--templates", custom)
    assert result.exit_code == 3
    assert result.stderr == (
        f"Erreur : modèle {custom / 'avenant.docx'} : archive endommagée ou incomplète, ce n'est "
        "pas un .docx valide : ouvrez-le dans Word et enregistrez-le de nouveau\n"
    )
    assert not out.exists()
    check = run("templates", "check", "--templates", custom)
    assert check.exit_code == 3, check.stdout + check.stderr
    assert (
        f"{custom / 'avenant.docx'}: erreur: modèle illisible : archive endommagée ou incomplète"
        in check.stdout
    )


def test_a_template_that_cannot_be_opened_raises_each_time_it_is_asked_for(tmp_path: Path) -> None:
    # The cache remembered the file before opening it: the second call was a KeyError.
    broken = tmp_path / "avenant.docx"
    write_damaged(broken)
    for _ in range(2):
        with pytest.raises(TemplateError, match="archive endommagée"):
            parsed_template(broken)


@pytest.mark.parametrize("engine", ["rapide", "docxtpl"])
def test_an_error_in_a_header_names_the_header(tmp_path: Path, engine: str) -> None:
    # The message named only « avenant.docx »: a Caf agent searched the body in vain.
    custom = tmp_path / "modeles"
    custom.mkdir()
    edit_template(
        bundled_templates() / "avenant.docx",
        custom / "avenant.docx",
        "{{ avenant.numero }}",
        "{{ avenant.numero / 0 }}",
        part="word/header1.xml",
    )
    out = tmp_path / "out"
    result = run("build", REFERENCE, "-o", out, "--templates", custom, "--engine", engine)
    assert result.exit_code == 3, result.stderr
    assert result.stderr.startswith(
        f"Erreur : modèle {custom / 'avenant.docx'} : expression invalide (division par zéro) "
        "; partie : en-tête (word/header1.xml) ; paragraphe : « "
    ), result.stderr
    assert "{{ avenant.numero / 0 }}" in result.stderr
    assert not out.exists()
    edit_template(
        bundled_templates() / "avenant.docx",
        custom / "avenant.docx",
        "{{ avenant.numero }}",
        "{{ avenant.nombre }}",
        part="word/header1.xml",
    )
    check = run("templates", "check", "--templates", custom)
    assert check.exit_code == 3
    assert (
        f"{custom / 'avenant.docx'}: erreur: variable inconnue « avenant.nombre » ; partie : "
        "en-tête (word/header1.xml) ; paragraphe : « "
    ) in check.stdout


def test_malformed_xml_in_a_template_is_explained_in_french(tmp_path: Path) -> None:
    # « XML illisible (Opening and ending tag mismatch: body line 2 and bodyx, line 2, …) ».
    custom = tmp_path / "modeles"
    custom.mkdir()
    edit_template(
        bundled_templates() / "avenant.docx", custom / "avenant.docx", "</w:body>", "</w:bodyx>"
    )
    out = tmp_path / "out"
    result = run("build", REFERENCE, "-o", out, "--templates", custom, "--only", "avenants")
    assert result.exit_code == 3
    assert re.fullmatch(
        rf"Erreur : modèle {re.escape(str(custom / 'avenant.docx'))} : ce n'est pas un \.docx "
        r"valide : word/document\.xml : XML mal formé ligne \d+, colonne \d+ \(<body> fermée "
        r"par </bodyx>\), après le texte « .*\{%tr endfor %\} » ; ouvrez-le dans Word et "
        r"enregistrez-le de nouveau\n",
        result.stderr,
    ), result.stderr
    assert "mismatch" not in result.stderr
    assert not out.exists()
    check = run("templates", "check", "--templates", custom)
    assert check.exit_code == 3
    assert (
        "avenant.docx: erreur: modèle illisible : ce n'est pas un .docx valide : " in check.stdout
    )
    assert "(<body> fermée par </bodyx>)" in check.stdout


@pytest.mark.parametrize(
    ("xml", "detail"),
    [
        (b"<a>x &y</a>", "« & » sans « ; » : une esperluette s'écrit &amp; en XML"),
        (b"<a>\n<b>texte", "partie coupée avant la fin de la balise <b>"),
        (b"", "partie vide"),
        (b"<w:a/>", "préfixe « w » non déclaré"),
        (b"<a/>x", "texte après la fin de la partie"),
        (b"<a>&#1;</a>", "caractère interdit"),
        (b"<a><![CDATA[x</a>", "détail de libxml2 : CData section not finished"),
    ],
)
def test_libxml2_messages_are_french(xml: bytes, detail: str) -> None:
    with pytest.raises(etree.XMLSyntaxError) as caught:
        etree.fromstring(xml)
    reason = xml_reason(caught.value, xml)
    assert reason.startswith("XML mal formé ligne ")
    assert detail in reason
