"""An order as documents: CSV and XLSX (C11, E2) and the confirmation PDF (G4).

Both follow what the member may see: without the see-prices right, no price column and no amount
(A6). The PDF is written in the customer's language: the company's, else the member's.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from comptoir.core.exports import attachment_name
from comptoir.core.money import round_money, unit_price_figure
from comptoir.orders.models import Order

# WeasyPrint reports each rendering step at INFO: one line per step and per page is noise in the logs.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def order_csv_rows(order: Order, *, show_prices: bool) -> list[list[Any]]:
    """A header row, then one row per line; the order's own fields repeat so that every row stands alone."""
    header = [
        _("Order"),
        _("Date"),
        _("Your reference"),
        _("Billing customer number"),
        _("Delivery customer number"),
        _("Status"),
        _("SKU"),
        _("Product"),
        _("Quantity"),
    ]
    if show_prices:
        header += [_("Unit price"), _("Line total"), _("Currency")]
    ordered = timezone.localtime(order.created_at).date()
    rows: list[list[Any]] = [header]
    for line in order.lines.all():
        row: list[Any] = [
            order.number,
            ordered,
            order.reference,
            order.billing_number.number if order.billing_number else "",
            order.delivery_number.number if order.delivery_number else "",
            order.get_status_display(),
            line.sku,
            line.name,
            line.quantity,
        ]
        if show_prices:
            # The figures the PDF and the order page show (core/money.py).
            row += [
                unit_price_figure(line.unit_price, order.currency),
                round_money(line.line_total, order.currency),
                order.currency,
            ]
        rows.append(row)
    return rows


def order_csv_filename(order: Order) -> str:
    return attachment_name(f"order-{order.number}", "csv")


def order_xlsx_filename(order: Order) -> str:
    return attachment_name(f"order-{order.number}", "xlsx")


def order_pdf_filename(order: Order) -> str:
    return attachment_name(f"order-{order.number}", "pdf")


def document_language(order: Order, user: Any = None) -> str:
    """The customer's language (G4; seed 002's "PDF language" on the customer record), else the member's."""
    for candidate in (getattr(order.company, "language", ""), getattr(user, "language", "")):
        if candidate and candidate in dict(settings.LANGUAGES):
            return candidate
    return settings.LANGUAGE_CODE


def order_confirmation_html(order: Order, *, show_prices: bool, language: str) -> str:
    with translation.override(language):
        return render_to_string(
            "orders/pdf/confirmation.html",
            {
                "order": order,
                "lines": list(order.lines.all()),
                "show_prices": show_prices,
                "language": language,
                "contact_email": settings.COMPTOIR_CONTACT_EMAIL,
                "printed_at": timezone.now(),
            },
        )


def order_confirmation_pdf(order: Order, *, show_prices: bool, language: str) -> bytes:
    from weasyprint import HTML, URLFetcher

    html = order_confirmation_html(order, show_prices=show_prices, language=language)
    # The document holds everything it needs: WeasyPrint may fetch nothing (no requests, no file reads).
    no_fetching = URLFetcher(allowed_protocols=())
    return HTML(string=html, url_fetcher=no_fetching, base_url=None).write_pdf()
