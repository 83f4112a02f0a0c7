"""The compiled engine against plain docxtpl: the same bytes on every template and context."""

from __future__ import annotations

import copy
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docxtpl import DocxTemplate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from ctgdocs.checking import check_file
from ctgdocs.documents import Document, plan_documents
from ctgdocs.docxzip import LEVEL, reproducible_zip
from ctgdocs.engine import fix_tables
from ctgdocs.render import parsed_template, render_document
from ctgdocs.resources import bundled_templates, template_path

from .conftest import EXAMPLES, REFERENCE, run
from .docx_tools import built_documents, copy_templates, docx_text, edit_template, word_saved
from .signataires import with_blocks


def documents_of(path: Path) -> list[Document]:
    checked = check_file(path)
    assert checked.data is not None
    return plan_documents(checked.data)


EXAMPLE_DOCUMENTS = [
    pytest.param(document, id=f"{path.stem}:{document.output}")
    for path in EXAMPLES
    for document in documents_of(path)
]


@pytest.mark.parametrize("document", EXAMPLE_DOCUMENTS)
def test_both_engines_give_the_same_bytes(document: Document) -> None:
    template = template_path(document.template)
    fast = render_document(template, document, "rapide")
    reference = render_document(template, document, "docxtpl")
    assert fast == reference
    assert parsed_template(template).compiled is not None  # the fast path, not a fallback


@pytest.mark.parametrize("blocks", [2, 8, 9, 10, 30])
def test_both_engines_give_the_same_bytes_for_any_number_of_signatories(
    tmp_path: Path, blocks: int
) -> None:
    # Up to eight blocks under « Fait à » in one chain, from nine on rows that break
    # (wordml._split_signatures): the convention, its consolidated version and the avenant.
    kinds = ("convention", "avenants")
    documents = [d for d in documents_of(with_blocks(tmp_path, blocks)) if d.kind in kinds]
    assert len(documents) == 3
    for document in documents:
        template = template_path(document.template)
        assert render_document(template, document, "rapide") == render_document(
            template, document, "docxtpl"
        ), document.output


def test_every_bundled_template_compiles() -> None:
    templates = sorted(bundled_templates().glob("*.docx"))
    assert len(templates) == 5
    for template in templates:
        parsed = parsed_template(template)
        assert parsed.compiled is not None, parsed.fallback
        assert [p.label for p in parsed.parts][:1] == ["corps"]


# Text a user may type anywhere: XML's special characters, typographic quotes, line breaks
# and tabs (which docxtpl turns into Word breaks and tabs), accents.
TEXT = st.text(
    alphabet=st.sampled_from([*"aZé &<>\"'’«»\n\t-{}%#", "Œ", "\u00a0", "€"]),
    max_size=40,
)


def mutated(value: Any, draw: Any) -> Any:
    """The same shape of context, with other texts and shorter or longer lists."""
    if isinstance(value, str):
        return draw(TEXT)
    if isinstance(value, dict):
        return {key: mutated(item, draw) for key, item in value.items()}
    if isinstance(value, list):
        if not value:
            return []
        length = draw(st.sampled_from([0, 1, len(value), 3 * len(value) + 2]))
        return [mutated(value[i % len(value)], draw) for i in range(length)]
    return value


REFERENCE_DOCUMENTS = documents_of(REFERENCE)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data(), which=st.sampled_from(range(len(REFERENCE_DOCUMENTS))))
def test_generated_contexts_give_the_same_bytes(data: st.DataObject, which: int) -> None:
    base = REFERENCE_DOCUMENTS[which]
    context = mutated(copy.deepcopy(base.context), data.draw)
    title = data.draw(TEXT.map(lambda t: t.replace("\n", "\r")))
    document = Document(
        base.kind, base.template, base.output, context, title or "t", base.subject, base.date
    )
    template = template_path(document.template)
    assert render_document(template, document, "rapide") == render_document(
        template, document, "docxtpl"
    )


def test_a_template_the_fast_path_does_not_cover_falls_back_to_docxtpl(tmp_path: Path) -> None:
    # docxtpl renders tags in the document's title property: only the reference engine does.
    custom = copy_templates(bundled_templates(), tmp_path / "modeles")
    edit_template(
        bundled_templates() / "fiche-action.docx",
        custom / "fiche-action.docx",
        "<dc:title>",
        "<dc:title>{{ fiche.code }} ",
        part="docProps/core.xml",
    )
    result = run("build", REFERENCE, "-o", tmp_path / "out", "--templates", custom, "-v")
    assert result.exit_code == 0, result.stderr
    assert (
        f"modèle {custom / 'fiche-action.docx'} rendu par docxtpl "
        "(balise dans la propriété « title » du document)"
    ) in result.stdout.splitlines()
    fiche = tmp_path / "out" / "CTG-61-2018-01" / "fiches-actions" / "FA-1.1.docx"
    assert "Mettre en place un plan mercredi" in docx_text(fiche)
    reference = run(
        "build", REFERENCE, "-o", tmp_path / "ref", "--templates", custom, "--engine", "docxtpl"
    )
    assert reference.exit_code == 0
    assert (
        fiche.read_bytes() == (tmp_path / "ref" / fiche.relative_to(tmp_path / "out")).read_bytes()
    )


