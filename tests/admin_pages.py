"""Back-office pages sent back as a browser would."""

from __future__ import annotations

from django import forms


def form_data(form: forms.BaseForm) -> dict[str, object]:
    """What the browser sends back for ``form`` as shown, unchanged (files left as they are)."""
    data: dict[str, object] = {}
    for field in form:
        if isinstance(field.field, forms.FileField):
            continue
        value = field.value()
        if isinstance(field.field.widget, forms.CheckboxInput):
            if value:
                data[field.html_name] = "on"
        elif value is None:
            data[field.html_name] = ""
        elif isinstance(value, list | tuple):
            data[field.html_name] = [str(v) for v in value]
        else:
            data[field.html_name] = str(value)
    return data


def change_page_data(client, url: str) -> dict[str, object]:
    """The whole change page (the form and its inline rows), as a browser would send it back."""
    response = client.get(url)
    assert response.status_code == 200
    data = form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(form_data(formset.management_form))
        for row in formset.forms:
            data.update(form_data(row))
    return data
