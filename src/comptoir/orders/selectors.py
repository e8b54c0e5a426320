"""Order reads for the buyer: the company's orders for members with the right, else their own."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from comptoir.core.access import not_found
from comptoir.core.buyer import Buyer
from comptoir.core.permissions import Permission
from comptoir.orders.models import Order, OrderStatus


def orders_for(buyer: Buyer) -> QuerySet[Order]:
    """C11: everything the member may see. Approvers also see orders waiting for them."""
    orders = Order.objects.filter(company_id=buyer.company_id)
    if not buyer.can(Permission.SEE_COMPANY_ORDERS):
        mine = Q(created_by_id=buyer.user.pk)
        if buyer.can(Permission.APPROVE_ORDERS):
            mine |= Q(status=OrderStatus.AWAITING_APPROVAL)
        orders = orders.filter(mine)
    return orders


def order_list(buyer: Buyer, *, status: str = "", reference: str = "", date_from=None, date_to=None) -> QuerySet[Order]:
    orders = orders_for(buyer).select_related("created_by")
    if status:
        orders = orders.filter(status=status)
    if reference:
        orders = orders.filter(Q(reference__icontains=reference) | Q(number__iexact=reference))
    if date_from:
        orders = orders.filter(created_at__date__gte=date_from)
    if date_to:
        orders = orders.filter(created_at__date__lte=date_to)
    return orders.order_by("-created_at", "-pk")


def access_order(buyer: Buyer, number: str) -> Order:
    order = (
        orders_for(buyer)
        .select_related("created_by", "approved_by", "billing_number", "delivery_number", "stock_location", "company")
        .prefetch_related("lines")
        .filter(number=number)
        .first()
    )
    if order is None:
        raise not_found(buyer, "order", number)
    return order


def approvals_waiting_for(buyer: Buyer) -> QuerySet[Order]:
    if not buyer.can(Permission.APPROVE_ORDERS):
        return Order.objects.none()
    return (
        Order.objects.filter(company_id=buyer.company_id, status=OrderStatus.AWAITING_APPROVAL)
        .exclude(created_by_id=buyer.user.pk)
        .select_related("created_by")
        .order_by("created_at")
    )
