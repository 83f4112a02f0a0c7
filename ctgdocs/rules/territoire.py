"""Rules on the territory: the EPCI, the département and the perimeter's communes."""

from __future__ import annotations

from typing import Any

from ..designation import avec_departement, cle_designation, nom_court_caf
from ..formatting import date_longue, mots_significatifs, pluriel
from ..juridictions import tribunal
from ..perimetre import CommunePerimetre, communes_initiales
from ..problems import DataPath
from ..referentiel import (
    annee_du_referentiel,
    caisses_possibles,
    departement,
    departement_of,
    epci,
    insee_bien_forme,
    millesime,
    nom_caf,
    siren_valide,
)
from ..referentiel import commune as commune_du_cog
from .base import Findings, at, check_commune, date_at, entries, rattachee, text_at

# The COG spells the Métropole de Lyon's type apart; the format calls it a métropole.
_EPCI_TYPE_ALIASES = {"MET69": "METRO"}


def check_siren(findings: Findings, path: tuple[str | int, ...], siren: str) -> bool:
    if not siren_valide(siren):
        findings.error(
            path,
            f"SIREN « {siren} » invalide : sa clé de contrôle (formule de Luhn) ne correspond "
            "pas ; vérifiez les 9 chiffres",
        )
        return False
    return True


def check_epci(doc: dict[str, Any], findings: Findings) -> None:
    base = ("territoire", "epci")
    siren = text_at(doc, *base, "siren")
    if siren is None or not check_siren(findings, (*base, "siren"), siren):
        return
    known = epci(siren)
    if known is None:
        findings.warning(
            (*base, "siren"),
            f"EPCI {siren} inconnu du référentiel ({millesime()}) : vérifiez le SIREN "
            "(les fusions d'EPCI changent les SIREN)",
        )
        return
    nom = text_at(doc, *base, "nom")
    if nom and mots_significatifs(nom) != mots_significatifs(known.nom):
        findings.warning(
            (*base, "nom"),
            f"le SIREN {siren} désigne « {known.nom_long} » ({millesime()})",
        )
    type_ = text_at(doc, *base, "type")
    official_type = _EPCI_TYPE_ALIASES.get(known.type, known.type)
    if type_ and type_ != official_type:
        findings.warning(
            (*base, "type"),
            f"type {type_} déclaré ; le référentiel ({millesime()}) indique {official_type}",
        )


def _perimetre_par_departement(initiales: list[CommunePerimetre]) -> dict[str, int]:
    """How many communes of the initial perimeter each département holds."""
    counts: dict[str, int] = {}
    for commune in initiales:
        if insee_bien_forme(commune.insee):
            dep = departement_of(commune.insee)
            counts[dep] = counts.get(dep, 0) + 1
    return counts


def _nom_departement(code: str) -> str:
    known = departement(code)
    return known.nom if known else code


def check_departement(doc: dict[str, Any], findings: Findings, perimetre: dict[str, int]) -> None:
    """The département is known, and holds communes of the perimeter (`perimetre`: how
    many each département holds)."""
    code = text_at(doc, "territoire", "departement")
    if code and departement(code) is None:
        findings.error(
            ("territoire", "departement"),
            f"département « {code} » inconnu du référentiel ({millesime()})",
        )
        return
    if code and perimetre and code not in perimetre:
        # The Caf's department, the tribunal and the title follow it: a typo is an error.
        found = sorted(perimetre.items(), key=lambda item: (-item[1], item[0]))
        listed = " ; ".join(
            f"{_nom_departement(d)} ({d}) : {pluriel(n, 'commune')}" for d, n in found
        )
        findings.error(
            ("territoire", "departement"),
            f"département « {code} » ({_nom_departement(code)}) : aucune commune du territoire "
            f'n\'y est située ({listed}) ; indiquez departement: "{found[0][0]}"',
        )


