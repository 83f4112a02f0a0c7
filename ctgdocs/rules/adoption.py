"""Rules on what was signed and what came later: fiches adopted after signature, their follow-up."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..documents.base import safe_name
from ..formatting import date_longue, minuscule
from ..perimetre import Perimetres, perimetre_par_jour
from ..problems import format_path
from ..schema import INSTANCES, STATUTS
from .base import Findings, at, date_at, entries, text_at
from .plan import (
    check_budget,
    check_calendrier,
    check_fiche_communes,
    check_pilote,
    entrees_par_avenant,
    fin_a_l_annexion,
    fin_effective,
)


def _reunions(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {ident: r for _, r in entries(doc, "reunions") if (ident := text_at(r, "id"))}


def _check_reunion(
    findings: Findings, path: tuple[str | int, ...], ident: str, reunions: dict[str, Any]
) -> dict[str, Any] | None:
    if ident in reunions:
        return dict(reunions[ident])
    known = ", ".join(reunions) or "aucune"
    findings.error(path, f"« {ident} » n'est pas l'id d'une réunion (réunions : {known})")
    return None


def _cites(reunion: dict[str, Any], code: str) -> bool:
    """Whether a meeting's compte rendu cites the fiche `code`: in a point, or a decision."""
    for _, point in entries(reunion, "points"):
        cited = at(point, "fiches_actions")
        if isinstance(cited, list) and code in cited:  # a text (refused) cites nothing
            return True
    decisions = at(reunion, "decisions")
    # The whole code: « 3.2 » is not cited by a decision on the fiche 3.21, 13.2 or FA-3.2.
    whole = re.compile(rf"(?<![\w.-]){re.escape(code)}(?![\w-]|\.\w)")
    return isinstance(decisions, list) and any(
        isinstance(decision, str) and whole.search(decision) for decision in decisions
    )


def _check_adoption(
    doc: dict[str, Any], findings: Findings, path: tuple[str | int, ...], adoption: dict[str, Any]
) -> None:
    reunions = _reunions(doc)
    signature = date_at(doc, "convention", "signature", "date")
    reunion, avenant = text_at(adoption, "reunion"), at(adoption, "avenant")
    if (reunion is None) == (avenant is None):
        findings.error(
            path,
            "indiquez reunion (le comité qui a adopté la fiche) ou avenant (son numéro), "
            "l'un ou l'autre",
        )
        return
    if signature is None:
        findings.error(
            path,
            "la convention n'est pas signée : une fiche adoptée après la signature n'a pas "
            "lieu d'être ; retirez adoption, la fiche sera annexée à la convention",
        )
        return
    if reunion is not None:
        found = _check_reunion(findings, (*path, "reunion"), reunion, reunions)
        day = date_at(found, "date") if found else None
        if day and day <= signature:
            findings.error(
                (*path, "reunion"),
                f"réunion du {date_longue(day)}, avant la signature de la convention "
                f"({date_longue(signature)}) : une fiche adoptée avant la signature est "
                "annexée à la convention (retirez adoption)",
            )
        code = text_at(at(doc, "fiches_actions", path[1]), "code")
        if found and day and day > signature and code and not _cites(found, code):
            # The fiche says « adoptée par le comité du … »: its minutes should say so too.
            findings.warning(
                (*path, "reunion"),
                f"le compte rendu de la réunion du {date_longue(day)}, qui adopte la fiche "
                f"{code}, ne la cite pas : ajoutez {code} aux fiches_actions d'un de ses points, "
                "ou une décision qui l'adopte",
            )
        instance = text_at(found, "instance") if found else None
        if instance in ("comite_technique", "groupe_de_travail") and not _gouvernance_reecrite(doc):
            # The default article « gouvernance » annexes the fiches its comité adopts.
            findings.warning(
                (*path, "reunion"),
                f"« {reunion} » est une réunion du {minuscule(INSTANCES[instance])} : la "
                "convention confie l'adoption des fiches actions au comité de pilotage "
                "(article « gouvernance ») ; indiquez la réunion du comité de pilotage qui "
                "l'a adoptée",
            )
        fin = fin_a_l_annexion(doc, {"adoption": adoption})
        if day and fin and day > fin:
            findings.error(
                (*path, "reunion"),
                f"réunion du {date_longue(day)}, après la fin de la convention "
                f"({date_longue(fin)}) : une fiche ne s'adopte que pendant la convention",
            )
        return
    count = len(list(entries(doc, "avenants")))
    if isinstance(avenant, int) and not 1 <= avenant <= count:
        findings.error(
            (*path, "avenant"),
            f"il n'y a pas d'avenant n° {avenant} (avenants : {count or 'aucun'})",
        )


