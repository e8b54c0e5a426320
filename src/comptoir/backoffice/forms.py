from django import forms
from django.utils.translation import gettext_lazy as _

from comptoir.backoffice.models import AccessRequest
from comptoir.core.permissions import Role


class GiveAccessForm(forms.Form):
    """Invite one customer (seed 002 "Donner accès")."""

    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.ADMINISTRATOR)
    private_message = forms.CharField(
        label=_("Private message"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in the store header to this customer's members."),
    )
    visible_selection = forms.CharField(
        label=_("Visible tags, seasons and brands"),
        required=False,
        disabled=True,
        help_text=_("Available once the catalogue is set up; until then the store's default selection applies."),
    )


class AddMemberForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), help_text=_("A plus-address (buyer+site1@example.com) is a separate login.")
    )
    full_name = forms.CharField(label=_("Full name"), required=False, max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.SEE_PRICES_AND_ORDER)


class AccessRequestForm(forms.ModelForm):
    class Meta:
        model = AccessRequest
        fields = ["company_name", "vat_number", "contact_name", "email", "phone", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}
