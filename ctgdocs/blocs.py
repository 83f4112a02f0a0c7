"""The blocks an article is made of (paragraphs, bullets, tables), as templates render them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, TypedDict

from .formatting import NBSP, paragraphes, ponctuer

BlocType = Literal[
    "p", "puce", "intertitre", "libelle", "table2", "table3", "montants2", "montants3"
]


class Bloc(TypedDict):
    """One block of an article: `type` says which template paragraph renders it.

    p: a paragraph; puce: a bullet; intertitre: a heading inside the article;
    libelle: a bold label then text; table2 / table3: a table with a header row and
    `lignes` of 2 or 3 cells; montants2 / montants3: the same, its last column amounts
    (right-aligned) and a `total` row. Every block has every key, so that one template
    loop renders blocks of any type.
    """

    type: BlocType
    texte: str
    libelle: str
    entetes: list[str]
    lignes: list[list[str]]
    total: list[str]


class Article(TypedDict):
    """A numbered article: "Article 5 – Engagements des parties" and its blocks."""

    cle: str
    numero: str
    titre: str
    blocs: list[Bloc]


def _bloc(type_: BlocType, texte: str = "", label: str = "") -> Bloc:
    return {
        "type": type_, "texte": texte, "libelle": label, "entetes": [], "lignes": [], "total": []
    }  # fmt: skip


def p(texte: str) -> Bloc:
    return _bloc("p", texte)


def intertitre(texte: str) -> Bloc:
    return _bloc("intertitre", texte)


def libelle(label: str, texte: str) -> Bloc:
    return _bloc("libelle", texte, label)


def puces(items: Sequence[str]) -> list[Bloc]:
    """An enumeration, punctuated as every list of an act: items « ; », the last « . »."""
    return [_bloc("puce", item) for item in ponctuer(items)]


def tableau(entetes: Sequence[str], lignes: Sequence[Sequence[str]]) -> Bloc:
    """A table of 2 or 3 columns with its header row."""
    if len(entetes) not in (2, 3) or any(len(row) != len(entetes) for row in lignes):
        raise ValueError(f"a table block has 2 or 3 columns, not {len(entetes)}")
    bloc = _bloc("table2" if len(entetes) == 2 else "table3")
    bloc["entetes"] = list(entetes)
    bloc["lignes"] = [list(row) for row in lignes]
    return bloc


def tableau_de_montants(
    entetes: Sequence[str], lignes: Sequence[Sequence[str]], total: Sequence[str]
) -> Bloc:
    """A table of 2 or 3 columns whose last is amounts, right-aligned, and its total row."""
    bloc = tableau(entetes, [*lignes, total])
    bloc["type"] = "montants2" if len(entetes) == 2 else "montants3"
    bloc["lignes"], bloc["total"] = bloc["lignes"][:-1], bloc["lignes"][-1]
    return bloc


def texte_libre(value: str | None) -> list[Bloc]:
    """A user's text block: paragraphs, and bullets punctuated as one enumeration per run."""
    blocs: list[Bloc] = []
    run: list[str] = []
    for block in paragraphes(value or ""):
        if block["puce"]:
            run.append(str(block["texte"]))
            continue
        blocs += puces(run)
        run = []
        blocs.append(p(str(block["texte"])))
    return blocs + puces(run)


def suite_de_puces(blocs: Sequence[Bloc]) -> list[Bloc]:
    """The blocks with each run of bullets punctuated as one enumeration again.

    An avenant that completes a list (« l'article 14 est complété par… ») adds bullets after
    the full stop of its last item: the consolidated text reads as one list.
    """
    result: list[Bloc] = []
    run: list[Bloc] = []
    for bloc in [*blocs, p("")]:
        if bloc["type"] == "puce":
            run.append(bloc)
            continue
        texts = ponctuer([b["texte"] for b in run])
        result += [{**b, "texte": text} for b, text in zip(run, texts, strict=True)]
        run = []
        result.append(bloc)
    return result[:-1]


def citation(blocs: Sequence[Bloc]) -> list[Bloc]:
    """Blocks quoted as new wording: « opens the first, » closes the last."""
    quoted: list[Bloc] = [{**b} for b in blocs]
    if not quoted:
        return quoted
    quoted[0]["texte"] = f"«{NBSP}{quoted[0]['texte']}"
    quoted[-1]["texte"] = f"{quoted[-1]['texte']}{NBSP}»"
    return quoted
