"""A form field with its real type: ``form.fields`` holds plain ``Field``s for the type checker."""

from __future__ import annotations

from typing import TypeVar

from django import forms

F = TypeVar("F", bound=forms.Field)


def field_as(field: forms.Field, kind: type[F]) -> F:
    """``field``, which must be a ``kind`` (e.g. ``forms.ChoiceField``)."""
    if not isinstance(field, kind):
        raise TypeError(f"{type(field).__name__} is no {kind.__name__}")
    return field
