"""Loved ones (близкие) through the pages a member uses: add, see the clock, change status,
edit, delete — and nobody but her ever reaching the record."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import make_account, signed_in_client
from homeward.accounts.models import Account
from homeward.families import services
from homeward.families.models import LovedOne, StatusChange
from homeward.families.tasks import milestone_notices
from homeward.notices.models import Notice

NAME = "Алексей Ветров"
UNIT = "в/ч 12345, 2-я рота"
D = dt.date


pytestmark = pytest.mark.usefixtures("pages_in_english")


def form_data(region, **overrides):
    data = {
        "relation": "husband",
        "name": NAME,
        "mobilized_on": "2022-09-21",
        "region": str(region.pk),
        "unit": UNIT,
        "status": "serving",
        "status_since": "2022-09-21",
        "last_leave_on": "",
        "last_contact_on": "2024-01-20",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def record(owner, region, **data):
    defaults = {
        "relation": "husband",
        "name": NAME,
        "unit": UNIT,
        "mobilized_on": D(2022, 9, 21),
        "region": region,
        "status": "serving",
        "status_since": D(2022, 9, 21),
    }
    return services.loved_one_create(owner=owner, data={**defaults, **data})


@pytest.fixture
def loved_one(cast, chapter_a):
    return record(cast["member"], chapter_a.region)


def text_of(body: str, element_id: str) -> str:
    """The visible text of the element with this id, tags removed, spaces collapsed."""
    match = re.search(rf'<(\w+)[^>]*\bid="{element_id}"[^>]*>(.*?)</\1>', body, re.S)
    assert match, f"no element with id={element_id}"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(2))).split())


def table_rows(body: str, element_id: str) -> list[list[str]]:
    """The body rows of a table as lists of cell texts."""
    table = re.search(rf'<table[^>]*\bid="{element_id}"[^>]*>(.*?)</table>', body, re.S).group(1)
    tbody = re.search(r"<tbody>(.*?)</tbody>", table, re.S).group(1)
    return [
        [
            " ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split())
            for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", tbody, re.S)
    ]


def errors_in(body: str) -> list[str]:
    return [html.unescape(e) for e in re.findall(r'<p class="error" role="alert">(.*?)</p>', body, re.S)]


def raw_columns(pk, *columns):
    table = LovedOne._meta.db_table
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {cols} FROM {connection.ops.quote_name(table)} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()


def detail_url(lo, **query):
    url = reverse("families:detail", args=[lo.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


# --- adding -------------------------------------------------------------------------


def test_a_member_adds_a_loved_one_and_the_name_and_unit_are_stored_encrypted(cast, client_for, chapter_a):
    client = client_for("member")

    response = client.post(reverse("families:add"), form_data(chapter_a.region))

    lo = LovedOne.objects.get(owner=cast["member"])
    assert response.status_code == 302
    assert response["Location"] == reverse("families:detail", args=[lo.pk])
    assert (lo.name, lo.unit, lo.relation) == (NAME, UNIT, "husband")
    assert (lo.mobilized_on, lo.region, lo.status, lo.status_since) == (
        D(2022, 9, 21),
        chapter_a.region,
        "serving",
        D(2022, 9, 21),
    )
    assert lo.last_contact_on == D(2024, 1, 20)
    assert lo.last_leave_on is None
    assert list(lo.history.values_list("status", "on")) == [("serving", D(2022, 9, 21))]
    raw_name, raw_unit = raw_columns(lo.pk, "name", "unit")
    for raw, plain in ((raw_name, NAME), (raw_unit, UNIT)):
        assert raw.startswith("hw1:")
        assert plain not in raw
        assert plain.split()[0] not in raw

    page = client.get(response["Location"]).content.decode()
    assert "Saved. Only you can see this record." in page
    assert NAME in page
    assert UNIT in page


@pytest.mark.parametrize(("relation", "called"), [("son", "Son"), ("husband", "Husband"), ("other", "Loved one")])
def test_without_a_name_the_record_is_called_by_the_relation(cast, client_for, chapter_a, relation, called):
    client = client_for("member")

    client.post(reverse("families:add"), form_data(chapter_a.region, name="", unit="", relation=relation))

    lo = LovedOne.objects.get(owner=cast["member"])
    assert raw_columns(lo.pk, "name", "unit") == ("", "")
    assert f"<h1>{called}</h1>" in client.get(detail_url(lo)).content.decode()


def test_the_status_date_defaults_to_the_day_of_mobilization(cast, client_for, chapter_a):
    client_for("member").post(reverse("families:add"), form_data(chapter_a.region, status_since=""))

    lo = LovedOne.objects.get(owner=cast["member"])
    assert lo.status_since == D(2022, 9, 21)
    assert list(lo.history.values_list("on", flat=True)) == [D(2022, 9, 21)]


def test_adding_someone_who_is_already_home_stops_his_clock(cast, client_for, chapter_a):
    client = client_for("member")

    client.post(reverse("families:add"), form_data(chapter_a.region, status="home", status_since="2023-06-01"))

    lo = LovedOne.objects.get(owner=cast["member"])
    assert lo.service_ended_on == D(2023, 6, 1)
    page = client.get(detail_url(lo)).content.decode()
    assert text_of(page, "days-served") == "253 days"
    assert 'id="leave"' not in page


# --- the clock ----------------------------------------------------------------------


def test_the_clock_on_3_february_2024_shows_500_days_a_chart_and_the_comparisons(loved_one, client_for):
    response = client_for("member").get(detail_url(loved_one, as_of="2024-02-03"))

    page = response.content.decode()
    assert response.status_code == 200
    assert text_of(page, "days-served") == "500 days"
    assert "1 year, 4 months, 13 days" in " ".join(page.split())
    assert text_of(page, "beyond-demand") == "135 days beyond the demanded term of service"
    assert text_of(page, "leave").startswith("Leave is due since 03/21/2023")
    # the chart: inline SVG with a text alternative naming him and every bar
    svg = re.search(r"<svg[^>]*role=\"img\"[^>]*>.*?</svg>", page, re.S).group(0)
    title = html.unescape(re.search(r"<title[^>]*>(.*?)</title>", svg, re.S).group(1))
    desc = html.unescape(re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S).group(1))
    assert title == f"Days served by {NAME} against past terms of service"
    assert "Served so far: 500 days" in desc
    assert "The movement's demand: 365 days" in desc
    assert "Soviet conscript's tour in Afghanistan: 730 days" in desc
    assert "Prisoner recruits' first contract: 183 days" in desc
    assert "<script" not in svg
    assert "style=" not in svg
    # the table beside it, one row per precedent: name, note and source; days; difference
    rows = table_rows(page, "comparisons")
    assert rows == [
        [
            "Soviet conscript's tour in Afghanistan "
            "Закон СССР «О всеобщей воинской обязанности» 1967 г., ст. 14: два года службы для солдат и сержантов сухопутных войск",
            "730",
            "not yet reached",
        ],
        [
            "Prisoner recruits' first contract * six months Сообщения СМИ о вербовке в колониях в 2022 г.: контракт на шесть месяцев",
            "183",
            "317 days longer (273%)",
        ],
        ["Chechnya * activists' claim Утверждение активисток движения: около года", "365", "135 days longer (137%)"],
    ]


def test_the_clock_defaults_to_today(loved_one, client_for):
    page = client_for("member").get(detail_url(loved_one)).content.decode()

    days = (timezone.localdate() - D(2022, 9, 21)).days
    assert text_of(page, "days-served") == f"{days} days"


def test_a_day_before_mobilization_is_refused_with_a_clear_message(loved_one, client_for):
    response = client_for("member").get(detail_url(loved_one, as_of="2022-09-20"))

    page = response.content.decode()
    assert response.status_code == 400
    assert errors_in(page) == ["This date is before his mobilization (21.09.2022). The clock starts on that day."]
    assert 'value="2022-09-20"' in page  # what she typed is kept
    days = (timezone.localdate() - D(2022, 9, 21)).days
    assert text_of(page, "days-served") == f"{days} days"  # and the clock still shows today


@pytest.mark.parametrize("junk", ["garbage", "2023-02-30", "2024-13-01", "0000-00-00", "99999-01-01", "%00", "-1"])
def test_a_date_that_is_not_a_date_is_a_400_with_a_message_not_a_500(loved_one, client_for, junk):
    response = client_for("member").get(detail_url(loved_one, as_of=junk))

    assert response.status_code == 400
    assert errors_in(response.content.decode()) == ["Enter a valid date."]


def test_the_date_error_is_in_russian_for_a_russian_speaker(loved_one, cast):
    Account.objects.filter(pk=cast["member"].pk).update(language="ru")

    response = signed_in_client(cast["member"]).get(detail_url(loved_one, as_of="garbage"))

    assert response.status_code == 400
    assert errors_in(response.content.decode()) == ["Введите правильную дату."]
    assert response["Content-Language"] == "ru"


# --- form validation ----------------------------------------------------------------


def refused(client, url, data):
    """POST the form; it must be refused (400) and re-shown with what she typed."""
    response = client.post(url, data)
    assert response.status_code == 400, response.status_code
    return response.content.decode()


def test_a_future_date_of_mobilization_is_refused(cast, client_for, chapter_a):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()

    data = form_data(chapter_a.region, mobilized_on=tomorrow, status_since="", last_contact_on="")

    page = refused(client_for("member"), reverse("families:add"), data)

    assert errors_in(page)[0] == "The date of mobilization cannot be in the future."
    assert not LovedOne.objects.exists()


def test_before_21_september_2022_needs_the_early_call_up_box(cast, client_for, chapter_a):
    client = client_for("member")
    data = form_data(chapter_a.region, mobilized_on="2022-09-20", status_since="2022-09-20")

    page = refused(client, reverse("families:add"), data)

    assert errors_in(page) == [
        "Mobilization was announced on 21 September 2022. If he was called up earlier, tick the box below to confirm."
    ]
    assert not LovedOne.objects.exists()

    response = client.post(reverse("families:add"), {**data, "early_call_up": "on"})

    assert response.status_code == 302
    lo = LovedOne.objects.get(owner=cast["member"])
    assert (lo.mobilized_on, lo.early_call_up) == (D(2022, 9, 20), True)


def test_a_year_that_is_a_typo_is_refused_even_with_the_box(cast, client_for, chapter_a):
    data = form_data(chapter_a.region, mobilized_on="1022-09-21", early_call_up="on", status_since="")

    page = refused(client_for("member"), reverse("families:add"), data)

    assert errors_in(page) == ["This date is too early. Please check the year."]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("status_since", "2022-09-20", "The status cannot start before the date of mobilization."),
        ("last_contact_on", "2022-09-01", "This date cannot be before the date of mobilization."),
        ("last_leave_on", "2022-09-01", "This date cannot be before the date of mobilization."),
        ("last_contact_on", "2999-01-01", "This date cannot be in the future."),
        ("status_since", "2999-01-01", "This date cannot be in the future."),
        ("mobilized_on", "2022-02-30", "Enter a valid date."),
        ("relation", "cousin", "Select a valid choice. cousin is not one of the available choices."),
        ("name", "Алексей\x00", "Null characters are not allowed."),
        ("unit", "рота\x07", "This contains characters that cannot be typed. Please retype it."),
    ],
)
def test_dates_out_of_order_and_bad_values_are_refused_and_nothing_is_stored(
    cast, client_for, chapter_a, field, value, message
):
    page = refused(client_for("member"), reverse("families:add"), form_data(chapter_a.region, **{field: value}))

    assert errors_in(page) == [message]
    assert not LovedOne.objects.exists()
    assert not StatusChange.objects.exists()


def test_a_refused_form_keeps_what_she_typed(cast, client_for, chapter_a):
    data = form_data(chapter_a.region, mobilized_on="2999-01-01", relation="son", last_leave_on="2023-05-05")

    page = refused(client_for("member"), reverse("families:add"), data)

    assert f'value="{NAME}"' in page
    assert f'value="{html.escape(UNIT)}"' in page
    assert 'value="2999-01-01"' in page
    assert 'value="2023-05-05"' in page
    assert 'value="2024-01-20"' in page
    assert re.search(r'<option value="son" selected>', page)
    assert re.search(rf'<option value="{chapter_a.region.pk}" selected>', page)


# --- status -------------------------------------------------------------------------


def test_a_status_change_is_added_to_the_history(loved_one, client_for):
    client = client_for("member")

    response = client.post(
        reverse("families:status", args=[loved_one.pk]), {"status": "in_hospital", "on": "2023-08-14"}
    )

    assert response.status_code == 302
    loved_one.refresh_from_db()
    assert (loved_one.status, loved_one.status_since, loved_one.service_ended_on) == (
        "in_hospital",
        D(2023, 8, 14),
        None,
    )
    assert list(loved_one.history.values_list("status", "on")) == [
        ("serving", D(2022, 9, 21)),
        ("in_hospital", D(2023, 8, 14)),
    ]
    page = client.get(response["Location"]).content.decode()
    assert "Status changed." in page
    assert re.search(r"09/21/2022 — serving</li>\s*<li>08/14/2023 — in hospital</li>", page)


def test_coming_home_stops_the_clock(loved_one, client_for):
    client = client_for("member")

    client.post(reverse("families:status", args=[loved_one.pk]), {"status": "home", "on": "2024-02-03"})

    loved_one.refresh_from_db()
    assert (loved_one.status, loved_one.service_ended_on) == ("home", D(2024, 2, 3))
    for as_of in ("2024-02-03", "2025-01-01"):
        page = client.get(detail_url(loved_one, as_of=as_of)).content.decode()
        assert text_of(page, "days-served") == "500 days"
        assert "(service ended on 02/03/2024)" in " ".join(page.split())
        assert 'id="leave"' not in page  # no leave is due to a man who is home
    # asked about a day before he came home, the clock still ran
    page = client.get(detail_url(loved_one, as_of="2024-01-01")).content.decode()
    assert text_of(page, "days-served") == "467 days"


def test_a_status_date_before_the_current_one_is_refused_and_nothing_changes(loved_one, client_for):
    client = client_for("member")
    client.post(reverse("families:status", args=[loved_one.pk]), {"status": "on_leave", "on": "2023-05-01"})

    response = client.post(reverse("families:status", args=[loved_one.pk]), {"status": "home", "on": "2023-04-30"})

    assert response.status_code == 400
    assert errors_in(response.content.decode()) == [
        "Status dates go in order: this one cannot be before the current status date (01.05.2023)."
    ]
    loved_one.refresh_from_db()
    assert (loved_one.status, loved_one.status_since, loved_one.service_ended_on) == ("on_leave", D(2023, 5, 1), None)
    assert loved_one.history.count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "home", "on": "2999-01-01"}, "This date cannot be in the future."),
        (
            {"status": "retired", "on": "2023-05-01"},
            "Select a valid choice. retired is not one of the available choices.",
        ),
        ({"status": "home", "on": "2023-02-30"}, "Enter a valid date."),
        ({"status": "home"}, "This field is required."),
    ],
)
def test_a_bad_status_change_is_refused_and_nothing_changes(loved_one, client_for, data, message):
    response = client_for("member").post(reverse("families:status", args=[loved_one.pk]), data)

    assert response.status_code == 400
    assert errors_in(response.content.decode()) == [message]
    loved_one.refresh_from_db()
    assert (loved_one.status, loved_one.service_ended_on) == ("serving", None)
    assert loved_one.history.count() == 1


def test_the_status_form_accepts_only_post(loved_one, client_for):
    assert client_for("member").get(reverse("families:status", args=[loved_one.pk])).status_code == 405


# --- editing and deleting -----------------------------------------------------------


def test_editing_changes_the_record_and_keeps_the_status_history(loved_one, client_for, chapter_b):
    client = client_for("member")
    form = client.get(reverse("families:edit", args=[loved_one.pk])).content.decode()
    assert f'value="{NAME}"' in form
    assert 'name="status"' not in form  # status is changed with its own dated form

    response = client.post(
        reverse("families:edit", args=[loved_one.pk]),
        form_data(
            chapter_b.region,
            name="Лёша",
            unit="",
            mobilized_on="2022-09-20",
            early_call_up="on",
            last_leave_on="2023-04-01",
        ),
    )

    assert response.status_code == 302
    loved_one.refresh_from_db()
    assert (loved_one.name, loved_one.unit, loved_one.region, loved_one.mobilized_on, loved_one.last_leave_on) == (
        "Лёша",
        "",
        chapter_b.region,
        D(2022, 9, 20),
        D(2023, 4, 1),
    )
    assert raw_columns(loved_one.pk, "name")[0].startswith("hw1:")
    assert list(loved_one.history.values_list("status", "on")) == [("serving", D(2022, 9, 21))]


def test_editing_cannot_move_mobilization_after_the_first_status(loved_one, client_for, chapter_a):
    page = refused(
        client_for("member"),
        reverse("families:edit", args=[loved_one.pk]),
        form_data(chapter_a.region, name="Другое имя", mobilized_on="2022-10-01"),
    )

    assert errors_in(page) == ["The date of mobilization cannot be after the first status date."]
    assert 'value="Другое имя"' in page
    loved_one.refresh_from_db()
    assert (loved_one.name, loved_one.mobilized_on) == (NAME, D(2022, 9, 21))


def test_deleting_removes_the_record_and_its_history(loved_one, client_for):
    client = client_for("member")
    client.post(reverse("families:status", args=[loved_one.pk]), {"status": "missing", "on": "2023-03-01"})

    confirm = client.get(reverse("families:delete", args=[loved_one.pk]))
    assert f"Delete the record of {NAME}?" in confirm.content.decode()
    assert LovedOne.objects.filter(pk=loved_one.pk).exists()  # a GET deletes nothing

    response = client.post(reverse("families:delete", args=[loved_one.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("families:list")
    assert not LovedOne.objects.filter(pk=loved_one.pk).exists()
    assert not StatusChange.objects.filter(loved_one_id=loved_one.pk).exists()
    page = client.get(response["Location"]).content.decode()
    assert "The record is deleted." in page
    assert NAME not in page
    assert client.get(detail_url(loved_one)).status_code == 404


def test_the_list_shows_her_loved_ones_with_their_days(cast, client_for, chapter_a):
    record(cast["member"], chapter_a.region, name="Первый")
    record(cast["member"], chapter_a.region, name="Второй", status="home", status_since=D(2024, 2, 3))

    page = client_for("member").get(reverse("families:list")).content.decode()

    days = (timezone.localdate() - D(2022, 9, 21)).days
    assert "Первый" in page
    assert f"{days} days of service" in " ".join(page.split())
    assert "Второй</strong></a> — home" in page
    assert "500 days of service · 135 days beyond the demanded term" in " ".join(page.split())


# --- nobody else --------------------------------------------------------------------


@pytest.fixture
def neighbour(chapter_a):
    """Another member of the same chapter."""
    account = make_account("neighbour", chapter=chapter_a)
    Account.objects.filter(pk=account.pk).update(language="en")
    return account


@pytest.mark.parametrize("who", ["neighbour", "coordinator", "admin", "outsider", "other_coordinator"])
def test_nobody_else_can_reach_the_record(loved_one, cast, neighbour, who):
    account = neighbour if who == "neighbour" else cast[who]
    client = signed_in_client(account)
    pk = loved_one.pk
    attempts = [
        client.get(reverse("families:detail", args=[pk])),
        client.get(reverse("families:detail", args=[pk]) + "?as_of=2024-02-03"),
        client.get(reverse("families:edit", args=[pk])),
        client.post(reverse("families:edit", args=[pk]), form_data(loved_one.region, name="Подменено")),
        client.post(reverse("families:status", args=[pk]), {"status": "killed", "on": "2023-01-01"}),
        client.get(reverse("families:delete", args=[pk])),
        client.post(reverse("families:delete", args=[pk])),
        client.get(f"/api/v1/loved-ones/{pk}/clock"),
    ]

    assert [r.status_code for r in attempts] == [404] * len(attempts)
    for response in attempts:
        assert NAME not in response.content.decode()
    loved_one.refresh_from_db()
    assert (loved_one.name, loved_one.status) == (NAME, "serving")
    assert loved_one.history.count() == 1


@pytest.mark.parametrize("who", ["neighbour", "coordinator", "admin"])
def test_nobody_else_sees_the_name_on_any_page(loved_one, cast, neighbour, who, settings):
    """Not in their own list, notices or statistics, nor in the admin."""
    milestone_notices(today=timezone.localdate())  # the owner now has notices naming him
    account = neighbour if who == "neighbour" else cast[who]
    client = signed_in_client(account)
    pages = ["/", reverse("families:list"), reverse("notices:list"), reverse("stats:page"), "/stats/stats.json"]
    if who == "admin":
        pages += ["/admin/", "/admin/families/", "/admin/families/precedent/"]

    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert NAME not in body, url
        assert UNIT not in body, url
        assert "lovedone" not in body.lower(), url
    assert Notice.objects.filter(account=account).count() == 0
    assert Notice.objects.filter(account=cast["member"]).exists()


def test_a_member_sees_only_her_own_loved_ones_in_the_list(loved_one, neighbour, chapter_a):
    record(neighbour, chapter_a.region, name="Сосед")

    page = signed_in_client(neighbour).get(reverse("families:list")).content.decode()

    assert "Сосед" in page
    assert NAME not in page
    assert reverse("families:detail", args=[loved_one.pk]) not in page


def test_a_follower_is_told_to_join_a_chapter_first(cast, client_for):
    client = client_for("follower")

    response = client.get(reverse("families:add"))
    posted = client.post(reverse("families:add"), {"relation": "husband", "name": NAME, "mobilized_on": "2022-09-21"})

    for r in (response, posted):
        page = r.content.decode()
        assert r.status_code == 403
        assert "To record a loved one, first join your regional chapter." in page
        assert f'href="{reverse("chapters:list")}"' in page
    assert not LovedOne.objects.exists()
    listing = client.get(reverse("families:list")).content.decode()
    assert "To record a loved one, first join your regional chapter." in listing
    assert reverse("families:add") not in listing


def test_signed_out_visitors_are_sent_to_sign_in(loved_one):
    from django.test import Client

    response = Client().get(detail_url(loved_one))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_huge_id_is_a_404_not_a_500(loved_one, client_for):
    client = client_for("member")

    for url in (f"/family/{10**30}/", f"/family/{2**63}/", f"/family/{2**63 - 1}/edit/", "/family/0/"):
        assert client.get(url).status_code == 404, url


# --- deleting the account -----------------------------------------------------------


def test_deleting_her_account_deletes_her_loved_ones_their_history_and_notices(loved_one, cast, client_for, neighbour):
    client = client_for("member")
    client.post(reverse("families:status", args=[loved_one.pk]), {"status": "captive", "on": "2023-07-01"})
    other = record(neighbour, loved_one.region, name="Сосед")
    milestone_notices(today=timezone.localdate())
    assert Notice.objects.filter(account=cast["member"]).exists()
    ids = {"loved_one": loved_one.pk, "account": cast["member"].pk}

    response = client.post(reverse("accounts:delete"), {"current": "a long test passphrase", "confirm": "on"})

    assert response.status_code == 302
    assert not Account.objects.filter(pk=ids["account"]).exists()
    assert not LovedOne.objects.filter(pk=ids["loved_one"]).exists()
    assert not StatusChange.objects.filter(loved_one_id=ids["loved_one"]).exists()
    assert not Notice.objects.filter(account_id=ids["account"]).exists()
    # the neighbour's record is untouched
    assert LovedOne.objects.get(pk=other.pk).name == "Сосед"
    assert StatusChange.objects.filter(loved_one=other).count() == 1


# --- queries ------------------------------------------------------------------------


def test_the_list_does_not_run_a_query_per_loved_one(cast, client_for, chapter_a, django_assert_max_num_queries):
    client = client_for("member")
    record(cast["member"], chapter_a.region, name="Первый")
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("families:list"))
    for i in range(9):
        record(cast["member"], chapter_a.region, name=f"Брат {i}")

    with django_assert_max_num_queries(len(one)):
        page = client.get(reverse("families:list")).content.decode()

    assert page.count('href="/family/') >= 10
