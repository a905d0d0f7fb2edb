from django.urls import path

from homeward.channel import views

app_name = "channel"
urlpatterns = [
    path("", views.channel_list, name="list"),
    path("new/", views.post_new, name="new"),
    path("drafts/", views.drafts, name="drafts"),
    path("followers/", views.followers, name="followers"),
    path("follow/", views.follow, name="follow"),
    path("rss.xml", views.rss, name="rss"),
    path("atom.xml", views.atom, name="atom"),
    path("media/<int:media_id>/", views.media, name="media"),
    path("<int:pk>/", views.post_detail, name="post"),
    path("<int:pk>/edit/", views.post_edit, name="edit"),
    path("<int:pk>/publish/", views.post_publish, name="publish"),
    path("<int:pk>/pin/", views.post_pin, name="pin"),
    path("<int:pk>/delete/", views.post_delete, name="delete"),
]
