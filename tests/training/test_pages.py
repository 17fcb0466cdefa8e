"""Training pages through real HTTP: each role's journey, forms with errors, and authorization."""
from datetime import timedelta

import pytest
from sqlmodel import select

from portal.clock import today
from portal.resumes import service as resumes
from portal.training.models import (
    TrainingEnrolment,
    TrainingProgramme,
    TrainingProvider,
)
from tests.conftest import api_token, csrf_from, sign_in
from tests.factories import (
    make_employer,
    make_graduate,
    make_ledger_case,
    make_officer,
    make_position,
    make_programme,
    make_provider,
    make_resume,
)

# Pages are the same on either database: their tests run on PostgreSQL (the services run on both).
pytestmark = pytest.mark.parametrize("database", ["postgres"], indirect=True)

def programme_form(**overrides) -> dict:
    fields = dict(
        title="电工上岗实训", skills="电工、PLC", description="低压电工作业与 PLC 基础，考取特种作业操作证。",
        starts_on=(today() + timedelta(days=10)).isoformat(), ends_on=(today() + timedelta(days=40)).isoformat(),
        schedule="周一至周五 9:00–16:00", mode="in_person", district="西青区", place="天津市西青区中北镇 8 号",
        seats="12", cost="1600", certificate="特种作业操作证（低压电工）", enrol_by=(today() + timedelta(days=8)).isoformat(),
        subsidised="true", subsidy_amount="1200", subsidy_groups=["unemployed_graduate", "priority_group"],
    )
    fields.update(overrides)
    return fields


