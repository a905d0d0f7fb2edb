"""The statistics as JSON-ready data and as CSV rows. Suppressed figures are "<k"."""

from __future__ import annotations

import csv
import io

from django.utils.translation import get_language

from homeward.stats.selectors import Group, Stats


def _v(value, k):
    return f"<{k}" if value is None else value


def _name(g: Group) -> str:
    return g.name_en if (get_language() or "ru").startswith("en") else g.name_ru


def group_dict(g: Group, k: int) -> dict:
    return {
        "key": g.key,
        "code": g.code,
        "name": _name(g),
        "loved_ones": _v(g.loved_ones, k),
        "by_status": {s: _v(n, k) for s, n in g.by_status.items()},
        "beyond_demanded_term": _v(g.beyond_demand, k),
        "days_served": g.days_served,
        "by_mobilization_month": {m: _v(n, k) for m, n in g.by_month.items()},
        "members": _v(g.members, k),
    }


def stats_dict(stats: Stats) -> dict:
    return {
        "as_of": stats.as_of.isoformat(),
        "k": stats.k,
        "suppressed_marker": f"<{stats.k}",
        "demanded_term_days": stats.demanded_term_days,
        "chapters": stats.chapters,
        "followers": {source: _v(n, stats.k) for source, n in stats.followers.items()},
        "movement": group_dict(stats.movement, stats.k),
        "groups": [group_dict(g, stats.k) for g in stats.groups],
    }


def stats_csv(stats: Stats) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["group", "code", "name", "figure", "key", "value"])
    writer.writerow(["movement", "", "", "chapters", "", stats.chapters])
    for source, n in stats.followers.items():
        writer.writerow(["movement", "", "", "followers", source, _v(n, stats.k)])
    for g in [stats.movement, *stats.groups]:
        d = group_dict(g, stats.k)
        base = [g.key, g.code, d["name"]]
        writer.writerow([*base, "loved_ones", "", d["loved_ones"]])
        writer.writerow([*base, "members", "", d["members"]])
        writer.writerow([*base, "beyond_demanded_term", stats.demanded_term_days, d["beyond_demanded_term"]])
        for s, n in d["by_status"].items():
            writer.writerow([*base, "status", s, n])
        for q in ("q1", "median", "q3"):
            writer.writerow([*base, "days_served", q, "" if g.days_served is None else g.days_served[q]])
        for m, n in d["by_mobilization_month"].items():
            writer.writerow([*base, "mobilized_in_month", m, n])
    return out.getvalue()
