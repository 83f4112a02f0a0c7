"""Check a loaded file against the schema, in French, and convert its values to types."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from typing import Any

from .formatting import liste, sans_accents
from .loader import Positions, forbidden_character
from .problems import AVERTISSEMENT, ERREUR, INTERDITS, DataPath, Problem, one_line
from .problems import shown as _shown
from .referentiel import commune
from .scalars import (
    CHECKS,
    CONTROLE,
    DATE,
    ENTIER,
    INVISIBLE,
    INVISIBLES,
    MONTANT,
    TYPOGRAPHIQUES,
    code_without_spaces,
    parse_date,
    parse_heure,
)
from .schema import ANNEES, MAX_CARACTERES, MOTIFS, SCHEMA, TYPE_DESCRIPTIONS, Schema
from .schema_check import (
    INCONNU,
    LONGUEUR,
    NUL,
    REQUIS,
    TYPE,
    VALEUR,
    SchemaError,
    check_document,
)

PLACEHOLDER = "À COMPLÉTER"


def _rules_at(path: DataPath) -> Schema | None:
    """The schema rules of the field at `path`, if the schema knows it."""
    rules: Schema = {"type": "dict", "schema": SCHEMA}
    for part in path:
        inner = rules.get("schema")
        if not isinstance(inner, dict):
            return None
        if isinstance(part, int):
            if rules.get("type") != "list":
                return None
            rules = inner
        else:
            # A key inside a list's place (a hostile file): `inner` is then the rules of
            # the list's items, whose own keys ("type", "schema") are not fields.
            if rules.get("type") == "list" or part not in inner:
                return None
            rules = inner[part]
    return rules


def _keys(fields: Schema) -> str:
    """ "debut et fin": the keys a block needs (or may take, when none is required)."""
    required = [name for name, rules in fields.items() if rules.get("required")]
    if required:
        return liste(required)
    names = list(fields)
    return f"{', '.join(names[:-1])} ou {names[-1]}" if len(names) > 1 else names[0]


def describe(rules: Schema) -> str:
    """What a field takes, in French: a block names its keys (« un bloc avec debut et fin »)."""
    type_ = rules.get("type", "")
    inner = rules.get("schema")
    if "allowed" in rules:
        return "une des valeurs " + ", ".join(rules["allowed"])
    if type_ == "dict" and isinstance(inner, dict):
        return f"un bloc avec {rules.get('meta', {}).get('cles') or _keys(inner)}"
    if type_ == "list" and isinstance(inner, dict) and inner.get("type") == "dict":
        return f"une liste de blocs avec {_keys(inner['schema'])}"
    exemple = rules.get("meta", {}).get("exemple")
    if type_ == "code" and exemple:
        return f"un code sur une ligne, sans guillemets (par exemple {exemple})"
    return TYPE_DESCRIPTIONS.get(type_, "une valeur")


def _expected(path: DataPath) -> str:
    return describe(_rules_at(path) or {})


def _pilot_hint(path: DataPath, value: Any, expected: str) -> str | None:
    """How to write a fiche's pilot given as a list of parties, or as a party's id alone."""
    if isinstance(value, list) and path[-2:] == ("pilote", "partie"):
        return (
            "une liste a été donnée ; attendu : l'id d'une seule partie ; pour un copilotage, "
            "indiquez les autres sous copilotes (par exemple copilotes: [caf])"
        )
    if path[-1:] == ("pilote",) and isinstance(value, str) and value.strip() and "\n" not in value:
        shown = _shown(value)
        return (
            f"« {shown} » n'est pas {expected} ; écrivez pilote: {{partie: {shown}}} pour une "
            "partie, pilote: {structure: …} pour un pilote qui ne signe pas"
        )
    return None


def _bad_value(path: DataPath, value: Any) -> str:
    rules = _rules_at(path) or {}
    type_ = rules.get("type", "")
    expected = describe(rules)
    if isinstance(value, dict):
        return f"un bloc de clés a été donné ; attendu : {expected}"
    pilot = _pilot_hint(path, value, expected)
    if pilot:
        return pilot
    if isinstance(value, list):
        return f"une liste a été donnée ; attendu : {expected}"
    problem = _out_of_bounds(type_, value) or _malformed(type_, value)
    if problem:
        return problem
    if type_ == "montant" and re.match(r"^-", value):
        return f"montant négatif « {_shown(value)} » ; attendu : {expected}"
    spaced = code_without_spaces(type_, value)
    if spaced:
        return f'« {_shown(value)} » n\'est pas {expected} ; écrivez "{spaced}" (sans espaces)'
    suggestion = _french_form(type_, value) or _straight_quotes(type_, value)
    if suggestion and type_ == "code":
        return (
            f"« {_shown(value)} » : pas de guillemets typographiques dans un code ; "
            f"écrivez {suggestion}"
        )
    if suggestion:
        return f"« {_shown(value)} » n'est pas {expected} ; écrivez {suggestion}"
    if not value.strip():  # "" where a block, a list, a date… is expected, as for a text
        return f"valeur vide ; attendu : {expected}"
    return f"« {_shown(value)} » n'est pas {expected}"


def _malformed(type_: str, value: str) -> str | None:
    """What is wrong with a value that has its type's shape, or a character no text takes."""
    forbidden = INTERDITS.search(value)
    if forbidden:
        return forbidden_character(forbidden[0])
    if type_ == "date" and DATE.match(value):
        return f"date impossible : « {value} » n'existe pas dans le calendrier"
    if type_ in MAX_CARACTERES and CONTROLE.search(value):
        return "caractère de contrôle invisible interdit dans le texte"
    invisible = INVISIBLE.search(value) if type_ in MAX_CARACTERES else None
    if invisible:
        char = invisible[0]
        name = INVISIBLES.get(char, "caractère à usage privé, sans lettre ni signe")
        return (
            f"caractère invisible U+{ord(char):04X} ({name}) dans le texte, souvent collé "
            "depuis une page web ou un traitement de texte : supprimez-le ou retapez le texte "
            "autour"
        )
    if type_ in ("ligne", "code") and "\n" in value.strip():
        return "texte sur une seule ligne attendu (pas de retour à la ligne)"
    if type_ == "insee" and re.fullmatch(r"20[0-9]{3}", value):
        return _corse(value)
    return None


