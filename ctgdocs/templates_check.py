"""Check Word templates: tags that do not parse, and variables their documents do not provide."""

from __future__ import annotations

import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints, is_typeddict

from jinja2 import nodes

from .documents import DOCUMENT_KINDS
from .engine import UNCLOSED, TemplatePart, UnclosedTag, tags_unclosed
from .errors import TemplateError
from .jinja_fr import traduire
from .ooxml import repair_template
from .render import parsed_template, part_name
from .resources import bundled_templates, template_path
from .sdk_validation import ValidatorUnavailable, find_validator, validate_files

# The shape of a context: a dict of keys, a list of items, or a scalar.
Shape = dict[str, Any]
SCALAR: Shape = {"kind": "scalar"}
ANY: Shape = {"kind": "any"}
_SINGLE_BRACE = re.compile(r"(?<![{%])\{\s*[A-Za-z_][\w.]*\s*\}(?!\})")
_JINJA_GLOBALS = {"loop", "range", "true", "false", "none", "True", "False", "None"}


@dataclass(frozen=True)
class TemplateIssue:
    template: Path
    message: str
    paragraph: str = ""
    # "erreur" breaks the template; "réparé" and "note" only inform.
    severity: str = "erreur"
    part: str = ""  # « en-tête (word/header1.xml) »: where in the template to look

    def __str__(self) -> str:
        where = f" ; partie : {self.part}" if self.part else ""
        where += f" ; paragraphe : « {self.paragraph} »" if self.paragraph else ""
        return f"{self.template}: {self.severity}: {self.message}{where}"

    @property
    def is_error(self) -> bool:
        return self.severity == "erreur"


# An optional value absent from one document (None) takes its shape from the others.
NONE: Shape = {"kind": "none"}


def merge(a: Shape | None, b: Shape) -> Shape:
    """The union of two shapes: a value may take either."""
    if a is None or a["kind"] in ("any", "none"):
        return b
    if b["kind"] in ("any", "none"):
        return a
    if a["kind"] != b["kind"]:
        return ANY
    if a["kind"] == "dict":
        keys = dict(a["keys"])
        for key, sub in b["keys"].items():
            keys[key] = merge(keys.get(key), sub)
        return {"kind": "dict", "keys": keys}
    if a["kind"] == "list":
        return {"kind": "list", "item": merge(a["item"], b["item"])}
    return a


def shape_of_type(declared: Any) -> Shape:
    """The shape a declared context type (contextes.py) gives its values."""
    if is_typeddict(declared):
        hints = get_type_hints(declared)
        return {"kind": "dict", "keys": {k: shape_of_type(v) for k, v in hints.items()}}
    origin = get_origin(declared)
    if origin in (list, tuple):
        return {"kind": "list", "item": shape_of_type(get_args(declared)[0])}
    if origin in (Union, UnionType):
        shape: Shape | None = None
        for option in get_args(declared):
            shape = merge(shape, NONE if option is type(None) else shape_of_type(option))
        return shape or ANY
    if declared in (str, int, bool, float) or origin is Literal:
        return SCALAR
    return ANY


def context_shapes() -> dict[str, Shape]:
    """The shape of each document kind's context, as declared (contextes.py)."""
    return {kind.name: shape_of_type(kind.contexte) for kind in DOCUMENT_KINDS}


def _expression(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return str(node.name)
    if isinstance(node, nodes.Getattr):
        return f"{_expression(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return f"{_expression(node.node)}[{node.arg.value!r}]"
    return "…"


class _Checker:
    """Walk a template's syntax tree, resolving every variable against the context shape."""

    def __init__(self, template: Path, part: TemplatePart) -> None:
        self.template = template
        self.lines = part.lines
        self.part = part_name(part)
        self.issues: list[TemplateIssue] = []

    def report(self, node: nodes.Node, message: str) -> None:
        line = getattr(node, "lineno", 0)
        paragraph = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        self.issues.append(TemplateIssue(self.template, message, paragraph, part=self.part))

    def resolve(self, node: nodes.Node, scope: dict[str, Shape]) -> Shape:
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            if node.name not in _JINJA_GLOBALS:
                self.report(node, f"variable inconnue « {node.name} »")
            return ANY
        if isinstance(node, nodes.Filter) and node.name == "batch" and node.node is not None:
            # signatures|batch(2): rows of items, whose fields are still checked.
            rows = self.resolve(node.node, scope)
            for arg in node.args:
                self.visit(arg, scope)
            return {"kind": "list", "item": rows} if rows["kind"] == "list" else ANY
        if isinstance(node, (nodes.Getattr, nodes.Getitem)):
            base = self.resolve(node.node, scope)
            if isinstance(node, nodes.Getitem) and not isinstance(node.arg, nodes.Const):
                self.visit(node.arg, scope)
                return ANY
            key: Any = (
                node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
            )
            if isinstance(key, str) and key.startswith("_"):
                self.report(
                    node,
                    f"accès interdit à l'attribut « {key} » : un modèle ne peut lire que les "
                    "données du document",
                )
                return ANY
            if base["kind"] == "dict":
                if key in base["keys"]:
                    return dict(base["keys"][key])
                self.report(node, f"variable inconnue « {_expression(node)} »")
            elif base["kind"] == "list" and isinstance(key, int):
                return dict(base["item"])
            elif base["kind"] != "any":
                self.report(node, f"« {_expression(node)} » : « {key} » n'existe pas ici")
            return ANY
        self.visit(node, scope)
        return ANY

    def visit(self, node: nodes.Node, scope: dict[str, Shape]) -> None:
        if isinstance(node, nodes.For):
            iterable = self.resolve(node.iter, scope)
            inner = dict(scope)
            item = iterable["item"] if iterable["kind"] == "list" else ANY
            if isinstance(node.target, nodes.Name):
                inner[node.target.name] = item
            else:  # for a, b in …: unpacking, not used by ctgdocs' templates
                for target in node.target.find_all(nodes.Name):
                    inner[target.name] = ANY
            inner["loop"] = ANY
            for child in node.body:
                self.visit(child, inner)
            for child in node.else_:
                self.visit(child, scope)
            return
        if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)):
            self.resolve(node, scope)
            return
        for child in node.iter_child_nodes():
            self.visit(child, scope)