def test_a_provider_signs_up_waits_for_approval_then_publishes(client, client_for, session):
    token = csrf_from(client.get("/signup/provider").text)
    response = client.post("/signup/provider", data={
        "csrf_token": token, "name": "天津西青职业技能培训中心", "district": "西青区", "address": "天津市西青区中北镇 8 号",
        "contact_name": "孙老师", "contact_phone": "022-23456789", "email": "xq@example.com", "password": "long-enough-1",
    }, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/provider"
    sign_in(client, "xq@example.com", "long-enough-1")
    home = client.get("/provider")
    assert "天津西青职业技能培训中心" in home.text and "New programme" not in home.text
    client.headers["X-CSRF-Token"] = csrf_from(home.text)
    refused = client.post("/training/manage", data=programme_form())
    assert refused.status_code == 422 and "机构审核通过后才能发布培训项目" in refused.text

    provider = session.exec(select(TrainingProvider)).one()
    officer = client_for(make_officer(session, schools=(), districts=("西青区",)))
    assert provider.name in officer.get("/officer/training/providers").text
    decided = officer.post(f"/officer/training/providers/{provider.id}/decision", data={"approve": "true"},
                           follow_redirects=False)
    assert decided.status_code == 303

    created = client.post("/training/manage", data=programme_form(), follow_redirects=False)
    assert created.status_code == 303
    programme_id = int(created.headers["location"].rsplit("/", 1)[1])
    client.post(f"/training/manage/{programme_id}/status/published")
    listing = client.get("/training", params={"skill": "plc"})
    assert "电工上岗实训" in listing.text
    assert session.get(TrainingProgramme, programme_id).status == "published"


def test_the_programme_form_shows_translated_errors_and_keeps_what_was_typed(client_for, session):
    officer = client_for(make_officer(session))
    response = officer.post("/training/manage", data=programme_form(title="", seats="abc", mode="in_person", place=""))
    assert response.status_code == 422
    assert "此项为必填项" in response.text or "必填" in response.text
    assert "电工上岗实训" not in response.text and "低压电工作业" in response.text
    assert session.exec(select(TrainingProgramme)).all() == []


def test_a_graduate_finds_enrols_and_sees_the_enrolment(client_for, session):
    programme = make_programme(session, title="跨境电商运营实训", skills=["跨境电商"])
    graduate = make_graduate(session)
    browser = client_for(graduate)
    found = browser.get("/training", params={"skill": "跨境电商"}).text
    assert "跨境电商运营实训" in found and 'href="/me/training"' in found
    response = browser.post(f"/training/{programme.id}/enrol", follow_redirects=False)
    assert response.status_code == 303
    page = browser.get(response.headers["location"]).text
    assert "enrolled" not in page.lower() or "已报名" in page
    mine = browser.get("/me/training").text
    assert "跨境电商运营实训" in mine and 'href="/me/subsidies"' in mine
    enrolment = session.exec(select(TrainingEnrolment)).one()
    assert browser.post(f"/me/training/{enrolment.id}/cancel", follow_redirects=False).status_code == 303
    session.refresh(enrolment)
    assert enrolment.status == "cancelled"


def test_enrolling_in_a_full_programme_is_a_readable_refusal(client_for, session):
    programme = make_programme(session, seats=1)
    client_for(make_graduate(session)).post(f"/training/{programme.id}/enrol")
    late = client_for(make_graduate(session))
    response = late.post(f"/training/{programme.id}/enrol")
    assert response.status_code == 409 and "名额已满" in response.text
    api = late.post(f"/api/v1/training/programmes/{programme.id}/enrolments")
    assert api.status_code == 409 and api.headers["content-type"].startswith("application/problem+json")


def test_the_provider_records_attendance_and_completion_on_the_roster(client_for, session):
    provider, account = make_provider(session)
    programme = make_programme(session, provider=provider, started=True)
    graduate = make_graduate(session)
    make_resume(session, graduate)
    client_for(graduate).post(f"/training/{programme.id}/enrol")
    enrolment = session.exec(select(TrainingEnrolment)).one()
    browser = client_for(account)
    roster = browser.get(f"/training/manage/{programme.id}")
    assert graduate.display_name in roster.text
    saved = browser.post(f"/training/manage/{programme.id}/attendance",
                         data={"session_on": programme.starts_on.isoformat(), "present": str(enrolment.id)},
                         headers={"HX-Request": "true"})
    assert saved.status_code == 200 and 'id="roster"' in saved.text and "<html" not in saved.text
    refused = browser.post(f"/training/manage/{programme.id}/results/{enrolment.id}", data={"completed": "true"})
    assert refused.status_code == 422
    done = browser.post(f"/training/manage/{programme.id}/results/{enrolment.id}",
                        data={"completed": "true", "certificate_number": "XQ-0001"})
    assert done.status_code == 200
    assert [v.skill for v in resumes.verified_skills(session, graduate_id=graduate.id)] == programme.skills
    resume_page = client_for(graduate).get("/me/resume").text
    assert "证书核验" in resume_page and "XQ-0001" in resume_page


def test_someone_elses_programme_roster_and_results_are_not_found(client_for, session):
    provider, _ = make_provider(session)
    programme = make_programme(session, provider=provider, started=True)
    graduate = make_graduate(session)
    client_for(graduate).post(f"/training/{programme.id}/enrol")
    enrolment = session.exec(select(TrainingEnrolment)).one()
    _, stranger = make_provider(session)
    officer = make_officer(session, city_wide=True)
    for user in (stranger, officer):
        browser = client_for(user)
        assert browser.get(f"/training/manage/{programme.id}").status_code == 404
        assert browser.post(f"/training/manage/{programme.id}/results/{enrolment.id}",
                            data={"completed": "true", "certificate_number": "X"}).status_code == 404
    assert client_for(graduate).get(f"/training/manage/{programme.id}").status_code == 403
    _, recruiter = make_employer(session)
    assert client_for(recruiter).get("/provider").status_code == 403
    assert client_for(recruiter).post(f"/training/{programme.id}/enrol").status_code == 403


def test_a_draft_is_seen_only_by_those_who_run_it(client, client_for, session):
    provider, account = make_provider(session)
    draft = make_programme(session, provider=provider, status="draft")
    assert client.get(f"/training/{draft.id}").status_code == 404
    assert client_for(make_graduate(session)).get(f"/training/{draft.id}").status_code == 404
    assert client_for(account).get(f"/training/{draft.id}").status_code == 200


def test_a_graduate_cannot_cancel_someone_elses_enrolment(client_for, session):
    programme = make_programme(session)
    owner = make_graduate(session)
    client_for(owner).post(f"/training/{programme.id}/enrol")
    enrolment = session.exec(select(TrainingEnrolment)).one()
    assert client_for(make_graduate(session)).post(f"/me/training/{enrolment.id}/cancel").status_code == 404


def test_a_recommendation_with_missing_skills_links_to_programmes_that_teach_them(client_for, session):
    organization, _ = make_employer(session)
    make_position(session, organization, title="运维工程师", skills=["Linux", "Docker", "Kubernetes"])
    graduate = make_graduate(session)
    make_resume(session, graduate, skills=["Linux", "Python"], headline="运维工程师")
    programme = make_programme(session, title="云原生运维实训", skills=["Kubernetes"])
    browser = client_for(graduate)
    page = browser.get("/recommendations").text
    assert 'href="/training?skill=Docker"' in page and "/training/teaching?skill=Docker&amp;skill=Kubernetes" in page
    teaching = browser.get("/training/teaching", params=[("skill", "Docker"), ("skill", "Kubernetes")]).text
    assert f'href="/training/{programme.id}"' in teaching and "有补贴" in teaching
    assert browser.get("/training/teaching", params={"skill": "COBOL"}).text.strip() == ""


def test_each_role_finds_training_in_the_navigation_and_officers_on_their_home(client_for, session, settings):
    graduate_nav = client_for(make_graduate(session)).get("/me/training").text
    assert 'href="/training"' in graduate_nav
    _, account = make_provider(session, status="pending")
    provider = client_for(account)
    assert 'href="/provider"' in provider.get("/provider").text
    officer = client_for(make_officer(session, schools=(), districts=("南开区",)))
    home = officer.get("/officer").text
    assert 'href="/officer/training"' in home and "待审核的培训机构" in home


def test_an_officer_adds_a_programme_to_a_support_plan_from_its_page(client_for, session):
    programme = make_programme(session, title="养老护理员实训")
    officer_user = make_officer(session)
    graduate = make_graduate(session)
    case = make_ledger_case(session, graduate, officer_user)
    officer = client_for(officer_user)
    assert "加入帮扶计划" in officer.get(f"/training/{programme.id}").text
    assert "加入帮扶计划" not in client_for(graduate).get(f"/training/{programme.id}").text
    refused = officer.post(f"/training/{programme.id}/plan", data={"graduate": "nobody@example.com"})
    assert refused.status_code == 422 and "No graduate" not in refused.text
    added = officer.post(f"/training/{programme.id}/plan", data={"graduate": graduate.email})
    assert added.status_code == 200 and "已加入" in added.text
    case_page = officer.get(f"/officer/ledger/cases/{case.id}").text
    assert f'href="/training/{programme.id}"' in case_page and "养老护理员实训" in case_page


def test_the_api_publishes_lists_and_runs_a_programme(client, session, settings):
    _, account = make_provider(session)
    headers = api_token(client, account.email)
    fields = programme_form(subsidy_groups=["final_year"], seats=5, cost=1600, subsidy_amount=1200)
    created = client.post("/api/v1/training/programmes", json=fields, headers=headers)
    assert created.status_code == 201 and created.json()["status"] == "draft"
    programme_id = created.json()["id"]
    for junk in ({"mode": "by_pigeon"}, {"place": 1.5e308, "district": ["南开区"]}):
        invalid = client.post("/api/v1/training/programmes", json={**fields, **junk}, headers=headers)
        assert invalid.status_code == 422 and invalid.headers["content-type"].startswith("application/problem+json")
    session.get(TrainingProgramme, programme_id).status = "published"
    session.commit()
    listing = client.get("/api/v1/training/programmes", params={"skill": "plc"}).json()
    assert [p["id"] for p in listing["items"]] == [programme_id] and listing["items"][0]["seats_left"] == 5
    graduate = make_graduate(session)
    enrolled = client.post(f"/api/v1/training/programmes/{programme_id}/enrolments",
                           headers=api_token(client, graduate.email))
    assert enrolled.status_code == 201
    trainees = client.get(f"/api/v1/training/programmes/{programme_id}/trainees", headers=headers).json()
    assert [t["name"] for t in trainees] == [graduate.display_name]
    _, stranger = make_provider(session)
    assert client.get(f"/api/v1/training/programmes/{programme_id}/trainees",
                      headers=api_token(client, stranger.email)).status_code == 404
