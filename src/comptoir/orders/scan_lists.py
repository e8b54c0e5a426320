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
from comptoir.core.buyer import Buyer
from comptoir.core.numbers import parse_int_or_none, shown

MAX_LINES = 2000
MAX_CODE_LENGTH = 64
MAX_BYTES = 512 * 1024
_SEPARATOR = re.compile(r"[;,\t]")


@dataclass(frozen=True)
class ScanLine:
    number: int
    code: str
    quantity: int


class _LineProblem(str):
    """A problem's text, knowing its line: the lines read and the lines resolved are listed in order."""

    line: int


def _problem(number: int, message: str) -> str:
    text = _LineProblem(_("Line %(line)d: %(message)s") % {"line": number, "message": message})
    text.line = number
    return text


def _by_line(problems: list[str]) -> list[str]:
    return sorted(problems, key=lambda problem: getattr(problem, "line", 0))


def _bad_quantity(code: str, typed: str) -> str:
    return _("%(code)s: bad quantity “%(value)s”: write the code, a “;” and a whole number from 1 to %(max)s") % {
        "code": code,
        "value": shown(typed.strip()),
        "max": MAX_QUANTITY,
    }


def _code_and_rest(code: str) -> list[tuple[str, str]]:
    """A code, a space, then what may be meant as a quantity ("DR-100 3"); a code may hold spaces itself."""
    splits = [code.split(maxsplit=1), code.rsplit(maxsplit=1)]
    return [(parts[0], parts[1]) for parts in splits if len(parts) == 2]


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
            # "DR-100 99999…": a code, then far too long a quantity after a space.
            split = next((s for s in _code_and_rest(code) if len(s[0]) <= MAX_CODE_LENGTH), None)
            message = _bad_quantity(*split) if split else _("this code is too long")
            problems.append(_problem(number, message))
            continue
        quantity = 1
        if len(parts) > 1 and parts[1]:
            parsed = parse_int_or_none(parts[1], minimum=1, maximum=MAX_QUANTITY)
            if parsed is None:
                problems.append(_problem(number, _bad_quantity(code, parts[1])))
                continue
            quantity = parsed
        lines.append(ScanLine(number, code, quantity))
    return lines, problems


def _candidates(code: str) -> set[str]:
    """A scanned EAN may come with or without its leading zeros (UPC-A, EAN-13, GTIN-14)."""
    if code.isascii() and code.isdigit():
        stripped = code.lstrip("0") or "0"
        return {code, stripped, stripped.zfill(12), stripped.zfill(13), stripped.zfill(14)}
    return {code}


def scan_list_resolve(buyer: Buyer, lines: list[ScanLine]) -> tuple[list[tuple[Any, int]], list[str]]:
    """Match codes to the products the buyer may order (SKU first, then EAN); quantities add up per product."""
    codes = {c for line in lines for c in _candidates(line.code)}
    # A line that is not a code as a whole may be a code with a quantity written after a space.
    codes |= {c for line in lines for head, _rest in _code_and_rest(line.code) for c in _candidates(head)}
    by_sku: dict[str, Any] = {}
    by_ean: dict[str, Any] = {}
    for found in visible_products(buyer).filter(Q(sku__in=codes) | Q(ean__in=codes)):
        by_sku[found.sku] = found
        if found.ean:
            by_ean.setdefault(found.ean, found)
    problems: list[str] = []
    totals: dict[int, list[Any]] = {}  # product pk -> [product, quantity, first line number]

    def find(code: str) -> Any:
        return by_sku.get(code) or next((by_ean[c] for c in sorted(_candidates(code)) if c in by_ean), None)

    for line in lines:
        product = find(line.code)
        split = next((s for s in _code_and_rest(line.code) if find(s[0]) is not None), None) if not product else None
        if split is not None:
            problems.append(_problem(line.number, _bad_quantity(*split)))
            continue
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


def scan_list_items(buyer: Buyer, text: str) -> list[tuple[Any, int]]:
    """The products and quantities of a scan list, or ``OrderError`` listing every bad line."""
    from comptoir.orders.services import OrderError

    lines, problems = scan_list_parse(text)
    items, more = scan_list_resolve(buyer, lines)
    problems = _by_line([*problems, *more])
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
