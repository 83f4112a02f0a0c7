"""One avenant per document: who signs it on what authority, its visas and articles."""

from __future__ import annotations

from typing import Any

from .. import clauses
from ..articles_defaut import de_nom_court, redaction_issue
from ..blocs import Article, Bloc, citation, p, puces, tableau, tableau_de_montants, texte_libre
from ..consolidation import citer, etat_apres, reecrit
from ..context import (
    common,
    communes_table,
    cotes,
    depuis,
    fait_a,
    nom_pilote,
    periode,
    signatures,
    somme,
)
from ..contextes import AvenantContexte, Ctg, Signataire
from ..designation import (
    autorise_les_avenants,
    nom_partie,
    objet_de_l_avenant,
    signataire,
)
from ..etat import Amendement, Etat, fiches_ordonnees, partie_commune
from ..formatting import (
    date_longue,
    de_lieu,
    en_lettres,
    liste,
    majuscule,
    montant,
)
from ..perimetre import CommunePerimetre, perimetre_apres, perimetre_par_jour
from ..referentiel import commune
from .base import Document, DocumentKind, sujet
from .fiche import communes_concernees, dispositif


def autorisations(doc: dict[str, Any], numero: int) -> dict[str, dict[str, Any] | None]:
    """The deliberation authorising each signatory of avenant `numero`, by party id.

    This avenant's own (`habilitations`, or the joining commune's `habilitation`), or an
    earlier deliberation that authorised signing every avenant (`avenants: oui`).
    """
    avenant = doc["avenants"][numero - 1]
    own = {h["partie"]: h for h in avenant.get("habilitations", [])}
    result: dict[str, dict[str, Any] | None] = {}
    earlier: list[dict[str, Any]] = list(doc["parties"])
    for previous in doc["avenants"][: numero - 1]:
        earlier += [partie_commune(c) for c in previous.get("communes_ajoutees", [])]
    for partie in earlier:
        standing = partie.get("habilitation")
        general = standing if autorise_les_avenants(standing) else None
        result[partie["id"]] = own.get(partie["id"]) or general
    for joining in avenant.get("communes_ajoutees", []):
        result[joining["insee"]] = joining.get("habilitation")
    return result


