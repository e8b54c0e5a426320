"""Guards for the concurrency suite: PostgreSQL only, never inside a test-wide transaction."""

from __future__ import annotations

import os

import pytest
from django.db import connection
from django.test import TransactionTestCase

from tests.concurrency.guard import isolation_problem, vendor_verdict


def pytest_runtest_setup(item: pytest.Item) -> None:
    cls = getattr(item, "cls", None)
    marker = item.get_closest_marker("django_db")
    uses_db = (
        marker is not None
        or bool({"db", "transactional_db"} & set(getattr(item, "fixturenames", ())))
        or (isinstance(cls, type) and issubclass(cls, TransactionTestCase))
    )
    problem = isolation_problem(cls, marker.kwargs if marker else None, uses_db)
    if problem:
        pytest.fail(problem, pytrace=False)
    if uses_db and item.get_closest_marker("postgres") is None:
        pytest.fail("a concurrency test that uses the database must carry the postgres marker", pytrace=False)
    if item.get_closest_marker("postgres") is not None:
        verdict = vendor_verdict(connection.vendor, os.environ)
        if verdict is not None:
            action, reason = verdict
            if action == "fail":
                pytest.fail(reason, pytrace=False)
            pytest.skip(reason)
