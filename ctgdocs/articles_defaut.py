"""The default wording of each article of a convention, written for any number of parties."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .blocs import Bloc, intertitre, libelle, p, puces, tableau
from .context import champs as champs_lus
from .context import de_epci, periode, provenance
from .designation import de_partie, nom_court_et_genre, nom_propre
from .engagements import engagements
from .formatting import (
    adresse,
    avenants_nommes,
    chiffres_groupes,
    date_longue,
    duree_en_lettres,
    entre_parentheses,
    liste,
)
from .juridictions import tribunal
from .referentiel import departement, sans_communes_membres
from .schema import CHAMPS

if TYPE_CHECKING:
    from .clauses import Renvois
    from .etat import Etat

_COLLECTIVITES = ("epci", "commune", "departement")


def _epci_type(doc: dict[str, Any]) -> str | None:
    return str(doc["territoire"]["epci"]["type"])


def nom_court(doc: dict[str, Any], partie: dict[str, Any]) -> str:
    return nom_court_et_genre(partie, _epci_type(doc))[0]


def de_nom_court(doc: dict[str, Any], partie: dict[str, Any]) -> str:
    """ "de la Caf", "du Département", "de l'Association"."""
    name, genre = nom_court_et_genre(partie, _epci_type(doc))
    return de_partie(name, genre == "feminin", nom_propre(partie))


def _sous_reserve(
    doc: dict[str, Any],
    etat: Etat,
    type_: str,
    phrase: Callable[[str, Callable[[str, str], str]], str],
) -> list[Bloc]:
    """The reserve under which the signatories of one type commit, in one sentence for all:
    `phrase` gets their names (« de la Caf du Gard et de la Caf du Cher ») and a chooser
    of the singular or plural form."""
    names = _de_chacune(doc, etat, type_)
    if not names:
        return []

    def nombre(one: str, many: str) -> str:
        return many if len(names) > 1 else one

    return [p(phrase(liste(names), nombre))]


def _de_chacune(doc: dict[str, Any], etat: Etat, type_: str) -> list[str]:
    """ "de la Caf de l'Indre", "de la Caf du Cher": every signatory of that type."""
    return [de_nom_court(doc, x) for x in etat.signees if x.get("type") == type_]


def objet(doc: dict[str, Any], etat: Etat, r: Renvois) -> list[Bloc]:
    return [
        p(
            "La présente convention territoriale globale a pour objet de définir le projet "
            f"social de territoire partagé par les signataires sur le territoire {de_epci(doc)} et "
            "d'organiser les modalités de leur coopération pour sa mise en œuvre."
        ),
        p(
            "Elle vise à renforcer l'efficacité, la cohérence et la coordination des actions "
            "conduites en direction des familles et des habitants du territoire."
        ),
    ]


def champs(doc: dict[str, Any], etat: Etat, r: Renvois) -> list[Bloc]:
    return [
        p("Les signataires conviennent d'agir dans les champs d'intervention suivants :"),
        *puces([CHAMPS[c] for c in doc["champs"]]),
    ]


def diagnostic(doc: dict[str, Any], etat: Etat, r: Renvois) -> list[Bloc]:
    data = doc["diagnostic"]
    blocs: list[Bloc] = []
    if data.get("periode"):
        span = data["periode"]
        blocs.append(
            p(f"Le diagnostic partagé a été conduit {periode(span['debut'], span['fin'])}.")
        )
    if data.get("realise_par"):
        # Free text without its article ("Service enfance-jeunesse…", "Caf de l'Orne"): a
        # label, kept as typed, since a name's first capital cannot be told from a noun's.
        blocs.append(libelle("Réalisation : ", f"{data['realise_par'].rstrip('.')}."))
    # "Il" once the first sentence has named the diagnostic; its name otherwise.
    sujet = "Il" if data.get("periode") else "Le diagnostic partagé"
    if data.get("methodes"):
        blocs.append(p(f"{sujet} s'appuie sur les méthodes suivantes :"))
        blocs += puces(data["methodes"])
        sujet = "Il"
    if data.get("chiffres_cles"):
        blocs.append(p(f"{sujet} retient les chiffres clés suivants :"))
        rows = [[c["libelle"], chiffres_groupes(c["valeur"])] for c in data["chiffres_cles"]]
        blocs.append(tableau(["Indicateur", "Valeur"], rows))
        sujet = "Il"
    blocs.append(p(f"{sujet} met en évidence les constats suivants :"))
    return blocs + puces(data["constats"])


def axes(doc: dict[str, Any], etat: Etat, r: Renvois) -> list[Bloc]:
    annexe_fiches = (
        f" ; chaque action y fait l'objet d'une fiche action ({r.annexe('fiches', False)})"
    )
    blocs = [
        p(
            "Le projet social de territoire s'organise autour des axes stratégiques suivants. "
            f"Le plan d'actions qui les décline figure à {r.annexe('plan')}"
            f"{annexe_fiches if etat.fiches_signees else ''}."
        )
    ]
    for axe in doc["axes"]:
        blocs.append(intertitre(f"Axe {axe['code']} – {axe['intitule']}"))
        if axe.get("champs"):
            champ = (
                "Champs d'intervention : " if len(axe["champs"]) > 1 else "Champ d'intervention : "
            )
            blocs.append(libelle(champ, f"{champs_lus(axe['champs'])}."))
        blocs.append(libelle("Objectifs :" if len(axe["objectifs"]) > 1 else "Objectif :", ""))
        blocs += puces(axe["objectifs"])
        codes = [f["code"] for f in etat.fiches_signees if f["axe"] == axe["code"]]
        if codes:
            label = "Fiches actions : " if len(codes) > 1 else "Fiche action : "
            blocs.append(libelle(label, f"{liste(codes)}."))
        else:
            blocs.append(libelle("Fiche action : ", "à définir par le comité de pilotage."))
    return blocs


def engagements_article(doc: dict[str, Any], etat: Etat, r: Renvois) -> list[Bloc]:
    return [
        p(
            "Chaque signataire s'engage à contribuer, dans le respect de ses compétences, à la "
            "mise en œuvre du projet social de territoire. En particulier :"
        ),
        *engagements(
            etat.signees,
            _epci_type(doc),
            r.article("financement"),
            membres=not sans_communes_membres(doc["territoire"]["epci"]["siren"]),
        ),
    ]


def financement(doc: dict[str, Any], etat: Etat, r: Renvois) -> list[Bloc]:
    where = f"au plan d'actions ({r.annexe('plan', False)})"
    if etat.fiches_signees:
        where += f" et dans les fiches actions ({r.annexe('fiches', False)})"
    blocs = [
        p(
            f"Les montants figurant {where} sont prévisionnels. La "
            "présente convention est un document cadre : elle ne vaut pas, par elle-même, "
            "engagement financier des signataires."
        )
    ]
    blocs += _sous_reserve(
        doc,
        etat,
        "caf",
        lambda de, n: (
            f"Les financements {de} sont accordés dans le respect de {n('sa', 'leur')} "
            f"réglementation et de {n('ses', 'leurs')} règles d'intervention, dans la limite des "
            "crédits disponibles. Ils font l'objet de conventions d'objectifs et de financement "
            "distinctes, conclues avec les gestionnaires des équipements et services concernés."
        ),
    )
    blocs += _sous_reserve(
        doc,
        etat,
        "msa",
        lambda de, n: (
            f"Les financements {de} relèvent de {n('son', 'leur')} action sanitaire "
            "et sociale ; ils sont accordés dans les mêmes conditions, dans la limite de "
            f"{n('ses', 'leurs')} crédits disponibles."
        ),
    )
    collectivites = [x for x in etat.signees if x.get("type") in _COLLECTIVITES]
    if len(collectivites) == 1:
        blocs.append(
            p(
                f"Les engagements financiers {de_nom_court(doc, collectivites[0])} sont pris "
                "sous réserve du vote de son budget par son assemblée délibérante."
            )
        )
    elif collectivites:
        blocs.append(
            p(
                "Les engagements financiers des collectivités signataires sont pris sous "
                "réserve du vote de leurs budgets par leurs assemblées délibérantes."
            )
        )
    blocs += _sous_reserve(
        doc,
        etat,
        "etat",
        lambda de, n: (
            f"Les engagements financiers {de} sont pris sous réserve de l'ouverture "
            "des crédits correspondants en loi de finances."
        ),
    )
    # Any other body (a Région, an association, a bailleur): its own bodies decide.
    blocs += _sous_reserve(
        doc,
        etat,
        "autre",
        lambda de, n: (
            f"Les engagements financiers {de} sont pris sous réserve des décisions de "
            f"{n('ses', 'leurs')} instances compétentes et de la disponibilité de "
            f"{n('ses', 'leurs')} crédits."
        ),
    )
    return blocs


def _comite(nom: str, comite: dict[str, Any], role: str) -> list[Bloc]:
    return [
        p(f"{nom}, qui se réunit {comite['frequence']}, rassemble :"),
        *puces(comite["composition"]),
        p(role),
    ]


def gouvernance(doc: dict[str, Any], etat: Etat, r: Renvois) -> list[Bloc]:
    data = doc["gouvernance"]
    blocs = _comite(
        "Le comité de pilotage",
        data["comite_pilotage"],
        "Il définit les orientations de la convention, valide le plan d'actions et ses "
        "actualisations, et en suit la mise en œuvre. Les fiches actions qu'il adopte après la "
        "signature de la présente convention y sont annexées ; elles ne peuvent modifier ni "
        "les engagements des signataires, ni la durée ou le périmètre de la convention, qui "
        f"relèvent d'un avenant ({r.article('revision', False)}).",
    )
    if data.get("comite_technique"):
        blocs += _comite(
            "Le comité technique",
            data["comite_technique"],
            "Il prépare les travaux du comité de pilotage et suit l'avancement des fiches actions.",
        )
    return blocs


def evaluation(doc: dict[str, Any], etat: Etat, r: Renvois) -> list[Bloc]:
    fiches = etat.fiches_signees
    with_indicators = [f for f in fiches if f.get("indicateurs")]
    if fiches and len(with_indicators) == len(fiches):
        first = (
            "Le suivi de la convention s'appuie sur les indicateurs définis dans chaque fiche "
            f"action ({r.annexe('fiches', False)}), avec leur valeur cible et la source des "
            "données."
        )
    elif with_indicators:
        first = (
            "Le suivi de la convention s'appuie sur les indicateurs définis dans les fiches "
            f"actions ({r.annexe('fiches', False)}) ; le comité de pilotage définit les "
            "indicateurs des actions qui n'en comportent pas encore."
        )
    else:
        first = "Le comité de pilotage définit les indicateurs de suivi de chaque action."
    return [
        p(
            f"{first} Les signataires rassemblent chaque année les données nécessaires ; le "
            "comité de pilotage examine le bilan annuel de la mise en œuvre du plan d'actions."
        ),
        p(
            "Une évaluation finale est conduite au cours de la dernière année de la convention. "
            f"Elle mesure l'atteinte des objectifs des axes stratégiques définis à "
            f"{r.article('axes')} et prépare le renouvellement éventuel de la convention."
        ),
    ]


def donnees(doc: dict[str, Any], etat: Etat, r: Renvois) -> list[Bloc]:
    return [
        p(
            "Les signataires échangent les informations nécessaires au diagnostic, au suivi et "
            "à l'évaluation de la convention. Ces échanges portent sur des données agrégées, qui "
            "ne permettent pas l'identification des personnes ; tout échange de données à "
            "caractère personnel est subordonné à une convention spécifique préalable."
        ),
        p(
            "Chaque signataire demeure responsable des traitements de données à caractère "
            "personnel qu'il met en œuvre, dans le respect du règlement (UE) 2016/679 du "
            "Parlement européen et du Conseil du 27 avril 2016 (règlement général sur la "
            "protection des données) et de la loi n° 78-17 du 6 janvier 1978 relative à "
            "l'informatique, aux fichiers et aux libertés."
        ),
        p(
            "Les signataires s'engagent à garder confidentielles les informations non publiques "
            "dont ils ont connaissance à l'occasion de l'exécution de la présente convention."
        ),
    ]


def duree(doc: dict[str, Any], etat: Etat, r: Renvois) -> list[Bloc]:
    signature = doc["convention"].get("signature")
    effet = f"Elle prend effet au {date_longue(etat.debut)}"
    if signature is None or signature["date"] > etat.debut:
        effet += ", quelle que soit la date de sa signature"
    return [
        p(
            "La présente convention est conclue pour une durée de "
            f"{duree_en_lettres(etat.debut, etat.fin_initiale)}, "
            f"{periode(etat.debut, etat.fin_initiale)}. {effet}."
        ),
        p("Elle n'est pas renouvelable par tacite reconduction."),
    ]


def revision(doc: dict[str, Any], etat: Etat, r: Renvois) -> list[Bloc]:
    return [
        p(
            "Toute modification de la présente convention, notamment l'entrée d'un nouveau "
            "signataire, l'extension de son périmètre ou la prolongation de sa durée, fait "
            "l'objet d'un avenant signé par l'ensemble des signataires, sous réserve des "
            f"actualisations du plan d'actions prévues à {r.article('gouvernance')}."
        )
    ]


def resiliation(doc: dict[str, Any], etat: Etat, r: Renvois) -> list[Bloc]:
    if len(etat.signees) == 2:
        retrait = (
            "Chaque signataire peut mettre fin à la présente convention par lettre recommandée "
            "avec accusé de réception adressée à l'autre signataire, moyennant un préavis de "
            "trois mois."
        )
        manquement = "l'autre signataire peut résilier la convention"
        accord = "entre les deux signataires"
    else:
        retrait = (
            "Chaque signataire peut se retirer de la présente convention par lettre "
            "recommandée avec accusé de réception adressée aux autres signataires, moyennant "
            "un préavis de trois mois. La convention se poursuit entre les autres signataires"
        )
        # The Caf and the EPCI carry the convention: either leaving ends it.
        essential = [*_de_chacune(doc, etat, "caf"), *_de_chacune(doc, etat, "epci")]
        if essential:
            retrait += f" ; toutefois, le retrait {liste(essential, 'ou')} met fin à la convention"
        retrait += "."
        manquement = "les autres signataires peuvent, d'un commun accord, résilier la convention"
        manquement += " à son égard"
        accord = "entre l'ensemble des signataires"
    return [
        p(retrait),
        p(
            f"En cas de non-respect de ses engagements par l'un des signataires, {manquement} "
            "à l'expiration d'un délai de trois mois suivant l'envoi d'une lettre recommandée "
            "avec accusé de réception valant mise en demeure restée sans effet."
        ),
        p(f"La convention peut également être résiliée à tout moment d'un commun accord {accord}."),
        p(
            "Le retrait d'un signataire ou la résiliation de la convention ne remet en cause ni "
            "les actions engagées, ni les conventions d'objectifs et de financement en cours, "
            "qui se poursuivent jusqu'à leur terme selon leurs propres stipulations. Les "
            "signataires arrêtent ensemble les conditions d'achèvement des actions en cours."
        ),
    ]


def _rang(number: str) -> tuple[int, str]:
    """An annex's place in the list: by its number (1, 2, 3… 10), unnumbered ones last."""
    return (int(number), "") if number.isdigit() else (1 << 16, number)


