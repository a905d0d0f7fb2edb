"""Pages of the question bank: the ranking, asking (with similar questions first), voting,
her own questions, the coordinators' moderation and clusters, export, and the ledger."""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from homeward.chapters.models import Chapter
from homeward.chapters.selectors import chapters_by_region, chapters_to_run_for
from homeward.lib.htmx import is_htmx
from homeward.lib.ids import as_id
from homeward.lib.pagecache import anonymous_cache
from homeward.lib.pdf import html_to_pdf, pdf_response
from homeward.lib.permissions import can, require
from homeward.questions import forms, selectors, services
from homeward.questions.models import Campaign, Cluster, Outcome, Status

PAGE = 50


def _page_number(request, name: str = "page") -> int:
    try:
        return max(1, min(int(request.GET.get(name, "1")), 100_000))
    except ValueError:
        return 1


def _rows(clusters: list[Cluster], account) -> list[dict]:
    firsts = selectors.first_questions(clusters)
    voted = selectors.my_votes(account, [q.pk for q in firsts.values()])
    out = []
    for cluster in clusters:
        first = firsts.get(cluster.pk)
        out.append(
            {
                "cluster": cluster,
                "wording": cluster.wording or (first.text if first else ""),
                "question": first,
                "voted": first is not None and first.pk in voted,
            }
        )
    return out


# --- public pages ----------------------------------------------------------------------


@anonymous_cache(services.QUESTIONS_VERSION)
def campaign_list(request):
    today = timezone.localdate()
    groups = {"open": [], "upcoming": [], "closed": []}
    for campaign in selectors.campaigns():
        key = "open" if campaign.is_open(today) else "upcoming" if campaign.not_yet_open(today) else "closed"
        groups[key].append(campaign)
    return render(request, "questions/list.html", {**groups, "may_create": can(request.user, "questions.create")})


def _campaign_context(request, campaign: Campaign) -> dict:
    user = request.user
    today = timezone.localdate()
    return {
        "campaign": campaign,
        "today": today,
        "is_open": campaign.is_open(today),
        "may_take_part": user.is_authenticated and can(user, "questions.take_part", campaign),
        "may_manage": user.is_authenticated and can(user, "questions.manage", campaign),
        "new_days": settings.QUESTIONS_NEW_ACCOUNT_DAYS,
    }


@anonymous_cache(services.QUESTIONS_VERSION)
def campaign_detail(request, pk):
    """The ranking: groups of questions by weight, with who asked never shown."""
    campaign = selectors.get_campaign(pk)
    number = _page_number(request)
    start = (number - 1) * PAGE
    clusters = list(selectors.ranking(campaign)[start : start + PAGE + 1])
    context = _campaign_context(request, campaign)
    context.update(
        {
            "rows": _rows(clusters[:PAGE], request.user),
            "start": start,
            "page": number,
            "has_next": len(clusters) > PAGE,
            "mine": selectors.my_clusters(request.user, campaign),
        }
    )
    return render(request, "questions/detail.html", context)


@anonymous_cache(services.QUESTIONS_VERSION)
def cluster_detail(request, pk):
    cluster = selectors.get_cluster(pk)
    if not cluster.approved:
        raise Http404
    questions = list(selectors.approved_in(cluster)[:200])
    context = _campaign_context(request, cluster.campaign)
    context.update(
        {
            "cluster": cluster,
            "wording": cluster.wording or (questions[0].text if questions else ""),
            "questions": questions,
            "voted": selectors.my_votes(request.user, [q.pk for q in questions]),
        }
    )
    return render(request, "questions/cluster.html", context)


@anonymous_cache(services.QUESTIONS_VERSION)
def ledger(request, pk):
    """After the event: which questions were asked and answered, and how strong each was."""
    campaign = selectors.get_campaign(pk)
    recorded, top = selectors.ledger(campaign)
    counts = {value: 0 for value, _label in Outcome.choices if value}
    for cluster in recorded:
        counts[cluster.outcome] += 1
    context = _campaign_context(request, campaign)
    context.update(
        {
            "recorded": _rows(recorded, request.user),
            "unrecorded": _rows(top, request.user),
            "counts": [(Outcome(value).label, n) for value, n in counts.items()],
        }
    )
    return render(request, "questions/ledger.html", context)


