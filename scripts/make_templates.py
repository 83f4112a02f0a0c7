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


def parties_block(t: Template) -> None:
    t.p("Entre :", bold=True)
    with t.each("p in parties_d_une_part"):
        t.p("{{ p.designation }},")
    t.p("d'une part,")
    t.p("Et :", bold=True)
    with t.each("p in parties_d_autre_part"):
        t.p("{{ p.designation }},")
    t.p("d'autre part.")


def closing(t: Template) -> None:
    t.p("{{ fait_a }}", "CTG Corps")
    t.p("", "CTG Corps")
    t.signature_table()


def blocks(t: Template, expression: str) -> None:
    """The blocks of an article or a text (blocs.py): paragraphs, bullets, tables."""
    with t.each(f"b in {expression}"):
        t.tag('if b.type == "p"')
        t.p("{{ b.texte }}")
        t.tag('elif b.type == "puce"')
        t.p("{{ b.texte }}", "CTG Puce")
        t.tag('elif b.type == "intertitre"')
        t.p("{{ b.texte }}", "CTG Section")
        t.tag('elif b.type == "libelle"')
        t.runs([("{{ b.libelle }}", True), ("{{ b.texte }}", False)])
        t.tag('elif b.type == "table2"')
        t.table(
            ["{{ b.entetes[0] }}", "{{ b.entetes[1] }}"],
            ["{{ l[0] }}", "{{ l[1] }}"],
            "for l in b.lignes",
            (12.4, 4.0),
        )
        t.tag('elif b.type == "table3"')
        t.table(
            ["{{ b.entetes[0] }}", "{{ b.entetes[1] }}", "{{ b.entetes[2] }}"],
            ["{{ l[0] }}", "{{ l[1] }}", "{{ l[2] }}"],
            "for l in b.lignes",
            (7.4, 3.0, 6.0),
        )
        for columns, widths in ((2, (12.4, 4.0)), (3, (6.4, 6.0, 4.0))):
            # A table of amounts: the last column right-aligned, a total row set apart.
            t.tag(f'elif b.type == "montants{columns}"')
            t.table(
                [f"{{{{ b.entetes[{i}] }}}}" for i in range(columns)],
                [f"{{{{ l[{i}] }}}}" for i in range(columns)],
                "for l in b.lignes",
                widths,
                total=[f"{{{{ b.total[{i}] }}}}" for i in range(columns)],
                right=(columns - 1,),
            )
        t.tag("endif")


def articles(t: Template) -> None:
    with t.each("a in articles"):
        t.p("Article {{ a.numero }} – {{ a.titre }}", "CTG Article")
        blocks(t, "a.blocs")


def title_page(t: Template) -> None:
    t.p("", "CTG Centré")
    t.p("{% if projet %}PROJET – document de travail non signé{% endif %}", "CTG Mention")
    t.title_page()
    t.p("{{ ctg.titre }}", "CTG Titre")
    t.p("{{ ctg.sous_titre }}", "CTG Sous-titre")
    t.p("{{ periode_majuscule }}", "CTG Centré")
    with t.when("consolidee"):
        t.p("Version consolidée au {{ consolidee.date }}", "CTG Sous-titre")
        t.p("Document d'information, non signé", "CTG Centré")
    t.p("", "CTG Centré")
    t.p("Entre", "CTG Centré")
    with t.each("nom in parties_en_titre"):
        t.p("{{ nom }}", "CTG Sous-titre")
    t.p("", "CTG Centré")
    t.p("Référence : {{ ctg.reference }}", "CTG Centré")
    t.page_break()


def opening(t: Template) -> None:
    """Consolidation notice, parties, visas and preamble."""
    with t.when("consolidee"):
        t.p("{{ consolidee.mention }}", "CTG Mention")
        t.p("Cette version consolide :")
        t.puces("consolidee.actes")
    parties_block(t)
    with t.each("v in visas"):
        t.p("{{ v }}", left=True)
    t.p("Préambule", "CTG Section")
    blocks(t, "preambule")
    t.p("Il est convenu ce qui suit :", bold=True)


