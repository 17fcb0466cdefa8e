"""Subsidy pages and API through real HTTP: the graduate's claim, the officer's review, and two officers approving
the same claim at the same moment against PostgreSQL."""
import httpx
import pytest
from sqlmodel import select

from portal.audit.models import AuditEntry
from portal.subsidies.models import SubsidyApplication, SubsidyEvent
from tests.conftest import api_token, sign_in
from tests.factories import (
    PDF_BYTES,
    at_once,
    make_employer,
    make_graduate,
    make_officer,
    make_subsidy_claim,
    make_trainee,
)

# Pages are the same on either database: their tests run on PostgreSQL (the services run on both).
pytestmark = pytest.mark.parametrize("database", ["postgres"], indirect=True)

def test_a_graduate_claims_with_uploaded_documents_and_sees_the_approval(client_for, session, settings):
    programme, _, graduate = make_trainee(session, settings)
    browser = client_for(graduate)
    assert "申请培训补贴" in browser.get(f"/training/{programme.id}").text
    start = browser.get(f"/me/subsidies/new?programme_id={programme.id}")
    assert start.status_code == 200 and "开始申请" in start.text
    created = browser.post("/me/subsidies", data={"programme_id": str(programme.id)}, follow_redirects=False)
    assert created.status_code == 303
    claim_url = created.headers["location"]

    refused = browser.post(f"{claim_url}/documents", data={"kind": "id_card"},
                           files={"file": ("id.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")})
    assert refused.status_code == 422 and "PDF、JPEG 或 PNG" in refused.text
    for kind in ("id_card", "certificate", "bank_card"):
        uploaded = browser.post(f"{claim_url}/documents", data={"kind": kind},
                                files={"file": (f"{kind}.pdf", PDF_BYTES, "application/pdf")},
                                headers={"HX-Request": "true"})
        assert uploaded.status_code == 200 and 'id="claim"' in uploaded.text and "<html" not in uploaded.text
    assert browser.post(f"{claim_url}/submit", data={"note": ""}, follow_redirects=False).status_code == 303

    application = session.exec(select(SubsidyApplication)).one()
    officer = client_for(make_officer(session))
    review = officer.get(f"/officer/subsidies/{application.id}")
    assert graduate.display_name in review.text and "毕业年度学生" in review.text
    document_link = review.text.split('href="/subsidies/documents/')[1].split('"')[0]
    download = officer.get(f"/subsidies/documents/{document_link}")
    assert download.content == PDF_BYTES and download.headers["content-disposition"].startswith("attachment")
    assert officer.post(f"/officer/subsidies/{application.id}/approve", data={"amount": "1800"},
                        follow_redirects=False).status_code == 303
    mine = browser.get(claim_url).text
    assert "已核准" in mine and "1800 元" in mine
    programme_page = browser.get(f"/training/{programme.id}").text  # the claim, not a second one
    assert f'href="{claim_url}"' in programme_page and "申请培训补贴" not in programme_page
    export = officer.get("/officer/subsidies/export.xlsx")
    assert export.headers["content-type"].startswith("application/vnd.openxmlformats")


def test_an_officer_asks_for_more_with_a_reason_the_graduate_reads(client_for, session, settings):
    application, graduate = make_subsidy_claim(session, settings)
    officer = client_for(make_officer(session))
    blank = officer.post(f"/officer/subsidies/{application.id}/more", data={"note": " "})
    assert blank.status_code == 422 and "请简要说明" in blank.text
    officer.post(f"/officer/subsidies/{application.id}/more", data={"note": "请补充缴费凭证"})
    page = client_for(graduate).get(f"/me/subsidies/{application.id}").text
    assert "请补充缴费凭证" in page and "补充后再次提交" in page
    assert "此前没有其他申请" in officer.get(f"/officer/subsidies/{application.id}").text
    other, _ = make_subsidy_claim(session, settings, graduate=graduate)  # the officer sees the graduate's history
    assert f'href="/officer/subsidies/{application.id}"' in officer.get(f"/officer/subsidies/{other.id}").text


