"""French presentation: dates, amounts, hours, lists, elision, gender agreement."""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"  # before €, after « and before »
NNBSP = "\u202f"  # between thousands

MOIS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
_UNITES = (
    "zéro",
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
)
_DIZAINES = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}
# Counts up to twelve read well in words inside a sentence of figures ("onze mois").
_PETITS = 13
_VOYELLES = "aeiouyhâàäéèêëîïôöûüœæ"
_CENT = Decimal("0.01")


def date_longue(day: dt.date) -> str:
    """ "1er janvier 2020", "28 juin 2018"."""
    jour = "1er" if day.day == 1 else str(day.day)
    return f"{jour} {MOIS[day.month - 1]} {day.year}"


JOURS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def date_avec_jour(day: dt.date) -> str:
    """ "mardi 19 février 2019"."""
    return f"{JOURS[day.weekday()]} {date_longue(day)}"


def date_courte(day: dt.date) -> str:
    """ "28/06/2018", for table cells only, never running text."""
    return day.strftime("%d/%m/%Y")


def heure(moment: dt.time) -> str:
    """ "14 h", "16 h 30"."""
    if moment.minute == 0:
        return f"{moment.hour}{NBSP}h"
    return f"{moment.hour}{NBSP}h{NBSP}{moment.minute:02d}"


def grouper(digits: str) -> str:
    """Group an integer's digits by three with narrow no-break spaces."""
    groups: list[str] = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return NNBSP.join(groups)


# An integer of five digits or more, or one already grouped by spaces ("3 412"), standing
# alone (not the decimals of "48,53215", not inside a code such as "FA-12345").
_NOMBRE = re.compile(r"(?<![\d,.\w-])(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d{5,})(?![\d\w-])")


_VALEUR = re.compile(r"\d{4}(?=(?:,\d+)?$)")


def chiffres_groupes(text: str) -> str:
    """ "27 662 familles" for "27662 familles": a figure's thousands apart, as French prints
    them; four digits too when they are the whole figure (« 3 390 »), not inside a text
    (« en 2024 »)."""
    if _VALEUR.match(text):
        return grouper(text[:4]) + text[4:]
    return _NOMBRE.sub(lambda m: grouper(re.sub(r"\D", "", m[0])), text)


def montant(amount: Decimal) -> str:
    """ "50 500,50 €" with narrow no-break spaces and a no-break space before €."""
    cents = amount.quantize(_CENT, rounding=ROUND_HALF_UP)
    sign = "-" if cents < 0 else ""
    units, _, decimals = f"{abs(cents):f}".partition(".")
    return f"{sign}{grouper(units)},{decimals}{NBSP}€"


def _moins_de_cent(n: int) -> str:
    if n < len(_UNITES):
        return _UNITES[n]
    tens, units = divmod(n, 10)
    if tens == 1:
        return f"dix-{_UNITES[units]}"
    if tens in (7, 9):
        # 70-79 and 90-99 count on from sixty and eighty: "soixante-douze", "quatre-vingt-onze".
        base = "soixante" if tens == 7 else "quatre-vingt"
        joint = " et " if tens == 7 and units == 1 else "-"
        return f"{base}{joint}{_moins_de_cent(10 + units)}"
    base = "quatre-vingt" if tens == 8 else _DIZAINES[tens]
    if units == 0:
        return "quatre-vingts" if tens == 8 else base
    joint = " et " if units == 1 and tens != 8 else "-"
    return f"{base}{joint}{_UNITES[units]}"


def _moins_de_mille(n: int, final: bool) -> str:
    """0 < n < 1000; `final`: nothing follows, so "deux cents" and "quatre-vingts" take an s."""
    hundreds, rest = divmod(n, 100)
    words = []
    if hundreds:
        cent = "cent" if hundreds == 1 else f"{_UNITES[hundreds]} cent"
        if hundreds > 1 and rest == 0 and final:
            cent += "s"
        words.append(cent)
    if rest:
        tail = _moins_de_cent(rest)
        if not final and tail.endswith("quatre-vingts"):
            tail = tail[:-1]
        words.append(tail)
    return " ".join(words)


def en_lettres(n: int, feminin: bool = False) -> str:
    """A whole number in words, traditional spelling: "six", "vingt et un", "deux cents";
    before a feminine noun, "trente et une (communes)"."""
    if feminin:
        words = en_lettres(n)
        return words[:-2] + "une" if re.search(r"(^|[ -])un$", words) else words
    if n < 0:
        return f"moins {en_lettres(-n)}"
    if n == 0:
        return _UNITES[0]
    if n >= 10**12:
        return grouper(str(n))
    parts = []
    for size, singular in ((10**9, "milliard"), (10**6, "million")):
        count, n = divmod(n, size)
        if count:
            parts.append(f"{_moins_de_mille(count, True)} {singular}{'s' if count > 1 else ''}")
    thousands, n = divmod(n, 1000)
    if thousands:
        parts.append("mille" if thousands == 1 else f"{_moins_de_mille(thousands, False)} mille")
    if n:
        parts.append(_moins_de_mille(n, True))
    return " ".join(parts)


