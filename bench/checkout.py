"""Checkout under contention (PRODUCT C7, C13; SECURITY 31, 32, 34).

Creates 20 products with tight stock (10 units each at one stock location) and 50 buyers,
members of 5 customers, each with a cart of 1-3 of those products (1-4 units a line); then
fires every checkout at once, one thread and one PostgreSQL connection per checkout,
calling ``order_place`` the way the checkout view does (services level: no HTTP, no
rate limit, mails queued after commit as in production). 10 of the buyers double-click:
their checkout is submitted twice at once with the same checkout key.

It prints orders placed, rejections by reason, oversold units, duplicate orders, orders
per second and the times, and exits 1 when stock was oversold, an order was duplicated
or a checkout failed with anything but a clear message.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/comptoir_bench_checkout .venv/bin/python bench/checkout.py

The database is created and migrated when needed. Each run adds its own customers,
products and stock location (named ``chk-<run>``) and leaves earlier runs' data alone, so
every run starts from the same state. Carts come from ``random.Random(7)``: the same
demand every run; which buyers win the last units depends on the scheduler.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comptoir.settings")

SHARED_DATABASES = {"comptoir", "test_comptoir"}


@dataclass
class Submission:
    membership_id: int
    key: str
    double_click: bool = False
    order_id: int | None = None
    error: BaseException | None = None
    seconds: float = 0.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=20)
    parser.add_argument("--stock", type=int, default=10, help="units of each product in stock")
    parser.add_argument("--buyers", type=int, default=50, help="buyers, one checkout each, all at once")
    parser.add_argument("--companies", type=int, default=5)
    parser.add_argument("--double-clicks", type=int, default=10, help="buyers whose checkout is submitted twice")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--sequential", action="store_true", help="one checkout after the other instead (the cost without contention)"
    )
    return parser.parse_args()


def database_ready(url: str) -> str:
    """Refuse SQLite and the shared databases; create the bench database when it is missing."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must name a PostgreSQL database of the benchmark's own (row locks are the point).")
    config = dj_database_url.parse(url)
    name = config["NAME"]
    if name in SHARED_DATABASES:
        sys.exit(f"{name!r} is shared with the application and the test suite: give the benchmark its own database.")
    params = {"host": config["HOST"] or None, "port": config["PORT"] or None, "user": config["USER"] or None}
    if config["PASSWORD"]:
        params["password"] = config["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        if not admin.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
            admin.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    return name


def set_up(args: argparse.Namespace, rng: random.Random) -> tuple[str, list[Any], list[Any], list[Any]]:
    """This run's stock location, products, customers and members, and the members' carts."""
    from comptoir.accounts.models import User
    from comptoir.carts.services import cart_add_items
    from comptoir.catalog.models import Brand, Product
    from comptoir.companies.models import Company, Membership
    from comptoir.core.buyer import Buyer
    from comptoir.core.permissions import Role
    from comptoir.inventory.models import StockLevel, StockLocation
    from comptoir.pricing.models import Price, PriceLevel

    run = StockLocation.objects.filter(code__startswith="chk-").count() + 1
    while StockLocation.objects.filter(code=f"chk-{run}").exists():
        run += 1
    tag = f"chk-{run}"
    location = StockLocation.objects.create(code=tag, name=f"Checkout bench {run}")
    level = PriceLevel.objects.create(code=tag, name=f"Checkout bench {run}")
    brand = Brand.objects.create(name=f"Checkout bench {run}", slug=tag)
    products = Product.objects.bulk_create(
        Product(sku=f"CHK{run}-{i:02d}", name_en=f"Bench product {i:02d}", brand=brand)
        for i in range(1, args.products + 1)
    )
    Price.objects.bulk_create(
        Price(price_level=level, product=p, amount=Decimal(rng.randrange(500, 5000)) / 100) for p in products
    )
    StockLevel.objects.bulk_create(StockLevel(location=location, product=p, quantity=args.stock) for p in products)
    companies = []
    for c in range(args.companies):
        company = Company.objects.create(
            name=f"Checkout bench {run}-{c + 1}",
            vat_number=f"BE0{run:04d}{c + 1:05d}",
            status=Company.Status.ACTIVE,
            price_level=level,
            stock_location=location,
        )
        company.visible_brands.add(brand)  # this run's products only, whatever the store's default selection
        companies.append(company)
    members = []
    for b in range(args.buyers):
        user = User.objects.create_user(email=f"buyer{b + 1:02d}.{run}@checkout-bench.example")
        members.append(
            Membership.objects.create(user=user, company=companies[b % len(companies)], role=Role.SEE_PRICES_AND_ORDER)
        )
    for membership in members:
        buyer = Buyer(user=membership.user, membership=membership, permissions=membership.permissions)
        chosen = rng.sample(products, rng.randint(1, 3))
        cart_add_items(buyer=buyer, items=[(None, p.sku, rng.randint(1, 4)) for p in chosen])
    return tag, products, companies, members


def checkout(submission: Submission, barrier: threading.Barrier) -> None:
    """One checkout request: load the member, build the buyer, place the order."""
    from django.db import connection

    from comptoir.companies.models import Membership
    from comptoir.core.buyer import Buyer
    from comptoir.orders.services import DeliveryAddress, order_place

    try:
        connection.ensure_connection()
        barrier.wait(60)
        started = time.perf_counter()
        try:
            membership = Membership.objects.select_related("user", "company").get(pk=submission.membership_id)
            buyer = Buyer(user=membership.user, membership=membership, permissions=membership.permissions)
            delivery = DeliveryAddress(
                name=membership.company.name, street="1 Dock Road", postcode="1000", city="Brussels", country="BE"
            )
            order = order_place(buyer=buyer, checkout_key=submission.key, delivery=delivery, billing_number=None)
            submission.order_id = order.pk
        finally:
            submission.seconds = time.perf_counter() - started
    except BaseException as exc:  # counted and shown in the report
        submission.error = exc
    finally:
        connection.close()


def reason(error: BaseException) -> str:
    from comptoir.orders.services import OrderError

    if not isinstance(error, OrderError):
        return f"UNEXPECTED {type(error).__name__}: {error}"
    text = " ".join(error.messages)
    if "requested" in text and "available" in text:
        return "not enough stock (requested/available)"
    return text


def main() -> int:
    args = parse_args()
    name = database_ready(os.environ.get("DATABASE_URL", ""))
    began = time.perf_counter()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count, Sum

    from comptoir.carts.models import CartLine
    from comptoir.inventory.models import StockLevel
    from comptoir.orders.models import Order, OrderLine

    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(args.seed)
    tag, products, companies, members = set_up(args, rng)
    demand = CartLine.objects.filter(cart__company__in=companies).aggregate(units=Sum("quantity"))["units"]
    submissions = [Submission(m.pk, f"{tag}-{m.pk}") for m in members]
    for m in rng.sample(members, min(args.double_clicks, len(members))):
        submissions.append(Submission(m.pk, f"{tag}-{m.pk}", double_click=True))
    rng.shuffle(submissions)
    setup_seconds = time.perf_counter() - began
    connection.close()

    if args.sequential:
        fired = time.perf_counter()
        for submission in submissions:
            checkout(submission, threading.Barrier(1))
        contention_seconds = time.perf_counter() - fired
    else:
        barrier = threading.Barrier(len(submissions) + 1)
        threads = [threading.Thread(target=checkout, args=(s, barrier), daemon=True) for s in submissions]
        for thread in threads:
            thread.start()
        barrier.wait(60)
        fired = time.perf_counter()
        for thread in threads:
            thread.join(120)
        contention_seconds = time.perf_counter() - fired
        if any(thread.is_alive() for thread in threads):
            print("Some checkouts were still waiting after 120 s: a lock was never released.")
            return 1

    orders = Order.objects.filter(company__in=companies)
    placed = orders.count()
    per_buyer = orders.values("created_by_id").annotate(n=Count("id")).filter(n__gt=1)
    duplicates = sum(row["n"] - 1 for row in per_buyer)
    answered: dict[str, set[int]] = {}
    for s in submissions:
        if s.order_id is not None:
            answered.setdefault(s.key, set()).add(s.order_id)
    double_keys = {s.key for s in submissions if s.double_click}
    same_order = sum(
        1
        for key in double_keys
        if len(answered.get(key, ())) == 1 and all(s.order_id is not None for s in submissions if s.key == key)
    )
    refused_both = sum(1 for key in double_keys if not answered.get(key))
    levels = list(StockLevel.objects.filter(product__in=products).order_by("product__sku"))
    ordered = dict(
        OrderLine.objects.filter(order__in=orders)
        .values("product_id")
        .annotate(u=Sum("quantity"))
        .values_list("product_id", "u")
    )
    oversold = sum(max(0, lv.allocated - lv.quantity) for lv in levels)
    negative = sum(1 for lv in levels if lv.allocated < 0 or lv.quantity < 0)
    mismatched = sum(1 for lv in levels if ordered.get(lv.product_id, 0) != lv.allocated)
    reasons = Counter(reason(s.error) for s in submissions if s.error is not None)
    unexpected = sum(n for r, n in reasons.items() if r.startswith("UNEXPECTED"))
    latencies = sorted(s.seconds for s in submissions)
    total_seconds = time.perf_counter() - began

    units_stock = sum(lv.quantity for lv in levels)
    mode = "one after the other" if args.sequential else "at once"
    print(f"Checkout under contention - database {name}, run {tag}, seed {args.seed}, checkouts {mode}")
    print(
        f"  stock            {len(levels)} products x {args.stock} units = {units_stock} units; "
        f"carts ask for {demand} units"
    )
    print(
        f"  submissions      {len(submissions)} {mode}: {len(members)} checkouts by {len(members)} buyers "
        f"in {len(companies)} customers, {len(double_keys)} of them submitted twice with the same key"
    )
    print(f"  orders placed    {placed}")
    print(f"  rejected         {sum(reasons.values())} submissions")
    for text, count in reasons.most_common():
        print(f"    {count:4d}  {text}")
    print(
        f"  double clicks    {same_order} answered twice with the same order, {refused_both} refused twice, "
        f"{len(double_keys) - same_order - refused_both} inconsistent"
    )
    print(f"  units allocated  {sum(lv.allocated for lv in levels)} of {units_stock}")
    print(f"  oversold units   {oversold} (negative counters: {negative}, allocation != ordered lines: {mismatched})")
    print(f"  duplicate orders {duplicates}")
    print(f"  orders/second    {placed / contention_seconds:.1f}")
    print(
        f"  latency          p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {latencies[int(0.95 * (len(latencies) - 1))] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
    )
    print(
        f"  time             {contention_seconds:.2f} s placing, {setup_seconds:.2f} s set-up "
        f"(migrate, data, carts), {total_seconds:.2f} s in all"
    )
    broken = oversold or negative or mismatched or duplicates or unexpected
    broken = broken or (len(double_keys) - same_order - refused_both)
    if broken:
        print("FAILED: stock oversold, an order duplicated or a checkout failed without a clear message.")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
