from django.urls import path

from homeward.chapters import views

app_name = "chapters"
urlpatterns = [
    path("chapters/", views.chapter_list, name="list"),
    path("chapters/<slug:slug>/", views.chapter_detail, name="detail"),
    path("chapters/<slug:slug>/join/", views.chapter_join, name="join"),
    path("chapters/<slug:slug>/leave/", views.chapter_leave, name="leave"),
    path("chapters/<slug:slug>/manage/", views.chapter_manage, name="manage"),
    path("chapters/<slug:slug>/manage/invites/", views.invite_create, name="invite_create"),
    path("chapters/<slug:slug>/manage/invites/<int:invite_id>/revoke/", views.invite_revoke, name="invite_revoke"),
    path("chapters/<slug:slug>/manage/promote/", views.member_promote, name="promote"),
    path("chapters/<slug:slug>/manage/demote/<int:membership_id>/", views.member_demote, name="demote"),
    path("invite/<str:token>/", views.invite_accept, name="invite_accept"),
    path("manage/chapters/", views.admin_chapters, name="admin"),
    path("manage/chapters/coordinators/", views.admin_assign_coordinator, name="admin_assign"),
]
