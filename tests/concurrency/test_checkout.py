"""Checkout under contention (SECURITY 31, 32, 34, 35; PRODUCT C7, C13): real threads, real connections.

Each thread builds its buyer from the database, as a request would, and places an order
through the service on its own PostgreSQL connection; the threads start together.
"""

from __future__ import annotations

import random
import threading
import time
from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, InterfaceError, OperationalError, connection
from django.db.models import F, Sum

from comptoir.carts.models import CartLine
from comptoir.carts.services import cart_add, cart_line_set_quantity
from comptoir.catalog.models import Product
from comptoir.companies.models import Membership
from comptoir.core.models import AuditEvent
from comptoir.inventory.models import StockLevel
from comptoir.orders import services
from comptoir.orders.models import Order, OrderLine
from comptoir.orders.services import OrderError, order_place, order_place_scan_list
from comptoir.pricing.models import Price
from tests.catalogue_data import buyer_for
from tests.concurrency.threads import Outcome, run_at_once
from tests.factories import CompanyFactory, MembershipFactory
from tests.orders.conftest import ADDRESS

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def stocked(catalogue, sku: str, quantity: int) -> Product:
    """A product at retail price with ``quantity`` units in Brussels (the store's default location)."""
    product = Product.objects.create(sku=sku, name_en=f"Product {sku}", brand=catalogue.acme_brand)
    Price.objects.create(price_level=catalogue.retail, product=product, amount=Decimal("10.00"))
    StockLevel.objects.create(location=catalogue.brussels, product=product, quantity=quantity)
    return product


def level(product: Product) -> StockLevel:
    return StockLevel.objects.get(product=product)


def placing(membership_id: int, key: str):
    """What one checkout request does: load the member's buyer context, place the order."""

    def call() -> Order:
        membership = Membership.objects.select_related("user", "company").get(pk=membership_id)
        return order_place(buyer=buyer_for(membership), checkout_key=key, delivery=ADDRESS, billing_number=None)

    return call


def members(company, count: int, spread: bool) -> list[Membership]:
    """``count`` ordering members: all in ``company``, or each in a company of their own."""
    return [
        MembershipFactory(company=company if not spread else CompanyFactory(), user__email=f"buyer{i}@conc.test")
        for i in range(count)
    ]


def unexpected(outcomes: list[Outcome]) -> list[BaseException]:
    """Errors a buyer would see as a server error: anything but a clear OrderError."""
    return [o.error for o in outcomes if o.error is not None and not isinstance(o.error, OrderError)]


def test_the_suite_runs_without_a_test_wide_transaction():
    assert not connection.in_atomic_block
    assert connection.vendor == "postgresql"


# --- 31: the last unit ------------------------------------------------------------------------


@pytest.mark.parametrize("spread", [False, True], ids=["one-company", "twenty-companies"])
def test_twenty_buyers_for_the_last_unit_make_exactly_one_order(catalogue, company, spread):
    last = stocked(catalogue, "LAST-1", quantity=1)
    buyers = members(company, 20, spread)
    for membership in buyers:
        cart_add(buyer=buyer_for(membership), sku=last.sku, quantity=1)

    outcomes = run_at_once([placing(m.pk, f"last-{i}") for i, m in enumerate(buyers)])

    assert unexpected(outcomes) == []
    placed = [o.value for o in outcomes if o.error is None]
    refused = [o.error for o in outcomes if o.error is not None]
    assert len(placed) == 1
    assert len(refused) == 19
    for error in refused:
        assert error.messages == ["LAST-1 Product LAST-1: 1 requested, 0 available."]
    assert Order.objects.count() == 1
    assert OrderLine.objects.get().quantity == 1
    stock = level(last)
    assert (stock.quantity, stock.allocated) == (1, 1)
    winner = placed[0].created_by_id
    assert not CartLine.objects.filter(cart__user_id=winner).exists()
    assert CartLine.objects.exclude(cart__user_id=winner).count() == 19  # refused carts are left as they were


