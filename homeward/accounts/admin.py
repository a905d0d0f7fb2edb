from django.contrib import admin
from django.contrib.auth.models import Group

from homeward.accounts.models import Account


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    """Handles and flags only: no memberships, nothing about loved ones or actions."""

    list_display = ["handle", "is_admin", "is_active", "joined_on"]
    list_filter = ["is_admin", "is_active"]
    search_fields = ["handle"]
    fields = ["handle", "is_admin", "is_active", "joined_on"]
    readonly_fields = ["handle", "joined_on"]

    def has_add_permission(self, request):
        return False


# Accounts have no groups: one permission module decides (homeward.lib.permissions).
admin.site.unregister(Group)
