"""One avenant per document: the parties after it, visas, its articles and signature blocks."""

from __future__ import annotations

from typing import Any

from ..context import common, communes_table, depuis, fait_a, periode, signatures, texte
from ..designation import nom_partie, signataire
from ..formatting import date_longue, liste, minuscule
from ..perimetre import perimetre_apres
from .base import Document, DocumentKind, sujet


def _signataires(doc: dict[str, Any], numero: int) -> list[dict[str, Any]]:
    """The parties once avenants 1 to `numero` apply, with this avenant's deliberations."""
    epci_type = doc["territoire"]["epci"]["type"]
    avenant = doc["avenants"][numero - 1]
    # Earlier signatories sign this avenant on a new deliberation, when one is given
    # (`partie`: a party's id, or the INSEE code of a commune that joined earlier).
    habilitations = {h["partie"]: h for h in avenant.get("habilitations", [])}
    parties = [
        signataire({**p, "habilitation": habilitations.get(p["id"])}, epci_type)
        for p in doc["parties"]
    ]
    for earlier in doc["avenants"][:numero]:
        for commune in earlier.get("communes_ajoutees", []):
            party = {"type": "commune", **commune}
            if earlier["numero"] != numero:
                # Its deliberation authorised an earlier avenant, not this one.
                party["habilitation"] = habilitations.get(commune["insee"])
            parties.append(signataire(party, epci_type))
    return parties


def _communes_signataires(doc: dict[str, Any], numero: int) -> list[dict[str, str]]:
    """Signatory communes once avenants 1 to `numero` apply, with when each joined."""
    rows = [
        {"nom": nom_partie(p), "insee": p["insee"], "depuis": depuis(None)}
        for p in doc["parties"]
        if p["type"] == "commune"
    ]
    for earlier in doc["avenants"][:numero]:
        for commune in earlier.get("communes_ajoutees", []):
            rows.append(
                {
                    "nom": nom_partie(commune),
                    "insee": commune["insee"],
                    "depuis": depuis(earlier["numero"], numero),
                }
            )
    return rows


def _visas(
    doc: dict[str, Any], ctg: dict[str, Any], numero: int, parties: list[dict[str, Any]]
) -> list[str]:
    convention = doc["convention"]
    span = convention["periode"]
    visas = [
        f"{ctg['a_la_convention'].removeprefix('à ')} conclue pour la période "
        f"{periode(span['debut'], span['fin'])} et signée le "
        f"{date_longue(convention['signature']['date'])}"
    ]
    for earlier in doc["avenants"][: numero - 1]:
        signed = earlier.get("signature")
        when = f"signé le {date_longue(signed['date'])}" if signed else "non encore signé"
        visas.append(f"l'avenant n° {earlier['numero']} à cette convention, {when}")
    visas += [p["deliberation"] for p in parties if p["deliberation"]]
    return visas


def context(doc: dict[str, Any], avenant: dict[str, Any]) -> dict[str, Any]:
    numero = avenant["numero"]
    epci_type = doc["territoire"]["epci"]["type"]
    parties = _signataires(doc, numero)
    joining = [
        signataire({"type": "commune", **c}, epci_type)
        for c in avenant.get("communes_ajoutees", [])
    ]
    perimetre = perimetre_apres(doc, numero)
    fin = doc["convention"]["periode"]["fin"]
    for earlier in doc["avenants"][:numero]:
        fin = earlier.get("nouvelle_fin") or fin
    prolongation = avenant.get("nouvelle_fin")
    ctg = common(doc)
    return {
        "ctg": ctg,
        "projet": avenant.get("signature") is None,
        "parties": parties,
        "premiere_partie": parties[0],
        "autres_parties": parties[1:],
        "visas": _visas(doc, ctg, numero, parties),
        "avenant": {
            "numero": numero,
            "objet": minuscule(avenant["objet"]).rstrip(" ."),
            "date_effet": date_longue(avenant["date_effet"]),
            "expose": texte(avenant["expose"]),
            "nouveaux": liste([p["nom_court"] for p in joining]),
            "nouveaux_pluriel": len(joining) > 1,
            "communes_signataires": _communes_signataires(doc, numero),
            "perimetre": communes_table(perimetre, numero),
            "perimetre_modifie": any(c.avenant == numero for c in perimetre),
            "nombre_communes": len(perimetre),
            "prolongation": date_longue(prolongation) if prolongation else "",
            "nouvelle_periode": periode(doc["convention"]["periode"]["debut"], fin),
            "dispositions": [
                {"titre": d["titre"], "texte": texte(d["texte"])}
                for d in avenant.get("dispositions", [])
            ],
        },
        "fait_a": fait_a(avenant.get("signature"), avenant.get("exemplaires") or len(parties)),
        "signatures": signatures(parties),
    }


def documents(doc: dict[str, Any]) -> list[Document]:
    result = []
    for avenant in doc.get("avenants", []):
        ctx = context(doc, avenant)
        signature = avenant.get("signature")
        result.append(
            KIND.document(
                f"avenant-{avenant['numero']}.docx",
                context=ctx,
                title=f"Avenant n° {avenant['numero']} {ctx['ctg']['a_la_convention']}",
                subject=sujet(doc),
                date=signature["date"] if signature else avenant["date_effet"],
            )
        )
    return result


KIND = DocumentKind("avenants", "avenant.docx", "avenants", "avenant-<n>.docx", documents)
