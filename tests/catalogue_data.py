"""A small catalogue: two brands, a season, a tag, prices at two levels, stock at two locations."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from comptoir.backoffice.models import StoreSettings
from comptoir.catalog.models import Brand, Category, Product, Season, Tag
from comptoir.core.buyer import Buyer
from comptoir.core.memo import forget
from comptoir.inventory.models import StockLevel, StockLocation
from comptoir.pricing.models import Price, PriceLevel


@dataclass
class Catalogue:
    retail: PriceLevel
    trade: PriceLevel
    brussels: StockLocation
    lyon: StockLocation
    tools: Category
    drills: Category
    acme_brand: Brand
    other_brand: Brand
    summer: Season
    promo: Tag
    drill: Product  # acme brand, in drills, tiers at trade level
    saw: Product  # other brand, summer season, in tools
    glue: Product  # other brand, promo tag
    hidden: Product  # other brand, nothing opened


@pytest.fixture
def catalogue(db):
    forget()
    retail = PriceLevel.objects.create(code="retail", name="Retail", currency="EUR")
    trade = PriceLevel.objects.create(code="trade", name="Trade", currency="EUR")
    brussels = StockLocation.objects.create(code="bru", name="Brussels")
    lyon = StockLocation.objects.create(code="lyo", name="Lyon")
    store = StoreSettings.load()
    store.default_price_level = retail
    store.default_stock_location = brussels
    store.save()
    tools = Category.objects.create(slug="tools", name_en="Tools", name_fr="Outils")
    drills = Category.objects.create(slug="drills", name_en="Drills", name_fr="Perceuses", parent=tools)
    acme_brand = Brand.objects.create(name="Bosk", slug="bosk")
    other_brand = Brand.objects.create(name="Makit", slug="makit")
    summer = Season.objects.create(code="summer", name_en="Summer")
    promo = Tag.objects.create(slug="promo", name_en="Promo")
    drill = Product.objects.create(
        sku="DR-100",
        ean="5400000000011",
        name_en="Cordless drill",
        name_fr="Perceuse sans fil",
        brand=acme_brand,
        category=drills,
    )
    saw = Product.objects.create(sku="SW-200", name_en="Hand saw", brand=other_brand, season=summer, category=tools)
    glue = Product.objects.create(sku="GL-300", name_en="Wood glue", brand=other_brand)
    glue.tags.add(promo)
    hidden = Product.objects.create(sku="HD-400", name_en="Hidden hammer", brand=other_brand, category=tools)
    for product, amount in ((drill, "100.00"), (saw, "20.00"), (glue, "5.00"), (hidden, "9.00")):
        Price.objects.create(price_level=retail, product=product, amount=Decimal(amount))
    Price.objects.create(price_level=trade, product=drill, amount=Decimal("80.00"))
    Price.objects.create(price_level=trade, product=drill, min_quantity=10, amount=Decimal("72.50"))
    StockLevel.objects.create(location=brussels, product=drill, quantity=12, allocated=2)
    StockLevel.objects.create(location=brussels, product=saw, quantity=3)
    StockLevel.objects.create(location=lyon, product=glue, quantity=500)
    yield Catalogue(
        retail, trade, brussels, lyon, tools, drills, acme_brand, other_brand, summer, promo, drill, saw, glue, hidden
    )
    forget()


def buyer_for(membership) -> Buyer:
    """The buyer context a request would build for this membership."""
    return Buyer(user=membership.user, membership=membership, permissions=membership.permissions)
