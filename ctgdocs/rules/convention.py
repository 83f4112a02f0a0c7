"""Rules on the convention itself: its period, signature, parties and champs."""

from __future__ import annotations

import re
from typing import Any

from ..designation import (
    avec_article,
    avec_departement,
    cle_designation,
    de_partie,
    genre_du_nom,
    nom_court_caf,
    nom_court_et_genre,
)
from ..formatting import date_longue, duree, duree_en_lettres, liste
from ..schema import CHAMPS, CHAMPS_ESSENTIELS, TYPE_DESCRIPTIONS, TYPES_PARTIE
from .base import (
    Findings,
    at,
    check_commune,
    check_dates_order,
    check_deliberation,
    date_at,
    entries,
    text_at,
)


def check_periode(doc: dict[str, Any], findings: Findings) -> None:
    base = ("convention", "periode")
    debut, fin = date_at(doc, *base, "debut"), date_at(doc, *base, "fin")
    check_dates_order(findings, base, debut, fin, "période de la convention")
    if debut and fin and fin > debut:
        years, months, days = duree(debut, fin)
        if (months, days) != (0, 0) or years not in (4, 5):
            findings.warning(
                base,
                f"durée de {duree_en_lettres(debut, fin)} ({date_longue(debut)} – "
                f"{date_longue(fin)}) ; une CTG dure en principe 4 ou 5 ans",
            )
    signature = date_at(doc, "convention", "signature", "date")
    if signature and fin and signature > fin:
        findings.error(
            ("convention", "signature", "date"),
            f"signature le {date_longue(signature)}, après la fin de la convention "
            f"({date_longue(fin)})",
        )
    diagnostic = ("diagnostic", "periode")
    check_dates_order(
        findings,
        diagnostic,
        date_at(doc, *diagnostic, "debut"),
        date_at(doc, *diagnostic, "fin"),
        "période du diagnostic",
    )
    # The convention signed cites a diagnostic it draws on: one already conducted.
    ended = date_at(doc, *diagnostic, "fin")
    if signature and ended and ended > signature:
        findings.error(
            (*diagnostic, "fin"),
            f"diagnostic achevé le {date_longue(ended)}, après la signature de la convention "
            f"({date_longue(signature)}) qu'il fonde",
        )


def check_signataire(
    findings: Findings,
    path: tuple[str | int, ...],
    partie: dict[str, Any],
    epci_type: str | None,
    signature: Any,
) -> None:
    """Rules shared by parties and communes joining by avenant."""
    nom_court = nom_court_et_genre(partie, epci_type)[0]
    # « ci-après dénommé(e) » agrees with the full name, whose first word mostly tells.
    genre = genre_du_nom(partie, epci_type)
    if not nom_court:
        findings.error(
            path,
            "nom_court manquant : indiquez comment le texte désigne cette partie "
            "(par exemple « l'Association »)",
        )
    elif genre is None:
        findings.error(
            (*path, "nom_court"),
            f"« {nom_court} » ne dit pas le genre : ajoutez genre: feminin ou genre: masculin "
            "(pour « ci-après dénommé(e) »)",
        )
    check_deliberation(
        findings,
        (*path, "habilitation", "date"),
        date_at(partie, "habilitation", "date"),
        signature,
    )


def _distinct_example(partie: dict[str, Any], designation: str) -> str:
    """A short name that tells a party from its homonym: a commune by its département, a
    Caf by its own (« la Caf du Var »), another party by its full name."""
    insee = text_at(partie, "insee")
    if insee and text_at(partie, "type") == "commune":
        return avec_departement(designation, insee)
    nom = text_at(partie, "nom")
    if not nom:
        return designation
    return nom_court_caf(nom) or avec_article(nom, genre_du_nom(partie, None) == "feminin")


def check_parties(doc: dict[str, Any], findings: Findings) -> None:
    signature = date_at(doc, "convention", "signature", "date")
    epci_type = text_at(doc, "territoire", "epci", "type")
    seen: dict[str, int] = {}
    designations: dict[str, int] = {}
    types = []
    for index, partie in entries(doc, "parties"):
        path = ("parties", index)
        known = text_at(partie, "type") in TYPES_PARTIE
        designation = nom_court_et_genre(partie, epci_type)[0] if known else ""
        key = cle_designation(designation)
        if key and key in designations:
            other = designations[key]
            findings.error(
                (*path, "nom_court"),
                f"« {designation} » désigne déjà parties[{other}] (ligne "
                f"{findings.line_of(('parties', other))}) : l'acte ne dirait pas laquelle "
                f"s'engage ; donnez à chacune un nom_court distinct (par exemple "
                f"« {_distinct_example(partie, designation)} »)",
            )
        elif key:
            designations[key] = index
        ident = text_at(partie, "id")
        if ident and ident in seen:
            findings.error(
                (*path, "id"),
                f"identifiant « {ident} » déjà utilisé par parties[{seen[ident]}] "
                f"(ligne {findings.line_of(('parties', seen[ident]))})",
            )
        elif ident:
            seen[ident] = index
        type_ = text_at(partie, "type")
        types.append(type_)
        if type_ in TYPES_PARTIE:
            check_signataire(findings, path, partie, epci_type, signature)
        code = text_at(partie, "insee")
        if type_ != "commune" and "nom" not in partie:
            findings.error(
                (*path, "nom"),
                f"champ obligatoire manquant ; attendu : {TYPE_DESCRIPTIONS['ligne']} (seule une "
                "commune peut l'omettre : elle est alors nommée d'après son code INSEE)",
            )
        if type_ == "commune" and code is None:
            findings.error(path, "insee manquant : une partie de type commune donne son code INSEE")
        elif code:
            check_commune(findings, (*path, "insee"), code, None, ())
    # An unknown or missing type is reported by the schema; the counts below would guess.
    if isinstance(doc.get("parties"), list) and types and set(types) <= set(TYPES_PARTIE):
        if "caf" not in types:
            findings.error(
                ("parties",), "aucune partie de type caf : une CTG est signée par la Caf"
            )
        if "epci" not in types:
            findings.warning(
                ("parties",), "aucune partie de type epci : l'intercommunalité ne signe pas"
            )


