"""The Open XML SDK's schema validation of .docx files (Node and @ooxml-tools/validate).

One Node process validates every file given: the SDK's WebAssembly start-up costs seconds.
The validator is optional: `find_validator` says where it is, or why it is not there.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import CtgdocsError
from .files import os_reason

VERSION = "0.4.6"
_RUNNER = Path(__file__).resolve().parent / "data" / "ooxml-validate.mjs"
# `make ooxml-validator` installs the npm package there, in a checkout.
CHECKOUT_INSTALL = Path(__file__).resolve().parent.parent / "tools" / "ooxml-validator"
_INDEX = Path("node_modules", "@ooxml-tools", "validate", "dist", "npm", "index.js")
TIMEOUT = 120.0  # seconds, plus 10 s per file


@dataclass(frozen=True)
class Validator:
    node: str
    index: Path


@dataclass(frozen=True)
class SchemaError:
    """One error of the Open XML SDK, in a part of a package."""

    part: str
    xpath: str
    code: str
    description: str

    def message(self) -> str:
        """In French, naming the part and the element."""
        where = f"partie {self.part.lstrip('/') or '(paquet)'}"
        element = _element(self.xpath)
        if element:
            where += f", élément {element}"
        return f"{where} : {_explain(self.code, self.description)}"


def _element(xpath: str) -> str:
    """ "/w:styles[1]/w:style[170]/w:pPr[1]" → "w:pPr (dans w:style n° 170)"."""
    steps = [s for s in xpath.split("/") if s]
    if not steps:
        return ""
    last = re.sub(r"\[\d+\]$", "", steps[-1])
    if len(steps) >= 2:
        match = re.fullmatch(r"([\w:]+)\[(\d+)\]", steps[-2])
        if match:
            return f"{last} (dans {match[1]} n° {match[2]})"
    return last


def _qualified(name: str) -> str:
    return re.sub(r"http://schemas\.openxmlformats\.org/wordprocessingml/2006/main:", "w:", name)


def _explain(code: str, description: str) -> str:
    description = _qualified(description)
    unexpected = re.search(r"unexpected child element '([^']+)'", description)
    if unexpected:
        return (
            f"élément enfant inattendu « {unexpected[1]} » "
            "(hors de l'ordre du schéma ou interdit ici)"
        )
    value = re.search(r"attribute '([^']+)' has invalid value '([^']*)'", description)
    if value:
        return f"valeur « {value[2]} » non permise pour l'attribut « {value[1]} »"
    if "Format error in package" in description:
        return "paquet mal formé (entrée en double ou zip illisible)"
    return f"non conforme au schéma Open XML ({code} : {description})"


class ValidatorUnavailable(CtgdocsError):
    """Node or the @ooxml-tools/validate package is not installed."""


def find_validator() -> Validator:
    """Node and the validator: $CTGDOCS_NODE and $CTGDOCS_OOXML_VALIDATE, else the checkout's."""
    node_name = os.environ.get("CTGDOCS_NODE") or "node"
    node = shutil.which(node_name)
    if node is None:
        raise ValidatorUnavailable(f"Node.js introuvable (commande {node_name})")
    configured = os.environ.get("CTGDOCS_OOXML_VALIDATE")
    folders = [Path(configured)] if configured else [CHECKOUT_INSTALL]
    for folder in folders:
        for candidate in (folder / _INDEX, folder / _INDEX.relative_to("node_modules")):
            if candidate.is_file():
                return Validator(node, candidate)
    where = configured or str(CHECKOUT_INSTALL)
    raise ValidatorUnavailable(
        f"validateur Open XML absent de {where} (npm install --prefix DOSSIER "
        f"@ooxml-tools/validate@{VERSION}, puis CTGDOCS_OOXML_VALIDATE=DOSSIER)"
    )


def validate_files(paths: Sequence[Path], validator: Validator) -> dict[Path, list[SchemaError]]:
    """The SDK's errors for each file (Microsoft 365 rules), in one Node process."""
    if not paths:
        return {}
    command = [validator.node, str(_RUNNER), str(validator.index), *map(str, paths)]
    try:
        done = subprocess.run(
            command, capture_output=True, check=False, timeout=TIMEOUT + 10 * len(paths)
        )
    except subprocess.TimeoutExpired as exc:
        raise ValidatorUnavailable(
            f"validateur Open XML en échec (délai de {exc.timeout:.0f} s dépassé)"
        ) from exc
    except OSError as exc:
        raise ValidatorUnavailable(f"validateur Open XML en échec ({os_reason(exc)})") from exc
    try:
        results = json.loads(done.stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
        raise ValidatorUnavailable(f"validateur Open XML en échec ({detail[0]})") from exc
    return {
        path: [
            SchemaError(e["part"], e["xpath"], e["id"], e["description"])
            for e in results.get(str(path), [])
        ]
        for path in paths
    }
