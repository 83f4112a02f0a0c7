"""What each avenant changes in the text of the convention, and the convention once they apply.

The avenant quotes each change in its own words; the consolidated version applies exactly
those words: one list of `Amendement`s serves both, so they never disagree.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from . import articles_defaut, clauses
from .blocs import Bloc, citation, intertitre, p, texte_libre
from .designation import assemblee_communale
from .engagements import engagements
from .etat import (
    Amendement,
    Etat,
    cle_ajout,
    etat_initial,
    fiche_annexee,
    fiches_ordonnees,
    partie_commune,
)
from .formatting import date_longue, liste, majuscule
from .perimetre import perimetre_apres


def _reserve(doc: dict[str, Any], joining: list[dict[str, Any]]) -> Bloc:
    """The budget reservation of communes that join: their commitments bind their budgets."""
    names = liste([articles_defaut.de_nom_court(doc, c) for c in joining])
    assemblees = {assemblee_communale(c.get("insee")) for c in joining}
    if len(joining) == 1:
        (assemblee,) = assemblees
        votee = "son conseil municipal" if assemblee == "Conseil municipal" else f"le {assemblee}"
        return p(
            f"Les engagements financiers {names} sont pris sous réserve du vote de son budget "
            f"par {votee}."
        )
    votee = (
        "leurs conseils municipaux"
        if assemblees == {"Conseil municipal"}
        else ("leurs assemblées délibérantes")
    )
    return p(
        f"Les engagements financiers {names} sont pris sous réserve du vote de leurs budgets "
        f"par {votee}."
    )


def _reserve_generale(before: Etat) -> bool:
    """True when the financial article already reserves every collectivity's budget vote."""
    own = any(m.remplace == "financement" for m in before.modifications)
    collectivites = [
        p for p in before.signees if p.get("type") in ("epci", "commune", "departement")
    ]
    return not own and len(collectivites) > 1


def _duree_redigee(before: Etat) -> bool:
    """True when the duration article is the convention's or an avenant's own wording, not
    the default's (which an earlier prolongation may have written for a longer period)."""
    own = any(m.remplace == "duree" for m in before.modifications)
    return own or any(
        a.cible == "duree" and a.operation == "remplace" and not a.defaut
        for a in before.amendements
    )


def reecrit(avenant: dict[str, Any], cible: str) -> bool:
    """Whether one of the avenant's own dispositions rewrites article `cible`."""
    return any(d.get("remplace") == cible for d in avenant.get("dispositions", []))


def _pour_deux(before: Etat) -> bool:
    """True when the withdrawal article in force is the default one, written for two."""
    own = any(m.remplace == "resiliation" for m in before.modifications)
    amended = any(a.cible == "resiliation" for a in before.amendements)
    return not own and not amended and len(before.signees) == 2


def _resiliation(
    doc: dict[str, Any], numero: int, before: Etat, joining: list[dict[str, Any]]
) -> Amendement:
    """Two signatories become more: the withdrawal clause is rewritten for all of them (the
    convention goes on between the others), not left addressed to « l'autre signataire »."""
    after = dataclasses.replace(before, signees=[*before.signees, *joining])
    blocs = articles_defaut.resiliation(doc, after, clauses.Renvois({}, {}))
    return Amendement(
        numero, "remplace", "resiliation", clauses.TITRES["resiliation"], tuple(blocs)
    )


def _prolongation(doc: dict[str, Any], avenant: dict[str, Any], before: Etat) -> Amendement:
    numero, fin = avenant["numero"], avenant["nouvelle_fin"]
    if _duree_redigee(before):
        text = f"La convention est prolongée jusqu'au {date_longue(fin)}."
        return Amendement(numero, "complete", "duree", "", (p(text),))
    # The default wording, for the whole new period: nothing contradicts it.
    prolonged = dataclasses.replace(before, fin_initiale=fin, fin=fin)
    renvois = clauses.Renvois({}, {})
    blocs = articles_defaut.duree(doc, prolonged, renvois)
    return Amendement(
        numero, "remplace", "duree", clauses.TITRES["duree"], tuple(blocs), defaut=True
    )


