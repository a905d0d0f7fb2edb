from django.urls import path

from homeward.stats import views

app_name = "stats"
urlpatterns = [
    path("", views.stats_page, name="page"),
    path("stats.json", views.stats_json, name="json"),
    path("stats.csv", views.stats_csv_view, name="csv"),
]
