"""Formatting for this app's templates (no logic beyond reading a value)."""

import datetime as dt

from django import template

register = template.Library()


@register.filter
def iso_date(value):
    """A date stored as ISO text (in a notice's params) as a date, so `|date` can format it."""
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return value
