"""The channel: reading (public, cached for visitors), writing (coordinators), feeds, media."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_POST

from homeward.channel import feeds, forms, selectors, services
from homeward.channel.models import Follow, FollowerCount, PostMedia
from homeward.chapters import selectors as chapter_selectors
from homeward.chapters.models import Chapter
from homeward.lib.charts import Bar, column_histogram
from homeward.lib.pagecache import anonymous_cache
from homeward.lib.permissions import can, require

PAGE_SIZE = 20


def _writer_chapters(account):
    if account.is_admin:
        return Chapter.objects.select_related("region")
    return chapter_selectors.coordinated_chapters(account)


@anonymous_cache(services.CHANNEL_VERSION)
def channel_list(request):
    page = Paginator(selectors.visible_posts(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    following = request.user.is_authenticated and Follow.objects.filter(account=request.user).exists()
    return render(
        request,
        "channel/list.html",
        {"page": page, "may_write": can(request.user, "channel.write"), "following": following},
    )


@anonymous_cache(services.CHANNEL_VERSION)
def post_detail(request, pk):
    post = selectors.get_post_for(request.user, pk)
    return render(
        request, "channel/post.html", {"post": post, "may_manage": can(request.user, "channel.post.manage", post)}
    )


@login_required
def post_new(request):
    require(request, "channel.write")
    chapters = _writer_chapters(request.user)
    # Bound on the method, not on `request.POST or None`: a POST carrying only files
    # (or nothing) must be refused with a message, not shown as a blank form.
    bound = request.method == "POST"
    form = forms.PostForm(request.POST if bound else None, request.FILES if bound else None, chapters=chapters)
    if bound and form.is_valid():
        data = form.cleaned_data
        post = services.post_create(
            author=request.user,
            body=data["body"],
            visibility=data["visibility"],
            chapter=data["chapter"],
            images=data["images"],
            video=data["video"],
            action=data["action"],
            publish_at=data.get("publish_at"),
            now=timezone.now(),
        )
        messages.success(
            request,
            {
                "publish": _("Published."),
                "draft": _("Saved as a draft."),
                "schedule": _("Scheduled."),
            }[data["action"]],
        )
        return redirect("channel:post", pk=post.pk)
    return render(request, "channel/form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def post_edit(request, pk):
    post = selectors.get_post_for(request.user, pk)
    require(request, "channel.post.manage", post, hide=True)
    chapters = _writer_chapters(request.user)
    initial = {"body": post.body, "visibility": post.visibility, "chapter": post.chapter_id}
    bound = request.method == "POST"
    form = forms.PostForm(
        request.POST if bound else None,
        request.FILES if bound else None,
        chapters=chapters,
        editing=post,
        initial=initial,
    )
    if bound and form.is_valid():
        data = form.cleaned_data
        services.post_update(
            post=post,
            body=data["body"],
            visibility=data["visibility"],
            chapter=data["chapter"],
            images=data["images"],
            remove_media=[int(x) for x in data.get("remove_media") or []],
            now=timezone.now(),
        )
        messages.success(request, _("Saved."))
        return redirect("channel:post", pk=post.pk)
    return render(request, "channel/form.html", {"form": form, "post": post}, status=400 if form.errors else 200)


@login_required
@require_POST
def post_publish(request, pk):
    post = selectors.get_post_for(request.user, pk)
    require(request, "channel.post.manage", post, hide=True)
    if services.post_publish(post=post, now=timezone.now()):
        messages.success(request, _("Published."))
    return redirect("channel:post", pk=post.pk)


@login_required
@require_POST
def post_pin(request, pk):
    post = selectors.get_post_for(request.user, pk)
    require(request, "channel.post.manage", post, hide=True)
    services.post_pin(post=post, pinned=request.POST.get("pinned") == "1")
    return redirect("channel:post", pk=post.pk)


@login_required
def post_delete(request, pk):
    post = selectors.get_post_for(request.user, pk)
    require(request, "channel.post.manage", post, hide=True)
    if request.method == "POST":
        services.post_delete(post=post)
        messages.success(request, _("The post is deleted."))
        return redirect("channel:list")
    return render(request, "channel/delete.html", {"post": post})


@login_required
def drafts(request):
    require(request, "channel.write")
    return render(request, "channel/drafts.html", {"posts": selectors.unpublished_posts_for(request.user)})


def media(request, media_id):
    """Serve an attachment only to those who may read its post, with its checked type."""
    item = get_object_or_404(PostMedia.objects.select_related("post"), pk=media_id)
    post = selectors.get_post_for(request.user, item.post_id)
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=item.content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "public, max-age=86400" if post.is_public else "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@condition(etag_func=feeds.etag, last_modified_func=feeds.last_modified)
def rss(request):
    response = HttpResponse(feeds.rendered(request, "rss"), content_type="application/rss+xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


@condition(etag_func=feeds.etag, last_modified_func=feeds.last_modified)
def atom(request):
    response = HttpResponse(feeds.rendered(request, "atom"), content_type="application/atom+xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


@login_required
@require_POST
def follow(request):
    require(request, "channel.follow")
    services.follow_set(account=request.user, following=request.POST.get("follow") == "1")
    return redirect("channel:list")


@login_required
def followers(request):
    require(request, "channel.write")
    counts = list(FollowerCount.objects.all()[:2000])
    charts = []
    for source, label in FollowerCount.Source.choices:
        series = [c for c in counts if c.source == source][-90:]
        if series:
            bars = [Bar(c.day.strftime("%d.%m"), c.count) for c in series]
            charts.append(
                (
                    label,
                    series[-1],
                    column_histogram(
                        bars,
                        title=_("Followers by day: %(source)s") % {"source": label},
                        desc="; ".join(f"{b.label}: {b.value}" for b in bars),
                    ),
                )
            )
    return render(request, "channel/followers.html", {"charts": charts})
