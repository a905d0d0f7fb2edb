"""Reads of the question bank: the one access helper per model, the ranking, the queue."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Case, F, Value, When
from django.http import Http404

from homeward.lib.ids import pk_or_404 as _pk
from homeward.questions.models import Campaign, Cluster, Question, Status, Video, Vote


def campaigns():
    return Campaign.objects.select_related("chapter__region")


def get_campaign(pk) -> Campaign:
    """Campaigns are public; who may take part or manage is a rule."""
    try:
        return campaigns().get(pk=_pk(pk))
    except Campaign.DoesNotExist as exc:
        raise Http404 from exc


def get_question(pk) -> Question:
    """A question as its campaign's managers and its author see it; the views decide who
    that is (rules questions.manage / questions.own) and answer 404 to everyone else."""
    try:
        return Question.objects.select_related("campaign", "author").get(pk=_pk(pk))
    except Question.DoesNotExist as exc:
        raise Http404 from exc


def get_public_question(pk) -> Question:
    """An approved question: what anyone may see of it is its text, never its author."""
    try:
        return Question.objects.select_related("campaign").get(pk=_pk(pk), status=Status.APPROVED)
    except Question.DoesNotExist as exc:
        raise Http404 from exc


def get_cluster(pk) -> Cluster:
    try:
        return Cluster.objects.select_related("campaign").get(pk=_pk(pk))
    except Cluster.DoesNotExist as exc:
        raise Http404 from exc


def ranked_order() -> tuple:
    """Strongest first: by established weight, then by all, then the first asked — where a
    weight under k counts as 0. The page shows such a weight as "fewer than k" (PRIVACY.md
    rule 2); were the order exact, it would still tell a group of 1 from a group of 9."""
    k = settings.K_ANONYMITY

    def masked(field):
        return Case(When(**{f"{field}__gte": k}, then=F(field)), default=Value(0)).desc()

    return (masked("weight_established"), masked("weight"), "id")


def ranking(campaign: Campaign):
    """Visible clusters, strongest first (ranked_order)."""
    return Cluster.objects.filter(campaign=campaign, approved__gt=0).order_by(*ranked_order())


def ledger(campaign: Campaign) -> tuple[list[Cluster], list[Cluster]]:
    """The groups with a recorded outcome (by outcome, then ranked), and the 20 strongest without."""
    recorded = list(ranking(campaign).exclude(outcome="").order_by("outcome", *ranked_order()))
    return recorded, list(ranking(campaign).filter(outcome="")[:20])


def clusters_by_id(campaign: Campaign, ids) -> dict[int, Cluster]:
    """The campaign's groups among `ids` (already parsed), by id; others' ids are left out."""
    return Cluster.objects.filter(campaign=campaign).in_bulk(list(ids))


def first_questions(clusters) -> dict[int, Question]:
    """The first approved question of each cluster (kept on the cluster as its lead): its
    default wording and what a vote from the ranking goes to."""
    leads = {c.lead_id: c.pk for c in clusters if c.lead_id}
    rows = Question.objects.filter(pk__in=list(leads)).only("id", "cluster_id", "text", "campaign_id", "status")
    return {leads[q.pk]: q for q in rows}


def approved_in(cluster: Cluster):
    return Question.objects.filter(cluster=cluster, status=Status.APPROVED).order_by("id")


def my_votes(account, question_ids) -> set[int]:
    if not account.is_authenticated:
        return set()
    return set(
        Vote.objects.filter(account=account, question_id__in=list(question_ids)).values_list("question_id", flat=True)
    )


def my_clusters(account, campaign: Campaign) -> set[int]:
    """Clusters she already weighs in (asked or voted): for the page only, never shown to others."""
    if not account.is_authenticated:
        return set()
    # No ORDER BY: sorting by id would make the database walk the whole campaign in id order
    # instead of her own few rows (by the author and account indexes).
    asked = Question.objects.filter(campaign=campaign, author=account).order_by().values_list("cluster_id", flat=True)
    voted = (
        Vote.objects.filter(account=account, question__campaign=campaign)
        .order_by()
        .values_list("question__cluster_id", flat=True)
    )
    return set(asked) | set(voted)


def questions_of(account):
    """Her own questions, newest first. Nobody else's, whatever the role."""
    if not account.is_authenticated:
        return Question.objects.none()
    return Question.objects.filter(author=account).select_related("campaign").order_by("-id")


def queue(campaign: Campaign, *, status: str = "", chapter=None):
    rows = Question.objects.filter(campaign=campaign).select_related("author", "chapter__region", "cluster")
    if status:
        rows = rows.filter(status=status)
    if chapter is not None:
        rows = rows.filter(chapter=chapter)
    return rows.order_by("id")


def video_of(question: Question) -> Video | None:
    return Video.objects.filter(question=question).first()


def has_video(question_ids) -> set[int]:
    return set(Video.objects.filter(question_id__in=list(question_ids)).values_list("question_id", flat=True))
