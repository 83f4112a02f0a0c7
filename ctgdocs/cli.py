"""The click commands: parse options, call one pipeline function, print its result."""

from __future__ import annotations

import sys
from pathlib import Path

# Loading ctgdocs takes most of a second, before any command can handle Ctrl-C: pressed
# then, it would end the command with a KeyboardInterrupt traceback.
try:
    import click

    from . import __version__, pipeline
    from .clickfr import AuMoins, Chemin
    from .documents import KINDS
    from .terminal import Group, TerminalProgress
except KeyboardInterrupt:
    sys.stderr.write("Interrompu.\n")
    raise SystemExit(130) from None

CHEMINS = click.argument("chemins", nargs=-1, required=True, type=Chemin(), metavar="CHEMIN...")
TEMPLATES = click.option(
    "--templates",
    type=Chemin(),
    metavar="DOSSIER",
    help="Dossier de modèles Word ; un modèle absent du dossier est pris parmi ceux de ctgdocs.",
)


@click.group(
    "ctgdocs",
    cls=Group,
    context_settings={"help_option_names": ["-h", "--help"]},
    subcommand_metavar="COMMANDE [ARGUMENTS]...",
)
@click.version_option(
    __version__, "--version", prog_name="ctgdocs", help="Affiche la version et quitte."
)
def main() -> None:
    """Documents des conventions territoriales globales (CTG).

    Valide la description YAML d'une convention et produit ses documents Word :
    la convention, ses fiches actions, les comptes rendus de ses comités et ses
    avenants.
    """


@main.command()
@CHEMINS
@click.option("--strict", is_flag=True, help="Traite les avertissements comme des erreurs.")
@click.option(
    "--format",
    "format_",
    type=click.Choice(["texte", "json"]),
    default="texte",
    show_default=True,
    help="Présentation des problèmes.",
)
def validate(chemins: tuple[Path, ...], strict: bool, format_: str) -> int:
    """Vérifie des conventions (fichiers ou dossiers de *.yaml).

    Affiche chaque problème sous la forme chemin:ligne:colonne: gravité: champ: message,
    puis un résumé. Code de sortie 0 sans erreur, 1 s'il y a des erreurs.
    """
    result = pipeline.validate(list(chemins), strict=strict)
    click.echo(result.as_json() if format_ == "json" else result.as_text())
    return 0 if result.ok else 1


def _created(what: str, written: Path, schema_file: Path, then: str) -> int:
    """Say what was written, and the command to run next on it."""
    click.echo(f"{what} : {written} (schéma pour l'éditeur : {schema_file})", err=True)
    click.echo(f"{then} {written}", err=True)
    return 0


@main.command()
@click.option(
    "--epci",
    required=True,
    metavar="SIREN|NOM",
    help="SIREN de l'EPCI (espaces permis), ou son nom, entier ou en partie.",
)
@click.option(
    "-o",
    "--output",
    type=Chemin(dir_okay=False),
    metavar="FICHIER",
    help="Fichier à créer (par défaut : nom de l'EPCI.yaml ; « - » pour la sortie standard).",
)
def init(epci: str, output: Path | None) -> int:
    """Crée une convention pré-remplie à partir du référentiel (COG, EPCI).

    Le fichier contient le nom et le type de l'EPCI, le département, la Caf (une
    par département du périmètre) et les communes membres ; chaque « À COMPLÉTER »
    reste à renseigner. Le schéma pour l'éditeur (ctgdocs-schema.json) est écrit à
    côté. Un fichier existant n'est jamais écrasé.
    """
    if output is not None and str(output) == "-":
        click.echo(pipeline.init_text(epci), nl=False)
        return 0
    written, schema_file = pipeline.init(epci, output)
    return _created(
        "Convention créée",
        written,
        schema_file,
        "Complétez les « À COMPLÉTER », puis : ctgdocs validate",
    )


@main.command()
@click.option(
    "-o",
    "--output",
    type=Chemin(file_okay=False),
    default=Path(),
    metavar="DOSSIER",
    help="Dossier où écrire l'exemple (par défaut : le dossier courant).",
)
def exemple(output: Path) -> int:
    """Écrit la convention de référence, chaque clé commentée, et le schéma à côté.

    Une convention complète (convention, fiches actions, compte rendu, avenant) à
    lire, à copier et à construire : ctgdocs build pays-de-laigle-2018.yaml.
    """
    written, schema_file = pipeline.exemple(output)
    return _created(
        "Exemple créé", written, schema_file, "Pour produire ses documents : ctgdocs build"
    )


