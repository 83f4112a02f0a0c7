"""Rules on the action plan: axes, fiches actions, their references and budgets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ..documents.base import safe_name
from ..documents.fiche import elements_a_arreter
from ..formatting import date_longue, liste, montant
from ..perimetre import CommunePerimetre, Perimetres, perimetre_par_jour
from ..problems import DataPath
from ..referentiel import insee_bien_forme
from ..scalars import code_without_spaces
from ..schema import LIGNE_BUDGET, LIGNE_FINANCEMENT, TYPE_DESCRIPTIONS
from .base import Findings, at, check_dates_order, date_at, entries, rattachee, text_at


def unique_codes(
    doc: dict[str, Any],
    findings: Findings,
    section: str,
    key: str,
    label: str,
    *,
    file_names: bool = False,
) -> list[str]:
    """Report codes used twice in `section`; return the codes, in order.

    With `file_names`, also codes that differ only where a file name cannot (case,
    accents, punctuation): their documents would overwrite each other.
    """
    seen: dict[str, int] = {}
    names: dict[str, int] = {}
    for index, item in entries(doc, section):
        code = text_at(item, key)
        if code is None:
            continue
        name = safe_name(code).casefold()
        if code in seen:
            findings.error(
                (section, index, key),
                f"{label} « {code} » déjà utilisé par {section}[{seen[code]}] "
                f"(ligne {findings.line_of((section, seen[code]))})",
            )
            continue
        if file_names and name in names:
            other = names[name]
            first = str(text_at(doc, section, other, key))
            findings.error(
                (section, index, key),
                f"{label} « {code} » : son document ({safe_name(code)}.docx) écraserait celui "
                f"de « {first} » ({safe_name(first)}.docx, {section}[{other}], ligne "
                f"{findings.line_of((section, other))}) ; changez l'un des deux codes",
            )
        seen[code] = index
        names.setdefault(name, index)
    return list(seen)


def check_pilote(
    findings: Findings,
    path: DataPath,
    fiche: Any,
    parties: list[str],
    entrees: dict[str, int] | None = None,
) -> None:
    """A fiche's pilot: a party or a structure that does not sign, and its co-pilots, parties
    each named once; `entrees`: the avenant by which each commune that joins signs."""
    pilote = at(fiche, "pilote")
    if not isinstance(pilote, dict):
        return  # the schema says what is missing
    partie, structure = text_at(pilote, "partie"), text_at(pilote, "structure")
    where = (*path, "pilote")
    if "partie" not in pilote and "structure" not in pilote:  # a value refused: said already
        findings.error(
            where,
            "pilote non indiqué ; attendu : partie (l'id d'une partie) ou structure (le nom "
            "d'un pilote qui ne signe pas la convention, par exemple Centre social Les Tilleuls)",
        )
    elif partie is not None and structure is not None:
        findings.error(
            (*where, "structure"),
            "partie et structure à la fois : une action a un pilote ; pour un copilotage, "
            "indiquez les autres parties sous copilotes",
        )
    named: list[tuple[tuple[str | int, ...], str | None]] = [(("partie",), partie)]
    copilotes = at(pilote, "copilotes")
    if isinstance(copilotes, list):
        named += [(("copilotes", i), text_at(copilotes, i)) for i in range(len(copilotes))]
    seen: set[str] = set()
    for key, value in named:
        if value is None:
            continue
        if value not in parties and value in (entrees or {}):
            findings.error(
                (*where, *key),
                f"« {value} » : cette commune ne signe la convention que par l'avenant "
                f"n° {(entrees or {})[value]} ; elle ne peut piloter qu'une fiche adoptée ou "
                "modifiée par cet avenant ou un suivant ; sinon, écrivez-la sous structure",
            )
        elif value not in parties:
            findings.error(
                (*where, *key),
                f"« {value} » n'est pas l'id d'une partie "
                f"(parties : {', '.join(parties) or 'aucune'}) ; un pilote qui ne signe pas "
                "la convention s'écrit sous structure",
            )
        elif value in seen:
            findings.error((*where, *key), f"« {value} » est déjà pilote de cette action")
        seen.add(value)


def communes_entrees_avant(doc: dict[str, Any], fiche: Any) -> list[str]:
    """The INSEE codes of the communes that sign by an avenant in force when the fiche was
    adopted (by that avenant or an earlier one, or before the committee that adopted it)."""
    avenants = [a for _, a in entries(doc, "avenants")]
    numero, reunion = at(fiche, "adoption", "avenant"), text_at(fiche, "adoption", "reunion")
    if isinstance(numero, int):
        applied = [
            a for a in avenants if isinstance(at(a, "numero"), int) and a["numero"] <= numero
        ]
    elif reunion is not None:
        day = next(
            (
                date_at(r, "date")
                for _, r in entries(doc, "reunions")
                if text_at(r, "id") == reunion
            ),
            None,
        )
        applied = []
        for avenant in avenants:
            signe, effet = date_at(avenant, "signature", "date"), date_at(avenant, "date_effet")
            if day is None or signe is None or effet is None or max(signe, effet) > day:
                break
            applied.append(avenant)
    else:
        return []
    return [
        code
        for avenant in applied
        for _, commune in entries(avenant, "communes_ajoutees")
        if (code := text_at(commune, "insee"))
    ]


def check_annexe_signee(
    doc: dict[str, Any], findings: Findings, path: tuple[str | int, ...], fiche: dict[str, Any]
) -> None:
    """Warn when a fiche annexed to the signed convention (or to a signed avenant) leaves part
    of its content to the steering committee: the annex says so (« Éléments restant à
    arrêter »)."""
    signature = date_at(doc, "convention", "signature", "date")
    acte = "la convention signée"
    numero = at(fiche, "adoption", "avenant")
    if at(fiche, "adoption") is not None:
        # Adopted later: by a signed avenant, an act too; by a committee, on its own terms.
        avenant = next((a for _, a in entries(doc, "avenants") if at(a, "numero") == numero), None)
        signature = date_at(avenant, "signature", "date") if avenant is not None else None
        acte = f"l'avenant n° {numero} signé"
    if signature is None:
        return
    axe = text_at(fiche, "axe")
    champs_axe = next(
        (at(a, "champs") for _, a in entries(doc, "axes") if text_at(a, "code") == axe), None
    )
    missing = elements_a_arreter(
        fiche, at(fiche, "pilote", "referent"), at(fiche, "champs") or champs_axe
    )
    if missing:
        findings.warning(
            path,
            f"la fiche {text_at(fiche, 'code') or ''}, annexée à {acte} le "
            f"{date_longue(signature)}, ne précise pas encore {liste(missing)} : l'annexe dit que "
            "le comité de pilotage arrête ces éléments (« Éléments restant à arrêter ») ; "
            "complétez la fiche s'ils figurent dans l'acte signé",
        )


def fin_effective(doc: dict[str, Any], avenants: int | None = None) -> dt.date | None:
    """The convention's end, as extended (nouvelle_fin) by its first `avenants` avenants,
    or by all of them."""
    fin = date_at(doc, "convention", "periode", "fin")
    for index, avenant in entries(doc, "avenants"):
        if avenants is not None and index >= avenants:
            break
        extended = date_at(avenant, "nouvelle_fin")
        if extended and fin and extended > fin:
            fin = extended
    return fin


def fin_a_l_annexion(doc: dict[str, Any], fiche: dict[str, Any]) -> dt.date | None:
    """The end of the convention in force when the fiche was annexed: as signed, after the
    avenant that added it, or after the avenants signed by the committee that adopted it."""
    numero = at(fiche, "adoption", "avenant")
    avenants = [a for _, a in entries(doc, "avenants")]
    if isinstance(numero, int):
        return fin_effective(
            doc, next((i + 1 for i, a in enumerate(avenants) if at(a, "numero") == numero), None)
        )
    reunion = text_at(fiche, "adoption", "reunion")
    day = next(
        (date_at(r, "date") for _, r in entries(doc, "reunions") if text_at(r, "id") == reunion),
        None,
    )
    if reunion is None or day is None:
        return fin_effective(doc, 0)
    signed = [
        i for i, a in enumerate(avenants) if (s := date_at(a, "signature", "date")) and s <= day
    ]
    return fin_effective(doc, max(signed) + 1 if signed else 0)


def _not_a_code(typed: str, everyone: dict[str, CommunePerimetre] | None) -> str:
    """Why `typed` is not an INSEE code, with the code meant: spaces left out, or the code
    of the commune of the perimeter it names (« Fourques »)."""
    bare = code_without_spaces("insee", typed)
    named = [c for c in (everyone or {}).values() if c.nom.casefold() == typed.strip().casefold()]
    if bare:
        hint = f' ; écrivez "{bare}" (sans espaces)'
    elif len(named) == 1:
        hint = f' ; pour {named[0].nom}, écrivez son code "{named[0].insee}"'
    else:
        hint = ""
    return f"« {typed} » n'est pas {TYPE_DESCRIPTIONS['insee']}{hint}"


def check_fiche_communes(
    perimetre: Perimetres,
    findings: Findings,
    where: DataPath,
    fiche: dict[str, Any],
    since: tuple[dt.date | None, str] | None = None,
) -> None:
    """A fiche's communes (at `where`): codes of the perimeter in force from the fiche's
    start, or from `since` (the day and what it is: « la prise d'effet de l'avenant n° 2 »)."""
    communes = fiche.get("communes")
    if not isinstance(communes, list):
        return
    if not communes:  # the fiche's « Communes concernées » would be printed blank
        findings.error(
            (*where, "communes"),
            "aucune commune : écrivez communes: toutes, ou la liste des codes INSEE des communes "
            'concernées, par exemple ["61214", "61008"]',
        )
        return
    start, event = since or (date_at(fiche, "calendrier", "debut"), "le début de la fiche")
    in_force = perimetre(start)
    everyone = perimetre(None)
    seen: set[str] = set()
    for position, code in enumerate(communes):
        path = (*where, "communes", position)
        if not isinstance(code, str) or not code:
            findings.error(path, 'code INSEE attendu (texte entre guillemets, par exemple "61214")')
            continue
        if not insee_bien_forme(code):
            findings.error(path, _not_a_code(code, everyone))
            continue
        if code in seen:
            findings.warning(path, f"commune {code} listée deux fois")
        seen.add(code)
        if in_force is None or everyone is None or code in in_force:
            continue
        later = everyone.get(code)
        if later is not None and later.date_effet and start:
            findings.error(
                path,
                f"la commune {code} ({later.nom}) n'entre dans le périmètre qu'au "
                f"{date_longue(later.date_effet)} (avenant n° {later.avenant}), après "
                f"{event} ({date_longue(start)})",
            )
        elif later is None:
            part_of = rattachee(code)
            if part_of is not None and part_of[1] in everyone:
                # Champigné for Les Hauts-d'Anjou: the fiche names the commune, its code.
                findings.error(
                    path,
                    f"« {code} » désigne {part_of[0]}, non une commune du périmètre : écrivez "
                    f'"{part_of[1]}" (la commune) ; le texte de la fiche peut nommer la commune '
                    "déléguée",
                )
            else:
                findings.error(
                    path, f"la commune {code} n'est pas dans le périmètre de la convention"
                )


def _total(lines: list[Any], keys: dict[str, Any]) -> Decimal | None:
    """The sum of the amounts, or None if a line is wrong (the schema says why)."""
    total = Decimal(0)
    for line in lines:
        # A stray key is often half of an amount a comma cut in two.
        if not isinstance(line, dict) or not set(line) <= set(keys):
            return None
        if not isinstance(line.get("montant"), Decimal):
            return None
        total += line["montant"]
    return total


def check_budget(findings: Findings, path: DataPath, fiche: dict[str, Any]) -> None:
    """Funding equals the budget to the cent; compared only once every amount is right."""
    budget = at(fiche, "budget") or []
    financements = at(fiche, "financements") or []
    if not isinstance(budget, list) or not isinstance(financements, list):
        return
    if not budget and not financements:
        return
    cost, funded = _total(budget, LIGNE_BUDGET), _total(financements, LIGNE_FINANCEMENT)
    if cost is None or funded is None:
        return
    if cost != funded:
        what = "excèdent" if funded > cost else "ne couvrent pas"
        findings.warning(
            (*path, "financements" if financements else "budget"),
            f"les financements ({montant(funded)}) {what} le budget ({montant(cost)}) : "
            f"écart de {montant(abs(funded - cost))}",
        )


def check_calendrier(
    findings: Findings,
    path: DataPath,
    fiche: dict[str, Any],
    debut: dt.date | None,
    fin: dt.date | None,
) -> None:
    """The fiche's calendar is in order and within the convention's period."""
    start, end = date_at(fiche, "calendrier", "debut"), date_at(fiche, "calendrier", "fin")
    check_dates_order(findings, (*path, "calendrier"), start, end, "calendrier de la fiche")
    if start and end and debut and fin and (start < debut or end > fin):
        findings.warning(
            (*path, "calendrier"),
            f"calendrier ({date_longue(start)} – {date_longue(end)}) hors de la période "
            f"de la convention ({date_longue(debut)} – {date_longue(fin)})",
        )


def entrees_par_avenant(doc: dict[str, Any]) -> dict[str, int]:
    """The INSEE code of each commune that signs by an avenant, and that avenant's number."""
    return {
        code: avenant["numero"]
        for _, avenant in entries(doc, "avenants")
        if isinstance(avenant.get("numero"), int)
        for _, commune in entries(avenant, "communes_ajoutees")
        if (code := text_at(commune, "insee"))
    }


