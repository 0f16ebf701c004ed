"""How a special-education subject is written on the competence certificate (seed 001, section 11).

Pure functions, no database. The rule texts are quotations of the national
rules ("Føring av vitnemål og kompetansebevis", Utdanningsdirektoratet) and
stay in Norwegian whatever the UI language; only the consequences' short
summaries are UI text.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

IV = "IV"
IV_TEXT = "Ikke vurderingsgrunnlag"

# IOP1000–IOP5000 in the rules; schools with more years continue the series.
YEAR_CODE = re.compile(r"^IOP[1-9]000$", re.IGNORECASE)


@dataclass(frozen=True)
class Rule:
    code: str
    text: str


FAM05 = Rule("FAM05", "Individuell opplæringsplan")
VMM27 = Rule(
    "VMM27",
    "Der elevens individuelle opplæringsplan ikke gir grunnlag for standpunktkarakter etter Læreplanverket "
    "for Kunnskapsløftet, er dette markert med (IV) «Ikke vurderingsgrunnlag» i standpunktkarakterrubrikken.",
)
VMM26 = Rule(
    "VMM26",
    "Eleven har enkeltvedtak om spesialundervisning, jf. opplæringsloven § 5-1, og avvik fra Læreplanverket "
    "for Kunnskapsløftet i ett eller flere fag.",
)
VMM23 = Rule("VMM23", "Jf. vedlegg.")

RULE_GRADED = (
    "Når eleven får karakter i faget, skal dere ikke føre på vitnemålet eller kompetansebeviset at eleven "
    "har hatt individuell opplæringsplan."
)
RULE_NO_BASIS = (
    "Dersom opplæringen avviker fra læreplanen i ett fag slik at læreren ikke har grunnlag for å gi vurdering "
    "med karakter, skal dere føre «Ikke vurderingsgrunnlag» (IV) i rubrikken for standpunktkarakter. "
    "I tillegg fører dere FAM05 «Individuell opplæringsplan»."
)
RULE_YEAR_CODE = (
    "Dere skal alltid føre «Ikke vurderingsgrunnlag» (IV) i standpunktkarakterrubrikken når dere benytter "
    "disse fagkodene, men dere skal ikke føre noe i merknadsrubrikken (ikke FAM05)."
)
RULE_YEAR = "I rubrikken år fører dere det året opplæringen var avsluttet."
RULE_YEAR_OF_CODE = "I rubrikken år fører dere året opplæringen ble avsluttet for koden."
RULE_THREE_REMARKS = "På kompetansebeviset skal dere føre tre vitnemålsmerknader:"
RULE_ANNEX = (
    "På vedlegget til kompetansebeviset skal dere føre hvilken opplæring eleven har fått, og hvilke av de "
    "individuelle målene i opplæringsplanen som er nådd."
)
RULE_NO_EXEMPTION = (
    "Dere kan ikke gi elever med individuell opplæringsplan i et fag fritak fra vurdering med karakter."
)


@dataclass(frozen=True)
class Notation:
    subject_code: str
    grade_column: str  # "IV", or "" where the teacher enters the grade itself
    remark: Rule | None
    rule: str  # the seed's wording that decides this notation

    @property
    def is_iv(self) -> bool:
        return self.grade_column == IV


def is_year_code(subject_code: str) -> bool:
    return bool(YEAR_CODE.match(subject_code.strip()))


def notation_for(subject_code: str, has_grade: bool) -> Notation:
    """Grade column and remark of one subject on the certificate."""
    if is_year_code(subject_code):
        # The year codes never carry a grade, whatever the caller claims.
        return Notation(subject_code, IV, None, RULE_YEAR_CODE)
    if has_grade:
        return Notation(subject_code, "", None, RULE_GRADED)
    return Notation(subject_code, IV, FAM05, RULE_NO_BASIS)


def certificate_remarks(notations) -> list[Rule]:
    """The certificate remarks (VMM27, VMM26, VMM23) once any subject is marked IV; else none."""
    if any(notation.is_iv for notation in notations):
        return [VMM27, VMM26, VMM23]
    return []


def year_number(subject_code: str) -> int | None:
    """The year of training a year code stands for (IOP4000 → 4); None for an ordinary subject."""
    return int(subject_code.strip()[3]) if is_year_code(subject_code) else None


# --- The certificate's consequences (seed 001, 11.3), shown beside the helper's result ----------

RULE_COMPETENCE_CERTIFICATE = (
    "Eleven vil i slike tilfeller ikke oppfylle vilkårene for å få utstedt vitnemål, men vil få et kompetansebevis."
)
RULE_ORDER_AND_CONDUCT = "Orden og adferd fører dere med ordinær karaktervurdering."
RULE_ABSENCE = (
    "Fravær fører dere på vanlig måte for 1., 2. og 3. år. Dersom eleven har hatt utvidet opplæringstid, "
    "skal dere også føre fravær separat for 4. år og eventuelt 5. år."
)
RULE_VG1_ONLY = (
    "Dersom den individuelle opplæringsplanen for alle årene i opplæringen ikke bygger på mål fra vg2 eller vg3, "
    "fører dere bare utdanningsprogrammet/programområdet eleven er tatt inn til på vg1."
)


@dataclass(frozen=True)
class Consequence:
    summary: str  # a short line in the UI language
    rule: str  # the seed's wording


@dataclass(frozen=True)
class History:
    """What the certificate needs from the student's earlier years."""

    training_years: int  # years with an IOP, this one included
    builds_on_upper_levels: bool  # some year's plan builds on Vg2/Vg3 goals


def certificate_consequences(notations, history: History) -> list[Consequence]:
    """The consequences the seed states for a certificate with these notations; none when all are graded."""
    notations = list(notations)
    if not any(notation.is_iv for notation in notations):
        return []
    consequences = [
        Consequence(_("IV in a subject: the student gets a competence certificate (kompetansebevis), "
                      "not a diploma (vitnemål)."), RULE_COMPETENCE_CERTIFICATE),
        Consequence(_("Order and conduct are graded as usual."), RULE_ORDER_AND_CONDUCT),
    ]
    codes = [year_number(notation.subject_code) or 0 for notation in notations]
    if max([history.training_years, *codes]) > 3:
        consequences.append(Consequence(_("Extended training time: record absence separately for the 4th "
                                          "and any 5th year."), RULE_ABSENCE))
    if not history.builds_on_upper_levels:
        consequences.append(Consequence(_("No year of the plan builds on Vg2 or Vg3 goals: write only the "
                                          "Vg1 programme area the student was admitted to."), RULE_VG1_ONLY))
    return consequences
