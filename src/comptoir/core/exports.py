"""CSV files people open in a spreadsheet (E2, SECURITY 29): order exports now, price feeds later.

RFC 4180: comma separator, CRLF line ends, fields quoted when they hold a comma, a quote or a line
break, quotes doubled. A text cell that a spreadsheet would read as a formula (it starts with
``= + - @``, a tab, a carriage return or NUL) is written with a leading apostrophe, so that
``=HYPERLINK(...)`` in a product name or a buyer's reference stays text. Numbers we computed
ourselves (quantities, amounts) are written as they are: ``-5.00`` is a number, not a formula.

The file starts with a UTF-8 byte order mark so that Excel reads accents right; readers that go by
RFC 4180 use ``utf-8-sig``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\0")
BOM = "\ufeff"
CONTENT_TYPE = "text/csv; charset=utf-8"


def safe_cell(value: Any) -> str:
    """One cell as text, defused: text starting like a formula gets a leading ``'``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | Decimal | float):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class SafeWriter:
    """A ``csv.writer`` (RFC 4180 dialect) that passes every cell through ``safe_cell``."""

    def __init__(self, stream: Any) -> None:
        self._writer = csv.writer(stream, dialect="excel", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_text(rows: Iterable[Iterable[Any]], *, bom: bool = True) -> str:
    """The whole file as one string (small files: one order)."""
    buffer = io.StringIO()
    if bom:
        buffer.write(BOM)
    SafeWriter(buffer).writerows(rows)
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


def csv_response(rows: Iterable[Sequence[Any]], *, filename: str) -> HttpResponse:
    response = HttpResponse(csv_text(rows).encode("utf-8"), content_type=CONTENT_TYPE)
    _headers(response, filename)
    return response


def csv_streaming_response(rows: Iterable[Sequence[Any]], *, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_chunks(rows), content_type=CONTENT_TYPE)
    _headers(response, filename)
    return response
