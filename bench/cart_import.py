"""Cart import: a 5,000-line CSV replacing a demo buyer's cart (PRODUCT C4).

Builds a CSV of visible SKUs (valid quantities: each product's minimum, rounded up to its
multiple) for a demo buyer, then times ``carts.services.cart_import`` end to end (read and
parse the file, check every line against the catalogue, replace the cart in one
transaction) several times, and prints min/median seconds and peak memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/comptoir_bench .venv/bin/python bench/cart_import.py

PostgreSQL only, in a database of its own (not the shared ``comptoir``/``test_comptoir``).
When the database is missing it is created, migrated and seeded with 10,000 demo
products; a database that already holds demo products is used as it is (no reseed).
The cart limit (``COMPTOIR_MAX_CART_LINES``, 5,000 by default) is raised to the number
of lines for this run, as a site importing such files would configure it.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comptoir.settings")

SHARED_DATABASES = {"comptoir", "test_comptoir"}
SEED_PRODUCTS = 10_000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--email", default="anna@acme.example", help="a demo buyer who may order")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one extra run")
    return parser.parse_args()


def database_ready(url: str) -> bool:
    """Refuse SQLite and the shared databases; create the database when missing. True when it was created."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must name a PostgreSQL database of the benchmark's own.")
    config = dj_database_url.parse(url)
    name = config["NAME"]
    if name in SHARED_DATABASES:
        sys.exit(f"{name!r} is shared with the application and the test suite: give the benchmark its own database.")
    params = {"host": config["HOST"] or None, "port": config["PORT"] or None, "user": config["USER"] or None}
    if config["PASSWORD"]:
        params["password"] = config["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        if admin.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
            return False
        admin.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    return True


def csv_for(buyer, lines: int) -> bytes:
    """``lines`` visible products with a quantity each can be ordered in, as Excel in Europe saves it."""
    from comptoir.catalog.selectors import visible_products

    rows = ["sku;quantity"]
    products = visible_products(buyer).order_by("pk").values_list("sku", "min_order_quantity", "order_multiple")
    for sku, minimum, multiple in products[:lines]:
        multiple = max(multiple or 1, 1)
        quantity = -(-max(minimum or 1, 1) // multiple) * multiple
        rows.append(f"{sku};{quantity}")
    if len(rows) - 1 < lines:
        sys.exit(f"only {len(rows) - 1} products are visible to {buyer.user.email}; {lines} needed")
    return ("\r\n".join(rows) + "\r\n").encode("utf-8")


def main() -> int:
    args = parse_args()
    created = database_ready(os.environ.get("DATABASE_URL", ""))

    import django
    from django.conf import settings

    django.setup()
    settings.COMPTOIR_MAX_CART_LINES = max(args.lines, settings.COMPTOIR_MAX_CART_LINES)
    from django.core.management import call_command

    from comptoir.catalog.models import Product

    call_command("migrate", verbosity=0, interactive=False)
    if created or not Product.objects.exists():
        call_command("createcachetable", verbosity=0)
        call_command("seed_demo", products=SEED_PRODUCTS)

    from django.core.files.uploadedfile import SimpleUploadedFile

    from comptoir.carts import services
    from comptoir.carts.models import CartLine
    from comptoir.companies.models import Membership
    from comptoir.core.buyer import Buyer

    membership = Membership.objects.select_related("user", "company").get(user__email=args.email)
    buyer = Buyer(user=membership.user, membership=membership, permissions=membership.permissions)
    data = csv_for(buyer, args.lines)
    print(f"{Product.objects.count():,} products; {args.email}: {args.lines:,} lines, {len(data):,} bytes")

    def run_once() -> float:
        upload = SimpleUploadedFile("cart.csv", data, content_type="text/csv")
        started = time.perf_counter()
        cart = services.cart_import(buyer=buyer, upload=upload, filename="cart.csv")
        seconds = time.perf_counter() - started
        assert CartLine.objects.filter(cart=cart).count() == args.lines
        return seconds

    run_once()  # warm-up: caches, first queries, imports
    times = [run_once() for _ in range(args.runs)]
    tracemalloc.start()
    traced_seconds = run_once()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    maxrss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print("runs (s):", ", ".join(f"{t:.3f}" for t in times))
    print(f"min {min(times):.3f} s, median {statistics.median(times):.3f} s (target: under 2 s)")
    print(f"peak Python allocations during one import (tracemalloc): {peak / 1024 / 1024:.1f} MiB")
    print(f"  (that run under tracemalloc: {traced_seconds:.3f} s)")
    print(f"process max RSS: {maxrss_kib / 1024:.1f} MiB")
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        upload = SimpleUploadedFile("cart.csv", data, content_type="text/csv")
        profiler.runcall(services.cart_import, buyer=buyer, upload=upload, filename="cart.csv")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    return 0 if statistics.median(times) < 2 else 1


if __name__ == "__main__":
    sys.exit(main())