def test_many_buyers_for_a_few_units_never_oversell(catalogue, company):
    scarce = stocked(catalogue, "SCARCE-5", quantity=5)
    buyers = members(company, 20, spread=True)
    rng = random.Random(7)
    wanted = {}
    for membership in buyers:
        wanted[membership.user_id] = rng.randint(1, 3)
        cart_add(buyer=buyer_for(membership), sku=scarce.sku, quantity=wanted[membership.user_id])

    outcomes = run_at_once([placing(m.pk, f"scarce-{i}") for i, m in enumerate(buyers)])

    assert unexpected(outcomes) == []
    placed = [o.value for o in outcomes if o.error is None]
    assert placed, "at least the first buyer gets units"
    stock = level(scarce)
    ordered = OrderLine.objects.aggregate(units=Sum("quantity"))["units"]
    assert ordered == stock.allocated == sum(wanted[o.created_by_id] for o in placed)
    assert 0 <= stock.allocated <= stock.quantity == 5
    for error in (o.error for o in outcomes if o.error is not None):
        assert "requested" in error.messages[0]
        assert "available" in error.messages[0]


@pytest.mark.parametrize(
    "change",
    [{"allocated": F("quantity") + 1}, {"allocated": -1}, {"quantity": -1, "allocated": -1}],
    ids=["allocated-above-quantity", "allocated-negative", "quantity-negative"],
)
def test_the_database_refuses_an_oversold_or_negative_stock_row(catalogue, change):
    """The last guard, whatever code writes the row: the CheckConstraints on StockLevel."""
    row = stocked(catalogue, "GUARD-1", quantity=1)
    with pytest.raises(IntegrityError):
        StockLevel.objects.filter(product=row).update(**change)
    assert (level(row).quantity, level(row).allocated) == (1, 0)


# --- 32: lines in opposite orders ------------------------------------------------------------


@pytest.mark.parametrize("units", [100, 1], ids=["ample-stock", "one-unit-each"])
def test_opposite_line_orders_never_deadlock(catalogue, company, units):
    a = stocked(catalogue, "AAA-1", quantity=units)
    b = stocked(catalogue, "BBB-1", quantity=units)
    first, second = members(company, 2, spread=False)
    for round_ in range(30):
        StockLevel.objects.filter(product__in=[a, b]).update(allocated=0)
        CartLine.objects.all().delete()
        cart_add(buyer=buyer_for(first), sku=a.sku, quantity=1)
        cart_add(buyer=buyer_for(first), sku=b.sku, quantity=1)
        cart_add(buyer=buyer_for(second), sku=b.sku, quantity=1)
        cart_add(buyer=buyer_for(second), sku=a.sku, quantity=1)

        outcomes = run_at_once([placing(first.pk, f"ab-{round_}"), placing(second.pk, f"ba-{round_}")])

        assert unexpected(outcomes) == [], f"round {round_}"
        placed = [o for o in outcomes if o.error is None]
        if units == 1:  # one unit of each: exactly one of the two orders can be served
            assert len(placed) == 1, f"round {round_}"
            refused = next(o.error for o in outcomes if o.error)
            assert "1 requested, 0 available" in " ".join(refused.messages)
        else:
            assert len(placed) == 2, f"round {round_}"
        for product in (a, b):
            stock = level(product)
            assert stock.allocated == (1 if units == 1 else 2)
            assert 0 <= stock.allocated <= stock.quantity


# --- 34: the same cart twice ------------------------------------------------------------------


def test_same_cart_same_key_twice_at_once_gives_one_order_to_both(catalogue, company):
    item = stocked(catalogue, "TWICE-1", quantity=1000)
    (buyer,) = members(company, 1, spread=False)
    for round_ in range(10):
        cart_add(buyer=buyer_for(buyer), sku=item.sku, quantity=2)

        outcomes = run_at_once([placing(buyer.pk, f"double-{round_}"), placing(buyer.pk, f"double-{round_}")])

        assert [o.error for o in outcomes] == [None, None], f"round {round_}"
        assert outcomes[0].value.pk == outcomes[1].value.pk
        assert outcomes[0].value.number == outcomes[1].value.number != ""
    assert Order.objects.count() == 10
    assert level(item).allocated == 2 * 10


