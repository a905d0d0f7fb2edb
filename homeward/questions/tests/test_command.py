"""The re-cluster command and the daily job."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from homeward.questions.models import Question
from homeward.questions.tasks import questions_daily
from homeward.questions.tests.conftest import ask


def test_the_command_re_clusters_and_prints_figures(qcampaign, cast):
    a = ask(qcampaign, cast["member"], "Когда демобилизуют мобилизованных?")
    Question.objects.filter(pk=a.pk).update(cluster=None, exemplar=False)  # as if placement was lost
    out = io.StringIO()
    call_command("questions_recluster", str(qcampaign.pk), "--json", stdout=out)
    figures = json.loads(out.getvalue())
    assert figures["questions"] == 1 and figures["clusters"] == 1 and figures["moved"] == 1
    assert Question.objects.get(pk=a.pk).cluster_id is not None
    with pytest.raises(CommandError):
        call_command("questions_recluster", "999999")


def test_the_daily_job_re_clusters_campaigns_with_enough_questions(qcampaign, cast, settings):
    settings.QUESTIONS_RECLUSTER_MIN = 2
    ask(qcampaign, cast["member"], "Когда демобилизуют мобилизованных?")
    assert questions_daily.call() == {}
    ask(qcampaign, cast["outsider"], "Когда мобилизованным дадут отпуск?")
    assert questions_daily.call() == {qcampaign.pk: 0}
