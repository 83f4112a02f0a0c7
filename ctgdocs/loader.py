"""YAML file → plain data (every scalar as text) and the position of every node."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import InvalidConventionError
from .problems import ERREUR, DataPath, FileReport, Problem

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


class _Failure(Exception):
    def __init__(self, message: str, line: int = 1, column: int = 1, path: DataPath = ()):
        super().__init__(message)
        self.problem = Problem(ERREUR, path, message, line, column)


def _mark(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


class _Builder:
    """Turn composed YAML nodes into dicts, lists and strings, recording positions."""

    def __init__(self) -> None:
        self.positions = Positions()

    def build(self, node: yaml.Node, path: DataPath) -> Any:
        self.positions.values[path] = _mark(node.start_mark)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        value: str = node.value
        if getattr(node, "style", None) in _PLAIN and value in _NULLS:
            return None
        return value

    def _mapping(self, node: yaml.MappingNode, path: DataPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        previous_key: str | None = None
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                line, column = _mark(key_node.start_mark)
                raise _Failure("clé invalide : une clé doit être un simple mot", line, column, path)
            key = str(key_node.value)
            key_path = (*path, key)
            if key in result:
                first_line = self.positions.keys[key_path][0]
                line, column = _mark(key_node.start_mark)
                raise _Failure(
                    f"clé en double : « {key} » est déjà définie ligne {first_line} "
                    "(YAML ne garderait que la dernière valeur)",
                    line,
                    column,
                    key_path,
                )
            self.positions.keys[key_path] = _mark(key_node.start_mark)
            if (
                node.flow_style
                and previous_key is not None
                and isinstance(value_node, yaml.ScalarNode)
                and value_node.value == ""
                and value_node.style in _PLAIN
            ):
                self.positions.stray_keys[key_path] = previous_key
            result[key] = self.build(value_node, key_path)
            previous_key = key
        return result


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


def parse_text(text: str) -> tuple[dict[str, Any], Positions]:
    """Parse YAML text into data whose scalars are all strings (or None)."""
    try:
        node = yaml.compose(text, Loader=_TextLoader)
    except yaml.YAMLError as exc:
        raise _syntax_failure(exc, text) from exc
    if node is None:
        raise _Failure("le fichier est vide : une convention YAML est attendue")
    if not isinstance(node, yaml.MappingNode):
        line, column = _mark(node.start_mark)
        raise _Failure(
            "le fichier doit contenir des clés (format, convention, territoire, parties…), "
            "pas une liste ni un texte seul",
            line,
            column,
        )
    builder = _Builder()
    data = builder.build(node, ())
    return data, builder.positions


def load_convention(path: Path) -> LoadedFile:
    """Read and parse one convention file, or raise with a located French message."""
    try:
        try:
            raw = path.read_bytes()
        except IsADirectoryError as exc:
            raise _Failure("est un dossier, pas un fichier YAML") from exc
        except FileNotFoundError as exc:
            raise _Failure("fichier introuvable") from exc
        except OSError as exc:
            raise _Failure(f"fichier illisible ({exc.strerror})") from exc
        data, positions = parse_text(_decode(raw))
    except _Failure as failure:
        raise InvalidConventionError(
            f"{path} : {failure.problem.message}",
            reports=[FileReport(path, [failure.problem])],
        ) from failure
    return LoadedFile(path, data, positions)
