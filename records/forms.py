from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Student, User

from .models import AccessRequest, RequestItem, RetentionRule


class StudentSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name or class"), max_length=100, required=False)


def search_students(students: QuerySet[Student], query: str) -> QuerySet[Student]:
    """Narrow a list of students the user may see (from records.access) by name or class."""
    for word in query.split()[:4]:
        students = students.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word)
                                   | Q(group__icontains=word))
    return students


def guardians_with_account(student: Student) -> list[User]:
    """The student's guardians who have a login: the answer can then be delivered to them in the app."""
    rows = student.guardianships.select_related("guardian").filter(guardian__isnull=False, guardian__is_active=True)
    return sorted((row.guardian for row in rows),
                  key=lambda user: (user.last_name, user.first_name, user.username))


class GuardianChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.username


class RequestForm(forms.Form):
    """A request to see a student's records, as the member of staff who received it registers it."""

    requester_kind = forms.ChoiceField(label=_("Who asks?"), choices=AccessRequest.Requester.choices,
                                       widget=forms.RadioSelect)
    requester_name = forms.CharField(
        label=_("The requester's name"), max_length=200, required=False,
        help_text=_("Leave empty if the student asks, or a guardian with a login below."))
    guardian = GuardianChoiceField(
        label=_("The guardian's login (only if a guardian asks)"), queryset=User.objects.none(), required=False,
        empty_label=_("No login, or not a guardian"),
        help_text=_("Then the guardian also gets the answer here in the app, while the student is under 18."))
    relation = forms.CharField(
        label=_("Relation to the student (only if someone else asks)"), max_length=200, required=False,
        help_text=_("For example: lawyer, the child welfare service."))
    asked_for = forms.CharField(
        label=_("What do they ask for?"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In the requester's words. For example: “everything you have about my son”."))
    received_on = forms.DateField(
        label=_("Received"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The day the school got the request. The deadline counts from this day."))

    def __init__(self, *args, student: Student, **kwargs):
        super().__init__(*args, **kwargs)
        self.student = student
        guardians = guardians_with_account(student) if not student.is_adult() else []
        self.fields["guardian"].queryset = User.objects.filter(pk__in=[user.pk for user in guardians]).order_by(
            "last_name", "first_name", "username")
        if not guardians:
            del self.fields["guardian"]
        today = timezone.localdate()
        self.initial.setdefault("received_on", today)
        self.fields["received_on"].widget.attrs["max"] = today.isoformat()

    def clean_received_on(self):
        received = self.cleaned_data["received_on"]
        if received > timezone.localdate():
            raise forms.ValidationError(_("The day received cannot be in the future."))
        return received

    def clean(self):
        data = super().clean()
        kind = data.get("requester_kind")
        guardian = data.get("guardian")
        name = (data.get("requester_name") or "").strip()
        user = None
        if kind == AccessRequest.Requester.STUDENT:
            # The answer reaches an adult student in the app; a minor's goes by the post (or via a guardian).
            user = self.student.user if self.student.is_adult() else None
            name = name or self.student.full_name
        elif kind == AccessRequest.Requester.GUARDIAN:
            if self.student.is_adult():
                self.add_error("requester_kind", _("The student is 18 or older, and a guardian's rights have "
                                                   "ended. A parent asks as “someone else”."))
            user = guardian
            if guardian and not name:
                name = guardian.get_full_name() or guardian.username
        elif kind == AccessRequest.Requester.OTHER:
            if not (data.get("relation") or "").strip():
                self.add_error("relation", _("Say how the requester is related to the student."))
        if guardian and kind != AccessRequest.Requester.GUARDIAN:
            self.add_error("guardian", _("Choose a guardian's login only when a guardian asks."))
        if kind and not name:
            self.add_error("requester_name", _("Write the requester's name."))
        data["requester_name"], data["requester_user"] = name, user
        if kind != AccessRequest.Requester.OTHER:
            data["relation"] = (data.get("relation") or "").strip()
        return data


class ReviewForm(forms.Form):
    """The records officer's decision on one record: release, withhold, or release with passages struck out.

    One `strike-<index>` field per section of the record; `strikes()` gives them as the model stores them."""

    decision = forms.ChoiceField(label=_("Your decision on the record"), widget=forms.RadioSelect)
    legal_basis = forms.ChoiceField(
        label=_("Legal basis"), required=False,
        help_text=_("Required when you withhold the record or strike out parts of it."))
    reason = forms.CharField(
        label=_("Reason (optional)"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A few words for the cover letter and the log."))

    def __init__(self, *args, item: RequestItem, sections=(), record_gone=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        decisions = [(value, label) for value, label in RequestItem.Decision.choices
                     if value != RequestItem.Decision.PENDING
                     and not (item.whole_file and value == RequestItem.Decision.STRIKE)
                     and not (record_gone and value != RequestItem.Decision.WITHHOLD)]
        self.fields["decision"].choices = decisions
        self.fields["legal_basis"].choices = [
            ("", _("No basis (the record is released)")),
            *[(value, label) for value, label in RequestItem.LegalBasis.choices if value]]
        self.strike_names = []
        if not item.whole_file:
            for index, section in enumerate(sections):
                name = f"strike-{index}"
                self.fields[name] = forms.CharField(
                    label=_("Passages to strike in “%(heading)s”, one per line") % {
                        "heading": section.heading or _("the text")},
                    required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 3}),
                    help_text=_("Copy each passage exactly as it stands in the text above. Choose “Release with "
                                "parts struck out” below."))
                self.strike_names.append(name)
        if not self.is_bound:
            if item.decision != RequestItem.Decision.PENDING:
                self.initial.update(decision=item.decision, legal_basis=item.legal_basis, reason=item.reason)
            for index, name in enumerate(self.strike_names):
                self.initial[name] = "\n".join(strike.get("passage", "") for strike in item.strikes or []
                                               if strike.get("section") == index)

    def strike_fields(self):
        return [self[name] for name in self.strike_names]

    def other_fields(self):
        return [self[name] for name in ("decision", "legal_basis", "reason")]

    def strikes(self) -> list[dict]:
        """The passages marked, as RequestItem.strikes holds them: [{"section": i, "passage": line}]."""
        found = []
        for index, name in enumerate(self.strike_names):
            for line in (self.cleaned_data.get(name) or "").splitlines():
                if line.strip():
                    found.append({"section": index, "passage": line.strip()})
        return found


class RetentionRuleForm(forms.Form):
    """One rule of the retention table; what the law fixes is checked again by records.services.rule_set."""

    category = forms.ChoiceField(label=_("Records"), choices=RetentionRule.Category.choices)
    case_type = forms.CharField(
        label=_("Case type (person cases only)"), max_length=100, required=False,
        help_text=_("Leave empty for every person case without a rule of its own. The name as the schools "
                    "spell it."))
    action = forms.ChoiceField(label=_("Then"), choices=RetentionRule.Action.choices, widget=forms.RadioSelect)
    years = forms.IntegerField(label=_("Years after the student leaves"), min_value=0, max_value=100)


class HoldBackForm(forms.Form):
    reason = forms.CharField(label=_("Why is the record held back?"), max_length=300,
                             help_text=_("E.g. a complaint or a lawsuit that needs it. It will not be proposed "
                                         "for destruction again."))


class ApproveForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have gone through the list. Delete these records now; this cannot be undone."))


class AuthoritySettingsForm(forms.Form):
    """The records officer's settings for the county or municipality: deadlines, complaint text, and the
    authority's own words for the free-text warning (one per line, per language)."""

    subject_deadline_days = forms.IntegerField(
        label=_("Days to answer a data subject"), min_value=1, max_value=90,
        help_text=_("GDPR article 15: one month. Counts for requests registered from now on."))
    other_deadline_days = forms.IntegerField(label=_("Days to answer anyone else"), min_value=1, max_value=90)
    complaint_text = forms.CharField(label=_("How to complain (in the cover letter)"), widget=forms.Textarea,
                                     max_length=3000)
    words_nb = forms.CharField(label=_("Words to warn about, bokmål"), widget=forms.Textarea(attrs={"rows": 4}),
                               required=False, help_text=_("One word per line, in addition to the default list."))
    words_nn = forms.CharField(label=_("Words to warn about, nynorsk"), widget=forms.Textarea(attrs={"rows": 4}),
                               required=False, help_text=_("One word per line, in addition to the default list."))
    words_en = forms.CharField(label=_("Words to warn about, English"), widget=forms.Textarea(attrs={"rows": 4}),
                               required=False, help_text=_("One word per line, in addition to the default list."))

    def words(self) -> dict[str, list[str]]:
        return {language: self.cleaned_data[f"words_{language}"].splitlines() for language in ("nb", "nn", "en")}
