"""Not found, and logged: every buyer-facing lookup of another company's object ends here (SECURITY 42)."""

from __future__ import annotations

import logging

from django.http import Http404

from comptoir.core.buyer import Buyer

security_log = logging.getLogger("comptoir.security")


def not_found(buyer: Buyer, kind: str, key: object) -> Http404:
    """Log who asked for what, then return the 404 to raise (never the object's existence)."""
    security_log.info("not_found user=%s company=%s %s=%s", buyer.user.pk, buyer.company_id, kind, str(key)[:64])
    return Http404()
