"""The person cases at demo school A (seed 004), told in workflow order through the case services.

The department head `saksoppretter` is the school's case creator: she opens the cases and names the handlers.
The contact teacher of 2STA, `kontaktlaerer`, handles three: a concern about home conditions (open), a school
environment case where the miljøarbeider `miljoarbeider` is co-handler and wrote the observations, one of them
corrected once (open), and an absence case that is closed with a closing note. The counsellor `radgiver`
handles two cases in 1STB: one of a student who moves away in three weeks (the four-week warning), and one of
a student who has already left (overdue for closing). Nobody else is named on a case: not the principal, the
IOP admin, nor 1STB's contact teacher.

The users, their staff memberships, password and second factor come from `demo_data` (they are in its list of
demo logins); this module cannot import `demo` or be imported by it (docs/architecture.md §1), so it finds
school A by its organisation number. Everything is made once: if school A has cases, nothing is done.
"""

from datetime import date, timedelta

from django.utils import translation

from accounts.access import is_case_creator
from accounts.models import School, SchoolYear, Student, User
from accounts.services import case_creator_grant

from . import services
from .models import DEFAULT_CASE_TYPES, Case, CaseType, Event

SCHOOL_A_ORG_NUMBER = "974520133"  # Fjordbyen videregående skole, demo_data's school A
CREATOR, CONTACT, ASSISTANT, COUNSELLOR = "saksoppretter", "kontaktlaerer", "miljoarbeider", "radgiver"
USERNAMES = (CREATOR, CONTACT, ASSISTANT, COUNSELLOR)
COUNSELLOR_GROUP = "1STB"
LEAVES_IN = timedelta(weeks=3)

# Indexes into DEFAULT_CASE_TYPES.
HOME, ENVIRONMENT, OBSERVATION, ABSENCE = 0, 1, 3, 4

C, E = Case.Category, Event.Category
NOTE, INCOMING, OUTGOING = Event.Kind.NOTE, Event.Kind.INCOMING, Event.Kind.OUTGOING


class DemoDataMissing(LookupError):
    """School A or its demo users are not there: `demo_data` has not been run."""


def build_demo_cases(today: date) -> int:
    """Everything, once: the case-creator grant, then the cases. Returns how many cases were made (0 if
    school A already has cases)."""
    school = School.objects.filter(org_number=SCHOOL_A_ORG_NUMBER).first()
    users = {user.username: user for user in User.objects.filter(username__in=USERNAMES)}
    if school is None or len(users) < len(USERNAMES):
        raise DemoDataMissing("School A and its demo users are missing: run `manage.py demo_data` (it runs "
                              "demo_cases at its end).")
    if not is_case_creator(users[CREATOR], school):
        case_creator_grant(school=school, user=users[CREATOR])  # as the principal does on the Tilgang page
    if Case.objects.filter(school=school).exists():
        return 0
    story = Story(school, users, today)
    own = _untouched(Student.objects.filter(school=school, contact_teacher=users[CONTACT], left_on__isnull=True))
    others = _untouched(Student.objects.filter(school=school, group=COUNSELLOR_GROUP, left_on__isnull=True,
                                               leaves_on__isnull=True))
    with_guardians = own.filter(guardianships__isnull=False).distinct()
    home = with_guardians.first() or own.first()
    rest = [student for student in own if student != home]
    story.home_conditions(home)
    story.school_environment(rest[0])
    story.absence_closed(rest[1])
    story.leaving_soon(others[0])
    story.has_left(others[1])
    return Case.objects.filter(school=school).count()


def _untouched(students):
    """Students no other demo story is about (no login, IOP, application, IKO record or document), in a
    fixed order: a person case stays the only thing that is told about them."""
    return students.filter(user__isnull=True, plans__isnull=True, applications__isnull=True,
                           decisions__isnull=True, iko_signals__isnull=True, iko_talks__isnull=True,
                           iko_plans__isnull=True, documents__isnull=True).order_by("last_name", "first_name")


def case_type(school: School, index: int) -> CaseType:
    """One of the school's default case types, whichever language its list was made in."""
    default = DEFAULT_CASE_TYPES[index]
    names = {str(default)}
    for language in ("nb", "en"):
        with translation.override(language):
            names.add(str(default))
    types = [kind for kind in services.case_types_of(school) if kind.name in names and kind.active]
    if types:
        return types[0]
    return services.case_type_add(school=school, name=str(default))


