"""The demo graduate's part of `portal serve --demo`: a complete resume and two applications, seeded once (one of
them moved on to the video interview the live-services demo schedules)."""

from portal import demo
from portal.accounts import service as accounts
from portal.accounts.models import Role
from portal.applications import service as applications
from portal.employers.models import Recruiter
from portal.resumes import service as resumes
from tests.factories import make_employer, make_position


def demo_employer_with_positions(session):
    """Stands in for the employer part of the demo when it is not there yet."""
    if accounts.get_user_by_email(session, demo.EMPLOYER_EMAIL):
        return
    organization, _ = make_employer(session)
    hr = accounts.create_user(session, email=demo.EMPLOYER_EMAIL, password=demo.DEMO_PASSWORD, role=Role.employer,
                              display_name="演示招聘专员")
    session.add(Recruiter(user_id=hr.id, organization_id=organization.id, is_owner=False))
    session.commit()
    for title in ("后端开发工程师", "数据分析师", "测试工程师"):
        make_position(session, organization, title=title)


def test_demo_graduate_gets_a_resume_and_two_applications_once(session, settings):
    demo.seed(session, settings=settings)
    graduate = accounts.get_user_by_email(session, demo.GRADUATE_EMAIL)
    resume = resumes.get_resume(session, graduate_id=graduate.id)
    percent, missing = resumes.completeness(resume, resumes.profile_of(session, user=graduate))
    assert percent == 100 and missing == []

    demo_employer_with_positions(session)
    demo.seed(session, settings=settings)
    demo.seed(session, settings=settings)
    views = applications.list_for_graduate(session, user=graduate)
    assert sorted(v.application.status for v in views) == ["interview", "shortlisted"]
    assert len(resumes.get_resume(session, graduate_id=graduate.id).skills) >= 3
