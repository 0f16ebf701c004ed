"""Access requests for the tests: registered through the service, items and a released package made directly
when a test is about access and not about collecting or building."""

import hashlib
import json

from django.core.files.base import ContentFile
from django.utils import timezone

from applications.models import Authority
from records import services
from records.models import AccessRequest, RecordsOfficer, ReleasePackage, RequestItem

from ..factories import UserFactory, blank_pdf, request_as


def make_authority(school, kind=Authority.Kind.COUNTY) -> Authority:
    """The authority that owns `school` (its name is the school's owner_name)."""
    return Authority.objects.get_or_create(name=school.owner_name, defaults={"kind": kind})[0]


def make_officer(username, authority) -> "UserFactory":
    user = UserFactory(username=username)
    RecordsOfficer.objects.create(authority=authority, user=user)
    return user


def make_request(student, by, **fields) -> AccessRequest:
    """A request registered by `by` through records.services.request_register (a guardian asks, by default)."""
    values = {"requester_kind": AccessRequest.Requester.GUARDIAN, "requester_name": "Frida Hansen",
              "requester_user": None, "relation": "", "asked_for": "Alt dere har om barnet mitt.",
              "received_on": timezone.localdate()}
    values.update(fields)
    values.setdefault("request", request_as(by, "post"))
    return services.request_register(student=student, by=by, **values)


def add_item(access_request, key="document:999999", *, kind="document", title="Sakkyndig vurdering",
             whole_file=False, **fields) -> RequestItem:
    """A checklist item made directly (access tests do not need records.collect)."""
    position = access_request.items.count()
    return RequestItem.objects.create(request=access_request, key=key, kind=kind, title=title,
                                      whole_file=whole_file, position=position, **fields)


def release_directly(access_request, by) -> ReleasePackage:
    """Mark the request answered with a package of a blank PDF (access tests do not need records.package)."""
    pdf = blank_pdf()
    package = ReleasePackage(request=access_request, sha256=hashlib.sha256(pdf).hexdigest())
    package.pdf.save("package.pdf", ContentFile(pdf), save=False)
    package.data.save("package.json", ContentFile(json.dumps({"items": []}).encode()), save=False)
    package.save()
    access_request.status = AccessRequest.Status.RELEASED
    access_request.released_on, access_request.released_by = timezone.localdate(), by
    access_request.save(update_fields=["status", "released_on", "released_by"])
    return package
