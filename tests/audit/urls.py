"""Tiny views that refuse the way the access helpers do, mounted over the project's URLs."""

from django.http import Http404
from django.urls import include, path

from audit.exceptions import AccessForbidden, AccessHidden


def forbidden(request):
    raise AccessForbidden(object_type="document", object_id=7)


def hidden(request):
    raise AccessHidden(object_type="document", object_id=8)


def missing(request):
    raise Http404


urlpatterns = [
    path("test-audit/forbidden/", forbidden),
    path("test-audit/hidden/", hidden),
    path("test-audit/missing/", missing),
    path("", include("config.urls")),
]
