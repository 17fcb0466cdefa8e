"""Holes found from outside: unreviewed positions reachable for applying, a withdrawn applicant's résumé still
downloadable, and a GET that changed state."""
import pytest

from portal.applications import service
from portal.resumes import service as resumes
from tests.factories import make_application, make_employer, make_graduate, make_position, make_resume
from tests.resumes.test_resumes import real_pdf


@pytest.mark.parametrize("status", ["draft", "pending_review", "rejected"])
def test_a_position_graduates_cannot_see_cannot_be_opened_for_applying(session, client_for, status):
    organization, _ = make_employer(session)
    hidden = make_position(session, organization, status=status, title="尚未发布的职位")
    published = make_position(session, organization)
    graduate = client_for(make_graduate(session))
    page = graduate.get(f"/applications/new?position_id={hidden.id}")
    assert page.status_code == 404 and "尚未发布的职位" not in page.text
    assert graduate.get(f"/applications/new?position_id={published.id}").status_code == 200


def test_an_employer_cannot_download_a_withdrawn_applicants_resume(session, settings, client_for):
    organization, recruiter = make_employer(session)
    graduate = make_graduate(session)
    resume = make_resume(session, graduate)
    resumes.upload_pdf(session, settings=settings, user=graduate, filename="简历.pdf", chunks=[real_pdf()])
    application = make_application(session, graduate, make_position(session, organization), settings=settings)
    employer, owner = client_for(recruiter), client_for(graduate)
    links = (f"/applications/{application.id}/resume.pdf", f"/resumes/{resume.id}/pdf")
    assert [employer.get(link).status_code for link in links] == [200, 200]

    service.withdraw(session, settings=settings, user=graduate, application_id=application.id)

    assert [employer.get(link).status_code for link in links] == [404, 404]
    assert "resume.pdf" not in employer.get(f"/employer/applications/{application.id}").text
    assert [owner.get(link).status_code for link in links] == [200, 200]  # still the graduate's own


def test_opening_an_application_changes_nothing_until_the_page_reports_it_was_seen(session, settings, client_for):
    organization, recruiter = make_employer(session)
    graduate = make_graduate(session)
    application = make_application(session, graduate, make_position(session, organization), settings=settings)
    employer = client_for(recruiter)

    page = employer.get(f"/employer/applications/{application.id}")
    assert page.status_code == 200 and f'hx-post="/employer/applications/{application.id}/viewed"' in page.text
    session.refresh(application)
    assert application.status == "received"

    seen = employer.post(f"/employer/applications/{application.id}/viewed", headers={"HX-Request": "true"})
    assert seen.status_code == 200 and 'id="stage-card"' in seen.text and "/viewed" not in seen.text
    session.refresh(application)
    assert application.status == "viewed"
    # The page no longer asks once it has been seen, and another organisation cannot mark it.
    assert "/viewed" not in employer.get(f"/employer/applications/{application.id}").text
    stranger = client_for(make_employer(session)[1])
    assert stranger.post(f"/employer/applications/{application.id}/viewed").status_code == 404
