from django.contrib import admin
from django.urls import include, path

from homeward import views
from homeward.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("homeward.accounts.urls")),
    path("", include("homeward.chapters.urls")),
    path("settings/telegram/", include("homeward.telegram.urls")),
    path("audit/", include("homeward.audit.urls")),
    path("notices/", include("homeward.notices.urls")),
    path("family/", include("homeward.families.urls")),
    path("stats/", include("homeward.stats.urls")),
    path("channel/", include("homeward.channel.urls")),
    path("actions/", include("homeward.actions.urls")),
    path("appeals/", include("homeward.appeals.urls")),
    path("questions/", include("homeward.questions.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