def redaction_issue(rewrites: list[int]) -> str:
    """ "de l'avenant n° 3": the avenant whose rewrite of a fiche is in force, of those that
    rewrote it (`rewrites`, in order). Each rewrite replaced the whole annex, as the annex's
    own heading says: the wording in force is the last one's."""
    return de_partie(avenants_nommes(rewrites[-1:]), False)


def annexes_article(doc: dict[str, Any], etat: Etat, r: Renvois) -> list[Bloc]:
    # By number: the fiches' annex is the third, or follows the documents joined when the
    # convention was signed without any fiche (clauses.numeros_annexes).
    items: dict[str, str] = {
        r.annexes.get("perimetre", "perimetre"): (
            f"{r.annexe('perimetre')} : le périmètre de la convention"
        ),
        r.annexes.get("plan", "plan"): f"{r.annexe('plan')} : le plan d'actions",
    }
    count = len(etat.fiches_signees)
    fiches = r.annexes.get("fiches")
    # Annex numbers are not fiche codes (annexe 3.1 may be fiche 1.1): each is named, with
    # the avenant whose wording it now has in a consolidated version.
    amended = {f["code"]: f["_modifiee_par"] for f in etat.fiches if f.get("_modifiee_par")}
    codes = []
    for fiche in etat.fiches_signees:
        code = fiche["code"]
        # In a consolidated version, how each later fiche came and which avenant rewrote it.
        issue = redaction_issue(amended[code]) if code in amended else ""
        codes.append(
            code
            + entre_parentheses(
                [provenance(doc, fiche), f"dans sa rédaction issue {issue}" if issue else ""]
            )
        )
    if count == 1 and fiches:
        items[fiches] = f"l'annexe {fiches}.1 : la fiche action {codes[0]}"
    elif count and fiches:
        span = "et" if count == 2 else "à"
        items[fiches] = (
            f"les annexes {fiches}.1 {span} {fiches}.{count} : les fiches actions {liste(codes)}, "
            "dans cet ordre"
        )
    for index, annexe in enumerate(doc["convention"].get("annexes", []), 1):
        key = f"jointe-{index}"
        items[r.annexes.get(key, key)] = f"{r.annexe(key)} : {annexe['titre']}"
    return [
        p(
            "Sont annexés à la présente convention, dont ils font partie intégrante, les "
            "documents suivants :"
        ),
        *puces([items[number] for number in sorted(items, key=_rang)]),
        p(
            "En cas de contradiction entre les stipulations de la présente convention et celles "
            "de ses annexes, les stipulations de la convention prévalent."
        ),
    ]


