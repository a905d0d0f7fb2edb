from django.conf import settings


def homeward(request):
    from homeward.notices.services import unread_count

    user = getattr(request, "user", None)
    return {
        "unread_notices": unread_count(user) if user is not None else 0,
        "HOMEWARD_NAME": settings.HOMEWARD_NAME,
        "HTMX_FILE": "vendor/htmx-2.0.11.min.js",
        "K": settings.K_ANONYMITY,
    }
