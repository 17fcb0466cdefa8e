"""The agreement pages and API over HTTP: who may see and do what."""

from portal.agreements import service
from portal.agreements.models import AgreementStatus
from tests.conftest import api_token, csrf_from
from tests.factories import PASSWORD, make_employer, make_graduate, make_offer, make_officer


def test_employer_drafts_from_an_offer_through_the_form(session, ca_settings, client_for):
    application, organization, recruiter, graduate = make_offer(session)
    employer = client_for(recruiter)
    page = employer.get("/agreements")
    assert f"/agreements/new?application_id={application.id}" in page.text
    form = employer.get(f"/agreements/new?application_id={application.id}")
    assert form.status_code == 200
    response = employer.post("/agreements", data={
        "csrf_token": csrf_from(form.text), "application_id": application.id, "position_title": "数据工程师",
        "salary_monthly": "10000", "probation_months": "3", "start_date": "2026-07-01", "work_place": "天津市南开区",
        "breach_terms": "违约金 3000 元", "extra_clauses": "",
    }, follow_redirects=False)
    assert response.status_code == 303, response.text
    agreement_id = int(response.headers["location"].rsplit("/", 1)[1])
    detail = employer.get(f"/agreements/{agreement_id}")
    assert "数据工程师" in detail.text and 'id="sign-form"' in detail.text
    pdf = employer.get(f"/agreements/{agreement_id}/pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_nobody_reaches_someone_elses_agreement(session, parties, client_for, client):
    agreement, recruiter, graduate, officer = parties
    outsiders = [make_graduate(session), make_employer(session)[1], make_officer(session, schools=("天津大学",))]
    for outsider in outsiders:
        browser = client_for(outsider)
        for path in (f"/agreements/{agreement.id}", f"/agreements/{agreement.id}/pdf"):
            assert browser.get(path).status_code == 404, (outsider.email, path)
        assert browser.post(f"/agreements/{agreement.id}/sign", data={"password": PASSWORD}).status_code == 404
        assert browser.get(f"/api/v1/agreements/{agreement.id}").status_code == 404
    # Not signed in: sent to the login page; the API says 401.
    assert client.get(f"/agreements/{agreement.id}", follow_redirects=False).status_code in (303, 307)
    assert client.get(f"/api/v1/agreements/{agreement.id}").status_code == 401
    # The graduate does not see a draft the employer has not signed yet.
    assert agreement.id not in [a["id"] for a in client_for(graduate).get("/api/v1/agreements").json()]


def test_three_parties_sign_over_http_and_the_public_page_verifies(session, parties, client_for, client):
    agreement, recruiter, graduate, officer = parties
    for user in (recruiter, graduate, officer):
        browser = client_for(user)
        page = browser.get(f"/agreements/{agreement.id}")
        assert 'id="sign-form"' in page.text, user.email
        data = {"password": PASSWORD, "acknowledge_flags": "on"}
        wrong = browser.post(f"/agreements/{agreement.id}/sign", data={**data, "password": "nope"})
        assert wrong.status_code == 422
        response = browser.post(f"/agreements/{agreement.id}/sign", data=data, follow_redirects=False)
        assert response.status_code == 303, response.text
    session.expire_all()
    signed = service.get_agreement(session, user=graduate, agreement_id=agreement.id)
    assert signed.status == AgreementStatus.signed

    page = client.get(f"/verify/{agreement.verify_code}")
    assert page.status_code == 200
    assert page.text.count('class="signature-check valid"') == 3

    pdf = client_for(graduate).get(f"/agreements/{agreement.id}/pdf").content
    token = csrf_from(client.get("/verify").text)
    good = client.post("/verify", data={"csrf_token": token}, files={"file": ("a.pdf", pdf, "application/pdf")})
    assert good.status_code == 200 and 'id="verdict"' in good.text and "signature-check invalid" not in good.text
    at = pdf.index(b"stream", 1000) + 40
    tampered = pdf[:at] + bytes([pdf[at] ^ 1]) + pdf[at + 1:]
    bad = client.post("/api/v1/verify", files={"file": ("a.pdf", tampered, "application/pdf")})
    assert bad.status_code == 200 and bad.json()["valid"] is False


def test_api_signs_with_a_bearer_token_and_enforces_order(session, parties, client):
    agreement, recruiter, graduate, officer = parties
    as_graduate = api_token(client, graduate.email)
    response = client.post(f"/api/v1/agreements/{agreement.id}/sign", json={"password": PASSWORD}, headers=as_graduate)
    assert response.status_code == 409
    as_employer = api_token(client, recruiter.email)
    response = client.post(f"/api/v1/agreements/{agreement.id}/sign", json={"password": PASSWORD}, headers=as_employer)
    assert response.status_code == 200 and response.json()["status"] == "awaiting_graduate"
    assert response.json()["next_party"] == "graduate"
    response = client.get(f"/api/v1/agreements/{agreement.id}", headers=as_graduate)
    assert response.status_code == 200 and [s["party"] for s in response.json()["signatures"]] == ["employer"]


def test_each_signer_finds_the_agreement_waiting_for_them(session, parties, ca_settings, client_for):
    agreement, recruiter, graduate, officer = parties
    assert [a.id for a in service.waiting_for(session, user=recruiter)] == [agreement.id]
    assert service.waiting_for(session, user=graduate) == []
    service.sign(session, settings=ca_settings, user=recruiter, agreement_id=agreement.id, password=PASSWORD)
    assert [a.id for a in service.waiting_for(session, user=graduate)] == [agreement.id]
    assert f'href="/agreements/{agreement.id}"' in client_for(graduate).get("/agreements").text
    service.sign(session, settings=ca_settings, user=graduate, agreement_id=agreement.id, password=PASSWORD)
    assert [a.id for a in service.waiting_for(session, user=officer)] == [agreement.id]
    assert service.waiting_for(session, user=make_officer(session, schools=(), city_wide=True)) == []


def test_cancelling_through_the_pages(session, parties, ca_settings, client_for):
    from tests.agreements.conftest import sign_all

    agreement, recruiter, graduate, officer = parties
    sign_all(session, ca_settings, agreement, recruiter, graduate, officer)
    as_graduate, as_employer, as_officer = client_for(graduate), client_for(recruiter), client_for(officer)
    assert as_graduate.post(f"/agreements/{agreement.id}/cancel", data={"reason": "考取研究生"},
                            follow_redirects=False).status_code == 303
    assert "考取研究生" in as_employer.get(f"/agreements/{agreement.id}").text
    assert as_officer.post(f"/agreements/{agreement.id}/cancel/decide", data={"approve": "yes"}).status_code == 409
    assert as_employer.post(f"/agreements/{agreement.id}/cancel/respond", data={"consent": "yes"},
                            follow_redirects=False).status_code == 303
    assert as_graduate.post(f"/agreements/{agreement.id}/cancel/decide", data={"approve": "yes"}).status_code == 403
    assert as_officer.post(f"/agreements/{agreement.id}/cancel/decide", data={"approve": "yes", "note": "同意"},
                           follow_redirects=False).status_code == 303
    session.expire_all()
    assert service.get_agreement(session, user=graduate, agreement_id=agreement.id).status == "cancelled"
    page = client_for(graduate).get(f"/verify/{agreement.verify_code}")
    assert "alert warn" in page.text  # the public page says the agreement was cancelled


def test_a_draft_with_a_malformed_offer_id_is_a_clear_form_error(session, parties, client_for):
    _, recruiter, _, _ = parties
    employer = client_for(recruiter)
    fields = {"position_title": "后端开发工程师", "salary_monthly": "9500", "probation_months": "3",
              "start_date": "2026-07-15", "work_place": "天津市滨海新区"}
    for bad in ("abc", "-1", "99999999999", ""):
        response = employer.post("/agreements", data=fields | {"application_id": bad})
        assert response.status_code == 422, (bad, response.status_code)
        assert 'class="alert error"' in response.text
