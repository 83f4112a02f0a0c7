"""The collectivities that hold a département's powers in its stead, and since when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .referentiel import departement_au_nom, departements_nommes, mots


@dataclass(frozen=True)
class Succession:
    """A collectivity that took over the powers of one or more départements."""

    anciens: tuple[str, ...]
    successeur: str
    depuis: dt.date
    loi: str
    # Set where the département lives on outside the successor: the EPCI (its SIREN) whose
    # territory the successor covers.
    sur_epci: str | None = None


_GUYANE_MARTINIQUE = "loi n° 2011-884 du 27 juillet 2011"
SUCCESSIONS = (
    # Their assemblées first met on 18 December 2015; the collectivities took over the
    # département's (and the région's) budget and acts on 1 January 2016.
    Succession(
        ("972",), "Collectivité territoriale de Martinique", dt.date(2016, 1, 1), _GUYANE_MARTINIQUE
    ),
    Succession(
        ("973",), "Collectivité territoriale de Guyane", dt.date(2016, 1, 1), _GUYANE_MARTINIQUE
    ),
    Succession(
        ("2A", "2B"), "Collectivité de Corse", dt.date(2018, 1, 1), "loi n° 2015-991 du 7 août 2015"
    ),
    Succession(
        ("75",), "Ville de Paris", dt.date(2019, 1, 1), "loi n° 2017-257 du 28 février 2017"
    ),
    Succession(
        ("67", "68"),
        "Collectivité européenne d'Alsace",
        dt.date(2021, 1, 1),
        "loi n° 2019-816 du 2 août 2019",
    ),
    # The Département du Rhône remains, without competence on the Métropole's communes.
    Succession(
        ("69",),
        "Métropole de Lyon",
        dt.date(2015, 1, 1),
        "loi n° 2014-58 du 27 janvier 2014",
        sur_epci="200046977",
    ),
)
# The first word of these collectivities' names, which a party's name begins with when it
# names one of them rather than a département: « Collectivité », « Ville », « Métropole ».
PREMIERS_MOTS = tuple(sorted({s.successeur.split(" ", 1)[0].lower() for s in SUCCESSIONS}))
_PREMIERS_MOTS = {mots(word)[0] for word in PREMIERS_MOTS}

# Words that say a name is a département's: « Département », « Conseil départemental »,
# « Conseil général » (its name before 2015), « CD ».
_MARQUES = {"departement", "departements", "departemental", "departementale", "general", "cd"}
_ARTICLES = {"la", "le", "les", "l"}


def ancien_departement(nom: str) -> tuple[str, Succession] | None:
    """The former département a département party's name designates, with its successor:
    « Conseil départemental du Haut-Rhin », « département de la Haute Corse », « CD 68 »,
    « Haut-Rhin ». None for any other name, the successors' own (« Collectivité territoriale
    de Martinique ») and their organs' (« Assemblée de Martinique ») among them."""
    words = mots(nom)
    first = next((w for w in words if w not in _ARTICLES), None)
    if first is None or first in _PREMIERS_MOTS:
        return None
    marked = bool(_MARQUES & set(words))
    if marked:
        named = departements_nommes(nom)
    else:
        alone = departement_au_nom(nom)  # the place's name, and nothing else
        named = [alone] if alone else []
    for succession in SUCCESSIONS:
        for code in succession.anciens:
            # « CD 68 », « Département 68 », « CD68 »: the code stands for the name.
            by_code = (marked and code.lower() in words) or f"cd{code.lower()}" in words
            if code in named or by_code:
                return code, succession
    return None
