"""What every document kind returns: the Document to render, and safe file names."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from ..formatting import sans_accents
from ..typographie import composer
from ..wordml import NON_BREAKING_HYPHEN, SUPERSCRIPT_END, SUPERSCRIPT_START

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# Names Windows keeps for devices, whatever the extension ("con.docx" cannot be created).
RESERVED_NAMES = {
    "CON", "PRN", "AUX", "NUL", *(f"{port}{n}" for port in ("COM", "LPT") for n in range(10))
}  # fmt: skip
MAX_NAME = 80
# Word refuses a document property (title, subject) longer than this.
MAX_PROPERTY = 255


@dataclass(frozen=True)
class Document:
    """One document to produce: its template, where it goes, and everything it says."""

    kind: str
    template: str
    output: PurePosixPath  # relative to build/<reference>/
    context: Mapping[str, Any]
    title: str
    subject: str
    date: dt.date  # the document's date in its properties (reproducible)

    def __post_init__(self) -> None:
        # Long titles and references are valid data; the properties only summarise them.
        object.__setattr__(self, "title", _property(self.title))
        object.__setattr__(self, "subject", _property(self.subject))


def _property(text: str) -> str:
    # Typeset as the document's text is (« L’Aigle », guillemets), in plain characters: a
    # property holds no superscript, and Windows' dialogs may lack the non-breaking hyphen.
    text = composer(text).replace(SUPERSCRIPT_START, "").replace(SUPERSCRIPT_END, "")
    text = text.replace(NON_BREAKING_HYPHEN, "-")
    return text if len(text) <= MAX_PROPERTY else text[: MAX_PROPERTY - 1].rstrip() + "…"


@dataclass(frozen=True)
class DocumentKind:
    """A kind of document, declared once: its name (`--only`), Word template, files, planning."""

    name: str
    template: str
    folder: str  # under build/<reference>/; "" for the convention itself
    naming: str  # how each file is named, as the README and `--help` say it
    plan: Callable[[dict[str, Any]], list[Document]]
    # The TypedDict its context follows (contextes.py): templates check reads it.
    contexte: type[Any]

    def document(
        self, name: str, context: Mapping[str, Any], title: str, subject: str, date: dt.date
    ) -> Document:
        """One document of this kind, in its folder under `name`."""
        output = PurePosixPath(self.folder) / name if self.folder else PurePosixPath(name)
        return Document(self.name, self.template, output, context, title, subject, date)


def safe_name(text: str) -> str:
    """A portable file name from data: "FA 1/1 (été)" → "FA-1-1-ete".

    Never a path (no separator, no "..", no leading dot), never a name Windows reserves
    or ending in a dot or space, at most MAX_NAME characters; "document" when nothing
    is left. Two texts may give one name: the rules refuse that within a convention.
    """
    name = _UNSAFE.sub("-", sans_accents(text)).strip("-.")[:MAX_NAME].rstrip("-.")
    if name.split(".")[0].upper() in RESERVED_NAMES:
        return f"_{name}"
    return name or "document"


def sujet(doc: dict[str, Any]) -> str:
    """The subject property every document of a convention carries."""
    return f"Convention territoriale globale {doc['convention']['reference']}"


def date_convention(doc: dict[str, Any]) -> dt.date:
    """The convention's date: its signature, or for a draft the start of its period."""
    convention = doc["convention"]
    signature = convention.get("signature")
    day: dt.date = signature["date"] if signature else convention["periode"]["debut"]
    return day
