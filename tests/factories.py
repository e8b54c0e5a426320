"""Factories for tests: an active company with members in one line."""

from __future__ import annotations

from decimal import Decimal

import factory

from comptoir.accounts.models import User
from comptoir.accounts.services import user_address_record
from comptoir.companies.models import Address, Company, CustomerNumber, Membership
from comptoir.core.memo import reference_changed
from comptoir.core.permissions import Role


def belgian_vat_number(n: int) -> str:
    """A well-formed Belgian VAT number with the right check digits, different for each ``n``."""
    base = f"0{200_000 + n:07d}"
    return f"BE{base}{97 - int(base) % 97:02d}"


class ReferenceDataFactory(factory.django.DjangoModelFactory):
    """A row under the reference version (``core.memo``): made like the back office makes it,
    which moves the version on."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = super()._create(model_class, *args, **kwargs)
        reference_changed()
        return obj


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.django.Password(None)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Made like ``accounts.services.user_create`` makes a person: with their address record."""
        user = super()._create(model_class, *args, **kwargs)
        user_address_record(user=user)
        return user


class StaffFactory(UserFactory):
    email = factory.Sequence(lambda n: f"staff{n}@seller.example")
    is_staff = True
    is_superuser = True


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Company {n}")
    vat_number = factory.Sequence(belgian_vat_number)
    status = Company.Status.ACTIVE
    language = "en"


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    company = factory.SubFactory(CompanyFactory)
    kind = Address.Kind.BILLING
    name = factory.LazyAttribute(lambda o: o.company.name)
    street = "1 Main Street"
    postcode = "1000"
    city = "Brussels"
    country = "BE"


class CustomerNumberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerNumber

    company = factory.SubFactory(CompanyFactory)
    number = factory.Sequence(lambda n: f"T{n:06d}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory)
    role = Role.SEE_PRICES_AND_ORDER


class AdminMembershipFactory(MembershipFactory):
    role = Role.ADMINISTRATOR


# --- Catalogue, prices, stock -----------------------------------------------------------


class CategoryFactory(ReferenceDataFactory):
    class Meta:
        model = "catalog.Category"

    slug = factory.Sequence(lambda n: f"category-{n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")


class BrandFactory(ReferenceDataFactory):
    class Meta:
        model = "catalog.Brand"

    name = factory.Sequence(lambda n: f"Brand {n}")
    slug = factory.Sequence(lambda n: f"brand-{n}")


class SeasonFactory(ReferenceDataFactory):
    class Meta:
        model = "catalog.Season"

    code = factory.Sequence(lambda n: f"season-{n}")
    name_en = factory.Sequence(lambda n: f"Season {n}")


class TagFactory(ReferenceDataFactory):
    class Meta:
        model = "catalog.Tag"

    slug = factory.Sequence(lambda n: f"tag-{n}")
    name_en = factory.Sequence(lambda n: f"Tag {n}")


class ProductFactory(ReferenceDataFactory):
    class Meta:
        model = "catalog.Product"

    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    name_en = factory.Sequence(lambda n: f"Product {n}")


class ProductImageFactory(ReferenceDataFactory):
    """A real (tiny) image file in the default storage: point MEDIA_ROOT at ``tmp_path`` in the test."""

    class Meta:
        model = "catalog.ProductImage"

    product = factory.SubFactory(ProductFactory)
    image = factory.django.ImageField(filename="image.png", format="PNG", width=4, height=4, color="green")
    position = factory.Sequence(lambda n: n)


class PriceLevelFactory(ReferenceDataFactory):
    class Meta:
        model = "pricing.PriceLevel"

    code = factory.Sequence(lambda n: f"level-{n}")
    name = factory.Sequence(lambda n: f"Price level {n}")
    currency = "EUR"


class PriceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "pricing.Price"

    price_level = factory.SubFactory(PriceLevelFactory)
    product = factory.SubFactory(ProductFactory)
    min_quantity = 1
    amount = Decimal("10.0000")


class StockLocationFactory(ReferenceDataFactory):
    class Meta:
        model = "inventory.StockLocation"

    code = factory.Sequence(lambda n: f"warehouse-{n}")
    name = factory.Sequence(lambda n: f"Warehouse {n}")


class StockLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "inventory.StockLevel"

    location = factory.SubFactory(StockLocationFactory)
    product = factory.SubFactory(ProductFactory)
    quantity = 10
    allocated = 0
