"""Seizure canary for what a member types or uploads in the appeals flows (PRIVACY.md).

Her full name and postal address for a personal copy or a complaint go into the PDF and
are never stored; the legal name on a signature, the registration number and the reply
she uploads are stored encrypted. Read the database and the media folder as bytes, as
someone who copied the disk would, and the logs: no canary may appear.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from conftest import ensure_reference_data, make_account, signed_in_client
from homeward.appeals import services
from homeward.appeals.models import Reply, Signature
from homeward.appeals.tests.conftest import make_campaign, make_filing
from homeward.lib.tests.rawdump import database_bytes, media_bytes


def canary(what: str) -> str:
    return f"CANARY{what}{secrets.token_hex(5)}"


@pytest.mark.django_db(transaction=True)
def test_what_she_types_or_uploads_is_never_on_disk_in_plaintext(caplog):
    caplog.set_level(logging.DEBUG)
    ensure_reference_data()
    campaign = make_campaign(
        actor=make_account("privacy_admin", admin=True), opens_on=timezone.localdate() - dt.timedelta(days=200)
    )
    member = make_account("privacy_member", chapter=None)
    from homeward.chapters.models import Chapter, Membership, Region

    chapter = Chapter.objects.create(region=Region.objects.get(code="RU-MOW"), slug="ru-mow")
    Membership.objects.create(account=member, chapter=chapter)
    client = signed_in_client(member)
    planted = {
        "copy name": canary("copyname"),
        "copy address": canary("copyaddress"),
        "complaint name": canary("complaintname"),
        "complaint address": canary("complaintaddress"),
        "signature name": canary("signaturename"),
        "registration number": canary("regnumber"),
        "reply file name": canary("replyname"),
        "reply content": canary("replycontent"),
    }

    # co-sign with a legal name
    client.post(reverse("appeals:sign", args=[campaign.pk]), {"full_name": planted["signature name"]})
    # a personal copy as PDF
    pdf = client.post(
        reverse("appeals:copy", args=[campaign.pk]),
        {
            "full_name": planted["copy name"],
            "postal_address": planted["copy address"],
            "letter": f"Letter from {planted['copy name']}, {planted['copy address']}",
            "action": "pdf",
        },
    )
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    # a filing long overdue, with its registration number, a reply uploaded and a complaint printed
    filing = make_filing(
        member,
        campaign,
        sent_on=timezone.localdate() - dt.timedelta(days=150),
        registration_number=planted["registration number"],
    )
    reply_pdf = b"%PDF-1.4\n% " + planted["reply content"].encode() + b"\n%%EOF\n"
    uploaded = client.post(
        reverse("appeals:filing_reply", args=[filing.pk]),
        {"file": SimpleUploadedFile(f"{planted['reply file name']}.pdf", reply_pdf)},
    )
    assert uploaded.status_code == 302
    complaint = client.post(
        reverse("appeals:filing_complaint", args=[filing.pk]),
        {
            "prosecutor": "Генеральная прокуратура",
            "full_name": planted["complaint name"],
            "postal_address": planted["complaint address"],
            "text": f"Жалоба от {planted['complaint name']}",
        },
    )
    assert complaint.status_code == 200 and complaint["Content-Type"] == "application/pdf"

    # The app gives back what it keeps.
    assert Signature.objects.get(account=member).full_name == planted["signature name"]
    reply = Reply.objects.get(filing=filing)
    assert services.reply_content(reply) == reply_pdf
    assert reply.name == f"{planted['reply file name']}.pdf"
    assert client.get(reverse("appeals:filing_reply_file", args=[filing.pk])).content == reply_pdf

    # Control: a plain column is seen by the scan, so the scan can fail.
    control = f"plaincanary{secrets.token_hex(4)}"
    make_account(control)
    seized = database_bytes() + media_bytes()
    assert control.encode() in seized
    leaked = [where for where, value in planted.items() if value.encode() in seized]
    assert leaked == [], f"readable on disk: {leaked}"
    logged = [where for where, value in planted.items() if value in caplog.text]
    assert logged == [], f"written to the logs: {logged}"
