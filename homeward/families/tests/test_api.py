"""The service clock through the JSON API: /api/v1/loved-ones/{id}/clock (owner only)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from conftest import make_account, signed_in_client
from homeward.families import services

D = dt.date


@pytest.fixture
def loved_one(cast, chapter_a):
    return services.loved_one_create(
        owner=cast["member"],
        data={
            "relation": "husband",
            "name": "Алексей Ветров",
            "mobilized_on": D(2022, 9, 21),
            "region": chapter_a.region,
            "status": "serving",
            "status_since": D(2022, 9, 21),
        },
    )


def clock_url(pk, as_of=None):
    return f"/api/v1/loved-ones/{pk}/clock" + (f"?as_of={as_of}" if as_of is not None else "")


def test_the_owner_gets_500_days_on_3_february_2024(loved_one, client_for):
    response = client_for("member").get(clock_url(loved_one.pk, "2024-02-03"))

    assert response.status_code == 200
    body = response.json()
    assert body["days_served"] == 500
    assert body == {
        "loved_one": loved_one.pk,
        "as_of": "2024-02-03",
        "mobilized_on": "2022-09-21",
        "ended": False,
        "days_served": 500,
        "years": 1,
        "months": 4,
        "days": 13,
        "demanded_term_days": 365,
        "beyond_demanded_term": 135,
        "leave_due": True,
        "leave_due_since": "2023-03-21",
        "comparisons": body["comparisons"],
    }
    by_days = {c["days"]: c for c in body["comparisons"]}
    assert by_days[730]["difference"] == -230
    assert by_days[183]["difference"] == 317
    assert by_days[365]["difference"] == 135
    assert all(c["source"] for c in body["comparisons"])
    assert "Алексей" not in response.content.decode()  # the name is not part of the clock


def test_without_as_of_the_clock_is_for_today(loved_one, client_for):
    from django.utils import timezone

    body = client_for("member").get(clock_url(loved_one.pk)).json()

    assert body["as_of"] == timezone.localdate().isoformat()
    assert body["days_served"] == (timezone.localdate() - D(2022, 9, 21)).days


def test_an_ended_service_stops_the_clock(loved_one, client_for):
    services.loved_one_status_change(loved_one=loved_one, status="killed", on=D(2024, 2, 3))

    body = client_for("member").get(clock_url(loved_one.pk, "2025-01-01")).json()

    assert (body["ended"], body["days_served"], body["leave_due"], body["leave_due_since"]) == (True, 500, False, None)


@pytest.mark.parametrize("role", ["follower", "outsider", "coordinator", "other_coordinator", "admin"])
def test_anyone_else_gets_404(loved_one, client_for, role):
    response = client_for(role).get(clock_url(loved_one.pk, "2024-02-03"))

    assert response.status_code == 404
    assert "days_served" not in response.content.decode()


def test_another_member_of_the_same_chapter_gets_404(loved_one, chapter_a):
    neighbour = make_account("neighbour", chapter=chapter_a)

    assert signed_in_client(neighbour).get(clock_url(loved_one.pk)).status_code == 404


def test_signed_out_gets_401(loved_one):
    response = Client().get(clock_url(loved_one.pk, "2024-02-03"))

    assert response.status_code == 401
    assert "days_served" not in response.content.decode()


def test_a_day_before_mobilization_is_400_with_a_reason(loved_one, client_for):
    response = client_for("member").get(clock_url(loved_one.pk, "2022-09-20"))

    assert response.status_code == 400
    assert response.json() == {"detail": "as_of is before the date of mobilization"}


@pytest.mark.parametrize(
    "junk", ["garbage", "2023-02-30", "2024-13-01", "24-02-03", "", "2024-02-03T25:00", "%00", "1e400"]
)
def test_a_bad_as_of_is_422_not_500(loved_one, client_for, junk):
    response = client_for("member").get(clock_url(loved_one.pk, junk))

    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("pk", [10**30, 2**63, 2**63 - 1, 0, -1, "abc", "1.5"])
def test_an_id_that_cannot_exist_is_404_or_422_never_500(loved_one, client_for, pk):
    response = client_for("member").get(clock_url(pk, "2024-02-03"))

    assert response.status_code in (404, 422), response.status_code


def test_the_openapi_schema_lists_both_paths():
    response = Client().get("/api/v1/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/loved-ones/{loved_one_id}/clock" in paths
    assert "/api/v1/stats" in paths
    clock = paths["/api/v1/loved-ones/{loved_one_id}/clock"]["get"]
    assert {p["name"] for p in clock["parameters"]} == {"loved_one_id", "as_of"}
    assert {"200", "400"} <= set(clock["responses"])


def test_no_interactive_docs_page_that_would_load_a_cdn():
    assert Client().get("/api/v1/docs").status_code == 404
