"""Bugs users tripped over on single pages: blank fields shown as "None", the measure status word, times on
Tianjin's clock, a draft link without its offer, the favicon."""
import re
from datetime import UTC, datetime

from sqlmodel import select

from portal.destinations.models import Destination, DestinationChange
from portal.destinations.schemas import DestinationReport
from portal.destinations import service as destinations
from portal.ledger.models import LedgerMeasure
from tests.conftest import csrf_from
from tests.factories import make_graduate, make_ledger_case, make_officer
from tests.ux.crawl import readable_text

ZH = {"Accept-Language": "zh-CN"}


def _input_value(html: str, name: str) -> str:
    tag = re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>(?:([^<]*)</textarea>)?', html)
    assert tag, f"no field {name}"
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else (tag.group(1) or "")


def test_blank_optional_fields_prefill_empty_and_save_as_null(session, client_for):
    graduate = make_graduate(session)
    destinations.register(session, graduate=graduate, report=DestinationReport(category="seeking_work"))
    client = client_for(graduate)
    page = client.get("/me/destination").text
    assert "None" not in page
    form = {name: _input_value(page, name) for name in ("employer_name", "work_district", "work_place", "note")}
    assert form == dict.fromkeys(form, "")

    # Saving the form exactly as it was prefilled stores nothing, not the text "None".
    response = client.post("/me/destination", data={"category": "further_study", **form, "csrf_token": csrf_from(page)},
                           follow_redirects=False)
    assert response.status_code == 303
    session.expire_all()
    saved = session.get(Destination, graduate.id)
    assert saved.category == "further_study"
    assert (saved.employer_name, saved.work_district, saved.work_place, saved.note) == (None, None, None, None)


def test_cancelled_measure_reads_cancelled_not_terminated(session, client_for):
    officer = make_officer(session, schools=["南开大学"])
    graduate = make_graduate(session, school="南开大学")
    case = make_ledger_case(session, graduate, officer)
    client = client_for(officer)
    client.post(f"/officer/ledger/cases/{case.id}/measures", headers=ZH,
                data={"kind": "guidance_session", "description": "一对一简历修改", "target_date": "2026-07-01"})
    measure = session.exec(select(LedgerMeasure).where(LedgerMeasure.case_id == case.id)).one()
    client.post(f"/officer/ledger/measures/{measure.id}/status", data={"status": "cancelled"}, headers=ZH)
    plan = client.get(f"/officer/ledger/cases/{case.id}", headers=ZH).text
    plan = plan[plan.index('id="plan"'):plan.index('id="contacts"')]
    assert "已取消" in plan and "已解约" not in plan


def test_times_show_on_tianjins_clock_in_one_format(session, client_for):
    """23:30 UTC on 31 May is 07:30 on 1 June in Tianjin: every page shows the Tianjin day."""
    graduate = make_graduate(session)
    destinations.register(session, graduate=graduate, report=DestinationReport(category="seeking_work"))
    change = session.exec(select(DestinationChange).where(DestinationChange.graduate_id == graduate.id)).one()
    change.created_at = datetime(2026, 5, 31, 23, 30, tzinfo=UTC)
    session.add(change)
    session.commit()
    history = client_for(graduate).get("/me/destination").text
    assert "2026-06-01 07:30" in history
    assert "2026-05-31" not in history


