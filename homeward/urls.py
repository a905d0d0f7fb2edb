from django.contrib import admin
from django.urls import include, path

from homeward import views

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("homeward.accounts.urls")),
    path("", include("homeward.chapters.urls")),
    path("audit/", include("homeward.audit.urls")),
    path("admin/", admin.site.urls),
]
