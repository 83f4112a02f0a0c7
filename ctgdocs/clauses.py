"""The convention's articles: defaults a Caf may replace, its own articles, avenants' changes."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import articles_defaut as defaut
from .blocs import Article, Bloc, suite_de_puces, texte_libre
from .etat import Amendement, Etat, Modification, fiche_annexee, fiches_ordonnees
from .formatting import avenants_nommes
from .memo import per_convention

# The default articles, in order: key and title. `domicile` only appears when a party's
# seat address is missing (rules: parties[].adresse).
TITRES = {
    "objet": "Objet de la convention",
    "champs": "Champs d'intervention",
    "diagnostic": "Diagnostic et enjeux du territoire",
    "axes": "Axes stratégiques et plan d'actions",
    "engagements": "Engagements des parties",
    "financement": "Engagements financiers",
    "gouvernance": "Pilotage et gouvernance",
    "evaluation": "Suivi et évaluation",
    "donnees": "Échanges de données et confidentialité",
    "duree": "Durée et prise d'effet",
    "revision": "Révision",
    "resiliation": "Retrait d'un signataire et résiliation",
    "annexes": "Annexes",
    "domicile": "Élection de domicile",
    "litiges": "Règlement des litiges",
}
# Clauses every CTG carries: a Caf may rewrite them (remplace), not drop them (supprime).
OBLIGATOIRES = frozenset(TITRES) - {"champs", "diagnostic", "domicile"}
_SUFFIXES = ("bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "nonies", "decies")

Builder = Callable[[dict[str, Any], Etat, "Renvois"], list[Bloc]]
_BUILDERS: dict[str, Builder] = {
    "objet": defaut.objet,
    "champs": defaut.champs,
    "diagnostic": defaut.diagnostic,
    "axes": defaut.axes,
    "engagements": defaut.engagements_article,
    "financement": defaut.financement,
    "gouvernance": defaut.gouvernance,
    "evaluation": defaut.evaluation,
    "donnees": defaut.donnees,
    "duree": defaut.duree,
    "revision": defaut.revision,
    "resiliation": defaut.resiliation,
    "annexes": defaut.annexes_article,
    "domicile": defaut.domicile,
    "litiges": defaut.litiges,
}


@dataclass
class _Spec:
    cle: str
    titre: str
    texte: str | None = None  # the convention's own wording; None: the default's
    blocs: list[Bloc] | None = None  # an avenant's new wording
    numero: str = ""
    complements: list[Bloc] = field(default_factory=list)
    # What avenants did to it, for the consolidated version: ("complété", 1)…
    notes: list[tuple[str, int]] = field(default_factory=list)
    ajout: int | None = None  # the avenant that inserted it
    # Completed only by the default words for the parties that joined: the default article
    # is written afresh for every signatory in force.
    refait: bool = False


class Renvois:
    """How one article refers to another, by key: "l'article 6"."""

    def __init__(self, numeros: dict[str, str], annexes: dict[str, str]) -> None:
        self.numeros = numeros
        self.annexes = annexes

    def article(self, cle: str, article: bool = True) -> str:
        """ "l'article 6", or "article 6" inside parentheses."""
        if cle not in self.numeros:
            return "la présente convention"
        return ("l'" if article else "") + f"article {self.numeros[cle]}"

    def annexe(self, cle: str, article: bool = True) -> str:
        """ "l'annexe 2", or "annexe 2" inside parentheses."""
        if cle not in self.annexes:
            return "ses annexes"
        return ("l'" if article else "") + f"annexe {self.annexes[cle]}"


def _default_keys(etat: Etat) -> list[str]:
    """Every default article; « Élection de domicile » where a seat address is missing."""
    keys = [k for k in TITRES if k != "domicile"]
    replaced = any(m.remplace == "domicile" for m in etat.modifications)
    if replaced or any(not p.get("adresse") for p in etat.signees):
        keys.insert(keys.index("litiges"), "domicile")
    return keys


def _modify(specs: list[_Spec], modification: Modification) -> None:
    """The convention's own articles: rewritten, dropped or inserted before numbering."""
    keys = [s.cle for s in specs]
    if modification.supprime in keys:
        specs.pop(keys.index(modification.supprime))
    elif modification.remplace in keys:
        spec = specs[keys.index(modification.remplace)]
        spec.titre = modification.titre or spec.titre
        spec.texte = modification.texte or ""
    elif modification.apres in keys:
        new = _Spec(modification.cle, modification.titre or "", modification.texte or "")
        specs.insert(keys.index(modification.apres) + 1, new)


def _amend(specs: list[_Spec], amendement: Amendement) -> None:
    """An avenant's change, as the consolidated version shows it."""
    keys = [s.cle for s in specs]
    if amendement.cible not in keys:
        return
    spec = specs[keys.index(amendement.cible)]
    if amendement.operation == "complete":
        if amendement.defaut and spec.texte is None and spec.blocs is None:
            spec.refait = True
        else:
            spec.complements += amendement.blocs
        spec.notes.append(("complété", amendement.avenant))
    elif amendement.operation == "remplace":
        spec.titre = amendement.titre or spec.titre
        spec.blocs, spec.complements, spec.refait = list(amendement.blocs), [], False
        spec.notes.append(("modifié", amendement.avenant))
    else:
        new = _Spec(amendement.cle, amendement.titre, blocs=list(amendement.blocs))
        new.ajout = amendement.avenant
        new.notes.append(("inséré", amendement.avenant))
        # After those an avenant already inserted there: an earlier avenant's « 8 bis » is
        # signed under that number, so the new one is « 8 ter », never the other way round.
        at = keys.index(amendement.cible) + 1
        while at < len(specs) and specs[at].ajout is not None:
            at += 1
        specs.insert(at, new)


