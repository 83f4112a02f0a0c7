"""How the documents name a party: short name, gender, "Entre :" designation, signatures."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from .collectivites import PREMIERS_MOTS
from .contextes import Signataire
from .formatting import (
    accord,
    adresse,
    commence_par_voyelle,
    date_longue,
    guillemets,
    majuscule,
    normaliser_nom,
)
from .formatting import possessif as possessif_de
from .referentiel import commune, departement, departement_of, mots

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
# Parties whose signature a deliberation must authorise (commune, EPCI, département).
HABILITATION_REQUISE = ("commune", "epci", "departement")
# First words of an instance or a body that take "de la": "délibération de la Commission
# permanente", "la cellule de veille".
INSTANCES_FEMININES = frozenset(
    (
        "assemblée",
        "cellule",
        "commission",
        "conférence",
        "délégation",
        "décision",
        "direction",
        "instance",
        "réunion",
        "séance",
    )
)
# Capitalised, they begin a sentence or a name (« Le Mans »).
ARTICLES_MAJUSCULES = ("La ", "Le ", "Les ", "L'", "L’")
_ARTICLES = (*ARTICLES_MAJUSCULES, "la ", "le ", "les ", "l'", "l’")


_CAISSE = "Caisse d'allocations familiales "


def nom_court_caf(nom: str) -> str | None:
    """ "la Caf de Vaucluse" for the « Caisse d'allocations familiales de Vaucluse »: the
    short name says what the full one does (None for a name that is not a Caf's)."""
    return f"la Caf {nom[len(_CAISSE) :]}" if nom.startswith(_CAISSE) else None


def cle_designation(text: str) -> str:
    """A designation as the acts' readers compare it: « la Commune d’Aube » is « la commune
    d'Aube »."""
    return text.replace("’", "'").casefold()


def avec_departement(nom: str, insee: str) -> str:
    """ "Saint-Pierre-d'Entremont (Savoie)": a commune's name with its département's, which
    tells it from its homonyms."""
    found = departement(departement_of(insee))
    return f"{nom} ({found.nom})" if found else nom


# Communes the law names otherwise than « Commune de … »: Paris is the Ville de Paris, a
# collectivité à statut particulier whose assembly is the Conseil de Paris (CGCT,
# art. L. 2512-1 and L. 2512-2); « la Commune de Paris » names no party that can sign, and
# a « conseil municipal » of Paris does not deliberate.
COMMUNES_A_STATUT = {"75056": ("Ville de Paris", "Conseil de Paris")}


def nom_de_commune(insee: str, de_nom: str) -> str:
    """ "Commune de Rai", "Ville de Paris": how an act names a commune that signs."""
    statut = COMMUNES_A_STATUT.get(insee)
    return statut[0] if statut else f"Commune {de_nom}"


def assemblee_communale(insee: str | None) -> str:
    """The assembly that deliberates for a commune: "Conseil municipal", "Conseil de Paris"."""
    statut = COMMUNES_A_STATUT.get(insee or "")
    return statut[1] if statut else "Conseil municipal"


def nom_partie(partie: dict[str, Any]) -> str:
    """The party's full name: as written, or for a commune, "Commune de Rai" from the COG.

    A commune's `nom` that is only the place's own name (« Apatou », « Sainte-Luce ») names
    the place, not the party: the act says « la Commune d'Apatou », never « l'Apatou ».
    """
    nom = partie.get("nom")
    insee = partie.get("insee")
    official = commune(insee) if isinstance(insee, str) else None
    lieu = (
        official is not None
        and partie.get("type", "commune") == "commune"
        and isinstance(nom, str)
        and normaliser_nom(nom) == normaliser_nom(official.nom)
    )
    if isinstance(nom, str) and nom and not lieu:
        return nom
    if not isinstance(insee, str):
        return ""
    return nom_de_commune(insee, official.de_nom) if official else f"Commune {insee}"


def est_une_caisse_de_securite_sociale(partie: dict[str, Any]) -> bool:
    """Whether the "caf" party is a Caisse de sécurité sociale (Mayotte's), not a Caf."""
    return "sécurité sociale" in str(partie.get("nom", "")).lower()


def nom_court_et_genre(partie: dict[str, Any], epci_type: str | None) -> tuple[str, str | None]:
    """How the text names a party ("la Caf") and that name's gender, or None if unknown.

    Without `nom_court`, the default of the party's type ("la Commune de Rai" for
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
    if type_ == "caf" and est_une_caisse_de_securite_sociale(partie):
        # Mayotte's Caisse de sécurité sociale acts as its Caf: it is not « la Caf ».
        return "la Caisse", declared or "feminin"
    insee = partie.get("insee")
    official = commune(insee) if type_ == "commune" and isinstance(insee, str) else None
    if official is not None:
        return f"la {nom_de_commune(official.code, official.de_nom)}", declared or "feminin"
    nom = partie.get("nom")
    if type_ == "departement" and isinstance(nom, str):
        # Where a collectivity holds the département's powers (collectivites.SUCCESSIONS:
        # Collectivité de Corse, Ville de Paris, Métropole de Lyon…) the act names it, not
        # a « Département ».
        first = nom.split(" ", 1)[0].lower()
        if first in PREMIERS_MOTS:
            return f"la {first.capitalize()}", declared or "feminin"
    default, genre = NOMS_COURTS.get(type_, ("", None)) if isinstance(type_, str) else ("", None)
    return default, declared or genre


# The first word of a party's full name says its gender, whatever its short name's:
# « La Communauté d'agglomération du Grand Annecy, … ci-après dénommée « le Grand Annecy » ».
_NOMS_FEMININS = {
    "agence",
    "association",
    "caisse",
    "chambre",
    "collectivité",
    "commune",
    "communauté",
    "fédération",
    "maison",
    "métropole",
    "mission",
    "mutualité",
    "préfecture",
    "région",
    "société",
    "union",
    "université",
    "ville",
}
_NOMS_MASCULINS = {
    "centre", "comité", "conseil", "département", "établissement", "état", "groupement",
    "office", "pays", "pôle", "service", "syndicat",
}  # fmt: skip


def genre_du_nom(partie: dict[str, Any], epci_type: str | None) -> str | None:
    """The gender of the party's full name (« la Communauté… » is feminine even when its
    short name is « le Grand Annecy »): its article or first word, else the short name's."""
    full = nom_partie(partie)
    if nom_sans_article(full):
        return "feminin"  # « Le Mans Métropole, … représentée » : its kind is the noun
    nom = full.lower()
    if nom.startswith(("la ", "le ")):
        return "feminin" if nom.startswith("la ") else "masculin"
    first = nom.split(" ", 1)[0].removeprefix("l'").removeprefix("l’")
    if first in _NOMS_FEMININS:
        return "feminin"
    if first in _NOMS_MASCULINS:
        return "masculin"
    return nom_court_et_genre(partie, epci_type)[1]


