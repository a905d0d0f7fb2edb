"""Writes of the question bank: campaigns, asking, voting, moderation, clusters, outcomes.

Counts are exact: a cluster's weight is recounted from its rows inside the transaction
that changed them, with the cluster row locked, so concurrent votes are neither lost nor
counted twice. Every coordinator's act is audited.
"""

from __future__ import annotations

import base64
import datetime as dt
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Min
from django.utils import timezone

from homeward.audit.services import audit_record
from homeward.chapters.models import Membership
from homeward.lib.versions import version_bump
from homeward.notices.services import NewNotice, notices_create
from homeward.questions import clustering, text
from homeward.questions.models import Campaign, Cluster, Outcome, Question, Status, Video, Vote, VoteActivity

#: Version of everything the public pages of the question bank show (lib/pagecache).
QUESTIONS_VERSION = "questions"
NOTICE_REJECTED = "questions.rejected"


class NotOpen(Exception):
    """The campaign does not take questions or votes today."""


class TooMany(Exception):
    """A per-account limit (questions a day, votes an hour) is reached."""


# --- campaigns -------------------------------------------------------------------------

EDITABLE = ["title", "event", "event_on", "about", "opens_on", "closes_on", "premoderated"]


def campaign_create(*, actor, data: dict) -> Campaign:
    with transaction.atomic():
        campaign = Campaign.objects.create(
            **{name: data[name] for name in EDITABLE},
            scope=data["scope"],
            chapter=data.get("chapter"),
            created_by=actor,
        )
        audit_record(actor=actor, action="questions.create", target=f"campaign {campaign.pk}")
        version_bump(QUESTIONS_VERSION)
    return campaign


def campaign_update(*, actor, campaign: Campaign, data: dict) -> None:
    with transaction.atomic():
        for name in EDITABLE:
            setattr(campaign, name, data[name])
        campaign.save(update_fields=EDITABLE)
        audit_record(actor=actor, action="questions.edit", target=f"campaign {campaign.pk}")
        version_bump(QUESTIONS_VERSION)


# --- the similarity index, one per campaign and process ---------------------------------


@dataclass
class _Loaded:
    version: int
    last_id: int  # the highest exemplar question id replayed into the index
    index: clustering.Index


_indexes: dict[int, _Loaded] = {}
_lock = threading.Lock()


def _fresh_index(campaign_id: int) -> clustering.Index:
    """The campaign's index as this process knows it, brought up to date: rebuilt when the
    clusters were reshaped (merge, split, re-cluster), else topped up with the exemplars
    other processes added since."""
    version = Campaign.objects.values_list("index_version", flat=True).get(pk=campaign_id)
    with _lock:
        loaded = _indexes.get(campaign_id)
        if loaded is None or loaded.version != version:
            loaded = _Loaded(version=version, last_id=0, index=clustering.Index())
            _indexes[campaign_id] = loaded
        rows = (
            Question.objects.filter(campaign_id=campaign_id, exemplar=True, id__gt=loaded.last_id)
            .exclude(cluster=None)
            .order_by("id")
            .values_list("id", "cluster_id", "terms")
            .iterator(chunk_size=5000)
        )
        for pk, cluster_id, terms in rows:
            loaded.index.add(cluster_id, terms.split())
            loaded.last_id = pk
        return loaded.index


def indexes_forget() -> None:
    """Drop every process-local index (tests; the next use rebuilds from the database)."""
    with _lock:
        _indexes.clear()


def _reshaped(campaign_id: int) -> None:
    Campaign.objects.filter(pk=campaign_id).update(index_version=F("index_version") + 1)
    version_bump(QUESTIONS_VERSION)


@dataclass(frozen=True)
class Similar:
    cluster: Cluster
    score: float
    question: Question  # the approved question to vote for: the cluster's first


