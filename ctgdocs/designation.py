"""How the documents name a party: short name, gender, "Entre :" designation, signatures."""

from __future__ import annotations

from typing import Any

from .formatting import accord, commence_par_voyelle, date_longue, guillemets, liste, majuscule
from .formatting import possessif as possessif_de
from .referentiel import commune

# The short name (and its gender) of a party without `nom_court`, by party type.
NOMS_COURTS = {
    "caf": ("la Caf", "feminin"),
    "msa": ("la MSA", "feminin"),
    "departement": ("le Département", "masculin"),
    "commune": ("la Commune", "feminin"),
    "etat": ("l'État", "masculin"),
}
NOMS_COURTS_EPCI = {
    "CC": "la Communauté de communes",
    "CA": "la Communauté d'agglomération",
    "CU": "la Communauté urbaine",
    "METRO": "la Métropole",
}
# First words of an instance that take "de la": "délibération de la Commission permanente".
_INSTANCES_FEMININES = {
    "commission",
    "conférence",
    "délégation",
    "décision",
    "direction",
    "séance",
}
_ARTICLES = ("La ", "Le ", "Les ", "L'", "L’", "la ", "le ", "les ", "l'", "l’")


def nom_partie(partie: dict[str, Any]) -> str:
    """The party's full name: as written, or for a commune, "Commune de Rai" from the COG."""
    nom = partie.get("nom")
    if isinstance(nom, str) and nom:
        return nom
    insee = partie.get("insee")
    if not isinstance(insee, str):
        return ""
    official = commune(insee)
    return f"Commune {official.de_nom}" if official else f"Commune {insee}"


def nom_court_et_genre(partie: dict[str, Any], epci_type: str | None) -> tuple[str, str | None]:
    """How the text names a party ("la Caf") and that name's gender, or None if unknown.

    Without `nom_court`, the default of the party's type ("la commune de Rai" for
    a commune whose code is known); with it, `genre` or else its article ("la …",
    "le …"): "l'…" says nothing of the gender.
    """
    declared = partie.get("genre") if partie.get("genre") in ("feminin", "masculin") else None
    nom_court = partie.get("nom_court")
    type_ = partie.get("type")
    if isinstance(nom_court, str) and nom_court:
        lowered = nom_court.lower()
        article = "feminin" if lowered.startswith("la ") else None
        article = "masculin" if lowered.startswith("le ") else article
        return nom_court, declared or article
    if type_ == "epci":
        return NOMS_COURTS_EPCI.get(epci_type or "", "l'intercommunalité"), declared or "feminin"
    insee = partie.get("insee")
    official = commune(insee) if type_ == "commune" and isinstance(insee, str) else None
    if official is not None:
        return f"la commune {official.de_nom}", declared or "feminin"
    default, genre = NOMS_COURTS.get(type_, ("", None)) if isinstance(type_, str) else ("", None)
    return default, declared or genre


def avec_article(nom: str, feminin: bool) -> str:
    """ "la Caisse d'allocations…", "l'Association…"; a name with its own article stays."""
    if nom.startswith(_ARTICLES):
        return nom
    if commence_par_voyelle(nom):
        return f"l'{nom}"
    return f"{'la' if feminin else 'le'} {nom}"


def de_partie(nom: str, feminin: bool) -> str:
    """ "de la Caisse…", "du Département du Gard", "de l'Association…"."""
    named = avec_article(nom, feminin)
    for article, contracted in (("le ", "du "), ("les ", "des ")):
        if named.lower().startswith(article):
            return contracted + named[len(article) :]
    return f"de {named}"


def deliberation(habilitation: dict[str, Any], nom: str, feminin: bool) -> str:
    """ "la délibération n° 2018-061 du Conseil communautaire de la Communauté … du 7 juin 2018"."""
    numero = f" n°\u00a0{habilitation['numero']}" if habilitation.get("numero") else ""
    return (
        f"la délibération{numero} {de_instance(habilitation['instance'])} "
        f"{de_partie(nom, feminin)} du {date_longue(habilitation['date'])}"
    )