# The words that end a name made of a place and its kind: « Quimperlé Communauté »,
# « Rennes Métropole », « Lorient Agglomération », « Grand Poitiers Communauté urbaine ».
# All feminine.
_GENRES_EN_FIN = ("communauté", "communauté urbaine", "agglomération", "agglo", "métropole")


def nom_sans_article(nom: str) -> bool:
    """Whether a party's name is a place followed by its kind, which takes no article
    (« Quimperlé Communauté s'engage », « Pour Rennes Métropole »), a place's own article
    being part of it (« de Le Mans Métropole »)."""
    place = nom
    for article in ARTICLES_MAJUSCULES:  # the place's own (Le Mans, L'Isle-Adam)
        place = place.removeprefix(article)
    words = place.split()
    if len(words) < 2 or not words[0][:1].isupper():
        return False
    first = words[0].lower()
    if first in _NOMS_FEMININS or first in _NOMS_MASCULINS:
        return False  # « Communauté d'agglomération … », « Pays de … Agglomération »
    ending = " ".join(words[-2:]).lower()
    return words[-1].lower() in _GENRES_EN_FIN or ending in _GENRES_EN_FIN


# Acronyms of bodies, which take an article in French (« la Caf », « la MSA », « le CCAS »)
# even when a file writes a short name without it.
_SIGLES = {"caf", "ccas", "cgss", "cias", "cpam", "msa", "udaf"}


