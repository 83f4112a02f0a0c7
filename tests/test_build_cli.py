"""`ctgdocs build`: what it writes, what it refuses, and the same bytes every time."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ctgdocs.resources import bundled_templates

from .conftest import EXAMPLES, FIXTURES, MINIMALE, REFERENCE, run
from .docx_tools import copy_templates, docx_text, edit_template, header_text


def digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_build_prints_what_it_wrote(tmp_path: Path) -> None:
    result = run("build", REFERENCE, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert f"écrit : {tmp_path / 'out' / 'CTG-61-2018-01' / 'convention.docx'}" in lines
    assert lines[-1] == f"8 documents écrits dans {tmp_path / 'out'}."
    # The reference's avenant is signed without deliberations for it: warnings, not errors.
    warnings = result.stderr.splitlines()
    assert len(warnings) == 7
    assert "en vigueur le 28 juin 2018, celle de 2018-2022" in warnings[0]
    assert "la MSA signe la convention sans que l'acte dise ce qui l'y autorise" in warnings[1]
    assert "la fiche FA-3.1, annexée à la convention signée" in warnings[2]
    assert "Martine Leroy signe l'avenant n° 1 pour la commune de Rai" in warnings[3]
    assert all("sans délibération pour cet avenant" in line for line in warnings[4:])


def test_same_input_same_bytes(tmp_path: Path) -> None:
    assert run("build", *EXAMPLES, "-o", tmp_path / "a").exit_code == 0
    assert run("build", *EXAMPLES, "-o", tmp_path / "b").exit_code == 0
    first, second = digests(tmp_path / "a"), digests(tmp_path / "b")
    assert len([name for name in first if name.endswith(".docx")]) == 22
    assert "manifest.json" in first
    assert first == second  # documents and manifest alike


def test_zip_entries_have_fixed_times_and_no_leaks(tmp_path: Path) -> None:
    run("build", REFERENCE, "-o", tmp_path)
    path = tmp_path / "CTG-61-2018-01" / "avenants" / "avenant-1.docx"
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
        app = archive.read("docProps/app.xml").decode()
    assert "docProps/thumbnail.jpeg" not in names
    assert "Microsoft" not in app and "<Application>ctgdocs</Application>" in app
    assert "<dc:creator>ctgdocs</dc:creator>" in core
    assert "<cp:lastModifiedBy>ctgdocs</cp:lastModifiedBy>" in core
    assert "2020-01-23T00:00:00Z" in core  # the avenant's signature date, not today
    assert "lastPrinted" not in core  # never printed, whatever its date
    # Typeset as the document's text: one apostrophe style, « n° » kept with its number.
    assert "<dc:title>Avenant n°\u00a01 à la convention territoriale globale" in core
    assert "du Pays de L\u2019Aigle</dc:title>" in core
    assert "<dc:subject>Convention territoriale globale CTG-61-2018-01</dc:subject>" in core


def test_invalid_convention_writes_nothing(tmp_path: Path) -> None:
    fixture = FIXTURES / "invalides" / "references.yaml"
    validate = run("validate", fixture)
    result = run("build", REFERENCE, fixture, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert result.stdout == ""
    # The same messages as validate, then one line saying nothing was written.
    reference = run("validate", REFERENCE).stdout.splitlines()[:-1]
    assert result.stderr.splitlines()[:-1] == reference + validate.stdout.splitlines()[:-1]
    assert "Aucun document n'a été écrit" in result.stderr.splitlines()[-1]
    assert not (tmp_path / "out").exists()


def test_special_characters_in_every_document(tmp_path: Path) -> None:
    name = 'Convention « Familles & <Enfance> » d’Argence "2022"'
    text = REFERENCE.read_text(encoding="utf-8").replace(
        "intitule: Convention territoriale globale de services aux familles du Pays de L'Aigle",
        f"intitule: '{name}'",
    )
    source = tmp_path / "speciale.yaml"
    source.write_text(text, encoding="utf-8")
    assert run("build", source, "-o", tmp_path / "out").exit_code == 0
    documents = sorted((tmp_path / "out").rglob("*.docx"))
    assert len(documents) == 8
    # Straight quotes are printed as French ones; docx_text folds ’ back to '.
    name = "Convention « Familles & <Enfance> » d'Argence « 2022 »"
    for document in documents:
        # Running text lowers the first letter ("à la convention « … »"); the rest is as typed.
        assert name[1:] in docx_text(document), document.name
        if "avenant" not in document.name:
            assert name in header_text(document), document.name
    assert f"à la c{name[1:]}" in docx_text(
        tmp_path / "out" / "CTG-61-2018-01" / "avenants" / "avenant-1.docx"
    )


def test_only_some_kinds(tmp_path: Path) -> None:
    result = run("build", REFERENCE, "-o", tmp_path, "--only", "fiches,avenants")
    assert result.exit_code == 0
    built = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.docx"))
    assert built == [
        "CTG-61-2018-01/avenants/avenant-1.docx",
        "CTG-61-2018-01/fiches-actions/FA-1.1.docx",
        "CTG-61-2018-01/fiches-actions/FA-2.1.docx",
        "CTG-61-2018-01/fiches-actions/FA-3.1.docx",
    ]


def test_only_unknown_kind_is_usage_error(tmp_path: Path) -> None:
    result = run("build", REFERENCE, "-o", tmp_path, "--only", "fiche")
    assert result.exit_code == 2
    assert (
        "type inconnu fiche (vouliez-vous dire fiches ?) ; types possibles : convention, "
        "fiches, suivis, comptes-rendus, avenants" in result.stderr
    )


def test_jobs_below_one_is_usage_error_in_french(tmp_path: Path) -> None:
    result = run("build", REFERENCE, "-o", tmp_path, "--jobs", "0")
    assert result.exit_code == 2
    assert "Valeur invalide pour '-j' / '--jobs' : 0 ne convient pas : au moins 1." in result.stderr
    assert not any(tmp_path.iterdir())
    assert "[au moins 1]" in run("build", "--help").stdout


def test_custom_templates_fall_back_to_bundled(tmp_path: Path) -> None:
    custom = tmp_path / "modeles"
    custom.mkdir()
    edit_template(
        bundled_templates() / "fiche-action.docx",
        custom / "fiche-action.docx",
        "Objectifs</w:t>",
        "Objectifs de la Caf du Gard</w:t>",
    )
    result = run("build", REFERENCE, "-o", tmp_path / "out", "--templates", custom)
    assert result.exit_code == 0, result.stderr
    folder = tmp_path / "out" / "CTG-61-2018-01"
    assert "Objectifs de la Caf du Gard" in docx_text(folder / "fiches-actions" / "FA-1.1.docx")
    assert (
        "Article"
        not in docx_text(folder / "convention.docx").split("Objet de la convention")[0][-5:]
    )
    assert (folder / "convention.docx").exists()  # from the bundled template


def test_missing_templates_folder(tmp_path: Path) -> None:
    result = run("build", REFERENCE, "-o", tmp_path, "--templates", tmp_path / "absent")
    assert result.exit_code == 2
    assert "--templates" in result.stderr and "dossier introuvable" in result.stderr


def test_templates_given_as_a_file(tmp_path: Path) -> None:
    # A user pointing --templates at the template itself was told it could not be found.
    template = tmp_path / "convention.docx"
    template.write_bytes(b"")
    for command in (["build", REFERENCE, "-o", tmp_path / "out"], ["templates", "check"]):
        result = run(*command, "--templates", template)
        assert result.exit_code == 2
        assert result.stderr == (
            f"Erreur : --templates {template} : c'est un fichier ; donnez le dossier des modèles\n"
        )
    assert not (tmp_path / "out").exists()


def test_unknown_variable_in_template_stops_with_code_3(tmp_path: Path) -> None:
    custom = copy_templates(bundled_templates(), tmp_path / "modeles")
    edit_template(
        bundled_templates() / "compte-rendu.docx",
        custom / "compte-rendu.docx",
        "{{ reunion.lieu }}",
        "{{ reunion.salle }}",
    )
    result = run("build", REFERENCE, "-o", tmp_path / "out", "--templates", custom)
    assert result.exit_code == 3
    assert f"modèle {custom / 'compte-rendu.docx'} : variable inconnue" in result.stderr
    assert "salle" in result.stderr
    assert (
        "partie : corps (word/document.xml) ; paragraphe : « {{ reunion.salle }} »" in result.stderr
    )
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("engine", ["rapide", "docxtpl"])
def test_unclosed_tag_before_a_paragraph_tag_stops_with_code_3(tmp_path: Path, engine: str) -> None:
    # docxtpl reads « {{ ctg.reference ]] » up to the next « }} », past the {%p if consolidee %}
    # that follows it, and dropped the paragraphs in between without a word.
    custom = copy_templates(bundled_templates(), tmp_path / "modeles")
    edit_template(
        bundled_templates() / "convention.docx",
        custom / "convention.docx",
        "{{ ctg.reference }}</w:t>",
        "{{ ctg.reference ]]</w:t>",
    )
    message = (
        f"modèle {custom / 'convention.docx'} : balise illisible (balise ouverte et non fermée "
        "(ou l'inverse)) ; partie : corps (word/document.xml) ; paragraphe : « Référence : "
        "{{ ctg.reference ]] »"
    )
    result = run(
        "build", REFERENCE, "-o", tmp_path / "out", "--templates", custom, "--engine", engine
    )
    assert result.exit_code == 3
    assert message in result.stderr
    assert not (tmp_path / "out").exists()
    checked = run("templates", "check", "--templates", custom)
    assert checked.exit_code == 3
    assert checked.stdout.splitlines()[:1] == [
        f"{custom / 'convention.docx'}: erreur: balise ouverte et non fermée (ou l'inverse) ; "
        "partie : corps (word/document.xml) ; paragraphe : « Référence : {{ ctg.reference ]] »"
    ]


def test_unparsable_tag_stops_with_code_3(tmp_path: Path) -> None:
    custom = copy_templates(bundled_templates(), tmp_path / "modeles")
    edit_template(
        bundled_templates() / "avenant.docx",
        custom / "avenant.docx",
        "{{ avenant.objet }}",
        "{{ avenant.objet ]]",
    )
    result = run("build", REFERENCE, "-o", tmp_path / "out", "--templates", custom)
    assert result.exit_code == 3
    assert re.search(
        r"modèle .*avenant\.docx : balise illisible \(.*\) ; partie : corps "
        r"\(word/document\.xml\) ; paragraphe : « Objet : \{\{ avenant",
        result.stderr,
    )


def test_unwritable_output_keeps_others_and_names_what_failed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "CTG-61-2018-01").mkdir(parents=True)
    # A file where the fiches folder should be: those three documents cannot be written.
    (out / "CTG-61-2018-01" / "fiches-actions").write_text("occupé", encoding="utf-8")
    result = run("build", REFERENCE, "-o", out)
    assert result.exit_code == 1
    assert "Erreur : 3 documents non produits :" in result.stderr
    assert "FA-1.1.docx : écriture impossible" in result.stderr
    assert (out / "CTG-61-2018-01" / "convention.docx").exists()
    assert (out / "CTG-61-2018-01" / "avenants" / "avenant-1.docx").exists()
    assert not list(out.rglob("*.tmp"))


def test_file_names_from_data_are_sanitised(tmp_path: Path) -> None:
    text = MINIMALE.read_text(encoding="utf-8").replace(
        "reference: CTG-30-TEST", "reference: CTG 30 (été)"
    )
    text += (
        "fiches_actions:\n"
        '  - {code: "FA 1 : petite enfance", axe: A1, intitule: Créer un RPE, objectifs: [Informer],\n'
        "     pilote: {partie: cc}, calendrier: {debut: 2022-09-01, fin: 2024-06-30}, statut: en_cours}\n"
    )
    source = tmp_path / "noms.yaml"
    source.write_text(text, encoding="utf-8")
    result = run("build", source, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    assert (
        tmp_path / "out" / "CTG-30-ete" / "fiches-actions" / "FA-1-petite-enfance.docx"
    ).exists()


def test_two_conventions_with_one_reference_are_refused(tmp_path: Path) -> None:
    shutil.copy(REFERENCE, tmp_path / "copie.yaml")
    result = run("build", REFERENCE, tmp_path / "copie.yaml", "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "serait écrit deux fois" in result.stderr
    assert not (tmp_path / "out").exists()


def test_broken_template_in_parallel_workers_stops_with_code_3(tmp_path: Path) -> None:
    custom = copy_templates(bundled_templates(), tmp_path / "modeles")
    edit_template(
        bundled_templates() / "fiche-action.docx",
        custom / "fiche-action.docx",
        "{{ fiche.code }}",
        "{{ fiche.numero }}",
    )
    result = run("build", *EXAMPLES, "-o", tmp_path / "out", "--templates", custom, "--jobs", "2")
    assert result.exit_code == 3
    assert f"modèle {custom / 'fiche-action.docx'} : variable inconnue" in result.stderr
    assert not (tmp_path / "out").exists()


# Ctrl-C while Python loads ctgdocs (most of a second), before any command runs: stands in
# for the signal, raised where it lands most often, in the import of the pipeline.
_CTRL_C_WHILE_LOADING = """
import sys
class CtrlC:
    def find_spec(self, name, path=None, target=None):
        if name == "ctgdocs.pipeline":
            raise KeyboardInterrupt
sys.meta_path.insert(0, CtrlC())
sys.argv = ["ctgdocs", "validate", sys.argv[1]]
from ctgdocs.cli import main
main()
"""


def test_ctrl_c_while_ctgdocs_loads_is_an_interruption() -> None:
    child = subprocess.run(
        [sys.executable, "-c", _CTRL_C_WHILE_LOADING, str(REFERENCE)],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (child.returncode, child.stdout, child.stderr) == (130, "", "Interrompu.\n")
