"""Support ledger pages and API: officers in scope, graduates, employers; authorization and audit."""
from io import BytesIO

import pytest
from sqlmodel import select

from portal.audit.models import AuditEntry
from portal.ledger import service as ledger
from portal.ledger.models import LedgerCase, LedgerOffer
from tests.conftest import api_token
from tests.factories import make_employer, make_graduate, make_ledger_case, make_officer, make_position, make_resume


@pytest.fixture
def world(session, app):
    org, recruiter = make_employer(session)
    officer = make_officer(session, schools=["南开大学"])
    outsider = make_officer(session, schools=["天津大学"])
    graduate = make_graduate(session)
    make_resume(session, graduate)
    positions = [make_position(session, org, is_support=i == 0) for i in range(4)]
    case = make_ledger_case(session, graduate, officer, categories=["minimum_subsistence"])
    return dict(org=org, recruiter=recruiter, officer=officer, outsider=outsider, graduate=graduate,
                positions=positions, case=case, search=app.state.search)


def test_officer_home_shows_the_shortfall_list_first_and_tops_up(session, client_for, world):
    officer = client_for(world["officer"])
    page = officer.get("/officer")
    assert page.status_code == 200
    text = page.text
    assert text.index('id="shortfall"') < text.index('id="overdue"')
    assert "Not topped up yet" in text or "尚未补充" in text
    response = officer.post("/officer/ledger/top-up", headers={"HX-Request": "true"})
    assert response.status_code == 200 and 'id="topup-result"' in response.text
    # Auto offers are off by default: three proposals await one-click confirmation.
    proposed = session.exec(select(LedgerOffer).where(LedgerOffer.status == "proposed")).all()
    assert len(proposed) == 3
    response = officer.post(f"/officer/ledger/offers/{proposed[0].id}/confirm",
                            headers={"HX-Request": "true", "HX-Target": "shortfall"})
    assert response.status_code == 200 and 'id="shortfall"' in response.text
    officer.post(f"/officer/ledger/cases/{world['case'].id}/confirm-all", follow_redirects=False)
    session.expire_all()
    assert session.get(LedgerCase, world["case"].id).offers_held == 3
    assert "shortfall-case-" not in officer.get("/officer").text


def test_officer_out_of_scope_gets_404_everywhere(session, client_for, world):
    outsider = client_for(world["outsider"])
    case_id = world["case"].id
    assert outsider.get(f"/officer/ledger/cases/{case_id}").status_code == 404
    assert outsider.post(f"/officer/ledger/cases/{case_id}/contacts",
                         data={"contacted_on": "2026-01-05", "channel": "phone", "who": "x", "summary": "y"}).status_code == 404
    assert f"/officer/ledger/cases/{case_id}" not in outsider.get("/officer/ledger").text
    headers = api_token(outsider, world["outsider"].email)
    assert outsider.get(f"/api/v1/ledger/cases/{case_id}", headers=headers).status_code == 404


def test_case_page_reads_are_audited(session, client_for, world):
    officer = client_for(world["officer"])
    page = officer.get(f"/officer/ledger/cases/{world['case'].id}")
    assert page.status_code == 200 and "低保" in page.text
    entries = session.exec(select(AuditEntry).where(AuditEntry.action == "ledger.case.view")).all()
    assert [(e.actor_id, e.subject_user_id, e.object_id) for e in entries] == [
        (world["officer"].id, world["graduate"].id, str(world["case"].id))]


def test_the_case_page_shows_the_need_the_graduate_stated_on_their_profile(session, client_for, world):
    from portal.accounts.models import GraduateProfile

    profile = session.get(GraduateProfile, world["graduate"].id)
    profile.needs_accessible, profile.accessibility_note = True, "轮椅通行，需无台阶入口"
    session.add(profile)
    session.commit()
    page = client_for(world["officer"]).get(f"/officer/ledger/cases/{world['case'].id}")
    assert "毕业生本人填写的无障碍需求" in page.text and "轮椅通行，需无台阶入口" in page.text
    assert client_for(world["outsider"]).get(f"/officer/ledger/cases/{world['case'].id}").status_code == 404


