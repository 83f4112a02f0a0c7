"""Click in French: its own messages, help headings and number ranges."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

import click

# Click's own messages (it looks them up with gettext), in French.
_FRENCH = {
    "Usage:": "Utilisation :",
    "Usage: ": "Utilisation : ",
    "Options": "Options",
    "Commands": "Commandes",
    "Positional arguments": "Arguments",
    "Show this message and exit.": "Affiche cette aide et quitte.",
    "Show the version and exit.": "Affiche la version et quitte.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "Error: {message}": "Erreur : {message}",
    "Try '{command} {option}' for help.": "Essayez « {command} {option} » pour l'aide.",
    "No such option {name!r}.": "option inconnue : {name}.",
    "No such command {name!r}.": "commande inconnue : {name}.",
    "Did you mean {possibility}?": "Vouliez-vous dire {possibility} ?",
    "(Did you mean one of: {possibilities}?)": "(Vouliez-vous dire l'une de : {possibilities} ?)",
    "Missing argument": "Argument manquant",
    "Missing option": "Option manquante",
    "Missing parameter": "Paramètre manquant",
    "Missing {param_type}": "{param_type} manquant",
    "Missing parameter: {param_name}": "Paramètre manquant : {param_name}",
    "Missing command.": "Commande manquante.",
    "Invalid value: {message}": "Valeur invalide : {message}",
    "Invalid value for {param_hint}: {message}": "Valeur invalide pour {param_hint} : {message}",
    "Option {name!r} requires an argument.": "l'option {name} attend une valeur.",
    "Option {name!r} does not take a value.": "l'option {name} ne prend pas de valeur.",
    "Option {name!r} requires {nargs} arguments.": "l'option {name} attend {nargs} valeurs.",
    "Got unexpected extra argument ({args})": "Argument en trop : {args}",
    "Got unexpected extra arguments ({args})": "Arguments en trop : {args}",
    "{value!r} is not a valid {number_type}.": "« {value} » n'est pas un nombre {number_type}.",
    "{value} is not in the range {range}.": "{value} ne convient pas : {range}.",
    "integer": "entier",
    "float": "décimal",
    "{name} {filename!r} does not exist.": "{name} « {filename} » introuvable.",
    "{name} {filename!r} is a file.": "{name} « {filename} » est un fichier.",
    "{name} {filename!r} is a directory.": "{name} « {filename} » est un dossier.",
    "{name} {filename!r} is not readable.": "{name} « {filename} » illisible.",
    "{name} {filename!r} is not writable.": "{name} « {filename} » non modifiable.",
    "file": "fichier",
    "directory": "dossier",
    "path": "chemin",
    "Aborted!": "Interrompu.",
    "default: {default}": "par défaut : {default}",
    "{value!r} is not {choice}.": "« {value} » n'est pas {choice}.",
    "{value!r} is not one of {choices}.": "« {value} » n'est pas l'une des valeurs {choices}.",
    "Choose from:\n\t{choices}": "Choisissez parmi :\n\t{choices}",
    "required": "obligatoire",
    "integer range": "entier",
    "float range": "décimal",
    "boolean": "booléen",
    "text": "texte",
    "filename": "nom de fichier",
    "env var: {var}": "variable d'environnement : {var}",
    "deprecated": "obsolète",
    "(dynamic)": "(calculé)",
    "Could not open file {filename!r}: {message}": "impossible d'ouvrir « {filename} » : {message}",
    "{name} {filename!r} is not executable.": "{name} « {filename} » n'est pas exécutable.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "« {value} » n'est pas une valeur oui/non ; valeurs reconnues : {states}"
    ),
    "{value!r} does not match the format {format}.": "« {value} » ne suit pas le format {format}.",
    "{value!r} does not match the formats {formats}.": (
        "« {value} » ne suit aucun des formats {formats}."
    ),
    "Takes {nargs} values but 1 was given.": "{nargs} valeurs attendues, 1 donnée.",
    "Takes {nargs} values but {len} were given.": "{nargs} valeurs attendues, {len} données.",
    "{len_type} values are required, but {len_value} was given.": (
        "{len_type} valeurs attendues, {len_value} donnée."
    ),
    "{len_type} values are required, but {len_value} were given.": (
        "{len_type} valeurs attendues, {len_value} données."
    ),
    "Argument {name!r} takes {nargs} values.": "l'argument {name} attend {nargs} valeurs.",
    "Error: invalid input": "Erreur : saisie invalide",
    "Do you want to continue?": "Voulez-vous continuer ?",
    "Repeat for confirmation": "Répétez pour confirmer",
    "Error: The two entered values do not match.": "Erreur : les deux saisies diffèrent.",
    "Confirm the action without prompting.": "Confirme l'action sans la demander.",
    "Press any key to continue...": "Appuyez sur une touche pour continuer…",
    "Windows error: {error}": "erreur Windows : {error}",
    "unknown error": "erreur inconnue",
    "d": "j",  # days, in a progress bar's remaining time
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": (
        "Attention : la commande {name} est obsolète.{extra_message}"
    ),
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": (
        "Attention : {param_type} {name} est obsolète.{extra_message}"
    ),
}


def _gettext(message: str) -> str:
    return _FRENCH.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


def install_french() -> None:
    """Make click speak French: its modules look messages up by gettext."""
    for name in ("core", "exceptions", "formatting", "parser", "types", "decorators", "termui"):
        module = sys.modules.get(f"click.{name}")
        if module is None:
            continue
        if hasattr(module, "_"):
            module._ = _gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext  # type: ignore[attr-defined]


def _unbreakable(text: str) -> str:
    """No-break spaces where French typography needs them, so that wrapping keeps « - » whole."""
    return text.replace("« ", "«\u00a0").replace(" »", "\u00a0»")


class FrenchFormatter(click.HelpFormatter):
    """Help headings with the space French puts before a colon: « Options : »."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading} :\n")

    def write_text(self, text: str) -> None:
        super().write_text(_unbreakable(text))

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        super().write_dl([(a, _unbreakable(b)) for a, b in rows], col_max, col_spacing)


class FrenchContext(click.Context):
    formatter_class = FrenchFormatter


class FrenchCommand(click.Command):
    context_class = FrenchContext


class AuMoins(click.IntRange):
    """A whole number from `minimum` up, described in French ("au moins 1", not "x>=1")."""

    name = "entier"

    def __init__(self, minimum: int) -> None:
        super().__init__(min=minimum)

    def _describe_range(self) -> str:
        return f"au moins {self.min}"


class Chemin(click.Path):
    """A path whose kind is named in French in click's messages (« Fichier « x » est un dossier »).

    click names the kind when the option is declared, before `install_french` has run.
    """

    def __init__(self, *, file_okay: bool = True, dir_okay: bool = True) -> None:
        super().__init__(path_type=Path, file_okay=file_okay, dir_okay=dir_okay)
        self.name = _gettext(self.name)
