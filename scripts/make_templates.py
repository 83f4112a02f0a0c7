"""Write the first version of the four Word templates into templates/.

Usage: .venv/bin/python scripts/make_templates.py [DOSSIER]

The build reads only templates/*.docx, which legal staff may then edit in Word
or LibreOffice; run this again only to start over from the authored version.
Fixed legal prose lives here (and then in the .docx); every value that depends
on the data is computed in Python and placed with {{ … }}.
"""

from __future__ import annotations

import sys
from pathlib import Path

from templating import Template

ROOT = Path(__file__).resolve().parent.parent
# French enumerations: each item ends with a semicolon, the last one with a full stop.
LAST_ITEM_END = "{% if loop.last %}.{% else %} ;{% endif %}"


def parties_block(t: Template) -> None:
    t.p("Entre :", bold=True)
    t.p("{{ premiere_partie.designation }},")
    t.p("d'une part,")
    t.p("Et :", bold=True)
    with t.each("p in autres_parties"):
        t.p("{{ p.designation }},")
    t.p("d'autre part.")


def closing(t: Template) -> None:
    t.p("{{ fait_a }}", "CTG Corps")
    t.p("", "CTG Corps")
    t.signature_table()


def title_page(t: Template) -> None:
    t.p("", "CTG Centré")
    t.p("{% if projet %}PROJET – document de travail non signé{% endif %}", "CTG Mention")
    t.p("Convention territoriale globale", "CTG Titre")
    t.p("{{ ctg.intitule }}", "CTG Sous-titre")
    t.p("{{ ctg.periode_majuscule }}", "CTG Centré")
    t.p("", "CTG Centré")
    t.p("Entre", "CTG Centré")
    with t.each("p in parties"):
        t.p("{{ p.nom }}", "CTG Sous-titre")
    t.p("", "CTG Centré")
    t.p("Référence : {{ ctg.reference }}", "CTG Centré")
    t.page_break()


def opening(t: Template) -> None:
    """Parties, visas and preamble."""
    parties_block(t)
    t.p("Vu le code de la sécurité sociale ;")
    t.p("Vu le code général des collectivités territoriales ;")
    t.p(
        "Vu la convention d'objectifs et de gestion conclue entre l'État et la Caisse "
        "nationale des allocations familiales ;"
    )
    with t.each("d in deliberations"):
        t.p("Vu {{ d }} ;")
    t.p("Préambule", "CTG Section")
    t.texte("preambule")
    t.p("Il est convenu ce qui suit :", bold=True)


def strategy_articles(t: Template) -> None:
    """Object, champs, diagnostic and axes."""
    t.p("Objet de la convention", "CTG Article")
    t.p(
        "La présente convention territoriale globale a pour objet de définir le projet social "
        "de territoire partagé par les signataires sur le territoire {{ ctg.de_epci }} et "
        "d'organiser leur coopération pour sa mise en œuvre. Elle vise à renforcer "
        "l'efficacité, la cohérence et la coordination des actions conduites en direction "
        "des familles et des habitants."
    )
    t.p("Champs d'intervention", "CTG Article")
    t.p("Les signataires conviennent d'agir dans les champs d'intervention suivants :")
    t.puces("champs")

    t.p("Diagnostic et enjeux du territoire", "CTG Article")
    with t.each("phrase in diagnostic.introduction"):
        t.p("{{ phrase }}")
    with t.when("diagnostic.methodes"):
        t.p("Il s'appuie sur les méthodes suivantes :")
        t.puces("diagnostic.methodes")
    with t.when("diagnostic.chiffres_cles"):
        t.p("Chiffres clés :")
        t.table(
            ["Indicateur", "Valeur"],
            ["{{ c.libelle }}", "{{ c.valeur }}"],
            "for c in diagnostic.chiffres_cles",
            (12.4, 4.0),
        )
    t.p("Le diagnostic met en évidence les constats suivants :")
    t.puces("diagnostic.constats")

    t.p("Axes stratégiques et objectifs", "CTG Article")
    t.p(
        "Le projet social de territoire s'organise autour des axes stratégiques suivants. "
        "Le plan d'actions qui les décline figure en annexe 2."
    )
    with t.each("a in axes"):
        t.p("Axe {{ a.code }} – {{ a.intitule }}", "CTG Section")
        with t.when("a.champs"):
            t.runs([("Champs d'intervention : ", True), ("{{ a.champs }}", False)])
        t.p("Objectifs :", bold=True)
        t.puces("a.objectifs")
        with t.when("a.fiches"):
            t.runs([("Fiches actions : ", True), ("{{ a.fiches }}", False)])


