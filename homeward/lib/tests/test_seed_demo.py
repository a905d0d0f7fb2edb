"""`make run` loads the demo once: chapters, a coordinator, members, a question campaign."""

from __future__ import annotations

import io

from django.core.management import call_command

from conftest import ensure_reference_data
from homeward.accounts.models import Account
from homeward.questions.models import Campaign, Cluster, Question


def test_demo_data_loads_once_and_prints_the_logins(db):
    ensure_reference_data()
    out = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    text = out.getvalue()
    assert {"admin", "koordinator", "marina", "olga", "podpischik"} <= set(
        Account.objects.values_list("handle", flat=True)
    )
    assert "koordinator" in text and "TOTP secret" in text
    campaign = Campaign.objects.get()
    assert Question.objects.filter(campaign=campaign, status="approved").count() == 4
    assert Cluster.objects.filter(campaign=campaign, approved__gt=0).exists()

    again = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=again)
    assert again.getvalue() == "" and Campaign.objects.count() == 1
