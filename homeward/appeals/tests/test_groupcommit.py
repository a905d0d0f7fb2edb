"""Group commit: signers waiting at one moment share one statement, and each still learns
exactly whether her own signature was new — under real threads, and on PostgreSQL with
real connections."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import connection
from django.utils import timezone

from homeward.appeals import groupcommit, services
from homeward.appeals.models import Campaign, Signature
from homeward.appeals.tests.conftest import campaign_with_signers
from homeward.lib.tests.concurrency import run_together

DAY = dt.date(2026, 11, 27)


class Store:
    """A stand-in table for the unit tests: (campaign, account) pairs, written slowly enough
    that other signers queue while a batch is being written."""

    def __init__(self, pause=0.02, fail_with=None):
        self.rows: set[tuple[int, int]] = set()
        self.batches: list[list[int]] = []
        self.pause = pause
        self.fail_with = fail_with
        self.lock = threading.Lock()

    def __call__(self, campaign_id, signed_on, account_ids):
        time.sleep(self.pause)
        if self.fail_with is not None and self.fail_with in account_ids:
            raise RuntimeError("a row the database refuses")
        with self.lock:
            self.batches.append(list(account_ids))
            new = {a for a in account_ids if (campaign_id, a) not in self.rows}
            self.rows |= {(campaign_id, a) for a in new}
        return new


def sign_together(gc, pairs):
    """Each pair signs from its own thread, all released at once; the answers by index."""
    answers = [object()] * len(pairs)
    barrier = threading.Barrier(len(pairs))

    def run(i):
        barrier.wait(timeout=10)
        answers[i] = gc.sign(pairs[i][0], pairs[i][1], DAY)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(pairs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "a signer was never answered"
    return answers


def test_signers_who_queue_share_batches_and_each_learns_her_own_answer():
    store = Store()
    gc = groupcommit.GroupCommit(store)

    answers = sign_together(gc, [(1, a) for a in range(40)])

    assert answers == [True] * 40
    assert store.rows == {(1, a) for a in range(40)}
    assert len(store.batches) < 40  # some signers shared a statement
    assert sorted(a for b in store.batches for a in b) == list(range(40))  # each written once
    assert gc.carried == 40 and gc.batches == len(store.batches)


def test_a_double_click_in_one_batch_is_new_once_and_already_there_once():
    store = Store(pause=0.05)
    gc = groupcommit.GroupCommit(store)

    answers = sign_together(gc, [(1, 7)] * 6 + [(1, 8)])

    assert sorted(answers[:6]) == [False] * 5 + [True]
    assert answers[6] is True
    assert all(len(b) == len(set(b)) for b in store.batches)  # a pair goes once per statement


def test_signatures_of_different_campaigns_go_in_separate_statements():
    store = Store()
    gc = groupcommit.GroupCommit(lambda c, d, accounts: store(c, d, [c * 1000 + a for a in accounts]) and set(accounts))

    answers = sign_together(gc, [(c, a) for c in (1, 2, 3) for a in range(5)])

    assert answers == [True] * 15
    for batch in store.batches:
        assert len({a // 1000 for a in batch}) == 1  # one campaign per statement


def test_a_failed_batch_leaves_every_signer_in_it_to_sign_alone():
    store = Store(fail_with=13)
    gc = groupcommit.GroupCommit(store)

    answers = sign_together(gc, [(1, a) for a in range(10, 30)])

    by_account = dict(zip(range(10, 30), answers, strict=True))
    assert by_account[13] is None  # she signs alone (and sees her own error there)
    assert all(v in (True, None) for v in by_account.values())
    assert {a for (_c, a) in store.rows} == {a for a, v in by_account.items() if v is True}


def test_one_signer_alone_writes_at_once_and_leaves_no_leader_behind():
    store = Store(pause=0)
    gc = groupcommit.GroupCommit(store)

    assert gc.sign(1, 1, DAY) is True
    assert gc.sign(1, 1, DAY) is False
    assert store.batches == [[1], [1]]
    assert gc._busy is False and gc._queue == []


# --- on the real database -----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="group commit is the PostgreSQL path")
def test_concurrent_signers_share_statements_and_the_count_is_exact(monkeypatch):
    campaign, accounts = campaign_with_signers(16, "gc")
    today = timezone.localdate()
    written = []

    def slow(campaign_id, signed_on, account_ids):
        time.sleep(0.05)  # let the others queue behind the leader
        written.append(list(account_ids))
        return services._sign_many(campaign_id, signed_on, account_ids)

    monkeypatch.setattr(services, "_GROUP_COMMIT", groupcommit.GroupCommit(slow))
    results = [None] * 20

    def work(i):
        # 16 signers; four of them click twice at the same moment
        account = accounts[i % 16]
        results[i] = services.signature_sign(campaign=campaign, account=account, today=today).signed

    run_together(20, work)

    assert sum(results) == 16  # each account's signature was new exactly once
    assert Campaign.objects.values_list("signature_count", flat=True).get(pk=campaign.pk) == 16
    assert Signature.objects.filter(campaign=campaign).count() == 16
    assert len(written) < 20  # statements were shared
    assert services.signature_counts_reconcile() == {}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="group commit is the PostgreSQL path")
def test_a_batch_with_a_vanished_account_still_signs_the_others():
    campaign, accounts = campaign_with_signers(3, "gc2")

    inserted = services._sign_many(campaign.pk, timezone.localdate(), [a.pk for a in accounts])
    assert inserted == {a.pk for a in accounts}
    with pytest.raises(Exception):  # noqa: B017,PT011 — the foreign key refuses the batch
        services._sign_many(campaign.pk, timezone.localdate(), [accounts[0].pk, 10**12])
    # The failed statement left the connection usable and changed nothing.
    assert Campaign.objects.values_list("signature_count", flat=True).get(pk=campaign.pk) == 3
    assert services._sign_many(campaign.pk, timezone.localdate(), [accounts[0].pk]) == set()
