from django.urls import path

from homeward.families import views

app_name = "families"
urlpatterns = [
    path("", views.loved_one_list, name="list"),
    path("add/", views.loved_one_add, name="add"),
    path("<int:pk>/", views.loved_one_detail, name="detail"),
    path("<int:pk>/edit/", views.loved_one_edit, name="edit"),
    path("<int:pk>/status/", views.loved_one_status, name="status"),
    path("<int:pk>/delete/", views.loved_one_delete, name="delete"),
]
