"""The IKO follow-up plan as a PDF."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest
from django.views.decorators.http import require_GET

from documents.downloads import private_pdf_response

from .. import access, pdfs


@login_required
@require_GET
def plan_pdf(request: HttpRequest, pk: int) -> FileResponse:
    """Whoever reads the plan (team, contact teacher, those responsible; the family once shared): download it."""
    the_plan, _rights = access.get_plan_for(request, pk, event="downloaded")
    return private_pdf_response(pdfs.plan_pdf(the_plan), pdfs.download_title(the_plan))
