"""Carts, share links and quick lists in the back office: read-only, for answering a customer's question.

Buyers change them through ``comptoir.carts.services``; staff only look.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from comptoir.backoffice.admin import site
from comptoir.carts.models import Cart, CartLine, CartShare, QuickList, QuickListLine


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    fields = readonly_fields = ("sku", "product", "quantity")

    @admin.display(description=_("SKU"))
    def sku(self, obj) -> str:
        return obj.product.sku

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("product")


class CartLineInline(ReadOnlyInline):
    model = CartLine


class QuickListLineInline(ReadOnlyInline):
    model = QuickListLine


@admin.register(Cart, site=site)
class CartAdmin(ReadOnlyAdmin):
    list_display = ["user", "company", "kind", "line_count", "updated_at"]
    list_filter = ["kind", ("company", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__email", "company__name"]
    list_select_related = ["user", "company"]
    fields = readonly_fields = ("company", "user", "kind", "onboarding", "created_at", "updated_at")
    inlines = [CartLineInline]

    @admin.display(description=_("lines"))
    def line_count(self, obj: Cart) -> int:
        return obj.line_count  # type: ignore[attr-defined]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(line_count=Count("lines"))


@admin.register(CartShare, site=site)
class CartShareAdmin(ReadOnlyAdmin):
    list_display = ["created_by", "company", "product_count", "created_at", "expires_at", "revoked_at"]
    list_filter = [("company", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["created_by__email", "company__name"]
    list_select_related = ["created_by", "company"]
    # The token's hash is left out: it is of no use to anyone reading this page.
    fields = readonly_fields = ("company", "created_by", "lines", "created_at", "expires_at", "revoked_at")

    @admin.display(description=_("products"))
    def product_count(self, obj: CartShare) -> int:
        return len(obj.lines)


@admin.register(QuickList, site=site)
class QuickListAdmin(ReadOnlyAdmin):
    list_display = ["name", "company", "owner", "shared", "updated_at"]
    list_filter = ["shared", ("company", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "owner__email", "company__name"]
    list_select_related = ["owner", "company"]
    fields = readonly_fields = ("company", "owner", "name", "shared", "created_at", "updated_at")
    inlines = [QuickListLineInline]
