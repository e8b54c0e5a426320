from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from comptoir.carts.services import MAX_QUANTITY
from comptoir.core.formfields import field_as
from comptoir.core.numbers import WholeNumberField

ONE_TIME = "one-time"


class CheckoutForm(forms.Form):
    checkout_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    delivery = forms.ChoiceField(label=_("Delivery address"), widget=forms.RadioSelect)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    street = forms.CharField(label=_("Street and number"), max_length=200, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=20, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    country = CountryField(blank=True).formfield(label=_("Country"), required=False)
    billing_number = forms.ChoiceField(label=_("Billing customer number"), required=False)
    delivery_number = forms.ChoiceField(label=_("Delivery customer number"), required=False)
    reference = forms.CharField(label=_("Your reference (PO number)"), max_length=60, required=False)
    remarks = forms.CharField(
        label=_("Remarks"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    requested_delivery_date = forms.DateField(
        label=_("Requested delivery date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, addresses=(), billing_numbers=(), delivery_numbers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.addresses = {str(a.pk): a for a in addresses}
        self.billing_numbers = {str(n.pk): n for n in billing_numbers}
        self.delivery_numbers = {str(n.pk): n for n in delivery_numbers}
        field_as(self.fields["delivery"], forms.ChoiceField).choices = [(str(a.pk), str(a)) for a in addresses] + [
            (ONE_TIME, _("A one-time address (type it below)"))
        ]
        for name, numbers in (("billing_number", billing_numbers), ("delivery_number", delivery_numbers)):
            # A8: only the member's numbers; one is chosen for them, among several they choose.
            choices: list[tuple[str, str | Promise]] = [(str(n.pk), str(n)) for n in numbers]
            if len(choices) > 1:
                choices.insert(0, ("", _("Choose a customer number")))
            field_as(self.fields[name], forms.ChoiceField).choices = choices
            self.fields[name].required = bool(numbers)

    @property
    def one_time_fields(self):
        return [self[name] for name in ("name", "street", "postcode", "city", "country")]

    def clean_requested_delivery_date(self):
        value = self.cleaned_data.get("requested_delivery_date")
        if value and value < timezone.localdate():
            raise forms.ValidationError(_("Choose a date from today on."))
        return value

    def clean(self):
        data = super().clean() or {}
        if data.get("delivery") == ONE_TIME:
            for field in ("name", "street", "postcode", "city", "country"):
                if not data.get(field):
                    self.add_error(field, _("Needed for a one-time address."))
        return data


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class OrderFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    reference = forms.CharField(label=_("Reference or number"), max_length=60, required=False)
    date_from = forms.DateField(
        label=pgettext_lazy("start of a date range", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=pgettext_lazy("end of a date range", "To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        from comptoir.orders.models import OrderStatus

        super().__init__(*args, **kwargs)
        field_as(self.fields["status"], forms.ChoiceField).choices = [("", _("All")), *OrderStatus.choices]


class OnboardingForm(forms.Form):
    """C10 step 1: the new employee (stored under ``ONBOARDING_FIELDS`` keys)."""

    name = forms.CharField(label=_("Full name"), max_length=200)
    start_date = forms.DateField(label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}))
    role = forms.CharField(label=_("Job title or role"), max_length=200, required=False)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    notes = forms.CharField(
        label=_("Notes"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Anything we should know: accounts to open, sizes, where to deliver."),
    )


class OnboardingItemForm(forms.Form):
    sku = forms.CharField(label=_("SKU"), max_length=64)
    quantity = WholeNumberField(label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY, initial=1)


class FastEntryForm(forms.Form):
    lines = forms.CharField(
        label=_("Several products: one per line, SKU and quantity"),
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "DR-100 2\nSW-200 1"}),
    )


class ScanListForm(CheckoutForm):
    """C9: scanned codes, typed or pasted, or a text file from the scanner; then delivery as at checkout."""

    codes = forms.CharField(
        label=_("Scanned codes (one per line; code;quantity also works)"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false", "autocomplete": "off"}),
    )
    file = forms.FileField(label=_("Or a file from the scanner (.txt or .csv)"), required=False)

    def clean_file(self):
        from comptoir.orders.scan_lists import MAX_BYTES

        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > MAX_BYTES:  # checked before anything is read
            raise forms.ValidationError(_("This file is too large (at most %(kb)d KB).") % {"kb": MAX_BYTES // 1024})
        return upload

    def clean(self):
        data = super().clean()
        if not (data.get("codes") or "").strip() and not data.get("file"):
            self.add_error("codes", _("Type or paste the codes, or choose a file."))
        return data

    def scan_text(self) -> str:
        from comptoir.orders.scan_lists import scan_list_decode

        upload = self.cleaned_data.get("file")
        if upload is not None:
            return scan_list_decode(upload.read())
        return self.cleaned_data.get("codes") or ""


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the buyer reads it)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ShippingCostForm(forms.Form):
    amount = forms.DecimalField(label=_("Shipping cost"), min_value=0, max_digits=12, decimal_places=2)


class OnboardingCorrectionForm(OnboardingForm):
    """Staff correct the details of a placed onboarding order (audited by the service)."""
