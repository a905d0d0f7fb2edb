from django.urls import path

from homeward.questions import views

app_name = "questions"
urlpatterns = [
    path("", views.campaign_list, name="campaigns"),
    path("new/", views.campaign_new, name="new"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/ask/", views.ask, name="ask"),
    path("<int:pk>/ledger/", views.ledger, name="ledger"),
    path("<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("<int:pk>/moderate/", views.moderate, name="moderate"),
    path("<int:pk>/merge/", views.merge, name="merge"),
    path("<int:pk>/recluster/", views.recluster, name="recluster"),
    path("<int:pk>/export.csv", views.export_csv, name="export_csv"),
    path("<int:pk>/export.pdf", views.export_pdf, name="export_pdf"),
    path("groups/<int:pk>/", views.cluster_detail, name="cluster"),
    path("groups/<int:pk>/edit/", views.cluster_edit, name="cluster_edit"),
    path("groups/<int:pk>/outcome/", views.cluster_outcome, name="cluster_outcome"),
    path("q/<int:pk>/vote/", views.vote, name="vote"),
    path("q/<int:pk>/unvote/", views.unvote, name="unvote"),
    path("q/<int:pk>/video/", views.video, name="video"),
    path("q/<int:pk>/approve/", views.approve, name="approve"),
    path("q/<int:pk>/reject/", views.reject, name="reject"),
    path("q/<int:pk>/split/", views.split, name="split"),
]