def annexes(t: Template) -> None:
    t.p("Annexe {{ annexes.perimetre }} – Périmètre de la convention", "CTG Annexe")
    t.p("La convention couvre {{ communes_couvertes }} :")
    t.tag("if consolidee and consolidee.perimetre_modifie")
    t.table(
        ["Commune", "Code INSEE", "Dans le périmètre depuis"],
        ["{{ c.nom }}", "{{ c.insee }}", "{{ c.depuis }}"],
        "for c in perimetre",
        (7.4, 3.0, 6.0),
    )
    t.tag("else")
    t.table(
        ["Commune", "Code INSEE"],
        ["{{ c.nom }}", "{{ c.insee }}"],
        "for c in perimetre",
        (12.4, 4.0),
    )
    t.tag("endif")
    with t.when("perimetre_source"):
        t.p("{{ perimetre_source }}", "CTG Tableau")
    t.p("Annexe {{ annexes.plan }} – Plan d'actions", "CTG Annexe")
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
        # The pilot's column holds a party's name whose hyphens never break (« La Caf des
        # Alpes-de-Haute-Provence »): 3 cm cut « Bouches-du-Rhô/ne » in the middle of a word;
        # the budget keeps the 3.3 cm that hold « 999 999 999,99 € » on one line, the axe the
        # 1.3 cm of « Total ».
        (1.3, 1.6, 3.4, 4.3, 2.5, 3.3),
        total=["Total", "", "", "", "", "{{ plan_total }}"],
    )
    t.p(
        "Chaque fiche action fait l'objet d'un document détaillé, annexé à la présente "
        "convention (annexe {{ annexes.fiches }})."
    )
    t.tag("else")
    t.p("Aucune fiche action n'est encore rattachée à la convention.")
    t.tag("endif")


def convention() -> Template:
    t = Template("Convention territoriale globale")
    t.header("{{ ctg.entete }}", consolidation=True)
    t.footer()
    title_page(t)
    opening(t)
    articles(t)
    t.tag("if consolidee")
    t.p("Version consolidée établie à titre d'information : elle ne comporte pas de signatures.")
    t.tag("else")
    closing(t)
    t.tag("endif")
    annexes(t)
    return t


def fiche() -> Template:
    t = Template("Fiche action")
    t.header("{{ ctg.entete }}")
    t.footer()
    t.p("{{ fiche.annexe }}", "CTG Centré")
    t.p("Fiche action {{ fiche.code }}", "CTG Titre")
    t.p("{{ fiche.intitule }}", "CTG Sous-titre")
    t.fiche_table(
        [
            ("Axe", "{{ fiche.axe }}", None),
            ("{{ fiche.champs_libelle }}", "{{ fiche.champs }}", "fiche.champs"),
            ("{{ fiche.pilote_libelle }}", "{{ fiche.pilote }}", None),
            ("Référent", "{{ fiche.referent }}", "fiche.referent"),
            ("Calendrier", "{{ fiche.calendrier_majuscule }}", None),
            ("Communes concernées", "{{ fiche.communes_majuscule }}", None),
        ],
        (4.6, 11.8),
    )
    with t.when("fiche.constat"):
        t.p("Constat", "CTG Section")
        blocks(t, "fiche.constat")
    t.p("Objectifs", "CTG Section")
    t.puces("fiche.objectifs")
    # A section without data is left out; the annex ends by naming what the committee has
    # yet to set (fiche.a_arreter), never a blank.
    for titre, expression, write in (
        ("Description de l'action", "fiche.description", lambda: blocks(t, "fiche.description")),
        ("Public visé", "fiche.public", lambda: t.puces("fiche.public")),
        ("Partenaires", "fiche.partenaires", lambda: t.puces("fiche.partenaires")),
    ):
        with t.when(expression):
            t.p(titre, "CTG Section")
            write()
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
        t.p("Plan de financement prévisionnel", "CTG Section")
        t.table(
            ["Financeur", "Dispositif", "Montant"],
            ["{{ l.financeur }}", "{{ l.dispositif }}", "{{ l.montant }}"],
            "for l in fiche.financements",
            (6.4, 6.0, 4.0),
            total=["Total", "", "{{ fiche.financements_total }}"],
        )
    with t.when("fiche.indicateurs"):
        t.p("Indicateurs d'évaluation", "CTG Section")
        t.table(
            ["Indicateur", "Cible", "Source"],
            ["{{ i.libelle }}", "{{ i.cible }}", "{{ i.source }}"],
            "for i in fiche.indicateurs",
            (8.4, 3.5, 4.5),
        )
    with t.when("fiche.a_arreter"):
        t.p("Éléments restant à arrêter", "CTG Section")
        t.p("{{ fiche.a_arreter }}")
    return t