def test_drafting_an_agreement_without_choosing_an_offer_leads_to_the_offers(session, client_for):
    from tests.factories import make_employer

    _, recruiter = make_employer(session)
    client = client_for(recruiter)
    response = client.get("/agreements/new", headers=ZH, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/agreements"
    page = client.get("/agreements/new?application_id=abc", headers=ZH)
    assert page.status_code == 422
    assert "这个链接不完整或无效" in page.text and "application_id" not in page.text


def test_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/vnd.microsoft.icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # the ICO header
    assert '<link rel="icon" href="/favicon.ico"' in client.get("/login").text


def test_a_case_from_the_graduates_own_application_reads_in_chinese(session, client_for):
    """Its history named the categories by code (纳入台账 disability) and English words the service wrote showed
    as they were (同意 given online with the application, 建档 (graduate's application))."""
    from portal.ledger import service as ledger

    officer = make_officer(session, schools=["南开大学"])
    graduate = make_graduate(session, school="南开大学")
    applied = ledger.request_enrolment(session, graduate=graduate, categories=["disability", "minimum_subsistence"],
                                       consent_given=True)
    client = client_for(officer)
    decided = client.post(f"/officer/ledger/requests/{applied.id}/decide", data={"decision": "approve"}, headers=ZH,
                          follow_redirects=False)
    case_url = decided.headers["location"]
    client.post(f"{case_url}/update", headers=ZH, data={"evidence": "残疾人证复印件", "categories[]": ["disability"]})
    page = client.get(case_url, headers=ZH).text
    shown = " ".join(readable_text(page))
    for english in ("graduate's application", "given online", "graduate_request", "consent_with_request",
                    "disability", "minimum_subsistence", "categories", "evidence"):
        assert english not in shown, english
    assert "毕业生本人申请" in shown and "申请时在线同意" in shown
    history = " ".join(readable_text(page[page.rindex('<ul class="timeline">'):]))
    assert "残疾、低保家庭" in history and "帮扶类别、已核验材料" in history


def test_exports_show_days_on_tianjins_clock(session, client_for):
    """A case opened at 23:30 UTC on 31 May was opened on 1 June in Tianjin, in the xlsx export as on the page."""
    from io import BytesIO

    from openpyxl import load_workbook

    officer = make_officer(session, schools=["南开大学"])
    case = make_ledger_case(session, make_graduate(session, school="南开大学"), officer)
    case.opened_at = datetime(2026, 5, 31, 23, 30, tzinfo=UTC)
    session.add(case)
    session.commit()
    export = client_for(officer).get("/officer/ledger/export.xlsx", headers=ZH)
    sheet = load_workbook(BytesIO(export.content)).active
    header = [cell.value for cell in sheet[1]]
    opened = sheet.cell(row=2, column=header.index("建档日期") + 1).value
    assert opened == "2026-06-01"


def test_shortfall_counts_agree_with_their_noun():
    """"1 proposed positions await…": one is singular in English; in Chinese the count reads the same."""
    from portal.i18n import set_locale
    from portal.ledger.models import LedgerCase
    from portal.ledger.service import shortfall_message

    def message(proposed: int, locale: str) -> str:
        set_locale(locale)
        return shortfall_message(LedgerCase(graduate_id=1, shortfall_reason="awaiting_confirmation",
                                            shortfall_detail={"proposed": proposed}))

    try:
        assert message(1, "en") == "1 proposed position awaits an officer's confirmation."
        assert message(2, "en") == "2 proposed positions await an officer's confirmation."
        assert message(1, "zh_CN") == "1 个推荐岗位等待专员确认。"
    finally:
        set_locale("zh_CN")


def test_form_errors_come_back_in_chinese(session, client, client_for):
    """Pydantic's own English ("String should have at least 8 characters", "Input should be less than or equal to
    6") showed under fields of Chinese forms."""
    from tests.factories import make_offer

    page = client.get("/signup/graduate", headers=ZH).text
    signup = client.post("/signup/graduate", headers=ZH, data={
        "email": "new.graduate@example.edu.cn", "password": "short", "display_name": "新同学", "school": "南开大学",
        "student_number": "2022000001", "major": "软件工程", "degree": "bachelor", "graduation_year": "2026",
        "csrf_token": csrf_from(page)})
    application, _, recruiter, _ = make_offer(session)
    draft = client_for(recruiter).post("/agreements", headers=ZH, data={
        "application_id": application.id, "position_title": "后端开发工程师", "salary_monthly": 9000,
        "probation_months": 7, "start_date": "2026-07-01", "work_place": "天津市南开区卫津路 92 号"})
    for response in (signup, draft):
        assert response.status_code == 422
        errors = re.findall(r'class="error"[^>]*>([^<]+)<', response.text)
        assert errors and all(not re.search(r"[A-Za-z]{3}", e) for e in errors), errors


def test_words_are_those_of_the_page_not_of_another_domain(session, client_for):
    """One catalogue serves every domain: a notice's 标题 and 类型 read 职位名称 and 职位类型 (the position form's
    words), an event open for registration read 招聘中, an agreement's cancellation request read 待审核 (a fair's
    exhibitor word) and an organisation's registration read 报名时间 (a fair's column)."""
    from portal.labels import label

    form = client_for(make_officer(session, city_wide=True)).get("/officer/notices/new", headers=ZH).text
    labels = [text.strip() for text in re.findall(r'class="label"[^>]*>([^<]+)<', form)]
    assert "标题" in labels and "类型" in labels and not [text for text in labels if "职位" in text], labels
    assert (label("published", "fair"), label("published")) == ("报名中", "招聘中")
    assert (label("requested"), label("requested", "fair")) == ("已申请", "待审核")
    assert label("organization.register") == "已注册"
