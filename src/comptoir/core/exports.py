"""CSV and XLSX files people open in a spreadsheet (E2, SECURITY 29): order exports now, price feeds later.

RFC 4180: comma separator (a file for people who read French, Dutch or Swedish uses ``;`` and a
decimal comma, as their spreadsheets expect: ``csv_format_for``), CRLF line ends, fields quoted when
they hold a separator, a quote or a line break, quotes doubled. A text cell that a spreadsheet would
read as a formula (it starts with ``= + - @``, a tab, a carriage return or NUL) is written with a
leading apostrophe, so that ``=HYPERLINK(...)`` in a product name or a buyer's reference stays text. Numbers we computed
ourselves (quantities, amounts) are written as they are: ``-5.00`` is a number, not a formula.

The file starts with a UTF-8 byte order mark so that Excel reads accents right; readers that go by
RFC 4180 use ``utf-8-sig``.

The XLSX form holds the same cells: numbers and dates as real numeric cells, every text as a string
cell (never a formula), defused the same way and stripped of the control characters XLSX cannot hold.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse

from comptoir.core.money import UNIT_PRICE_PLACES

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\0")
BOM = "\ufeff"
CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class CsvFormat:
    """The separator and the decimal mark of a CSV file."""

    delimiter: str = ","
    decimal: str = "."


RFC_4180 = CsvFormat()
EUROPEAN = CsvFormat(delimiter=";", decimal=",")
# Languages whose spreadsheets read "1,5" as a number and so split CSV columns on ";".
DECIMAL_COMMA_LANGUAGES = frozenset({"fr", "nl", "sv"})


def csv_format_for(language: str | None) -> CsvFormat:
    """``;`` and a decimal comma for French, Dutch and Swedish readers; ``,`` and ``.`` otherwise."""
    base = (language or "").split("-")[0].lower()
    return EUROPEAN if base in DECIMAL_COMMA_LANGUAGES else RFC_4180


def safe_cell(value: Any, *, decimal: str = ".") -> str:
    """One cell as text, defused: text starting like a formula gets a leading ``'``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal | float):
        return str(value).replace(".", decimal)
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class SafeWriter:
    """A ``csv.writer`` (RFC 4180 dialect, or ``;`` per ``fmt``) that passes every cell through ``safe_cell``."""

    def __init__(self, stream: Any, fmt: CsvFormat = RFC_4180) -> None:
        self._decimal = fmt.decimal
        self._writer = csv.writer(
            stream, dialect="excel", delimiter=fmt.delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL
        )

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(cell, decimal=self._decimal) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_text(rows: Iterable[Iterable[Any]], *, bom: bool = True, fmt: CsvFormat = RFC_4180) -> str:
    """The whole file as one string (small files: one order)."""
    buffer = io.StringIO()
    if bom:
        buffer.write(BOM)
    SafeWriter(buffer, fmt).writerows(rows)
    return buffer.getvalue()


def csv_chunks(rows: Iterable[Iterable[Any]], *, bom: bool = True, rows_per_chunk: int = 500) -> Iterator[bytes]:
    """The file as UTF-8 chunks, for a ``StreamingHttpResponse`` over a large query (feeds)."""
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    if bom:
        buffer.write(BOM)
    for count, row in enumerate(rows, start=1):
        writer.writerow(row)
        if count % rows_per_chunk == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    tail = buffer.getvalue()
    if tail:
        yield tail.encode("utf-8")


def attachment_name(stem: str, extension: str) -> str:
    """A download name made here from our own values (never from the request), safe for any browser."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.")[:100] or "export"
    return f"{cleaned}.{extension}"


def _headers(response: HttpResponse | StreamingHttpResponse, filename: str) -> None:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"


def csv_response(rows: Iterable[Sequence[Any]], *, filename: str, fmt: CsvFormat = RFC_4180) -> HttpResponse:
    response = HttpResponse(csv_text(rows, fmt=fmt).encode("utf-8"), content_type=CONTENT_TYPE)
    _headers(response, filename)
    return response


def csv_streaming_response(rows: Iterable[Sequence[Any]], *, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_chunks(rows), content_type=CONTENT_TYPE)
    _headers(response, filename)
    return response


def _xlsx_value(value: Any) -> tuple[Any, str | None]:
    """A cell's value for XLSX and its number format (None: the default)."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return int(value), None
    if isinstance(value, Decimal) and value.is_finite() and 0 < -int(value.as_tuple().exponent) <= UNIT_PRICE_PLACES:
        # A figure keeps on screen the decimals it was given (core/money.py: 2.30; a unit price 2.345).
        return value, "0." + "0" * -int(value.as_tuple().exponent)
    if isinstance(value, int | Decimal | float):
        return value, None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None), "yyyy-mm-dd hh:mm"  # already local time: XLSX has no time zones
    if isinstance(value, date):
        return value, "yyyy-mm-dd"
    return ILLEGAL_XLSX_CHARACTERS.sub("", safe_cell(value)), None


# XML 1.0 cannot hold these control characters; openpyxl refuses them.
ILLEGAL_XLSX_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xlsx_bytes(rows: Iterable[Iterable[Any]], *, sheet_title: str = "export") -> bytes:
    """One sheet: numbers and dates as numeric cells, text always a string cell, defused as in CSV."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=ILLEGAL_XLSX_CHARACTERS.sub("", sheet_title)[:31] or "export")
    for row in rows:
        cells = []
        for raw in row:
            value, number_format = _xlsx_value(raw)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # a string, never a formula, whatever it starts with
            if number_format:
                cell.number_format = number_format
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_response(rows: Iterable[Sequence[Any]], *, filename: str, sheet_title: str = "export") -> HttpResponse:
    response = HttpResponse(xlsx_bytes(rows, sheet_title=sheet_title), content_type=XLSX_CONTENT_TYPE)
    _headers(response, filename)
    return response
