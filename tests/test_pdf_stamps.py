"""PDFs made the same bytes for the same document (ctgdocs.pdf_stamps), without LibreOffice."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zlib
from pathlib import Path

import pikepdf

from ctgdocs.pdf_stamps import document_date, make_reproducible, reproducible_pdf

from .conftest import REFERENCE, run

_XMP = (
    '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    'rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:CreateDate>{}</xmp:CreateDate>'
    '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)


def _converted(moment: dt.datetime) -> bytes:
    """A PDF stamped at `moment` as LibreOffice stamps its PDF/A."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.docinfo["/CreationDate"] = f"D:{moment:%Y%m%d%H%M%S}Z'"
    metadata = pikepdf.Stream(pdf, _XMP.format(f"{moment:%Y-%m-%dT%H:%M:%S}Z").encode())
    metadata["/Type"], metadata["/Subtype"] = pikepdf.Name.Metadata, pikepdf.Name.XML
    pdf.Root.Metadata = metadata
    header = bytearray(128)
    header[24:36] = struct.pack(">6H", *moment.timetuple()[:6])
    header[36:40] = b"acsp"
    profile = pikepdf.Stream(pdf, zlib.compress(bytes(header)))
    profile["/Filter"], profile["/N"] = pikepdf.Name.FlateDecode, 3
    pdf.Root.OutputIntents = pikepdf.Array(
        [pikepdf.Dictionary(Type=pikepdf.Name.OutputIntent, DestOutputProfile=profile)]
    )
    pdf.trailer["/DocChecksum"] = pikepdf.Name(f"/{moment:%H%M%S}")
    out = io.BytesIO()
    pdf.save(out, static_id=False)
    return out.getvalue()


def test_the_times_of_a_conversion_leave_no_trace() -> None:
    day = dt.date(2018, 6, 28)
    first = _converted(dt.datetime(2026, 12, 3, 9, 41, 53))
    second = _converted(dt.datetime(2026, 12, 3, 9, 42, 7))
    assert first != second
    fixed = reproducible_pdf(first, day)
    assert fixed == reproducible_pdf(second, day)
    assert reproducible_pdf(fixed, day) == fixed
    with pikepdf.open(io.BytesIO(fixed)) as pdf:
        assert str(pdf.docinfo["/CreationDate"]) == "D:20180628000000Z"
        assert b"<xmp:CreateDate>2018-06-28T00:00:00Z<" in pdf.Root.Metadata.read_bytes()
        icc = pdf.Root.OutputIntents[0].DestOutputProfile.read_bytes()
        assert struct.unpack(">6H", icc[24:36]) == (2018, 6, 28, 0, 0, 0)
        assert "/DocChecksum" not in pdf.trailer
        identifier = pdf.trailer.ID
        assert bytes(identifier[0]) == bytes(identifier[1])  # both from the content


def test_a_pdf_it_cannot_read_is_left_as_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", REFERENCE, "-o", out, "--only", "avenants").exit_code == 0
    docx = next(out.glob("*/avenants/avenant-1.docx"))
    assert document_date(docx) == dt.date(2020, 1, 23)  # the avenant's signature
    broken = tmp_path / "x.pdf"
    broken.write_bytes(b"%PDF-1.7\nnot a pdf")
    make_reproducible(broken, docx)
    assert broken.read_bytes() == b"%PDF-1.7\nnot a pdf"
    assert document_date(tmp_path / "absent.docx") is None
