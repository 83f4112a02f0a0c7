"""No-break spaces of display text: titles and signature blocks never end a line on a short
word (« de / l'Orne ») nor split a proper name (« du Grand / Sénonais »).

Body text is justified and may break anywhere; a title or a signature block is read line by
line, and French typesetting keeps a preposition or an article with the word it introduces
and a territory's name on one line. `wordml.typeset_part` applies `lier` to the paragraphs of
the styles of `DISPLAY_STYLES`, whatever template or data they come from.
"""

from __future__ import annotations

import re

from .formatting import NBSP

# Prepositions, articles and conjunctions that never end a line of display text.
SHORT_WORDS = frozenset(
    [
        "à",
        "au",
        "aux",
        "dans",
        "de",
        "des",
        "du",
        "en",
        "et",
        "la",
        "le",
        "les",
        "lès",
        "ou",
        "par",
        "pour",
        "sous",
        "sur",
        "un",
        "une",
    ]
)
# The words that may join the capitalised words of one proper name: « Pays de la Vallée de
# l'Aa », « Beaucaire Terre d'Argence », « Nuits-Saint-Georges et Gevrey-Chambertin ».
_CONNECTORS = frozenset(
    ["de", "des", "du", "la", "le", "les", "lès", "et", "sur", "sous", "en", "aux", "au", "à"]
)

# The longest proper name (in characters) kept on one line, by paragraph style: about 60 %
# of a line of the style (A4, 16.4 cm between the margins, Arial; a signature block has half
# of it), so that the name fits beside the words it follows. Measured on generated title
# pages: 66 characters of the 13-point bold subtitle hold on one line.
DISPLAY_STYLES = {
    "CTGTitre": 20,  # 20 points, capitals
    "CTGSous-titre": 40,
    "CTGArticle": 40,
    "CTGAnnexe": 40,
    "CTGSection": 40,
    "CTGSous-section": 44,
    "CTGSignature": 26,  # a column of the signature grid
}

# The prepositions that introduce a place's name (« du Pays basque »).
_PREPOSITIONS = frozenset(["de", "du", "des", "à", "au", "aux", "en"])
_OPENING = "(«“\u00ab\u201c"
_ELISION = re.compile(r"^[dlDL][’']")


def _bare(token: str) -> str:
    """The word of a token, without opening quotes or brackets."""
    return token.lstrip(_OPENING)


def _short(token: str) -> bool:
    return _bare(token).casefold() in SHORT_WORDS


def _capital(token: str) -> bool:
    """Whether the token is a capitalised word (« Sénonais », « l'Est », « L'Aigle »)."""
    first = _ELISION.sub("", _bare(token))[:1]
    return first.isalpha() and first.isupper()


def _ends(token: str) -> bool:
    return token[-1:] in ",;:.)»”"


def _epithet(tokens: list[str], index: int) -> bool:
    """Whether a lower-case word is the epithet closing a place's name (« du Pays basque, »):
    the last word of the text or of its clause, after a capitalised word that an article or
    a preposition introduces."""
    token = tokens[index]
    closes = _ends(token) or index == len(tokens) - 1
    before = [_bare(t).casefold() for t in tokens[max(0, index - 3) : index - 1]]
    # « du Pays basque », « de la Plaine sud », not « La Directrice générale ».
    placed = bool(before) and (
        before[-1] in _PREPOSITIONS
        or (len(before) == 2 and before[-1] in ("la", "le", "les") and before[0] in _PREPOSITIONS)
    )
    word = token[:1].isalpha() and token[:1].islower() and not _ELISION.match(token)
    return closes and placed and word and not _short(token)


def _names(tokens: list[str]) -> list[tuple[int, int]]:
    """The (first, last) token indexes of each proper name: capitalised words joined by
    connectors, ended by a punctuation mark."""
    found: list[tuple[int, int]] = []
    index = 0
    while index < len(tokens):
        if not _capital(tokens[index]):
            index += 1
            continue
        first = last = index
        while not _ends(tokens[last]):
            probe = last + 1
            while probe < len(tokens) and tokens[probe] in _CONNECTORS:
                probe += 1
            if probe >= len(tokens) or not _capital(tokens[probe]):
                if probe == last + 1 and probe < len(tokens) and _epithet(tokens, probe):
                    last = probe  # « du Pays basque, »: never « du Pays / basque, »
                break
            last = probe
        if last > first:
            found.append((first, last))
        index = last + 1
    return found


def lier(text: str, longest_name: int) -> str:
    """The text with a no-break space after each short word and inside each proper name of
    at most `longest_name` characters; only regular spaces change, one for one."""
    if " " not in text:
        return text
    tokens = text.split(" ")
    glue = [False] * (len(tokens) - 1)  # glue[i]: the space after tokens[i]
    for index, token in enumerate(tokens[:-1]):
        if token and tokens[index + 1] and _short(token):
            glue[index] = True
    for start, last in _names(tokens):
        first = start
        # Too long for a line (« Pour la Communauté de Communes Cœur de Loire »): its end,
        # from a capitalised word on, that fits (« Communes Cœur de Loire »).
        while first < last and len(" ".join(tokens[first : last + 1])) > longest_name:
            first += 1
            while first < last and not _capital(tokens[first]):
                first += 1
        for index in range(first, last):
            glue[index] = True
    out = [tokens[0]]
    for index, token in enumerate(tokens[1:]):
        out.append(NBSP if glue[index] else " ")
        out.append(token)
    return "".join(out)
