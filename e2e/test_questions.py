"""The question bank in real browsers, with JavaScript on and off: a member drafts a question,
is shown a similar one and votes for it instead, then sends another of her own; the
coordinator merges two groups, records the outcome and exports the brief; the public
ledger shows the outcome."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import make_account
from e2e.conftest import TEST_PASSPHRASE, sign_in_with_code
from homeward.questions.models import Cluster, Question, Vote
from homeward.questions.tests.conftest import ask, ask_apart, make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

EXISTING = "Когда демобилизуют мобилизованных и вернут их домой?"
DRAFT = "Когда же наконец демобилизуют мобилизованных и вернут домой?"
TERM = "Будет ли установлен срок службы для мобилизованных?"
TERM_2 = "Почему у мобилизованных до сих пор нет срока службы?"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    from homeward.questions.services import indexes_forget

    cache.clear()
    indexes_forget()
    yield
    cache.clear()
    indexes_forget()


def test_ask_see_similar_vote_instead_merge_export_and_ledger(web, other_tab, chapter_a):
    page = web.page
    coordinator = make_account("coord_mow", chapter=chapter_a, role="coordinator", totp=True)
    campaign = make_campaign(actor=coordinator, chapter=chapter_a, premoderated=False)
    existing = ask(campaign, make_account("asker_one", chapter=chapter_a), EXISTING)
    term = ask(campaign, make_account("asker_two", chapter=chapter_a), TERM)
    member = make_account("member_mow", chapter=chapter_a)
    web.sign_in("member_mow", TEST_PASSPHRASE)

    # Her draft: before anything is saved she sees the question most like it.
    web.go(f"/questions/{campaign.pk}/ask/")
    page.locator("textarea[name=question]").fill(DRAFT)
    preview = page.locator("button#preview")
    if web.js:
        web.submit_htmx(preview, f"/questions/{campaign.pk}/ask/")
    else:
        web.submit(preview)
    similar = page.locator("#similar-list")
    expect(similar).to_contain_text(EXISTING)
    expect(page.locator("button#submit")).to_be_visible()
    assert Question.objects.filter(author=member).count() == 0

    # She votes for it instead.
    vote = similar.locator(f"#vote-{existing.pk} button.vote-button")
    if web.js:
        web.submit_htmx(vote, f"/questions/q/{existing.pk}/vote/")
        expect(page.locator(f"#vote-{existing.pk}")).to_contain_text("Ваш голос учтён")
    else:
        web.submit(vote)
        assert web.path() == f"/questions/{campaign.pk}/ask/"
    assert Vote.objects.filter(question=existing, account=member).count() == 1
    assert Cluster.objects.get(pk=existing.cluster_id).weight == 2

    # Then she sends a question of her own, on the term of service.
    web.go(f"/questions/{campaign.pk}/ask/")
    page.locator("textarea[name=question]").fill(TERM_2)
    if web.js:
        web.submit_htmx(page.locator("button#preview"), f"/questions/{campaign.pk}/ask/")
    else:
        web.submit("button#preview")
    web.submit("button#submit")
    assert web.path() == "/questions/mine/"
    expect(page.locator("#my-questions")).to_contain_text(TERM_2)
    mine = Question.objects.get(author=member)
    assert mine.status == "approved"

    # The coordinator merges her group into the term-of-service group, if the engine kept
    # them apart, and records what happened at the event.
    coord = other_tab
    sign_in_with_code(coord, coordinator)
    coord.go(f"/questions/{campaign.pk}/moderate/")
    if mine.cluster_id != term.cluster_id:
        coord.page.locator(f"#keep-{term.cluster_id}").check()
        coord.page.locator(f"#merge-{mine.cluster_id}").check()
        coord.submit("button#merge")
        assert coord.path() == f"/questions/groups/{term.cluster_id}/edit/"
    assert Question.objects.get(pk=mine.pk).cluster_id == term.cluster_id
    assert Cluster.objects.get(pk=term.cluster_id).weight == 2

    coord.go(f"/questions/groups/{term.cluster_id}/edit/")
    outcome = coord.page.locator("#outcome-form")
    outcome.locator("select[name=outcome]").select_option(value="partial")
    outcome.locator("textarea[name=note]").fill("Ответил про выплаты, не про срок")
    coord.submit(outcome.locator("button[type=submit]"))

    coord.go(f"/questions/{campaign.pk}/moderate/")
    with coord.page.expect_download() as download:
        coord.page.locator("button#export-pdf").click()
    assert download.value.suggested_filename == f"questions-{campaign.pk}.pdf"

    # The public ledger shows the outcome.
    web.sign_out()
    web.go(f"/questions/{campaign.pk}/ledger/")
    ledger = page.locator("#ledger")
    expect(ledger).to_contain_text("ответ частичный")
    expect(ledger).to_contain_text("Ответил про выплаты, не про срок")
    expect(page.locator("main")).not_to_contain_text("member_mow")


def test_a_coordinator_merges_a_suggested_group_from_its_page(web, chapter_a):
    """Placement kept two wordings of one ask apart; the group's page offers the other
    one, and one button merges it, with JavaScript on and off."""
    page = web.page
    coordinator = make_account("coord_sugg", chapter=chapter_a, role="coordinator", totp=True)
    campaign = make_campaign(actor=coordinator, chapter=chapter_a, premoderated=False)
    kept = ask(campaign, make_account("asker_k", chapter=chapter_a), EXISTING)
    apart = ask_apart(campaign, make_account("asker_a", chapter=chapter_a), DRAFT, coordinator=coordinator)
    assert apart.cluster_id != kept.cluster_id

    sign_in_with_code(web, coordinator)
    web.go(f"/questions/groups/{kept.cluster_id}/edit/")
    offered = page.locator(f"#neighbour-{apart.cluster_id}")
    expect(offered).to_contain_text(DRAFT)
    web.submit(offered.locator("button"))
    assert web.path() == f"/questions/groups/{kept.cluster_id}/edit/"
    expect(page.locator("#neighbours-none")).to_be_visible()
    assert Question.objects.get(pk=apart.pk).cluster_id == kept.cluster_id
    assert Cluster.objects.get(pk=kept.cluster_id).weight == 2
