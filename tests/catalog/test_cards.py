"""Catalogue cards are built in Python (catalog/cards.py): everything a staff member or an import
typed must come out escaped, and what a member may not see must not be there at all."""

from decimal import Decimal

from django.utils import translation
from django.utils.html import escape

from comptoir.catalog.cards import product_grid
from comptoir.catalog.selectors import ListedProduct
from comptoir.inventory.selectors import Availability
from comptoir.pricing.selectors import PriceInfo

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
