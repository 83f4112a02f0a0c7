"""`build --continuer`: one unfinished draft does not stop the other conventions of a folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from .conftest import EXAMPLES, REFERENCE, run


def folder_with_a_draft(tmp_path: Path) -> Path:
    folder = tmp_path / "ctg"
    folder.mkdir()
    shutil.copy(REFERENCE, folder / REFERENCE.name)
    assert run("init", "--epci", "243000585", "-o", folder / "brouillon.yaml").exit_code == 0
    return folder


def test_default_stays_all_or_nothing(tmp_path: Path) -> None:
    folder = folder_with_a_draft(tmp_path)
    result = run("build", folder, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "Échec : 17 erreurs, 7 avertissements ; 1 fichier invalide sur 2. Aucun document n'a été "
        "écrit. Avec --continuer, les conventions valides sont construites."
    )
    assert not (tmp_path / "out").exists()


def test_continuer_builds_the_valid_ones(tmp_path: Path) -> None:
    folder = folder_with_a_draft(tmp_path)
    out = tmp_path / "out"
    result = run("build", folder, "-o", out, "--continuer")
    assert result.exit_code == 1
    draft = folder / "brouillon.yaml"
    assert f"{draft}:10:14: erreur: convention.reference: à compléter" in result.stderr
    assert result.stdout.splitlines()[-1] == (
        f"8 documents écrits dans {out}. Échec : 1 convention invalide non construite ({draft})."
    )
    assert len(list(out.rglob("*.docx"))) == 8
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert all(entry["source"].endswith(REFERENCE.name) for entry in manifest["documents"].values())
    # The draft, finished, is built next time; the other convention is not redone.
    text = draft.read_text(encoding="utf-8")
    start = text.index('reference: "À COMPLÉTER')
    end = text.index("\n", start)
    draft.write_text(text[:start] + "reference: CTG-30-2026-01" + text[end:], encoding="utf-8")
    again = run("build", folder, "-o", out, "--continuer")
    assert again.exit_code == 1
    assert "convention.reference" not in again.stderr
    assert "écrit : " not in again.stdout


def test_continuer_with_nothing_valid_is_the_usual_refusal(tmp_path: Path) -> None:
    folder = folder_with_a_draft(tmp_path)
    (folder / REFERENCE.name).unlink()
    result = run("build", folder, "-o", tmp_path / "out", "--continuer")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].endswith("Aucun document n'a été écrit.")
    assert not (tmp_path / "out").exists()


def test_continuer_changes_nothing_when_all_are_valid(tmp_path: Path) -> None:
    plain = run("build", *EXAMPLES, "-o", tmp_path / "a")
    keep_going = run("build", *EXAMPLES, "-o", tmp_path / "b", "--continuer")
    assert plain.exit_code == keep_going.exit_code == 0
    assert plain.stdout.replace(str(tmp_path / "a"), "X") == keep_going.stdout.replace(
        str(tmp_path / "b"), "X"
    )
