"""Scale data for load benchmarks: a county's worth of made-up schools, people, applications and IOPs.

`generate(...)` fills an empty database with bulk inserts only (no save(), no signals), driven by
one `random.Random(seed)`: the same seed and day give the same names, counts and stages.
Used by `manage.py scale_data`; never on real data (the command refuses when schools exist).

Logins — every generated user has the same password (`--password`, default "scale"):

    s01-principal                 principal of school 1 (schools are numbered from 01)
    s01-admin1, s01-admin2        IOP admins of school 1 (teacher members who teach no class)
    s01-iko                       the IKO team of school 1 (upper secondary schools only; a teacher member)
    s01-teacher1 … s01-teacherN   teachers of school 1 (N ≈ the school's students / 12)
    guardian1 … guardianN         guardians of minor students, numbered in the order of their children
    student1 … studentN           adult students (18+), linked as Student.user

School n is a lower secondary school (all minors, owned by a municipality) when n % 3 == 2, so
schools 2, 5, 8 …; the others are upper secondary schools of Vestland fylkeskommune. Which
teachers, guardians and students see an IOP depends on the seed: `ScaleResult.samples` names a
few per role, and the command prints them.

Approved applications get a real `approved_hash` but no snapshot PDF: their batch PDF
download is refused (the approved PDF is missing), and "download" renders a draft instead.

IKO follow-up (upper secondary schools only, made last so that the rest is the same as without it):
about 10 % of the students have 1–3 signals (rules and concerns, new, dismissed or taken into
mapping, with a small evidence snapshot), about 3 % a follow-up plan with 1–2 measures (responsible:
one of the student's teachers) and a mapping talk; each school has the year's eight IKO meetings and
a few resources. No grade or absence rows: the student's IKO page shows empty charts.
"""

import itertools
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.utils import timezone

from accounts.access import IKO_TEAM_PERMISSION, IOP_ADMIN_PERMISSION
from accounts.models import (
    Enrollment,
    Guardianship,
    School,
    SchoolUserObjectPermission,
    SchoolYear,
    StaffMembership,
    Student,
    Subject,
    User,
    years_before,
)
from applications.models import Application, ApplicationSubject, Authority, DecidedSubject, Decision, SchoolBatch

from followup import models as iko
from iop.models import AnnexRow, Goal, LogEntry, Plan, PlanSubject

from .names import BOYS, GIRLS, LAST_NAMES, MEN, WOMEN

BATCH_SIZE = 5000
STUDENTS_PER_TEACHER = 12
MIN_TEACHERS_PER_SCHOOL = 4
ADMINS_PER_SCHOOL = 2
CLASS_SIZE = 28
CO_TEACHER_SHARE = 0.25
TWO_GUARDIANS_SHARE = 0.55
OLDER_STUDENT_SHARE = 0.10  # upper secondary students one to three years older than their class
APPLICATION_SHARE = 0.10
PLAN_SHARE = 0.10
SENT_IN_BATCH_SHARE = 0.8
COUNTY = "Vestland fylkeskommune"

S = Application.Status
APPLICATION_STATUS_WEIGHTS = {
    S.REGISTERED: 15, S.AWAITING_APPROVAL: 15, S.APPROVED: 15, S.UNDER_PROCESSING: 15, S.GRANTED: 30, S.REJECTED: 10,
}
APPROVED_OR_LATER = {S.APPROVED, S.UNDER_PROCESSING, S.GRANTED, S.REJECTED}
SENT = {S.UNDER_PROCESSING, S.GRANTED, S.REJECTED}
STAGE_WEIGHTS = {1: 10, 2: 15, 3: 30, 4: 25, 5: 20}

# IKO follow-up, of the upper secondary students
IKO_SIGNAL_SHARE = 0.10
IKO_PLAN_SHARE = 0.03  # these students are among those with signals
R = iko.Signal.Rule
IKO_RULE_WEIGHTS = {
    R.FIRST_CHOICE_AVERAGE: 5, R.LOWER_CHOICE_AVERAGE: 3, R.CORE_GRADE: 20, R.ABSENCE: 30, R.LOW_GRADE: 10,
    R.ABSENCE_TREND: 10, R.GRADE_TREND: 10, R.WELLBEING: 5, R.CAREER: 2, R.BASIC_SKILLS: 3, R.OTHER: 2,
}
VG1_RULES = {R.FIRST_CHOICE_AVERAGE, R.LOWER_CHOICE_AVERAGE, R.CORE_GRADE}
IKO_SIGNAL_STATUS_WEIGHTS = {iko.Signal.Status.NEW: 60, iko.Signal.Status.DISMISSED: 20, iko.Signal.Status.MAPPING: 20}
IKO_PLAN_STATUS_WEIGHTS = {iko.Plan.Status.DRAFT: 20, iko.Plan.Status.ACTIVE: 60, iko.Plan.Status.EVALUATED: 20}

IKO_CONCERNS = (
    "Eleven virker umotivert og har trukket seg unna klassen de siste ukene.",
    "Eleven sier at utdanningsprogrammet var feil valg og vil slutte.",
    "Eleven strever med å lese fagtekster og leverer sjelden skriftlig arbeid.",
    "Eleven har mye hodepine og går ofte hjem tidlig.",
)
IKO_DISMISS_REASONS = (
    "Fraværet er dokumentert sykdom, avklart med foresatte.",
    "Karakteren gjelder en enkelt prøve; eleven følges opp i faget.",
    "Allerede fulgt opp av kontaktlærer.",
)
IKO_STUDENT_VIEWS = (
    "Eleven sier det er vanskelig å komme i gang om morgenen.",
    "Eleven opplever at matematikk går for fort.",
    "Eleven trives ikke i klassen og ønsker å bytte gruppe.",
)
IKO_MEASURES = (  # (challenge, approach, extent)
    ("absence", "Ukentlig fraværssamtale med kontaktlærer og fast oppmøteavtale.", "15 minutter per uke"),
    ("academic", "Ekstra undervisning i liten gruppe i faget med lav karakter.", "2 timer per uke"),
    ("wellbeing", "Faste samtaler med helsesykepleier.", "Annenhver uke"),
    ("career", "Samtaler med rådgiver om utdanningsvalg og hospitering.", "3 samtaler"),
    ("other", "Tilpasset arbeidsplan med delfrister.", "Ut semesteret"),
)
IKO_NOTES = (
    "Møtt til alle avtaler denne uken.",
    "God innsats; levert to av tre oppgaver.",
    "Fravær to dager, tatt opp med eleven.",
)
IKO_RESOURCES = (
    ("LØFT-midler", "Til ekstra undervisning i fellesfag, ut skoleåret."),
    ("Ekstra timer i matematikk", "To timer i uka, tirsdag og torsdag."),
    ("Lærings- og hjelpemidler", "PC med opplesingsverktøy; spør rådgiver."),
)

# --- Names --------------------------------------------------------------------