def _siege(doc: dict[str, Any], partie: dict[str, Any]) -> str:
    if partie.get("type") == "commune":
        return "en sa mairie"
    if partie.get("type") == "etat":
        known = departement(doc["territoire"]["departement"])
        return f"en la préfecture {known.de_nom}" if known else "en la préfecture"
    return "en son siège"


def domicile_items(doc: dict[str, Any], parties: list[dict[str, Any]]) -> list[Bloc]:
    """ "la Caf : 1 rue …", "la MSA : en son siège", one bullet each."""
    return puces(
        [
            f"{nom_court(doc, x)} : {adresse(x['adresse']) if x.get('adresse') else _siege(doc, x)}"
            for x in parties
        ]
    )


def domicile(doc: dict[str, Any], etat: Etat, r: Renvois) -> list[Bloc]:
    return [
        p(
            "Pour l'exécution de la présente convention, les signataires font élection de "
            "domicile :"
        ),
        *domicile_items(doc, etat.signees),
    ]


def litiges(doc: dict[str, Any], etat: Etat, r: Renvois) -> list[Bloc]:
    juridiction = tribunal(doc["territoire"]["departement"]) or "tribunal administratif compétent"
    return [
        p(
            "Les signataires s'efforcent de régler à l'amiable tout différend relatif à "
            "l'interprétation ou à l'exécution de la présente convention. À défaut d'accord "
            "dans un délai de deux mois à compter de la notification du différend par l'un "
            f"d'eux, le litige est porté devant le {juridiction}."
        )
    ]