def _gouvernance_reecrite(doc: dict[str, Any]) -> bool:
    """Whether the convention or an avenant rewrites the article « gouvernance »."""
    items = [a for _, a in entries(doc, "convention", "articles")]
    items += [d for _, av in entries(doc, "avenants") for _, d in entries(av, "dispositions")]
    return any(text_at(item, "remplace") == "gouvernance" for item in items)


def _later(adopted_by: Any, numero: Any) -> bool:
    """True when the fiche comes with avenant `adopted_by`, not before avenant `numero`."""
    return isinstance(adopted_by, int) and isinstance(numero, int) and adopted_by >= numero


def _annexee_apres(
    reunions: dict[str, dict[str, Any]], adoption: Any, avenant: dict[str, Any]
) -> str | None:
    """Why a fiche (adopted by `adoption`) is not yet annexed when `avenant` amends the
    convention (« n'est ajoutée que par l'avenant n° 2 »), or None if it is by then."""
    numero = at(avenant, "numero")
    by = at(adoption, "avenant")
    if _later(by, numero):
        return f"n'est ajoutée que par l'avenant n° {by}"
    ident = text_at(adoption, "reunion")
    held = date_at(reunions.get(ident or ""), "date")
    # The day the avenant amends the convention: its signature, or for a projet its effect.
    signe = date_at(avenant, "signature", "date")
    day = signe or date_at(avenant, "date_effet")
    if ident and held and day and held > day:
        quand = "signé le" if signe else "qui prend effet le"
        return (
            f"n'est adoptée que par la réunion « {ident} » du {date_longue(held)}, après "
            f"l'avenant n° {numero} ({quand} {date_longue(day)})"
        )
    return None


def _check_modifications(doc: dict[str, Any], findings: Findings) -> None:
    """Fiches an avenant changes: fiches of the convention by then, each with a change; the
    fiche as changed keeps its calendar within the period and its funding balanced."""
    fiches: dict[str, dict[str, Any]] = {}
    adopted_by: dict[str, Any] = {}
    # The file name of each fiche, for the versions rewritten by an avenant named after them.
    names: dict[str, int] = {}
    for place, fiche in entries(doc, "fiches_actions"):
        code = text_at(fiche, "code")
        if code:
            fiches[code] = dict(fiche)
            adopted_by[code] = at(fiche, "adoption")
            names.setdefault(safe_name(code).casefold(), place)
    debut = date_at(doc, "convention", "periode", "debut")
    reunions = _reunions(doc)
    parties = [ident for _, p in entries(doc, "parties") if (ident := text_at(p, "id"))]
    entrees = entrees_par_avenant(doc)
    perimetre = perimetre_par_jour(doc)
    for index, avenant in entries(doc, "avenants"):
        numero = at(avenant, "numero")
        # A fiche it rewrites stays within the period in force once it applies.
        fin = fin_effective(doc, index + 1)
        seen: set[str] = set()
        for position, change in entries(avenant, "fiches_modifiees"):
            path = ("avenants", index, "fiches_modifiees", position)
            code = text_at(change, "code")
            if code is None:
                continue
            if code in seen:
                findings.error(
                    (*path, "code"),
                    f"la fiche {code} est déjà modifiée par cet avenant : réunissez les "
                    "modifications en une entrée",
                )
            seen.add(code)
            if code not in adopted_by:
                known = ", ".join(adopted_by) or "aucune"
                findings.error(
                    (*path, "code"), f"« {code} » n'est pas une fiche action (fiches : {known})"
                )
                continue
            later = _annexee_apres(reunions, adopted_by[code], avenant)
            if later:
                findings.error(
                    (*path, "code"),
                    f"la fiche {code} {later} : un avenant ne modifie qu'une fiche déjà annexée",
                )
            _check_version_name(doc, findings, path, code=code, numero=numero, names=names)
            if set(change) <= {"code"}:
                findings.error(
                    path,
                    "rien n'est modifié : indiquez les nouveaux calendrier, budget, "
                    "financements, objectifs… de la fiche",
                )
            _check_unchanged(findings, path, fiches[code], change)
            fiches[code].update(change)
            _check_change(
                findings,
                path,
                avenant,
                change,
                parties=parties,
                entrees=entrees,
                perimetre=perimetre,
            )
            if "calendrier" in change:
                check_calendrier(findings, path, fiches[code], debut, fin)
            if "budget" in change or "financements" in change:
                check_budget(findings, path, fiches[code])


