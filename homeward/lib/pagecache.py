"""A short per-process cache for public pages seen by visitors without a session.

Only GET/HEAD requests from anonymous visitors who carry no session cookie and no
pending message ("You have signed out.") are served from it, so nothing member-visible
or meant for one person can ever be cached or shared. The key holds the
path, the query, the language and a data version, so a change shows at once.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.utils.cache import patch_cache_control

from homeward.lib.versions import version_recent


def anonymous_cache(version_name: str):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            seconds = settings.ANONYMOUS_CACHE_SECONDS
            cacheable = (
                seconds > 0
                and request.method in {"GET", "HEAD"}
                and not request.user.is_authenticated
                and settings.SESSION_COOKIE_NAME not in request.COOKIES
                # A pending message is rendered into the page: it is hers, not everyone's.
                # len() reads the stored messages without marking them as shown.
                and not len(messages.get_messages(request))
            )
            if not cacheable:
                return view(request, *args, **kwargs)
            key = (
                f"page:{version_name}:{version_recent(version_name)}:{request.LANGUAGE_CODE}:{request.get_full_path()}"
            )
            response = cache.get(key)
            if response is None:
                response = view(request, *args, **kwargs)
                if response.status_code == 200 and not response.cookies and not getattr(response, "streaming", False):
                    response.render() if hasattr(response, "render") else None
                    patch_cache_control(response, public=True, max_age=seconds)
                    cache.set(key, response, seconds)
            return response

        return wrapped

    return decorator
