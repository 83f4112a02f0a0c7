"""The compiled schema finds exactly cerberus' errors, and types the data as before.

Cerberus and the former conversion (tests/reference_validation.py) are the reference: both
must give the same errors, with the same paths, values and constraints, in the same order
(only the missing keys of one block may come in another order, cerberus taking them from a
set), and the same typed data; on fixtures, examples, corpus, hostile cases, generated.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ctgdocs.errors import InvalidConventionError
from ctgdocs.loader import _Failure, load_convention, parse_text
from ctgdocs.problems import INTERDITS
from ctgdocs.referentiel import epcis
from ctgdocs.scalars import _HORS_TEXTE, CONTROLE, INVISIBLE
from ctgdocs.schema import GUILLEMETS, SCHEMA, Schema
from ctgdocs.schema_check import REQUIS, SchemaError, _compile, check_document
from ctgdocs.validation import _rules_at

from .conftest import EXAMPLES, FIXTURES, ROOT, examples
from .reference_validation import cerberus_errors, reference_convert
from .test_properties import SETTINGS, SOURCES, TREES, mutated

FILES = sorted(FIXTURES.rglob("*.yaml")) + EXAMPLES


def _bench(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def in_cerberus_order(errors: list[SchemaError]) -> list[SchemaError]:
    """The errors, each run of missing keys sorted (cerberus gives them in a set's order)."""
    ordered: list[SchemaError] = []
    run: list[SchemaError] = []
    for error in errors:
        if error.kind == REQUIS:
            run.append(error)
            continue
        ordered += [*sorted(run, key=repr), error]
        run = []
    return ordered + sorted(run, key=repr)


def assert_same_errors(document: Any) -> list[SchemaError]:
    document = document if isinstance(document, dict) else {"format": "1", "x": document}
    found, typed = check_document(document)
    assert in_cerberus_order(found) == in_cerberus_order(cerberus_errors(document))
    # Same values of the same types (Decimal("1.0") == Decimal("1.00"), but not their repr).
    assert repr(typed) == repr(reference_convert(document))
    return found


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_fixtures_and_examples_give_cerberus_errors(path: Path) -> None:
    try:
        loaded = load_convention(path)
    except InvalidConventionError:
        return  # refused by the loader: never reaches the schema
    assert_same_errors(loaded.data)


def test_fixtures_exercise_every_kind_of_error() -> None:
    # A differential test over files without errors would prove little.
    kinds = set()
    for path in FILES:
        try:
            kinds |= {e.kind for e in check_document(load_convention(path).data)[0]}
        except InvalidConventionError:
            continue
    assert kinds == {"requis", "inconnu", "nul", "type", "longueur", "valeur", "motif"}


def test_corpus_conventions_give_cerberus_errors() -> None:
    # One EPCI in 25 of the national corpus (bench/corpus.py), as written there.
    corpus = _bench("corpus")
    for epci in epcis()[::25]:
        text = yaml.safe_dump(corpus.convention(epci.siren), allow_unicode=True, sort_keys=False)
        assert assert_same_errors(parse_text(text)[0]) == []


def test_hostile_inputs_give_cerberus_errors() -> None:
    # The cases of bench/hostile.py: wrong types, numbers, lengths, names, quotes (and, with
    # CTGDOCS_EXAMPLES, characters, which the loader refuses before the schema).
    hostile = _bench("hostile")
    kinds = [k for k in (*hostile.REFERENCE_KINDS, "types") if k != "caracteres" or examples(1) > 1]
    found = {}
    for kind in kinds:
        found[kind] = 0
        # Every key of the format replaced by every type: one case in twenty, all with more.
        stride = 20 if kind == "types" and examples(1) == 1 else 1
        for case in list(hostile.KINDS[kind]())[::stride]:
            try:
                document = parse_text(case.text)[0]
            except _Failure:
                continue
            found[kind] += len(assert_same_errors(document))
    assert sum(found.values()) > 1000
    assert all(found[kind] for kind in kinds if kind != "caracteres"), found


def _values(rules: Schema) -> st.SearchStrategy[Any]:
    """Near-valid and invalid values for a field: each type's traps, None, a block, a list."""
    type_ = rules.get("type", "")
    traps = {
        "texte": ["x", "Un texte.\n\nDeux.", " ", "", "a\x01b", "a\rb", "\ufffe", "x" * 50_001],
        "ligne": ["x", "a\nb", " a ", "x" * 301, "a\x7f", "« A »", "À COMPLÉTER (nom)"],
        "code": ["FA-1.1", "“A1”", "a/b", "a\\b", "A1 ", "x" * 51, "a\nb", "cle_1", "2023-2027"],
        "date": ["2020-01-01", "2020-02-30", "9999-12-31", "1899-12-31", "28/06/2018", "x"],
        "heure": ["14:30", "9h05", "24:00", "16 h", "12:60"],
        "montant": ["8500.50", "8 500,50 €", "-1", "1e9", "1234567890", "0.123", "0,5"],
        "entier": ["1", "0", "01", "10000", "²", "9" * 40, "2"],
        "insee": ["61214", "2A004", "20004", "97101", "6121", "٦١٢١٤"],
        "siren": ["200068468", "20006846", "²00068468", "200068469"],
        "departement": ["61", "2A", "20", "971", "977"],
        "communes_fiche": ["toutes", "aucune", ["61214"], []],
    }.get(type_, [])
    allowed = list(rules.get("allowed", []))
    near = [value.upper() for value in allowed[:2]] + [f"{value}x" for value in allowed[:1]]
    shapes: list[Any] = [None, {}, [], {"x": "1"}, ["x"], "x"]
    return st.sampled_from(traps + allowed + near + shapes) if traps or allowed else st.nothing()


def _documents(rules: Schema, depth: int = 0) -> st.SearchStrategy[Any]:
    """Documents shaped by the schema, with keys missing, unknown or misplaced, and traps."""
    type_ = rules.get("type")
    inner = rules.get("schema")
    other = st.sampled_from([None, "x", {}, [], {"x": None}, ["a", None]])
    if type_ == "dict" and isinstance(inner, dict):
        fields = {
            name: st.one_of(
                st.just(_MISSING), _documents(sub, depth + 1), st.sampled_from([None, "x"])
            )
            if not sub.get("required")
            else st.one_of(_documents(sub, depth + 1), st.just(_MISSING))
            for name, sub in inner.items()
        }
        extra = st.dictionaries(
            st.sampled_from(["x", "cle", f"{next(iter(inner))}s", "Code", *inner]),
            st.sampled_from(["x", None, {}]),
            max_size=2,
        )
        return st.one_of(
            st.builds(_block, st.fixed_dictionaries(fields), extra, st.randoms()), other
        )
    if type_ == "list" and isinstance(inner, dict):
        return st.one_of(
            st.lists(_documents(inner, depth + 1), max_size=2 if depth < 2 else 1), other
        )
    return st.one_of(_values(rules), other)


_MISSING = object()


def _block(fields: dict[str, Any], extra: dict[str, Any], rng: Any) -> dict[str, Any]:
    block = {name: value for name, value in fields.items() if value is not _MISSING}
    for name, value in extra.items():
        block.setdefault(name, value)
    keys = list(block)
    if rng.random() < 0.3:
        rng.shuffle(keys)  # the order of keys is the order of errors
    return {key: block[key] for key in keys}


DOCUMENTS = _documents({"type": "dict", "schema": SCHEMA})


@settings(max_examples=examples(300), **SETTINGS)
@given(document=DOCUMENTS)
def test_documents_shaped_by_the_schema_give_cerberus_errors(document: Any) -> None:
    assert_same_errors(document)


@settings(max_examples=examples(200), **SETTINGS)
@given(document=TREES)
def test_arbitrary_documents_give_cerberus_errors(document: Any) -> None:
    assert_same_errors(document)


@settings(max_examples=examples(200), **SETTINGS)
@given(document=mutated())
def test_mutated_examples_give_cerberus_errors(document: dict[str, Any]) -> None:
    assert_same_errors(document)


def test_examples_and_their_mutations_come_from_real_files() -> None:
    assert len(SOURCES) == len(EXAMPLES) + 1 >= 4  # and complete.yaml


def test_one_search_finds_what_no_text_takes() -> None:
    # scalars' single pattern stands for problems.INTERDITS, CONTROLE and INVISIBLE together.
    for code in [*range(0x3000), *range(0xD700, 0x10000), 0x10000, 0x1F600, 0x10FFFF]:
        char = chr(code)
        expected = bool(INTERDITS.search(char) or CONTROLE.search(char) or INVISIBLE.search(char))
        assert bool(_HORS_TEXTE.search(char)) is expected, hex(code)


@pytest.mark.parametrize(
    "rules",
    [
        {"type": "ligne", "maxlength": 3},
        {"type": "texte", "nullable": True},
        {"type": "inconnu"},
        {"type": "dict", "minlength": 1},
        {"type": "list", "allowed": ["a"]},
        {"type": "communes_fiche", "regex": "x"},
    ],
)
def test_a_rule_the_compiler_does_not_know_is_refused(rules: Schema) -> None:
    # A rule added to the schema and silently ignored would accept what it should refuse.
    with pytest.raises(ValueError, match="schema"):
        _compile(rules, "champ")


def test_typographic_quotes_of_the_schema_are_refused_in_codes() -> None:
    for quote in GUILLEMETS:
        errors = check_document({"convention": {"reference": f"A{quote}1"}})[0]
        assert errors[0].kind == "type"


def test_ctgdocs_runs_without_cerberus() -> None:
    # Cerberus is a test dependency only: a user's installation does not have it.
    code = "import sys; sys.modules['cerberus'] = None; from ctgdocs.cli import main; main()"
    result = subprocess.run(
        [sys.executable, "-c", code, "validate", *map(str, EXAMPLES)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("Validation réussie : 3 fichiers")


def test_a_key_where_a_list_goes_has_no_rules() -> None:
    # `axes: {type: …}`: the list's item rules have a key « type », which is not a field
    # (a property test's mutation drew it, and its rules came back as the string "dict").
    assert _rules_at(("axes", "type")) is None
    assert _rules_at(("axes", 0, "code")) == SCHEMA["axes"]["schema"]["schema"]["code"]