def test_same_cart_with_two_keys_at_once_gives_one_order_and_an_empty_cart(catalogue, company):
    item = stocked(catalogue, "TWICE-2", quantity=1000)
    (buyer,) = members(company, 1, spread=False)
    for round_ in range(10):
        cart_add(buyer=buyer_for(buyer), sku=item.sku, quantity=2)

        outcomes = run_at_once([placing(buyer.pk, f"tab-a-{round_}"), placing(buyer.pk, f"tab-b-{round_}")])

        assert unexpected(outcomes) == [], f"round {round_}"
        assert len([o for o in outcomes if o.error is None]) == 1, f"round {round_}"
        assert [e.messages for e in (o.error for o in outcomes) if e] == [["Your cart is empty."]]
    assert Order.objects.count() == 10
    assert level(item).allocated == 2 * 10


def test_same_scan_list_twice_at_once_for_the_last_unit_gives_one_order_to_both(catalogue, company):
    """A scan list has no cart to lock: the second submit waits on the stock row, not on the first order."""
    last = stocked(catalogue, "SCAN-1", quantity=1)
    (buyer,) = members(company, 1, spread=False)

    def scanning(key: str):
        def call() -> Order:
            membership = Membership.objects.select_related("user", "company").get(pk=buyer.pk)
            buyer_now = buyer_for(membership)
            text = f"{last.sku};1"
            return order_place_scan_list(
                buyer=buyer_now, checkout_key=key, text=text, delivery=ADDRESS, billing_number=None
            )

        return call

    for round_ in range(10):
        outcomes = run_at_once([scanning(f"scan-{round_}"), scanning(f"scan-{round_}")])

        assert [o.error for o in outcomes] == [None, None], f"round {round_}: {[repr(o.error) for o in outcomes]}"
        assert outcomes[0].value.pk == outcomes[1].value.pk
        assert Order.objects.count() == 1
        assert level(last).allocated == 1
        Order.objects.all().delete()
        StockLevel.objects.filter(product=last).update(allocated=0)


def test_a_quantity_changed_while_the_cart_is_being_ordered_waits_for_the_order(catalogue, company, monkeypatch):
    item = stocked(catalogue, "QTY-1", quantity=1000)
    (buyer,) = members(company, 1, spread=False)
    cart_add(buyer=buyer_for(buyer), sku=item.sku, quantity=1)
    line_id = CartLine.objects.get().pk
    cart_locked = threading.Event()
    real_prices = services.prices_for_ordering

    def prices_for_ordering(*args, **kwargs):  # runs while checkout holds the cart lock
        cart_locked.set()
        time.sleep(0.3)  # the quantity change now updates the line, then waits for the cart
        return real_prices(*args, **kwargs)

    monkeypatch.setattr(services, "prices_for_ordering", prices_for_ordering)

    def change_quantity():
        assert cart_locked.wait(30)
        line = CartLine.objects.select_related("product").get(pk=line_id)
        return cart_line_set_quantity(buyer=buyer_for(Membership.objects.get(pk=buyer.pk)), line=line, quantity=5)

    outcomes = run_at_once([placing(buyer.pk, "ordering"), change_quantity])

    assert [o.error for o in outcomes] == [None, None], [repr(o.error) for o in outcomes]
    assert OrderLine.objects.get().quantity == 1
    assert not CartLine.objects.exists()


# --- 35: a failure after the stock was reserved -----------------------------------------------


def _failing(*args, **kwargs):
    raise RuntimeError("injected failure after allocation")