def test_the_reference_engine_is_a_build_option(tmp_path: Path) -> None:
    fast = run("build", *EXAMPLES, "-o", tmp_path / "fast")
    reference = run("build", *EXAMPLES, "-o", tmp_path / "ref", "--engine", "docxtpl")
    assert fast.exit_code == reference.exit_code == 0
    assert len(built_documents(tmp_path / "fast")) == 22
    assert built_documents(tmp_path / "fast") == built_documents(tmp_path / "ref")
    unknown = run("build", REFERENCE, "-o", tmp_path / "x", "--engine", "turbo")
    assert unknown.exit_code == 2
    assert "turbo" in unknown.stderr


def test_templates_saved_by_word_give_the_same_documents(tmp_path: Path) -> None:
    # Runs cut at every tag delimiter, proofing marks, session ids: the tags still parse,
    # both engines agree, and every document reads as with the bundled templates.
    custom = tmp_path / "modeles"
    custom.mkdir()
    for template in bundled_templates().glob("*.docx"):
        word_saved(template, custom / template.name)
    check = run("templates", "check", "--templates", custom)
    assert check.exit_code == 0, check.stdout
    fast = run("build", *EXAMPLES, "-o", tmp_path / "fast", "--templates", custom)
    reference = run(
        "build", *EXAMPLES, "-o", tmp_path / "ref", "--templates", custom, "--engine", "docxtpl"
    )
    bundled = run("build", *EXAMPLES, "-o", tmp_path / "bundled")
    assert fast.exit_code == reference.exit_code == bundled.exit_code == 0
    built = built_documents(tmp_path / "fast")
    assert len(built) == 22
    assert built == built_documents(tmp_path / "ref")
    for name, blob in built.items():
        assert docx_text(tmp_path / "fast" / name, raw=True) == docx_text(
            tmp_path / "bundled" / name, raw=True
        ), name
        with zipfile.ZipFile(io.BytesIO(blob)) as package:
            assert b"lastPrinted" not in package.read("docProps/core.xml"), name
    assert all(parsed_template(custom / t.name).compiled for t in custom.iterdir())


# --- Templates ctgdocs refuses to open, and templates the sandbox stops ---------------


def write_zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def build_with(tmp_path: Path, name: str, prepare: Any) -> tuple[int, str, Path]:
    custom = tmp_path / "modeles"
    custom.mkdir()
    prepare(custom / name)
    out = tmp_path / "out"
    result = run("build", REFERENCE, "-o", out, "--templates", custom)
    return result.exit_code, result.stderr, out


def test_a_template_that_is_not_a_docx(tmp_path: Path) -> None:
    code, stderr, out = build_with(
        tmp_path, "convention.docx", lambda p: p.write_text("Ceci est un texte.", encoding="utf-8")
    )
    assert code == 3
    assert stderr == (
        f"Erreur : modèle {tmp_path / 'modeles' / 'convention.docx'} : ce n'est pas un document "
        "Word .docx (un .doc, un .odt ou un PDF doit d'abord être enregistré au format "
        "« Document Word (.docx) »)\n"
    )
    assert not out.exists()


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    def bomb(path: Path) -> None:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("word/document.xml", "<w:document/>")
            with archive.open("word/media/zeros.bin", "w") as member:
                chunk = bytes(1024 * 1024)
                for _ in range(210):
                    member.write(chunk)

    code, stderr, out = build_with(tmp_path, "fiche-action.docx", bomb)
    assert code == 3
    path = tmp_path / "modeles" / "fiche-action.docx"
    assert path.stat().st_size < 1_000_000
    assert stderr == (
        f"Erreur : modèle {path} : archive refusée : 2 parties, 220 Mo une fois décompressée "
        "(au plus 2000 parties et 200 Mo pour un modèle Word)\n"
    )
    assert not out.exists()


