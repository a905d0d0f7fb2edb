"""The question bank's part of the authorization matrix (homeward/lib/tests/test_authorization_matrix.py).

Campaigns, their ranking, groups and ledger are public, without authors. Asking and voting
in a movement campaign: any account; in a chapter campaign: its members. Moderation,
groups, outcomes and export: chapter A's coordinators and admins with a second factor;
to anyone else a question's moderation URLs do not exist (404). A video: its author and
the campaign's managers.
"""

from __future__ import annotations

from homeward.lib.tests.test_authorization_matrix import Case, everyone, managers_of_a, signed_in


def _hidden_from_others(ok):
    return {**signed_in(404), "coordinator": ok, "admin": ok}


CAMPAIGN = lambda objs: {"pk": objs["q_campaign"].pk}  # noqa: E731
CHAPTER_CAMPAIGN = lambda objs: {"pk": objs["q_chapter_campaign"].pk}  # noqa: E731
QUESTION = lambda objs: {"pk": objs["q_question"].pk}  # noqa: E731
PENDING = lambda objs: {"pk": objs["q_pending"].pk}  # noqa: E731
CHAPTER_QUESTION = lambda objs: {"pk": objs["q_chapter_question"].pk}  # noqa: E731
CLUSTER = lambda objs: {"pk": objs["q_question"].cluster_id}  # noqa: E731

MATRIX = {
    "questions:campaigns": Case(everyone(200)),
    "questions:new": Case({**signed_in(403), "coordinator": 200, "other_coordinator": 200, "admin": 200}),
    "questions:mine": Case(signed_in(200)),
    "questions:detail": Case(everyone(200), kwargs=CAMPAIGN),
    "questions:ledger": Case(everyone(200), kwargs=CAMPAIGN),
    "questions:cluster": Case(everyone(200), kwargs=CLUSTER),
    # a chapter campaign: chapter A's members ask; everyone else may read but not ask
    "questions:ask": Case({**signed_in(403), "member": 200, "coordinator": 200}, kwargs=CHAPTER_CAMPAIGN),
    # voting in a chapter campaign: its members only
    "questions:vote": Case(
        {**signed_in(403), "member": 302, "coordinator": 302}, method="post", kwargs=CHAPTER_QUESTION
    ),
    "questions:unvote": Case(signed_in(302), method="post", kwargs=QUESTION),
    "questions:video": Case({**_hidden_from_others(200), "member": 200}, kwargs=QUESTION),
    "questions:edit": Case(managers_of_a(200), kwargs=CAMPAIGN),
    "questions:moderate": Case(managers_of_a(200), kwargs=CAMPAIGN),
    "questions:merge": Case(managers_of_a(302), method="post", kwargs=CAMPAIGN),
    "questions:recluster": Case(managers_of_a(302), method="post", kwargs=CAMPAIGN),
    "questions:export_csv": Case(managers_of_a(200), kwargs=CAMPAIGN),
    "questions:export_pdf": Case(managers_of_a(200), kwargs=CAMPAIGN),
    "questions:cluster_edit": Case(managers_of_a(200), kwargs=CLUSTER),
    "questions:cluster_outcome": Case(managers_of_a(400), method="post", kwargs=CLUSTER, data={"outcome": "won"}),
    "questions:approve": Case(_hidden_from_others(302), method="post", kwargs=PENDING),
    "questions:reject": Case(_hidden_from_others(400), method="post", kwargs=PENDING),
    "questions:split": Case(_hidden_from_others(302), method="post", kwargs=QUESTION),
}


def extra_objects(*, cast, objs) -> dict:
    from django.utils import timezone

    from homeward.lib.uploads import CleanFile
    from homeward.questions import services
    from homeward.questions.tests.conftest import make_campaign

    today = timezone.localdate()
    campaign = make_campaign(actor=cast["coordinator"], chapter=objs["chapter_a"])
    chapter_campaign = make_campaign(actor=cast["coordinator"], chapter=objs["chapter_a"], scope="chapter")
    question = services.question_ask(
        campaign=campaign,
        account=cast["member"],
        question="Когда демобилизуют мобилизованных?",
        video=CleanFile(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64, "mp4", "video/mp4"),
        today=today,
    )
    services.question_approve(actor=cast["coordinator"], question=question)
    pending = services.question_ask(
        campaign=campaign, account=cast["outsider"], question="Когда мобилизованным дадут отпуск?", today=today
    )
    chapter_question = services.question_ask(
        campaign=chapter_campaign, account=cast["coordinator"], question="Когда починят дорогу к части?", today=today
    )
    services.question_approve(actor=cast["coordinator"], question=chapter_question)
    return {
        "q_campaign": campaign,
        "q_chapter_campaign": chapter_campaign,
        "q_question": question,
        "q_pending": pending,
        "q_chapter_question": chapter_question,
    }