PLACES = (  # (place, municipality) in Vestland
    ("Årstad", "Bergen"), ("Laksevåg", "Bergen"), ("Fana", "Bergen"), ("Åsane", "Bergen"), ("Arna", "Bergen"),
    ("Askøy", "Askøy"), ("Os", "Bjørnafjorden"), ("Voss", "Voss"), ("Sogndal", "Sogndal"), ("Førde", "Sunnfjord"),
    ("Stord", "Stord"), ("Odda", "Ullensvang"), ("Nordfjordeid", "Stad"), ("Florø", "Kinn"), ("Knarvik", "Alver"),
    ("Austrheim", "Austrheim"), ("Fitjar", "Fitjar"), ("Bømlo", "Bømlo"), ("Rosendal", "Kvinnherad"),
    ("Sotra", "Øygarden"), ("Norheimsund", "Kvam"), ("Dale", "Vaksdal"), ("Årdalstangen", "Årdal"),
    ("Lærdal", "Lærdal"), ("Høyanger", "Høyanger"), ("Måløy", "Kinn"), ("Stryn", "Stryn"), ("Sandane", "Gloppen"),
    ("Dale i Sunnfjord", "Fjaler"), ("Etne", "Etne"), ("Austevoll", "Austevoll"), ("Tysnes", "Tysnes"),
)

# --- Subjects and what each level takes -----------------------------------------
# Each slot is one enrollment; a slot with several codes is a choice (the student takes one).

SUBJECTS = {  # code: (name, goal area)
    "MAT1019": ("Matematikk 1P", "MAT"), "MAT1021": ("Matematikk 1T", "MAT"), "MAT1023": ("Matematikk 2P", "MAT"),
    "REA3056": ("Matematikk R1", "MAT"), "REA3058": ("Matematikk R2", "MAT"), "REA3060": ("Matematikk S1", "MAT"),
    "NOR1260": ("Norsk Vg1 studieforberedende", "NOR"), "NOR1263": ("Norsk Vg2 studieforberedende", "NOR"),
    "NOR1267": ("Norsk Vg3 studieforberedende", "NOR"), "ENG1007": ("Engelsk", "ENG"),
    "NAT1007": ("Naturfag", "NAT"), "REA3046": ("Kjemi 1", "NAT"), "REA3048": ("Kjemi 2", "NAT"),
    "REA3038": ("Fysikk 1", "NAT"), "REA3040": ("Fysikk 2", "NAT"), "REA3043": ("Biologi 1", "NAT"),
    "REA3045": ("Biologi 2", "NAT"), "SAK1001": ("Samfunnskunnskap", "SAM"), "GEO1003": ("Geografi", "SAM"),
    "HIS1010": ("Historie Vg2", "SAM"), "HIS1011": ("Historie Vg3", "SAM"), "REL1003": ("Religion og etikk", "SAM"),
    "SAM3072": ("Sosiologi og sosialantropologi", "SAM"), "SAM3070": ("Psykologi 1", "SAM"),
    "SAM3071": ("Psykologi 2", "SAM"), "SAM3074": ("Rettslære 1", "SAM"), "SAM3075": ("Rettslære 2", "SAM"),
    "KRO1017": ("Kroppsøving Vg1", "KRO"), "KRO1018": ("Kroppsøving Vg2", "KRO"), "KRO1019": ("Kroppsøving Vg3", "KRO"),
    "FSP6218": ("Spansk I, Vg1", "FSP"), "FSP6219": ("Spansk I, Vg2", "FSP"), "FSP6220": ("Tysk I, Vg1", "FSP"),
    "FSP6221": ("Tysk I, Vg2", "FSP"),
    "NOR0214": ("Norsk hovedmål", "NOR"), "MAT0010": ("Matematikk", "MAT"), "ENG0012": ("Engelsk", "ENG"),
    "NAT0010": ("Naturfag", "NAT"), "SAF0010": ("Samfunnsfag", "SAM"), "KRL0010": ("KRLE", "SAM"),
    "KRO0020": ("Kroppsøving", "KRO"), "KHV0010": ("Kunst og håndverk", "ART"), "MHE0010": ("Mat og helse", "ART"),
    "MUS0010": ("Musikk", "ART"),
}


@dataclass(frozen=True)
class Level:
    name: str  # the group prefix: "1ST" gives 1STA, 1STB …
    age: int  # a student of the level is this age today, or one year older in `older_share` of cases
    slots: tuple[tuple[str, ...], ...]
    older_share: float = 0.0


UPPER_LEVELS = (
    Level("1ST", 15, (("NOR1260",), ("MAT1019", "MAT1021"), ("ENG1007",), ("NAT1007",), ("SAK1001",),
                      ("GEO1003",), ("KRO1017",), ("FSP6218", "FSP6220"))),
    Level("2ST", 16, (("NOR1263",), ("MAT1023", "REA3056"), ("HIS1010",), ("KRO1018",), ("FSP6219", "FSP6221"),
                      ("REA3046", "SAM3072"), ("REA3043", "SAM3070"), ("REA3038", "SAM3074"))),
    # Vg3 students turn 18 during the school year: about half of them already have.
    Level("3ST", 17, (("NOR1267",), ("HIS1011",), ("REL1003",), ("KRO1019",), ("REA3058", "REA3060"),
                      ("REA3048", "SAM3071"), ("REA3045", "SAM3075"), ("REA3040", "SAM3072")), older_share=0.5),
)
LOWER_SLOTS = (("NOR0214",), ("MAT0010",), ("ENG0012",), ("NAT0010",), ("SAF0010",), ("KRL0010",), ("KRO0020",),
               ("KHV0010", "MHE0010", "MUS0010"))
LOWER_LEVELS = tuple(Level(str(grade), grade + 5, LOWER_SLOTS) for grade in (8, 9, 10))

# --- Texts ----------------------------------------------------------------------

