"""Pieces the appeals views share: k-anonymous display and the chart helpers."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from homeward.appeals.aggregates import ANSWER_KINDS, KINDS, Row
from homeward.appeals.models import Outcome
from homeward.lib.charts import Bar, horizontal_bars


def k_value(n: int | None) -> int | None:
    """A count shown only when it covers at least k people."""
    return n if n is not None and n >= settings.K_ANONYMITY else None


def k_label() -> str:
    return _("fewer than %(k)s") % {"k": settings.K_ANONYMITY}


def shown(n: int | None) -> str:
    return k_label() if n is None else str(n)


KIND_LABELS = dict(Outcome.choices)
#: Ledger columns in reading order: answers first, then what did not come.
LEDGER_KINDS = [*ANSWER_KINDS, Outcome.FORWARDED.value, Outcome.NO_ANSWER.value, Outcome.PENDING.value]
assert sorted(LEDGER_KINDS) == sorted(KINDS)


def answers_chart(row: Row, *, title: str):
    bars = [Bar(str(KIND_LABELS[kind]), row.kinds.get(kind)) for kind in LEDGER_KINDS]
    desc = "; ".join(f"{b.label}: {shown(b.value)}" for b in bars)
    return horizontal_bars(bars, title=title, desc=desc, suppressed_label=k_label())


def table_rows(rows: list[tuple[str, str, Row]]) -> list[dict]:
    """Ledger rows for the template: (label, url, Row) → cells in LEDGER_KINDS order."""
    return [
        {
            "key": row.key,
            "label": label,
            "url": url,
            "total": row.total,
            "cells": [row.kinds.get(kind) for kind in LEDGER_KINDS],
            "median": row.median_days,
        }
        for label, url, row in rows
    ]
