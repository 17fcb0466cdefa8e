"""Each role reaches only its own objects: someone else's resume, application or PDF is a 404."""
import pytest

from portal.resumes import service as resumes
from tests.conftest import api_token
from tests.factories import make_application, make_employer, make_graduate, make_officer, make_position, make_resume
from tests.resumes.test_resumes import real_pdf


@pytest.fixture
def two_sides(session, settings):
    """Graduate A applied to org A; graduate B applied to org B. Both have PDFs."""
    org_a, hr_a = make_employer(session)
    org_b, hr_b = make_employer(session)
    pos_a, pos_b = make_position(session, org_a), make_position(session, org_b)
    grad_a, grad_b = make_graduate(session), make_graduate(session)
    for graduate in (grad_a, grad_b):
        make_resume(session, graduate)
        resumes.upload_pdf(session, settings=settings, user=graduate, filename="r.pdf", chunks=[real_pdf()])
    app_a = make_application(session, grad_a, pos_a, settings=settings)
    app_b = make_application(session, grad_b, pos_b, settings=settings)
    return dict(
        org_a=org_a, hr_a=hr_a, pos_a=pos_a, grad_a=grad_a, app_a=app_a,
        org_b=org_b, hr_b=hr_b, pos_b=pos_b, grad_b=grad_b, app_b=app_b,
        resume_a=resumes.get_resume(session, graduate_id=grad_a.id),
        resume_b=resumes.get_resume(session, graduate_id=grad_b.id),
    )


def test_graduate_a_cannot_reach_b(client_for, two_sides):
    w = two_sides
    a = client_for(w["grad_a"])
    for url in (f"/me/applications/{w['app_b'].id}", f"/applications/{w['app_b'].id}/resume.pdf",
                f"/resumes/{w['resume_b'].id}/pdf", f"/api/v1/me/applications/{w['app_b'].id}",
                f"/api/v1/resumes/{w['resume_b'].id}/pdf", f"/api/v1/applications/{w['app_b'].id}/resume.pdf"):
        assert a.get(url).status_code == 404, url
    assert a.post(f"/me/applications/{w['app_b'].id}/withdraw").status_code == 404
    assert a.post(f"/api/v1/me/applications/{w['app_b'].id}/withdraw").status_code == 404
    # and graduates have no employer pages at all
    assert a.get(f"/employer/applications/{w['app_a'].id}").status_code == 403
    assert a.get(f"/api/v1/positions/{w['pos_a'].id}/applicants").status_code == 403
    # their own things work
    assert a.get(f"/resumes/{w['resume_a'].id}/pdf").status_code == 200
    assert a.get(f"/applications/{w['app_a'].id}/resume.pdf").status_code == 200


def test_recruiter_of_a_cannot_reach_org_b(client_for, two_sides):
    w = two_sides
    hr = client_for(w["hr_a"])
    for url in (f"/employer/positions/{w['pos_b'].id}/applicants", f"/employer/applications/{w['app_b'].id}",
                f"/applications/{w['app_b'].id}/resume.pdf", f"/resumes/{w['resume_b'].id}/pdf",
                f"/api/v1/positions/{w['pos_b'].id}/applicants", f"/api/v1/employer/applications/{w['app_b'].id}"):
        assert hr.get(url).status_code == 404, url
    assert hr.post(f"/employer/applications/{w['app_b'].id}/stage", data={"status": "shortlisted"}).status_code == 404
    assert hr.post(f"/api/v1/employer/applications/{w['app_b'].id}/stage", json={"status": "shortlisted"}).status_code == 404
    # the graduate who applied to them: both the sent copy and the current PDF
    assert hr.get(f"/applications/{w['app_a'].id}/resume.pdf").status_code == 200
    assert hr.get(f"/resumes/{w['resume_a'].id}/pdf").status_code == 200
    # graduates' own pages are not theirs
    assert hr.get("/me/resume").status_code == 403
    assert hr.get(f"/me/applications/{w['app_a'].id}").status_code == 403


def test_officers_and_anonymous_visitors_see_no_resumes(session, client, client_for, two_sides):
    w = two_sides
    officer = client_for(make_officer(session, city_wide=True))
    for url in (f"/resumes/{w['resume_a'].id}/pdf", f"/applications/{w['app_a'].id}/resume.pdf"):
        assert officer.get(url).status_code == 404
        assert client.get(url, follow_redirects=False).status_code in (303, 401)
    assert client.get(f"/api/v1/resumes/{w['resume_a'].id}/pdf").status_code == 401


def test_notifications_are_private(session, client, two_sides):
    from portal.notifications import service as notifications

    w = two_sides
    theirs, _ = notifications.list_for(session, user=w["grad_b"])
    headers = api_token(client, w["grad_a"].email)
    assert client.post(f"/api/v1/notifications/{theirs[0].id}/read", headers=headers).status_code == 404
    ids = [n["id"] for n in client.get("/api/v1/notifications", headers=headers).json()["items"]]
    assert theirs[0].id not in ids
