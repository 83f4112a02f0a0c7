"""The terminal: click in French, and the one place that turns errors into exit codes."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import click

from .errors import CtgdocsError, InvalidConventionError
from .problems import format_text, summary

INTERNAL_ERROR = 4

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


class AuMoins(click.IntRange):
    """A whole number from `minimum` up, described in French ("au moins 1", not "x>=1")."""

    def __init__(self, minimum: int) -> None:
        super().__init__(min=minimum)

    def _describe_range(self) -> str:
        return f"au moins {self.min}"


def use_utf8() -> None:
    """Write UTF-8 whatever the console: a report redirected on Windows is in cp1252 otherwise.

    « € », the narrow no-break space of amounts and « ’ » are not all in the Windows code
    pages; Python would fail on them when the output goes to a file or a pipe.
    """
    for stream, errors in ((sys.stdout, "surrogateescape"), (sys.stderr, "backslashreplace")):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        reconfigure = getattr(stream, "reconfigure", None)
        if encoding != "utf8" and reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(encoding="utf-8", errors=errors)


def error(message: str) -> None:
    """A message on stderr, red on a terminal."""
    click.secho(message, err=True, fg="red")


def report_failure(exc: CtgdocsError) -> None:
    """Print a ctgdocs error as users read it."""
    if isinstance(exc, InvalidConventionError) and exc.reports:
        for line in format_text(exc.reports):
            click.echo(line, err=True)
        error(f"{summary(exc.reports)} Aucun document n'a été écrit.")
    else:
        error(f"Erreur : {exc}")


class Group(click.Group):
    """The ctgdocs command group: French messages, one error boundary."""

    def main(  # type: ignore[override]
        self, args: Sequence[str] | None = None, prog_name: str | None = None, **extra: Any
    ) -> NoReturn:
        install_french()
        use_utf8()
        try:
            result = super().main(args, prog_name or "ctgdocs", standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:
            click.echo(exc.format_message())
            sys.exit(0)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:
            error("Interrompu.")
            sys.exit(130)
        except CtgdocsError as exc:
            report_failure(exc)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            error("Interrompu.")
            sys.exit(130)
        except Exception as exc:
            # A defect of ctgdocs, not of the input: one line, the trace on request.
            if os.environ.get("CTGDOCS_DEBUG"):
                raise
            error(
                f"Erreur interne de ctgdocs ({type(exc).__name__} : {exc}). Relancez avec "
                "CTGDOCS_DEBUG=1 pour afficher la trace, et signalez ce problème."
            )
            sys.exit(INTERNAL_ERROR)
        sys.exit(result if isinstance(result, int) else 0)


class TerminalProgress:
    """Build progress: a bar on a terminal, plain lines otherwise (CI logs, pipes).

    Verbosity 0 shows nothing, 1 what was written or removed, 2 also why.
    """

    def __init__(self, verbosity: int = 1) -> None:
        self.verbosity = verbosity
        self.interactive = sys.stderr.isatty()
        self.bar: Any = None

    def start(self, total: int, label: str) -> None:
        self.close()
        # A bar only for builds that take more than a moment.
        if self.interactive and self.verbosity == 1 and total > 3:
            self.bar = click.progressbar(length=total, label=label, file=sys.stderr)
            self.bar.__enter__()

    def advance(self, count: int, message: str) -> None:
        if self.bar is not None:
            self.bar.update(count)
        elif self.verbosity >= 1 and message:
            click.echo(message)

    def detail(self, message: str) -> None:
        if self.verbosity >= 2:
            click.echo(message)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