def _corse(value: str) -> str:
    """A Corsican INSEE code typed with the old département number 20."""
    found = [c for code in (f"2A{value[2:]}", f"2B{value[2:]}") if (c := commune(code))]
    hint = f' : écrivez "{found[0].code}" ({found[0].nom})' if len(found) == 1 else ""
    return (
        f"« {value} » : les codes INSEE de Corse commencent par 2A (Corse-du-Sud) ou 2B "
        f"(Haute-Corse), jamais par 20{hint}"
    )


def _out_of_bounds(type_: str, value: str) -> str | None:
    """Why a well-formed value is past the bounds every field of its type obeys."""
    if type_ in MAX_CARACTERES and len(value.strip()) > MAX_CARACTERES[type_]:
        limit = f"{MAX_CARACTERES[type_]:,}".replace(",", "\u202f")
        return f"texte trop long : {len(value.strip())} caractères, {limit} au plus pour ce champ"
    if type_ == "entier" and ENTIER.match(value):
        return f"« {_shown(value)} » hors limites ; attendu : {TYPE_DESCRIPTIONS[type_]}"
    if type_ == "montant" and MONTANT.match(value):
        return (
            f"montant « {_shown(value)} » trop élevé : un montant est inférieur à "
            "un milliard d'euros"
        )
    if type_ == "date" and DATE.match(value):
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return None
        return f"date « {value} » hors de la plage acceptée (années {ANNEES[0]} à {ANNEES[1]})"
    return None


