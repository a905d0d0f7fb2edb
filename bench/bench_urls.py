from django.http import HttpResponse
from django.urls import path

from homeward.urls import urlpatterns as homeward_urlpatterns


def bare(request):
    """The ceiling: Django's full middleware stack answering a fixed string."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *homeward_urlpatterns]
