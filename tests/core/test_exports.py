"""E2, SECURITY 29: CSV exports are RFC 4180 and safe to open in a spreadsheet."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from comptoir.core.exports import (
    CONTENT_TYPE,
    EUROPEAN,
    RFC_4180,
    attachment_name,
    csv_chunks,
    csv_format_for,
    csv_response,
    csv_text,
    safe_cell,
    xlsx_bytes,
)

DANGEROUS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR", "\0NUL", '=HYPERLINK("http://evil","x")']


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_that_starts_like_a_formula_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Cordless drill", "Cordless drill"),
        ("a=b", "a=b"),
        (None, ""),
        (3, "3"),
        (Decimal("-5.00"), "-5.00"),  # our own numbers stay numbers
        (date(2025, 3, 1), "2025-03-01"),
    ],
)
def test_other_cells_are_written_as_they_are(value, expected):
    assert safe_cell(value) == expected


def test_rfc_4180_quoting_and_crlf():
    text = csv_text([["a,b", 'say "hi"', "two\nlines", "plain"]], bom=False)
    assert text == '"a,b","say ""hi""","two\nlines",plain\r\n'


def test_round_trip_gives_back_every_cell_defused():
    rows = [["name", "reference"], *[[value, f"ref {value}"] for value in DANGEROUS], ['Perceuse à "colonne"', "é;ü"]]
    data = csv_text(rows).encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    read = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert read[0] == ["name", "reference"]
    assert [row[0] for row in read[1:-1]] == ["'" + value for value in DANGEROUS]
    assert read[-1] == ['Perceuse à "colonne"', "é;ü"]
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\0")) for row in read for cell in row)


def test_streamed_chunks_make_the_same_file():
    rows = [[n, f"=x{n}"] for n in range(1234)]
    assert b"".join(csv_chunks(rows, rows_per_chunk=100)) == csv_text(rows).encode("utf-8")


def test_response_is_an_attachment_with_a_made_name_and_nosniff():
    response = csv_response([["a"]], filename=attachment_name("order-CO-1", "csv"))
    assert response["Content-Type"] == CONTENT_TYPE == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="order-CO-1.csv"'
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("stem", ["../../etc/passwd", 'a"b\r\nSet-Cookie: x', ""])
def test_attachment_names_cannot_break_the_header(stem):
    name = attachment_name(stem, "csv")
    assert name.endswith(".csv")
    assert not set(name) & set('"/\\\r\n')


@pytest.mark.parametrize(
    ("language", "expected"), [("fr", EUROPEAN), ("nl", EUROPEAN), ("sv", EUROPEAN), ("en", RFC_4180)]
)
def test_csv_format_follows_the_language(language, expected):
    assert csv_format_for(language) == expected


def test_european_csv_round_trips_with_semicolons_and_decimal_commas():
    rows = [["name", "price", "quantity"], ["a;b", Decimal("1250.50"), 3], ["=1+1", Decimal("-5.00"), 0]]
    text = csv_text(rows, bom=False, fmt=EUROPEAN)
    read = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert read == [["name", "price", "quantity"], ["a;b", "1250,50", "3"], ["'=1+1", "-5,00", "0"]]


def test_xlsx_cells_keep_their_types_and_text_stays_text():
    from openpyxl import load_workbook

    data = xlsx_bytes([["=1+1", "plain\x01text", Decimal("12.50"), 7, date(2025, 3, 1), None, "end"]])
    [row] = list(load_workbook(io.BytesIO(data)).active.iter_rows())
    assert [cell.value for cell in row[:4]] == ["'=1+1", "plaintext", 12.5, 7]
    assert [cell.data_type for cell in row[:4]] == ["s", "s", "n", "n"]
    assert row[2].number_format == "0.00"
    assert row[4].is_date
    assert row[5].value is None
    assert row[6].value == "end"
