"""JSON API, /api/v1/ (django-ninja). The schema is at /api/v1/openapi.json; the
interactive docs page is off because it would load scripts from a CDN."""

import datetime as dt

from django.http import Http404
from django.utils import timezone
from ninja import NinjaAPI, Schema, Status
from ninja.security import django_auth

from homeward.families import selectors as family_selectors
from homeward.families.clock import ClockError
from homeward.families.views import clock_for
from homeward.stats.export import stats_dict
from homeward.stats.selectors import movement_stats

api = NinjaAPI(title="Homeward", version="1", urls_namespace="api", docs_url=None, openapi_url="/openapi.json")


class ComparisonOut(Schema):
    name: str
    days: int
    note: str
    source: str
    difference: int


class ClockOut(Schema):
    loved_one: int
    as_of: dt.date
    mobilized_on: dt.date
    ended: bool
    days_served: int
    years: int
    months: int
    days: int
    demanded_term_days: int
    beyond_demanded_term: int
    leave_due: bool
    leave_due_since: dt.date | None
    comparisons: list[ComparisonOut]


class ErrorOut(Schema):
    detail: str


@api.get(
    "/loved-ones/{loved_one_id}/clock",
    response={200: ClockOut, 400: ErrorOut},
    auth=django_auth,
    summary="The service clock of one of your loved ones",
)
def loved_one_clock(request, loved_one_id: int, as_of: dt.date | None = None):
    """Only the member who recorded the loved one gets it; anyone else gets 404 (401 if signed out)."""
    try:
        loved_one = family_selectors.get_loved_one_for(request.user, loved_one_id)
    except Http404:
        return api.create_response(request, {"detail": "Not Found"}, status=404)
    try:
        clock = clock_for(loved_one, as_of or timezone.localdate())
    except ClockError:
        return Status(400, {"detail": "as_of is before the date of mobilization"})
    return Status(
        200,
        {
            "loved_one": loved_one.pk,
            "as_of": clock.as_of,
            "mobilized_on": loved_one.mobilized_on,
            "ended": clock.ended,
            "days_served": clock.days,
            "years": clock.years,
            "months": clock.months,
            "days": clock.rest_days,
            "demanded_term_days": clock.demand_days,
            "beyond_demanded_term": clock.beyond_demand,
            "leave_due": clock.leave_due,
            "leave_due_since": clock.leave_due_since,
            "comparisons": [c.__dict__ for c in clock.comparisons],
        },
    )


@api.get("/stats", summary='Movement statistics (k-anonymous; suppressed figures are "<k")')
def stats(request):
    return stats_dict(movement_stats())
