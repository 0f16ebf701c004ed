"""The goal bank's pages: search results for the type-ahead, and the way to Udir's page for a goal."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from .access import require_staff
from .models import current_language
from .selectors import bank_search, goal_by_code


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Staff: the goals matching q (words) in curriculum laereplan, or in the curricula of subject code fag,
    as an HTML fragment (static/js/goal-bank.js shows it under the search form on a part-2 page)."""
    require_staff(request)
    found = bank_search(request.GET, language=current_language(), subject_code=request.GET.get("fag", "")[:40])
    return render(request, "curriculum/_results.html", {"bank": found})


@login_required
@require_GET
def goal_page(request: HttpRequest, code: str) -> HttpResponse:
    """Anyone logged in (the goal rows that show a code are read by the family too): to Udir's page for the goal."""
    goal = goal_by_code(code)
    url = goal.udir_url() if goal else ""
    if not url:
        raise Http404
    return redirect(url)