def check_template(path: Path, shape: Shape) -> list[TemplateIssue]:
    """Every problem of one template, read as the engine reads it (the same parsed parts)."""
    try:
        parsed = parsed_template(path)
    except TemplateError as exc:
        reason = str(exc).removeprefix(f"modèle {path} : ")
        return [TemplateIssue(path, f"modèle illisible : {reason}")]
    issues: list[TemplateIssue] = []
    for part in parsed.parts:
        name = part_name(part)
        for line in part.lines:
            if tags_unclosed(line):
                issues.append(TemplateIssue(path, UNCLOSED, line, part=name))
            elif _SINGLE_BRACE.search(line):
                issues.append(
                    TemplateIssue(
                        path, "balise à accolades simples : écrivez {{ … }}", line, part=name
                    )
                )
        error = part.syntax_error
        if isinstance(error, UnclosedTag):
            continue  # its paragraph is reported above, quoted as written
        if error is not None or part.tree is None:
            lines = part.lines
            number = error.lineno if error is not None else 0
            line = lines[number - 1] if number and number <= len(lines) else ""
            message = error.message if error is not None else ""
            issues.append(
                TemplateIssue(path, f"balise illisible ({traduire(message)})", line, part=name)
            )
        if part.tree is None:
            continue
        checker = _Checker(path, part)
        checker.visit(part.tree, dict(shape.get("keys", {})))
        issues.extend(checker.issues)
    return list(dict.fromkeys(issues))


def package_repairs(path: Path) -> list[TemplateIssue]:
    """What the render repairs in a template's package (LibreOffice's or Word's leftovers)."""
    try:
        _, repairs = repair_template(path.read_bytes())
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        return []  # check_template reports it unreadable
    return [TemplateIssue(path, repair, severity="réparé") for repair in repairs]


def schema_issues(paths: list[Path]) -> list[TemplateIssue]:
    """The Open XML SDK's errors in each template as the render repairs it, in one Node run."""
    if not paths:
        return []
    try:
        validator = find_validator()
    except ValidatorUnavailable as exc:
        names = ", ".join(p.name for p in paths)
        return [
            TemplateIssue(
                paths[0].parent,
                f"conformité au schéma Open XML non vérifiée pour {names} : {exc}",
                severity="note",
            )
        ]
    issues: list[TemplateIssue] = []
    with tempfile.TemporaryDirectory(prefix="ctgdocs-schema-") as folder:
        repaired: dict[Path, Path] = {}
        for index, path in enumerate(paths):
            try:
                blob, _ = repair_template(path.read_bytes())
            except (OSError, ValueError, KeyError, zipfile.BadZipFile):
                continue
            repaired[path] = Path(folder) / f"{index}-{path.name}"
            repaired[path].write_bytes(blob)
        try:
            results = validate_files(list(repaired.values()), validator)
        except ValidatorUnavailable as exc:
            return [
                TemplateIssue(
                    paths[0].parent, f"schéma Open XML non vérifié : {exc}", severity="note"
                )
            ]
        for path, copy in repaired.items():
            issues.extend(
                TemplateIssue(path, f"schéma Open XML : {error.message()}")
                for error in results.get(copy, [])
            )
    return issues


def check_templates(custom: Path | None = None) -> tuple[list[Path], list[TemplateIssue]]:
    """Check the template of every document kind; return those checked and every issue.

    A Caf's own templates (from `custom`) are also validated against the Open XML schema;
    the bundled ones are validated by ctgdocs' tests.
    """
    shapes = context_shapes()
    checked: list[Path] = []
    issues: list[TemplateIssue] = []
    own: list[Path] = []
    for kind in DOCUMENT_KINDS:
        try:
            path = template_path(kind.template, custom)
        except TemplateError as exc:  # a folder, a pipe, a device by that name
            path = (custom or bundled_templates()) / kind.template
            checked.append(path)
            reason = str(exc).removeprefix(f"modèle {path} : ")
            issues.append(TemplateIssue(path, f"modèle illisible : {reason}"))
            continue
        checked.append(path)
        if not path.is_file():
            issues.append(TemplateIssue(path, "modèle introuvable"))
            continue
        issues.extend(package_repairs(path))
        issues.extend(check_template(path, shapes.get(kind.name, ANY)))
        if path.parent != bundled_templates():
            own.append(path)
    issues.extend(schema_issues(own))
    return checked, issues