def nom_propre(partie: dict[str, Any]) -> bool:
    """Whether the party's name is a proper name, which takes no article: its `nom_court`, as
    written, has none (« France Travail », « Familles Rurales ») and its full name begins with
    it (« Familles Rurales du Havre, représentée… », « de Familles Rurales du Havre »).

    A name that begins with a common noun (« Caisse », « Centre ») or an acronym (« MSA »,
    « Caf ») is not one: « la MSA Haute-Normandie » whatever its short name.
    """
    nom_court = partie.get("nom_court")
    if not isinstance(nom_court, str) or not nom_court or nom_court.startswith(_ARTICLES):
        return False
    first = nom_court.split(" ", 1)[0]
    common = first.lower() in _NOMS_FEMININS | _NOMS_MASCULINS | _SIGLES
    if common or (len(first) > 1 and first.isupper()):
        return False
    return f"{normaliser_nom(nom_partie(partie))} ".startswith(f"{normaliser_nom(nom_court)} ")


def avec_article(nom: str, feminin: bool, propre: bool = False) -> str:
    """ "la Caisse d'allocations…", "l'Association…"; a name with its own article stays,
    and so does a place followed by its kind (« Quimperlé Communauté ») or a `propre` name
    (`nom_propre`: « France Travail »)."""
    if propre or nom.startswith(_ARTICLES) or nom_sans_article(nom):
        return nom
    if commence_par_voyelle(nom):
        return f"l'{nom}"
    return f"{'la' if feminin else 'le'} {nom}"


def de_partie(nom: str, feminin: bool, propre: bool = False) -> str:
    """ "de la Caisse…", "du Département du Gard", "de l'Association…", "de Le Mans
    Métropole" (the city's article is part of the name, as the EPCI writes it), "d'Orléans
    Métropole", "de France Travail" (`propre`)."""
    if propre or (nom_sans_article(nom) and not nom.startswith("Les ")):
        return f"d'{nom}" if commence_par_voyelle(nom) else f"de {nom}"
    named = avec_article(nom, feminin)
    for article, contracted in (("le ", "du "), ("les ", "des ")):
        if named.lower().startswith(article):
            return contracted + named[len(article) :]
    return f"de {named}"


def numero_d_acte(acte: dict[str, Any]) -> str:
    """ " n° 2024‑ARR‑078": an act's number never breaks at its hyphens ("" without one)."""
    numero = acte.get("numero")
    return " n°\u00a0" + str(numero).replace("-", "\u2011") if numero else ""


def deliberation(
    habilitation: dict[str, Any], nom: str, feminin: bool, propre: bool = False
) -> str:
    """ "la délibération n° 2018-061 du Conseil communautaire de la Communauté … du 7 juin 2018"."""
    numero = numero_d_acte(habilitation)
    instance = _instance_de(habilitation["instance"], nom, feminin, propre)
    return f"la délibération{numero} {instance} du {date_longue(habilitation['date'])}"


# Where an instance may name whose body it is: « Conseil de la Métropole », « Conseil
# exécutif de Martinique », « Commission permanente du Conseil de la Collectivité … ».
_OF_WHOM = re.compile(r" (?:du|de la|de l'|de l’|des|de|d'|d’)(?: |(?<=['’]))")


# Words that say what kind of party a body belongs to, never which one (as `mots` spells
# them: lowercase, without accents).
_KINDS = frozenset(
    [
        "communaute",
        "communautes",
        "agglomeration",
        "metropole",
        "territoire",
        "territoires",
        "urbaine",
        "commune",
        "communes",
        "ville",
        "departement",
        "collectivite",
        "de",
        "du",
        "des",
        "la",
        "le",
        "les",
        "l",
        "d",
        "et",
    ]
)


def _contains(words: tuple[str, ...], part: tuple[str, ...]) -> bool:
    return any(words[i : i + len(part)] == part for i in range(len(words) - len(part) + 1))


