"""The spreadsheet reader: real-world CSV and XLSX files, limits, and no crash whatever the bytes."""

from __future__ import annotations

import io
import time
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from comptoir.core.tabular import (
    Limits,
    TabularError,
    normalize_header,
    parse_bool,
    parse_decimal,
    parse_positive_int,
    read_table,
    sniff_separator,
)

ALIASES = {
    "sku": ["SKU", "article", "artikel", "référence", "reference", "artikelnummer"],
    "quantity": ["qty", "quantité", "aantal", "antal"],
    "name": ["nom", "naam", "namn"],
}


@pytest.fixture(autouse=True)
def _english():
    """The messages are asserted in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


def read(data: bytes, **kwargs):
    kwargs.setdefault("aliases", ALIASES)
    return read_table(data, **kwargs)


def read_or_error(data: bytes, **kwargs):
    """The table, or the TabularError raised; any other exception fails the test."""
    try:
        return read(data, **kwargs)
    except TabularError as error:
        return error


def assert_clean_outcome(outcome) -> None:
    if isinstance(outcome, TabularError):
        assert str(outcome)
        assert not outcome.unexpected, outcome.__cause__
    else:
        assert all(row.line >= 2 for row in outcome.rows)


def xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- encodings and separators -----------------------------------------------


def test_utf8_with_bom_reads_the_first_header():
    table = read("\ufeffsku;quantity\nA-1;2\n".encode())
    assert table.fields == ["sku", "quantity"]
    assert table.rows[0]["sku"] == "A-1"


def test_windows_1252_cafe_is_decoded():
    table = read("sku;name\nA-1;café crème\nB-2;Smörgås\n".encode("cp1252"))
    assert [row["name"] for row in table.rows] == ["café crème", "Smörgås"]


def test_utf16_with_bom_from_excel_unicode_text_is_read():
    table = read("sku\tname\nA-1\tSmörgås\n".encode("utf-16"))
    assert table.rows[0]["name"] == "Smörgås"


def test_semicolon_file_with_decimal_commas_keeps_the_commas_in_cells():
    table = read(b"sku;quantity\nA-1;1,5\nB-2;2,25\nC-3;3\n")
    assert [row["quantity"] for row in table.rows] == ["1,5", "2,25", "3"]
    assert [parse_decimal(row["quantity"]) for row in table.rows] == [Decimal("1.5"), Decimal("2.25"), 3]


def test_comma_and_tab_separators_are_detected():
    assert read(b"sku,quantity\nA,1\n").rows[0]["quantity"] == "1"
    assert read(b"sku\tquantity\nA\t1\n").rows[0]["quantity"] == "1"


def test_excel_sep_line_names_the_separator_and_counts_as_a_line():
    table = read(b"sep=,\nsku,quantity\nA;x,1\n")
    assert table.rows[0]["sku"] == "A;x"
    assert table.rows[0].line == 3


def test_single_column_file_is_read():
    assert [row["sku"] for row in read(b"sku\nA\nB\n").rows] == ["A", "B"]


def test_separator_falls_back_to_counting_in_the_header():
    assert sniff_separator("sku;name;quantity\nA;hello, world\n") == ";"


def test_blank_lines_are_skipped_and_line_numbers_kept():
    table = read(b"sku;quantity\n\nA;1\n;\n\nB;2\n")
    assert [(row.line, row["sku"]) for row in table.rows] == [(3, "A"), (6, "B")]


def test_cr_lf_mixes_give_the_right_rows_and_lines():
    table = read(b"sku;quantity\r\nA;1\rB;2\nC;3\r\n")
    assert [(row.line, row["sku"]) for row in table.rows] == [(2, "A"), (3, "B"), (4, "C")]


def test_quoted_cell_over_several_lines_keeps_the_line_where_the_row_starts():
    table = read(b'sku;name\nA;"two\nlines"\nB;x\n')
    assert [(row.line, row["name"]) for row in table.rows] == [(2, "two\nlines"), (4, "x")]


def test_cells_are_stripped_and_missing_cells_are_empty():
    table = read(b"sku;quantity;name\n  A  ;\n")
    assert table.rows[0]["sku"] == "A"
    assert table.rows[0]["quantity"] == ""
    assert table.rows[0]["name"] == ""


# --- headers ------------------------------------------------------------------


def test_header_aliases_ignore_case_accents_and_punctuation():
    table = read("RÉFÉRENCE;Quantité\nA;1\n".encode())
    assert table.fields == ["sku", "quantity"]


def test_unknown_columns_are_reported_not_fatal():
    table = read(b"sku;colour\nA;red\n")
    assert table.unknown_columns == ["colour"]


def test_missing_required_column_is_an_error_on_line_one():
    with pytest.raises(TabularError) as info:
        read(b"name;quantity\nx;1\n", required=["sku"])
    assert info.value.line == 1
    assert "sku" in str(info.value)


def test_two_columns_for_one_field_is_an_error():
    with pytest.raises(TabularError, match="SKU"):
        read(b"SKU;article\nA;B\n")


def test_normalize_header_drops_accents_case_and_punctuation():
    assert normalize_header(" Référence-Nr. ") == "referencenr"


# --- XLSX ---------------------------------------------------------------------


def test_xlsx_first_sheet_is_read_with_numbers_as_text():
    data = xlsx([["Artikel", "Aantal"], ["A-1", 2], [None, None], ["B-2", 1.5]])
    table = read(data)
    assert table.format == "xlsx"
    assert [(row.line, row["sku"], row["quantity"]) for row in table.rows] == [(2, "A-1", "2"), (4, "B-2", "1.5")]


def test_xlsx_is_recognised_by_content_whatever_the_name():
    upload = SimpleUploadedFile("cart.csv", xlsx([["sku"], ["A"]]))
    assert read_table(upload, aliases=ALIASES).format == "xlsx"


def test_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(TabularError, match="not an Excel"):
        read(buffer.getvalue())


def test_damaged_xlsx_is_refused_with_a_message():
    data = xlsx([["sku"], ["A"]])
    with pytest.raises(TabularError) as info:
        read(data[: len(data) // 2])
    assert not info.value.unexpected


def test_old_xls_is_refused_with_advice():
    with pytest.raises(TabularError, match=r"\.xls"):
        read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)


def test_xlsx_zip_bomb_is_refused_before_unpacking():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * 5_000_000)
    with pytest.raises(TabularError, match="larger than"):
        read(buffer.getvalue(), limits=Limits(max_bytes=100_000))


# --- limits and junk ------------------------------------------------------------


def test_file_over_the_size_limit_is_refused_before_reading():
    class Upload:
        size = 11 * 1024 * 1024
        name = "big.csv"

        def read(self, *args):
            raise AssertionError("the file was read")

    with pytest.raises(TabularError, match="larger than 10 MB"):
        read_table(Upload(), aliases=ALIASES, limits=Limits())


def test_size_limit_comes_from_settings(settings):
    settings.COMPTOIR_MAX_UPLOAD_BYTES = 100
    with pytest.raises(TabularError, match="larger than"):
        read_table(SimpleUploadedFile("a.csv", b"sku\n" + b"A\n" * 100), aliases=ALIASES)


def test_file_on_disk_over_the_limit_is_refused(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"sku\n" + b"A\n" * 1000)
    with pytest.raises(TabularError, match="larger than"):
        read_table(path, aliases=ALIASES, limits=Limits(max_bytes=1000))
    assert len(read_table(path, aliases=ALIASES, limits=Limits(max_rows=2000)).rows) == 1000


def test_too_many_rows_is_an_error_with_the_line():
    with pytest.raises(TabularError) as info:
        read(b"sku\n" + b"A\n" * 11, limits=Limits(max_rows=10))
    assert info.value.line == 12


def test_ten_thousand_columns_are_refused_quickly():
    data = (";".join(f"c{i}" for i in range(10_000)) + "\n" + ";".join("1" * 10_000) + "\n").encode()
    started = time.monotonic()
    with pytest.raises(TabularError, match="Too many columns") as info:
        read(data)
    assert info.value.line == 1
    assert time.monotonic() - started < 2


def test_one_megabyte_field_is_refused_with_its_line():
    data = b'sku;name\nA;short\nB;"' + b"x" * 1_000_000 + b'"\n'
    with pytest.raises(TabularError, match="longer than") as info:
        read(data)
    assert info.value.line == 3


def test_cell_longer_than_the_limit_is_refused():
    with pytest.raises(TabularError, match="longer than 10"):
        read(b"sku\nABCDEFGHIJKLMNOP\n", limits=Limits(max_cell_length=10))


def test_nul_bytes_are_refused_with_a_clear_message():
    with pytest.raises(TabularError, match="NUL"):
        read(b"sku;quantity\nA\x00;1\n")


def test_binary_junk_is_refused():
    junk = bytes(range(256)) * 40
    with pytest.raises(TabularError):
        read(junk)


def test_empty_file_is_refused():
    with pytest.raises(TabularError, match="empty"):
        read(b"  \n\n")


def test_header_only_gives_no_rows():
    assert read(b"sku;quantity\n").rows == []


def test_error_message_names_the_line():
    error = TabularError("bad", line=7)
    assert str(error) == "Line 7: bad"


# --- cell helpers ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,5", "1.5"),
        ("1.5", "1.5"),
        ("1 234,50", "1234.50"),
        ("1\u00a0234,50", "1234.50"),
        ("1.234,50", "1234.50"),
        ("1,234.50", "1234.50"),
        ("1.234.567", "1234567"),
        ("-2,5", "-2.5"),
        ("+3", "3"),
        (".5", "0.5"),
        ("12", "12"),
    ],
)
def test_parse_decimal_reads_the_usual_ways_of_writing_numbers(text, expected):
    assert parse_decimal(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "abc", "1e5", "NaN", "Infinity", "1,2,3,4", "1.2.3,4.5", "1..2", "--1", "12€"])
def test_parse_decimal_refuses_what_is_not_a_number(text):
    with pytest.raises(TabularError):
        parse_decimal(text)


@pytest.mark.parametrize(
    "text",
    [
        "²",
        "٣",  # Arabic-Indic three: Decimal() reads 3
        "\uff13",  # fullwidth three: Decimal() reads 3
        "1,\u0665",
        "१२",
        "1_000",  # Decimal() reads 1000
        "9" * 31,
        "9" * 5000,
        "1" + " " * 100_000 + "2",
        "1\x002",
    ],
)
def test_parse_decimal_refuses_other_digits_and_absurd_lengths(text):
    with pytest.raises(TabularError) as error:
        parse_decimal(text)
    assert len(str(error.value)) < 80


@pytest.mark.parametrize(("text", "expected"), [("12", 12), ("12.0", 12), ("1 200", 1200), ("3,0", 3)])
def test_parse_positive_int_reads_whole_numbers(text, expected):
    assert parse_positive_int(text) == expected


@pytest.mark.parametrize("text", ["0", "-1", "1,5", "x", "99999999999"])
def test_parse_positive_int_refuses_zero_negative_fractions_and_huge(text):
    with pytest.raises(TabularError):
        parse_positive_int(text)


def test_parse_positive_int_may_allow_zero():
    assert parse_positive_int("0", allow_zero=True) == 0


@pytest.mark.parametrize(
    ("text", "expected"), [("yes", True), ("Oui", True), ("1", True), ("nej", False), ("0", False)]
)
def test_parse_bool_understands_the_shop_languages(text, expected):
    assert parse_bool(text) is expected


def test_parse_bool_refuses_other_words():
    with pytest.raises(TabularError):
        parse_bool("maybe")


# --- properties: whatever comes in, only TabularError comes out -------------------

WORKBOOK = xlsx([["sku", "quantity"], ["A", 1], ["B", 2.5]])
PROPERTY_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(st.binary(max_size=4000))
def test_random_bytes_raise_nothing_but_tabular_error(data):
    assert_clean_outcome(
        read_or_error(data, limits=Limits(max_bytes=3000, max_rows=50, max_columns=20, max_cell_length=200))
    )


@PROPERTY_SETTINGS
@given(st.binary(max_size=2000), st.integers(min_value=0, max_value=3000))
def test_damaged_workbooks_raise_nothing_but_tabular_error(junk, cut):
    data = WORKBOOK[:cut] + junk if cut < len(WORKBOOK) else b"PK\x03\x04" + junk
    assert_clean_outcome(read_or_error(data))


@PROPERTY_SETTINGS
@given(
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=2000),
    st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
def test_random_text_in_any_encoding_raises_nothing_but_tabular_error(text, encoding):
    data = text.encode(encoding, errors="replace")
    assert_clean_outcome(read_or_error(data, limits=Limits(max_rows=50, max_columns=20, max_cell_length=200)))


@PROPERTY_SETTINGS
@given(
    st.lists(
        st.lists(st.text(alphabet="ab;,\t\"' 1\r\n.é", max_size=8), min_size=1, max_size=5),
        min_size=1,
        max_size=20,
    ),
    st.sampled_from([";", ",", "\t"]),
)
def test_csv_like_rows_raise_nothing_but_tabular_error(rows, separator):
    data = "\n".join(separator.join(cells) for cells in [["sku", "quantity"], *rows]).encode()
    assert_clean_outcome(read_or_error(data))


@PROPERTY_SETTINGS
@given(st.text(max_size=40))
def test_parse_decimal_returns_a_decimal_or_tabular_error(text):
    try:
        result = parse_decimal(text)
    except TabularError as error:
        result = error
    assert isinstance(result, Decimal | TabularError)


@PROPERTY_SETTINGS
@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-(10**9), max_value=10**9))
def test_parse_decimal_round_trips_comma_written_numbers(number):
    assert parse_decimal(str(number).replace(".", ",")) == number


def test_hundred_thousand_rows_are_read_in_bounded_time():
    data = b"sku;quantity\n" + b"".join(b"SKU-%06d;%d,5\n" % (i, i % 7) for i in range(100_000))
    started = time.monotonic()
    table = read(data, limits=Limits(max_rows=100_000))
    assert len(table.rows) == 100_000
    assert table.rows[-1].line == 100_001
    assert time.monotonic() - started < 10
