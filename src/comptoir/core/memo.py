"""A small per-process cache for reference data read on every page (categories,
brands …). Entries live ``ttl`` seconds, so a change shows everywhere within
that time without a query per request."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

T = TypeVar("T")
_lock = threading.Lock()
_store: dict[str, tuple[float, Any]] = {}


def memoized(key: str, ttl: float = 60.0) -> Callable[[Callable[[], T]], Callable[[], T]]:
    def decorator(loader: Callable[[], T]) -> Callable[[], T]:
        @wraps(loader)
        def wrapped() -> T:
            now = time.monotonic()
            hit = _store.get(key)
            if hit is not None and hit[0] > now:
                return hit[1]
            value = loader()
            with _lock:
                _store[key] = (now + ttl, value)
            return value

        return wrapped

    return decorator


def forget(prefix: str = "") -> None:
    """Drop cached entries (all, or those whose key starts with ``prefix``); tests and writers call it."""
    with _lock:
        for key in [k for k in _store if k.startswith(prefix)]:
            del _store[key]