@pytest.mark.parametrize(
    "target", ["comptoir.orders.models.OrderLine.objects.bulk_create", "comptoir.orders.services.audit"]
)
def test_failure_after_allocation_leaves_no_order_and_no_allocation(catalogue, company, monkeypatch, target):
    last = stocked(catalogue, "FAIL-1", quantity=1)
    failing, other = members(company, 2, spread=False)
    cart_add(buyer=buyer_for(failing), sku=last.sku, quantity=1)
    cart_add(buyer=buyer_for(other), sku=last.sku, quantity=1)
    with monkeypatch.context() as patch:
        patch.setattr(target, _failing)
        with pytest.raises(RuntimeError, match="injected"):
            placing(failing.pk, "fails")()

    assert Order.objects.count() == 0
    assert OrderLine.objects.count() == 0
    assert level(last).allocated == 0
    assert not AuditEvent.objects.filter(action="order.placed").exists()
    assert mail.outbox == []  # mails leave only after commit
    assert CartLine.objects.filter(cart__user_id=failing.user_id).count() == 1
    # Nothing stays locked or promised: another buyer gets the unit, and the failed checkout can be retried.
    assert placing(other.pk, "other")().number
    assert level(last).allocated == 1


def test_failure_after_allocation_in_one_thread_frees_the_unit_for_the_other(catalogue, company, monkeypatch):
    last = stocked(catalogue, "FAIL-2", quantity=1)
    failing, other = members(company, 2, spread=False)
    for membership in (failing, other):
        cart_add(buyer=buyer_for(membership), sku=last.sku, quantity=1)
    real_bulk_create = OrderLine.objects.bulk_create

    def bulk_create(lines, *args, **kwargs):
        if lines and lines[0].order.created_by_id == failing.user_id:
            raise RuntimeError("injected failure after allocation")
        return real_bulk_create(lines, *args, **kwargs)

    monkeypatch.setattr(OrderLine.objects, "bulk_create", bulk_create)
    for round_ in range(10):
        outcomes = run_at_once([placing(failing.pk, f"f-{round_}"), placing(other.pk, f"o-{round_}")])

        failed, placed = outcomes
        assert isinstance(failed.error, RuntimeError | OrderError), f"round {round_}: {failed.error!r}"
        assert placed.error is None, f"round {round_}: {placed.error!r}"  # the rolled-back unit was free again
        assert Order.objects.get().created_by_id == other.user_id
        assert level(last).allocated == 1
        Order.objects.all().delete()
        StockLevel.objects.filter(product=last).update(allocated=0)
        cart_add(buyer=buyer_for(other), sku=last.sku, quantity=1)


def test_a_checkout_that_dies_holding_its_locks_leaves_none_behind(catalogue, company, monkeypatch):
    """SECURITY 34: a crashed completion holds no lasting lock; the retry with the same key places the order."""
    last = stocked(catalogue, "DIES-1", quantity=1)
    (buyer,) = members(company, 1, spread=False)
    cart_add(buyer=buyer_for(buyer), sku=last.sku, quantity=1)
    allocated, killed, backend = threading.Event(), threading.Event(), {}
    real_bulk_create = OrderLine.objects.bulk_create

    def bulk_create(lines, *args, **kwargs):
        if threading.current_thread().name == "dies":  # stock reserved, cart locked, nothing committed
            backend["pid"] = connection.connection.info.backend_pid
            allocated.set()
            killed.wait(30)
        return real_bulk_create(lines, *args, **kwargs)

    monkeypatch.setattr(OrderLine.objects, "bulk_create", bulk_create)
    dying = Outcome()

    def die() -> None:
        try:
            dying.value = placing(buyer.pk, "crash")()
        except BaseException as exc:
            dying.error = exc
        finally:
            connection.close()

    thread = threading.Thread(target=die, name="dies", daemon=True)
    thread.start()
    assert allocated.wait(30)
    with connection.cursor() as cursor:  # the worker process dies mid-transaction
        cursor.execute("select pg_terminate_backend(%s)", [backend["pid"]])
    killed.set()
    thread.join(30)

    assert isinstance(dying.error, OperationalError | InterfaceError), repr(dying.error)
    assert level(last).allocated == 0
    order = placing(buyer.pk, "crash")()  # the retry neither waits nor finds a half order
    assert Order.objects.get() == order
    assert level(last).allocated == 1
