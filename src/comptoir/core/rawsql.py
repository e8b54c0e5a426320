"""Reads that run on every page, in SQL written once from the models (docs/decisions/0005).

Building a queryset's SQL costs more CPU than PostgreSQL takes to answer it when the query
is small and runs on every request (a member's companies, a page's prices and stock): half a
millisecond to a millisecond each. These helpers write the SQL text once per process from
the models' tables and columns, pass every value as a parameter, and convert what comes back
with the ORM's own converters (decimals, booleans and JSON on SQLite), so callers get the
same values as from the ORM.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model
from django.db.models.expressions import Expression
from django.db.models.sql import Query

M = TypeVar("M", bound=Model)

Converters = list[tuple[int, list[Callable[..., Any]], Any]]

_converters: weakref.WeakKeyDictionary[BaseDatabaseWrapper, dict[tuple[Field, ...], Converters]] = (
    weakref.WeakKeyDictionary()
)


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def column(model: type[Model], name: str, alias: str = "") -> str:
    """``alias."column"`` of a model's field, quoted."""
    field = model._meta.get_field(name)
    prefix = f"{quote(alias)}." if alias else ""
    if not isinstance(field, Field) or not field.column:
        raise ValueError(f"{model.__name__}.{name} has no column")
    return prefix + quote(field.column)


def table(model: type[Model]) -> str:
    return quote(model._meta.db_table)


def all_columns(model: type[Model], alias: str) -> str:
    """Every concrete column of the model, in the order ``instance`` expects them."""
    return ", ".join(f"{quote(alias)}.{quote(f.column)}" for f in model._meta.concrete_fields)


def placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)


def fetch(sql: str, params: Sequence[Any], fields: Sequence[Field]) -> list[list[Any]]:
    """Run ``sql`` and return its rows, each value converted as the ORM converts ``fields[i]``."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    converters = _converters_for(tuple(fields))
    if not converters:
        return [list(row) for row in rows]
    result = []
    for row in rows:
        values = list(row)
        for position, functions, expression in converters:
            value = values[position]
            for function in functions:
                value = function(value, expression, connection)
            values[position] = value
        result.append(values)
    return result


def instance(model: type[M], values: Iterable[Any]) -> M:
    """A model instance from every concrete column's value, as a queryset would build it."""
    return model.from_db(connection.alias, None, list(values))  # type: ignore[arg-type]


@functools.cache
def concrete_fields(model: type[Model]) -> tuple[Field, ...]:
    return tuple(model._meta.concrete_fields)


@functools.cache
def fields(model: type[Model], *names: str) -> tuple[Field, ...]:
    """The model's fields of these names, in this order: what ``fetch`` converts by."""
    return tuple(model._meta.get_field(name) for name in names)  # type: ignore[misc]


def _converters_for(fields: tuple[Field, ...]) -> Converters:
    wrapper = connections[DEFAULT_DB_ALIAS]  # this thread's connection (``connection`` is a proxy to it)
    known = _converters.setdefault(wrapper, {})
    if fields not in known:
        compiler = wrapper.ops.compiler("SQLCompiler")(Query(None), wrapper, wrapper.alias)
        columns: list[Expression] = [field.get_col(field.model._meta.db_table) for field in fields]
        known[fields] = [
            (position, functions, expression)
            for position, (functions, expression) in compiler.get_converters(columns).items()
        ]
    return known[fields]