def commitments_article(t: Template) -> None:
    t.p("Engagements des parties", "CTG Article")
    t.p(
        "Chaque signataire s'engage à contribuer à la mise en œuvre du projet social de "
        "territoire dans le respect de ses compétences. En particulier :"
    )
    with t.each("p in parties"):
        t.tag('if p.type == "caf"')
        t.p(
            "{{ p.nom_court_majuscule }} s'engage à mobiliser son offre de service et ses "
            "financements en faveur des actions inscrites au plan d'actions, à partager ses "
            "données et son expertise et à accompagner l'évaluation de la convention"
            + LAST_ITEM_END,
            "CTG Puce",
        )
        t.tag('elif p.type == "epci"')
        t.p(
            "{{ p.nom_court_majuscule }} s'engage à piloter la mise en œuvre du projet social de "
            "territoire, à animer les instances de la convention et à mobiliser ses compétences "
            "et ses moyens en faveur des actions qu'{{ p.pronom }} pilote" + LAST_ITEM_END,
            "CTG Puce",
        )
        t.tag('elif p.type == "commune"')
        t.p(
            "{{ p.nom_court_majuscule }} s'engage à inscrire son action en faveur des familles "
            "dans les orientations de la convention et à participer à ses instances"
            + LAST_ITEM_END,
            "CTG Puce",
        )
        t.tag('elif p.type == "msa"')
        t.p(
            "{{ p.nom_court_majuscule }} s'engage à mobiliser son action sanitaire et sociale en "
            "faveur des familles relevant du régime agricole et à participer aux instances de "
            "la convention" + LAST_ITEM_END,
            "CTG Puce",
        )
        t.tag('elif p.type == "departement"')
        t.p(
            "{{ p.nom_court_majuscule }} s'engage à articuler ses politiques de protection "
            "maternelle et infantile, de protection de l'enfance et d'insertion avec les "
            "orientations de la convention" + LAST_ITEM_END,
            "CTG Puce",
        )
        t.tag("else")
        t.p(
            "{{ p.nom_court_majuscule }} s'engage à contribuer aux actions qui "
            "{{ p.pronom_objet }} concernent et à participer aux instances de la convention"
            + LAST_ITEM_END,
            "CTG Puce",
        )
        t.tag("endif")


def final_articles(t: Template) -> None:
    """Governance, evaluation, duration, revision, termination, disputes."""
    t.p("Pilotage et gouvernance", "CTG Article")
    t.p("Le comité de pilotage, qui se réunit {{ gouvernance.copil.frequence }}, rassemble :")
    t.puces("gouvernance.copil.composition")
    t.p(
        "Il définit les orientations de la convention, valide le plan d'actions et en suit "
        "la mise en œuvre."
    )
    with t.when("gouvernance.cotech"):
        t.p("Le comité technique, qui se réunit {{ gouvernance.cotech.frequence }}, rassemble :")
        t.puces("gouvernance.cotech.composition")
        t.p("Il prépare les travaux du comité de pilotage et suit l'avancement des fiches actions.")

    t.p("Suivi et évaluation", "CTG Article")
    t.p(
        "Chaque fiche action comporte des indicateurs de suivi. Les signataires en "
        "rassemblent les résultats, que le comité de pilotage examine chaque année. Une "
        "évaluation finale, conduite avant l'échéance de la convention, prépare son "
        "éventuel renouvellement."
    )
    t.p("Durée", "CTG Article")
    t.p("La présente convention est conclue pour une durée de {{ ctg.duree }}, {{ ctg.periode }}.")
    t.p("Révision", "CTG Article")
    t.p(
        "Toute modification de la présente convention, notamment l'entrée de nouveaux "
        "signataires, fait l'objet d'un avenant signé par l'ensemble des parties."
    )
    t.p("Résiliation", "CTG Article")
    t.p(
        "En cas de non-respect par l'une des parties de ses engagements, la présente "
        "convention peut être résiliée par l'une ou l'autre des parties à l'expiration d'un "
        "délai de trois mois suivant l'envoi d'une lettre recommandée avec accusé de "
        "réception valant mise en demeure restée sans effet."
    )
    t.p("Règlement des litiges", "CTG Article")
    t.p(
        "Les parties s'efforcent de régler à l'amiable tout différend relatif à "
        "l'interprétation ou à l'exécution de la présente convention. À défaut, le litige "
        "est porté devant le tribunal administratif territorialement compétent."
    )


