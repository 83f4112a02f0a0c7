"""Who acts for the territory: no département a collectivity replaced, the Caf of its
départements (rules/competences.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ctgdocs.checking import check_file
from ctgdocs.collectivites import SUCCESSIONS, ancien_departement
from ctgdocs.designation import nom_court_et_genre
from ctgdocs.referentiel import (
    caisses_possibles,
    commune,
    departement_au_nom,
    departements_nommes,
    epci,
    nom_caf,
)

from .conftest import FIXTURES

# A small EPCI of each département concerned: (SIREN, type, communes; None for all members).
_TERRITOIRES = {
    "68": ("246800395", "CC", None),  # CC du Val d'Argent
    "67": ("246701080", "CC", None),  # CC du Pays de Sainte-Odile
    "972": ("249720061", "CA", None),  # CA du Centre de la Martinique
    "973": ("200027548", "CC", None),  # CC des Savanes
    "2A": ("200040764", "CC", None),  # CC du Sud Corse
    "2B": ("242000354", "CA", None),  # CA de Bastia
    "75": ("200054781", "METRO", ["75056"]),  # Paris, in the Métropole du Grand Paris
    "69M": ("200046977", "METRO", ["69123", "69266"]),  # Lyon and Villeurbanne
    "69": ("246900757", "CC", None),  # CC de la Vallée du Garon, outside the Métropole
    "67+68": ("200030526", "CC", None),  # CC du Ried de Marckolsheim
    "64": ("246400337", "CC", None),  # CC de la Vallée d'Ossau
    "30": ("243000585", "CC", None),  # CC Beaucaire Terre d'Argence
}


def _communes(territoire: str) -> str:
    siren, _, codes = _TERRITOIRES[territoire]
    known = epci(siren)
    assert known is not None
    lines = []
    for code in codes or known.membres:
        official = commune(code)
        assert official is not None
        lines.append(f'    - {{insee: "{code}", nom: "{official.nom}"}}')
    return "\n".join(lines)


def convention(
    territoire: str,
    *,
    signature: dt.date | None,
    debut: dt.date,
    caf: str = "Caisse d'allocations familiales",
    departement: str | None = None,
    avenants: str = "",
) -> str:
    """A convention of `territoire` signed by its Caf, its EPCI and the `departement` party."""
    siren, type_, _ = _TERRITOIRES[territoire]
    known = epci(siren)
    assert known is not None
    first = _communes(territoire).split('"')[1]
    fin = debut.replace(year=debut.year + 4) - dt.timedelta(days=1)
    habilitation = (signature or debut) - dt.timedelta(days=10)
    signe = f"  signature: {{date: {signature}, lieu: Ici}}\n" if signature else ""
    cd = (
        f"""  - id: cd
    type: departement
    nom: "{departement}"
    representants: [{{civilite: Madame, prenom: Lise, nom: Roux, qualite: Présidente}}]
    habilitation: {{instance: Commission permanente, date: {habilitation}}}
"""
        if departement
        else ""
    )
    return f"""format: 1
