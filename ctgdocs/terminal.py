"""The terminal: output, progress, and the one place that turns errors into exit codes."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from types import FrameType
from typing import Any, NoReturn

import click

from .clickfr import FrenchCommand, FrenchContext, install_french
from .errors import CtgdocsError, InvalidConventionError
from .problems import format_text, summary

INTERNAL_ERROR = 4


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
        hint = ""
        if len(exc.reports) > 1 and any(report.ok for report in exc.reports):
            hint = " Avec --continuer, les conventions valides sont construites."
        error(f"{summary(exc.reports)} Aucun document n'a été écrit.{hint}")
    else:
        error(f"Erreur : {exc}")


# Stop requests other than Ctrl-C: `kill`, a service manager (SIGTERM), the terminal closed
# (SIGHUP), Ctrl-Break on Windows (SIGBREAK). Windows' Task Manager kills without a signal.
_STOP_SIGNALS = ("SIGTERM", "SIGHUP", "SIGBREAK")


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def stop_requests_interrupt() -> Iterator[None]:
    """Make a stop request interrupt as Ctrl-C does: what the command started stops, its
    temporary files are removed, its lock released; the previous handlers come back after."""
    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for name in _STOP_SIGNALS:
            number = getattr(signal, name, None)
            if number is not None:
                with contextlib.suppress(OSError, ValueError):
                    previous[number] = signal.signal(number, _interrupt)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


class Group(click.Group):
    """The ctgdocs command group: French messages, one error boundary."""

    context_class = FrenchContext
    command_class = FrenchCommand
    group_class = type

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", "COMMANDE [ARGUMENTS]...")
        super().__init__(*args, **kwargs)

    def main(  # type: ignore[override]
        self, args: Sequence[str] | None = None, prog_name: str | None = None, **extra: Any
    ) -> NoReturn:
        install_french()
        use_utf8()
        try:
            with stop_requests_interrupt():
                result = super().main(args, prog_name or "ctgdocs", standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:
            click.echo(exc.format_message())
            sys.exit(0)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:  # Ctrl-C or a stop request, turned into Abort by click
            with contextlib.suppress(OSError):  # the terminal may be gone (SIGHUP)
                error("Interrompu.")
            sys.exit(130)
        except CtgdocsError as exc:
            report_failure(exc)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            with contextlib.suppress(OSError):  # the terminal may be gone (SIGHUP)
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
