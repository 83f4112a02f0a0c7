"""build/manifest.json: which YAML and template produced each output, and when it is stale.

A manifest comes from a previous build, or from a hand that edited it: every value is checked
on load, and a manifest that does not read as one is set aside (renamed) and the build starts
from scratch, never trusting a path it names outside the output folder.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .documents import Document
from .documents.base import RESERVED_NAMES
from .errors import OutputError
from .files import write_atomically
from .problems import one_line

MANIFEST = "manifest.json"
SET_ASIDE = "manifest-illisible.json"
_FORMAT = 1
_MAX_BYTES = 256 * 1024 * 1024


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str | None:
    """The file's SHA-256, or None if it cannot be read."""
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def unchanged_output(path: Path, sha256: str, size: int | None, written_ns: int | None) -> bool:
    """Whether an output is still the file the manifest records.

    A file of the recorded size, not modified since the manifest was written, is taken as
    unchanged without being read (as make and git do); otherwise its digest decides.
    """
    try:
        status = path.stat()
    except OSError:
        return False
    if size is not None and status.st_size != size:
        return False
    if size is not None and written_ns is not None and status.st_mtime_ns <= written_ns:
        return True
    return sha256_file(path) == sha256


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


@dataclass(slots=True)
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
    size: int | None = None  # bytes of the output, to skip reading it when unchanged
    pdf: dict[str, Any] | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "source": self.source,
            "source_sha256": self.source_sha256,
            "template": self.template,
            "template_sha256": self.template_sha256,
            "context_sha256": self.context_sha256,
            "ctgdocs": self.ctgdocs,
            "sha256": self.sha256,
            "size": self.size,
            "pdf": self.pdf,
        }


@dataclass
class SourceRecord:
    """What the last build knew of one convention file: enough to skip it when unchanged.

    `kinds` maps each document kind built from this very content to its template and the
    template's digest; `problems` are the warnings its validation gave, printed again.
    """

    sha256: str
    ctgdocs: str
    kinds: dict[str, dict[str, str]]
    problems: list[dict[str, Any]] = field(default_factory=list)


class DamagedManifest(ValueError):
    """A manifest.json that is not one this version of ctgdocs wrote."""


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise DamagedManifest(f"{where} : texte attendu")
    return value


# Every name ctgdocs gives an output (documents.safe_name and fixed folder names): anything
# else in a key (a NUL, a backslash, a drive, a name Windows reserves) was not written by it.
_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,254}")


def _inside(key: Any, where: str) -> str:
    """A path relative to the output folder that stays inside it, made of names ctgdocs gives."""
    text = _text(key, where)
    parts = text.split("/")
    if not all(
        _NAME.fullmatch(part) and part.split(".")[0].upper() not in RESERVED_NAMES for part in parts
    ):
        shown = one_line(text[:80])
        raise DamagedManifest(f"{where} : chemin hors du dossier de sortie ({shown})")
    return text


def _pdf(value: Any, where: str) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise DamagedManifest(f"{where} : bloc attendu")
    pdfa = value.get("pdfa", False)
    if not isinstance(pdfa, bool):
        raise DamagedManifest(f"{where}.pdfa : vrai ou faux attendu")
    return {
        "path": _inside(value.get("path"), f"{where}.path"),
        "sha256": _text(value.get("sha256"), f"{where}.sha256"),
        "pdfa": pdfa,
        "size": _size(value.get("size"), f"{where}.size"),
    }


def _size(value: Any, where: str) -> int | None:
    if value is not None and (type(value) is not int or value < 0):
        raise DamagedManifest(f"{where} : nombre d'octets attendu")
    return value


_ENTRY_TEXTS = (
    "kind",
    "source",
    "source_sha256",
    "template",
    "template_sha256",
    "context_sha256",
    "ctgdocs",
    "sha256",
)


def _entry(value: Any, where: str) -> Entry:
    if not isinstance(value, dict):
        raise DamagedManifest(f"{where} : bloc attendu")
    texts = {name: _text(value.get(name), f"{where}.{name}") for name in _ENTRY_TEXTS}
    return Entry(
        **texts,
        size=_size(value.get("size"), f"{where}.size"),
        pdf=_pdf(value.get("pdf"), f"{where}.pdf"),
    )


