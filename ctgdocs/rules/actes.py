"""Rules that make the acts signable: authority to sign, delegations, copies, cited texts."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..designation import (
    HABILITATION_REQUISE,
    autorise_les_avenants,
    est_une_caisse_de_securite_sociale,
    nom_court_et_genre,
    signe_par_delegation,
)
from ..formatting import date_longue, en_lettres, normaliser_nom
from ..juridictions import COG_PERIODES, cog_en_vigueur, date_de_la_cog
from ..problems import DataPath
from ..schema import SCHEMA
from .base import Findings, Seen, at, date_at, entries, text_at


def _name(partie: dict[str, Any], epci_type: str | None) -> str:
    return nom_court_et_genre(partie, epci_type)[0] or str(partie.get("id", ""))


# A function's masculine and feminine forms: the act agrees it with the civilité.
_FONCTIONS = {
    "directeur": "directrice",
    "président": "présidente",
    "vice-président": "vice-présidente",
    "préfet": "préfète",
    "adjoint": "adjointe",
    "conseiller": "conseillère",
    "délégué": "déléguée",
    "administrateur": "administratrice",
    "sous-préfet": "sous-préfète",
    "premier": "première",
}
_MASCULINS = {feminine: masculine for masculine, feminine in _FONCTIONS.items()}


def _accord(representant: dict[str, Any]) -> str | None:
    """The function's form that agrees with the civilité, when the one typed does not."""
    qualite, civilite = text_at(representant, "qualite"), text_at(representant, "civilite")
    if not qualite or civilite not in ("Madame", "Monsieur"):
        return None
    first, _, rest = qualite.partition(" ")
    forms = _FONCTIONS if civilite == "Madame" else _MASCULINS
    other = forms.get(first.lower())
    if other is None:
        return None
    return f"{other[:1].upper() if first[:1].isupper() else other[:1]}{other[1:]} {rest}".strip()


def _fonction(text: str) -> str:
    """A function whatever its gender and spelling: « Présidente » is « président »."""
    first, _, rest = " ".join(text.casefold().split()).partition(" ")
    first = _MASCULINS.get(first, first)
    return normaliser_nom(f"{first} {rest}")


def _check_representatives(
    findings: Findings, path: DataPath, partie: dict[str, Any], signature: dt.date | None
) -> None:
    """The function agrees with the person; a deputy signs by delegation in a signed act;
    nobody represents the same party twice (the act would name and sign them twice)."""
    seen = Seen()
    for index, representant in entries(partie, "representants"):
        item = (*path, "representants", index, "qualite")
        person = (
            " ".join((text_at(representant, "prenom") or "").casefold().split()),
            " ".join((text_at(representant, "nom") or "").casefold().split()),
        )
        earlier = seen.earlier(person if all(person) else None, index)
        if earlier is not None:
            findings.error(
                (*path, "representants", index),
                f"{representant['prenom']} {representant['nom']} est déjà un représentant de "
                f"cette partie (representants[{earlier}]) : l'acte le nommerait et le "
                "ferait signer deux fois",
            )
        agreed = _accord(representant)
        if agreed:
            findings.warning(
                item,
                f"« {representant['qualite']} » pour {representant['civilite']} "
                f"{representant.get('prenom', '')} {representant.get('nom', '')} : écrivez "
                f"« {agreed} » (l'acte accorde la fonction : « sa Directrice », « son Président »)",
            )
        delegant = text_at(representant, "delegation", "de")
        qualite = text_at(representant, "qualite")
        if delegant and qualite and _fonction(delegant) == _fonction(qualite):
            findings.error(
                (*path, "representants", index, "delegation", "de"),
                f"« {qualite} » ne signe pas par délégation « de {delegant} » : qui exerce la "
                "fonction signe en son nom propre ; retirez delegation, ou donnez pour qualite "
                "la fonction de qui signe par délégation (adjoint, vice-président…)",
            )
        delegated = date_at(representant, "delegation", "date")
        if signature and delegated and delegated > signature:
            findings.error(
                (*path, "representants", index, "delegation", "date"),
                f"délégation du {date_longue(delegated)}, postérieure à la signature de l'acte "
                f"({date_longue(signature)}) : on ne signe qu'en vertu d'une délégation déjà "
                "donnée",
            )
        signed = signature is not None
        if signed and signe_par_delegation(representant) and not representant.get("delegation"):
            findings.warning(
                item,
                f"« {representant['qualite']} » signe par délégation : indiquez delegation "
                "(de, date, numéro de l'arrêté ou de la décision) pour que l'acte la mentionne",
            )


