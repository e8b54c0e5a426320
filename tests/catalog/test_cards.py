"""Catalogue cards are built in Python (catalog/cards.py): everything a staff member or an import
typed must come out escaped, and what a member may not see must not be there at all."""

import re
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.utils import translation
from django.utils.html import escape, format_html

from comptoir.catalog.cards import product_grid
from comptoir.catalog.models import Brand, Product
from comptoir.catalog.selectors import ListedProduct
from comptoir.inventory.models import StockLevel
from comptoir.inventory.selectors import Availability
from comptoir.pricing.models import Price
from comptoir.pricing.selectors import PriceInfo
from tests.factories import MembershipFactory

HOSTILE = ListedProduct(
    pk=7,
    sku='X"><script>1</script>',
    name="<img src=x onerror=alert(1)>",
    brand_id=3,
    first_image='products/a"b.png',
    min_order_quantity=5,
    order_multiple=5,
)


def grid(**kwargs) -> str:
    options = {
        "prices": {7: PriceInfo(currency="EUR", tiers=((1, Decimal("9.50")), (10, Decimal("9.00"))))},
        "availability": {7: Availability(available=3, status="low", show_quantity=False)},
        "brand_names": {3: "Bosk & <Sons>"},
        "priced": {7},
        "sees_prices": True,
        "can_order": True,
        "csrf_token": "tok",
        "next_url": '/catalogue/?q="><b>',
        "add_url": "/cart/add/",
    }
    options.update(kwargs)
    with translation.override("en"):
        return str(product_grid([HOSTILE], options.pop("prices"), options.pop("availability"), **options))


def test_every_value_is_escaped():
    html = grid()
    for raw in (HOSTILE.sku, HOSTILE.name, "Bosk & <Sons>", '/catalogue/?q="><b>'):
        assert raw not in html
        assert escape(raw) in html
    assert "<script>" not in html
    assert "onerror=alert(1)>" not in html
    assert 'src="/media/products/a%22b.png"' in html


def test_a_card_shows_price_tiers_stock_and_the_add_form():
    html = grid()
    assert '<span class="price">9.50 EUR</span> <span class="muted vat-note">excl. VAT</span>' in html
    assert "volume prices" in html
    assert '<span class="stock stock-low">Low stock</span>' in html
    assert 'name="quantity" value="5" min="5" step="5"' in html
    assert 'name="csrfmiddlewaretoken" value="tok"' in html


def test_without_prices_or_ordering_rights_nothing_of_them_is_there():
    html = grid(prices={}, sees_prices=False, can_order=False)
    assert "9.50" not in html
    assert "price" not in html
    assert "<form" not in html


def test_cards_kept_per_process_follow_the_language():
    options = {
        "priced": {7},
        "sees_prices": True,
        "can_order": True,
        "csrf_token": "t",
        "next_url": "/",
        "add_url": "/cart/add/",
    }
    prices = {7: PriceInfo(currency="EUR", tiers=((1, Decimal("1234.50")),))}
    with translation.override("fr"):
        french = str(product_grid([HOSTILE], prices, {}, {}, **options))
    with translation.override("en"):
        english = str(product_grid([HOSTILE], prices, {}, {}, **options))
    assert "Ajouter" in french
    assert "Ajouter" not in english
    assert "1,234.50 EUR" in english
    assert "1\xa0234,50 EUR" in french


def test_a_product_without_a_price_is_on_request_and_offers_no_add_form():
    html = grid(prices={}, priced=set())
    assert '<span class="price on-request">Price on request</span>' in html
    assert "0.00" not in html
    assert "<form" not in html


def test_a_product_without_a_price_shows_a_member_without_prices_no_price_and_no_add_form():
    html = grid(prices={}, priced=set(), sees_prices=False)
    assert "price" not in html.lower()
    assert "<form" not in html


def test_a_cards_excl_vat_follows_the_language_though_the_price_text_is_the_same():
    """The price's HTML is kept per process: "100 EUR" in English must not come back in Swedish with "excl. VAT"."""
    options = {"can_order": False, "csrf_token": "t", "next_url": "/", "add_url": "/cart/add/", "sees_prices": True}
    prices = {7: PriceInfo(currency="EUR", tiers=((1, Decimal("100")),))}
    notes = {}
    for language in ("en", "fr", "nl", "sv"):
        with translation.override(language):
            html = str(product_grid([HOSTILE], prices, {}, {}, priced={7}, **options))
        notes[language] = html.split('class="muted vat-note">')[1].split("<")[0]
    assert notes == {"en": "excl. VAT", "fr": "HT", "nl": "excl. btw", "sv": "exkl. moms"}


