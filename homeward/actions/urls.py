from django.urls import path

from homeward.actions import views

app_name = "actions"
urlpatterns = [
    path("", views.action_list, name="list"),
    path("new/", views.action_new, name="new"),
    path("stats/", views.action_stats, name="stats"),
    path("calendar.ics", views.calendar_movement, name="calendar"),
    path("chapter/<slug:slug>/calendar.ics", views.calendar_chapter, name="chapter_calendar"),
    path("actions.json", views.actions_json, name="json"),
    path("<int:pk>/", views.action_detail, name="detail"),
    path("<int:pk>/rsvp/", views.action_rsvp, name="rsvp"),
    path("<int:pk>/check-in/", views.action_check_in, name="check_in"),
    path("<int:pk>/check-out/", views.action_check_out, name="check_out"),
    path("<int:pk>/detained/", views.action_detained, name="detained"),
    path("<int:pk>/manage/", views.action_manage, name="manage"),
    path("<int:pk>/edit/", views.action_edit, name="edit"),
    path("<int:pk>/cancel/", views.action_cancel, name="cancel"),
    path("<int:pk>/notice/", views.action_notice, name="notice"),
    path("<int:pk>/incidents/", views.action_incident, name="incident"),
    path("<int:pk>/incidents/<int:incident_id>/delete/", views.incident_delete, name="incident_delete"),
    path("<int:pk>/ask/", views.action_ask, name="ask"),
]
