"""Property-based: any YAML, any mutation of the examples, any Unicode gives exit 0 or 1.

Exit 0 means every document was written and opens; exit 1 means located French messages
and nothing written. Never a trace, never exit 4, never half an output. The number of
examples is bounded for `make test`; CTGDOCS_EXAMPLES=N runs N times more.
"""

from __future__ import annotations

import copy
import random
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from docx import Document
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ctgdocs.builder import BuildOptions, build
from ctgdocs.checking import check_file
from ctgdocs.loader import parse_text
from ctgdocs.problems import INTERDITS
from ctgdocs.schema import SANS_BARRE, SCHEMA
from ctgdocs.validation import PLACEHOLDER, _rules_at

from .conftest import EXAMPLES, FIXTURES, REFERENCE, examples, run

Path_ = tuple[str | int, ...]
# The examples, and a convention that fills every key of the format (avenants rewriting
# fiches and articles, delegations, a projet avenant, attendance of every kind).
COMPLETE = FIXTURES / "valides" / "complete.yaml"
SOURCES = [parse_text(p.read_text(encoding="utf-8"))[0] for p in [*EXAMPLES, COMPLETE]]
LOCATED = re.compile(r"^.+:\d+:\d+: (erreur|avertissement): ")


def _schema_keys(rules: dict[str, Any]) -> set[str]:
    keys: set[str] = set()
    for name, sub in rules.items():
        keys.add(name)
        inner = sub.get("schema")
        if isinstance(inner, dict) and sub.get("type") == "dict":
            keys |= _schema_keys(inner)
        elif isinstance(inner, dict) and isinstance(inner.get("schema"), dict):
            keys |= _schema_keys(inner["schema"])
    return keys


SCHEMA_KEYS = sorted(_schema_keys(SCHEMA))
SETTINGS = {
    "deadline": None,
    # Shrinking a mutated convention can take minutes: the failing example is printed as is.
    "phases": [Phase.explicit, Phase.reuse, Phase.generate],
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
# Mostly printable text, sometimes anything Unicode has (controls, surrogates, U+FFFE).
UNICODE = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40),
    st.text(st.characters(blacklist_categories=()), min_size=1, max_size=40),
)
SCALARS = st.one_of(
    st.none(),
    UNICODE,
    st.sampled_from(["", "0", "-1", "1e9", "9" * 40, "2020-02-30", "9999-12-31", "toutes",
                     "12:30", "on", "²", "“A1”", "..", "CON", "\ud800"]),
)  # fmt: skip
TREES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.one_of(st.sampled_from(SCHEMA_KEYS), UNICODE), children, max_size=5),
    ),
    max_leaves=30,
)


def paths(data: Any, path: Path_ = ()) -> list[Path_]:
    """Every node below the root."""
    found: list[Path_] = []
    children = (
        data.items()
        if isinstance(data, dict)
        else enumerate(data)
        if isinstance(data, list)
        else []
    )
    for key, value in children:
        found.append((*path, key))
        found.extend(paths(value, (*path, key)))
    return found


def parent(data: Any, path: Path_) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


def text_fields(data: Any) -> list[Path_]:
    """Free text fields: not a choice or a pattern, nor nom_court (whose first word gives the
    gender)."""
    return [
        p
        for p in paths(data)
        if isinstance(parent(data, p)[p[-1]], str)
        and (_rules_at(p) or {}).get("type") in ("texte", "ligne", "code")
        and "allowed" not in (_rules_at(p) or {})
        # A COG period, an article key: not free text (codes refuse only "/" and "\\").
        and (_rules_at(p) or {}).get("regex") in (None, SANS_BARRE)
        and p[-1] != "nom_court"
    ]


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    """An example with a few edits: keys removed or renamed, values of another type or of
    another node, items doubled, lists emptied or made huge, random Unicode in text fields."""
    data = copy.deepcopy(draw(st.sampled_from(SOURCES)))
    for _ in range(draw(st.integers(1, 3))):
        nodes = paths(data)
        if not nodes:
            break
        where = draw(st.sampled_from(nodes))
        holder, key = parent(data, where), where[-1]
        action = draw(
            st.sampled_from(
                ["remove", "rename", "replace", "empty", "huge", "unicode", "double", "swap"]
            )
        )
        if action == "remove":
            del holder[key]
        elif action == "rename" and isinstance(key, str):
            holder[draw(st.one_of(st.sampled_from(SCHEMA_KEYS), UNICODE))] = holder.pop(key)
        elif action == "replace":
            holder[key] = draw(TREES)
        elif action == "empty" and isinstance(holder[key], list | dict):
            holder[key].clear()
        elif action == "huge" and isinstance(holder[key], list) and holder[key]:
            holder[key] = holder[key] * draw(st.integers(2, 60))
        elif action == "double" and isinstance(holder, list):
            holder.insert(int(key), copy.deepcopy(holder[int(key)]))
        elif action == "swap":
            # Another node's value here: dates out of order, a code naming something else.
            other = draw(st.sampled_from(nodes))
            holder[key] = copy.deepcopy(parent(data, other)[other[-1]])
        else:
            for field in text_fields(data):
                parent(data, field)[field[-1]] = draw(UNICODE)
    return data


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6)


def write(folder: Path, text: str) -> Path:
    path = folder / "m.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return path


