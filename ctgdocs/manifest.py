"""build/manifest.json: which YAML and template produced each output, and when it is stale.

A manifest comes from a previous build, or from a hand that edited it: every value is checked
on load, and a manifest that does not read as one is set aside (renamed) and the build starts
from scratch, never trusting a path it names outside the output folder.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, MutableMapping
from dataclasses import dataclass, field
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
    # Built as its act signed (or its compte rendu validated), not as a projet.
    final: bool = False

    def record(self) -> str:
        """The entry as the manifest writes it (JSON): made by the worker that renders its
        document, stored by the parent as it is."""
        return _dumps(self.as_json())

    @classmethod
    def from_record(cls, record: str) -> Entry:
        return cls(**json.loads(record))

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
            "final": self.final,
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

    def as_json(self) -> dict[str, Any]:
        # Not dataclasses.asdict: its deep copy of every problem was most of a manifest's save.
        return {
            "sha256": self.sha256,
            "ctgdocs": self.ctgdocs,
            "kinds": self.kinds,
            "problems": self.problems,
        }


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
        final=value.get("final") is True,
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


class _NotLines(Exception):
    """The manifest is not laid out one member a line as `Manifest.save` writes it."""


def _member(line: str) -> tuple[str, Any]:
    """`    "key": value,` → (key, value), for a line holding exactly one member."""
    try:
        member = json.loads("{" + line.strip().removesuffix(",") + "}")
    except (ValueError, RecursionError) as exc:
        raise _NotLines from exc
    if not isinstance(member, dict) or len(member) != 1:
        raise _NotLines
    key, value = next(iter(member.items()))
    return str(key), value


def _stream(lines: Iterable[str], store: _Store) -> None:
    """Read a manifest as `save` lays it out, one line at a time, into `store`.

    Memory stays that of one line whatever the number of documents. A layout this does not
    know (a manifest edited by hand, reformatted) raises _NotLines: the caller reads the file
    whole instead, which says what is wrong with it the way it always did.
    """
    opened: str | None = None  # the object whose members the next lines are
    seen: set[str] = set()
    ended = False
    for number, line in enumerate(lines):
        text = line.rstrip("\n")
        if ended or (number == 0) != (text == "{"):
            raise _NotLines
        if number == 0:
            continue
        if opened is not None:
            if text.strip() in ("}", "},"):
                opened = None
            elif text:
                _take(opened, *_member(text), store)
        elif text == "}":
            ended = True
        else:
            opened = _top_level(text, seen)
    if not ended or opened is not None or "documents" not in seen:
        raise _NotLines


def _take(name: str, key: str, value: Any, store: _Store) -> None:
    """One member of "documents" or of "sources", into the store."""
    if name == "documents":
        store.put(_inside(key, "documents"), _entry(value, f"documents[{key!r}]"))
    else:
        store.put_source(_text(key, "sources"), _record(value, f"sources[{key!r}]"))


def _top_level(text: str, seen: set[str]) -> str | None:
    """A top-level member's line: the name of the object it opens, or None for a value."""
    opens = text.endswith(": {") and not text.startswith("    ")
    name, value = _member(text[:-1] + "0" if opens else text)
    if name in seen or opens != (name in ("documents", "sources")):
        raise _NotLines
    # The format must be known before any document is trusted.
    if (name == "format" and value != _FORMAT) or (opens and "format" not in seen):
        raise _NotLines
    seen.add(name)
    return name if opens else None