def amendements(doc: dict[str, Any], avenant: dict[str, Any], before: Etat) -> list[Amendement]:
    """The changes avenant `avenant` makes to the convention as it stands in `before`."""
    numero = avenant["numero"]
    keys = clauses.numeros(before)
    epci_type = doc["territoire"]["epci"]["type"]
    result: list[Amendement] = []
    joining = [partie_commune(c) for c in avenant.get("communes_ajoutees", [])]
    if joining:
        # An article the avenant rewrites in its own words is not completed as well: its
        # new wording would replace the completion written just before it.
        financement = f"l'article {keys['financement']} de la convention"
        added = engagements(joining, epci_type, financement, tous=False)
        if not reecrit(avenant, "engagements"):
            result.append(
                Amendement(numero, "complete", "engagements", "", tuple(added), defaut=True)
            )
        if not _reserve_generale(before) and not reecrit(avenant, "financement"):
            reserve = (_reserve(doc, joining),)
            result.append(Amendement(numero, "complete", "financement", "", reserve, defaut=True))
        if "domicile" in keys and not reecrit(avenant, "domicile"):
            items = articles_defaut.domicile_items(doc, joining)
            result.append(Amendement(numero, "complete", "domicile", "", tuple(items), defaut=True))
        own = reecrit(avenant, "resiliation")
        if "resiliation" in keys and not own and _pour_deux(before):
            result.append(_resiliation(doc, numero, before, joining))
    if avenant.get("nouvelle_fin"):
        result.append(_prolongation(doc, avenant, before))
    for index, disposition in enumerate(avenant.get("dispositions", []), 1):
        blocs = tuple(texte_libre(disposition["texte"]))
        if disposition.get("remplace") in keys:
            result.append(
                Amendement(numero, "remplace", disposition["remplace"], disposition["titre"], blocs)
            )
        elif disposition.get("apres") in keys:
            cle = cle_ajout(disposition, numero, index)
            result.append(
                Amendement(numero, "insere", disposition["apres"], disposition["titre"], blocs, cle)
            )
    return result


def redaction(amendement: Amendement, before: Etat, after: Etat) -> list[Bloc]:
    """How the avenant writes one change: which article, what it does, the new words quoted."""
    numeros, titres = clauses.numeros(before), clauses.titres(before)
    target = clauses.renvoi(numeros, titres, amendement.cible)
    if amendement.operation == "complete":
        return [p(f"{majuscule(target)} est complété par les stipulations suivantes :")]
    if amendement.operation == "remplace":
        numero = numeros[amendement.cible]
        lead = f"{majuscule(target)} est remplacé par les stipulations suivantes :"
    else:
        numero = clauses.numeros(after)[amendement.cle]
        lead = f"Il est inséré après {target} un article {numero} ainsi rédigé :"
    heading = intertitre(f"Article {numero} – {amendement.titre}")
    return [p(lead), *citation([heading, *amendement.blocs])]


def citer(amendement: Amendement, before: Etat, after: Etat) -> list[Bloc]:
    """The lead sentence and the quoted new wording of one change."""
    blocs = redaction(amendement, before, after)
    if amendement.operation == "complete":
        blocs += citation(list(amendement.blocs))
    return blocs


def _adoptee_avant(fiche: dict[str, Any], numero: int) -> bool:
    adoption = fiche.get("adoption") or {}
    if "avenant" in adoption:
        return bool(adoption["avenant"] <= numero)
    return True  # adopted by a committee: in force in every later consolidation


def fiches_en_vigueur(doc: dict[str, Any], numero: int) -> list[dict[str, Any]]:
    """The fiches once avenants 1 to `numero` apply: later ones added, changes made.

    A fiche an avenant changed carries `_modifiee_par`, the numbers of those avenants.
    """
    fiches = [
        dict(f) for f in fiches_ordonnees(doc) if fiche_annexee(f) or _adoptee_avant(f, numero)
    ]
    by_code = {f["code"]: f for f in fiches}
    for avenant in doc.get("avenants", [])[:numero]:
        for change in avenant.get("fiches_modifiees", []):
            fiche = by_code.get(change["code"])
            if fiche is not None:
                fiche.update({k: v for k, v in change.items() if k != "code"})
                fiche["_modifiee_par"] = [*fiche.get("_modifiee_par", []), avenant["numero"]]
    return fiches


def avenants_en_vigueur(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The signed avenants, in order; an unsigned one and those after it are not in force."""
    result = []
    for avenant in doc.get("avenants", []):
        if avenant.get("signature") is None:
            break
        result.append(avenant)
    return result


def avenants_au(doc: dict[str, Any], day: dt.date) -> int:
    """How many avenants are in force on `day`: signed and in effect, in order."""
    count = 0
    for avenant in avenants_en_vigueur(doc):
        if max(avenant["date_effet"], avenant["signature"]["date"]) > day:
            break
        count += 1
    return count


def fiches_au(doc: dict[str, Any], day: dt.date) -> dict[str, dict[str, Any]]:
    """Each fiche by code as the avenants in force on `day` left it (signed and in effect)."""
    return {f["code"]: f for f in fiches_en_vigueur(doc, avenants_au(doc, day))}


def etat_apres(doc: dict[str, Any], numero: int) -> Etat:
    """The convention once avenants 1 to `numero` apply, each with its amendments."""
    etat = etat_initial(doc)
    for avenant in doc.get("avenants", [])[:numero]:
        etat.amendements = [*etat.amendements, *amendements(doc, avenant, etat)]
        etat.avenant = avenant["numero"]
        etat.parties = [*etat.parties, *map(partie_commune, avenant.get("communes_ajoutees", []))]
        etat.fin = avenant.get("nouvelle_fin") or etat.fin
    etat.fiches = fiches_en_vigueur(doc, numero)
    etat.perimetre = perimetre_apres(doc, numero)
    return etat
