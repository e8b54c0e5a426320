"""C4 cart import: the file's lines REPLACE the cart in one transaction, or nothing changes and every bad
line is listed (SECURITY 26-28)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from comptoir.carts.services import CartError, cart_add, cart_import
from comptoir.core.permissions import Role
from tests.carts.conftest import cart_of
from tests.catalogue_data import buyer_for
from tests.factories import MembershipFactory


def upload(content: bytes | str, name: str = "cart.csv") -> SimpleUploadedFile:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/csv")


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def problems_of(buyer, content, name="cart.csv") -> list[tuple[int | None, str, str]]:
    with pytest.raises(CartError) as error:
        cart_import(buyer=buyer, upload=upload(content, name))
    return [(p.line_number, p.sku, p.message) for p in error.value.problems]


# --- Services -----------------------------------------------------------------------------------


def test_import_replaces_the_cart(orderer):
    cart_add(buyer=orderer, sku="DR-100", quantity=1)
    cart_import(buyer=orderer, upload=upload("sku;quantity\nGL-300;12\n"))
    assert cart_of(orderer) == {"GL-300": 12}


@pytest.mark.parametrize(
    "content",
    [
        "sku;quantity\r\nDR-100;2\r\nGL-300;6\r\n",
        "sku,quantity\nDR-100,2\nGL-300,6\n",
        "SKU\tQuantity\nDR-100\t2\nGL-300\t6\n",
        "\ufeffsku;quantity\nDR-100;2\nGL-300;6\n",
        "Article;Qty\n\nDR-100;2\n\n;\nGL-300;6\n\n",
        "Référence;Quantité\nDR-100;2,0\nGL-300;6\n",
        "Artikelnummer;Aantal\nDR-100;2\nGL-300;6\n",
        "sep=;\nsku;quantity\nDR-100;2\nGL-300;6\n",
        '"sku";"quantity";"comment"\n"DR-100";"2";"for the van"\n"GL-300";"6";""\n',
        "sku;quantity\ndr-100;2\ngl-300;6\n",  # SKUs typed in lower case
        "sku;quantity\nDR-100;1\nGL-300;6\nDR-100;1\n",  # the same SKU twice adds up
    ],
    ids=[
        "semicolon-crlf",
        "comma",
        "tab",
        "bom",
        "aliases-blank-lines",
        "french",
        "dutch",
        "sep-hint",
        "quoted",
        "lower-case",
        "repeated",
    ],
)
def test_real_world_csv_files_are_read(orderer, content):
    cart_import(buyer=orderer, upload=upload(content))
    assert cart_of(orderer) == {"DR-100": 2, "GL-300": 6}


def test_windows_1252_file_is_read(orderer):
    content = "Référence;Quantité;Désignation\nDR-100;3;Perceuse à percussion\n".encode("cp1252")
    cart_import(buyer=orderer, upload=upload(content))
    assert cart_of(orderer) == {"DR-100": 3}


def test_excel_file_is_read(orderer):
    data = xlsx([["SKU", "Quantity"], ["DR-100", 4], [None, None], ["GL-300", 12.0]])
    cart_import(buyer=orderer, upload=upload(data, "cart.xlsx"))
    assert cart_of(orderer) == {"DR-100": 4, "GL-300": 12}


def test_every_bad_line_is_reported_with_its_number_and_nothing_changes(orderer):
    cart_add(buyer=orderer, sku="DR-100", quantity=1)
    content = (
        "sku;quantity\n"
        "DR-100;2\n"  # 2: fine
        "NOPE-1;1\n"  # 3: unknown
        "SW-200;1\n"  # 4: exists, not opened to this company
        "DR-100;0\n"  # 5: zero
        "DR-100;-3\n"  # 6: negative
        "DR-100;abc\n"  # 7: not a number
        "DR-100;1,5\n"  # 8: a decimal for a piece product
        "GL-300;4\n"  # 9: below the minimum of 6
        ";3\n"  # 10: no SKU
        "DR-100;\n"  # 11: no quantity
    )
    found = problems_of(orderer, content)
    assert [line for line, _sku, _message in found] == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    messages = {line: message for line, _sku, message in found}
    assert "unknown product" in messages[3]
    assert "unknown product" in messages[4]
    assert "at least 1" in messages[5]
    assert "at least 1" in messages[6]
    assert "not a number" in messages[7]
    assert "whole number" in messages[8]
    assert "minimum order is 6" in messages[9]
    assert "SKU is missing" in messages[10]
    assert "quantity is missing" in messages[11]
    assert cart_of(orderer) == {"DR-100": 1}


def test_quantity_not_a_multiple_is_reported(orderer):
    assert problems_of(orderer, "sku;quantity\nGL-300;8\n") == [(2, "GL-300", "order in multiples of 6")]


def test_huge_quantity_is_reported(orderer):
    ((line, sku, message),) = problems_of(orderer, "sku;quantity\nDR-100;99999999999\n")
    assert (line, sku) == (2, "DR-100")
    assert "may not exceed" in message


@pytest.mark.parametrize("quantity", ["²", "٣", "\uff13", "9" * 900])
def test_quantity_in_other_digits_or_absurdly_long_is_reported_as_not_a_number(orderer, quantity):
    ((line, sku, message),) = problems_of(orderer, f"sku;quantity\nDR-100;{quantity}\n")
    assert (line, sku) == (2, "DR-100")
    assert "is not a number" in message
    assert cart_of(orderer) == {}


def test_formula_in_the_sku_cell_is_just_an_unknown_sku(orderer):
    content = "sku;quantity\n=cmd|' /C calc'!A0;1\n@SUM(1+1);1\n+1+1;1\n-2+3;1\n"
    found = problems_of(orderer, content)
    assert [(line, sku) for line, sku, _m in found] == [
        (2, "=cmd|' /C calc'!A0"),
        (3, "@SUM(1+1)"),
        (4, "+1+1"),
        (5, "-2+3"),
    ]
    assert all("unknown product" in message for _l, _s, message in found)


def test_excel_formula_cell_is_read_as_its_value_not_run(orderer):
    data = xlsx([["sku", "quantity"], ['=HYPERLINK("http://evil.example","x")', 1], ["DR-100", "=1+1"]])
    with pytest.raises(CartError) as error:
        cart_import(buyer=orderer, upload=upload(data, "cart.xlsx"))
    # openpyxl wrote no cached values: the formula cells are empty, so both lines are refused.
    assert [p.line_number for p in error.value.problems] == [2, 3]
    assert cart_of(orderer) == {}


def test_a_file_without_the_columns_is_refused_with_a_reason(orderer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        cart_import(buyer=orderer, upload=upload("product;amount\nDR-100;1\n"))
    assert "Missing column" in str(error.value)


def test_member_who_may_not_order_cannot_import(shop, company):
    from django.core.exceptions import PermissionDenied

    viewer = buyer_for(MembershipFactory(company=company, role=Role.SEE_PRICES))
    with pytest.raises(PermissionDenied):
        cart_import(buyer=viewer, upload=upload("sku;quantity\nDR-100;1\n"))


# --- Template -----------------------------------------------------------------------------------


def test_csv_template_has_the_header_and_an_orderable_example(orderer, orderer_client):
    response = orderer_client.get("/cart/import/template.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="cart-template.csv"'
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "sku;quantity"
    assert len(text.splitlines()) == 2
    cart_import(buyer=orderer, upload=upload(response.content))  # the template imports as it is
    assert len(cart_of(orderer)) == 1


def test_excel_template_has_the_header_and_an_orderable_example(orderer, orderer_client):
    response = orderer_client.get("/cart/import/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="cart-template.xlsx"'
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("sku", "quantity")
    assert len(rows) == 2
    cart_import(buyer=orderer, upload=upload(response.content, "template.xlsx"))
    assert len(cart_of(orderer)) == 1


# --- Page -----------------------------------------------------------------------------------------


def test_cart_page_warns_that_import_replaces_the_cart(orderer_client):
    page = orderer_client.get("/cart/").content.decode()
    assert "REPLACES your current cart" in page
    assert 'href="/cart/import/template.csv"' in page
    assert 'href="/cart/import/template.xlsx"' in page
    assert 'enctype="multipart/form-data"' in page


def test_upload_replaces_the_cart_and_redirects(orderer, orderer_client):
    cart_add(buyer=orderer, sku="DR-100", quantity=1)
    response = orderer_client.post("/cart/import/", {"file": upload("sku;quantity\nGL-300;6\n")})
    assert response.status_code == 302
    assert cart_of(orderer) == {"GL-300": 6}


def test_upload_with_bad_lines_lists_them_and_keeps_the_cart(orderer, orderer_client):
    cart_add(buyer=orderer, sku="DR-100", quantity=1)
    response = orderer_client.post("/cart/import/", {"file": upload("sku;quantity\nGL-300;6\nNOPE;1\nDR-100;x\n")})
    assert response.status_code == 400
    page = response.content.decode()
    assert "your cart did not change" in page
    assert '<td>3</td><td class="sku">NOPE</td>' in page
    assert '<td>4</td><td class="sku">DR-100</td><td>“x” is not a number</td>' in page
    assert cart_of(orderer) == {"DR-100": 1}


def test_oversized_upload_is_refused_before_reading(orderer, orderer_client, settings):
    settings.COMPTOIR_MAX_UPLOAD_BYTES = 1024
    cart_add(buyer=orderer, sku="DR-100", quantity=1)
    content = "sku;quantity\n" + "DR-100;1\n" * 200
    response = orderer_client.post("/cart/import/", {"file": upload(content)})
    assert response.status_code == 413
    assert "larger than 1 KB" in response.content.decode()
    assert cart_of(orderer) == {"DR-100": 1}


def test_upload_without_a_file_is_a_readable_error(orderer_client):
    response = orderer_client.post("/cart/import/", {})
    assert response.status_code == 400
    assert "Choose a CSV or Excel file" in response.content.decode()