def test_employers_providers_and_other_graduates_never_see_a_claim(client_for, session, settings):
    application, _ = make_subsidy_claim(session, settings)
    _, recruiter = make_employer(session)
    employer = client_for(recruiter)
    for url in (f"/officer/subsidies/{application.id}", "/officer/subsidies", "/officer/subsidies/export.xlsx",
                f"/me/subsidies/{application.id}", "/api/v1/subsidies", f"/api/v1/subsidies/{application.id}"):
        response = employer.get(url)
        assert response.status_code in (403, 404) and "毕业年度学生" not in response.text, url
    stranger = client_for(make_graduate(session))
    assert stranger.get(f"/me/subsidies/{application.id}").status_code == 404
    assert stranger.get(f"/api/v1/me/subsidies/{application.id}").status_code == 404
    out_of_scope = client_for(make_officer(session, schools=("天津大学",)))
    assert out_of_scope.get(f"/officer/subsidies/{application.id}").status_code == 404


def test_the_api_walks_a_claim_through(client, session, settings):
    programme, _, graduate = make_trainee(session, settings)
    headers = api_token(client, graduate.email)
    created = client.post("/api/v1/me/subsidies", json={"programme_id": programme.id}, headers=headers)
    assert created.status_code == 201
    claim = created.json()["id"]
    bad_kind = client.post(f"/api/v1/me/subsidies/{claim}/documents", data={"kind": "selfie"},
                           files={"file": ("a.pdf", PDF_BYTES, "application/pdf")}, headers=headers)
    assert bad_kind.status_code == 422 and bad_kind.headers["content-type"].startswith("application/problem+json")
    for kind in ("id_card", "certificate", "bank_card"):
        assert client.post(f"/api/v1/me/subsidies/{claim}/documents", data={"kind": kind},
                           files={"file": ("a.pdf", PDF_BYTES, "application/pdf")}, headers=headers).status_code == 201
    assert client.post(f"/api/v1/me/subsidies/{claim}/submit", json={}, headers=headers).json()["status"] == "submitted"
    again = client.post("/api/v1/me/subsidies", json={"programme_id": programme.id}, headers=headers)
    assert again.status_code == 409


def test_two_officers_approving_at_once_approve_once(live_server, session, settings):
    application, _ = make_subsidy_claim(session, settings)
    officers = [make_officer(session, email=f"approver{n}@jinying.gov.cn") for n in (1, 2)]
    clients = [sign_in(httpx.Client(base_url=live_server), officer.email) for officer in officers]
    statuses = at_once(lambda client: client.post(f"/officer/subsidies/{application.id}/approve", data={"amount": "1800"},
                                                  follow_redirects=False).status_code, clients)
    for client in clients:
        client.close()
    assert sorted(statuses) == [303, 422]
    session.expire_all()
    approvals = session.exec(select(SubsidyEvent).where(SubsidyEvent.application_id == application.id,
                                                        SubsidyEvent.action == "approved")).all()
    assert len(approvals) == 1
    assert len(session.exec(select(AuditEntry).where(AuditEntry.action == "subsidy.approved")).all()) == 1
    assert session.get(SubsidyApplication, application.id).approved_amount == 1800


def test_two_api_approvals_at_once_get_one_success_and_one_conflict(live_server, session, settings):
    application, _ = make_subsidy_claim(session, settings)
    officers = [make_officer(session, email=f"api-approver{n}@jinying.gov.cn") for n in (1, 2)]
    with httpx.Client(base_url=live_server) as anonymous:
        tokens = [api_token(anonymous, officer.email) for officer in officers]
    clients = [httpx.Client(base_url=live_server, headers=headers) for headers in tokens]
    statuses = at_once(lambda client: client.post(f"/api/v1/subsidies/{application.id}/approve",
                                                  json={"amount": 1800}).status_code, clients)
    for client in clients:
        client.close()
    assert sorted(statuses) == [200, 409]


def test_claims_waiting_for_a_decision_show_on_the_officer_home(client_for, session, settings):
    make_subsidy_claim(session, settings)
    home = client_for(make_officer(session)).get("/officer").text
    assert "待审核的培训补贴申请" in home
    assert "待审核的培训补贴申请" not in client_for(make_officer(session, schools=("天津大学",))).get("/officer").text