def similar(campaign: Campaign, draft: str, *, limit: int = 5) -> list[Similar]:
    """The clusters most like her draft that others can see, best first."""
    terms = text.terms(draft)
    if not terms:
        return []
    found = _fresh_index(campaign.pk).nearest(terms, limit=limit * 2)
    if not found:
        return []
    ids = [cluster_id for cluster_id, _score in found]
    clusters = Cluster.objects.filter(pk__in=ids, campaign=campaign, approved__gt=0).select_related("lead").in_bulk()
    out = [
        Similar(cluster=clusters[cid], score=score, question=clusters[cid].lead)
        for cid, score in found
        if cid in clusters and clusters[cid].lead is not None
    ]
    return out[:limit]


@dataclass(frozen=True)
class Neighbour:
    cluster: Cluster
    score: float
    wording: str  # the coordinators' wording, else its first approved question's text (see similar_groups)
    waiting: bool  # no question of it is approved yet

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def similar_groups(cluster: Cluster, *, limit: int = 5) -> list[Neighbour]:
    """Other groups of the campaign that may ask the same thing, best first: offered to a
    coordinator to merge (clustering.Index.neighbours). Placement splits some questions
    that ask the same thing into several groups; this is where a coordinator finds them.
    A group of rejected questions only is left out; one with no approved question yet is
    marked as waiting (its wording: its first question waiting for approval)."""
    found = _fresh_index(cluster.campaign_id).neighbours(cluster.pk, limit=limit * 2)
    if not found:
        return []
    ids = [cluster_id for cluster_id, _score in found]
    clusters = Cluster.objects.filter(pk__in=ids, campaign_id=cluster.campaign_id).select_related("lead").in_bulk()
    waiting = [pk for pk, c in clusters.items() if not c.approved]
    firsts = dict(
        Question.objects.filter(cluster_id__in=waiting, status=Status.PENDING)
        .values("cluster_id")
        .annotate(first=Min("id"))
        .values_list("cluster_id", "first")
    )
    texts = dict(Question.objects.filter(pk__in=list(firsts.values())).values_list("cluster_id", "text"))
    out = []
    for cluster_id, score in found:
        c = clusters.get(cluster_id)
        if c is None or cluster_id == cluster.pk or (not c.approved and cluster_id not in texts):
            continue
        if c.approved:
            wording = c.wording or (c.lead.text if c.lead is not None else "")
        else:
            wording = c.wording or texts[cluster_id]
        out.append(Neighbour(cluster=c, score=score, wording=wording, waiting=not c.approved))
    return out[:limit]


# --- asking ----------------------------------------------------------------------------


def is_newcomer(account, today: dt.date) -> bool:
    """A newer account, or one without a chapter: counted apart (shown, not hidden)."""
    young = account.joined_on > today - dt.timedelta(days=settings.QUESTIONS_NEW_ACCOUNT_DAYS)
    return young or not Membership.objects.filter(account=account).exists()


def asked_today(account, today: dt.date) -> int:
    return Question.objects.filter(author=account, asked_on=today).count()


def question_ask(
    *, campaign: Campaign, account, question: str, show_handle: bool = False, video=None, today: dt.date
) -> Question:
    """Store her question and place it in a cluster, all in one transaction.

    `video` is a lib.uploads.CleanFile or None. The question waits for approval when the
    campaign is premoderated; otherwise it counts at once.
    """
    if not campaign.is_open(today):
        raise NotOpen
    terms = text.terms(question)
    chapter_id = Membership.objects.filter(account=account).order_by("id").values_list("chapter_id", flat=True).first()
    index = _fresh_index(campaign.pk)  # before the write lock: a first build may take a while
    try:
        with transaction.atomic():
            # Her account row locked first: parallel asks from one account count one by one.
            list(get_user_model().objects.select_for_update().filter(pk=account.pk).values_list("pk"))
            if asked_today(account, today) >= settings.QUESTIONS_SUBMIT_PER_DAY:
                raise TooMany
            q = Question.objects.create(
                campaign=campaign,
                author=account,
                chapter_id=chapter_id,
                text=question,
                terms=" ".join(terms),
                form_key=text.form_key(terms),
                status=Status.PENDING if campaign.premoderated else Status.APPROVED,
                show_handle=show_handle,
                newcomer=is_newcomer(account, today),
                asked_on=today,
            )
            if video is not None:
                Video.objects.create(
                    question=q,
                    content=base64.b64encode(video.content).decode("ascii"),
                    content_type=video.content_type,
                    size=len(video.content),
                )
            q.cluster_id, q.exemplar = _place(index, campaign, q, terms)
            Question.objects.filter(pk=q.pk).update(cluster_id=q.cluster_id, exemplar=q.exemplar)
            Campaign.objects.filter(pk=campaign.pk).update(question_count=F("question_count") + 1)
            if q.status == Status.APPROVED:
                _recount(q.cluster_id)
            transaction.on_commit(lambda: version_bump(QUESTIONS_VERSION))
    except TooMany:
        raise  # refused before the index was touched
    except BaseException:
        # The index may hold an exemplar of a question that was never stored: rebuild it.
        with _lock:
            _indexes.pop(campaign.pk, None)
        raise
    return q