def _instance_de(instance: str, nom: str, feminin: bool, propre: bool = False) -> str:
    """ "du Conseil communautaire de la Communauté …", the party named once.

    An instance that names the party's kind (« Conseil de la Métropole ») takes its name in
    place of the kind: « du Conseil de la Métropole de Lyon », never « … de la Métropole de
    la Métropole de Lyon ». An instance that already names the party (« Conseil exécutif de
    Martinique » of the Collectivité territoriale de Martinique, « Commission permanente du
    Conseil de la Collectivité européenne d'Alsace ») is not followed by its name again.
    """
    return _named_once(instance, nom, de_partie(nom, feminin, propre), de_instance)


def _named_once(text: str, nom: str, de_nom: str, de_text: Callable[[str], str]) -> str:
    """`de_text(text)` then `de_nom` (« de la Commune de Bron »), the party `nom` named once.

    Where `text` names the party's kind (« Conseil de la Métropole », « Président de la
    Métropole »), the party's name takes the kind's place; where it names the party already
    (« Maire de Bron », « Conseil d'administration de la Caf du Gard »), it is not repeated.
    """
    words = mots(nom)
    for found in _OF_WHOM.finditer(text):
        for complement in _developpes(text[found.end() :]):
            if f"{normaliser_nom(nom)} ".startswith(f"{normaliser_nom(complement)} "):
                return f"{de_text(text[: found.start()])} {de_nom}"
            part = mots(complement)
            # A kind alone (« Conseil de communauté » of Quimperlé Communauté) names no party.
            named = any(word not in _KINDS for word in part) and _contains(words, part)
            if part and (named or _contains(part, words)):
                return de_text(text)
    return f"{de_text(text)} {de_nom}"


# The acronyms an instance may name its party's kind by: « Conseil d'administration de la
# Caf » of the Caisse d'allocations familiales du Gard.
_DEVELOPPES = {
    "caf": "Caisse d'allocations familiales",
    "msa": "Mutualité sociale agricole",
    "cc": "Communauté de communes",
    "ca": "Communauté d'agglomération",
    "cu": "Communauté urbaine",
}


def _developpes(complement: str) -> list[str]:
    """The complement as written, and with its leading acronym spelt out."""
    first, _, rest = complement.partition(" ")
    full = _DEVELOPPES.get(first.lower())
    return [complement, f"{full} {rest}".strip()] if full else [complement]


def de_instance(instance: str) -> str:
    """ "du Conseil communautaire", "de la Commission permanente", "de l'Assemblée générale"."""
    if commence_par_voyelle(instance):
        return f"de l'{instance}"
    if instance.split(" ", 1)[0].lower() in INSTANCES_FEMININES:
        return f"de la {instance}"
    return f"du {instance}"


def _feminine(representant: dict[str, Any]) -> bool:
    return bool(representant["civilite"] == "Madame")


# "Président du Conseil d'administration": an organ of the party itself takes the
# possessive ("le Président de son Conseil d'administration"); another complement keeps
# its article ("la Présidente du Conseil départemental").
# « de l'Assemblée de Guyane » elides: no space after its apostrophe. A place's name is a
# complement too (« la Maire de Paris », « le Maire d'Apatou »), never « sa Maire de Paris ».
_COMPLEMENT = re.compile(
    r"^(?P<titre>.+?) (?P<prep>du |de la |de l'|de l’|des |(?:de |d['’])(?=[A-ZÀ-ÖØ-Þ]))"
    r"(?P<organe>.+)$"
)
_ORGANES_PROPRES = (
    "conseil d'administration",
    "conseil d’administration",
    "conseil de surveillance",
    "bureau",
    "comité directeur",
    "assemblée générale",
)
_POSSESSIFS = {"du ": "son", "de la ": "sa", "de l'": "son", "de l’": "son", "des ": "ses"}
# Functions that sign by delegation of the head of the party. An acting director
# (« Directrice par intérim ») holds the office itself: no delegation unless the file gives one.
_DELEGUE = re.compile(r"\b(adjointe?|vice-présidente?|déléguée?)\b", re.IGNORECASE)
_ACTES = {"arrete": "l'arrêté", "decision": "la décision", "deliberation": "la délibération"}
_FEMININ_SUFFIXES = ("trice", "ente", "ère", "ète", "esse", "euse", "ointe", "ée", "effe")
# The endings of a feminine adjective after an épicène noun: « Secrétaire générale ».
_ADJECTIFS_FEMININS = ("ale", "ée", "ointe", "ière", "ive", "elle")


