"""Chapter pages: list, detail, join/leave, invites, coordinator and admin management."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from homeward.chapters import forms, selectors, services
from homeward.chapters.models import Chapter, Invite, Membership
from homeward.lib.htmx import is_htmx
from homeward.lib.permissions import can, require

SESSION_NEW_INVITE = "new_invite_link"


def chapter_list(request):
    chapters = selectors.chapter_list()
    mine = set(selectors.chapters_of(request.user).values_list("pk", flat=True))
    return render(request, "chapters/list.html", {"chapters": chapters, "mine": mine})


def _membership_context(request, chapter):
    membership = selectors.membership_of(request.user, chapter)
    return {
        "chapter": chapter,
        "membership": membership,
        "may_join": can(request.user, "chapter.join", chapter),
        "may_manage": can(request.user, "chapter.manage", chapter),
    }


def chapter_detail(request, slug):
    chapter = selectors.get_chapter_for(request.user, slug)
    context = _membership_context(request, chapter)
    context["member_count"] = selectors.k_count(selectors.counts(chapter)["members"])
    return render(request, "chapters/detail.html", context)


def _join_leave_response(request, chapter):
    if is_htmx(request):
        # The partial shows the confirmation itself, so it does not wait for the next page.
        request.htmx_partial = True
        return render(request, "chapters/_membership.html", _membership_context(request, chapter))
    return redirect("chapters:detail", slug=chapter.slug)


@login_required
@require_POST
def chapter_join(request, slug):
    chapter = selectors.get_chapter_for(request.user, slug)
    if selectors.membership_of(request.user, chapter) is None:
        require(request, "chapter.join", chapter)
        services.chapter_join(account=request.user, chapter=chapter)
        messages.success(request, _("You have joined the chapter."))
    return _join_leave_response(request, chapter)


@login_required
@require_POST
def chapter_leave(request, slug):
    chapter = selectors.get_chapter_for(request.user, slug)
    if selectors.membership_of(request.user, chapter) is not None:
        services.chapter_leave(account=request.user, chapter=chapter)
        messages.success(request, _("You have left the chapter."))
    return _join_leave_response(request, chapter)


@login_required
def chapter_manage(request, slug):
    chapter = selectors.get_chapter_for(request.user, slug)
    require(request, "chapter.manage", chapter)
    settings_form = forms.ChapterSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={"is_open": chapter.is_open, "description": chapter.description},
    )
    if request.method == "POST" and settings_form.is_valid():
        services.chapter_update(actor=request.user, chapter=chapter, **settings_form.cleaned_data)
        messages.success(request, _("Chapter settings saved."))
        return redirect("chapters:manage", slug=chapter.slug)
    return _manage_page(request, chapter, settings_form=settings_form)


def _manage_page(request, chapter, **forms_in_error):
    now = timezone.now()
    invites = [i for i in chapter.invites.filter(revoked=False).order_by("-expires_at") if i.is_usable(now)]
    context = {
        "chapter": chapter,
        "settings_form": forms.ChapterSettingsForm(
            initial={"is_open": chapter.is_open, "description": chapter.description}
        ),
        "invite_form": forms.InviteForm(),
        "promote_form": forms.HandleLookupForm(),
        "invites": invites,
        "new_invite": request.session.pop(SESSION_NEW_INVITE, None),
        "coordinators": selectors.coordinators_of(chapter),
        "counts": selectors.counts(chapter),
    }
    context.update(forms_in_error)
    status = 400 if forms_in_error and request.method == "POST" else 200
    return render(request, "chapters/manage.html", context, status=status)


@login_required
@require_POST
def invite_create(request, slug):
    chapter = selectors.get_chapter_for(request.user, slug)
    require(request, "chapter.manage", chapter)
    form = forms.InviteForm(request.POST)
    if not form.is_valid():
        return _manage_page(request, chapter, invite_form=form)
    token = services.invite_create(
        actor=request.user,
        chapter=chapter,
        now=timezone.now(),
        days=form.cleaned_data["days"],
        max_uses=form.limit(),
        label=form.cleaned_data["label"],
    )
    request.session[SESSION_NEW_INVITE] = request.build_absolute_uri(reverse("chapters:invite_accept", args=[token]))
    return redirect("chapters:manage", slug=chapter.slug)


@login_required
@require_POST
def invite_revoke(request, slug, invite_id):
    chapter = selectors.get_chapter_for(request.user, slug)
    require(request, "chapter.manage", chapter)
    invite = get_object_or_404(Invite, pk=invite_id, chapter=chapter)
    services.invite_revoke(actor=request.user, invite=invite)
    messages.success(request, _("The invite link no longer works."))
    return redirect("chapters:manage", slug=chapter.slug)


@login_required
@require_POST
def member_promote(request, slug):
    chapter = selectors.get_chapter_for(request.user, slug)
    require(request, "chapter.manage", chapter)
    form = forms.HandleLookupForm(request.POST)
    if form.is_valid():
        if services.role_set(
            actor=request.user, chapter=chapter, account=form.account, role=Membership.Role.COORDINATOR
        ):
            messages.success(
                request, _("%(handle)s is now a coordinator of this chapter.") % {"handle": form.account.handle}
            )
            return redirect("chapters:manage", slug=chapter.slug)
        form.add_error("handle", _("This account is not a member of this chapter."))
    return _manage_page(request, chapter, promote_form=form)


@login_required
@require_POST
def member_demote(request, slug, membership_id):
    chapter = selectors.get_chapter_for(request.user, slug)
    require(request, "chapter.manage", chapter)
    membership = get_object_or_404(Membership, pk=membership_id, chapter=chapter)
    services.role_set(actor=request.user, chapter=chapter, account=membership.account, role=Membership.Role.MEMBER)
    messages.success(
        request, _("%(handle)s is now a member without coordinator powers.") % {"handle": membership.account.handle}
    )
    if membership.account_id == request.user.pk:
        return redirect("chapters:detail", slug=chapter.slug)
    return redirect("chapters:manage", slug=chapter.slug)


def invite_accept(request, token):
    invite = services.invite_find(token=token)
    now = timezone.now()
    usable = invite is not None and invite.is_usable(now)
    if request.method == "POST" and request.user.is_authenticated and usable:
        try:
            services.invite_accept(account=request.user, token=token, now=now)
        except services.InviteUnusable:
            usable = False
        else:
            messages.success(request, _("Welcome to the chapter."))
            return redirect("chapters:detail", slug=invite.chapter.slug)
    status = 200 if usable else 404
    return render(
        request,
        "chapters/invite.html",
        {"invite": invite if usable else None, "token": token},
        status=status,
    )


@login_required
def admin_chapters(request):
    require(request, "chapters.administer")
    create_form = forms.ChapterCreateForm(request.POST if request.method == "POST" else None, prefix="create")
    if request.method == "POST" and create_form.is_valid():
        chapter = services.chapter_create(
            actor=request.user,
            region=create_form.cleaned_data["region"],
            is_open=create_form.cleaned_data["is_open"],
            description=create_form.cleaned_data["description"],
        )
        messages.success(request, _("Chapter %(name)s created.") % {"name": chapter.name})
        return redirect("chapters:admin")
    return _admin_page(request, create_form=create_form)


def _admin_page(request, **forms_in_error):
    context = {
        "chapters": selectors.chapter_list(),
        "create_form": forms.ChapterCreateForm(prefix="create"),
        "assign_form": forms.AssignCoordinatorForm(prefix="assign"),
    }
    context.update(forms_in_error)
    status = 400 if request.method == "POST" and any(f.errors for f in forms_in_error.values()) else 200
    return render(request, "chapters/admin.html", context, status=status)


@login_required
@require_POST
def admin_assign_coordinator(request):
    require(request, "chapters.administer")
    form = forms.AssignCoordinatorForm(request.POST, prefix="assign")
    if not form.is_valid():
        return _admin_page(request, assign_form=form)
    chapter: Chapter = form.cleaned_data["chapter"]
    services.coordinator_assign(actor=request.user, chapter=chapter, account=form.account)
    messages.success(
        request,
        _("%(handle)s is now a coordinator of %(chapter)s.") % {"handle": form.account.handle, "chapter": chapter.name},
    )
    return redirect("chapters:admin")
