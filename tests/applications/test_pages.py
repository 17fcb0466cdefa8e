"""The application pages and API, end to end over HTTP: apply, follow, move, withdraw; bad input changes nothing."""
from datetime import timedelta

import pytest
from sqlmodel import select

from portal.applications.models import Application
from portal.clock import today
from portal.positions.models import Position, PositionStatus
from portal.resumes import service as resumes
from tests.conftest import api_token
from tests.factories import make_application, make_employer, make_graduate, make_position, make_resume
from tests.resumes.test_resumes import real_pdf


@pytest.fixture
def world(session, settings):
    organization, recruiter = make_employer(session)
    position = make_position(session, organization, headcount=1, title="数据分析师")
    graduate = make_graduate(session, display_name="王小明")
    make_resume(session, graduate)
    resumes.upload_pdf(session, settings=settings, user=graduate, filename="王小明.pdf", chunks=[real_pdf()])
    return organization, recruiter, position, graduate


def applications_in(session):
    session.expire_all()
    return session.exec(select(Application)).all()


def test_the_whole_journey_in_pages(session, client_for, world):
    organization, recruiter, position, graduate = world
    me = client_for(graduate)
    form = me.get(f"/applications/new?position_id={position.id}")
    assert form.status_code == 200 and "数据分析师" in form.text
    sent = me.post("/applications", data={"position_id": str(position.id), "cover_note": "我下个月可以入职"},
                   follow_redirects=False)
    assert sent.status_code == 303
    application = applications_in(session)[0]
    assert sent.headers["location"] == f"/me/applications/{application.id}?sent=1"
    again = me.post("/applications", data={"position_id": str(position.id)})
    assert again.status_code == 409 and f"/me/applications/{application.id}" in again.text
    assert len(applications_in(session)) == 1
    assert me.get(f"/applications/new?position_id={position.id}", follow_redirects=False).status_code == 303

    hr = client_for(recruiter)
    listing = hr.get(f"/employer/positions/{position.id}/applicants")
    assert listing.status_code == 200 and "王小明" in listing.text
    only_offers = hr.get(f"/employer/positions/{position.id}/applicants?status=offer", headers={"HX-Request": "true"})
    assert "<html" not in only_offers.text and "王小明" not in only_offers.text
    detail = hr.get(f"/employer/applications/{application.id}")
    assert detail.status_code == 200 and "我下个月可以入职" in detail.text
    assert applications_in(session)[0].status == "received"  # the page then reports it was seen
    assert hr.post(f"/employer/applications/{application.id}/viewed", headers={"HX-Request": "true"}).status_code == 200
    assert applications_in(session)[0].status == "viewed"
    moved = hr.post(f"/employer/applications/{application.id}/stage", headers={"HX-Request": "true"},
                    data={"status": "shortlisted", "message": "请准备作品集"})
    assert moved.status_code == 200 and moved.headers["HX-Trigger"] == "application-moved"
    skip = hr.post(f"/employer/applications/{application.id}/stage", headers={"HX-Request": "true"},
                   data={"status": "hired"})
    assert skip.status_code == 409 and "alert error" in skip.text
    assert applications_in(session)[0].status == "shortlisted"
    pdf = hr.get(f"/applications/{application.id}/resume.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-") and pdf.headers["x-content-type-options"] == "nosniff"

    home = me.get("/me")
    assert home.status_code == 200 and "请准备作品集" in home.text and "数据分析师" in home.text
    mine = me.get("/me/applications?status=active", headers={"HX-Request": "true"})
    assert "数据分析师" in mine.text and "<html" not in mine.text
    page = me.get(f"/me/applications/{application.id}")
    assert "请准备作品集" in page.text
    me.post(f"/me/applications/{application.id}/withdraw")
    assert applications_in(session)[0].status == "withdrawn"
    late = hr.post(f"/employer/applications/{application.id}/stage", data={"status": "interview"})
    assert late.status_code == 409 and applications_in(session)[0].status == "withdrawn"


def test_snapshot_pdf_survives_resume_changes(session, settings, client_for, world):
    _, recruiter, position, graduate = world
    application = make_application(session, graduate, position, settings=settings)
    sent_pdf = client_for(recruiter).get(f"/applications/{application.id}/resume.pdf").content
    resumes.upload_pdf(session, settings=settings, user=graduate, filename="new.pdf", chunks=[real_pdf("完全不同")])
    resumes.delete_pdf(session, settings=settings, user=graduate)
    assert client_for(recruiter).get(f"/applications/{application.id}/resume.pdf").content == sent_pdf


@pytest.mark.parametrize("data, status", [
    ({"position_id": "abc"}, 422),
    ({"position_id": ""}, 422),
    ({}, 422),
    ({"position_id": "99999999999999999999"}, 422),
    ({"position_id": "424242"}, 404),
    ({"position_id": "{pid}", "cover_note": "x" * 2001}, 422),
])
def test_malformed_apply_forms_change_nothing(session, client_for, world, data, status):
    _, _, position, graduate = world
    data = {k: v.format(pid=position.id) for k, v in data.items()}
    response = client_for(graduate).post("/applications", data=data)
    assert response.status_code == status and "alert error" in response.text
    assert applications_in(session) == []