def _place(index: clustering.Index, campaign: Campaign, q: Question, terms) -> tuple[int, bool]:
    """(cluster id, exemplar) for a new question: join the index's best cluster, or open one."""
    with _lock:
        # A placeholder id the index can never hold (cluster ids are positive) until the
        # new cluster, if one is opened, has its row.
        placement = index.place(terms, -q.pk)
        if placement.created or not Cluster.objects.filter(pk=placement.cluster, campaign=campaign).exists():
            # A new cluster; or the one chosen was deleted since this process last looked.
            cluster = Cluster.objects.create(campaign=campaign, wording="")
            index.discard(-q.pk)
            index.add(cluster.pk, terms)
            return cluster.pk, True
        return placement.cluster, placement.exemplar


def _recount(cluster_id: int | None) -> None:
    """Recount one cluster from its rows, with its row locked: exact under concurrency."""
    _recount_many([cluster_id])


_WEIGHTS_SQL = """
SELECT c, COUNT(*), SUM(est), MAX(approved), MIN(lead) FROM (
  SELECT c, a, MAX(est) AS est, MAX(approved) AS approved, MIN(lead) AS lead FROM (
    SELECT q.cluster_id AS c, q.author_id AS a, CASE WHEN q.newcomer THEN 0 ELSE 1 END AS est,
           COUNT(*) OVER (PARTITION BY q.cluster_id) AS approved, q.id AS lead
      FROM {q} q WHERE {where} AND q.status = 'approved'
    UNION ALL
    SELECT q.cluster_id, v.account_id, CASE WHEN v.newcomer THEN 0 ELSE 1 END, 0, NULL
      FROM {v} v JOIN {q} q ON q.id = v.question_id
     WHERE {where} AND q.status = 'approved'
  ) acts GROUP BY c, a
) people GROUP BY c
"""
#: What a cluster with no approved question weighs: nobody, and no question leads it.
NOBODY = (0, 0, 0, None)


def _weights_sql(where: str, params: list, out: dict) -> None:
    sql = _WEIGHTS_SQL.format(q=Question._meta.db_table, v=Vote._meta.db_table, where=where)
    with connection.cursor() as cursor:
        cursor.execute(sql, params + params)
        for c, people, established, approved, lead in cursor.fetchall():
            out[c] = (int(people), int(established or 0), int(approved or 0), lead)


def _weights(cluster_ids: list[int]) -> dict[int, tuple]:
    """{cluster: (distinct people, of them established, approved questions, first approved
    question)} from the rows."""
    out: dict[int, tuple] = {}
    for start in range(0, len(cluster_ids), 500):
        chunk = [int(c) for c in cluster_ids[start : start + 500]]
        _weights_sql(f"q.cluster_id IN ({','.join(['%s'] * len(chunk))})", chunk, out)
    return out


_SET_WEIGHTS = "UPDATE {t} SET weight = %s, weight_established = %s, approved = %s, lead_id = %s WHERE id = %s"


def _store_weights(rows: list[tuple]) -> None:
    """rows: (weight, established, approved, lead question, cluster id)."""
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(_SET_WEIGHTS.format(t=Cluster._meta.db_table), rows)


