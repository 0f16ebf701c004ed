"""Records duties in the demo (issue 16): a records officer per authority, and three access requests told in
workflow order through the records services.

Every school's owner (`School.owner_name`) gets its `applications.Authority` (the application demo already
made Vestland fylkeskommune's and Bergen kommune's; the imported school D brings Bjørnafjorden kommune) and a
records officer: `arkiv` for Vestland fylkeskommune (schools A and C), `arkiv2` for Bergen kommune (school B),
`arkiv3` for Bjørnafjorden kommune (school D). An officer is on no school's staff.

At school A, `arkiv` answers two requests. Emma's guardian `forelder` asked for everything about Emma five weeks
ago; the contact teacher `laerer` registered it; the officer collected Emma's records, released most, withheld
one uploaded document (it holds other students' results) and struck a passage in the IOP's part 1, and
released the answer two weeks ago: `forelder` downloads the package. The adult student `elev` asked for his own
records ten days ago; the IOP admin `iop` registered it; it is in review, some records decided and some not.
At school B, `iop2` registered a lawyer's request three days ago; it waits for `arkiv2` to collect it.

Retention at school A: Sindre Aasen left four years ago; the IKO records from his first year (a signal on
absence, a start-up talk, a follow-up plan) are past their three years, and the nightly check has put them on
Vestland fylkeskommune's destruction list, where they await `arkiv`'s approval. Ingrid Moe left six years ago:
her IOP is past its five years and she is listed as due for hand-over to the archive.

The users, their password and second factor come from `demo_data` (they are in its list of demo logins); this
module cannot import `demo` or be imported by it (docs/architecture.md §1), so it finds the schools by their
organisation numbers. Everything is made once: if school A or B has access requests, no request is made.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import School, SchoolYear, Student, User
from applications.models import Authority
from followup.models import Plan as IkoPlan
from followup.models import Signal, Talk
from iop.models import Plan

from . import collect, services
from .access import authority_of
from .models import AccessRequest, RecordsOfficer, RequestItem

SCHOOL_A_ORG_NUMBER = "974520133"  # Fjordbyen videregående skole (Vestland fylkeskommune), demo_data's school A
SCHOOL_B_ORG_NUMBER = "993120553"  # Lia ungdomsskole (Bergen kommune), demo_data's school B
OFFICER_A, OFFICER_B, OFFICER_D = "arkiv", "arkiv2", "arkiv3"
GUARDIAN, ADULT_STUDENT, TEACHER, ADMIN_A, ADMIN_B = "forelder", "elev", "laerer", "iop", "iop2"
USERNAMES = (OFFICER_A, OFFICER_B, OFFICER_D, GUARDIAN, ADULT_STUDENT, TEACHER, ADMIN_A, ADMIN_B)
# The officer of each school's owner, by the owner's name; any other owner gets no officer.
OFFICERS = {"Vestland fylkeskommune": OFFICER_A, "Bergen kommune": OFFICER_B, "Bjørnafjorden kommune": OFFICER_D}
OWNER_KINDS = {School.OwnerKind.COUNTY: Authority.Kind.COUNTY,
               School.OwnerKind.MUNICIPALITY: Authority.Kind.MUNICIPALITY}

# The released answer: what the reviewer withheld and struck out in Emma's records.
WITHHELD_DOCUMENT = "Pedagogisk kartlegging – lesing og skriving"
STRUCK_PASSAGE = "og har gode venner i klassen"  # in the IOP's part 1, the school's social mapping

R, G = AccessRequest.Requester, RequestItem.Decision
B = RequestItem.LegalBasis


class DemoDataMissing(LookupError):
    """Schools A and B or the demo users are not there: `demo_data` has not been run."""


def build_demo_records(today: date) -> int:
    """Everything, once: the authorities and their officers, then the requests. Returns how many requests were
    made (0 if schools A and B already have requests)."""
    school_a = School.objects.filter(org_number=SCHOOL_A_ORG_NUMBER).first()
    school_b = School.objects.filter(org_number=SCHOOL_B_ORG_NUMBER).first()
    users = {user.username: user for user in User.objects.filter(username__in=USERNAMES)}
    if school_a is None or school_b is None or len(users) < len(USERNAMES):
        raise DemoDataMissing("Schools A and B and their demo users are missing: run `manage.py demo_data` (it runs "
                              "demo_records at its end).")
    officers_granted()
    if AccessRequest.objects.filter(student__school__in=(school_a, school_b)).exists():
        return 0
    story = Story(users, today)
    story.guardian_released(Student.objects.get(school=school_a, user__username="emma"))
    story.student_in_review(Student.objects.get(school=school_a, user=users[ADULT_STUDENT]))
    story.lawyer_registered(_school_b_student(school_b))
    retention_story(school_a, users, today)
    return AccessRequest.objects.filter(student__school__in=(school_a, school_b)).count()


def officers_granted() -> None:
    """An Authority for every school owner (by its exact name), and its records officer, as a system
    administrator gives the grant in the Django admin."""
    users = {user.username: user for user in User.objects.filter(username__in=OFFICERS.values())}
    for name, kind in School.objects.order_by("owner_name").values_list("owner_name", "owner_kind").distinct():
        if not name:
            continue
        authority = Authority.objects.filter(name=name).first() or Authority.objects.create(
            name=name, kind=OWNER_KINDS.get(kind, Authority.Kind.MUNICIPALITY))
        officer = users.get(OFFICERS.get(name, ""))
        if officer and not RecordsOfficer.objects.filter(authority=authority, user=officer).exists():
            services.officer_grant(authority=authority, user=officer)


def _school_b_student(school: School) -> Student:
    """A student at school B with an application for special education (what a lawyer would ask about), in a
    fixed order; any student if none has one."""
    students = Student.objects.filter(school=school, left_on__isnull=True).order_by("last_name", "first_name", "pk")
    return students.filter(applications__isnull=False).distinct().first() or students.first()


def _section_of(record: collect.Record, passage: str) -> int:
    return next(index for index, section in enumerate(record.sections) if passage in section.text)


class Story:
    """The requests in workflow order: received, registered, collected, reviewed, released."""

    def __init__(self, users: dict[str, User], today: date):
        self.users, self.today = users, today

    def day(self, days_ago: int) -> date:
        return self.today - timedelta(days=days_ago)

    def moment(self, days_ago: int, hour: int) -> datetime:
        return timezone.make_aware(datetime.combine(self.day(days_ago), time(hour)))

    def register(self, student: Student, kind: str, name: str, requester: User | None, relation: str,
                 asked_for: str, *, by: User, days_ago: int) -> AccessRequest:
        return services.request_register(student=student, requester_kind=kind, requester_name=name,
                                         requester_user=requester, relation=relation, asked_for=asked_for,
                                         received_on=self.day(days_ago), by=by)

    def review(self, access_request: AccessRequest, key_prefix: str, decision: str, *, by: User,
               basis: str = "", reason: str = "", strikes: list | None = None, title: str = "") -> None:
        items = access_request.items.filter(key__startswith=key_prefix, decision=G.PENDING)
        if title:
            items = items.filter(title=title)
        for item in items:
            services.item_review(item=item, by=by, decision=decision, legal_basis=basis, reason=reason,
                                 strikes=strikes or [])

    # The requests

    def guardian_released(self, emma: Student) -> AccessRequest:
        """Answered: the guardian asked for the whole file; most released, one document withheld, a passage in
        the IOP struck out; the answer released two weeks ago, in the app for the guardian."""
        guardian, officer = self.users[GUARDIAN], self.users[OFFICER_A]
        access_request = self.register(
            emma, R.GUARDIAN, guardian.get_full_name(), guardian, "Mor",
            f"Alt skolen har registrert om {emma.first_name}, med en oversikt over hva det er. Levert "
            f"kontaktlærer etter foreldremøtet.", by=self.users[TEACHER], days_ago=35)
        services.request_collect(access_request=access_request, by=officer)
        iop = next(r for r in collect.records_of(emma) if r.kind == "iop")
        strike = {"section": _section_of(iop, STRUCK_PASSAGE), "passage": STRUCK_PASSAGE}
        self.review(access_request, "iop:", G.STRIKE, by=officer, basis=B.CONFIDENTIALITY, strikes=[strike],
                    reason="Passasjen bygger på opplysninger om andre elever i klassen.")
        self.review(access_request, "document:", G.WITHHOLD, by=officer, basis=B.OTHERS, title=WITHHELD_DOCUMENT,
                    reason="Kartleggingen ble gjort i gruppe og viser resultatene til andre elever.")
        self.review(access_request, "", G.RELEASE, by=officer)  # everything else
        services.request_release(access_request=access_request, by=officer)
        released_on = self.day(14)
        AccessRequest.objects.filter(pk=access_request.pk).update(released_on=released_on)  # released that day
        access_request.items.update(reviewed_at=self.moment(15, 10))
        return access_request

    def student_in_review(self, student: Student) -> AccessRequest:
        """In review: the adult student asked for his own records; the officer has decided on some."""
        officer = self.users[OFFICER_A]
        access_request = self.register(
            student, R.STUDENT, student.full_name, self.users[ADULT_STUDENT], "",
            "Kopi av det skolen har om meg: søknaden om spesialundervisning, sakkyndig vurdering og hvem som "
            "har sett opplysningene.", by=self.users[ADMIN_A], days_ago=10)
        services.request_collect(access_request=access_request, by=officer)
        self.review(access_request, "application", G.RELEASE, by=officer)
        access_request.items.exclude(decision=G.PENDING).update(reviewed_at=self.moment(7, 13))
        return access_request

    def lawyer_registered(self, student: Student) -> AccessRequest:
        """Registered, not yet collected: a lawyer for the family asks for the special-education records."""
        return self.register(
            student, R.OTHER, "Advokat Hanne Lid", None, "Advokat for foreldrene (fullmakt vedlagt)",
            f"Kopi av søknad, vedtak og IOP for {student.full_name}, til bruk i en klage på vedtaket om "
            "spesialundervisning.", by=self.users[ADMIN_B], days_ago=3)


def retention_story(school: School, users: dict[str, User], today: date) -> None:
    """Two former students of school A, told as the roster import and the IKO team left them, then the nightly
    retention check: Sindre's IKO records on the destruction list, Ingrid due for hand-over."""
    left = date(today.year - 4, 6, 20)
    sindre = Student.objects.create(first_name="Sindre", last_name="Aasen", school=school, group="3STB",
                                    birth_date=date(left.year - 19, 3, 14), left_on=left)
    first_year = SchoolYear.objects.get_or_create(start_year=left.year - 3)[0]
    contact = users[TEACHER]
    Signal.objects.create(student=sindre, school_year=first_year, rule=Signal.Rule.ABSENCE,
                          evidence={"absence": "14.2 %"}, found_on=date(first_year.start_year, 10, 15),
                          status=Signal.Status.MAPPING, assessed_by=contact,
                          assessed_on=date(first_year.start_year, 10, 18))
    Talk.objects.create(student=sindre, school_year=first_year, kind=Talk.Kind.STARTUP, held_by=contact,
                        held_on=date(first_year.start_year, 10, 22), participants="Sindre, kontaktlærer",
                        causes=[Talk.Cause.MOTIVATION], student_view="Sindre sier at han sover for lite.",
                        wishes="Faste avtaler om oppmøte.")
    IkoPlan.objects.create(student=sindre, school_year=first_year, created_by=contact,
                           created_at=timezone.make_aware(datetime(first_year.start_year, 11, 2, 10)))
    ingrid_left = date(today.year - 6, 6, 20)
    ingrid = Student.objects.create(first_name="Ingrid", last_name="Moe", school=school, group="3STA",
                                    birth_date=date(ingrid_left.year - 19, 8, 2), left_on=ingrid_left)
    last_year = SchoolYear.objects.get_or_create(start_year=ingrid_left.year - 1)[0]
    plan = Plan.objects.create(student=ingrid, school_year=last_year,
                               goal_text="Studiekompetanse med tilpasning i matematikk.")
    Plan.objects.filter(pk=plan.pk).update(created_at=timezone.make_aware(datetime(last_year.start_year, 9, 5, 9)))
    services.retention_run(authority=authority_of(sindre), today=today)


def counts() -> dict[str, int]:
    """What the command reports."""
    requests = AccessRequest.objects.all()
    return {"officers": RecordsOfficer.objects.count(), "requests": requests.count(),
            **{status: requests.filter(status=status).count() for status in AccessRequest.Status.values},
            "packages": requests.filter(package__isnull=False).count()}