def de_instance(instance: str) -> str:
    """ "du Conseil communautaire", "de la Commission permanente", "de l'Assemblée générale"."""
    if commence_par_voyelle(instance):
        return f"de l'{instance}"
    if instance.split(" ", 1)[0].lower() in _INSTANCES_FEMININES:
        return f"de la {instance}"
    return f"du {instance}"


def _feminine(representant: dict[str, Any]) -> bool:
    return bool(representant["civilite"] == "Madame")


def representation(
    representants: list[dict[str, Any]], partie_feminin: bool, etat: bool = False
) -> str:
    """ "représentée par sa Directrice, Madame Sophie Garnier, et par son Président, …".

    The State is represented by its prefect, not its own officer: "l'État, représenté
    par la Préfète de l'Orne, Madame …".
    """

    def fonction(r: dict[str, Any]) -> str:
        if etat:
            titre = titre_signataire(r)  # "La Préfète des Landes"
            return titre[:1].lower() + titre[1:]
        return f"{possessif_de(r['qualite'], _feminine(r))} {r['qualite']}"

    each = [f"{fonction(r)}, {r['civilite']} {r['prenom']} {r['nom']}" for r in representants]
    return f"{accord(partie_feminin, 'représenté', 'représentée')} par " + ", et par ".join(each)


def autorisation(habilitation: dict[str, Any] | None, representants: list[dict[str, Any]]) -> str:
    """ "dûment autorisée par délibération du Conseil communautaire du 7 juin 2018", or ""."""
    if not habilitation:
        return ""
    plural = len(representants) > 1
    feminine = all(_feminine(r) for r in representants)
    participe = "autorisé" + ("e" if feminine else "") + ("s" if plural else "")
    numero = f" n°\u00a0{habilitation['numero']}" if habilitation.get("numero") else ""
    return (
        f"dûment {participe} par délibération{numero} {de_instance(habilitation['instance'])} "
        f"du {date_longue(habilitation['date'])}"
    )


def titre_signataire(representant: dict[str, Any]) -> str:
    """ "La Directrice", "Le Président", "L'Adjointe au Maire"."""
    qualite = str(representant["qualite"])
    if commence_par_voyelle(qualite):
        return f"L'{qualite}"
    return f"{'La' if _feminine(representant) else 'Le'} {qualite}"


def signataire(partie: dict[str, Any], epci_type: str | None) -> dict[str, Any]:
    """Everything the documents say about one signatory party."""
    nom = nom_partie(partie)
    nom_court, genre = nom_court_et_genre(partie, epci_type)
    feminin = genre == "feminin"
    representants = list(partie["representants"])
    parts = [majuscule(avec_article(nom, feminin))]
    if partie.get("adresse"):
        parts.append(f"dont le siège est situé {partie['adresse']}")
    parts.append(representation(representants, feminin, etat=partie.get("type") == "etat"))
    habilitation = autorisation(partie.get("habilitation"), representants)
    if habilitation:
        parts.append(habilitation)
    parts.append(f"ci-après {accord(feminin, 'dénommé', 'dénommée')} {guillemets(nom_court)}")
    pour = f"Pour {avec_article(nom, feminin)},"
    habilitation_data = partie.get("habilitation")
    return {
        "nom": nom,
        "nom_court": nom_court,
        "nom_court_majuscule": majuscule(nom_court),
        "feminin": feminin,
        "pronom": "elle" if feminin else "il",
        "pronom_objet": "la" if feminin else "le",
        "type": partie.get("type", "commune"),
        "designation": ", ".join(parts),
        "representants": liste([f"{r['prenom']} {r['nom']}" for r in representants]),
        "deliberation": deliberation(habilitation_data, nom, feminin) if habilitation_data else "",
        "signatures": [
            {"pour": pour, "titre": f"{titre_signataire(r)},", "nom": f"{r['prenom']} {r['nom']}"}
            for r in representants
        ],
    }
