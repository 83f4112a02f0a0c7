"""French typesetting of every string a document prints: spaces, quotes, apostrophes, hyphens.

`composer` is applied once to every string of a document's context at render time, and
by scripts/templating.py to the static text of the templates. It is idempotent. What
Word needs as run markup (a superscript « er », a non-breaking hyphen) is left as
markers that `wordml.typeset_part` turns into runs.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from .formatting import MOIS, NBSP, NNBSP
from .wordml import NON_BREAKING_HYPHEN, SUPERSCRIPT_END, SUPERSCRIPT_START

APOSTROPHE = "\u2019"
_SPACES = f" \t{NBSP}{NNBSP}"
_MONTHS = "|".join(MOIS)
# « 31 décembre 2026 », « 1er janvier 2020 » (the ordinal possibly already marked), « mai 2024 ».
_DATE = re.compile(
    rf"\b(?:(1(?:er|{SUPERSCRIPT_START}er{SUPERSCRIPT_END})|\d{{1,2}})[ \t]+)?"
    rf"({_MONTHS})[ \t]+(\d{{4}})\b"
)
_ORDINAL = re.compile(r"(?<![\w.,/-])(1)(er|re)(?![\w\ue000])|(?<![\w.,/-])(\d+)(e)(?![\w\ue000])")
# Before « ; ! ? » a narrow no-break space, before « : » a no-break space; only where a
# word ends and the sign is followed by a space or the end (not in 12:30 or https://).
_PLACEHOLDER = "\ue010"  # a Jinja tag, while composer_gabarit typesets the text around it
_HIGH_SIGNS = re.compile(
    rf"(?<=[^\s{NBSP}{NNBSP};:!?(«“])[{_SPACES}]*([;!?]+|:)(?=[\s»”)\]{_PLACEHOLDER}]|$)"
)
_EURO = re.compile(rf"(\d)[{_SPACES}]*€")
_PERCENT = re.compile(rf"(\d)[{_SPACES}]*%")
# A number written in groups of three (« 12 500 », « 1 500 rendez-vous »): one number,
# never cut at the end of a line.
_THOUSANDS = re.compile(rf"(?<![\d,.])\d{{1,3}}(?:[ {NBSP}]\d{{3}})+(?!\d)")
# A number and the word it counts (« 25 ans », « 1 500 rendez-vous »): never cut either.
# Not a year (« en 2025 les »), the end of a code (« FA-1.1 Créer ») or a number followed
# by a word it does not count (« n° 1 à la convention », « de 16 à 25 ans »).
_COUNTED = re.compile(
    rf"(?<![\w,.])(\d{{1,3}}(?:{NNBSP}\d{{3}})*) "
    r"(?=[^\W\d_])(?!(?:à|au|aux|et|ou|de|des|du|en|le|la|les|par|pour|sur)\b)"
)
# A spaced hyphen before a capital: a proper name (« Nebbiu - Conca d’Oro ») that must not
# break at its hyphen.
_SPACED_HYPHEN = re.compile(rf"(?<=[^\W\d_])[{_SPACES}]+-[{_SPACES}]+(?=[A-ZÀ-ÖØ-Þ])")
_NUMERO = re.compile(rf"\b([nN]°)[{_SPACES}]+(?=[\w{_PLACEHOLDER}])")
# What a number refers to keeps with it: « l'annexe 3.2 », « l'article 7 », « l'axe 2 ».
_NUMBERED = re.compile(r"\b((?:[Aa]nnexe|[Aa]rticle|[Aa]xe|[Aa]venant)s?) (?=\d)")
# A hyphenated name: its first and last parts start with a capital (Gevrey-Chambertin,
# Tarn-et-Garonne, Saint-Martin-d’Hères); « enfance-jeunesse » is a word, not a name.
_COMPOUND = re.compile(r"[^\W\d_][\w’]*(?:-[\w’]+)+")
_ELIDED = re.compile(r"^[dlDL]’")
# A range of numbers (« 16-25 ans », « 2018-2022 »): never cut at its hyphen.
_RANGE = re.compile(r"(?<=\d)-(?=\d)")
_DIGIT = re.compile(r"\d")
# What each rule's match must hold, searched first: a pattern led by a digit or a plain
# string is found several times faster than the rule's lookbehinds and alternations.
_MAY_THOUSANDS = re.compile(rf"\d[ {NBSP}]\d{{3}}")
_MAY_ORDINAL = re.compile(r"\d(?:er|re|e)")
_MAY_DATE = re.compile(r"\d{4}")
_MAY_COUNTED = re.compile(r"\d [^\W\d_]")
_MAY_NUMBERED = re.compile(r"[est] \d")


def _quotes(text: str) -> str:
    """« … » outside, “ … ” inside, whatever mix of quotes was typed; spaces inside « »."""
    out: list[str] = []
    stack: list[str] = []
    for index, typed in enumerate(text):
        char = typed
        if typed == '"':
            before = text[index - 1] if index else " "
            char = "«" if before in f"{_SPACES}\n([{{«“-" or not stack else "»"
        if char in "«“":
            out.append("«" if len(stack) % 2 == 0 else "“")
            stack.append(out[-1])
        elif char in "»”" and stack:
            stack.pop()
            out.append("»" if len(stack) % 2 == 0 else "”")
        else:
            out.append(char)
    result = "".join(out)
    result = re.sub(rf"«[{_SPACES}]*", f"«{NBSP}", result)
    result = re.sub(rf"[{_SPACES}]*»", f"{NBSP}»", result)
    return re.sub(rf"[{_SPACES}]+”", "”", re.sub(rf"“[{_SPACES}]+", "“", result))


# A title or word whose prefix must not end a line: « Vice-présidente », « Sous-préfète ».
_PREFIXES = ("vice", "sous", "co", "ex")


def _name_hyphens(match: re.Match[str]) -> str:
    parts = match[0].split("-")
    if parts[0].lower() in _PREFIXES and len(parts) == 2:
        return NON_BREAKING_HYPHEN.join(parts)
    # An elided article starts neither part: « d’Erdre-Auxence » (Val d’Erdre-Auxence).
    first, last = _ELIDED.sub("", parts[0]), _ELIDED.sub("", parts[-1])
    # A name (Saint-Vincent), or a code (FA-1.10, CTG-61-2018-01): never cut at a hyphen.
    if first[:1].isupper() and (last[:1].isupper() or (first.isupper() and last[:1].isdigit())):
        return NON_BREAKING_HYPHEN.join(parts)
    return match[0]


def _ordinal(match: re.Match[str]) -> str:
    number = match[1] or match[3]
    suffix = match[2] or match[4]
    return f"{number}{SUPERSCRIPT_START}{suffix}{SUPERSCRIPT_END}"


@functools.lru_cache(maxsize=16384)
def composer(text: str) -> str:
    """The string as French typography prints it (see the module docstring).

    Cached: most strings of a convention's contexts (its parties, its dates, its
    reference) come back in every one of its documents.
    """
    if not text:
        return text
    text = text.replace("'", APOSTROPHE).replace("...", "…")
    if any(q in text for q in '"«»“”'):
        text = _quotes(text)
    # Each rule is tried only where the character its pattern requires is present: most
    # strings (names, labels) need none, and the patterns are most of the time spent here.
    if any(sign in text for sign in ";:!?"):
        text = _HIGH_SIGNS.sub(lambda m: (NBSP if m[1] == ":" else NNBSP) + m[1], text)
    digits = _DIGIT.search(text) is not None
    if digits and _MAY_THOUSANDS.search(text) is not None:
        text = _THOUSANDS.sub(lambda m: re.sub(f"[ {NBSP}]", NNBSP, m[0]), text)
    if digits and ("€" in text or "%" in text or "euro" in text):
        text = _EURO.sub(rf"\1{NBSP}€", text)
        text = _PERCENT.sub(rf"\1{NNBSP}%", text)
    if "°" in text:
        text = _NUMERO.sub(rf"\1{NBSP}", text)
    if digits and _MAY_ORDINAL.search(text) is not None:
        text = _ORDINAL.sub(_ordinal, text)
    if digits and _MAY_DATE.search(text) is not None:
        text = _DATE.sub(lambda m: NBSP.join(p for p in m.groups() if p), text)
    if digits and _MAY_COUNTED.search(text) is not None:
        text = _COUNTED.sub(rf"\1{NBSP}", text)
    if digits and _MAY_NUMBERED.search(text) is not None:
        text = _NUMBERED.sub(rf"\1{NBSP}", text)
    if " - " in text or f"{NBSP}-" in text:
        text = _SPACED_HYPHEN.sub(f"{NBSP}-{NBSP}", text)
    if "-" not in text:
        return text
    # Names and codes first: a range's hyphen made non-breaking would cut a code in two
    # (CTG-974-2026-CINOR read as CTG-974 and 2026-CINOR).
    text = _COMPOUND.sub(_name_hyphens, text)
    return _RANGE.sub(NON_BREAKING_HYPHEN, text) if digits else text


def composer_contexte(value: Any) -> Any:
    """Every string of a document's context typeset; keys, numbers and booleans untouched."""
    kind = type(value)
    if kind is str:  # the exact types first: this runs for every value of every document
        return composer(value)
    # Most values are strings: typeset here, without a call of this function for each.
    if kind is dict:
        return {
            key: composer(item) if type(item) is str else composer_contexte(item)
            for key, item in value.items()
        }
    if kind is list:
        return [composer(item) if type(item) is str else composer_contexte(item) for item in value]
    if isinstance(value, str):
        return composer(value)
    if isinstance(value, dict):
        return {key: composer_contexte(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(composer_contexte(item) for item in value)
    return value


_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)


def composer_gabarit(text: str) -> str:
    """The static text of a template typeset, its Jinja tags left exactly as written."""
    tags = _TAG.findall(text)
    if not tags:
        return composer(text)
    # A tag stands for a word while the text around it is typeset.
    typeset = composer(_TAG.sub(_PLACEHOLDER, text))
    pieces = typeset.split(_PLACEHOLDER)
    return "".join(piece + (tags[i] if i < len(tags) else "") for i, piece in enumerate(pieces))
