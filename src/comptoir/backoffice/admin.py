"""The seller's back office, carried by Django's admin on its own URL (staff only).

Its login goes through allauth (codes, rate limits, MFA) like every other login.
"""

from __future__ import annotations

from functools import update_wrapper
from typing import Any

from allauth.account.decorators import secure_admin_login
from allauth.mfa.models import Authenticator
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comptoir.accounts.models import User
from comptoir.accounts.services import user_address_record
from comptoir.backoffice import services as backoffice_services
from comptoir.backoffice.forms import AddMemberForm, BulkVisibilityFields, GiveAccessWithSelectionForm, VisibilityFields
from comptoir.backoffice.models import AccessRequest, StoreSettings
from comptoir.companies import services as company_services
from comptoir.companies.forms import MemberForm
from comptoir.companies.models import Address, Company, CustomerNumber, Invitation, JoinRequest, Membership
from comptoir.companies.vat import compact as vat_compact
from comptoir.companies.vat import vat_number_check
from comptoir.core.audit import AuditAction, audit
from comptoir.core.formfields import field_as
from comptoir.core.memo import reference_changed
from comptoir.core.models import AuditEvent
from comptoir.core.numbers import ModelIdMultipleChoiceField, is_database_id
from comptoir.core.permissions import Permission
from comptoir.inventory.models import StockLocation
from comptoir.notifications.models import OutgoingEmail
from comptoir.pricing.models import PriceLevel


def queue_counts() -> list[tuple[str | Promise, int, str]]:
    """F5: what waits for the seller, with counts and where to handle it."""
    from django.urls import NoReverseMatch

    from comptoir.catalog.models import ProductRequest
    from comptoir.orders.models import Order, OrderStatus

    def _changelist_url(app: str, model: str, query: str) -> str:
        try:
            return reverse(f"backoffice:{app}_{model}_changelist") + query
        except NoReverseMatch:  # not registered in this build
            return ""

    return [
        (
            _("Registrations to review"),
            Company.objects.filter(status=Company.Status.PENDING).count(),
            reverse("backoffice:companies_company_changelist") + "?status__exact=pending",
        ),
        (
            _("Join requests waiting for a customer's administrator"),
            JoinRequest.objects.filter(status=JoinRequest.Status.PENDING).count(),
            reverse("backoffice:companies_joinrequest_changelist") + "?status__exact=pending",
        ),
        (
            _("Access requests"),
            AccessRequest.objects.filter(status=AccessRequest.Status.NEW).count(),
            reverse("backoffice:backoffice_accessrequest_changelist") + "?status__exact=new",
        ),
        (
            _("Orders awaiting validation"),
            Order.objects.filter(status=OrderStatus.AWAITING_VALIDATION).count(),
            _changelist_url("orders", "order", "?status__exact=awaiting_validation"),
        ),
        (
            _("Product requests"),
            ProductRequest.objects.filter(status=ProductRequest.Status.NEW).count(),
            _changelist_url("catalog", "productrequest", "?status__exact=new"),
        ),
        (
            _("E-mails waiting to be sent"),
            OutgoingEmail.objects.filter(status=OutgoingEmail.Status.QUEUED).count(),
            reverse("backoffice:notifications_outgoingemail_changelist") + "?status__exact=queued",
        ),
    ]


class BackOfficeSite(admin.AdminSite):
    site_header = _("Comptoir back office")
    site_title = _("Comptoir back office")
    index_title = _("Back office")
    index_template = "backoffice/index.html"

    def login(self, request, extra_context=None):
        return secure_admin_login(super().login)(request, extra_context)

    def index(self, request, extra_context=None):
        return super().index(request, {"queues": queue_counts(), **(extra_context or {})})

    def admin_view(self, view, cacheable=False):
        """Staff without a second factor are sent to set one up first (SECURITY 9), when required."""
        inner = super().admin_view(view, cacheable)

        def wrapper(request, *args, **kwargs):
            user = request.user
            if (
                settings.COMPTOIR_STAFF_MFA_REQUIRED
                and user.is_authenticated
                and user.is_staff
                and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
            ):
                messages.warning(request, _("Set up two-factor authentication to use the back office."))
                return redirect("mfa_index")
            return inner(request, *args, **kwargs)

        return update_wrapper(wrapper, inner)


