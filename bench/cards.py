"""The catalogue's cards, built in the process (catalog/cards.py; ADR 0005).

Times ``product_grid`` for one page of 48 products, with prices (some with volume prices),
stock and the add-to-cart form, as a member who sees prices and orders does: ``--calls``
times with the per-process caches warm (a page seen before: the usual case), and as many
times with them emptied before each call (a page of products seen for the first time).
No database: the products, prices and stock are built in memory.

    .venv/bin/python bench/cards.py --calls 500 --rounds 9

Prints the median over the rounds of the CPU time per call, in microseconds (process time, so
that other work on the machine counts as little as possible; emptying the caches counts in the
cold figure, and is small beside it).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comptoir.settings")

import django  # noqa: E402

django.setup()

from django.utils import translation  # noqa: E402

from comptoir.catalog import cards  # noqa: E402
from comptoir.catalog.selectors import ListedProduct  # noqa: E402
from comptoir.inventory.selectors import Availability  # noqa: E402
from comptoir.pricing.selectors import PriceInfo  # noqa: E402

PRODUCTS = [
    ListedProduct(
        pk=n,
        sku=f"SKU-{n:05d}",
        name=f"Product number {n} & co",
        brand_id=n % 5 or None,
        first_image=f"products/{n}.jpg" if n % 3 else "",
        min_order_quantity=1 + n % 4,
        order_multiple=1 + n % 2,
    )
    for n in range(1, 49)
]
PRICES = {
    p.pk: PriceInfo(
        currency="EUR", tiers=((1, Decimal(f"{p.pk}.50")),) + (((10, Decimal("1.00")),) if p.pk % 4 == 0 else ())
    )
    for p in PRODUCTS
    if p.pk % 7
}
STOCK = {
    p.pk: Availability(available=p.pk % 12, status=("out", "low", "in")[min(2, p.pk % 12 // 4)], show_quantity=False)
    for p in PRODUCTS
}
BRANDS = {1: "Acme", 2: "Bosk & Sons", 3: "Corvo", 4: "Delta"}


def render() -> str:
    return cards.product_grid(
        PRODUCTS,
        PRICES,
        STOCK,
        BRANDS,
        priced=set(PRICES),
        sees_prices=True,
        can_order=True,
        csrf_token="x" * 64,
        next_url="/catalogue/?category=tools&page=2",
        add_url="/cart/add/",
    )


def clear() -> None:
    for name in ("_price_html", "_stock_html", "_product_parts"):
        getattr(cards, name).cache_clear()


def timed(calls: int, *, cold: bool) -> float:
    """CPU time of this process per call, in microseconds (other processes on the machine do not count)."""
    start = time.process_time()
    for _ in range(calls):
        if cold:
            clear()
        render()
    return (time.process_time() - start) / calls * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    with translation.override("en"):
        render()  # imports, URL resolver
        warm = [timed(args.calls, cold=False) for _ in range(args.rounds)]
        cold = [timed(args.calls, cold=True) for _ in range(args.rounds)]
    print(f"product_grid, 48 cards: warm {statistics.median(warm):.0f} µs, cold {statistics.median(cold):.0f} µs")
    print(f"  warm rounds: {' '.join(f'{t:.0f}' for t in warm)}")
    print(f"  cold rounds: {' '.join(f'{t:.0f}' for t in cold)}")


if __name__ == "__main__":
    main()