@main.command()
@click.option(
    "-o",
    "--output",
    type=Chemin(dir_okay=False),
    metavar="FICHIER",
    help="Fichier où écrire le schéma (UTF-8) ; par défaut, la sortie standard.",
)
def schema(output: Path | None) -> int:
    """Affiche le schéma JSON du format, pour les éditeurs (yaml-language-server)."""
    if output is None:
        click.echo(pipeline.schema(), nl=False)
    else:
        pipeline.write_schema(output)
        click.echo(f"Schéma écrit : {output}", err=True)
    return 0


@main.command()
@CHEMINS
@click.option(
    "-o",
    "--output",
    type=Chemin(file_okay=False),
    default=Path("build"),
    show_default=True,
    metavar="DOSSIER",
    help="Dossier des documents produits.",
)
@click.option(
    "--only",
    metavar="TYPES",
    help=f"Types de documents, séparés par des virgules : {', '.join(KINDS)} (par défaut : tous).",
)
@TEMPLATES
@click.option("--pdf", is_flag=True, help="Produit aussi un PDF à côté de chaque document.")
@click.option("--pdfa", is_flag=True, help="Produit des PDF/A-2b (archivage) ; implique --pdf.")
@click.option(
    "-j",
    "--jobs",
    type=AuMoins(1),
    metavar="N",
    help="Processus en parallèle (par défaut : le nombre de cœurs).",
)
@click.option("--force", is_flag=True, help="Reconstruit tout, même ce qui est à jour.")
@click.option(
    "--brouillon",
    is_flag=True,
    help="Produit les projets malgré les textes encore « À COMPLÉTER », laissés en blancs "
    "surlignés (les dates, montants et choix restent obligatoires).",
)
@click.option(
    "--continuer",
    is_flag=True,
    help="Construit les conventions valides même si d'autres ne le sont pas (un brouillon "
    "inachevé) ; le code de sortie reste 1. Par défaut, une convention invalide arrête tout.",
)
@click.option(
    "--check",
    is_flag=True,
    help="N'écrit rien : code 1 si un document manque ou n'est pas à jour.",
)
@click.option(
    "--engine",
    type=click.Choice(["rapide", "docxtpl"]),
    default="rapide",
    show_default=True,
    help="Moteur de rendu : rapide (modèles compilés), ou docxtpl, la référence, plus lente.",
)
@click.option("-q", "--quiet", is_flag=True, help="N'affiche que les erreurs.")
@click.option("-v", "--verbose", is_flag=True, help="Détaille ce qui est reconstruit et pourquoi.")
def build(  # click passes every option by name
    *,
    chemins: tuple[Path, ...],
    output: Path,
    only: str | None,
    templates: Path | None,
    pdf: bool,
    pdfa: bool,
    jobs: int | None,
    force: bool,
    continuer: bool,
    brouillon: bool,
    check: bool,
    engine: str,
    quiet: bool,
    verbose: bool,
) -> int:
    """Produit les documents des conventions (fichiers ou dossiers de *.yaml).

    Écrit, par convention, DOSSIER/<référence>/convention.docx, fiches-actions/,
    comptes-rendus/ et avenants/ ; ne refait que ce qui a changé depuis la
    dernière fois (DOSSIER/manifest.json). Une convention invalide n'écrit rien.
    """
    progress = TerminalProgress(verbosity=0 if quiet else 2 if verbose else 1)
    try:
        result = pipeline.build(
            list(chemins),
            output,
            only=only,
            templates=templates,
            pdf=pdf,
            pdfa=pdfa,
            jobs=jobs,
            force=force,
            check=check,
            engine=engine,
            keep_going=continuer,
            draft=brouillon,
            progress=progress,
        )
    finally:
        progress.close()
    if not quiet:
        for line in result.warnings:
            click.echo(line, err=True)
    for line in result.lines:
        click.echo(line)
    if not quiet or not result.ok:
        click.echo(result.summary)
    return 0 if result.ok else 1


@main.group()
def templates() -> None:
    """Modèles Word des documents."""


@templates.command("check")
@TEMPLATES
def templates_check(templates: Path | None) -> int:
    """Vérifie les modèles : balises illisibles et variables inconnues.

    Code de sortie 0 sans problème, 3 si un modèle est cassé.
    """
    result = pipeline.check_templates(templates)
    for line in result.lines:
        click.echo(line)
    click.echo(result.summary)
    return 0 if result.ok else 3