def check_communes(doc: dict[str, Any], findings: Findings) -> None:
    siren = text_at(doc, "territoire", "epci", "siren")
    known = epci(siren) if siren else None
    declared = at(doc, "territoire", "communes")
    if declared is None:
        if isinstance(at(doc, "territoire"), dict) and siren and siren_valide(siren) and not known:
            findings.error(
                ("territoire",),
                "communes absentes et EPCI inconnu du référentiel : listez les communes "
                "du périmètre (territoire.communes)",
            )
        debut = date_at(doc, "convention", "periode", "debut")
        if known and debut and debut.year < annee_du_referentiel():
            findings.warning(
                ("territoire",),
                f"périmètre déduit des communes membres de l'EPCI selon le référentiel "
                f"({millesime()}), postérieur au début de la convention ({debut.year}) : les "
                "EPCI changent de communes ; vérifiez la liste et déclarez-la "
                f"(territoire.communes) telle qu'elle était au {date_longue(debut)}",
            )
        return
    seen: dict[str, int] = {}
    listed = {text_at(item, "insee") for _, item in entries(doc, "territoire", "communes")}
    for index, item in entries(doc, "territoire", "communes"):
        path = ("territoire", "communes", index)
        code = text_at(item, "insee")
        if code is None:
            continue
        part_of = rattachee(code)
        if part_of is not None and part_of[1] in listed:
            findings.error(
                (*path, "insee"),
                f"« {code} » désigne {part_of[0]}, déjà dans le périmètre : retirez cette "
                "ligne (l'annexe compterait deux fois le même territoire)",
            )
            continue
        if code in seen:
            findings.error(
                (*path, "insee"),
                f"commune {code} déjà listée "
                f"(ligne {findings.line_of(('territoire', 'communes', seen[code]))})",
            )
            continue
        seen[code] = index
        if check_commune(findings, (*path, "insee"), code, text_at(item, "nom"), (*path, "nom")):
            check_member(findings, (*path, "insee"), doc, code)


def check_member(
    findings: Findings, path: tuple[str | int, ...], doc: dict[str, Any], code: str
) -> None:
    """Warn when a commune joining the perimeter is not a member of the EPCI."""
    siren = text_at(doc, "territoire", "epci", "siren")
    known = epci(siren) if siren else None
    if known is not None and code not in known.membres:
        findings.warning(
            path,
            f"la commune {code} n'est pas membre {known.de_nom} selon le référentiel "
            f"({millesime()})",
        )


def check_tribunal(doc: dict[str, Any], findings: Findings, perimetre: dict[str, int]) -> None:
    """Warn when the territory spans the jurisdictions of several tribunaux administratifs:
    the litigation article names the one of `territoire.departement`, which may not be the
    competent one."""
    code = text_at(doc, "territoire", "departement")
    cite = tribunal(code) if code else None
    articles = at(doc, "convention", "articles")
    replaced = isinstance(articles, list) and any(
        isinstance(a, dict) and a.get("remplace") == "litiges" for a in articles
    )
    if cite is None or replaced:
        return
    if perimetre and code not in perimetre:
        return  # check_departement's error: the département is not the territory's
    by_court: dict[str, dict[str, int]] = {}
    for dep, count in perimetre.items():
        court = tribunal(dep)
        if court:
            by_court.setdefault(court, {})[dep] = count
    if set(by_court) - {cite}:

        def ressort(court: str) -> str:
            counts = sorted(by_court[court].items())
            parts = [f"{_nom_departement(dep)}, {pluriel(n, 'commune')}" for dep, n in counts]
            return f"{court} ({' ; '.join(parts)})"

        findings.warning(
            ("territoire", "departement"),
            f"le territoire relève de plusieurs tribunaux administratifs : "
            f"{', '.join(ressort(c) for c in sorted(by_court))} ; l'article « Litiges » cite "
            f"le {cite} : s'il n'est pas compétent, remplacez l'article (convention.articles, "
            "remplace: litiges)",
        )


def check_cafs(doc: dict[str, Any], findings: Findings, perimetre: dict[str, int]) -> None:
    """A perimeter over several départements has a Caf for each: a Caf acts for the families
    of its own département only."""
    cafs = [p for _, p in entries(doc, "parties") if text_at(p, "type") == "caf"]
    if len(perimetre) < 2 or len(cafs) >= len(perimetre):
        return
    parts = [
        f"{_nom_departement(dep)}, {pluriel(n, 'commune')}" for dep, n in sorted(perimetre.items())
    ]
    signent = "une seule Caf signe" if len(cafs) == 1 else f"{len(cafs)} Cafs signent"
    findings.warning(
        ("parties",),
        f"le périmètre s'étend sur {len(perimetre)} départements ({' ; '.join(parts)}) et "
        f"{signent} la convention : une Caf n'agit que pour les familles de son "
        "département ; ajoutez la Caf de chaque département aux parties, ou vérifiez "
        "qu'une convention entre Cafs le prévoit",
    )


def _caf_de(dep: str) -> str:
    """ "la Caf du Var"; where the département has no single Caf, the caisses to choose from."""
    name = nom_caf(dep)
    short = nom_court_caf(name) if name else None
    if short:
        return short
    choices = caisses_possibles(dep) or ((name,) if name else ())
    return f"la caisse de ce département ({' ou '.join(choices)})" if choices else "sa Caf"