def _check_instance(
    findings: Findings, path: DataPath, partie: dict[str, Any], epci_type: str | None
) -> None:
    """A métropole deliberates in its conseil métropolitain, not a conseil communautaire."""
    instance = text_at(partie, "habilitation", "instance")
    if (
        text_at(partie, "type") == "epci"
        and epci_type == "METRO"
        and instance
        and "communautaire" in instance.lower()
    ):
        findings.warning(
            (*path, "habilitation", "instance"),
            f"« {instance} » pour une métropole : son assemblée est le Conseil métropolitain",
        )


def _check_caisse(findings: Findings, path: DataPath, partie: dict[str, Any]) -> None:
    """Mayotte's Caisse de sécurité sociale is not a Caf: the act must not call it « la Caf »."""
    nom_court = text_at(partie, "nom_court")
    if (
        text_at(partie, "type") == "caf"
        and est_une_caisse_de_securite_sociale(partie)
        and nom_court
        and re.search(r"\bcaf\b", nom_court, re.IGNORECASE)
    ):
        findings.warning(
            (*path, "nom_court"),
            f"« {nom_court} » : {text_at(partie, 'nom')} n'est pas une caisse d'allocations "
            "familiales ; l'acte la désignerait à tort comme une Caf, écrivez par exemple "
            "nom_court: la Caisse",
        )


def check_convention(doc: dict[str, Any], findings: Findings) -> None:
    """A signed convention shows the authority of each collectivity that signs it."""
    signed = date_at(doc, "convention", "signature", "date") is not None
    epci_type = text_at(doc, "territoire", "epci", "type")
    count = 0
    for index, partie in entries(doc, "parties"):
        count += 1
        path = ("parties", index)
        type_ = text_at(partie, "type")
        # Given but not a block, it gets the schema's message, not this one as well.
        missing = signed and "habilitation" not in partie
        if missing and type_ in HABILITATION_REQUISE:
            findings.error(
                path,
                f"{_name(partie, epci_type)} signe la convention sans délibération : indiquez "
                "habilitation (instance, date) ; un acte signé montre l'autorisation de signer "
                "de chaque collectivité",
            )
        elif missing and type_ in ("caf", "msa", "autre"):
            findings.warning(
                path,
                f"{_name(partie, epci_type)} signe la convention sans que l'acte dise ce qui "
                "l'y autorise : indiquez habilitation (la délibération de son conseil) ; à "
                "défaut, l'acte dit son représentant « dûment habilité à l'effet des présentes », "
                "sans citer de délibération",
            )
        _check_representatives(
            findings, path, partie, date_at(doc, "convention", "signature", "date")
        )
        _check_instance(findings, path, partie, epci_type)
        _check_caisse(findings, path, partie)
    exemplaires = at(doc, "convention", "exemplaires")
    if isinstance(exemplaires, int) and count and exemplaires < count:
        findings.warning(
            ("convention", "exemplaires"),
            f"{en_lettres(exemplaires)} exemplaires pour {en_lettres(count)} signataires : "
            "chaque signataire reçoit en principe un original",
        )
    check_cog(doc, findings)


# The month from which a COG's first year no longer raises the question of its signature.
COG_SIGNEE_VERS = 9


