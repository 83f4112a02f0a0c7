"""`ctgdocs init`: a new convention file pre-filled from the reference data."""

from __future__ import annotations

import json
import re

from .designation import NOMS_COURTS_EPCI
from .errors import UsageError
from .formatting import cle_de_tri, sans_accents
from .referentiel import commune, departement_of, epci, millesime, nom_caf, siren_valide
from .validation import PLACEHOLDER

_PLAIN = re.compile(r"^[A-Za-zÀ-ÿŒœ0-9][\w '’.()/-]*$")


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


def scaffold(siren: str) -> tuple[str, str]:
    """The text of a new convention for the EPCI `siren`, and a file name for it."""
    if not siren_valide(siren):
        raise UsageError(
            f"--epci {siren} : SIREN invalide (9 chiffres dont une clé de contrôle de Luhn)"
        )
    known = epci(siren)
    if known is None:
        raise UsageError(f"--epci {siren} : EPCI inconnu du référentiel ({millesime()})")
    members = [c for code in known.membres if (c := commune(code)) is not None]
    members.sort(key=lambda c: cle_de_tri(c.nom))
    departements = [departement_of(c.code) for c in members]
    dep = max(sorted(set(departements)), key=departements.count)
    spread = ""
    if len(set(departements)) > 1:
        # No single Caf covers such an EPCI: the most represented département is a guess.
        others = ", ".join(sorted(set(departements) - {dep}))
        spread = (
            f"  # L'EPCI s'étend aussi sur : {others}. Département et Caf pris parmi les\n"
            f"  # communes les plus nombreuses ({dep}) : vérifiez-les.\n"
        )
    caf = nom_caf(dep) or "Caisse d'allocations familiales"
    epci_type = {"MET69": "METRO"}.get(known.type, known.type)
    nom = known.nom_long
    communes = "\n".join(f'    - {{insee: "{c.code}", nom: {_scalar(c.nom)}}}' for c in members)
    text = f"""\
# Convention territoriale globale (CTG) : {nom}
# Créée par « ctgdocs init --epci {siren} » à partir du référentiel {millesime()}.
# Remplacez chaque « {PLACEHOLDER} » : « ctgdocs validate » liste ceux qui restent.
# Dates au format AAAA-MM-JJ ; codes INSEE et SIREN entre guillemets.

format: 1

convention:
  reference: {_todo("référence, par exemple CTG-" + dep + "-2026-01")}
  intitule: {_scalar("Convention territoriale globale de services aux familles de la " + nom)}
  periode:
    debut: {_todo("date de début, AAAA-MM-JJ")}
    fin: {_todo("date de fin, AAAA-MM-JJ, 4 ou 5 ans plus tard")}
  # Sans signature, les documents portent la mention PROJET. Une fois signée :
  # signature:
  #   date: AAAA-MM-JJ
  #   lieu: {members[0].nom if members else "commune"}
  preambule: |
    {PLACEHOLDER} : ambition partagée et contexte de la convention.

territoire:
  epci:
    siren: "{siren}"
    nom: {_scalar(nom)}
    type: {epci_type}
{spread}  departement: "{dep}"
  communes:                   # les {len(members)} communes membres ({millesime()})
{communes}

parties:                      # les signataires, dans l'ordre du bloc « Entre : »
  - id: caf
    type: caf
    nom: {_scalar(caf)}
    nom_court: la Caf
{_representant("    ", "Directrice")}    # habilitation:
    #   instance: Conseil d'administration
    #   date: AAAA-MM-JJ
  - id: epci
    type: epci
    nom: {_scalar(nom)}
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