# What a staff member or an import could type: markup, quotes of both kinds, str.format braces and
# printf placeholders (the builder must neither run nor drop them).
HOSTILE_SKU = "Z'\"<script>{0}{sku}%s%(sku)s"
HOSTILE_NAME = '<script>alert("{}")</script> %s %(name)s {0}'
HOSTILE_BRAND = 'Bosk\' & "<Sons>" {} %s'


@pytest.fixture
def hostile_product(catalogue):
    brand = Brand.objects.create(name=HOSTILE_BRAND, slug="hostile")
    product = Product.objects.create(sku=HOSTILE_SKU, name_en=HOSTILE_NAME, brand=brand)
    Price.objects.create(price_level=catalogue.retail, product=product, amount=Decimal("3.00"))
    Price.objects.create(price_level=catalogue.retail, product=product, min_quantity=10, amount=Decimal("2.50"))
    StockLevel.objects.create(location=catalogue.brussels, product=product, quantity=4)
    return product


@pytest.fixture
def orderer_client(client, company):
    membership = MembershipFactory(company=company)
    client.force_login(membership.user)
    return client


def assert_escaped(page: str, *texts: str) -> None:
    for text in texts:
        assert escape(text) in page
    # None of the raw text, nor any of its markup, reaches the page.
    for text in texts:
        assert text not in page
    assert "<script>alert" not in page
    assert '"<Sons>"' not in page


def test_hostile_names_skus_and_brands_come_out_escaped_on_the_listing(orderer_client, hostile_product):
    page = orderer_client.get("/catalogue/", {"q": "alert"}).content.decode()
    assert 'class="product-card"' in page
    assert_escaped(page, HOSTILE_SKU, HOSTILE_NAME, HOSTILE_BRAND)
    assert f'name="sku" value="{escape(HOSTILE_SKU)}"' in page
    assert f'aria-label="Add {escape(HOSTILE_SKU)} to cart"' in page
    assert f'href="/catalogue/p/{quote(HOSTILE_SKU, safe="")}/"' in page


def test_hostile_names_skus_and_brands_come_out_escaped_on_the_product_page(orderer_client, hostile_product):
    page = orderer_client.get(f"/catalogue/p/{quote(HOSTILE_SKU, safe='')}/").content.decode()
    assert 'class="add-to-cart"' in page
    assert_escaped(page, HOSTILE_SKU, HOSTILE_NAME, HOSTILE_BRAND)
    assert f'name="sku" value="{escape(HOSTILE_SKU)}"' in page
    assert '<span class="price">3.00 EUR</span> <span class="muted vat-note">excl. VAT</span>' in page
    assert '<span class="stock stock-low">' in page or '<span class="stock stock-in">' in page


def form_of(html: str) -> str:
    start = html.index('<form method="post" action="/cart/add/"')
    return html[start : html.index("</form>", start) + len("</form>")]


def without_page_and_labels(form: str) -> str:
    """A form but for what differs by page (where to come back, the token), its labels' wording and the
    spaces between its elements."""
    form = re.sub(r'<input type="hidden" name="(next|csrfmiddlewaretoken)" value="[^"]*">', "", form)
    form = re.sub(r"<label [^>]*>[^<]*</label>", "<label>", form)
    return re.sub(r' aria-label="[^"]*"', "", form).replace("> <", "><")


def test_the_product_page_shows_a_cards_price_stock_and_form(orderer_client, hostile_product):
    """One builder: the product page's price, stock and add-to-cart form are a card's (the page's
    form has a visible "Quantity" label; a card's names the product to screen readers instead)."""
    listing = orderer_client.get("/catalogue/", {"q": "alert"}).content.decode()
    page = orderer_client.get(f"/catalogue/p/{quote(HOSTILE_SKU, safe='')}/").content.decode()
    card = listing.split('<li class="product-card">')[1].split("</li>")[0]
    price = re.search(r'<span class="price">.*?volume prices</span>', card)[0]
    stock = re.search(r'<span class="stock [^"]*">[^<]*</span>', card)[0]
    assert f'<p class="price-line">{price}</p>' in page
    assert f"<p>{stock}</p>" in page
    assert without_page_and_labels(form_of(page)) == without_page_and_labels(form_of(card))
    assert '<label for="add-qty-' in form_of(page)
    assert '<label for="add-qty-' in form_of(card)


def test_a_plain_string_among_the_pieces_of_a_page_is_refused_not_shown():
    from comptoir.catalog.cards import _join

    with pytest.raises(TypeError):
        _join([format_html("<b>{}</b>", "x"), "<script>1</script>"])
    assert _join([format_html("<b>{}</b>", "<i>")]) == "<b>&lt;i&gt;</b>"