def _check_unchanged(
    findings: Findings, path: tuple[str | int, ...], fiche: dict[str, Any], change: dict[str, Any]
) -> None:
    """A rubric an avenant « modifies » to what the fiche already says (a fiche copied whole
    into fiches_modifiees): the avenant would state a change that changes nothing."""
    for key, value in change.items():
        if key != "code" and value is not None and fiche.get(key) == value:
            findings.warning(
                (*path, key),
                f"identique à la fiche {fiche.get('code')} en vigueur : l'avenant dirait "
                "modifier cette rubrique sans rien changer ; retirez-la de fiches_modifiees",
            )


def _check_change(
    findings: Findings,
    path: tuple[str | int, ...],
    avenant: dict[str, Any],
    change: dict[str, Any],
    *,
    parties: list[str],
    entrees: dict[str, int],
    perimetre: Perimetres,
) -> None:
    """A fiche's new pilot and communes, as of the avenant that changes them (`parties`: the
    convention's; `entrees`: `plan.entrees_par_avenant`)."""
    numero = at(avenant, "numero")
    if "pilote" in change and isinstance(numero, int):
        # A commune that signs by this avenant or an earlier one may pilot the fiche now.
        joined = [commune for commune, n in entrees.items() if n <= numero]
        check_pilote(findings, path, change, [*parties, *joined], entrees)
    if "communes" in change:
        since = (date_at(avenant, "date_effet"), f"la prise d'effet de l'avenant n° {numero}")
        check_fiche_communes(perimetre, findings, path, change, since)


def _check_version_name(
    doc: dict[str, Any],
    findings: Findings,
    path: tuple[str | int, ...],
    *,
    code: str,
    numero: Any,
    names: dict[str, int],
) -> None:
    """The fiche as rewritten by avenant n goes to `<code>-avenant-<n>.docx`: no fiche's
    own document may have that name, or one of the two documents would be lost."""
    if not isinstance(numero, int):
        return
    version = f"{safe_name(code)}-avenant-{numero}"
    other = names.get(version.casefold())
    if other is None:
        return
    findings.error(
        ("fiches_actions", other, "code"),
        f"code de fiche « {text_at(doc, 'fiches_actions', other, 'code')} » : son document "
        f"({version}.docx) écraserait celui de la fiche {code} modifiée par l'avenant "
        f"n° {numero} ({format_path(path)}, ligne {findings.line_of(path)}) ; changez ce code",
    )


def _calendriers(doc: dict[str, Any], fiche: dict[str, Any]) -> tuple[dt.date | None, ...]:
    """The earliest start and the latest end a fiche's calendar has had (avenants included)."""
    versions = [at(fiche, "calendrier")]
    code = text_at(fiche, "code")
    for _, avenant in entries(doc, "avenants"):
        for _, change in entries(avenant, "fiches_modifiees"):
            if code and text_at(change, "code") == code:
                versions.append(at(change, "calendrier"))
    debuts = [d for v in versions if (d := date_at(v, "debut"))]
    fins = [d for v in versions if (d := date_at(v, "fin"))]
    return (min(debuts) if debuts else None, max(fins) if fins else None)


def _derniers_examens(doc: dict[str, Any], depuis: dt.date) -> dict[str, dt.date]:
    """For each fiche code, the last meeting since `depuis` whose points cite it."""
    last: dict[str, dt.date] = {}
    for _, reunion in entries(doc, "reunions"):
        day = date_at(reunion, "date")
        if day is None or day < depuis:
            continue
        for _, point in entries(reunion, "points"):
            cited = at(point, "fiches_actions")
            for code in cited if isinstance(cited, list) else []:
                if isinstance(code, str) and (code not in last or last[code] < day):
                    last[code] = day
    return last


