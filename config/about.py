"""The about page: what the service holds that others made, and under which licence (the goal bank's NLOD attribution)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from curriculum.selectors import bank_size


@require_GET
def about(request: HttpRequest) -> HttpResponse:
    """Anyone, logged in or not: public information only."""
    return render(request, "about.html", {"bank": bank_size()})