def annexes(t: Template) -> None:
    t.p("Périmètre de la convention", "CTG Annexe")
    t.p("La convention couvre les {{ nombre_communes }} communes suivantes :")
    t.table(
        ["Commune", "Code INSEE"],
        ["{{ c.nom }}", "{{ c.insee }}"],
        "for c in perimetre",
        (12.4, 4.0),
    )
    t.p("Plan d'actions", "CTG Annexe")
    t.tag("if plan")
    t.table(
        ["Axe", "Fiche", "Intitulé", "Pilote", "Calendrier", "Budget"],
        [
            "{{ f.axe }}",
            "{{ f.code }}",
            "{{ f.intitule }}",
            "{{ f.pilote }}",
            "{{ f.calendrier }}",
            "{{ f.budget }}",
        ],
        "for f in plan",
        (1.3, 1.7, 5.2, 3.0, 2.7, 2.5),
        total=["Total", "", "", "", "", "{{ plan_total }}"],
    )
    t.p("Chaque fiche action fait l'objet d'un document détaillé annexé à la présente convention.")
    t.tag("else")
    t.p("Aucune fiche action n'est encore rattachée à la convention.")
    t.tag("endif")


def convention() -> Template:
    t = Template("Convention territoriale globale")
    t.header("{{ ctg.reference }} – {{ ctg.intitule }}")
    t.footer()
    title_page(t)
    opening(t)
    strategy_articles(t)
    commitments_article(t)
    final_articles(t)
    closing(t)
    annexes(t)
    return t


def fiche() -> Template:
    t = Template("Fiche action")
    t.header("{{ ctg.reference }} – {{ ctg.intitule }}", "{% if projet %}PROJET{% endif %}")
    t.footer()
    t.p("Fiche action {{ fiche.code }}", "CTG Titre")
    t.p("{{ fiche.intitule }}", "CTG Sous-titre")
    t.fiche_table(
        [
            ("Axe", "{{ fiche.axe }}", None),
            ("Champs d'intervention", "{{ fiche.champs }}", "fiche.champs"),
            ("Statut", "{{ fiche.statut }}", None),
            ("Pilote", "{{ fiche.pilote }}", None),
            ("Référent", "{{ fiche.referent }}", "fiche.referent"),
            ("Calendrier", "{{ fiche.calendrier_majuscule }}", None),
            ("Communes concernées", "{{ fiche.communes_majuscule }}", None),
        ],
        (4.6, 11.8),
    )
    with t.when("fiche.constat"):
        t.p("Constat", "CTG Section")
        t.texte("fiche.constat")
    t.p("Objectifs", "CTG Section")
    t.puces("fiche.objectifs")
    with t.when("fiche.description"):
        t.p("Description de l'action", "CTG Section")
        t.texte("fiche.description")
    with t.when("fiche.public"):
        t.p("Public visé", "CTG Section")
        t.puces("fiche.public")
    with t.when("fiche.partenaires"):
        t.p("Partenaires", "CTG Section")
        t.puces("fiche.partenaires")
    with t.when("fiche.budget"):
        t.p("Budget prévisionnel", "CTG Section")
        t.table(
            ["Poste de dépense", "Montant"],
            ["{{ l.poste }}", "{{ l.montant }}"],
            "for l in fiche.budget",
            (12.4, 4.0),
            total=["Total", "{{ fiche.budget_total }}"],
        )
    with t.when("fiche.financements"):
        t.p("Plan de financement", "CTG Section")
        t.table(
            ["Financeur", "Dispositif", "Montant"],
            ["{{ l.financeur }}", "{{ l.dispositif }}", "{{ l.montant }}"],
            "for l in fiche.financements",
            (6.4, 6.0, 4.0),
            total=["Total", "", "{{ fiche.financements_total }}"],
        )
    with t.when("fiche.equilibre"):
        t.p("{{ fiche.equilibre }}")
    with t.when("fiche.indicateurs"):
        t.p("Indicateurs d'évaluation", "CTG Section")
        t.table(
            ["Indicateur", "Cible", "Source"],
            ["{{ i.libelle }}", "{{ i.cible }}", "{{ i.source }}"],
            "for i in fiche.indicateurs",
            (8.4, 3.5, 4.5),
        )
    return t


