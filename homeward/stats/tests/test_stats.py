"""Public statistics, end to end: the page, JSON, CSV and the API, k-anonymous (k = 10).

The movement below has exactly 9 loved ones in chapter A (Moscow): not one of the
published figures — alone, or added and subtracted with any others — may give that 9
away. Suppressed figures read "<10" in JSON and CSV and "fewer than 10" on the page.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import statistics

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import make_account, signed_in_client
from homeward.accounts.models import Account
from homeward.chapters.models import Chapter, Region
from homeward.families import services
from homeward.families.models import LovedOne, Status
from homeward.stats.tests.disclosure import worked_out

K = 10
SUPPRESSED = "<10"
D = dt.date

# (status, month of mobilization) → how many, per group. Chapter A has 9, the other two
# chapters 30 and 38, and 25 were called up from a region without a chapter (Krasnodar).
MOVEMENT = {
    "RU-MOW": {("serving", 9): 9},
    "RU-NVS": {("home", 9): 5, ("home", 10): 12, ("serving", 9): 4, ("serving", 10): 9},
    "RU-SVE": {("home", 9): 9, ("home", 10): 8, ("serving", 9): 10, ("serving", 10): 11},
    "RU-KDA": {("home", 9): 5, ("home", 10): 9, ("serving", 9): 9, ("serving", 10): 2},
}
MEMBERS = {"RU-MOW": 3, "RU-NVS": 12, "RU-SVE": 12}


def chapter_for(code):
    region = Region.objects.get(code=code)
    return Chapter.objects.get_or_create(region=region, defaults={"slug": code.lower()})[0]


def members_of(chapter, n):
    return [make_account(f"{chapter.slug}-{i}", chapter=chapter) for i in range(n)]


def loved_ones(region, owners, spec, *, start=0):
    """Create loved ones from {(status, month): n}: mobilized in 2022 on varying days;
    those home came home 200 days later (within the demanded year)."""
    rows = []
    i = start
    for (status, month), n in spec.items():
        for _ in range(n):
            mobilized = D(2022, month, 1 + i % 28)
            ended = mobilized + dt.timedelta(days=200) if status == "home" else None
            rows.append(
                LovedOne(
                    owner=owners[i % len(owners)],
                    relation="husband",
                    mobilized_on=mobilized,
                    region=region,
                    status=status,
                    status_since=ended or mobilized,
                    service_ended_on=ended,
                )
            )
            i += 1
    LovedOne.objects.bulk_create(rows)
    return rows


def days_served(lo, today):
    return ((lo.service_ended_on or today) - lo.mobilized_on).days


@pytest.fixture
def movement(chapter_a):
    """The movement described above; returns {region code: [LovedOne, ...]}."""
    chapters = {"RU-MOW": chapter_a, "RU-NVS": chapter_for("RU-NVS"), "RU-SVE": chapter_for("RU-SVE")}
    owners = {code: members_of(chapter, MEMBERS[code]) for code, chapter in chapters.items()}
    owners["RU-KDA"] = owners["RU-SVE"]  # members of one chapter whose men were called up elsewhere
    return {code: loved_ones(Region.objects.get(code=code), owners[code], spec) for code, spec in MOVEMENT.items()}


def get_json(url="/stats/stats.json"):
    response = Client().get(url)
    assert response.status_code == 200
    return response.json()


def group(data, key):
    return next(g for g in data["groups"] if g["key"] == key)


FIGURES = ("loved_ones", "beyond_demanded_term", "members")


def published(data) -> dict:
    """Every published figure of the JSON, keyed (group, figure, part); None where withheld."""
    out = {}

    def put(key, value):
        assert value == SUPPRESSED or (isinstance(value, int) and value >= K), (key, value)
        out[key] = None if value == SUPPRESSED else value

    for g in [data["movement"], *data["groups"]]:
        for figure in FIGURES:
            if not (g["key"] == "other" and figure == "members"):
                put((g["key"], figure, ""), g[figure])
        for status, value in g["by_status"].items():
            put((g["key"], "status", status), value)
        for month, value in g["by_mobilization_month"].items():
            put((g["key"], "month", month), value)
    return out


def sums_anyone_knows(data) -> list:
    """The additions that hold between published figures, which any reader can use."""
    keys = [g["key"] for g in data["groups"]]
    statuses = list(data["movement"]["by_status"])
    months = list(data["movement"]["by_mobilization_month"])
    rel = []
    for g in ["movement", *keys]:
        rel.append(([(g, "status", s) for s in statuses], (g, "loved_ones", "")))
        rel.append(([(g, "month", m) for m in months], (g, "loved_ones", "")))
    for figure in ("loved_ones", "beyond_demanded_term"):
        rel.append(([(g, figure, "") for g in keys], ("movement", figure, "")))
    rel.append(([(g, "members", "") for g in keys if g != "other"], ("movement", "members", "")))
    for s in statuses:
        rel.append(([(g, "status", s) for g in keys], ("movement", "status", s)))
    for m in months:
        rel.append(([(g, "month", m) for g in keys], ("movement", "month", m)))
    return rel


def difference_from_the_movement(data, key, figure):
    """Movement minus every other group: None when any figure needed is withheld."""
    others = [g for g in data["groups"] if g["key"] != key and not (figure == "members" and g["key"] == "other")]
    needed = [data["movement"][figure], *[g[figure] for g in others]]
    if SUPPRESSED in needed:
        return None
    return needed[0] - sum(needed[1:])


def figure(page: str, element_id: str) -> str:
    return " ".join(re.search(rf'<dd id="{element_id}">(.*?)</dd>', page, re.S).group(1).split())


def row_cells(page: str, key: str) -> list[str]:
    row = re.search(rf'<tr id="group-{key}">(.*?)</tr>', page, re.S).group(1)
    return [" ".join(html.unescape(c).split()) for c in re.findall(r"<td>(.*?)</td>", row, re.S)]


def json_figure(g: dict, figure: str, key: str):
    """The JSON figure that a CSV row (figure, key) stands for."""
    if figure == "status":
        return g["by_status"][key]
    if figure == "mobilized_in_month":
        return g["by_mobilization_month"][key]
    if figure == "days_served":
        return (g["days_served"] or {}).get(key, "")
    return g[figure]


def csv_rows(body: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body)))


# --- chapter A with 9 ---------------------------------------------------------------


def test_k_is_ten_by_default():
    assert django_settings.K_ANONYMITY == K


def test_nine_in_chapter_a_are_withheld_in_json_and_cannot_be_worked_out(movement):
    data = get_json()

    a = group(data, "ru-mow")
    assert data["k"] == K
    assert data["suppressed_marker"] == SUPPRESSED
    assert a["loved_ones"] == SUPPRESSED
    assert a["beyond_demanded_term"] == SUPPRESSED
    assert a["members"] == SUPPRESSED
    assert set(a["by_status"].values()) == {SUPPRESSED}
    assert set(a["by_mobilization_month"].values()) == {SUPPRESSED}
    assert a["days_served"] is None
    assert data["movement"]["loved_ones"] == 102
    # the subtraction a journalist would try first cannot be done ...
    for figure in FIGURES:
        assert difference_from_the_movement(data, "ru-mow", figure) is None, figure
    # ... nor any chain of them through the breakdowns by status and by month
    figures = published(data)
    assert worked_out(figures, sums_anyone_knows(data)) == {}


def test_the_api_and_the_json_file_publish_the_same(movement):
    assert get_json("/api/v1/stats") == get_json()


def test_the_csv_publishes_the_same_figures(movement):
    data = get_json()
    response = Client().get(reverse("stats:csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response.content.decode())
    a_rows = [r for r in rows if r["group"] == "ru-mow"]
    assert a_rows
    for r in a_rows:
        expected = "" if r["figure"] == "days_served" else SUPPRESSED
        assert r["value"] == expected, r
    # every figure of the CSV is the JSON's figure
    for r in rows:
        if r["figure"] in ("chapters", "followers"):
            continue
        g = data["movement"] if r["group"] == "movement" else group(data, r["group"])
        assert r["value"] == str(json_figure(g, r["figure"], r["key"])), r
    assert not any(r["value"] == "9" for r in rows)


def test_the_page_shows_fewer_than_10_for_chapter_a(movement):
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(reverse("stats:page"))

    page = response.content.decode()
    assert response.status_code == 200
    cells = row_cells(page, "ru-mow")
    assert len(cells) == 2 + len(Status) + 2
    assert cells[:-1] == ["fewer than 10"] * (len(cells) - 1)
    assert cells[-1] == "—"  # no median for fewer than k
    assert ">Moscow</th>" in page
    assert " ".join(re.sub(r"<[^>]+>", " ", page).split()).count(" 9 ") == 0
    assert figure(page, "fig-loved-ones") == "102"


def test_the_page_in_russian_says_menshe(movement):
    response = Client().get(reverse("stats:page"))

    page = response.content.decode()
    assert response["Content-Language"] == "ru"
    assert ">Москва</th>" in page
    assert row_cells(page, "ru-mow")[:-1] == ["меньше 10"] * (len(Status) + 3)
    assert figure(page, "fig-members") == "27"
    charts = re.findall(r"<svg.*?</svg>", page, re.S)
    assert charts and all("fewer than" not in svg for svg in charts)
    assert "меньше 10" in charts[0]  # the text alternative of the chart, too


def test_with_ten_in_chapter_a_the_total_is_shown(movement, chapter_a):
    owner = make_account("eleventh", chapter=chapter_a)
    services.loved_one_create(
        owner=owner,
        data={
            "relation": "son",
            "mobilized_on": D(2022, 9, 30),
            "region": chapter_a.region,
            "status": "serving",
            "status_since": D(2022, 9, 30),
        },
    )

    data = get_json()
    rows = csv_rows(Client().get(reverse("stats:csv")).content.decode())
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("stats:page")).content.decode()

    assert group(data, "ru-mow")["loved_ones"] == 10
    assert data["movement"]["loved_ones"] == 103
    assert next(r["value"] for r in rows if r["group"] == "ru-mow" and r["figure"] == "loved_ones") == "10"
    assert row_cells(page, "ru-mow")[1] == "10"
    assert group(data, "ru-mow")["days_served"] is not None


# --- cells within a big chapter -----------------------------------------------------


@pytest.fixture
def two_chapters(reference_data):
    """30 in Novosibirsk (16 serving, 10 home, 4 captive), 40 in Sverdlovsk and 12 from
    Krasnodar, where there is no chapter."""
    nvs, sve = chapter_for("RU-NVS"), chapter_for("RU-SVE")
    loved_ones(nvs.region, members_of(nvs, 10), {("serving", 9): 16, ("home", 9): 10, ("captive", 10): 4})
    sve_members = members_of(sve, 25)
    loved_ones(sve.region, sve_members, {("serving", 9): 25, ("serving", 10): 15})
    loved_ones(Region.objects.get(code="RU-KDA"), sve_members, {("serving", 9): 12})
    return nvs, sve


def test_a_small_status_count_takes_a_second_cell_of_its_row_with_it(two_chapters):
    data = get_json()

    nvs = group(data, "ru-nvs")
    assert nvs["loved_ones"] == 30
    assert nvs["by_status"]["captive"] == SUPPRESSED  # 4
    assert nvs["by_status"]["home"] == SUPPRESSED  # 10, withheld so that 30 − 16 does not give the 4
    shown = sum(v for v in nvs["by_status"].values() if v != SUPPRESSED)
    assert nvs["loved_ones"] - shown >= K
    assert worked_out(published(data), sums_anyone_knows(data)) == {}


def test_no_group_is_given_away_as_all_serving_by_no_count_being_negative(two_chapters):
    """All 40 in Sverdlovsk and all 12 from other regions are serving; their zeros under
    every other status are withheld. Were Novosibirsk's 16 serving shown, the movement's
    68 serving − 16 = 52 = 40 + 12 would tell it of each of them all the same."""
    data = get_json()

    assert data["movement"]["by_status"]["serving"] == 68
    assert group(data, "ru-sve")["loved_ones"] == 40
    assert group(data, "other")["loved_ones"] == 12
    for key in ("ru-sve", "other", "ru-nvs"):
        assert group(data, key)["by_status"]["serving"] == SUPPRESSED, key
    assert worked_out(published(data), sums_anyone_knows(data)) == {}


def test_members_counts_follow_the_same_rule(two_chapters, chapter_a):
    members_of(chapter_a, 3)

    data = get_json()

    assert group(data, "ru-mow")["members"] == SUPPRESSED
    assert group(data, "ru-nvs")["members"] == SUPPRESSED  # 10, withheld so that 38 − 25 does not give the 3
    assert group(data, "ru-sve")["members"] == 25
    assert data["movement"]["members"] == 38
    assert difference_from_the_movement(data, "ru-mow", "members") is None


def test_a_member_counted_once_however_many_loved_ones_she_has(reference_data):
    nvs = chapter_for("RU-NVS")
    owners = members_of(nvs, 12)
    loved_ones(nvs.region, owners[:1], {("serving", 9): 15})  # one mother, fifteen sons: not fifteen members

    data = get_json()

    assert group(data, "ru-nvs")["members"] == 12
    assert data["movement"]["members"] == 12


# --- days served --------------------------------------------------------------------


def quartiles(days: list[int]) -> dict[str, float]:
    q1, median, q3 = statistics.quantiles(sorted(days), n=4, method="inclusive")
    return {"q1": round(q1, 1), "median": round(median, 1), "q3": round(q3, 1)}


def test_days_served_quartiles_only_for_groups_of_at_least_k_and_right(movement):
    today = timezone.localdate()

    data = get_json()

    assert group(data, "ru-mow")["days_served"] is None  # 9
    assert group(data, "other")["days_served"] is None  # pooled regions: movement-wide only
    for code in ("RU-NVS", "RU-SVE"):
        expected = quartiles([days_served(lo, today) for lo in movement[code]])
        assert group(data, code.lower())["days_served"] == expected, code
    everyone = [days_served(lo, today) for los in movement.values() for lo in los]
    assert data["movement"]["days_served"] == quartiles(everyone)


def test_quartiles_interpolate_between_ranks(reference_data):
    """Ten men in Novosibirsk, home after 100, 110, ..., 190 days."""
    nvs = chapter_for("RU-NVS")
    owners = members_of(nvs, 10)
    LovedOne.objects.bulk_create(
        LovedOne(
            owner=owners[i],
            relation="husband",
            mobilized_on=D(2022, 10, 1),
            region=nvs.region,
            status="home",
            status_since=D(2022, 10, 1) + dt.timedelta(days=100 + 10 * i),
            service_ended_on=D(2022, 10, 1) + dt.timedelta(days=100 + 10 * i),
        )
        for i in range(10)
    )

    data = get_json()

    # positions (n − 1) · p = 2.25, 4.5, 6.75 between the sorted values 100 … 190
    assert group(data, "ru-nvs")["days_served"] == {"q1": 122.5, "median": 145.0, "q3": 167.5}


# --- queries and the cache ----------------------------------------------------------


def grow_to(n, chapters):
    existing = LovedOne.objects.count()
    per = (n - existing) // len(chapters)
    for chapter in chapters:
        accounts = list(Account.objects.filter(memberships__chapter=chapter))
        loved_ones(chapter.region, accounts, {("serving", 9): per // 2, ("home", 10): per - per // 2}, start=existing)


QUERY_BOUND = 7  # version, chapters, one scan, members, quartiles, followers ×2


def test_the_page_takes_the_same_few_queries_for_20_and_for_200_loved_ones(
    reference_data, django_assert_max_num_queries
):
    nvs, sve = chapter_for("RU-NVS"), chapter_for("RU-SVE")
    members_of(nvs, 10)
    members_of(sve, 10)
    client = Client()

    for n in (20, 200):
        grow_to(n, [nvs, sve])
        assert LovedOne.objects.count() == n
        cache.clear()
        with django_assert_max_num_queries(QUERY_BOUND):
            response = client.get(reverse("stats:page"))
        assert response.status_code == 200
        assert figure(response.content.decode(), "fig-loved-ones") == str(n)


def test_a_second_request_is_served_from_the_cache(movement):
    client = Client()
    cache.clear()

    with CaptureQueriesContext(connection) as first:
        one = client.get(reverse("stats:page"))
    with CaptureQueriesContext(connection) as second:
        two = client.get(reverse("stats:page"))

    strip_ids = lambda body: re.sub(r"chart-[td]\d+", "", body.decode())  # noqa: E731  (ids count per render)
    assert strip_ids(one.content) == strip_ids(two.content)
    assert len(second) < len(first)
    assert len(second) <= 2


def test_adding_a_loved_one_changes_the_figures_at_once(two_chapters):
    nvs, _sve = two_chapters
    before = get_json()
    member = nvs.memberships.first().account

    response = signed_in_client(member).post(
        reverse("families:add"),
        {
            "relation": "brother",
            "mobilized_on": "2022-10-05",
            "region": str(nvs.region.pk),
            "status": "serving",
            "status_since": "",
        },
    )

    assert response.status_code == 302
    after = get_json()
    assert before["movement"]["loved_ones"] == 82
    assert after["movement"]["loved_ones"] == 83
    assert group(after, "ru-nvs")["loved_ones"] == 31


def test_deleting_an_account_changes_the_figures_at_once(two_chapters):
    nvs, _sve = two_chapters
    before = get_json()
    member = nvs.memberships.first().account
    had = LovedOne.objects.filter(owner=member).count()

    signed_in_client(member).post(reverse("accounts:delete"), {"current": "a long test passphrase", "confirm": "on"})

    after = get_json()
    assert after["movement"]["loved_ones"] == before["movement"]["loved_ones"] - had
    assert after["movement"]["members"] == before["movement"]["members"] - 1


def test_a_new_chapter_appears_at_once(two_chapters, cast):
    before = get_json()
    region = Region.objects.get(code="RU-KDA")

    response = signed_in_client(cast["admin"]).post(
        reverse("chapters:admin"), {"create-region": str(region.pk), "create-is_open": "on", "create-description": ""}
    )

    assert response.status_code == 302
    assert Chapter.objects.filter(region=region).exists()
    after = get_json()
    assert after["chapters"] == before["chapters"] + 1
    assert "ru-kda" in {g["key"] for g in after["groups"]}


def test_the_statistics_hold_no_one_personal(movement):
    """Nothing in the public figures names or points at a person."""
    lo = LovedOne.objects.filter(region__code="RU-MOW").first()
    services.loved_one_update(loved_one=lo, data={"name": "Алексей Ветров", "unit": "в/ч 12345"})

    bodies = [
        Client().get(url).content.decode()
        for url in (reverse("stats:page"), reverse("stats:json"), reverse("stats:csv"), "/api/v1/stats")
    ]

    for body in bodies:
        assert "Ветров" not in body
        assert "12345" not in body
        assert "ru-mow-0" not in body  # a member's handle
