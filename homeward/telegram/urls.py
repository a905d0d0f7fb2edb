from django.urls import path

from homeward.telegram import views

app_name = "telegram"
urlpatterns = [
    path("", views.settings_page, name="settings"),
]
