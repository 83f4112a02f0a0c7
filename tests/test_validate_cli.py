"""`ctgdocs validate`: exit codes, strict mode, JSON, folders, and French usage errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ctgdocs.validation import _bad_value, _rules_at, describe

from .conftest import EXAMPLES, FIXTURES, REFERENCE, run

SHARED_REFERENCE = REFERENCE.parent.parent.parent / "shared" / "reference" / REFERENCE.name


def test_examples_validate_without_errors() -> None:
    assert len(EXAMPLES) >= 3
    result = run("validate", *EXAMPLES)
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines()[-1].startswith(
        f"Validation réussie : {len(EXAMPLES)} fichiers, 0 erreur"
    )


def test_reference_validates_and_names_who_signs_its_avenant_without_authority() -> None:
    result = run("validate", REFERENCE)
    assert result.exit_code == 0
    *warnings, last = result.stdout.splitlines()
    assert last == "Validation réussie : 1 fichier, 0 erreur, 7 avertissements."
    # Signed in June 2018, it cites the COG 2018-2022, which the Cnaf signed that summer;
    # the MSA's authority is not given; the mayor of Rai attends a committee before her
    # commune joins; the avenant gives no deliberation for the parties that signed the
    # convention; fiche FA-3.1, annexed to the signed convention, leaves its description to
    # the steering committee.
    assert (
        ": avertissement: convention: cog absent : le visa cite la convention d'objectifs et "
        "de gestion de la Cnaf en vigueur le 28 juin 2018, celle de 2018-2022, qui n'était "
        "peut-être pas encore signée ; vérifiez-le et indiquez cog: 2018-2022 (ou la "
        "précédente, 2013-2017)"
    ) in warnings[0]
    assert ": avertissement: parties[2]: la MSA signe la convention" in warnings[1]
    assert (
        ": avertissement: fiches_actions[2]: la fiche FA-3.1, annexée à la convention signée "
        "le 28 juin 2018, ne précise pas encore la description de l'action : "
    ) in warnings[2]
    assert (
        "reunions[0].participants[3].presence: Martine Leroy signe l'avenant n° 1 pour la commune de Rai"
        in (warnings[3])
    )
    avenant = warnings[4:]
    assert [w.split(": avertissement: avenants[0]: ")[1].split(" signe")[0] for w in avenant] == [
        "la Caf",
        "la Communauté de communes",
        "la MSA",
    ]


def test_reference_is_the_shared_contract_unchanged() -> None:
    if SHARED_REFERENCE.exists():
        assert REFERENCE.read_bytes() == SHARED_REFERENCE.read_bytes()


def test_warnings_keep_exit_zero_unless_strict() -> None:
    fixture = FIXTURES / "invalides" / "duree.yaml"
    assert run("validate", fixture).exit_code == 0
    strict = run("validate", "--strict", fixture)
    assert strict.exit_code == 1
    assert ": erreur: convention.periode: durée de trois ans et six mois" in strict.stdout


def test_json_format() -> None:
    fixture = FIXTURES / "invalides" / "periode.yaml"
    result = run("validate", "--format", "json", fixture, REFERENCE)
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["erreurs"] == 2
    assert payload["avertissements"] == 8
    files = {Path(f["chemin"]).name: f for f in payload["fichiers"]}
    assert files[REFERENCE.name]["valide"] is True
    first = files["periode.yaml"]["problemes"][0]
    assert first == {
        "ligne": 6,
        "colonne": 37,
        "gravite": "erreur",
        "champ": "convention.periode.fin",
        "chemin": ["convention", "periode", "fin"],
        "message": "période de la convention : la fin (31 décembre 2021) doit être "
        "postérieure au début (1er janvier 2022)",
    }


def test_folder_is_searched_recursively(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    shutil.copy(REFERENCE, tmp_path / "sub" / "a.yml")
    shutil.copy(FIXTURES / "invalides" / "periode.yaml", tmp_path / "b.yaml")
    (tmp_path / "notes.txt").write_text("pas du YAML", encoding="utf-8")
    result = run("validate", tmp_path)
    assert result.exit_code == 1
    assert "Échec : 2 erreurs, 8 avertissements ; 1 fichier invalide sur 2." in result.stdout


def test_hidden_folders_are_not_searched(tmp_path: Path) -> None:
    shutil.copy(REFERENCE, tmp_path / "aigle.yaml")
    (tmp_path / ".venv" / "lib").mkdir(parents=True)
    (tmp_path / ".venv" / "lib" / "outil.yaml").write_text("autre: chose\n", encoding="utf-8")
    result = run("validate", tmp_path)
    assert result.exit_code == 0
    assert result.stdout.endswith("Validation réussie : 1 fichier, 0 erreur, 7 avertissements.\n")


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = run("validate", tmp_path / "absent.yaml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert (
        result.stderr == f"Erreur : {tmp_path / 'absent.yaml'} : fichier ou dossier introuvable\n"
    )


def test_empty_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = run("validate", tmp_path)
    assert result.exit_code == 2
    assert "aucun fichier .yaml dans ce dossier" in result.stderr


def test_unknown_option_in_french() -> None:
    result = run("validate", "--stric", REFERENCE)
    assert result.exit_code == 2
    assert "Erreur : option inconnue : --stric." in result.stderr
    assert "Utilisation : ctgdocs validate [OPTIONS] CHEMIN..." in result.stderr


def test_no_path_given() -> None:
    result = run("validate")
    assert result.exit_code == 2
    assert "Erreur : Argument manquant 'CHEMIN...'." in result.stderr


def test_bad_format_choice() -> None:
    result = run("validate", "--format", "xml", REFERENCE)
    assert result.exit_code == 2
    assert "Valeur invalide pour '--format'" in result.stderr


def test_help_is_french() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert "Utilisation : ctgdocs [OPTIONS] COMMANDE [ARGUMENTS]..." in result.stdout
    assert "Affiche cette aide et quitte." in result.stdout
    assert "Commandes :" in result.stdout
    for command in ("validate", "init", "schema"):
        assert f"  {command} " in result.stdout


def test_internal_error_is_one_line_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("défaut simulé")

    monkeypatch.setattr("ctgdocs.pipeline.validate", broken)
    monkeypatch.delenv("CTGDOCS_DEBUG", raising=False)
    result = run("validate", REFERENCE)
    assert result.exit_code == 4
    assert result.stderr == (
        "Erreur interne de ctgdocs (RuntimeError : défaut simulé). Relancez avec "
        "CTGDOCS_DEBUG=1 pour afficher la trace, et signalez ce problème.\n"
    )


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("14 mars 2024", "2024-03-14"),
        ("1er janvier 2020", "2020-01-01"),
        ("1 er Janvier 2020", "2020-01-01"),
        ("mardi 5 mars 2024", "2024-03-05"),
        ("15 decembre 2023", "2023-12-15"),
        ("3 févr. 2021", "2021-02-03"),
        ("2024-1-1", "2024-01-01"),
        ("2024/12/3", "2024-12-03"),
        ("28/06/2018", "2018-06-28"),
        ("20180101", "2018-01-01"),
        ("2018-01-01T10:00", "2018-01-01"),
        ("2018-01-01 10:00", "2018-01-01"),
        ("2018-01-01T10:00:00Z", "2018-01-01"),
        ("2018-01-01T10:00:00.5+01:00", "2018-01-01"),
        ("28/06/2018 14h30", "2018-06-28"),
        ("14 mars 2024 à 10h00", "2024-03-14"),
    ],
)
def test_dates_typed_otherwise_get_the_value_to_write(typed: str, written: str) -> None:
    message = _bad_value(("convention", "signature", "date"), typed)
    assert message == (
        f"« {typed} » n'est pas une date au format AAAA-MM-JJ (par exemple 2018-06-28) ; "
        f"écrivez {written}"
    )


@pytest.mark.parametrize(
    "typed",
    [
        "31 février 2024",
        "14 brumaire 2024",
        "2024-13-1",
        "mars 2024",
        "20181301",
        "2018010",
        "201801011",
    ],
)
def test_impossible_dates_get_no_suggestion(typed: str) -> None:
    assert "écrivez" not in _bad_value(("convention", "signature", "date"), typed)


@pytest.mark.parametrize(
    ("path", "example"),
    [
        (("convention", "reference"), "CTG-61-2018-01"),
        (("parties", 0, "id"), "caf"),
        (("axes", 0, "code"), "A1"),
        (("fiches_actions", 0, "code"), "FA-1.1"),
        (("fiches_actions", 0, "axe"), "A1"),
        (("fiches_actions", 0, "pilote", "partie"), "caf"),
        (("reunions", 0, "id"), "copil-2019-02-19"),
        (("avenants", 0, "habilitations", 0, "partie"), "caf"),
    ],
)
def test_a_code_gets_an_example_of_its_own_kind(path: tuple[str | int, ...], example: str) -> None:
    # « convention.reference : attendu : un code … (par exemple FA-1.1) » misled: FA-1.1 is a
    # fiche's code, not a convention's reference.
    assert describe(_rules_at(path) or {}) == (
        f"un code sur une ligne, sans guillemets (par exemple {example})"
    )


@pytest.mark.parametrize("value", ['"“"', '""', ""])
def test_an_article_target_the_schema_refuses_gets_one_message(tmp_path: Path, value: str) -> None:
    # Hypothesis drew « “ »: the schema refused it, and the rule, not finding it, added
    # « indiquez une seule opération » about the article that did name one.
    source = next(p for p in EXAMPLES if p.name.startswith("beaucaire"))
    text = source.read_text(encoding="utf-8")
    assert text.count("    - apres: evaluation\n") == 1
    target = tmp_path / "c.yaml"
    target.write_text(text.replace("    - apres: evaluation\n", f"    - apres: {value}\n"), "utf-8")
    result = run("validate", target)
    errors = [line for line in result.stdout.splitlines() if ": erreur: " in line]
    assert len(errors) == 1 and "convention.articles[0].apres: " in errors[0], errors


def test_a_misspelt_change_of_an_avenant_is_one_error_not_two(tmp_path: Path) -> None:
    text = REFERENCE.read_text("utf-8")
    assert text.count("    communes_ajoutees:") == 1
    target = tmp_path / "faute.yaml"
    target.write_text(text.replace("    communes_ajoutees:", "    communes_adherentes:"), "utf-8")
    result = run("validate", target)
    assert result.exit_code == 1
    assert "communes_adherentes" in result.output
    assert "ne modifie rien" not in result.output
    # An avenant that changes nothing, with no key misspelt, is still refused.
    empty = tmp_path / "vide.yaml"
    # The avenant's communes are the end of the file.
    empty.write_text(text[: text.index("    communes_ajoutees:")], "utf-8")
    result = run("validate", empty)
    assert result.exit_code == 1
    assert "l'avenant ne modifie rien" in result.output
