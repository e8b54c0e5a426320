from django import forms
from django.utils.translation import gettext_lazy as _


class ProductRequestForm(forms.Form):
    query = forms.CharField(label=_("You searched for"), max_length=200, required=False)
    message = forms.CharField(
        label=_("What are you looking for?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Brand, reference, description: anything that helps us find it."),
    )
    quantity = forms.CharField(label=_("Quantity you need"), max_length=40, required=False)