def _check_statut_et_calendrier(
    doc: dict[str, Any],
    findings: Findings,
    path: tuple[str | int, ...],
    fiche: dict[str, Any],
    examens: dict[str, dt.date] | None,
) -> None:
    """A dated status must fit the fiche's calendar: « réalisée » or « en cours » before it
    starts, « à venir » after it ends, is a dated statement the fiche de suivi would make
    false. The undated `statut` of a signed convention's fiche is dated by its last
    examination (`examens`, None for a draft)."""
    debut, fin = _calendriers(doc, fiche)
    states = [
        ((*path, "suivi", position, "statut"), date_at(entry, "date"), text_at(entry, "statut"))
        for position, entry in entries(fiche, "suivi")
    ]
    code = text_at(fiche, "code")
    if not states and code and examens is not None:
        # As the fiche de suivi of a signed convention dates it (a draft's statut is a plan).
        states = [((*path, "statut"), examens.get(code), text_at(fiche, "statut"))]
    for item, day, statut in states:
        if day is None or statut not in STATUTS:
            continue
        if statut in ("realisee", "en_cours") and debut and day < debut:
            findings.warning(
                item,
                f"« {STATUTS[statut].lower()} » le {date_longue(day)}, avant le début du "
                f"calendrier de la fiche ({date_longue(debut)}) : la fiche de suivi daterait "
                "cet état ; corrigez le statut ou le calendrier",
            )
        elif statut == "a_venir" and fin and day > fin:
            findings.warning(
                item,
                f"« à venir » le {date_longue(day)}, après la fin du calendrier de la fiche "
                f"({date_longue(fin)}) : la fiche de suivi daterait cet état ; corrigez le "
                "statut ou le calendrier",
            )


def check(doc: dict[str, Any], findings: Findings) -> None:
    _check_modifications(doc, findings)
    reunions = _reunions(doc)
    signature = date_at(doc, "convention", "signature", "date")
    examens = _derniers_examens(doc, signature) if signature else None
    for index, fiche in entries(doc, "fiches_actions"):
        path = ("fiches_actions", index)
        adoption = at(fiche, "adoption")
        if isinstance(adoption, dict):
            _check_adoption(doc, findings, (*path, "adoption"), adoption)
        previous = None
        last_statut = None
        for position, entry in entries(fiche, "suivi"):
            item = (*path, "suivi", position)
            ident = text_at(entry, "reunion")
            reunion = (
                _check_reunion(findings, (*item, "reunion"), ident, reunions) if ident else None
            )
            day = date_at(entry, "date")
            held = date_at(reunion, "date") if reunion else None
            if day and held and day != held:
                # The fiche de suivi says « établi par le comité … » on a day it did not meet.
                findings.warning(
                    (*item, "date"),
                    f"état du {date_longue(day)} arrêté par la réunion « {ident} », tenue le "
                    f"{date_longue(held)} : indiquez date: {held.isoformat()}, ou retirez "
                    "reunion si aucune instance ne l'a arrêté",
                )
            if day and signature and day < signature:
                findings.warning(
                    (*item, "date"),
                    f"{date_longue(day)}, avant la signature de la convention "
                    f"({date_longue(signature)}) : le suivi d'une fiche commence en principe "
                    "avec elle",
                )
            if day and previous and day < previous:
                findings.error(
                    (*item, "date"),
                    f"{date_longue(day)}, avant l'état précédent ({date_longue(previous)}) : "
                    "le suivi se lit dans l'ordre des dates",
                )
            previous = day or previous
            last_statut = text_at(entry, "statut") or last_statut
        _check_statut_et_calendrier(doc, findings, path, fiche, examens)
        statut = text_at(fiche, "statut")
        if last_statut and statut and last_statut != statut and last_statut in STATUTS:
            findings.warning(
                (*path, "statut"),
                f"statut « {statut} », mais le dernier état du suivi est « {last_statut} » : "
                "la fiche de suivi donne le dernier état",
            )
