"""Every word a user reads is French: click's own messages and help, Jinja's errors."""

from __future__ import annotations

import re
from pathlib import Path

import click
import jinja2
import pytest

from ctgdocs.cli import main
from ctgdocs.clickfr import _FRENCH
from ctgdocs.jinja_fr import traduire
from ctgdocs.render import jinja_environment
from ctgdocs.resources import bundled_templates

from .conftest import REFERENCE, run
from .docx_tools import copy_templates, edit_template

# Click messages only a programming error can show (a badly declared option), never a user.
DEVELOPER_ONLY = {
    "Arguments take exactly one parameter declaration, got {length}: {decls}.",
    "Boolean option {decl!r} cannot use the same flag for true/false.",
    "Could not determine name for option with declarations {decls!r}",
    "Invalid start character for option ({option})",
    "Name '{name}' defined twice",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument "
    "instead? Did you mean to pass '--{name}'?",
    "Unknown color {colour!r}",
    "Unknown standard stream '{name}'",
    "Value must be an iterable.",
    "Couldn't detect Bash version, shell completion is not supported.",
    "Shell completion is not supported for Bash versions older than 4.4.",
    "{editor}: Editing failed",
    "{editor}: Editing failed: {e}",
    "{value!r} is not a valid UUID.",
    "Choice({choices})",
}


def click_messages() -> set[str]:
    """Every message click looks up by gettext, read from its sources."""
    messages: set[str] = set()
    for source in Path(click.__file__).parent.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        calls = re.findall(r"\b_\(\s*((?:\"[^\"]*\"\s*)+)\)", text)
        calls += [
            part
            for pair in re.findall(
                r"ngettext\(\s*((?:\"[^\"]*\"\s*)+),\s*((?:\"[^\"]*\"\s*)+),", text
            )
            for part in pair
        ]
        messages |= {
            "".join(re.findall(r"\"([^\"]*)\"", call)).replace("\\n", "\n").replace("\\t", "\t")
            for call in calls
        }
    # Looked up with a variable: the help's « [required] » and the number types.
    return messages | {"required", "integer range", "float range"}


def test_every_message_click_can_show_is_translated() -> None:
    assert sorted(click_messages() - set(_FRENCH) - DEVELOPER_ONLY) == []


def commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


@pytest.mark.parametrize("command", commands(main), ids=" ".join)
def test_help_is_french(command: tuple[str, ...]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("Utilisation : ctgdocs")
    assert "Options :\n" in text
    for english in ("Usage", "Options:", "Commands", "COMMAND ", "[required]", "default:", "ARGS"):
        assert english not in text, english
    # « - » is never split at the end of a line.
    assert not re.search(r"«\s*\n", text)


def test_click_errors_are_french() -> None:
    assert run("build", "x", "-j", "abc").stderr.endswith(
        "Erreur : Valeur invalide pour '-j' / '--jobs' : « abc » n'est pas un nombre entier.\n"
    )
    assert "[obligatoire]" in run("init", "--help").stdout
    assert "Commandes :\n" in run("templates", "--help").stdout


def test_a_path_of_the_wrong_kind_is_named_in_french(tmp_path: Path) -> None:
    # click named the kind (« File », « Directory ») before ctgdocs made it speak French.
    afile = tmp_path / "ctg.yaml"
    afile.write_text("", encoding="utf-8")
    for command in (["init", "--epci", "243000585"], ["schema"]):
        assert run(*command, "-o", tmp_path).stderr.endswith(
            f"Erreur : Valeur invalide pour '-o' / '--output' : Fichier « {tmp_path} » est un dossier.\n"
        )
    for command in (["exemple"], ["build", REFERENCE]):
        assert run(*command, "-o", afile).stderr.endswith(
            f"Erreur : Valeur invalide pour '-o' / '--output' : Dossier « {afile} » est un fichier.\n"
        )


JINJA_ERRORS = [
    (
        "{% if a %}x",
        "le modèle se termine avant la fin d'un bloc ; le bloc « if » ouvert plus haut attend « elif » ou « else » ou « endif »",
    ),
    (
        "{% if a %}x{% endfi %}",
        "balise « endfi » inconnue ici ; le bloc « if » ouvert plus haut attend « elif » ou « else » ou « endif »",
    ),
    ("{{ a b }}", "attendu : la fin de la balise « }} » ; trouvé : « b »"),
    ("{{ a + }}", "inattendu ici : la fin de la balise « }} »"),
    ("{{ a }", "inattendu ici : « } »"),
    ("{{ 'x }}", "caractère inattendu : « ' » (guillemet non fermé ?)"),
    ("{% foo %}", "balise « foo » inconnue ici"),
    ("{{ a. }}", "un nom ou un nombre manque après « . »"),
    ("{% if %}{% endif %}", "une valeur manque avant la fin de la balise « %} »"),
    ("{{ a[ }}", "inattendu ici : « } » ; attendu : « ] »"),
    ("{# x", "commentaire « {# » non fermé par « #} »"),
    ("{{ a | inconnu }}", "filtre « inconnu » inconnu"),
]


@pytest.mark.parametrize(("source", "french"), JINJA_ERRORS)
def test_jinja_syntax_errors_in_french(source: str, french: str) -> None:
    with pytest.raises(jinja2.TemplateSyntaxError) as caught:
        jinja_environment().from_string(source)
    assert traduire(caught.value.message) == french


@pytest.mark.parametrize(
    ("source", "context", "french"),
    [
        ("{{ a.b }}", {}, "« a » n'existe pas"),
        ("{{ a.b }}", {"a": {}}, "« b » n'existe pas dans cette valeur (un bloc)"),
        ("{{ a[0] }}", {"a": []}, "l'élément 0 n'existe pas (une liste)"),
        (
            "{{ ''.__class__ }}",
            {},
            "accès interdit à « __class__ » : un modèle ne peut pas atteindre Python",
        ),
    ],
)
def test_jinja_render_errors_in_french(
    source: str, context: dict[str, object], french: str
) -> None:
    with pytest.raises(jinja2.TemplateError) as caught:
        jinja_environment().from_string(source).render(context)
    assert traduire(caught.value.message) == french


def test_templates_check_shows_jinja_errors_in_french(tmp_path: Path) -> None:
    custom = copy_templates(bundled_templates(), tmp_path / "modeles")
    template = "fiche-action.docx"
    edit_template(bundled_templates() / template, custom / template, "{%p endif %}", "{%p endfi %}")
    result = run("templates", "check", "--templates", custom)
    assert result.exit_code == 3
    line = next(x for x in result.stdout.splitlines() if "balise illisible" in x)
    assert (
        "balise illisible (balise « endfi » inconnue ici ; le bloc « if » ouvert plus haut attend"
        in line
    )
    assert not re.search(r"\b(expected|unexpected|Jinja|tag|Encountered)\b", line)
