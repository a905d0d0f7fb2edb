"""A member's loved ones and their service clocks. Owner-only, every one of them."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from homeward.families import clock as clock_mod
from homeward.families import forms, selectors, services
from homeward.families.models import StatusChange
from homeward.lib.charts import Bar, horizontal_bars
from homeward.lib.permissions import can, require


def clock_for(loved_one, as_of, precedents=None):
    return clock_mod.service_clock(
        mobilized_on=loved_one.mobilized_on,
        as_of=as_of,
        demand_days=settings.DEMANDED_TERM_DAYS,
        service_ended_on=loved_one.service_ended_on,
        last_leave_on=loved_one.last_leave_on,
        precedents=selectors.precedents() if precedents is None else precedents,
    )


def days_text(n: int) -> str:
    return ngettext("%(n)s day", "%(n)s days", n) % {"n": n}


def clock_chart(loved_one, clock):
    bars = [Bar(_("Served so far"), clock.days, highlight=True)]
    bars.append(Bar(_("The movement's demand"), clock.demand_days))
    bars += [Bar(c.name, c.days, note=" *" if c.note else "") for c in clock.comparisons]
    desc = "; ".join(f"{b.label}: {days_text(b.value)}" for b in bars)
    return horizontal_bars(
        bars,
        title=_("Days served by %(who)s against past terms of service") % {"who": loved_one.display_name()},
        desc=desc,
    )


@login_required
def loved_one_list(request):
    today = timezone.localdate()
    loved_ones = list(selectors.loved_ones_of(request.user))
    precedents = selectors.precedents()  # once for the page, not once per loved one
    rows = []
    for lo in loved_ones:
        rows.append((lo, clock_for(lo, max(today, lo.mobilized_on), precedents)))
    return render(
        request,
        "families/list.html",
        {"rows": rows, "may_record": can(request.user, "families.record")},
    )


@login_required
def loved_one_add(request):
    if not can(request.user, "families.record"):
        return render(request, "families/join_first.html", status=403)
    require(request, "families.record")
    form = forms.LovedOneForm(request.POST if request.method == "POST" else None, initial={"status_since": None})
    if request.method == "POST" and form.is_valid():
        loved_one = services.loved_one_create(owner=request.user, data=dict(form.cleaned_data))
        messages.success(request, _("Saved. Only you can see this record."))
        return redirect("families:detail", pk=loved_one.pk)
    return render(request, "families/form.html", {"form": form, "adding": True}, status=400 if form.errors else 200)


@login_required
def loved_one_detail(request, pk):
    loved_one = selectors.get_loved_one_for(request.user, pk)
    require(request, "families.own", loved_one, hide=True)
    today = timezone.localdate()
    as_of_form = forms.AsOfForm(request.GET or None)
    as_of = today
    status = 200
    if request.GET and as_of_form.is_valid() and as_of_form.cleaned_data["as_of"]:
        as_of = as_of_form.cleaned_data["as_of"]
        if as_of < loved_one.mobilized_on:
            as_of_form.add_error(
                "as_of",
                _("This date is before his mobilization (%(date)s). The clock starts on that day.")
                % {"date": loved_one.mobilized_on.strftime("%d.%m.%Y")},
            )
            as_of, status = max(today, loved_one.mobilized_on), 400
    elif request.GET and not as_of_form.is_valid():
        status = 400
    status_form = forms.StatusForm(loved_one=loved_one, initial={"on": today})
    return _detail(request, loved_one, as_of, status_form, as_of_form, status)


def _detail(request, loved_one, as_of, status_form, as_of_form, status):
    clock = clock_for(loved_one, as_of)
    context = {
        "loved_one": loved_one,
        "clock": clock,
        "chart": clock_chart(loved_one, clock),
        "history": StatusChange.objects.filter(loved_one=loved_one),
        "status_form": status_form,
        "as_of_form": as_of_form,
    }
    return render(request, "families/detail.html", context, status=status)


@login_required
def loved_one_edit(request, pk):
    loved_one = selectors.get_loved_one_for(request.user, pk)
    require(request, "families.own", loved_one, hide=True)
    initial = {
        f: getattr(loved_one, f)
        for f in ("relation", "name", "unit", "mobilized_on", "early_call_up", "last_leave_on", "last_contact_on")
    }
    initial["region"] = loved_one.region_id
    form = forms.LovedOneForm(request.POST if request.method == "POST" else None, initial=initial, editing=loved_one)
    if request.method == "POST" and form.is_valid():
        services.loved_one_update(loved_one=loved_one, data=dict(form.cleaned_data))
        messages.success(request, _("Saved."))
        return redirect("families:detail", pk=loved_one.pk)
    return render(
        request, "families/form.html", {"form": form, "loved_one": loved_one}, status=400 if form.errors else 200
    )


@login_required
@require_POST
def loved_one_status(request, pk):
    loved_one = selectors.get_loved_one_for(request.user, pk)
    require(request, "families.own", loved_one, hide=True)
    form = forms.StatusForm(request.POST, loved_one=loved_one)
    if form.is_valid():
        services.loved_one_status_change(loved_one=loved_one, **form.cleaned_data)
        messages.success(request, _("Status changed."))
        return redirect("families:detail", pk=loved_one.pk)
    return _detail(request, loved_one, timezone.localdate(), form, forms.AsOfForm(), 400)


@login_required
def loved_one_delete(request, pk):
    loved_one = selectors.get_loved_one_for(request.user, pk)
    require(request, "families.own", loved_one, hide=True)
    if request.method == "POST":
        services.loved_one_delete(loved_one=loved_one)
        messages.success(request, _("The record is deleted."))
        return redirect("families:list")
    return render(request, "families/delete.html", {"loved_one": loved_one})