def check_cog(doc: dict[str, Any], findings: Findings) -> None:
    """The visas cite the Cnaf's COG: ctgdocs must know it or be told."""
    cog = text_at(doc, "convention", "cog")
    if cog and not re.fullmatch(SCHEMA["convention"]["schema"]["cog"]["regex"], cog):
        return  # the schema says what is expected
    if cog:
        debut, fin = (int(y) for y in cog.split("-"))
        if fin <= debut:
            findings.error(
                ("convention", "cog"),
                f"« {cog} » : la seconde année doit suivre la première (par exemple 2023-2027)",
            )
        return
    day = date_de_la_cog(doc)
    period = cog_en_vigueur(day) if day else None
    if day and period and day.year == period[0] and day.month < COG_SIGNEE_VERS:
        # The Cnaf signs each COG during its first year (in summer, in 2013, 2018 and
        # 2023): an act of the months before may have to cite the previous one.
        before = [f"{d}-{f}" for d, f in COG_PERIODES if f == period[0] - 1]
        other = f" (ou la précédente, {before[0]})" if before else ""
        findings.warning(
            ("convention",),
            "cog absent : le visa cite la convention d'objectifs et de gestion de la Cnaf en "
            f"vigueur le {date_longue(day)}, celle de {period[0]}-{period[1]}, qui n'était "
            f"peut-être pas encore signée ; vérifiez-le et indiquez cog: {period[0]}-{period[1]}"
            f"{other}",
        )
    if day and period is None:
        findings.error(
            ("convention",),
            f"cog manquant : ctgdocs ne connaît pas la convention d'objectifs et de gestion de "
            f"la Cnaf en vigueur en {day.year} ; indiquez-la, par exemple cog: 2028-2032",
        )


def _new_representatives(
    findings: Findings, path: DataPath, avenant: dict[str, Any], signatories: dict[str, Any]
) -> None:
    """`signataires`: who signs this avenant (and the next ones) for a party."""
    signature = date_at(avenant, "signature", "date")
    seen = Seen()
    for position, change in entries(avenant, "signataires"):
        ident = text_at(change, "partie")
        item = (*path, "signataires", position)
        earlier = seen.earlier(ident, position)
        if earlier is not None:
            findings.error(
                (*item, "partie"),
                f"les représentants de « {ident} » pour cet avenant sont déjà indiqués "
                f"(signataires[{earlier}]) : réunissez-les en une entrée",
            )
            continue
        if ident and ident not in signatories:
            known = ", ".join(signatories) or "aucune"
            findings.error(
                (*item, "partie"),
                f"« {ident} » n'est pas l'id d'une partie ni le code INSEE d'une commune "
                f"déjà signataire (signataires : {known})",
            )
        elif ident:
            signatories[ident] = {**signatories[ident], **change}
            _check_representatives(findings, item, change, signature)


# General renewals of the municipal and communautaire councils (first round): a
# deliberation taken before one was the former council's.
RENOUVELLEMENTS = (
    (dt.date(2014, 3, 23), "mars 2014"),
    (dt.date(2020, 3, 15), "mars et juin 2020"),
    (dt.date(2026, 3, 15), "mars 2026"),
)


def _check_renewal(
    findings: Findings,
    path: DataPath,
    avenant: dict[str, Any],
    signatory: tuple[str, dict[str, Any]],
    epci_type: str | None,
) -> None:
    """A commune or an EPCI signing an avenant on a deliberation of the council before the
    general renewal: the new council's authority, and its representative, are to check."""
    ident, partie = signatory
    signed = date_at(avenant, "signature", "date")
    taken = date_at(partie, "habilitation", "date")
    if signed is None or taken is None or text_at(partie, "type") not in ("commune", "epci"):
        return
    renewals = [label for day, label in RENOUVELLEMENTS if taken < day <= signed]
    if renewals:
        findings.warning(
            path,
            f"{_name(partie, epci_type)} signe l'avenant n° {avenant.get('numero')} le "
            f"{date_longue(signed)} en vertu de la délibération du {date_longue(taken)}, "
            f"antérieure au renouvellement général des conseils municipaux et communautaires "
            f"de {renewals[-1]} : vérifiez son représentant (signataires) et ajoutez la "
            f"délibération du nouveau conseil (habilitations, partie: {ident})",
        )