# --- asking and voting -----------------------------------------------------------------


def _ask_render(request, campaign, form, *, found=None, previewed=False, status=200):
    context = _campaign_context(request, campaign)
    context.update({"form": form, "found": found or [], "previewed": previewed})
    context["voted"] = selectors.my_votes(request.user, [s.question.pk for s in context["found"]])
    if is_htmx(request) and request.POST.get("action") == "preview":
        # 200 even with errors: htmx swaps only successful answers, and the errors must show.
        request.htmx_partial = True
        return render(request, "questions/_similar.html", context)
    return render(request, "questions/ask.html", context, status=status)


@login_required
def ask(request, pk):
    """Ask: first the questions most like hers (vote for one instead), then submit."""
    campaign = selectors.get_campaign(pk)
    require(request, "questions.take_part", campaign)
    today = timezone.localdate()
    if not campaign.is_open(today):
        messages.info(request, _("This campaign does not take questions now."))
        return redirect("questions:detail", pk=campaign.pk)
    if request.method != "POST":
        return _ask_render(request, campaign, forms.AskForm())
    form = forms.AskForm(request.POST, request.FILES)
    if not form.is_valid():
        return _ask_render(request, campaign, form, status=400)
    found = services.similar(campaign, form.cleaned_data["question"])
    if request.POST.get("action") != "submit":
        return _ask_render(request, campaign, form, found=found, previewed=True)
    try:
        question = services.question_ask(
            campaign=campaign,
            account=request.user,
            question=form.cleaned_data["question"],
            show_handle=form.cleaned_data["show_handle"],
            video=form.cleaned_data["video"],
            today=today,
        )
    except services.TooMany:
        form.add_error(
            None,
            ngettext(
                "You have asked %(n)s question today, the most for one day. Please come back tomorrow.",
                "You have asked %(n)s questions today, the most for one day. Please come back tomorrow.",
                settings.QUESTIONS_SUBMIT_PER_DAY,
            )
            % {"n": settings.QUESTIONS_SUBMIT_PER_DAY},
        )
        return _ask_render(request, campaign, form, found=found, previewed=True, status=429)
    except services.NotOpen:
        messages.info(request, _("This campaign does not take questions now."))
        return redirect("questions:detail", pk=campaign.pk)
    if question.status == Status.PENDING:
        messages.success(request, _("Thank you. Your question is saved and waits for a coordinator's approval."))
    else:
        messages.success(request, _("Thank you. Your question is saved."))
    return redirect("questions:mine")


def _back(request, question):
    """Back to the page the vote was cast on (a fixed set of names, never a URL)."""
    target = request.POST.get("next", "")
    if target == "cluster" and question.cluster_id:
        return redirect("questions:cluster", pk=question.cluster_id)
    if target == "ask":
        return redirect("questions:ask", pk=question.campaign_id)
    if target == "ledger":
        return redirect("questions:ledger", pk=question.campaign_id)
    return redirect("questions:detail", pk=question.campaign_id)


def _vote_response(request, question, *, voted: bool):
    if is_htmx(request):
        request.htmx_partial = True
        question.refresh_from_db()
        cluster = selectors.get_cluster(question.cluster_id)
        return render(
            request,
            "questions/_vote.html",
            {"question": question, "cluster": cluster, "voted": voted, "may_take_part": True, "is_open": True},
        )
    return _back(request, question)


def _too_many(request):
    messages.error(
        request,
        ngettext(
            "You have voted or withdrawn a vote %(n)s time in the last hour, the most for one hour. "
            "Please come back later.",
            "You have voted or withdrawn a vote %(n)s times in the last hour, the most for one hour. "
            "Please come back later.",
            settings.QUESTIONS_VOTES_PER_HOUR,
        )
        % {"n": settings.QUESTIONS_VOTES_PER_HOUR},
    )


