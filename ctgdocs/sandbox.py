"""The Jinja sandbox templates run in: no Python internals, no number or text without bound."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sized
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.exceptions import TemplateAssertionError
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

# A document holds a few hundred thousand characters: a template asking for more (a text
# repeated a billion times, a power of a thousand digits, range(10**9)) is refused before
# it fills the memory.
MAX_SIZE = 1_000_000
MAX_DIGITS = 4300  # what Python prints of an integer (sys.get_int_max_str_digits)
_SIZE = f"{MAX_SIZE:,}".replace(",", " ")


class TemplateLimitError(ArithmeticError):
    """A template's expression that would build a value too large for any document."""


def _too_large(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SIZE


def _refuse_large_arguments(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    if any(_too_large(a) for a in (*args, *kwargs.values())):
        raise TemplateLimitError(f"nombre supérieur à {_SIZE} passé à une fonction ou à un filtre")


def _bounded(function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter refusing the integers that would make it build a huge text (center(10**9))."""

    @functools.wraps(function)  # keeps the pass_context marks Jinja reads
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _refuse_large_arguments(args[1:], kwargs)
        return function(*args, **kwargs)

    return bounded


# The names a dict answers as attributes: any other name Jinja looks up on a dict (ctg.titre)
# raises AttributeError there, and the sandbox then reads the dict's item.
_DICT_ATTRIBUTES = frozenset(dir(dict))


class TemplateSandbox(SandboxedEnvironment):
    """Missing data raises, `&` and `<` are escaped, Python's internals and huge values refused."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.filters = {name: _bounded(f) for name, f in self.filters.items()}

    def getattr(self, obj: Any, attribute: str) -> Any:
        # The item first, where the sandbox would come to it anyway: a context's dicts are
        # read a hundred times per document, and each AttributeError costs more than the read.
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and _power_too_large(left, right):
            raise TemplateLimitError(f"puissance de plus de {MAX_DIGITS} chiffres")
        if operator == "*" and _repetition_too_large(left, right):
            raise TemplateLimitError(f"texte ou liste de plus de {_SIZE} éléments")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _refuse_large_arguments(args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)


def _power_too_large(base: Any, exponent: Any) -> bool:
    if not (isinstance(base, int) and isinstance(exponent, int)) or abs(base) < 2 or exponent < 1:
        return False
    return exponent * math.log10(abs(base)) > MAX_DIGITS


def _repetition_too_large(left: Any, right: Any) -> bool:
    sequence, times = (left, right) if isinstance(right, int) else (right, left)
    if not isinstance(times, int) or isinstance(sequence, int) or not isinstance(sequence, Sized):
        return False
    return len(sequence) * times > MAX_SIZE


def unknown_name_error(
    env: SandboxedEnvironment, tree: nodes.Template
) -> jinja2.TemplateSyntaxError | None:
    """The error Jinja raises only when it compiles (a filter or test it does not know), if any."""
    for node in tree.find_all((nodes.Filter, nodes.Test)):
        if isinstance(node, nodes.Filter) and node.name not in env.filters:
            return TemplateAssertionError(f"No filter named {node.name!r}.", node.lineno)
        if isinstance(node, nodes.Test) and node.name not in env.tests:
            return TemplateAssertionError(f"No test named {node.name!r}.", node.lineno)
    return None


def runtime_reason(exc: BaseException) -> str | None:
    """What a template's expression did wrong, in French, for an error not of Jinja's own."""
    if isinstance(exc, TemplateLimitError):
        return f"expression refusée : {exc}"
    if isinstance(exc, ZeroDivisionError):
        return "expression invalide (division par zéro)"
    if isinstance(exc, OverflowError):
        if "MAX_RANGE" in str(exc):
            return "expression refusée : range() compte au plus 100 000 éléments"
        return "expression refusée : nombre trop grand"
    if isinstance(exc, RecursionError):
        return "expression refusée : une macro s'appelle sans fin"
    if isinstance(exc, MemoryError):
        return "expression refusée : elle demande plus de mémoire que la machine n'en a"
    if isinstance(exc, (TypeError, AttributeError, ValueError, LookupError)):
        # A sandboxed template misusing a value ("{{ x.y() }}", "{{ a + 1 }}").
        return f"expression invalide (message de Python : {exc})"
    return None
