"""YAML file → plain data (every scalar as text) and the position of every node."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import InvalidConventionError
from .files import not_a_file, os_reason
from .problems import ERREUR, INTERDITS, DataPath, FileReport, Problem

_BaseLoader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _TextLoader(_BaseLoader):  # type: ignore[misc]
    """A composer that resolves no implicit type: `01000`, `on`, `12:30` stay text."""

    yaml_implicit_resolvers: dict[str, Any] = {}  # noqa: RUF012 (PyYAML class protocol)


_NULLS = {"", "~", "null", "Null", "NULL"}
_PLAIN = (None, "")  # PyYAML spells the plain style None, libyaml ""
# What hardly starts an item of a list but often follows a comma in one: a lowercase « d' »
# (not « d'autres »), « de », « du », « et », « ou », that links to what precedes.
_CONTINUATION = re.compile(r"(?:d['’](?!autres?\b)|(?:et|ou|de|du) )[^\W\d_]")

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
# Messages of libyaml, then of PyYAML's own parser, for what a user types by mistake.
_ECHAPPEMENT = (
    "« \\x », « \\u » ou « \\U » entre guillemets doubles attend un code hexadécimal ; "
    "pour écrire une barre oblique inverse (un chemin Windows), mettez la valeur entre "
    "apostrophes ou doublez-la (« \\\\ »)"
)
_BLOC = (
    "après « | » ou « > », rien d'autre sur la ligne : le texte commence à la ligne "
    "suivante, indenté"
)
_INDICATEUR_ZERO = "« |0 » ou « >0 » : écrivez « | » seul, le texte indenté dessous"
_TIRET = (
    "« - » inattendu après « : » : une liste commence à la ligne suivante, un « - élément » "
    "indenté par ligne ; un texte qui commence par « - » se met entre guillemets"
)
_ETOILE = (
    "« * » ou « & » en début de valeur désigne un alias ou une ancre YAML : mettez la "
    "valeur entre guillemets (une puce s'écrit « - » dans un bloc « | »)"
)
_CONTENU = (
    "valeur attendue : « ] », « } » ou « , » ne commence pas une valeur ; mettez la "
    "valeur entre guillemets"
)
_QUESTION = "« ? » en début de valeur : mettez la valeur entre guillemets"
_ETIQUETTE = (
    "« ! » en début de valeur désigne une étiquette YAML : mettez la valeur entre guillemets"
)
_YAML_MESSAGES |= {
    "did not find expected hexdecimal number": _ECHAPPEMENT,
    "expected escape sequence of": _ECHAPPEMENT,
    "did not find expected comment or line break": _BLOC,
    "expected a comment or a line break": _BLOC,
    "found an indentation indicator equal to 0": _INDICATEUR_ZERO,
    "expected indentation indicator in the range 1-9": _INDICATEUR_ZERO,
    "block sequence entries are not allowed in this context": _TIRET,
    "sequence entries are not allowed here": _TIRET,
    "did not find expected alphabetic or numeric character": _ETOILE,
    "expected alphabetic or numeric character": _ETOILE,
    "did not find expected node content": _CONTENU,
    "expected the node content": _CONTENU,
    "mapping keys are not allowed": _QUESTION,
    "found undefined tag handle": _ETIQUETTE,
    "did not find the expected '>'": _ETIQUETTE,
    "expected '>'": _ETIQUETTE,
}


@dataclass
class Positions:
    """Where each node of the document stands (1-based line and column)."""

    values: dict[DataPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[DataPath, tuple[int, int]] = field(default_factory=dict)
    # A key that has no value inside `{…}`: a comma split the previous value.
    # Maps the stray key's path to the key the comma cut.
    stray_keys: dict[DataPath, str] = field(default_factory=dict)
    # An item of a `[…]` list that reads as the end of the previous one (« d'appui et
    # d'accompagnement » after « Réseau d'écoute »): its path, and the previous item.
    cut_items: dict[DataPath, str] = field(default_factory=dict)

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
    # Keys written twice in one block: the first value is kept and validated.
    duplicates: list[Problem] = field(default_factory=list)


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


@dataclass(slots=True)
class _Frame:
    """A mapping or a list being built, with where it stands."""

    value: dict[str, Any] | list[Any]
    path: DataPath
    flow: bool = False
    key: str | None = None
    previous_key: str | None = None
    mapping: bool = False


_SCALAR, _MAPPING, _SEQUENCE = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
_MAPPING_END, _SEQUENCE_END = yaml.MappingEndEvent, yaml.SequenceEndEvent


class _Builder:
    """Turn YAML events into dicts, lists and strings, recording positions.

    Built from events, without recursion: depth, size, anchors and characters are checked
    as the file is read, before anything grows. Every value of every file goes through
    `build`'s loop: keys and values are handled there, with what they need at hand; what
    is rare (containers, refusals, forbidden characters) has its own method.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.positions = Positions()
        self.problems: list[Problem] = []
        self.duplicates: list[Problem] = []
        # The second value of a duplicated key, built under a name no key has, then dropped.
        self.discarded: list[tuple[dict[str, Any], str]] = []
        self.renamed: dict[str | int, str | int] = {}
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.started = False
        self.count = 0

    # Every key and value of every file goes through this loop: it is one function, with
    # what it needs in locals, for speed (a method call per event cost a fifth of loading).
    def build(self, events: Iterator[yaml.Event]) -> Any:  # noqa: PLR0912, PLR0915
        stack, values, keys = self.stack, self.positions.values, self.positions.keys
        search = INTERDITS.search
        event: Any
        for event in events:
            kind = type(event)
            if kind is _SCALAR or kind is _MAPPING or kind is _SEQUENCE:
                if event.anchor is not None:
                    self._refuse_anchors(event)
                top = stack[-1] if stack else None
                if top is None:
                    path: DataPath = ()
                elif top.mapping:
                    if top.key is None:  # the event is a key of this block
                        name: str = event.value if kind is _SCALAR else ""
                        if kind is not _SCALAR or name in top.value:
                            name = self._refuse_key(top, event)
                        key_path = (*top.path, name)
                        if search(event.value):
                            self._forbidden(event, key_path)
                        mark = event.start_mark
                        keys[key_path] = (mark.line + 1, mark.column + 1)
                        if event.tag is not None:
                            self._refuse_tag(event, key_path)
                        top.key = name
                        continue
                    key: str = top.key
                    path = (*top.path, key)
                else:
                    path = (*top.path, len(top.value))
                self.count += 1
                if self.count > MAX_VALUES:
                    self._too_many(event)
                mark = event.start_mark
                values[path] = (mark.line + 1, mark.column + 1)
                if event.tag is not None:
                    self._refuse_tag(event, path)
                if kind is _SCALAR:
                    value = event.value
                    plain = event.style in _PLAIN
                    if plain and top is not None and top.flow:
                        if value == "":
                            self._stray_key(top, path)
                        elif not top.mapping and top.value and _CONTINUATION.match(value):
                            self._cut_item(top, path)
                    if search(value):
                        self._forbidden(event, path)
                    if plain and value in _NULLS:
                        value = None
                else:
                    value = self._open(event, path, kind is _MAPPING)
                if top is None:
                    self.root = value
                elif isinstance(container := top.value, dict):
                    container[key] = value
                    top.previous_key, top.key = key, None
                else:
                    container.append(value)
            elif kind is _MAPPING_END or kind is _SEQUENCE_END:
                frame = stack.pop()
                if not stack:
                    self.root = frame.value
            elif kind is yaml.AliasEvent:
                self._refuse_anchors(event)
            elif kind is yaml.DocumentStartEvent:
                self._start_document(event)
        for block, name in self.discarded:
            block.pop(name, None)
        return self.root

    def _start_document(self, event: yaml.DocumentStartEvent) -> None:
        if self.started:
            raise _Failure(
                "erreur de syntaxe YAML : un seul document attendu : supprimez le second « --- »",
                *_mark(event.start_mark),
            )
        self.started = True

    def _too_many(self, event: yaml.NodeEvent) -> None:
        raise _Failure(
            f"fichier trop grand : plus de {MAX_VALUES:,} valeurs ".replace(",", "\u202f")
            + "(une convention en compte quelques milliers)",
            *_mark(event.start_mark),
        )

    def _stray_key(self, frame: _Frame, path: DataPath) -> None:
        """A key without a value inside `{…}`: a comma split the previous value."""
        if isinstance(frame.value, dict) and frame.previous_key is not None:
            self.positions.stray_keys[path] = frame.previous_key

    def _cut_item(self, frame: _Frame, path: DataPath) -> None:
        """An item that continues the previous one: a comma split it inside `[…]`."""
        previous = frame.value[-1] if isinstance(frame.value, list) else None
        if isinstance(previous, str):
            self.positions.cut_items[path] = previous

    def _open(
        self, event: yaml.NodeEvent, path: DataPath, mapping: bool
    ) -> dict[str, Any] | list[Any]:
        """A new block or list, once its depth is known to be allowed."""
        if len(self.stack) >= MAX_DEPTH:
            raise _Failure(
                f"imbrication trop profonde : plus de {MAX_DEPTH} niveaux de blocs et de "
                "listes (une convention en compte au plus 7)",
                *_mark(event.start_mark),
            )
        value: dict[str, Any] | list[Any] = {} if mapping else []
        flow = bool(getattr(event, "flow_style", False))
        self.stack.append(_Frame(value, path, flow=flow, mapping=mapping))
        return value

    def _refuse_anchors(self, event: yaml.NodeEvent) -> None:
        sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
        raise _Failure(
            f"{'alias' if sign == '*' else 'ancre'} YAML « {sign}{event.anchor} » refusé"
            f"{'' if sign == '*' else 'e'} : une convention n'utilise ni ancres (&) "
            "ni alias (*) ; recopiez la valeur à chaque endroit",
            *_mark(event.start_mark),
        )

    def _refuse_key(self, frame: _Frame, event: yaml.NodeEvent) -> str:
        """A key that is a block or a list (refused), or that the block already has.

        A duplicate is reported and the reading goes on, so that the file's other problems
        come out in the same run: its value is built under the returned name, then dropped.
        """
        if not isinstance(event, yaml.ScalarEvent):
            raise _Failure(
                "clé invalide : une clé doit être un simple mot",
                *_mark(event.start_mark),
                frame.path,
            )
        key = event.value
        first_line = self.positions.keys[(*frame.path, key)][0]
        message = (
            f"clé en double : « {key} » est déjà définie ligne {first_line} "
            "(YAML ne garderait que la dernière valeur)"
        )
        path = self._shown((*frame.path, key))
        self.duplicates.append(Problem(ERREUR, path, message, *_mark(event.start_mark)))
        assert isinstance(frame.value, dict)  # only blocks have keys
        discarded = f"\x00{len(self.discarded)}"
        self.discarded.append((frame.value, discarded))
        self.renamed[discarded] = key
        return discarded

    def _shown(self, path: DataPath) -> DataPath:
        """The path as the file names it, inside the second value of a duplicated key too."""
        renamed = self.renamed
        return tuple(renamed.get(part, part) for part in path) if renamed else path

    def _refuse_tag(self, event: yaml.NodeEvent, path: DataPath) -> None:
        """A value that starts with « ! »: YAML reads a tag there and drops it from the text
        (« !Urgent : relancer » would be « : relancer »), so it is refused, not read."""
        start, end = _index(event.start_mark), _index(event.end_mark)
        typed = self.text[start:end]
        message = (
            "« ! » en début de valeur désigne une étiquette YAML, qui n'est pas du texte : "
            "mettez la valeur entre guillemets"
        )
        if isinstance(event, yaml.ScalarEvent) and "\n" not in typed and '"' not in typed:
            message += f' ("{typed}")'
        line, column = _mark(event.start_mark)
        self.problems.append(Problem(ERREUR, self._shown(path), message, line, column))

    def _forbidden(self, event: yaml.ScalarEvent, path: DataPath) -> None:
        """Locate the first character of the scalar no document may hold."""
        value: str = event.value
        match = INTERDITS.search(value)
        if match:
            start, end = _index(event.start_mark), _index(event.end_mark)
            offset = start + _escaped_offset(self.text[start:end], match[0])
            line, column = _line_column(self.text, offset)
            message = forbidden_character(match[0])
            self.problems.append(Problem(ERREUR, self._shown(path), message, line, column))


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
        raise _Failure(_not_utf8(raw, exc.start), line, column) from exc


