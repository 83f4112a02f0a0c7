"""Real LibreOffice opens every generated document: one soffice call for the whole batch."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from docx import Document
from lxml import etree

from ctgdocs.builder import BuildOptions, written
from ctgdocs.ooxml import insert_in_order
from ctgdocs.resources import bundled_templates
from ctgdocs.templates_check import check_templates

from .conftest import EXAMPLES, FIXTURES, REFERENCE, ROOT, soffice
from .docx_tools import docx_text, plain
from .pdf_pages import (
    FAULT_KINDS,
    Page,
    foot_space,
    header_text,
    page_faults,
    pages,
    signature_names,
    signature_rows,
    signature_words,
)
from .signataires import with_blocks

pytestmark = [pytest.mark.libreoffice, pytest.mark.usefixtures("needs_libreoffice")]

NB = "\u00a0"


def pdf_text(path: Path) -> str:
    """The PDF's text, typography folded as docx_text does."""
    return plain(
        subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-layout", str(path), "-"],
            check=True,
            capture_output=True,
            encoding="utf-8",
        ).stdout
    )


# Generated conventions of other territories (bench/corpus.py), whose acts LibreOffice once
# laid out with a heading or lead-in alone at the foot of page 1 (avenants), a perimeter of
# 71 to 143 communes chained to its heading, or a total wrapped before « € ».
CORPUS_SIRENS = (
    "200071470",
    "200070282",
    "200073120",
    "200040657",
    "244000659",
    "248400236",
    "200067213",
    "200023414",
    "200050532",
    "200048551",  # « Article 6 » last on page 2 of its avenant; one sentence on the last page
    # « Il est convenu ce qui suit : » last on page 2 of the consolidated convention: the
    # spacers took the body past 1,000 nodes, LibreOffice's pages then holding 23 elements.
    "240200493",
)
# A fiche whose last section (« Indicateurs d'évaluation ») was alone on its last page.
CORPUS_FICHE = ("200034379", "FA-1.1.docx")
# The avenant of the Vallée de Munster, whose page 2 ended 6 cm above its margin: its
# « Article 2 » and the sentence under it kept with the lead-in and the table after them.
MUNSTER = FIXTURES / "territoires" / "munster.yaml"
# The largest amount every amount column must hold on one line.
LARGEST = Decimal("999999999.99")
# Conventions of the reference with this many signature blocks (their avenants, two more):
# 8, four rows, one chain with « Fait à » (the avenant's ten, five rows, break); 10 and 30,
# rows too many for one page. LibreOffice moved the ten blocks of the avenant of 8 and of
# the convention of 10, and the thirty of the convention of 30, whole to a new page, the
# page before half empty, and left « d'autre part. » alone at the top of the avenant of 10's
# second page.
SIGNATORIES = (8, 10, 30)
# Acts laid out as before their signature rows could break (`_as_before`): page_faults
# must find what was wrong with them.
BEFORE = "avant-correction/"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _as_before(docx: Path, target: Path) -> Path:
    """A copy of an act whose signature rows all keep with the next again and whose
    « d'autre part. » no longer keeps the party before it: the layout before the fix."""
    with zipfile.ZipFile(docx) as package:
        entries = {info: package.read(info) for info in package.infolist()}
    for info, data in entries.items():
        if info.filename != "word/document.xml":
            continue
        body = etree.fromstring(data)
        for table in body.iter(f"{_W}tbl"):
            if table.find(f".//{_W}pStyle[@{_W}val='CTGSignature']") is None:
                continue
            for paragraph in table.iter(f"{_W}p"):
                properties = paragraph.find(f"{_W}pPr")
                assert properties is not None
                if properties.find(f"{_W}keepNext") is None:
                    insert_in_order(properties, etree.Element(f"{_W}keepNext"))
        for paragraph in body.iter(f"{_W}p"):
            if "".join(paragraph.itertext()) == "d’autre part.":
                keep = paragraph.getprevious().find(f"{_W}pPr/{_W}keepNext")
                keep.getparent().remove(keep)
        entries[info] = etree.tostring(
            body, xml_declaration=True, encoding="UTF-8", standalone=True
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        for info, data in entries.items():
            package.writestr(info, data)
    return target


def _corpus_conventions(folder: Path, sirens: tuple[str, ...] = CORPUS_SIRENS) -> list[Path]:
    spec = importlib.util.spec_from_file_location("corpus", ROOT / "bench" / "corpus.py")
    assert spec is not None and spec.loader is not None
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    folder.mkdir()
    paths = []
    for siren in sirens:
        path = folder / f"{siren}.yaml"
        path.write_text(yaml.safe_dump(corpus.convention(siren), allow_unicode=True), "utf-8")
        paths.append(path)
    return paths


def _largest_amounts(folder: Path) -> Path:
    """The reference with a plan total of LARGEST, and a fiche's budget and financing too."""
    data = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
    fiches = data["fiches_actions"]
    others = sum(
        (Decimal(str(line["montant"])) for f in fiches[1:] for line in f.get("budget", [])),
        Decimal(0),
    )
    first = LARGEST - others
    fiches[0]["budget"] = [{"poste": "Personnel", "montant": float(first)}]
    fiches[0]["financements"] = [{"financeur": "Caf de l'Orne", "montant": float(first)}]
    folder.mkdir()
    path = folder / "montants.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every document of the examples by its path, generated ones under corpus/ and montants/."""
    root = tmp_path_factory.mktemp("lo")
    documents = written(EXAMPLES, BuildOptions(output=root / "build"))
    acts = ("convention", "avenants")
    corpus = _corpus_conventions(root / "corpus-yaml")
    documents += written(corpus, BuildOptions(output=root / "corpus", only=acts))
    fiches = _corpus_conventions(root / "fiche-yaml", CORPUS_FICHE[:1])
    built = written(fiches, BuildOptions(output=root / "corpus-fiche", only=("fiches",)))
    documents += [path for path in built if path.name == CORPUS_FICHE[1]]
    documents += written([MUNSTER], BuildOptions(output=root / "territoires", only=("avenants",)))
    largest = _largest_amounts(root / "montants-yaml")
    only = ("convention", "fiches")
    documents += written([largest], BuildOptions(output=root / "montants", only=only))
    signatories = [with_blocks(root / "signataires-yaml", blocks) for blocks in SIGNATORIES]
    acts = BuildOptions(output=root / "signataires", only=("convention", "avenants"))
    documents += written(signatories, acts)
    before = root / BEFORE.rstrip("/")
    for name in ("convention.docx", "avenants/avenant-1.docx"):
        documents.append(
            _as_before(root / "signataires" / "CTG-61-2018-S10" / name, before / "S10" / name)
        )
    batch = root / "batch"
    batch.mkdir()
    # Unique names in one folder, so that one soffice call converts them all.
    sources = {}
    for index, path in enumerate(documents):
        link = batch / f"{index:03d}-{path.name}"
        link.write_bytes(path.read_bytes())
        base = root / "build" if path.is_relative_to(root / "build") else root
        sources[str(path.relative_to(base).as_posix())] = link.with_suffix(".pdf")
    profile = (root / "profile").as_uri()
    subprocess.run(
        [soffice(), f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(batch), *sorted(str(p) for p in batch.glob("*.docx"))],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    return sources


def test_every_document_converts(pdfs: dict[str, Path]) -> None:
    generated = ("corpus/", "corpus-fiche/", "montants/", "signataires/", "territoires/", BEFORE)
    assert len([name for name in pdfs if not name.startswith(generated)]) == 22
    assert len([name for name in pdfs if name.startswith("corpus-fiche/")]) == 1
    assert len([name for name in pdfs if name.startswith("corpus/")]) > 2 * len(CORPUS_SIRENS)
    for name, pdf in pdfs.items():
        assert pdf.exists(), name
        assert pdf.read_bytes().startswith(b"%PDF-"), name
        info = subprocess.run(
            ["pdfinfo", "-enc", "UTF-8", str(pdf)],
            check=True,
            capture_output=True,
            encoding="utf-8",
        )
        assert "Pages:" in info.stdout


def test_convention_pdf_states_the_facts(pdfs: dict[str, Path]) -> None:
    text = " ".join(pdf_text(pdfs["CTG-61-2018-01/convention.docx"]).split())
    assert "Article 1 – Objet de la convention" in text
    assert "Article 10 – Durée et prise d'effet" in text
    assert "devant le tribunal administratif de Caen." in text
    assert "Annexe 2 – Plan d'actions" in text
    assert "Fait à L'Aigle, le 28 juin 2018, en trois exemplaires originaux." in text
    assert "ci-après dénommée « la Caf »" in text
    assert "77 500,50 €" in text
    assert re.search(r"Page 2 sur \d+", text) and "Page 1 sur" not in text  # title page: none


def test_fiche_and_compte_rendu_pdfs(pdfs: dict[str, Path]) -> None:
    fiche = " ".join(pdf_text(pdfs["CTG-61-2018-01/fiches-actions/FA-1.1.docx"]).split())
    assert "Fiche action FA-1.1".upper() in fiche.upper()
    assert "50 500,50 €" in fiche
    cr = " ".join(
        pdf_text(pdfs["CTG-61-2018-01/comptes-rendus/2019-02-19-comite_pilotage.docx"]).split()
    )
    assert "Comité de pilotage du 19 février 2019" in cr
    assert "Décision n° 1 : Le comité valide le bilan de la première année." in cr


def test_avenant_pdf_and_draft(pdfs: dict[str, Path]) -> None:
    avenant = " ".join(pdf_text(pdfs["CTG-61-2018-01/avenants/avenant-1.docx"]).split())
    assert "Article 2 – Nouveaux signataires" in avenant
    assert (
        "Les autres dispositions de la convention du 28 juin 2018 demeurent inchangées." in avenant
    )
    draft = " ".join(pdf_text(pdfs["CTG-82-2022-GM/convention.docx"]).split())
    assert "PROJET" in draft
    special = " ".join(pdf_text(pdfs["CTG-30-2022-BTA/fiches-actions/2.1.docx"]).split())
    assert "Association Familles & Territoires" in special


@pytest.mark.parametrize("filtre", ["MS Word 2007 XML", "Office Open XML Text"])
def test_templates_saved_by_libreoffice_still_check_and_build(tmp_path: Path, filtre: str) -> None:
    # Legal staff edit the templates in LibreOffice, in either of its .docx filters.
    saved = tmp_path / "modeles"
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [soffice(), f"-env:UserInstallation={profile}", "--headless",
         "--convert-to", f"docx:{filtre}", "--outdir", str(saved),
         *sorted(str(p) for p in bundled_templates().glob("*.docx"))],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    assert len(list(saved.glob("*.docx"))) == 5
    checked, issues = check_templates(saved)
    assert [path.parent for path in checked] == [saved] * 5
    assert [str(i) for i in issues if i.severity not in ("réparé", "note")] == []
    repaired = {i.template.name for i in issues if i.severity == "réparé"}
    assert repaired == {
        "convention.docx",
        "fiche-action.docx",
        "fiche-suivi.docx",
        "compte-rendu.docx",
        "avenant.docx",
    }
    # pytest turns python-docx's "Duplicate name: docProps/core.xml" warning into an error.
    documents = written([REFERENCE], BuildOptions(output=tmp_path / "out", templates=saved))
    assert len(documents) == 8
    for path in documents:
        with zipfile.ZipFile(path) as package:
            names = package.namelist()
        assert names.count("docProps/core.xml") == 1, path
        assert "word/stylesWithEffects.xml" not in names
    document = Document(str(tmp_path / "out" / "CTG-61-2018-01" / "convention.docx"))
    assert document.core_properties.author == "ctgdocs"
    text = docx_text(tmp_path / "out" / "CTG-61-2018-01" / "convention.docx")
    assert "Fait à L'Aigle, le 28 juin 2018, en trois exemplaires originaux." in text
    assert "Monsieur Jean-Pierre Lemaître" in text


def _pages_of(pdf: Path) -> tuple[list[Page], Path]:
    docx = pdf.with_suffix(".docx")
    return pages(pdf, header_text(docx)), docx


def test_every_signed_act_has_signature_blocks(pdfs: dict[str, Path]) -> None:
    # page_faults checks their pages (test_the_page_rules_of_issue_9_hold): not vacuously.
    signed = [n for n in pdfs if re.search(r"/(convention|avenants/avenant-\d+)\.docx$", n)]
    assert len(signed) > 6 + len(CORPUS_SIRENS)  # the examples: 3 + 3
    with_blocks = [n for n, pdf in pdfs.items() if signature_words(pdf.with_suffix(".docx"))]
    assert sorted(with_blocks) == sorted(signed)


def test_the_page_rules_of_issue_9_hold(pdfs: dict[str, Path]) -> None:
    # Generated acts of other territories included: LibreOffice 7.4 left a keep-with-next
    # paragraph that closed one of its provisional pages last on a page (wordml.py). No page of signatures only, « Fait à » on the first signature page, no heading or
    # lead-in last on a page, no table header row last on a page, no total row alone at the
    # top of one, no last page of a few lines (a section, a sentence, alone). The signature
    # blocks: on the page of « Fait à », after a line of the act's text.
    faults = [
        f"{name} : {kind}, {where}"
        for name, pdf in pdfs.items()
        if not name.startswith(BEFORE)
        for kind, where in page_faults(pdf, pdf.with_suffix(".docx"))
    ]
    assert faults == []


def test_signature_rows_too_many_for_a_page_fill_the_pages(pdfs: dict[str, Path]) -> None:
    # Eight blocks, four rows: all on the page of « Fait à », as always. Ten and more: the
    # page before « Fait à » full, « Fait à » with the act's last article and the first
    # rows, then the other rows page after page, two rows at least on the last.
    checked = []
    for blocks in SIGNATORIES:
        for act in ("convention.docx", "avenants/avenant-1.docx"):
            pdf = pdfs[f"signataires/CTG-61-2018-S{blocks:02d}/{act}"]
            document_pages, docx = _pages_of(pdf)
            rows = signature_rows(docx)
            assert rows is not None and rows.on_one_page == 4
            names = signature_names(docx)
            fait_a = next(p for p in document_pages if any(x.startswith("Fait à") for x in p.lines))
            signing = [p for p in document_pages if any(n in x for x in p.lines for n in names)]
            if rows.count <= rows.on_one_page:
                assert [p.number for p in signing[-1:]] == [fait_a.number], pdf
                continue
            assert signing[-1].number > fait_a.number, pdf
            assert foot_space(pdf, fait_a.number - 1, docx) < 5 * 28.35, pdf  # under 5 cm
            assert any(x.startswith("Article") for x in fait_a.lines), pdf
            assert any(names[0] in x for x in fait_a.lines), pdf
            checked.append(rows.count)
    assert checked == [5, 5, 6, 15, 16]


def test_the_page_rules_find_signatures_moved_whole(pdfs: dict[str, Path]) -> None:
    # The convention of ten blocks and its avenant laid out as before the fix: the blocks
    # moved to a new page, the page before half empty, the last row alone on a page, and
    # « d'autre part. » alone at the top of a page.
    found = {
        name.removeprefix(BEFORE): [kind for kind, _ in page_faults(pdf, pdf.with_suffix(".docx"))]
        for name, pdf in pdfs.items()
        if name.startswith(BEFORE)
    }
    assert found == {
        "S10/convention.docx": [FAULT_KINDS[0], FAULT_KINDS[9]],
        "S10/avenants/avenant-1.docx": [FAULT_KINDS[9], FAULT_KINDS[10]],
    }


def test_the_page_rules_find_faults(tmp_path: Path) -> None:
    # A lead-in last on a page, and a last page of one line: both reported.
    document = Document()
    for index in range(10):
        document.add_paragraph(f"Paragraphe {index}.")
    document.add_paragraph("Les objectifs sont les suivants :")
    document.add_page_break()
    document.add_paragraph("Dernière phrase, seule sur la dernière page.")
    docx = tmp_path / "fautes.docx"
    document.save(str(docx))
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [soffice(), f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(docx)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    faults = page_faults(docx.with_suffix(".pdf"), docx)
    assert [kind for kind, _ in faults] == [FAULT_KINDS[2], FAULT_KINDS[5]]
    assert faults[0][1] == "page 1 : « Les objectifs sont les suivants : »"


def test_a_long_table_starts_under_its_heading(pdfs: dict[str, Path]) -> None:
    # 71 communes: the table splits, its header row repeated; the heading, the lead-in and
    # the first rows share a page, and no page holds only a heading and its lead-in.
    document_pages, _ = _pages_of(pdfs["corpus/CTG-76-2022-200023414/convention.docx"])
    annexe = next(p for p in document_pages if "Annexe 1 – Périmètre de la convention" in p.lines)
    lead_in = annexe.lines.index("La convention couvre les soixante et onze communes suivantes :")
    assert annexe.lines[lead_in + 1] == "Commune Code INSEE"
    assert len(annexe.lines) > lead_in + 20
    following = document_pages[annexe.number]
    assert following.lines[0] == "Commune Code INSEE"  # the header row repeats


def test_a_heading_and_its_sentence_stay_under_the_article_before(pdfs: dict[str, Path]) -> None:
    # Munster's avenant: « Article 2 – Nouveaux signataires » and its sentence end page 2
    # under « Article 1 »; the lead-in and the table of the six rows it keeps open page 3.
    pdf = pdfs["territoires/CTG-68-2024-CCVM/avenants/avenant-1.docx"]
    document_pages, docx = _pages_of(pdf)
    article = next(p for p in document_pages if "Article 1 – Objet de l'avenant" in p.lines)
    assert "Article 2 – Nouveaux signataires" in article.lines
    following = document_pages[article.number]
    assert (
        following.lines[0]
        == "Les communes signataires de la convention sont désormais les suivantes :"
    )
    assert foot_space(pdf, article.number, docx) < 5 * 28.35  # under 5 cm (6.2 before)


def test_the_largest_amount_holds_on_one_line(pdfs: dict[str, Path]) -> None:
    total = "999 999 999,99 €"
    fiche = "999 972 999,99 €"  # the plan's total less the other fiches' budgets
    convention = pdf_text(pdfs["montants/CTG-61-2018-01/convention.docx"])
    lines = [" ".join(line.split()) for line in convention.splitlines()]
    assert [line for line in lines if line.startswith("Total")] == [f"Total {total}"]
    assert any(line.endswith(fiche) for line in lines)
    sheet = pdf_text(pdfs["montants/CTG-61-2018-01/fiches-actions/FA-1.1.docx"])
    lines = [" ".join(line.split()) for line in sheet.splitlines()]
    assert [line for line in lines if line.startswith("Total")] == [f"Total {fiche}"] * 2
    for name, pdf in pdfs.items():
        assert "€" not in [line.strip() for line in pdf_text(pdf).splitlines()], name


def test_the_title_page_states_the_title_once(pdfs: dict[str, Path]) -> None:
    for name in ("CTG-61-2018-01/convention.docx", "CTG-82-2022-GM/convention.docx"):
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-f", "1", "-l", "1", str(pdfs[name]), "-"],
            check=True, capture_output=True, encoding="utf-8",
        ).stdout  # fmt: skip
        folded = " ".join(plain(text).split()).casefold()
        assert folded.count("convention territoriale globale") == 1, name
        assert "page 1 sur" not in folded  # no running header or footer
        assert "ctg-" not in folded.split("référence")[0], name
