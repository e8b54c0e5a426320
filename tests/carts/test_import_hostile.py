"""SECURITY 27 and 28 for the cart import: hostile and broken files end as a clear refusal or a list of
line errors, in bounded time, never as a server error and never as a half-imported cart."""

from __future__ import annotations

import csv
import io
import random
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comptoir.carts.services import CartError, cart_add, cart_import
from tests.carts.conftest import cart_of

HYPOTHESIS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def upload(data: bytes, name: str = "cart.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def refusal(buyer, data: bytes, name: str = "cart.csv") -> Exception:
    """Import ``data``; it must be refused with a message, and the reader must not have hit its safety net."""
    with pytest.raises((CartError, ValidationError)) as error:
        cart_import(buyer=buyer, upload=upload(data, name))
    cause = error.value.__cause__
    assert not getattr(cause, "unexpected", False), f"reader bug behind: {cause!r}"
    return error.value


def attempt(buyer, data: bytes) -> Exception | None:
    """Import ``data``; the refusal, or None when the cart was replaced."""
    try:
        cart_import(buyer=buyer, upload=upload(data))
    except (CartError, ValidationError) as error:
        return error
    return None


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


HOSTILE = {
    "binary": bytes(random.Random(7).randrange(256) for _ in range(50_000)),
    "png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40,
    "nul": b"sku;quantity\nDR-100\x00;1\n",
    "nul-utf16": "sku;quantity\nDR-100;1\n".encode("utf-16-le"),
    "old-xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
    "zip-not-xlsx": zipped({"hello.txt": b"sku;quantity\nDR-100;1\n"}),
    "broken-xlsx": zipped({"[Content_Types].xml": b"<Types", "xl/workbook.xml": b"<<<"}),
    "zip-bomb": zipped({"[Content_Types].xml": b"<Types/>", "xl/big.xml": b"0" * 30_000_000}),
    "100k-lines": b"sku;quantity\n" + b"DR-100;1\n" * 100_000,
    "10k-columns": b";".join([b"sku", b"quantity", *[b"c%d" % n for n in range(10_000)]]) + b"\nDR-100;1\n",
    "10k-columns-in-a-row": b"sku;quantity\nDR-100;1" + b";x" * 10_000 + b"\n",
    "1mb-field": b"sku;quantity\n" + b"A" * 1_000_000 + b";1\n",
    "1mb-quoted-field": b'sku;quantity\n"' + b"A;\n" * 300_000 + b'";1\n',
    "unclosed-quote": b'sku;quantity\n"DR-100;1\nGL-300;6\n',
    "only-header": b"sku;quantity\n",
    "empty": b"",
    "blank": b"\r\n\r\n   \r\n",
    "no-header-names": b"DR-100;1\nGL-300;6\n",
    "control-chars": bytes(range(1, 32)) * 500,
    "bad-utf8": b"sku;quantity\n\xff\xfe\xfa-100;1\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_is_refused_quickly_and_the_cart_stays(orderer, name):
    cart_add(buyer=orderer, sku="DR-100", quantity=1)
    started = time.monotonic()
    error = refusal(orderer, HOSTILE[name], "cart.xlsx" if name.endswith("xlsx") or "zip" in name else "cart.csv")
    assert time.monotonic() - started < 10
    assert error.messages
    assert all(len(message) < 500 for message in error.messages)
    assert cart_of(orderer) == {"DR-100": 1}


def test_100k_lines_are_refused_as_too_many_rows(orderer):
    error = refusal(orderer, HOSTILE["100k-lines"])
    assert "more than 5000 rows" in " ".join(error.messages)


def test_10k_columns_are_refused_as_too_many_columns(orderer):
    assert "Too many columns" in " ".join(refusal(orderer, HOSTILE["10k-columns"]).messages)


def test_mixed_line_endings_are_read(orderer):
    cart_import(buyer=orderer, upload=upload(b"sku;quantity\rDR-100;1\r\nGL-300;6\nDR-100;1\r"))
    assert cart_of(orderer) == {"DR-100": 2, "GL-300": 6}


@pytest.mark.parametrize("name", ["binary", "nul", "100k-lines", "1mb-field", "zip-bomb"])
def test_hostile_upload_through_the_page_is_a_4xx(orderer, orderer_client, name):
    cart_add(buyer=orderer, sku="DR-100", quantity=1)
    response = orderer_client.post("/cart/import/", {"file": upload(HOSTILE[name])})
    assert response.status_code == 400
    assert b'role="alert"' in response.content
    assert cart_of(orderer) == {"DR-100": 1}


# --- Properties ---------------------------------------------------------------------------------


@HYPOTHESIS
@given(data=st.binary(max_size=4000))
def test_any_bytes_import_cleanly_or_change_nothing(orderer, data):
    before = cart_of(orderer)
    error = attempt(orderer, data)
    if error is None:
        assert set(cart_of(orderer)) <= {"DR-100", "GL-300"}
    else:
        assert not getattr(error.__cause__, "unexpected", False)
        assert cart_of(orderer) == before


# Quantity cells with what the rules say about them, per product (GL-300 is sold by boxes of 6).
VALID_QUANTITIES = {"DR-100": ["1", "2", "10", "3,0", " 4 "], "GL-300": ["6", "12", "18.0"]}
BAD_QUANTITIES = ["0", "-1", "1,5", "abc", "", "=1+1", "1e3", "99999999"]
BAD_SKUS = ["SW-200", "HD-400", "NOPE", "=cmd|' /C calc'!A0", "x" * 80]


@st.composite
def cart_files(draw):
    """A cart CSV as people make them (separator, encoding, line ends, blank lines), with known bad lines."""
    separator = draw(st.sampled_from([";", ",", "\t"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    headers = [("sku", "quantity"), ("SKU", "Qty"), ("Référence", "Quantité"), ("article", "aantal")]
    header = draw(st.sampled_from(headers))
    rows, expected, bad_lines = [header], {}, set()
    for _ in range(draw(st.integers(min_value=1, max_value=12))):
        if draw(st.booleans()):
            rows.append(("", ""))  # a blank line
            continue
        line_number = len(rows) + 1
        kind = draw(st.sampled_from(["good", "good", "good", "bad_sku", "bad_quantity"]))
        if kind == "good":
            sku = draw(st.sampled_from(sorted(VALID_QUANTITIES)))
            quantity = draw(st.sampled_from(VALID_QUANTITIES[sku]))
            expected[sku] = expected.get(sku, 0) + int(float(quantity.replace(",", ".")))
        elif kind == "bad_sku":
            sku, quantity = draw(st.sampled_from(BAD_SKUS)), "1"
            bad_lines.add(line_number)
        else:
            sku, quantity = draw(st.sampled_from(sorted(VALID_QUANTITIES))), draw(st.sampled_from(BAD_QUANTITIES))
            bad_lines.add(line_number)
        rows.append((sku, quantity))
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=separator, lineterminator=newline).writerows([row if any(row) else [] for row in rows])
    return out.getvalue().encode(encoding), expected, bad_lines


@HYPOTHESIS
@given(case=cart_files())
def test_cart_files_replace_the_cart_or_report_exactly_their_bad_lines(orderer, case):
    data, expected, bad_lines = case
    cart_add(buyer=orderer, sku="DR-100", quantity=7)
    before = cart_of(orderer)
    error = attempt(orderer, data)
    if isinstance(error, CartError):
        assert {p.line_number for p in error.problems} == bad_lines
        assert cart_of(orderer) == before
    elif error is not None:  # a file with only blank lines under its header
        assert not expected, error.messages
        assert not bad_lines, error.messages
        assert cart_of(orderer) == before
    else:
        assert not bad_lines
        assert cart_of(orderer) == expected