def compte_rendu() -> Template:
    t = Template("Compte rendu")
    t.header("{{ ctg.reference }} – {{ ctg.intitule }}", "{% if projet %}PROJET{% endif %}")
    t.footer()
    with t.when("projet"):
        t.p("PROJET – compte rendu non validé", "CTG Mention")
    t.p("Compte rendu", "CTG Titre")
    t.p("{{ reunion.titre }}", "CTG Sous-titre")
    t.p("{{ ctg.intitule_majuscule }}", "CTG Centré")
    t.fiche_table(
        [
            ("Date", "{{ reunion.date_majuscule }}", None),
            ("Horaires", "{{ reunion.horaires_majuscule }}", None),
            ("Lieu", "{{ reunion.lieu }}", None),
            ("Présidence", "{{ reunion.presidence }}", None),
            ("Rédaction", "{{ reunion.redacteur }}", None),
        ],
        (4.6, 11.8),
    )
    t.p("Participants", "CTG Section")
    with t.each("g in reunion.presences"):
        t.p("{{ g.titre }}", "CTG Sous-section")
        t.table(
            ["Nom", "Qualité", "Structure"],
            ["{{ x.nom }}", "{{ x.qualite }}", "{{ x.structure }}"],
            "for x in g.personnes",
            (5.4, 5.0, 6.0),
        )
    t.p("Ordre du jour", "CTG Section")
    with t.each("o in reunion.ordre_du_jour"):
        t.p("{{ o.numero }}. {{ o.texte }}")
    with t.when("reunion.points"):
        t.p("Points abordés", "CTG Section")
        with t.each("pt in reunion.points"):
            t.p("{{ pt.numero }}. {{ pt.titre }}", "CTG Sous-section")
            t.texte("pt.synthese")
            with t.when("pt.fiches"):
                t.runs([("{{ pt.fiches_titre }}", True), ("{{ pt.fiches }}.", False)])
    t.p("Relevé de décisions", "CTG Section")
    t.tag("for d in reunion.decisions")
    t.runs([("Décision n° {{ d.numero }} : ", True), ("{{ d.texte }}", False)])
    t.tag("else")
    t.p("Aucune décision n'a été prise au cours de cette réunion.")
    t.tag("endfor")
    with t.when("reunion.suites"):
        t.p("Suites à donner", "CTG Section")
        t.table(
            ["Action", "Responsable", "Échéance"],
            ["{{ s.action }}", "{{ s.responsable }}", "{{ s.echeance }}"],
            "for s in reunion.suites",
            (8.4, 5.0, 3.0),
        )
    with t.when("reunion.prochaine"):
        t.p("Prochaine réunion", "CTG Section")
        t.p("{{ reunion.prochaine }}.")
    t.p("{{ reunion.validation_titre }}", "CTG Section")
    t.p("{{ reunion.validation }}", bold=True)
    with t.when("reunion.diffusion"):
        t.p("Diffusion :", bold=True)
        t.puces("reunion.diffusion")
    with t.when("reunion.pieces_jointes"):
        t.p("{{ reunion.pieces_titre }}", bold=True)
        t.puces("reunion.pieces_jointes")
    return t


