"""The README's commands work as written: the files they name exist, the output they show is real."""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import run

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(?:sh|console)\n(.*?)```", README, flags=re.DOTALL)
# A path into the repository, as a command of the README names it.
REPOSITORY_PATH = re.compile(
    r"(?<![\w/.-])((?:conventions|tests|bench|scripts|templates)/[\w./-]*)"
)


def test_every_repository_path_a_command_names_exists() -> None:
    named = {m for block in BLOCKS for m in REPOSITORY_PATH.findall(block)}
    assert "conventions/pays-de-laigle-2018.yaml" in named
    assert sorted(p for p in named if not (ROOT / p).exists()) == []


def test_the_validate_example_is_what_validate_prints() -> None:
    block = next(b for b in BLOCKS if b.startswith("$ ctgdocs validate "))
    command, *shown = block.splitlines()
    path = command.removeprefix("$ ctgdocs validate ")
    result = run("validate", ROOT / path)
    printed = result.stdout.replace(str(ROOT / path), path).splitlines()
    assert [line for line in shown if line != "…"] == [
        line for line in printed if line in shown or line == printed[-1]
    ]
