"""`ctgdocs init`: a new convention file pre-filled from the reference data."""

from __future__ import annotations

import json
import re

from .designation import (
    NOMS_COURTS_EPCI,
    de_partie,
    est_une_caisse_de_securite_sociale,
    genre_du_nom,
    nom_court_caf,
)
from .errors import UsageError
from .formatting import cle_de_tri, sans_accents
from .problems import shown
from .referentiel import (
    Epci,
    caisses_possibles,
    commune,
    departement_of,
    epci,
    epcis,
    millesime,
    nom_caf,
    siren_valide,
)
from .validation import PLACEHOLDER

_PLAIN = re.compile(r"^[A-Za-zÀ-ÿŒœ0-9][\w '’.()/-]*$")
# Spaces a SIREN is often written with: "243 000 585", copied from a PDF with no-break ones.
_SIREN_SPACES = re.compile(r"[\s.\u00a0\u202f]")
_CANDIDATES_SHOWN = 15
# The DGCL's short names drop the article of some legal names (« CA Grand Montauban » for
# the « Communauté d'agglomération du Grand Montauban »); no open data reachable here has them.
_ARTICLE = re.compile(r"^(?:de |du |des |d'|d’|la |le |les |l'|l’)", re.IGNORECASE)


def _scalar(text: str) -> str:
    """A YAML scalar for `text`: plain when safe, double-quoted otherwise."""
    return (
        text
        if _PLAIN.match(text) and not text.endswith(":")
        else json.dumps(text, ensure_ascii=False)
    )


def _todo(hint: str = "") -> str:
    return json.dumps(f"{PLACEHOLDER} : {hint}" if hint else PLACEHOLDER, ensure_ascii=False)


def slug(text: str) -> str:
    """A file-name slug: "CC Beaucaire Terre d'Argence" → "cc-beaucaire-terre-d-argence"."""
    return re.sub(r"[^a-z0-9]+", "-", sans_accents(text).lower()).strip("-")


def _representant(indent: str, exemple: str) -> str:
    return (
        f"{indent}representants:\n"
        f"{indent}  - civilite: {_todo('Madame ou Monsieur')}\n"
        f"{indent}    prenom: {_todo('prénom')}\n"
        f"{indent}    nom: {_todo('nom')}\n"
        f"{indent}    qualite: {_todo(f'fonction, par exemple {exemple}')}\n"
    )


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^a-z0-9]+", cle_de_tri(text)) if w]


def _contains(words: list[str], part: list[str]) -> bool:
    return any(words[i : i + len(part)] == part for i in range(len(words) - len(part) + 1))


def _by_siren(query: str, siren: str) -> Epci:
    if not siren_valide(siren):
        raise UsageError(
            f"--epci {query} : SIREN invalide (9 chiffres dont une clé de contrôle de Luhn)"
        )
    known = epci(siren)
    if known is None:
        raise UsageError(f"--epci {query} : EPCI inconnu du référentiel ({millesime()})")
    return known


def find_epci(query: str) -> Epci:
    """The EPCI named by a SIREN (spaces allowed) or by its name, whole or an unambiguous part."""
    siren = _SIREN_SPACES.sub("", query)
    if siren.isdigit():
        return _by_siren(shown(query), siren)
    wanted = _words(query)
    if not wanted:
        raise UsageError(f"--epci {shown(query)} : un SIREN ou un nom d'EPCI est attendu")
    every = epcis()
    exact = [e for e in every if wanted in (_words(e.nom), _words(e.nom_long))]
    found = exact or [
        e for e in every if any(_contains(_words(n), wanted) for n in (e.nom, e.nom_long))
    ]
    if len(found) == 1:
        return found[0]
    if not found:
        raise UsageError(
            f"--epci {shown(query)} : aucun EPCI de ce nom dans le référentiel ({millesime()}) ; "
            "donnez une partie de son nom ou son SIREN"
        )
    found.sort(key=lambda e: cle_de_tri(e.nom_long))
    lines = [f"  {e.siren}  {e.nom_long} ({_departement(e)})" for e in found[:_CANDIDATES_SHOWN]]
    if len(found) > _CANDIDATES_SHOWN:
        lines.append(f"  … et {len(found) - _CANDIDATES_SHOWN} autres")
    raise UsageError(
        f"--epci {shown(query)} : {len(found)} EPCI correspondent ; précisez le nom ou donnez le "
        "SIREN :\n" + "\n".join(lines)
    )


def _departement(known: Epci) -> str:
    """The département most of the EPCI's communes are in."""
    codes = [departement_of(code) for code in known.membres]
    return max(sorted(set(codes)), key=codes.count) if codes else "?"


def _caf(dep: str) -> str:
    """The Caf's name, or what to fill in where the département has not exactly one."""
    name = nom_caf(dep)
    if name is not None:
        return _scalar(name)
    choices = caisses_possibles(dep)
    if len(choices) > 1:
        return _todo(f"la Caf compétente : {' ou '.join(choices)}")
    if choices:
        return _todo(f"pas de Caf dans ce département ; organisme qui en tient lieu : {choices[0]}")
    return _todo("nom de la Caf")


