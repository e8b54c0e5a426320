"""Rate-limit counters in a cache of their own, which never evicts a live counter (SECURITY 5, 8, 38).

allauth's limiter counts the tries of its own actions (login failures, code requests …) and of
Comptoir's (``ACCOUNT_RATE_LIMITS``: orders, invitations, share links, PDFs …) in
``django.core.cache.cache``, and marks used authenticator-app codes there. Django's database
cache, once over ``MAX_ENTRIES``, deletes a third of its entries, lowest keys first: whoever
fills the cache (for instance by asking codes for many addresses) would reset a victim's
login-failure counter. So these entries live in the ``"ratelimit"`` cache, where an entry goes
only when its own timeout has passed:

- without Redis, a table of its own (``comptoir_ratelimit``) kept by ``RateLimitDatabaseCache``;
- with Redis, keys under their own prefix (or ``RATE_LIMIT_REDIS_URL``), on a server that must
  not evict keys (``maxmemory-policy noeviction``, docs/operations.md).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.utils.connection import ConnectionProxy

RATE_LIMIT_CACHE = "ratelimit"

# allauth's modules that name ``django.core.cache.cache`` for limits; no setting chooses another
# cache (django-allauth 65), so their module attribute is pointed at the "ratelimit" cache.
ALLAUTH_LIMIT_MODULES = (
    "allauth.core.internal.ratelimit",  # every ACCOUNT_RATE_LIMITS action
    "allauth.mfa.totp.internal.auth",  # authenticator-app codes already used
)


class RateLimitDatabaseCache(DatabaseCache):
    """Django's database cache, except that it makes room only by deleting expired entries.

    ``MAX_ENTRIES`` is the size above which a write first deletes the expired rows (an indexed
    ``DELETE``); a live counter stays until its timeout, however many others are written. Every
    limit has a duration (at most an hour here), so the table holds at most an hour of counters.
    """

    _table: str  # set by DatabaseCache.__init__ from LOCATION

    def _cull(self, db: str, cursor: Any, now: datetime, num: int) -> None:
        ops = connections[db].ops
        cursor.execute(
            f"DELETE FROM {ops.quote_name(self._table)} WHERE {ops.quote_name('expires')} < %s",  # noqa: S608 - names from settings
            [ops.adapt_datetimefield_value(now)],
        )


def count_limits_in_their_own_cache() -> None:
    """Point allauth's limiter and its used-code marks at the "ratelimit" cache (core's ``ready()``)."""
    from importlib import import_module

    for name in ALLAUTH_LIMIT_MODULES:
        module = import_module(name)
        if not isinstance(getattr(module, "cache", None), ConnectionProxy):
            raise ImproperlyConfigured(f"{name} no longer keeps its counters in `cache`: check rate limits.")
        module.cache = ConnectionProxy(caches, RATE_LIMIT_CACHE)  # type: ignore[attr-defined]  # checked just above