def courants(
    doc: dict[str, Any], numero: int, parties: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The parties with the representatives who sign avenant `numero` (`signataires`)."""
    current = {p["id"]: p for p in parties}
    for avenant in doc["avenants"][:numero]:
        for change in avenant.get("signataires", []):
            if change["partie"] in current:
                current[change["partie"]] = {
                    **current[change["partie"]],
                    "representants": change["representants"],
                }
    return list(current.values())


def _signataires(doc: dict[str, Any], numero: int, etat: Etat) -> list[Signataire]:
    """Who signs avenant `numero`, each on its authority for it (or a visible blank)."""
    epci_type = doc["territoire"]["epci"]["type"]
    habilitations = autorisations(doc, numero)
    signe = doc["avenants"][numero - 1].get("signature") is not None
    # A blank to fill in names the body that authorised the party's earlier signature.
    return [
        signataire(
            {**partie, "habilitation": habilitations.get(partie["id"])},
            epci_type,
            signe,
            (partie.get("habilitation") or {}).get("instance"),
        )
        for partie in courants(doc, numero, etat.parties)
    ]


def _de_convention(doc: dict[str, Any], numero: int) -> str:
    """ "de la convention du 15 mars 2022, modifiée par l'avenant n° 1," for the last article."""
    signed = date_longue(doc["convention"]["signature"]["date"])
    earlier = [f"n° {a['numero']}" for a in doc["avenants"][: numero - 1]]
    if not earlier:
        return f"de la convention du {signed}"
    which = f"l'avenant {earlier[0]}" if len(earlier) == 1 else f"les avenants {liste(earlier)}"
    return f"de la convention du {signed}, modifiée par {which},"


def visas(doc: dict[str, Any], ctg: Ctg, numero: int, parties: list[Signataire]) -> list[str]:
    convention = doc["convention"]
    span = convention["periode"]
    first = (
        f"{ctg['a_la_convention'].removeprefix('à ')}, signée le "
        f"{date_longue(convention['signature']['date'])} et conclue pour la période "
        f"{periode(span['debut'], span['fin'])}"
    )
    items = [first]
    for earlier in doc["avenants"][: numero - 1]:
        signed = earlier.get("signature")
        when = f"signé le {date_longue(signed['date'])}" if signed else "non encore signé"
        item = f"l'avenant n° {earlier['numero']} à cette convention, {when}"
        if earlier.get("nouvelle_fin"):
            item += f", qui l'a prolongée jusqu'au {date_longue(earlier['nouvelle_fin'])}"
        items.append(item)
    items += [p["deliberation"] for p in parties if p["deliberation"]]
    items += [v for p in parties for v in p["delegations"]]
    return [f"Vu {item}\u202f;" for item in items]


def _communes(codes: list[str], perimetre: list[CommunePerimetre]) -> str:
    """ "à la commune d'Aube", "aux communes d'Aube et de Rai": named as the perimeter's
    annex names them, the COG's preposition before the COG's name."""
    printed = {c.insee: c.nom for c in perimetre}
    names = [_de_commune(code, printed.get(code)) for code in codes]
    if len(names) == 1:
        return f"à la commune {names[0]}"
    return f"aux communes {liste(names)}"


def _de_commune(code: str, nom: str | None) -> str:
    """ "d'Aube" from the COG; a name the file declares otherwise keeps its spelling."""
    official = commune(code)
    if official is not None and (nom is None or nom == official.nom):
        return official.de_nom
    return de_lieu(nom) if nom else f"de {code}"


class _Redaction:
    """The articles of one avenant, numbered as they are written."""

    def __init__(self, doc: dict[str, Any], avenant: dict[str, Any], before: Etat, after: Etat):
        self.doc, self.avenant, self.before, self.after = doc, avenant, before, after
        self.numeros = clauses.numeros(before)
        self.titres = clauses.titres(before)
        self.effet = date_longue(avenant["date_effet"])
        numero = avenant["numero"]
        self.changes = [a for a in after.amendements if a.avenant == numero]
        self.articles: list[Article] = []
        # (number, title) of the articles that do not change the convention's text.
        self.propres: list[tuple[str, str]] = []
        # What the avenant changes in the fiches, for its objet: (article key, phrase).
        # (article, « la modification » or « l'ajout », « FA-1.1 (annexe 3.1) »), for article 1.
        self.fiches: list[tuple[str, str, str]] = []
        # The key of the article that writes each amendment, by the amendment's id.
        self.porteurs: dict[int, str] = {}

    def add(self, cle: str, titre: str, blocs: list[Bloc]) -> None:
        numero = str(len(self.articles) + 1)
        self.articles.append({"cle": cle, "numero": numero, "titre": titre, "blocs": blocs})

    def _renvoi(self, cle: str) -> str:
        return clauses.renvoi(self.numeros, self.titres, cle)

    def _citer(self, amendement: Amendement) -> list[Bloc]:
        return citer(amendement, self.before, self.after)

    def joining(self) -> list[dict[str, Any]]:
        return [partie_commune(c) for c in self.avenant.get("communes_ajoutees", [])]

    def objet(self) -> list[Bloc]:
        """Article 1: what the avenant does, in the order of the articles that do it."""
        rank = {article["cle"]: i for i, article in enumerate(self.articles)}
        end = len(self.articles)

        def rang(cle: str | None) -> int:
            return rank.get(cle or "", end)

        items: list[tuple[int, str]] = []
        joining = self.joining()
        # Communes outside the perimeter until now: the avenant extends it to them, those
        # that sign as well as those that only enter it.
        before = {c.insee for c in self.before.perimetre}
        entering = [c["insee"] for c in joining if c["insee"] not in before]
        entering += [c["insee"] for c in self.avenant.get("perimetre_ajoute", [])]
        if entering:
            items.append(
                (
                    rang("perimetre"),
                    f"l'extension du périmètre de la convention "
                    f"{_communes(entering, self.after.perimetre)}",
                )
            )
        if joining:
            # The parties as the avenant defines them (« ci-après dénommée … »).
            names = liste([de_nom_court(self.doc, c) for c in joining])
            items.append(
                (rang("signataires"), f"l'entrée {names} parmi les signataires de la convention")
            )
        if self.avenant.get("nouvelle_fin"):
            fin = date_longue(self.avenant["nouvelle_fin"])
            # Told by the « Durée » article, or by the disposition that rewrites it.
            duree = next(
                (self.porteurs.get(id(c)) for c in self.changes if c.cible == "duree"), None
            )
            items.append(
                (
                    min(rang("duree"), rang(duree)),
                    f"la prolongation de la convention jusqu'au {fin}",
                )
            )
        for operation in ("la modification", "l'ajout"):
            # One phrase for the fiches of one operation: « la modification des fiches
            # actions FA-1.1 (annexe 3.1) et FA-2.1 (annexe 3.2) ».
            cited = [(cle, fiche) for cle, op, fiche in self.fiches if op == operation]
            if cited:
                fiches = "de la fiche action" if len(cited) == 1 else "des fiches actions"
                phrase = f"{operation} {fiches} {liste([f for _, f in cited])}"
                items.append((rang(cited[0][0]), phrase))
        prolonge = bool(self.avenant.get("nouvelle_fin"))
        for change in self.changes:
            porteur = rang(self.porteurs.get(id(change)))
            # A prolongation's duration article is the prolongation already named.
            if change.operation == "remplace" and not (change.cible == "duree" and prolonge):
                items.append((porteur, f"la modification de {self._renvoi(change.cible)}"))
            elif change.operation == "insere":
                items.append(
                    (
                        porteur,
                        "l'insertion dans la convention d'un article "
                        f"\u00ab\u00a0{change.titre}\u00a0\u00bb",
                    )
                )
        # Stable: phrases of one article keep the order they are written in.
        phrases = [phrase for _, phrase in sorted(items, key=lambda item: item[0])]
        blocs = [p(f"Le présent avenant a pour objet {liste(phrases)}.")] if phrases else []
        own = [f"{n} (\u00ab\u00a0{t}\u00a0\u00bb)" for n, t in self.propres]
        if own:
            articles = "Son article" if len(own) == 1 else "Ses articles"
            comporte = "comporte" if len(own) == 1 else "comportent"
            suite = " en outre" if items else ""
            blocs.append(
                p(
                    f"{articles} {liste(own)} {comporte}{suite} des stipulations propres au "
                    "présent avenant."
                )
            )
        return blocs

    def signataires_article(self) -> None:
        joining = self.joining()
        if not joining:
            return
        epci_type = self.doc["territoire"]["epci"]["type"]
        signe = self.avenant.get("signature") is not None
        parties = [signataire(c, epci_type, signe) for c in joining]
        subject = majuscule(liste([x["nom_court"] for x in parties]))
        plural = len(parties) > 1
        verbe = "deviennent parties" if plural else "devient partie"
        adhere = "adhèrent" if plural else "adhère"
        leur = "leur" if plural else "lui"
        numero = self.avenant["numero"]
        rows = [
            [nom_partie(x), x["insee"], depuis(self._joined(x["insee"]), numero)]
            for x in self.after.parties
            if x.get("type") == "commune"
        ]
        self.add(
            "signataires",
            "Nouveaux signataires" if plural else "Nouveau signataire",
            [
                p(
                    f"{subject} {verbe} à la convention et {adhere} à l'ensemble de ses "
                    "stipulations, dans leur rédaction issue du présent avenant, qui "
                    f"{leur} sont applicables à compter du {self.effet}."
                ),
                p(
                    "Les communes signataires de la convention sont désormais les suivantes :"
                    if len(rows) > 1
                    else "La commune signataire de la convention est désormais la suivante :"
                ),
                tableau(["Commune signataire", "Code INSEE", "Signataire depuis"], rows),
            ],
        )
        blocs = [b for c in self.changes if c.cible in _ENTREE and c.defaut for b in self._citer(c)]
        qui = "des nouveaux signataires" if plural else "du nouveau signataire"
        if blocs:  # none when the avenant rewrites those articles in its own words
            self.add("engagements", f"Engagements {qui}", blocs)

    def _joined(self, insee: str) -> int | None:
        for avenant in self.doc["avenants"][: self.avenant["numero"]]:
            if any(c["insee"] == insee for c in avenant.get("communes_ajoutees", [])):
                return int(avenant["numero"])
        return None

    def _nouveaux_perimetre(self) -> list[CommunePerimetre]:
        numero = self.avenant["numero"]
        return [c for c in self.after.perimetre if c.avenant == numero]

    def perimetre_article(self) -> None:
        added = self._nouveaux_perimetre()
        if not added:
            return
        signing = {c["insee"] for c in self.avenant.get("communes_ajoutees", [])}
        blocs: list[Bloc] = []
        for codes, signe in (
            ([c.insee for c in added if c.insee in signing], True),
            ([c.insee for c in added if c.insee not in signing], False),
        ):
            if not codes:
                continue
            plural = len(codes) > 1
            qui = "qui en deviennent signataires" if plural else "qui en devient signataire"
            if not signe:
                qui = qui.replace("qui en", "qui n'en").replace("signataire", "pas signataire")
            blocs.append(
                p(
                    f"À compter du {self.effet}, le périmètre de la convention est étendu "
                    f"{_communes(codes, self.after.perimetre)}, {qui}."
                )
            )
        annexe = clauses.numeros_annexes(self.doc, bool(self.before.fiches))["perimetre"]
        count = en_lettres(len(self.after.perimetre), feminin=True)
        rows = [
            [c["nom"], c["insee"], c["depuis"]]
            for c in communes_table(self.after.perimetre, self.avenant["numero"])
        ]
        blocs += [
            p(
                f"L'annexe {annexe} de la convention est remplacée par la liste suivante des "
                f"{count} communes de son périmètre :"
            ),
            tableau(["Commune", "Code INSEE", "Dans le périmètre depuis"], rows),
        ]
        self.add("perimetre", "Périmètre de la convention", blocs)

    def duree_article(self) -> None:
        for change in self.changes:
            if (
                change.cible == "duree"
                and self.avenant.get("nouvelle_fin")
                and not reecrit(self.avenant, "duree")
            ):
                self.add("duree", "Durée de la convention", self._citer(change))
                self.porteurs[id(change)] = "duree"
                return

    def resiliation_article(self) -> None:
        """Signatories added to a convention written for two: its withdrawal clause for all."""
        for change in self.changes:
            if change.cible == "resiliation" and not reecrit(self.avenant, "resiliation"):
                self.add("resiliation", change.titre, self._citer(change))
                self.porteurs[id(change)] = "resiliation"

    def dispositions(self) -> None:
        # Each disposition's own amendment, told by its words: the ones this avenant writes
        # by default (a prolongation's « Durée et prise d'effet », the commitments of the
        # communes that join) may share its article and title, never its text.
        pending = list(self.changes)
        for index, disposition in enumerate(self.avenant.get("dispositions", []), 1):
            target = disposition.get("remplace") or disposition.get("apres")
            body = texte_libre(disposition["texte"])
            change = next(
                (
                    c
                    for c in pending
                    if target
                    and (c.cible, c.titre) == (target, disposition["titre"])
                    and list(c.blocs) == body
                ),
                None,
            )
            if change is not None:
                pending.remove(change)
            if change is None:
                self.add(f"disposition-{index}", disposition["titre"], body)
                self.propres.append((self.articles[-1]["numero"], disposition["titre"]))
            else:
                self.add(f"disposition-{index}", disposition["titre"], self._citer(change))
                self.porteurs[id(change)] = f"disposition-{index}"

    def fiches_article(self) -> None:
        """Each fiche this avenant changes: what becomes of it, from its date of effect."""
        before = {f["code"]: f for f in self.before.fiches}
        # In the order of the annexes, whatever the order of the file.
        order = {f["code"]: i for i, f in enumerate(fiches_ordonnees(self.doc))}
        changes = self.avenant.get("fiches_modifiees", [])
        for change in sorted(changes, key=lambda c: order.get(c["code"], len(order))):
            code = change["code"]
            fiche = before.get(code, change)
            annexe = clauses.numero_fiche(self.doc, code)
            intitule = f"\u00ab\u00a0{fiche.get('intitule', '')}\u00a0\u00bb"
            # Rewritten by an earlier avenant: this one amends that version, not the first.
            earlier = fiche.get("_modifiee_par") or []
            redaction = f", dans sa rédaction issue {redaction_issue(earlier)}" if earlier else ""
            blocs = [
                p(
                    f"La fiche action {code} {intitule} (annexe {annexe}{redaction}) est "
                    f"modifiée comme suit, à compter du {self.effet} :"
                ),
                *modifications_fiche(change, self.doc, self.avenant["numero"], fiche),
            ]
            if {"intitule", "calendrier", "budget", "pilote"} & set(change):  # the plan shows
                plan = clauses.numeros_annexes(self.doc, fiches=True)["plan"]
                blocs.append(p(f"Le plan d'actions (annexe {plan}) est modifié en conséquence."))
            blocs.append(
                p(
                    f"La fiche action {code} ainsi modifiée est annexée au présent avenant ; "
                    f"elle remplace l'annexe {annexe} de la convention{redaction}."
                )
            )
            self.add(f"fiche-{code}", f"Fiche action {code}", blocs)
            self.fiches.append((f"fiche-{code}", "la modification", f"{code} (annexe {annexe})"))

    def fiches_ajoutees_article(self) -> None:
        """Each fiche this avenant adds (its `adoption.avenant`): annexed to it, a new annex."""
        numero = self.avenant["numero"]
        added = [
            f
            for f in fiches_ordonnees(self.doc)
            if (f.get("adoption") or {}).get("avenant") == numero
        ]
        if not added:
            return
        plan = clauses.numeros_annexes(self.doc, fiches=True)["plan"]
        cited = [
            (
                f["code"],
                f"\u00ab\u00a0{f['intitule']}\u00a0\u00bb",
                clauses.numero_fiche(self.doc, f["code"]),
            )
            for f in added
        ]
        if len(cited) == 1:
            code, intitule, annexe = cited[0]
            blocs = [
                p(
                    f"La fiche action {code} {intitule} est ajoutée au plan d'actions de la "
                    f"convention, à compter du {self.effet}. Annexée au présent avenant, elle "
                    f"constitue l'annexe {annexe} de la convention."
                )
            ]
            titre = f"Fiche action {code}"
        else:
            blocs = [
                p(
                    "Les fiches actions suivantes sont ajoutées au plan d'actions de la "
                    f"convention, à compter du {self.effet}. Annexées au présent avenant, elles "
                    "en constituent les annexes indiquées :"
                ),
                *puces([f"la fiche action {c} {i} : annexe {a}" for c, i, a in cited]),
            ]
            titre = "Fiches actions ajoutées"
        blocs.append(p(f"Le plan d'actions (annexe {plan}) est complété en conséquence."))
        self.add("fiches-ajoutees", titre, blocs)
        self.fiches += [("fiches-ajoutees", "l'ajout", f"{c} (annexe {a})") for c, _, a in cited]

    def fin(self) -> None:
        signature = self.avenant.get("signature")
        effet = f"Le présent avenant prend effet au {self.effet}"
        if self.avenant.get("nouvelle_fin"):
            # A convention that has ended cannot be prolonged: never « whatever the date ».
            if signature is None:
                effet += (
                    f". Il est signé au plus tard le {date_longue(self.before.fin)}, terme de "
                    "la convention qu'il prolonge"
                )
        elif signature is None or signature["date"] > self.avenant["date_effet"]:
            effet += ", quelle que soit la date de sa signature"
        self.add("effet", "Prise d'effet", [p(f"{effet}.")])
        convention = _de_convention(self.doc, self.avenant["numero"])
        self.add(
            "autres",
            "Autres dispositions",
            [p(f"Les autres dispositions {convention} demeurent inchangées.")],
        )


def _pilote_et_communes(
    change: dict[str, Any], doc: dict[str, Any], numero: int, avant: dict[str, Any]
) -> list[str]:
    """The new pilot (and referent) and communes of a fiche, as items of the avenant's list."""
    items = []
    if "pilote" in change:
        pilote = change["pilote"]
        names = nom_pilote(doc, pilote, capitale=False)
        if pilote.get("copilotes"):
            items.append(f"elle est désormais copilotée par {names}")
        else:
            items.append(f"son pilote devient {names}")
        if pilote.get("referent"):
            items.append(f"son référent devient \u00ab\u00a0{pilote['referent']}\u00a0\u00bb")
        elif (avant.get("pilote") or {}).get("referent"):
            # The new pilot replaces the whole block: the rewritten fiche no longer names the
            # former pilot's referent, and the avenant must say so rather than drop it silently.
            items.append("elle n'a plus de référent désigné")
    if "communes" in change:
        after = perimetre_apres(doc, numero)
        # Every commune the convention ever covers, by code: the rules check which may be.
        noms = {c.insee: c for c in after} | (perimetre_par_jour(doc)(None) or {})
        concernees = communes_concernees(change["communes"], noms, len(after))
        items.append(f"elle concerne désormais {concernees}")
    return items


def modifications_fiche(
    change: dict[str, Any], doc: dict[str, Any], numero: int, avant: dict[str, Any]
) -> list[Bloc]:
    """What avenant n° `numero` changes in fiche `avant` (as in force before it), field by
    field, in the fiche's own terms: its headings (« Public visé ») and its tables' headers
    (« Poste de dépense »)."""
    items = []
    if "intitule" in change:
        items.append(f"son intitulé devient \u00ab\u00a0{change['intitule']}\u00a0\u00bb")
    items += _pilote_et_communes(change, doc, numero, avant)
    if "calendrier" in change:
        span = change["calendrier"]
        items.append(f"son calendrier s'étend {periode(span['debut'], span['fin'])}")
    if "partenaires" in change and not change["partenaires"]:
        items.append("elle n'a plus de partenaires")
    blocs = puces(items)
    # Lists quoted item by item as they will read: « Organiser … » and « Créer … » run into
    # one sentence kept their capitals and blurred where an item ended.
    for key, label in (
        ("objectifs", "Ses objectifs deviennent :"),
        ("public", "Son public visé devient :"),
        ("partenaires", "Ses partenaires deviennent :"),
    ):
        if change.get(key):
            blocs += [p(label), *citation(puces(change[key]))]
    if "description" in change:
        # Its paragraphs and bullets quoted as they will read, not run into one line.
        blocs += [
            p("Sa description devient :"),
            *citation(texte_libre(change["description"])),
        ]
    if "budget" in change:
        rows = [[line["poste"], montant(line["montant"])] for line in change["budget"]]
        total = ["Total", montant(somme(change["budget"]))]
        blocs += [
            p("Son budget prévisionnel devient :"),
            tableau_de_montants(["Poste de dépense", "Montant"], rows, total),
        ]
    if "financements" in change:
        lines = change["financements"]
        rows = [[x["financeur"], dispositif(x), montant(x["montant"])] for x in lines]
        total = ["Total", "", montant(somme(lines))]
        headers = ["Financeur", "Dispositif", "Montant"]
        blocs += [
            p("Son plan de financement prévisionnel devient :"),
            tableau_de_montants(headers, rows, total),
        ]
    if "indicateurs" in change:
        rows = [
            [i["libelle"], i.get("cible", "—"), i.get("source", "—")] for i in change["indicateurs"]
        ]
        blocs += [
            p("Ses indicateurs d'évaluation deviennent :"),
            tableau(["Indicateur", "Cible", "Source"], rows),
        ]
    return blocs


# The articles the entry of new signatories completes.
_ENTREE = ("engagements", "financement", "domicile")


def articles(
    doc: dict[str, Any], avenant: dict[str, Any], before: Etat, after: Etat
) -> list[Article]:
    redaction = _Redaction(doc, avenant, before, after)
    redaction.add("objet", "Objet de l'avenant", [])
    redaction.signataires_article()
    redaction.resiliation_article()
    redaction.perimetre_article()
    redaction.duree_article()
    redaction.fiches_article()
    redaction.fiches_ajoutees_article()
    redaction.dispositions()
    redaction.fin()
    redaction.articles[0]["blocs"] = redaction.objet()
    return redaction.articles


def context(doc: dict[str, Any], avenant: dict[str, Any]) -> AvenantContexte:
    numero = avenant["numero"]
    before, after = etat_apres(doc, numero - 1), etat_apres(doc, numero)
    projet = avenant.get("signature") is None
    une_part, autre_part = cotes(_signataires(doc, numero, after))
    # Visas and signatures follow the parties block.
    parties = [*une_part, *autre_part]
    ctg = common(doc)
    return {
        "ctg": ctg,
        "projet": projet,
        "parties": parties,
        "parties_d_une_part": une_part,
        "parties_d_autre_part": autre_part,
        "visas": visas(doc, ctg, numero, parties),
        "avenant": {
            "numero": numero,
            "objet": objet_de_l_avenant(avenant)[0],
            "periode": periode(before.debut, before.fin),
            "expose": texte_libre(avenant["expose"]),
        },
        "articles": articles(doc, avenant, before, after),
        "fait_a": fait_a(avenant.get("signature"), avenant.get("exemplaires") or len(parties)),
        "signatures": signatures(parties),
    }


def documents(doc: dict[str, Any]) -> list[Document]:
    result = []
    for avenant in doc.get("avenants", []):
        ctx = context(doc, avenant)
        signature = avenant.get("signature")
        result.append(
            KIND.document(
                f"avenant-{avenant['numero']}.docx",
                context=ctx,
                title=f"Avenant n° {avenant['numero']} {ctx['ctg']['a_la_convention']}",
                subject=sujet(doc),
                date=signature["date"] if signature else avenant["date_effet"],
            )
        )
    return result


KIND = DocumentKind(
    "avenants", "avenant.docx", "avenants", "avenant-<n>.docx", documents, AvenantContexte
)
