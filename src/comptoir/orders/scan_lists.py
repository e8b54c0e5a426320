"""Scan lists (C9, seed 001 "listes de scannage"): codes read by a barcode scanner, one per line.

A line is ``code`` or ``code;quantity`` (``,`` or a tab also separate); a code is a product's EAN
or SKU. The same code scanned on several lines adds up. Blank lines are skipped. Every line that
cannot be ordered is reported with its number, and then nothing is ordered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from comptoir.carts.services import MAX_QUANTITY, quantity_problem
from comptoir.catalog.selectors import visible_products

MAX_LINES = 2000
MAX_CODE_LENGTH = 64
MAX_BYTES = 512 * 1024
_SEPARATOR = re.compile(r"[;,\t]")


@dataclass(frozen=True)
class ScanLine:
    number: int
    code: str
    quantity: int


def _problem(number: int, message: str) -> str:
    return _("Line %(line)d: %(message)s") % {"line": number, "message": message}


def scan_list_parse(text: str) -> tuple[list[ScanLine], list[str]]:
    """The lines of a scan list, and the problems of those that cannot be read."""
    lines: list[ScanLine] = []
    problems: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        row = raw.replace("\x00", "").strip()
        if not row:
            continue
        if len(lines) + len(problems) >= MAX_LINES:
            problems.append(_("A scan list holds at most %(max)d lines.") % {"max": MAX_LINES})
            break
        parts = [part.strip() for part in _SEPARATOR.split(row, maxsplit=1)]
        code = parts[0]
        if not code:
            problems.append(_problem(number, _("no code")))
            continue
        if len(code) > MAX_CODE_LENGTH:
            problems.append(_problem(number, _("this code is too long")))
            continue
        quantity = 1
        if len(parts) > 1 and parts[1]:
            if not parts[1].isdigit() or not 1 <= int(parts[1]) <= MAX_QUANTITY:
                problems.append(
                    _problem(number, _("%(code)s: the quantity must be a whole number of at least 1") % {"code": code})
                )
                continue
            quantity = int(parts[1])
        lines.append(ScanLine(number, code, quantity))
    return lines, problems


def _candidates(code: str) -> set[str]:
    """A scanned EAN may come with or without its leading zeros (UPC-A, EAN-13, GTIN-14)."""
    if code.isdigit():
        stripped = code.lstrip("0") or "0"
        return {code, stripped, stripped.zfill(12), stripped.zfill(13), stripped.zfill(14)}
    return {code}


def scan_list_resolve(buyer: Any, lines: list[ScanLine]) -> tuple[list[tuple[Any, int]], list[str]]:
    """Match codes to the products the buyer may order (SKU first, then EAN); quantities add up per product."""
    codes = {c for line in lines for c in _candidates(line.code)}
    by_sku: dict[str, Any] = {}
    by_ean: dict[str, Any] = {}
    for found in visible_products(buyer).filter(Q(sku__in=codes) | Q(ean__in=codes)):
        by_sku[found.sku] = found
        if found.ean:
            by_ean.setdefault(found.ean, found)
    problems: list[str] = []
    totals: dict[int, list[Any]] = {}  # product pk -> [product, quantity, first line number]
    for line in lines:
        product = by_sku.get(line.code) or next(
            (by_ean[c] for c in sorted(_candidates(line.code)) if c in by_ean), None
        )
        if product is None:
            problems.append(
                _problem(line.number, _("%(code)s: unknown code, or not available to you") % {"code": line.code})
            )
            continue
        entry = totals.setdefault(product.pk, [product, 0, line.number])
        entry[1] += line.quantity
    items = []
    for product, quantity, number in totals.values():
        problem = quantity_problem(product, quantity)
        if problem:
            problems.append(_problem(number, _("%(label)s: %(value)s") % {"label": product.sku, "value": problem}))
        else:
            items.append((product, quantity))
    return items, problems


def scan_list_items(buyer: Any, text: str) -> list[tuple[Any, int]]:
    """The products and quantities of a scan list, or ``OrderError`` listing every bad line."""
    from comptoir.orders.services import OrderError

    lines, problems = scan_list_parse(text)
    items, more = scan_list_resolve(buyer, lines)
    problems += more
    if problems:
        raise OrderError(problems)
    if not items:
        raise OrderError(_("The scan list is empty."))
    return items


def scan_list_decode(data: bytes) -> str:
    """An uploaded file's text: UTF-8 (with or without BOM), else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
