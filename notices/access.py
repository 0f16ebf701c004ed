"""Who sees which notice: its recipient, and no one else (a system administrator through the Django admin)."""

from django.db.models import QuerySet
from django.http import Http404

from .models import Notice


def notices_of(user) -> QuerySet[Notice]:
    """The user's own notices, newest first."""
    return Notice.objects.filter(user=user)


def get_notice_for(request, pk: int) -> Notice:
    """The request's user's own notice; anyone else's is a 404, as if it did not exist."""
    notice = notices_of(request.user).filter(pk=pk).first()
    if notice is None:
        raise Http404
    return notice