def nombre_en_lettres(n: int) -> str:
    """Small counts in words ("quatre"); larger ones stay in digits."""
    return en_lettres(n) if 0 <= n < _PETITS else str(n)


# An item's last word that keeps its point before « ; » (« ateliers, sorties, etc. ; »):
# abbreviations that are no word (« art. » is one, and ends « Éveil à l'art. »).
_ABREVIATION = re.compile(r"(?<![^\W\d_])(?:etc|cf|env|hab)\.$")


def ponctuer(items: Sequence[str]) -> list[str]:
    """The items of an enumeration ending with " ;", the last one with ".".

    Whatever the items end with (nothing, "." or ";"), one act punctuates its lists
    one way; an item ending with "?", "!" or "…" keeps its own mark. Items written as
    sentences (each begins with a capital and ends with a full stop) keep their full stops:
    « L'offre est saturée ; » would read as one sentence begun again.
    """
    sentences = bool(items) and all(
        item.strip()[:1].isupper() and item.rstrip().endswith((".", "?", "!", "…"))
        for item in items
    )
    result = []
    for index, item in enumerate(items):
        text = item.rstrip()
        if text.endswith(("?", "!", "…")):
            result.append(text)
            continue
        text = text.rstrip(" ;,\u00a0\u202f")
        if _ABREVIATION.search(text) is None:
            text = text.rstrip(" .;,\u00a0\u202f")
        last = index == len(items) - 1
        # An abbreviation's point ends the sentence too: « etc. », never « etc.. »
        point = "" if text.endswith(".") else "."
        result.append(f"{text}{point}" if last or sentences else f"{text}\u202f;")
    return result


def pluriel(count: int, *words: str) -> str:
    """ "0 document", "2 documents écrits": each word takes an s from 2 on."""
    suffix = "s" if count > 1 else ""
    return " ".join([str(count), *(f"{word}{suffix}" for word in words)])


_CODE_POSTAL = re.compile(r"(?<!\d)(\d{5}) (?=\S)")
# A postal code and its town up to a comma or the end, short enough to be kept on one line.
_VILLE = re.compile(r"(?<!\d)(\d{5}) ([^,;\n]{1,40})(?=[,;\n]|$)")


def adresse(text: str) -> str:
    """An address whose postal code and town never break (no-break spaces in "72039 Le Mans
    Cedex 9"); its postal code alone, when the town runs on."""
    text = _VILLE.sub(lambda m: f"{m[1]}{NBSP}{m[2].replace(' ', NBSP)}", text)
    return _CODE_POSTAL.sub(f"\\1{NBSP}", text)


_ARTICLE_DE_LIEU = re.compile(r"^(Le|Les) (?=\S)")


def a_lieu(lieu: str) -> str:
    """ "à L'Aigle", "à La Désirade", "au Gosier", "aux Abymes": à + le/les contract."""
    match = _ARTICLE_DE_LIEU.match(lieu)
    if match is None:
        return f"à {lieu}"
    return ("au " if match[1] == "Le" else "aux ") + lieu[match.end() :]


def de_lieu(lieu: str) -> str:
    """ "du Havre", "des Loges", "d'Étretat", "de La Désirade": de + the place's own article,
    for a name the COG does not spell (its preposition comes from the COG otherwise)."""
    match = _ARTICLE_DE_LIEU.match(lieu)
    if match is not None:
        return ("du " if match[1] == "Le" else "des ") + lieu[match.end() :]
    return f"d'{lieu}" if commence_par_voyelle(lieu) else f"de {lieu}"


def entre_parentheses(notes: Sequence[str]) -> str:
    """ " (a ; b)" for the notes that are not empty, "" when none is."""
    kept = [n for n in notes if n]
    return f" ({' ; '.join(kept)})" if kept else ""


