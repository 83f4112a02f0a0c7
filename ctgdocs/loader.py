"""YAML file → plain data (every scalar as text) and the position of every node."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import InvalidConventionError
from .files import os_reason
from .problems import ERREUR, INTERDITS, DataPath, FileReport, Problem

_BaseLoader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _TextLoader(_BaseLoader):  # type: ignore[misc]
    """A composer that resolves no implicit type: `01000`, `on`, `12:30` stay text."""

    yaml_implicit_resolvers: dict[str, Any] = {}  # noqa: RUF012 (PyYAML class protocol)


_NULLS = {"", "~", "null", "Null", "NULL"}
_PLAIN = (None, "")  # PyYAML spells the plain style None, libyaml ""

# PyYAML's messages, in the words a user editing the file needs.
_YAML_MESSAGES = {
    "mapping values are not allowed": (
        "« : » inattendu ; si la valeur contient « : », mettez-la entre guillemets"
    ),
    "found character '\\t' that cannot start any token": (
        "tabulation interdite ; indentez avec des espaces"
    ),
    "could not find expected ':'": "« : » attendu après une clé (clé: valeur)",
    "did not find expected key": "indentation incohérente : clé attendue à ce niveau",
    "did not find expected '-' indicator": (
        "indentation incohérente : élément de liste « - » attendu à ce niveau"
    ),
    "found unexpected end of stream": "fin de fichier inattendue (guillemet non fermé ?)",
    "found unknown escape character": "séquence d'échappement inconnue après « \\ »",
    "exceeded maximum nesting depth": (
        "imbrication trop profonde : plus de 30 niveaux de blocs et de listes "
        "(une convention en compte au plus 7)"
    ),
    "found invalid Unicode character escape code": (
        "code de caractère invalide après « \\u » (un demi-caractère UTF-16 seul, "
        "de D800 à DFFF, n'est pas un caractère)"
    ),
    "but found another document": "un seul document attendu : supprimez le second « --- »",
    "expected a single document in the stream": (
        "un seul document attendu : supprimez le second « --- »"
    ),
    "found undefined alias": "alias « * » sans ancre « & » correspondante",
    "found duplicate anchor": "ancre « & » définie deux fois",
    "found character that cannot start any token": (
        "caractère interdit en début de valeur ; mettez la valeur entre guillemets"
    ),
    "found unexpected ':'": "« : » inattendu ; mettez la valeur entre guillemets",
    "expected <block end>, but found '-'": (
        "indentation incohérente : ce « - » n'est pas aligné sur les éléments de sa liste"
    ),
}


@dataclass
class Positions:
    """Where each node of the document stands (1-based line and column)."""

    values: dict[DataPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[DataPath, tuple[int, int]] = field(default_factory=dict)
    # A key that has no value inside `{…}`: a comma split the previous value.
    # Maps the stray key's path to the key the comma cut.
    stray_keys: dict[DataPath, str] = field(default_factory=dict)

    def locate(self, path: DataPath, *, key: bool = False) -> tuple[int, int]:
        """Position of `path`, or of its nearest located ancestor."""
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if key and prefix in self.keys:
                return self.keys[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return (1, 1)


@dataclass
class LoadedFile:
    """A convention file read as text values, with positions."""

    path: Path
    data: dict[str, Any]
    positions: Positions
    # Characters no document may hold, found inside values (the data is still usable).
    problems: list[Problem] = field(default_factory=list)


class _Failure(Exception):
    def __init__(self, message: str, line: int = 1, column: int = 1, path: DataPath = ()):
        super().__init__(message)
        self.problem = Problem(ERREUR, path, message, line, column)
        self.problems = [self.problem]


def _mark(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


# Limits no real convention comes near (the largest has a few thousand values, 7 levels):
# they keep a hostile file from holding ctgdocs' time or memory.
MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 30
MAX_VALUES = 50_000
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.S)
_SHORT_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "v": "\v", "f": "\f", "e": "\x1b"}


def forbidden_character(char: str) -> str:
    """Why `char` cannot be in a document, in French."""
    return (
        f"caractère interdit U+{ord(char):04X} (invisible, refusé par Word) : "
        "supprimez-le ou retapez le texte autour"
    )


def _index(mark: Any) -> int:
    return int(mark.index) if mark is not None else 0


def _line_column(text: str, index: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def _escaped_offset(source: str, char: str) -> int:
    """Where in a quoted scalar's source the escape giving `char` stands (0 if unknown)."""
    literal = source.find(char)
    if literal >= 0:
        return literal
    for match in _ESCAPE.finditer(source):
        code = match[1]
        decoded = chr(int(code[1:], 16)) if len(code) > 1 else _SHORT_ESCAPES.get(code, code)
        if decoded == char:
            return match.start()
    return 0


@dataclass
class _Frame:
    """A mapping or a list being built, with where it stands."""

    value: dict[str, Any] | list[Any]
    path: DataPath
    flow: bool = False
    key: str | None = None
    previous_key: str | None = None


