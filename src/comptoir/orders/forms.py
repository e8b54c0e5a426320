from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

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
    reference = forms.CharField(label=_("Your reference (PO number)"), max_length=60, required=False)
    remarks = forms.CharField(
        label=_("Remarks"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    requested_delivery_date = forms.DateField(
        label=_("Requested delivery date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, addresses=(), billing_numbers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.addresses = {str(a.pk): a for a in addresses}
        self.billing_numbers = {str(n.pk): n for n in billing_numbers}
        self.fields["delivery"].choices = [(str(a.pk), str(a)) for a in addresses] + [
            (ONE_TIME, _("A one-time address (type it below)"))
        ]
        self.fields["billing_number"].choices = [(str(n.pk), str(n)) for n in billing_numbers]
        self.fields["billing_number"].required = bool(billing_numbers)

    @property
    def one_time_fields(self):
        return [self[name] for name in ("name", "street", "postcode", "city", "country")]

    def clean_requested_delivery_date(self):
        value = self.cleaned_data.get("requested_delivery_date")
        if value and value < timezone.localdate():
            raise forms.ValidationError(_("Choose a date from today on."))
        return value

    def clean(self):
        data = super().clean()
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
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        from comptoir.orders.models import OrderStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *OrderStatus.choices]