def _fonction_feminine(fonction: str) -> bool:
    """Whether a function written without article is feminine: « Préfète », « Présidente »,
    and an épicène noun with a feminine adjective, « Secrétaire générale », « Maire adjointe »."""
    words = fonction.lower().split()
    if not words:
        return False
    if words[0].endswith(_FEMININ_SUFFIXES):
        return True
    return len(words) > 1 and words[0].endswith("e") and words[1].endswith(_ADJECTIFS_FEMININS)


BLANC = "\u2026" * 9
# Characters: « la Commune d'Aube » holds on one line; « la Commune d'Arzano », joined, left the
# justified line before it full of gaps (jurist review).
_DESIGNATION_INSECABLE = 18


def fonction(representant: dict[str, Any]) -> str:
    """ "sa Directrice", "le Président de son Conseil d'administration", "la Présidente du …"."""
    qualite = str(representant["qualite"])
    match = _COMPLEMENT.match(qualite)
    if match is None:
        return f"{possessif_de(qualite, _feminine(representant))} {qualite}"
    titre = titre_signataire({**representant, "qualite": match["titre"]})
    article = titre[:1].lower() + titre[1:]
    if match["prep"] in _POSSESSIFS and match["organe"].lower().startswith(_ORGANES_PROPRES):
        return f"{article} de {_POSSESSIFS[match['prep']]} {match['organe']}"
    full = titre_signataire(representant)
    return full[:1].lower() + full[1:]


def _de_fonction(text: str) -> str:
    """ "du Maire", "de la Présidente", "de l'Adjointe": after "par délégation"."""
    lowered = text.lower()
    if lowered.startswith(("le ", "la ", "l'", "l’", "les ")):
        return de_partie(text[:1].lower() + text[1:], feminin=lowered.startswith("la "))
    if not commence_par_voyelle(text) and _fonction_feminine(text):
        return f"de la {text}"
    return de_instance(text)


def signe_par_delegation(representant: dict[str, Any]) -> bool:
    """True for a deputy ("Adjointe au Maire", "Vice-président"), not an acting head."""
    return bool(_DELEGUE.search(str(representant.get("qualite", ""))))


def _delegant(representant: dict[str, Any], type_partie: str | None) -> str | None:
    """Who a deputy signs for: the file's `delegation.de`, or the Maire for a commune."""
    data = representant.get("delegation")
    if data:
        return str(data["de"])
    if signe_par_delegation(representant) and type_partie == "commune":
        return "Maire"
    return None


def delegation(representant: dict[str, Any], type_partie: str | None, signe: bool = False) -> str:
    """ ", agissant par délégation du Maire en vertu de l'arrêté n° 12 du 3 juillet 2020".

    A deputy whose delegation the file does not give gets visible blanks to fill in in a
    projet; a signed act states the delegation without citing it (validation warns).
    """
    data = representant.get("delegation")
    if not data and not signe_par_delegation(representant):
        return ""
    default = "arrete" if type_partie in ("commune", "epci", "departement") else "decision"
    acte = _ACTES[(data or {}).get("acte") or default]
    de = _delegant(representant, type_partie)
    par = f"par délégation {_de_fonction(de)}" if de else "par délégation"
    if not data and signe:
        return f", agissant {par}"
    if not data:
        return f", agissant {par} en vertu de {acte} n°\u00a0{BLANC} du {BLANC}"
    numero = numero_d_acte(data)
    return f", agissant {par} en vertu de {acte}{numero} du {date_longue(data['date'])}"


