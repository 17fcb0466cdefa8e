"""The destinations services' rules, called directly: who may register and check, what an agreement's cancellation
takes back, the follow-up case's states, the transfer's steps, the officers' lists and every grouping of the
statistics (with the workbook read back). On SQLite: nothing here depends on PostgreSQL, which
test_destinations.py covers for the statistics' SQL."""
from io import BytesIO
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from portal.accounts.models import GraduateProfile
from portal.destinations import followup, service, transfers
from portal.destinations.models import DestinationChange, TransferStep
from portal.destinations.schemas import DestinationReport, FollowUpEntryCreate, TransferAdvance, TransferCreate
from portal.errors import Conflict, Forbidden, Invalid, NotFound
from portal.notifications.models import Notification
from tests.factories import make_employer, make_graduate, make_officer

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)

TO_EMPLOYER = TransferCreate(kind="personnel_file", target="employer", receiving_unit="天津某公司",
                             receiving_address="天津市河西区友谊路 1 号")


def _graduate(session, *, district=None, phone=None, **fields):
    """A graduate whose profile, filled in after sign-up, says where they live and their phone."""
    graduate = make_graduate(session, **fields)
    profile = session.get(GraduateProfile, graduate.id)
    profile.district, profile.phone = district, phone
    session.add(profile)
    session.commit()
    return graduate


def _report(session, graduate, category, **fields):
    return service.register(session, graduate=graduate, report=DestinationReport(category=category, **fields))


def test_only_graduates_register_and_only_an_existing_report_is_checked(session):
    officer = make_officer(session)
    _, recruiter = make_employer(session)
    for someone in (officer, recruiter):
        with pytest.raises(Forbidden):
            _report(session, someone, "freelance")
    graduate = make_graduate(session)
    with pytest.raises(NotFound):
        service.review(session, officer=officer, graduate_id=graduate.id, confirm=True)
    _report(session, graduate, "freelance", employer_name="  ", note=" 自由撰稿 ")
    returned = service.review(session, officer=officer, graduate_id=graduate.id, confirm=False, note=" 请补充材料 ")
    assert (returned.status, returned.status_note, returned.confirmed_by_id) == ("returned", "请补充材料", None)
    assert returned.employer_name is None and returned.note == "自由撰稿"
    again = _report(session, graduate, "freelance", employer_name="某工作室")  # a new report awaits a new check
    assert (again.status, again.status_note) == ("reported", None)
    assert [c.status for c in service.changes(session, graduate.id)] == ["reported", "returned", "reported"]


def test_a_cancelled_agreement_puts_the_graduate_back_to_seeking_work(session, parties):
    agreement, _, graduate, officer = parties
    service.record_from_agreement(session, agreement=agreement)
    session.commit()
    assert service.get_destination(session, graduate.id).agreement_id == agreement.id
    other = SimpleNamespace(id=agreement.id + 1, graduate_id=graduate.id, number="another")  # not the one on record
    assert service.clear_agreement(session, agreement=other, actor_id=officer.id).agreement_id == agreement.id
    cleared = service.clear_agreement(session, agreement=agreement, actor_id=officer.id)
    session.commit()
    assert (cleared.category, cleared.employer_name, cleared.agreement_id) == ("seeking_work", None, None)
    last = session.exec(select(DestinationChange).where(DestinationChange.graduate_id == graduate.id)
                        .order_by(DestinationChange.id.desc())).first()
    assert (last.actor_id, last.note) == (officer.id, f"{agreement.number} cancelled")
    assert _report(session, graduate, "military").category == "military"  # free to report by hand again


def test_officers_lists_filter_by_year_status_and_category(session):
    officer = make_officer(session, schools=(), districts=("和平区",))
    confirmed, missing = _graduate(session, district="和平区"), _graduate(session, district="和平区")
    _report(session, confirmed, "further_study")
    service.review(session, officer=officer, graduate_id=confirmed.id, confirm=True)
    _graduate(session, district="和平区", graduation_year=2025)
    _graduate(session, district="河西区")  # outside the district officer's scope

    def ids(**filters):
        return [user.id for user, _, _ in service.graduates_in_scope(session, officer=officer, graduation_year=2026,
                                                                   **filters)]

    assert sorted(ids()) == sorted([confirmed.id, missing.id])
    assert ids(status="missing") == [missing.id]
    assert ids(status="confirmed") == ids(category="further_study") == [confirmed.id]
    assert ids(category="military") == []


def test_the_follow_up_list_needs_a_scope_and_a_case_moves_only_forward(session):
    with pytest.raises(Forbidden):
        followup.build_list(session, officer=make_officer(session, schools=()), graduation_year=2026)
    graduate = make_graduate(session)
    city = make_officer(session, schools=(), city_wide=True)
    assert followup.build_list(session, officer=city, graduation_year=2026) == 1
    case = followup.list_cases(session, officer=city)[0][0]
    assert case.level == "city"  # the city's own list starts with the city
    with pytest.raises(Conflict):
        followup.hand_over(session, officer=city, case_id=case.id, note="")
    with pytest.raises(Invalid):
        followup.close_case(session, officer=city, case_id=case.id, outcome="no_such_category")
    closed = followup.close_case(session, officer=city, case_id=case.id, outcome="not_seeking", note="")
    assert (closed.is_open, closed.outcome) == (False, "not_seeking")
    assert followup.entries(session, case.id)[-1].note == "Not seeking work for now"
    with pytest.raises(Conflict):
        followup.add_entry(session, officer=city, case_id=case.id, entry=FollowUpEntryCreate(kind="contact", note="x"))
    assert followup.list_cases(session, officer=city) == []
    assert [c.id for c, *_ in followup.list_cases(session, officer=city, open_only=False, level="city")] == [case.id]
    assert followup.build_list(session, officer=city, graduation_year=2026) == 1  # still without a job: back on
    assert graduate.id == followup.list_cases(session, officer=city)[0][1].id