def _caf_party(dep: str, several: bool, first: bool) -> str:
    """The party of the Caf of `dep`; where the perimeter spans several départements, each
    département's Caf signs, named as it names itself (« la Caf de l'Isère », « la Caf de
    Vaucluse », not the COG's « du Vaucluse »)."""
    caf = _caf(dep)
    name = nom_caf(dep)
    if est_une_caisse_de_securite_sociale({"nom": caf}):
        nom_court = "la Caisse"
    elif several and name is not None:
        nom_court = _scalar(nom_court_caf(name) or "la Caf")
    elif several:
        # The Caf is to be chosen (Pyrénées-Atlantiques): its short name with it.
        nom_court = _todo("nom court de la Caf choisie, par exemple « la Caf du Pays basque »")
        nom_court += "\n    genre: feminin"  # « ci-après dénommée », whichever is chosen
    else:
        nom_court = "la Caf"
    return (
        f"  - id: {'caf' if first else 'caf' + dep.lower()}\n"
        "    type: caf\n"
        f"    nom: {caf}\n"
        f"    nom_court: {nom_court}\n"
        f"{_representant('    ', 'Directrice')}"
        "    # habilitation:\n"
        "    #   instance: Conseil d'administration\n"
        "    #   date: AAAA-MM-JJ\n"
    )


def _name_note(known: Epci) -> str:
    """A comment asking to check the legal name where the short one may have lost its article."""
    _, _, rest = known.nom.partition(" ")
    if known.nom_long == known.nom or _ARTICLE.match(rest):
        return ""
    return (
        "    # Nom abrégé du référentiel (DGCL) : vérifiez la dénomination exacte dans les\n"
        "    # statuts, qui peut prendre un article (« du », « de la »…).\n"
    )


def scaffold(query: str) -> tuple[str, str]:
    """The text of a new convention for the EPCI named by `query`, and a file name for it."""
    known = find_epci(query)
    siren = known.siren
    members = [c for code in known.membres if (c := commune(code)) is not None]
    members.sort(key=lambda c: cle_de_tri(c.nom))
    departements = [departement_of(c.code) for c in members]
    dep = _departement(known)
    spread = ""
    if len(set(departements)) > 1:
        # No single Caf covers such an EPCI: the most represented département is a guess.
        others = ", ".join(sorted(set(departements) - {dep}))
        spread = (
            f"  # L'EPCI s'étend aussi sur : {others}. Département pris parmi les communes\n"
            f"  # les plus nombreuses ({dep}), et une Caf par département : vérifiez-les.\n"
        )
    cafs = "".join(
        _caf_party(d, len(set(departements)) > 1, d == dep)
        for d in [dep, *sorted(set(departements) - {dep})]
    )
    epci_type = {"MET69": "METRO"}.get(known.type, known.type)
    nom = known.nom_long
    # As the documents name it (« de Metz Métropole », « de l'Eurométropole de Strasbourg »).
    feminin = genre_du_nom({"type": "epci", "nom": nom}, epci_type) != "masculin"
    de_nom = de_partie(nom, feminin)
    note = _name_note(known)
    communes = "\n".join(f'    - {{insee: "{c.code}", nom: {_scalar(c.nom)}}}' for c in members)
    text = f"""\
# Convention territoriale globale (CTG) : {nom}
# Créée par « ctgdocs init --epci {siren} » à partir du référentiel {millesime()}.
# Remplacez chaque « {PLACEHOLDER} » : « ctgdocs validate » liste ceux qui restent.
# Dates au format AAAA-MM-JJ ; codes INSEE et SIREN entre guillemets.

format: 1

convention:
  reference: {_todo("référence, par exemple CTG-" + dep + "-2026-01")}
  intitule: {_scalar("Convention territoriale globale de services aux familles " + de_nom)}
  periode:
    debut: {_todo("date de début, AAAA-MM-JJ")}
    fin: {_todo("date de fin, AAAA-MM-JJ, 4 ou 5 ans plus tard")}
  # Sans signature, les documents portent la mention PROJET. Une fois signée :
  # signature:
  #   date: AAAA-MM-JJ
  #   lieu: commune de signature (souvent le siège de l'EPCI)
  preambule: |
    {PLACEHOLDER} : ambition partagée et contexte de la convention.

territoire:
  epci:
    siren: "{siren}"
{note}    nom: {_scalar(nom)}
    type: {epci_type}
{spread}  departement: "{dep}"
  communes:                   # les {len(members)} communes membres ({millesime()})
{communes}

parties:                      # les signataires, dans l'ordre du bloc « Entre : »
{cafs}  - id: epci
    type: epci
{note}    nom: {_scalar(nom)}
    nom_court: {_scalar(NOMS_COURTS_EPCI[epci_type])}
{_representant("    ", "Président")}    habilitation:
      instance: {"Conseil métropolitain" if epci_type == "METRO" else "Conseil communautaire"}
      date: {_todo("date de la délibération, AAAA-MM-JJ")}

champs:                       # à adapter ; au moins petite enfance, jeunesse et parentalité
  - petite_enfance
  - enfance
  - jeunesse
  - parentalite

diagnostic:
  constats:
    - {_todo("premier constat du diagnostic")}

axes:
  - code: A1
    intitule: {_todo("intitulé de l'axe")}
    objectifs:
      - {_todo("objectif")}

fiches_actions: []

gouvernance:
  comite_pilotage:
    composition:
      - {_todo("membres du comité de pilotage")}
    frequence: au moins une fois par an
"""
    return text, f"{slug(known.nom)}.yaml"