def check(doc: dict[str, Any], findings: Findings) -> None:
    axes = unique_codes(doc, findings, "axes", "code", "code d'axe")
    unique_codes(doc, findings, "fiches_actions", "code", "code de fiche", file_names=True)
    parties = [text_at(p, "id") for _, p in entries(doc, "parties")]
    declared_parties = [p for p in parties if p]
    debut = date_at(doc, "convention", "periode", "debut")
    perimetre = perimetre_par_jour(doc)
    entrees = entrees_par_avenant(doc)
    for index, fiche in entries(doc, "fiches_actions"):
        path = ("fiches_actions", index)
        axe = text_at(fiche, "axe")
        if axe and isinstance(at(doc, "axes"), list) and axe not in axes:
            findings.error(
                (*path, "axe"),
                f"« {axe} » n'est pas un axe déclaré (axes : {', '.join(axes) or 'aucun'})",
            )
        if isinstance(at(doc, "parties"), list):
            joined = communes_entrees_avant(doc, fiche)
            check_pilote(findings, path, fiche, [*declared_parties, *joined], entrees)
        # Annexed to the convention as it then was: not past its end at that time.
        check_calendrier(findings, path, fiche, debut, fin_a_l_annexion(doc, fiche))
        check_annexe_signee(doc, findings, path, fiche)
        check_fiche_communes(perimetre, findings, path, fiche)
        check_budget(findings, path, fiche)