def visa_delegation(
    representant: dict[str, Any], type_partie: str | None, signe: bool = False, de_qui: str = ""
) -> str:
    """ "l'arrêté n° 12 du 3 juillet 2020 portant délégation à Madame …", for the visas."""
    data = representant.get("delegation")
    if not data and (signe or not signe_par_delegation(representant)):
        return ""
    default = "arrete" if type_partie in ("commune", "epci", "departement") else "decision"
    acte = _ACTES[(data or {}).get("acte") or default]
    qui = f"{representant['civilite']} {representant['prenom']} {representant['nom']}"
    # The act names its author: "l'arrêté du Maire n° 12 du 3 juillet 2020 portant …".
    de = _delegant(representant, type_partie)
    if type_partie == "etat":
        # A prefect acts for the State by office: « l'arrêté de la Préfète de la Manche »,
        # never « … de la Préfète de l'État ».
        de_qui = ""
    if de and _CONSEIL_DEPARTEMENTAL.search(de):
        # The council names the Département: « du Président du Conseil départemental de
        # Maine-et-Loire », not « … du Conseil départemental du Département de Maine-et-Loire ».
        de_qui = _DU_DEPARTEMENT.sub("", de_qui)
    # Among several communes, whose Maire: « l'arrêté du Maire de la Commune de Bron ».
    acte = f"{acte} {_auteur(de, de_qui)}" if de else acte
    if not data:
        return f"{acte} n°\u00a0{BLANC} du {BLANC} portant délégation à {qui}"
    numero = numero_d_acte(data)
    return f"{acte}{numero} du {date_longue(data['date'])} portant délégation à {qui}"


# The preposition and article de_partie puts before a party's name.
_DE_PARTIE = re.compile(r"^(?:de la |de l'|de l’|du |des |de |d'|d’)")


def _auteur(de: str, de_qui: str) -> str:
    """ "du Maire de la Commune de Bron": who made the act, the party named once
    (`_named_once`: « du Maire de Bron », « du Président de la Métropole de Lyon »)."""
    if not de_qui:
        return _de_fonction(de)
    return _named_once(de, _DE_PARTIE.sub("", de_qui), de_qui, _de_fonction)


_CONSEIL_DEPARTEMENTAL = re.compile(r"\bconseil départemental\b", re.IGNORECASE)
# « du Département » before the complement that names it (« de Maine-et-Loire », « du Gard »).
_DU_DEPARTEMENT = re.compile(r"^du Département (?=(?:de|du|des|d'|d’)\b)")


def par_delegation(representant: dict[str, Any], type_partie: str | None) -> str:
    """The mention above a deputy's signature: "Pour le Maire et par délégation, "."""
    if not representant.get("delegation") and not signe_par_delegation(representant):
        return ""
    de = _delegant(representant, type_partie)
    if de is None:
        return "Par délégation, "
    lowered = de.lower()
    if lowered.startswith(("le ", "la ", "l'", "l’")):
        named = de
    else:  # « Présidente », « Maire », « Adjointe »: the article of the function's gender
        # A function always takes one, even one ending on a party's kind (« Président de
        # la Métropole »), which avec_article would take for a place's name.
        feminin = _fonction_feminine(de)
        named = f"l'{de}" if commence_par_voyelle(de) else f"{'la' if feminin else 'le'} {de}"
    return f"Pour {named[:1].lower()}{named[1:]} et par délégation, "


def representation(
    representants: list[dict[str, Any]],
    partie_feminin: bool,
    type_partie: str | None = None,
    signe: bool = False,
) -> str:
    """ "représentée par sa Directrice, Madame Sophie Garnier, et par son Président, …".

    A deputy is "Madame Lise Roux, Première adjointe au Maire, agissant par délégation …".
    The State is represented by its prefect, not its own officer: "l'État, représenté
    par la Préfète de l'Orne, Madame …".
    """

    def qui(r: dict[str, Any]) -> str:
        nom = f"{r['civilite']} {r['prenom']} {r['nom']}"
        par_delegation = delegation(r, type_partie, signe)
        if par_delegation:
            # A deputy is named first, then the office they hold and whose authority
            # they act on: "Madame Lise Roux, Première adjointe au Maire, agissant …".
            return f"{nom}, {r['qualite']}{par_delegation}"
        if type_partie == "etat":
            titre = titre_signataire(r)  # "La Préfète des Landes"
            role = titre[:1].lower() + titre[1:]
        else:
            role = fonction(r)
        return f"{role}, {nom}"

    each = [qui(r) for r in representants]
    return f"{accord(partie_feminin, 'représenté', 'représentée')} par " + ", et par ".join(each)


