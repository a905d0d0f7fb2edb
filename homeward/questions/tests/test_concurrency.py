"""Votes under concurrency, on real connections and real transactions: double clicks from
one account make one vote, many voters and withdrawals leave the weight exact."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import ensure_reference_data, make_account, signed_in_client
from homeward.lib.tests.concurrency import run_together
from homeward.questions import services
from homeward.questions.models import Cluster, Vote
from homeward.questions.tests.conftest import ask, make_campaign


def _setup():
    ensure_reference_data()
    admin = make_account("conc-admin", admin=True)
    campaign = make_campaign(actor=admin)
    question = ask(campaign, make_account("conc-asker"), "Когда демобилизуют мобилизованных?")
    return campaign, question


def weight(question):
    return Cluster.objects.get(pk=question.cluster_id).weight


@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_from_one_account_make_one_vote():
    _campaign, question = _setup()
    voter = make_account("conc-voter")
    run_together(8, lambda i: services.vote_cast(question=question, account=voter))
    assert Vote.objects.filter(question=question).count() == 1
    assert weight(question) == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_from_one_session_make_one_vote():
    _campaign, question = _setup()
    client = signed_in_client(make_account("conc-clicker"))
    url = reverse("questions:vote", args=[question.pk])
    statuses = []
    run_together(6, lambda i: statuses.append(client.post(url).status_code))
    assert statuses == [302] * 6
    assert Vote.objects.filter(question=question).count() == 1 and weight(question) == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_voters_and_withdrawals_keep_the_weight_exact():
    _campaign, question = _setup()
    voters = [make_account(f"conc-{i}") for i in range(10)]
    for v in voters[:4]:
        services.vote_cast(question=question, account=v)

    def work(i):
        if i < 4:  # the first four withdraw twice, the rest vote twice
            services.vote_withdraw(question=question, account=voters[i])
            services.vote_withdraw(question=question, account=voters[i])
        else:
            services.vote_cast(question=question, account=voters[i])
            services.vote_cast(question=question, account=voters[i])

    run_together(len(voters), work)
    assert Vote.objects.filter(question=question).count() == 6
    assert weight(question) == 7  # the asker and six voters
