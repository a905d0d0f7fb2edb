"""Co-signing the collective letter: one click, once per account whatever the clicks,
withdrawn once, counted exactly under concurrency — and the names signers give appear
nowhere but in the collective letter a coordinator downloads once the campaign closes."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from conftest import signed_in_client
from homeward.appeals import services
from homeward.appeals.models import Campaign, Signature
from homeward.appeals.tests.conftest import campaign_with_signers, make_campaign
from homeward.audit.models import AuditEntry
from homeward.lib.tests.concurrency import run_together

NAME = "Ветрова Канарейка Петровна"


pytestmark = pytest.mark.usefixtures("pages_in_english")


def count(campaign) -> int:
    return Campaign.objects.values_list("signature_count", flat=True).get(pk=campaign.pk)


def sign(client, campaign, **data):
    return client.post(reverse("appeals:sign", args=[campaign.pk]), data)


# --- one click, once ---------------------------------------------------------------------


def test_a_follower_co_signs_with_one_click(cast, client_for, campaign):
    response = sign(client_for("follower"), campaign)

    assert response.status_code == 302
    assert response["Location"] == reverse("appeals:detail", args=[campaign.pk])
    assert count(campaign) == 1
    signature = Signature.objects.get(campaign=campaign)
    assert (signature.account, signature.full_name, signature.signed_on) == (cast["follower"], "", timezone.localdate())
    page = client_for("follower").get(response["Location"]).content.decode()
    assert "You have co-signed this letter." in page
    assert 'id="withdraw"' in page


def test_a_double_click_is_one_signature(cast, client_for, campaign):
    client = client_for("member")

    first, second = sign(client, campaign), sign(client, campaign)

    assert first.status_code == second.status_code == 302
    assert count(campaign) == 1
    assert Signature.objects.filter(campaign=campaign).count() == 1
    page = client.get(second["Location"]).content.decode()
    assert "You had already co-signed this letter; your signature counts once." in page


def test_a_second_click_with_a_name_adds_the_name_only(cast, client_for, campaign):
    client = client_for("member")
    sign(client, campaign)

    sign(client, campaign, full_name=f"  {NAME}  ")

    assert count(campaign) == 1
    assert Signature.objects.get(campaign=campaign).full_name == NAME


def test_withdrawing_twice_decrements_once(cast, client_for, campaign):
    client = client_for("member")
    other = client_for("follower")
    sign(client, campaign)
    sign(other, campaign)
    url = reverse("appeals:withdraw", args=[campaign.pk])

    client.post(url)
    client.post(url)

    assert count(campaign) == 1
    assert list(Signature.objects.values_list("account__handle", flat=True)) == ["follower"]
    sign(client, campaign)  # and she may sign again
    assert count(campaign) == 2


def test_htmx_answers_with_the_sign_box_and_the_new_count(cast, client_for, campaign, settings):
    settings.K_ANONYMITY = 1
    response = client_for("member").post(reverse("appeals:sign", args=[campaign.pk]), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith('<div id="sign-box"')
    assert re.search(r'id="signature-count">\s*1\s*<', body)
    assert "You have co-signed the letter. Thank you." in body


def test_a_closed_campaign_takes_no_signature(cast, client_for):
    closed = make_campaign(actor=cast["admin"], closes_on=timezone.localdate() - dt.timedelta(days=1))
    client = client_for("member")
    response = sign(client, closed)

    assert response.status_code == 302
    assert count(closed) == 0
    assert "This campaign is not open for signatures." in client.get(response["Location"]).content.decode()
    with pytest.raises(services.CampaignClosed):
        services.signature_sign(campaign=closed, account=cast["member"], today=timezone.localdate())


def test_not_yet_open_takes_no_signature(cast):
    later = make_campaign(actor=cast["admin"], opens_on=timezone.localdate() + dt.timedelta(days=3))
    with pytest.raises(services.CampaignClosed):
        services.signature_sign(campaign=later, account=cast["member"], today=timezone.localdate())


def test_a_chapter_campaign_is_signed_by_its_members_only(cast, client_for, chapter_campaign):
    assert sign(client_for("member"), chapter_campaign).status_code == 302
    assert sign(client_for("outsider"), chapter_campaign).status_code == 403
    assert sign(client_for("follower"), chapter_campaign).status_code == 403
    assert count(chapter_campaign) == 1
    page = client_for("outsider").get(reverse("appeals:detail", args=[chapter_campaign.pk])).content.decode()
    assert "This campaign is for the members of the chapter" in page
    assert 'id="sign"' not in page


def test_a_name_that_cannot_be_typed_is_refused_with_the_page(cast, client_for, campaign):
    response = sign(client_for("member"), campaign, full_name="Ann\x1ba")

    assert response.status_code == 400
    assert "characters that cannot be typed" in response.content.decode()
    assert count(campaign) == 0


def test_the_page_explains_article_11_where_the_name_is_asked(cast, client_for, campaign):
    page = client_for("member").get(reverse("appeals:detail", args=[campaign.pk])).content.decode()

    assert "Article 11 of Federal Law 59-FZ" in page
    assert 'name="full_name"' in page


def test_the_count_under_k_is_shown_as_fewer_than_k(cast, client_for, campaign):
    sign(client_for("member"), campaign)

    page = client_for("follower").get(reverse("appeals:detail", args=[campaign.pk])).content.decode()
    counter = re.search(r'id="signature-count">(.*?)</p>', page, re.S).group(1)
    assert "fewer than 10" in counter


# --- concurrency: real connections, real transactions ---------------------------------------


_run_together = run_together


@pytest.mark.django_db(transaction=True)
def test_concurrent_clicks_from_one_account_make_one_signature():
    campaign, (account,) = campaign_with_signers(1, "conc")
    today = timezone.localdate()

    _run_together(8, lambda i: services.signature_sign(campaign=campaign, account=account, today=today))

    assert count(campaign) == 1
    assert Signature.objects.filter(campaign=campaign).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_from_one_session_make_one_signature():
    campaign, (clicker,) = campaign_with_signers(1, "conc")
    client = signed_in_client(clicker)
    url = reverse("appeals:sign", args=[campaign.pk])
    statuses = []

    _run_together(6, lambda i: statuses.append(client.post(url).status_code))

    assert statuses == [302] * 6
    assert count(campaign) == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_signers_and_withdrawals_keep_the_count_exact():
    campaign, accounts = campaign_with_signers(12, "conc")
    today = timezone.localdate()
    for a in accounts[:4]:
        services.signature_sign(campaign=campaign, account=a, today=today)

    def work(i):
        account = accounts[i]
        if i < 4:  # the first four withdraw twice, the rest sign twice
            services.signature_withdraw(campaign_id=campaign.pk, account_id=account.pk)
            services.signature_withdraw(campaign_id=campaign.pk, account_id=account.pk)
        else:
            services.signature_sign(campaign=campaign, account=account, today=today)
            services.signature_sign(campaign=campaign, account=account, today=today)

    _run_together(len(accounts), work)

    assert count(campaign) == 8 == Signature.objects.filter(campaign=campaign).count()
    assert services.signature_counts_reconcile() == {}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="asynchronous commit is a PostgreSQL setting")
def test_asynchronous_commit_keeps_the_count_exact_and_the_setting_local(settings):
    settings.APPEALS_SIGN_ASYNC_COMMIT = True
    campaign, accounts = campaign_with_signers(3, "async")
    today = timezone.localdate()

    for account in [*accounts, accounts[0]]:
        services.signature_sign(campaign=campaign, account=account, today=today)
    assert services.signature_withdraw(campaign_id=campaign.pk, account_id=accounts[1].pk)

    assert count(campaign) == 2 == Signature.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone() == ("on",)  # only the signing transactions ran without waiting


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the commit sequence is PostgreSQL's")
def test_signing_outside_a_transaction_commits_then_waits_for_the_flush_and_leaves_the_session_clean():
    import types

    import psycopg

    campaign, accounts = campaign_with_signers(3, "flush")
    today = timezone.localdate()
    assert not connection.in_atomic_block

    with CaptureQueriesContext(connection) as ctx:
        results = [services.signature_sign(campaign=campaign, account=a, today=today).signed for a in accounts]
    again = services.signature_sign(campaign=campaign, account=accounts[0], today=today).signed
    withdrawn = services.signature_withdraw(campaign_id=campaign.pk, account_id=accounts[1].pk)

    assert results == [True, True, True] and again is False and withdrawn is True
    assert count(campaign) == 2 == Signature.objects.count()
    assert len(ctx.captured_queries) == 3  # one round trip per signature
    assert all(q["sql"].startswith("BEGIN;") and "pg_logical_emit_message" in q["sql"] for q in ctx.captured_queries)
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone() == ("on",)  # only the signing transactions ran with it off
    # A failure inside BEGIN ... COMMIT (here the account does not exist) leaves no open transaction.
    with pytest.raises(IntegrityError):
        services.signature_sign(campaign=campaign, account=types.SimpleNamespace(pk=10**12), today=today)
    assert connection.connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    assert count(campaign) == 2 == Signature.objects.count()
    # ... nor does one raised by the statement itself (a counter that drifted below its rows).
    Campaign.objects.filter(pk=campaign.pk).update(signature_count=0)
    with pytest.raises(IntegrityError):
        services.signature_withdraw(campaign_id=campaign.pk, account_id=accounts[0].pk)
    assert connection.connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    assert Signature.objects.count() == 2  # the failed withdrawal changed nothing


def test_she_can_withdraw_after_leaving_the_chapter_or_after_the_close(cast, client_for, chapter_campaign):
    from homeward.chapters.models import Membership

    client = client_for("member")
    sign(client, chapter_campaign)
    Membership.objects.filter(account=cast["member"]).delete()
    Campaign.objects.filter(pk=chapter_campaign.pk).update(closed=True)

    response = client.post(reverse("appeals:withdraw", args=[chapter_campaign.pk]))

    assert response.status_code == 302
    assert count(chapter_campaign) == 0 == Signature.objects.count()


def test_reconcile_repairs_a_drifted_counter(cast, campaign):
    services.signature_sign(campaign=campaign, account=cast["member"], today=timezone.localdate())
    Campaign.objects.filter(pk=campaign.pk).update(signature_count=5)

    assert services.signature_counts_reconcile() == {campaign.pk: (5, 1)}
    assert count(campaign) == 1


def test_forgetting_an_account_withdraws_its_signatures(cast, campaign):
    for role in ("member", "follower"):
        services.signature_sign(campaign=campaign, account=cast[role], today=timezone.localdate())

    services.appeals_forget_account(account=cast["member"])
    cast["member"].delete()

    assert count(campaign) == 1 == Signature.objects.count()


def test_the_signing_path_is_a_handful_of_statements(cast, client_for, campaign):
    client = client_for("follower")
    with CaptureQueriesContext(connection) as captured:
        sign(client, campaign)

    # The test's own transaction adds savepoints; production has none of them.
    statements = [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    # session, account, the campaign's narrow row, INSERT + UPDATE (one statement on PostgreSQL);
    # the session was written moments ago (signing in), so it is not written again
    assert len(statements) <= 5, statements
    assert sum("appeals_campaign" in sql for sql in statements) == 2  # read the row; add one
    assert not [sql for sql in statements if "django_session" in sql and not sql.startswith("SELECT")]
    assert count(campaign) == 1


def test_the_narrow_row_is_the_orms(campaign):
    from homeward.appeals.selectors import SIGNING_FIELDS, get_campaign_for_signing

    fast = get_campaign_for_signing(campaign.pk)
    orm = Campaign.objects.only(*SIGNING_FIELDS).get(pk=campaign.pk)

    assert fast.get_deferred_fields() == orm.get_deferred_fields()
    for name in SIGNING_FIELDS:
        assert getattr(fast, name) == getattr(orm, name)
        assert type(getattr(fast, name)) is type(getattr(orm, name))
    assert fast.is_open(timezone.localdate()) is True
    assert fast.title == campaign.title  # a deferred field still loads on demand


# --- names: only in the collective letter ------------------------------------------------------


def test_names_appear_nowhere_but_in_the_closed_campaigns_letter(cast, client_for, campaign, settings):
    settings.K_ANONYMITY = 1
    sign(client_for("member"), campaign, full_name=NAME)
    sign(client_for("follower"), campaign)
    pages = [
        reverse("appeals:detail", args=[campaign.pk]),
        reverse("appeals:list"),
        reverse("appeals:ledger"),
        reverse("appeals:ledger_csv"),
        reverse("appeals:dashboard", args=[campaign.pk]),
        reverse("appeals:dashboard_csv", args=[campaign.pk]),
    ]
    for role in ("coordinator", "admin", "follower"):
        for url in pages:
            response = client_for(role).get(url)
            assert NAME not in response.content.decode(), (role, url)

    coordinator = client_for("coordinator")
    open_letter = coordinator.get(reverse("appeals:letter", args=[campaign.pk]))
    assert open_letter.status_code == 302  # not while it runs
    assert not AuditEntry.objects.filter(action="appeals.letter").exists()

    assert coordinator.post(reverse("appeals:close", args=[campaign.pk])).status_code == 302
    letter = coordinator.get(reverse("appeals:letter", args=[campaign.pk]))

    assert letter.status_code == 200
    assert letter["Content-Type"] == "application/pdf"
    assert letter["Content-Disposition"].startswith("attachment;")
    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(letter.content)).pages).split())
    assert NAME.replace(" ", "\xa0") in text.replace(" ", "\xa0") or NAME in text
    assert "2" in text  # co-signed by two people, one of them named
    entry = AuditEntry.objects.get(action="appeals.letter")
    assert (entry.actor, entry.target) == (cast["coordinator"], f"campaign {campaign.pk}")
    assert client_for("other_coordinator").get(reverse("appeals:letter", args=[campaign.pk])).status_code == 403
