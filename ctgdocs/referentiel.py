"""The bundled COG / EPCI reference data: identifiers, lookups, prepositions."""

from __future__ import annotations

import functools
import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any

from .formatting import normaliser_nom

# Département part of an INSEE commune code: 01-19, 21-95, 2A/2B, or 971-976.
# re.ASCII: `\d` alone would also take « ² » or « ３ ».
_INSEE = re.compile(
    r"^(?:(?:0[1-9]|1\d|[3-8]\d|9[0-5]|2[1-9])\d{3}|2[AB]\d{3}|97[1-6]\d{2})\Z", re.ASCII
)
_DEPARTEMENT = re.compile(r"^(?:0[1-9]|1\d|[3-8]\d|9[0-5]|2[1-9]|2[AB]|97[1-6])\Z", re.ASCII)
_SIREN = re.compile(r"^[0-9]{9}\Z")

# Insee's "charnière" for each type de nom (TNCC). Commune names carry their
# article ("Le Mans"), which the charnière replaces; département names do not.
_CHARNIERES = {
    0: ("de ", ""),
    1: ("d'", ""),
    2: ("du ", "Le "),
    3: ("de ", ""),
    4: ("des ", "Les "),
    5: ("de ", ""),
    6: ("des ", "Aux "),
    7: ("de ", ""),
    8: ("de ", ""),
}
_CHARNIERES_DEPARTEMENT = {
    0: "de ",
    1: "d'",
    2: "du ",
    3: "de la ",
    4: "des ",
    5: "de l'",
}
EPCI_TYPES = {
    "CC": "Communauté de communes",
    "CA": "Communauté d'agglomération",
    "CU": "Communauté urbaine",
    "METRO": "Métropole",
}


def insee_bien_forme(code: str) -> bool:
    """True for a well-formed commune code (2A/2B for Corsica, 971-976 overseas)."""
    return bool(_INSEE.match(code))


def departement_bien_forme(code: str) -> bool:
    return bool(_DEPARTEMENT.match(code))


def departement_of(insee: str) -> str:
    """The département code of a well-formed INSEE commune code."""
    return insee[:3] if insee.startswith("97") else insee[:2]


def luhn_valide(digits: str) -> bool:
    """Luhn check of a SIREN (the ninth digit is the key)."""
    total = 0
    for i, char in enumerate(reversed(digits)):
        n = int(char)
        if i % 2 == 1:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def siren_bien_forme(siren: str) -> bool:
    """Nine ASCII digits (str.isdigit would also take « ² »)."""
    return bool(_SIREN.match(siren))


def siren_valide(siren: str) -> bool:
    return siren_bien_forme(siren) and luhn_valide(siren)


@dataclass(frozen=True)
class Commune:
    code: str
    nom: str
    type_liaison: int
    siren: str = ""
    # For communes déléguées, associées and arrondissements: the commune they belong to.
    rattachement: str = ""
    statut: str = "actuelle"

    @property
    def de_nom(self) -> str:
        """The name after "de": "d'Aube", "de Rai", "du Mans", "des Aspres"."""
        charniere, article = _CHARNIERES.get(self.type_liaison, ("de ", ""))
        nom = self.nom[len(article) :] if article and self.nom.startswith(article) else self.nom
        return f"{charniere}{nom}"


@dataclass(frozen=True)
class Departement:
    code: str
    nom: str
    type_liaison: int

    @property
    def de_nom(self) -> str:
        """ "de l'Orne", "du Gard", "de la Vienne", "des Landes", "de Paris"."""
        return f"{_CHARNIERES_DEPARTEMENT.get(self.type_liaison, 'de ')}{self.nom}"


@dataclass(frozen=True)
class Epci:
    siren: str
    nom: str
    type: str
    membres: tuple[str, ...]

    @property
    def nom_long(self) -> str:
        """The COG's "CC Beaucaire Terre d'Argence" spelt in full."""
        prefix, _, rest = self.nom.partition(" ")
        if self.type in EPCI_TYPES and prefix == self.type and rest:
            return f"{EPCI_TYPES[self.type]} {rest}"
        return self.nom

    @property
    def de_nom(self) -> str:
        """ "de la Communauté de communes …", "de la Métropole de Lyon"."""
        if self.nom_long.startswith(("Communauté", "Métropole")):
            return f"de la {self.nom_long}"
        return f"de l'EPCI {self.nom_long}"


@functools.cache
def _data() -> dict[str, Any]:
    blob = resources.files("ctgdocs").joinpath("data/referentiel.json.gz").read_bytes()
    data: dict[str, Any] = json.loads(gzip.decompress(blob))
    return data


def millesime() -> str:
    """The vintage used, as messages cite it: "COG 2026, …-administratif 6.0.0"."""
    data = _data()
    return f"{data['millesime']}, {data['source']} {data['version']}"


def annee_du_referentiel() -> int:
    """The year of the COG the reference data comes from (2026)."""
    digits = re.search(r"\d{4}", str(_data()["millesime"]))
    return int(digits[0]) if digits else 0


def commune(code: str) -> Commune | None:
    """The current commune with this INSEE code, if any."""
    entry = _data()["communes"].get(code)
    if entry is None:
        return None
    nom, type_liaison, siren = entry
    return Commune(code, nom, type_liaison if type_liaison is not None else 0, siren)