def _unauthorised(
    findings: Findings,
    path: DataPath,
    avenant: dict[str, Any],
    signatories: dict[str, Any],
    epci_type: str | None,
) -> None:
    """Each earlier signatory needs this avenant's deliberation, or one for every avenant."""
    own = {text_at(h, "partie") for _, h in entries(avenant, "habilitations")}
    signed = date_at(avenant, "signature", "date") is not None
    # A projet shows a blank to fill in; a signed act cannot: it asserts the authority.
    then = (
        "l'acte dit son représentant « dûment habilité à l'effet des présentes », sans citer "
        "de délibération"
        if signed
        else "le projet laisse un blanc à remplir"
    )
    for ident, partie in signatories.items():
        general = autorise_les_avenants(partie.get("habilitation"))
        if general and ident not in own:
            _check_renewal(findings, path, avenant, (ident, partie), epci_type)
        if ident in own or general or text_at(partie, "type") == "etat":
            continue
        findings.warning(
            path,
            f"{_name(partie, epci_type)} signe l'avenant n° {avenant.get('numero')} sans "
            f"délibération pour cet avenant : ajoutez habilitations (partie: {ident}), ou "
            f"avenants: oui à la délibération qui l'autorise à signer les avenants ; à défaut, "
            f"{then}",
        )


def _joining(
    findings: Findings, path: DataPath, avenant: dict[str, Any], signatories: dict[str, Any]
) -> None:
    """Communes that sign from this avenant on, on their own deliberation."""
    signed = date_at(avenant, "signature", "date") is not None
    for position, commune in entries(avenant, "communes_ajoutees"):
        code = text_at(commune, "insee")
        item = (*path, "communes_ajoutees", position)
        if signed and "habilitation" not in commune:
            findings.warning(
                item,
                f"la commune {code or ''} entre par un avenant signé sans délibération : "
                "indiquez habilitation (instance, date)",
            )
        known = {text_at(p, "insee") for p in signatories.values()}
        if code and code not in known:
            party = {"type": "commune", "id": code, **commune}
            _check_representatives(findings, item, party, date_at(avenant, "signature", "date"))
            # Its deliberation authorised joining by this avenant, not the next ones,
            # unless it says it authorises every avenant.
            signatories[code] = party


def check_avenants(doc: dict[str, Any], findings: Findings) -> None:
    """Every signatory of a signed avenant signs on an authority of its own."""
    if date_at(doc, "convention", "signature", "date") is None:
        return  # rules/avenants.py: an avenant only amends a signed convention
    epci_type = text_at(doc, "territoire", "epci", "type")
    signatories: dict[str, dict[str, Any]] = {
        ident: p for _, p in entries(doc, "parties") if (ident := text_at(p, "id"))
    }
    for index, avenant in entries(doc, "avenants"):
        path = ("avenants", index)
        _new_representatives(findings, path, avenant, signatories)
        if date_at(avenant, "signature", "date") is not None:
            _unauthorised(findings, path, avenant, signatories, epci_type)
        _joining(findings, path, avenant, signatories)
        # As for the convention: each signatory of the avenant keeps an original.
        exemplaires = at(avenant, "exemplaires")
        if isinstance(exemplaires, int) and exemplaires < len(signatories):
            findings.warning(
                (*path, "exemplaires"),
                f"{en_lettres(exemplaires)} exemplaires pour {en_lettres(len(signatories))} "
                "signataires : chaque signataire reçoit en principe un original",
            )


def check(doc: dict[str, Any], findings: Findings) -> None:
    check_convention(doc, findings)
    check_avenants(doc, findings)
