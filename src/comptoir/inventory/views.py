"""Buyer pages for back-in-stock alerts (PRODUCT B5)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comptoir.catalog.selectors import access_product
from comptoir.core.decorators import buyer_required
from comptoir.core.http import BuyerRequest
from comptoir.inventory import selectors, services


@buyer_required
@require_POST
def alert_subscribe(request: BuyerRequest, sku: str) -> HttpResponse:
    """ "Notify me when available" on a product page; htmx swaps the button for the answer."""
    buyer = request.buyer
    product = access_product(buyer, sku)
    error = ""
    try:
        services.alert_subscribe(buyer=buyer, product=product)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:
        return render(
            request, "inventory/alert_button.html", {"product": product, "subscribed": not error, "error": error}
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("We will e-mail you when it is available."))
    return redirect(services.product_path(product.sku))


@buyer_required
def alerts(request: BuyerRequest) -> HttpResponse:
    """My stock alerts: what the member is waiting for, in the active company."""
    return render(request, "inventory/alerts.html", {"alerts": list(selectors.alerts_for(request.buyer))})


@buyer_required
@require_POST
def alert_cancel(request: BuyerRequest, pk: int) -> HttpResponse:
    buyer = request.buyer
    alert = selectors.access_alert(buyer, pk)
    services.alert_cancel(buyer=buyer, alert=alert)
    if request.htmx:
        return HttpResponse("")  # the row goes away
    messages.success(request, _("The alert for %(name)s was cancelled.") % {"name": alert.product.name})
    return redirect("inventory:alerts")
