"""The named follow-up list and file/household transfers."""
from io import BytesIO

import pytest
from openpyxl import load_workbook

from portal.destinations import followup, service, transfers
from portal.destinations.schemas import DestinationReport, FollowUpEntryCreate, TransferAdvance, TransferCreate
from portal.errors import Conflict, Forbidden, Invalid, NotFound
from tests.factories import make_graduate, make_officer


def test_follow_up_from_school_to_city_keeps_history_until_a_job_closes_it(session):
    school_officer = make_officer(session, schools=("南开大学",))
    city_officer = make_officer(session, schools=(), city_wide=True)
    jobless = make_graduate(session, graduation_year=2025)
    placed = make_graduate(session, graduation_year=2025)
    service.register(session, graduate=placed, report=DestinationReport(category="labour_contract", employer_name="某公司"))
    seeking = make_graduate(session, graduation_year=2025)
    service.register(session, graduate=seeking, report=DestinationReport(category="seeking_work"))

    assert followup.build_list(session, officer=school_officer, graduation_year=2025) == 2
    assert followup.build_list(session, officer=school_officer, graduation_year=2025) == 0  # no duplicates
    case = next(c for c, user, *_ in followup.list_cases(session, officer=school_officer) if user.id == jobless.id)

    followup.add_entry(session, officer=school_officer, case_id=case.id, entry=FollowUpEntryCreate(
        kind="contact", channel="电话", note="已联系，正在准备公务员考试"))
    followup.add_entry(session, officer=school_officer, case_id=case.id, entry=FollowUpEntryCreate(
        kind="service", service="guidance", note="一对一职业指导"))
    with pytest.raises(Invalid):
        followup.add_entry(session, officer=school_officer, case_id=case.id, entry=FollowUpEntryCreate(
            kind="service", note="no service chosen"))
    with pytest.raises(Forbidden):  # the city does not write on a case the school still holds
        followup.add_entry(session, officer=city_officer, case_id=case.id, entry=FollowUpEntryCreate(kind="contact", note="x"))

    followup.hand_over(session, officer=school_officer, case_id=case.id, note="毕业离校，移交公共就业服务机构")
    with pytest.raises(Forbidden):
        followup.add_entry(session, officer=school_officer, case_id=case.id, entry=FollowUpEntryCreate(kind="contact", note="x"))
    followup.add_entry(session, officer=city_officer, case_id=case.id, entry=FollowUpEntryCreate(
        kind="service", service="traineeship", note="推荐见习岗位"))
    kinds = [(e.kind, e.level) for e in followup.entries(session, case.id)]
    assert kinds == [("opened", "school"), ("contact", "school"), ("service", "school"), ("handover", "school"),
                     ("service", "city")]

    # Registering a job closes the case, with the destination as its outcome.
    service.register(session, graduate=jobless, report=DestinationReport(category="labour_contract", employer_name="某厂"))
    session.refresh(case)
    assert not case.is_open and case.outcome == "labour_contract"

    with pytest.raises(NotFound):
        followup.get_case(session, officer=make_officer(session, schools=("天津大学",)), case_id=case.id)
    workbook = load_workbook(BytesIO(followup.export_xlsx(session, officer=city_officer)))
    assert workbook.active.max_row == 3  # header + two cases


