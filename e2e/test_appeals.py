"""A collective appeal in a real browser, with JavaScript on and off: co-sign, withdraw, make
a personal copy and download its PDF, record the filing, record a formal reply, see the ledger."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from conftest import make_account
from e2e.conftest import TEST_PASSPHRASE
from homeward.appeals.models import Campaign, Copy, Filing, Signature
from homeward.appeals.tests.conftest import make_campaign
from homeward.families.services import loved_one_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FULL_NAME = "Ветрова Мария Петровна"
ADDRESS = "123456, г. Москва, ул. Ленина, д. 1, кв. 2"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Public pages and the ledger are cached per process, keyed by version counters that the
    database flush between tests resets: start each test clean."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def signature_count(campaign) -> int:
    return Campaign.objects.values_list("signature_count", flat=True).get(pk=campaign.pk)


def test_co_sign_withdraw_copy_file_answer_and_ledger(web, chapter_a, settings):
    settings.K_ANONYMITY = 0  # suppression off: one member's filing shows in the ledger as a figure
    page = web.page
    today = timezone.localdate()
    member = make_account("member_mow", chapter=chapter_a)
    loved_one_create(
        owner=member,
        data={
            "relation": "husband",
            "name": "Ветров Алексей Иванович",
            "mobilized_on": dt.date(2022, 9, 21),
            "region": chapter_a.region,
            "status": "serving",
            "status_since": dt.date(2022, 9, 21),
        },
    )
    coordinator = make_account("coord_mow", chapter=chapter_a, role="coordinator", totp=True)
    campaign = make_campaign(actor=coordinator, chapter=chapter_a, opens_on=today - dt.timedelta(days=30))
    web.sign_in("member_mow", TEST_PASSPHRASE)
    assert web.signed_in()

    # Co-sign with one click (htmx swaps the box in place with JavaScript; a page load without).
    web.go(f"/appeals/{campaign.pk}/")
    sign = page.locator("#sign-box form button#sign")
    if web.js:
        web.submit_htmx(sign, f"/appeals/{campaign.pk}/sign/")
    else:
        web.submit(sign)
    expect(page.locator("#signed-state")).to_contain_text("Вы подписали это письмо.")
    assert web.path() == f"/appeals/{campaign.pk}/"
    assert signature_count(campaign) == 1 == Signature.objects.filter(account=member).count()

    # Withdraw: the count goes back down and the sign button returns.
    withdraw = page.locator("#sign-box button#withdraw")
    if web.js:
        web.submit_htmx(withdraw, f"/appeals/{campaign.pk}/withdraw/")
    else:
        web.submit(withdraw)
    expect(page.locator("#sign-box button#sign")).to_be_visible()
    assert signature_count(campaign) == 0 == Signature.objects.count()

    # A personal copy: filled from her records, her name and address typed, the PDF downloaded.
    page.locator("a#make-copy").click()
    page.wait_for_url(f"**/appeals/{campaign.pk}/copy/")
    letter = page.locator("textarea[name=letter]")
    expect(letter).to_contain_text("Ветров Алексей Иванович")
    expect(page.locator("#missing")).to_be_visible()
    page.locator("input[name=full_name]").fill(FULL_NAME)
    page.locator("textarea[name=postal_address]").fill(ADDRESS)
    web.submit("button#fill")
    expect(letter).to_contain_text(FULL_NAME)
    expect(page.locator("#missing")).to_have_count(0)
    with page.expect_download() as download:
        page.locator("button#download-pdf").click()
    pdf = download.value
    assert pdf.suggested_filename == f"appeal-{campaign.pk}.pdf"
    with open(pdf.path(), "rb") as f:
        reader = PdfReader(io.BytesIO(f.read()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).replace("\xa0", " ").split())
    assert FULL_NAME in text
    assert ADDRESS in text
    assert "Министерство обороны Российской Федерации" in text
    assert "Ветров Алексей Иванович" in text, text
    assert Copy.objects.filter(campaign=campaign, account=member).count() == 1

    # Record the filing she made on Gosuslugi ten days ago.
    sent = today - dt.timedelta(days=10)
    web.go(f"/appeals/{campaign.pk}/file/")
    form = page.locator("main form[method=post]")
    form.locator("select[name=channel]").select_option(value="gosuslugi")
    form.locator("input[name=sent_on]").fill(sent.isoformat())
    form.locator("input[name=registration_number]").fill("МО-12/345")
    web.submit(form.locator("button[type=submit]"))
    filing = Filing.objects.get(owner=member)
    assert web.path() == f"/appeals/filings/{filing.pk}/"
    assert (filing.channel, filing.sent_on, filing.registration_number) == ("gosuslugi", sent, "МО-12/345")
    expect(page.locator("#deadline-answer")).to_contain_text("ч. 1 ст. 12 59-ФЗ")
    expect(page.locator("#deadline-registration")).to_contain_text("ч. 2 ст. 8 59-ФЗ")
    expect(page.locator("#counting-rules")).to_contain_text("ст. 193 ГК РФ")

    # A formal reply came back today.
    outcome = page.locator("form#outcome-form")
    outcome.locator("select[name=outcome]").select_option(value="formal")
    outcome.locator("input[name=on]").fill(today.isoformat())
    web.submit(outcome.locator("button[type=submit]"))
    expect(page.locator("#outcome")).to_contain_text("отписка")
    filing.refresh_from_db()
    assert (filing.outcome, filing.answered_on) == ("formal", today)

    # The public ledger counts it as a formal reply from this body.
    web.sign_out()
    web.go("/appeals/ledger/")
    row = page.locator(f"#ledger-campaigns-{campaign.pk}")
    expect(row).to_contain_text(campaign.title)
    cells = [c.strip() for c in row.locator("td").all_inner_texts()]
    assert cells[:3] == ["1", "0", "1"]  # filings; on the merits; formal replies
    expect(page.locator(f"#ledger-addressees-{campaign.addressee_id}")).to_be_visible()