class _Builder:
    """Turn YAML events into dicts, lists and strings, recording positions.

    Built from events, without recursion: depth, size, anchors and characters are checked
    as the file is read, before anything grows.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.positions = Positions()
        self.problems: list[Problem] = []
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.started = False
        self.count = 0

    def build(self, events: Iterator[yaml.Event]) -> Any:
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                if self.started:
                    raise _Failure(
                        "erreur de syntaxe YAML : un seul document attendu : "
                        "supprimez le second « --- »",
                        *_mark(event.start_mark),
                    )
                self.started = True
            elif isinstance(event, yaml.CollectionEndEvent):
                frame = self.stack.pop()
                if not self.stack:
                    self.root = frame.value
            elif isinstance(event, yaml.NodeEvent):
                self._node(event)
        return self.root

    def _node(self, event: yaml.NodeEvent) -> None:
        self._refuse_anchors(event)
        frame = self.stack[-1] if self.stack else None
        if isinstance(frame, _Frame) and isinstance(frame.value, dict) and frame.key is None:
            self._key(frame, event)
            return
        path = self._child_path(frame)
        self.count += 1
        if self.count > MAX_VALUES:
            raise _Failure(
                f"fichier trop grand : plus de {MAX_VALUES:,} valeurs ".replace(",", "\u202f")
                + "(une convention en compte quelques milliers)",
                *_mark(event.start_mark),
            )
        self.positions.values[path] = _mark(event.start_mark)
        if isinstance(event, yaml.ScalarEvent):
            value: Any = self._scalar(event, path)
            if event.style in _PLAIN and value in _NULLS:
                value = None
            self._attach(frame, value)
            return
        if len(self.stack) >= MAX_DEPTH:
            raise _Failure(
                f"imbrication trop profonde : plus de {MAX_DEPTH} niveaux de blocs et de listes "
                "(une convention en compte au plus 7)",
                *_mark(event.start_mark),
            )
        container: dict[str, Any] | list[Any] = (
            {} if isinstance(event, yaml.MappingStartEvent) else []
        )
        self._attach(frame, container)
        self.stack.append(_Frame(container, path, flow=bool(getattr(event, "flow_style", False))))

    def _refuse_anchors(self, event: yaml.NodeEvent) -> None:
        if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
            sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
            raise _Failure(
                f"{'alias' if sign == '*' else 'ancre'} YAML « {sign}{event.anchor} » refusé"
                f"{'' if sign == '*' else 'e'} : une convention n'utilise ni ancres (&) "
                "ni alias (*) ; recopiez la valeur à chaque endroit",
                *_mark(event.start_mark),
            )

    def _key(self, frame: _Frame, event: yaml.NodeEvent) -> None:
        if not isinstance(event, yaml.ScalarEvent):
            raise _Failure(
                "clé invalide : une clé doit être un simple mot",
                *_mark(event.start_mark),
                frame.path,
            )
        key = str(event.value)
        key_path = (*frame.path, key)
        if key in frame.value:
            first_line = self.positions.keys[key_path][0]
            raise _Failure(
                f"clé en double : « {key} » est déjà définie ligne {first_line} "
                "(YAML ne garderait que la dernière valeur)",
                *_mark(event.start_mark),
                key_path,
            )
        self._scalar(event, key_path)
        self.positions.keys[key_path] = _mark(event.start_mark)
        frame.key = key

    def _child_path(self, frame: _Frame | None) -> DataPath:
        if frame is None:
            return ()
        if isinstance(frame.value, list):
            return (*frame.path, len(frame.value))
        return (*frame.path, str(frame.key))

    def _attach(self, frame: _Frame | None, value: Any) -> None:
        if frame is None:
            self.root = value
        elif isinstance(frame.value, list):
            frame.value.append(value)
        else:
            key = str(frame.key)
            frame.value[key] = value
            frame.previous_key, frame.key = key, None

    def _scalar(self, event: yaml.ScalarEvent, path: DataPath) -> str:
        value: str = event.value
        frame = self.stack[-1] if self.stack else None
        if (
            frame is not None
            and frame.flow
            and isinstance(frame.value, dict)
            and frame.key is not None
            and frame.previous_key is not None
            and value == ""
            and event.style in _PLAIN
        ):
            self.positions.stray_keys[(*frame.path, frame.key)] = frame.previous_key
        match = INTERDITS.search(value)
        if match:
            start, end = _index(event.start_mark), _index(event.end_mark)
            offset = start + _escaped_offset(self.text[start:end], match[0])
            line, column = _line_column(self.text, offset)
            self.problems.append(Problem(ERREUR, path, forbidden_character(match[0]), line, column))
        return value


def _utf16(raw: bytes) -> bool:
    """A UTF-16 text: Windows Notepad's « Unicode », with or without its byte order mark."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    # Without a mark: mostly text below U+0100, whose high bytes are NULs, every other byte.
    head = raw[:200]
    even, odd = head[::2], head[1::2]
    if len(odd) < 2:
        return False
    return any(
        nuls.count(0) >= 0.7 * len(nuls) and others.count(0) <= 0.1 * len(others)
        for nuls, others in ((odd, even), (even, odd))
    )


