"""Turning what buyers type or upload into cart items: fast entry text (C6) and import files (C4).

Both return ``(items, problems)``: items are ``(line number, SKU, quantity)`` ready for
``resolve_items``; problems are the lines that could not even be read (no SKU, a quantity
that is not a whole number ≥ 1 …). Nothing here touches the database.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from comptoir.carts.services import MAX_QUANTITY, LineProblem, max_cart_lines
from comptoir.core import tabular

Item = tuple[int, str, int]

SKU_MAX_LENGTH = 64
FAST_ENTRY_MAX_CHARS = 100_000

IMPORT_ALIASES = {
    "sku": (
        "article",
        "article number",
        "article no",
        "code article",
        "code produit",
        "item",
        "item number",
        "item no",
        "reference",
        "ref",
        "product code",
        "artikel",
        "artikelnummer",
        "artikelnr",
        "art nr",
        "referentie",
    ),
    "quantity": ("qty", "quantité", "qte", "qté", "quantities", "aantal", "antal", "menge", "anzahl", "nombre"),
}
TEMPLATE_HEADER = ("sku", "quantity")
TEMPLATE_EXAMPLE = ("DR-100", "2")

# "SKU quantity", "SKU;quantity", "SKU<tab>quantity", "SKU,quantity", "SKU x 3": the SKU, a separator, the rest.
FAST_LINE = re.compile(r"^(?P<sku>[^\s;,\t]+)(?:\s*[;,\t]\s*|\s+(?:[x*]\s+)?)(?P<quantity>\S.*?)$", re.IGNORECASE)
HEADER_WORDS = {tabular.normalize_header(word) for word in ("sku", *IMPORT_ALIASES["sku"])}


def parse_quantity(text: str) -> tuple[int | None, str | None]:
    """A whole quantity of at least 1 from "3", "3,0", "1 200"; or the reason it is not one."""
    raw = text.strip()
    if not raw:
        return None, _("the quantity is missing")
    try:
        number = tabular.parse_decimal(raw)
    except tabular.TabularError:
        return None, _("“%(value)s” is not a number") % {"value": raw[:20]}
    if number != number.to_integral_value():
        return None, _("“%(value)s” is not a whole number: this product is ordered in whole units") % {
            "value": raw[:20]
        }
    if number < 1:
        return None, _("the quantity must be at least 1")
    if number > MAX_QUANTITY:
        return None, _("the quantity may not exceed %(max)s") % {"max": MAX_QUANTITY}
    return int(number), None


def _item(line: int, sku: str, quantity_text: str, problems: list[LineProblem]) -> Item | None:
    sku = sku.strip()
    if not sku:
        problems.append(LineProblem(line, "", _("the SKU is missing")))
        return None
    if tabular.CONTROL_CHARS.search(sku):  # NUL and other control characters: no SKU has them
        problems.append(
            LineProblem(
                line,
                tabular.CONTROL_CHARS.sub("\ufffd", sku[:SKU_MAX_LENGTH]),
                _("unknown product, or not available to you"),
            )
        )
        return None
    if len(sku) > SKU_MAX_LENGTH:
        problems.append(LineProblem(line, sku[:SKU_MAX_LENGTH] + "…", _("unknown product, or not available to you")))
        return None
    quantity, problem = parse_quantity(quantity_text)
    if problem:
        problems.append(LineProblem(line, sku, problem))
        return None
    return line, sku, quantity  # type: ignore[return-value]


def parse_fast_entry(text: str) -> tuple[list[Item], list[LineProblem]]:
    """Lines of "SKU quantity" (space, tab, ``;`` or ``,`` between them, as pasted from a spreadsheet).

    Blank lines are skipped; a first line that names the columns ("SKU  Quantity") is skipped too.
    """
    items: list[Item] = []
    problems: list[LineProblem] = []
    if len(text) > FAST_ENTRY_MAX_CHARS:
        return [], [
            LineProblem(None, "", _("The text is too long; paste at most %(max)s lines.") % {"max": max_cart_lines()})
        ]
    filled = [(number, line) for number, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if len(filled) > max_cart_lines():
        return [], [LineProblem(None, "", _("Paste at most %(max)s lines at a time.") % {"max": max_cart_lines()})]
    for position, (number, line) in enumerate(filled):
        if "\t" in line:  # pasted from a spreadsheet: cells, not words (a cell may hold spaces)
            cells = [cell.strip() for cell in line.split("\t")]
            while cells and not cells[-1]:
                cells.pop()
            if len(cells) > 2:
                problems.append(LineProblem(number, cells[0][:SKU_MAX_LENGTH], _("write only a SKU and a quantity")))
                continue
            sku, quantity = [*cells, "", ""][:2]
        else:
            match = FAST_LINE.match(line.strip())
            sku, quantity = (match["sku"], match["quantity"]) if match else (line.strip().strip(";,"), "")
        if position == 0 and tabular.normalize_header(sku) in HEADER_WORDS and parse_quantity(quantity)[1]:
            continue  # a header line pasted along with the cells
        item = _item(number, sku, quantity, problems)
        if item:
            items.append(item)
    if not items and not problems:
        problems.append(LineProblem(None, "", _("Type at least one line: a SKU and a quantity.")))
    return items, problems


def read_import_file(upload: Any, *, filename: str = "") -> tuple[list[Item], list[LineProblem]]:
    """The lines of an uploaded cart file (CSV or XLSX with the columns sku and quantity).

    A file that cannot be read at all (too large, not a spreadsheet, no such columns, too many rows)
    raises ``ValidationError`` with one message; per-line troubles come back as problems.
    """
    limits = tabular.Limits.for_uploads(max_rows=max_cart_lines(), max_columns=50, max_cell_length=1000)
    try:
        table = tabular.read_table(
            upload, aliases=IMPORT_ALIASES, required=("sku", "quantity"), filename=filename, limits=limits
        )
    except tabular.TabularError as exc:
        raise ValidationError(str(exc), code="unreadable") from exc
    items: list[Item] = []
    problems: list[LineProblem] = []
    for row in table.rows:
        item = _item(row.line, row["sku"], row["quantity"], problems)
        if item:
            items.append(item)
    if not items and not problems:
        raise ValidationError(_("The file has no product lines under its header."), code="empty")
    return items, problems


def template_csv(example: tuple[str, str] = TEMPLATE_EXAMPLE) -> bytes:
    """The cart import template: UTF-8 with a BOM so that Excel reads accents right, ``;`` as Excel expects in Europe.

    The example SKU comes from the catalogue; a cell that a spreadsheet would take for a formula is quoted.
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADER)
    writer.writerow([_spreadsheet_safe(example[0]), example[1]])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _spreadsheet_safe(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r", "\0") else text


def template_xlsx(example: tuple[str, str] = TEMPLATE_EXAMPLE) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "cart"
    sheet.append(list(TEMPLATE_HEADER))
    sheet.append([_spreadsheet_safe(example[0]), int(example[1])])
    sheet["A2"].number_format = "@"  # the SKU stays text
    sheet.column_dimensions["A"].width = 24
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
