from django.conf import settings


def homeward(request):
    return {
        "HOMEWARD_NAME": settings.HOMEWARD_NAME,
        "HTMX_FILE": "vendor/htmx-2.0.11.min.js",
        "K": settings.K_ANONYMITY,
    }