def _decode(raw: bytes) -> str:
    if _utf16(raw):
        raise _Failure(
            "le fichier est encodé en UTF-16 (« Unicode » du Bloc-notes) ; enregistrez-le en "
            "UTF-8 (Bloc-notes : Fichier > Enregistrer sous, Encodage : UTF-8)"
        )
    if b"\x00" in raw:
        raise _Failure("fichier binaire : un fichier texte YAML (UTF-8) est attendu")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _Failure(
            "le fichier n'est pas encodé en UTF-8 (octet invalide) ; "
            "enregistrez-le en UTF-8 depuis votre éditeur",
            line,
            column,
        ) from exc


def _syntax_failure(exc: yaml.YAMLError, text: str) -> _Failure:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, column = _mark(mark) if mark is not None else (1, 1)
    problem = str(getattr(exc, "problem", "") or exc).strip()
    lines = text.splitlines()
    if line <= len(lines) and lines[line - 1][column - 1 : column] == "\t":
        # libyaml does not name the tab it trips on.
        problem = "found character '\\t' that cannot start any token"
    context = str(getattr(exc, "context", "") or "")
    opened = getattr(exc, "context_mark", None)
    if context.startswith("while parsing a flow") and opened is not None:
        # An unclosed { or [ fails at the end of the file; where it opened is what helps.
        line, column = _mark(opened)
        closing = "}" if "mapping" in context else "]"
        return _Failure(
            f"erreur de syntaxe YAML : « {'{' if closing == '}' else '['} » ouvert ici "
            f"n'est pas fermé par « {closing} » (ou une virgule manque entre deux valeurs)",
            line,
            column,
        )
    french = next((fr for en, fr in _YAML_MESSAGES.items() if problem.startswith(en)), None)
    if french is None:
        french = f"syntaxe YAML invalide ({problem})"
    return _Failure(f"erreur de syntaxe YAML : {french}", line, column)


def _refuse_characters(text: str) -> None:
    """Report every character YAML refuses to read, where it stands, before parsing."""
    problems = [
        Problem(ERREUR, (), forbidden_character(m[0]), *_line_column(text, m.start()))
        for m in INTERDITS.finditer(text)
    ]
    if problems:
        failure = _Failure(problems[0].message, problems[0].line, problems[0].column)
        failure.problems = problems
        raise failure


def parse_text(text: str) -> tuple[dict[str, Any], Positions]:
    """Parse YAML text into data whose scalars are all strings (or None)."""
    data, positions, problems = _parse(text)
    if problems:
        failure = _Failure(problems[0].message, problems[0].line, problems[0].column)
        failure.problems = problems
        raise failure
    return data, positions


def _parse(text: str) -> tuple[dict[str, Any], Positions, list[Problem]]:
    """The data, positions, and the forbidden characters found inside its values."""
    _refuse_characters(text)
    builder = _Builder(text)
    try:
        root = builder.build(yaml.parse(text, Loader=_TextLoader))
    except yaml.YAMLError as exc:
        raise _syntax_failure(exc, text) from exc
    if root is None and not builder.positions.values:
        raise _Failure("le fichier est vide : une convention YAML est attendue")
    if not isinstance(root, dict):
        line, column = builder.positions.values.get((), (1, 1))
        raise _Failure(
            "le fichier doit contenir des clés (format, convention, territoire, parties…), "
            "pas une liste ni un texte seul",
            line,
            column,
        )
    return root, builder.positions, builder.problems


def _read(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except IsADirectoryError as exc:
        raise _Failure("est un dossier, pas un fichier YAML") from exc
    except FileNotFoundError as exc:
        raise _Failure("fichier introuvable") from exc
    except OSError as exc:
        raise _Failure(f"fichier illisible ({os_reason(exc)})") from exc
    if len(raw) > MAX_BYTES:
        raise _Failure(
            f"fichier trop volumineux : plus de {MAX_BYTES // (1024 * 1024)} Mo "
            "(une convention fait quelques dizaines de Ko) ; est-ce le bon fichier ?"
        )
    return raw


def load_convention(path: Path) -> LoadedFile:
    """Read and parse one convention file, or raise with a located French message.

    Forbidden characters inside values do not stop the reading: they are in `problems`,
    with the other problems of the file.
    """
    try:
        data, positions, problems = _parse(_decode(_read(path)))
    except _Failure as failure:
        raise InvalidConventionError(
            f"{path} : {failure.problem.message}",
            reports=[FileReport(path, failure.problems)],
        ) from failure
    return LoadedFile(path, data, positions, problems)
