from django.shortcuts import render

from homeward.channel.selectors import visible_posts
from homeward.chapters import selectors


def home(request):
    return render(
        request,
        "home.html",
        {
            "chapters_count": selectors.chapter_list().count(),
            "my_chapters": selectors.chapters_of(request.user),
            "posts": visible_posts(request.user)[:3],
        },
    )


def csrf_failure(request, reason=""):
    """Our own page, in her language and under our CSP, when a form's CSRF check fails."""
    return render(request, "403_csrf.html", status=403)