def assert_checked(path: Path) -> bool:
    """The file's report is well formed; True if it is valid."""
    report = check_file(path).report
    for problem in report.problems:
        assert problem.line >= 1 and problem.column >= 1, problem
        assert problem.message and not INTERDITS.search(problem.message), problem
        assert "\n" not in problem.message + problem.field, problem
    return report.ok


def assert_build(folder: Path, source: Path) -> int:
    """`ctgdocs build`: exit 0 with documents that open, or 1 with located messages only."""
    # tmp_path is shared by a test's examples: each build gets a folder of its own.
    out = Path(tempfile.mkdtemp(dir=folder)) / "out"
    result = run("build", source, "-o", out, "-q")
    assert "Traceback" not in result.stderr
    assert result.exit_code in (0, 1), result.stderr
    written = sorted(out.rglob("*.docx")) if out.exists() else []
    if result.exit_code == 0:
        assert written
        for document in written:
            Document(str(document))
            assert document.resolve().is_relative_to(out.resolve())
    else:
        assert written == [], result.stderr
        lines = result.stderr.splitlines()
        assert lines and [line for line in lines[:-1] if not LOCATED.match(line)] == []
    return result.exit_code


@settings(max_examples=examples(150), **SETTINGS)
@given(data=TREES)
def test_arbitrary_yaml_documents_get_a_report(tmp_path: Path, data: Any) -> None:
    assert_checked(write(tmp_path, dump({"format": "1", "x": data} if data is None else data)))


@settings(max_examples=examples(150), **SETTINGS)
@given(
    text=st.text(st.sampled_from(list("ab: -[]{},&*!|>'\"#%@`\n\t \\\u00e9\ufeff")), max_size=80)
)
def test_arbitrary_yaml_text_gets_a_report(tmp_path: Path, text: str) -> None:
    assert_checked(write(tmp_path, text))


@settings(max_examples=examples(120), **SETTINGS)
@given(data=mutated())
def test_mutated_examples_get_a_report(tmp_path: Path, data: dict[str, Any]) -> None:
    assert_checked(write(tmp_path, dump(data)))


@settings(max_examples=examples(12), **SETTINGS)
@given(data=mutated())
def test_mutated_examples_build_or_are_refused(tmp_path: Path, data: dict[str, Any]) -> None:
    assert_build(tmp_path, write(tmp_path, dump(data)))


@settings(max_examples=examples(6), **SETTINGS)
@given(source=st.sampled_from(SOURCES), data=st.data())
def test_random_unicode_in_every_text_field_builds(
    tmp_path: Path, source: dict[str, Any], data: st.DataObject
) -> None:
    document = copy.deepcopy(source)
    printable = st.text(
        # Cn: unassigned, with U+FFFE and U+FFFF, which Word refuses (the loader says so);
        # Co and the invisible ones a paste leaves (scalars.INVISIBLES): refused too.
        st.characters(
            blacklist_categories=("Cs", "Cc", "Cn", "Co", "Zl", "Zp"),
            blacklist_characters="\u200b\u2060\ufeff",
        ),
        min_size=1,
        max_size=40,
    )
    seen: set[str] = set()
    for field in text_fields(document):
        value = data.draw(printable).strip() or "x"
        if value.startswith(PLACEHOLDER):  # init's mark (Hypothesis draws it): rightly refused
            value = f"x {value}"
        if " ".join(value.casefold().split()) in seen:
            # Two titles of one avenant, two names of one meeting may not be the same text.
            value = f"{value} {len(seen)}"
        seen.add(" ".join(value.casefold().split()))
        parent(document, field)[field[-1]] = value
    code = assert_build(tmp_path, write(tmp_path, dump(document)))
    # Codes may collide or be refused (a "/" in a fiche code); texts alone never are.
    if code == 1:
        report = check_file(tmp_path / "m.yaml").report
        others = [
            (p.field, p.message)
            for p in report.errors
            if (_rules_at(p.path) or {}).get("type") != "code" and "fiches_actions" not in p.path
        ]
        assert others == []


def unicode_convention(seed: int) -> str:
    """The reference with every free text replaced by random printable Unicode."""
    rng = random.Random(seed)
    document = copy.deepcopy(SOURCES[EXAMPLES.index(REFERENCE)])
    alphabet = [chr(c) for c in range(0x20, 0x2FFF) if chr(c).isprintable()] + ["😀", "𝔄", "ﬀ"]
    for field in text_fields(document):
        if (_rules_at(field) or {}).get("type") != "code":
            text = "".join(rng.choices(alphabet, k=rng.randint(1, 30))).strip()
            parent(document, field)[field[-1]] = text or "x"
    return dump(document)


@pytest.mark.libreoffice
@pytest.mark.usefixtures("needs_libreoffice")
def test_random_unicode_documents_open_in_libreoffice(tmp_path: Path) -> None:
    sources = []
    for seed in (1, 2):
        (tmp_path / str(seed)).mkdir()
        text = unicode_convention(seed).replace("CTG-61-2018-01", f"CTG-U-{seed}")
        sources.append(write(tmp_path / str(seed), text))
    result = build(sources, BuildOptions(output=tmp_path / "out", pdf=True, jobs=1))
    # build --pdf checks every PDF LibreOffice writes and raises if one is missing.
    assert result.pdfs == result.written == 16
