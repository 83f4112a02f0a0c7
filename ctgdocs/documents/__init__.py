"""The documents of a convention: one module per kind, each declaring its kind once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..memo import planning_scope
from . import avenant, compte_rendu, convention, fiche
from .base import Document, DocumentKind, safe_name

__all__ = [
    "DOCUMENT_KINDS",
    "KINDS",
    "Document",
    "DocumentKind",
    "kind",
    "plan_documents",
    "safe_name",
]

# In the order of a convention's documents; `--only` and the bundled templates follow it.
DOCUMENT_KINDS: tuple[DocumentKind, ...] = (
    convention.KIND,
    fiche.KIND,
    fiche.SUIVI,
    compte_rendu.KIND,
    avenant.KIND,
)
KINDS = tuple(k.name for k in DOCUMENT_KINDS)
_BY_NAME = {k.name: k for k in DOCUMENT_KINDS}


def kind(name: str) -> DocumentKind:
    """The kind of documents called `name` ("fiches")."""
    return _BY_NAME[name]


def plan_documents(doc: dict[str, Any], only: Sequence[str] = KINDS) -> list[Document]:
    """Every document of a valid convention, in a stable order."""
    with planning_scope():
        return [document for k in DOCUMENT_KINDS if k.name in only for document in k.plan(doc)]
