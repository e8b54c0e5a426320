from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from comptoir.backoffice.models import AccessRequest
from comptoir.catalog.models import Brand, Season, Tag
from comptoir.companies.vat import vat_number_check
from comptoir.core.numbers import ModelIdMultipleChoiceField
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


class VisibilityFields(forms.Form):
    """The tags, seasons and brands opened to a customer (B1); nothing chosen: the store's default selection."""

    visible_tags = ModelIdMultipleChoiceField(
        label=_("Visible tags"), queryset=Tag.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    visible_seasons = ModelIdMultipleChoiceField(
        label=_("Visible seasons"), queryset=Season.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    visible_brands = ModelIdMultipleChoiceField(
        label=_("Visible brands"),
        queryset=Brand.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Products with any chosen tag, season or brand. Nothing chosen: the store's default selection."),
    )


class GiveAccessWithSelectionForm(GiveAccessForm, VisibilityFields):
    pass


class BulkVisibilityFields(VisibilityFields):
    """The selection for many customers at once: nothing chosen leaves each customer's selection as it is."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visible_brands"].help_text = _(
            "Products with any chosen tag, season or brand replace each customer's selection. "
            "Nothing chosen: each customer keeps its current selection."
        )

    def visibility(self) -> dict[str, list[Any]] | None:
        """The chosen selection, or None when nothing was chosen (leave each customer's as it is)."""
        chosen = {
            "tags": list(self.cleaned_data["visible_tags"]),
            "seasons": list(self.cleaned_data["visible_seasons"]),
            "brands": list(self.cleaned_data["visible_brands"]),
        }
        return chosen if any(chosen.values()) else None


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

    def clean_vat_number(self) -> str:
        typed = self.cleaned_data["vat_number"]
        return vat_number_check(typed) if typed.strip() else ""
