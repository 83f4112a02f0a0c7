"""The convention to be signed, and its consolidated version once avenants apply."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .. import clauses
from ..blocs import texte_libre
from ..clauses import articles, numeros_annexes
from ..consolidation import avenants_en_vigueur, etat_apres
from ..context import (
    common,
    communes_table,
    cotes,
    de_epci,
    fait_a,
    nom_pilote,
    periode,
    provenance,
    signatures,
    somme,
)
from ..contextes import Annexes, Consolidee, ConventionContexte, LignePlan, Signataire
from ..designation import signataire
from ..etat import Etat, etat_initial
from ..formatting import (
    avenants_nommes,
    date_courte,
    date_longue,
    en_lettres,
    entre_parentheses,
    liste,
    majuscule,
    montant,
    ponctuer,
)
from ..juridictions import cog_en_vigueur, date_de_la_cog
from ..referentiel import annee_du_referentiel, sans_communes_membres
from .base import Document, DocumentKind, date_convention, sujet

# The visas every CTG carries (Code de la sécurité sociale: the Cnaf's and the Cafs'
# missions in action sociale and the COG; CASF; CGCT for the collectivities).
VISAS = (
    "les articles L. 223-1, L. 227-1 à L. 227-3 et L. 263-1 du Code de la sécurité sociale",
    "le Code de l'action sociale et des familles",
    "le Code général des collectivités territoriales",
)
VISA_MSA = "le Code rural et de la pêche maritime"
# Mayotte: its Caisse de sécurité sociale and the family benefits it pays rest on ordonnances.
VISAS_MAYOTTE = (
    "l'ordonnance n° 96-1122 du 20 décembre 1996 relative à l'amélioration de la santé "
    "publique, à l'assurance maladie, maternité, invalidité, décès et autonomie, au "
    "financement de la sécurité sociale à Mayotte et à la caisse de sécurité sociale de Mayotte",
    "l'ordonnance n° 2002-149 du 7 février 2002 relative à l'extension et la généralisation "
    "des prestations familiales et à la protection sociale dans la collectivité "
    "départementale de Mayotte",
)


def cog(doc: dict[str, Any]) -> str | None:
    """ "2018-2022": the Cnaf's COG the convention cites; None when ctgdocs cannot tell."""
    convention = doc["convention"]
    if convention.get("cog"):
        return str(convention["cog"])
    day = date_de_la_cog(doc)
    period = cog_en_vigueur(day) if day else None
    return f"{period[0]}-{period[1]}" if period else None


def visas(doc: dict[str, Any], parties: list[Signataire]) -> list[str]:
    """ "Vu … ;" each: the law, the COG, the Caf's own visas, then the deliberations."""
    items = list(VISAS)
    if doc["territoire"]["departement"] == "976":
        items += VISAS_MAYOTTE
    if any(p["type"] == "msa" for p in parties):
        items.append(VISA_MSA)
    items.append(
        "la convention d'objectifs et de gestion conclue entre l'État et la Caisse nationale "
        f"des allocations familiales pour la période {cog(doc)}"
    )
    items += doc["convention"].get("visas", [])
    items += [p["deliberation"] for p in parties if p["deliberation"]]
    items += [v for p in parties for v in p["delegations"]]
    return [f"Vu {item.rstrip(' ;.')}\u202f;" for item in items]


def signataires(doc: dict[str, Any], etat: Etat) -> list[Signataire]:
    """The parties as the convention designates them; a missing authority shows as a blank
    in a projet."""
    epci_type = doc["territoire"]["epci"]["type"]
    signe = doc["convention"].get("signature") is not None
    return [signataire(partie, epci_type, signe) for partie in etat.parties]


# The parties a title page lists one per line; beyond, the communes are counted.
_TITRE_PARTIES = 12


def communes_couvertes(count: int) -> str:
    """ "les trente-deux communes suivantes", and for a perimeter of one, "la commune suivante"."""
    if count == 1:
        return "la commune suivante"
    return f"les {en_lettres(count, feminin=True)} communes suivantes"


def parties_en_titre(parties: list[Signataire]) -> list[str]:
    """The title page's « Entre » list: every party's name, or, when they would not hold on
    the page, the other parties then « Les vingt-deux communes signataires »."""
    if len(parties) <= _TITRE_PARTIES:
        return [p["nom"] for p in parties]
    communes = [p for p in parties if p["type"] == "commune"]
    others = [p["nom"] for p in parties if p["type"] != "commune"]
    if len(communes) < 2:
        return [p["nom"] for p in parties]
    return [*others, f"Les {en_lettres(len(communes), feminin=True)} communes signataires"]


