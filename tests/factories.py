"""Factories for tests: an active company with members in one line."""

from __future__ import annotations

import factory

from comptoir.accounts.models import User
from comptoir.companies.models import Address, Company, CustomerNumber, Membership
from comptoir.core.permissions import Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.django.Password(None)


class StaffFactory(UserFactory):
    email = factory.Sequence(lambda n: f"staff{n}@seller.example")
    is_staff = True
    is_superuser = True


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Company {n}")
    vat_number = factory.Sequence(lambda n: f"BE{n:010d}")
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
