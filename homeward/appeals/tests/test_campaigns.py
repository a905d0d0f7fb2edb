"""Coordinators create campaigns: the template's placeholders are checked when it is saved,
the chapter and scope are theirs, and the letter cannot change under signatures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from homeward.appeals import services
from homeward.appeals.models import Addressee, Campaign
from homeward.appeals.tests.conftest import TEMPLATE
from homeward.audit.models import AuditEntry

pytestmark = pytest.mark.usefixtures("pages_in_english")


def form_data(chapter_obj, **overrides):
    data = {
        "title": "Верните мобилизованных домой",
        "summary": "Напишем министру.",
        "addressee": "",
        "new_official": "Министр обороны Российской Федерации",
        "new_body": "Министерство обороны Российской Федерации",
        "new_postal_address": "119160, Москва, ул. Знаменка, д. 19",
        "new_reception_url": "mil.ru/reception",
        "channels": ["site", "gosuslugi", "post"],
        "template": TEMPLATE,
        "goal": "10000",
        "opens_on": timezone.localdate().isoformat(),
        "closes_on": "",
        "scope": "movement",
        "chapter": str(chapter_obj.pk),
    }
    data.update(overrides)
    return data


def test_a_coordinator_creates_a_campaign_with_a_new_addressee(cast, client_for, chapter_a):
    response = client_for("coordinator").post(reverse("appeals:new"), form_data(chapter_a))

    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("appeals:detail", args=[campaign.pk])
    assert (campaign.scope, campaign.chapter, campaign.created_by, campaign.goal) == (
        "movement",
        chapter_a,
        cast["coordinator"],
        10000,
    )
    assert campaign.channels == ["site", "gosuslugi", "post"]
    assert campaign.addressee.reception_url == "https://mil.ru/reception"
    assert AuditEntry.objects.filter(actor=cast["coordinator"], action="appeals.create").exists()
    page = client_for("visitor").get(response["Location"]).content.decode()
    assert "Министерство обороны Российской Федерации" in page
    assert "plain e-mail does not count" in page


@pytest.mark.parametrize(
    ("template", "shown"),
    [
        ("Я, {fullname}, прошу…", "{fullname}"),
        ("{full_name} {address} {name}", "{address}, {name}"),
        ("{full_name.__class__}", "{full_name.__class__}"),
    ],
)
def test_an_unknown_placeholder_is_refused_with_a_clear_error(cast, client_for, chapter_a, template, shown):
    response = client_for("coordinator").post(reverse("appeals:new"), form_data(chapter_a, template=template))

    assert response.status_code == 400
    body = response.content.decode()
    assert "Unknown placeholder: " + shown.replace("{", "{").replace("}", "}") in body.replace("&#x27;", "'")
    assert "{full_name}, {postal_address}, {loved_one_name}" in body
    assert Campaign.objects.count() == 0
    assert Addressee.objects.count() == 0  # nothing half-written
    assert template.split("…")[0] in body  # what she typed is kept


def test_an_addressee_is_needed(cast, client_for, chapter_a):
    response = client_for("coordinator").post(reverse("appeals:new"), form_data(chapter_a, new_body=""))

    assert response.status_code == 400
    assert "Choose an addressee or name the body of a new one." in response.content.decode()


def test_a_coordinator_runs_campaigns_for_her_own_chapter_only(cast, client_for, chapter_a, chapter_b):
    response = client_for("coordinator").post(reverse("appeals:new"), form_data(chapter_b, scope="chapter"))

    assert response.status_code == 400
    assert Campaign.objects.count() == 0
    assert "Select a valid choice" in response.content.decode()


def test_an_admin_may_run_a_campaign_without_a_chapter(cast, client_for, chapter_a):
    response = client_for("admin").post(reverse("appeals:new"), form_data(chapter_a, chapter=""))

    assert response.status_code == 302
    assert Campaign.objects.get().chapter is None


def test_a_chapter_campaign_needs_its_chapter(cast, client_for, chapter_a):
    response = client_for("admin").post(reverse("appeals:new"), form_data(chapter_a, chapter="", scope="chapter"))

    assert response.status_code == 400
    assert "Choose the chapter whose members take part." in response.content.decode()


@pytest.mark.parametrize(
    ("opens_on", "closes_on", "error"),
    [
        ("2001-01-01", "", "Choose a date from 2022 to a year from now."),
        ("2024-05-01", "2024-04-01", "A campaign cannot close before it opens."),
        ("2024-05-01", "2034-05-01", "A campaign runs five years at most."),
    ],
)
def test_dates_are_checked(cast, client_for, chapter_a, opens_on, closes_on, error):
    response = client_for("coordinator").post(
        reverse("appeals:new"), form_data(chapter_a, opens_on=opens_on, closes_on=closes_on)
    )

    assert response.status_code == 400
    assert error in response.content.decode()


def test_the_letter_cannot_change_once_signed(cast, client_for, campaign):
    services.signature_sign(campaign=campaign, account=cast["member"], today=timezone.localdate())
    url = reverse("appeals:edit", args=[campaign.pk])
    data = {
        "title": "Новое название",
        "summary": campaign.summary,
        "channels": ["post"],
        "template": "Совсем другой текст {full_name}",
        "goal": "",
        "opens_on": campaign.opens_on.isoformat(),
        "closes_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
    }

    response = client_for("coordinator").post(url, data)

    campaign.refresh_from_db()
    assert response.status_code == 302
    assert campaign.title == "Новое название"
    assert campaign.template == TEMPLATE
    assert campaign.channels == ["post"]
    assert campaign.goal is None


def test_the_list_shows_open_coming_and_closed_campaigns(cast, client_for, chapter_a):
    from homeward.appeals.tests.conftest import make_campaign

    today = timezone.localdate()
    make_campaign(actor=cast["admin"], title="Идёт сейчас")
    make_campaign(actor=cast["admin"], title="Скоро", opens_on=today + dt.timedelta(days=5))
    make_campaign(actor=cast["admin"], title="Закончилась", closes_on=today - dt.timedelta(days=1))

    page = client_for("visitor").get(reverse("appeals:list")).content.decode()

    assert page.index("Идёт сейчас") < page.index("Скоро") < page.index("Закончилась")
    assert 'id="campaigns-open"' in page


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["appeals:list", "appeals:ledger", "appeals:mine"])
def test_list_pages_make_the_same_number_of_queries_for_many_rows(cast, client_for, chapter_a, name):
    """Prefetch, never N+1: three campaigns or nine, the page costs the same queries."""
    from django.core.cache import cache

    from homeward.appeals.tests.conftest import make_campaign, make_filing

    client = client_for("member")

    def add(n):
        for _ in range(n):
            campaign = make_campaign(actor=cast["coordinator"], chapter=chapter_a)
            make_filing(cast["member"], campaign, sent_on=campaign.opens_on)

    add(3)
    cache.clear()
    few = _queries(client, reverse(name))
    add(6)
    cache.clear()
    many = _queries(client, reverse(name))

    assert many == few


def test_the_admin_checks_placeholders_too(cast, campaign):
    from homeward.appeals.admin import CampaignAdminForm

    data = {
        "title": campaign.title,
        "summary": campaign.summary,
        "addressee": campaign.addressee_id,
        "channels": '["post"]',
        "template": "Я, {fio}",
        "opens_on": campaign.opens_on.isoformat(),
        "scope": "movement",
    }
    form = CampaignAdminForm(data, instance=campaign)

    assert not form.is_valid()
    assert "Unknown placeholder: {fio}." in form.errors["template"][0]
