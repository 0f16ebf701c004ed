"""The notation helper applies seed 001 (certificate rules for IOP students)."""

import pytest

from iop.notation import (
    FAM05,
    IV,
    VMM23,
    VMM26,
    VMM27,
    certificate_remarks,
    notation_for,
)


@pytest.mark.parametrize(
    "code, has_grade, grade_column, remark",
    [
        ("MAT1019", True, "", None),
        ("MAT1019", False, IV, FAM05),
        ("NOR1211", False, IV, FAM05),
        ("IOP1000", False, IV, None),
        ("IOP3000", False, IV, None),
        ("IOP5000", False, IV, None),
        ("IOP1000", True, IV, None),
        ("IOP5000", True, IV, None),
        ("IOP6000", False, IV, None),  # further years where the school has them
        ("IOP1001", False, IV, FAM05),  # not a year code
    ],
)
def test_notation_per_subject(code, has_grade, grade_column, remark):
    notation = notation_for(code, has_grade)
    assert (notation.grade_column, notation.remark) == (grade_column, remark)


def test_fam05_has_the_seed_wording():
    assert (FAM05.code, FAM05.text) == ("FAM05", "Individuell opplæringsplan")


def test_a_mix_brings_the_three_certificate_remarks_with_their_texts():
    notations = [notation_for("MAT1019", True), notation_for("NOR1211", False), notation_for("IOP1000", False)]
    remarks = certificate_remarks(notations)
    assert [r.code for r in remarks] == ["VMM27", "VMM26", "VMM23"]
    assert remarks == [VMM27, VMM26, VMM23]
    assert VMM27.text.startswith("Der elevens individuelle opplæringsplan ikke gir grunnlag for standpunktkarakter")
    assert VMM27.text.endswith("er dette markert med (IV) «Ikke vurderingsgrunnlag» i standpunktkarakterrubrikken.")
    assert VMM26.text == ("Eleven har enkeltvedtak om spesialundervisning, jf. opplæringsloven § 5-1, og avvik fra "
                          "Læreplanverket for Kunnskapsløftet i ett eller flere fag.")
    assert VMM23.text == "Jf. vedlegg."


def test_year_codes_alone_bring_the_remarks_too():
    assert [r.code for r in certificate_remarks([notation_for("IOP2000", True)])] == ["VMM27", "VMM26", "VMM23"]


def test_all_graded_brings_no_remarks():
    assert certificate_remarks([notation_for("MAT1019", True), notation_for("NOR1211", True)]) == []
    assert certificate_remarks([]) == []