def check_champs(doc: dict[str, Any], findings: Findings) -> None:
    champs = at(doc, "champs")
    if not isinstance(champs, list):
        return
    present = {c for c in champs if isinstance(c, str)}
    missing = [CHAMPS[c] for c in CHAMPS_ESSENTIELS if c not in present]
    if missing:
        findings.warning(
            ("champs",),
            f"champs essentiels absents : {liste(missing)} ; une CTG couvre au moins "
            "la petite enfance, la jeunesse et la parentalité",
        )
    seen: set[str] = set()
    for index, champ in enumerate(champs):
        if isinstance(champ, str):
            if champ in seen:
                findings.warning(("champs", index), f"« {champ} » est listé deux fois")
            seen.add(champ)
    for section in ("axes", "fiches_actions"):
        for index, item in entries(doc, section):
            for position, champ in enumerate(item.get("champs") or []):
                if isinstance(champ, str) and champ in CHAMPS and champ not in present:
                    findings.warning(
                        (section, index, "champs", position),
                        f"« {champ} » n'est pas un champ retenu par la convention (champs)",
                    )


def check_visas(doc: dict[str, Any], findings: Findings) -> None:
    """Warn when a visa added by hand cites a deliberation the act already cites (a party's
    habilitation, which ctgdocs writes among the visas): the act would cite it twice."""
    numeros = {
        numero: index
        for index, partie in entries(doc, "parties")
        if (numero := text_at(partie, "habilitation", "numero"))
    }
    visas = at(doc, "convention", "visas")
    for index, visa in enumerate(visas if isinstance(visas, list) else []):
        if not isinstance(visa, str):
            continue
        for numero, partie in numeros.items():
            if re.search(rf"(?<![\w-]){re.escape(numero)}(?![\w-])", visa):
                findings.warning(
                    ("convention", "visas", index),
                    f"la délibération n° {numero} est déjà citée dans les visas, d'après "
                    f"l'habilitation de parties[{partie}] : l'acte la citerait deux fois ; "
                    "retirez ce visa",
                )


# How a title may introduce a name: « de la Metz Métropole », « de Orléans Métropole ».
_DE = r"(?<![\w-])(?:de la |de l['’]|du |des |de |d['’])"


def _apostrophes(text: str) -> str:
    return text.replace("’", "'")


def check_intitule(doc: dict[str, Any], findings: Findings) -> None:
    """The title names the EPCI as the act does elsewhere: « … de services aux familles de
    la Metz Métropole » (as `ctgdocs init` once wrote) is « de Metz Métropole » in the body."""
    intitule = text_at(doc, "convention", "intitule")
    epci_type = text_at(doc, "territoire", "epci", "type")
    parties = [p for _, p in entries(doc, "parties") if text_at(p, "type") == "epci"]
    partie = parties[0] if len(parties) == 1 else {"nom": text_at(doc, "territoire", "epci", "nom")}
    nom = text_at(partie, "nom")
    if not intitule or not nom:
        return
    expected = de_partie(nom, genre_du_nom({"type": "epci", **partie}, epci_type) != "masculin")
    name = re.sub("['’]", "['’]", re.escape(nom))
    for found in re.finditer(rf"{_DE}{name}(?![\w-])", intitule):
        if _apostrophes(found[0]) != _apostrophes(expected):
            findings.warning(
                ("convention", "intitule"),
                f"« {found[0]} » : l'acte nomme ailleurs l'intercommunalité « {expected} » "
                "(sur le territoire…, délibération…) ; corrigez l'intitulé, qu'il imprime "
                "sur chaque document",
            )


def check_noms_courts_caf(doc: dict[str, Any], findings: Findings) -> None:
    """« Caisse d'allocations familiales de Vaucluse, … ci-après dénommée « la Caf du
    Vaucluse » »: a Caf's short name that names its département says what its name does."""
    for index, partie in entries(doc, "parties"):
        nom, nom_court = text_at(partie, "nom"), text_at(partie, "nom_court")
        if text_at(partie, "type") != "caf" or not nom or not nom_court:
            continue
        expected = nom_court_caf(nom)
        if expected is None or not re.match(rf"la Caf {_DE}", nom_court):
            continue
        if _apostrophes(nom_court) != _apostrophes(expected):
            findings.warning(
                ("parties", index, "nom_court"),
                f"« {nom_court} » ne reprend pas le nom de la partie (« {nom} ») : l'acte "
                f"dirait l'un puis l'autre ; écrivez nom_court: {expected}",
            )


def check(doc: dict[str, Any], findings: Findings) -> None:
    check_periode(doc, findings)
    check_intitule(doc, findings)
    check_parties(doc, findings)
    check_noms_courts_caf(doc, findings)
    check_visas(doc, findings)
    check_champs(doc, findings)