def _participe(representants: list[dict[str, Any]], verbe: str = "autorisé") -> str:
    plural = len(representants) > 1
    feminine = all(_feminine(r) for r in representants)
    return verbe + ("e" if feminine else "") + ("s" if plural else "")


def autorise_les_avenants(habilitation: Any) -> bool:
    """True for a deliberation that also authorises signing the convention's avenants."""
    return isinstance(habilitation, dict) and habilitation.get("avenants") == "oui"


# The body that authorises a party's signature, when the file does not say which.
INSTANCES_PAR_DEFAUT = {
    "caf": "Conseil d'administration",
    "msa": "Conseil d'administration",
    "commune": "Conseil municipal",
    "epci": "Conseil communautaire",
}


def instance_a_completer(
    type_partie: str | None,
    epci_type: str | None = None,
    usuelle: str | None = None,
    insee: str | None = None,
) -> str:
    """ "du Conseil municipal", or a blank where the deliberating body is not certain.

    `usuelle` is the body that authorised the party's earlier signature (an avenant's
    blank names the Commission permanente that authorised the convention); a métropole
    deliberates in its Conseil métropolitain.
    """
    instance = _instance_probable(type_partie, epci_type, usuelle, insee)
    return de_instance(instance) if instance else f"du {BLANC}"


def _instance_probable(
    type_partie: str | None, epci_type: str | None, usuelle: str | None, insee: str | None
) -> str | None:
    if usuelle is None and type_partie == "epci" and epci_type == "METRO":
        return "Conseil métropolitain"
    if usuelle is None and type_partie == "commune":
        return assemblee_communale(insee)
    return usuelle or INSTANCES_PAR_DEFAUT.get(type_partie or "")


def autorisation(
    habilitation: dict[str, Any] | None,
    representants: list[dict[str, Any]],
    type_partie: str | None = None,
    signe: bool = False,
    a_completer: str | None = None,
) -> str:
    """ "dûment autorisée par délibération du Conseil communautaire du 7 juin 2018".

    `a_completer` names the deliberating body of a blank (`instance_a_completer`).

    Without a deliberation: in a projet, visible blanks to fill in by hand; in a signed
    act, which cannot carry blanks, the authority asserted without its act (validation
    warns). The State signs on its own authority.
    """
    participe = _participe(representants)
    if not habilitation:
        if type_partie == "etat":
            return ""
        if signe:
            return f"dûment {_participe(representants, 'habilité')} à l'effet des présentes"
        body = a_completer or instance_a_completer(type_partie)
        return f"dûment {participe} par délibération {body} du {BLANC}"
    numero = numero_d_acte(habilitation)
    text = (
        f"dûment {participe} par délibération{numero} {de_instance(habilitation['instance'])} "
        f"du {date_longue(habilitation['date'])}"
    )
    if autorise_les_avenants(habilitation):
        text += ", qui autorise aussi la signature des avenants à la convention"
    return text


def _titre_apres(mention: str, representant: dict[str, Any]) -> str:
    """The signatory's title, lowered after a delegation mention ("…, l'Adjointe au Maire")."""
    titre = titre_signataire(representant)
    return titre[:1].lower() + titre[1:] if mention else titre


def titre_signataire(representant: dict[str, Any]) -> str:
    """ "La Directrice", "Le Président", "L'Adjointe au Maire"."""
    qualite = str(representant["qualite"])
    if commence_par_voyelle(qualite):
        return f"L'{qualite}"
    return f"{'La' if _feminine(representant) else 'Le'} {qualite}"


