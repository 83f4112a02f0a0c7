"""The PDF LibreOffice wrote, made the same bytes for the same document.

LibreOffice stamps every PDF with the time of the conversion: the Info dictionary's
CreationDate, the file's /ID and checksum, and for PDF/A the XMP metadata's xmp:CreateDate
and the creation date of the sRGB profile of its output intent. They become the document's
own date (the date of its Word properties, `dcterms:created`), and the /ID a digest of the
content: converting the same .docx again gives the same PDF.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

_CREATED = re.compile(rb"<dcterms:created[^>]*>(\d{4})-(\d{2})-(\d{2})T")
# xmp:CreateDate, xmp:ModifyDate, xmp:MetadataDate: an ISO date, time and zone.
_XMP_DATE = re.compile(
    rb"(<xmp:(?:CreateDate|ModifyDate|MetadataDate)>)[^<]*(</xmp:(?:CreateDate|ModifyDate|MetadataDate)>)"
)
_ICC_DATE = slice(24, 36)  # ICC.1 7.2.1: the profile's creation date, six big-endian uint16
_ICC_SIGNATURE = slice(36, 40)


def document_date(docx: Path) -> dt.date | None:
    """The date of a .docx's Word properties (`dcterms:created`), or None."""
    try:
        with zipfile.ZipFile(docx) as package:
            core = package.read("docProps/core.xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        return None
    found = _CREATED.search(core)
    if found is None:
        return None
    try:
        return dt.date(*(int(part) for part in found.groups()))
    except ValueError:
        return None


def reproducible_pdf(data: bytes, day: dt.date) -> bytes:
    """`data`, a PDF LibreOffice wrote, with its times set to `day` and a content-derived /ID."""
    import pikepdf  # noqa: PLC0415  # 50 ms: only once a PDF is converted

    with pikepdf.open(io.BytesIO(data)) as pdf:
        stamp = pikepdf.String(f"D:{day:%Y%m%d}000000Z")
        for key in ("/CreationDate", "/ModDate"):
            if key in pdf.docinfo:
                pdf.docinfo[key] = stamp
        metadata = pdf.Root.get("/Metadata")
        if isinstance(metadata, pikepdf.Stream) and "/Filter" not in metadata:
            moment = f"{day:%Y-%m-%d}T00:00:00Z".encode()
            xmp = _XMP_DATE.sub(rb"\g<1>" + moment + rb"\g<2>", metadata.read_bytes())
            metadata.write(xmp)
        for intent in pdf.Root.get("/OutputIntents", []):
            profile = intent.get("/DestOutputProfile")
            if isinstance(profile, pikepdf.Stream):
                icc = _dated_profile(profile.read_bytes(), day)
                if icc is not None:
                    profile.write(zlib.compress(icc, 9), filter=pikepdf.Name.FlateDecode)
        # LibreOffice's checksum of the file, times included, and its time-based /ID: qpdf
        # then derives both parts of the /ID from the content.
        for key in ("/DocChecksum", "/ID"):
            if key in pdf.trailer:
                del pdf.trailer[key]
        out = io.BytesIO()
        # Every other stream is copied as LibreOffice compressed it.
        pdf.save(
            out,
            deterministic_id=True,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
            compress_streams=False,
        )
    return out.getvalue()


def _dated_profile(data: bytes, day: dt.date) -> bytes | None:
    """An ICC profile created on `day` at midnight; None for data that is not a profile."""
    icc = bytearray(data)
    if len(icc) < 128 or icc[_ICC_SIGNATURE] != b"acsp":
        return None
    icc[_ICC_DATE] = struct.pack(">6H", day.year, day.month, day.day, 0, 0, 0)
    return bytes(icc)


def make_reproducible(pdf: Path, docx: Path) -> None:
    """Rewrite `pdf`, converted from `docx`, as `reproducible_pdf` makes it; a PDF this
    cannot read (or a .docx without a date) is left as LibreOffice wrote it."""
    day = document_date(docx)
    if day is None:
        return
    import pikepdf  # noqa: PLC0415

    try:
        fixed = reproducible_pdf(pdf.read_bytes(), day)
    except (OSError, pikepdf.PdfError, ValueError):
        return
    pdf.write_bytes(fixed)
