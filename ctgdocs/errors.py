"""The exception hierarchy: every failure a user can meet, with its exit code."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .problems import FileReport


class CtgdocsError(Exception):
    """A failure reported to the user as a French message, without traceback."""

    exit_code = 1


class UsageError(CtgdocsError):
    """The command line asks for something impossible (bad option, missing path)."""

    exit_code = 2


class InvalidConventionError(CtgdocsError):
    """One or more convention files have errors; nothing was written."""

    def __init__(self, message: str, reports: Sequence[FileReport] = ()) -> None:
        super().__init__(message)
        self.reports = list(reports)


class OutputError(CtgdocsError):
    """A file could not be written where asked (permissions, existing file, disk)."""


class TemplateError(CtgdocsError):
    """A Word template does not parse or uses a variable its document does not provide."""

    exit_code = 3


class BuildFailedError(CtgdocsError):
    """Some documents could not be produced; the others were written."""


class ConversionError(CtgdocsError):
    """LibreOffice is missing, or could not convert some documents to PDF."""


class OutOfDateError(CtgdocsError):
    """`build --check` found outputs that are missing or out of date."""
