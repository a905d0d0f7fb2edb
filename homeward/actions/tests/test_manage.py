"""Coordinators plan and manage actions: the form, the notice window and its warning, notice
tracking, incidents without names, cancellation; and the public statistics they feed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_account, signed_in_client
from homeward.actions import services
from homeward.actions.models import Action, Incident, NoticeState
from homeward.actions.tests.builders import make_action
from homeward.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def form_data(chapter, *, starts: dt.datetime, **overrides) -> dict:
    data = {
        "title": "Пикет у Минобороны",
        "kind": "group_picket",
        "chapter": str(chapter.pk),
        "city": "Москва",
        "place": "Фрунзенская набережная, 22, у входа",
        "starts_at": local(starts),
        "ends_at": local(starts + dt.timedelta(hours=1)),
        "reveal_hours": "3",
        "is_public": "on",
        "what_to_bring": "Плакаты А3",
        "safety_briefing": "Держитесь по двое.",
        "lawyers_contacts": "Адвокат: +7 900 111-22-33",
        "lawyers": "",
    }
    data.update(overrides)
    return data


def test_a_coordinator_plans_an_action(cast, chapter_a, client_for):
    lawyer = make_account("Lawyer_Olga")
    starts = timezone.now() + dt.timedelta(days=20)
    client = client_for("coordinator")

    response = client.post(reverse("actions:new"), form_data(chapter_a, starts=starts, lawyers="@lawyer_olga, "))

    action = Action.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("actions:manage", args=[action.pk])
    assert (action.chapter, action.kind, action.city, action.created_by) == (
        chapter_a,
        "group_picket",
        "Москва",
        cast["coordinator"],
    )
    assert action.place == "Фрунзенская набережная, 22, у входа"
    assert list(action.lawyers.all()) == [lawyer]
    assert action.notice_state == NoticeState.TO_FILE
    assert action.reveal_hours == 3
    assert AuditEntry.objects.filter(action="actions.create", actor=cast["coordinator"]).exists()
    page = client.get(response["Location"]).content.decode()
    assert "The action is planned." in page
    assert "Notice required." in page and "Federal Law 54-FZ, art. 7 part 1" in page
    assert 'id="too-close"' not in page


def test_too_close_a_date_is_saved_with_a_warning_beside_the_article(cast, chapter_a, client_for):
    client = client_for("coordinator")
    starts = timezone.now() + dt.timedelta(days=2)

    response = client.post(reverse("actions:new"), form_data(chapter_a, starts=starts, kind="rally"), follow=True)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Too close: notice for this date had to be filed by" in html
    assert 'id="too-close"' in html and "Federal Law 54-FZ, art. 7 part 1" in html


def test_a_solo_picket_needs_no_notice(cast, chapter_a, client_for):
    client = client_for("coordinator")
    starts = timezone.now() + dt.timedelta(hours=5)

    html = client.post(
        reverse("actions:new"), form_data(chapter_a, starts=starts, kind="solo_picket"), follow=True
    ).content.decode()

    assert "No notice to the authorities is needed" in html
    assert Action.objects.get().notice_state == NoticeState.NOT_NEEDED


def test_the_form_page_shows_the_rules_and_the_reveal_default(cast, client_for, settings):
    settings.ACTION_REVEAL_HOURS = 5
    html = client_for("coordinator").get(reverse("actions:new")).content.decode()

    assert 'id="notice-rules"' in html
    assert "no earlier than 15 and no later than 10 days before the day" in html
    assert 'name="reveal_hours" value="5"' in html


def test_a_coordinator_plans_only_for_her_chapter(cast, chapter_b, client_for):
    starts = timezone.now() + dt.timedelta(days=20)

    response = client_for("coordinator").post(reverse("actions:new"), form_data(chapter_b, starts=starts))

    assert response.status_code == 400
    assert not Action.objects.exists()


def test_bad_input_keeps_what_was_typed(cast, chapter_a, client_for):
    starts = timezone.now() + dt.timedelta(days=20)
    data = form_data(chapter_a, starts=starts, ends_at=local(starts - dt.timedelta(hours=1)), lawyers="nobody_here")

    response = client_for("coordinator").post(reverse("actions:new"), data)

    html = response.content.decode()
    assert response.status_code == 400
    assert "The end must be after the start." in html
    assert "No account with the handle: nobody_here" in html
    assert "Фрунзенская набережная, 22, у входа" in html  # kept for her, on her own page
    assert not Action.objects.exists()


def test_editing_and_cancelling(cast, chapter_a, client_for):
    action = make_action(chapter=chapter_a, actor=cast["coordinator"])
    client = client_for("coordinator")
    page = client.get(reverse("actions:edit", args=[action.pk])).content.decode()
    assert action.place in page  # the management form holds the place

    data = form_data(chapter_a, starts=action.starts_at, title="Новое название", kind="solo_picket", status="confirmed")
    del data["chapter"]
    assert client.post(reverse("actions:edit", args=[action.pk]), data).status_code == 302
    action.refresh_from_db()
    assert (action.title, action.kind, action.status, action.notice_state) == (
        "Новое название",
        "solo_picket",
        "confirmed",
        NoticeState.NOT_NEEDED,
    )

    assert client.post(reverse("actions:cancel", args=[action.pk])).status_code == 302
    action.refresh_from_db()
    assert action.status == "cancelled"
    assert AuditEntry.objects.filter(action="actions.cancel").count() == 1


def test_notice_tracking(cast, chapter_a, client_for):
    action = make_action(chapter=chapter_a, kind="rally")
    client = client_for("coordinator")
    url = reverse("actions:notice", args=[action.pk])
    today = timezone.localdate().isoformat()

    missing = client.post(url, {"notice-state": "refused", "notice-filed_on": today})
    assert missing.status_code == 400 and "Write the reason the authorities gave." in missing.content.decode()

    client.post(url, {"notice-state": "filed", "notice-filed_on": today})
    action.refresh_from_db()
    assert (action.notice_state, action.notice_filed_on) == ("filed", timezone.localdate())

    client.post(
        url,
        {"notice-state": "counter_proposal", "notice-filed_on": today, "notice-counter_proposal": "Сокольники, 14:00"},
    )
    action.refresh_from_db()
    assert (action.notice_state, action.notice_counter_proposal) == ("counter_proposal", "Сокольники, 14:00")
    public = signed_in_client(None).get(reverse("actions:detail", args=[action.pk])).content.decode()
    assert "Сокольники" not in public

    client.post(url, {"notice-state": "refused", "notice-filed_on": today, "notice-reason": "Иное мероприятие"})
    action.refresh_from_db()
    assert (action.notice_state, action.notice_refusal_reason, action.notice_counter_proposal) == (
        "refused",
        "Иное мероприятие",
        "",
    )
    future = client.post(url, {"notice-state": "filed", "notice-filed_on": "2999-01-01"})
    assert future.status_code == 400


def test_incidents_are_logged_without_names_and_deleted(cast, chapter_a, client_for):
    action = make_action(chapter=chapter_a, starts_in=-dt.timedelta(days=1))
    client = client_for("coordinator")
    today = timezone.localdate().isoformat()

    response = client.post(
        reverse("actions:incident", args=[action.pk]),
        {"incident-kind": "detentions", "incident-count": "27", "incident-on": today, "incident-note": "Автозаки"},
    )

    incident = Incident.objects.get()
    assert response.status_code == 302
    assert (incident.kind, incident.count, incident.note) == ("detentions", 27, "Автозаки")
    bad = client.post(
        reverse("actions:incident", args=[action.pk]),
        {"incident-kind": "fine", "incident-count": "0", "incident-on": today},
    )
    assert bad.status_code == 400 and Incident.objects.count() == 1

    client.post(reverse("actions:incident_delete", args=[action.pk, incident.pk]))
    assert not Incident.objects.exists()


def test_other_chapters_coordinators_do_not_manage(cast, chapter_a, client_for):
    action = make_action(chapter=chapter_a)

    for name in ("manage", "edit"):
        assert client_for("other_coordinator").get(reverse(f"actions:{name}", args=[action.pk])).status_code == 403
    assert client_for("other_coordinator").post(reverse("actions:cancel", args=[action.pk])).status_code == 403
    action.refresh_from_db()
    assert action.status == "planned"


def test_a_coordinator_without_the_second_factor_is_sent_to_confirm_it(cast, chapter_a):
    action = make_action(chapter=chapter_a)
    client = signed_in_client(cast["coordinator"], verified=False)

    response = client.get(reverse("actions:manage", args=[action.pk]))

    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login_otp"))


def test_reading_the_management_page_is_audited(cast, chapter_a, client_for):
    action = make_action(chapter=chapter_a)

    client_for("admin").get(reverse("actions:manage", args=[action.pk]))

    assert AuditEntry.objects.filter(
        actor=cast["admin"], action="actions.manage_view", target=f"action:{action.pk}"
    ).exists()


def test_the_list_page_takes_a_constant_number_of_queries(
    cast, chapter_a, chapter_b, client_for, django_assert_max_num_queries
):
    for n in range(8):
        make_action(chapter=chapter_a if n % 2 else chapter_b, title=f"Акция {n}", starts_in=dt.timedelta(days=n - 3))
    client = client_for("member")
    client.get(reverse("actions:list"))

    with django_assert_max_num_queries(12):
        html = client.get(reverse("actions:list")).content.decode()
    assert all(f"Акция {n}" in html for n in range(8))


# --- public statistics -------------------------------------------------------------------


def held_with(chapter, *, pressed=0, logged=0, cancelled=False, ended=True):
    action = make_action(chapter=chapter, starts_in=-dt.timedelta(days=2) if ended else dt.timedelta(days=2))
    Action.objects.filter(pk=action.pk).update(detained_count=pressed, status="cancelled" if cancelled else "done")
    if logged:
        Incident.objects.create(action=action, kind="detentions", count=logged, on=timezone.localdate())
    return action


def test_statistics_count_held_actions_and_detentions_k_anonymously(chapter_a, chapter_b):
    held_with(chapter_a, pressed=3, logged=27)  # 27: what coordinators logged beats the 3 who pressed
    held_with(chapter_a, pressed=5)
    held_with(chapter_b, pressed=2, logged=1)
    held_with(chapter_b, cancelled=True, logged=50)
    held_with(chapter_a, ended=False, pressed=40)

    stats = services_stats()

    assert stats.held == 3
    assert stats.detentions == 34
    rows = {r.slug: r for r in stats.chapters}
    assert (rows["ru-mow"].held, rows["ru-mow"].detentions) == (2, None)  # 32, but B's 2 would follow from the total
    assert (rows["ru-spe"].held, rows["ru-spe"].detentions) == (1, None)
    assert stats.by_incident["detentions"] == 2


def services_stats():
    from homeward.actions.selectors import action_stats

    return action_stats(now=timezone.now(), k=10)


def figure(html: str, dom_id: str) -> str:
    return html.split(f'id="{dom_id}">', 1)[1].split("</dd>", 1)[0].strip()


def test_the_statistics_page(chapter_a, chapter_b):
    held_with(chapter_a, logged=12)
    held_with(chapter_b, logged=15)

    html = signed_in_client(None).get(reverse("actions:stats")).content.decode()

    assert figure(html, "fig-held") == "2"
    assert figure(html, "fig-detentions") == "27"
    cells = re.sub(r"\s+</td>", "</td>", html)
    assert "<td>12</td>" in cells and "<td>15</td>" in cells


def test_small_numbers_are_withheld_on_the_page(chapter_a):
    held_with(chapter_a, pressed=2)

    html = signed_in_client(None).get(reverse("actions:stats")).content.decode()

    assert figure(html, "fig-detentions") == "fewer than 10"


def test_a_detention_bumps_the_statistics_version(cast, chapter_a):
    from homeward.lib.versions import PUBLIC_STATS, version_current

    action = make_action(chapter=chapter_a, starts_in=dt.timedelta(hours=1))
    now = timezone.now()
    services.action_rsvp(action=action, account=cast["member"], coming=True, now=now)
    services.action_check_in(action=action, account=cast["member"], now=now)
    before = version_current(PUBLIC_STATS)

    services.action_detained(action=action, account=cast["member"])

    assert version_current(PUBLIC_STATS) == before + 1
