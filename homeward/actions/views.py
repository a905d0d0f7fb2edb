"""Actions: public pages and calendars, a member's taking part, the coordinators' management page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from homeward.actions import calendar, forms, selectors, services
from homeward.actions.models import Incident, IncidentKind, Kind, NoticeState
from homeward.actions.notice import PICKET_TERMS, RULES, notice_window
from homeward.audit.services import audit_record
from homeward.chapters.selectors import get_chapter_for
from homeward.lib.htmx import is_htmx
from homeward.lib.pagecache import anonymous_cache
from homeward.lib.permissions import can, require

LIST_SIZE = 100
PAST_DAYS = 60


def _local_day(action):
    return timezone.localtime(action.starts_at).date()


def window_for(action, today):
    return notice_window(kind=action.kind, event_day=_local_day(action), today=today)


@anonymous_cache(services.ACTIONS_VERSION)
def action_list(request):
    now = timezone.now()
    actions = selectors.visible_actions(request.user)
    upcoming = list(actions.filter(ends_at__gt=now).order_by("starts_at", "id")[:LIST_SIZE])
    past = list(
        actions.filter(ends_at__lte=now, ends_at__gt=now - timezone.timedelta(days=PAST_DAYS)).order_by(
            "-starts_at", "-id"
        )[:LIST_SIZE]
    )
    return render(
        request,
        "actions/list.html",
        {"upcoming": upcoming, "past": past, "may_create": can(request.user, "actions.create")},
    )


def _participation_context(request, action, now):
    participation = selectors.participation_of(request.user, action)
    may_take_part = can(request.user, "actions.take_part", action)
    return {
        "action": action,
        "participation": participation,
        "may_take_part": may_take_part,
        "place": selectors.place_for_member(action, participation, now=now),
        "may_check_in": selectors.may_check_in(action, now=now),
        "ended": action.has_ended(now),
        "before_reveal": now < action.reveal_at,
        "open": not action.is_cancelled and not action.has_ended(now),
    }


@anonymous_cache(services.ACTIONS_VERSION)
def action_detail(request, pk):
    action = selectors.get_action_for(request.user, pk)
    now = timezone.now()
    context = _participation_context(request, action, now)
    context["may_manage"] = can(request.user, "actions.manage", action)
    return render(request, "actions/detail.html", context)


def _after_step(request, action):
    """Post/redirect/get; for htmx, the participation block with the message in it."""
    if is_htmx(request):
        request.htmx_partial = True
        return render(request, "actions/_participation.html", _participation_context(request, action, timezone.now()))
    return redirect("actions:detail", pk=action.pk)


def _take_part(request, pk):
    action = selectors.get_action_for(request.user, pk)
    require(request, "actions.take_part", action)
    return action


@login_required
@require_POST
def action_rsvp(request, pk):
    action = _take_part(request, pk)
    form = forms.RSVPForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether you are coming."))
        return _after_step(request, action)
    coming = form.cleaned_data["coming"]
    try:
        services.action_rsvp(action=action, account=request.user, coming=coming, now=timezone.now())
    except services.ParticipationError as exc:
        messages.error(request, exc.message)
        return _after_step(request, action)
    if coming:
        messages.success(request, _("You are coming. Nobody sees your name: coordinators see only the number."))
    else:
        messages.success(request, _("You are no longer on the way."))
    return _after_step(request, action)


@login_required
@require_POST
def action_check_in(request, pk):
    action = _take_part(request, pk)
    try:
        if services.action_check_in(action=action, account=request.user, now=timezone.now()):
            messages.success(request, _("You are checked in. When you are safely away, check out."))
    except services.ParticipationError as exc:
        messages.error(request, exc.message)
    return _after_step(request, action)


@login_required
@require_POST
def action_check_out(request, pk):
    action = _take_part(request, pk)
    if services.action_check_out(action=action, account=request.user):
        messages.success(request, _("You have checked out. We are glad you are safe."))
    return _after_step(request, action)


@login_required
@require_POST
def action_detained(request, pk):
    """One tap, a plain POST: works with JavaScript off and on a slow phone."""
    action = _take_part(request, pk)
    try:
        first = services.action_detained(action=action, account=request.user)
    except services.ParticipationError as exc:
        messages.error(request, exc.message)
        return redirect("actions:detail", pk=action.pk)
    if first:
        messages.warning(request, _("The alarm is sent to the chapter's coordinators and the lawyers."))
    else:
        messages.warning(request, _("The alarm was already sent. Coordinators and lawyers know."))
    return redirect("actions:detail", pk=action.pk)


# --- coordinators ---------------------------------------------------------------------


@login_required
def action_new(request):
    require(request, "actions.create")
    chapters = selectors.managed_chapters(request.user)
    form = forms.ActionForm(request.POST or None, chapters=chapters)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        lawyers = data.pop("lawyers")
        action = services.action_create(actor=request.user, data=data, lawyers=lawyers, now=timezone.now())
        _warn_if_too_close(request, action)
        messages.success(request, _("The action is planned."))
        return redirect("actions:manage", pk=action.pk)
    return render(
        request, "actions/form.html", {"form": form, "rules": _rules_table()}, status=400 if form.errors else 200
    )


def _rules_table():
    today = timezone.localdate()
    rows = []
    for value, label in Kind.choices:
        requirement, earliest, latest = RULES[value]
        rows.append(
            {
                "kind": label,
                "requirement": requirement,
                "earliest": earliest,
                "latest": latest,
                "picket": value in PICKET_TERMS,
            }
        )
    return {"rows": rows, "article": notice_window(kind="rally", event_day=today, today=today).article}


def _warn_if_too_close(request, action):
    window = window_for(action, timezone.localdate())
    if window.needed and not window.can_meet and action.notice_state == NoticeState.TO_FILE:
        messages.warning(
            request,
            _("Too close: notice for this date had to be filed by %(date)s (%(article)s).")
            % {"date": window.latest.strftime("%d.%m.%Y"), "article": window.article},
        )


def _managed(request, pk):
    action = selectors.get_action_for(request.user, pk)
    require(request, "actions.manage", action)
    return action


@login_required
def action_edit(request, pk):
    action = _managed(request, pk)
    fields = [
        "title",
        "kind",
        "city",
        "place",
        "starts_at",
        "ends_at",
        "reveal_hours",
        "is_public",
        "what_to_bring",
        "safety_briefing",
        "lawyers_contacts",
        "status",
    ]
    initial = {f: getattr(action, f) for f in fields}
    initial["starts_at"] = timezone.localtime(action.starts_at)
    initial["ends_at"] = timezone.localtime(action.ends_at)
    initial["lawyers"] = " ".join(action.lawyers.order_by("handle").values_list("handle", flat=True))
    form = forms.ActionForm(
        request.POST or None, initial=initial, chapters=selectors.managed_chapters(request.user), editing=action
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        lawyers = data.pop("lawyers")
        services.action_update(
            actor=request.user,
            action=action,
            data=data,
            lawyers=lawyers,
        )
        _warn_if_too_close(request, action)
        messages.success(request, _("Saved."))
        return redirect("actions:manage", pk=action.pk)
    return render(
        request,
        "actions/form.html",
        {"form": form, "action": action, "rules": _rules_table()},
        status=400 if form.errors else 200,
    )


def _manage_page(request, action, *, notice_form=None, incident_form=None, status=200):
    today = timezone.localdate()
    audit_record(actor=request.user, action="actions.manage_view", target=f"action:{action.pk}")
    if notice_form is None:
        notice_form = forms.NoticeForm(
            initial={
                "state": action.notice_state,
                "filed_on": action.notice_filed_on,
                "reason": action.notice_refusal_reason,
                "counter_proposal": action.notice_counter_proposal,
            },
            prefix="notice",
        )
    if incident_form is None:
        incident_form = forms.IncidentForm(initial={"on": min(today, _local_day(action))}, prefix="incident")
    context = {
        "action": action,
        "window": window_for(action, today),
        "notice_form": notice_form,
        "incident_form": incident_form,
        "incidents": list(action.incidents.all()),
        "lawyers": list(action.lawyers.order_by("handle")),
        "ended": action.has_ended(timezone.now()),
    }
    return render(request, "actions/manage.html", context, status=status)


@login_required
def action_manage(request, pk):
    return _manage_page(request, _managed(request, pk))


@login_required
@require_POST
def action_notice(request, pk):
    action = _managed(request, pk)
    form = forms.NoticeForm(request.POST, prefix="notice")
    if not form.is_valid():
        return _manage_page(request, action, notice_form=form, status=400)
    data = form.cleaned_data
    services.action_notice_update(
        actor=request.user,
        action=action,
        state=data["state"],
        filed_on=data["filed_on"],
        reason=data["reason"],
        counter_proposal=data["counter_proposal"],
    )
    messages.success(request, _("The notice is updated."))
    return redirect("actions:manage", pk=action.pk)


@login_required
@require_POST
def action_incident(request, pk):
    action = _managed(request, pk)
    form = forms.IncidentForm(request.POST, prefix="incident")
    if not form.is_valid():
        return _manage_page(request, action, incident_form=form, status=400)
    services.incident_log(actor=request.user, action=action, **form.cleaned_data)
    messages.success(request, _("The incident is logged."))
    return redirect("actions:manage", pk=action.pk)


@login_required
@require_POST
def incident_delete(request, pk, incident_id):
    action = _managed(request, pk)
    incident = get_object_or_404(Incident, pk=incident_id, action=action)
    services.incident_delete(actor=request.user, incident=incident)
    messages.success(request, _("The incident is deleted."))
    return redirect("actions:manage", pk=action.pk)


@login_required
@require_POST
def action_ask(request, pk):
    action = _managed(request, pk)
    asked = services.action_ask_not_checked_out(actor=request.user, action=action)
    if asked:
        text = ngettext(
            "Asked %(n)s member whether they are safe. You will not see who they are.",
            "Asked %(n)s members whether they are safe. You will not see who they are.",
            asked,
        )
        messages.success(request, text % {"n": asked})
    else:
        messages.success(request, _("Everyone who checked in has checked out."))
    return redirect("actions:manage", pk=action.pk)


@login_required
@require_POST
def action_cancel(request, pk):
    action = _managed(request, pk)
    if services.action_cancel(actor=request.user, action=action):
        messages.success(request, _("The action is cancelled. Members who were coming are told."))
    return redirect("actions:manage", pk=action.pk)


# --- public: calendars, JSON, statistics ----------------------------------------------


def _ical_response(body: bytes) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


def calendar_movement(request):
    return _ical_response(calendar.feed(request, chapter=None))


def calendar_chapter(request, slug):
    chapter = get_chapter_for(request.user, slug)
    return _ical_response(calendar.feed(request, chapter=chapter))


@cache_control(public=True, max_age=300)
def actions_json(request):
    """Public actions: title, kind, chapter, city and times — never the place."""
    now = timezone.now()
    actions = selectors.public_actions().filter(ends_at__gt=now - timezone.timedelta(days=PAST_DAYS))
    items = [
        {
            "id": a.pk,
            "title": a.title,
            "kind": a.kind,
            "chapter": a.chapter.slug,
            "city": a.city,
            "starts_at": a.starts_at.isoformat(),
            "ends_at": a.ends_at.isoformat(),
            "status": a.status,
            "url": request.build_absolute_uri(a.get_absolute_url()),
        }
        for a in actions.order_by("starts_at", "id")[:500]
    ]
    return JsonResponse({"actions": items}, json_dumps_params={"ensure_ascii": False})


@anonymous_cache(services.ACTIONS_VERSION)
def action_stats(request):
    stats = selectors.action_stats(now=timezone.now())
    rows = [(label, stats.by_incident.get(value, 0)) for value, label in IncidentKind.choices]
    return render(request, "actions/stats.html", {"stats": stats, "incident_rows": rows})
