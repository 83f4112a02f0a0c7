"""libxml2's syntax errors in a damaged template, in French, with the text near the error."""

from __future__ import annotations

import html
import re

from lxml import etree

# libxml2's words (always English) → what they mean for a Word document's XML.
_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), french)
    for pattern, french in (
        (r"Opening and ending tag mismatch: (\S+) line \d+ and (\S+)", r"<\1> fermée par </\2>"),
        (r"Premature end of data in tag (\S+)", r"partie coupée avant la fin de la balise <\1>"),
        (r"EndTag: '</' not found", "balise de fin « </ » manquante (partie coupée ?)"),
        (r"Extra content at the end of the document", "texte après la fin de la partie"),
        (r"Document is empty", "partie vide"),
        (r"Start tag expected, '<' not found", "« < » attendu au début de la partie"),
        (r"StartTag: invalid element name", "nom de balise invalide après « < »"),
        (r"EntityRef: expecting ';'", "« & » sans « ; » : une esperluette s'écrit &amp; en XML"),
        (r"xmlParseEntityRef: no name", "« & » seul : une esperluette s'écrit &amp; en XML"),
        (r"Entity '([^']*)' not defined", r"entité « &\1; » inconnue"),
        (r"Couldn't find end of Start Tag (\S+)", r"balise <\1> non terminée"),
        (r"(?:AttValue: \" or ' expected|attributes construct error)", "attribut mal écrit"),
        (r"Attribute (\S+) redefined", r"attribut « \1 » répété"),
        (r"Namespace prefix (\S+) (?:on|for) (\S+) is not defined", r"préfixe « \1 » non déclaré"),
        (r"invalid Char|Char 0x\w+ out of allowed range|invalid xmlChar", "caractère interdit"),
        (r"Input is not proper UTF-8", "octets qui ne sont pas de l'UTF-8"),
        (r"Specification mandates value for attribute (\S+)", r"attribut « \1 » sans valeur"),
        (r"Unescaped '<' not allowed in attributes values", "« < » dans une valeur d'attribut"),
    )
)  # fmt: skip
_POSITION = re.compile(r", line (\d+), column (\d+)")
_TEXT = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")


def _near(data: bytes, line: int, column: int) -> str:
    """The document's text (its w:t runs) just before the error: what to search for in Word."""
    lines = data.decode("utf-8", "replace").split("\n")
    if not 0 < line <= len(lines):
        return ""
    before = "\n".join([*lines[: line - 1], lines[line - 1][: max(column - 1, 0)]])
    text = " ".join(html.unescape("".join(_TEXT.findall(before[-20000:]))).split())
    return text[-80:].strip()


def xml_reason(exc: etree.XMLSyntaxError, data: bytes | None = None) -> str:
    """ "XML mal formé ligne 2, colonne 18307 (balise <w:body> fermée par </w:bodyx>) …"."""
    raw = str(exc.msg or exc)
    position = _POSITION.search(raw)
    english = " ".join(_POSITION.split(raw)[0].split())
    french = next((m.expand(f) for p, f in _MESSAGES if (m := p.search(english))), None)
    detail = french if french is not None else f"détail de libxml2 : {english}"
    where = f" ligne {position[1]}, colonne {position[2]}" if position else ""
    reason = f"XML mal formé{where} ({detail})"
    if data is not None and position:
        text = _near(data, int(position[1]), int(position[2]))
        if text:
            reason += f", après le texte « {text} »"
    return reason
