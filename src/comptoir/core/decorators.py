"""View guards for buyer pages. Objects are always fetched through the buyer, so
another company's object is a 404; a missing right is a 403."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from comptoir.core.http import BuyerRequest, ComptoirRequest

security_log = logging.getLogger("comptoir.security")


def buyer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A logged-in member working for an active company; others are sent to pick or register one."""

    @login_required
    @wraps(view)
    def wrapped(request: ComptoirRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.buyer is None:
            if request.memberships:
                return redirect(f"{reverse('companies:choose')}?{urlencode({'next': request.path})}")
            return redirect("accounts:welcome")
        return view(request, *args, **kwargs)

    return wrapped


def buyer_permission_required(permission: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @buyer_required
        @wraps(view)
        def wrapped(request: BuyerRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.buyer.can(permission):
                security_log.info(
                    "forbidden user=%s company=%s permission=%s path=%s",
                    request.user.pk,
                    request.buyer.company_id,
                    permission,
                    request.path,
                )
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
