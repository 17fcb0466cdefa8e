"""Demo ledger for `portal serve --demo`: three priority graduates, one awaiting the officer's last confirmation, one
on the shortfall list, and a graduate's pending application for support services. Idempotent, via the services."""
from datetime import timedelta

from sqlmodel import Session

from portal.accounts import service as accounts
from portal.accounts.schemas import GraduateSignup
from portal.clock import today
from portal.ledger import service as ledger
from portal.ledger.models import LedgerOffer, OfferStatus
from portal.settings import Settings

SUPPORTED_GRADUATE_EMAIL = "wangli@demo.jinying.cn"

GRADUATES = (
    dict(email=SUPPORTED_GRADUATE_EMAIL, display_name="王丽", school="南开大学", student_number="2022020317",
         major="软件工程", degree="bachelor", district="南开区",
         resume=dict(headline="软件测试与后端开发方向", skills=["Python", "SQL", "测试用例设计", "Selenium", "Git"],
                     expected_districts=["滨海新区", "西青区", "南开区"], expected_kinds=["full_time", "traineeship"],
                     expected_salary_min=6000, expected_salary_max=9000,
                     self_intro="软件工程专业，做过课程管理系统的测试与接口开发，踏实细心。"),
         case=dict(categories=["minimum_subsistence"], evidence="南开区民政局 2026 年低保证复印件（编号 NK2026-0311）",
                   consent_note="2026-03-02 本人签署知情同意书")),
    dict(email="liuqiang@demo.jinying.cn", display_name="刘强", school="天津大学", student_number="2022030522",
         major="机械设计制造及其自动化", degree="bachelor", district="蓟州区",
         resume=dict(headline="机械设计方向", skills=["SolidWorks", "AutoCAD"], expected_districts=["蓟州区"],
                     expected_kinds=["full_time"], expected_salary_min=5000, expected_salary_max=8000,
                     self_intro="下肢残疾，行动需轮椅，希望在家附近工作。"),
         case=dict(categories=["disability", "poverty_alleviated"], evidence="残疾人证（肢体二级）及脱贫户证明",
                   consent_note="2026-03-05 本人及家长签字同意", preferred_districts=["蓟州区"])),
    dict(email="zhaomin@demo.jinying.cn", display_name="赵敏", school="南开大学", student_number="2022050208",
         major="护理学", degree="associate", district="河东区",
         resume=dict(headline="护理专业应届生", skills=["护士执业资格", "沟通表达", "Excel"],
                     expected_districts=["和平区", "河东区", "河西区"], expected_kinds=["full_time", "part_time"],
                     expected_salary_min=4000, expected_salary_max=7000, self_intro="在天津市第一中心医院完成临床实习。"),
         case=dict(categories=["zero_employment"], evidence="河东区街道办出具的零就业家庭证明",
                   consent_note="2026-03-06 线上确认同意")),
)
REQUESTER = dict(email="chenjing@demo.jinying.cn", display_name="陈静", school="南开大学", student_number="2022060115",
                 major="会计学", degree="bachelor")


def _graduate(session: Session, spec: dict, password: str):
    from portal.resumes import service as resumes
    from portal.resumes.schemas import ProfileUpdate, ResumeUpdate

    user = accounts.get_user_by_email(session, spec["email"])
    if user is None:
        user = accounts.register_graduate(session, signup=GraduateSignup(
            email=spec["email"], password=password, display_name=spec["display_name"], school=spec["school"],
            student_number=spec["student_number"], major=spec["major"], degree=spec["degree"], graduation_year=2026))
    if "resume" in spec and resumes.get_resume(session, graduate_id=user.id) is None:
        resumes.update_profile(session, user=user, update=ProfileUpdate(
            school=spec["school"], major=spec["major"], degree=spec["degree"], graduation_year=2026,
            district=spec.get("district"), discoverable=False))
        resumes.update_resume(session, user=user, update=ResumeUpdate(**spec["resume"]))
    return user


def seed_ledger(session: Session, *, settings: Settings, officer_email: str, password: str) -> list[tuple[str, str]]:
    logins = [("graduate (support services)", SUPPORTED_GRADUATE_EMAIL)]
    officer = accounts.get_user_by_email(session, officer_email)
    if officer is None or accounts.get_user_by_email(session, SUPPORTED_GRADUATE_EMAIL) is not None:
        return logins
    from search.factory import build_backend

    search = build_backend(settings, session.get_bind())
    cases = []
    for spec in GRADUATES:
        graduate = _graduate(session, spec, password)
        cases.append(ledger.enrol(session, officer=officer, graduate_id=graduate.id, consent_given=True, **spec["case"]))
    # The matcher proposes; the officer has confirmed two of the first case's proposals and left the rest.
    ledger.top_up(session, search=search, auto_offers=False, actor=officer, settings=settings)
    first = cases[0]
    proposed = session.exec(
        LedgerOffer.__table__.select().where(LedgerOffer.case_id == first.id, LedgerOffer.status == OfferStatus.proposed)
    ).all()
    for row in proposed[:2]:
        ledger.confirm_offer(session, officer=officer, offer_id=row.id, settings=settings)
    ledger.add_contact(session, officer=officer, case_id=first.id, contacted_on=today() - timedelta(days=6),
                       channel="meeting", who="王丽本人、辅导员张老师",
                       summary="了解求职意向：希望做软件测试或后端，可接受滨海新区通勤。",
                       agreed="本周内完善简历；下周参加一次模拟面试。")
    ledger.add_measure(session, officer=officer, case_id=first.id, kind="guidance_session",
                       description="一对一简历修改与模拟面试", target_date=today() - timedelta(days=2))
    ledger.add_measure(session, officer=officer, case_id=first.id, kind="subsidy",
                       description="申请求职创业补贴（低保家庭毕业生）", target_date=today() + timedelta(days=14))
    ledger.add_measure(session, officer=officer, case_id=cases[1].id, kind="accommodation",
                       description="联系蓟州区残联，了解无障碍岗位与辅助器具补贴", target_date=today() + timedelta(days=7))
    requester = _graduate(session, REQUESTER, password)
    ledger.request_enrolment(session, graduate=requester, categories=["poverty_alleviated"], consent_given=True,
                             statement="家庭为脱贫户，希望得到求职方面的指导。", preferred_districts=["南开区", "河西区"])
    return logins
