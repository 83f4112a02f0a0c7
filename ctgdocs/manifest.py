"""build/manifest.json: which YAML and template produced each output, and when it is stale."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .documents import Document
from .errors import OutputError
from .files import write_atomically

MANIFEST = "manifest.json"
_FORMAT = 1


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str | None:
    """The file's SHA-256, or None if it cannot be read."""
    try:
        return sha256_bytes(path.read_bytes())
    except OSError:
        return None


def context_digest(document: Document) -> str:
    """A digest of everything a document says: its context and its properties."""
    payload = {
        "context": document.context,
        "title": document.title,
        "subject": document.subject,
        "date": document.date,
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return sha256_bytes(text.encode("utf-8"))


@dataclass
class Entry:
    """The audit record of one output document (and its PDF)."""

    kind: str
    source: str
    source_sha256: str
    template: str
    template_sha256: str
    context_sha256: str
    ctgdocs: str
    sha256: str
    pdf: dict[str, Any] | None = None


@dataclass
class Manifest:
    """Every output of a build folder, keyed by its path relative to the folder."""

    folder: Path
    entries: dict[str, Entry] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        """The folder's manifest; empty when absent. A damaged manifest counts as absent."""
        path = folder / MANIFEST
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            entries = {key: Entry(**value) for key, value in raw["documents"].items()}
        except FileNotFoundError:
            return cls(folder)
        except (OSError, ValueError, KeyError, TypeError):
            # Unreadable or from another format: everything is rebuilt and it is rewritten.
            return cls(folder)
        return cls(folder, entries)

    def save(self) -> None:
        payload = {
            "format": _FORMAT,
            "ctgdocs": __version__,
            "documents": {key: asdict(self.entries[key]) for key in sorted(self.entries)},
        }
        text = json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        try:
            write_atomically(self.folder / MANIFEST, text.encode("utf-8"))
        except OutputError as exc:
            raise OutputError(f"manifeste non enregistré : {exc}") from exc

    def key(self, path: Path) -> str:
        return path.relative_to(self.folder).as_posix()