def check_cafs_des_avenants(
    doc: dict[str, Any], findings: Findings, initiales: list[CommunePerimetre]
) -> None:
    """A commune an avenant brings from a département the perimeter did not reach extends it
    there: as for the initial perimeter (`check_cafs`), that département's Caf signs too."""
    cafs = len([p for _, p in entries(doc, "parties") if text_at(p, "type") == "caf"])
    seen = {c.insee for c in initiales}
    counts = _perimetre_par_departement(initiales)
    if not counts:
        return  # an unknown perimeter: nothing to extend
    for index, avenant in entries(doc, "avenants"):
        reached: dict[str, tuple[DataPath, str]] = {}
        for key in ("communes_ajoutees", "perimetre_ajoute"):
            for position, item in entries(avenant, key):
                code = text_at(item, "insee")
                if code is None or code in seen or commune_du_cog(code) is None:
                    continue  # in the perimeter already (it only starts signing), or unknown
                seen.add(code)
                dep = departement_of(code)
                if dep not in counts:
                    reached.setdefault(dep, (("avenants", index, key, position, "insee"), code))
                counts[dep] = counts.get(dep, 0) + 1
        if not reached or len(counts) <= cafs:
            continue
        parts = [
            f"{_nom_departement(dep)}, {pluriel(n, 'commune')}" for dep, n in sorted(counts.items())
        ]
        signent = "une seule Caf signe" if cafs == 1 else f"{cafs} Cafs signent"
        numero = at(avenant, "numero")
        avenant_n = f"l'avenant n° {numero}" if isinstance(numero, int) else "cet avenant"
        for dep, (path, code) in reached.items():
            findings.warning(
                path,
                f"la commune {code} ({_nom_departement(dep)}) entre dans le périmètre par "
                f"{avenant_n}, qui l'étend alors sur {len(counts)} départements "
                f"({' ; '.join(parts)}) ; {signent} la convention : une Caf n'agit que pour "
                f"les familles de son département ; ajoutez {_caf_de(dep)} aux parties, ou "
                "vérifiez qu'une convention entre Cafs le prévoit",
            )


def _signing_communes(doc: dict[str, Any]) -> list[tuple[DataPath, dict[str, Any]]]:
    """Every commune that signs, as a party or by avenant, with where it is written."""
    found: list[tuple[DataPath, dict[str, Any]]] = [
        (("parties", i), p) for i, p in entries(doc, "parties") if text_at(p, "type") == "commune"
    ]
    for i, avenant in entries(doc, "avenants"):
        found += [
            (("avenants", i, "communes_ajoutees", j), c)
            for j, c in entries(avenant, "communes_ajoutees")
        ]
    return found


def check_homonymes(
    doc: dict[str, Any], findings: Findings, initiales: list[CommunePerimetre]
) -> None:
    """A signing commune named like another commune of the perimeter (Saint-Pierre-
    d'Entremont, in Isère and in Savoie) is told apart by its short name."""
    signing = _signing_communes(doc)
    codes = {c.insee for c in initiales}
    for _, avenant in entries(doc, "avenants"):
        codes |= {
            code for _, c in entries(avenant, "perimetre_ajoute") if (code := text_at(c, "insee"))
        }
    signatories = {code for _, c in signing if (code := text_at(c, "insee"))}
    by_name: dict[str, list[str]] = {}
    for code in sorted(codes | signatories):
        official = commune_du_cog(code)
        if official is not None:
            by_name.setdefault(official.nom, []).append(code)
    for path, partie in signing:
        code = text_at(partie, "insee")
        official = commune_du_cog(code) if code else None
        if official is None:
            continue
        nom_court = text_at(partie, "nom_court") or f"la Commune {official.de_nom}"
        if cle_designation(nom_court) != cle_designation(f"la Commune {official.de_nom}"):
            continue  # a short name of its own tells it apart
        others = [o for o in by_name.get(official.nom, []) if o != code]
        if not others or any(o in signatories for o in others):
            continue  # a signatory homonym: the acts' designations are compared (avenants)
        own = avec_departement(official.de_nom, official.code)
        findings.warning(
            (*path, "insee"),
            f"la commune {code} porte le nom de la commune {others[0]} "
            f"({_nom_departement(departement_of(others[0]))}) du périmètre : l'acte la "
            f"nommerait « la Commune {official.de_nom} » sans la distinguer ; indiquez "
            f"nom_court: la Commune {own} (et nom: Commune {own})",
        )


def check(doc: dict[str, Any], findings: Findings) -> None:
    check_epci(doc, findings)
    initiales = communes_initiales(doc) or []  # read once, for every check of the perimeter
    perimetre = _perimetre_par_departement(initiales)
    check_departement(doc, findings, perimetre)
    check_communes(doc, findings)
    check_tribunal(doc, findings, perimetre)
    check_cafs(doc, findings, perimetre)
    check_cafs_des_avenants(doc, findings, initiales)
    check_homonymes(doc, findings, initiales)
