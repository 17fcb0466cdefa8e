"""A school's roster speaks for the school's own graduates only."""
import pytest

from portal.accounts.models import GraduateProfile
from portal.enrolment import service as enrolment
from tests.factories import make_graduate, make_officer


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_roster_cannot_claim_another_schools_graduate_by_email(session, settings):
    """Before, a row with any graduate's email moved them onto the importing school's record (a trusted source), so
    its officer gained them in scope and signed their agreements as the school."""
    tianjin = make_officer(session, schools=("天津大学",))
    nankai_graduate = make_graduate(session, school="南开大学", student_number="2022N001")
    roster = f"学号,邮箱\n2022T001,{nankai_graduate.email}\n".encode()
    result = enrolment.import_roster(session, settings=settings, officer=tianjin, school="天津大学",
                                     filename="roster.csv", content=roster)
    assert result.unmatched == ["2022T001"]
    session.expire_all()
    assert session.get(GraduateProfile, nankai_graduate.id).school == "南开大学"