site = BackOfficeSite(name="backoffice")


def _form_page(
    model_admin: admin.ModelAdmin,
    request: Any,
    *,
    title: str | Promise,
    form: forms.Form,
    original: Any,
    submit: str | Promise,
) -> TemplateResponse:
    """A back-office page with one form that a button submits to a service."""
    return TemplateResponse(
        request,
        "backoffice/form.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": title,
            "form": form,
            "opts": model_admin.model._meta,
            "original": original,
            "submit": submit,
        },
    )


class IdSafeAdmin(admin.ModelAdmin):
    """A back-office page that takes only real ids for related objects.

    Django's admin looks related ids up with ``pk__in`` (many-to-many fields, and the autocomplete
    widgets that an add page fills from its query string), and a 20-digit or 5,000-digit id there
    is a server error instead of a form error (see ``core.numbers``).
    """

    def formfield_for_manytomany(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("form_class", ModelIdMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request: Any) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            values = value if isinstance(value, list) else [value]
            if field.is_relation and not all(is_database_id(v) for v in values):
                del initial[name]  # an id no row can have: the field starts empty
        return initial


class AuditedAdmin(IdSafeAdmin):
    """Records who changed what (G5) for every change made in the back office."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        company = obj if isinstance(obj, Company) else getattr(obj, "company", None)
        audit(
            actor=request.user,
            action=AuditAction.for_admin_save(type(obj), created=not change),
            company=company,
            target=obj,
            fields=list(form.changed_data) or None,
        )

    def save_formset(self, request, form, formset, change):
        """Inline rows (members, customer numbers, addresses) are audited like the page itself."""
        super().save_formset(request, form, formset, change)
        parent = form.instance
        company = parent if isinstance(parent, Company) else getattr(parent, "company", None)
        for obj, fields in formset.changed_objects:
            audit(
                actor=request.user,
                action=AuditAction.for_admin_save(type(obj), created=False),
                company=company,
                target=obj,
                fields=list(fields),
            )
        for obj in formset.new_objects:
            audit(
                actor=request.user,
                action=AuditAction.for_admin_save(type(obj), created=True),
                company=company,
                target=obj,
            )


class ReferenceDataAdmin(AuditedAdmin):
    """A page for data read on every page and kept per process under the reference version
    (``core.memo``): every save and delete made here moves the version on, once per request."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        reference_changed()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        reference_changed()  # many-to-many fields and inline rows (a product's images and tags)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        reference_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        reference_changed()


class CustomerNumberInline(admin.TabularInline):
    model = CustomerNumber
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        """The address drop-down offers this customer's own addresses only (none on a new customer)."""
        formset = super().get_formset(request, obj, **kwargs)
        field_as(formset.form.base_fields["address"], forms.ModelChoiceField).queryset = (
            Address.objects.filter(company=obj) if obj else Address.objects.none()
        )
        return formset


class AddressInline(admin.TabularInline):
    model = Address
    extra = 0


class MembershipInline(admin.TabularInline):
    """The customer's members, read only: each row links to the member's page, whose buttons call the services."""

    model = Membership
    extra = 0
    fields = readonly_fields = ("user", "role", "is_active", "orders_need_approval")
    can_delete = False  # members are never deleted, only deactivated
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # "Add member" on the customer's page (companies.services.member_add)

    def has_change_permission(self, request, obj=None):
        return False


class CompanyForm(forms.ModelForm):
    """The customer's page: its VAT number is checked unless staff say they checked it themselves (audited)."""

    class Meta:
        model = Company
        fields = ["name", "vat_number", "vat_number_checked_by_staff"]  # the page adds the rest

    def clean(self):
        cleaned = super().clean() or {}
        typed = cleaned.get("vat_number")
        if typed is None:
            return cleaned
        if cleaned.get("vat_number_checked_by_staff"):
            cleaned["vat_number"] = vat_compact(typed)
            return cleaned
        billing = (
            self.instance.addresses.filter(kind=Address.Kind.BILLING).order_by("-is_active", "pk").first()
            if self.instance.pk
            else None
        )
        try:
            cleaned["vat_number"] = vat_number_check(typed, country=billing.country.code if billing else "")
        except ValidationError as exc:
            self.add_error(
                "vat_number",
                [
                    *exc.messages,
                    _("If you checked that the number is genuine, tick “VAT number checked by staff” to store it."),
                ],
            )
        return cleaned


@admin.register(Company, site=site)
class CompanyAdmin(AuditedAdmin):
    form = CompanyForm
    list_display = [
        "name",
        "vat_number",
        "status",
        "numbers",
        "language",
        "price_level",
        "stock_location",
        "created_at",
    ]
    list_filter = ["status", "language", "price_level", "stock_location"]
    search_fields = ["name", "vat_number", "customer_numbers__number", "email"]
    inlines = [CustomerNumberInline, AddressInline, MembershipInline]
    actions = ["activate", "suspend", "give_access"]
    # The selection (B1) changes through "Change visible products" (backoffice.services.customer_set_visibility).
    readonly_fields = [
        "status",
        "created_at",
        "activated_at",
        "registered_by",
        "visible_tags_display",
        "visible_seasons_display",
        "visible_brands_display",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "vat_number",
                    "vat_number_checked_by_staff",
                    "email",
                    "phone",
                    "language",
                    "status",
                    "created_at",
                    "activated_at",
                    "registered_by",
                ]
            },
        ),
        (
            _("Store"),
            {
                "fields": [
                    "price_level",
                    "stock_location",
                    "validation_required",
                    "approval_above_amount",
                    "private_message",
                ]
            },
        ),
        (
            _("Visible products"),
            {"fields": ["visible_tags_display", "visible_seasons_display", "visible_brands_display"]},
        ),
    ]
    change_form_template = "backoffice/company_change_form.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("customer_numbers")
            .select_related("price_level", "stock_location")
        )

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.vat_number_checked_by_staff and {"vat_number", "vat_number_checked_by_staff"} & set(form.changed_data):
            audit(
                actor=request.user,
                action=AuditAction.COMPANY_VAT_NUMBER_CHECKED_BY_STAFF,
                company=obj,
                target=obj,
                vat_number=obj.vat_number,
            )

    def _selection(self, obj: Company, relation: str) -> str:
        if obj is None or obj.pk is None:
            return "—"
        return ", ".join(str(item) for item in getattr(obj, relation).all()) or "—"

    @admin.display(description=_("Visible tags"))
    def visible_tags_display(self, obj: Company) -> str:
        return self._selection(obj, "visible_tags")

    @admin.display(description=_("Visible seasons"))
    def visible_seasons_display(self, obj: Company) -> str:
        return self._selection(obj, "visible_seasons")

    @admin.display(description=_("Visible brands"))
    def visible_brands_display(self, obj: Company) -> str:
        return self._selection(obj, "visible_brands")

    @admin.display(description=_("customer numbers"))
    def numbers(self, obj):
        return ", ".join(n.number for n in obj.customer_numbers.all())

    @admin.action(description=_("Activate selected customers (assigns a customer number)"))
    def activate(self, request, queryset):
        for company in queryset:
            company_services.company_activate(company=company, actor=request.user)
        self.message_user(
            request,
            ngettext("%d customer activated.", "%d customers activated.", queryset.count()) % queryset.count(),
            messages.SUCCESS,
        )

    @admin.action(description=_("Suspend selected customers"))
    def suspend(self, request, queryset):
        for company in queryset:
            company_services.company_set_status(company=company, status=Company.Status.SUSPENDED, actor=request.user)
        self.message_user(request, _("Customers suspended; their members lost access."), messages.SUCCESS)

    @admin.action(description=_("Give access: invite selected customers (e-mail of the customer record)"))
    def give_access(self, request, queryset):
        """Seed 002 "Ajout multiple": choose the products they will see, then invite them all."""
        form = BulkVisibilityFields(request.POST if "apply" in request.POST else None)
        if not form.is_bound or not form.is_valid():
            return TemplateResponse(
                request,
                "backoffice/give_access_many.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Give access to several customers"),
                    "form": form,
                    "customers": queryset,
                    "opts": self.model._meta,
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        invited, skipped = backoffice_services.customers_give_access(
            companies=list(queryset), actor=request.user, visibility=form.visibility()
        )
        self.message_user(
            request, ngettext("%d invitation sent.", "%d invitations sent.", invited) % invited, messages.SUCCESS
        )
        if skipped:
            self.message_user(
                request,
                _("Not invited (no e-mail, not active, or already a member): %s") % ", ".join(skipped),
                messages.WARNING,
            )

    def get_urls(self):
        return [
            path(
                "<int:pk>/give-access/", self.admin_site.admin_view(self.give_access_view), name="company_give_access"
            ),
            path("<int:pk>/add-member/", self.admin_site.admin_view(self.add_member_view), name="company_add_member"),
            path("<int:pk>/activate/", self.admin_site.admin_view(self.activate_view), name="company_activate"),
            path("<int:pk>/visibility/", self.admin_site.admin_view(self.visibility_view), name="company_visibility"),
            *super().get_urls(),
        ]

    def _check(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied

    def activate_view(self, request, pk):
        self._check(request)
        company = get_object_or_404(Company, pk=pk)
        if request.method == "POST":
            try:
                company_services.company_activate(
                    company=company, actor=request.user, customer_number=request.POST.get("customer_number", "")
                )
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                self.message_user(request, _("%s is active.") % company.name, messages.SUCCESS)
        return redirect("backoffice:companies_company_change", company.pk)

    def give_access_view(self, request, pk):
        self._check(request)
        company = get_object_or_404(Company, pk=pk)
        form = GiveAccessWithSelectionForm(
            request.POST or None,
            initial={
                "email": company.email,
                "private_message": company.private_message,
                "visible_tags": company.visible_tags.all(),
                "visible_seasons": company.visible_seasons.all(),
                "visible_brands": company.visible_brands.all(),
            },
        )
        if request.method == "POST" and form.is_valid():
            try:
                backoffice_services.customer_give_access(
                    company=company,
                    actor=request.user,
                    **{k: form.cleaned_data[k] for k in ("email", "role", "private_message")},
                    visibility={
                        "tags": list(form.cleaned_data["visible_tags"]),
                        "seasons": list(form.cleaned_data["visible_seasons"]),
                        "brands": list(form.cleaned_data["visible_brands"]),
                    },
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
            else:
                self.message_user(
                    request, _("An invitation was sent to %s.") % form.cleaned_data["email"], messages.SUCCESS
                )
                return redirect("backoffice:companies_company_change", company.pk)
        return _form_page(
            self,
            request,
            title=_("Give access to %s") % company.name,
            form=form,
            original=company,
            submit=_("Send invitation"),
        )

    def visibility_view(self, request, pk):
        """B1: the tags, seasons and brands this customer sees, changed through the audited service."""
        self._check(request)
        company = get_object_or_404(Company, pk=pk)
        form = VisibilityFields(
            request.POST or None,
            initial={
                "visible_tags": company.visible_tags.all(),
                "visible_seasons": company.visible_seasons.all(),
                "visible_brands": company.visible_brands.all(),
            },
        )
        if request.method == "POST" and form.is_valid():
            backoffice_services.customer_set_visibility(
                company=company,
                actor=request.user,
                tags=list(form.cleaned_data["visible_tags"]),
                seasons=list(form.cleaned_data["visible_seasons"]),
                brands=list(form.cleaned_data["visible_brands"]),
            )
            self.message_user(request, _("The visible products of %s are saved.") % company.name, messages.SUCCESS)
            return redirect("backoffice:companies_company_change", company.pk)
        return _form_page(
            self,
            request,
            title=_("Visible products of %s") % company.name,
            form=form,
            original=company,
            submit=_("Save the visible products"),
        )

    def add_member_view(self, request, pk):
        self._check(request)
        company = get_object_or_404(Company, pk=pk)
        form = AddMemberForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            company_services.member_add(company=company, actor=request.user, **form.cleaned_data)
            self.message_user(request, _("%s was added.") % form.cleaned_data["email"], messages.SUCCESS)
            return redirect("backoffice:companies_company_change", company.pk)
        return _form_page(
            self,
            request,
            title=_("Add a member to %s") % company.name,
            form=form,
            original=company,
            submit=_("Add member"),
        )


@admin.register(Membership, site=site)
class MembershipAdmin(IdSafeAdmin):
    """Members in the back office (A6-A8).

    Nothing is edited through the generic form: the role, rights, approval rule and customer
    numbers change through ``companies.services.member_update``, activity through
    ``member_set_active`` (buttons and actions below), each recording one audit event. The seller's
    staff are not bound by the members' "only the rights you hold" rule.
    """

    list_display = ["user", "company", "role", "is_active", "orders_need_approval"]
    list_filter = ["role", "is_active"]
    list_select_related = ["user", "company"]
    search_fields = ["user__email", "company__name"]
    actions = ["deactivate_selected", "reactivate_selected"]
    change_form_template = "backoffice/membership_change_form.html"
    fields = readonly_fields = (
        "user",
        "company",
        "role",
        "granted_display",
        "revoked_display",
        "orders_need_approval",
        "customer_numbers_display",
        "is_active",
        "created_at",
    )

    def has_add_permission(self, request):
        return False  # "Add member" on the customer's page

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_manage_permission(self, request, obj=None):
        """Who may press the buttons: staff allowed to change members."""
        user = request.user
        return bool(user.is_active and user.is_staff and user.has_perm("companies.change_membership"))

    @staticmethod
    def _permissions(codes: list[str]) -> str:
        return ", ".join(str(Permission(code).label) for code in codes if code in Permission.values) or "—"

    @admin.display(description=_("Extra permissions"))
    def granted_display(self, obj: Membership) -> str:
        return self._permissions(obj.granted_permissions)

    @admin.display(description=_("Removed permissions"))
    def revoked_display(self, obj: Membership) -> str:
        return self._permissions(obj.revoked_permissions)

    @admin.display(description=_("Customer numbers"))
    def customer_numbers_display(self, obj: Membership) -> str:
        return ", ".join(n.number for n in obj.customer_numbers.all()) or "—"

    # --- Bulk actions --------------------------------------------------------------------

    def _set_active(self, request, queryset, active: bool) -> None:
        changed = 0
        for membership in queryset.select_related("user", "company").order_by("pk"):
            if membership.is_active != active:
                company_services.member_set_active(buyer=None, membership=membership, active=active, actor=request.user)
                changed += 1
        message = ngettext("%(count)d member updated.", "%(count)d members updated.", changed) % {"count": changed}
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description=_("Deactivate selected members"), permissions=["manage"])
    def deactivate_selected(self, request, queryset):
        self._set_active(request, queryset, False)

    @admin.action(description=_("Reactivate selected members"), permissions=["manage"])
    def reactivate_selected(self, request, queryset):
        self._set_active(request, queryset, True)

    # --- The change page's buttons and form ------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/active/", view(self.set_active_view), name="companies_membership_set_active"),
            path("<int:pk>/rights/", view(self.rights_view), name="companies_membership_rights"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        context = {
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "can_manage": self.has_manage_permission(request),
        }
        return super().change_view(request, object_id, form_url, {**context, **(extra_context or {})})

    def _membership_for_manage(self, request, pk: int) -> Membership:
        if not self.has_manage_permission(request):
            raise PermissionDenied
        return get_object_or_404(Membership.objects.select_related("user", "company"), pk=pk)

    def set_active_view(self, request, pk: int):
        membership = self._membership_for_manage(request, pk)
        if request.method == "POST":
            active = request.POST.get("active") == "1"
            company_services.member_set_active(buyer=None, membership=membership, active=active, actor=request.user)
            message = _("%(email)s is active again.") if active else _("%(email)s was deactivated.")
            self.message_user(request, message % {"email": membership.user.email}, messages.SUCCESS)
        return redirect("backoffice:companies_membership_change", membership.pk)

    def rights_view(self, request, pk: int):
        """Role, permission adjustments, approval rule and customer numbers: one form, one service call."""
        membership = self._membership_for_manage(request, pk)
        form = MemberForm(
            request.POST or None,
            initial=MemberForm.initial_for(membership),
            customer_numbers=CustomerNumber.objects.filter(company=membership.company_id),
        )
        if request.method == "POST" and form.is_valid():
            try:
                company_services.member_update(
                    buyer=None,
                    actor=request.user,
                    membership=membership,
                    **form.changes(),
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
            else:
                self.message_user(
                    request, _("%(email)s was updated.") % {"email": membership.user.email}, messages.SUCCESS
                )
                return redirect("backoffice:companies_membership_change", membership.pk)
        return _form_page(
            self,
            request,
            title=_("Role and rights of %(email)s at %(company)s")
            % {"email": membership.user.email, "company": membership.company.name},
            form=form,
            original=membership,
            submit=_("Save role and rights"),
        )


@admin.register(JoinRequest, site=site)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "company", "status", "reported_abuse", "created_at", "decided_by", "decided_at"]
    list_filter = ["status", "reported_abuse"]
    search_fields = ["user__email", "company__name"]
    readonly_fields = [f.name for f in JoinRequest._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Invitation, site=site)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "company", "role", "invited_by", "created_at", "expires_at", "accepted_at", "revoked_at"]
    search_fields = ["email", "company__name"]
    readonly_fields = [f.name for f in Invitation._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(AccessRequest, site=site)
class AccessRequestAdmin(admin.ModelAdmin):
    list_display = ["company_name", "contact_name", "email", "phone", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["company_name", "email", "vat_number"]
    actions = ["mark_handled", "mark_declined"]
    readonly_fields = [
        "company_name",
        "vat_number",
        "contact_name",
        "email",
        "phone",
        "message",
        "language",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Mark as handled"))
    def mark_handled(self, request, queryset):
        for item in queryset:
            backoffice_services.access_request_set_status(access_request=item, status="handled", actor=request.user)

    @admin.action(description=_("Decline"))
    def mark_declined(self, request, queryset):
        for item in queryset:
            backoffice_services.access_request_set_status(access_request=item, status="declined", actor=request.user)


@admin.register(StoreSettings, site=site)
class StoreSettingsAdmin(ReferenceDataAdmin):
    def has_add_permission(self, request):
        return not StoreSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        return redirect("backoffice:backoffice_storesettings_change", StoreSettings.load().pk)


@admin.register(PriceLevel, site=site)
class PriceLevelAdmin(ReferenceDataAdmin):
    list_display = ["name", "code", "currency"]


@admin.register(StockLocation, site=site)
class StockLocationAdmin(ReferenceDataAdmin):
    list_display = ["name", "code", "default_shipping_cost", "currency"]


@admin.register(AuditEvent, site=site)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "company", "action", "target_type", "target_id"]
    list_filter = ["action"]
    search_fields = ["actor__email", "company__name", "action"]
    readonly_fields = ["created_at", "actor", "company", "action", "target_type", "target_id", "data"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutgoingEmail, site=site)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status"]
    exclude = ["message"]
    readonly_fields = ["created_at", "subject", "to", "status", "attempts", "last_error", "sent_at", "last_attempt_at"]

    def has_add_permission(self, request):
        return False


class UserAddForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["email", "full_name"]

    def save(self, commit=True):
        user = super().save(commit=False)
        user.email = User.objects.normalize_address(user.email)
        user.set_unusable_password()  # they log in by code and may set a password later
        if commit:
            user.save()
        return user


@admin.register(User, site=site)
class UserAdmin(DjangoUserAdmin):
    add_form = UserAddForm
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "last_login"]
    search_fields = ["email", "full_name"]
    list_filter = ["is_staff", "is_active"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal data"), {"fields": ["full_name", "phone", "language"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "full_name"]})]
    readonly_fields = ["last_login", "date_joined"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """A person added here, or given another address, gets the address record they log in with."""
        super().save_model(request, obj, form, change)
        if not change or "email" in form.changed_data:
            user_address_record(user=obj)
