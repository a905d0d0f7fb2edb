"""Campaign pages: the public page with its counter and ledger, co-signing, and the
coordinators' powers (create, edit, close, dashboard, the collective letter)."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from homeward.appeals import aggregates, forms, selectors, services
from homeward.appeals.letters import collective_values, fill
from homeward.appeals.models import Campaign, Scope
from homeward.appeals.pdf import Letter, render_pdf
from homeward.appeals.views.common import KIND_LABELS, LEDGER_KINDS, answers_chart, k_label, k_value, shown, table_rows
from homeward.chapters.models import Chapter
from homeward.chapters.selectors import chapters_to_run_for
from homeward.lib.charts import Bar, column_histogram, horizontal_bars
from homeward.lib.htmx import is_htmx
from homeward.lib.pagecache import anonymous_cache
from homeward.lib.pdf import pdf_response
from homeward.lib.permissions import can, require


@anonymous_cache(services.APPEALS_VERSION)
def campaign_list(request):
    today = timezone.localdate()
    groups = {"open": [], "upcoming": [], "closed": []}
    for campaign in selectors.campaigns():
        key = "open" if campaign.is_open(today) else "upcoming" if campaign.not_yet_open(today) else "closed"
        groups[key].append((campaign, k_value(campaign.signature_count)))
    return render(
        request,
        "appeals/list.html",
        {**groups, "may_create": can(request.user, "appeals.create"), "today": today},
    )


def _sign_context(request, campaign: Campaign, today, form=None) -> dict:
    user = request.user
    signature = selectors.signature_of(user, campaign)
    return {
        "campaign": campaign,
        "count": k_value(campaign.signature_count),
        "goal": campaign.goal,
        "is_open": campaign.is_open(today),
        "is_closed": campaign.is_closed(today),
        "signature": signature,
        "may_sign": user.is_authenticated and can(user, "appeals.sign", campaign),
        "sign_form": form or forms.SignForm(),
    }


def _detail_context(request, campaign: Campaign, today, *, sign_form=None) -> dict:
    user = request.user
    figures = aggregates.ledger(today=today).campaigns.get(campaign.pk)
    context = _sign_context(request, campaign, today, sign_form)
    context.update(
        {
            "today": today,
            "channels": [label for value, label in forms._channel_choices() if value in campaign.channels],
            "may_file": user.is_authenticated and can(user, "appeals.file", campaign),
            "copy_made": selectors.copy_made(user, campaign),
            "my_filings": [
                (f, selectors.is_overdue(f, today)) for f in selectors.filings_of(user).filter(campaign=campaign)
            ],
            "may_manage": user.is_authenticated and can(user, "appeals.manage", campaign),
            "figures": figures,
            "ledger_kinds": [(kind, KIND_LABELS[kind]) for kind in LEDGER_KINDS],
            "ledger_rows": campaign_ledger_rows(figures),
        }
    )
    return context


def campaign_ledger_rows(figures) -> list[dict]:
    """The campaign's ledger by body, then the campaign in all (when it went to more than one)."""
    if figures is None:
        return []
    rows = [(row.name or _("Other bodies"), "", row) for row in figures.by_addressee]
    if len(rows) > 1:
        rows.append((_("All bodies"), "", figures.row))
    return table_rows(rows)


@anonymous_cache(services.APPEALS_VERSION)
def campaign_detail(request, pk):
    campaign = selectors.get_campaign(pk)
    today = timezone.localdate()
    return render(request, "appeals/detail.html", _detail_context(request, campaign, today))


def _sign_response(request, pk, *, form=None, status=200):
    if not is_htmx(request) and status == 200:
        return redirect("appeals:detail", pk=pk)
    campaign = selectors.get_campaign(pk)  # read again: the counter as it is now
    today = timezone.localdate()
    if is_htmx(request):
        request.htmx_partial = True
        return render(request, "appeals/_sign.html", _sign_context(request, campaign, today, form), status=status)
    return render(
        request, "appeals/detail.html", _detail_context(request, campaign, today, sign_form=form), status=status
    )


