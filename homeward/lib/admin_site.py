"""The Django admin, open only to admins who confirmed their second factor."""

from urllib.parse import quote

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.shortcuts import redirect
from django.urls import reverse

from homeward.lib.permissions import can, second_factor_ok


class HomewardAdminSite(admin.AdminSite):
    site_header = "Homeward"
    site_title = "Homeward"

    def has_permission(self, request):
        return can(request.user, "admin.site") and second_factor_ok(request.user)

    def login(self, request, extra_context=None):
        # One sign-in for the whole platform: ours, with its throttle and second factor.
        next_url = quote(request.GET.get("next") or reverse("admin:index"))
        if request.user.is_authenticated and can(request.user, "admin.site"):
            if request.user.has_totp:
                return redirect(f"{reverse('accounts:login_otp')}?next={next_url}")
            return redirect("accounts:totp_setup")
        return redirect(f"{reverse('accounts:login')}?next={next_url}")


class HomewardAdminConfig(AdminConfig):
    default_site = "homeward.lib.admin_site.HomewardAdminSite"
