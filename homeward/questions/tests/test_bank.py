"""The question bank through its services and pages: asking with similar questions first,
voting once, weights that count people (newcomers apart), moderation, merge and split,
outcomes and the ledger, exports, videos, limits, and forgetting an account."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_account, signed_in_client
from homeward.audit.models import AuditEntry
from homeward.lib.uploads import CleanFile
from homeward.notices.models import Notice
from homeward.questions import selectors, services
from homeward.questions.models import Cluster, Question, Vote
from homeward.questions.tests.conftest import ask, ask_apart, established, make_campaign

DEMOB = "Когда демобилизуют мобилизованных и вернут их домой?"
DEMOB_2 = "Когда наконец демобилизуют мобилизованных и вернут домой?"
LEAVE = "Когда мобилизованным дадут положенный отпуск домой?"
TERM_Q = "Почему у мобилизованных до сих пор нет срока службы?"


def weight(question):
    c = Cluster.objects.get(pk=Question.objects.get(pk=question.pk).cluster_id)
    return c.weight, c.weight_established, c.weight_newcomers


# --- asking and clustering ----------------------------------------------------------------


def test_a_re_typed_question_joins_the_cluster_and_a_different_one_does_not(qcampaign, cast):
    first = ask(qcampaign, cast["member"], DEMOB)
    again = ask(qcampaign, cast["outsider"], "когда демобилизуют мобилизованных и вернут их домой")
    other = ask(qcampaign, cast["follower"], LEAVE)
    assert again.cluster_id == first.cluster_id
    assert other.cluster_id != first.cluster_id
    assert Cluster.objects.filter(campaign=qcampaign).count() == 2


def test_similar_shows_only_what_others_may_see(qcampaign, cast):
    shown = ask(qcampaign, cast["member"], DEMOB)
    ask(qcampaign, cast["outsider"], "Когда демобилизуют мобилизованных из Москвы домой?", approve=False)
    found = services.similar(qcampaign, DEMOB_2)
    assert [s.cluster.pk for s in found] == [shown.cluster_id]
    assert found[0].question.pk == shown.pk
    # a cluster whose only question waits for approval is not shown
    pending = ask(
        qcampaign, cast["follower"], "Почему дети мобилизованных не получают бесплатное питание в школе?", approve=False
    )
    assert pending.cluster_id not in [s.cluster.pk for s in services.similar(qcampaign, pending.text)]


def test_the_index_survives_a_restart_and_sees_other_processes(qcampaign, cast):
    first = ask(qcampaign, cast["member"], DEMOB)
    services.indexes_forget()  # a new process: the index is rebuilt from the exemplars
    again = ask(qcampaign, cast["outsider"], DEMOB_2)
    assert again.cluster_id == first.cluster_id


def test_incremental_placement_and_the_full_re_cluster_agree(qcampaign, cast):
    texts = [
        DEMOB,
        LEAVE,
        DEMOB_2,
        "Когда дадут отпуск мобилизованным?",
        "Будет ли установлен срок службы для мобилизованных?",
        "когда демобилизуют мобилизованных",
        "Почему у мобилизованных нет срока службы?",
    ]
    accounts = [make_account(f"asker-{i}") for i in range(len(texts))]
    questions = [ask(qcampaign, a, t) for a, t in zip(accounts, texts, strict=True)]
    before = {q.pk: Question.objects.get(pk=q.pk).cluster_id for q in questions}
    weights_before = sorted(Cluster.objects.filter(campaign=qcampaign).values_list("weight", flat=True))

    result = services.recluster(campaign=qcampaign)

    after = {q.pk: Question.objects.get(pk=q.pk).cluster_id for q in questions}
    partition = lambda m: sorted(sorted(pk for pk in m if m[pk] == c) for c in set(m.values()))  # noqa: E731
    assert partition(after) == partition(before)
    assert after == before  # clusters keep their rows (and so their wording and outcome)
    assert result.moved == 0 and result.questions == len(texts)
    assert sorted(Cluster.objects.filter(campaign=qcampaign).values_list("weight", flat=True)) == weights_before


def test_the_re_cluster_keeps_a_coordinators_merge(qcampaign, cast):
    a = ask(qcampaign, cast["member"], DEMOB)
    b = ask(qcampaign, cast["outsider"], LEAVE)
    target = Cluster.objects.get(pk=a.cluster_id)
    services.clusters_merge(actor=cast["coordinator"], campaign=qcampaign, target=target, others=[b.cluster])
    services.recluster(campaign=qcampaign)
    assert Question.objects.get(pk=b.pk).cluster_id == a.cluster_id
    assert Cluster.objects.get(pk=a.cluster_id).weight == 2


def test_a_merged_group_keeps_a_few_exemplars_through_a_re_cluster(qcampaign, cast, monkeypatch):
    # Before, every pinned question became an exemplar: a merged group of thousands made
    # every lookup that reached it score thousands of exemplars.
    from homeward.questions import clustering

    monkeypatch.setattr(clustering, "MAX_EXEMPLARS", 3)
    texts = [DEMOB, LEAVE, "Почему задерживают выплаты мобилизованным?", "Будет ли газ в домах семей?", TERM_Q]
    asked = [ask(qcampaign, cast["member"], t) for t in texts]
    assert len({q.cluster_id for q in asked}) == len(texts)
    target = Cluster.objects.get(pk=asked[0].cluster_id)
    others = [Cluster.objects.get(pk=q.cluster_id) for q in asked[1:]]
    services.clusters_merge(actor=cast["coordinator"], campaign=qcampaign, target=target, others=others)
    exemplars = Question.objects.filter(cluster=target, exemplar=True)
    assert exemplars.count() == 3 and exemplars.filter(pk=asked[0].pk).exists()
    services.recluster(campaign=qcampaign)
    assert Question.objects.filter(cluster=target).count() == len(texts)
    assert Question.objects.filter(cluster=target, exemplar=True).count() == 3
    assert services.similar(qcampaign, DEMOB)[0].cluster.pk == target.pk


# --- weights and votes -------------------------------------------------------------------


def test_weight_counts_people_once_and_newcomers_apart(qcampaign, cast):
    member = established(cast["member"])
    q = ask(qcampaign, member, DEMOB)
    ask(qcampaign, member, DEMOB_2)  # she asked twice in other words: still one person
    assert weight(q) == (1, 1, 0)
    services.vote_cast(question=q, account=member)  # and voted: still one
    assert weight(q) == (1, 1, 0)
    services.vote_cast(question=q, account=cast["follower"])  # no chapter: counted apart
    young = make_account("young-one", chapter=q.chapter)  # joined today: counted apart
    services.vote_cast(question=q, account=young)
    assert weight(q) == (3, 1, 2)


def test_one_vote_per_account_and_withdraw_once(qcampaign, cast):
    q = ask(qcampaign, cast["member"], DEMOB)
    voter = cast["outsider"]
    assert services.vote_cast(question=q, account=voter) is True
    assert services.vote_cast(question=q, account=voter) is False
    assert Vote.objects.filter(question=q).count() == 1
    assert weight(q)[0] == 2
    assert services.vote_withdraw(question=q, account=voter) is True
    assert services.vote_withdraw(question=q, account=voter) is False
    assert weight(q)[0] == 1


def test_double_submitted_vote_through_the_page_counts_once(qcampaign, cast):
    q = ask(qcampaign, cast["member"], DEMOB)
    client = signed_in_client(cast["outsider"])
    url = reverse("questions:vote", args=[q.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert Vote.objects.filter(question=q).count() == 1
    assert client.post(reverse("questions:unvote", args=[q.pk])).status_code == 302
    assert client.post(reverse("questions:unvote", args=[q.pk])).status_code == 302
    assert weight(q)[0] == 1


def test_a_pending_question_cannot_be_voted_for(qcampaign, cast):
    q = ask(qcampaign, cast["member"], DEMOB, approve=False)
    response = signed_in_client(cast["outsider"]).post(reverse("questions:vote", args=[q.pk]))
    assert response.status_code == 404
    assert not Vote.objects.exists()


def test_limits_on_questions_and_votes(qcampaign, cast, settings):
    settings.QUESTIONS_SUBMIT_PER_DAY = 2
    settings.QUESTIONS_VOTES_PER_HOUR = 1
    member = cast["member"]
    ask(qcampaign, member, DEMOB)
    ask(qcampaign, member, LEAVE)
    client = signed_in_client(member)
    response = client.post(
        reverse("questions:ask", args=[qcampaign.pk]),
        {"question": "Будет ли установлен срок службы для мобилизованных?", "action": "submit"},
    )
    assert response.status_code == 429
    page = response.content.decode()
    assert "the most for one day" in page and "Будет ли установлен срок службы" in page  # nothing lost
    a, b = (
        ask(qcampaign, cast["outsider"], "Вопрос о выплатах семьям мобилизованных"),
        ask(qcampaign, cast["coordinator"], "Вопрос о лечении раненых мобилизованных в госпиталях"),
    )
    voter = cast["follower"]
    assert services.vote_cast(question=a, account=voter)
    with pytest.raises(services.TooMany):
        services.vote_cast(question=b, account=voter)


def test_a_closed_campaign_takes_no_questions_or_votes(cast, chapter_a):
    today = timezone.localdate()
    campaign = make_campaign(actor=cast["coordinator"], chapter=chapter_a)
    q = ask(campaign, cast["member"], DEMOB)
    campaign.closes_on = campaign.opens_on = today - timezone.timedelta(days=1)
    campaign.save()
    with pytest.raises(services.NotOpen):
        services.question_ask(campaign=campaign, account=cast["outsider"], question=LEAVE, today=today)
    with pytest.raises(services.NotOpen):
        services.vote_cast(question=q, account=cast["outsider"])
    response = signed_in_client(cast["member"]).get(reverse("questions:ask", args=[campaign.pk]))
    assert response.status_code == 302


# --- the pages: ask, see similar, vote instead -------------------------------------------


def test_ask_shows_similar_first_then_saves_on_submit(qcampaign, cast):
    existing = ask(qcampaign, cast["member"], DEMOB)
    client = signed_in_client(cast["outsider"])
    url = reverse("questions:ask", args=[qcampaign.pk])

    preview = client.post(url, {"question": DEMOB_2, "action": "preview"})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert 'id="similar-list"' in html and DEMOB in html
    assert reverse("questions:vote", args=[existing.pk]) in html
    assert 'id="submit"' in html
    assert Question.objects.count() == 1  # nothing saved by looking

    saved = client.post(url, {"question": DEMOB_2, "action": "submit"})
    assert saved.status_code == 302 and saved.url == reverse("questions:mine")
    mine = Question.objects.get(author=cast["outsider"])
    assert mine.status == "pending" and mine.text == DEMOB_2


def test_htmx_preview_returns_the_similar_block(qcampaign, cast):
    ask(qcampaign, cast["member"], DEMOB)
    response = signed_in_client(cast["outsider"]).post(
        reverse("questions:ask", args=[qcampaign.pk]),
        {"question": DEMOB_2, "action": "preview"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert html.startswith('<section id="similar"') and "<html" not in html
    assert 'hx-swap-oob="true"' in html and 'id="submit"' in html


def test_bad_questions_get_clear_messages_and_keep_the_text(qcampaign, cast):
    client = signed_in_client(cast["member"])
    url = reverse("questions:ask", args=[qcampaign.pk])
    for text, message in [
        ("", "This field is required."),
        ("Коротко?", "at least 15 characters"),
        ("x" * 1001, "keep it to 1000 characters"),
        ("1234567890 1234567890 ???", "A question needs words."),
        ("Вопрос с \x00 нулевым символом внутри", "Null characters are not allowed."),
        ("Вопрос с \x07 управляющим символом внутри", "cannot be typed"),
    ]:
        response = client.post(url, {"question": text, "action": "submit"})
        assert response.status_code == 400, text
        assert message in response.content.decode(), text
    assert not Question.objects.exists()


def test_russian_messages(qcampaign, cast):
    member = cast["member"]
    member.language = "ru"
    member.save()
    client = signed_in_client(member)
    response = client.post(reverse("questions:ask", args=[qcampaign.pk]), {"question": "Коротко?"})
    assert "не короче 15 символов" in response.content.decode()
    page = client.get(reverse("questions:detail", args=[qcampaign.pk])).content.decode()
    assert "Задать вопрос" in page


def test_the_ranking_never_shows_who_asked(qcampaign, cast):
    cast["member"].handle  # noqa: B018
    q = ask(qcampaign, cast["member"], DEMOB, show_handle=True)
    services.vote_cast(question=q, account=cast["outsider"])
    for role in ["visitor", "follower", "outsider", "other_coordinator"]:
        client = signed_in_client(cast[role])
        for url in [
            reverse("questions:detail", args=[qcampaign.pk]),
            reverse("questions:cluster", args=[q.cluster_id]),
            reverse("questions:ledger", args=[qcampaign.pk]),
        ]:
            html = client.get(url).content.decode()
            assert DEMOB in html
            assert "asked by" not in html and "member" not in html.split("<main", 1)[1].replace("members", ""), (
                role,
                url,
            )


def test_coordinators_see_a_handle_only_where_the_author_allowed(qcampaign, cast):
    established(cast["member"])
    ask(qcampaign, cast["member"], DEMOB, approve=False, show_handle=True)
    ask(qcampaign, cast["outsider"], LEAVE, approve=False, show_handle=False)
    html = signed_in_client(cast["coordinator"]).get(reverse("questions:moderate", args=[qcampaign.pk])).content
    html = html.decode()
    assert "asked by member" in html
    assert "asked by outsider" not in html and "the author did not share her handle" in html


# --- moderation --------------------------------------------------------------------------


def test_reject_tells_the_author_why_and_removes_the_weight(qcampaign, cast):
    q = ask(qcampaign, cast["member"], DEMOB)
    services.vote_cast(question=q, account=cast["outsider"])
    client = signed_in_client(cast["coordinator"])
    assert client.post(reverse("questions:reject", args=[q.pk]), {"reason": ""}).status_code == 400
    response = client.post(reverse("questions:reject", args=[q.pk]), {"reason": "В вопросе названа фамилия"})
    assert response.status_code == 302
    q.refresh_from_db()
    assert q.status == "rejected" and Cluster.objects.get(pk=q.cluster_id).weight == 0
    assert Notice.objects.filter(account=cast["member"], kind="questions.rejected").count() == 1
    mine = signed_in_client(cast["member"]).get(reverse("questions:mine")).content.decode()
    assert "В вопросе названа фамилия" in mine
    notices = signed_in_client(cast["member"]).get(reverse("notices:list")).content.decode()
    assert "did not accept your question" in notices
    assert AuditEntry.objects.filter(action="questions.reject").count() == 1


def test_approve_through_the_queue(qcampaign, cast):
    q = ask(qcampaign, cast["member"], DEMOB, approve=False)
    client = signed_in_client(cast["coordinator"])
    queue = client.get(reverse("questions:moderate", args=[qcampaign.pk])).content.decode()
    assert DEMOB in queue
    assert client.post(reverse("questions:approve", args=[q.pk])).status_code == 302
    assert Question.objects.get(pk=q.pk).status == "approved"
    assert Cluster.objects.get(pk=q.cluster_id).weight == 1
    filtered = client.get(reverse("questions:moderate", args=[qcampaign.pk]), {"status": "pending"}).content.decode()
    assert DEMOB not in filtered.split('id="groups-h"')[0]


def test_the_queue_filters_by_chapter(qcampaign, cast, chapter_b):
    ask(qcampaign, cast["member"], DEMOB, approve=False)
    ask(qcampaign, cast["outsider"], LEAVE, approve=False)
    client = signed_in_client(cast["coordinator"])
    html = client.get(reverse("questions:moderate", args=[qcampaign.pk]), {"chapter": chapter_b.pk}).content.decode()
    queue = html.split('id="groups-h"')[0]
    assert LEAVE in queue and DEMOB not in queue
    bad = client.get(reverse("questions:moderate", args=[qcampaign.pk]), {"chapter": "x", "status": "nope"})
    assert bad.status_code == 200


def test_merge_split_and_wording(qcampaign, cast):
    a = ask(qcampaign, established(cast["member"]), DEMOB)
    b = ask(qcampaign, cast["outsider"], "Почему у мобилизованных до сих пор нет срока службы?")
    assert a.cluster_id != b.cluster_id
    client = signed_in_client(cast["coordinator"])
    response = client.post(
        reverse("questions:merge", args=[qcampaign.pk]), {"target": a.cluster_id, "merge": [b.cluster_id]}
    )
    assert response.status_code == 302
    assert Question.objects.get(pk=b.pk).cluster_id == a.cluster_id
    assert not Cluster.objects.filter(pk=b.cluster_id).exists()
    assert Cluster.objects.get(pk=a.cluster_id).weight == 2

    client.post(
        reverse("questions:cluster_edit", args=[a.cluster_id]), {"wording": "Когда демобилизуют мобилизованных?"}
    )
    page = client.get(reverse("questions:detail", args=[qcampaign.pk])).content.decode()
    assert "Когда демобилизуют мобилизованных?" in page

    response = client.post(reverse("questions:split", args=[b.pk]))
    b.refresh_from_db()
    assert b.cluster_id != a.cluster_id and b.pinned
    assert Cluster.objects.get(pk=a.cluster_id).weight == 1 and Cluster.objects.get(pk=b.cluster_id).weight == 1
    assert {"questions.merge", "questions.wording", "questions.split"} <= set(
        AuditEntry.objects.values_list("action", flat=True)
    )


def test_a_group_split_by_the_engine_is_offered_to_merge(qcampaign, cast):
    a = ask(qcampaign, established(cast["member"]), DEMOB)
    b = ask_apart(qcampaign, cast["outsider"], DEMOB_2, coordinator=cast["coordinator"], show_handle=True)
    pay = ask(qcampaign, cast["outsider"], "Почему задерживают выплаты мобилизованным?")
    assert b.cluster_id != a.cluster_id
    client = signed_in_client(cast["coordinator"])
    page = client.get(reverse("questions:cluster_edit", args=[a.cluster_id])).content.decode()
    offered = page[page.index('id="neighbours"') :]
    assert f'id="neighbour-{b.cluster_id}"' in offered and DEMOB_2 in offered
    assert f'id="neighbour-{pay.cluster_id}"' not in page
    assert "Merge into this group" in offered and "similarity" in offered
    assert cast["outsider"].handle not in offered  # no author, even one who allowed her handle
    # the button posts to the merge form: the neighbour's questions move here
    response = client.post(
        reverse("questions:merge", args=[qcampaign.pk]), {"target": a.cluster_id, "merge": [b.cluster_id]}
    )
    assert response.status_code == 302
    assert Question.objects.get(pk=b.pk).cluster_id == a.cluster_id
    page = client.get(reverse("questions:cluster_edit", args=[a.cluster_id])).content.decode()
    assert 'id="neighbours-none"' in page
    # the same button pressed again on a page open since (the group is gone): back to the group, told why
    response = client.post(
        reverse("questions:merge", args=[qcampaign.pk]),
        {"target": a.cluster_id, "merge": [b.cluster_id], "back": a.cluster_id},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("questions:cluster_edit", args=[a.cluster_id])
    assert "may have been merged already" in response.content.decode()


def test_suggestions_leave_out_rejected_groups_and_mark_waiting_ones_in_russian(qcampaign, cast, chapter_a):
    a = ask(qcampaign, cast["member"], DEMOB)
    coordinator = cast["coordinator"]
    again = "Когда уже демобилизуют мобилизованных и вернут их домой"
    waiting = ask_apart(qcampaign, cast["outsider"], DEMOB_2, coordinator=coordinator, approve=False)
    rejected = ask_apart(qcampaign, cast["outsider"], again, coordinator=coordinator, approve=False)
    services.question_reject(actor=coordinator, question=rejected, reason="Повтор")
    other = make_campaign(actor=coordinator, chapter=chapter_a, title="Другая")
    foreign = ask(other, cast["outsider"], DEMOB_2)
    coordinator.language = "ru"
    coordinator.save()
    page = signed_in_client(coordinator).get(reverse("questions:cluster_edit", args=[a.cluster_id])).content.decode()
    offered = page[page.index('id="neighbours"') :]
    assert f'id="neighbour-{waiting.cluster_id}"' in offered
    assert f'id="neighbour-{rejected.cluster_id}"' not in page
    assert f'id="neighbour-{foreign.cluster_id}"' not in page
    for text in ("Возможно, о том же", "Присоединить к этой группе", "сходство", "ждёт одобрения"):
        assert text in page, text


def test_the_group_page_queries_do_not_grow_with_its_suggestions(qcampaign, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    a = ask(qcampaign, cast["member"], DEMOB)
    client = signed_in_client(cast["coordinator"])
    url = reverse("questions:cluster_edit", args=[a.cluster_id])
    counts = []
    for text in (DEMOB_2, "Когда уже демобилизуют мобилизованных и вернут их домой", "когда мобиков отпустят домой"):
        ask_apart(qcampaign, cast["outsider"], text, coordinator=cast["coordinator"], approve=False)
        client.get(url)  # the index rebuilt after the split
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        counts.append((page.count('id="neighbour-'), len(queries)))
    assert [n for n, _ in counts] == [1, 2, 3]
    assert len({q for _, q in counts}) == 1, counts


def test_merge_refuses_foreign_or_empty_choices(qcampaign, cast, chapter_a):
    a = ask(qcampaign, cast["member"], DEMOB)
    other = make_campaign(actor=cast["coordinator"], chapter=chapter_a, title="Другая")
    foreign = ask(other, cast["outsider"], LEAVE)
    client = signed_in_client(cast["coordinator"])
    url = reverse("questions:merge", args=[qcampaign.pk])
    for data in [{"target": a.cluster_id, "merge": [foreign.cluster_id]}, {"target": "x"}, {}]:
        assert client.post(url, data).status_code == 302
    assert Question.objects.get(pk=foreign.pk).cluster_id == foreign.cluster_id


# --- outcomes, ledger, export ------------------------------------------------------------


def test_outcome_shows_in_the_public_ledger(qcampaign, cast):
    q = ask(qcampaign, cast["member"], DEMOB)
    client = signed_in_client(cast["coordinator"])
    bad = client.post(reverse("questions:cluster_outcome", args=[q.cluster_id]), {"outcome": "won", "link": "ftp://x"})
    assert bad.status_code == 400
    client.post(
        reverse("questions:cluster_outcome", args=[q.cluster_id]),
        {"outcome": "partial", "note": "Ответил про выплаты, не про сроки", "link": "https://example.org/line"},
    )
    ledger = signed_in_client(None).get(reverse("questions:ledger", args=[qcampaign.pk])).content.decode()
    assert "answered partially" in ledger and "Ответил про выплаты" in ledger and DEMOB in ledger


def test_exports_are_audited_and_carry_no_authors(qcampaign, cast):
    established(cast["member"])
    q = ask(qcampaign, cast["member"], '=HYPERLINK("http://evil") когда демобилизуют мобилизованных?')
    ask(qcampaign, cast["outsider"], LEAVE)
    client = signed_in_client(cast["coordinator"])
    response = client.get(reverse("questions:export_csv", args=[qcampaign.pk]), {"top": "1"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["rank", "group", "weight", "new_or_no_chapter", "outcome", "wording"]
    assert len(rows) == 2 and rows[1][1] == str(q.cluster_id) and rows[1][2] == "<10"
    assert rows[1][5].startswith("'=")  # no formula runs in a spreadsheet
    assert "member" not in response.content.decode()
    pdf = client.get(reverse("questions:export_pdf", args=[qcampaign.pk]), {"top": "5"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert sorted(
        AuditEntry.objects.filter(action__startswith="questions.export").values_list("action", flat=True)
    ) == [
        "questions.export_csv",
        "questions.export_pdf",
    ]
    refused = client.get(reverse("questions:export_csv", args=[qcampaign.pk]), {"top": "0"})
    assert refused.status_code == 302


# --- videos ------------------------------------------------------------------------------


def test_a_video_is_sealed_and_shown_to_the_author_and_managers_only(qcampaign, cast):
    clip = CleanFile(b"\x00\x00\x00\x18ftypmp42" + b"VIDEO-BYTES" * 10, "mp4", "video/mp4")
    q = ask(qcampaign, cast["member"], DEMOB, video=clip)
    url = reverse("questions:video", args=[q.pk])
    assert signed_in_client(cast["member"]).get(url).content == clip.content
    assert not AuditEntry.objects.filter(action="questions.video").exists()
    assert signed_in_client(cast["coordinator"]).get(url).content == clip.content
    assert AuditEntry.objects.filter(action="questions.video").count() == 1
    for role in ["follower", "outsider", "other_coordinator"]:
        assert signed_in_client(cast[role]).get(url).status_code == 404


def test_a_video_upload_through_the_page(qcampaign, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = signed_in_client(cast["member"])
    url = reverse("questions:ask", args=[qcampaign.pk])
    bad = SimpleUploadedFile("q.mp4", b"not a video at all", content_type="video/mp4")
    response = client.post(url, {"question": DEMOB, "action": "submit", "video": bad})
    assert response.status_code == 400 and "is not a video we accept" in response.content.decode()
    good = SimpleUploadedFile("q.mp4", b"\x00\x00\x00\x18ftypisom" + b"x" * 100, content_type="video/mp4")
    assert client.post(url, {"question": DEMOB, "action": "submit", "video": good}).status_code == 302
    assert selectors.video_of(Question.objects.get()) is not None


# --- forgetting --------------------------------------------------------------------------


def test_deleting_an_account_removes_her_questions_and_votes_and_recounts(qcampaign, cast):
    from homeward.accounts.services import account_delete

    kept = ask(qcampaign, cast["outsider"], DEMOB)
    hers = ask(qcampaign, cast["member"], LEAVE)
    services.vote_cast(question=kept, account=cast["member"])
    services.vote_cast(question=hers, account=cast["follower"])
    assert weight(kept)[0] == 2

    account_delete(account=cast["member"])

    assert weight(kept)[0] == 1
    assert not Question.objects.filter(pk=hers.pk).exists()
    assert not Cluster.objects.filter(pk=hers.cluster_id).exists()
    qcampaign.refresh_from_db()
    assert qcampaign.question_count == 1


def test_a_cluster_deleted_behind_this_process_is_not_joined(qcampaign, cast):
    first = ask(qcampaign, cast["member"], DEMOB)
    services._fresh_index(qcampaign.pk)  # this process has seen the cluster …
    Question.objects.filter(pk=first.pk).delete()
    Cluster.objects.filter(pk=first.cluster_id).delete()  # … which another process deleted, unannounced
    again = ask(qcampaign, cast["outsider"], DEMOB)
    assert again.cluster_id != first.cluster_id
    assert Cluster.objects.filter(pk=again.cluster_id, campaign=qcampaign).exists()


def test_voting_and_withdrawing_in_a_loop_is_limited(qcampaign, cast, settings):
    settings.QUESTIONS_VOTES_PER_HOUR = 3
    q = ask(qcampaign, cast["member"], DEMOB)
    voter = cast["outsider"]
    assert services.vote_cast(question=q, account=voter)
    assert services.vote_withdraw(question=q, account=voter)
    assert services.vote_cast(question=q, account=voter)
    with pytest.raises(services.TooMany):
        services.vote_withdraw(question=q, account=voter)
    assert Vote.objects.filter(question=q, account=voter).count() == 1 and weight(q)[0] == 2
    services.vote_activity_forget(now=timezone.now() + timezone.timedelta(hours=3))
    assert services.vote_withdraw(question=q, account=voter)


def test_votes_cannot_be_withdrawn_after_the_campaign_closes(qcampaign, cast):
    q = ask(qcampaign, cast["member"], DEMOB)
    services.vote_cast(question=q, account=cast["outsider"])
    later = timezone.now() + timezone.timedelta(days=30)
    with pytest.raises(services.NotOpen):
        services.vote_withdraw(question=q, account=cast["outsider"], now=later)
    assert weight(q)[0] == 2


def test_small_weights_show_no_breakdown(qcampaign, cast, settings):
    settings.K_ANONYMITY = 3
    q = ask(qcampaign, cast["member"], DEMOB)  # joined today: a newcomer
    reader = signed_in_client(cast["follower"])  # signed in: never the anonymous page cache
    page = lambda: reader.get(reverse("questions:detail", args=[qcampaign.pk])).content.decode()  # noqa: E731
    assert "fewer than 3" in page() and "new account" not in page()
    for i in range(3):
        services.vote_cast(question=q, account=established(make_account(f"old-{i}", chapter=q.chapter)))
    html = page()
    assert "of them fewer than 3 new accounts" in html, html.split('class="weight"')[1][:300]
    for i in range(3):
        services.vote_cast(question=q, account=make_account(f"new-{i}"))
    assert "of them 4 new accounts or without a chapter" in page()


def test_htmx_preview_shows_errors_with_a_200(qcampaign, cast):
    response = signed_in_client(cast["member"]).post(
        reverse("questions:ask", args=[qcampaign.pk]),
        {"question": "Коротко?", "action": "preview"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "at least 15 characters" in response.content.decode()


def test_a_re_cluster_starts_again_when_a_coordinator_reshapes_meanwhile(qcampaign, cast, monkeypatch):
    from homeward.questions import clustering

    a = ask(qcampaign, cast["member"], DEMOB)
    b = ask(qcampaign, cast["outsider"], LEAVE)
    real, calls = clustering.recluster, []

    def reshaping(items):
        out = real(items)
        if not calls:  # a merge lands while the first pass computes
            services.clusters_merge(actor=cast["coordinator"], campaign=qcampaign, target=a.cluster, others=[b.cluster])
        calls.append(1)
        return out

    monkeypatch.setattr(clustering, "recluster", reshaping)
    services.recluster(campaign=qcampaign)
    assert len(calls) == 2
    assert Question.objects.get(pk=b.pk).cluster_id == Question.objects.get(pk=a.pk).cluster_id


def test_the_ranking_does_not_order_groups_under_k_by_their_hidden_weight(qcampaign, settings):
    """Weights under k read "fewer than 10"; the order must not tell them apart either."""
    from homeward.questions import selectors
    from homeward.questions.models import Cluster

    settings.K_ANONYMITY = 10

    def group(established, weight=None):
        return Cluster.objects.create(
            campaign=qcampaign, wording="x", approved=1, weight=weight or established, weight_established=established
        )

    one, nine, three = group(1), group(9), group(3)  # under k: first asked first, whatever the weight
    strong, stronger = group(12), group(40)
    newcomers = group(2, weight=15)  # established under k, but 15 in all: ranked by the 15

    order = [c.pk for c in selectors.ranking(qcampaign)]

    assert order == [stronger.pk, strong.pk, newcomers.pk, one.pk, nine.pk, three.pk]