def _depuis_la_signature(doc: dict[str, Any], fiche: dict[str, Any]) -> str:
    """ " (adoptée par le comité de pilotage du …)", " (modifiée par l'avenant n° 1)", or ""."""
    amended = fiche.get("_modifiee_par")
    return entre_parentheses(
        [provenance(doc, fiche), f"modifiée par {avenants_nommes(amended)}" if amended else ""]
    )


def _plan(doc: dict[str, Any], etat: Etat) -> list[LignePlan]:
    return [
        {
            "axe": fiche["axe"],
            "code": fiche["code"],
            # A consolidated plan says how a later fiche came and which an avenant rewrote.
            "intitule": fiche["intitule"] + _depuis_la_signature(doc, fiche),
            "pilote": nom_pilote(doc, fiche["pilote"]),
            "calendrier": f"{date_courte(fiche['calendrier']['debut'])} – "
            f"{date_courte(fiche['calendrier']['fin'])}",
            "budget": montant(somme(fiche.get("budget"))) if fiche.get("budget") else "—",
        }
        for fiche in etat.fiches
    ]


def _plan_total(fiches: list[dict[str, Any]]) -> str:
    """The plan's total, or "—" when no fiche has a budget yet: « 0,00 € » would state that
    the plan costs nothing, where each fiche says its budget is still to be set."""
    lines = [line for f in fiches for line in f.get("budget", [])]
    return montant(somme(lines)) if lines else "—"


def context(
    doc: dict[str, Any], etat: Etat, consolidee: dt.date | None = None
) -> ConventionContexte:
    """What the convention template places; `consolidee`: the date of a consolidated version."""
    convention = doc["convention"]
    signature = convention.get("signature")
    projet = signature is None
    une_part, autre_part = cotes(signataires(doc, etat))
    # Title page, visas and signatures follow the parties block.
    parties = [*une_part, *autre_part]
    numbers = numeros_annexes(doc, bool(etat.fiches))
    annexes: Annexes = {
        "perimetre": numbers["perimetre"],
        "plan": numbers["plan"],
        "fiches": numbers.get("fiches", ""),
    }
    perimetre = etat.perimetre
    return {
        "ctg": common(doc),
        "projet": projet,
        # The period in force: a consolidated version counts its prolongations.
        "periode_majuscule": majuscule(periode(etat.debut, etat.fin)),
        "consolidee": _consolidee(doc, etat, consolidee) if consolidee else None,
        "parties": parties,
        "parties_en_titre": parties_en_titre(parties),
        "parties_d_une_part": une_part,
        "parties_d_autre_part": autre_part,
        "visas": visas(doc, parties),
        "preambule": texte_libre(convention["preambule"]),
        "articles": articles(doc, etat, numbers),
        "annexes": annexes,
        "perimetre": communes_table(perimetre),
        "communes_couvertes": communes_couvertes(len(perimetre)),
        "perimetre_source": _source(doc, etat),
        "plan": _plan(doc, etat),
        "plan_total": _plan_total(etat.fiches),
        "fait_a": fait_a(signature, convention.get("exemplaires") or len(parties)),
        "signatures": signatures(parties),
    }


def _source(doc: dict[str, Any], etat: Etat) -> str:
    """Where a perimeter the file does not list comes from (the EPCI's members in the COG)."""
    if doc["territoire"].get("communes") is not None:
        return ""
    # The act names the official source and its date, not the software that carries it.
    if sans_communes_membres(doc["territoire"]["epci"]["siren"]):
        communes = f"Liste des communes situées sur le territoire {de_epci(doc)}"
    else:
        communes = "Liste des communes membres de l'intercommunalité"
    return (
        f"{communes} selon la composition communale des EPCI publiée par l'Insee (code "
        f"officiel géographique au 1er janvier {annee_du_referentiel()})."
    )


