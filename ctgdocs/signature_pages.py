"""How many rows of signature blocks one page holds under « Fait à … », from the body's geometry.

The template keeps every row of signature blocks with the next (scripts/templating.py,
`signature_table`) and the render keeps « Fait à … » and the act's last paragraph with the
first row (`wordml._keep_closing`): one chain, which LibreOffice and Word move whole to a
new page when it does not fit under what precedes it. A chain longer than a page fits on
none: both then move it to a fresh page anyway, leaving the page before mostly empty, and
break it where it overflows. `rows_on_one_page` says how many rows the chain can hold; a
longer table is chained only at its ends (`wordml._split_signatures`).
"""

from __future__ import annotations

from lxml import etree

from .ooxml import W

# Lengths in twips (1/20 pt; 567 a centimetre), the units of the section properties.
# The bundled templates' page (scripts/templating.py): A4, 2.5 cm above and 2.2 cm below the
# body, whose height is then 16,838 - 1,417 - 1,247 = 14,174 twips (25.0 cm). A section that
# does not say it is read as this one.
A4_HEIGHT = 16838
TOP_MARGIN = 1417
BOTTOM_MARGIN = 1247
# A line of body text (CTG Corps: Arial 10.5 pt, lines 1.1 apart: 13.3 pt) and the 6 pt after
# each paragraph.
LINE = 266
AFTER = 120
# What keeps with the first row, at its tallest (`wordml._keep_closing`): the heading of the
# last article when its text is one paragraph (CTG Article: 12 pt bold, 14 pt before, 6 pt
# after: 704), that last paragraph on at most three lines (a longer one may leave its first
# lines on the page before, widow and orphan control keeping two with the next), « Fait à … »
# on two lines and the empty paragraph under it: 2,660 twips, 4.7 cm.
HEADING = 704
CLOSING = HEADING + (3 * LINE + AFTER) + (2 * LINE + AFTER) + (LINE + AFTER)
# With the bundled templates, rows of 4.6 cm (2,608 twips): four rows (eight blocks, 18.4 cm)
# leave 6.6 cm for the closing, so that « Fait à » and all of them share a page; five (23 cm)
# leave 2 cm, less than the closing of either act takes (at its shortest, the avenant's: a
# heading, a line, « Fait à » and the empty paragraph, 3 cm): from nine blocks on, the rows
# break across pages.

_NS = {"w": W}
_SECTION = f"{{{W}}}sectPr"


def _twips(element: etree._Element | None, attribute: str, default: int) -> int:
    """A length attribute of the section properties (a negative top margin is a fixed one)."""
    value = element.get(f"{{{W}}}{attribute}") if element is not None else None
    try:
        return abs(int(value)) if value is not None else default
    except ValueError:
        return default


def body_height(body: etree._Element) -> int:
    """The height, in twips, of the body's text area: its page less the top and bottom margins."""
    section = next(body.iterchildren(reversed=True, tag=_SECTION), None)
    size = section.find("w:pgSz", _NS) if section is not None else None
    margins = section.find("w:pgMar", _NS) if section is not None else None
    height = _twips(size, "h", A4_HEIGHT)
    return height - _twips(margins, "top", TOP_MARGIN) - _twips(margins, "bottom", BOTTOM_MARGIN)


def row_height(row: etree._Element) -> int:
    """A row's height: its w:trHeight (at least), or the lines of its fullest cell."""
    height = row.find("w:trPr/w:trHeight", _NS)
    lines = max((len(cell.findall("w:p", _NS)) for cell in row.iterfind("w:tc", _NS)), default=1)
    return max(_twips(height, "val", 0), lines * LINE)


def rows_on_one_page(body: etree._Element, rows: list[etree._Element]) -> int:
    """How many of these rows, from the first, fit on one page of the body under the closing."""
    room = body_height(body) - CLOSING
    count = 0
    for row in rows:
        room -= row_height(row)
        if room < 0:
            break
        count += 1
    return count
