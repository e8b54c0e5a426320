"""The authentication backend: allauth's, with the user read on every request in SQL written once."""

from __future__ import annotations

from functools import cache
from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model

from comptoir.core import rawsql


class AuthenticationBackend(AllauthBackend):
    """allauth's backend (login by e-mail), unchanged but for ``get_user``.

    Django calls ``get_user`` on every request of a signed-in user; building that query with the
    ORM cost more CPU than running it (core/rawsql.py). Inactive users are refused as before.
    """

    def get_user(self, user_id: Any) -> Any:
        model = get_user_model()
        rows = rawsql.fetch(_user_sql(), [user_id], rawsql.concrete_fields(model))
        if not rows:
            return None
        user = rawsql.instance(model, rows[0])
        return user if self.user_can_authenticate(user) else None


@cache
def _user_sql() -> str:
    model = get_user_model()
    return (
        f"SELECT {rawsql.all_columns(model, 'u')} FROM {rawsql.table(model)} u "  # noqa: S608
        f"WHERE {rawsql.column(model, 'id', 'u')} = %s"
    )