def test_the_follow_up_export_sums_up_each_case(session):
    officer = make_officer(session)
    graduate = _graduate(session, graduation_year=2025, phone="13912345678")
    followup.build_list(session, officer=officer, graduation_year=2025)
    case_id = followup.list_cases(session, officer=officer)[0][0].id
    for entry in (FollowUpEntryCreate(kind="contact", channel="电话", note="联系上了"),
                  FollowUpEntryCreate(kind="service", service="guidance", note="职业指导"),
                  FollowUpEntryCreate(kind="service", service="guidance", note="第二次指导")):
        followup.add_entry(session, officer=officer, case_id=case_id, entry=entry)
    _report(session, graduate, "labour_contract", employer_name="某厂")
    sheet = load_workbook(BytesIO(followup.export_xlsx(session, officer=officer))).active
    row = dict(zip([c.value for c in sheet[1]], [c.value for c in sheet[2]]))
    assert sheet.max_row == 2 and row["姓名"] == graduate.display_name and row["电话"] == "13912345678"
    assert (row["联系次数"], row["服务"], row["结果"]) == (1, "职业指导", "12 签劳动合同形式就业")
    assert load_workbook(BytesIO(followup.export_xlsx(session, officer=officer, open_only=True))).active.max_row == 1


def test_a_rejected_transfer_tells_the_graduate_why_and_ends_there(session, settings):
    graduate, officer = make_graduate(session), make_officer(session)
    request = transfers.request_transfer(session, graduate=graduate, data=TO_EMPLOYER)
    with pytest.raises(Forbidden):
        transfers.request_transfer(session, graduate=officer, data=TO_EMPLOYER)
    transfers.advance(session, settings=settings, officer=officer, request_id=request.id,
                      data=TransferAdvance(status="rejected", note="接收单位无档案管理权限"))
    with pytest.raises(Conflict):
        transfers.advance(session, settings=settings, officer=officer, request_id=request.id,
                          data=TransferAdvance(status="received"))
    notice = session.exec(select(Notification).where(Notification.user_id == graduate.id)).one()
    assert notice.link == "/me/transfers" and notice.params["note"] == "接收单位无档案管理权限"
    assert [r.id for r, _ in transfers.for_officer(session, officer=officer, status="rejected")] == [request.id]
    assert transfers.for_officer(session, officer=officer, status="requested") == []
    # Rejected is no longer in progress: the graduate may ask again.
    assert transfers.request_transfer(session, graduate=graduate, data=TO_EMPLOYER).id != request.id


def test_the_receiving_unit_records_a_posted_files_arrival(session, settings):
    graduate, officer = make_graduate(session), make_officer(session)
    agency = make_officer(session, schools=(), districts=("和平区",))
    request = transfers.request_transfer(session, graduate=graduate, data=TO_EMPLOYER)
    with pytest.raises(Conflict):  # not posted yet
        transfers.record_arrival(session, settings=settings, receiver=agency, request_id=request.id)
    for status in ("received", "sent"):
        transfers.advance(session, settings=settings, officer=officer, request_id=request.id,
                          data=TransferAdvance(status=status, tracking_number="EMS9"))
    with pytest.raises(NotFound):
        transfers.record_arrival(session, settings=settings, receiver=agency, request_id=request.id + 1)
    arrived = transfers.record_arrival(session, settings=settings, receiver=agency, request_id=request.id, note=" 已入库 ")
    assert (arrived.status, arrived.tracking_number) == ("arrived", "EMS9")
    last = session.exec(select(TransferStep).order_by(TransferStep.id.desc())).first()
    assert (last.actor_id, last.note) == (agency.id, "已入库")


def test_every_grouping_counts_the_same_graduates_and_the_workbook_says_so(session):
    officer = make_officer(session, schools=("南开大学",))
    placed = _graduate(session, district="河西区", degree="master")
    studying = _graduate(session, district="河西区", major="法学")
    seeking = make_graduate(session, major="法学")
    make_graduate(session)  # nothing reported
    _report(session, placed, "labour_contract", employer_name="某公司")
    _report(session, studying, "study_abroad")
    _report(session, seeking, "seeking_work")
    by_district = {r.key: r for r in service.stats(session, officer=officer, by="district", graduation_year=2026)}
    assert (by_district["河西区"].total, by_district["河西区"].rate) == (2, 1.0)
    for by in ("school", "major", "degree", "district"):
        total = service.totals(service.stats(session, officer=officer, by=by, graduation_year=2026))
        assert (total.total, total.placed, total.employed, total.further_study, total.reported) == (4, 2, 1, 1, 3), by
    assert service.stats(session, officer=officer, by="school", graduation_year=2025) == []
    with pytest.raises(NotFound):
        service.stats(session, officer=officer, by="income", graduation_year=2026)

    book = load_workbook(BytesIO(service.export_xlsx(session, officer=officer, graduation_year=2026)))
    assert book.sheetnames == ["学校", "专业", "学历", "区县", "帮扶类别", "毕业生"]
    school = [[c.value for c in row] for row in book["学校"].iter_rows()]
    assert school == [["分组", "毕业生", "已落实", "就业", "升学", "已填报", "去向落实率"], ["南开大学", 4, 2, 1, 1, 3, 0.5]]
    people = {row[0].value: [c.value for c in row] for row in book["毕业生"].iter_rows(min_row=2)}
    assert people[placed.display_name][6:] == ["12", "签劳动合同形式就业", "某公司", "reported"]
    assert people[studying.display_name][6:8] == ["85", "出国、出境"]