class Story:
    """The school year so far as school days in order: `at(0.5)` is halfway from its first weeks to today."""

    def __init__(self, school: School, users: dict[str, User], today: date):
        self.school, self.today = school, today
        self.creator, self.contact = users[CREATOR], users[CONTACT]
        self.assistant, self.counsellor = users[ASSISTANT], users[COUNSELLOR]
        self.start = SchoolYear.objects.current(today, create=True).starts_on + timedelta(days=16)

    def at(self, fraction: float) -> date:
        """A school day: a Saturday or Sunday becomes the Friday before (the order stays)."""
        span = max((self.today - self.start).days, 10)
        day = min(self.start + timedelta(days=round(span * fraction)), self.today)
        return day - timedelta(days=max(day.weekday() - 4, 0))

    # Helpers

    def open(self, student: Student, index: int, category: str, description: str, handler: User, *,
             registered_by: User, on: date) -> Case:
        """The seed's two steps: the student is registered in the case system, then the case creator opens
        the case and names its handler."""
        services.card_register(student=student, by=registered_by)
        case = services.case_create(student=student, case_type=case_type(self.school, index), category=category,
                                    description=description, handler=handler, by=self.creator)
        Case.objects.filter(pk=case.pk).update(opened_on=on)  # opened on that day of the story
        return case

    def event(self, case: Case, by: User, on: date, category: str, title: str, text: str, kind: str = NOTE):
        return services.event_create(case=case, by=by, category=category, kind=kind, occurred_on=on, title=title,
                                     text=text)

    # The cases

    def home_conditions(self, student: Student) -> Case:
        """Open: the student tells the contact teacher about trouble at home; talks, a message, a meeting."""
        name, teacher = student.first_name, self.contact
        case = self.open(student, HOME, C.CARE, f"{name} har over tid virket sliten og urolig og har fortalt "
                         "kontaktlærer om en vanskelig situasjon hjemme.", teacher, registered_by=teacher,
                         on=self.at(0.45))
        self.event(case, teacher, self.at(0.45), E.CONVERSATION, "Samtale med eleven",
                   f"{name} tok selv kontakt etter norsktimen. Forteller at det har vært mye krangling hjemme "
                   "de siste ukene, og at søvnen er dårlig. Ønsker ikke at skolen ringer hjem nå, men vil gjerne "
                   "ha en fast voksen å snakke med. Informert om helsesykepleier, og om at skolen må melde fra "
                   "til barnevernstjenesten dersom det er grunn til bekymring for omsorgen. Ny samtale om en uke.")
        self.event(case, teacher, self.at(0.52), E.CONVERSATION, "Oppfølgingssamtale",
                   f"{name} sier det har vært litt roligere hjemme. Vi ble enige om at kontaktlærer inviterer "
                   f"de foresatte til en samtale om skolesituasjonen; {name} var med og formulerte meldingen.")
        self.event(case, teacher, self.at(0.53), E.GUARDIANS, "Melding til foresatte",
                   f"Hei! Vi ønsker å invitere dere til en samtale om hvordan {name} har det på skolen. Passer "
                   f"det torsdag kl. 14.00 her på skolen? Vennlig hilsen {teacher.get_full_name()}, "
                   "kontaktlærer 2STA.", kind=OUTGOING)
        self.event(case, teacher, self.at(0.6), E.MEETING, "Møte med foresatte og eleven",
                   f"Til stede: {name}, én av de foresatte og kontaktlærer. Foresatte bekrefter at familien har "
                   "en krevende periode og har selv tatt kontakt med familievernkontoret. Avtalt: ukentlige "
                   f"samtaler mellom {name} og kontaktlærer ut semesteret, tilbud om time hos helsesykepleier, "
                   "nytt møte før jul. Etter en samlet vurdering er det ikke grunnlag for melding til "
                   "barnevernstjenesten nå; det vurderes på nytt i neste møte.")
        return case

    def school_environment(self, student: Student) -> Case:
        """Open: the student says they are not safe at school; the miljøarbeider is named co-handler and
        observes the breaks; one observation is corrected (both versions stay)."""
        name, teacher, assistant = student.first_name, self.contact, self.assistant
        case = self.open(student, ENVIRONMENT, C.SCHOOL_ENVIRONMENT, f"{name} sier fra om at skolehverdagen "
                         "ikke er trygg og god, særlig i friminuttene (aktivitetsplikten, opplæringsloven "
                         "kapittel 12).", teacher, registered_by=teacher, on=self.at(0.48))
        self.event(case, teacher, self.at(0.48), E.CONVERSATION, "Elevsamtale: eleven sier fra",
                   f"{name} forteller at noen i klassen har kommet med stygge kommentarer i storefri og i en "
                   f"gruppechat de siste ukene, og gruer seg til friminuttene. Kontaktlærer forklarte hva "
                   f"skolen nå skal gjøre, og at {name} skal bli hørt om tiltakene. Avtalt at miljøarbeider "
                   "observerer i storefri den kommende uken.")
        # The handler names the miljøarbeider co-handler, so she can write her observations in the case.
        services.co_handler_add(case=case, user=assistant, by=teacher)
        observation = self.event(case, assistant, self.at(0.52), E.OBSERVATION, "Observasjon i storefri",
                                 f"Observerte kantina og skolegården i storefri mandag og onsdag. Mandag satt "
                                 f"{name} alene; to elever fra klassen gikk forbi og kom med en kommentar som fikk "
                                 f"de rundt til å le, og {name} gikk. Onsdag var {name} sammen med en elev fra "
                                 "1STB hele friminuttet; ingen episoder.")
        services.event_correct(event=observation, by=assistant, based_on=1, category=E.OBSERVATION, kind=NOTE,
                               occurred_on=self.at(0.52), title="Observasjon i storefri",
                               text=f"Observerte kantina og skolegården i storefri mandag og tirsdag. Mandag satt "
                                    f"{name} alene; to elever fra klassen gikk forbi og kom med en kommentar om "
                                    f"klærne til {name} som fikk de rundt til å le, og {name} gikk. Tirsdag var "
                                    f"{name} sammen med en elev fra 1STB hele friminuttet; ingen episoder. "
                                    "(Rettet: den andre observasjonen var tirsdag, ikke onsdag; lagt til hva "
                                    "kommentaren gjaldt.)")
        self.event(case, teacher, self.at(0.58), E.MEETING, "Aktivitetsplan",
                   f"Skriftlig aktivitetsplan laget etter samtale med {name}: miljøarbeider er ute i storefri i "
                   "tre uker, kontaktlærer har samtaler med de involverte elevene, og klassen lager regler for "
                   f"gruppechatten sammen. Foresatte er informert. Evaluering med {name} om tre uker.")
        self.event(case, assistant, self.at(0.8), E.OBSERVATION, "Observasjon etter tre uker",
                   f"De siste tre ukene har {name} vært sammen med to medelever i storefri. Ingen kommentarer "
                   f"observert. {name} sier selv at det er bedre, men ønsker at tiltakene fortsetter litt til.")
        return case

    def absence_closed(self, student: Student) -> Case:
        """Closed: high absence in September, the cause followed up, back to normal, closed with a note."""
        name, teacher = student.first_name, self.contact
        case = self.open(student, ABSENCE, C.ABSENCE, f"Høyt fravær hos {name} i september: årsaker og tiltak "
                         "kartlegges sammen med eleven og foresatte.", teacher, registered_by=teacher,
                         on=self.at(0.15))
        self.event(case, teacher, self.at(0.15), E.CONVERSATION, "Samtale om fraværet",
                   f"{name} har mye fravær de første ukene, mest første time. Forteller om hodepine og at det er "
                   f"vanskelig å komme i gang om morgenen. Avtalt at {name} bestiller time hos fastlegen.")
        self.event(case, teacher, self.at(0.17), E.GUARDIANS, "Brev til foresatte om fravær",
                   "Brev sendt til foresatte med oversikt over fraværet, informasjon om reglene for fravær i "
                   "videregående skole og invitasjon til et møte.", kind=OUTGOING)
        self.event(case, teacher, self.at(0.25), E.MEETING, "Møte med eleven og foresatte",
                   f"Fastlegen har funnet årsaken til hodepinen, og behandling er i gang. Avtalt: {name} gir "
                   "beskjed til kontaktlærer ved fravær, og faglærerne legger til rette for å ta igjen to prøver.")
        self.event(case, teacher, self.at(0.4), E.CONVERSATION, "Oppfølgingssamtale",
                   f"Nesten ikke fravær de siste fire ukene. {name} sier at det går mye bedre, og at prøvene er "
                   "tatt igjen.")
        services.case_close(case=case, by=teacher, note=(
            "Fraværet er tilbake på et vanlig nivå, og årsaken er fulgt opp av fastlegen. Eleven og foresatte "
            "er enige i at saken avsluttes. Ny sak opprettes hvis fraværet øker igjen."))
        Case.objects.filter(pk=case.pk).update(closed_on=self.at(0.42))
        return case

    def leaving_soon(self, student: Student) -> Case:
        """Open: an observation over time; the family moves away in three weeks, so the case is to be closed
        before then (the four-week warning)."""
        name, counsellor = student.first_name, self.counsellor
        leaves_on = self.today + LEAVES_IN
        case = self.open(student, OBSERVATION, C.LEARNING, f"Observasjon over tid av konsentrasjon og arbeidsro "
                         f"i timene, etter ønske fra {name} og foresatte.", counsellor, registered_by=self.creator,
                         on=self.at(0.35))
        self.event(case, counsellor, self.at(0.35), E.MEETING, "Oppstartsmøte med eleven og foresatte",
                   f"Foresatte og {name} ønsker at skolen ser nærmere på hvorfor det er vanskelig å holde "
                   "konsentrasjonen gjennom lange økter. Avtalt observasjon i matematikk og naturfag over fire "
                   f"uker, og samtale med {name} hver fjortende dag.")
        self.event(case, counsellor, self.at(0.55), E.CONVERSATION, "Samtale med eleven",
                   f"{name} synes korte pauser hjelper, og sitter best foran i klasserommet. Faglærerne har prøvd "
                   "dette de siste to ukene, og det fungerer.")
        self.event(case, counsellor, self.at(0.85), E.GUARDIANS, "Melding fra foresatte om flytting",
                   f"Foresatte skriver at familien flytter til Tromsø. Siste skoledag for {name} "
                   f"her er {leaves_on:%d.%m.%Y}. Rådgiver avtaler et avslutningsmøte før den datoen.",
                   kind=INCOMING)
        Student.objects.filter(pk=student.pk).update(leaves_on=leaves_on)  # as the roster import sets it
        return case

    def has_left(self, student: Student) -> Case:
        """Open although the student has left: the creator's list shows it overdue for closing."""
        name, counsellor = student.first_name, self.counsellor
        left_on = min(self.at(0.9), self.today - timedelta(days=1))
        case = self.open(student, ABSENCE, C.ABSENCE, f"Økende fravær og tanker om å slutte; veiledning om "
                         f"valg for {name}.", counsellor, registered_by=self.creator, on=self.at(0.3))
        self.event(case, counsellor, self.at(0.3), E.CONVERSATION, "Samtale om fravær og motivasjon",
                   f"{name} mener studiespesialisering ikke er riktig valg, og tenker på å bytte til yrkesfag "
                   "eller begynne å jobbe. Rådgiver gikk gjennom mulighetene: bytte av utdanningsprogram, "
                   "læreplass senere, og hjelp fra oppfølgingstjenesten.")
        self.event(case, counsellor, self.at(0.5), E.MEETING, "Møte med eleven og foresatte",
                   f"Avtalt at {name} hospiterer to dager på elektro og datateknologi ved en annen skole før "
                   "endelig valg tas.")
        self.event(case, counsellor, self.at(0.7), E.AGENCY, "Melding til oppfølgingstjenesten",
                   f"Med samtykke fra {name} og foresatte er oppfølgingstjenesten (OT) informert om at {name} "
                   "vurderer å slutte, slik at de kan ta kontakt.", kind=OUTGOING)
        Student.objects.filter(pk=student.pk).update(left_on=left_on)  # as the roster import marks it
        return case
