"""One row by primary key, for the few reads every signed-in request (or a hot POST) makes.

`Model.objects.get(pk=...)` compiles its SQL on every call; for a one-row lookup that is
most of its cost (about ten times the round trip to PostgreSQL). `get_by_pk` builds the
same SELECT once per model and column set, runs it through Django's cursor (so query
logging, `CaptureQueriesContext` and database error wrapping still apply) and makes the
instance with the backend's own value converters and `Model.from_db`, exactly as the
ORM would: what comes back is indistinguishable from `.only(*fields).get(pk=pk)`.
"""

from __future__ import annotations

from functools import cache

from django.db import connections, router
from django.db.models import Model


@cache
def _plan(model: type[Model], fields: tuple[str, ...] | None, alias: str):
    connection = connections[alias]
    opts = model._meta
    chosen = [f for f in opts.concrete_fields if fields is None or f.name in fields or f.attname in fields]
    if fields is not None and opts.pk not in chosen:
        chosen.insert(0, opts.pk)
    quote = connection.ops.quote_name
    sql = "SELECT {} FROM {} WHERE {} = %s".format(  # noqa: S608  (quoted names from the model)
        ", ".join(quote(f.column) for f in chosen), quote(opts.db_table), quote(opts.pk.column)
    )
    converters = []
    for i, field in enumerate(chosen):
        col = field.get_col(opts.db_table)
        funcs = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if funcs:
            converters.append((i, col, funcs))
    return sql, [f.attname for f in chosen], converters


def get_by_pk(model: type[Model], pk, *, fields: tuple[str, ...] | None = None, using: str | None = None):
    """The instance with primary key `pk` (only `fields` loaded, if given), else `model.DoesNotExist`."""
    using = using or router.db_for_read(model)
    sql, names, converters = _plan(model, fields, using)
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(sql, [model._meta.pk.get_db_prep_value(pk, connection)])
        row = cursor.fetchone()
    if row is None:
        raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
    if converters:
        row = list(row)
        for i, col, funcs in converters:
            value = row[i]
            for func in funcs:
                value = func(value, col, connection)
            row[i] = value
    return model.from_db(using, names, row)
