"""Hostile inputs, one per kind: each gets a located French message (or a safe output)."""

from __future__ import annotations

import difflib
import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from docx import Document

from ctgdocs import loader
from ctgdocs.builder import BuildOptions, written
from ctgdocs.checking import check_file
from ctgdocs.documents import safe_name
from ctgdocs.loader import MAX_BYTES, MAX_VALUES

from .conftest import FIXTURES, ROOT, SANS_PROBLEME, run

BASE = SANS_PROBLEME


def write(folder: Path, text: str, name: str = "c.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return path


def problems(path: Path) -> list[str]:
    return [
        f"{p.line}:{p.column}: {p.field}: {p.message}" for p in check_file(path).report.sorted()
    ]


def billion_laughs(levels: int) -> str:
    text = 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    for i in range(1, levels):
        text += f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n"
    return text


def test_billion_laughs_is_refused_at_its_first_anchor(tmp_path: Path) -> None:
    # Nine levels expand to 387 million strings: refused before any of them is built.
    assert problems(write(tmp_path, billion_laughs(9))) == [
        "1:5: : ancre YAML « &a0 » refusée : une convention n'utilise ni ancres (&) ni alias "
        "(*) ; recopiez la valeur à chaque endroit"
    ]


def test_an_alias_without_anchor_in_the_same_node_is_refused_where_it_stands() -> None:
    with pytest.raises(loader._Failure) as caught:
        loader.parse_text("a: [x, *b]\n")
    assert (caught.value.problem.line, caught.value.problem.column) == (1, 8)


@pytest.mark.parametrize("depth", [31, 999, 10_000])
def test_deep_nesting_is_refused_not_a_recursion_error(tmp_path: Path, depth: int) -> None:
    for text in (f"a: {'[' * depth}{']' * depth}\n", f"a: {'{b: ' * depth}1{'}' * depth}\n"):
        found = problems(write(tmp_path, text))
        assert len(found) == 1
        # libyaml stops at 1,000 levels itself, before ctgdocs reads the 31st.
        assert "imbrication trop profonde : plus de 30 niveaux" in found[0]


def test_the_pure_python_parser_is_safe_too(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without libyaml (some installations), PyYAML's own parser reads the file.
    class PythonText(yaml.SafeLoader):
        yaml_implicit_resolvers: dict[str, object] = {}  # noqa: RUF012

    monkeypatch.setattr(loader, "_TextLoader", PythonText)
    with pytest.raises(loader._Failure, match="imbrication trop profonde"):
        loader.parse_text(f"a: {'[' * 10_000}{']' * 10_000}\n")
    with pytest.raises(loader._Failure, match="alias YAML « \\*b »"):
        loader.parse_text("a: [x, *b]\n")
    # PyYAML decodes "\ud800" (libyaml refuses it): still never passed on.
    data, _, found, _ = loader._parse('a: "x\\ud800"\n')
    assert [(p.line, p.column, p.message[:31]) for p in found] == [
        (1, 6, "caractère interdit U+D800 (invi")
    ]
    assert data == {"a": "x\ud800"}


def test_a_file_over_the_size_limit_is_not_read(tmp_path: Path) -> None:
    path = write(tmp_path, BASE + "#" * MAX_BYTES)
    assert problems(path) == [
        "1:1: : fichier trop volumineux : plus de 5 Mo (une convention fait quelques dizaines "
        "de Ko) ; est-ce le bon fichier ?"
    ]


def test_a_file_with_too_many_values_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "a:\n" + "  - x\n" * MAX_VALUES)
    assert problems(path) == [
        # The file itself and "a" are values too: the last item read is line 50,000.
        f"{MAX_VALUES}:5: : fichier trop grand : plus de 50\u202f000 valeurs (une "
        "convention en compte quelques milliers)"
    ]


def test_many_unknown_keys_are_all_reported_in_linear_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Cerberus re-sorted its errors at each one: 3,000 keys cost 4.5 million comparisons
    # (60,000 keys, minutes); the compiled schema walks once. What remains per key is the
    # search for a close known key: once each. Counted rather than timed.
    searched = 0
    original = difflib.get_close_matches

    def counting(*args: Any, **kwargs: Any) -> list[str]:
        nonlocal searched
        searched += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(difflib, "get_close_matches", counting)
    count = 3_000
    path = write(tmp_path, BASE + "".join(f"cle{i}: valeur\n" for i in range(count)))
    found = problems(path)
    assert len(found) == count
    assert found[0].startswith("33:1: cle0: clé inconnue (clés possibles : format,")
    assert searched == count


def test_forbidden_characters_typed_in_the_file_are_each_located(tmp_path: Path) -> None:
    text = BASE.replace("Un préambule.", "Un\x01 pré\ufffeambule.").replace(
        "Un constat.", "Un \x7fconstat\uffff."
    )
    assert problems(write(tmp_path, text)) == [
        "7:16: : caractère interdit U+0001 (invisible, refusé par Word) : supprimez-le ou "
        "retapez le texte autour",
        "7:21: : caractère interdit U+FFFE (invisible, refusé par Word) : supprimez-le ou "
        "retapez le texte autour",
        "28:17: : caractère interdit U+007F (invisible, refusé par Word) : supprimez-le ou "
        "retapez le texte autour",
        "28:25: : caractère interdit U+FFFF (invisible, refusé par Word) : supprimez-le ou "
        "retapez le texte autour",
    ]


@pytest.mark.parametrize(
    ("escape", "code"),
    [("\\x01", "0001"), ("\\uFFFE", "FFFE"), ("\\uffff", "FFFF"), ("\\e", "001B")],
)
def test_forbidden_characters_written_as_escapes_are_located_at_the_escape(
    tmp_path: Path, escape: str, code: str
) -> None:
    text = BASE.replace("preambule: Un préambule.", f'preambule: "Un pré{escape}ambule."')
    assert problems(write(tmp_path, text)) == [
        f"7:21: convention.preambule: caractère interdit U+{code} (invisible, refusé par Word) "
        ": supprimez-le ou retapez le texte autour"
    ]


@pytest.mark.parametrize(
    ("typed", "named"),
    [
        ("\u200b", "U+200B (espace sans chasse)"),
        ("\ufeff", "U+FEFF (espace insécable sans chasse)"),
        ("\u2060", "U+2060 (gluon de mots)"),
        ("\ue000", "U+E000 (caractère à usage privé, sans lettre ni signe)"),
        ('"Un pré\\u2029ambule."', "U+2029 (séparateur de paragraphe)"),
    ],
)
def test_invisible_characters_a_paste_leaves_are_refused(
    tmp_path: Path, typed: str, named: str
) -> None:
    # Word keeps them without showing them: a word cut for a search, a stray line break.
    value = typed if typed.startswith('"') else f"Un pré{typed}ambule."
    text = BASE.replace("preambule: Un préambule.", f"preambule: {value}")
    assert problems(write(tmp_path, text)) == [
        f"7:14: convention.preambule: caractère invisible "
        f"{named} dans le texte, souvent collé depuis une page web ou un traitement de texte : "
        "supprimez-le ou retapez le texte autour"
    ]


def test_a_lone_surrogate_escape_is_refused_in_french(tmp_path: Path) -> None:
    text = BASE.replace("preambule: Un préambule.", 'preambule: "Un \\ud800"')
    found = problems(write(tmp_path, text))
    assert len(found) == 1
    assert "7:" in found[0]
    assert "U+D800" in found[0] or "demi-caractère UTF-16 seul" in found[0]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("periode: {debut: 2022-01-01", "periode: {debut: 0001-01-01",
         "date « 0001-01-01 » hors de la plage acceptée (années 1900 à 2100)"),
        ("  preambule:", f"  exemplaires: {'9' * 5000}\n  preambule:",
         "« 99999999999999999999999999999999999999999999999999… (5000 caractères) » hors "
         "limites ; attendu : un nombre entier de 1 à 9\u202f999"),
        ("  preambule:", "  exemplaires: 0\n  preambule:",
         "« 0 » hors limites ; attendu : un nombre entier de 1 à 9\u202f999"),
        ('siren: "243000585"', 'siren: "２43000585"',
         "« ２43000585 » n'est pas un SIREN de 9 chiffres entre guillemets (par exemple "
         '"200068468")'),
        ('departement: "30"', 'departement: "3\u0660"',
         "« 3\u0660 » n'est pas un code de département entre guillemets (par exemple \"61\", "
         '"2A", "971")'),
    ],
)  # fmt: skip
def test_numbers_dates_and_codes_out_of_bounds(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    found = problems(write(tmp_path, BASE.replace(old, new, 1)))
    assert len(found) == 1
    assert found[0].endswith(message)


def test_huge_amounts_are_refused_before_any_arithmetic(tmp_path: Path) -> None:
    fiche = (
        "fiches_actions:\n  - {code: F1, axe: A1, intitule: Une fiche, objectifs: [Un objectif],"
        " pilote: {partie: cc}, calendrier: {debut: 2022-01-01, fin: 2022-12-31},"
        f" statut: a_venir, budget: [{{poste: Un poste, montant: {'9' * 27}}}]}}\n"
    )
    found = problems(write(tmp_path, BASE + fiche))
    assert [f.split(": ", 2)[1:] for f in found] == [
        [
            "fiches_actions[0].budget[0].montant",
            "montant « 999999999999999999999999999 » trop élevé : un montant est inférieur à "
            "un milliard d'euros",
        ]
    ]


def test_every_problem_of_the_cli_has_a_position_and_exit_1(tmp_path: Path) -> None:
    text = BASE.replace('siren: "243000585"', 'siren: "24300058²"').replace(
        "reference: CTG-30-TEST", "reference: “CTG-30-TEST”"
    )
    result = run("build", write(tmp_path, text), "-o", tmp_path / "out")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert [line.split(": ")[2] for line in lines[:-1]] == [
        "convention.reference",
        "territoire.epci.siren",
    ]
    assert all(line.startswith(f"{tmp_path / 'c.yaml'}:") for line in lines[:-1])
    assert not (tmp_path / "out").exists()


def test_long_titles_fit_the_document_properties(tmp_path: Path) -> None:
    # A title of 300 characters is valid; Word's properties hold 255 at most.
    title = ("Convention territoriale globale de services aux familles " * 6)[:300].strip()
    text = BASE.replace(
        "intitule: Convention territoriale globale de Beaucaire Terre d'Argence",
        f"intitule: {title}",
    )
    documents = written([write(tmp_path, text)], BuildOptions(output=tmp_path / "out"))
    properties = Document(str(documents[0])).core_properties
    assert len(properties.title) == 255
    assert properties.title == title[:254].rstrip() + "…"


@pytest.mark.parametrize(
    ("reference", "folder"),
    [
        ("CON", "_CON"),
        ("..", "document"),
        ("nul.txt", "_nul.txt"),
        ("a. ", "a"),
        ("x" * 50, "x" * 50),
    ],
)
def test_references_never_leave_the_output_folder_nor_take_reserved_names(
    tmp_path: Path, reference: str, folder: str
) -> None:
    text = BASE.replace("reference: CTG-30-TEST", f'reference: "{reference}"')
    out = tmp_path / "out"
    documents = written([write(tmp_path, text)], BuildOptions(output=out))
    assert [p.relative_to(out).as_posix() for p in documents] == [f"{folder}/convention.docx"]


def test_safe_names() -> None:
    assert safe_name("FA 1/1 (été)") == "FA-1-1-ete"
    assert safe_name("../../etc/passwd") == "etc-passwd"
    assert safe_name("..\\..\\x") == "x"
    assert safe_name("COM¹") == "_COM1"
    assert safe_name("lpt9.docx") == "_lpt9.docx"
    assert safe_name("…") == "document"
    assert safe_name("\u202eexe.docx") == "exe.docx"
    assert len(safe_name("x" * 500)) == 80


def _mutations() -> Any:
    """bench/mutations.py: the hostile cases drawn from complete.yaml."""
    spec = importlib.util.spec_from_file_location(
        "bench_mutations", ROOT / "bench" / "mutations.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("value", ["é" * 301, {"x": ["y"]}], ids=["texte", "bloc"])
def test_every_key_of_the_format_takes_any_value_without_a_crash(
    tmp_path: Path, value: Any
) -> None:
    # The rules read values the schema refuses (to report every problem in one run): a
    # malformed cog reached int() and ended in « Erreur interne ».
    mutations = _mutations()
    data = mutations.base()
    for path in mutations.one_per_field(mutations.nodes(data)):
        source = write(tmp_path, mutations.edited(path, mutations.setter(value)))
        report = check_file(source).report
        assert report.ok or report.errors, path
        assert all(p.line >= 1 for p in report.problems), path


@pytest.mark.parametrize(
    ("partenaires", "coupes"),
    [
        ("[Réseau d'écoute, d'appui et d'accompagnement des parents]", 1),
        ("[Les élus, et les services]", 1),
        # Items that start a new partner: no warning.
        ("[Caf du Gard, l'Éducation nationale, l'Udaf du Gard, d'autres associations]", 0),
        ("[Les élus, des représentants de la Caf, à terme les jeunes]", 0),
        ("[\"Réseau d'écoute, d'appui\"]", 0),
    ],
)
def test_an_item_cut_by_a_comma_in_brackets_is_warned(
    tmp_path: Path, partenaires: str, coupes: int
) -> None:
    source = (FIXTURES / "invalides" / "virgule-dans-crochets.yaml").read_text(encoding="utf-8")
    line = next(x for x in source.splitlines() if x.startswith("    partenaires: "))
    path = tmp_path / "c.yaml"
    path.write_text(source.replace(line, f"    partenaires: {partenaires}"), encoding="utf-8")
    report = check_file(path).report.sorted()
    assert sum("comme la fin d'un même élément" in p.message for p in report) == coupes
