"""A fiche that two successive avenants rewrite: each act cites the wording then in force."""

from __future__ import annotations

from pathlib import Path

from ctgdocs.builder import BuildOptions, build

from .docx_tools import docx_text

ROOT = Path(__file__).resolve().parent.parent

THIRD = """
  - numero: 3
    objet: Modification de la fiche action 3.1
    expose: |
      L'espace France services accueille aussi les habitants de Beaucaire.
    date_effet: 2025-11-01
    signature:
      date: 2025-10-20
      lieu: Beaucaire
    habilitations:
      - {partie: ccbta, instance: Conseil communautaire, date: 2025-10-02}
      - {partie: beaucaire, instance: Conseil municipal, date: 2025-10-03}
      - {partie: cd30, instance: Commission permanente, date: 2025-10-06}
      - {partie: "30117", instance: Conseil municipal, date: 2025-10-07}
      - {partie: "30336", instance: Conseil municipal, date: 2025-10-08}
    fiches_modifiees:
      - code: "3.1"
        communes: ["30117", "30336", "30032"]
  - numero: 4
    objet: Nouvelle modification de la fiche action 3.1
    expose: |
      Le calendrier de l'espace France services est avancé.
    date_effet: 2025-12-01
    signature:
      date: 2025-11-20
      lieu: Beaucaire
    habilitations:
      - {partie: ccbta, instance: Conseil communautaire, date: 2025-11-02}
      - {partie: beaucaire, instance: Conseil municipal, date: 2025-11-03}
      - {partie: cd30, instance: Commission permanente, date: 2025-11-06}
      - {partie: "30117", instance: Conseil municipal, date: 2025-11-07}
      - {partie: "30336", instance: Conseil municipal, date: 2025-11-08}
    fiches_modifiees:
      - code: "3.1"
        calendrier: {debut: 2023-01-15, fin: 2026-12-31}
"""


def test_the_wording_in_force_is_the_last_avenants(tmp_path: Path) -> None:
    source = (ROOT / "conventions" / "beaucaire-terre-d-argence-2022.yaml").read_text(
        encoding="utf-8"
    )
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bta.yaml").write_text(source.rstrip("\n") + "\n" + THIRD, encoding="utf-8")
    out = tmp_path / "out"
    build([folder], BuildOptions(output=out))
    acts = out / "CTG-30-2022-BTA"
    # Avenant 4 amends the annex avenant 3 rewrote (itself built on avenant 2's): not « des
    # avenants n° 2 et n° 3 », two wordings of which only the last is annexed and in force.
    fourth = docx_text(acts / "avenants" / "avenant-4.docx")
    assert "(annexe 3.3, dans sa rédaction issue de l'avenant n° 3) est modifiée" in fourth
    assert "elle remplace l'annexe 3.3 de la convention, dans sa rédaction issue de " in fourth
    assert "issue des avenants" not in fourth
    # The consolidated Article 14 says what the annexed fiche's own heading says.
    consolidated = docx_text(acts / "convention-consolidee.docx")
    assert "3.1 (dans sa rédaction issue de l'avenant n° 4)" in consolidated
    fiche = docx_text(acts / "fiches-actions" / "3.1-avenant-4.docx")
    assert "Annexe 3.3 (rédaction issue de l'avenant n° 4)" in fiche


NEW_PILOT = """    fiches_modifiees:
      - code: "1.1"
        pilote:
          partie: "30117"
"""


def test_a_new_pilot_without_referent_says_the_former_one_goes(tmp_path: Path) -> None:
    source = (ROOT / "conventions" / "beaucaire-terre-d-argence-2022.yaml").read_text(
        encoding="utf-8"
    )
    # Avenant 1 makes Fourques, which it brings in, the pilot of fiche 1.1, whose referent
    # was the Communauté de communes' « Responsable du pôle petite enfance ».
    source = source.replace("  - numero: 2\n", NEW_PILOT + "  - numero: 2\n", 1)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bta.yaml").write_text(source, encoding="utf-8")
    out = tmp_path / "out"
    build([folder], BuildOptions(output=out))
    acts = out / "CTG-30-2022-BTA"
    fiche = docx_text(acts / "fiches-actions" / "1.1-avenant-1.docx")
    assert "Responsable du pôle petite enfance" not in fiche
    # The annexed fiche drops the referent: the avenant states it, once.
    first = docx_text(acts / "avenants" / "avenant-1.docx")
    assert (
        "son pilote devient la Commune de Fourques ;\nelle n'a plus de référent désigné." in first
    )
    assert first.count("référent") == 1