def test_graduate_and_employer_never_see_categories(session, client_for, world, settings):
    ledger.top_up(session, search=world["search"], auto_offers=True)
    graduate = client_for(world["graduate"])
    page = graduate.get("/me/support")
    assert page.status_code == 200
    for word in ("低保", "minimum_subsistence", "Minimum-subsistence", "贫困", "残疾"):
        assert word not in page.text
    offer = session.exec(select(LedgerOffer).where(LedgerOffer.status == "offered")).first()
    response = graduate.post(f"/me/support/offers/{offer.id}/apply", follow_redirects=False)
    assert response.status_code == 303
    session.expire_all()
    offer = session.get(LedgerOffer, offer.id)
    assert offer.status == "applied" and offer.application_id
    # The graduate cannot open the officer's pages.
    assert graduate.get(f"/officer/ledger/cases/{world['case'].id}").status_code in (403, 404)
    # The employer sees an ordinary applicant: nothing about the ledger anywhere they can look.
    employer = client_for(world["recruiter"])
    for url in (f"/employer/positions/{offer.position_id}/applicants", f"/employer/applications/{offer.application_id}"):
        response = employer.get(url)
        assert response.status_code == 200, url
        text = response.text
        for word in ("低保", "minimum_subsistence", "帮扶", "ledger", "台账", "support services", "就业帮扶"):
            assert word not in text, (url, word)
    assert employer.get(f"/officer/ledger/cases/{world['case'].id}").status_code in (403, 404)
    headers = api_token(employer, world["recruiter"].email)
    assert employer.get("/api/v1/ledger/cases", headers=headers).status_code in (403, 404)


def test_enrol_form_and_bulk_import_page(session, client_for, world):
    officer = client_for(world["officer"])
    other = make_graduate(session)
    response = officer.post("/officer/ledger/enrol", data={"graduate": other.email, "categories": "zero_employment",
                                                          "evidence": "街道证明", "consent_note": "签字"})
    assert response.status_code == 422 and "consent" in response.text.lower() or "同意" in response.text
    response = officer.post("/officer/ledger/enrol", data={"graduate": other.email, "categories": "zero_employment",
                                                          "evidence": "街道证明", "consent_given": "true"},
                            follow_redirects=False)
    assert response.status_code == 303
    third = make_graduate(session)
    csv = f"email,categories,evidence,consent\n{third.email},低保家庭,低保证,是\nnobody@x.cn,低保家庭,低保证,是\n"
    response = officer.post("/officer/ledger/import", files={"file": ("list.csv", BytesIO(csv.encode()), "text/csv")})
    assert response.status_code == 422 and 'id="row-errors"' in response.text
    assert ledger.case_of_graduate(session, third.id) is None


def test_graduate_applies_for_support_and_officer_decides(session, client_for, world):
    newcomer = make_graduate(session)
    page = client_for(newcomer).post("/me/support/request", data={"categories": "zero_employment", "consent_given": "true"},
                                     follow_redirects=True)
    assert page.status_code == 200
    officer = client_for(world["officer"])
    request = ledger.pending_request(session, newcomer.id)
    response = officer.post(f"/officer/ledger/requests/{request.id}/decide", data={"decision": "approve"},
                            follow_redirects=False)
    assert response.status_code == 303
    assert ledger.case_of_graduate(session, newcomer.id).status == "active"


