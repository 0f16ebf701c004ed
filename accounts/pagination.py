"""One way to page a long list: a school has a thousand students, the access log thousands of events."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 50


@dataclass(frozen=True)
class Paged:
    """A page of a list with links to its neighbours that keep the other query parameters (filters)."""

    page: Page
    previous_url: str | None
    next_url: str | None


def paginate(request: HttpRequest, items, *, key: str = "page", per_page: int = PER_PAGE) -> Paged:
    """The page named by `request.GET[key]`; a bad or too large number gives the nearest page."""
    page = Paginator(items, per_page).get_page(request.GET.get(key))
    return Paged(
        page=page,
        previous_url=_page_url(request, key, page.previous_page_number()) if page.has_previous() else None,
        next_url=_page_url(request, key, page.next_page_number()) if page.has_next() else None,
    )


def _page_url(request: HttpRequest, key: str, number: int) -> str:
    query = request.GET.copy()
    query[key] = number
    return f"?{query.urlencode()}"
