"""The Telegram page in a member's settings: link a chat with a one-time code, or unlink it."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from homeward.telegram import services
from homeward.telegram.models import TelegramLink


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request):
    """GET shows the state; POST action=code makes a code, action=unlink unlinks.

    The code is shown in the answer to the POST and nowhere else: it is not kept in
    the session or the database (only its blind index is), so it cannot be shown twice.
    """
    enabled = bool(settings.TELEGRAM_BOT_TOKEN)
    code = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "unlink":
            if services.link_remove(account=request.user):
                messages.success(request, _("Telegram is unlinked. No more notifications will come there."))
            return redirect("telegram:settings")
        if action == "code" and enabled:
            code = services.link_code_create(account=request.user)
        else:
            messages.error(request, _("That did not work. Please try again."))
            status = 400
    link = TelegramLink.objects.filter(account=request.user).only("linked_on").first()
    return render(
        request,
        "telegram/settings.html",
        {
            "enabled": enabled,
            "link": link,
            "code": code,
            "code_minutes": services.CODE_MINUTES,
            "bot_username": getattr(settings, "TELEGRAM_BOT_USERNAME", "").lstrip("@"),
        },
        status=status,
    )
