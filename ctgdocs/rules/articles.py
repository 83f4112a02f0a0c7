"""Rules on the articles a convention replaces or adds, and on avenants that amend them."""

from __future__ import annotations

from typing import Any

from ..clauses import OBLIGATOIRES, TITRES
from ..problems import DataPath
from .base import Findings, Seen, entries, text_at

_PLACEMENTS = ("remplace", "apres", "supprime")


def _check_target(
    findings: Findings, path: DataPath, key: str, target: str, keys: list[str]
) -> bool:
    if target in keys:
        return True
    findings.error(
        (*path, key),
        f"« {target} » n'est pas un article de la convention (articles : {', '.join(keys)})",
    )
    return False


def _check_new_key(
    findings: Findings, path: DataPath, item: dict[str, Any], keys: list[str]
) -> bool:
    """Whether the item's `cle`, if any, names no article yet (else an error says so)."""
    cle = text_at(item, "cle")
    if cle and cle in keys:
        findings.error(
            (*path, "cle"),
            f"la clé « {cle} » désigne déjà un article de la convention : pour en changer le "
            f"texte, écrivez remplace: {cle} ; pour un nouvel article, choisissez une autre clé",
        )
        return False
    return True


def _check_convention_article(
    findings: Findings, path: DataPath, item: dict[str, Any], keys: list[str]
) -> None:
    # Given, even with a value the schema refused (« “ »): that value gets its own message.
    placements = [k for k in _PLACEMENTS if k in item]
    if len(placements) != 1:
        findings.error(
            path,
            "indiquez une seule opération : remplace (un article par défaut), apres (insère "
            "un article après celui nommé) ou supprime",
        )
        return
    key = placements[0]
    if not isinstance(item[key], str) or not item[key]:
        return  # the schema says what is wrong with it
    target = item[key]
    if not _check_target(findings, path, key, target, keys):
        return
    if key == "supprime":
        if target in OBLIGATOIRES:
            findings.error(
                (*path, key),
                f"« {target} » est une clause obligatoire d'une CTG : remplacez-la "
                "(remplace, avec votre texte) plutôt que de la supprimer",
            )
        else:
            keys.remove(target)
        return
    if not text_at(item, "texte"):
        findings.error(path, f"texte manquant : le texte de l'article ({key}: {target})")
    if key == "apres":
        if not text_at(item, "titre"):
            findings.error(path, "titre manquant : le titre de l'article inséré")
        _insert(findings, path, item, keys, target)


def _insert(
    findings: Findings, path: DataPath, item: dict[str, Any], keys: list[str], after: str
) -> None:
    """An inserted article with a `cle` of its own can be named by later articles."""
    cle = text_at(item, "cle")
    if _check_new_key(findings, path, item, keys) and cle:
        keys.insert(keys.index(after) + 1, cle)


def _check_renvoi_revision(doc: dict[str, Any], findings: Findings) -> None:
    """The default article « revision » keeps the plan's updates « prévues à l'article » of
    the governance: a governance rewritten without the fiches its committee adopts leaves
    that reference pointing at nothing."""
    rewritten: list[tuple[DataPath, dict[str, Any]]] = [
        (("convention", "articles", i), a) for i, a in entries(doc, "convention", "articles")
    ]
    for number, avenant in entries(doc, "avenants"):
        rewritten += [
            (("avenants", number, "dispositions", i), d)
            for i, d in entries(avenant, "dispositions")
        ]
    if any(text_at(item, "remplace") == "revision" for _, item in rewritten):
        return
    governance = [
        (path, item) for path, item in rewritten if text_at(item, "remplace") == "gouvernance"
    ]
    for path, item in governance[-1:]:  # the text in force at the end
        texte = (text_at(item, "texte") or "").casefold().replace("’", "'")
        if "fiche" not in texte and "plan d'actions" not in texte:
            findings.warning(
                (*path, "texte"),
                "l'article « gouvernance » ainsi rédigé ne dit plus que le comité de pilotage "
                "adopte les fiches actions, alors que l'article « revision » renvoie aux "
                "actualisations du plan d'actions qu'il prévoit : prévoyez-les dans ce texte, "
                "ou remplacez aussi l'article revision",
            )


def check(doc: dict[str, Any], findings: Findings) -> None:
    _check_renvoi_revision(doc, findings)
    keys = list(TITRES)
    for index, item in entries(doc, "convention", "articles"):
        _check_convention_article(findings, ("convention", "articles", index), item, keys)
    for number, avenant in entries(doc, "avenants"):
        # One avenant rewrites an article once, and titles each of its articles differently.
        replaced, titles = Seen(), Seen()
        for index, item in entries(avenant, "dispositions"):
            path = ("avenants", number, "dispositions", index)
            remplace, apres = text_at(item, "remplace"), text_at(item, "apres")
            titre = " ".join((text_at(item, "titre") or "").casefold().split())
            earlier = titles.earlier(titre, index)
            if earlier is not None:
                findings.error(
                    (*path, "titre"),
                    f"l'article « {text_at(item, 'titre')} » figure déjà dans cet avenant "
                    f"(dispositions[{earlier}]) : réunissez-les ou changez le titre",
                )
            if remplace and apres:
                findings.error(path, "remplace ou apres, pas les deux")
                continue
            earlier = replaced.earlier(remplace, index)
            if earlier is not None:
                findings.error(
                    (*path, "remplace"),
                    f"l'article « {remplace} » est déjà remplacé par cet avenant "
                    f"(dispositions[{earlier}]) : réunissez les deux textes",
                )
            elif remplace:
                _check_target(findings, path, "remplace", remplace, keys)
            elif apres and _check_target(findings, path, "apres", apres, keys):
                _insert(findings, path, item, keys, apres)