@login_required
@require_POST
def vote(request, pk):
    question = selectors.get_public_question(pk)
    require(request, "questions.take_part", question.campaign)
    return _voting(
        request,
        question,
        services.vote_cast,
        voted=True,
        done=_("Your vote is counted."),
        again=_("You had already voted for this question; your vote counts once."),
    )


@login_required
@require_POST
def unvote(request, pk):
    question = selectors.get_public_question(pk)
    return _voting(request, question, services.vote_withdraw, voted=False, done=_("Your vote is withdrawn."))


def _voting(request, question, act, *, voted: bool, done: str, again: str = ""):
    """Cast or withdraw her vote (`act`) and answer; `voted` is her vote once it worked."""
    try:
        changed = act(question=question, account=request.user)
    except services.TooMany:
        _too_many(request)
        return _vote_response(request, question, voted=not voted)
    except services.NotOpen:
        messages.error(request, _("Voting is closed for this campaign."))
        return _vote_response(request, question, voted=not voted)
    if changed:
        messages.success(request, done)
    elif again:
        messages.info(request, again)
    return _vote_response(request, question, voted=voted)


@login_required
def mine(request):
    questions = list(selectors.questions_of(request.user)[:500])
    return render(
        request,
        "questions/mine.html",
        {"questions": questions, "videos": selectors.has_video(q.pk for q in questions)},
    )


@login_required
def video(request, pk):
    """The video of a question: for its author and the campaign's managers (audited)."""
    question = selectors.get_question(pk)
    own = can(request.user, "questions.own", question)
    if not own:
        require(request, "questions.manage", question.campaign, hide=True)
    clip = selectors.video_of(question)
    if clip is None:
        raise Http404
    if not own:
        services.video_watch_record(actor=request.user, question=question)
    response = HttpResponse(services.video_content(clip), content_type=clip.content_type)
    extension = "webm" if clip.content_type == "video/webm" else "mp4"
    response["Content-Disposition"] = f'attachment; filename="question-{question.pk}.{extension}"'
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- coordinators ----------------------------------------------------------------------


