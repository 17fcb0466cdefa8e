"""Destinations through real HTTP: the API answers bad input and refusals with application/problem+json and the
pages with a readable page, and neither leaves anything half-written; the workbook follows the page's language;
every role reaches only what is theirs. On SQLite: the services' SQL runs on PostgreSQL in test_destinations.py."""
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlmodel import func, select

from portal.destinations import followup, service, transfers
from portal.destinations.models import Destination, DestinationChange, FollowUpEntry, TransferRequest, TransferStep
from portal.destinations.schemas import DestinationReport, TransferCreate
from tests.conftest import api_token
from tests.factories import make_employer, make_graduate, make_officer

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)
PROBLEM = "application/problem+json"


@pytest.fixture
def desk(session, client_for):
    """A graduate without a destination on the follow-up list, with a transfer requested; their school's officer.
    Both signed in, each with API headers."""
    graduate, officer = make_graduate(session), make_officer(session)
    followup.build_list(session, officer=officer, graduation_year=2026)
    transfer = transfers.request_transfer(session, graduate=graduate, data=TransferCreate(
        kind="household", target="employer", receiving_unit="天津某公司", receiving_address="天津市河西区友谊路 1 号"))
    as_graduate, as_officer = client_for(graduate), client_for(officer)
    return dict(graduate=graduate, officer=officer, transfer=transfer, as_graduate=as_graduate, as_officer=as_officer,
                case=followup.list_cases(session, officer=officer)[0][0],
                graduate_api=api_token(as_graduate, graduate.email), officer_api=api_token(as_officer, officer.email))


def _count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def _problem(response, status: int) -> dict:
    assert (response.status_code, response.headers["content-type"]) == (status, PROBLEM), response.text
    return response.json()


def test_the_api_refuses_bad_input_as_a_problem_and_writes_nothing(session, desk):
    graduate, officer = desk["as_graduate"], desk["as_officer"]
    mine, theirs = desk["graduate_api"], desk["officer_api"]
    _problem(graduate.put("/api/v1/me/destination", headers=mine, json={"category": "astronaut"}), 422)
    _problem(graduate.put("/api/v1/me/destination", headers=mine, json={"category": "agreement"}), 409)
    _problem(graduate.put("/api/v1/me/destination", headers=mine, json={"category": "freelance", "note": "x" * 1001}),
             422)
    assert (_count(session, Destination), _count(session, DestinationChange)) == (0, 0)
    _problem(graduate.get("/api/v1/me/destination", headers=mine), 404)
    _problem(officer.post(f"/api/v1/destinations/{desk['graduate'].id}/review", headers=theirs, json={"confirm": True}),
             404)  # nothing registered to check

    _problem(graduate.post("/api/v1/me/transfers", headers=mine, json={"kind": "personnel_file", "target": "moon",
                                                                       "receiving_unit": "某单位",
                                                                       "receiving_address": "某地某路"}), 422)
    _problem(graduate.post("/api/v1/me/transfers", headers=mine, json={
        "kind": "household", "target": "home", "receiving_unit": "某派出所", "receiving_address": "某地某路 2 号"}), 409)
    assert _count(session, TransferRequest) == 1
    steps = f"/api/v1/transfers/{desk['transfer'].id}/steps"
    _problem(officer.post(steps, headers=theirs, json={"status": "arrived"}), 409)
    assert officer.post(steps, headers=theirs, json={"status": "received"}).json()["status"] == "received"
    problem = _problem(officer.post(steps, headers=theirs, json={"status": "sent"}), 422)
    assert "tracking_number" in str(problem)
    assert _count(session, TransferStep) == 2

    entries = f"/api/v1/follow-up/{desk['case'].id}/entries"
    _problem(officer.post(entries, headers=theirs, json={"kind": "service", "note": "推荐岗位"}), 422)
    _problem(officer.post(entries, headers=theirs, json={"kind": "opened", "note": "x"}), 422)
    _problem(officer.post(entries, headers=theirs, json={"kind": "contact", "note": ""}), 422)
    assert _count(session, FollowUpEntry) == 1
    _problem(officer.get("/api/v1/destinations/stats?by=income", headers=theirs), 404)


def test_pages_refuse_a_step_out_of_turn_with_a_readable_page_and_change_nothing(session, desk, client_for):
    officer, case = desk["as_officer"], desk["case"]
    response = officer.post(f"/officer/follow-up/{case.id}/close", data={"outcome": "astronaut"})
    assert response.status_code == 422 and "text/html" in response.headers["content-type"]
    assert "请选择毕业去向类别" in response.text
    assert followup.get_case(session, officer=desk["officer"], case_id=case.id).is_open
    handover = officer.post(f"/officer/follow-up/{case.id}/handover", data={"note": "移交"}, follow_redirects=False)
    assert handover.status_code == 303
    again = officer.post(f"/officer/follow-up/{case.id}/handover", data={"note": "再次移交"})
    assert again.status_code == 403 and "text/html" in again.headers["content-type"]
    assert [e.kind for e in followup.entries(session, case.id)] == ["opened", "handover"]
    # The city's service now holds the case and closes it with an outcome, through the page.
    as_city = client_for(make_officer(session, schools=(), city_wide=True))
    closed = as_city.post(f"/officer/follow-up/{case.id}/close", data={"outcome": "further_study"},
                          follow_redirects=False)
    assert closed.status_code == 303
    assert 'status-verified">80 升学' in as_city.get(f"/officer/follow-up/{case.id}").text