def test_closed_and_expired_positions_explain_themselves(session, client_for, world):
    organization, _, _, graduate = world
    closed = make_position(session, organization, status=PositionStatus.closed, close_reason="by_employer")
    past = make_position(session, organization, deadline=today() - timedelta(days=2))
    me = client_for(graduate)
    for position in (closed, past):
        response = me.post("/applications", data={"position_id": str(position.id)}, headers={"HX-Request": "true"})
        assert response.status_code == 409 and response.headers["HX-Retarget"] == "#flash"
    me.cookies.set("lang", "en")
    assert "The deadline for this position has passed." in me.get(f"/applications/new?position_id={past.id}").text
    assert applications_in(session) == []


def test_hiring_the_last_place_closes_the_position_as_filled(session, settings, client_for, world):
    _, recruiter, position, graduate = world
    application = make_application(session, graduate, position, settings=settings)
    hr = client_for(recruiter)
    for stage in ("interview", "offer", "hired"):
        assert hr.post(f"/employer/applications/{application.id}/stage", data={"status": stage},
                       follow_redirects=False).status_code == 303
    session.expire_all()
    filled = session.get(Position, position.id)
    assert filled.status == "closed" and filled.close_reason == "filled"


def test_applications_api(session, client, world):
    organization, recruiter, position, graduate = world
    me = api_token(client, graduate.email)
    hr = api_token(client, recruiter.email)
    created = client.post("/api/v1/applications", json={"position_id": position.id, "cover_note": "hi"}, headers=me)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["status"] == "received" and body["has_pdf"] and body["events"][0]["status"] == "received"
    assert client.post("/api/v1/applications", json={"position_id": position.id}, headers=me).status_code == 409
    assert client.post("/api/v1/applications", json={"position_id": "x"}, headers=me).status_code == 422
    assert [a["id"] for a in client.get("/api/v1/me/applications", headers=me).json()] == [body["id"]]
    listed = client.get(f"/api/v1/positions/{position.id}/applicants", headers=hr).json()
    assert listed[0]["graduate_name"] == "王小明" and listed[0]["school"] == "南开大学"
    detail = client.get(f"/api/v1/employer/applications/{body['id']}", headers=hr).json()
    assert detail["status"] == "received" and detail["resume_snapshot"]["resume"]["headline"]
    viewed = client.post(f"/api/v1/employer/applications/{body['id']}/viewed", headers=hr).json()
    assert viewed["status"] == "viewed" and viewed["events"][-1]["status"] == "viewed"
    moved = client.post(f"/api/v1/employer/applications/{body['id']}/stage", json={"status": "interview", "message": "周五"}, headers=hr)
    assert moved.status_code == 200 and moved.json()["events"][-1]["message"] == "周五"
    bad = client.post(f"/api/v1/employer/applications/{body['id']}/stage", json={"status": "received"}, headers=hr)
    assert bad.status_code == 422
    assert client.post(f"/api/v1/employer/applications/{body['id']}/stage", json={"status": "viewed"}, headers=hr).status_code == 409
    assert client.get(f"/api/v1/applications/{body['id']}/resume.pdf", headers=hr).content.startswith(b"%PDF-")
    withdrawn = client.post(f"/api/v1/me/applications/{body['id']}/withdraw", headers=me)
    assert withdrawn.json()["status"] == "withdrawn"
    assert client.post(f"/api/v1/me/applications/{body['id']}/withdraw", headers=me).status_code == 409
    mine = client.get(f"/api/v1/me/applications/{body['id']}", headers=me).json()
    assert [e["status"] for e in mine["events"]] == ["received", "viewed", "interview", "withdrawn"]


def test_quick_moves_from_the_applicants_table_swap_one_row(session, settings, client_for, world):
    _, recruiter, position, graduate = world
    application = make_application(session, graduate, position, settings=settings)
    hr = client_for(recruiter)
    listing = hr.get(f"/employer/positions/{position.id}/applicants")
    assert f'id="applicant-{application.id}"' in listing.text and 'value="shortlisted"' in listing.text
    row = hr.post(f"/employer/applications/{application.id}/stage", data={"status": "shortlisted", "row": "1"},
                  headers={"HX-Request": "true"})
    assert row.status_code == 200 and row.text.lstrip().startswith("<tr") and 'value="interview"' in row.text
    assert row.headers["HX-Trigger"] == "application-moved"
    stale = hr.post(f"/employer/applications/{application.id}/stage", data={"status": "shortlisted", "row": "1"},
                    headers={"HX-Request": "true"})
    assert stale.status_code == 409 and stale.text.lstrip().startswith("<tr") and 'role="alert"' in stale.text
    assert applications_in(session)[0].status == "shortlisted"


def test_applicants_are_paged(session, settings, client_for, world):
    organization, recruiter, position, _ = world
    from portal.applications import routes

    for _ in range(routes.APPLICANTS_PER_PAGE + 2):
        make_application(session, make_graduate(session), position, settings=settings)
    hr = client_for(recruiter)
    first = hr.get(f"/employer/positions/{position.id}/applicants", headers={"HX-Request": "true"})
    assert first.text.count('id="applicant-') == routes.APPLICANTS_PER_PAGE and 'id="applicants"' not in first.text
    second = hr.get(f"/employer/positions/{position.id}/applicants?page=2")
    assert second.text.count('id="applicant-') == 2
    api = hr.get(f"/api/v1/positions/{position.id}/applicants?per_page=5&page=2")
    assert len(api.json()) == 5
