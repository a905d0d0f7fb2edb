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


class MonthStart(models.Func):
    """The first day of a date's month, immutable on both engines (usable in a stored
    generated column): PostgreSQL's date_trunc on a *timestamp* (not on the timestamptz a
    bare date would be cast to, which depends on the time zone); on SQLite, where a date
    is 'YYYY-MM-DD' text, the text with the day replaced."""

    output_field = models.DateField()
    arity = 1

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(substr(%(expressions)s, 1, 8) || '01')", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="(date_trunc('month', (%(expressions)s)::timestamp)::date)", **extra
        )
