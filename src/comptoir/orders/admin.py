"""Orders in the back office (F5, C9, C12, C10, G5).

Nothing on an order is edited through the generic admin form: every change goes through a service
of ``comptoir.orders.services`` (validate, reject, ship, complete, cancel, shipping cost, onboarding
corrections), which checks the declared transitions, moves stock and writes the audit event.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comptoir.backoffice.admin import site
from comptoir.core.money import format_money, format_unit_price
from comptoir.orders import services
from comptoir.orders.forms import OnboardingCorrectionForm, RejectForm, ShippingCostForm
from comptoir.orders.models import BEFORE_CONFIRMATION, Order, OrderLine, OrderStatus

S = OrderStatus
# Change-page buttons: action name -> (service, target status, label).
MOVES: dict[str, tuple[Any, str, Any]] = {
    "validate": (services.order_validate, S.CONFIRMED, _("Validate (make it a firm order)")),
    "ship": (services.order_ship, S.SHIPPED, _("Mark as shipped")),
    "complete": (services.order_complete, S.COMPLETED, _("Mark as completed")),
    "cancel": (services.order_cancel, S.CANCELLED, _("Cancel the order")),
}


def can_move(order: Order, action: str) -> bool:
    """Validation is for orders waiting for it; an order waiting for its company's approval is not ours yet."""
    if action == "validate":
        return order.status == S.AWAITING_VALIDATION
    return order.can_move_to(MOVES[action][1])


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    fields = readonly_fields = ("sku", "name", "quantity", "unit_price_display", "line_total_display")

    @admin.display(description=_("unit price"))
    def unit_price_display(self, obj: OrderLine) -> str:
        return format_unit_price(obj.unit_price, obj.order.currency)

    @admin.display(description=_("line total"))
    def line_total_display(self, obj: OrderLine) -> str:
        return format_money(obj.line_total, obj.order.currency)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Order, site=site)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "company", "created_by", "status", "source", "total_display", "created_at"]
    list_filter = ["status", "source", ("company", admin.RelatedOnlyFieldListFilter), "created_at"]
    list_select_related = ["company", "created_by"]
    search_fields = ["number", "reference", "company__name", "company__customer_numbers__number"]
    date_hierarchy = "created_at"
    inlines = [OrderLineInline]
    actions = ["validate_selected", "ship_selected", "complete_selected", "cancel_selected"]
    change_form_template = "orders/admin/order_change_form.html"
    fieldsets = [
        (None, {"fields": ["number", "company", "created_by", "status", "source", "created_at", "version"]}),
        (
            _("Delivery and billing"),
            {
                "fields": [
                    "reference",
                    "billing_number",
                    "delivery_number",
                    "delivery_name",
                    "delivery_street",
                    "delivery_postcode",
                    "delivery_city",
                    "delivery_country",
                    "requested_delivery_date",
                    "remarks",
                    "stock_location",
                ]
            },
        ),
        (_("Amounts"), {"fields": ["currency", "subtotal", "shipping_cost", "total", "price_level"]}),
        (
            _("Decisions"),
            {
                "fields": [
                    "approved_by",
                    "approved_at",
                    "approved_version",
                    "validated_by",
                    "validated_at",
                    "decided_reason",
                ]
            },
        ),
        (_("New employee"), {"fields": ["onboarding_display"]}),
    ]

    # Read-only: statuses and amounts change through the services only (buttons on the change page).
    def get_readonly_fields(self, request, obj=None):
        return [f for group in self.fieldsets for f in group[1]["fields"]]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_manage_permission(self, request, obj=None):
        """Who may press the buttons: staff allowed to change orders."""
        return bool(request.user.is_active and request.user.is_staff and request.user.has_perm("orders.change_order"))

    @admin.display(description=_("total"), ordering="total")
    def total_display(self, obj: Order) -> str:
        return format_money(obj.total, obj.currency)

    @admin.display(description=_("new employee"))
    def onboarding_display(self, obj: Order) -> str:
        pairs = [_("%(label)s: %(value)s") % {"label": label, "value": value} for label, value in obj.onboarding_items]
        return " · ".join(pairs) or "—"

    # --- Bulk actions --------------------------------------------------------------------

    def _bulk(self, request, queryset, action: str) -> None:
        service, _target, _label = MOVES[action]
        done, failed = 0, []
        for order in queryset.order_by("pk"):
            try:
                service(actor=request.user, order=order)
            except ValidationError as exc:
                failed.append(_("%(label)s: %(value)s") % {"label": order, "value": " ".join(exc.messages)})
            else:
                done += 1
        if done:
            message = ngettext("%(count)d order updated.", "%(count)d orders updated.", done) % {"count": done}
            self.message_user(request, message, messages.SUCCESS)
        for failure in failed:
            self.message_user(request, failure, messages.ERROR)

    @admin.action(description=_("Validate selected orders"), permissions=["manage"])
    def validate_selected(self, request, queryset):
        self._bulk(request, queryset, "validate")

    @admin.action(description=_("Mark selected orders as shipped"), permissions=["manage"])
    def ship_selected(self, request, queryset):
        self._bulk(request, queryset, "ship")

    @admin.action(description=_("Mark selected orders as completed"), permissions=["manage"])
    def complete_selected(self, request, queryset):
        self._bulk(request, queryset, "complete")

    @admin.action(description=_("Cancel selected orders"), permissions=["manage"])
    def cancel_selected(self, request, queryset):
        self._bulk(request, queryset, "cancel")

    # --- The change page's buttons and forms ---------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/move/<str:action>/", view(self.move_view), name="orders_order_move"),
            path("<int:pk>/reject/", view(self.reject_view), name="orders_order_reject"),
            path("<int:pk>/shipping-cost/", view(self.shipping_cost_view), name="orders_order_shipping_cost"),
            path("<int:pk>/onboarding/", view(self.onboarding_view), name="orders_order_onboarding"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        order = self.get_object(request, object_id)
        context: dict[str, Any] = {
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        if order is not None and self.has_manage_permission(request):
            context.update(
                {
                    "moves": [(action, label) for action, (_s, _t, label) in MOVES.items() if can_move(order, action)],
                    "can_reject": order.can_move_to(S.REJECTED),
                    "reject_form": RejectForm(),
                    "can_set_shipping": order.status in BEFORE_CONFIRMATION,
                    "shipping_form": ShippingCostForm(initial={"amount": order.shipping_cost}),
                    "can_correct_onboarding": bool(order.onboarding) or order.source == Order.Source.ONBOARDING,
                }
            )
        return super().change_view(request, object_id, form_url, {**context, **(extra_context or {})})

    def _order_for_manage(self, request: HttpRequest, pk: int) -> Order:
        if not self.has_manage_permission(request):
            raise PermissionDenied
        return get_object_or_404(Order, pk=pk)

    def _done(self, order: Order) -> HttpResponse:
        return redirect("backoffice:orders_order_change", order.pk)

    def _report(self, request: HttpRequest, exc: ValidationError) -> None:
        self.message_user(request, " ".join(exc.messages), messages.ERROR)

    def move_view(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        order = self._order_for_manage(request, pk)
        if request.method != "POST" or action not in MOVES:
            return self._done(order)
        service, _target, _label = MOVES[action]
        try:
            order = service(actor=request.user, order=order)
        except ValidationError as exc:
            self._report(request, exc)
        else:
            self.message_user(
                request,
                _("Order %(number)s is now: %(status)s.") % {"number": order, "status": order.get_status_display()},
                messages.SUCCESS,
            )
        return self._done(order)

    def reject_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        order = self._order_for_manage(request, pk)
        if request.method == "POST":
            form = RejectForm(request.POST)
            try:
                if not form.is_valid():
                    raise ValidationError(_("Give a reason: the buyer will read it."))
                order = services.order_reject(actor=request.user, order=order, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                self._report(request, exc)
            else:
                self.message_user(request, _("Order %(number)s is rejected.") % {"number": order}, messages.SUCCESS)
        return self._done(order)

    def shipping_cost_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """C12: change the shipping cost before the order is confirmed (audited; voids a pending approval)."""
        order = self._order_for_manage(request, pk)
        if request.method == "POST":
            form = ShippingCostForm(request.POST)
            try:
                if not form.is_valid():
                    raise ValidationError([e for errors in form.errors.values() for e in errors])
                order = services.order_set_shipping_cost(
                    actor=request.user, order=order, amount=form.cleaned_data["amount"]
                )
            except ValidationError as exc:
                self._report(request, exc)
            else:
                self.message_user(
                    request,
                    _("The shipping cost of %(number)s is now %(amount)s.")
                    % {"number": order, "amount": format_money(order.shipping_cost, order.currency)},
                    messages.SUCCESS,
                )
        return self._done(order)

    def onboarding_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """C10: only the seller corrects a new employee's details, through the audited service."""
        order = self._order_for_manage(request, pk)
        form = OnboardingCorrectionForm(request.POST or None, initial=order.onboarding)
        if request.method == "POST" and form.is_valid():
            try:
                services.order_correct_onboarding(actor=request.user, order=order, details=form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                self.message_user(
                    request, _("The new employee's details of %(number)s are corrected.") % {"number": order}
                )
                return self._done(order)
        return TemplateResponse(
            request,
            "backoffice/form.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Correct the new employee's details of order %(number)s") % {"number": order},
                "form": form,
                "opts": self.model._meta,
                "original": order,
                "submit": _("Save the correction"),
            },
        )
