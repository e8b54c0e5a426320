"""Database sessions (DESIGN: never signed-cookie sessions), with the read done in SQL written once.

``SESSION_ENGINE = "comptoir.core.sessions"`` when no Redis is configured: Django's database
session store, unchanged but for the read every request makes, which building with the ORM cost
more CPU than running (core/rawsql.py).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from comptoir.core import rawsql


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        rows = rawsql.fetch(_session_sql(), [self.session_key, now], [Session._meta.get_field("session_data")])
        if not rows:
            self._session_key = None
            return None
        return Session(session_key=self.session_key, session_data=rows[0][0])  # type: ignore[misc]  # a row was found by this key, so it is not None


@cache
def _session_sql() -> str:
    return (
        f"SELECT {rawsql.column(Session, 'session_data')} FROM {rawsql.table(Session)} "  # noqa: S608
        f"WHERE {rawsql.column(Session, 'session_key')} = %s AND {rawsql.column(Session, 'expire_date')} > %s"
    )
