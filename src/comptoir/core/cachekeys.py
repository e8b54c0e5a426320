"""Cache keys from structured inputs: one way to build them (docs/dangerous-constructs.md).

A key made by joining values with ":" (or by Django's ``{% cache %}`` tag, which does the
same before hashing) lets two different inputs share an entry: the search "a:b" with no brand
and the search "a" with the brand "b:" give the same text. Here the inputs are written as JSON,
which quotes every string and keeps every position, and hashed, so that different inputs give
different keys and a key stays short whatever was typed.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


def _plain(value: Any) -> Any:
    """Sets as sorted lists (their order means nothing); anything else JSON cannot write is refused."""
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot put a {type(value).__name__} in a cache key")


def cache_key(namespace: str, *parts: Any) -> str:
    """``namespace`` (a constant naming what is kept) and the sha256 of the JSON of ``parts``.

    ``parts`` may hold strings, numbers, booleans, None, and lists, tuples and sets of them.
    """
    text = json.dumps(parts, ensure_ascii=False, separators=(",", ":"), default=_plain)
    return f"{namespace}:{hashlib.sha256(text.encode('utf-8', 'surrogatepass')).hexdigest()}"