class _Store:
    """The manifest's documents and sources, in a private temporary SQLite database on disk.

    A build's parent process holds tens of thousands of entries for a national build, and
    the warnings of each of its conventions: kept here, its memory is SQLite's page cache (a
    few megabytes) whatever their number. The file is SQLite's own temporary one, deleted
    when the connection closes or the process dies.
    """

    def __init__(self) -> None:
        self._db = sqlite3.connect("")
        self._db.execute(
            "CREATE TABLE entries (key TEXT PRIMARY KEY, source TEXT NOT NULL, "
            "folder TEXT NOT NULL, kind TEXT NOT NULL, data TEXT NOT NULL) WITHOUT ROWID"
        )
        self._db.execute("CREATE INDEX by_source ON entries (source)")
        # Each record as `save` writes it: the same bytes, never parsed again to be saved.
        self._db.execute(
            "CREATE TABLE sources (label TEXT PRIMARY KEY, data TEXT NOT NULL) WITHOUT ROWID"
        )

    def put(self, key: str, entry: Entry) -> None:
        self.put_records([(key, entry.source, entry.kind, entry.record())])

    def put_records(self, rows: Iterable[tuple[str, str, str, str]]) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?)",
            ((key, source, folder_of(key), kind, record) for key, source, kind, record in rows),
        )

    def get(self, key: str) -> Entry | None:
        row = self._db.execute("SELECT data FROM entries WHERE key = ?", (key,)).fetchone()
        return None if row is None else Entry.from_record(row[0])

    def delete(self, key: str) -> None:
        self._db.execute("DELETE FROM entries WHERE key = ?", (key,))

    def clear(self) -> None:
        self._db.execute("DELETE FROM entries")
        self._db.execute("DELETE FROM sources")

    def put_source(self, label: str, record: SourceRecord) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO sources VALUES (?, ?)", (label, _dumps(record.as_json()))
        )

    def get_source(self, label: str) -> SourceRecord | None:
        row = self._db.execute("SELECT data FROM sources WHERE label = ?", (label,)).fetchone()
        return None if row is None else SourceRecord(**json.loads(row[0]))

    def delete_source(self, label: str) -> None:
        self._db.execute("DELETE FROM sources WHERE label = ?", (label,))

    def source_lines(self) -> Iterator[tuple[str, str]]:
        """(label, record as JSON) of every source, by label (code points: Python's order)."""
        yield from self._db.execute("SELECT label, data FROM sources ORDER BY label")

    def source_count(self) -> int:
        count: int = self._db.execute("SELECT COUNT(*) FROM sources").fetchone()[0]
        return count

    def of_source(self, source: str) -> dict[str, Entry]:
        rows = self._db.execute(
            "SELECT key, data FROM entries WHERE source = ? ORDER BY key", (source,)
        )
        return {key: Entry.from_record(data) for key, data in rows}

    def folders(self, kinds: Iterable[str]) -> Iterator[tuple[str, str]]:
        """(source, folder) of the documents of these kinds, each pair once."""
        wanted = list(kinds)
        marks = ", ".join("?" * len(wanted))
        query = f"SELECT DISTINCT source, folder FROM entries WHERE kind IN ({marks})"
        yield from self._db.execute(query, wanted)

    def lines(self) -> Iterator[tuple[str, str]]:
        """(key, entry as JSON) of every document, by key."""
        yield from self._db.execute("SELECT key, data FROM entries ORDER BY key")

    def __len__(self) -> int:
        count: int = self._db.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
        return count

    def close(self) -> None:
        self._db.close()


def folder_of(key: str) -> str:
    """The first folder of an output's key, as Windows and macOS compare names (casefolded).

    Two keys equal in that comparison have equal first folders: comparing folders first
    finds the conventions that may write one document twice without holding every key.
    """
    return key.split("/", 1)[0].casefold()


class _Sources(MutableMapping[str, SourceRecord]):
    """The manifest's sources by label, read from and written to its store one at a time."""

    def __init__(self, store: _Store) -> None:
        self._store = store

    def __getitem__(self, label: str) -> SourceRecord:
        record = self._store.get_source(label)
        if record is None:
            raise KeyError(label)
        return record

    def __setitem__(self, label: str, record: SourceRecord) -> None:
        self._store.put_source(label, record)

    def __delitem__(self, label: str) -> None:
        if self._store.get_source(label) is None:
            raise KeyError(label)
        self._store.delete_source(label)

    def __iter__(self) -> Iterator[str]:
        return (label for label, _ in self._store.source_lines())

    def __len__(self) -> int:
        return self._store.source_count()