def _recount_many(cluster_ids) -> None:
    ids = sorted({c for c in cluster_ids if c is not None})
    if not ids:
        return
    list(Cluster.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
    weights = _weights(ids)
    rows = []
    for pk in ids:
        people, established, approved, lead = weights.get(pk, NOBODY)
        rows.append((people, established, approved, lead, pk))
    _store_weights(rows)


def _recount_campaign(campaign_id: int) -> None:
    """Recount every cluster of a campaign in one pass (the re-cluster's last step)."""
    # Lock every cluster first (in one order, as votes lock one): no vote lands between the
    # count and its write.
    list(Cluster.objects.select_for_update().filter(campaign_id=campaign_id).order_by("pk").values_list("pk"))
    weights: dict[int, tuple] = {}
    _weights_sql("q.campaign_id = %s", [campaign_id], weights)
    rows = []
    current = Cluster.objects.filter(campaign_id=campaign_id).values_list(
        "pk", "weight", "weight_established", "approved", "lead_id"
    )
    for pk, *was in current.iterator(chunk_size=10_000):
        new = weights.get(pk, NOBODY)
        if tuple(was) != new:
            rows.append((*new, pk))
    _store_weights(rows)


# --- voting ----------------------------------------------------------------------------


def _hour(now: dt.datetime) -> dt.datetime:
    return now.replace(minute=0, second=0, microsecond=0)


def _act(account, now: dt.datetime) -> None:
    """Count one vote or withdrawal this hour; over the limit, TooMany (and the caller's
    transaction, with the count, rolls back). The row is locked by its UPDATE, so
    parallel requests from one account are counted one after another."""
    hour = _hour(now)
    VoteActivity.objects.bulk_create([VoteActivity(account=account, hour=hour)], ignore_conflicts=True)
    VoteActivity.objects.filter(account=account, hour=hour).update(acts=F("acts") + 1)
    acts = VoteActivity.objects.values_list("acts", flat=True).get(account=account, hour=hour)
    if acts > settings.QUESTIONS_VOTES_PER_HOUR:
        raise TooMany


def _locked_cluster(question: Question) -> int | None:
    """The question's cluster as it is now, its row locked: a merge or split that moved it
    since the page was read is seen, and cannot move it until this transaction ends."""
    cluster_id = Question.objects.select_for_update().values_list("cluster_id", flat=True).get(pk=question.pk)
    question.cluster_id = cluster_id
    return cluster_id


def vote_cast(*, question: Question, account, now: dt.datetime | None = None) -> bool:
    """Her vote for an approved question: once, however many clicks. True if it is new."""
    now = now or timezone.now()
    campaign = question.campaign
    if question.status != Status.APPROVED or not campaign.is_open(timezone.localdate(now)):
        raise NotOpen
    if Vote.objects.filter(question=question, account=account).exists():
        return False
    try:
        with transaction.atomic():
            cluster_id = _locked_cluster(question)
            with transaction.atomic():  # a savepoint: a duplicate vote leaves the count alone
                Vote.objects.create(
                    question=question, account=account, newcomer=is_newcomer(account, timezone.localdate(now))
                )
            _act(account, now)
            _recount(cluster_id)
    except IntegrityError:
        return False
    version_bump(QUESTIONS_VERSION)
    return True


def vote_withdraw(*, question: Question, account, now: dt.datetime | None = None) -> bool:
    """Withdraw her vote while the campaign is open (afterwards the weights are the record)."""
    now = now or timezone.now()
    if not question.campaign.is_open(timezone.localdate(now)):
        raise NotOpen
    with transaction.atomic():
        cluster_id = _locked_cluster(question)
        deleted, _ = Vote.objects.filter(question=question, account=account).delete()
        if deleted:
            _act(account, now)
            _recount(cluster_id)
    if deleted:
        version_bump(QUESTIONS_VERSION)
    return bool(deleted)


def vote_activity_forget(*, now: dt.datetime) -> int:
    """Delete the hourly counts once they no longer matter (the daily job)."""
    deleted, _ = VoteActivity.objects.filter(hour__lt=_hour(now) - dt.timedelta(hours=1)).delete()
    return deleted


# --- moderation ------------------------------------------------------------------------


def question_approve(*, actor, question: Question) -> None:
    with transaction.atomic():
        cluster_id = _locked_cluster(question)
        Question.objects.filter(pk=question.pk).update(status=Status.APPROVED, reject_reason="")
        question.status, question.reject_reason = Status.APPROVED, ""
        _recount(cluster_id)
        audit_record(actor=actor, action="questions.approve", target=f"question {question.pk}")
    version_bump(QUESTIONS_VERSION)


def question_reject(*, actor, question: Question, reason: str) -> None:
    """Not accepted: hidden from others, her votes' weight gone, the reason shown to her."""
    with transaction.atomic():
        cluster_id = _locked_cluster(question)
        Question.objects.filter(pk=question.pk).update(status=Status.REJECTED, reject_reason=reason)
        question.status, question.reject_reason = Status.REJECTED, reason
        _recount(cluster_id)
        audit_record(actor=actor, action="questions.reject", target=f"question {question.pk}")
        notices_create(
            notices=[
                NewNotice(
                    account_id=question.author_id,
                    kind=NOTICE_REJECTED,
                    key=f"questions.rejected:{question.pk}",
                    params={"campaign": question.campaign_id},
                )
            ]
        )
    version_bump(QUESTIONS_VERSION)


def clusters_merge(*, actor, campaign: Campaign, target: Cluster, others: list[Cluster]) -> int:
    """Move every question of `others` into `target`; the others are deleted. Their
    questions are pinned: a re-cluster keeps a coordinator's decision."""
    others = [c for c in others if c.pk != target.pk and c.campaign_id == campaign.pk]
    if not others:
        return 0
    ids = [c.pk for c in others]
    with transaction.atomic():
        moved = Question.objects.filter(cluster_id__in=ids).update(cluster=target, pinned=True)
        Question.objects.filter(cluster=target).update(pinned=True)
        if not target.outcome:
            best = max((c for c in others if c.outcome), key=lambda c: c.weight, default=None)
            if best is not None:
                Cluster.objects.filter(pk=target.pk).update(
                    outcome=best.outcome, outcome_note=best.outcome_note, outcome_link=best.outcome_link
                )
        Cluster.objects.filter(pk__in=ids).delete()
        _cap_exemplars(Question.objects.filter(cluster=target))
        _recount_many([target.pk])
        audit_record(
            actor=actor, action="questions.merge", target=f"clusters {','.join(map(str, ids))} into {target.pk}"
        )
        _reshaped(campaign.pk)
    return moved


def _cap_exemplars(questions, *, batch: int = 20_000) -> None:
    """Make the first `clustering.MAX_EXEMPLARS` of each cluster's questions (its exemplars
    first, then the earliest) its exemplars, and no others.

    A merge joins the exemplars of several clusters, and pinned questions stay out of a
    re-cluster; uncapped, a large merged group had every question as an exemplar, and
    every lookup that reached it scored them all."""
    promote: list[int] = []
    demote: list[int] = []
    seen: dict[int, int] = {}
    rows = (
        questions.exclude(cluster=None)
        .order_by("cluster_id", "-exemplar", "id")
        .values_list("id", "cluster_id", "exemplar")
        .iterator(chunk_size=batch)
    )
    for pk, cluster_id, exemplar in rows:
        n = seen.get(cluster_id, 0)
        seen[cluster_id] = n + 1
        wanted = n < clustering.MAX_EXEMPLARS
        if wanted and not exemplar:
            promote.append(pk)
        elif exemplar and not wanted:
            demote.append(pk)
    for ids, flag in ((promote, True), (demote, False)):
        for start in range(0, len(ids), 500):
            Question.objects.filter(pk__in=ids[start : start + 500]).update(exemplar=flag)


def question_split(*, actor, question: Question) -> Cluster:
    """Take a question out of its cluster into a cluster of its own (pinned there)."""
    with transaction.atomic():
        old = question.cluster_id
        cluster = Cluster.objects.create(campaign_id=question.campaign_id)
        Question.objects.filter(pk=question.pk).update(cluster=cluster, pinned=True, exemplar=True)
        question.cluster_id, question.pinned, question.exemplar = cluster.pk, True, True
        if old is not None and not Question.objects.filter(cluster_id=old).exists():
            Cluster.objects.filter(pk=old, outcome="").delete()
        _recount_many([old, cluster.pk])
        audit_record(actor=actor, action="questions.split", target=f"question {question.pk}")
        _reshaped(question.campaign_id)
    return cluster


def cluster_edit(*, actor, cluster: Cluster, wording: str) -> None:
    with transaction.atomic():
        Cluster.objects.filter(pk=cluster.pk).update(wording=wording)
        cluster.wording = wording
        audit_record(actor=actor, action="questions.wording", target=f"cluster {cluster.pk}")
    version_bump(QUESTIONS_VERSION)


def cluster_outcome(*, actor, cluster: Cluster, outcome: str, note: str, link: str) -> None:
    with transaction.atomic():
        Cluster.objects.filter(pk=cluster.pk).update(outcome=outcome, outcome_note=note, outcome_link=link)
        cluster.outcome, cluster.outcome_note, cluster.outcome_link = outcome, note, link
        audit_record(actor=actor, action="questions.outcome", target=f"cluster {cluster.pk}: {outcome or '-'}")
    version_bump(QUESTIONS_VERSION)


def export_record(*, actor, campaign: Campaign, kind: str, top: int) -> None:
    audit_record(actor=actor, action=f"questions.export_{kind}", target=f"campaign {campaign.pk} top {top}")


def video_watch_record(*, actor, question: Question) -> None:
    audit_record(actor=actor, action="questions.video", target=f"question {question.pk}")


def video_content(video: Video) -> bytes:
    return base64.b64decode(video.content)


# --- the full re-cluster ---------------------------------------------------------------


@dataclass(frozen=True)
class ReclusterResult:
    questions: int
    clusters: int
    moved: int
    exemplars: int = 0
    compute_seconds: float = 0.0
    write_seconds: float = 0.0


def _write_placements(rows: list[tuple[int, bool, int]]) -> None:
    """rows: (cluster id, exemplar, question id), in batches, as plain SQL: a re-cluster of
    millions must not build a model instance per question."""
    table = Question._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 10_000):
            chunk = rows[start : start + 10_000]
            if connection.vendor == "postgresql":
                values = ",".join(["(%s, %s, %s)"] * len(chunk))
                cursor.execute(
                    f"UPDATE {table} AS q SET cluster_id = v.c, exemplar = v.e "  # noqa: S608 (table name)
                    f"FROM (VALUES {values}) AS v(c, e, id) WHERE q.id = v.id AND NOT q.pinned",
                    [x for row in chunk for x in row],
                )
            else:
                cursor.executemany(
                    f"UPDATE {table} SET cluster_id = %s, exemplar = %s WHERE id = %s AND NOT pinned",  # noqa: S608
                    chunk,
                )


