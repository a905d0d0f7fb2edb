"""Milestone notices of the service clock: 365, 500, 730 and 1,000 days served, and leave due.

The daily job is run with `today` pinned; the notices it leaves are what a member reads
on her notices page, in her language, naming her loved one from her own record.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from conftest import make_account, signed_in_client
from homeward.accounts.models import Account
from homeward.families import services
from homeward.families.models import LovedOne
from homeward.families.tasks import milestone_notices
from homeward.notices.models import Notice

D = dt.date
NAME = "Алексей Ветров"
SEPTEMBER_21 = D(2022, 9, 21)


def record(owner, region, *, name=NAME, mobilized_on=SEPTEMBER_21, **data):
    return services.loved_one_create(
        owner=owner,
        data={
            "relation": "husband",
            "name": name,
            "mobilized_on": mobilized_on,
            "region": region,
            "status": "serving",
            "status_since": mobilized_on,
            **data,
        },
    )


def notices_of(account) -> set[tuple[str, tuple]]:
    return {(n.kind, tuple(sorted(n.params.items()))) for n in Notice.objects.filter(account=account)}


def days(lo, n):
    return ("clock.days", (("days", n), ("loved_one", lo.pk)))


def leave(lo, since: str):
    return ("clock.leave_due", (("loved_one", lo.pk), ("since", since)))


@pytest.fixture
def anna(chapter_a):
    return make_account("anna", chapter=chapter_a)


@pytest.fixture
def vera(chapter_a):
    return make_account("vera", chapter=chapter_a)


# --- which notices ------------------------------------------------------------------


def test_days_milestones_and_leave_go_to_the_right_owner(anna, vera, chapter_a):
    alexei = record(anna, chapter_a.region)  # 21 Sep 2022: 500 days on 3 Feb 2024
    boris = record(vera, chapter_a.region, name="Борис", mobilized_on=D(2023, 2, 3))  # exactly 365 days
    recent = record(vera, chapter_a.region, name="Сергей", mobilized_on=D(2023, 10, 1))  # 125 days

    created = milestone_notices(today=D(2024, 2, 3))

    assert notices_of(anna) == {days(alexei, 365), days(alexei, 500), leave(alexei, "2023-03-21")}
    assert notices_of(vera) == {days(boris, 365), leave(boris, "2023-08-03")}
    assert created == 5
    assert not Notice.objects.filter(params__loved_one=recent.pk).exists()


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2023, 9, 20), set()),
        (D(2023, 9, 21), {365}),
        (D(2024, 2, 2), {365}),
        (D(2024, 2, 3), {365, 500}),
        (D(2024, 9, 19), {365, 500}),
        (D(2024, 9, 20), {365, 500, 730}),
        (D(2025, 6, 16), {365, 500, 730}),
        (D(2025, 6, 17), {365, 500, 730, 1000}),
    ],
)
def test_a_milestone_arrives_on_its_day_not_the_day_before(anna, chapter_a, today, expected):
    alexei = record(anna, chapter_a.region)

    milestone_notices(today=today)

    got = {n.params["days"] for n in Notice.objects.filter(account=anna, kind="clock.days")}
    assert got == expected
    assert all(n.params["loved_one"] == alexei.pk for n in Notice.objects.filter(account=anna))


@pytest.mark.parametrize(
    ("mobilized_on", "last_leave_on", "day_before", "due_on"),
    [
        (D(2022, 9, 21), None, D(2023, 3, 20), D(2023, 3, 21)),
        (D(2022, 9, 21), D(2023, 4, 10), D(2023, 10, 9), D(2023, 10, 10)),
        # month ends: six months after 31 August is the last day of February
        (D(2022, 8, 31), None, D(2023, 2, 27), D(2023, 2, 28)),
        (D(2023, 8, 31), None, D(2024, 2, 28), D(2024, 2, 29)),
        (D(2022, 9, 30), None, D(2023, 3, 29), D(2023, 3, 30)),
        (D(2022, 10, 31), None, D(2023, 4, 29), D(2023, 4, 30)),
        (D(2022, 9, 21), D(2023, 8, 29), D(2024, 2, 28), D(2024, 2, 29)),
        (D(2022, 9, 21), D(2023, 8, 30), D(2024, 2, 28), D(2024, 2, 29)),
    ],
)
def test_leave_due_arrives_on_the_day_the_clock_says_it_is_due(
    anna, chapter_a, mobilized_on, last_leave_on, day_before, due_on
):
    alexei = record(anna, chapter_a.region, mobilized_on=mobilized_on, last_leave_on=last_leave_on)

    milestone_notices(today=day_before)
    assert not Notice.objects.filter(kind="clock.leave_due").exists()

    milestone_notices(today=due_on)
    assert [n.params for n in Notice.objects.filter(kind="clock.leave_due")] == [
        {"loved_one": alexei.pk, "since": due_on.isoformat()}
    ]


def test_a_new_leave_brings_a_new_notice_six_months_later(anna, chapter_a):
    alexei = record(anna, chapter_a.region)
    milestone_notices(today=D(2023, 3, 21))
    LovedOne.objects.filter(pk=alexei.pk).update(last_leave_on=D(2023, 4, 10))

    milestone_notices(today=D(2023, 10, 9))
    assert Notice.objects.filter(kind="clock.leave_due").count() == 1
    milestone_notices(today=D(2023, 10, 10))

    assert {n.params["since"] for n in Notice.objects.filter(kind="clock.leave_due")} == {"2023-03-21", "2023-10-10"}


# --- idempotent, catching up --------------------------------------------------------


def test_running_twice_creates_nothing_new(anna, vera, chapter_a):
    record(anna, chapter_a.region)
    record(vera, chapter_a.region, name="Борис", mobilized_on=D(2022, 10, 5))
    first = milestone_notices(today=D(2024, 2, 3))
    rows = list(Notice.objects.order_by("id").values_list("id", "account_id", "kind", "key"))

    second = milestone_notices(today=D(2024, 2, 3))

    assert first > 0
    assert second == 0
    assert list(Notice.objects.order_by("id").values_list("id", "account_id", "kind", "key")) == rows


def test_after_days_without_a_run_the_missing_notices_are_caught_up(anna, chapter_a):
    alexei = record(anna, chapter_a.region)
    milestone_notices(today=D(2023, 9, 21))
    assert notices_of(anna) == {days(alexei, 365), leave(alexei, "2023-03-21")}

    # the server was off from September 2023 until July 2025
    created = milestone_notices(today=D(2025, 7, 1))

    assert created == 3
    assert notices_of(anna) == {
        days(alexei, 365),
        days(alexei, 500),
        days(alexei, 730),
        days(alexei, 1000),
        leave(alexei, "2023-03-21"),
    }
    assert milestone_notices(today=D(2025, 7, 2)) == 0


@pytest.mark.parametrize("status", ["home", "killed"])
def test_after_service_ended_no_new_notices(anna, chapter_a, status):
    alexei = record(anna, chapter_a.region)
    milestone_notices(today=D(2023, 9, 21))
    before = notices_of(anna)
    services.loved_one_status_change(loved_one=alexei, status=status, on=D(2023, 10, 26))

    assert milestone_notices(today=D(2025, 7, 1)) == 0
    assert notices_of(anna) == before


def test_someone_recorded_as_already_home_gets_no_notices_at_all(anna, chapter_a):
    record(anna, chapter_a.region, status="home", status_since=D(2023, 10, 26))  # home after 400 days

    assert milestone_notices(today=D(2025, 7, 1)) == 0
    assert not Notice.objects.exists()


def test_other_statuses_still_count(anna, chapter_a):
    for status in ("on_leave", "in_hospital", "missing", "captive"):
        record(anna, chapter_a.region, name=status, status=status, status_since=D(2023, 1, 1))

    milestone_notices(today=D(2023, 9, 21))

    assert Notice.objects.filter(kind="clock.days", params__days=365).count() == 4


# --- nothing personal in a notice ---------------------------------------------------


def test_notices_never_carry_the_name(anna, chapter_a):
    alexei = record(anna, chapter_a.region, unit="в/ч 12345")
    milestone_notices(today=D(2025, 7, 1))
    assert Notice.objects.count() == 5

    for n in Notice.objects.all():
        assert set(n.params) <= {"loved_one", "days", "since"}
        assert n.params["loved_one"] == alexei.pk
    table = connection.ops.quote_name(Notice._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
        raw = repr(cursor.fetchall())
    for word in (*NAME.split(), "12345"):
        assert word not in raw


# --- the notices page ---------------------------------------------------------------


def notice_texts(page: str) -> list[str]:
    items = re.findall(r'<ul class="notices">(.*?)</ul>', page, re.S)
    assert items, "no notices list on the page"
    return [
        " ".join(html.unescape(re.sub(r"<[^>]+>", " ", li)).split())
        for li in re.findall(r"<li[^>]*>(.*?)</li>", items[0], re.S)
    ]


def test_the_notices_page_names_him_from_her_record_in_english(anna, chapter_a):
    alexei = record(anna, chapter_a.region)
    milestone_notices(today=D(2024, 2, 3))
    Account.objects.filter(pk=anna.pk).update(language="en")
    client = signed_in_client(anna)

    response = client.get(reverse("notices:list"))

    page = response.content.decode()
    assert response["Content-Language"] == "en"
    texts = notice_texts(page)
    assert len(texts) == 3
    assert any(t.startswith(f"{NAME} has served 365 days. Open") for t in texts)
    assert any(t.startswith(f"{NAME} has served 500 days. Open") for t in texts)
    assert any(
        t.startswith(f"Leave is due for {NAME} since 2023-03-21 (14 days every six months). Open") for t in texts
    )
    assert f'href="{reverse("families:detail", args=[alexei.pk])}"' in page
    assert re.search(r'<span class="badge">3</span>', page)
    assert all(t.endswith(timezone.localdate().strftime("%m/%d/%Y")) for t in texts)  # English dates

    # the name comes from the record: renamed there, renamed here
    services.loved_one_update(loved_one=alexei, data={"name": "Лёша"})
    page = client.get(reverse("notices:list")).content.decode()
    assert NAME not in page
    assert any(t.startswith("Лёша has served 500 days.") for t in notice_texts(page))


def test_the_notices_page_is_in_russian_for_a_russian_speaker(anna, chapter_a):
    record(anna, chapter_a.region)
    milestone_notices(today=D(2024, 2, 3))
    Account.objects.filter(pk=anna.pk).update(language="ru")

    response = signed_in_client(anna).get(reverse("notices:list"))

    page = response.content.decode()
    assert response["Content-Language"] == "ru"
    assert '<html lang="ru">' in page
    assert len(notice_texts(page)) == 3
    assert all(NAME in t for t in notice_texts(page))
    assert all(t.endswith(timezone.localdate().strftime("%d.%m.%Y")) for t in notice_texts(page))  # Russian dates


def test_the_notice_sentences_are_russian_for_a_russian_speaker(anna, chapter_a):
    record(anna, chapter_a.region)
    milestone_notices(today=D(2024, 2, 3))
    Account.objects.filter(pk=anna.pk).update(language="ru")

    page = signed_in_client(anna).get(reverse("notices:list")).content.decode()

    texts = notice_texts(page)
    assert any(t.startswith(f"{NAME}: 365 дней службы.") for t in texts), texts
    assert any(t.startswith(f"{NAME}: 500 дней службы.") for t in texts), texts
    assert any(t.startswith(f"{NAME}: отпуск положен с 2023-03-21 (14 дней каждые полгода).") for t in texts), texts
    assert not any("has served" in t or "Leave is due" in t for t in texts), texts


def test_marking_read_clears_the_badge(anna, chapter_a):
    record(anna, chapter_a.region)
    milestone_notices(today=D(2024, 2, 3))
    client = signed_in_client(anna)

    response = client.post(reverse("notices:read"))

    assert response.status_code == 302
    assert not Notice.objects.filter(account=anna, read=False).exists()
    assert 'class="badge"' not in client.get(reverse("notices:list")).content.decode()


def test_a_deleted_loved_one_leaves_no_notices_behind(anna, chapter_a):
    alexei = record(anna, chapter_a.region)
    kept = record(anna, chapter_a.region, name="Борис", mobilized_on=D(2023, 1, 10))
    milestone_notices(today=D(2024, 2, 3))

    Account.objects.filter(pk=anna.pk).update(language="en")

    services.loved_one_delete(loved_one=alexei)

    assert not Notice.objects.filter(params__loved_one=alexei.pk).exists()
    assert Notice.objects.filter(params__loved_one=kept.pk).exists()
    page = signed_in_client(anna).get(reverse("notices:list")).content.decode()
    texts = notice_texts(page)
    assert texts and all(t.startswith(("Борис", "Leave is due for Борис")) for t in texts), texts
