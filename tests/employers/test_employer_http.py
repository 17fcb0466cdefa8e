"""Employer pages and API over HTTP: sign-up, team, officers' verification, and who may reach what."""
from sqlmodel import select

from portal.audit.models import AuditEntry
from portal.employers.models import Organization, OrganizationStatus
from portal.notifications.models import Notification
from portal.positions.models import PositionStatus
from tests.conftest import api_token, csrf_from
from tests.factories import (PASSWORD, make_employer, make_graduate, make_officer, make_position,
                             organization_signup_data)


def test_landing_links_to_employer_signup(client):
    assert 'href="/signup/employer"' in client.get("/").text


def test_employer_signs_up_through_the_form_and_lands_on_their_home(client, session):
    token = csrf_from(client.get("/signup/employer").text)
    data = organization_signup_data(name="天津海河数字科技有限公司", uscc="91440300-708461136t")
    response = client.post("/signup/employer", data={**data, "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/employer")
    organization = session.exec(select(Organization)).one()
    assert organization.uscc == "91440300708461136T" and organization.status == "pending"
    home = client.get("/employer")
    assert home.status_code == 200 and "天津海河数字科技有限公司" in home.text
    assert "status-pending" in home.text


def test_signup_with_an_invalid_code_shows_the_field_error_and_creates_nothing(client, session):
    token = csrf_from(client.get("/signup/employer").text)
    data = organization_signup_data(uscc="91440300708461136U", contact_phone="12")
    response = client.post("/signup/employer", data={**data, "csrf_token": token}, headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 422
    assert "校验码" in response.text  # the check-character message, in Chinese
    assert 'value="91440300708461136U"' in response.text  # what was typed stays in the form
    assert session.exec(select(Organization)).all() == []


def test_api_signup_then_owner_adds_a_recruiter(client, session):
    token = csrf_from(client.get("/signup/employer").text)
    data = organization_signup_data()
    response = client.post("/api/v1/organizations", json=data, headers={"X-CSRF-Token": token})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["organization"]["status"] == "pending" and body["owner"]["is_owner"] is True
    headers = api_token(client, data["email"])
    added = client.post("/api/v1/organizations/mine/recruiters", headers=headers,
                        json={"email": "hr2@example.com", "display_name": "孙七", "password": PASSWORD})
    assert added.status_code == 201
    team = client.get("/api/v1/organizations/mine/recruiters", headers=headers).json()
    assert [m["email"] for m in team] == [data["email"], "hr2@example.com"]
    colleague = api_token(client, "hr2@example.com")
    refused = client.post("/api/v1/organizations/mine/recruiters", headers=colleague,
                          json={"email": "hr3@example.com", "display_name": "x", "password": PASSWORD})
    assert refused.status_code == 403


def test_api_signup_with_bad_code_is_422_and_creates_nothing(client, session):
    token = csrf_from(client.get("/signup/employer").text)
    response = client.post("/api/v1/organizations", json=organization_signup_data(uscc="123"),
                           headers={"X-CSRF-Token": token})
    assert response.status_code == 422
    assert session.exec(select(Organization)).all() == []


def test_team_page_adds_a_recruiter_with_htmx(session, client_for):
    _organization, owner = make_employer(session)
    client = client_for(owner)
    assert client.get("/employer/team").status_code == 200
    response = client.post("/employer/team", data={"display_name": "周八", "email": "zhou@example.com",
                                                   "password": PASSWORD}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "zhou@example.com" in response.text and "<html" not in response.text


def test_officer_verifies_from_the_list_with_htmx(session, client_for):
    organization, recruiter = make_employer(session, status=OrganizationStatus.pending)
    officer = make_officer(session, city_wide=True)
    client = client_for(officer)
    page = client.get("/officer/organizations")
    assert page.status_code == 200 and organization.name in page.text
    fragment = client.get("/officer/organizations?status=verified", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and organization.name not in fragment.text
    response = client.post(f"/officer/organizations/{organization.id}/verify", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "status-verified" in response.text
    session.refresh(organization)
    assert organization.status == "verified"
    assert session.exec(select(Notification).where(Notification.user_id == recruiter.id)).first() is not None


def test_officer_suspends_with_a_reason_the_employer_sees(session, client_for):
    organization, recruiter = make_employer(session)
    position = make_position(session, organization)
    officer = make_officer(session, city_wide=True)
    officer_client = client_for(officer)
    empty = officer_client.post(f"/officer/organizations/{organization.id}/suspend", data={"reason": ""},
                                headers={"HX-Request": "true"})
    assert empty.status_code == 422
    session.refresh(organization)
    assert organization.status == "verified"
    done = officer_client.post(f"/officer/organizations/{organization.id}/suspend", data={"reason": "招聘信息虚假，被投诉"},
                                 follow_redirects=False)
    assert done.status_code == 303
    employer_home = client_for(recruiter).get("/employer")
    assert "招聘信息虚假，被投诉" in employer_home.text
    assert client_for(make_graduate(session)).get(f"/jobs/{position.id}").status_code == 404
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "organization.suspend")).one()


def test_graduates_and_employers_cannot_reach_officer_pages(session, client_for, client):
    organization, recruiter = make_employer(session, status=OrganizationStatus.pending)
    for user in (make_graduate(session), recruiter):
        c = client_for(user)
        assert c.get("/officer/organizations").status_code == 403
        assert c.post(f"/officer/organizations/{organization.id}/verify").status_code == 403
        assert c.get("/api/v1/organizations").status_code == 403
    anonymous = client.get("/officer/organizations", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    session.refresh(organization)
    assert organization.status == "pending"


def test_officer_of_another_district_gets_404(session, client_for):
    organization, _ = make_employer(session, status=OrganizationStatus.pending, district="滨海新区")
    c = client_for(make_officer(session, districts=["蓟州区"]))
    assert c.get(f"/officer/organizations/{organization.id}").status_code == 404
    assert c.post(f"/officer/organizations/{organization.id}/verify").status_code == 404


def test_api_verification_round_trip(client, session):
    organization, recruiter = make_employer(session, status=OrganizationStatus.pending)
    officer = make_officer(session, city_wide=True)
    headers = api_token(client, officer.email)
    listed = client.get("/api/v1/organizations?status=pending", headers=headers).json()
    assert [o["id"] for o in listed["items"]] == [organization.id]
    assert client.post(f"/api/v1/organizations/{organization.id}/verify", headers=headers).json()["status"] == "verified"
    assert client.post(f"/api/v1/organizations/{organization.id}/verify", headers=headers).status_code == 409
    bad = client.post(f"/api/v1/organizations/{organization.id}/suspend", headers=headers, json={"reason": ""})
    assert bad.status_code == 422
    suspended = client.post(f"/api/v1/organizations/{organization.id}/suspend", headers=headers, json={"reason": "资质过期"})
    assert suspended.json()["status_reason"] == "资质过期"
    mine = client.get("/api/v1/organizations/mine", headers=api_token(client, recruiter.email)).json()
    assert mine["status"] == "suspended" and mine["status_reason"] == "资质过期"
    # Unverified organisations are not public; verified ones are, without contact details.
    assert client.get(f"/api/v1/organizations/{organization.id}").status_code == 404
    client.post(f"/api/v1/organizations/{organization.id}/reinstate", headers=headers)
    public = client.get(f"/api/v1/organizations/{organization.id}").json()
    assert public["status"] == "verified" and "contact_phone" not in public


def test_owner_edits_the_profile_page(session, client_for, client):
    organization, owner = make_employer(session, status=OrganizationStatus.pending)
    c = client_for(owner)
    assert c.get("/employer/organization").status_code == 200
    data = dict(name="天津新名称有限公司", industry="finance", size="1-49", district="河西区", address="", description="",
                contact_name="吴经理", contact_phone="13800001111", contact_email="wu@example.com")
    bad = c.post("/employer/organization", data={**data, "contact_phone": "123"})
    assert bad.status_code == 422 and 'class="field has-error"' in bad.text
    assert c.post("/employer/organization", data=data).status_code == 200
    session.refresh(organization)
    assert organization.name == "天津新名称有限公司" and organization.address is None
    headers = api_token(client, owner.email)
    api = client.put("/api/v1/organizations/mine", json={**data, "size": "50-199"}, headers=headers)
    assert api.status_code == 200 and api.json()["size"] == "50-199"


def test_officer_sees_the_decision_history(session, client_for):
    organization, _ = make_employer(session, status=OrganizationStatus.pending)
    officer = make_officer(session, city_wide=True, display_name="审核员甲")
    c = client_for(officer)
    c.post(f"/officer/organizations/{organization.id}/suspend", data={"reason": "材料不全"})
    c.post(f"/officer/organizations/{organization.id}/reinstate")
    page = c.get(f"/officer/organizations/{organization.id}", headers={"Accept-Language": "zh-CN"}).text
    assert "材料不全" in page and "审核员甲" in page and "已恢复" in page
