"""Rules on the articles a convention replaces or adds, and on avenants that amend them."""

from __future__ import annotations

from typing import Any

from ..clauses import OBLIGATOIRES, TITRES
from ..formatting import liste
from ..problems import DataPath
from .base import Findings, Seen, entries, text_at

_PLACEMENTS = ("remplace", "apres", "supprime")


def _check_target(
    findings: Findings, path: DataPath, key: str, target: str, keys: list[str]
) -> bool:
    if target in keys:
        return True
    # The default article « domicile » is written only where a party has no address.
    why = (
        " : chaque partie a une adresse, la convention n'a donc pas d'article d'élection de "
        "domicile"
        if target == "domicile" and target in TITRES
        else ""
    )
    findings.error(
        (*path, key),
        f"« {target} » n'est pas un article de la convention{why} (articles : {', '.join(keys)})",
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


def _check_cle_sans_apres(findings: Findings, path: DataPath, item: dict[str, Any]) -> None:
    """`cle` names an article inserted with `apres`; elsewhere nothing would bear it, and a
    later reference to it would find no article."""
    if "cle" in item:
        findings.error(
            (*path, "cle"),
            "cle ne sert qu'à un article inséré (apres) : un article réécrit garde sa clé, une "
            "stipulation propre de l'avenant n'en a pas ; retirez cle",
        )


def _done_before(
    findings: Findings, path: DataPath, key: str, target: str, done: dict[str, tuple[str, int]]
) -> bool:
    """Whether an earlier item already replaced, removed or inserted `target` (an error)."""
    if target not in done:
        return False
    operation, index = done[target]
    how = {"remplace": "remplacé", "supprime": "supprimé", "apres": "inséré"}[operation]
    advice = {
        "remplace": "réunissez les deux textes en un seul remplace",
        "supprime": "gardez une seule des deux opérations",
        "apres": "écrivez ce texte dans l'article inséré"
        if key == "remplace"
        else f"retirez plutôt convention.articles[{index}]",
    }[operation]
    findings.error(
        path, f"l'article « {target} » est déjà {how} par convention.articles[{index}] : {advice}"
    )
    return True


def _check_supprime(findings: Findings, path: DataPath, item: dict[str, Any], target: str) -> bool:
    """Whether `supprime: target` may remove that article (else errors say why)."""
    ignored = [k for k in ("titre", "texte", "cle") if k in item]
    if ignored:
        findings.error(
            path,
            f"supprime: {target} retire l'article : retirez {liste(ignored)}, ou écrivez "
            f"remplace: {target} pour le réécrire",
        )
    if target in OBLIGATOIRES:
        findings.error(
            (*path, "supprime"),
            f"« {target} » est une clause obligatoire d'une CTG : remplacez-la "
            "(remplace, avec votre texte) plutôt que de la supprimer",
        )
        return False
    return True


def _check_convention_article(
    findings: Findings,
    path: DataPath,
    item: dict[str, Any],
    keys: list[str],
    done: dict[str, tuple[str, int]],
) -> None:
    """One item of `convention.articles`; `done` holds the articles earlier items replaced
    or removed (key → operation, index), which a second item would silently undo."""
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
    if key == "supprime" and target == "domicile" and target not in keys:
        return  # already absent: every party has an address
    if key != "apres" and _done_before(findings, (*path, key), key, target, done):
        return
    if not _check_target(findings, path, key, target, keys):
        return
    index = path[-1] if isinstance(path[-1], int) else 0
    if key == "supprime":
        if _check_supprime(findings, path, item, target):
            keys.remove(target)
            done[target] = (key, index)
        return
    if key == "remplace":
        _check_cle_sans_apres(findings, path, item)
        done[target] = (key, index)
    elif cle := text_at(item, "cle"):
        done.setdefault(cle, (key, index))
    # Given but empty or of the wrong kind, texte and titre get the schema's message.
    if "texte" not in item:
        findings.error(path, f"texte manquant : le texte de l'article ({key}: {target})")
    if key == "apres":
        if "titre" not in item:
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


def _has_domicile(doc: dict[str, Any]) -> bool:
    """Whether the convention has the article « domicile »: a party without an address, or
    its own text for it (as `clauses._default_keys` decides)."""
    return any(not text_at(p, "adresse") for _, p in entries(doc, "parties")) or any(
        text_at(a, "remplace") == "domicile" for _, a in entries(doc, "convention", "articles")
    )


def check(doc: dict[str, Any], findings: Findings) -> None:
    _check_renvoi_revision(doc, findings)
    keys = list(TITRES)
    if not _has_domicile(doc):
        keys.remove("domicile")
    done: dict[str, tuple[str, int]] = {}
    for index, item in entries(doc, "convention", "articles"):
        _check_convention_article(findings, ("convention", "articles", index), item, keys, done)
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
            if not apres:
                _check_cle_sans_apres(findings, path, item)
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
