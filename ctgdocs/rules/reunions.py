"""Rules on the meetings that produce comptes rendus."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..etat import annexee_le, fiche_annexee
from ..formatting import date_longue, heure, normaliser_nom
from ..membres import Rattachement, identifiants, rattachement, reference
from ..problems import DataPath
from ..schema import PRESENCES
from .base import Findings, Seen, at, date_at, entries, rattachee, text_at, texts
from .plan import fin_effective, unique_codes

# What a member may be marked; `invite` is the guests' own status.
_MEMBRE = ("present", "represente", "excuse", "absent")


def _non_membre(found: Rattachement, day: dt.date, presence: str) -> str:
    """Why a commune is not a member at a meeting on `day`, and what the minutes do."""
    if presence in ("excuse", "absent"):
        listed = "invités excusés" if presence == "excuse" else "invités absents"
        guest = f"elle est invitée, pas membre (le compte rendu la range parmi les {listed})"
    else:
        guest = (
            "elle est invitée, pas membre : le compte rendu la range parmi les invités "
            "(écrivez presence: invite)"
        )
    if found.avenant is None:
        return f"{found.commune} n'est pas signataire de la convention : {guest}"
    if found.signataire_le is None:
        return (
            f"{found.commune} ne devient signataire que par l'avenant n° {found.avenant}, "
            f"qui n'est pas signé : le {date_longue(day)}, {guest}"
        )
    return (
        f"{found.commune} n'est signataire qu'à partir du {date_longue(found.signataire_le)}, "
        f"par l'avenant n° {found.avenant} : le {date_longue(day)}, {guest}"
    )


def _check_participant(
    doc: dict[str, Any],
    findings: Findings,
    path: DataPath,
    participant: dict[str, Any],
    day: dt.date | None,
) -> None:
    presence = text_at(participant, "presence")
    nom = text_at(participant, "nom") or "ce participant"
    # A represente_par of the wrong kind (empty, a block) is the schema's error to report.
    if presence == "represente" and "represente_par" not in participant:
        findings.error(
            (*path, "presence"),
            f"« represente » sans represente_par : indiquez qui représente {nom} "
            "(represente_par: Prénom Nom, qualité)",
        )
    if presence in PRESENCES and presence != "represente" and "represente_par" in participant:
        findings.error(
            (*path, "represente_par"),
            f"represente_par ne va qu'avec presence: represente (ici presence: {presence})",
        )
    ref, inferred = reference(doc, participant)
    if ref is None:
        return
    found = rattachement(doc, ref)
    if found is None:
        known = ", ".join(identifiants(doc)) or "aucune"
        part_of = rattachee(ref)
        # A maire délégué attends for his commune déléguée, which signs nothing.
        hint = (
            f" : « {ref} » désigne {part_of[0]} ; indiquez la commune (partie: "
            f'"{part_of[1]}") si elle signe, ou structure'
            if part_of is not None
            else ""
        )
        findings.error(
            (*path, "partie"),
            f"« {ref} » n'est ni l'id d'une partie ({known}) ni le code INSEE "
            f"d'une commune du territoire{hint}",
        )
    elif day and presence in _MEMBRE and not found.membre_le(day):
        message = _non_membre(found, day, presence)
        if inferred:
            # The link comes from the name: say so, and how to confirm it.
            message = (
                f"{nom} signe l'avenant n° {found.avenant} pour {found.commune} ; "
                f"{message[0].lower()}{message[1:]}"
            )
        findings.warning((*path, "presence"), message)


def _check_attendance(
    doc: dict[str, Any], findings: Findings, path: DataPath, reunion: dict[str, Any]
) -> None:
    day = date_at(reunion, "date")
    participants = list(entries(reunion, "participants"))
    presences = [p.get("presence") for _, p in participants]
    # A hostile presence may be a block, which no set or dict lookup can hold.
    known = all(isinstance(p, str) and p in PRESENCES for p in presences)
    if presences and known and "present" not in presences:
        findings.error(
            (*path, "participants"),
            "aucun participant présent (presence: present) : un compte rendu suppose "
            "au moins un présent",
        )
    seen: dict[str, int] = {}
    for index, participant in participants:
        item = (*path, "participants", index)
        _check_participant(doc, findings, item, participant, day)
        nom = text_at(participant, "nom")
        if nom is None:
            continue
        first = seen.setdefault(normaliser_nom(nom), index)
        if first != index:
            findings.warning(
                (*item, "nom"),
                f"{nom} figure déjà parmi les participants (participants[{first}], "
                f"ligne {findings.line_of((*path, 'participants', first))})",
            )
    _check_presidence(findings, path, reunion, participants)


# How a chair's name may open `presidence`: « Madame Anne Martin, Directrice de la Caf ».
_CIVILITE = re.compile(r"^(?:madame|monsieur|mme|mr|m)\.?\s+", re.IGNORECASE)
# Where the name ends: « Paul Durand, Président », « Paul Durand (Président) ».
_APRES_NOM = re.compile(r"\s*[,(]")
# The article before a role (« le Président », « la Directrice », « l'Adjointe »), as
# normaliser_nom leaves it.
_ARTICLE = re.compile(r"^(?:le|la|l) ")
# Who attends: members present and guests; the represented, excused and absent do not.
_ASSISTE = ("present", "invite")


def _nomme(presidence: str, participant: dict[str, Any]) -> int:
    """How closely `presidence` names this participant (0: not at all): by name (« Paul
    Durand, Président »), best, or, for a chair written as a role only (« Coordinatrice
    enfance-jeunesse », « La Directrice générale de la MSA »), by the participant's qualité,
    the longer the closer (« Directrice générale » before « Directrice »)."""
    nom, qualite = text_at(participant, "nom"), text_at(participant, "qualite")
    name = _APRES_NOM.split(_CIVILITE.sub("", presidence.strip()), maxsplit=1)[0]
    if nom and normaliser_nom(name) == normaliser_nom(nom):
        return _PAR_LE_NOM
    # « Le Président de la Communauté de communes » names the participant whose qualité
    # is « Président », as « Président de la Communauté de communes » does.
    chair = _ARTICLE.sub("", normaliser_nom(presidence))
    role = _ARTICLE.sub("", normaliser_nom(qualite or ""))
    return len(role) if role and (chair == role or chair.startswith(f"{role} ")) else 0


_PAR_LE_NOM = 10**6


def _check_presidence(
    findings: Findings,
    path: DataPath,
    reunion: dict[str, Any],
    participants: list[tuple[int, dict[str, Any]]],
) -> None:
    """Whoever chairs attends: the minutes list the chair among those present."""
    presidence = text_at(reunion, "presidence")
    # Without attendance (a schema error of its own), the minutes say nothing of it.
    if presidence is None or not participants:
        return
    scores = {i: _nomme(presidence, p) for i, p in participants}
    best = max(scores.values(), default=0)
    chairs = [(i, p) for i, p in participants if best and scores[i] == best]
    if any(text_at(p, "presence") in _ASSISTE for _, p in chairs):
        return
    for index, participant in chairs:
        presence = text_at(participant, "presence")
        if presence in ("represente", "excuse", "absent"):
            findings.warning(
                (*path, "presidence"),
                f"la présidence revient à {text_at(participant, 'nom') or presidence}, que "
                f"participants[{index}] ne compte pas parmi les présents (presence: {presence})",
            )
            return
    if not chairs:
        findings.warning(
            (*path, "presidence"),
            f"la présidence revient à « {presidence} », que les participants ne comptent pas "
            "parmi les présents (ni ce nom ni cette qualité n'y figurent) : ajoutez qui préside "
            "aux participants, avec presence: present, ou écrivez son nom comme la liste le "
            "donne (Prénom Nom, qualité)",
        )


def _check_points(
    doc: dict[str, Any], findings: Findings, path: DataPath, reunion: dict[str, Any]
) -> None:
    """Fiches cited must exist, and be signed ones."""
    fiches = {code: f for _, f in entries(doc, "fiches_actions") if (code := text_at(f, "code"))}
    day = date_at(reunion, "date")
    signature = date_at(doc, "convention", "signature", "date")
    unsigned = isinstance(doc.get("convention"), dict) and "signature" not in doc["convention"]
    for number, point in entries(reunion, "points"):
        cited = Seen()
        for position, code in enumerate(at(point, "fiches_actions") or []):
            where = (*path, "points", number, "fiches_actions", position)
            if not isinstance(code, str):
                continue
            earlier = cited.earlier(code, position)
            if earlier is not None:
                findings.warning(
                    where,
                    f"la fiche « {code} » est déjà citée par ce point (fiches_actions[{earlier}]) "
                    ": le compte rendu la nommerait deux fois",
                )
            elif code not in fiches:
                known = ", ".join(sorted(c for c in fiches if c)) or "aucune"
                findings.error(
                    where, f"« {code} » n'est pas le code d'une fiche action (fiches : {known})"
                )
            elif unsigned:
                findings.warning(
                    where,
                    f"la fiche « {code} » est citée alors que la convention n'est pas signée "
                    "(convention.signature absente) : le compte rendu la présente comme une "
                    "fiche du projet de convention",
                )
            elif day and signature and day < signature:
                findings.warning(
                    where,
                    f"la fiche « {code} » est citée le {date_longue(day)}, avant la signature "
                    f"de la convention ({date_longue(signature)}) : le compte rendu la présente "
                    "comme une fiche du projet de convention",
                )
            elif (
                day
                # An adoption of the wrong kind (a text) is the schema's error to report.
                and isinstance(fiches[code].get("adoption"), dict)
                and not fiche_annexee(fiches[code])
                and day < (adopted := annexee_le(doc, fiches[code]))
            ):
                when = f" ({date_longue(adopted)})" if adopted != dt.date.max else ""
                findings.warning(
                    where,
                    f"la fiche « {code} » est citée le {date_longue(day)}, avant son "
                    f"adoption{when} : le compte rendu la présente comme un projet de fiche",
                )


def _check_repeated(findings: Findings, path: DataPath, reunion: dict[str, Any]) -> None:
    """An item of the agenda or of the relevé de décisions typed twice (a copy and paste):
    the minutes would number it twice."""
    for key, what, pronoun in (
        ("ordre_du_jour", "ce point de l'ordre du jour", "le"),
        ("decisions", "cette décision", "la"),
    ):
        seen = Seen()
        for index, text in texts(reunion, key):
            earlier = seen.earlier(" ".join(text.casefold().split()), index)
            if earlier is not None:
                findings.warning(
                    (*path, key, index),
                    f"{what} figure déjà en {key}[{earlier}] : le compte rendu {pronoun} "
                    "répéterait",
                )


def _check_dates(findings: Findings, path: DataPath, reunion: dict[str, Any]) -> None:
    day = date_at(reunion, "date")
    start, end = at(reunion, "heure_debut"), at(reunion, "heure_fin")
    if isinstance(start, dt.time) and isinstance(end, dt.time) and end <= start:
        findings.error(
            (*path, "heure_fin"),
            f"fin à {heure(end)}, pas après le début à {heure(start)}",
        )
    for number, suite in entries(reunion, "suites"):
        due = date_at(suite, "echeance")
        if due and day and due < day:
            findings.warning(
                (*path, "suites", number, "echeance"),
                f"échéance ({date_longue(due)}) antérieure à la réunion ({date_longue(day)})",
            )
    following = date_at(reunion, "prochaine_reunion", "date")
    if following and day and following <= day:
        findings.error(
            (*path, "prochaine_reunion", "date"),
            f"la prochaine réunion ({date_longue(following)}) doit suivre celle-ci "
            f"({date_longue(day)})",
        )
    validated = date_at(reunion, "validation", "date")
    if validated and day and validated < day:
        findings.error(
            (*path, "validation", "date"),
            f"compte rendu validé le {date_longue(validated)}, avant la réunion "
            f"du {date_longue(day)}",
        )


def _years_from(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _check_period(doc: dict[str, Any], findings: Findings, path: DataPath, day: dt.date) -> None:
    """Warn about a meeting more than a year away from the convention's period: a year typed
    wrong (2019 for 2023) most often. Meetings that prepare the convention, or close it,
    fall within the year before its start or after its end."""
    debut = date_at(doc, "convention", "periode", "debut")
    fin = fin_effective(doc)
    if debut and day < _years_from(debut, -1):
        findings.warning(
            (*path, "date"),
            f"réunion du {date_longue(day)}, plus d'un an avant le début de la convention "
            f"({date_longue(debut)}) : vérifiez l'année",
        )
    elif fin and (not debut or debut < fin) and day > _years_from(fin, 1):
        findings.warning(
            (*path, "date"),
            f"réunion du {date_longue(day)}, plus d'un an après la fin de la convention "
            f"({date_longue(fin)}) : vérifiez l'année",
        )


def check(doc: dict[str, Any], findings: Findings) -> None:
    unique_codes(doc, findings, "reunions", "id", "identifiant de réunion")
    meetings: dict[tuple[dt.date, str], int] = {}
    for index, reunion in entries(doc, "reunions"):
        path = ("reunions", index)
        _check_dates(findings, path, reunion)
        _check_attendance(doc, findings, path, reunion)
        _check_points(doc, findings, path, reunion)
        _check_repeated(findings, path, reunion)
        day, instance = date_at(reunion, "date"), text_at(reunion, "instance")
        if day:
            _check_period(doc, findings, path, day)
        if day and instance:
            other = meetings.setdefault((day, instance), index)
            if other != index:
                findings.error(
                    (*path, "date"),
                    f"deux réunions {instance} le {date_longue(day)} (voir reunions[{other}]) : "
                    "leurs comptes rendus porteraient le même nom",
                )
