"""C6 fast entry: "SKU quantity" lines ADD to the cart; bad lines are flagged and nothing is added."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comptoir.carts.line_input import parse_fast_entry
from comptoir.carts.services import CartError, cart_add, cart_fast_entry
from tests.carts.conftest import cart_of


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("DR-100 2", [(1, "DR-100", 2)]),
        ("DR-100;2", [(1, "DR-100", 2)]),
        ("DR-100\t2", [(1, "DR-100", 2)]),
        ("DR-100,2", [(1, "DR-100", 2)]),
        ("DR-100, 2", [(1, "DR-100", 2)]),
        ("DR-100 ; 2", [(1, "DR-100", 2)]),
        ("DR-100 x 2", [(1, "DR-100", 2)]),
        ("  DR-100   2  ", [(1, "DR-100", 2)]),
        ("DR-100 2,0", [(1, "DR-100", 2)]),
        ("DR-100 1 200", [(1, "DR-100", 1200)]),
        ("\nDR-100 2\n\n\nGL-300 6\n", [(2, "DR-100", 2), (5, "GL-300", 6)]),
        ("DR-100 2\r\nGL-300 6\r\n", [(1, "DR-100", 2), (2, "GL-300", 6)]),
        ("SKU\tQuantity\nDR-100\t2\nGL-300\t6", [(2, "DR-100", 2), (3, "GL-300", 6)]),  # pasted with the header
        ("Long sku name\t3", [(1, "Long sku name", 3)]),  # a spreadsheet cell may hold spaces
    ],
)
def test_lines_are_read_with_any_usual_separator(text, items):
    assert parse_fast_entry(text) == (items, [])


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("DR-100", "quantity is missing"),
        ("DR-100 1,5", "whole number"),
        ("DR-100,1,5", "whole number"),
        ("DR-100 0", "at least 1"),
        ("DR-100 -2", "at least 1"),
        ("DR-100 two", "not a number"),
        ("DR-100 ²", "“²” is not a number"),
        ("DR-100 ٣", "“٣” is not a number"),  # int() and Decimal() read 3
        ("DR-100 \uff13", "“\uff13” is not a number"),
        ("DR-100 " + "9" * 5000, "is not a number"),
        ("DR-100\t2\tcordless drill", "only a SKU and a quantity"),
        ("\t3", "SKU is missing"),
    ],
)
def test_unreadable_lines_are_flagged_with_their_number(text, reason):
    items, problems = parse_fast_entry("GL-300 6\n" + text)
    assert items == [(1, "GL-300", 6)]
    assert [p.line_number for p in problems] == [2]
    assert reason in problems[0].message


def test_empty_text_is_flagged():
    items, problems = parse_fast_entry(" \n\n")
    assert items == []
    assert "at least one line" in problems[0].message


def test_valid_lines_are_added_to_the_cart(orderer):
    cart_add(buyer=orderer, sku="DR-100", quantity=1)
    cart_fast_entry(buyer=orderer, text="DR-100 2\nGL-300;12")
    assert cart_of(orderer) == {"DR-100": 3, "GL-300": 12}


def test_unknown_invisible_and_unorderable_skus_are_flagged_before_anything_is_added(orderer, shop):
    shop.drill.is_active = False
    shop.drill.save(update_fields=["is_active"])
    cart_add(buyer=orderer, sku="GL-300", quantity=6)
    text = "GL-300 6\nNOPE 1\nSW-200 1\nDR-100 1\nGL-300 5\n"
    with pytest.raises(CartError) as error:
        cart_fast_entry(buyer=orderer, text=text)
    found = {(p.line_number, p.sku) for p in error.value.problems}
    # NOPE: unknown; SW-200: not opened to the company; DR-100: no longer sold; GL-300 6+5 = 11: not by 6.
    assert found == {(2, "NOPE"), (3, "SW-200"), (4, "DR-100"), (1, "GL-300")}
    assert cart_of(orderer) == {"GL-300": 6}


def test_too_many_lines_are_refused(settings):
    settings.COMPTOIR_MAX_CART_LINES = 1000
    items, problems = parse_fast_entry("DR-100 1\n" * 1001)
    assert items == []
    assert "at most 1000 lines" in problems[0].message


def test_page_adds_and_redirects(orderer, orderer_client):
    response = orderer_client.post("/cart/fast-entry/", {"lines": "DR-100 2\nGL-300\t6"})
    assert response.status_code == 302
    assert cart_of(orderer) == {"DR-100": 2, "GL-300": 6}


def test_page_lists_bad_lines_keeps_the_text_and_adds_nothing(orderer, orderer_client):
    response = orderer_client.post("/cart/fast-entry/", {"lines": "DR-100 2\nNOPE 1\nGL-300 1,5"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was added" in page
    assert '<td>2</td><td class="sku">NOPE</td>' in page
    assert '<td>3</td><td class="sku">GL-300</td>' in page
    assert "DR-100 2\nNOPE 1\nGL-300 1,5</textarea>" in page
    assert cart_of(orderer) == {}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.sampled_from("DR-1003GL6 \t;,.\n\r0x=é\x00"), max_size=80))
def test_any_text_adds_cleanly_or_changes_nothing(orderer, text):
    before = cart_of(orderer)
    problems = None
    try:
        cart_fast_entry(buyer=orderer, text=text)
    except CartError as error:
        problems = error.problems
    if problems is None:
        assert set(cart_of(orderer)) <= {"DR-100", "GL-300"}
    else:
        assert problems
        assert cart_of(orderer) == before


@pytest.mark.parametrize("sku", ["\x00", "DR-100\x00", "\x07BEL"])
def test_control_characters_in_a_sku_are_an_unknown_product_not_a_database_error(orderer, orderer_client, sku):
    response = orderer_client.post("/cart/fast-entry/", {"lines": f"{sku} 1"})
    assert response.status_code == 400
    assert "unknown product" in response.content.decode()
    response = orderer_client.post("/cart/add/", {"sku": sku, "quantity": "1"})
    assert response.status_code == 302
    assert cart_of(orderer) == {}