def _not_utf8(raw: bytes, position: int) -> str:
    """What to say of a text that is not UTF-8 at `position`: an accented letter of
    Windows' « ANSI » encoding (Notepad's and Excel's) is named as the user typed it."""
    try:
        raw.decode("cp1252")
    except UnicodeDecodeError:
        ansi = None
    else:
        ansi = raw[position : position + 1].decode("cp1252")
    if ansi is not None and ansi.isalpha():
        return (
            f"le fichier n'est pas encodé en UTF-8 : il semble enregistré en ANSI "
            f"(Windows-1252), où « {ansi} » s'écrit sur un seul octet ; enregistrez-le en UTF-8 "
            "(Bloc-notes : Fichier > Enregistrer sous, Encodage : UTF-8)"
        )
    return (
        "le fichier n'est pas encodé en UTF-8 (octet invalide) ; "
        "enregistrez-le en UTF-8 depuis votre éditeur"
    )


def _unclosed_bracket(text: str) -> tuple[tuple[int, int], str] | None:
    """Where the last « [ » or « { » still open when the text ends opened, and its closing."""
    opened: list[tuple[Any, str]] = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.FlowSequenceStartToken | yaml.FlowMappingStartToken):
                closing = "]" if isinstance(token, yaml.FlowSequenceStartToken) else "}"
                opened.append((token.start_mark, closing))
            elif opened and isinstance(token, yaml.FlowSequenceEndToken | yaml.FlowMappingEndToken):
                opened.pop()
    except yaml.YAMLError:
        pass
    if not opened:
        return None
    mark, closing = opened[-1]
    return _mark(mark), closing


