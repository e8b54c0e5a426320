"""Deterministic demo data: the same people and companies on every run, never duplicated."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.hashers import check_password
from django.db import transaction

from comptoir.accounts.models import User
from comptoir.accounts.services import user_create
from comptoir.backoffice.models import StoreSettings
from comptoir.companies.models import Address, Company, CustomerNumber, Membership
from comptoir.core.memo import reference_changed
from comptoir.core.permissions import Role
from comptoir.inventory.models import StockLocation
from comptoir.pricing.models import PriceLevel

STAFF_EMAIL = "staff@comptoir.example"

COMPANIES = [
    # name, vat, language, customer numbers, price level, location, private message
    (
        "Acme Trading",
        "BE0987654394",
        "en",
        [("C100001", "both"), ("C100002", "delivery")],
        "trade",
        "brussels",
        "Welcome Acme! Free shipping on orders above EUR 500 this month.",
    ),
    ("Globex Supplies", "FR14987654324", "fr", [("C100003", "both")], None, "lyon", ""),
]

MEMBERS = [
    # email, full name, company, role, orders need approval, language
    ("anna@acme.example", "Anna Andersson", "Acme Trading", Role.ADMINISTRATOR, False, ""),
    ("bob@acme.example", "Bob Baker", "Acme Trading", Role.SEE_PRICES_AND_ORDER, True, ""),
    ("carl@acme.example", "Carl Carlsson", "Acme Trading", Role.ORDER_WITHOUT_PRICES, False, ""),
    ("dora@acme.example", "Dora Dupont", "Acme Trading", Role.QUICK_LISTS_ONLY, False, ""),
    ("erik@acme.example", "Erik Eriksson", "Acme Trading", Role.SEE_PRICES, False, "sv"),
    ("gina@globex.example", "Gina Girard", "Globex Supplies", Role.ADMINISTRATOR, False, "fr"),
    ("max@multi.example", "Max Multi", "Acme Trading", Role.SEE_PRICES_AND_ORDER, False, ""),
    ("max@multi.example", "Max Multi", "Globex Supplies", Role.SEE_PRICES_AND_ORDER, False, ""),
    ("max+globex@multi.example", "Max Multi (Globex)", "Globex Supplies", Role.SEE_PRICES_AND_ORDER, False, ""),
]


@transaction.atomic
def seed_people(*, staff_password: str) -> set[str]:
    """Create the demo people, companies and store settings that are missing; return the companies created.

    A row that exists is left exactly as it is (a price level, a private message, a role, a
    password, a deactivated membership...): staff may have changed it in the back office, and
    running the seed again must not undo that or sign anyone out.
    """
    reference_changed()  # price levels, stock locations and the store settings (once, on commit)
    levels = {
        code: PriceLevel.objects.get_or_create(code=code, defaults={"name": name, "currency": "EUR"})[0]
        for code, name in [("retail", "Retail"), ("trade", "Trade"), ("wholesale", "Wholesale")]
    }
    locations = {
        code: StockLocation.objects.get_or_create(
            code=code, defaults={"name": name, "default_shipping_cost": Decimal(cost)}
        )[0]
        for code, name, cost in [("brussels", "Brussels warehouse", "15.00"), ("lyon", "Lyon warehouse", "19.50")]
    }
    if not StoreSettings.objects.filter(pk=1).exists():
        store = StoreSettings.load()
        store.default_price_level = levels["retail"]
        store.default_stock_location = locations["brussels"]
        store.request_access_enabled = True
        store.save()

    if not User.objects.filter(email=STAFF_EMAIL).exists():
        user_create(
            email=STAFF_EMAIL, full_name="Sam Seller", password=staff_password, is_staff=True, is_superuser=True
        )

    companies = {}
    created_companies: set[str] = set()
    for name, vat, language, numbers, level, location, message in COMPANIES:
        company, created = Company.objects.get_or_create(
            name=name,
            defaults={
                "vat_number": vat,
                "language": language,
                "status": Company.Status.ACTIVE,
                "price_level": levels.get(level or ""),
                "stock_location": locations[location],
                "private_message": message,
                "email": f"orders@{name.split()[0].lower()}.example",
            },
        )
        companies[name] = company
        if not created:
            continue
        created_companies.add(name)
        city = "Brussels" if location == "brussels" else "Lyon"
        country = "BE" if location == "brussels" else "FR"
        billing = Address.objects.create(
            company=company,
            kind=Address.Kind.BILLING,
            name=name,
            street="1 Market Street",
            postcode="1000",
            city=city,
            country=country,
        )
        Address.objects.create(
            company=company,
            kind=Address.Kind.DELIVERY,
            name=f"{name} warehouse",
            street="9 Dock Road",
            postcode="1020",
            city=city,
            country=country,
        )
        for number, kind in numbers:
            CustomerNumber.objects.get_or_create(
                number=number, defaults={"company": company, "kind": kind, "address": billing}
            )

    for email, full_name, company_name, role, approval, language in MEMBERS:
        user = User.objects.filter(email=email).first() or user_create(
            email=email, full_name=full_name, language=language
        )
        membership, created = Membership.objects.get_or_create(
            user=user,
            company=companies[company_name],
            defaults={"role": role, "orders_need_approval": approval, "is_active": True},
        )
        if created:
            membership.customer_numbers.set(companies[company_name].customer_numbers.all())
    return created_companies


def staff_password_is(password: str) -> bool:
    """Whether the demo staff login still has ``password`` (staff may have changed it since)."""
    staff = User.objects.filter(email=STAFF_EMAIL).first()
    return staff is not None and check_password(password, staff.password)