def _numbering(specs: list[_Spec]) -> None:
    """1, 2, 3…; an article an avenant inserts takes "5 bis" so that the others keep theirs."""
    number = 0
    inserted = 0
    for spec in specs:
        if spec.ajout is None:
            number += 1
            inserted = 0
            spec.numero = str(number)
            continue
        tail = _SUFFIXES[inserted] if inserted < len(_SUFFIXES) else f"({inserted + 1})"
        spec.numero = f"{number}\u00a0{tail}"
        inserted += 1


def _specs(etat: Etat) -> list[_Spec]:
    specs = [_Spec(k, TITRES[k]) for k in _default_keys(etat)]
    for modification in etat.modifications:
        _modify(specs, modification)
    for amendement in etat.amendements:
        _amend(specs, amendement)
    _numbering(specs)
    return specs


def refaits(etat: Etat) -> list[str]:
    """The numbers of the articles a consolidated version writes afresh for every signatory
    in force, since avenants completed them only with the default words for joining parties."""
    return [spec.numero for spec in _specs(etat) if spec.refait]


def numeros(etat: Etat) -> dict[str, str]:
    """Each article's number by key, in the convention as it stands in `etat`."""
    return {spec.cle: spec.numero for spec in _specs(etat)}


def titres(etat: Etat) -> dict[str, str]:
    return {spec.cle: spec.titre for spec in _specs(etat)}


def numeros_annexes(doc: dict[str, Any], fiches: bool) -> dict[str, str]:
    """The annexes' numbers by key: perimeter, plan, fiches (3.1, 3.2…), documents joined.

    `fiches`: whether the version numbered has fiches. The numbers the convention was
    signed with never change: when it was signed without any fiche, those adopted later
    follow the documents it joined (« annexe 3 : le diagnostic » stays annexe 3).
    """
    jointes = [f"jointe-{i}" for i, _ in enumerate(doc["convention"].get("annexes", []), 1)]
    if any(fiche_annexee(f) for f in fiches_ordonnees(doc)):
        keys = ["perimetre", "plan", "fiches", *jointes]
    else:
        keys = ["perimetre", "plan", *jointes] + (["fiches"] if fiches else [])
    return {key: str(number) for number, key in enumerate(keys, 1)}


def numero_fiche(doc: dict[str, Any], code: str) -> str:
    """ "3.2": the annex a fiche is, signed ones first then later ones (never renumbered)."""
    return f"{numeros_annexes(doc, fiches=True)['fiches']}.{_positions(doc)[code]}"


@per_convention
def _positions(doc: dict[str, Any]) -> dict[str, int]:
    """Each fiche's position among the fiches' annexes (1, 2…), by its code."""
    positions: dict[str, int] = {}
    for position, fiche in enumerate(fiches_ordonnees(doc), 1):
        positions.setdefault(fiche["code"], position)  # as list.index finds the first
    return positions


def renvoi(numeros: dict[str, str], titres: dict[str, str], cle: str) -> str:
    """ "l'article 5 de la convention (« Engagements des parties »)"."""
    return f"l'article {numeros[cle]} de la convention (\u00ab\u00a0{titres[cle]}\u00a0\u00bb)"


def _notes(notes: list[tuple[str, int]]) -> str:
    """ "complété par les avenants n° 1 et n° 2, modifié par l'avenant n° 3"."""
    by_verb: dict[str, list[int]] = {}
    for verb, numero in notes:
        by_verb.setdefault(verb, []).append(numero)
    return ", ".join(f"{verb} par {avenants_nommes(numbers)}" for verb, numbers in by_verb.items())


def articles(doc: dict[str, Any], etat: Etat, annexes: dict[str, str]) -> list[Article]:
    """The numbered articles of the convention in `etat`, each with its blocks.

    The text is the one signed, written from what was signed (`etat.signees`), with the
    changes the avenants in force made in their own words (a consolidated version).
    """
    specs = _specs(etat)
    renvois = Renvois({s.cle: s.numero for s in specs}, annexes)
    result: list[Article] = []
    for spec in specs:
        if spec.blocs is not None:
            blocs = list(spec.blocs)
        elif spec.texte is not None:
            blocs = texte_libre(spec.texte)
        elif spec.refait:
            blocs = _BUILDERS[spec.cle](
                doc, dataclasses.replace(etat, signees=etat.parties), renvois
            )
        else:
            blocs = _BUILDERS[spec.cle](doc, etat, renvois)
        titre = spec.titre
        if spec.notes:
            titre += f" ({_notes(spec.notes)})"
        result.append(
            {
                "cle": spec.cle,
                "numero": spec.numero,
                "titre": titre,
                "blocs": suite_de_puces(blocs + spec.complements) if spec.complements else blocs,
            }
        )
    return result