@login_required
@require_POST
def campaign_sign(request, pk):
    """Co-sign: one click. The hot path — one narrow read, then one INSERT and one UPDATE."""
    campaign = selectors.get_campaign_for_signing(pk)
    require(request, "appeals.sign", campaign)
    form = forms.SignForm(request.POST)
    if not form.is_valid():
        return _sign_response(request, pk, form=form, status=400)
    try:
        result = services.signature_sign(
            campaign=campaign,
            account=request.user,
            full_name=form.cleaned_data["full_name"],
            today=timezone.localdate(),
        )
    except services.CampaignClosed:
        messages.error(request, _("This campaign is not open for signatures."))
        return _sign_response(request, pk)
    if result.signed:
        messages.success(request, _("You have co-signed the letter. Thank you."))
    elif form.cleaned_data["full_name"]:
        messages.success(request, _("Your name for this letter is saved. Your signature counts once."))
    else:
        messages.info(request, _("You had already co-signed this letter; your signature counts once."))
    return _sign_response(request, pk)


@login_required
@require_POST
def campaign_withdraw(request, pk):
    campaign = selectors.get_campaign_for_signing(pk)
    require(request, "appeals.withdraw", campaign)
    if services.signature_withdraw(campaign_id=campaign.pk, account_id=request.user.pk):
        messages.success(request, _("Your signature is withdrawn and deleted."))
    return _sign_response(request, pk)


# --- coordinators ----------------------------------------------------------------------


