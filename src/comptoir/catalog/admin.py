"""The catalogue in the back office: products, reference data, prices, stock, product requests, imports (F6)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comptoir.backoffice.admin import AuditedAdmin, IdSafeAdmin, ReferenceDataAdmin, site
from comptoir.catalog.imports import (
    KINDS,
    PRICE_ALIASES,
    PRODUCT_ALIASES,
    STOCK_ALIASES,
    catalogue_import,
)
from comptoir.catalog.models import Brand, Category, Product, ProductImage, ProductRequest, Season, Tag
from comptoir.catalog.services import product_requests_mark_handled
from comptoir.core.tabular import human_size
from comptoir.inventory import services as inventory_services
from comptoir.inventory.models import StockLevel
from comptoir.inventory.stock import stock_quantity_refusal
from comptoir.pricing.models import Price

SHOWN_REJECTIONS = 1000


@admin.register(Category, site=site)
class CategoryAdmin(ReferenceDataAdmin):
    list_display = ["slug", "name_en", "name_fr", "name_nl", "name_sv", "parent", "position"]
    list_select_related = ["parent"]
    search_fields = ["slug", "name_en", "name_fr", "name_nl", "name_sv"]
    autocomplete_fields = ["parent"]


@admin.register(Brand, site=site)
class BrandAdmin(ReferenceDataAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Season, site=site)
class SeasonAdmin(ReferenceDataAdmin):
    list_display = ["code", "name_en", "name_fr", "name_nl", "name_sv"]
    search_fields = ["code", "name_en"]


@admin.register(Tag, site=site)
class TagAdmin(ReferenceDataAdmin):
    list_display = ["slug", "name_en", "name_fr", "name_nl", "name_sv"]
    search_fields = ["slug", "name_en", "name_fr", "name_nl", "name_sv"]


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    extra = 0


class PriceInline(admin.TabularInline):
    model = Price
    extra = 0
    fields = ["price_level", "min_quantity", "amount"]


class CatalogueImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or Excel .xlsx)"))
    kind = forms.ChoiceField(label=_("What the file holds"), choices=list(KINDS.items()))
    partial = forms.BooleanField(
        label=_("Import the good rows even if some are rejected"),
        required=False,
        help_text=_("Unticked, one rejected row and nothing is imported."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.COMPTOIR_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise ValidationError(
                _("The file is larger than %(limit)s; split it, or import it with the import_catalogue command.")
                % {"limit": human_size(limit)}
            )
        return upload


@admin.register(Product, site=site)
class ProductAdmin(ReferenceDataAdmin):
    list_display = ["sku", "name_en", "brand", "category", "season", "is_active"]
    list_filter = ["is_active", "season", "brand", "category"]
    list_select_related = ["brand", "category", "season"]
    search_fields = ["sku", "ean", "name_en", "name_fr", "name_nl", "name_sv"]
    autocomplete_fields = ["category", "brand", "season", "tags"]
    show_full_result_count = False  # no second COUNT over a large catalogue
    inlines = [ProductImageInline, PriceInline]
    change_list_template = "backoffice/product_change_list.html"
    fieldsets = [
        (None, {"fields": ["sku", "ean", "is_active"]}),
        (_("Names"), {"fields": ["name_en", "name_fr", "name_nl", "name_sv"]}),
        (
            _("Descriptions"),
            {"fields": ["description_en", "description_fr", "description_nl", "description_sv"]},
        ),
        (_("Classification"), {"fields": ["category", "brand", "season", "tags"]}),
        (_("Ordering"), {"fields": ["unit", "min_order_quantity", "order_multiple"]}),
    ]

    def get_urls(self):
        from django.urls import path

        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="catalog_import"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Upload a products, prices or stock file and show the report (F6)."""
        if not (request.user.is_superuser or request.user.has_perms(["catalog.add_product", "catalog.change_product"])):
            raise PermissionDenied
        report = None
        form = CatalogueImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            report = catalogue_import(
                source=upload,
                kind=form.cleaned_data["kind"],
                partial=form.cleaned_data["partial"],
                actor=request.user,
                filename=upload.name,
            )
            level = messages.SUCCESS if report.written and not report.rejected else messages.WARNING
            if report.file_error or not report.written:
                level = messages.ERROR
            self.message_user(request, report.summary(), level)
        return TemplateResponse(
            request,
            "backoffice/catalogue_import.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Catalogue import"),
                "opts": self.model._meta,
                "form": form,
                "report": report,
                "rejections": report.rejected[:SHOWN_REJECTIONS] if report else [],
                "more_rejections": max(0, len(report.rejected) - SHOWN_REJECTIONS) if report else 0,
                "columns": [
                    (KINDS["products"], ["sku"], list(PRODUCT_ALIASES)),
                    (KINDS["prices"], ["sku", "price_level", "amount"], list(PRICE_ALIASES)),
                    (KINDS["stock"], ["sku", "location", "quantity"], list(STOCK_ALIASES)),
                ],
                "max_size": human_size(settings.COMPTOIR_MAX_UPLOAD_BYTES),
            },
        )


@admin.register(Price, site=site)
class PriceAdmin(AuditedAdmin):
    list_display = ["product", "price_level", "min_quantity", "amount"]
    list_filter = ["price_level"]
    list_select_related = ["product", "price_level"]
    search_fields = ["product__sku"]
    autocomplete_fields = ["product"]
    show_full_result_count = False


class StockLevelForm(forms.ModelForm):
    class Meta:
        model = StockLevel
        fields = ["product", "location", "quantity"]

    def clean_quantity(self):
        quantity = self.cleaned_data["quantity"]
        if quantity is not None:
            allocated = self.instance.allocated if self.instance.pk else 0
            refusal = stock_quantity_refusal(quantity=quantity, allocated=allocated)
            if refusal:
                raise ValidationError(refusal)
        return quantity


@admin.register(StockLevel, site=site)
class StockLevelAdmin(IdSafeAdmin):
    """Stock is set through ``inventory.services.stock_set`` (row lock, one "stock.set" audit event,
    back-in-stock mails), never by a plain save."""

    form = StockLevelForm
    list_display = ["product", "location", "quantity", "allocated", "available"]
    list_filter = ["location"]
    list_select_related = ["product", "location"]
    search_fields = ["product__sku"]
    autocomplete_fields = ["product"]
    readonly_fields = ["allocated"]  # orders move it, never a person
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return ["allocated", "product", "location"] if obj else ["allocated"]

    def save_model(self, request, obj, form, change):
        level = inventory_services.stock_set(
            product=obj.product, location=obj.location, quantity=obj.quantity, actor=request.user
        )
        obj.pk = level.pk


@admin.register(ProductRequest, site=site)
class ProductRequestAdmin(admin.ModelAdmin):
    list_display = ["created_at", "company", "user", "query", "quantity", "status"]
    list_filter = ["status"]
    list_select_related = ["company", "user"]
    search_fields = ["query", "message", "company__name", "user__email"]
    readonly_fields = ["company", "user", "query", "message", "quantity", "created_at"]
    actions = ["mark_handled"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Mark as handled"))
    def mark_handled(self, request, queryset):
        count = product_requests_mark_handled(requests=queryset, actor=request.user)
        message = ngettext("%(count)d request marked as handled.", "%(count)d requests marked as handled.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)
