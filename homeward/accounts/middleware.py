import zoneinfo

from django.conf import settings
from django.utils import timezone, translation


class AccountPreferencesMiddleware:
    """Language and time zone: the account's choice, else the language cookie, else Russian.

    Accept-Language is ignored on purpose: Tor Browser always sends en-US, and the
    movement speaks Russian first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = activate_preferences(request)
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def activate_preferences(request) -> str:
    """Activate the request's language and time zone (see the middleware); the language."""
    user = request.user
    if user.is_authenticated:
        language = user.language
        tz_name = user.time_zone
    else:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, settings.LANGUAGE_CODE)
        tz_name = settings.TIME_ZONE
    if language not in _languages():
        language = settings.LANGUAGE_CODE
    translation.activate(language)
    request.LANGUAGE_CODE = language
    try:
        timezone.activate(zoneinfo.ZoneInfo(tz_name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        timezone.deactivate()
    return language


def _languages() -> set[str]:
    return {code for code, _ in settings.LANGUAGES}
