"""Loading: every scalar as text, positions, and one clear message per unreadable file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from ctgdocs import loader
from ctgdocs.checking import check_file
from ctgdocs.errors import InvalidConventionError
from ctgdocs.loader import load_convention, parse_text

from .conftest import MINIMALE, SANS_PROBLEME, run


def test_scalars_stay_text() -> None:
    data, _ = parse_text("insee: 01053\nflag: on\nno: no\nheure: 12:30\nmontant: 8500.50\n")
    assert data == {
        "insee": "01053",
        "flag": "on",
        "no": "no",
        "heure": "12:30",
        "montant": "8500.50",
    }


def test_empty_values_are_none_but_quoted_empty_is_text() -> None:
    data, _ = parse_text('a:\nb: ~\nc: ""\nd: null\n')
    assert data == {"a": None, "b": None, "c": "", "d": None}


def test_positions_are_one_based_for_keys_and_values() -> None:
    _, positions = parse_text("convention:\n  reference: CTG-1\n  liste:\n    - x\n")
    assert positions.values[("convention", "reference")] == (2, 14)
    assert positions.keys[("convention", "reference")] == (2, 3)
    assert positions.values[("convention", "liste", 0)] == (4, 7)
    assert positions.locate(("convention", "absent", 3)) == (2, 3)
    assert positions.locate(("convention", "absent"), key=True) == (1, 1)


def test_unquoted_leading_zero_insee_validates(tmp_path: Path) -> None:
    text = MINIMALE.read_text(encoding="utf-8").replace(
        'departement: "30"', 'departement: "30"\n  communes:\n    - {insee: 30032, nom: Beaucaire}'
    )
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    checked = check_file(path)
    assert checked.report.problems == []
    assert checked.data is not None
    assert checked.data["territoire"]["communes"][0]["insee"] == "30032"


def test_flow_mapping_comma_marks_stray_key() -> None:
    _, positions = parse_text("b: [{poste: Coordination (0,2 ETP), montant: 9000}]\n")
    assert positions.stray_keys == {("b", 0, "2 ETP)"): "poste"}


def problem_of(path: Path) -> tuple[int, int, str]:
    with pytest.raises(InvalidConventionError) as caught:
        load_convention(path)
    (problem,) = caught.value.reports[0].problems
    return problem.line, problem.column, problem.message


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_bytes(b"format: 1\n\x00\x01\x02")
    assert problem_of(path) == (
        1,
        1,
        "fichier binaire : un fichier texte YAML (UTF-8) est attendu",
    )


def test_latin1_file_points_to_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "l.yaml"
    path.write_bytes("format: 1\nconvention:\n  intitule: Crèche\n".encode("latin-1"))
    assert problem_of(path) == (
        3,
        15,
        "le fichier n'est pas encodé en UTF-8 : il semble enregistré en ANSI (Windows-1252), "
        "où « è » s'écrit sur un seul octet ; enregistrez-le en UTF-8 (Bloc-notes : Fichier > "
        "Enregistrer sous, Encodage : UTF-8)",
    )


def test_a_file_neither_utf8_nor_ansi_is_only_said_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    # 0x81 is no character of Windows-1252; 0xFF alone is no UTF-8.
    path.write_bytes(b"format: 1\nconvention:\n  intitule: a\x81\xff\n")
    assert problem_of(path) == (
        3,
        14,
        "le fichier n'est pas encodé en UTF-8 (octet invalide) ; "
        "enregistrez-le en UTF-8 depuis votre éditeur",
    )


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + SANS_PROBLEME.encode("utf-8"))
    assert check_file(path).report.problems == []


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "d.yaml"
    folder.mkdir()
    assert problem_of(folder) == (1, 1, "est un dossier, pas un fichier YAML")


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Root reads any file whatever its mode, so the OS error is raised directly.
    path = tmp_path / "u.yaml"
    path.write_text("format: 1\n", encoding="utf-8")

    def refuse(self: Path, *args: object, **kwargs: object) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    assert problem_of(path) == (1, 1, "fichier illisible (accès refusé)")


def test_comments_only_file_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("# rien\n\n", encoding="utf-8")
    assert problem_of(path)[2] == "le fichier est vide : une convention YAML est attendue"


def test_scalar_top_level(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("juste un texte\n", encoding="utf-8")
    assert problem_of(path)[:2] == (1, 1)


posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="tubes et liens POSIX")


@posix_only
def test_a_named_pipe_is_refused_without_being_read(tmp_path: Path) -> None:
    # Opening it blocked validate forever, waiting for a writer.
    pipe = tmp_path / "tube.yaml"
    os.mkfifo(pipe)
    result = run("validate", tmp_path)
    assert result.exit_code == 1
    assert (
        f"{pipe}:1:1: erreur: c'est un tube nommé (FIFO), pas un fichier ; attendu : un "
        "fichier YAML" in result.stdout.splitlines()
    )


@posix_only
def test_a_broken_link_in_a_folder_is_reported_not_skipped(tmp_path: Path) -> None:
    (tmp_path / "bonne.yaml").write_text(SANS_PROBLEME, encoding="utf-8")
    link = tmp_path / "partie.yaml"
    link.symlink_to(tmp_path / "deplacee.yaml")
    result = run("validate", tmp_path)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        f"{link}:1:1: erreur: lien symbolique cassé (il pointe vers "
        f"{tmp_path / 'deplacee.yaml'}, introuvable)"
    )
    out = tmp_path / "out"
    assert run("build", tmp_path, "-o", out).exit_code == 1
    assert not out.exists()


def test_a_key_written_twice_does_not_hide_the_other_problems(tmp_path: Path) -> None:
    # The duplicate stopped the reading: a date typed à la française further down was
    # only reported in a second run, once the duplicate was removed.
    text = SANS_PROBLEME.replace(
        "  preambule:", '  periode: {debut: 2022-01-01, fin: "2025\\v"}\n  preambule:', 1
    )
    text = text.replace("{composition: [Les élus], ", "{composition: [Les élus], composition: [], ")
    text = text.replace(
        "    representants: [{civilite: Madame",
        "    habilitation: {instance: CA, date: 02/05/2022}\n    representants: [{civilite: Madame",
    )
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("validate", path)
    twice = "est déjà définie ligne {} (YAML ne garderait que la dernière valeur)"
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{path}:7:3: erreur: convention.periode: clé en double : « periode » {twice.format(6)}",
        f"{path}:7:42: erreur: convention.periode.fin: caractère interdit U+000B (invisible, "
        "refusé par Word) : supprimez-le ou retapez le texte autour",
        f"{path}:22:40: erreur: parties[0].habilitation.date: « 02/05/2022 » n'est pas une date "
        "au format AAAA-MM-JJ (par exemple 2018-06-28) ; écrivez 2022-05-02",
        f"{path}:34:46: erreur: gouvernance.comite_pilotage.composition: clé en double : "
        f"« composition » {twice.format(34)}",
        "Échec : 4 erreurs, 0 avertissement ; 1 fichier invalide sur 1.",
    ]


@pytest.mark.parametrize("pure_python", [False, True], ids=["libyaml", "pyyaml"])
@pytest.mark.parametrize(
    ("typed", "column", "french"),
    [
        ('"C:\\xdossier"', 18, "« \\x », « \\u » ou « \\U » entre guillemets doubles attend"),
        ("| Un texte sur la ligne", 15, "après « | » ou « > », rien d'autre sur la ligne"),
        ("|0\n    texte", 14, "« |0 » ou « >0 » : écrivez « | » seul"),
        ("- un élément", 13, "« - » inattendu après « : » : une liste commence"),
        ("* 20 % des familles", 14, "« * » ou « & » en début de valeur désigne un alias"),
        ("]", 13, "valeur attendue : « ] », « } » ou « , » ne commence pas une valeur"),
        ("? clé", 13, "« ? » en début de valeur : mettez la valeur entre guillemets"),
    ],
)
def test_syntax_errors_a_user_makes_are_said_in_french(
    monkeypatch: pytest.MonkeyPatch, pure_python: bool, typed: str, column: int, french: str
) -> None:
    # They were « syntaxe YAML invalide (did not find expected comment or line break) ».
    if pure_python:

        class PythonText(yaml.SafeLoader):
            yaml_implicit_resolvers: dict[str, object] = {}  # noqa: RUF012

        monkeypatch.setattr(loader, "_TextLoader", PythonText)
    with pytest.raises(loader._Failure) as caught:
        parse_text(f"format: 1\nconvention:\n  intitule: {typed}\n")
    problem = caught.value.problem
    assert problem.message.startswith(f"erreur de syntaxe YAML : {french}")
    assert (problem.line, problem.column) == (3, column) or pure_python


@pytest.mark.parametrize(
    ("typed", "data", "suggestion"),
    [
        ("!Urgent relancer les familles", "relancer les familles", ' ("!Urgent relancer'),
        ("!Important", None, ' ("!Important")'),
        ("!!str 12", "12", ' ("!!str 12")'),
        ("!x [a, b]", ["a", "b"], ""),
    ],
)
def test_a_value_starting_with_an_exclamation_mark_is_refused_not_cut(
    typed: str, data: object, suggestion: str
) -> None:
    # YAML reads « !Urgent » as a tag and dropped it: the text lost its first word, silently.
    value, _, found, _ = loader._parse(f"intitule: {typed}\n")
    assert value == {"intitule": data}
    (problem,) = found
    assert (problem.line, problem.column, problem.path) == (1, 11, ("intitule",))
    assert problem.message.startswith(
        "« ! » en début de valeur désigne une étiquette YAML, qui n'est pas du texte : mettez "
        "la valeur entre guillemets" + suggestion
    )
