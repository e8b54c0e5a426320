"""Rules for the concurrency suite (SECURITY 33).

Row locks and parallel transactions only mean something on PostgreSQL, with every
thread on its own connection and no test-wide transaction around them: inside
Django's ``TestCase`` the threads could not see the test's data and no lock would
ever be contended, so such a test would pass without proving anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

REQUIRE_POSTGRES = "COMPTOIR_REQUIRE_POSTGRES"


def vendor_verdict(vendor: str, environ: Mapping[str, str]) -> tuple[str, str] | None:
    """None to run; ("skip" | "fail", reason) otherwise.

    The SQLite pass skips these tests; the PostgreSQL pass of CI sets
    ``COMPTOIR_REQUIRE_POSTGRES=1`` so a misconfigured run fails instead of skipping silently.
    """
    if vendor == "postgresql":
        return None
    reason = f"the concurrency tests need PostgreSQL (row locks, parallel connections); the database is {vendor}"
    if environ.get(REQUIRE_POSTGRES) == "1":
        return "fail", f"{REQUIRE_POSTGRES}=1 but {reason}: check DATABASE_URL"
    return "skip", reason


def isolation_problem(cls: Any, django_db_kwargs: Mapping[str, Any] | None, uses_db: bool) -> str | None:
    """Why a concurrency test cannot prove anything (not transactional), or None."""
    from django.test import TestCase, TransactionTestCase

    if cls is not None and isinstance(cls, type):
        if issubclass(cls, TestCase):
            return (
                f"{cls.__name__} is a django TestCase: it runs in one transaction that other threads cannot see; "
                "use TransactionTestCase or pytest.mark.django_db(transaction=True)"
            )
        if issubclass(cls, TransactionTestCase):
            return None
    if django_db_kwargs is not None and not django_db_kwargs.get("transaction"):
        return "concurrency tests need pytest.mark.django_db(transaction=True), not a test-wide transaction"
    if uses_db and django_db_kwargs is None:
        return "concurrency tests need pytest.mark.django_db(transaction=True)"
    return None