def _kind(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise DamagedManifest(f"{where} : bloc attendu")
    return {
        "template": _text(value.get("template"), f"{where}.template"),
        "template_sha256": _text(value.get("template_sha256"), f"{where}.template_sha256"),
    }


def _record(value: Any, where: str) -> SourceRecord:
    if not isinstance(value, dict):
        raise DamagedManifest(f"{where} : bloc attendu")
    kinds = value.get("kinds")
    problems = value.get("problems", [])
    if not isinstance(kinds, dict) or not isinstance(problems, list):
        raise DamagedManifest(f"{where} : kinds ou problems illisibles")
    return SourceRecord(
        sha256=_text(value.get("sha256"), f"{where}.sha256"),
        ctgdocs=_text(value.get("ctgdocs"), f"{where}.ctgdocs"),
        kinds={_text(k, where): _kind(t, f"{where}.kinds.{k}") for k, t in kinds.items()},
        problems=[p for p in problems if isinstance(p, dict)],
    )


def _parse(text: str) -> tuple[dict[str, Entry], dict[str, SourceRecord]]:
    try:
        raw = json.loads(text)
    except RecursionError as exc:
        raise DamagedManifest("imbrication trop profonde") from exc
    if not isinstance(raw, dict) or raw.get("format") != _FORMAT:
        raise DamagedManifest("format inconnu")
    documents = raw.get("documents")
    sources = raw.get("sources", {})
    if not isinstance(documents, dict) or not isinstance(sources, dict):
        raise DamagedManifest("documents ou sources illisibles")
    entries = {
        _inside(key, "documents"): _entry(value, f"documents[{key!r}]")
        for key, value in documents.items()
    }
    records = {
        _text(key, "sources"): _record(value, f"sources[{key!r}]") for key, value in sources.items()
    }
    return entries, records


@dataclass
class Manifest:
    """Every output of a build folder, keyed by its path relative to the folder."""

    folder: Path
    entries: dict[str, Entry] = field(default_factory=dict)
    # Keyed by the source's path relative to the folder, as entries name it.
    sources: dict[str, SourceRecord] = field(default_factory=dict)
    # Why a damaged manifest was set aside, to tell the user.
    note: str | None = None
    # When manifest.json was last written: outputs not modified since are not read again.
    written_ns: int | None = None

    @classmethod
    def load(cls, folder: Path, *, read_only: bool = False) -> Manifest:
        """The folder's manifest; empty when absent, and set aside when damaged."""
        path = folder / MANIFEST
        try:
            status = path.stat()
            if status.st_size > _MAX_BYTES:
                raise DamagedManifest("fichier trop gros")
            entries, sources = _parse(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(folder)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            reason = str(exc) if isinstance(exc, DamagedManifest) else "JSON illisible"
            return cls(folder, note=_set_aside(path, reason, read_only))
        return cls(folder, entries, sources, written_ns=status.st_mtime_ns)

    def save(self) -> None:
        """Write the manifest, one document or source a line (readable, and fast to write).

        Built line by line into one buffer: a manifest of 50,000 documents is 30 MB, and
        building it as JSON objects, then lines, then one text, then its bytes took five
        times that.
        """
        data = bytearray(b"{\n")
        data += f'  "ctgdocs": {_dumps(__version__)},\n  "format": {_FORMAT},\n'.encode()
        data += b'  "documents": {\n'
        _members(data, ((k, self.entries[k].as_json()) for k in sorted(self.entries)))
        data += b'  },\n  "sources": {\n'
        _members(data, ((k, asdict(self.sources[k])) for k in sorted(self.sources)))
        data += b"  }\n}\n"
        try:
            write_atomically(self.folder / MANIFEST, data)
        except OutputError as exc:
            raise OutputError(f"manifeste non enregistré : {exc}") from exc

    def key(self, path: Path) -> str:
        return path.relative_to(self.folder).as_posix()


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _members(data: bytearray, items: Iterable[tuple[str, Any]]) -> None:
    """Append the members of a JSON object, one a line, to `data`."""
    separator = b""
    for key, value in items:
        data += separator
        data += f"    {_dumps(key)}: {_dumps(value)}".encode()
        separator = b",\n"
    data += b"\n"  # an empty object too has its empty line


def _set_aside(path: Path, reason: str, read_only: bool) -> str:
    """Rename a damaged manifest out of the way; the message that says so."""
    if read_only:
        return f"{path} illisible ({reason}) : tout est considéré comme à reconstruire"
    try:
        path.replace(path.with_name(SET_ASIDE))
    except OSError:
        return f"{path} illisible ({reason}) : tout est reconstruit"
    return (
        f"{path} illisible ({reason}) : mis de côté sous {path.with_name(SET_ASIDE)} ; "
        "tout est reconstruit"
    )
