"""Reading spreadsheets people upload: CSV (any usual separator and encoding) or XLSX.

Used by the catalogue import (F6) and the cart import (C4). Whatever the file
holds, the reader either returns rows with their line numbers or raises
``TabularError`` with a message a person can act on; it never lets another
exception out, and it stops early on files past the limits (size first, before
anything is parsed, then rows, columns and cell length).

Header names are matched through aliases that the caller gives, ignoring case,
accents, spaces and punctuation: "Référence", "reference" and "REFERENCE" are
one column.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_ROWS = 10_000
DEFAULT_MAX_COLUMNS = 100
DEFAULT_MAX_CELL_LENGTH = 4_000
SEPARATORS = (";", ",", "\t")
# An XLSX is a zip of XML; its unpacked size is bounded so that a small "zip bomb" cannot fill memory.
XLSX_MAX_EXPANSION = 20
SNIFF_CHARS = 64 * 1024

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls
BOMS = [
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
]
# Single-byte guesses that, for the languages of this shop, are almost always Windows-1252 in disguise.
SINGLE_BYTE_FAMILY = {"cp1250", "cp1252", "latin_1", "iso8859_15", "iso8859_2", "mac_roman", "cp1257", "cp850"}
SEPARATOR_HINT = re.compile(r"sep=([;,\t])[ \t]*(?:\r\n|\r|\n)", re.IGNORECASE)
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class TabularError(ValueError):
    """A file, a row or a cell that cannot be read; ``line`` is the 1-based line (or sheet row) when known."""

    def __init__(self, message: str, *, line: int | None = None, unexpected: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.unexpected = unexpected  # the safety net caught a reader bug (logged; tests assert it never happens)

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


@dataclass(frozen=True)
class Limits:
    max_bytes: int = DEFAULT_MAX_BYTES
    max_rows: int = DEFAULT_MAX_ROWS
    max_columns: int = DEFAULT_MAX_COLUMNS
    max_cell_length: int = DEFAULT_MAX_CELL_LENGTH

    @classmethod
    def for_uploads(cls, **overrides: int) -> Limits:
        """The site's upload limits (``COMPTOIR_MAX_UPLOAD_BYTES``), with the caller's overrides."""
        values = {"max_bytes": getattr(settings, "COMPTOIR_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES), **overrides}
        return cls(**values)


class Row:
    """One data row: ``row["sku"]`` is the stripped text of the column mapped to ``sku`` ("" if absent)."""

    __slots__ = ("_index", "cells", "line")

    def __init__(self, line: int, cells: list[str], index: Mapping[str, int]) -> None:
        self.line = line
        self.cells = cells
        self._index = index

    def __getitem__(self, name: str) -> str:
        position = self._index.get(name)
        if position is None or position >= len(self.cells):
            return ""
        return self.cells[position]

    def get(self, name: str, default: str = "") -> str:
        return self[name] or default

    def as_dict(self) -> dict[str, str]:
        return {name: self[name] for name in self._index}

    def __repr__(self) -> str:
        return f"Row(line={self.line}, {self.as_dict()!r})"


@dataclass
class Table:
    """What was read: the recognised columns (canonical names), the columns nobody asked for, and the rows."""

    fields: list[str]
    unknown_columns: list[str]
    rows: list[Row] = field(default_factory=list)
    format: str = "csv"

    def has(self, name: str) -> bool:
        return name in self.fields


def normalize_header(text: str) -> str:
    """ "Référence " → "reference"; "Min. order_qty" → "minorderqty" (case, accents, spaces, punctuation dropped)."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(ch for ch in stripped.casefold() if ch.isalnum())