class Reshaped(Exception):
    """A coordinator merged or split while the re-cluster was computing."""


def recluster(*, campaign: Campaign, batch: int = 20_000, attempts: int = 3) -> ReclusterResult:
    """The full re-cluster (see _recluster_once), again from the start if a coordinator
    reshaped the clusters while it computed."""
    for _attempt in range(attempts - 1):
        try:
            return _recluster_once(campaign=campaign, batch=batch)
        except Reshaped:
            continue
    return _recluster_once(campaign=campaign, batch=batch)


def _recluster_once(*, campaign: Campaign, batch: int) -> ReclusterResult:
    """Cluster the campaign's questions again from scratch, as one pass of the engine.

    A coordinator's decisions stay: pinned questions keep their clusters, and a cluster
    keeps its row (wording, outcome) when most of its questions stay together. Clusters
    left with no question and no outcome are deleted.
    """
    started = time.perf_counter()
    version = Campaign.objects.values_list("index_version", flat=True).get(pk=campaign.pk)
    rows = (
        Question.objects.filter(campaign=campaign, pinned=False)
        .order_by("id")
        .values_list("id", "cluster_id", "exemplar", "terms")
        .iterator(chunk_size=batch)
    )
    current: dict[int, tuple[int | None, bool]] = {}

    def items():
        for pk, cluster_id, exemplar, terms in rows:
            current[pk] = (cluster_id, exemplar)
            yield pk, terms.split()

    placed = clustering.recluster(items())
    # Each new group takes over the existing cluster most of its questions were in, unless
    # a larger group already took it.
    groups: dict[int, list[int]] = {}
    for pk, (label, _exemplar) in placed.items():
        groups.setdefault(label, []).append(pk)
    claimed: set[int] = set()
    target: dict[int, int | None] = {}
    for label, members in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        votes: dict[int, int] = {}
        for pk in members:
            was = current[pk][0]
            if was is not None:
                votes[was] = votes.get(was, 0) + 1
        choice = next((c for c, _n in sorted(votes.items(), key=lambda kv: -kv[1]) if c not in claimed), None)
        if choice is not None:
            claimed.add(choice)
        target[label] = choice
    computed = time.perf_counter()
    with transaction.atomic():
        now = Campaign.objects.select_for_update().values_list("index_version", flat=True).get(pk=campaign.pk)
        if now != version:
            raise Reshaped
        new = [label for label, choice in target.items() if choice is None]
        made = Cluster.objects.bulk_create([Cluster(campaign=campaign) for _ in new], batch_size=1000)
        for label, cluster in zip(new, made, strict=True):
            target[label] = cluster.pk
        changed = [
            (target[label], exemplar, pk)
            for pk, (label, exemplar) in placed.items()
            if current[pk] != (target[label], exemplar)
        ]
        moved = sum(1 for pk, (label, _e) in placed.items() if current[pk][0] != target[label])
        _write_placements(changed)
        # Pinned questions stay out of the pass; a few of each cluster's are its exemplars,
        # so the index finds them.
        _cap_exemplars(Question.objects.filter(campaign=campaign, pinned=True), batch=batch)
        Cluster.objects.filter(campaign=campaign, outcome="").exclude(
            pk__in=Question.objects.filter(campaign=campaign).exclude(cluster=None).values("cluster_id")
        ).delete()
        _recount_campaign(campaign.pk)
        _reshaped(campaign.pk)
    return ReclusterResult(
        questions=len(placed),
        clusters=Cluster.objects.filter(campaign=campaign).count(),
        moved=moved,
        exemplars=sum(1 for _label, exemplar in placed.values() if exemplar),
        compute_seconds=round(computed - started, 1),
        write_seconds=round(time.perf_counter() - computed, 1),
    )


