"""Which posts an account may read: one query filter, used by every list and feed."""

from django.db.models import Q
from django.http import Http404

from homeward.channel.models import Post, PostStatus, Visibility
from homeward.lib.ids import pk_or_404


def visible_posts(account):
    """Published posts the account may read, pinned first, newest first."""
    posts = Post.objects.filter(status=PostStatus.PUBLISHED)
    if not account.is_authenticated:
        posts = posts.filter(visibility=Visibility.PUBLIC)
    elif not account.is_admin:
        from homeward.chapters.models import Membership

        chapter_ids = list(Membership.objects.filter(account=account).values_list("chapter_id", flat=True))
        allowed = Q(visibility=Visibility.PUBLIC)
        if chapter_ids:
            allowed |= Q(visibility=Visibility.MEMBERS) | Q(visibility=Visibility.CHAPTER, chapter_id__in=chapter_ids)
        posts = posts.filter(allowed)
    return posts.select_related("chapter__region").prefetch_related("media").order_by("-pinned", "-published_at", "-id")


def public_posts():
    return (
        Post.objects.filter(status=PostStatus.PUBLISHED, visibility=Visibility.PUBLIC)
        .prefetch_related("media")
        .order_by("-published_at", "-id")
    )


def unpublished_posts_for(account):
    """Drafts and scheduled posts an account may manage (the rule channel.post.manage, as
    one query: admins all; coordinators all but other chapters' chapter-only posts)."""
    from homeward.chapters.selectors import coordinated_chapters

    posts = Post.objects.exclude(status=PostStatus.PUBLISHED).select_related("chapter__region").order_by("-created_at")
    if not (account.is_authenticated and account.is_active):
        return []
    if not account.is_admin:
        chapters = coordinated_chapters(account)
        if not chapters.exists():
            return []
        posts = posts.filter(~Q(visibility=Visibility.CHAPTER) | Q(chapter__in=chapters))
    return list(posts[:200])


def get_post_for(account, pk) -> Post:
    """A post the account may read, or 404 (existence of others' drafts is not revealed)."""
    from homeward.lib.permissions import can

    try:
        post = Post.objects.select_related("chapter__region").prefetch_related("media").get(pk=pk_or_404(pk))
    except Post.DoesNotExist as exc:
        raise Http404 from exc
    if not can(account, "channel.post.view", post):
        raise Http404
    return post