def read_table(
    source: Any,
    *,
    aliases: Mapping[str, Sequence[str]],
    required: Iterable[str] = (),
    filename: str = "",
    limits: Limits | None = None,
) -> Table:
    """Read a CSV or XLSX file into rows keyed by the caller's canonical column names.

    ``source`` is a Django ``UploadedFile``, a path, bytes, or a binary file object.
    ``aliases`` maps each canonical name to the headers accepted for it (the
    canonical name itself is always accepted). Raises ``TabularError`` only.
    """
    limits = limits or Limits.for_uploads()
    try:
        data = _read_bytes(source, limits.max_bytes)
        filename = filename or str(getattr(source, "name", "") or "")
        if data.startswith(ZIP_MAGIC):
            records: Iterator[tuple[int, list[str]]] = _xlsx_records(data, limits)
            kind = "xlsx"
        elif data.startswith(OLE_MAGIC) or filename.lower().endswith(".xls"):
            raise TabularError(_("Old Excel files (.xls) are not supported: save the sheet as .xlsx or CSV."))
        else:
            records = _csv_records(data, limits)
            kind = "csv"
        return _build_table(records, aliases=aliases, required=required, limits=limits, kind=kind)
    except TabularError:
        raise
    except MemoryError as exc:
        raise TabularError(_("The file is too large to be read.")) from exc
    except Exception as exc:  # a reader bug must still end as a message, never as a server error
        logger.exception("tabular_read_failed filename=%s", filename[:100])
        raise TabularError(
            _("The file could not be read. Save it as CSV (UTF-8) or XLSX and try again."), unexpected=True
        ) from exc


# --- size first -----------------------------------------------------------


def _too_large(max_bytes: int) -> TabularError:
    return TabularError(
        _("The file is larger than %(limit)s; split it into smaller files.") % {"limit": human_size(max_bytes)}
    )


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.0f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} B"


