"""A small per-process cache for data read on every page (categories, brands, the
product ids of a catalogue page …). Entries live ``ttl`` seconds, so a change made
in another process shows within that time without a query per request; a change
made in this process calls ``forget``."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
_lock = threading.Lock()
_store: dict[str, tuple[float, Any]] = {}
MAX_ENTRIES = 2000  # a listing page is about 12 KB: at most some 25 MB a process


def remembered(key: str, loader: Callable[[], T], ttl: float = 60.0) -> T:
    """The value kept under ``key``, else ``loader()``, kept ``ttl`` seconds."""
    now = time.monotonic()
    hit = _store.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = loader()
    with _lock:
        if len(_store) >= MAX_ENTRIES:
            # Bounded memory whatever the keys (search words are part of some): drop what has
            # expired, and everything if that is not enough; the next requests refill it.
            for old in [k for k, (expires, _v) in _store.items() if expires <= now]:
                del _store[old]
            if len(_store) >= MAX_ENTRIES:
                _store.clear()
        _store[key] = (now + ttl, value)
    return value


def forget(prefix: str = "") -> None:
    """Drop cached entries (all, or those whose key starts with ``prefix``); tests and writers call it."""
    with _lock:
        for key in [k for k in _store if k.startswith(prefix)]:
            del _store[key]


# One version for the reference data read on every page (store settings, the catalogue): a page
# then reads one token from the shared cache, and a change to either (rare) reloads both.
REFERENCE_VERSION_KEY = "reference:version"


def shared_version(key: str) -> str:
    """A token kept in the shared cache (database or Redis) that writers replace (through
    ``reference_changed``): per-process entries put it in their key, so every process stops
    using them on its next request after a change, not when they expire."""
    from django.core.cache import cache

    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)
        version = cache.get(key) or ""
    return version


def reference_version() -> str:
    """The shared version of the reference data: store settings, price levels, stock locations
    and the catalogue. Per-process entries of them put it in their key."""
    return shared_version(REFERENCE_VERSION_KEY)


def reference_changed() -> None:
    """Reference data changed: forget what this process keeps at once and, on commit, move the
    shared version on so that every other process stops using what it keeps.

    Every write path of the models under the reference version calls it (their services, the
    back office's pages, the imports, the demo seed): no model signal does, so a bulk
    ``update()`` or a data migration is not forgotten silently. Called several times in one
    transaction, it replaces the version once, when the transaction commits.
    """
    from django.db import connection, transaction

    forget()
    if any(entry[1] is _new_reference_version for entry in connection.run_on_commit):  # (savepoints, func, robust)
        return  # already queued in this transaction (dropped with it if it rolls back)
    transaction.on_commit(_new_reference_version)


def _new_reference_version() -> None:
    from django.core.cache import cache

    cache.set(REFERENCE_VERSION_KEY, uuid.uuid4().hex, timeout=None)