@dataclass
class Manifest:
    """Every output of a build folder, keyed by its path relative to the folder.

    The documents are on disk (`_Store`), never all in memory: `get`, `put`, `of_source` and
    `items` read and write them one at a time; `save` streams them into manifest.json.
    """

    folder: Path
    # Why a damaged manifest was set aside, to tell the user.
    note: str | None = None
    # When manifest.json was last written: outputs not modified since are not read again.
    written_ns: int | None = None
    _store: _Store = field(default_factory=_Store, repr=False)

    @property
    def sources(self) -> _Sources:
        """Each source's record, keyed by its path relative to the folder, as entries name it."""
        return _Sources(self._store)

    @classmethod
    def load(cls, folder: Path, *, read_only: bool = False) -> Manifest:
        """The folder's manifest; empty when absent, and set aside when damaged."""
        path = folder / MANIFEST
        manifest = cls(folder)
        try:
            status = path.stat()
            if status.st_size > _MAX_BYTES:
                raise DamagedManifest("fichier trop gros")
            manifest._read(path)
        except FileNotFoundError:
            return manifest
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            reason = str(exc) if isinstance(exc, DamagedManifest) else "JSON illisible"
            manifest._store.clear()
            manifest.note = _set_aside(path, reason, read_only)
            return manifest
        manifest.written_ns = status.st_mtime_ns
        return manifest

    def _read(self, path: Path) -> None:
        with path.open(encoding="utf-8") as handle:
            try:
                _stream(handle, self._store)
                return
            except _NotLines:
                pass
        self._store.clear()
        entries, sources = _parse(path.read_text(encoding="utf-8"))
        for key, entry in entries.items():
            self._store.put(key, entry)
        for label, record in sources.items():
            self._store.put_source(label, record)

    def get(self, key: str) -> Entry | None:
        return self._store.get(key)

    def put(self, key: str, entry: Entry) -> None:
        self._store.put(key, entry)

    def put_records(self, rows: Iterable[tuple[str, str, str, str]]) -> None:
        """`put` of each document given as (key, source, kind, `Entry.record`), in one
        statement: the records stored as the workers wrote them, never parsed."""
        self._store.put_records(rows)

    def delete(self, key: str) -> None:
        self._store.delete(key)

    def of_source(self, source: str) -> dict[str, Entry]:
        """The entries of one convention file (`source` is its label), by key."""
        return self._store.of_source(source)

    def folders(self, kinds: Iterable[str]) -> Iterator[tuple[str, str]]:
        """(source, casefolded first folder) of the documents of these kinds, each pair once."""
        return self._store.folders(kinds)

    def items(self) -> Iterator[tuple[str, Entry]]:
        """Every document's key and entry, by key, one at a time."""
        for key, data in self._store.lines():
            yield key, Entry.from_record(data)

    def __len__(self) -> int:
        return len(self._store)

    def close(self) -> None:
        self._store.close()

    def save(self) -> None:
        """Write the manifest, one document or source a line, streamed from the store."""
        try:
            write_atomically(self.folder / MANIFEST, self._chunks())
        except OutputError as exc:
            raise OutputError(f"manifeste non enregistré : {exc}") from exc

    def _chunks(self) -> Iterator[bytes]:
        yield b"{\n"
        yield f'  "ctgdocs": {_dumps(__version__)},\n  "format": {_FORMAT},\n'.encode()
        yield b'  "documents": {\n'
        yield from _members((key, data) for key, data in self._store.lines())
        yield b'  },\n  "sources": {\n'
        yield from _members(self._store.source_lines())
        yield b"  }\n}\n"

    def key(self, path: Path) -> str:
        return path.relative_to(self.folder).as_posix()


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _members(items: Iterable[tuple[str, str]]) -> Iterator[bytes]:
    """The members of a JSON object (key, value as JSON), one a line, in chunks of bytes."""
    lines: list[str] = []
    separator = ""
    for key, value in items:
        lines.append(f"    {_dumps(key)}: {value}")
        if len(lines) == 1000:
            yield (separator + ",\n".join(lines)).encode()
            lines, separator = [], ",\n"
    if lines:
        yield (separator + ",\n".join(lines)).encode()
    yield b"\n"  # an empty object too has its empty line


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
