"""Jinja's error messages in French, for the template check and render errors."""

from __future__ import annotations

import re
from collections.abc import Callable

# Jinja's names of the tokens it expected or found.
_TOKENS = {
    "end of print statement": "la fin de la balise « }} »",
    "begin of print statement": "le début d'une balise « {{ »",
    "end of statement block": "la fin de la balise « %} »",
    "begin of statement block": "le début d'une balise « {% »",
    "end of template": "la fin du modèle",
    "name": "un nom",
    "integer": "un nombre",
    "string": "un texte entre guillemets",
}


def _token(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    return _TOKENS.get(text, f"« {text} »")


def _tags(text: str) -> str:
    return " ou ".join(f"« {t} »" for t in re.findall(r"'([^']+)'", text))


def _looking_for(rest: str) -> str:
    match = re.search(
        r"Jinja was looking for the following tags: (.*?)\. "
        r"The innermost block that needs to be closed is '([^']+)'",
        rest,
    )
    if not match:
        return ""
    return f" ; le bloc « {match[2]} » ouvert plus haut attend {_tags(match[1])}"


_RULES: list[tuple[str, Callable[[re.Match[str]], str]]] = [
    (
        r"^Unexpected end of template\.(.*)$",
        lambda m: "le modèle se termine avant la fin d'un bloc" + _looking_for(m[1]),
    ),
    (
        r"^Encountered unknown tag '([^']+)'\.(.*)$",
        lambda m: f"balise « {m[1]} » inconnue ici" + _looking_for(m[2]),
    ),
    (
        r"^expected token '([^']+)', got '([^']*)'$",
        lambda m: f"attendu : {_token(m[1])} ; trouvé : {_token(m[2])}",
    ),
    (
        r"^unexpected end of template, expected '([^']+)'\.?$",
        lambda m: f"le modèle se termine trop tôt ; attendu : {_token(m[1])}",
    ),
    (
        r"^unexpected '([^']*)', expected '([^']+)'$",
        lambda m: f"inattendu ici : {_token(m[1])} ; attendu : {_token(m[2])}",
    ),
    (r"^unexpected '([^']*)'$", lambda m: f"inattendu ici : {_token(m[1])}"),
    (
        r"^unexpected char (.+) at \d+$",
        lambda m: f"caractère inattendu : {_token(m[1])} (guillemet non fermé ?)",
    ),
    (
        r"^Expected an expression, got '([^']+)'$",
        lambda m: f"une valeur manque avant {_token(m[1])}",
    ),
    (r"^expected name or number$", lambda m: "un nom ou un nombre manque après « . »"),
    (r"^tag name expected$", lambda m: "un nom de balise manque après « {% »"),
    (r"^Missing end of comment tag$", lambda m: "commentaire « {# » non fermé par « #} »"),
    (r"^No filter named '([^']+)'\.?$", lambda m: f"filtre « {m[1]} » inconnu"),
    (r"^No test named '([^']+)'( found)?\.?$", lambda m: f"test « {m[1]} » inconnu"),
    (r"^'([^']+)' is undefined$", lambda m: f"« {m[1]} » n'existe pas"),
    (
        r"^'?(\w+) object'? has no attribute '([^']+)'$",
        lambda m: f"« {m[2]} » n'existe pas dans cette valeur ({_kind(m[1])})",
    ),
    (
        r"^'?(\w+) object'? has no element (.+)$",
        lambda m: f"l'élément {m[2]} n'existe pas ({_kind(m[1])})",
    ),
    (
        r"^access to attribute '([^']+)' of '(\w+)' object is unsafe\.?$",
        lambda m: f"accès interdit à « {m[1]} » : un modèle ne peut pas atteindre Python",
    ),
]
_KINDS = {"dict": "un bloc", "list": "une liste", "str": "un texte", "int": "un nombre"}


def _kind(name: str) -> str:
    return _KINDS.get(name, name)


def traduire(message: str | None) -> str:
    """Jinja's message in French; an unknown one is kept, marked as Jinja's own words."""
    text = (message or "").strip()
    if not text:
        return ""
    for pattern, french in _RULES:
        match = re.match(pattern, text, flags=re.DOTALL)
        if match:
            return french(match)
    return f"message de Jinja : {text}"
