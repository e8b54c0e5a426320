"""The concurrency suite refuses to prove nothing (SECURITY 33): these run on every database."""

from __future__ import annotations

from django.test import SimpleTestCase, TestCase, TransactionTestCase

from tests.concurrency.guard import REQUIRE_POSTGRES, isolation_problem, vendor_verdict


def test_postgresql_runs_the_suite():
    assert vendor_verdict("postgresql", {}) is None
    assert vendor_verdict("postgresql", {REQUIRE_POSTGRES: "1"}) is None


def test_sqlite_skips_the_suite_with_the_reason():
    action, reason = vendor_verdict("sqlite", {})
    assert action == "skip"
    assert "need PostgreSQL" in reason
    assert "sqlite" in reason


def test_sqlite_fails_the_suite_when_ci_requires_postgresql():
    action, reason = vendor_verdict("sqlite", {REQUIRE_POSTGRES: "1"})
    assert action == "fail"
    assert f"{REQUIRE_POSTGRES}=1" in reason
    assert "DATABASE_URL" in reason


def test_a_django_testcase_is_refused():
    class Wrapped(TestCase):
        pass

    assert "django TestCase" in isolation_problem(Wrapped, None, uses_db=True)


def test_a_transaction_testcase_is_accepted():
    class Transactional(TransactionTestCase):
        pass

    assert isolation_problem(Transactional, None, uses_db=True) is None


def test_the_django_db_marker_must_ask_for_transactions():
    assert "transaction=True" in isolation_problem(None, {}, uses_db=True)
    assert "transaction=True" in isolation_problem(None, {"transaction": False}, uses_db=True)
    assert isolation_problem(None, {"transaction": True}, uses_db=True) is None


def test_a_database_fixture_without_the_marker_is_refused():
    assert "transaction=True" in isolation_problem(None, None, uses_db=True)


def test_tests_without_the_database_are_left_alone():
    assert isolation_problem(None, None, uses_db=False) is None
    assert isolation_problem(SimpleTestCase, None, uses_db=False) is None