def _read_bytes(source: Any, max_bytes: int) -> bytes:
    """The file's bytes, refusing anything over ``max_bytes`` before reading it where the size is known."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        try:
            if path.stat().st_size > max_bytes:
                raise _too_large(max_bytes)
            with path.open("rb") as handle:
                data = handle.read(max_bytes + 1)
        except OSError as exc:
            raise TabularError(_("The file could not be opened.")) from exc
    else:
        size = getattr(source, "size", None)  # Django's UploadedFile knows its size before anything is read
        if isinstance(size, int) and size > max_bytes:
            raise _too_large(max_bytes)
        if hasattr(source, "seek"):
            source.seek(0)
        data = source.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    if not data.strip():
        raise TabularError(_("The file is empty."))
    return data


# --- CSV ------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """Text of a CSV: UTF-8 (with or without BOM), UTF-16/32 with BOM, else what charset-normalizer finds.

    Among single-byte guesses, Windows-1252 wins when it decodes the bytes: short
    French or Swedish files are often taken for Central European code pages.
    """
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise TabularError(_("The file says it is %(encoding)s but is not.") % {"encoding": encoding}) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise TabularError(_("This does not look like a text file: save it as CSV (UTF-8) or XLSX."))
    encoding = best.encoding
    if encoding in SINGLE_BYTE_FAMILY:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise TabularError(_("The text encoding of the file could not be recognised; save it as UTF-8.")) from exc


def sniff_separator(text: str) -> str:
    """ ";", "," or tab: csv.Sniffer on the first lines, checked against the header line, else by counting."""
    sample = text[:SNIFF_CHARS]
    if len(text) > SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rfind("\n")]
    header = next((line for line in sample.splitlines() if line.strip()), "")
    counts = {sep: header.count(sep) for sep in SEPARATORS}
    try:
        found = csv.Sniffer().sniff(sample, delimiters="".join(SEPARATORS)).delimiter
    except csv.Error:
        found = ""
    if found in SEPARATORS and (counts.get(found) or not any(counts.values())):
        return found
    best = max(SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _csv_records(data: bytes, limits: Limits) -> Iterator[tuple[int, list[str]]]:
    text = decode_text(data)
    if "\x00" in text:
        raise TabularError(_("The file contains NUL characters: it is not a text (CSV) file."))
    sample = text[:SNIFF_CHARS]
    if sample and len(CONTROL_CHARS.findall(sample)) > max(8, len(sample) // 100):
        raise TabularError(_("This does not look like a text file: save it as CSV (UTF-8) or XLSX."))
    line = 1
    hint = SEPARATOR_HINT.match(text)
    if hint:  # Excel's "sep=;" first line names the separator
        separator, text, line = hint.group(1), text[hint.end() :], 2
    else:
        separator = sniff_separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, quotechar='"', doublequote=True)
    offset = line - 1
    while True:
        start = line
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise _cell_too_long(limits, start) from exc
            raise TabularError(_("The line cannot be read as CSV (check the quotes)."), line=start) from exc
        line = offset + reader.line_num + 1
        yield start, cells


def _cell_too_long(limits: Limits, line: int) -> TabularError:
    return TabularError(
        _("A cell is longer than %(limit)d characters.")
        % {"limit": min(limits.max_cell_length, csv.field_size_limit())},
        line=line,
    )


# --- XLSX -----------------------------------------------------------------


def _xlsx_records(data: bytes, limits: Limits) -> Iterator[tuple[int, list[str]]]:
    not_xlsx = _("This is a zip file but not an Excel workbook (.xlsx).")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise TabularError(not_xlsx) from exc
    if "[Content_Types].xml" not in archive.namelist():
        raise TabularError(not_xlsx)
    if unpacked > XLSX_MAX_EXPANSION * limits.max_bytes:
        raise _too_large(limits.max_bytes)

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise TabularError(_("The Excel file could not be read; open it in Excel and save it again.")) from exc
    try:
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = list(values)
            while cells and cells[-1] is None:
                cells.pop()
            if len(cells) > limits.max_columns:
                raise _too_many_columns(len(cells), limits, number)
            yield number, [_cell_text(value) for value in cells]
    except TabularError:
        raise
    except Exception as exc:
        raise TabularError(_("The Excel file could not be read; open it in Excel and save it again.")) from exc
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(value, ".15g")
    if isinstance(value, datetime):
        return value.isoformat(sep=" ") if value.time() != time(0) else value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


# --- rows -----------------------------------------------------------------


def _too_many_columns(count: int, limits: Limits, line: int) -> TabularError:
    return TabularError(
        _("Too many columns (%(count)d; at most %(limit)d).") % {"count": count, "limit": limits.max_columns},
        line=line,
    )


def _build_table(
    records: Iterator[tuple[int, list[str]]],
    *,
    aliases: Mapping[str, Sequence[str]],
    required: Iterable[str],
    limits: Limits,
    kind: str,
) -> Table:
    lookup: dict[str, str] = {}
    for name, names in aliases.items():
        for alias in (name, *names):
            lookup.setdefault(normalize_header(alias), name)

    header_line, header = 0, []
    for line, cells in records:
        if len(cells) > limits.max_columns:
            raise _too_many_columns(len(cells), limits, line)
        if any(cell.strip() for cell in cells):
            header_line, header = line, [cell.strip() for cell in cells]
            break
    if not header_line:
        raise TabularError(_("The file has no header line."))

    index: dict[str, int] = {}
    unknown: list[str] = []
    for position, title in enumerate(header):
        if len(title) > limits.max_cell_length:
            raise _cell_too_long(limits, header_line)
        field_name = lookup.get(normalize_header(title))
        if field_name is None:
            if title:
                unknown.append(title)
            continue
        if field_name in index:
            raise TabularError(
                _("Two columns are read as “%(name)s”: “%(first)s” and “%(second)s”.")
                % {"name": field_name, "first": header[index[field_name]], "second": title},
                line=header_line,
            )
        index[field_name] = position
    missing = [name for name in required if name not in index]
    if missing:
        raise TabularError(
            ngettext(
                "Missing column: %(columns)s. The first line must name the columns.",
                "Missing columns: %(columns)s. The first line must name the columns.",
                len(missing),
            )
            % {"columns": ", ".join(missing)},
            line=header_line,
        )

    table = Table(fields=list(index), unknown_columns=unknown, format=kind)
    for line, cells in records:
        if len(cells) > limits.max_columns:
            raise _too_many_columns(len(cells), limits, line)
        if not any(cell.strip() for cell in cells):
            continue
        for cell in cells:
            if len(cell) > limits.max_cell_length:
                raise _cell_too_long(limits, line)
        if len(table.rows) >= limits.max_rows:
            raise TabularError(
                _("The file has more than %(limit)d rows; split it into smaller files.") % {"limit": limits.max_rows},
                line=line,
            )
        table.rows.append(Row(line, [cell.strip() for cell in cells], index))
    return table


# --- cells ----------------------------------------------------------------

SPACES = re.compile(r"[\s\u00a0\u202f']")
NUMBER = re.compile(r"[+-]?[0-9.,]+")
TRUE_WORDS = {"1", "true", "yes", "y", "x", "oui", "vrai", "ja", "j", "waar", "sant"}
FALSE_WORDS = {"0", "false", "no", "n", "non", "faux", "nee", "nej", "onwaar", "falskt", "falsk"}


def parse_decimal(text: str, *, max_length: int = 30) -> Decimal:
    """ "1,5", "1.5", "1 234,50", "1.234,50", "1,234.50" → Decimal. Raises ``TabularError``.

    One separator used once is the decimal mark; used several times it groups
    thousands; with both, the last one is the decimal mark.
    """
    raw = str(text).strip()
    # ASCII digits only (``[0-9]``, not ``\d``: Decimal() reads Arabic-Indic or fullwidth digits too),
    # and a bounded length before and after the grouping spaces are dropped.
    value = SPACES.sub("", raw[: max_length * 4 + 1])
    too_long = len(raw) > max_length * 4 or len(value) > max_length
    if not value or too_long or not NUMBER.fullmatch(value) or not any(c.isdigit() for c in value):
        raise TabularError(_("“%(value)s” is not a number.") % {"value": raw[:40]})
    sign = ""
    if value[0] in "+-":
        sign, value = ("-" if value[0] == "-" else ""), value[1:]
    commas, dots = value.count(","), value.count(".")
    if commas and dots:
        decimal_mark = "," if value.rfind(",") > value.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        if value.count(decimal_mark) > 1:
            raise TabularError(_("“%(value)s” is not a number.") % {"value": raw[:40]})
        whole, fraction = value.split(decimal_mark)
        value = _ungroup(whole, thousands, raw) + "." + fraction
    elif commas > 1 or dots > 1:
        value = _ungroup(value, "," if commas else ".", raw)
    else:
        value = value.replace(",", ".")
    try:
        result = Decimal(sign + value)
    except InvalidOperation as exc:
        raise TabularError(_("“%(value)s” is not a number.") % {"value": raw[:40]}) from exc
    if not result.is_finite():
        raise TabularError(_("“%(value)s” is not a number.") % {"value": raw[:40]})
    return result


def _ungroup(text: str, separator: str, raw: str) -> str:
    groups = text.split(separator)
    if not groups[0] or len(groups[0]) > 3 or any(len(group) != 3 for group in groups[1:]):
        raise TabularError(_("“%(value)s” is not a number.") % {"value": raw[:40]})
    return "".join(groups)


def parse_positive_int(text: str, *, allow_zero: bool = False, maximum: int = 2_000_000_000) -> int:
    """A whole number ≥ 1 (≥ 0 with ``allow_zero``): "12", "12.0", "1 200". Raises ``TabularError``."""
    number = parse_decimal(text)
    if number != number.to_integral_value():
        raise TabularError(_("“%(value)s” is not a whole number.") % {"value": str(text).strip()[:40]})
    value = int(number)
    if value < 0 or (value == 0 and not allow_zero):
        message = _("must be zero or more") if allow_zero else _("must be 1 or more")
        raise TabularError(_("“%(value)s”: %(rule)s.") % {"value": str(text).strip()[:40], "rule": message})
    if value > maximum:
        raise TabularError(_("“%(value)s” is too large.") % {"value": str(text).strip()[:40]})
    return value


def parse_bool(text: str) -> bool:
    """Yes/no in the shop's languages ("1", "true", "oui", "ja", "nej" …). Raises ``TabularError``."""
    value = normalize_header(text)
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise TabularError(_("“%(value)s” is not yes or no.") % {"value": str(text).strip()[:40]})