@login_required
def campaign_new(request):
    require(request, "questions.create")
    chapters, chapter_required = chapters_to_run_for(request.user)
    bound = request.method == "POST"
    today = timezone.localdate()
    form = forms.CampaignForm(
        request.POST if bound else None,
        chapters=chapters,
        chapter_required=chapter_required,
        initial={"opens_on": today, "closes_on": today, "event_on": today},
    )
    if bound and form.is_valid():
        campaign = services.campaign_create(actor=request.user, data=form.cleaned_data)
        messages.success(request, _("The campaign is created."))
        return redirect("questions:detail", pk=campaign.pk)
    return render(request, "questions/campaign_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def campaign_edit(request, pk):
    campaign = selectors.get_campaign(pk)
    require(request, "questions.manage", campaign)
    bound = request.method == "POST"
    form = forms.CampaignForm(
        request.POST if bound else None,
        chapters=Chapter.objects.none(),
        chapter_required=False,
        editing=campaign,
        initial={name: getattr(campaign, name) for name in services.EDITABLE},
    )
    if bound and form.is_valid():
        services.campaign_update(actor=request.user, campaign=campaign, data=form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("questions:detail", pk=campaign.pk)
    return render(
        request,
        "questions/campaign_form.html",
        {"form": form, "campaign": campaign},
        status=400 if form.errors else 200,
    )


def _managed_question(request, pk):
    question = selectors.get_question(pk)
    require(request, "questions.manage", question.campaign, hide=True)
    return question


@login_required
def moderate(request, pk):
    """The queue (filtered by status and chapter) and the groups, with merge."""
    campaign = selectors.get_campaign(pk)
    require(request, "questions.manage", campaign)
    chapters = chapters_by_region()
    filters = forms.QueueFilter(request.GET or {"status": Status.PENDING}, chapters=chapters)
    status, chapter = Status.PENDING, None
    if filters.is_valid():
        status, chapter = filters.cleaned_data["status"], filters.cleaned_data["chapter"]
    number = _page_number(request)
    start = (number - 1) * PAGE
    rows = list(selectors.queue(campaign, status=status, chapter=chapter)[start : start + PAGE + 1])
    gpage = _page_number(request, "gpage")
    gstart = (gpage - 1) * PAGE
    clusters = list(selectors.ranking(campaign)[gstart : gstart + PAGE + 1])
    context = _campaign_context(request, campaign)
    context.update(
        {
            "filters": filters,
            "questions": rows[:PAGE],
            "videos": selectors.has_video(q.pk for q in rows[:PAGE]),
            "page": number,
            "has_next": len(rows) > PAGE,
            "status": status,
            "chapter": chapter,
            "cluster_rows": _rows(clusters[:PAGE], request.user),
            "gpage": gpage,
            "gstart": gstart,
            "groups_next": len(clusters) > PAGE,
            "reject_form": forms.RejectForm(),
            "export_form": forms.ExportForm(),
        }
    )
    return render(request, "questions/moderate.html", context)


def _to_queue(question):
    return redirect("questions:moderate", pk=question.campaign_id)


@login_required
@require_POST
def approve(request, pk):
    question = _managed_question(request, pk)
    if question.status != Status.APPROVED:
        services.question_approve(actor=request.user, question=question)
        messages.success(request, _("Approved."))
    return _to_queue(question)


@login_required
@require_POST
def reject(request, pk):
    question = _managed_question(request, pk)
    form = forms.RejectForm(request.POST)
    if not form.is_valid():
        context = _campaign_context(request, question.campaign)
        context.update({"question": question, "form": form})
        return render(request, "questions/reject.html", context, status=400)
    services.question_reject(actor=request.user, question=question, reason=form.cleaned_data["reason"])
    messages.success(request, _("Not accepted; the author sees the reason."))
    return _to_queue(question)


@login_required
@require_POST
def split(request, pk):
    question = _managed_question(request, pk)
    cluster = services.question_split(actor=request.user, question=question)
    messages.success(request, _("The question now stands in a group of its own."))
    return redirect("questions:cluster_edit", pk=cluster.pk)


@login_required
@require_POST
def merge(request, pk):
    campaign = selectors.get_campaign(pk)
    require(request, "questions.manage", campaign)
    ids = [i for i in map(as_id, request.POST.getlist("merge")[:500]) if i is not None]
    clusters = selectors.clusters_by_id(campaign, ids)
    form = forms.MergeForm(request.POST, choices=[(c, c) for c in clusters])
    if form.is_valid():
        wanted = form.cleaned_data["target"]
        target = clusters.get(wanted) or selectors.clusters_by_id(campaign, [wanted]).get(wanted)
        if target is None:
            form.add_error("target", _("Choose a group of this campaign to keep."))
        else:
            others = [clusters[c] for c in form.cleaned_data["merge"] if c != target.pk]
            moved = services.clusters_merge(actor=request.user, campaign=campaign, target=target, others=others)
            messages.success(
                request,
                ngettext("Merged: %(n)s question moved.", "Merged: %(n)s questions moved.", moved) % {"n": moved},
            )
            return redirect("questions:cluster_edit", pk=target.pk)
    # sent from a group's page (a suggestion): back there, told why
    return _refused(request, campaign, form, back=as_id(request.POST.get("back", "")))


def _managed_cluster(request, pk):
    cluster = selectors.get_cluster(pk)
    require(request, "questions.manage", cluster.campaign)
    return cluster


def _cluster_edit_render(request, cluster, *, wording_form=None, outcome_form=None, status=200):
    questions = list(cluster.questions.select_related("author").order_by("id")[:500])
    first = next((q for q in questions if q.status == Status.APPROVED), None)
    context = _campaign_context(request, cluster.campaign)
    context.update(
        {
            "cluster": cluster,
            "questions": questions,
            "wording": cluster.wording or (first.text if first else ""),
            "neighbours": services.similar_groups(cluster),
            "wording_form": wording_form or forms.WordingForm(initial={"wording": cluster.wording}),
            "outcome_form": outcome_form
            or forms.OutcomeForm(
                initial={"outcome": cluster.outcome, "note": cluster.outcome_note, "link": cluster.outcome_link}
            ),
        }
    )
    return render(request, "questions/cluster_edit.html", context, status=status)


@login_required
def cluster_edit(request, pk):
    cluster = _managed_cluster(request, pk)
    if request.method != "POST":
        return _cluster_edit_render(request, cluster)
    form = forms.WordingForm(request.POST)
    if not form.is_valid():
        return _cluster_edit_render(request, cluster, wording_form=form, status=400)
    services.cluster_edit(actor=request.user, cluster=cluster, wording=form.cleaned_data["wording"])
    messages.success(request, _("Saved."))
    return redirect("questions:cluster_edit", pk=cluster.pk)


@login_required
@require_POST
def cluster_outcome(request, pk):
    cluster = _managed_cluster(request, pk)
    form = forms.OutcomeForm(request.POST)
    if not form.is_valid():
        return _cluster_edit_render(request, cluster, outcome_form=form, status=400)
    services.cluster_outcome(
        actor=request.user,
        cluster=cluster,
        outcome=form.cleaned_data["outcome"],
        note=form.cleaned_data["note"],
        link=form.cleaned_data["link"],
    )
    messages.success(request, _("The outcome is recorded in the ledger."))
    return redirect("questions:cluster_edit", pk=cluster.pk)


@login_required
@require_POST
def recluster(request, pk):
    campaign = selectors.get_campaign(pk)
    require(request, "questions.manage", campaign)
    from homeward.questions.tasks import recluster_campaign

    recluster_campaign.enqueue(campaign.pk)
    messages.success(request, _("The questions will be grouped again in the background; this page shows the result."))
    return redirect("questions:moderate", pk=campaign.pk)


def _top(request, campaign):
    form = forms.ExportForm(request.GET or {"top": 70})
    if not form.is_valid():
        return None, form
    rows = list(selectors.ranking(campaign)[: form.cleaned_data["top"]])
    return _rows(rows, request.user), form


def _k(n: int) -> str:
    return str(n) if n >= settings.K_ANONYMITY else f"<{settings.K_ANONYMITY}"


@login_required
def export_csv(request, pk):
    campaign = selectors.get_campaign(pk)
    require(request, "questions.manage", campaign)
    rows, form = _top(request, campaign)
    if rows is None:
        return _refused(request, campaign, form)
    services.export_record(actor=request.user, campaign=campaign, kind="csv", top=len(rows))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["rank", "group", "weight", "new_or_no_chapter", "outcome", "wording"])
    for rank, row in enumerate(rows, 1):
        c = row["cluster"]
        writer.writerow([rank, c.pk, _k(c.weight), _k(c.weight_newcomers), c.outcome, _safe_cell(row["wording"])])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="questions-{campaign.pk}.csv"'
    return response


def _safe_cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


def _refused(request, campaign, form, *, back: int | None = None):
    """A moderation form that did not validate: its errors as messages, then back to the
    moderation page, or to the campaign's group `back` when given and still there."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    if back is not None and selectors.clusters_by_id(campaign, [back]):
        return redirect("questions:cluster_edit", pk=back)
    return redirect("questions:moderate", pk=campaign.pk)


@login_required
def export_pdf(request, pk):
    """The brief for the event: the strongest questions with their weight, in Russian."""
    campaign = selectors.get_campaign(pk)
    require(request, "questions.manage", campaign)
    rows, form = _top(request, campaign)
    if rows is None:
        return _refused(request, campaign, form)
    services.export_record(actor=request.user, campaign=campaign, kind="pdf", top=len(rows))
    with translation.override("ru"):
        html = render_to_string(
            "questions/pdf/brief.html",
            {"campaign": campaign, "rows": rows, "today": timezone.localdate(), "K": settings.K_ANONYMITY},
        )
    return pdf_response(html_to_pdf(html), f"questions-{campaign.pk}.pdf")