convention:
  reference: CTG-TEST
  intitule: Convention territoriale globale
  periode: {{debut: {debut}, fin: {fin}}}
{signe}  preambule: Un préambule.
territoire:
  epci: {{siren: "{siren}", nom: "{known.nom_long}", type: {type_}}}
  departement: "{first[:3] if first.startswith("97") else first[:2]}"
  communes:
{_communes(territoire)}
parties:
  - id: caf
    type: caf
    nom: "{caf}"
    representants: [{{civilite: Madame, prenom: Anne, nom: Martin, qualite: Directrice}}]
    habilitation: {{instance: Conseil d'administration, date: {habilitation}}}
  - id: epci
    type: epci
    nom: "{known.nom_long}"
    representants: [{{civilite: Monsieur, prenom: Paul, nom: Durand, qualite: Président}}]
    habilitation: {{instance: Conseil communautaire, date: {habilitation}}}
{cd}champs: [petite_enfance, jeunesse, parentalite, enfance]
diagnostic:
  constats: [Un constat.]
axes:
  - {{code: A1, intitule: Un axe, objectifs: [Un objectif]}}
gouvernance:
  comite_pilotage: {{composition: [Les élus], frequence: une fois par an}}
{avenants}"""


def _problems(tmp_path: Path, text: str) -> tuple[list[str], list[str]]:
    """Every error of the file, and the warnings of the Caf rule, as `field: message`."""
    source = tmp_path / "c.yaml"
    source.write_text(text, encoding="utf-8")
    report = check_file(source).report.sorted()
    errors = [f"{p.field}: {p.message}" for p in report if p.severity == "erreur"]
    cafs = [f"{p.field}: {p.message}" for p in report if "vérifiez la Caf signataire" in p.message]
    return errors, cafs


def _errors(tmp_path: Path, text: str) -> list[str]:
    return _problems(tmp_path, text)[0]


# (territory, the former département as users name it, the day of the change, the message's
# account of it, the name to write instead).
_ANCIENS = [
    (
        "68",
        "Département du Haut-Rhin",
        dt.date(2021, 1, 1),
        "le Département du Haut-Rhin, remplacé depuis le 1er janvier 2021 par la Collectivité "
        "européenne d'Alsace (loi n° 2019-816 du 2 août 2019)",
        "Collectivité européenne d'Alsace",
    ),
    (
        "67",
        "Conseil départemental du Bas-Rhin",
        dt.date(2021, 1, 1),
        "le Département du Bas-Rhin, remplacé depuis le 1er janvier 2021 par la Collectivité "
        "européenne d'Alsace (loi n° 2019-816 du 2 août 2019)",
        "Collectivité européenne d'Alsace",
    ),
    (
        "972",
        "Département de la Martinique",
        dt.date(2016, 1, 1),
        "le Département de la Martinique, remplacé depuis le 1er janvier 2016 par la "
        "Collectivité territoriale de Martinique (loi n° 2011-884 du 27 juillet 2011)",
        "Collectivité territoriale de Martinique",
    ),
    (
        "973",
        "Conseil général de la Guyane",
        dt.date(2016, 1, 1),
        "le Département de la Guyane, remplacé depuis le 1er janvier 2016 par la Collectivité "
        "territoriale de Guyane (loi n° 2011-884 du 27 juillet 2011)",
        "Collectivité territoriale de Guyane",
    ),
    (
        "2A",
        "Département de la Corse-du-Sud",
        dt.date(2018, 1, 1),
        "le Département de la Corse-du-Sud, remplacé depuis le 1er janvier 2018 par la "
        "Collectivité de Corse (loi n° 2015-991 du 7 août 2015)",
        "Collectivité de Corse",
    ),
    (
        "2B",
        "département de la Haute Corse",
        dt.date(2018, 1, 1),
        "le Département de la Haute-Corse, remplacé depuis le 1er janvier 2018 par la "
        "Collectivité de Corse (loi n° 2015-991 du 7 août 2015)",
        "Collectivité de Corse",
    ),
    (
        "75",
        "Département de Paris",
        dt.date(2019, 1, 1),
        "le Département de Paris, remplacé depuis le 1er janvier 2019 par la Ville de Paris "
        "(loi n° 2017-257 du 28 février 2017)",
        "Ville de Paris",
    ),
]


@pytest.mark.parametrize(
    ("territoire", "nom", "day", "said", "successeur"), _ANCIENS, ids=[a[0] for a in _ANCIENS]
)
def test_a_former_departement_is_an_error_from_the_day_of_the_change(
    tmp_path: Path, *, territoire: str, nom: str, day: dt.date, said: str, successeur: str
) -> None:
    debut = dt.date(day.year - 1, 1, 1)
    before = day - dt.timedelta(days=1)
    assert (
        _errors(tmp_path, convention(territoire, signature=before, debut=debut, departement=nom))
        == []
    )
    text = convention(territoire, signature=day, debut=debut, departement=nom)
    assert _errors(tmp_path, text) == [
        f"parties[2].nom: la partie « cd » nomme {said}, et la convention est signée le "
        f"1er janvier {day.year} : écrivez « {successeur} »"
    ]
    # Written as asked, the convention is valid, and names the collectivity « la Collectivité ».
    assert _errors(tmp_path, text.replace(nom, successeur)) == []


def test_the_rhone_on_the_metropole_de_lyon(tmp_path: Path) -> None:
    nom = "Département du Rhône"
    debut = dt.date(2014, 1, 1)
    before = convention("69M", signature=dt.date(2014, 12, 31), debut=debut, departement=nom)
    assert _errors(tmp_path, before) == []
    text = convention("69M", signature=dt.date(2015, 1, 1), debut=debut, departement=nom)
    assert _errors(tmp_path, text) == [
        "parties[2].nom: la partie « cd » nomme le Département du Rhône, remplacé depuis le 1er "
        "janvier 2015 par la Métropole de Lyon sur les communes de celle-ci, qui forment tout le "
        "périmètre (loi n° 2014-58 du 27 janvier 2014), et la convention est signée le 1er "
        "janvier 2015 : la Métropole de Lyon y est déjà partie (parties[1]) ; retirez cette partie"
    ]
    # Outside the Métropole, the Département du Rhône is the département.
    outside = convention(
        "69", signature=dt.date(2024, 6, 1), debut=dt.date(2024, 1, 1), departement=nom
    )
    assert _errors(tmp_path, outside) == []


@pytest.mark.parametrize(
    "nom",
    [
        "Département du Haut-Rhin",
        "Conseil départemental du Haut-Rhin",
        "Conseil Départemental du Haut Rhin",
        "departement du haut rhin",
        "DÉPARTEMENT DU HAUT-RHIN",
        "Conseil général du Haut-Rhin",
        "Le Département du Haut-Rhin",
        "Département du Haut-Rhin (68)",
        "CD 68",
        "CD68",
        "Haut-Rhin",
        "Département du Haut–Rhin",
    ],
)
def test_typing_variants_of_a_former_departement(nom: str) -> None:
    found = ancien_departement(nom)
    assert found is not None
    assert found[0] == "68"
    assert found[1].successeur == "Collectivité européenne d'Alsace"


@pytest.mark.parametrize(
    ("nom", "code"),
    [
        ("département de la Haute Corse", "2B"),
        ("Departement de Haute-Corse", "2B"),
        ("Conseil départemental de la Corse du Sud", "2A"),
        ("Département 2A", "2A"),
        ("Conseil general de la Martinique", "972"),
        ("Département de Guyane", "973"),
        ("Conseil de Paris (département)", "75"),
        ("Département du Rhône", "69"),
    ],
)
def test_typing_variants_of_other_former_departements(nom: str, code: str) -> None:
    found = ancien_departement(nom)
    assert found is not None
    assert found[0] == code


@pytest.mark.parametrize(
    "nom",
    [
        # The collectivities that replaced them, and their organs.
        "Collectivité européenne d'Alsace",
        "La Collectivité européenne d'Alsace",
        "Collectivite europeenne d Alsace",
        "Collectivité territoriale de Martinique",
        "Collectivité Territoriale de Guyane",
        "Collectivité de Corse",
        "Ville de Paris",
        "Métropole de Lyon",
        "Assemblée de Martinique",
        "Conseil exécutif de Corse",
        # Départements that remain, whose names hold a former one's words.
        "Département des Bouches-du-Rhône",
        "Département de la Guadeloupe",
        "Département de La Réunion",
        "Département de Mayotte",
        "Département de la Nièvre",
        "Département de la Loire",
        "Département de la Haute-Loire",
        "Conseil départemental de la Haute-Savoie",
        "Département du Gard",
    ],
)
def test_new_collectivities_and_ordinary_departements_are_not_former_ones(nom: str) -> None:
    assert ancien_departement(nom) is None


@pytest.mark.parametrize(
    ("territoire", "nom"),
    [
        ("68", "Collectivité européenne d'Alsace"),
        ("972", "Collectivité territoriale de Martinique"),
        ("973", "Collectivité territoriale de Guyane"),
        ("2B", "Collectivité de Corse"),
        ("75", "Ville de Paris"),
        ("69", "Département du Rhône"),
        ("30", "Département du Gard"),
    ],
)
def test_the_collectivities_in_place_are_accepted(
    tmp_path: Path, territoire: str, nom: str
) -> None:
    text = convention(
        territoire, signature=dt.date(2024, 6, 1), debut=dt.date(2024, 1, 1), departement=nom
    )
    assert _errors(tmp_path, text) == []


def test_the_collectivities_are_named_by_their_first_word() -> None:
    # designation.py reads the same table: « la Collectivité », « la Ville », « la Métropole ».
    for succession in SUCCESSIONS:
        partie = {"type": "departement", "nom": succession.successeur}
        first = succession.successeur.split(" ", 1)[0]
        assert nom_court_et_genre(partie, None) == (f"la {first}", "feminin")


_AVENANT = """avenants:
  - numero: 1
    objet: Prolongation d'un an
    date_effet: {effet}
{signature}    expose: La convention est prolongée d'un an.
    nouvelle_fin: 2023-12-31
    habilitations:
      - {{partie: caf, instance: Conseil d'administration, date: 2020-11-02}}
      - {{partie: epci, instance: Conseil communautaire, date: 2020-11-03}}
      - {{partie: cd, instance: Commission permanente, date: 2020-11-04}}
"""


def _avenant(effet: dt.date, signature: dt.date | None) -> str:
    signe = f"    signature: {{date: {signature}, lieu: Lièpvre}}\n" if signature else ""
    return _AVENANT.format(effet=effet, signature=signe)


def test_an_avenant_after_the_change_is_signed_by_the_successor(tmp_path: Path) -> None:
    """The convention signed by the Département names it rightly; its avenant after the
    change is signed by the successor, which the format cannot name for the avenant alone:
    a warning that says so, never an error the file cannot answer."""
    nom = "Département du Haut-Rhin"

    def problems(effet: dt.date, signature: dt.date | None) -> tuple[list[str], list[str]]:
        text = convention(
            "68",
            signature=dt.date(2019, 10, 15),
            debut=dt.date(2019, 1, 1),
            departement=nom,
            avenants=_avenant(effet, signature),
        )
        source = tmp_path / "c.yaml"
        source.write_text(text, encoding="utf-8")
        report = check_file(source).report.sorted()
        said = [f"{p.field}: {p.message}" for p in report if "Collectivité européenne" in p.message]
        errors = [f"{p.field}: {p.message}" for p in report if p.severity == "erreur"]
        return errors, [m for m in said if m not in errors]

    # Convention and avenant before the Collectivité européenne d'Alsace: nothing to say.
    assert problems(dt.date(2021, 1, 1), dt.date(2020, 12, 31)) == ([], [])
    said = (
        "parties[2].nom: la partie « cd » nomme le Département du Haut-Rhin, remplacé depuis le "
        "1er janvier 2021 par la Collectivité européenne d'Alsace (loi n° 2019-816 du 2 août "
        "2019), et l'avenant n° 1, que signent les parties de la convention, "
    )
    fix = (
        " : l'avenant est signé par la Collectivité européenne d'Alsace, qui succède au "
        "Département dans la convention ; ctgdocs ne renomme pas une partie pour ses seuls "
        "avenants : corrigez son nom dans l'avenant avant signature"
    )
    assert problems(dt.date(2021, 2, 1), dt.date(2021, 1, 1)) == (
        [],
        [f"{said}est signé le 1er janvier 2021{fix}"],
    )
    # An avenant not signed yet is dated by its effect.
    assert problems(dt.date(2020, 12, 31), None) == ([], [])
    assert problems(dt.date(2021, 1, 1), None) == (
        [],
        [f"{said}prend effet le 1er janvier 2021{fix}"],
    )


@pytest.mark.parametrize(
    ("nom", "signature", "attendu"),
    [
        (
            "Collectivité européenne d'Alsace",
            dt.date(2020, 12, 31),
            "parties[2].nom: « Collectivité européenne d'Alsace » : la Collectivité européenne "
            "d'Alsace n'existe que depuis le 1er janvier 2021 (loi n° 2019-816 du 2 août 2019), "
            "et la convention est signée le 31 décembre 2020 : l'acte est signé par le "
            "Département du Bas-Rhin ou du Haut-Rhin",
        ),
        ("Collectivité européenne d'Alsace", dt.date(2021, 1, 1), None),
        ("Département du Haut-Rhin", dt.date(2020, 12, 31), None),
    ],
)
def test_a_successor_is_named_only_once_it_exists(
    tmp_path: Path, nom: str, signature: dt.date, attendu: str | None
) -> None:
    text = convention("68", signature=signature, debut=dt.date(2021, 1, 1), departement=nom)
    assert _errors(tmp_path, text) == ([attendu] if attendu else [])


def test_a_projet_is_dated_by_its_period_or_its_deliberations(tmp_path: Path) -> None:
    nom = "Conseil départemental de la Haute-Corse"
    assert (
        _errors(
            tmp_path, convention("2B", signature=None, debut=dt.date(2017, 12, 31), departement=nom)
        )
        == []
    )
    assert _errors(
        tmp_path, convention("2B", signature=None, debut=dt.date(2018, 1, 1), departement=nom)
    ) == [
        "parties[2].nom: la partie « cd » nomme le Département de la Haute-Corse, remplacé "
        "depuis le 1er janvier 2018 par la Collectivité de Corse (loi n° 2015-991 du 7 août "
        "2015), et la convention, en projet, prend effet le 1er janvier 2018 : écrivez "
        "« Collectivité de Corse »"
    ]
    # A period begun before, but a deliberation of the new year: it is signed after it.
    text = convention("2B", signature=None, debut=dt.date(2017, 6, 1), departement=nom)
    text = text.replace("date: 2017-05-22}\n  - id: epci", "date: 2018-01-01}\n  - id: epci")
    assert _errors(tmp_path, text) == [
        "parties[2].nom: la partie « cd » nomme le Département de la Haute-Corse, remplacé "
        "depuis le 1er janvier 2018 par la Collectivité de Corse (loi n° 2015-991 du 7 août "
        "2015), et la convention, en projet, sera signée après la délibération du 1er janvier "
        "2018 : écrivez « Collectivité de Corse »"
    ]


def test_the_territories_fixtures_name_the_collectivities_in_place(tmp_path: Path) -> None:
    # Corsica (2024, Collectivité de Corse), Lyon (the Métropole), Mayotte, La Réunion.
    for name in ("corse", "lyon", "mayotte", "reunion", "guadeloupe-av2"):
        report = check_file(FIXTURES / "territoires" / f"{name}.yaml").report
        assert not [p for p in report.problems if p.severity == "erreur"], name
    corse = (FIXTURES / "territoires" / "corse.yaml").read_text(encoding="utf-8")
    source = tmp_path / "corse.yaml"
    source.write_text(
        corse.replace("nom: Collectivité de Corse\n", "nom: Département de la Corse-du-Sud\n"),
        encoding="utf-8",
    )
    errors = [p for p in check_file(source).report.sorted() if p.severity == "erreur"]
    assert [(p.field, p.line) for p in errors] == [("parties[3].nom", 82)]
    assert errors[0].message.startswith(
        "la partie « cdc » nomme le Département de la Corse-du-Sud, remplacé depuis le 1er "
        "janvier 2018 par la Collectivité de Corse"
    )


def test_a_caf_of_another_departement_is_warned(tmp_path: Path) -> None:
    debut, signed = dt.date(2024, 1, 1), dt.date(2024, 6, 1)
    text = convention(
        "68", signature=signed, debut=debut, caf="Caisse d'allocations familiales du Bas-Rhin"
    )
    assert _problems(tmp_path, text) == (
        [],
        [
            "parties[0].nom: « Caisse d'allocations familiales du Bas-Rhin » nomme le "
            "département du Bas-Rhin (67), où n'est située aucune commune du périmètre "
            "(Haut-Rhin (68) : 4 communes) : une Caf n'agit que pour les familles de son "
            "département ; vérifiez la Caf signataire (attendue : « Caisse d'allocations "
            "familiales du Haut-Rhin »)"
        ],
    )
    short = convention("68", signature=signed, debut=debut, caf="Caf du bas rhin")
    assert len(_problems(tmp_path, short)[1]) == 1
    for right in ("Caisse d'allocations familiales du Haut-Rhin", "Caf du Haut Rhin"):
        assert _problems(tmp_path, convention("68", signature=signed, debut=debut, caf=right)) == (
            [],
            [],
        )


def test_a_caf_of_any_departement_of_the_perimeter_is_accepted(tmp_path: Path) -> None:
    # The CC du Ried de Marckolsheim lies in the Bas-Rhin and the Haut-Rhin.
    debut, signed = dt.date(2024, 1, 1), dt.date(2024, 6, 1)
    for caf in ("Caisse d'allocations familiales du Bas-Rhin", "Caf du Haut-Rhin"):
        assert (
            _problems(tmp_path, convention("67+68", signature=signed, debut=debut, caf=caf))[1]
            == []
        )
    text = convention("67+68", signature=signed, debut=debut, caf="Caf de la Moselle")
    [warning] = _problems(tmp_path, text)[1]
    assert warning.startswith(
        "parties[0].nom: « Caf de la Moselle » nomme le département de la Moselle (57), où "
        "n'est située aucune commune du périmètre (Bas-Rhin (67) : "
    )
    assert warning.endswith(
        "(attendue : « Caisse d'allocations familiales du Bas-Rhin » ou « Caisse d'allocations "
        "familiales du Haut-Rhin »)"
    )


def test_a_caf_name_without_a_departement_says_nothing(tmp_path: Path) -> None:
    debut, signed = dt.date(2024, 1, 1), dt.date(2024, 6, 1)
    # The Pyrénées-Atlantiques' two Cafs name no département.
    for caf in (
        "Caf de Béarn et Soule",
        "Caisse d'allocations familiales du Béarn et de la Soule",
        "Caisse d'allocations familiales du Pays basque et du Seignanx",
        "Caisse d'allocations familiales",
    ):
        assert (
            _problems(tmp_path, convention("64", signature=signed, debut=debut, caf=caf))[1] == []
        )
    [warning] = _problems(
        tmp_path, convention("64", signature=signed, debut=debut, caf="Caf des Landes")
    )[1]
    assert warning.endswith(
        "(attendue : « Caisse d'allocations familiales du Béarn et de la Soule » ou « Caisse "
        "d'allocations familiales du Pays basque »)"
    )


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Caisse d'allocations familiales de la Haute-Loire", ["43"]),
        ("Caf de la Loire", ["42"]),
        ("Caf de Loire-Atlantique", ["44"]),
        ("Caf des Bouches-du-Rhône", ["13"]),
        ("Caf du Rhône", ["69"]),
        ("Caf de la Réunion", ["974"]),
        ("Caf Réunion", ["974"]),
        ("Caf de Lot-et-Garonne", ["47"]),
        ("Caf de l'Ain", ["01"]),
        ("Caf du Val-d'Oise", ["95"]),
        ("Caf de Savoie et de Haute-Savoie", ["73", "74"]),
        ("Caisse de sécurité sociale de Mayotte", ["976"]),
        ("Caf du Pays basque et du Seignanx", []),
        ("Caf de Saint-Martin", []),  # a collectivité d'outre-mer, and a commune's name
    ],
)
def test_departements_named_in_a_text(text: str, codes: list[str]) -> None:
    assert departements_nommes(text) == codes


def test_departement_au_nom() -> None:
    assert departement_au_nom("de la Haute Corse") == "2B"
    assert departement_au_nom("La Réunion") == "974"
    assert departement_au_nom("Assemblée de Martinique") is None


def test_every_caf_name_ctgdocs_writes_names_its_departement() -> None:
    # `ctgdocs init` names the Caf after its département: the rule must read it back.
    codes = [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"]
    for code in codes + [str(n) for n in range(971, 977)]:
        caf = nom_caf(code)
        caisses = [caf] if caf else list(caisses_possibles(code))
        for name in caisses:
            assert departements_nommes(name) in ([code], []), name
        assert caf is None or departements_nommes(caf) == [code]