def avenant() -> Template:
    t = Template("Avenant")
    t.header("{{ ctg.reference }} – Avenant n° {{ avenant.numero }}")
    t.footer()
    t.p("{% if projet %}PROJET – document de travail non signé{% endif %}", "CTG Mention")
    t.p("Avenant n° {{ avenant.numero }}", "CTG Titre")
    t.p("{{ ctg.a_la_convention_majuscule }}", "CTG Sous-titre")
    t.p("{{ ctg.periode_majuscule }}", "CTG Centré")
    t.p("")
    parties_block(t)
    t.p("")
    with t.each("v in visas"):
        t.p("Vu {{ v }} ;")
    t.p("Exposé des motifs", "CTG Section")
    t.texte("avenant.expose")
    t.p("Il est convenu ce qui suit :", bold=True)
    t.p("Objet de l'avenant", "CTG Article")
    t.p("Le présent avenant a pour objet : {{ avenant.objet }}.")
    with t.when("avenant.nouveaux"):
        t.p("Nouveaux signataires", "CTG Article")
        t.p(
            "À compter du {{ avenant.date_effet }}, {{ avenant.nouveaux }} "
            "{% if avenant.nouveaux_pluriel %}deviennent signataires{% else %}devient "
            "signataire{% endif %} de la convention. Les communes signataires de la convention "
            "sont désormais les suivantes :"
        )
        t.table(
            ["Commune signataire", "Code INSEE", "Signataire depuis"],
            ["{{ c.nom }}", "{{ c.insee }}", "{{ c.depuis }}"],
            "for c in avenant.communes_signataires",
            (7.4, 3.0, 6.0),
        )
    t.p("Périmètre de la convention", "CTG Article")
    t.tag("if avenant.perimetre_modifie")
    t.p(
        "À compter du {{ avenant.date_effet }}, le périmètre de la convention comprend les "
        "{{ avenant.nombre_communes }} communes suivantes ; la dernière colonne indique "
        "l'acte par lequel chacune y est entrée :"
    )
    t.tag("else")
    t.p(
        "Le présent avenant ne modifie pas le périmètre de la convention, qui comprend les "
        "{{ avenant.nombre_communes }} communes suivantes :"
    )
    t.tag("endif")
    t.table(
        ["Commune", "Code INSEE", "Dans le périmètre depuis"],
        ["{{ c.nom }}", "{{ c.insee }}", "{{ c.depuis }}"],
        "for c in avenant.perimetre",
        (7.4, 3.0, 6.0),
    )
    with t.when("avenant.prolongation"):
        t.p("Durée", "CTG Article")
        t.p(
            "La convention est prolongée jusqu'au {{ avenant.prolongation }}. Elle couvre "
            "désormais la période {{ avenant.nouvelle_periode }}."
        )
    with t.each("d in avenant.dispositions"):
        t.p("{{ d.titre }}", "CTG Article")
        t.texte("d.texte", var="b")
    t.p("Prise d'effet", "CTG Article")
    t.p("Le présent avenant prend effet le {{ avenant.date_effet }}.")
    t.p("Autres dispositions", "CTG Article")
    t.p("Les autres dispositions de la convention demeurent inchangées.")
    closing(t)
    return t


def main(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name, build in (
        ("convention.docx", convention),
        ("fiche-action.docx", fiche),
        ("compte-rendu.docx", compte_rendu),
        ("avenant.docx", avenant),
    ):
        build().save(target / name)
        print(target / name)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "templates")