def test_a_zip_without_word_document(tmp_path: Path) -> None:
    code, stderr, out = build_with(
        tmp_path,
        "avenant.docx",
        lambda p: write_zip(p, {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>"}),
    )
    assert code == 3
    assert stderr == (
        f"Erreur : modèle {tmp_path / 'modeles' / 'avenant.docx'} : archive sans "
        "word/document.xml : ce n'est pas un document Word (.docx)\n"
    )
    assert not out.exists()


@pytest.mark.parametrize(
    ("expression", "attribute"),
    [
        ("{{ ''.__class__.__mro__ }}", "__class__"),
        ("{{ fiche.code.__class__ }}", "__class__"),
        ("{{ range.__globals__ }}", "__globals__"),
        ("{{ cycler.__init__.__globals__ }}", "__init__"),
    ],
)
def test_the_sandbox_stops_templates_reaching_python(
    tmp_path: Path, expression: str, attribute: str
) -> None:
    def prepare(path: Path) -> None:
        edit_template(
            bundled_templates() / "fiche-action.docx",
            path,
            "{{ fiche.intitule }}",
            "{{ fiche.intitule }}" + expression,
        )

    code, stderr, out = build_with(tmp_path, "fiche-action.docx", prepare)
    assert code == 3
    assert stderr.startswith(
        f"Erreur : modèle {out.parent / 'modeles' / 'fiche-action.docx'} : accès interdit à "
        f"l'attribut « {attribute} » : un modèle ne peut lire que les données du document, "
        "jamais les objets internes de Python ; partie : corps (word/document.xml) ; "
        "paragraphe : « "
    )
    assert "Traceback" not in stderr
    assert not out.exists()


def test_zip_writer_matches_zipfile() -> None:
    parts = [("a.xml", b"<a/>" * 1000), ("word/é.xml", b""), ("b", bytes(range(256)))]
    reference = io.BytesIO()
    with zipfile.ZipFile(reference, "w") as archive:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, data, compresslevel=LEVEL)
    assert reproducible_zip(parts) == reference.getvalue()


def test_templates_check_reports_what_the_sandbox_would_stop(tmp_path: Path) -> None:
    custom = copy_templates(bundled_templates(), tmp_path / "modeles")
    edit_template(
        bundled_templates() / "fiche-action.docx",
        custom / "fiche-action.docx",
        "{{ fiche.intitule }}",
        "{{ fiche.intitule }}{{ ''.__class__.__mro__ }}",
    )
    result = run("templates", "check", "--templates", custom)
    assert result.exit_code == 3
    assert (
        f"{custom / 'fiche-action.docx'}: erreur: accès interdit à l'attribut « __class__ » : "
        "un modèle ne peut lire que les données du document ; partie : corps "
        "(word/document.xml) ; paragraphe : « "
    ) in result.stdout


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _table(grid: int, rows: list[int], inner: str = "", span: bool = False) -> str:
    columns = "".join('<w:gridCol w:w="100"/>' for _ in range(grid))
    cell = "<w:tc>{}<w:p/></w:tc>".format(
        '<w:tcPr><w:gridSpan w:val="2"/></w:tcPr>' if span else ""
    )
    body = "".join(f"<w:tr>{cell * cells}</w:tr>" for cells in rows)
    grid_xml = f"<w:tblGrid>{columns}</w:tblGrid>" if grid >= 0 else ""
    return f"<w:tbl>{grid_xml}{body}{inner}</w:tbl>"


@pytest.mark.parametrize(
    "tables",
    [
        [_table(2, [2, 2])],
        [_table(2, [2, 1])],  # a row narrower: the widest is as wide as the grid
        [_table(2, [1, 1])],  # every row narrower: docxtpl widens the grid
        [_table(2, [3, 2])],  # a row wider than the grid
        [_table(0, [1])],
        [_table(-1, [2])],  # no grid at all: docxtpl fails, and so does the fast engine
        [_table(2, [2]), _table(3, [3, 1]), _table(3, [2])],
        [_table(2, [2], span=True)],
        [_table(2, [2]), _table(2, [1])],  # the second table's rows all narrower
        [_table(3, [2, 2]), _table(2, [2])],
        [_table(1, [1]), _table(2, [3, 2])],  # the second table's row wider
        # Rows inside a content control: still the rows of their table.
        [
            _table(2, [2])
            .replace("<w:tr>", "<w:sdt><w:sdtContent><w:tr>", 1)
            .replace("</w:tr>", "</w:tr></w:sdtContent></w:sdt>", 1)
        ],
        [
            _table(3, [2])
            .replace("<w:tr>", "<w:sdt><w:sdtContent><w:tr>", 1)
            .replace("</w:tr>", "</w:tr></w:sdtContent></w:sdt>", 1)
        ],
        [_table(2, [2], inner=f"<w:tr><w:tc>{_table(3, [3])}</w:tc></w:tr>")],  # nested
        [_table(3, [3], inner=f"<w:tr><w:tc>{_table(1, [4])}</w:tc></w:tr>")],
    ],
)
def test_tables_are_fixed_as_docxtpl_fixes_them(tables: list[str]) -> None:
    # The fast engine skips docxtpl's walk over every cell where it would change nothing:
    # wherever it would, the trees must be docxtpl's.
    xml = f'<w:body xmlns:w="{_W_NS}"><w:p/>{"".join(tables)}<w:p/></w:body>'

    def fixed(fix: Any, text: Any) -> bytes | str:
        try:
            return bytes(etree.tostring(fix(text)))
        except AttributeError as exc:
            return str(exc)

    expected = fixed(lambda text: DocxTemplate.fix_tables(None, text), xml)
    assert fixed(fix_tables, xml.encode()) == expected
