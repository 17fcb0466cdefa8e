"""Destination registration, officers' checks, statistics and export."""
from io import BytesIO

import pytest
from openpyxl import load_workbook

from portal.destinations import service
from portal.destinations.schemas import DestinationReport
from portal.errors import Conflict, NotFound
from tests.agreements.conftest import sign_all
from tests.factories import make_graduate, make_officer


def test_graduate_reports_and_the_officer_confirms(session):
    graduate = make_graduate(session)
    officer = make_officer(session, schools=("南开大学",))
    destination = service.register(session, graduate=graduate, report=DestinationReport(
        category="further_study", employer_name="天津大学", work_district="南开区"))
    assert destination.status == "reported" and destination.source == "graduate"
    confirmed = service.review(session, officer=officer, graduate_id=graduate.id, confirm=True)
    assert confirmed.status == "confirmed" and confirmed.confirmed_by_id == officer.id
    assert [c.status for c in service.changes(session, graduate.id)] == ["reported", "confirmed"]
    with pytest.raises(NotFound):  # another school's officer cannot review it
        service.review(session, officer=make_officer(session, schools=("天津大学",)), graduate_id=graduate.id, confirm=False)


def test_agreement_employment_comes_only_from_a_signed_agreement(session, parties, ca_settings):
    agreement, recruiter, graduate, officer = parties
    with pytest.raises(Conflict):
        service.register(session, graduate=graduate, report=DestinationReport(category="agreement"))
    sign_all(session, ca_settings, agreement, recruiter, graduate, officer)
    with pytest.raises(Conflict):  # the agreement's destination is not overwritten by hand
        service.register(session, graduate=graduate, report=DestinationReport(category="freelance"))
    destination = service.get_destination(session, graduate.id)
    assert destination.source == "agreement" and destination.employer_name == agreement.parties["employer"]["name"]


def test_stats_group_graduates_in_scope_and_export(session, parties, ca_settings):
    agreement, recruiter, graduate, officer = parties
    sign_all(session, ca_settings, agreement, recruiter, graduate, officer)
    other = make_graduate(session, major="法学", degree="master")
    service.register(session, graduate=other, report=DestinationReport(category="seeking_work"))
    make_graduate(session, major="法学")  # nothing registered
    make_graduate(session, school="天津大学")  # outside the officer's scope

    by_school = service.stats(session, officer=officer, by="school", graduation_year=2026)
    assert [(r.key, r.total, r.placed, r.employed) for r in by_school] == [("南开大学", 3, 1, 1)]
    by_major = {r.key: r for r in service.stats(session, officer=officer, by="major", graduation_year=2026)}
    assert by_major["法学"].total == 2 and by_major["法学"].placed == 0 and by_major["法学"].reported == 1
    assert by_major["计算机科学与技术"].rate == 1.0
    by_degree = {r.key: r.total for r in service.stats(session, officer=officer, by="degree", graduation_year=2026)}
    assert by_degree == {"bachelor": 2, "master": 1}

    workbook = load_workbook(BytesIO(service.export_xlsx(session, officer=officer, graduation_year=2026)))
    assert len(workbook.sheetnames) == 6  # one per grouping, then the graduates
    people = workbook[workbook.sheetnames[-1]]
    assert people.max_row == 4  # header + the three graduates in scope
    assert "11" in [row[6].value for row in people.iter_rows(min_row=2)]  # national code of agreement employment


def test_officer_pages_show_the_signed_agreement_in_the_statistics(session, parties, ca_settings, client_for):
    agreement, recruiter, graduate, officer = parties
    sign_all(session, ca_settings, agreement, recruiter, graduate, officer)
    browser = client_for(officer)
    page = browser.get("/officer/destinations?year=2026")
    assert page.status_code == 200 and graduate.display_name in page.text
    stats = browser.get("/officer/destinations/stats?by=school&year=2026")
    assert stats.status_code == 200 and 'id="total-rate">100.0%' in stats.text
    export = browser.get("/officer/destinations/export.xlsx?year=2026")
    assert export.status_code == 200 and export.content[:2] == b"PK"
    assert client_for(graduate).get("/officer/destinations").status_code == 403
    mine = client_for(graduate).get("/me/destination")
    assert mine.status_code == 200 and agreement.number in mine.text


def test_stats_by_ledger_category(session):
    from portal.ledger.models import LedgerCase

    officer = make_officer(session, schools=("南开大学",))
    supported = make_graduate(session)
    placed = make_graduate(session)
    service.register(session, graduate=placed, report=DestinationReport(category="military"))
    for graduate, codes in ((supported, ["disability"]), (placed, ["disability", "zero_employment"])):
        session.add(LedgerCase(graduate_id=graduate.id, categories=codes))
    session.commit()
    rows = {r.key: r for r in service.stats(session, officer=officer, by="ledger_category", graduation_year=2026)}
    assert (rows["disability"].total, rows["disability"].placed) == (2, 1)
    assert (rows["zero_employment"].total, rows["zero_employment"].placed) == (1, 1)


def test_htmx_filters_return_their_block(session, parties, client_for):
    agreement, recruiter, graduate, officer = parties
    browser = client_for(officer)
    for path in ("/agreements?status=signed", "/officer/destinations?status=missing&year=2026",
                 "/officer/destinations/stats?by=degree&year=2026", "/officer/follow-up?level=school",
                 "/officer/transfers?status=requested"):
        response = browser.get(path, headers={"HX-Request": "true"})
        assert response.status_code == 200, (path, response.text[:500])
        assert "<html" not in response.text, path
