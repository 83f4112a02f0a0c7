"""No input produces a traceback: mutated conventions give a report, and build if valid."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ctgdocs.checking import CheckedFile, check_file
from ctgdocs.documents import plan_documents
from ctgdocs.render import render_document
from ctgdocs.resources import template_path

from .conftest import EXAMPLES, REFERENCE, examples

LINES = REFERENCE.read_text(encoding="utf-8").splitlines()
SOURCES = [p.read_text(encoding="utf-8").splitlines() for p in EXAMPLES]

# Values a careless edit puts where another was expected.
REPLACEMENTS = st.sampled_from(
    ["", "~", "[]", "{}", "[a, b]", "{x: 1}", "0", "-1", "2020-13-45", "25:99", "toutes",
     '"x"', "&a", "*a", "|", ">", "!!binary x", "99999999999999999999", "é", "1e9", "- x"]
)  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn) -> str:
    lines = list(draw(st.sampled_from(SOURCES)))
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "value", "indent", "dedent"]))
        line = lines[index]
        if action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, line)
        elif action == "value" and ":" in line:
            key = line.split(":", 1)[0]
            lines[index] = f"{key}: {draw(REPLACEMENTS)}"
        elif action == "indent":
            lines[index] = "  " + line
        else:
            lines[index] = line[2:] if line.startswith("  ") else line
        if not lines:
            break
    return "\n".join(lines) + "\n"


def check_text(folder: Path, text: str) -> CheckedFile:
    path = folder / "m.yaml"
    path.write_text(text, encoding="utf-8")
    return check_file(path)


@settings(
    max_examples=examples(300),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=mutated())
def test_mutated_conventions_never_raise(tmp_path: Path, text: str) -> None:
    checked = check_text(tmp_path, text)
    for problem in checked.report.problems:
        assert problem.line >= 1
        assert problem.column >= 1
        assert problem.message
    if checked.report.ok:
        # A valid convention, however sparse, has documents: an optional field
        # left out must be decided in Python, never a KeyError in a context.
        assert checked.data is not None
        assert plan_documents(checked.data)


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=mutated())
def test_mutated_valid_conventions_render(tmp_path: Path, text: str) -> None:
    checked = check_text(tmp_path, text)
    if checked.data is None or not checked.report.ok:
        return
    for document in plan_documents(checked.data):
        assert render_document(template_path(document.template), document)[:2] == b"PK"


@settings(
    max_examples=examples(100),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.binary(max_size=200))
def test_random_bytes_never_raise(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "r.yaml"
    path.write_bytes(data)
    check_file(path)


def test_reference_lines_are_many() -> None:
    # The mutation test is only worth something on a full convention.
    assert len(LINES) > 300
