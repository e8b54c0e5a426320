"""B1-B6 in a real browser: browse a category, filter with htmx, search by SKU and name, ask to be
notified of an out-of-stock product, and get the product images through the link that arrives by mail."""

from __future__ import annotations

import io
import zipfile

import pytest
from playwright.sync_api import expect

from comptoir.inventory.models import BackInStockAlert
from tests.e2e.conftest import login, shot, wait_for_mail
from tests.factories import MembershipFactory, ProductImageFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def shop(catalogue, company, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ProductImageFactory(product=catalogue.drill)
    ProductImageFactory(product=catalogue.drill)
    MembershipFactory(company=company, user__email="nina@acme.test", user__full_name="Nina Buyer")
    return catalogue


def test_buyer_browses_filters_and_searches(page, site, real_mail, shop):
    login(page, site, real_mail, "nina@acme.test")
    page.get_by_role("link", name="Catalogue").first.click()
    page.get_by_role("link", name="Tools", exact=True).click()
    expect(page.get_by_role("heading", name="Tools")).to_be_visible()
    expect(page.get_by_text("Cordless drill")).to_be_visible()  # in Drills, a child of Tools
    expect(page.get_by_text("Wood glue")).to_have_count(0)
    page.get_by_label("Brand", exact=True).select_option(label="Makit")  # htmx swaps the results
    expect(page.get_by_text("Cordless drill")).to_have_count(0)
    expect(page.get_by_text("Hand saw")).to_be_visible()
    shot(page, "catalogue")
    page.get_by_role("link", name="Home").click()
    page.get_by_label("Search by SKU, EAN, name or brand").fill("DR-100")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="Results for “DR-100”")).to_be_visible()
    page.get_by_role("link", name="Cordless drill").click()
    expect(page.get_by_role("heading", name="Cordless drill")).to_be_visible()
    expect(page.get_by_text("100.00 EUR")).to_be_visible()


def test_unknown_product_offers_to_ask_the_seller(page, site, real_mail, shop):
    login(page, site, real_mail, "nina@acme.test")
    page.goto(f"{site.url}/catalogue/search/?q=flux+capacitor")
    expect(page.get_by_text("No product found.")).to_be_visible()
    page.get_by_label("What are you looking for?").fill("A flux capacitor, 1.21 GW")
    page.get_by_role("button", name="Ask us for this product").click()
    expect(page.get_by_text("We will look for this product")).to_be_visible()


def test_notify_me_when_an_out_of_stock_product_is_back(page, site, real_mail, shop):
    login(page, site, real_mail, "nina@acme.test")
    page.goto(f"{site.url}/catalogue/p/GL-300/")  # stocked in Lyon only; the shop serves from Brussels
    expect(page.get_by_text("Out of stock")).to_be_visible()
    page.get_by_role("button", name="Notify me when available").click()
    expect(page.get_by_role("button", name="Notify me when available")).to_have_count(0)
    assert BackInStockAlert.objects.filter(user__email="nina@acme.test", product=shop.glue).exists()


def test_product_images_arrive_as_a_link_that_downloads_a_zip(page, site, real_mail, shop):
    login(page, site, real_mail, "nina@acme.test")
    page.goto(f"{site.url}/catalogue/p/DR-100/")
    page.get_by_role("button", name="E-mail me the images").click()
    expect(page.get_by_text("We e-mail you a link to the images")).to_be_visible()
    message = wait_for_mail(real_mail, "nina@acme.test")
    link = next(
        url
        for url in (line.strip() for line in message.get_body(("plain",)).get_content().split())
        if "/images/download/" in url
    )
    with page.expect_download() as download_info:
        page.evaluate("url => { window.location.href = url; }", link)
    archive = zipfile.ZipFile(io.BytesIO(download_info.value.path().read_bytes()))
    assert sorted(archive.namelist()) == ["DR-100-1.png", "DR-100-2.png"]


def test_catalogue_search_box_searches_within_the_chosen_category(page, site, real_mail, shop):
    login(page, site, real_mail, "nina@acme.test")
    page.goto(f"{site.url}/catalogue/?category=tools")
    page.get_by_label("Search by SKU, EAN, name or brand").fill("saw")
    page.get_by_label("Search by SKU, EAN, name or brand").press("Enter")  # htmx swaps the results
    expect(page.get_by_role("heading", name="Results for “saw”")).to_be_visible()
    expect(page.get_by_text("Hand saw")).to_be_visible()
    expect(page.get_by_text("Cordless drill")).to_have_count(0)
    assert "q=saw" in page.url
    assert "category=tools" in page.url


def test_filter_bar_offers_only_the_customers_brands(page, site, real_mail, shop, company):
    company.visible_brands.add(shop.acme_brand)
    login(page, site, real_mail, "nina@acme.test")
    page.get_by_role("link", name="Catalogue").first.click()
    brands = page.get_by_label("Brand", exact=True).locator("option").all_inner_texts()
    assert brands == ["All brands", "Bosk"]
    expect(page.get_by_text("Makit")).to_have_count(0)


def test_product_without_a_price_is_on_request(page, site, real_mail, shop):
    from comptoir.catalog.models import Product

    Product.objects.create(sku="VC-500", name_en="Bench vice", brand=shop.acme_brand, category=shop.tools)
    login(page, site, real_mail, "nina@acme.test")
    page.goto(f"{site.url}/catalogue/p/VC-500/")
    expect(page.get_by_text("Price on request")).to_be_visible()
    expect(page.get_by_role("button", name="Add to cart")).to_have_count(0)
    expect(page.get_by_text("To order this product, contact us.")).to_be_visible()
