"""Django's guard against blocking ORM calls inside a running event loop stays on for every test
but the browser tests (which allow them only while Playwright's loop runs: tests/e2e/conftest.py)."""

from __future__ import annotations

import asyncio
import os

import pytest
from django.core.exceptions import SynchronousOnlyOperation

from comptoir.accounts.models import User

pytestmark = pytest.mark.django_db


def test_orm_work_inside_a_running_event_loop_is_refused():
    async def count_users() -> int:
        return User.objects.count()

    assert "DJANGO_ALLOW_ASYNC_UNSAFE" not in os.environ
    with pytest.raises(SynchronousOnlyOperation):
        asyncio.run(count_users())
