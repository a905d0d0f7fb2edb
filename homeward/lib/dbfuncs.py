"""Small SQL functions that run natively on both SQLite and PostgreSQL.

Django's own date arithmetic and truncation call Python functions per row on SQLite;
these keep aggregates inside the database engine on both.
"""

from django.db import models


class DaysBetween(models.Func):
    """Whole days from `start` to `end` (two dates): end - start."""

    output_field = models.IntegerField()
    arity = 2

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra)


class YearMonth(models.Func):
    """'YYYY-MM' of a date."""

    output_field = models.CharField()
    arity = 1

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="substr(%(expressions)s, 1, 7)", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="to_char(%(expressions)s, 'YYYY-MM')", **extra)
