"""Rules on who acts for the territory: the collectivity that holds the département's powers
on the day of each act, and the Caf of the perimeter's départements."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..collectivites import SUCCESSIONS, Succession, ancien_departement
from ..formatting import date_longue, liste, pluriel
from ..juridictions import date_de_la_cog
from ..perimetre import ajouts, communes_initiales
from ..referentiel import (
    caisses_possibles,
    departement,
    departement_of,
    departements_nommes,
    epci,
    insee_bien_forme,
    mots,
    nom_caf,
)
from .base import Findings, date_at, entries, rattachee, text_at


@dataclass(frozen=True)
class _Acte:
    day: dt.date
    # How a message says it: « la convention est signée le 15 octobre 2024 ».
    text: str
    avenant: bool = False


def _actes(doc: dict[str, Any]) -> list[_Acte]:
    """Each act the parties sign, in order, on its day (a projet's earliest possible one)."""
    found: list[_Acte] = []
    day = date_de_la_cog(doc)
    if day and date_at(doc, "convention", "signature", "date"):
        found.append(_Acte(day, f"la convention est signée le {date_longue(day)}"))
    elif day and day == date_at(doc, "convention", "periode", "debut"):
        found.append(_Acte(day, f"la convention, en projet, prend effet le {date_longue(day)}"))
    elif day:
        after = f"sera signée après la délibération du {date_longue(day)}"
        found.append(_Acte(day, f"la convention, en projet, {after}"))
    for _, avenant in entries(doc, "avenants"):
        # Every party of the convention signs its avenants, under the same name.
        of = f"l'avenant n° {avenant.get('numero')}, que signent les parties de la convention,"
        signe, effet = date_at(avenant, "signature", "date"), date_at(avenant, "date_effet")
        if signe:
            found.append(_Acte(signe, f"{of} est signé le {date_longue(signe)}", avenant=True))
        elif effet:
            found.append(_Acte(effet, f"{of} prend effet le {date_longue(effet)}", avenant=True))
    return found


def _sur_son_territoire(succession: Succession, codes: set[str], siren: str | None) -> bool:
    """Whether the territory lies where the successor holds the département's powers: all of
    it for a whole département, the EPCI's communes for the Métropole de Lyon."""
    if succession.sur_epci is None or siren == succession.sur_epci:
        return True
    known = epci(succession.sur_epci)
    if known is None or not codes:
        return False
    parents = {found[1] if (found := rattachee(code)) else code for code in codes}
    return parents <= set(known.membres)


def _remplacement(
    doc: dict[str, Any], code: str, succession: Succession, acte: _Acte
) -> tuple[str, str]:
    """What replaced the département (« remplacé depuis … par … (loi …) ») and what to do."""
    ancien = departement(code)
    where = " sur les communes de celle-ci, qui forment tout le périmètre"
    said = (
        f"le Département {ancien.de_nom if ancien else code}, remplacé depuis le "
        f"{date_longue(succession.depuis)} par la {succession.successeur}"
        f"{where if succession.sur_epci else ''} ({succession.loi})"
    )
    # On the Métropole de Lyon's territory, the Métropole is the EPCI that signs.
    if succession.sur_epci and succession.sur_epci == text_at(doc, "territoire", "epci", "siren"):
        signs = [i for i, p in entries(doc, "parties") if text_at(p, "type") == "epci"]
        if signs:
            return said, (
                f"la {succession.successeur} y est déjà partie (parties[{signs[0]}]) ; retirez "
                "cette partie"
            )
    fix = f"écrivez « {succession.successeur} »"
    return said, f"{fix} (elle succède au Département dans la convention)" if acte.avenant else fix


def check_anciens_departements(
    doc: dict[str, Any], findings: Findings, codes: set[str], actes: list[_Acte]
) -> None:
    """A département party does not name a département that a collectivity replaced before
    the convention or one of its avenants (`actes`): the act would bind a body that no longer
    exists (or no longer acts on this territory)."""
    for index, partie in entries(doc, "parties"):
        nom = text_at(partie, "nom")
        if not nom or text_at(partie, "type") != "departement":
            continue
        found = ancien_departement(nom)
        if found is None:
            continue
        code, succession = found
        late = next((a for a in actes if a.day >= succession.depuis), None)
        siren = text_at(doc, "territoire", "epci", "siren")
        if late is None or not _sur_son_territoire(succession, codes, siren):
            continue
        said, fix = _remplacement(doc, code, succession, late)
        ident = text_at(partie, "id")
        qui = f"la partie « {ident} »" if ident else "la partie"
        if late.avenant and actes[0].day < succession.depuis:
            # Signed by the Département, the convention names it rightly; the format gives
            # an avenant no name of its own for a party.
            findings.warning(
                ("parties", index, "nom"),
                f"{qui} nomme {said}, et {late.text} : l'avenant est signé par la "
                f"{succession.successeur}, qui succède au Département dans la convention ; "
                "ctgdocs ne renomme pas une partie pour ses seuls avenants : corrigez son nom "
                "dans l'avenant avant signature",
            )
            continue
        findings.error(("parties", index, "nom"), f"{qui} nomme {said}, et {late.text} : {fix}")


def check_successeurs_anticipes(
    doc: dict[str, Any], findings: Findings, actes: list[_Acte]
) -> None:
    """A département party does not name a collectivity in an act (`actes`) dated before it
    existed (the Collectivité européenne d'Alsace in 2019): the act binds the Département."""
    for index, partie in entries(doc, "parties"):
        nom = text_at(partie, "nom")
        if not nom or text_at(partie, "type") != "departement" or not actes:
            continue
        words = mots(nom)
        for succession in SUCCESSIONS:
            successeur = mots(succession.successeur)
            if words[: len(successeur)] != successeur or actes[0].day >= succession.depuis:
                continue
            anciens = [d.de_nom for code in succession.anciens if (d := departement(code))]
            findings.error(
                ("parties", index, "nom"),
                f"« {nom} » : la {succession.successeur} n'existe que depuis le "
                f"{date_longue(succession.depuis)} ({succession.loi}), et {actes[0].text} : "
                f"l'acte est signé par le Département {liste(anciens, 'ou')}",
            )


def _expected_cafs(counts: dict[str, int]) -> str:
    """ "« Caisse d'allocations familiales du Haut-Rhin »", or the choice of several."""
    names: list[str] = []
    for dep in sorted(counts, key=lambda d: (-counts[d], d)):
        caf = nom_caf(dep)
        names += [caf] if caf else list(caisses_possibles(dep))
    return liste([f"« {name} »" for name in names], "ou")


def check_caf_du_territoire(doc: dict[str, Any], findings: Findings, codes: set[str]) -> None:
    """Warn when a Caf's name names départements none of the perimeter's communes is in: a
    Caf acts for the families of its own département (« Caf du Bas-Rhin » for the Haut-Rhin).
    A name without a département (« Caf de Béarn et Soule ») says nothing."""
    counts: dict[str, int] = {}
    for code in codes:
        if insee_bien_forme(code):
            counts[departement_of(code)] = counts.get(departement_of(code), 0) + 1
    if not counts:
        return
    listed = " ; ".join(
        f"{found.nom if (found := departement(d)) else d} ({d}) : {pluriel(n, 'commune')}"
        for d, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    )
    for index, partie in entries(doc, "parties"):
        nom = text_at(partie, "nom")
        named = departements_nommes(nom) if nom and text_at(partie, "type") == "caf" else []
        if not named or set(named) & set(counts):
            continue
        places = [f"{found.de_nom if (found := departement(d)) else d} ({d})" for d in named]
        which = "le département" if len(places) == 1 else "les départements"
        findings.warning(
            ("parties", index, "nom"),
            f"« {nom} » nomme {which} {liste(places)}, où n'est située aucune commune du "
            f"périmètre ({listed}) : une Caf n'agit que pour les familles de son département ; "
            f"vérifiez la Caf signataire (attendue : {_expected_cafs(counts)})",
        )


def check(doc: dict[str, Any], findings: Findings) -> None:
    codes = {c.insee for c in communes_initiales(doc) or []} | {c.insee for c in ajouts(doc)}
    actes = _actes(doc)
    check_anciens_departements(doc, findings, codes, actes)
    check_successeurs_anticipes(doc, findings, actes)
    check_caf_du_territoire(doc, findings, codes)