ASSESSMENTS = (
    "{first} har spesifikke lese- og skrivevansker og får ikke tilfredsstillende utbytte av den ordinære opplæringen.",
    "{first} har vansker med tallforståelse og regning og trenger opplæring i liten gruppe.",
    "{first} har konsentrasjonsvansker og trenger tett oppfølging og tilpasset arbeidsmengde.",
    "{first} har en språkvanske som gjør det krevende å følge undervisningen i teoretiske fag.",
    "{first} har generelle lærevansker og trenger mål tilpasset eget nivå i flere fag.",
)
STUDENT_GOALS = (
    "Grunnkompetanse, med mål om å fullføre fellesfagene på tilpasset nivå.",
    "Studiekompetanse, med ekstra støtte i fagene med spesialundervisning.",
    "Grunnkompetanse med sikte på lærekandidatordning.",
    "Bestå fagene med tilpasset opplæring og forberede overgang til videre skolegang.",
)
OTHER_INFORMATION = (
    "Eleven og foresatte er orientert og ønsker at søknaden sendes.",
    "Eleven har hatt IOP tidligere skoleår; behovet er uendret.",
    "",
)
EXTENTS = ("1 time per uke", "2 timer per uke", "3 timer per uke", "4 timer per uke")
ORGANISATIONS = (
    "I liten gruppe med faglærer", "Med tolærer i klassen", "Enetimer med spesialpedagog",
    "Delvis i liten gruppe, delvis i klassen",
)
GOALS = {  # area: (competence goal, learning goal, content)
    "MAT": (
        ("Utforske og beskrive strukturer og mønstre i tall.", "Kjenne igjen og fortsette enkle tallmønstre.",
         "Konkreter, tallinje og spill i liten gruppe."),
        ("Regne med brøk, desimaltall og prosent i praktiske situasjoner.", "Regne ut rabatt og pris i butikk.",
         "Praktiske oppgaver med kvitteringer og reklame."),
        ("Bruke måleenheter og regne om mellom dem.", "Måle og regne om lengde og volum i kjøkkenet.",
         "Matlaging og måling i praksis."),
        ("Lage og tolke enkle diagrammer.", "Lese av søylediagram og linjediagram.", "Egne undersøkelser i klassen."),
        ("Løse enkle likninger.", "Finne ukjent tall i en likning med én operasjon.", "Vektmodell og konkreter."),
        ("Bruke digitale verktøy til beregninger.", "Bruke regneark til et enkelt budsjett.",
         "Budsjett for en klassetur."),
    ),
    "NOR": (
        ("Lese og forstå fagtekster.", "Finne hovedpoenget i en kort fagtekst.", "Lesestrategier med lærer."),
        ("Skrive sammenhengende tekster med struktur.", "Skrive et avsnitt med innledning og avslutning.",
         "Skriverammer og modelltekster."),
        ("Lytte og gi respons i samtaler.", "Gi en kort muntlig respons til en medelev.", "Samtaler i liten gruppe."),
        ("Bruke rettskrivingsregler i egne tekster.", "Rette egne feil med lydstøttet ordliste.",
         "Opplesingsverktøy og ordliste."),
        ("Presentere fagstoff muntlig.", "Holde en kort presentasjon med støttekort.", "Øving i trygg gruppe."),
        ("Lese skjønnlitteratur og samtale om den.", "Gjenfortelle handlingen i en novelle.", "Lydbok og lesepar."),
    ),
    "ENG": (
        ("Lytte til og forstå enkle tekster på engelsk.", "Forstå hovedinnholdet i en kort lydtekst.",
         "Lydbøker og korte filmer."),
        ("Uttrykke seg muntlig om kjente emner.", "Fortelle om seg selv med enkle setninger.", "Rollespill i par."),
        ("Skrive korte tekster på engelsk.", "Skrive en kort e-post.", "Skrivemaler og ordbank."),
        ("Bruke grunnleggende grammatikk.", "Bruke riktig verbform i presens.", "Korte, daglige øvinger."),
        ("Lese og forstå enkle engelske tekster.", "Finne sentral informasjon i en tekst.", "Tilrettelagte tekster."),
        ("Bruke digitale ressurser i språklæringen.", "Bruke nettordbok.", "Digitale verktøy med lærer."),
    ),
    "NAT": (
        ("Gjennomføre enkle forsøk og beskrive resultatene.", "Følge en forsøksoppskrift trinn for trinn.",
         "Praktiske forsøk i liten gruppe."),
        ("Forklare sentrale begreper i faget.", "Forklare fem nøkkelbegreper med egne ord.", "Begrepskort."),
        ("Beskrive kretsløp i naturen.", "Tegne og forklare vannets kretsløp.", "Modeller og tegninger."),
        ("Vurdere kilder til naturfaglig informasjon.", "Skille fakta fra meninger i en kort tekst.",
         "Samtale om nyhetssaker."),
        ("Beskrive kroppens organsystemer.", "Forklare hva hjertet og lungene gjør.", "Modeller og film."),
        ("Bruke måleinstrumenter i forsøk.", "Lese av termometer og vekt.", "Praktisk arbeid på lab."),
    ),
    "SAM": (
        ("Beskrive hvordan demokratiet fungerer.", "Forklare hva et valg er.", "Skolevalg og klasseråd."),
        ("Drøfte etiske spørsmål.", "Gi en begrunnet mening om et dilemma.", "Samtaler i liten gruppe."),
        ("Bruke kart og kilder.", "Finne steder på kartet over Vestland.", "Digitale kart og ekskursjon."),
        ("Beskrive historiske hendelser og sammenhenger.", "Lage en tidslinje for en periode.", "Tidslinje på vegg."),
        ("Forklare rettigheter og plikter.", "Forklare hva en arbeidskontrakt er.", "Eksempler fra arbeidslivet."),
        ("Sammenligne levekår i ulike land.", "Beskrive to land med enkle nøkkeltall.", "Statistikk og bilder."),
    ),
    "KRO": (
        ("Delta i ulike aktiviteter og øve på bevegelse.", "Delta aktivt i hele timen.", "Tilpassede aktiviteter."),
        ("Samarbeide i lag og grupper.", "Følge regler og samarbeide i spill.", "Små lag med faste roller."),
        ("Planlegge egen trening.", "Lage en enkel treningsplan for fire uker.", "Treningsdagbok."),
        ("Ferdes trygt i naturen.", "Pakke sekk til en dagstur.", "Turdager."),
    ),
    "FSP": (
        ("Forstå og bruke enkle ord og uttrykk.", "Hilse og presentere seg.", "Dialoger og sang."),
        ("Lese korte tekster.", "Forstå en enkel meny.", "Autentiske tekster med ordliste."),
        ("Skrive korte meldinger.", "Skrive et postkort.", "Skrivemaler."),
        ("Samtale om kjente emner.", "Fortelle om familie og fritid.", "Samtaler i par."),
    ),
    "ART": (
        ("Bruke ulike materialer og teknikker.", "Fullføre et enkelt produkt.", "Praktisk arbeid med veiledning."),
        ("Planlegge og gjennomføre et arbeid.", "Lage en arbeidsplan med bilder.", "Visuell plan."),
        ("Samarbeide om en praktisk oppgave.", "Dele oppgaver i gruppa.", "Gruppearbeid med faste roller."),
        ("Vurdere eget arbeid.", "Si hva som gikk bra og hva som kan bli bedre.", "Samtale med lærer."),
    ),
}
HALF_YEAR = (
    ("Eleven har arbeidet godt og mestrer flere av læringsmålene.",
     "Videre arbeid med å bruke strategiene selvstendig."),
    ("Eleven har hatt god framgang, særlig i praktiske oppgaver.", "Øve mer på skriftlig arbeid."),
    ("Eleven har strevd med motivasjonen, men er i bedring.", "Tettere oppfølging og kortere økter."),
)
ANNUAL = (
    ("Eleven har nådd de fleste læringsmålene for året.", "Fortsette med praktisk tilnærming neste år."),
    ("Eleven har nådd læringsmålene og arbeider mer selvstendig.", "Øke vanskegraden gradvis."),
    ("Eleven har nådd noen av læringsmålene.", "Videreføre målene som ikke er nådd."),
)
LOG_TEXTS = (
    "Samtale med eleven om mål for høsten.",
    "Møte med foresatte og PPT; tiltakene videreføres.",
    "Eleven har vært borte mye; avtalt plan for å ta igjen arbeid.",
    "Prøvd ut opplesingsverktøy på PC; fungerer godt.",
    "Justert organiseringen: to timer i liten gruppe i stedet for én.",
)