# --- forgetting ------------------------------------------------------------------------


def questions_forget_account(*, account) -> None:
    """Before an account is deleted: remove her questions and votes and recount what they
    weighed (a cascade would delete the rows but leave the weights)."""
    with transaction.atomic():
        clusters = set(Question.objects.filter(author=account).values_list("cluster_id", flat=True))
        clusters |= set(Vote.objects.filter(account=account).values_list("question__cluster_id", flat=True))
        campaigns = set(Question.objects.filter(author=account).values_list("campaign_id", flat=True))
        for campaign_id in campaigns:
            n = Question.objects.filter(author=account, campaign_id=campaign_id).count()
            Campaign.objects.filter(pk=campaign_id).update(question_count=F("question_count") - n)
        Vote.objects.filter(account=account).delete()
        # Votes of others on her questions go with them.
        Question.objects.filter(author=account).delete()
        clusters.discard(None)
        emptied = set(clusters) - set(
            Question.objects.filter(cluster_id__in=clusters).values_list("cluster_id", flat=True)
        )
        Cluster.objects.filter(pk__in=emptied, outcome="").delete()
        _recount_many(clusters - emptied)
        for campaign_id in campaigns:
            _reshaped(campaign_id)
    version_bump(QUESTIONS_VERSION)


__all__ = ["Outcome"]
