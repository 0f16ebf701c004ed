"""How a special-education subject is written on the competence certificate (seed 001, section 11).

Pure functions, no database. The rule texts are quotations of the national
rules ("Føring av vitnemål og kompetansebevis", Utdanningsdirektoratet) and
stay in Norwegian whatever the UI language.
"""

import re
from dataclasses import dataclass

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
