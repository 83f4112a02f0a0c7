"""Fiches actions: each annexed to the convention as adopted, and its dated fiche de suivi."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ..blocs import texte_libre
from ..clauses import numero_fiche
from ..consolidation import avenants_au, avenants_en_vigueur, fiches_au, fiches_en_vigueur
from ..context import (
    champs,
    common,
    de_organe,
    instance,
    libelle_pilote,
    nom_pilote,
    organe,
    periode,
    provenance,
    reunion_nommee,
    somme,
)
from ..contextes import Ctg, FicheContexte, Indicateur, LigneFinancement, SuiviContexte
from ..etat import annexee_le, fiche_annexee, fiches_ordonnees
from ..formatting import (
    cle_de_tri,
    date_courte,
    date_longue,
    liste,
    majuscule,
    montant,
    pluriel,
    ponctuer,
)
from ..perimetre import CommunePerimetre, Perimetres, perimetre_apres, perimetre_par_jour
from ..schema import STATUTS
from .base import Document, DocumentKind, date_convention, safe_name, sujet

# The sections a fiche may leave to the committee, as its closing sentence names them.
_A_ARRETER = (
    ("referent", "le référent"),
    ("champs", "les champs d'intervention"),
    ("description", "la description de l'action"),
    ("public", "le public visé"),
    ("partenaires", "les partenaires"),
    ("budget", "le budget prévisionnel"),
    ("financements", "le plan de financement"),
    ("indicateurs", "les indicateurs d'évaluation"),
)


def elements_a_arreter(fiche: dict[str, Any], referent: Any, codes_champs: Any) -> list[str]:
    """What the fiche does not say yet (`_A_ARRETER`'s labels), its referent and fields
    (its own or else its axe's) given apart."""
    given = {**fiche, "referent": referent, "champs": codes_champs}
    return [label for key, label in _A_ARRETER if not given.get(key)]


def a_arreter(fiche: dict[str, Any], codes_champs: list[str] | None) -> str:
    """The sentence naming what the fiche leaves to the steering committee, or "".

    `codes_champs`: the fiche's fields, its own or else its axe's.
    """
    missing = elements_a_arreter(fiche, fiche["pilote"].get("referent"), codes_champs)
    if not missing:
        return ""
    return (
        "Le comité de pilotage arrête, dans les conditions prévues par la convention, les "
        f"éléments de la fiche qui n'y sont pas encore précisés : {liste(missing)}."
    )


def communes_concernees(choice: Any, perimetre: dict[str, CommunePerimetre], toutes: int) -> str:
    """ "toutes les communes du territoire (32 communes)" or "L'Aigle (61214) et Rai (61342)".

    `choice`: a fiche's communes (« toutes », or absent, or codes of `perimetre`); `toutes`:
    how many communes the perimeter has in the fiche's redaction.
    """
    if choice in (None, "toutes"):
        return f"toutes les communes du territoire ({pluriel(toutes, 'commune')})"
    # In the alphabetical order of the perimeter's annex, whatever the file's order.
    codes = sorted(choice, key=lambda code: (cle_de_tri(perimetre[code].nom), code))
    return liste([f"{perimetre[code].nom} ({code})" for code in codes])


def dispositif(line: dict[str, Any]) -> str:
    """The funding line's dispositif, or « — » for a funder's own money: never a blank cell."""
    return str(line.get("dispositif") or "—")


def _financements(fiche: dict[str, Any]) -> tuple[list[LigneFinancement], str]:
    """The funding rows, with « Reste à financer » when they fall short of the budget."""
    rows: list[LigneFinancement] = [
        {
            "financeur": line["financeur"],
            "dispositif": dispositif(line),
            "montant": montant(line["montant"]),
        }
        for line in fiche.get("financements", [])
    ]
    funded = somme(fiche.get("financements"))
    gap = somme(fiche.get("budget")) - funded if fiche.get("budget") else Decimal(0)
    if rows and gap > 0:
        rows.append({"financeur": "Reste à financer", "dispositif": "", "montant": montant(gap)})
        funded += gap
    return rows, montant(funded)


def annexe(doc: dict[str, Any], fiche: dict[str, Any], avenant: int | None = None) -> str:
    """ "Annexe 3.2 à la convention …", how a later fiche came, and for the fiche as an
    avenant rewrote it, that avenant."""
    numero = f"Annexe {numero_fiche(doc, fiche['code'])}"
    if avenant is not None:
        # Right after the annex's number: it is the annex, not the convention, that changed.
        numero += f" (rédaction issue de l'avenant n° {avenant})"
    text = f"{numero} {common(doc)['a_la_convention']}"
    origine = provenance(doc, fiche)
    return f"{text}, {origine}" if origine else text


def context(
    doc: dict[str, Any],
    fiche: dict[str, Any],
    ctg: Ctg | None = None,
    perimetres: Perimetres | None = None,
    avenant: int | None = None,
) -> FicheContexte:
    """A fiche's context, or with `avenant` the fiche as that avenant rewrote it (annexed to
    it); `ctg` and `perimetres` may be shared by the fiches of a convention."""
    axe = next(a for a in doc["axes"] if a["code"] == fiche["axe"])
    # Without its own, a fiche works in its axe's fields (the convention's Article on axes).
    codes_champs = fiche.get("champs") or axe.get("champs")
    calendrier = fiche["calendrier"]
    financements, total = _financements(fiche)
    perimetres = perimetres or perimetre_par_jour(doc)
    redaction = _avenants_de_la_redaction(doc, fiche, avenant)
    perimetre_redaction = perimetre_apres(doc, redaction)
    # A fiche an avenant rewrites may name the communes it brings in after the fiche's start.
    noms = {c.insee: c for c in perimetre_redaction} | (perimetres(calendrier["debut"]) or {})
    return {
        "ctg": ctg or common(doc),
        # A fiche an avenant adds or rewrites is a projet until that avenant is signed.
        "projet": _projet(doc, avenant or (fiche.get("adoption") or {}).get("avenant")),
        "fiche": {
            "annexe": annexe(doc, fiche, avenant),
            "code": fiche["code"],
            "intitule": fiche["intitule"],
            "axe": f"{axe['code']} – {axe['intitule']}",
            "champs": champs(codes_champs),
            "champs_libelle": (
                "Champ d'intervention" if len(codes_champs or []) == 1 else "Champs d'intervention"
            ),
            "constat": texte_libre(fiche.get("constat")),
            "objectifs": ponctuer(fiche["objectifs"]),
            "description": texte_libre(fiche.get("description")),
            "public": ponctuer(fiche.get("public", [])),
            "communes_majuscule": majuscule(
                communes_concernees(fiche.get("communes"), noms, len(perimetre_redaction))
            ),
            "pilote": nom_pilote(doc, fiche["pilote"]),
            "pilote_libelle": libelle_pilote(fiche["pilote"]),
            "referent": fiche["pilote"].get("referent") or "",
            "partenaires": ponctuer(fiche.get("partenaires", [])),
            "calendrier_majuscule": majuscule(periode(calendrier["debut"], calendrier["fin"])),
            "budget": [
                {"poste": line["poste"], "montant": montant(line["montant"])}
                for line in fiche.get("budget", [])
            ],
            "budget_total": montant(somme(fiche.get("budget"))),
            "financements": financements,
            "financements_total": total,
            "indicateurs": _indicateurs(fiche),
            "a_arreter": a_arreter(fiche, codes_champs),
        },
    }


def _avenants_de_la_redaction(
    doc: dict[str, Any], fiche: dict[str, Any], avenant: int | None
) -> int:
    """How many avenants the fiche's text was written after: "toutes les communes" counts
    the perimeter they leave, since a signed annex cannot count communes that later
    avenants bring in, nor one rewritten by an avenant forget those earlier ones did."""
    adoption = fiche.get("adoption") or {}
    if avenant is not None or adoption.get("avenant"):
        return int(avenant or adoption["avenant"])
    if adoption.get("reunion"):
        return avenants_au(doc, _adoptee_le(doc, fiche))
    return 0


def _indicateurs(fiche: dict[str, Any]) -> list[Indicateur]:
    return [
        {"libelle": i["libelle"], "cible": i.get("cible", "—"), "source": i.get("source", "—")}
        for i in fiche.get("indicateurs", [])
    ]


def _cite(point: dict[str, Any], fiche: dict[str, Any]) -> bool:
    return fiche["code"] in point.get("fiches_actions", [])


def _examens(doc: dict[str, Any], fiche: dict[str, Any]) -> list[dict[str, Any]]:
    """The meetings whose points cite the fiche once it is in force, in date order.

    A meeting before the convention's signature (or the fiche's adoption) examined a
    draft: it does not date the follow-up of the fiche annexed.
    """
    start = _adoptee_le(doc, fiche) if fiche.get("adoption") else date_convention(doc)
    return sorted(
        (
            reunion
            for reunion in doc.get("reunions", [])
            if reunion["date"] >= start and any(_cite(p, fiche) for p in reunion.get("points", []))
        ),
        key=lambda r: r["date"],
    )


def etat_de_suivi(
    doc: dict[str, Any], fiche: dict[str, Any]
) -> tuple[dt.date, dict[str, Any] | None, bool] | None:
    """When a fiche's follow-up is dated, the meeting concerned, and whether it decided.

    The latest of its last `suivi` entry (a meeting that recorded the state) and of the
    last meeting that only examined it; None when nothing dates a follow-up (no fiche de
    suivi then).
    """
    reunions = {r["id"]: r for r in doc.get("reunions", [])}
    candidates: list[tuple[dt.date, dict[str, Any] | None, bool]] = []
    if fiche.get("suivi"):
        last = fiche["suivi"][-1]
        candidates.append((last["date"], reunions.get(last.get("reunion", "")), True))
    examens = _examens(doc, fiche)
    if examens:
        candidates.append((examens[-1]["date"], examens[-1], False))
    return max(candidates, key=lambda c: c[0]) if candidates else None


def _etat_au(
    day: dt.date,
    reunion: dict[str, Any] | None,
    decision: bool,
    dernier: dict[str, Any] | None = None,
    reunions: dict[str, dict[str, Any]] | None = None,
) -> str:
    """ "État au 19 février 2019, établi par le comité de pilotage", or its last examination.

    Only a follow-up entry naming its meeting says who established the state; a meeting
    that examined the fiche is named as such, with its minutes' standing, and the status
    shown says where it comes from: the last follow-up entry (`dernier`), or none.
    """
    text = f"État au {date_longue(day)}"
    if reunion is None and decision:
        # A follow-up entry no meeting recorded: the status is the pilot's, say so.
        return f"{text} (statut non arrêté par une instance)"
    if reunion is None:
        return text
    validated = bool(reunion.get("validation"))
    draft = "" if validated else ", compte rendu non validé"
    if decision and reunion["date"] == day:
        # Minutes not validated yet: the committee's decision is not established either.
        note = "" if validated else " (compte rendu non validé)"
        return f"{text}, établi par {organe(instance(reunion))}{note}"
    if dernier is None:
        # Examined, but no meeting recorded the status shown.
        origine = "statut déclaré dans la fiche action, non arrêté par une instance"
    else:
        par = (reunions or {}).get(dernier.get("reunion", ""))
        qui = f" par {organe(instance(par))}" if par else ""
        origine = f"statut arrêté le {date_longue(dernier['date'])}{qui}"
    if reunion["date"] == day:  # « État au 8 octobre 2024 (… du 8 octobre 2024) » said it twice
        examen = f"examen {de_organe(instance(reunion))} de ce jour"
    else:
        examen = f"dernier examen : {reunion_nommee(reunion)}"
    return f"{text} ({examen}{draft} ; {origine})"


def suivi_context(doc: dict[str, Any], fiche: dict[str, Any]) -> SuiviContexte:
    day, reunion, decision = etat_de_suivi(doc, fiche) or (date_convention(doc), None, False)
    reunions = {r["id"]: r for r in doc.get("reunions", [])}
    statut = fiche["suivi"][-1]["statut"] if fiche.get("suivi") else fiche["statut"]
    projet = _projet(doc, None)
    annexee = (
        "au projet de convention"
        if doc["convention"].get("signature") is None
        else ("à la convention")
    )
    return {
        "ctg": common(doc),
        "projet": projet,
        "suivi": {
            "portee": "Document de suivi : il rend compte de l'avancement de l'action et ne "
            f"modifie pas la fiche action annexée {annexee}.",
            "code": fiche["code"],
            "intitule": fiche["intitule"],
            # The annex as rewritten, when an avenant in force on that day rewrote it.
            "annexe": annexe(doc, fiche, (fiche.get("_modifiee_par") or [None])[-1]),
            "etat_au": _etat_au(
                day, reunion, decision, (fiche.get("suivi") or [None])[-1], reunions
            ),
            "statut": STATUTS[statut],
            "pilote": nom_pilote(doc, fiche["pilote"]),
            "pilote_libelle": libelle_pilote(fiche["pilote"]),
            "calendrier_majuscule": majuscule(
                periode(fiche["calendrier"]["debut"], fiche["calendrier"]["fin"])
            ),
            "historique": [
                {
                    "date": date_courte(entry["date"]),
                    "statut": STATUTS[entry["statut"]],
                    "instance": instance(reunions[entry["reunion"]])
                    if entry.get("reunion") in reunions
                    else "—",
                    "commentaire": entry.get("commentaire", "") or "—",
                }
                for entry in fiche.get("suivi", [])
            ],
            "examens": ponctuer(
                [
                    f"{majuscule(reunion_nommee(r))} : "
                    + liste([p["titre"] for p in r["points"] if _cite(p, fiche)])
                    for r in _examens(doc, fiche)
                ]
            ),
            "indicateurs": _indicateurs(fiche),
        },
    }


def _en_vigueur(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Each fiche as the signed avenants left it (a later one as adopted)."""
    current = {f["code"]: f for f in fiches_en_vigueur(doc, len(avenants_en_vigueur(doc)))}
    return [current.get(f["code"], f) for f in fiches_ordonnees(doc)]


def _version_au(doc: dict[str, Any], fiche: dict[str, Any], day: dt.date) -> dict[str, Any]:
    """The fiche as the avenants in force on `day` left it (signed and taken effect)."""
    return fiches_au(doc, day).get(fiche["code"], fiche)


def _projet(doc: dict[str, Any], avenant: int | None) -> bool:
    """Whether the act a fiche is annexed to is unsigned: the convention, or an avenant."""
    if doc["convention"].get("signature") is None:
        return True
    return avenant is not None and doc["avenants"][avenant - 1].get("signature") is None


def _versions(doc: dict[str, Any]) -> list[tuple[dict[str, Any], int]]:
    """Each fiche an avenant rewrites, as that avenant leaves it, with the avenant's number."""
    result = []
    for avenant in doc.get("avenants", []):
        numero = avenant["numero"]
        changed = {c["code"] for c in avenant.get("fiches_modifiees", [])}
        result += [(f, numero) for f in fiches_en_vigueur(doc, numero) if f["code"] in changed]
    return result


def documents(doc: dict[str, Any]) -> list[Document]:
    """The fiches as annexed (to the convention, or to the avenant that adds them), never
    changed afterwards, then each as rewritten by an avenant, annexed to that avenant."""
    ctg = common(doc)
    perimetres = perimetre_par_jour(doc)
    result = [
        KIND.document(
            f"{safe_name(fiche['code'])}.docx",
            context=context(doc, fiche, ctg, perimetres),
            title=f"Fiche action {fiche['code']} – {fiche['intitule']}",
            subject=sujet(doc),
            date=date_convention(doc) if fiche_annexee(fiche) else _adoptee_le(doc, fiche),
        )
        for fiche in fiches_ordonnees(doc)
    ]
    for fiche, numero in _versions(doc):
        result.append(
            KIND.document(
                f"{safe_name(fiche['code'])}-avenant-{numero}.docx",
                context=context(doc, fiche, ctg, perimetres, numero),
                title=f"Fiche action {fiche['code']} – {fiche['intitule']} (avenant n° {numero})",
                subject=sujet(doc),
                date=doc["avenants"][numero - 1]["date_effet"],
            )
        )
    return result


def _adoptee_le(doc: dict[str, Any], fiche: dict[str, Any]) -> dt.date:
    """When a later fiche was adopted: its meeting, or its avenant's signature, as the
    minutes date it (a meeting before the avenant is signed examined a projet de fiche, even
    when the avenant takes effect earlier)."""
    return annexee_le(doc, fiche)


def suivis(doc: dict[str, Any]) -> list[Document]:
    """One fiche de suivi per fiche that a committee examined or whose follow-up is dated."""
    result = []
    for current in _en_vigueur(doc):
        state = etat_de_suivi(doc, current)
        if state is None:
            continue
        # The fiche as it stood on the day of its state: an avenant not yet in force then
        # has not rewritten it.
        fiche = _version_au(doc, current, state[0])
        result.append(
            SUIVI.document(
                f"{safe_name(fiche['code'])}.docx",
                context=suivi_context(doc, fiche),
                title=f"Fiche de suivi {fiche['code']} – {fiche['intitule']}",
                subject=sujet(doc),
                date=state[0],
            )
        )
    return result


KIND = DocumentKind(
    "fiches", "fiche-action.docx", "fiches-actions", "<code>.docx", documents, FicheContexte
)
SUIVI = DocumentKind(
    "suivis", "fiche-suivi.docx", "fiches-suivi", "<code>.docx", suivis, SuiviContexte
)
