"""Rules on avenants: numbering, dates, and the communes they bring in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..designation import (
    avec_departement,
    cle_designation,
    nom_court_et_genre,
    objet_de_l_avenant,
)
from ..formatting import date_longue, en_lettres
from ..perimetre import communes_initiales
from ..problems import DataPath, format_path
from ..referentiel import commune as commune_du_cog
from ..schema import SCHEMA
from .base import (
    Findings,
    Seen,
    check_commune,
    check_deliberation,
    date_at,
    entries,
    text_at,
)
from .convention import check_signataire
from .territoire import check_member

_AVENANT_KEYS = frozenset(SCHEMA["avenants"]["schema"]["schema"])
_CHANGES = (
    "communes_ajoutees",
    "perimetre_ajoute",
    "nouvelle_fin",
    "dispositions",
    "fiches_modifiees",
)


def _check_dates(
    findings: Findings,
    path: DataPath,
    avenant: dict[str, Any],
    convention: dict[str, dt.date | None],
    previous: dict[str, Any] | None,
) -> None:
    effet = date_at(avenant, "date_effet")
    signe = date_at(avenant, "signature", "date")
    debut, fin, signature = convention["debut"], convention["fin"], convention["signature"]
    if effet and debut and fin and not debut <= effet <= fin:
        findings.error(
            (*path, "date_effet"),
            f"prise d'effet le {date_longue(effet)}, hors de la période de la convention "
            f"({date_longue(debut)} – {date_longue(fin)})",
        )
    if effet and signature and effet < signature:
        findings.error(
            (*path, "date_effet"),
            f"prise d'effet le {date_longue(effet)}, avant la signature de la convention "
            f"({date_longue(signature)})",
        )
    if signe and signature and signe < signature:
        findings.error(
            (*path, "signature", "date"),
            f"avenant signé le {date_longue(signe)}, "
            f"avant la convention ({date_longue(signature)})",
        )
    if signe and fin and signe > fin:
        findings.error(
            (*path, "signature", "date"),
            f"avenant signé le {date_longue(signe)}, après la fin de la convention "
            f"({date_longue(fin)})",
        )
    if previous is None:
        return
    numero = previous.get("numero")
    if signe and isinstance(previous, dict) and previous.get("signature") is None:
        # An avenant amends the convention as the earlier ones left it: signed in order.
        findings.error(
            (*path, "signature"),
            f"avenant signé alors que l'avenant n° {numero} ne l'est pas : les avenants se "
            "signent dans l'ordre ; indiquez la signature de celui-ci ou retirez celle-ci",
        )
    before_effet, before_signe = (
        date_at(previous, "date_effet"),
        date_at(previous, "signature", "date"),
    )
    if effet and before_effet and effet < before_effet:
        findings.error(
            (*path, "date_effet"),
            f"prise d'effet le {date_longue(effet)}, avant celle de l'avenant n° {numero} "
            f"({date_longue(before_effet)}) : les avenants s'appliquent dans l'ordre",
        )
    if signe and before_signe and signe < before_signe:
        findings.error(
            (*path, "signature", "date"),
            f"avenant signé le {date_longue(signe)}, avant l'avenant n° {numero} "
            f"({date_longue(before_signe)})",
        )


@dataclass
class _State:
    """What earlier avenants established, as the rules walk them in order."""

    signatories: dict[str, str]
    perimeter: set[str] | None
    fin: dt.date | None
    # Each signatory's designation in the acts (« la Commune de Saint-Pierre-d'Entremont »,
    # casefolded), and the path of the party or commune that bears it first.
    designations: dict[str, DataPath]


def _designation(doc: dict[str, Any], partie: dict[str, Any]) -> str:
    epci_type = text_at(doc, "territoire", "epci", "type")
    return nom_court_et_genre(partie, epci_type)[0]


def _check_designation(
    doc: dict[str, Any],
    findings: Findings,
    item: DataPath,
    commune: dict[str, Any],
    state: _State,
) -> None:
    """A joining commune is named apart from every signatory: two homonyms (« Saint-Pierre-
    d'Entremont », in Isère and in Savoie) would be one « Commune » in the acts."""
    designation = _designation(doc, {"type": "commune", **commune})
    key = cle_designation(designation)
    other = state.designations.get(key)
    if other is None:
        state.designations[key] = item
        return
    example = avec_departement(designation, str(commune.get("insee")))
    findings.error(
        (*item, "nom_court"),
        f"« {designation} » désigne déjà {format_path(other)} (ligne {findings.line_of(other)}) : "
        f"l'acte ne dirait pas laquelle s'engage ; donnez-lui un nom_court distinct (par "
        f"exemple « {example} ») et un nom",
    )


def _check_joining(
    doc: dict[str, Any], findings: Findings, path: DataPath, avenant: dict[str, Any], state: _State
) -> None:
    """Communes that become signatories: known, not signatories yet, authorised in time."""
    signe = date_at(avenant, "signature", "date")
    for position, commune in entries(avenant, "communes_ajoutees"):
        item = (*path, "communes_ajoutees", position)
        check_signataire(findings, item, {"type": "commune", **commune}, None, signe)
        code = text_at(commune, "insee")
        if code is None:
            continue
        if code in state.signatories:
            findings.error(
                (*item, "insee"),
                f"la commune {code} est déjà signataire : {state.signatories[code]}",
            )
            continue
        state.signatories[code] = f"signataire par l'avenant n° {avenant.get('numero')}"
        _check_designation(doc, findings, item, commune, state)
        if check_commune(findings, (*item, "insee"), code, None, ()):
            check_member(findings, (*item, "insee"), doc, code)
        if state.perimeter is not None:
            state.perimeter.add(code)


def _check_perimeter(
    doc: dict[str, Any], findings: Findings, path: DataPath, avenant: dict[str, Any], state: _State
) -> None:
    """Communes that only enter the perimeter."""
    added = Seen()
    for position, commune in entries(avenant, "perimetre_ajoute"):
        item = (*path, "perimetre_ajoute", position)
        code = text_at(commune, "insee")
        if code is None:
            continue
        earlier = added.earlier(code, position)
        if earlier is not None:
            # The avenant would name it twice (« aux communes de Comps et de Comps »).
            findings.error(
                (*item, "insee"),
                f"la commune {code} est déjà ajoutée au périmètre par cet avenant "
                f"(perimetre_ajoute[{earlier}])",
            )
            continue
        if state.perimeter is not None and code in state.perimeter:
            # The avenant would extend the perimeter « à la commune de … » it already covers.
            findings.error(
                (*item, "insee"),
                f"la commune {code} est déjà dans le périmètre : l'avenant dirait l'y faire "
                "entrer ; retirez-la de perimetre_ajoute",
            )
            continue
        if check_commune(findings, (*item, "insee"), code, text_at(commune, "nom"), (*item, "nom")):
            check_member(findings, (*item, "insee"), doc, code)
        if state.perimeter is not None:
            state.perimeter.add(code)


def _check_habilitations(
    doc: dict[str, Any], findings: Findings, path: DataPath, avenant: dict[str, Any], state: _State
) -> None:
    """Deliberations that authorise earlier signatories to sign this avenant."""
    parties = [text_at(p, "id") for _, p in entries(doc, "parties")]
    parties += [code for code, how in state.signatories.items() if how.startswith("signataire par")]
    signe = date_at(avenant, "signature", "date")
    joining = {
        code: position
        for position, commune in entries(avenant, "communes_ajoutees")
        if (code := text_at(commune, "insee"))
    }
    seen: set[str] = set()
    for position, habilitation in entries(avenant, "habilitations"):
        item = (*path, "habilitations", position)
        partie = text_at(habilitation, "partie")
        if partie and partie not in parties and partie in joining:
            findings.error(
                (*item, "partie"),
                f"la commune {partie} entre par cet avenant : sa délibération se donne à "
                f"communes_ajoutees[{joining[partie]}].habilitation ; habilitations ne sert "
                "qu'aux signataires antérieurs",
            )
        elif partie and partie not in parties:
            known = ", ".join(p for p in parties if p) or "aucune"
            findings.error(
                (*item, "partie"), f"« {partie} » n'est pas l'id d'une partie (parties : {known})"
            )
        elif partie in seen:
            findings.error(
                (*item, "partie"), f"habilitation de « {partie} » déjà donnée pour cet avenant"
            )
        if partie:
            seen.add(partie)
        check_deliberation(findings, (*item, "date"), date_at(habilitation, "date"), signe)


def _check_extension(
    findings: Findings, path: DataPath, avenant: dict[str, Any], state: _State
) -> None:
    nouvelle_fin = date_at(avenant, "nouvelle_fin")
    signe = date_at(avenant, "signature", "date")
    if nouvelle_fin and state.fin and nouvelle_fin <= state.fin:
        findings.error(
            (*path, "nouvelle_fin"),
            f"la nouvelle fin ({date_longue(nouvelle_fin)}) doit être postérieure à la fin "
            f"actuelle ({date_longue(state.fin)})",
        )
    elif nouvelle_fin and signe and state.fin and signe > state.fin:
        findings.error(
            (*path, "signature", "date"),
            f"avenant de prolongation signé le {date_longue(signe)}, après la fin de la "
            f"convention ({date_longue(state.fin)}) : une convention échue ne peut être "
            "prolongée ; une nouvelle convention est nécessaire",
        )
    elif nouvelle_fin:
        state.fin = nouvelle_fin


def _check_objet(findings: Findings, path: DataPath, avenant: dict[str, Any]) -> None:
    """The title's « Objet » names the communes it brings with the COG's preposition:
    « de la commune d'Arlempdes », « du Bouchet-Saint-Nicolas », never « de Le Bouchet »."""
    if not text_at(avenant, "objet"):
        return
    for typed, official, rewritten in objet_de_l_avenant(avenant)[1]:
        then = (
            "le titre de l'avenant l'imprime ainsi"
            if rewritten
            else "l'objet figure tel quel au titre de l'avenant"
        )
        findings.warning(
            (*path, "objet"),
            f"« {typed} » : le code officiel géographique écrit « {official} » ; {then}",
        )


def check(doc: dict[str, Any], findings: Findings) -> None:
    convention = {
        "debut": date_at(doc, "convention", "periode", "debut"),
        "fin": date_at(doc, "convention", "periode", "fin"),
        "signature": date_at(doc, "convention", "signature", "date"),
    }
    signed = isinstance(doc.get("convention"), dict) and doc["convention"].get("signature")
    initial = communes_initiales(doc)
    state = _State(
        signatories={
            code: f"partie à la convention (parties[{i}])"
            for i, p in entries(doc, "parties")
            if (code := text_at(p, "insee"))
        },
        perimeter={c.insee for c in initial} if initial is not None else None,
        fin=convention["fin"],
        designations={
            cle_designation(_designation(doc, p)): ("parties", i)
            for i, p in reversed(list(entries(doc, "parties")))
        },
    )
    previous: dict[str, Any] | None = None
    for index, avenant in entries(doc, "avenants"):
        path = ("avenants", index)
        numero = avenant.get("numero")
        if isinstance(numero, int) and numero != index + 1:
            findings.error(
                (*path, "numero"),
                f"numéro {index + 1} attendu : les avenants sont numérotés 1, 2, 3… "
                "sans trou, dans l'ordre du fichier",
            )
        if isinstance(doc.get("convention"), dict) and not signed:
            findings.error(
                path,
                "la convention n'est pas signée (convention.signature absente) : "
                "un avenant ne modifie qu'une convention signée",
            )
        # A misspelt key (« communes_adherentes ») is already reported with its spelling:
        # the avenant then seems to change nothing only because that key was not read.
        misspelt = any(key not in _AVENANT_KEYS for key in avenant)
        if not misspelt and not any(avenant.get(key) for key in _CHANGES):
            findings.error(
                path,
                "l'avenant ne modifie rien : indiquez communes_ajoutees, perimetre_ajoute, "
                "nouvelle_fin, fiches_modifiees ou dispositions",
            )
        _check_dates(findings, path, avenant, {**convention, "fin": state.fin}, previous)
        _check_habilitations(doc, findings, path, avenant, state)
        _check_joining(doc, findings, path, avenant, state)
        _check_perimeter(doc, findings, path, avenant, state)
        _check_extension(findings, path, avenant, state)
        _check_objet(findings, path, avenant)
        previous = avenant
    _check_generic_commune(doc, findings)


def _check_generic_commune(doc: dict[str, Any], findings: Findings) -> None:
    """Warn when « la Commune » names one of several communes that sign the convention or its
    avenants: « La Commune s'engage à… » would not say which."""
    communes: list[tuple[DataPath, dict[str, Any]]] = [
        (("parties", i), p) for i, p in entries(doc, "parties") if text_at(p, "type") == "commune"
    ]
    for index, avenant in entries(doc, "avenants"):
        communes += [
            (("avenants", index, "communes_ajoutees", j), {**c, "type": "commune"})
            for j, c in entries(avenant, "communes_ajoutees")
        ]
    # Each known commune once: an unknown or repeated code is an error of its own.
    known: dict[str, tuple[DataPath, dict[str, Any]]] = {}
    for path, partie in communes:
        code = text_at(partie, "insee")
        if code and code not in known and commune_du_cog(code) is not None:
            known[code] = (path, partie)
    if len(known) < 2:
        return
    for path, partie in known.values():
        designation = nom_court_et_genre(partie, None)[0]
        if designation.replace("’", "'").strip().casefold() != "la commune":
            continue
        named = nom_court_et_genre({k: v for k, v in partie.items() if k != "nom_court"}, None)[0]
        example = f" (par exemple nom_court: {named})" if named.casefold() != "la commune" else ""
        findings.warning(
            (*path, "nom_court"),
            f"« {designation} » désigne une des {en_lettres(len(known), feminin=True)} "
            "communes qui signent la convention ou ses avenants : l'acte ne dirait pas "
            "laquelle s'engage ; "
            f"nommez-la{example}",
        )
