"""A build that remembers: the manifest, rebuilding only what changed, --check and --force."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from ctgdocs import __version__, producing
from ctgdocs.resources import bundled_templates
from ctgdocs.terminal import TerminalProgress

from .conftest import REFERENCE, run
from .docx_tools import copy_templates, edit_template

REF = "CTG-61-2018-01"
ALL = {
    f"{REF}/convention.docx",
    f"{REF}/convention-consolidee.docx",
    f"{REF}/fiches-suivi/FA-1.1.docx",
    f"{REF}/fiches-actions/FA-1.1.docx",
    f"{REF}/fiches-actions/FA-2.1.docx",
    f"{REF}/fiches-actions/FA-3.1.docx",
    f"{REF}/comptes-rendus/2019-02-19-comite_pilotage.docx",
    f"{REF}/avenants/avenant-1.docx",
}


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the reference convention and an output folder, built once."""
    source = tmp_path / "conventions" / "aigle.yaml"
    source.parent.mkdir()
    shutil.copy(REFERENCE, source)
    out = tmp_path / "build"
    assert run("build", source, "-o", out).exit_code == 0
    return source, out


def mtimes(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*.docx")}


def manifest(out: Path) -> dict[str, dict[str, object]]:
    documents: dict[str, dict[str, object]] = json.loads(
        (out / "manifest.json").read_text(encoding="utf-8")
    )["documents"]
    return documents


def written(result_stdout: str, out: Path) -> set[str]:
    prefix = f"écrit : {out}/"
    return {
        line.removeprefix(prefix) for line in result_stdout.splitlines() if line.startswith(prefix)
    }


def edit(source: Path, old: str, new: str) -> None:
    text = source.read_text(encoding="utf-8")
    assert old in text
    source.write_text(text.replace(old, new, 1), encoding="utf-8")


def backdate(out: Path) -> None:
    # Rewritten files must show a newer time even on filesystems with coarse clocks.
    for path in out.rglob("*.docx"):
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))