def signataire(
    partie: dict[str, Any],
    epci_type: str | None,
    signe: bool = False,
    instance_usuelle: str | None = None,
) -> Signataire:
    """Everything the documents say about one signatory party in an act (`signe` if signed).

    `partie["habilitation"]` is the deliberation authorising this act; without one, a
    projet shows visible blanks to fill in by hand, never silence, and a signed act
    asserts the authority without citing it (validation warns in both cases).
    """
    nom = nom_partie(partie)
    nom_court = nom_court_et_genre(partie, epci_type)[0]
    # The designation agrees with the full name: « La Communauté …, représentée …, ci-après
    # dénommée « le Grand Annecy » ».
    feminin = genre_du_nom(partie, epci_type) == "feminin"
    type_ = partie.get("type", "commune")
    representants = list(partie["representants"])
    propre = nom_propre(partie)
    parts = [majuscule(avec_article(nom, feminin, propre))]
    if partie.get("adresse"):
        parts.append(f"dont le siège est situé {adresse(partie['adresse'])}")
    parts.append(representation(representants, feminin, type_, signe))
    habilitation_data = partie.get("habilitation")
    insee = partie.get("insee") if isinstance(partie.get("insee"), str) else None
    body = instance_a_completer(type_, epci_type, instance_usuelle, insee)
    habilitation = autorisation(habilitation_data, representants, type_, signe, body)
    if habilitation:
        parts.append(habilitation)
    # "ci‑après" with a non-breaking hyphen: a line never ends on "ci-".
    # A short designation stays whole on its line: never « la / Collectivité ».
    dit = (
        nom_court.replace(" ", "\u00a0") if len(nom_court) <= _DESIGNATION_INSECABLE else nom_court
    )
    parts.append(f"ci\u2011après {accord(feminin, 'dénommé', 'dénommée')} {guillemets(dit)}")
    pour = f"Pour {avec_article(nom, feminin, propre)},"
    if habilitation_data:
        visa = deliberation(habilitation_data, nom, feminin, propre)
    elif type_ != "etat" and not signe:
        instance = _instance_probable(type_, epci_type, instance_usuelle, insee)
        de_qui = (
            _instance_de(instance, nom, feminin, propre)
            if instance
            else f"{body} {de_partie(nom, feminin, propre)}"
        )
        visa = f"la délibération {de_qui} du {BLANC}"
    else:
        visa = ""
    return {
        "nom": nom,
        "nom_court": nom_court,
        "nom_court_majuscule": majuscule(nom_court),
        "feminin": feminin,
        "type": type_,
        "designation": ", ".join(parts),
        "deliberation": visa,
        "delegations": [
            v
            for r in representants
            if (v := visa_delegation(r, type_, signe, de_partie(nom, feminin, propre)))
        ],
        "signatures": [
            {
                "pour": pour,
                "titre": f"{par_delegation(r, type_)}{_titre_apres(par_delegation(r, type_), r)},",
                "nom": f"{r['prenom']} {r['nom']}",
            }
            for r in representants
        ],
    }


def objet_de_l_avenant(avenant: dict[str, Any]) -> tuple[str, list[tuple[str, str, bool]]]:
    """An avenant's typed « Objet », the communes it brings named with the COG's preposition.

    « Entrée de la commune de Armeau » prints « … d'Armeau », « de Le Cailar » « du
    Cailar ». Also returns, for validation to say so, each (typed, official, rewritten):
    a name typed with other accents is found but printed as typed (`rewritten` False).
    """
    objet = str(avenant.get("objet") or "")
    found_names = []
    for key in ("communes_ajoutees", "perimetre_ajoute"):
        added_list = avenant.get(key)  # validation calls this on unchecked data too
        for added in added_list if isinstance(added_list, list) else []:
            official = commune(str(added.get("insee") or "")) if isinstance(added, dict) else None
            wrong = f"de {official.nom}" if official else ""
            if official is None or official.de_nom == wrong:
                continue
            # Spaces and either apostrophe as typed: « Le Mayet-d’École », « d'École ».
            words = (re.escape(w) for w in official.nom.split())
            name = re.sub("['’]", "['’]", r"\s+".join(words))
            pattern = re.compile(rf"(?<![\w-])de\s+{name}(?![\w-])", re.IGNORECASE)
            found = pattern.search(objet)
            if found:
                found_names.append((found[0], official.de_nom, True))
                # A function, not a template: the name's own backslashes stay text.
                objet = pattern.sub(functools.partial(_constant, official.de_nom), objet)
            elif f" {normaliser_nom(wrong)} " in f" {normaliser_nom(objet)} ":
                found_names.append((wrong, official.de_nom, False))
    return objet, found_names


def _constant(text: str, _match: re.Match[str]) -> str:
    return text
