"""The documents of a convention: one module per kind, each giving contexts and output names."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from . import avenant, compte_rendu, convention, fiche
from .base import Document, safe_name

__all__ = ["KINDS", "Document", "plan_documents", "safe_name"]

_BUILDERS: dict[str, Callable[[dict[str, Any]], list[Document]]] = {
    "convention": convention.documents,
    "fiches": fiche.documents,
    "comptes-rendus": compte_rendu.documents,
    "avenants": avenant.documents,
}
KINDS = tuple(_BUILDERS)


def plan_documents(doc: dict[str, Any], only: Sequence[str] = KINDS) -> list[Document]:
    """Every document of a valid convention, in a stable order."""
    return [document for kind in KINDS if kind in only for document in _BUILDERS[kind](doc)]