def _consolidee(doc: dict[str, Any], etat: Etat, day: dt.date) -> Consolidee:
    """The mention of a consolidated version, and the acts it consolidates."""
    signed = doc["convention"]["signature"]["date"]
    actes = [f"la convention signée le {date_longue(signed)}"]
    propres = []
    amended = {(a.avenant, a.titre) for a in etat.amendements}
    later: list[tuple[dt.date, str]] = []
    for avenant in doc.get("avenants", [])[: etat.avenant]:
        numero = avenant["numero"]
        day_signed = avenant["signature"]["date"]
        later.append((day_signed, f"l'avenant n° {numero} signé le {date_longue(day_signed)}"))
        propres += [
            f"« {d['titre']} » (avenant n° {numero})"
            for d in avenant.get("dispositions", [])
            if (numero, d["titre"]) not in amended
        ]
    reunions = {r["id"]: r["date"] for r in doc.get("reunions", [])}
    for fiche in etat.fiches:
        adopted = (fiche.get("adoption") or {}).get("reunion")
        if adopted in reunions:
            later.append(
                (reunions[adopted], f"la fiche action {fiche['code']}, {provenance(doc, fiche)}")
            )
    actes += [text for _, text in sorted(later, key=lambda entry: entry[0])]
    mention = (
        f"Version consolidée au {date_longue(day)}, établie à titre d'information : ce "
        "document n'est pas un original et n'a pas été signé. Seuls font foi la convention et "
        "ses avenants signés. Les parties y sont désignées comme dans l'acte par lequel "
        "chacune est entrée dans la convention."
    )
    refaits = clauses.refaits(etat)
    if refaits:
        # Their words differ from the acts' (one sentence for all the communes): say so.
        which = f"Les articles {liste(refaits)}" if len(refaits) > 1 else f"L'article {refaits[0]}"
        verbe = "sont" if len(refaits) > 1 else "est"
        mention += (
            f" {which}, que les avenants complètent pour les communes qui entrent, y {verbe} "
            "rédigé" + ("s" if len(refaits) > 1 else "") + " une fois pour l'ensemble des "
            "signataires en vigueur."
        )
    if propres:
        mention += (
            " Les stipulations propres des avenants, qui s'appliquent en sus du présent texte, "
            f"n'y sont pas reproduites : {liste(propres)}."
        )
    return {
        "date": date_longue(day),
        "actes": ponctuer(actes),
        "mention": mention,
        "entete": f"Version consolidée au {date_longue(day)} – document d'information, "
        "non\u00a0signé",
        "perimetre_modifie": any(c.avenant is not None for c in etat.perimetre),
    }


def _en_vigueur(doc: dict[str, Any], numero: int) -> Etat:
    """The convention as it stands after avenant `numero`: its text names every fiche annexed
    since the signature (by avenant or, as its governance article provides, by a committee),
    not only those signed with it."""
    etat = etat_apres(doc, numero)
    etat.fiches_signees = etat.fiches
    return etat


def date_consolidation(doc: dict[str, Any], numero: int) -> dt.date:
    """The latest change a consolidation after avenant `numero` includes.

    An avenant counts from its signature as well as its effect: one signed after the date
    it takes effect (retroactively) is not part of the text as it stood on that date.
    """
    days: list[dt.date] = [
        max(a["date_effet"], a["signature"]["date"]) for a in doc.get("avenants", [])[:numero]
    ]
    reunions: dict[str, dt.date] = {r["id"]: r["date"] for r in doc.get("reunions", [])}
    for fiche in doc.get("fiches_actions", []):
        reunion = (fiche.get("adoption") or {}).get("reunion")
        if reunion in reunions:
            days.append(reunions[reunion])
    return max(days)


def documents(doc: dict[str, Any]) -> list[Document]:
    convention = doc["convention"]
    result = [
        KIND.document(
            "convention.docx",
            context(doc, etat_initial(doc)),
            convention["intitule"],
            sujet(doc),
            date_convention(doc),
        )
    ]
    in_force = avenants_en_vigueur(doc)
    adopted = any((f.get("adoption") or {}).get("reunion") for f in doc.get("fiches_actions", []))
    if in_force or adopted:
        # Amended by avenant, or its annexes grown by a committee: a consolidated version.
        numero = in_force[-1]["numero"] if in_force else 0
        day = date_consolidation(doc, numero)
        result.append(
            KIND.document(
                "convention-consolidee.docx",
                context(doc, _en_vigueur(doc, numero), consolidee=day),
                f"{convention['intitule']} – version consolidée au {date_longue(day)}",
                sujet(doc),
                day,
            )
        )
    return result


KIND = DocumentKind(
    "convention",
    "convention.docx",
    "",
    "convention.docx (et convention-consolidee.docx après un avenant)",
    documents,
    ConventionContexte,
)