def liste(items: Sequence[str], conjonction: str = "et") -> str:
    """ "A, B et C" (or "A, B ou C")."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {conjonction} {items[-1]}"


def avenants_nommes(numbers: Sequence[int]) -> str:
    """ "l'avenant n° 2", "les avenants n° 1 et n° 2"."""
    cited = liste([f"n°{NBSP}{n}" for n in numbers])
    return f"les avenants {cited}" if len(numbers) > 1 else f"l'avenant {cited}"


def guillemets(text: str) -> str:
    """« text » with no-break spaces inside the quotes."""
    return f"«{NBSP}{text}{NBSP}»"


def commence_par_voyelle(word: str) -> bool:
    """True when "de"/"le" elides before this word (vowel or mute h, approximated)."""
    return bool(word) and word[0].lower() in _VOYELLES


def accord(feminin: bool, masculin_form: str, feminin_form: str) -> str:
    return feminin_form if feminin else masculin_form


def possessif(qualite: str, feminin: bool) -> str:
    """ "sa Directrice", "son Président", and "son Administratrice" (euphony)."""
    if feminin and not commence_par_voyelle(qualite):
        return "sa"
    return "son"


def majuscule(text: str) -> str:
    """Capitalise the first letter only: "la Caf" → "La Caf"."""
    return text[:1].upper() + text[1:]


def minuscule(text: str) -> str:
    """Lower the first letter of a name used in a sentence, not of an acronym ("CTG")."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def sans_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Names come back in every document of a convention: their keys are computed once.
@functools.lru_cache(maxsize=1 << 16)
def cle_de_tri(nom: str) -> str:
    """Sort key for French names: accents and case ignored, "Écorcei" among the E, œ as oe.

    Words are compared one by one, whatever separates them: « Saint Maurice Étusson »
    (its official spelling) after « Saint-Amand-sur-Sèvre », not before every « Saint-… ».
    """
    key = sans_accents(nom).casefold().replace("œ", "oe").replace("æ", "ae")
    return _SEPARATEURS.sub(" ", key)


_SEPARATEURS = re.compile(r"[\s'’\-]+")


@functools.lru_cache(maxsize=1 << 16)
def normaliser_nom(nom: str) -> str:
    """Compare names loosely: case, accents, apostrophes, hyphens and spaces ignored."""
    return re.sub(r"[\s'’\-]+", " ", cle_de_tri(nom)).strip()


_MOTS_VIDES = {"de", "du", "des", "la", "le", "les", "l", "d", "et", "en"}
_MOTS_EPCI = {"cc", "ca", "cu", "communaute", "communes", "agglomeration", "urbaine", "metropole"}


def mots_significatifs(nom_epci: str) -> set[str]:
    """The words that identify an EPCI, without articles or its type ("CC" = "Communauté…")."""
    words = re.split(r"[^a-z0-9]+", normaliser_nom(nom_epci))
    return {w for w in words if w and w not in _MOTS_VIDES | _MOTS_EPCI}


def duree(debut: dt.date, fin: dt.date) -> tuple[int, int, int]:
    """Whole years, months and days from `debut` to the day after `fin`."""
    end = fin + dt.timedelta(days=1)
    months = (end.year - debut.year) * 12 + end.month - debut.month
    if end.day < debut.day:
        months -= 1
    anchor_year = debut.year + (debut.month - 1 + months) // 12
    anchor_month = (debut.month - 1 + months) % 12 + 1
    anchor = dt.date(anchor_year, anchor_month, min(debut.day, _days_in(anchor_year, anchor_month)))
    return months // 12, months % 12, (end - anchor).days


def _days_in(year: int, month: int) -> int:
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return (nxt - dt.timedelta(days=1)).day


def duree_en_lettres(debut: dt.date, fin: dt.date) -> str:
    """ "quatre ans", "un an et six mois", "4 ans, 2 mois et 3 jours"."""
    years, months, days = duree(debut, fin)
    # Words for small counts, digits for all when one count is large: no "onze mois et 30 jours".
    words = max(years, months, days) < _PETITS
    say = nombre_en_lettres if words else str
    parts = []
    if years:
        parts.append(f"{say(years)} an{'s' if years > 1 else ''}")
    if months:
        parts.append(f"{say(months)} mois")
    if days:
        parts.append(f"{say(days)} jour{'s' if days > 1 else ''}")
    return liste(parts) or "moins d'un jour"


# A bullet's mark, then a space or nothing: « -5 % » is a number, not a bullet.
_PUCE = re.compile(r"^[-–—•*](?:\s+|$)")


def paragraphes(text: str) -> list[dict[str, str | bool]]:
    """Split a YAML text block into paragraphs and bullets.

    A blank line separates paragraphs; a line starting with "- " is a bullet, as one starting
    with the other marks a text pasted from Word keeps (« • », « – », « — », « * »), which
    ran on into the paragraph before (« … : • a • b »); other lines continue the current
    paragraph or bullet.
    """
    blocks: list[dict[str, str | bool]] = []
    current: list[str] = []
    bullet = False

    def flush() -> None:
        if current:
            blocks.append({"texte": " ".join(current), "puce": bullet})
            current.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
            bullet = False
        elif (mark := _PUCE.match(line)) is not None:
            flush()
            bullet = True
            current.append(line[mark.end() :].strip())
        else:
            current.append(line)
    flush()
    return [b for b in blocks if b["texte"]]