def _straight_quotes(type_: str, value: str) -> str | None:
    """The value with straight quotes, where typographic ones made it invalid."""
    if not TYPOGRAPHIQUES.search(value):
        return None
    bare = TYPOGRAPHIQUES.sub("", value).strip(" \u00a0\u202f")
    if not CHECKS.get(type_, lambda _: False)(bare):
        return None
    return bare if type_ == "code" else f'"{bare}" (guillemets droits)'


def _french_form(type_: str, value: str) -> str | None:
    """The intended value of an amount, a date or a time typed the French way, if it is one."""
    if type_ == "montant":
        bare = re.sub(r"(€|euros?|eur)$", "", re.sub(r"\s", "", value), flags=re.I)
        return bare.replace(",", ".") if MONTANT.match(bare) else None
    if type_ == "date":
        candidate = _date_form(value)
        return candidate if parse_date(candidate) is not None else None
    if type_ in ("insee", "departement") and value != value.upper():
        # « 2a011 »: Corsica's letters typed in lower case.
        upper = value.upper()
        return f'"{upper}"' if CHECKS[type_](upper) else None
    if type_ == "heure":
        match = re.match(r"^([0-9]{1,2}) ?h ?([0-9]{2})?$", value.strip(), flags=re.I)
        candidate = f"{int(match[1]):02d}:{match[2] or '00'}" if match else ""
        return candidate if parse_heure(candidate) is not None else None
    return None


_MOIS = {
    name: number
    for number, names in enumerate(
        [
            ("janvier", "janv"),
            ("fevrier", "fevr", "fev"),
            ("mars",),
            ("avril", "avr"),
            ("mai",),
            ("juin",),
            ("juillet", "juil"),
            ("aout",),
            ("septembre", "sept"),
            ("octobre", "oct"),
            ("novembre", "nov"),
            ("decembre", "dec"),
        ],
        start=1,
    )
    for name in names
}
_JOUR_MOIS_ANNEE = re.compile(
    r"^(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche),? )?"
    r"(\d{1,2}) ?(?:er)? ([a-z]+)\.? (\d{4})$"
)


