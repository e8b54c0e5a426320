from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from phonenumber_field.formfields import PhoneNumberField

from comptoir.companies.vat import vat_number_check
from comptoir.core.formfields import field_as
from comptoir.core.numbers import ModelIdMultipleChoiceField
from comptoir.core.permissions import Permission, Role, roles_within


class AddressFields(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    street = forms.CharField(label=_("Street and number"), max_length=200)
    postcode = forms.CharField(label=_("Postcode"), max_length=20)
    city = forms.CharField(label=_("City"), max_length=100)
    country = CountryField().formfield(label=_("Country"))


class CompanyRegistrationForm(forms.Form):
    name = forms.CharField(label=_("Company name"), max_length=200)
    vat_number = forms.CharField(
        label=_("VAT or company number"),
        max_length=40,
        help_text=_("We only work with businesses: a VAT or company registration number is required."),
        error_messages={"required": _("We only work with businesses: enter your VAT or company number.")},
    )
    phone = PhoneNumberField(label=_("Phone"), required=False, region="BE")
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    full_name = forms.CharField(label=_("Your name"), max_length=150)


class JoinCompanyForm(forms.Form):
    customer_number = forms.CharField(label=_("Customer number"), max_length=40)
    vat_number = forms.CharField(label=_("VAT or company number"), max_length=40)
    message = forms.CharField(
        label=_("Message to the administrator"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_vat_number(self) -> str:
        """Checked for its format only: whether it matches a customer is never told here."""
        vat_number_check(self.cleaned_data["vat_number"])
        return self.cleaned_data["vat_number"]


def offer_only(field: forms.Field, values: Iterable[str]) -> None:
    """Offer only the choices the member may give; any known value is still accepted, so the
    service refuses the others with a message that says why (core.permissions.check_rights_change)."""
    keep = set(values)
    choices = cast("Iterable[tuple[str, Any]]", field_as(field, forms.ChoiceField).choices)
    field.widget.choices = [(value, label) for value, label in choices if value in keep]


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.SEE_PRICES_AND_ORDER)
    message = forms.CharField(
        label=_("Personal message"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, actor_rights: frozenset[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if actor_rights is not None:
            offer_only(self.fields["role"], roles_within(actor_rights))


class MemberForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    granted = forms.MultipleChoiceField(
        label=_("Extra permissions"),
        choices=Permission.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Given on top of the role."),
    )
    revoked = forms.MultipleChoiceField(
        label=_("Removed permissions"),
        choices=Permission.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Taken away from the role."),
    )
    orders_need_approval = forms.BooleanField(label=_("Orders need approval"), required=False)
    customer_numbers = ModelIdMultipleChoiceField(
        label=_("Customer numbers"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        customer_numbers: Any = None,
        actor_rights: frozenset[str] | None = None,
        current_role: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field_as(self.fields["customer_numbers"], forms.ModelMultipleChoiceField).queryset = customer_numbers
        if actor_rights is not None:
            offer_only(self.fields["role"], [*roles_within(actor_rights), current_role])
            offer_only(self.fields["granted"], actor_rights)

    def changes(self) -> dict[str, Any]:
        """The cleaned values, as ``member_update`` takes them."""
        data = self.cleaned_data
        return {
            "role": data["role"],
            "granted": data["granted"],
            "revoked": data["revoked"],
            "orders_need_approval": data["orders_need_approval"],
            "customer_numbers": list(data["customer_numbers"]),
        }

    @staticmethod
    def initial_for(membership: Any) -> dict[str, Any]:
        """The form's values for a member as they are now."""
        return {
            "role": membership.role,
            "granted": membership.granted_permissions,
            "revoked": membership.revoked_permissions,
            "orders_need_approval": membership.orders_need_approval,
            "customer_numbers": list(membership.customer_numbers.all()),
        }


class JoinDecisionForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.SEE_PRICES_AND_ORDER)

    def __init__(self, *args: Any, actor_rights: frozenset[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if actor_rights is not None:
            offer_only(self.fields["role"], roles_within(actor_rights))


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    phone = PhoneNumberField(label=_("Phone"), required=False, region="BE")
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("My browser's language")), *settings.LANGUAGES], required=False
    )
