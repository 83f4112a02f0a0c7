"""What a convention's documents all derive from its data, computed once while they are planned.

`plan_documents` opens a scope; within it, a function decorated with `per_convention`
computes its result once per convention (the same `doc` object) and arguments. Outside a
scope (validation, tests), it computes every time. The data of a convention is never
changed while its documents are planned; results must be immutable, or copied by the
function's callers before they change them.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

_P = ParamSpec("_P")
_R = TypeVar("_R")

_SCOPE: ContextVar[dict[tuple[Any, ...], tuple[object, Any]] | None] = ContextVar(
    "ctgdocs_memo", default=None
)


@contextlib.contextmanager
def planning_scope() -> Iterator[None]:
    """Results of `per_convention` functions kept until the scope ends."""
    token = _SCOPE.set({})
    try:
        yield
    finally:
        _SCOPE.reset(token)


def per_convention(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """`function(doc, *args)` computed once per `doc` (by identity) and `args` in a scope."""

    @functools.wraps(function)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        cache = _SCOPE.get()
        if cache is None or kwargs:
            return function(*args, **kwargs)
        doc, *rest = args
        key = (function, id(doc), *rest)
        hit = cache.get(key)
        # The doc is kept with its result: an id is reused only once its object is gone.
        if hit is not None and hit[0] is doc:
            return hit[1]  # type: ignore[no-any-return]
        result = function(*args, **kwargs)
        cache[key] = (doc, result)
        return result

    return wrapper
