"""Destinations seen from each role: graduates only their own, officers only the graduates they cover (404 for the
rest, in pages, API, statistics and exports alike), employers nothing; forms refuse bad input and change nothing."""
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from portal.audit.models import AuditEntry
from portal.destinations import followup, service, transfers
from portal.destinations.models import Destination, TransferRequest
from portal.destinations.schemas import DestinationReport, TransferCreate
from tests.conftest import api_token
from tests.factories import make_employer, make_graduate, make_officer

# The scope filters' SQL runs on PostgreSQL in test_destinations.py and test_followup_transfers.py.
pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


@pytest.fixture
def world(session):
    nankai = make_graduate(session, graduation_year=2025)
    tju = make_graduate(session, school="天津大学", graduation_year=2025)
    for graduate, category in ((nankai, "seeking_work"), (tju, "labour_contract")):
        service.register(session, graduate=graduate, report=DestinationReport(category=category, employer_name="某公司"))
    officer = make_officer(session, schools=("南开大学",))
    followup.build_list(session, officer=officer, graduation_year=2025)
    transfer = transfers.request_transfer(session, graduate=tju, data=TransferCreate(
        kind="personnel_file", target="employer", receiving_unit="某公司", receiving_address="天津市河西区某路 1 号"))
    _, recruiter = make_employer(session)
    return dict(nankai=nankai, tju=tju, officer=officer, outsider=make_officer(session, schools=("天津大学",)),
                recruiter=recruiter, case=followup.list_cases(session, officer=officer)[0][0], transfer=transfer)


def test_officers_see_and_act_only_within_their_scope(session, client_for, world):
    outsider = client_for(world["outsider"])
    case, transfer = world["case"], world["transfer"]
    assert outsider.get(f"/officer/follow-up/{case.id}").status_code == 404
    assert outsider.post(f"/officer/follow-up/{case.id}/entries", data={"kind": "contact", "note": "x"}).status_code == 404
    assert outsider.post(f"/officer/follow-up/{case.id}/handover", data={"note": "x"}).status_code == 404
    assert outsider.post(f"/officer/destinations/{world['nankai'].id}/review", data={"confirm": "yes"}).status_code == 404
    assert world["nankai"].display_name not in outsider.get("/officer/destinations?year=2025").text
    # The transfer belongs to a 天津大学 graduate: the 南开大学 officer cannot move it.
    officer = client_for(world["officer"])
    assert officer.post(f"/officer/transfers/{transfer.id}/advance", data={"status": "received"}).status_code == 404
    assert session.get(TransferRequest, transfer.id).status == "requested"
    headers = api_token(outsider, world["outsider"].email)
    assert outsider.post(f"/api/v1/destinations/{world['nankai'].id}/review", headers=headers,
                         json={"confirm": True}).status_code == 404


def test_statistics_and_exports_count_only_the_graduates_in_scope(session, client_for, world):
    rows = service.stats(session, officer=world["officer"], by="school", graduation_year=2025)
    assert [(r.key, r.total) for r in rows] == [("南开大学", 1)]
    officer = client_for(world["officer"])
    book = load_workbook(BytesIO(officer.get("/officer/destinations/export.xlsx?year=2025").content))
    assert book[book.sheetnames[-1]].max_row == 2  # header + the one graduate in scope
    follow_up = load_workbook(BytesIO(officer.get("/officer/follow-up/export.xlsx").content)).active
    assert [row[0].value for row in follow_up.iter_rows(min_row=2)] == [world["nankai"].display_name]
    api = officer.get("/api/v1/destinations/stats?by=school&year=2025", headers=api_token(officer, world["officer"].email))
    assert [r["key"] for r in api.json()] == ["南开大学"]
    assert officer.get("/officer/destinations/stats?by=nonsense&year=2025").status_code == 404
    district = make_officer(session, schools=(), districts=("和平区",))
    assert service.stats(session, officer=district, by="school", graduation_year=2025) == []


def test_graduates_and_employers_reach_no_officer_page(session, client_for, world):
    graduate, employer = client_for(world["nankai"]), client_for(world["recruiter"])
    for browser in (graduate, employer):
        for path in ("/officer/destinations", "/officer/destinations/stats", "/officer/follow-up",
                     "/officer/transfers", "/officer/destinations/export.xlsx", f"/officer/follow-up/{world['case'].id}"):
            assert browser.get(path).status_code == 403, path
    assert employer.get("/me/destination").status_code == 403
    # A graduate's API sees only their own destination and transfers.
    mine = graduate.get("/api/v1/me/destination", headers=api_token(graduate, world["nankai"].email)).json()
    assert mine["graduate_id"] == world["nankai"].id
    assert graduate.get("/api/v1/me/transfers", headers=api_token(graduate, world["nankai"].email)).json() == []


def test_bad_input_is_refused_in_the_language_of_the_page_and_changes_nothing(session, client_for, world):
    graduate = client_for(world["nankai"])
    response = graduate.post("/me/destination", data={"category": "no_such_thing"}, headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 422 and "has-error" in response.text
    assert session.get(Destination, world["nankai"].id).category == "seeking_work"
    response = graduate.post("/me/transfers", data={"kind": "personnel_file", "target": "employer"})
    assert response.status_code == 422 and "此项为必填。" in response.text
    assert session.exec(select(TransferRequest).where(TransferRequest.graduate_id == world["nankai"].id)).all() == []
    officer = client_for(world["officer"])
    response = officer.post(f"/officer/follow-up/{world['case'].id}/entries", data={"kind": "service", "note": "x"})
    assert response.status_code == 422 and len(followup.entries(session, world["case"].id)) == 1
    assert officer.post("/officer/follow-up/build", data={"year": "去年"}).status_code == 422
    assert officer.post(f"/officer/transfers/{world['transfer'].id}/advance", data={"status": "x"}).status_code == 422


def test_an_officers_check_is_audited_and_the_graduate_sees_it(session, client_for, world):
    officer = client_for(world["officer"])
    response = officer.post(f"/officer/destinations/{world['nankai'].id}/review",
                            data={"confirm": "no", "note": "请补充单位名称"}, follow_redirects=False)
    assert response.status_code == 303
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "destination.review")).one()
    assert (entry.actor_id, entry.subject_user_id) == (world["officer"].id, world["nankai"].id)
    page = client_for(world["nankai"]).get("/me/destination")
    assert "请补充单位名称" in page.text
