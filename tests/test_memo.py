"""Results computed once per convention while its documents are planned (ctgdocs.memo)."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest

from ctgdocs import documents
from ctgdocs.checking import check_file
from ctgdocs.documents import plan_documents
from ctgdocs.manifest import context_digest
from ctgdocs.memo import per_convention, planning_scope

from .conftest import EXAMPLES, FIXTURES


def test_a_result_is_kept_per_convention_only_within_a_scope() -> None:
    calls: list[str] = []

    @per_convention
    def name(doc: dict[str, Any], suffix: str) -> str:
        calls.append(doc["nom"])
        return doc["nom"] + suffix

    first, second = {"nom": "A"}, {"nom": "A"}
    assert name(first, "!") == name(first, "!") == "A!"
    assert len(calls) == 2  # outside a scope: computed every time
    calls.clear()
    with planning_scope():
        assert name(first, "!") == name(first, "!") == "A!"
        assert name(first, "?") == "A?"  # other arguments, another result
        assert name(second, "!") == "A!"  # an equal convention is another convention
        assert calls == ["A", "A", "A"]
    first["nom"] = "B"  # the scope is over: nothing kept
    assert name(first, "!") == "B!"


@pytest.mark.parametrize(
    "path", [*EXAMPLES, *sorted((FIXTURES / "territoires").glob("*.yaml"))], ids=lambda p: p.stem
)
def test_planning_says_what_it_says_without_its_scope(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Avenants, later fiches, consolidations: every document as planned without any
    # result kept (each function computed at each call).
    doc = check_file(path, draft=True).data
    assert doc is not None
    kept = [(d.output, context_digest(d)) for d in plan_documents(doc)]
    monkeypatch.setattr(documents, "planning_scope", contextlib.nullcontext)
    assert [(d.output, context_digest(d)) for d in plan_documents(doc)] == kept