_KEY_LINE = re.compile(r"^( *)(?:- +)?([^\s#:][^:#]*?)\s*$")


def _shifted_key(lines: list[str], line: int, column: int) -> tuple[str, int] | None:
    """The message for a « : » that fails because its key is indented deeper than the line
    before, which already has its value (PyYAML reads the key as the end of that value),
    and the key's column; None when the « : » is inside a value."""
    if not 1 < line <= len(lines):
        return None
    key = _KEY_LINE.match(lines[line - 1][: column - 1])
    if key is None:
        return None
    previous = next(
        (
            text
            for text in reversed(lines[: line - 1])
            if text.strip() and not text.lstrip().startswith("#")
        ),
        None,
    )
    if previous is None:
        return None
    indent = len(previous) - len(previous.lstrip(" "))
    if len(key[1]) <= indent:
        return None
    shown = previous.strip()
    shown = shown if len(shown) <= 40 else shown[:39] + "…"
    return (
        f"indentation incohérente : « {key[2]} » est plus décalé que la ligne précédente "
        f"(« {shown} »), qui a déjà sa valeur ; alignez les clés d'un même bloc (ou, si la "
        "valeur contient « : », mettez-la entre guillemets)",
        len(key[1]) + 1,
    )


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
        if context == "while parsing a flow node":  # its mark is the end, not the opening
            found = _unclosed_bracket(text)
            if found is not None:
                (line, column), closing = found
        return _Failure(
            f"erreur de syntaxe YAML : « {'{' if closing == '}' else '['} » ouvert ici "
            f"n'est pas fermé par « {closing} » (ou une virgule manque entre deux valeurs)",
            line,
            column,
        )
    if problem.startswith("mapping values are not allowed"):
        shifted = _shifted_key(lines, line, column)
        if shifted is not None:
            return _Failure(f"erreur de syntaxe YAML : {shifted[0]}", line, shifted[1])
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
    data, positions, forbidden, duplicates = _parse(text)
    problems = sorted([*forbidden, *duplicates], key=lambda p: (p.line, p.column))
    if problems:
        failure = _Failure(problems[0].message, problems[0].line, problems[0].column)
        failure.problems = problems
        raise failure
    return data, positions


