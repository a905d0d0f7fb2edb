"""The outbox in the admin: states and error codes only, never a payload or a chat."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from homeward.telegram.models import OutboxEntry
from homeward.telegram.services import bridge_enabled


@admin.register(OutboxEntry)
class OutboxEntryAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "post_key", "state", "attempts", "last_error", "created_at", "delivered_at"]
    list_filter = ["state", "kind"]
    fields = ["kind", "post_key", "state", "attempts", "next_attempt_at", "parts_sent", "last_error", "created_at"]
    readonly_fields = fields
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not bridge_enabled():
            messages.warning(
                request,
                _("The Telegram bridge is off: set TELEGRAM_BOT_TOKEN and TELEGRAM_CHANNEL_ID to feed the channel."),
            )
        return super().changelist_view(request, extra_context)

    @admin.action(description=_("Try the failed entries again"), permissions=["view"])
    def retry(self, request, queryset):
        count = queryset.filter(state=OutboxEntry.State.FAILED).update(
            state=OutboxEntry.State.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
        )
        text = ngettext("%(count)s entry will be tried again.", "%(count)s entries will be tried again.", count) % {
            "count": count
        }
        messages.info(request, text)