@login_required
def campaign_new(request):
    require(request, "appeals.create")
    chapters, chapter_required = chapters_to_run_for(request.user)
    bound = request.method == "POST"
    form = forms.CampaignForm(
        request.POST if bound else None,
        chapters=chapters,
        chapter_required=chapter_required,
        initial={"opens_on": timezone.localdate(), "channels": ["site", "gosuslugi", "post"]},
    )
    if bound and form.is_valid():
        campaign = services.campaign_create(actor=request.user, data=form.cleaned_data)
        messages.success(request, _("The campaign is created."))
        return redirect("appeals:detail", pk=campaign.pk)
    return render(request, "appeals/campaign_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def campaign_edit(request, pk):
    campaign = selectors.get_campaign(pk)
    require(request, "appeals.manage", campaign)
    initial = {name: getattr(campaign, name) for name in services.EDITABLE}
    bound = request.method == "POST"
    form = forms.CampaignForm(
        request.POST if bound else None,
        chapters=Chapter.objects.none(),
        chapter_required=False,
        editing=campaign,
        initial=initial,
    )
    if bound and form.is_valid():
        services.campaign_update(actor=request.user, campaign=campaign, data=form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("appeals:detail", pk=campaign.pk)
    return render(
        request, "appeals/campaign_form.html", {"form": form, "campaign": campaign}, status=400 if form.errors else 200
    )


@login_required
@require_POST
def campaign_close(request, pk):
    campaign = selectors.get_campaign(pk)
    require(request, "appeals.manage", campaign)
    if not campaign.closed:
        services.campaign_close(actor=request.user, campaign=campaign)
        messages.success(request, _("The campaign is closed. The collective letter can now be downloaded."))
    return redirect("appeals:dashboard", pk=campaign.pk)


def _funnel(campaign: Campaign, figures) -> list[tuple[str, str, int | None]]:
    labels = {
        "signed": _("Co-signed the collective letter"),
        "copies": _("Made a personal copy"),
        "filed": _("Filed it"),
        "registered": _("Registered by the body"),
        "answered": _("Answered"),
    }
    steps = [("signed", labels["signed"], k_value(campaign.signature_count))]
    for step in aggregates.FUNNEL:
        steps.append((step, labels[step], figures.funnel[step] if figures else None))
    return steps


@login_required
def campaign_dashboard(request, pk):
    """Counts only, k-anonymous: never a name, never a list of who did what."""
    campaign = selectors.get_campaign(pk)
    require(request, "appeals.manage", campaign)
    today = timezone.localdate()
    figures = aggregates.ledger(today=today).campaigns.get(campaign.pk)
    funnel = _funnel(campaign, figures)
    funnel_bars = [Bar(label, value) for _step, label, value in funnel]
    context = {
        "campaign": campaign,
        "today": today,
        "figures": figures,
        "funnel": funnel,
        "funnel_chart": horizontal_bars(
            funnel_bars,
            title=_("From signature to answer"),
            desc="; ".join(f"{b.label}: {shown(b.value)}" for b in funnel_bars),
            suppressed_label=k_label(),
        ),
        "answers_chart": answers_chart(figures.row, title=_("Filings by outcome")) if figures else None,
        "ledger_kinds": [(kind, KIND_LABELS[kind]) for kind in LEDGER_KINDS],
        "ledger_rows": campaign_ledger_rows(figures),
        "overdue": figures.row.kinds.get("no_answer") if figures else None,
        "days_chart": column_histogram(
            [Bar(label, value) for label, value in figures.bins],
            title=_("Days from sending to the answer"),
            desc="; ".join(f"{label}: {shown(value)}" for label, value in figures.bins),
            suppressed_label=k_label(),
        )
        if figures
        else None,
        "is_closed": campaign.is_closed(today),
    }
    return render(request, "appeals/dashboard.html", context)


def _csv_response(rows: list[list], filename: str) -> HttpResponse:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _v(value, k):
    return f"<{k}" if value is None else value


@login_required
def campaign_dashboard_csv(request, pk):
    campaign = selectors.get_campaign(pk)
    require(request, "appeals.manage", campaign)
    today = timezone.localdate()
    ledger = aggregates.ledger(today=today)
    figures = ledger.campaigns.get(campaign.pk)
    k = ledger.k
    rows = [["campaign", "figure", "key", "value"]]
    for step, _label, value in _funnel(campaign, figures):
        rows.append([campaign.pk, "funnel", step, _v(value, k)])
    if figures:
        for kind in LEDGER_KINDS:
            rows.append([campaign.pk, "outcome", kind, _v(figures.row.kinds[kind], k)])
        rows.append([campaign.pk, "filings", "", _v(figures.row.total, k)])
        rows.append([campaign.pk, "median_days_to_answer", "", figures.row.median_days or ""])
        for label, value in figures.bins:
            rows.append([campaign.pk, "days_to_answer", label, _v(value, k)])
    return _csv_response(rows, f"homeward-appeal-{campaign.pk}.csv")


@login_required
def campaign_letter(request, pk):
    """The collective letter with the names signers gave for it: for the campaign's
    coordinators, only once the campaign is closed, and audited."""
    campaign = selectors.get_campaign(pk)
    require(request, "appeals.manage", campaign)
    today = timezone.localdate()
    if not campaign.is_closed(today):
        messages.warning(request, _("The collective letter can be downloaded once the campaign is closed."))
        return redirect("appeals:dashboard", pk=campaign.pk)
    names, total = services.collective_letter_signers(actor=request.user, campaign=campaign)
    region = campaign.chapter.region.name_ru if campaign.scope == Scope.CHAPTER and campaign.chapter else ""
    body = fill(campaign.template, collective_values(region_name=region, today=today)).text
    addressee = campaign.addressee
    letter = Letter(
        heading=gettext_lazy("Collective appeal"),
        body=body,
        to_lines=[addressee.official, addressee.body, addressee.postal_address],
        date=today,
        signers=names,
        signer_total=total,
    )
    return pdf_response(render_pdf(letter), f"collective-appeal-{campaign.pk}.pdf")