def _parse(text: str) -> tuple[dict[str, Any], Positions, list[Problem], list[Problem]]:
    """The data, positions, the forbidden characters found inside its values and the keys
    written twice."""
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
    return root, builder.positions, builder.problems, builder.duplicates


def _read(path: Path) -> bytes:
    reason = not_a_file(path)  # before opening: a named pipe would block the read
    if reason is not None:
        if path.is_dir():
            reason = "est un dossier, pas un fichier YAML"
        elif path.exists():  # a pipe, a device
            reason += " ; attendu : un fichier YAML"
        raise _Failure(reason)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except IsADirectoryError as exc:
        raise _Failure("est un dossier, pas un fichier YAML") from exc
    except FileNotFoundError as exc:
        raise _Failure("fichier introuvable") from exc
    except OSError as exc:
        raise _Failure(f"fichier illisible ({os_reason(exc, held_open=False)})") from exc
    if len(raw) > MAX_BYTES:
        raise _Failure(
            f"fichier trop volumineux : plus de {MAX_BYTES // (1024 * 1024)} Mo "
            "(une convention fait quelques dizaines de Ko) ; est-ce le bon fichier ?"
        )
    return raw


def load_convention(path: Path) -> LoadedFile:
    """Read and parse one convention file, or raise with a located French message.

    Forbidden characters inside values and keys written twice do not stop the reading:
    they are in `problems` and `duplicates`, with the other problems of the file.
    """
    try:
        data, positions, problems, duplicates = _parse(_decode(_read(path)))
    except _Failure as failure:
        raise InvalidConventionError(
            f"{path} : {failure.problem.message}",
            reports=[FileReport(path, failure.problems)],
        ) from failure
    return LoadedFile(path, data, positions, problems, duplicates)
