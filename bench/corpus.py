"""Write one realistic convention per EPCI of the reference data: the national corpus.

Usage: .venv/bin/python bench/corpus.py [DOSSIER] [--limit N]
Writes DOSSIER/<siren>.yaml (default bench/corpus/, git-ignored) for the 1,255 EPCIs: the
real EPCI, its member communes and its Caf (from `ctgdocs init`), 15-30 fiches actions under
3-5 axes, 3-6 réunions and 0-2 avenants, with names holding & < > " ’ now and then. Each
file is drawn from a generator seeded by its SIREN: the same corpus every time. Every file
is validated; the script fails if one is not valid.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path
from typing import Any

import yaml

from ctgdocs import referentiel
from ctgdocs.checking import check_file
from ctgdocs.designation import nom_court_caf
from ctgdocs.scaffold import scaffold
from ctgdocs.schema import CHAMPS, INSTANCES, STATUTS
from ctgdocs.validation import PLACEHOLDER

CORPUS = Path(__file__).resolve().parent / "corpus"
PRENOMS = ["Anne", "Marc", "Sophie", "Karim", "Élodie", "Jean-Pierre", "Nadia", "Loïc", "Chloé"]
NOMS = ["Martin", "Lefèvre", "N'Diaye", "Garnier", "Le Goff", "Moreau", "Da Silva", "Roussel"]
VERBES = [
    "Développer",
    "Créer",
    "Renforcer",
    "Coordonner",
    "Accompagner",
    "Faciliter",
    "Structurer",
    "Soutenir",
]
OBJETS = [
    "l'accueil du jeune enfant",
    "un réseau parentalité",
    "l'offre de loisirs du mercredi",
    "l'accès aux droits des familles rurales",
    "les lieux d'accueil enfants-parents",
    "l'animation de la vie sociale",
    "l'accueil des adolescents",
    "la mobilité des jeunes",
    "l'inclusion numérique des familles",
    "l'accueil des enfants en situation de handicap",
]
PARTENAIRES = [
    "Éducation nationale",
    "Association « Parents & Enfants »",
    'Centre social "Les Tilleuls"',
    "Relais petite enfance",
    "Mission locale",
    "Espace France services",
    "PMI <département>",
    "Maison des jeunes l’Escale",
]
POSTES = ["Personnel d'animation", "Coordination (0,2 ETP)", "Transport", "Fonctionnement"]


def _date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


# Functions a representative holds, masculine and feminine: the act agrees them.
FONCTIONS = {"Directeur": "Directrice", "Président": "Présidente", "Maire": "Maire"}


def _personne(rng: random.Random, qualite: str) -> dict[str, str]:
    civilite = rng.choice(["Madame", "Monsieur"])
    return {
        "civilite": civilite,
        "prenom": rng.choice(PRENOMS),
        "nom": rng.choice(NOMS),
        "qualite": qualite if civilite == "Monsieur" else FONCTIONS[qualite],
    }


def _caisse(departement: str, epci: str) -> str | None:
    """The caisse of a département `ctgdocs init` leaves to choose (None where it named one)."""
    caisses = referentiel.caisses_possibles(departement)
    if not caisses:
        return None
    # Pyrénées-Atlantiques: the Caf du Pays basque serves the Basque country, the Caf du
    # Béarn et de la Soule the rest; Mayotte has one caisse acting as Caf.
    basque = [c for c in caisses if "basque" in c.lower()]
    return basque[0] if basque and "basque" in epci.lower() else caisses[0]


def _texte(rng: random.Random, sujet: str) -> str:
    paragraphs = [f"Le diagnostic fait apparaître un besoin fort concernant {sujet}."]
    if rng.random() < 0.5:
        paragraphs.append(
            "- une offre inégale selon les communes ;\n- des familles mal informées ;\n"
            "- des horaires peu adaptés (7 h – 19 h)."
        )
    if rng.random() < 0.5:
        paragraphs.append("Les partenaires « & associés » s'engagent à en suivre les effets.")
    return "\n\n".join(paragraphs) + "\n"


def _montant(rng: random.Random) -> float:
    return rng.randint(50_000, 6_000_000) / 100


def _fiche(
    rng: random.Random,
    code: str,
    axe: dict[str, Any],
    communes: list[str],
    span: tuple[dt.date, dt.date],
) -> dict[str, Any]:
    sujet = rng.choice(OBJETS)
    debut = _date(rng, span[0], span[0] + dt.timedelta(days=400))
    budget = [{"poste": p, "montant": _montant(rng)} for p in rng.sample(POSTES, rng.randint(1, 4))]
    total = round(sum(line["montant"] for line in budget), 2)
    caf = round(total * rng.choice([0.3, 0.4, 0.5]), 2)
    reste = round(total - caf, 2)
    if rng.random() < 0.2:
        reste = round(reste - 100, 2)  # an unbalanced plan: a warning, not an error
    fiche: dict[str, Any] = {
        "code": code,
        "axe": axe["code"],
        "intitule": f"{rng.choice(VERBES)} {sujet}",
        "champs": rng.sample(axe["champs"], rng.randint(1, len(axe["champs"]))),
        "constat": _texte(rng, sujet),
        "objectifs": [f"Objectif {i} : améliorer {sujet}" for i in range(1, rng.randint(2, 4))],
        "description": _texte(rng, sujet),
        "public": rng.sample(
            ["Familles", "Enfants de 3 à 11 ans", "Jeunes de 12 à 25 ans", "Parents"], 2
        ),
        "communes": "toutes"
        if rng.random() < 0.6
        else rng.sample(communes, min(len(communes), rng.randint(1, 4))),
        "pilote": {
            "partie": rng.choice(["caf", "epci"]),
            "referent": "Coordinatrice enfance-jeunesse",
        },
        "partenaires": rng.sample(PARTENAIRES, rng.randint(0, 4)),
        "calendrier": {"debut": debut, "fin": _date(rng, debut + dt.timedelta(days=90), span[1])},
        "budget": budget,
        "financements": [
            {"financeur": "Caf", "dispositif": "Prestation de service", "montant": caf},
            {"financeur": "Communauté", "montant": reste},
        ],
        "indicateurs": [
            {"libelle": f"Indicateur {i} < seuil & cible", "cible": f"{rng.randint(10, 90)} %"}
            for i in range(1, rng.randint(2, 4))
        ],
        "statut": rng.choice(list(STATUTS)),
    }
    return fiche


def _reunion(
    rng: random.Random, index: int, codes: list[str], span: tuple[dt.date, dt.date], lieu: str
) -> dict[str, Any]:
    # Meetings a season apart: two of one instance never fall on the same day.
    day = span[0] + dt.timedelta(days=30 + 120 * index + rng.randint(0, 60))
    people = [
        {
            "nom": f"{rng.choice(PRENOMS)} {rng.choice(NOMS)}",
            "qualite": "Chargée de mission",
            "structure": rng.choice(["Caf", "Communauté", "MSA", "Commune"]),
            "presence": "present" if n == 0 else rng.choice(["present", "excuse", "absent"]),
        }
        for n in range(rng.randint(2, 8))
    ]
    instance = rng.choice(list(INSTANCES))
    # Whoever chairs attends, first of those present (drawn here: the rest of the file keeps
    # its draws); a participant of the same name is that person.
    president = f"{rng.choice(PRENOMS)} {rng.choice(NOMS)}"
    people = [
        {
            "nom": president,
            "qualite": "Président",
            "structure": "Communauté",
            "presence": "present",
        },
        *(p for p in people if p["nom"] != president),
    ]
    return {
        "id": f"r{index}",
        "instance": instance,
        "date": day,
        "heure_debut": "09:30",
        "heure_fin": "12:00",
        "lieu": lieu,
        "presidence": f"{president}, Président",
        "redacteur": "Coordinatrice enfance-jeunesse",
        "participants": people,
        "ordre_du_jour": [
            "Bilan de l'année",
            "Avancement des fiches actions",
            "Questions diverses",
        ],
        "points": [
            {
                "titre": f"Point {i}",
                "synthese": _texte(rng, "le suivi"),
                "fiches_actions": rng.sample(codes, rng.randint(0, 3)),
            }
            for i in range(1, rng.randint(2, 4))
        ],
        "decisions": [f"Le comité valide le point {i}." for i in range(1, rng.randint(1, 4))],
        "suites": [
            {
                "action": "Préparer le bilan",
                "responsable": "Caf",
                "echeance": day + dt.timedelta(days=60),
            }
        ],
        "prochaine_reunion": {"date": day + dt.timedelta(days=90), "heure": "14:00", "lieu": lieu},
    }


def convention(siren: str) -> dict[str, Any]:
    """The convention of one EPCI, the same for the same SIREN."""
    rng = random.Random(int(siren))
    data: dict[str, Any] = yaml.safe_load(scaffold(siren)[0])
    departement = data["territoire"]["departement"]
    communes = [c["insee"] for c in data["territoire"]["communes"]]
    noms = {c["insee"]: c["nom"] for c in data["territoire"]["communes"]}
    year = rng.choice([2021, 2022, 2023, 2024])
    span = (dt.date(year, 1, 1), dt.date(year + rng.choice([3, 4]), 12, 31))
    lieu = noms[communes[0]]
    convention = data["convention"]
    convention["reference"] = f"CTG-{departement}-{year}-{siren}"
    convention["periode"] = {"debut": span[0], "fin": span[1]}
    signed = rng.random() < 0.85
    signature = _date(rng, span[0] - dt.timedelta(days=60), span[0] + dt.timedelta(days=200))
    if signed:
        convention["signature"] = {"date": signature, "lieu": lieu}
    convention["preambule"] = _texte(rng, "les services aux familles")
    *cafs, epci = data["parties"]  # a Caf per département of the perimeter (init)
    for caf in cafs:
        served = caf["id"].removeprefix("caf").upper() or departement
        caf["nom"] = _caisse(served, data["territoire"]["epci"]["nom"]) or caf["nom"]
        if str(caf["nom_court"]).startswith(PLACEHOLDER):  # a Caf chosen among several
            caf["nom_court"] = nom_court_caf(caf["nom"]) or "la Caf"
        caf["representants"] = [_personne(rng, "Directeur")]
        caf["habilitation"] = {
            "instance": "Conseil d'administration",
            "date": signature - dt.timedelta(days=30),
        }
    epci["representants"] = [_personne(rng, "Président")]
    epci["habilitation"] = {
        "instance": "Conseil communautaire",
        "date": signature - dt.timedelta(days=20),
    }
    data["champs"] = list(CHAMPS)[: rng.randint(4, len(CHAMPS))]
    data["diagnostic"] = {
        "realise_par": "Service enfance-jeunesse, avec la Caf",
        "methodes": ["Analyse des données Insee et Caf", "Questionnaire aux familles"],
        "chiffres_cles": [
            {"libelle": "Familles allocataires", "valeur": f"{rng.randint(300, 90000)}"}
        ],
        "constats": [
            "L'offre d'accueil est concentrée dans la ville-centre.",
            "Les familles rurales connaissent mal les services.",
        ],
    }
    axes = []
    for number in range(1, rng.randint(3, 5) + 1):
        axes.append(
            {
                "code": f"A{number}",
                "intitule": f"{rng.choice(VERBES)} {rng.choice(OBJETS)}",
                "champs": rng.sample(data["champs"], rng.randint(1, 3)),
                "objectifs": [f"Objectif de l'axe {number}"],
            }
        )
    data["axes"] = axes
    fiches = []
    for index in range(rng.randint(15, 30)):
        axe = axes[index % len(axes)]
        fiches.append(
            _fiche(rng, f"FA-{axe['code'][1:]}.{index // len(axes) + 1}", axe, communes, span)
        )
    data["fiches_actions"] = fiches
    data["gouvernance"]["comite_pilotage"]["composition"] = ["Les élus", "La direction de la Caf"]
    codes = [f["code"] for f in fiches]
    data["reunions"] = [_reunion(rng, i, codes, span, lieu) for i in range(rng.randint(3, 6))]
    data["avenants"] = _avenants(rng, communes, noms, span, signature if signed else None)
    return data


def _avenants(
    rng: random.Random,
    communes: list[str],
    noms: dict[str, str],
    span: tuple[dt.date, dt.date],
    signature: dt.date | None,
) -> list[dict[str, Any]]:
    if signature is None:
        return []
    avenants = []
    joining = rng.sample(communes, min(len(communes), 2))
    start = max(signature, span[0]) + dt.timedelta(days=30)
    for numero in range(1, rng.randint(0, 2) + 1):
        effet = start + dt.timedelta(days=200 * numero)
        avenant: dict[str, Any] = {
            "numero": numero,
            "objet": f"Entrée de la commune de {noms[joining[numero - 1]]} dans la convention"
            if numero <= len(joining)
            else "Prolongation de la convention",
            "date_effet": effet,
            "expose": _texte(rng, "l'entrée d'une commune"),
        }
        if numero == 1 or rng.random() < 0.5:
            avenant["signature"] = {
                "date": effet + dt.timedelta(days=10),
                "lieu": noms[communes[0]],
            }
        if numero <= len(joining):
            avenant["communes_ajoutees"] = [
                {
                    "insee": joining[numero - 1],
                    "representants": [_personne(rng, "Maire")],
                    "habilitation": {
                        "instance": "Conseil municipal",
                        "date": effet - dt.timedelta(days=15),
                    },
                }
            ]
        avenants.append(avenant)
    return avenants


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dossier", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--limit", type=int, default=None, help="only the first N EPCIs")
    args = parser.parse_args()
    sirens = sorted(referentiel._data()["epci"])[: args.limit]
    args.dossier.mkdir(parents=True, exist_ok=True)
    invalid = 0
    for siren in sirens:
        path = args.dossier / f"{siren}.yaml"
        path.write_text(
            yaml.safe_dump(convention(siren), allow_unicode=True, sort_keys=False, width=100),
            encoding="utf-8",
        )
        report = check_file(path).report
        if not report.ok:
            invalid += 1
            for problem in report.errors[:5]:
                print(f"{path}: {problem.field}: {problem.message}", file=sys.stderr)
    print(f"{len(sirens)} conventions écrites dans {args.dossier} ; {invalid} invalides")
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main())