def test_the_workbook_follows_the_page_language(session, desk):
    service.register(session, graduate=desk["graduate"], report=DestinationReport(category="further_study"))
    for language, sheets, header in (("zh-CN", ["学校", "毕业生"], "去向落实率"), ("en", ["School", "Graduates"], "Destination rate")):
        response = desk["as_officer"].get("/officer/destinations/export.xlsx?year=2026",
                                          headers={"Accept-Language": language})
        assert response.headers["content-disposition"].endswith('filename="destinations-2026.xlsx"')
        book = load_workbook(BytesIO(response.content))
        assert [book.sheetnames[0], book.sheetnames[-1]] == sheets
        assert [c.value for c in book[sheets[0]][1]][-1] == header
        assert [c.value for c in book[sheets[0]][2]] == ["南开大学", 1, 1, 0, 1, 1, 1.0]


def test_each_role_reaches_only_its_own(session, desk, client_for):
    other = make_graduate(session)
    as_other = client_for(other)
    other_api = api_token(as_other, other.email)
    assert as_other.get("/api/v1/me/transfers", headers=other_api).json() == []
    assert desk["transfer"].receiving_unit not in as_other.get("/me/transfers").text
    for method, path, body in (("post", f"/api/v1/destinations/{other.id}/review", {"confirm": True}),
                               ("get", "/api/v1/follow-up", None), ("get", "/api/v1/destinations/stats", None),
                               ("post", f"/api/v1/transfers/{desk['transfer'].id}/steps", {"status": "received"})):
        _problem(as_other.request(method, path, headers=other_api, json=body), 403)
    _problem(desk["as_officer"].put("/api/v1/me/destination", headers=desk["officer_api"],
                                    json={"category": "freelance"}), 403)
    _, recruiter = make_employer(session)
    as_employer = client_for(recruiter)
    _problem(as_employer.get("/api/v1/follow-up", headers=api_token(as_employer, recruiter.email)), 403)
    assert as_employer.get("/officer/transfers").status_code == 403

    outsider = make_officer(session, schools=("天津大学",))
    as_outsider = client_for(outsider)
    outsider_api = api_token(as_outsider, outsider.email)
    _problem(as_outsider.post(f"/api/v1/transfers/{desk['transfer'].id}/steps", headers=outsider_api,
                              json={"status": "received"}), 404)
    assert as_outsider.get("/officer/transfers").text.count(desk["transfer"].receiving_unit) == 0
    assert as_outsider.get("/api/v1/follow-up?closed=true", headers=outsider_api).json() == []
    assert session.get(TransferRequest, desk["transfer"].id).status == "requested"


def test_a_form_without_its_csrf_token_is_refused(session, desk):
    officer = desk["as_officer"]
    response = officer.post(f"/officer/follow-up/{desk['case'].id}/entries", data={"kind": "contact", "note": "x"},
                            headers={"X-CSRF-Token": "forged"})
    assert response.status_code == 403
    assert len(followup.entries(session, desk["case"].id)) == 1


def test_the_statistics_page_groups_by_the_ledgers_priority_categories(session, desk):
    from portal.ledger.models import LedgerCase
    from portal.ledger.service import list_categories

    list_categories(session)  # seeds the national categories and their names
    session.add(LedgerCase(graduate_id=desk["graduate"].id, categories=["disability", "zero_employment"]))
    session.commit()
    service.register(session, graduate=desk["graduate"], report=DestinationReport(category="self_employed"))
    page = desk["as_officer"].get("/officer/destinations/stats?by=ledger_category&year=2026",
                                  headers={"HX-Request": "true"})
    assert "<html" not in page.text and "属于多个帮扶类别的毕业生在每个类别中分别计数。" in page.text
    rows = [(r.key, r.total, r.placed) for r in service.stats(session, officer=desk["officer"], by="ledger_category",
                                                               graduation_year=2026)]
    assert rows == [("残疾", 1, 1), ("零就业家庭", 1, 1)]
    assert all(f"<td>{name}</td>" in page.text for name, _, _ in rows)


def test_the_graduates_form_shows_the_record_and_keeps_what_was_typed(session, desk):
    service.register(session, graduate=desk["graduate"],
                     report=DestinationReport(category="freelance", employer_name="某工作室"))
    page = desk["as_graduate"].get("/me/destination").text
    assert 'value="freelance" selected' in page and 'value="某工作室"' in page
    refused = desk["as_graduate"].post("/me/destination", data={"category": "freelance", "employer_name": "新工作室",
                                                                 "note": "长" * 1001})
    assert refused.status_code == 422 and 'value="新工作室"' in refused.text
    assert service.get_destination(session, desk["graduate"].id).employer_name == "某工作室"