def test_dashboard_export_and_api_report(session, client_for, world):
    ledger.top_up(session, search=world["search"], auto_offers=True)
    officer = client_for(world["officer"])
    page = officer.get("/officer/ledger/dashboard")
    assert page.status_code == 200 and "<svg" in page.text
    xlsx = officer.get("/officer/ledger/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    headers = api_token(officer, world["officer"].email)
    report = officer.get("/api/v1/ledger/report", headers=headers).json()
    assert report["cases"]["active"] == 1 and report["guarantee"]["holding"] == 1
    cases = officer.get("/api/v1/ledger/cases", headers=headers).json()
    assert cases["total"] == 1 and cases["items"][0]["offers_held"] == 3


def test_documents_are_checked_by_content_and_served_only_in_scope(session, client_for, world):
    officer = client_for(world["officer"])
    case_id = world["case"].id
    fake = officer.post(f"/officer/ledger/cases/{case_id}/documents", data={"title": "低保证"},
                        files={"file": ("低保证.pdf", BytesIO(b"MZ not a pdf"), "application/pdf")})
    assert fake.status_code == 422
    good = officer.post(f"/officer/ledger/cases/{case_id}/documents", data={"title": "低保证"},
                        files={"file": ("低保证.pdf", BytesIO(b"%PDF-1.4\n%%EOF\n"), "application/pdf")},
                        follow_redirects=False)
    assert good.status_code == 303
    document = ledger.case_file(session, officer=world["officer"], case_id=case_id).documents[0]
    download = officer.get(f"/officer/ledger/documents/{document.id}")
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert client_for(world["outsider"]).get(f"/officer/ledger/documents/{document.id}").status_code == 404
    assert client_for(world["graduate"]).get(f"/officer/ledger/documents/{document.id}").status_code in (403, 404)
    views = session.exec(select(AuditEntry).where(AuditEntry.action == "ledger.document.view")).all()
    assert [v.actor_id for v in views] == [world["officer"].id]


def test_plan_contacts_and_closing_through_the_pages(session, client_for, world):
    officer = client_for(world["officer"])
    case_id = world["case"].id
    assert officer.post(f"/officer/ledger/cases/{case_id}/measures", data={
        "kind": "skills_training", "description": "Python 培训班", "target_date": "2026-01-01"},
        follow_redirects=False).status_code == 303
    assert officer.post(f"/officer/ledger/cases/{case_id}/contacts", data={
        "contacted_on": "2026-01-05", "channel": "phone", "who": "本人", "summary": "电话了解求职意向"},
        follow_redirects=False).status_code == 303
    bad = officer.post(f"/officer/ledger/cases/{case_id}/contacts", data={"contacted_on": "x", "channel": "fax"})
    assert bad.status_code == 422
    page = officer.get(f"/officer/ledger/cases/{case_id}").text
    assert "Python 培训班" in page and "电话了解求职意向" in page
    assert officer.post(f"/officer/ledger/cases/{case_id}/close", data={"note": "已自主就业"},
                        follow_redirects=False).status_code == 303
    session.expire_all()
    assert session.get(LedgerCase, case_id).status == "closed"
    assert officer.post(f"/officer/ledger/cases/{case_id}/reopen", data={}, follow_redirects=False).status_code == 303


def test_the_htmx_filter_of_the_ledger_renders_its_block_with_the_category_tags(session, client_for, world):
    """Issue 8: the filtered list failed with "'category_tags' is undefined" (a block rendered alone)."""
    officer = client_for(world["officer"])
    response = officer.get("/officer/ledger?status=active&category=minimum_subsistence",
                           headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<html" not in response.text
    assert 'id="ledger-table"' in response.text and world["graduate"].display_name in response.text


def test_offers_of_a_closed_case_can_no_longer_be_applied_to(session, client_for, world):
    """Issue 8: the ledger side refuses, with a clear message, and nothing is applied."""
    ledger.top_up(session, search=world["search"], auto_offers=True)
    offer = session.exec(select(LedgerOffer).where(LedgerOffer.status == "offered")).first()
    ledger.officer_close(session, officer=world["officer"], case_id=world["case"].id, note="已落实去向")
    graduate = client_for(world["graduate"])
    response = graduate.post(f"/me/support/offers/{offer.id}/apply", headers={"Accept-Language": "en"})
    assert response.status_code == 409 and "Your support case is closed" in response.text
    session.expire_all()
    assert session.get(LedgerOffer, offer.id).status == "offered" and session.get(LedgerOffer, offer.id).application_id is None
