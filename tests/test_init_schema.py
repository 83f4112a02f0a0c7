"""`ctgdocs init` (scaffold from the reference data) and `ctgdocs schema` (JSON Schema)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from ctgdocs.loader import parse_text

from .conftest import EXAMPLES, FIXTURES, run


def test_init_beaucaire(tmp_path: Path) -> None:
    result = run("init", "--epci", "243000585", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    path = tmp_path / "cc-beaucaire-terre-d-argence.yaml"
    text = path.read_text(encoding="utf-8")
    assert "nom: Caisse d'allocations familiales du Gard" in text
    for code, name in [
        ("30032", "Beaucaire"),
        ("30034", "Bellegarde"),
        ("30117", "Fourques"),
        ("30135", "Jonquières-Saint-Vincent"),
        ("30336", "Vallabrègues"),
    ]:
        assert f'- {{insee: "{code}", nom: {name}}}' in text
    assert 'departement: "30"' in text
    assert "type: CC" in text
    assert "Convention créée : cc-beaucaire-terre-d-argence.yaml" in result.stderr


def test_init_output_reports_exactly_its_placeholders(tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    assert run("init", "--epci", "200068468", "-o", path).exit_code == 0
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    # A placeholder inside a block (preambule: |) is located at the block's "|".
    placeholders = [
        i if lines[i - 1].endswith("|") else i + 1
        for i, line in enumerate(lines)
        if "À COMPLÉTER" in line and "#" not in line
    ]
    result = run("validate", path)
    assert result.exit_code == 1
    problems = result.stdout.splitlines()[:-1]
    assert len(problems) == len(placeholders) > 10
    for line_number, problem in zip(placeholders, problems, strict=True):
        assert re.match(
            rf"^{re.escape(str(path))}:{line_number}:\d+: erreur: .*: à compléter", problem
        )
    assert "Caisse d'allocations familiales de l'Orne" in text
    assert '{insee: "61214", nom: "L\'Aigle"}' in text or "nom: L'Aigle}" in text


def test_init_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "exists.yaml"
    path.write_text("mon travail\n", encoding="utf-8")
    result = run("init", "--epci", "243000585", "-o", path)
    assert result.exit_code == 1
    assert result.stderr == f"Erreur : {path} existe déjà : choisissez un autre nom avec -o\n"
    assert path.read_text(encoding="utf-8") == "mon travail\n"


def test_init_to_stdout() -> None:
    result = run("init", "--epci", "248200099", "-o", "-")
    assert result.exit_code == 0
    assert "nom: Caisse d'allocations familiales de Tarn-et-Garonne" in result.stdout
    assert result.stdout.count("- {insee:") == 12


@pytest.mark.parametrize(
    ("siren", "message"),
    [
        (
            "243000586",
            "--epci 243000586 : SIREN invalide (9 chiffres dont une clé de contrôle de Luhn)",
        ),
        ("12345", "--epci 12345 : SIREN invalide (9 chiffres dont une clé de contrôle de Luhn)"),
        ("200000016", "--epci 200000016 : EPCI inconnu du référentiel"),
    ],
)
def test_init_bad_siren(tmp_path: Path, siren: str, message: str) -> None:
    result = run("init", "--epci", siren, cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Erreur : {message}")
    assert list(tmp_path.iterdir()) == []


def load_text_tree(path: Path) -> object:
    data, _ = parse_text(path.read_text(encoding="utf-8"))
    return data


def test_schema_is_valid_json_schema_and_accepts_examples() -> None:
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for example in EXAMPLES:
        errors = list(validator.iter_errors(load_text_tree(example)))
        assert errors == [], (example.name, errors[:1])


def test_schema_rejects_what_validate_rejects() -> None:
    schema = json.loads(run("schema").stdout)
    validator = jsonschema.Draft202012Validator(schema)
    for name in ("cle-inconnue", "valeurs-permises", "dates", "insee-mal-forme"):
        tree = load_text_tree(FIXTURES / "invalides" / f"{name}.yaml")
        assert list(validator.iter_errors(tree)), name


def test_init_flags_an_epci_over_several_departements() -> None:
    result = run("init", "--epci", "200054781", "-o", "-")  # Métropole du Grand Paris
    assert result.exit_code == 0
    assert "# L'EPCI s'étend aussi sur : 75, 91, 92, 93, 95." in result.stdout
    assert 'departement: "94"' in result.stdout
    # A Caf acts for its own département: each one's Caf is a party, named by it.
    cafs = re.findall(r"  - id: (caf\w*)\n    type: caf\n.*\n    nom_court: (.*)\n", result.stdout)
    assert cafs == [
        ("caf", "la Caf du Val-de-Marne"),
        ("caf75", "la Caf de Paris"),
        ("caf91", "la Caf de l'Essonne"),
        ("caf92", "la Caf des Hauts-de-Seine"),
        ("caf93", "la Caf de la Seine-Saint-Denis"),
        ("caf95", "la Caf du Val-d'Oise"),
    ]
    single = run("init", "--epci", "243000585", "-o", "-")
    assert "s'étend aussi sur" not in single.stdout
    assert "  - id: caf\n    type: caf\n" in single.stdout and "caf30" not in single.stdout


def test_init_by_name_or_spaced_siren() -> None:
    by_siren = run("init", "--epci", "248200099", "-o", "-").stdout
    for query in ("248 200 099", "Grand Montauban", "grand montauban", "CA Grand Montauban"):
        result = run("init", "--epci", query, "-o", "-")
        assert result.exit_code == 0, (query, result.stderr)
        assert result.stdout.replace(f"--epci {query} »", "--epci 248200099 »") == by_siren
    # Accents ignored, a part of the name is enough when it names one EPCI.
    assert "Pays de L'Aigle" in run("init", "--epci", "pays de l'aigle", "-o", "-").stdout
    assert (
        'siren: "243000585"' in run("init", "--epci", "Beaucaire terre d argence", "-o", "-").stdout
    )


def test_init_ambiguous_name_lists_candidates(tmp_path: Path) -> None:
    result = run("init", "--epci", "quatre rivières", cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr == (
        "Erreur : --epci quatre rivières : 3 EPCI correspondent ; précisez le nom ou donnez "
        "le SIREN :\n"
        "  247000623  Communauté de communes des Quatre Rivières (70)\n"
        "  247400666  Communauté de communes des Quatre Rivières (74)\n"
        "  200069730  Communauté de communes des Quatre Rivières en Bray (76)\n"
    )
    # Whole words: "Lyon" is not "Lyonnais".
    lyon = run("init", "--epci", "Lyon", cwd=tmp_path)
    assert lyon.stderr.count("\n  ") == 2 and "Lyonnais" not in lyon.stderr
    unknown = run("init", "--epci", "Nulle Part", cwd=tmp_path)
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith("Erreur : --epci Nulle Part : aucun EPCI de ce nom")
    # What was typed is quoted on one line, without control characters, and cut when long.
    hostile = run("init", "--epci", "a\x01b\x1b[31m" + "x" * 100_000, cwd=tmp_path)
    assert hostile.exit_code == 2
    assert hostile.stderr.startswith(
        "Erreur : --epci a?b?[31m" + "x" * 42 + "… (100008 caractères) : aucun EPCI"
    )
    assert len(hostile.stderr) < 300
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("siren", "caf"),
    [
        # Pyrénées-Atlantiques: two Cafs; the agent chooses, nothing is invented.
        (
            "200039204",
            "nom: \"À COMPLÉTER : la Caf compétente : Caisse d'allocations familiales du Béarn "
            "et de la Soule ou Caisse d'allocations familiales du Pays basque\"",
        ),
        # Mayotte: no Caf, the Caisse de sécurité sociale acts as one.
        (
            "200050532",
            'nom: "À COMPLÉTER : pas de Caf dans ce département ; organisme qui en tient lieu : '
            'Caisse de sécurité sociale de Mayotte"',
        ),
        ("200023307", "nom: Caisse d'allocations familiales de Lot-et-Garonne"),
        ("200000800", "nom: Caisse d'allocations familiales de Loir-et-Cher"),
    ],
)
def test_init_caf_as_it_names_itself(siren: str, caf: str) -> None:
    result = run("init", "--epci", siren, "-o", "-")
    assert result.exit_code == 0, result.stderr
    assert caf in result.stdout


def test_init_invents_no_signing_place_and_flags_short_names() -> None:
    montauban = run("init", "--epci", "248200099", "-o", "-").stdout
    # The reference data has no seat: no commune is suggested (Albefeuille-Lagarde, the
    # first alphabetically, is not where the CTG is signed).
    assert "lieu: Albefeuille-Lagarde" not in montauban
    assert "#   lieu: commune de signature (souvent le siège de l'EPCI)" in montauban
    # « CA Grand Montauban » lost the article of « … du Grand Montauban »: say so.
    assert montauban.count("# Nom abrégé du référentiel (DGCL) : vérifiez") == 2
    aigle = run("init", "--epci", "200068468", "-o", "-").stdout
    assert "Nom abrégé" not in aigle  # « CC des Pays de L'Aigle » keeps its article


@pytest.mark.parametrize(
    ("siren", "de_epci"),
    [
        ("243000585", "de la Communauté de communes Beaucaire Terre d'Argence"),
        # A place followed by its kind takes no article, « de » elides before a vowel.
        ("200039865", "de Metz Métropole"),
        ("244500468", "d'Orléans Métropole"),
        ("246700488", "de l'Eurométropole de Strasbourg"),
        ("200054807", "de la Métropole d'Aix-Marseille-Provence"),
    ],
)
def test_init_title_names_the_epci_with_its_own_article(siren: str, de_epci: str) -> None:
    # « … de services aux familles de la Metz Métropole » named the EPCI otherwise than
    # the convention's body (« sur le territoire de Metz Métropole ») and its statutes.
    result = run("init", "--epci", siren, "-o", "-")
    assert result.exit_code == 0, result.stderr
    intitule = f"Convention territoriale globale de services aux familles {de_epci}"
    assert parse_text(result.stdout)[0]["convention"]["intitule"] == intitule


def test_init_short_name_of_each_caf_is_its_own_name() -> None:
    # The Caf de Vaucluse names itself so, not as the COG's « du Vaucluse »: its short
    # name in « ci-après dénommée … » must say the same.
    result = run("init", "--epci", "200054807", "-o", "-")  # Aix-Marseille-Provence
    cafs = re.findall(
        r"  - id: (caf\w*)\n    type: caf\n    nom: (.*)\n    nom_court: (.*)\n", result.stdout
    )
    assert cafs == [
        (
            "caf",
            "Caisse d'allocations familiales des Bouches-du-Rhône",
            "la Caf des Bouches-du-Rhône",
        ),
        ("caf83", "Caisse d'allocations familiales du Var", "la Caf du Var"),
        ("caf84", "Caisse d'allocations familiales de Vaucluse", "la Caf de Vaucluse"),
    ]
    # Where the Caf is to be chosen, its short name is too: none names a département.
    bearn = run("init", "--epci", "200072106", "-o", "-").stdout  # over 64 and 65
    assert "la Caf des Pyrénées-Atlantiques" not in bearn
    assert 'nom_court: "À COMPLÉTER : nom court de la Caf choisie' in bearn