# --- Helpers --------------------------------------------------------------------


def apportion(total: int, weights: dict) -> list:
    """`total` keys in proportion to `weights` (largest remainder); each at least once when total allows."""
    floor = 1 if total >= len(weights) else 0
    rest = total - floor * len(weights)
    shares = {key: rest * weight / sum(weights.values()) for key, weight in weights.items()}
    counts = {key: floor + int(share) for key, share in shares.items()}
    by_remainder = sorted(weights, key=lambda key: shares[key] - int(shares[key]), reverse=True)
    for key in by_remainder[: total - sum(counts.values())]:
        counts[key] += 1
    return [key for key in weights for _ in range(counts[key])]


def org_number(rng: random.Random, taken: set[str]) -> str:
    """A fresh organisation number that passes the Brønnøysund mod-11 check."""
    while True:
        digits = [9, 7 + rng.randrange(3)] + [rng.randrange(10) for _ in range(6)]
        remainder = sum(d * w for d, w in zip(digits, (3, 2, 7, 6, 5, 4, 3, 2))) % 11
        check = (11 - remainder) % 11
        number = "".join(map(str, digits)) + str(check)
        if check != 10 and number not in taken:
            taken.add(number)
            return number


def group_letter(index: int) -> str:
    """A, B … Z, then AA, AB …"""
    return chr(65 + index) if index < 26 else group_letter(index // 26 - 1) + chr(65 + index % 26)


def share(total: int, parts: int) -> list[int]:
    """`total` split into `parts` near-equal whole numbers."""
    return [total // parts + (i < total % parts) for i in range(parts)]


# --- In-memory records (ids only, so 30,000 students stay light) -----------------


@dataclass
class SchoolRecord:
    number: int
    school: School
    lower: bool
    municipality: str
    authority: Authority
    principal: int = 0
    admins: list[int] = field(default_factory=list)
    teachers: list[int] = field(default_factory=list)
    iko: int = 0  # the IKO-team member (upper secondary schools)


@dataclass
class StudentRecord:
    student: Student
    school: SchoolRecord
    adult: bool
    enrolled: dict[int, list[int]]  # subject id -> teacher ids
    guardians: list[int] = field(default_factory=list)


@dataclass
class ScaleResult:
    counts: dict[str, int]
    samples: dict[str, list[str]]  # role -> usernames that see at least one IOP


# --- The builder ----------------------------------------------------------------


class ScaleBuilder:
    def __init__(self, *, schools: int, students: int, seed: int, password: str, today: date):
        self.school_count, self.student_count = schools, students
        self.rng = random.Random(seed)
        self.password_hash = make_password(password)  # once: Argon2 takes ~0.4 s per hash
        self.today = today
        self.now = timezone.now()
        self.counts: Counter[str] = Counter()
        self.usernames: dict[int, str] = {}
        self.references = itertools.count(1001)  # the authority's case numbers

    def build(self) -> ScaleResult:
        self.year = SchoolYear.objects.current(self.today, create=True)
        self.subjects = self.ensure_subjects()
        self.subjects_by_id = {subject.pk: subject for subject in self.subjects.values()}
        self.schools = self.create_schools()
        self.create_staff()
        self.students = self.create_students()
        self.create_guardians()
        self.create_enrollments()
        applications = self.create_applications()
        decisions = self.create_decisions(applications)
        plans = self.create_plans(decisions)
        self.create_iko()
        samples = self.samples(plans)
        samples["iko"] = [self.usernames[record.iko] for record in self.schools if record.iko][:3]
        return ScaleResult(counts=dict(sorted(self.counts.items())), samples=samples)

    def insert(self, model, rows: list) -> list:
        created = model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        self.counts[model._meta.label] += len(created)
        return created

    def create_users(self, names: list[tuple[str, str, str]]) -> list[int]:
        """(username, first name, last name) rows → user ids, in the same order."""
        users = self.insert(User, [
            User(username=username, first_name=first, last_name=last, password=self.password_hash)
            for username, first, last in names
        ])
        self.usernames.update((user.pk, user.username) for user in users)
        return [user.pk for user in users]

    def adult_name(self, last_name: str | None = None) -> tuple[str, str]:
        first = self.rng.choice(WOMEN if self.rng.random() < 0.6 else MEN)
        return first, last_name or self.rng.choice(LAST_NAMES)

    # Subjects, schools, staff

    def ensure_subjects(self) -> dict[str, Subject]:
        existing = Subject.objects.in_bulk(field_name="code")
        missing = [Subject(code=code, name=name) for code, (name, _area) in SUBJECTS.items() if code not in existing]
        return {**existing, **{subject.code: subject for subject in self.insert(Subject, missing)}}

    def authority(self, name: str, kind: str) -> Authority:
        authority, created = Authority.objects.get_or_create(name=name, defaults={"kind": kind})
        self.counts[Authority._meta.label] += created
        return authority

    def create_schools(self) -> list[SchoolRecord]:
        taken: set[str] = set()
        county = self.authority(COUNTY, Authority.Kind.COUNTY)
        records = []
        for number in range(1, self.school_count + 1):
            place, municipality = PLACES[(number - 1) % len(PLACES)]
            suffix = f" {(number - 1) // len(PLACES) + 1}" if number > len(PLACES) else ""
            lower = number % 3 == 2
            owner = f"{municipality} kommune" if lower else COUNTY
            school = School(
                name=f"{place} {'ungdomsskule' if lower else 'vidaregåande skule'}{suffix}",
                org_number=org_number(self.rng, taken),
                kind=School.Kind.LOWER_SECONDARY if lower else School.Kind.UPPER_SECONDARY,
                owner_kind=School.OwnerKind.MUNICIPALITY if lower else School.OwnerKind.COUNTY,
                owner_name=owner,
            )
            authority = self.authority(owner, Authority.Kind.MUNICIPALITY) if lower else county
            records.append(SchoolRecord(number, school, lower, municipality, authority))
        self.insert(School, [record.school for record in records])
        return records

    def create_staff(self) -> None:
        sizes = share(self.student_count, self.school_count)
        names, slots = [], []  # slots: (school record, role key) per name
        for record, size in zip(self.schools, sizes):
            prefix = f"s{record.number:02d}"
            names.append((f"{prefix}-principal", *self.adult_name()))
            slots.append((record, "principal"))
            for n in range(1, ADMINS_PER_SCHOOL + 1):
                names.append((f"{prefix}-admin{n}", *self.adult_name()))
                slots.append((record, "admin"))
            for n in range(1, max(MIN_TEACHERS_PER_SCHOOL, round(size / STUDENTS_PER_TEACHER)) + 1):
                names.append((f"{prefix}-teacher{n}", *self.adult_name()))
                slots.append((record, "teacher"))
        for (record, role), user_id in zip(slots, self.create_users(names)):
            if role == "principal":
                record.principal = user_id
            else:
                (record.admins if role == "admin" else record.teachers).append(user_id)
        self.create_memberships()

    def create_memberships(self) -> None:
        Role = StaffMembership.Role
        memberships, grants = [], []
        permission = Permission.objects.get(
            codename=IOP_ADMIN_PERMISSION, content_type__app_label="accounts", content_type__model="school"
        )
        for record in self.schools:
            memberships.append(StaffMembership(user_id=record.principal, school=record.school, role=Role.PRINCIPAL))
            for user_id in record.admins + record.teachers:
                memberships.append(StaffMembership(user_id=user_id, school=record.school, role=Role.TEACHER))
            grants += [
                SchoolUserObjectPermission(user_id=user_id, permission=permission, content_object=record.school)
                for user_id in record.admins
            ]
        self.insert(StaffMembership, memberships)
        self.insert(SchoolUserObjectPermission, grants)

    # Students, guardians, enrollments

    def create_students(self) -> list[StudentRecord]:
        records: list[StudentRecord] = []
        for school, size in zip(self.schools, share(self.student_count, self.school_count)):
            levels = LOWER_LEVELS if school.lower else UPPER_LEVELS
            for level, level_size in zip(levels, share(size, len(levels))):
                records += self.level_students(school, level, level_size)
        adults = [record for record in records if record.adult]
        user_ids = self.create_users([
            (f"student{n}", record.student.first_name, record.student.last_name)
            for n, record in enumerate(adults, start=1)
        ])
        for record, user_id in zip(adults, user_ids):
            record.student.user_id = user_id
        self.insert(Student, [record.student for record in records])
        return records

    def level_students(self, school: SchoolRecord, level: Level, size: int) -> list[StudentRecord]:
        groups = max(1, -(-size // CLASS_SIZE))
        teaching = [self.group_teaching(school, level) for _ in range(groups)]
        records = []
        for index in range(size):
            group = index % groups
            age = self.student_age(school, level)
            first = self.rng.choice(GIRLS if self.rng.random() < 0.5 else BOYS)
            enrolled = {}
            for slot in level.slots:
                code = self.rng.choice(slot)
                enrolled[self.subjects[code].pk] = teaching[group][code]
            student = Student(
                first_name=first, last_name=self.rng.choice(LAST_NAMES),
                birth_date=years_before(self.today, age) - timedelta(days=self.rng.randrange(1, 360)),
                school=school.school, group=f"{level.name}{group_letter(group)}",
                contact_teacher_id=teaching[group][level.slots[0][0]][0],
            )
            records.append(StudentRecord(student, school, adult=age >= 18, enrolled=enrolled))
        return records

    def student_age(self, school: SchoolRecord, level: Level) -> int:
        age = level.age + (self.rng.random() < level.older_share)
        if not school.lower and self.rng.random() < OLDER_STUDENT_SHARE:
            age += self.rng.randint(1, 3)
        return age

    def group_teaching(self, school: SchoolRecord, level: Level) -> dict[str, list[int]]:
        """Teachers per subject code for one group: one teacher, sometimes with a co-teacher."""
        teaching = {}
        for code in (code for slot in level.slots for code in slot):
            teachers = self.rng.sample(school.teachers, 2)
            teaching[code] = teachers if self.rng.random() < CO_TEACHER_SHARE else teachers[:1]
        return teaching

    def create_guardians(self) -> None:
        minors = [record for record in self.students if not record.adult]
        names, owners = [], []
        for record in minors:
            count = 2 if self.rng.random() < TWO_GUARDIANS_SHARE else 1
            for _ in range(count):
                last_name = record.student.last_name if self.rng.random() < 0.75 else None
                names.append((f"guardian{len(names) + 1}", *self.adult_name(last_name)))
                owners.append(record)
        for record, user_id in zip(owners, self.create_users(names)):
            record.guardians.append(user_id)
        self.insert(Guardianship, [
            Guardianship(guardian_id=user_id, student=record.student)
            for record in minors for user_id in record.guardians
        ])

    def create_enrollments(self) -> None:
        chunk = BATCH_SIZE // 8
        for start in range(0, len(self.students), chunk):
            records = self.students[start:start + chunk]
            enrollments = self.insert(Enrollment, [
                Enrollment(student=record.student, subject_id=subject_id, school_year=self.year)
                for record in records for subject_id in record.enrolled
            ])
            teacher_ids = [ids for record in records for ids in record.enrolled.values()]
            self.insert(Enrollment.teachers.through, [
                Enrollment.teachers.through(enrollment_id=enrollment.pk, user_id=user_id)
                for enrollment, ids in zip(enrollments, teacher_ids) for user_id in ids
            ])

    # Applications, batches, decisions

    def create_applications(self) -> list[tuple[StudentRecord, Application, list]]:
        """Applications in every status; each row: (student, application, [(subject id, extent, organisation)])."""
        chosen = self.rng.sample(self.students, round(len(self.students) * APPLICATION_SHARE))
        statuses = apportion(len(chosen), APPLICATION_STATUS_WEIGHTS)
        self.rng.shuffle(statuses)
        rows = [
            (record, self.application(record, status), self.special_subjects(record))
            for record, status in zip(chosen, statuses)
        ]
        self.place_in_batches(rows)
        self.insert(Application, [application for _record, application, _subjects in rows])
        self.insert(ApplicationSubject, [
            ApplicationSubject(application=application, subject_id=subject_id, extent=extent, organisation=organisation)
            for _record, application, subjects in rows for subject_id, extent, organisation in subjects
        ])
        approved = [application for _record, application, _s in rows if application.status in APPROVED_OR_LATER]
        for application in approved:  # the real hash, so pages show the fingerprint of this content
            application.approved_hash = application.content_hash()
        Application.objects.bulk_update(approved, ["approved_hash"], batch_size=1000)
        return rows

    def application(self, record: StudentRecord, status: str) -> Application:
        place = f"PPT for {record.school.municipality}" if record.school.lower else "PPT Vestland fylkeskommune"
        application = Application(
            student=record.student, school_year=self.year, status=status,
            expert_assessment_date=self.today - timedelta(days=self.rng.randint(100, 400)),
            expert_assessment_by=place,
            expert_assessment_summary=self.rng.choice(ASSESSMENTS).format(first=record.student.first_name),
            student_goal=self.rng.choice(STUDENT_GOALS),
            other_information=self.rng.choice(OTHER_INFORMATION),
            created_by_id=self.rng.choice(record.school.admins),
        )
        if status in APPROVED_OR_LATER:
            # The adult student approves; for a minor, a guardian.
            application.approved_by_id = record.student.user_id if record.adult else record.guardians[0]
            application.approved_at = self.now - timedelta(days=self.rng.randint(50, 80))
        return application

    def special_subjects(self, record: StudentRecord) -> list[tuple[int, str, str]]:
        """2–4 of the student's subjects, in subject-code order, with extent and organisation."""
        codes = sorted(self.subjects_by_id[subject_id].code for subject_id in record.enrolled)
        chosen = sorted(self.rng.sample(codes, self.rng.randint(2, 4)))
        return [
            (self.subjects[code].pk, self.rng.choice(EXTENTS), self.rng.choice(ORGANISATIONS)) for code in chosen
        ]

    def place_in_batches(self, rows) -> None:
        """Sent applications went in the school's sent batch or alone; half the approved wait in an open batch."""
        sent_batches, open_batches = {}, {}
        for record, application, _subjects in rows:
            school = record.school
            if application.status in SENT and self.rng.random() < SENT_IN_BATCH_SHARE:
                if school.number not in sent_batches:
                    sent_batches[school.number] = self.batch(school, "september", self.today - timedelta(days=45))
                application.batch = sent_batches[school.number]
            elif application.status in SENT:
                application.sent_on = self.today - timedelta(days=self.rng.randint(30, 60))
            elif application.status == S.APPROVED and self.rng.random() < 0.5:
                if school.number not in open_batches:
                    open_batches[school.number] = self.batch(school, "november", None)
                application.batch = open_batches[school.number]
        self.insert(SchoolBatch, [*sent_batches.values(), *open_batches.values()])

    def batch(self, school: SchoolRecord, month: str, sent_on: date | None) -> SchoolBatch:
        name = f"{school.authority.name} – {month} {self.year.start_year}"
        return SchoolBatch(school=school.school, authority=school.authority, name=name, sent_on=sent_on)

    def create_decisions(self, applications) -> list[tuple[StudentRecord, Decision, list]]:
        """Granted and rejected applications have their decision; more students got one directly (step 5).

        Enough direct ones are granted that about PLAN_SHARE of the students can have an IOP.
        """
        decided = [(r, a, s) for r, a, s in applications if a.status in {S.GRANTED, S.REJECTED}]
        granted = sum(a.status == S.GRANTED for _r, a, _s in decided)
        applied = {id(record) for record, _a, _s in applications}
        others = [record for record in self.students if id(record) not in applied]
        direct = self.rng.sample(others, min(len(others), max(0, round(len(self.students) * PLAN_SHARE) - granted)))
        rows = [
            (record, self.decision(record, application.status, application), subjects)
            for record, application, subjects in decided
        ] + [
            (record, self.decision(record, Decision.Outcome.GRANTED, None), self.special_subjects(record))
            for record in direct
        ]
        self.insert(Decision, [decision for _r, decision, _s in rows])
        self.insert(DecidedSubject, [
            DecidedSubject(decision=decision, subject_id=subject_id, extent=extent, organisation=organisation)
            for _r, decision, subjects in rows for subject_id, extent, organisation in subjects
        ])
        return rows

    def decision(self, record: StudentRecord, outcome: str, application: Application | None) -> Decision:
        return Decision(
            student=record.student, school_year=self.year, application=application, outcome=outcome,
            decided_on=self.today - timedelta(days=self.rng.randint(1, 25)),
            reference=f"{self.year.start_year}/{next(self.references)}",
            registered_by_id=self.rng.choice(record.school.admins),
        )

    # IOPs

    def create_plans(self, decisions) -> list[tuple[StudentRecord, Plan, list[int]]]:
        granted = [(r, d, s) for r, d, s in decisions if d.outcome == Decision.Outcome.GRANTED]
        stages = apportion(len(granted), STAGE_WEIGHTS)
        self.rng.shuffle(stages)
        plans = [
            (record, self.plan(record, decision, stage), subjects)
            for (record, decision, subjects), stage in zip(granted, stages)
        ]
        self.insert(Plan, [plan for _r, plan, _s in plans])
        plan_subjects = self.insert(PlanSubject, [
            self.plan_subject(plan, position, subject_id, extent, organisation)
            for _r, plan, subjects in plans
            for position, (subject_id, extent, organisation) in enumerate(subjects)
        ])
        self.insert(Goal, [goal for plan_subject in plan_subjects for goal in self.goals(plan_subject)])
        self.insert(LogEntry, [entry for record, plan, subjects in plans for entry in self.log(record, plan, subjects)])
        self.insert(AnnexRow, [
            AnnexRow(plan=ps.plan, position=ps.position, extent=self.rng.choice((38, 57, 76, 114, 140)),
                     subject_topic=self.subjects_by_id[ps.subject_id].name, year=str(self.year.start_year + 1),
                     assessment=self.rng.choice(ANNUAL)[0])
            for ps in plan_subjects if ps.plan.stage == Plan.Stage.ANNUAL_REPORT
        ])
        return [(record, plan, [subject_id for subject_id, _e, _o in subjects]) for record, plan, subjects in plans]

    def plan(self, record: StudentRecord, decision: Decision, stage: int) -> Plan:
        first = record.student.first_name
        plan = Plan(
            student=record.student, school_year=self.year, decision=decision, stage=stage,
            created_by_id=self.rng.choice(record.school.admins),
            basis_documents="Sakkyndig vurdering fra PPT og vedtak om spesialundervisning.",
            mapping_academic=self.rng.choice(ASSESSMENTS).format(first=first),
            mapping_social=f"{first} trives i små grupper og har gode venner i klassen.",
        )
        if stage >= Plan.Stage.TEACHERS:  # a draft may still lack the rest of part 1
            plan.part_of_individual_plan = self.rng.random() < 0.2
            plan.goal_kind = self.rng.choice(Plan.GoalKind.values)
            plan.goal_text = self.rng.choice(STUDENT_GOALS)
            plan.long_term_plan = "Fellesfagene over normert tid, med tilpasset progresjon."
            plan.framework_factors = "Liten gruppe i fagene med spesialundervisning; PC med opplesingsverktøy."
            plan.partners_internal = "Kontaktlærer, faglærere, rådgiver."
            plan.partners_external = "PPT, foresatte."
            plan.evaluation_time = "Ved halvårsvurderingen i januar og ved årsrapporten i juni."
        if stage == Plan.Stage.ANNUAL_REPORT:
            plan.report_training = "Eleven har fått spesialundervisning i liten gruppe, tre timer i uka."
            plan.report_assessment = "Opplæringen har fungert godt; eleven har hatt god progresjon."
            plan.report_continued_need = self.rng.choice(("Eleven har fortsatt behov for IOP neste skoleår.",
                                                          "Eleven har ikke lenger behov for IOP."))
            if self.rng.random() < 0.5:
                plan.report_sent_on = self.today - timedelta(days=self.rng.randint(1, 20))
        return plan

    def plan_subject(self, plan: Plan, position: int, subject_id: int, extent: str, organisation: str) -> PlanSubject:
        stage = plan.stage
        subject = PlanSubject(plan=plan, subject_id=subject_id, position=position, extent=extent,
                              organisation=organisation, content="Tilpasset lærestoff og konkretiseringsmateriell.")
        subject.goals_done = stage >= Plan.Stage.STUDENT_AND_GUARDIANS or (
            stage == Plan.Stage.TEACHERS and self.rng.random() < 0.5
        )
        if stage >= Plan.Stage.HALF_YEAR or (stage == Plan.Stage.STUDENT_AND_GUARDIANS and self.rng.random() < 0.3):
            subject.half_year_development, subject.half_year_opportunities = self.rng.choice(HALF_YEAR)
            subject.half_year_done = stage >= Plan.Stage.HALF_YEAR
        if stage == Plan.Stage.ANNUAL_REPORT:
            subject.annual_development, subject.annual_opportunities = self.rng.choice(ANNUAL)
            subject.annual_done = True
        return subject

    def goals(self, plan_subject: PlanSubject) -> list[Goal]:
        pool = GOALS[SUBJECTS[self.subjects_by_id[plan_subject.subject_id].code][1]]
        rows = self.rng.sample(pool, min(len(pool), self.rng.randint(3, 6)))
        return [
            Goal(plan_subject=plan_subject, position=position, competence_goal=competence, learning_goal=learning,
                 content=content)
            for position, (competence, learning, content) in enumerate(rows)
        ]

    def log(self, record: StudentRecord, plan: Plan, subjects) -> list[LogEntry]:
        count = self.rng.randint(1, 3) if plan.stage >= Plan.Stage.TEACHERS else self.rng.randint(0, 1)
        authors = [plan.created_by_id] + [t for subject_id, _e, _o in subjects for t in record.enrolled[subject_id]]
        entries = []
        for _ in range(count):
            author = self.rng.choice(authors) if plan.stage >= Plan.Stage.TEACHERS else plan.created_by_id
            text = self.rng.choice(LOG_TEXTS)
            entries.append(LogEntry(plan=plan, text=text, created_by_id=author, changed_by_id=author))
        return entries

    # IKO follow-up (upper secondary schools; after everything else, so the rest does not change)

    def create_iko(self) -> None:
        upper = [record for record in self.schools if not record.lower]
        if not upper:
            return
        user_ids = self.create_users([(f"s{record.number:02d}-iko", *self.adult_name()) for record in upper])
        permission = Permission.objects.get(
            codename=IKO_TEAM_PERMISSION, content_type__app_label="accounts", content_type__model="school"
        )
        for record, user_id in zip(upper, user_ids):
            record.iko = user_id
        self.insert(StaffMembership, [
            StaffMembership(user_id=record.iko, school=record.school, role=StaffMembership.Role.TEACHER)
            for record in upper
        ])
        self.insert(SchoolUserObjectPermission, [
            SchoolUserObjectPermission(user_id=record.iko, permission=permission, content_object=record.school)
            for record in upper
        ])
        students = [record for record in self.students if not record.school.lower]
        signalled = self.rng.sample(students, round(len(students) * IKO_SIGNAL_SHARE))
        planned = signalled[:round(len(students) * IKO_PLAN_SHARE)]  # sample order is random
        signals = [(record, self.iko_signals(record)) for record in signalled]
        # A student with a plan has had a signal taken into mapping; the other signals get every status.
        taken = [(record, found[0]) for record, found in signals[:len(planned)]]
        others = [(record, signal) for n, (record, found) in enumerate(signals)
                  for signal in found[n < len(planned):]]
        statuses = apportion(len(others), IKO_SIGNAL_STATUS_WEIGHTS)
        self.rng.shuffle(statuses)
        for (record, signal), status in [*((row, iko.Signal.Status.MAPPING) for row in taken), *zip(others, statuses)]:
            self.assess_iko_signal(record, signal, status)
        self.insert(iko.Signal, [signal for _record, found in signals for signal in found])
        self.insert(iko.Talk, [talk for record in planned for talk in self.iko_talks(record)])
        self.create_iko_plans(planned)
        self.insert(iko.Meeting, [meeting for record in upper for meeting in self.iko_meetings(record)])
        self.insert(iko.Resource, [
            iko.Resource(school=record.school, name=name, notes=notes, available=self.rng.random() < 0.8)
            for record in upper for name, notes in IKO_RESOURCES
        ])

    def iko_signals(self, record: StudentRecord) -> list:
        """1–3 signals, each (rule, key) once (status new; `assess_iko_signal` changes it)."""
        vg1 = record.student.group.startswith("1")
        rules = [rule for rule in IKO_RULE_WEIGHTS if (rule != R.LOW_GRADE if vg1 else rule not in VG1_RULES)]
        weights = [IKO_RULE_WEIGHTS[rule] for rule in rules]
        found, signals = set(), []
        for _ in range(self.rng.choice((1, 1, 1, 2, 2, 3))):
            rule = self.rng.choices(rules, weights)[0]
            key, evidence = self.iko_evidence(record, rule)
            if (rule, key) in found:
                continue
            found.add((rule, key))
            signal = iko.Signal(student=record.student, school_year=self.year, rule=rule, key=key, evidence=evidence,
                                found_on=self.today - timedelta(days=self.rng.randint(1, 60)))
            if rule in iko.Signal.CONCERNS:
                signal.key, signal.evidence = "", {}
                signal.reported_by_id = self.rng.choice([t for ids in record.enrolled.values() for t in ids])
                signal.text = self.rng.choice(IKO_CONCERNS)
            signals.append(signal)
        return signals

    def assess_iko_signal(self, record: StudentRecord, signal, status: str) -> None:
        signal.status = status
        if status != iko.Signal.Status.NEW:
            signal.assessed_by_id = record.school.iko
            signal.assessed_on = min(self.today, signal.found_on + timedelta(days=self.rng.randint(0, 7)))
            if status == iko.Signal.Status.DISMISSED:
                signal.dismiss_reason = self.rng.choice(IKO_DISMISS_REASONS)

    def iko_evidence(self, record: StudentRecord, rule: str) -> tuple[str, dict]:
        """The finding's key and a small evidence snapshot, shaped like followup/rules.py's."""
        year, rng = f"{self.year.start_year}/{self.year.start_year + 1}", self.rng
        codes = sorted(self.subjects_by_id[subject_id].code for subject_id in record.enrolled)
        start = date(self.year.start_year, rng.choice((8, 9, 10)), 1)
        period = {"start": start.isoformat(), "end": (start + timedelta(days=29)).isoformat(),
                  "documented": f"{rng.randint(0, 8)}.00", "undocumented": f"{rng.randint(8, 20)}.50"}
        period["total"] = f"{float(period['documented']) + float(period['undocumented']):.2f}"
        if rule in (R.FIRST_CHOICE_AVERAGE, R.LOWER_CHOICE_AVERAGE):
            return "", {"school_year": year, "grade_average": f"{rng.uniform(2.0, 3.0):.2f}",
                        "choice": 1 if rule == R.FIRST_CHOICE_AVERAGE else rng.randint(2, 3),
                        "limit": "2.50" if rule == R.FIRST_CHOICE_AVERAGE else "3.00"}
        if rule == R.CORE_GRADE:
            code = rng.choice([c for c in codes if c.startswith(("MAT", "ENG", "NOR"))])
            grade = {"subject": code, "term": "T1", "school_year": year, "grade": rng.choice(("IV", "1", "2"))}
            return code, {"subject": code, "grades": [grade], "low_grades": ["1", "2", "IV"]}
        if rule == R.LOW_GRADE:
            code, last = rng.choice(codes), f"{self.year.start_year - 1}/{self.year.start_year}"
            term = rng.choice(("T2", "standpunkt"))
            grade = {"subject": code, "term": term, "school_year": last, "grade": rng.choice(("IV", "1"))}
            return f"{code}/{self.year.start_year - 1}/{term}", {"grades": [grade], "low_grades": ["1", "IV"]}
        if rule == R.ABSENCE:
            return f"{period['start']}/{period['end']}", {"period": period, "over_percent": "10.00"}
        if rule == R.ABSENCE_TREND:
            before = start - timedelta(days=30)
            previous = {"start": before.isoformat(), "end": (start - timedelta(days=1)).isoformat(),
                        "documented": "1.00", "undocumented": "2.00", "total": "3.00"}
            rise = f"{float(period['total']) - 3:.2f}"
            return (f"{previous['start']}/{previous['end']}→{period['start']}/{period['end']}",
                    {"previous": previous, "period": period, "rise": rise, "rise_at_least": "5.00"})
        if rule == R.GRADE_TREND:
            was = rng.uniform(3.5, 4.5)
            return "T1→T2", {"before": {"term": "T1", "school_year": year, "average": f"{was:.2f}"},
                             "after": {"term": "T2", "school_year": year, "average": f"{was - rng.uniform(1, 2):.2f}"},
                             "drop_at_least": "1.00"}
        return "", {}  # a concern: what the reporter wrote is its text

    def iko_talks(self, record: StudentRecord) -> list:
        """A mapping talk by the IKO team; about a third also had a start-up talk with the contact teacher."""
        first = record.student.first_name
        talks = [iko.Talk(
            student=record.student, school_year=self.year, kind=iko.Talk.Kind.MAPPING,
            held_on=self.today - timedelta(days=self.rng.randint(10, 40)), held_by_id=record.school.iko,
            participants=f"{first}, kontaktlærer, rådgiver", student_view=self.rng.choice(IKO_STUDENT_VIEWS),
            causes=self.rng.sample(iko.Talk.Cause.values, self.rng.randint(1, 2)),
            wishes="Mer struktur i arbeidsdagen og faste avtaler med kontaktlærer.",
        )]
        if self.rng.random() < 0.35:
            talks.append(iko.Talk(
                student=record.student, school_year=self.year, kind=iko.Talk.Kind.STARTUP,
                held_on=date(self.year.start_year, 9, self.rng.randint(1, 25)),
                held_by_id=record.student.contact_teacher_id, participants=f"{first}, kontaktlærer",
                student_view=f"{first} trives på skolen, men synes overgangen har vært krevende.",
            ))
        return talks

    def create_iko_plans(self, planned: list[StudentRecord]) -> None:
        Status = iko.Plan.Status
        statuses = apportion(len(planned), IKO_PLAN_STATUS_WEIGHTS)
        self.rng.shuffle(statuses)
        plans = [self.iko_plan(record, status) for record, status in zip(planned, statuses)]
        self.insert(iko.Plan, plans)
        measures, responsible = [], []
        for record, plan in zip(planned, plans):
            teachers = sorted({t for ids in record.enrolled.values() for t in ids})
            for _ in range(self.rng.randint(1, 2)):
                challenge, approach, extent = self.rng.choice(IKO_MEASURES)
                starts = plan.created_at.date() + timedelta(days=self.rng.randint(0, 7))
                measure = iko.Measure(plan=plan, challenge=challenge, approach=approach, extent=extent,
                                      starts_on=starts, ends_on=self.today + timedelta(days=self.rng.randint(-5, 45)))
                if plan.status == Status.EVALUATED:
                    measure.ends_on = max(starts, min(measure.ends_on, plan.evaluated_on))
                    measure.evaluator_id, measure.evaluation = record.school.iko, "Tiltaket har virket etter hensikten."
                measures.append(measure)
                responsible.append(self.rng.choice(teachers))
        self.insert(iko.Measure, measures)
        self.insert(iko.Measure.responsible.through, [
            iko.Measure.responsible.through(measure_id=measure.pk, user_id=user_id)
            for measure, user_id in zip(measures, responsible)
        ])
        self.insert(iko.MeasureNote, [
            iko.MeasureNote(measure=measure, written_by_id=user_id, text=self.rng.choice(IKO_NOTES),
                            written_at=self.now - timedelta(days=self.rng.randint(1, 14)))
            for measure, user_id in zip(measures, responsible)
            if measure.plan.status != Status.DRAFT and self.rng.random() < 0.6
        ])

    def iko_plan(self, record: StudentRecord, status: str) -> "iko.Plan":
        Status = iko.Plan.Status
        plan = iko.Plan(student=record.student, school_year=self.year, status=status, created_by_id=record.school.iko,
                        created_at=self.now - timedelta(days=self.rng.randint(15, 60)))
        if status != Status.DRAFT:
            if not record.adult:
                plan.guardians_informed_on = plan.created_at.date() + timedelta(days=self.rng.randint(0, 5))
                plan.guardians_informed_how = self.rng.choice(("Telefon", "Møte på skolen", "Melding i Visma"))
            if self.rng.random() < 0.5:
                plan.shared_on = plan.created_at.date() + timedelta(days=self.rng.randint(1, 10))
        if status == Status.EVALUATED:
            plan.outcome = self.rng.choice(iko.Plan.Outcome.values)
            plan.outcome_note = "Planen er evaluert sammen med eleven."
            plan.evaluated_on = self.today - timedelta(days=self.rng.randint(0, 10))
        return plan

    def iko_meetings(self, record: SchoolRecord) -> list:
        meetings = []
        for number, (month, themes) in enumerate(iko.SEED_MEETINGS, start=1):
            meeting = iko.Meeting(school=record.school, school_year=self.year, number=number, month=month,
                                  themes=themes)
            if meeting.first_day <= self.today:
                meeting.held_on = meeting.first_day + timedelta(days=self.rng.randint(2, 20))
                meeting.notes = "Gjennomgang av nye signaler og aktive planer."
            meetings.append(meeting)
        return meetings

    # Who to log in as

    def samples(self, plans, per_role: int = 3) -> dict[str, list[str]]:
        """Per role, a few usernames whose users see at least one IOP."""
        found: dict[str, list[int]] = {"admin": [], "principal": [], "teacher": [], "guardian": [], "student": []}

        def add(role: str, user_ids) -> None:
            for user_id in user_ids:
                if user_id and user_id not in found[role] and len(found[role]) < per_role:
                    found[role].append(user_id)

        for record, plan, subject_ids in plans:
            add("admin", record.school.admins[:1])
            add("principal", [record.school.principal])
            if plan.stage >= Plan.Stage.TEACHERS:
                add("teacher", [t for subject_id in subject_ids for t in record.enrolled[subject_id]])
            if plan.stage >= Plan.Stage.STUDENT_AND_GUARDIANS:
                add("guardian", record.guardians)
                add("student", [record.student.user_id] if record.adult else [])
        return {role: [self.usernames[user_id] for user_id in ids] for role, ids in found.items()}


def generate(*, schools: int, students: int, seed: int = 1, password: str = "scale",
             today: date | None = None) -> ScaleResult:
    """Fill an empty database with scale data; call inside a transaction."""
    builder = ScaleBuilder(schools=schools, students=students, seed=seed, password=password,
                           today=today or timezone.localdate())
    return builder.build()
