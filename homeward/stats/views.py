"""Public statistics: a page, JSON and CSV. Cacheable by anyone; nothing personal in them."""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control

from homeward.families.models import Status
from homeward.lib.charts import Bar, column_histogram, horizontal_bars
from homeward.stats.export import stats_csv, stats_dict
from homeward.stats.selectors import movement_stats


def _k_label(k):
    # The same message as _k_count.html, so the page says it one way in each language.
    return ngettext("fewer than %(counter)s", "fewer than %(counter)s", k) % {"counter": k}


@cache_control(public=True, max_age=300)
def stats_page(request):
    stats = movement_stats()
    m = stats.movement
    k_label = _k_label(stats.k)
    status_bars = [Bar(str(label), m.by_status[value]) for value, label in Status.choices]
    month_bars = [Bar(month, m.by_month[month]) for month in stats.months]
    k_label = _k_label(stats.k)

    def shown(n):
        return k_label if n is None else n

    rows = [
        {
            "key": g.key,
            "name": g.name_en if request.LANGUAGE_CODE == "en" else g.name_ru,
            "cells": [
                "—" if g.key == "other" else shown(g.members),
                shown(g.loved_ones),
                *[shown(g.by_status[value]) for value, _label in Status.choices],
                shown(g.beyond_demand),
                g.days_served["median"] if g.days_served else "—",
            ],
        }
        for g in stats.groups
    ]
    context = {
        "stats": stats,
        "rows": rows,
        "statuses": Status.choices,
        "status_chart": horizontal_bars(
            status_bars,
            title=_("Loved ones by status, whole movement"),
            desc="; ".join(f"{b.label}: {b.value if b.value is not None else k_label}" for b in status_bars),
            suppressed_label=k_label,
        ),
        "month_chart": column_histogram(
            month_bars,
            title=_("Loved ones by month of mobilization, whole movement"),
            desc="; ".join(f"{b.label}: {b.value if b.value is not None else k_label}" for b in month_bars),
            suppressed_label=k_label,
        ),
    }
    return render(request, "stats/page.html", context)


@cache_control(public=True, max_age=300)
def stats_json(request):
    return JsonResponse(stats_dict(movement_stats()), json_dumps_params={"ensure_ascii": False})


@cache_control(public=True, max_age=300)
def stats_csv_view(request):
    response = HttpResponse(stats_csv(movement_stats()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="homeward-stats.csv"'
    return response
