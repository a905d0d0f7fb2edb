"""A member's personal copy and her filings: hers alone (404 for anyone else, admins included)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from homeward.appeals import complaints, forms, letters, selectors, services
from homeward.appeals.models import Outcome
from homeward.appeals.pdf import Letter, render_pdf
from homeward.families.clock import ClockError
from homeward.families.selectors import loved_ones_of
from homeward.families.views import clock_for
from homeward.lib.pdf import pdf_response
from homeward.lib.permissions import can, require

EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def _join_first(request, campaign):
    return render(request, "appeals/join_first.html", {"campaign": campaign}, status=403)


# --- the personal copy -----------------------------------------------------------------


def _filled(campaign, *, full_name="", postal_address="", loved_one=None, today):
    clock = None
    if loved_one is not None:
        try:
            clock = clock_for(loved_one, today)
        except ClockError:
            clock = None
    values = letters.member_values(
        full_name=full_name, postal_address=postal_address, loved_one=loved_one, clock=clock, today=today
    )
    return letters.fill(campaign.template, values)


@login_required
def campaign_copy(request, pk):
    """Preview the letter filled from her own records, edit it, download it as PDF.

    Her name and address are used for the PDF and not stored; the PDF is not kept either.
    """
    campaign = selectors.get_campaign(pk)
    if not can(request.user, "appeals.file", campaign):
        return _join_first(request, campaign)
    today = timezone.localdate()
    if not campaign.is_open(today):
        messages.warning(request, _("This campaign is not open: personal copies are made while it runs."))
        return redirect("appeals:detail", pk=campaign.pk)
    loved_ones = loved_ones_of(request.user)
    status = 200
    if request.method != "POST":
        first = loved_ones.first()
        filled = _filled(campaign, loved_one=first, today=today)
        form = forms.CopyForm(initial={"loved_one": first, "letter": filled.text}, loved_ones=loved_ones)
        missing = filled.missing
    else:
        form = forms.CopyForm(request.POST, loved_ones=loved_ones)
        missing = []
        if not form.is_valid():
            status = 400
        elif request.POST.get("action") == "pdf":
            if form.check_ready():
                data = form.cleaned_data
                addressee = campaign.addressee
                letter = Letter(
                    heading=gettext_lazy("Appeal"),
                    body=data["letter"],
                    to_lines=[addressee.official, addressee.body, addressee.postal_address],
                    from_name=data["full_name"],
                    from_address=data["postal_address"],
                    date=today,
                )
                content = render_pdf(letter)
                services.copy_record(campaign=campaign, account=request.user, today=today)
                return pdf_response(content, f"appeal-{campaign.pk}.pdf")
            status = 400
        else:
            # "Fill in": the letter again from the template, with what she typed now.
            data = form.cleaned_data
            filled = _filled(
                campaign,
                full_name=data["full_name"],
                postal_address=data["postal_address"],
                loved_one=data["loved_one"],
                today=today,
            )
            refreshed = request.POST.copy()
            refreshed["letter"] = filled.text
            form = forms.CopyForm(refreshed, loved_ones=loved_ones)
            form.is_valid()
            missing = filled.missing
    context = {
        "campaign": campaign,
        "form": form,
        "missing": [letters.PROMPTS[name] for name in missing],
        "has_loved_ones": loved_ones.exists(),
    }
    return render(request, "appeals/copy.html", context, status=status)


# --- filings ---------------------------------------------------------------------------


@login_required
def my_filings(request):
    today = timezone.localdate()
    filings = list(selectors.filings_of(request.user))
    rows = [(f, selectors.is_overdue(f, today)) for f in filings]
    return render(request, "appeals/my_filings.html", {"rows": rows, "today": today})


@login_required
def filing_new(request, pk):
    campaign = selectors.get_campaign(pk)
    if not can(request.user, "appeals.file", campaign):
        return _join_first(request, campaign)
    today = timezone.localdate()
    bound = request.method == "POST"
    form = forms.FilingForm(request.POST if bound else None, campaign=campaign, initial={"sent_on": today})
    if bound and form.is_valid():
        filing = services.filing_create(
            owner=request.user,
            campaign=campaign,
            data=form.cleaned_data,
            calendar=selectors.work_calendar(),
            today=today,
        )
        messages.success(request, _("The filing is recorded. Only you can see it."))
        return redirect("appeals:filing", pk=filing.pk)
    return render(
        request, "appeals/filing_form.html", {"form": form, "campaign": campaign}, status=400 if form.errors else 200
    )


def _own_filing(request, pk):
    filing = selectors.get_filing_for(request.user, pk)
    require(request, "appeals.filing.own", filing, hide=True)
    return filing


def _detail(request, filing, *, status=200, **bound_forms):
    today = timezone.localdate()
    calendar = selectors.work_calendar()
    dl = selectors.deadlines_of(filing, calendar=calendar)
    reply = selectors.reply_summary(filing)
    answered = filing.outcome not in {Outcome.PENDING, Outcome.NO_ANSWER}
    context = {
        "filing": filing,
        "campaign": filing.campaign,
        "today": today,
        "deadlines": dl,
        "deadline_rows": [(d, d.days_left(today)) for d in dl.all()],
        "post_days": selectors.post_days(),
        "overdue": selectors.is_overdue(filing, today),
        "forwarded_to": selectors.forwarded_child(filing),
        "reply": reply,
        "outcome_form": bound_forms.get("outcome_form")
        or forms.OutcomeForm(filing=filing, initial={"on": today, "outcome": filing.outcome if answered else ""}),
        "extension_form": bound_forms.get("extension_form")
        or forms.ExtensionForm(
            filing=filing,
            initial={"notified_on": filing.extension_notified_on or today, "days": filing.extension_days or 30},
        ),
        "reply_form": bound_forms.get("reply_form") or forms.ReplyForm(),
    }
    return render(request, "appeals/filing.html", context, status=status)


@login_required
def filing_detail(request, pk):
    return _detail(request, _own_filing(request, pk))


@login_required
def filing_edit(request, pk):
    filing = _own_filing(request, pk)
    initial = {name: getattr(filing, name) for name in (*services.FILING_FIELDS, "channel")}
    bound = request.method == "POST"
    form = forms.FilingForm(request.POST if bound else None, campaign=filing.campaign, editing=filing, initial=initial)
    if bound and form.is_valid():
        services.filing_update(
            filing=filing, data=form.cleaned_data, calendar=selectors.work_calendar(), today=timezone.localdate()
        )
        messages.success(request, _("Saved."))
        return redirect("appeals:filing", pk=filing.pk)
    return render(
        request,
        "appeals/filing_form.html",
        {"form": form, "campaign": filing.campaign, "filing": filing},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def filing_outcome(request, pk):
    filing = _own_filing(request, pk)
    form = forms.OutcomeForm(request.POST, filing=filing)
    if not form.is_valid():
        return _detail(request, filing, status=400, outcome_form=form)
    data = form.cleaned_data
    try:
        child = services.filing_outcome(
            filing=filing,
            outcome=data["outcome"],
            on=data["on"],
            forwarded_to=data.get("forwarded_to"),
            forwarded_to_name=data.get("forwarded_to_name", ""),
            calendar=selectors.work_calendar(),
            today=timezone.localdate(),
        )
    except services.OutcomeConflict:
        messages.error(
            request, _("This appeal was forwarded and the forwarded filing is tracked: delete that one first.")
        )
        return redirect("appeals:filing", pk=filing.pk)
    if child is not None:
        messages.success(request, _("Recorded. The forwarded appeal has its own deadlines now."))
        return redirect("appeals:filing", pk=child.pk)
    messages.success(request, _("Recorded."))
    return redirect("appeals:filing", pk=filing.pk)


@login_required
@require_POST
def filing_outcome_clear(request, pk):
    filing = _own_filing(request, pk)
    try:
        services.filing_outcome_clear(filing=filing, calendar=selectors.work_calendar(), today=timezone.localdate())
        messages.success(request, _("The outcome is cleared."))
    except services.OutcomeConflict:
        messages.error(
            request, _("This appeal was forwarded and the forwarded filing is tracked: delete that one first.")
        )
    return redirect("appeals:filing", pk=filing.pk)


@login_required
@require_POST
def filing_extension(request, pk):
    filing = _own_filing(request, pk)
    calendar = selectors.work_calendar()
    today = timezone.localdate()
    if request.POST.get("action") == "remove":
        services.filing_extension(filing=filing, notified_on=None, days=None, calendar=calendar, today=today)
        messages.success(request, _("The extension is removed."))
        return redirect("appeals:filing", pk=filing.pk)
    form = forms.ExtensionForm(request.POST, filing=filing)
    if not form.is_valid():
        return _detail(request, filing, status=400, extension_form=form)
    services.filing_extension(
        filing=filing,
        notified_on=form.cleaned_data["notified_on"],
        days=form.cleaned_data["days"],
        calendar=calendar,
        today=today,
    )
    messages.success(request, _("The extension is recorded; the due date has moved."))
    return redirect("appeals:filing", pk=filing.pk)


@login_required
@require_POST
def filing_reply(request, pk):
    filing = _own_filing(request, pk)
    form = forms.ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, filing, status=400, reply_form=form)
    clean = form.cleaned_data["file"]
    services.reply_attach(
        filing=filing,
        name=clean.name,
        content=clean.content,
        content_type=clean.content_type,
        today=timezone.localdate(),
    )
    messages.success(request, _("The reply is kept, encrypted. Only you can open it."))
    return redirect("appeals:filing", pk=filing.pk)


@login_required
def filing_reply_file(request, pk):
    filing = _own_filing(request, pk)
    reply = selectors.reply_of(filing)
    content = services.reply_content(reply)
    response = HttpResponse(content, content_type=reply.content_type)
    extension = EXTENSIONS.get(reply.content_type, "bin")
    response["Content-Disposition"] = f'attachment; filename="reply-{filing.pk}.{extension}"'
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_POST
def filing_reply_delete(request, pk):
    filing = _own_filing(request, pk)
    if services.reply_remove(filing=filing):
        messages.success(request, _("The reply is deleted."))
    return redirect("appeals:filing", pk=filing.pk)


@login_required
def filing_complaint(request, pk):
    """The draft complaint to the prosecutor's office, once the answer is late."""
    filing = _own_filing(request, pk)
    today = timezone.localdate()
    if not selectors.is_overdue(filing, today):
        return render(request, "appeals/complaint_not_yet.html", {"filing": filing, "today": today})
    dl = selectors.deadlines_of(filing, calendar=selectors.work_calendar())
    bound = request.method == "POST"
    form = forms.ComplaintForm(
        request.POST if bound else None,
        initial={"text": complaints.complaint_text(filing=filing, deadlines=dl, today=today)},
    )
    if bound and form.is_valid():
        data = form.cleaned_data
        letter = Letter(
            heading=gettext_lazy("Complaint about a breach of Federal Law 59-FZ"),
            body=data["text"],
            to_lines=data["prosecutor"].splitlines(),
            from_name=data["full_name"],
            from_address=data["postal_address"],
            date=today,
        )
        return pdf_response(render_pdf(letter), f"complaint-{filing.pk}.pdf")
    return render(
        request,
        "appeals/complaint.html",
        {"filing": filing, "form": form, "deadlines": dl},
        status=400 if form.errors else 200,
    )


@login_required
def filing_delete(request, pk):
    filing = _own_filing(request, pk)
    if request.method == "POST":
        campaign_pk = filing.campaign_id
        services.filing_delete(filing=filing)
        messages.success(request, _("The filing is deleted."))
        return redirect("appeals:detail", pk=campaign_pk)
    return render(request, "appeals/filing_delete.html", {"filing": filing})
