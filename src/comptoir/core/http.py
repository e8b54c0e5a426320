"""Typed requests for views, as the middleware leaves them (in the way django-htmx types
``HtmxHttpRequest``).

``BuyerContextMiddleware`` sets ``buyer`` and ``memberships``, ``HtmxMiddleware`` sets ``htmx``.
A view behind ``login_required`` takes an ``AuthenticatedRequest``; one behind
``buyer_required`` (or ``buyer_permission_required``) takes a ``BuyerRequest``, whose buyer is
never None.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django_htmx.middleware import HtmxDetails

    from comptoir.accounts.models import User
    from comptoir.companies.models import Membership
    from comptoir.core.buyer import Buyer


class ComptoirRequest(HttpRequest):
    """Any request past the middleware: the buyer may be None and the visitor anonymous."""

    user: User | AnonymousUser
    buyer: Buyer | None
    memberships: list[Membership]
    htmx: HtmxDetails


class AuthenticatedRequest(ComptoirRequest):
    """A request behind ``login_required``."""

    user: User


class BuyerRequest(AuthenticatedRequest):
    """A request behind ``buyer_required``: a member working for an active company."""

    buyer: Buyer