# A time after the date (2018-01-01T10:00, « 14 mars 2024 à 10h30 »): a field takes the day.
_HEURE_APRES = re.compile(
    r"(?:T|\s+(?:à\s+)?)\d{1,2}[:h]\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|\s*[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)


def _date_form(value: str) -> str:
    """The AAAA-MM-JJ a date typed otherwise stands for ("" when it is not one)."""
    text = _HEURE_APRES.sub("", " ".join(value.split()))
    if match := re.match(r"^(\d{4})(\d{2})(\d{2})$", text):  # 20180101
        return f"{match[1]}-{match[2]}-{match[3]}"
    if match := re.match(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$", text):
        return f"{match[3]}-{int(match[2]):02d}-{int(match[1]):02d}"
    if match := re.match(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$", text):
        return f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}"
    match = _JOUR_MOIS_ANNEE.match(sans_accents(text).lower())
    if match and match[2] in _MOIS:
        return f"{match[3]}-{_MOIS[match[2]]:02d}-{int(match[1]):02d}"
    return ""


def _cut_amounts(positions: Positions) -> dict[DataPath, DataPath]:
    """Amounts a comma split inside `{…}` (`montant: 8500,50`): amount path → stray key path."""
    return {
        (*stray[:-1], cut): stray
        for stray, cut in positions.stray_keys.items()
        if (_rules_at((*stray[:-1], cut)) or {}).get("type") == "montant"
    }


def _cut_amount_message(amount: Any, stray: DataPath) -> str:
    """One message for `montant: 8 500,50` inside braces, with the cents kept."""
    typed = f"{amount},{stray[-1]}" if isinstance(amount, str) else f"…,{stray[-1]}"
    suggestion = _french_form("montant", typed)
    where = "entre accolades, la virgule coupe le montant en deux clés"
    if suggestion:
        return f"« {typed} » : {where} ; écrivez {suggestion}"
    return f"« {typed} » : {where} ; écrivez-le avec un point décimal (par exemple 8500.50)"


def codes_for_rules(data: dict[str, Any], rejected: set[DataPath]) -> dict[str, Any]:
    """The document as the rules read it: a code the schema rejected is its straight-quoted
    form when that is valid (“A2” is A2), else absent; a list of codes then names only
    valid ones, and a reference to A2 does not repeat the declaration's error.

    The document itself is not changed: the blocks and lists on the way are copied.
    """
    view: Any = data
    for path in sorted(rejected, key=len) if isinstance(data, dict) else ():
        value = _value_at(view, path)
        if not path or not isinstance(value, str) or (_rules_at(path) or {}).get("type") != "code":
            continue
        straight = _straight_quotes("code", value)
        view = _replaced(view, path, straight.strip() if straight else None)
    return view  # type: ignore[no-any-return]


def _replaced(data: Any, path: DataPath, value: Any) -> Any:
    copy: Any = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = value if len(path) == 1 else _replaced(data[path[0]], path[1:], value)
    return copy


def _value_at(data: Any, path: DataPath) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _unknown_key(path: DataPath, positions: Positions) -> str:
    key = str(path[-1])
    cut = positions.stray_keys.get(path)
    if cut is not None:
        return (
            f"clé inconnue « {key} » : une virgule a coupé la valeur de « {cut} » ; "
            f'mettez cette valeur entre guillemets ({cut}: "…, …")'
        )
    known = list((_rules_at(path[:-1]) or {}).get("schema", {}))
    # A key of a block beside it (« copilotes » next to « pilote »): said before any typo.
    parents = [
        parent
        for parent in known
        if (rules := _rules_at((*path[:-1], parent)) or {}).get("type") == "dict"
        and key in rules.get("schema", {})
    ]
    if parents:
        where = liste([f"« {parent} »" for parent in parents], "ou")
        return (
            f"clé inconnue à ce niveau : « {key} » se place dans {where} "
            f"({parents[0]}: {{…, {key}: …}})"
        )
    if len(path) >= 3 and path[-3] == "fiches_modifiees" and key in _FICHE_KEYS:
        # A key of the fiche an avenant does not rewrite: no near miss to offer for it.
        return (
            f"« {key} » ne se modifie pas par avenant "
            f"(rubriques modifiables : {', '.join(k for k in known if k != 'code')})"
        )
    match = _suggestion(path)
    if match:
        return f"clé inconnue ; vouliez-vous dire « {match} » ?"
    return f"clé inconnue (clés possibles : {', '.join(known)})"


_FICHE_KEYS = frozenset(SCHEMA["fiches_actions"]["schema"]["schema"])


def _suggestion(path: DataPath) -> str | None:
    """The known key closest to the unknown key at `path`, if one is close."""
    return _closest(str(path[-1]), tuple((_rules_at(path[:-1]) or {}).get("schema", {})))


@functools.lru_cache(maxsize=4096)
def _closest(key: str, known: tuple[str, ...]) -> str | None:
    # Asked twice per unknown key (is it a typo? then in its message): computed once.
    match = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return match[0] if match else None


def _unallowed(path: DataPath, value: Any) -> str:
    allowed = (_rules_at(path) or {}).get("allowed", [])
    straight = TYPOGRAPHIQUES.sub("", str(value)).strip(" \u00a0\u202f")
    if straight != value and straight in allowed:
        return f"« {_shown(str(value))} » : pas de guillemets typographiques ; écrivez {straight}"
    match = difflib.get_close_matches(str(value), allowed, n=1, cutoff=0.6)
    hint = f" ; vouliez-vous dire « {match[0]} » ?" if match else ""
    values = ", ".join(allowed)
    return f"« {_shown(str(value))} » n'est pas une valeur permise (valeurs : {values}){hint}"


def _translate(error: SchemaError, positions: Positions) -> Problem:
    path, kind = error.path, error.kind
    key_position = False
    if kind == REQUIS:
        message = f"champ obligatoire manquant ; attendu : {_expected(path)}"
        if path[-2:-1] == ("habilitation",) and path[-1] == "date":
            # A deliberation not yet taken is no habilitation: the projet shows a blank.
            message += (
                " ; si la délibération n'est pas encore prise, retirez habilitation : le "
                "projet laisse en blanc la délibération à citer"
            )
        line, column = positions.locate(path[:-1], key=True)
    else:
        if kind == INCONNU:
            message = _unknown_key(path, positions)
            key_position = True
        elif kind == NUL:
            message = f"valeur manquante ; attendu : {_expected(path)}"
        elif kind == TYPE:
            message = _bad_value(path, error.value)
        elif kind == LONGUEUR:
            plural = "s" if error.constraint > 1 else ""
            message = f"au moins {error.constraint} élément{plural} attendu{plural}"
        elif kind == VALEUR:
            message = _unallowed(path, error.value)
        else:  # MOTIF
            motif = MOTIFS.get(error.constraint, "ne correspond pas au format attendu")
            message = f"« {_shown(error.value)} » {motif}"
        line, column = positions.locate(path, key=key_position)
    return Problem(ERREUR, path, message, line, column)


def check_schema(
    data: dict[str, Any], positions: Positions
) -> tuple[list[Problem], dict[str, Any]]:
    """Every schema violation of the document, in French; and the document, typed.

    Each valid value is converted to its Python type (`Decimal`, dates, stripped texts);
    any other value stays as it was.
    """
    errors, typed = check_document(data)
    # "champ: clé inconnue ; vouliez-vous dire « champs » ?" already says that
    # `champs` is missing: do not say it twice.
    suggested = {
        (*path[:-1], match)
        for e in errors
        if e.kind == INCONNU and (match := _suggestion(path := e.path))
    }
    cut = _cut_amounts(positions)
    strays = {stray: amount for amount, stray in cut.items()}
    problems = []
    for e in errors:
        path = e.path
        if e.kind == REQUIS and path in suggested:
            continue
        if e.kind == TYPE and path in cut:
            continue  # said once below, with the cents the comma cut off
        if e.kind == INCONNU and path in strays:
            amount = strays[path]
            message = _cut_amount_message(_value_at(data, amount), path)
            problems.append(Problem(ERREUR, amount, message, *positions.locate(amount)))
            continue
        problems.append(_translate(e, positions))
    for path, previous in positions.cut_items.items():
        item = _value_at(data, path)
        if isinstance(item, str):
            problems.append(_cut_item_warning(path, previous, item, positions))
    return problems, typed


def _cut_item_warning(path: DataPath, previous: str, item: str, positions: Positions) -> Problem:
    """« d'appui … » after « Réseau d'écoute » in `[…]`: two items, or one cut by a comma?"""
    whole = f"{previous}, {item}"
    message = (
        f"« {_shown(item)} » suit « {_shown(previous)} » comme la fin d'un même élément : "
        "entre crochets, une virgule sépare les éléments de la liste ; si c'est un seul "
        f'élément, mettez-le entre guillemets ("{one_line(whole)}")'
    )
    return Problem(AVERTISSEMENT, path, message, *positions.locate(path))


def find_placeholders(data: Any) -> dict[DataPath, str]:
    """Values still reading "À COMPLÉTER …", as `ctgdocs init` wrote them, by path."""
    if isinstance(data, str):
        return {(): data.strip()} if data.strip().startswith(PLACEHOLDER) else {}
    found: dict[DataPath, str] = {}
    if isinstance(data, dict | list):
        _find_placeholders(data, (), found)
    return found


def _find_placeholders(
    data: dict[str, Any] | list[Any], path: DataPath, found: dict[DataPath, str]
) -> None:
    # A path is made only for a block, a list or a placeholder: most values are none.
    for key, value in data.items() if isinstance(data, dict) else enumerate(data):
        if isinstance(value, str):
            if PLACEHOLDER in value and value.strip().startswith(PLACEHOLDER):
                found[(*path, key)] = value.strip()
        elif isinstance(value, dict | list):
            _find_placeholders(value, (*path, key), found)