def test_manifest_is_the_audit_trail(project: tuple[Path, Path]) -> None:
    source, out = project
    documents = manifest(out)
    assert set(documents) == ALL
    entry = documents[f"{REF}/fiches-actions/FA-1.1.docx"]
    assert entry["source"] == "../conventions/aigle.yaml"
    assert entry["source_sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    assert entry["template"] == "ctgdocs:fiche-action.docx"
    template = bundled_templates() / "fiche-action.docx"
    assert entry["template_sha256"] == hashlib.sha256(template.read_bytes()).hexdigest()
    assert entry["ctgdocs"] == __version__
    output = out / REF / "fiches-actions" / "FA-1.1.docx"
    assert entry["sha256"] == hashlib.sha256(output.read_bytes()).hexdigest()
    assert entry["kind"] == "fiches"
    assert entry["pdf"] is None


def test_second_build_writes_nothing_and_says_so(project: tuple[Path, Path]) -> None:
    source, out = project
    before = mtimes(out)
    result = run("build", source, "-o", out)
    assert result.exit_code == 0
    assert result.stdout == f"Rien à faire : 8 documents à jour dans {out}.\n"
    assert mtimes(out) == before


def test_editing_one_fiche_rebuilds_it_and_the_convention_only(project: tuple[Path, Path]) -> None:
    source, out = project
    backdate(out)
    before_manifest, before = manifest(out), mtimes(out)
    edit(
        source,
        "{poste: Fonctionnement du LAEP, montant: 12000}",
        "{poste: Fonctionnement du LAEP, montant: 12500}",
    )
    edit(
        source,
        "{financeur: Communauté de communes, montant: 10500}",
        "{financeur: Communauté de communes, montant: 11000}",
    )
    result = run("build", source, "-o", out)
    assert result.exit_code == 0, result.stderr
    expected = {
        f"{REF}/fiches-actions/FA-2.1.docx",
        f"{REF}/convention.docx",
        f"{REF}/convention-consolidee.docx",
    }
    assert written(result.stdout, out) == expected
    assert result.stdout.splitlines()[-1] == f"3 documents écrits ; 5 déjà à jour dans {out}."
    after_manifest, after = manifest(out), mtimes(out)
    changed = {k for k in after if after[k] != before[k]}
    assert changed == expected
    assert {
        k for k in after_manifest if after_manifest[k]["sha256"] != before_manifest[k]["sha256"]
    } == expected


def test_a_detail_the_annex_does_not_show_rebuilds_the_fiche_alone(
    project: tuple[Path, Path],
) -> None:
    source, out = project
    edit(source, 'cible: "60 par an"', 'cible: "70 par an"')
    result = run("build", source, "-o", out)
    assert written(result.stdout, out) == {f"{REF}/fiches-actions/FA-2.1.docx"}


def test_template_change_rebuilds_what_uses_it(project: tuple[Path, Path]) -> None:
    source, out = project
    custom = copy_templates(bundled_templates(), source.parent.parent / "modeles")
    # The same bundled templates, copied: their digests are unchanged, nothing is rebuilt.
    unchanged = run("build", source, "-o", out, "--templates", custom)
    assert unchanged.stdout.startswith("Rien à faire")
    edit_template(
        bundled_templates() / "compte-rendu.docx",
        custom / "compte-rendu.docx",
        "Ordre du jour</w:t>",
        "Ordre du jour de la séance</w:t>",
    )
    result = run("build", source, "-o", out, "--templates", custom)
    assert written(result.stdout, out) == {f"{REF}/comptes-rendus/2019-02-19-comite_pilotage.docx"}
    entry = manifest(out)[f"{REF}/comptes-rendus/2019-02-19-comite_pilotage.docx"]
    assert entry["template"] == "../modeles/compte-rendu.docx"


def test_force_rebuilds_everything(project: tuple[Path, Path]) -> None:
    source, out = project
    result = run("build", source, "-o", out, "--force")
    assert written(result.stdout, out) == ALL


def test_hand_edited_output_is_rebuilt(project: tuple[Path, Path]) -> None:
    source, out = project
    (out / REF / "avenants" / "avenant-1.docx").write_bytes(b"retouche")
    (out / REF / "fiches-actions" / "FA-3.1.docx").unlink()
    result = run("build", source, "-o", out, "-v")
    assert written(result.stdout, out) == {
        f"{REF}/avenants/avenant-1.docx",
        f"{REF}/fiches-actions/FA-3.1.docx",
    }
    assert (
        f"à reconstruire : {out / REF / 'avenants' / 'avenant-1.docx'} (fichier absent ou modifié hors de ctgdocs)"
        in result.stdout
    )


def test_hand_edited_output_is_kept_aside_and_said(project: tuple[Path, Path]) -> None:
    source, out = project
    edited = out / REF / "avenants" / "avenant-1.docx"
    edited.write_bytes(b"retouche")
    edit(source, 'heure_fin: "16:30"', 'heure_fin: "17:00"')  # rebuilt anyway: new data
    report = out / REF / "comptes-rendus" / "2019-02-19-comite_pilotage.docx"
    report.write_bytes(b"retouche du compte rendu")
    result = run("build", source, "-o", out)
    assert result.exit_code == 0, result.stderr
    kept = edited.with_name("avenant-1 (modifié hors de ctgdocs).docx")
    assert kept.read_bytes() == b"retouche"
    assert edited.read_bytes() != b"retouche"
    assert (
        f"{edited} avait été modifié hors de ctgdocs : il est remplacé par la version produite, "
        f"et la version modifiée est conservée sous {kept}"
    ) in result.stderr.splitlines()
    assert report.with_name(f"{report.stem} (modifié hors de ctgdocs).docx").exists()
    # A second retouche does not take the place of the first one kept.
    edited.write_bytes(b"autre retouche")
    assert run("build", source, "-o", out).exit_code == 0
    assert kept.read_bytes() == b"retouche"
    again = edited.with_name("avenant-1 (modifié hors de ctgdocs, 2).docx")
    assert again.read_bytes() == b"autre retouche"
    assert "Rien à faire" in run("build", source, "-o", out).stdout


def test_hand_edited_obsolete_document_is_kept(project: tuple[Path, Path]) -> None:
    source, out = project
    fiche = out / REF / "fiches-actions" / "FA-3.1.docx"
    fiche.write_bytes(b"retouche")
    text = source.read_text(encoding="utf-8")
    start = text.index("  - code: FA-3.1")
    source.write_text(text[:start] + text[text.index("gouvernance:") :], encoding="utf-8")
    result = run("build", source, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert fiche.read_bytes() == b"retouche"
    assert (
        f"{fiche} n'est plus produit, mais a été modifié hors de ctgdocs : il est conservé ; "
        "supprimez-le s'il ne sert plus"
    ) in result.stderr.splitlines()
    assert f"{REF}/fiches-actions/FA-3.1.docx" not in manifest(out)
    assert "Rien à faire" in run("build", source, "-o", out).stdout
    assert fiche.read_bytes() == b"retouche"


def test_a_convention_renamed_then_back_is_built_again(project: tuple[Path, Path]) -> None:
    # Its record stayed in the manifest, its documents now another file's: renamed back,
    # it was « up to date » with no document at all, even once they were deleted.
    source, out = project
    renamed = source.with_name("renommee.yaml")
    source.rename(renamed)
    assert run("build", renamed, "-o", out).exit_code == 0
    shutil.rmtree(out / REF)
    renamed.rename(source)
    result = run("build", source, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert written(result.stdout, out) == ALL
    assert {entry["source"] for entry in manifest(out).values()} == {"../conventions/aigle.yaml"}


def test_a_convention_that_takes_another_folders_documents_says_so(
    project: tuple[Path, Path],
) -> None:
    # Built into the same folder, a convention with the same reference replaced the other's
    # documents without a word, and the other was then « up to date » with none of them.
    source, out = project
    other = source.parent.parent / "autres" / "aigle.yaml"
    other.parent.mkdir()
    shutil.copy(source, other)
    edit(other, 'heure_fin: "16:30"', 'heure_fin: "17:00"')
    result = run("build", other, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert (
        f"les documents de {source.resolve()} dans {out / REF} sont remplacés par ceux de "
        f"{other} : deux conventions ont la même référence ; changez celle de l'une, ou "
        "construisez-les dans deux dossiers de sortie (-o)"
    ) in result.stderr.splitlines()
    again = run("build", source, "-o", out)
    assert again.exit_code == 0, again.stderr
    assert written(again.stdout, out) == ALL
    assert {entry["source"] for entry in manifest(out).values()} == {"../conventions/aigle.yaml"}


def test_deleted_fiche_is_removed_and_reported(project: tuple[Path, Path]) -> None:
    source, out = project
    text = source.read_text(encoding="utf-8")
    start = text.index("  - code: FA-3.1")
    source.write_text(text[:start] + text[text.index("gouvernance:") :], encoding="utf-8")
    result = run("build", source, "-o", out)
    assert result.exit_code == 0, result.stderr
    removed = out / REF / "fiches-actions" / "FA-3.1.docx"
    assert f"supprimé (obsolète) : {removed}" in result.stdout.splitlines()
    assert not removed.exists()
    assert f"{REF}/fiches-actions/FA-3.1.docx" not in manifest(out)
    assert (out / REF / "fiches-actions").is_dir()  # the other fiches are there
    # Their annexes no longer list it.
    assert written(result.stdout, out) == {
        f"{REF}/convention.docx",
        f"{REF}/convention-consolidee.docx",
    }


def test_only_does_not_remove_other_kinds(project: tuple[Path, Path]) -> None:
    source, out = project
    result = run("build", source, "-o", out, "--only", "fiches", "--force")
    assert written(result.stdout, out) == {k for k in ALL if "fiches-actions" in k}
    assert set(manifest(out)) == ALL
    assert (out / REF / "convention.docx").exists()


def test_check_reports_without_writing(project: tuple[Path, Path]) -> None:
    source, out = project
    ok = run("build", source, "-o", out, "--check")
    assert ok.exit_code == 0
    assert ok.stdout == f"{out} est à jour (8 documents).\n"
    edit(source, 'heure_fin: "16:30"', 'heure_fin: "17:00"')
    before, manifest_before = mtimes(out), (out / "manifest.json").read_bytes()
    stale = run("build", source, "-o", out, "--check")
    assert stale.exit_code == 1
    assert stale.stdout.splitlines() == [
        f"périmé : {out / REF / 'comptes-rendus' / '2019-02-19-comite_pilotage.docx'} (données modifiées)",
        f"Échec : 1 sortie à mettre à jour dans {out}.",
    ]
    assert mtimes(out) == before
    assert (out / "manifest.json").read_bytes() == manifest_before


def test_check_on_a_missing_folder_creates_nothing(tmp_path: Path) -> None:
    out = tmp_path / "nouveau"
    result = run("build", REFERENCE, "-o", out, "--check")
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 9
    assert "(nouveau document)" in result.stdout
    assert not out.exists()


def test_damaged_manifest_means_a_full_rebuild(project: tuple[Path, Path]) -> None:
    source, out = project
    (out / "manifest.json").write_text("{pas du json", encoding="utf-8")
    result = run("build", source, "-o", out)
    assert result.exit_code == 0
    assert written(result.stdout, out) == ALL
    assert set(manifest(out)) == ALL


def test_quiet_prints_nothing_on_success(tmp_path: Path) -> None:
    result = run("build", REFERENCE, "-o", tmp_path, "-q")
    assert result.exit_code == 0
    assert result.stdout == "" and result.stderr == ""


def test_progress_bar_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    progress = TerminalProgress(verbosity=1)
    progress.start(10, "Documents")
    for index in range(10):
        progress.advance(1, f"écrit : doc-{index}.docx")
    progress.close()
    captured = capsys.readouterr()
    assert "écrit :" not in captured.out  # the bar replaces the lines
    assert "Documents" in captured.err and "100%" in captured.err


def test_plain_lines_without_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    progress = TerminalProgress(verbosity=1)
    progress.interactive = False
    progress.start(10, "Documents")
    progress.advance(1, "écrit : a.docx")
    progress.detail("à reconstruire : a.docx (nouveau document)")
    progress.close()
    assert capsys.readouterr().out == "écrit : a.docx\n"


def test_a_new_folder_moves_whole_and_a_refused_move_file_by_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A convention new to the output: its staged folder is moved in one rename, the same
    # documents and manifest as when each file is moved (the rename refused, as Windows
    # refuses it while an antivirus reads a file of it).
    moved: list[Path] = []
    real_rename, real_replace = Path.rename, Path.replace

    def rename(self: Path, target: str | os.PathLike[str]) -> Path:
        if self.is_dir():
            moved.append(Path(target))
        return real_rename(self, target)

    files_moved: list[Path] = []

    def replace(self: Path, target: str | os.PathLike[str]) -> Path:
        files_moved.append(Path(target))
        return real_replace(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    monkeypatch.setattr(Path, "replace", replace)
    whole = run("build", REFERENCE, "-o", tmp_path / "entier")
    assert whole.exit_code == 0, whole.stderr
    folder = tmp_path / "entier" / "CTG-61-2018-01"
    assert moved == [folder]
    assert not [p for p in files_moved if p.suffix == ".docx"]

    def refused(self: Path, target: str | os.PathLike[str]) -> Path:
        if self.is_dir():
            raise PermissionError(13, "Accès refusé", str(self))
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", refused)
    files = run("build", REFERENCE, "-o", tmp_path / "fichiers")
    assert files.exit_code == 0, files.stderr
    assert len([p for p in files_moved if p.suffix == ".docx"]) == len(mtimes(folder))
    assert written(whole.stdout, tmp_path / "entier") == written(
        files.stdout, tmp_path / "fichiers"
    )
    assert manifest(tmp_path / "entier") == manifest(tmp_path / "fichiers")
    for path in folder.rglob("*"):
        twin = tmp_path / "fichiers" / path.relative_to(tmp_path / "entier")
        assert path.is_dir() == twin.is_dir()
        assert path.is_dir() or path.read_bytes() == twin.read_bytes()
    # Built again after a change, the folder is there: its changed files are moved alone.
    moved.clear()
    monkeypatch.setattr(Path, "rename", rename)
    source = tmp_path / "aigle.yaml"
    shutil.copy(REFERENCE, source)
    edit(source, "Sophie", "Sophia")
    again = run("build", source, "-o", tmp_path / "entier")
    assert again.exit_code == 0, again.stderr
    assert moved == [] and written(again.stdout, tmp_path / "entier")


_SIGNED = "avertissement: cette fiche est l'annexe d'un acte signé et ses données ont changé"


def test_a_change_to_a_signed_act_is_warned(project: tuple[Path, Path]) -> None:
    # The convention is signed: a fiche annexed to it no longer reads as signed once its
    # objectives change; the document is rebuilt, and the user told that an avenant does it.
    source, out = project
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace("dans chaque bassin de vie", "dans deux bassins de vie"), encoding="utf-8"
    )
    result = run("build", source, "-o", out)
    assert result.exit_code == 0
    assert written(result.stdout, out) >= {f"{REF}/fiches-actions/FA-3.1.docx"}
    warned = [line for line in result.stderr.splitlines() if _SIGNED in line]
    assert warned == [
        f"{out / REF / 'fiches-actions' / 'FA-3.1.docx'}: {_SIGNED} depuis sa dernière "
        "construction ; le document ne reproduit plus l'acte tel qu'il a été signé : un acte "
        "signé se modifie par avenant (fiches_modifiees, dispositions), sauf erreur matérielle"
    ]
    # Said once: built again, the fiche is as the data now say.
    again = run("build", source, "-o", out)
    assert "avertissement: cette fiche" not in again.stderr


def test_a_projet_that_is_signed_is_not_warned(tmp_path: Path) -> None:
    source = tmp_path / "aigle.yaml"
    # Without its avenant, which an unsigned convention could not have.
    text = REFERENCE.read_text(encoding="utf-8").split("\navenants:")[0] + "\n"
    start = text.index("  signature:")
    end = text.index("  exemplaires:", start)
    source.write_text(text[:start] + text[end:], encoding="utf-8")
    out = tmp_path / "build"
    assert run("build", source, "-o", out, "--only", "convention,fiches").exit_code == 0
    source.write_text(text, encoding="utf-8")  # now signed
    result = run("build", source, "-o", out, "--only", "convention,fiches")
    assert result.exit_code == 0
    assert f"{REF}/convention.docx" in written(result.stdout, out)
    assert "ses données ont changé" not in result.stderr


def test_a_source_saved_while_it_is_validated_is_read_again(
    project: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its digest was taken after validation: the documents of the old text were recorded as
    # made from the new one, and every later build said « Rien à faire ».
    source, out = project
    real_check = producing.check_file
    saves = []

    def saved_meanwhile(path: Path, **options: bool) -> object:
        checked = real_check(path, **options)
        if not saves:
            saves.append(path)
            edit(path, 'heure_fin: "16:30"', 'heure_fin: "17:00"')
        return checked

    monkeypatch.setattr(producing, "check_file", saved_meanwhile)
    edit(source, "Sophie", "Sophia")
    result = run("build", source, "-o", out, "-j", "1")
    assert result.exit_code == 0, result.stderr
    monkeypatch.undo()
    clean = source.parent.parent / "propre"
    assert run("build", source, "-o", clean).exit_code == 0
    assert "Rien à faire" in run("build", source, "-o", out).stdout
    for key in ALL:
        assert (out / key).read_bytes() == (clean / key).read_bytes(), key


def test_a_source_that_keeps_changing_is_not_built(
    project: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    source, out = project
    real_check = producing.check_file

    def always_saved(path: Path, **options: bool) -> object:
        checked = real_check(path, **options)
        path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        return checked

    monkeypatch.setattr(producing, "check_file", always_saved)
    edit(source, "Sophie", "Sophia")
    before = mtimes(out), (out / "manifest.json").read_bytes()
    result = run("build", source, "-o", out, "-j", "1")
    assert result.exit_code == 1
    assert result.stderr == (
        "Erreur : 1 document non produit, aucun document n'a été remplacé :\n"
        f"  {source} : modifié pendant la construction ; relancez-la une fois le fichier "
        "enregistré\n"
    )
    assert (mtimes(out), (out / "manifest.json").read_bytes()) == before


def test_a_new_reference_leaves_no_empty_folder_behind(project: tuple[Path, Path]) -> None:
    source, out = project
    (out / REF / "comptes-rendus" / "notes.txt").write_text("à moi", encoding="utf-8")
    edit(source, f"reference: {REF}", "reference: CTG-61-2018-02")
    result = run("build", source, "-o", out)
    assert result.exit_code == 0, result.stderr
    left = sorted(p.relative_to(out / REF).as_posix() for p in (out / REF).rglob("*"))
    assert left == ["comptes-rendus", "comptes-rendus/notes.txt"]
    assert (out / "CTG-61-2018-02" / "convention.docx").exists()


def test_a_source_that_cannot_be_read_is_not_said_modified(
    project: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Locked by another program (Windows) or not readable: its digest is None before and
    # after it is checked, which is no change; the check says why it cannot be read.
    source, out = project
    real_check = producing.check_file
    calls: list[Path] = []

    def unreadable(path: Path) -> str | None:
        return None if path == source else hashlib.sha256(path.read_bytes()).hexdigest()

    def counted(path: Path, **options: bool) -> object:
        calls.append(path)
        return real_check(path, **options)

    monkeypatch.setattr(producing, "sha256_file", unreadable)
    monkeypatch.setattr(producing, "check_file", counted)
    edit(source, "Sophie", "Sophia")
    result = run("build", source, "-o", out, "-j", "1")
    assert "modifié pendant la construction" not in result.stderr
    assert calls == [source]


def test_a_change_to_a_validated_compte_rendu_asks_for_a_new_validation(tmp_path: Path) -> None:
    source = tmp_path / "aigle.yaml"
    text = REFERENCE.read_text(encoding="utf-8").replace(
        "  - id: copil-2019-02-19\n",
        "  - id: copil-2019-02-19\n    validation: {date: 2019-03-01, par: le comité de pilotage}\n",
    )
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "build"
    assert run("build", source, "-o", out, "--only", "comptes-rendus").exit_code == 0
    source.write_text(
        text.replace("valide le bilan de la première année", "valide le bilan"), encoding="utf-8"
    )
    result = run("build", source, "-o", out, "--only", "comptes-rendus")
    compte_rendu = out / REF / "comptes-rendus" / "2019-02-19-comite_pilotage.docx"
    assert [line for line in result.stderr.splitlines() if "données ont changé" in line] == [
        f"{compte_rendu}: avertissement: ce compte rendu est validé et ses données ont changé "
        "depuis sa dernière construction ; le compte rendu ne reproduit plus celui que "
        "l'instance a validé : faites-le valider à nouveau (validation), sauf erreur matérielle"
    ]