def commune_rattachee(code: str) -> Commune | None:
    """A commune déléguée, associée or arrondissement municipal with this code."""
    entry = _data()["rattachees"].get(code)
    if entry is None:
        return None
    nom, type_liaison, statut, parent = entry
    return Commune(code, nom, type_liaison or 0, "", parent, statut)


def departement(code: str) -> Departement | None:
    entry = _data()["departements"].get(code)
    return Departement(code, *entry) if entry else None


def mots(text: str) -> tuple[str, ...]:
    """A text's words as names are compared: case, accents, hyphens and apostrophes ignored
    (« Conseil départemental du Haut-Rhin » → conseil, departemental, du, haut, rhin)."""
    return tuple(re.findall(r"[a-z0-9]+", normaliser_nom(text)))


@functools.cache
def _noms_des_departements() -> dict[tuple[str, ...], str]:
    """Each département's name as words, and without its article (« Réunion »), by code;
    only the départements a commune code may hold (not Saint-Martin, a commune's name too)."""
    found: dict[tuple[str, ...], str] = {}
    for code, (nom, _) in _data()["departements"].items():
        if departement_bien_forme(code):
            words = mots(nom)
            found[words] = code
            if words[0] in ("la", "le", "les") and len(words) > 1:
                found[words[1:]] = code
    return found


def departements_nommes(text: str) -> list[str]:
    """The codes of the départements a text names, each name read whole and the longest
    first: « Caf de la Haute-Loire » names the Haute-Loire, not the Loire, and « des
    Bouches-du-Rhône » not the Rhône."""
    names = _noms_des_departements()
    longest = max(len(words) for words in names)
    words = mots(text)
    found: list[str] = []
    start = 0
    while start < len(words):
        for length in range(min(longest, len(words) - start), 0, -1):
            code = names.get(words[start : start + length])
            if code is not None:
                if code not in found:
                    found.append(code)
                start += length
                break
        else:
            start += 1
    return found


def departement_au_nom(text: str) -> str | None:
    """The code of the département whose name the text is, after an article or a
    preposition (« Haute Corse », « de la Réunion »); None for any other text."""
    words = list(mots(text))
    while words and words[0] in _MOTS_DE_LIAISON:
        words.pop(0)
    return _noms_des_departements().get(tuple(words))


_MOTS_DE_LIAISON = {"de", "du", "des", "d", "la", "le", "les", "l"}


def epci(siren: str) -> Epci | None:
    entry = _data()["epci"].get(siren)
    if entry is None:
        return None
    nom, type_, membres = entry
    return Epci(siren, _guillemets(nom), type_, tuple(membres))


def sans_communes_membres(siren: str) -> bool:
    """Whether the communes of this « EPCI » are not its members: the Métropole de Lyon
    (MET69 in the COG) is a collectivité à statut particulier, its communes are « situées
    sur son territoire »."""
    found = epci(siren)
    return found is not None and found.type == "MET69"


def _guillemets(nom: str) -> str:
    """ "CA de Blois ''Agglopolys''" (the DGCL's quotes, doubled by its export) → « … »."""
    return re.sub(r"(?:''|\")(.+?)(?:''|\")", "« \\1 »", nom)


# Cafs that name themselves otherwise than the COG's preposition gives (caf.fr pages and the
# Cafs' own publications): « la Caf de Tarn-et-Garonne », not « du Tarn-et-Garonne ».
_NOMS_CAF = {
    "41": "Caisse d'allocations familiales de Loir-et-Cher",
    "47": "Caisse d'allocations familiales de Lot-et-Garonne",
    "82": "Caisse d'allocations familiales de Tarn-et-Garonne",
    "84": "Caisse d'allocations familiales de Vaucluse",
}
# Départements without exactly one Caf: the organisations that act as Caf there.
_CAISSES_MULTIPLES = {
    "64": (
        "Caisse d'allocations familiales du Béarn et de la Soule",
        "Caisse d'allocations familiales du Pays basque",
    ),
    # No Caf in Mayotte: the Caisse de sécurité sociale runs the family branch.
    "976": ("Caisse de sécurité sociale de Mayotte",),
}


def nom_caf(departement_code: str) -> str | None:
    """ "Caisse d'allocations familiales du Gard"; None where no single Caf is the département's."""
    if departement_code in _CAISSES_MULTIPLES:
        return None
    if departement_code in _NOMS_CAF:
        return _NOMS_CAF[departement_code]
    dep = departement(departement_code)
    return f"Caisse d'allocations familiales {dep.de_nom}" if dep else None


def caisses_possibles(departement_code: str) -> tuple[str, ...]:
    """Where a département has no single Caf: the caisses to choose from (or that act as one)."""
    return _CAISSES_MULTIPLES.get(departement_code, ())


def epcis() -> list[Epci]:
    """Every EPCI of the reference data, by SIREN."""
    return [e for siren in _data()["epci"] if (e := epci(siren)) is not None]


def communes(departement_code: str | None = None) -> Iterator[Commune]:
    """Every current commune of the reference data (of one département), by INSEE code."""
    for code in _data()["communes"]:
        if departement_code is None or departement_of(code) == departement_code:
            found = commune(code)
            if found is not None:
                yield found