def test_transfer_steps_are_processed_in_order_and_the_graduate_sees_them(session, client_for, settings):
    graduate = make_graduate(session)
    officer = make_officer(session, schools=("南开大学",))
    request = transfers.request_transfer(session, graduate=graduate, data=TransferCreate(
        kind="personnel_file", target="talent_service", receiving_unit="天津市人才服务中心",
        receiving_address="天津市和平区南京路 1 号"))
    with pytest.raises(Conflict):
        transfers.request_transfer(session, graduate=graduate, data=TransferCreate(
            kind="personnel_file", target="home", receiving_unit="某地人才中心", receiving_address="某地某路 1 号"))
    with pytest.raises(Conflict):  # cannot be sent before it is received
        transfers.advance(session, settings=settings, officer=officer, request_id=request.id,
                          data=TransferAdvance(status="sent", tracking_number="EMS1"))
    transfers.advance(session, settings=settings, officer=officer, request_id=request.id,
                      data=TransferAdvance(status="received"))
    with pytest.raises(Invalid):
        transfers.advance(session, settings=settings, officer=officer, request_id=request.id,
                          data=TransferAdvance(status="sent"))
    transfers.advance(session, settings=settings, officer=officer, request_id=request.id,
                      data=TransferAdvance(status="sent", tracking_number="EMS1234567890"))
    with pytest.raises(NotFound):
        transfers.advance(session, settings=settings, officer=make_officer(session, schools=("天津大学",)),
                          request_id=request.id, data=TransferAdvance(status="arrived"))
    transfers.advance(session, settings=settings, officer=officer, request_id=request.id,
                      data=TransferAdvance(status="arrived"))
    steps = transfers.steps(session, [request.id])[request.id]
    assert [s.status for s in steps] == ["requested", "received", "sent", "arrived"]

    page = client_for(graduate).get("/me/transfers")
    assert page.status_code == 200 and "EMS1234567890" in page.text
    api = client_for(graduate).get("/api/v1/me/transfers").json()
    assert api[0]["status"] == "arrived" and len(api[0]["steps"]) == 4


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)  # the services' SQL: above, on both
def test_pages_for_follow_up_transfers_and_reporting(session, client_for):
    graduate = make_graduate(session, graduation_year=2025)
    officer = make_officer(session, schools=("南开大学",))
    as_graduate = client_for(graduate)
    response = as_graduate.post("/me/destination", data={"category": "seeking_work", "note": "在找工作"},
                                follow_redirects=False)
    assert response.status_code == 303
    assert "70" in as_graduate.get("/me/destination").text
    response = as_graduate.post("/me/transfers", data={
        "kind": "household", "target": "employer", "receiving_unit": "天津某公司", "receiving_address": "天津市河西区友谊路 1 号"},
        follow_redirects=False)
    assert response.status_code == 303

    as_officer = client_for(officer)
    assert as_officer.post("/officer/follow-up/build", data={"year": "2025"}, follow_redirects=False).status_code == 303
    listing = as_officer.get("/officer/follow-up")
    assert listing.status_code == 200 and graduate.display_name in listing.text
    case_id = followup.list_cases(session, officer=officer)[0][0].id
    assert as_officer.post(f"/officer/follow-up/{case_id}/entries", data={
        "kind": "service", "service": "recommendation", "channel": "微信", "note": "推荐了两个岗位"},
        follow_redirects=False).status_code == 303
    case_page = as_officer.get(f"/officer/follow-up/{case_id}")
    assert "推荐了两个岗位" in case_page.text
    assert as_officer.post(f"/officer/follow-up/{case_id}/handover", data={"note": "移交"},
                           follow_redirects=False).status_code == 303
    assert as_officer.get("/officer/follow-up/export.xlsx").content[:2] == b"PK"

    transfers_page = as_officer.get("/officer/transfers")
    assert transfers_page.status_code == 200 and "天津某公司" in transfers_page.text
    request_id = transfers.for_officer(session, officer=officer)[0][0].id
    assert as_officer.post(f"/officer/transfers/{request_id}/advance", data={"status": "received"},
                           follow_redirects=False).status_code == 303
    assert client_for(make_graduate(session)).get(f"/officer/follow-up/{case_id}").status_code == 403


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)  # the services' SQL: above, on both
def test_follow_up_api_for_officers_in_scope(session, client):
    from tests.conftest import api_token

    graduate = make_graduate(session, graduation_year=2025)
    officer = make_officer(session, schools=("南开大学",))
    followup.build_list(session, officer=officer, graduation_year=2025)
    headers = api_token(client, officer.email)
    cases = client.get("/api/v1/follow-up", headers=headers).json()
    assert [c["graduate_id"] for c in cases] == [graduate.id]
    response = client.post(f"/api/v1/follow-up/{cases[0]['id']}/entries", headers=headers,
                           json={"kind": "service", "service": "training", "note": "报名电工培训"})
    assert response.status_code == 201 and response.json()["entries"][-1]["service"] == "training"
    other = api_token(client, make_officer(session, schools=("天津大学",)).email)
    assert client.get("/api/v1/follow-up", headers=other).json() == []
    assert client.post(f"/api/v1/follow-up/{cases[0]['id']}/entries", headers=other,
                       json={"kind": "contact", "note": "x"}).status_code == 404
    assert client.get("/api/v1/follow-up", headers=api_token(client, graduate.email)).status_code == 403