def fiche_suivi() -> Template:
    t = Template("Fiche de suivi")
    t.header("{{ ctg.entete }}")
    t.footer()
    t.p("Fiche de suivi {{ suivi.code }}", "CTG Titre")
    t.p("{{ suivi.intitule }}", "CTG Sous-titre")
    t.p("{{ suivi.etat_au }}", "CTG Centré")
    t.fiche_table(
        [
            ("Statut", "{{ suivi.statut }}", None),
            ("{{ suivi.pilote_libelle }}", "{{ suivi.pilote }}", None),
            ("Calendrier prévu", "{{ suivi.calendrier_majuscule }}", None),
            ("Fiche action", "{{ suivi.annexe }}", None),
        ],
        (4.6, 11.8),
    )
    t.p("{{ suivi.portee }}")
    with t.when("suivi.historique"):
        t.p("Historique", "CTG Section")
        t.table(
            ["Date", "Statut", "Instance", "Commentaire"],
            ["{{ h.date }}", "{{ h.statut }}", "{{ h.instance }}", "{{ h.commentaire }}"],
            "for h in suivi.historique",
            (2.6, 2.8, 5.5, 5.5),
        )
    with t.when("suivi.examens"):
        t.p("Examens", "CTG Section")
        t.puces("suivi.examens")
    with t.when("suivi.indicateurs"):
        t.p("Indicateurs d'évaluation", "CTG Section")
        t.table(
            ["Indicateur", "Cible", "Source"],
            ["{{ i.libelle }}", "{{ i.cible }}", "{{ i.source }}"],
            "for i in suivi.indicateurs",
            (8.4, 3.5, 4.5),
        )
    return t


def compte_rendu() -> Template:
    t = Template("Compte rendu")
    t.header("{{ ctg.entete }}")
    t.footer()
    with t.when("projet"):
        t.p("PROJET – compte rendu non validé", "CTG Mention")
    t.p("Compte rendu", "CTG Titre")
    t.p("{{ reunion.titre }}", "CTG Sous-titre")
    t.p("{{ ctg.intitule_majuscule }}", "CTG Centré")
    t.fiche_table(
        [
            ("Objet", "{{ reunion.objet }}", "reunion.objet"),
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
        t.p("{{ o.numero }}. {{ o.texte }}", "CTG Liste")
    with t.when("reunion.points"):
        t.p("Points abordés", "CTG Section")
        with t.each("pt in reunion.points"):
            t.p("{{ pt.numero }}. {{ pt.titre }}", "CTG Sous-section")
            blocks(t, "pt.synthese")
            with t.when("pt.fiches"):
                t.runs([("{{ pt.fiches_titre }}", True), ("{{ pt.fiches }}.", False)])
    t.p("Relevé de décisions", "CTG Section")
    t.tag("for d in reunion.decisions")
    t.runs([("Décision n° {{ d.numero }} : ", True), ("{{ d.texte }}", False)], "CTG Liste")
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
    with t.when("projet"):
        t.p("PROJET – document de travail non signé", "CTG Mention")
    t.p("Avenant n° {{ avenant.numero }}", "CTG Titre")
    t.p("{{ ctg.a_la_convention }}", "CTG Sous-titre")
    t.p("Convention en vigueur {{ avenant.periode }}", "CTG Centré")
    t.runs([("Objet : ", True), ("{{ avenant.objet }}", False)], "CTG Centré")
    t.p("")
    parties_block(t)
    t.p("")
    with t.each("v in visas"):
        t.p("{{ v }}", left=True)
    t.p("Exposé des motifs", "CTG Section")
    blocks(t, "avenant.expose")
    t.p("Il est convenu ce qui suit :", bold=True)
    articles(t)
    closing(t)
    return t


def main(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name, build in (
        ("convention.docx", convention),
        ("fiche-action.docx", fiche),
        ("fiche-suivi.docx", fiche_suivi),
        ("compte-rendu.docx", compte_rendu),
        ("avenant.docx", avenant),
    ):
        build().save(target / name)
        print(target / name)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "templates")
