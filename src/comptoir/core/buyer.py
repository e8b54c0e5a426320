"""The buyer context: who is buying, for which company, with which rights.

Resolved once per request by ``BuyerContextMiddleware`` (``request.buyer``).
Memberships are read on every request, never cached, so a deactivated member
or a suspended company loses access on the very next request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

from comptoir.core import rawsql

if TYPE_CHECKING:
    from comptoir.accounts.models import User
    from comptoir.backoffice.models import StoreSettings
    from comptoir.catalog.selectors import Selection
    from comptoir.companies.models import Company, Membership
    from comptoir.inventory.models import StockLocation
    from comptoir.pricing.models import PriceLevel

SESSION_COMPANY_KEY = "comptoir_company_id"


@dataclass(frozen=True)
class Buyer:
    """Who is buying, for which company, with which rights: a frozen value built by ``Buyer.of``
    (for the request, ``resolve_buyer``; for background work, ``buyer_for_company``); other
    rights mean another buyer (``dataclasses.replace``). What it reads (the
    reference version, store settings, price level, stock location, the customer's selection) is
    read once, when first asked for."""

    user: User
    membership: Membership
    permissions: frozenset[str] = field(default_factory=frozenset)

    @property
    def company(self) -> Company:
        return self.membership.company

    @property
    def company_id(self) -> int:
        return self.membership.company_id

    @classmethod
    def of(cls, user: User, membership: Membership) -> Buyer:
        """The buyer ``user`` is when working through ``membership`` (one of their active ones)."""
        return cls(user=user, membership=membership, permissions=membership.permissions)

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    @property
    def sees_prices(self) -> bool:
        return self.can("see_prices")

    @cached_property
    def reference_version(self) -> str:
        """The shared version of store settings and catalogue, read once per request."""
        from comptoir.core.memo import reference_version

        return reference_version()

    @cached_property
    def store_settings(self) -> StoreSettings:
        from comptoir.backoffice.models import StoreSettings

        return StoreSettings.current(self.reference_version)

    @cached_property
    def price_level(self) -> PriceLevel | None:
        """The customer's price level, or the store default."""
        level_id = self.company.price_level_id
        if level_id is None:
            return self.store_settings.default_price_level
        return _levels_and_locations(self.reference_version)[0].get(level_id) or self.company.price_level

    @cached_property
    def stock_location(self) -> StockLocation | None:
        """The customer's stock location, or the store default."""
        location_id = self.company.stock_location_id
        if location_id is None:
            return self.store_settings.default_stock_location
        return _levels_and_locations(self.reference_version)[1].get(location_id) or self.company.stock_location

    @cached_property
    def selection(self) -> Selection:
        """The tags, seasons and brands opened to the company, else the store's default selection:
        read once per request, when first asked for (``catalog.selectors.selection_for``)."""
        from comptoir.catalog.selectors import read_selection

        return read_selection(self.company_id, self.store_settings.pk)


def _levels_and_locations(version: str) -> tuple[dict[int, PriceLevel], dict[int, StockLocation]]:
    """Price levels and stock locations by id: a few rows, kept per process under the shared
    version that their write paths move (``core.memo.reference_changed``). One created since is
    read directly."""
    from comptoir.core.cachekeys import cache_key
    from comptoir.core.memo import remembered
    from comptoir.inventory.models import StockLocation
    from comptoir.pricing.models import PriceLevel

    def load() -> tuple[dict[int, PriceLevel], dict[int, StockLocation]]:
        return {lvl.pk: lvl for lvl in PriceLevel.objects.all()}, {loc.pk: loc for loc in StockLocation.objects.all()}

    return remembered(cache_key("store:levels", version), load, ttl=60)


def active_memberships(user: Any) -> list[Membership]:
    """The user's active memberships (``MembershipQuerySet.active``), by company name, each with its company.

    Read on every request, so in SQL written once (core/rawsql.py) rather than built by the ORM
    each time; the same rule as the queryset method (tests/companies/test_active_memberships.py
    compares them). Price level and stock location: see Buyer.price_level.
    """
    from comptoir.companies.models import Company, Membership

    # An inactive account has no active membership: known from the user row already read.
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    membership_fields = rawsql.concrete_fields(Membership)
    company_fields = rawsql.concrete_fields(Company)
    split = len(membership_fields)
    rows = rawsql.fetch(_memberships_sql(), [user.pk, True, Company.Status.ACTIVE], membership_fields + company_fields)
    result = []
    for row in rows:
        membership = rawsql.instance(Membership, row[:split])
        Membership.company.field.set_cached_value(membership, rawsql.instance(Company, row[split:]))
        result.append(membership)
    return result


@cache
def _memberships_sql() -> str:
    from comptoir.companies.models import Company, Membership

    def col(model: Any, name: str, alias: str) -> str:
        return rawsql.column(model, name, alias)

    return (
        f"SELECT {rawsql.all_columns(Membership, 'm')}, {rawsql.all_columns(Company, 'c')} "  # noqa: S608
        f"FROM {rawsql.table(Membership)} m INNER JOIN {rawsql.table(Company)} c "
        f"ON {col(Company, 'id', 'c')} = {col(Membership, 'company', 'm')} "
        f"WHERE {col(Membership, 'user', 'm')} = %s AND {col(Membership, 'is_active', 'm')} = %s "
        f"AND {col(Company, 'status', 'c')} = %s "
        f"ORDER BY {col(Company, 'name', 'c')}, {col(Membership, 'company', 'm')}"
    )


def resolve_buyer(user: Any, memberships: list[Membership], selected_company_id: Any) -> Buyer | None:
    """The buyer for the selected company; a single membership is selected by itself."""
    chosen = None
    for membership in memberships:
        if str(membership.company_id) == str(selected_company_id):
            chosen = membership
            break
    if chosen is None and len(memberships) == 1:
        chosen = memberships[0]
    if chosen is None:
        return None
    return Buyer.of(user, chosen)


def buyer_for_company(user: User, company_id: int) -> Buyer | None:
    """The buyer ``user`` would be when working for ``company_id``, or None without an active membership
    (an inactive account has none).

    For background work (mails, archives) that must act with the rights the member has now, not
    those they had when they asked.
    """
    for membership in active_memberships(user):
        if membership.company_id == company_id:
            return Buyer.of(user, membership)
    return None
