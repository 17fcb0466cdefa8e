"""Demo data that shows the matching at work: an accounting firm's posts (search 会计 finds only them), a graduate
who asked for traineeships (traineeships first), and one who needs an accessible workplace (only accessible ones).
Idempotent, through the services, after the demo employers and the officer exist."""
from datetime import timedelta

from sqlmodel import Session

from portal.accounts import service as accounts
from portal.accounts.schemas import GraduateSignup
from portal.clock import today
from portal.employers import service as employers
from portal.employers.schemas import OrganizationSignup
from portal.positions import service as positions
from portal.positions.schemas import PositionCreate
from portal.resumes import service as resumes
from portal.resumes.schemas import ProfileUpdate, ResumeUpdate
from portal.settings import Settings

FIRM_EMAIL = "hr@chengxin-cpa.demo.jinying.cn"
TRAINEESHIP_GRADUATE = "zhaoyu@demo.jinying.cn"
ACCESSIBLE_GRADUATE = "sunhui@demo.jinying.cn"

FIRM = dict(name="天津诚信会计师事务所（普通合伙）", uscc="91120103584LMK0P72", industry="finance", size="50-199",
            district="河西区", address="天津市河西区围堤道 125 号", description="审计、税务与代理记账服务。",
            contact_name="周主任", contact_phone="022-23456789")
FIRM_POSITIONS = [
    dict(title="会计助理", kind="full_time", district="河西区", degree_required="associate", majors=["会计学", "大数据与会计"],
         skills=["会计核算", "Excel", "用友"], salary_min=4500, salary_max=6500, headcount=2,
         description="协助日常账务处理与凭证整理，熟悉财务软件。", accessible=True),
    dict(title="审计助理", kind="full_time", district="和平区", degree_required="bachelor", majors=["会计学", "审计学"],
         skills=["审计", "Excel", "会计核算"], salary_min=6000, salary_max=8000, headcount=2,
         description="参与年报审计外勤，整理底稿。"),
    dict(title="会计见习生", kind="traineeship", district="河西区", degree_required="associate", majors=[],
         skills=["会计核算"], salary_min=3000, salary_max=4000, headcount=3,
         description="见习期六个月，跟岗学习账务处理。", accessible=True),
    dict(title="税务专员（兼职）", kind="part_time", district="南开区", degree_required="associate",
         majors=["会计学", "财务管理", "税收学"], skills=["税务", "纳税申报"], salary_min=2500, salary_max=4000,
         headcount=1, description="为小微企业办理纳税申报，每周两天。"),
]
GRADUATES = [
    dict(email=TRAINEESHIP_GRADUATE, display_name="赵雨", student_number="2023120331", major="大数据与会计",
         degree="associate", needs_accessible=False,
         resume=dict(headline="会计", skills=["记账", "Excel", "财务软件"], self_intro="熟悉用友 U8，做过代理记账实习。",
                     expected_districts=["河西区", "南开区"], expected_kinds=["traineeship"],
                     expected_salary_min=3000, expected_salary_max=4500)),
    dict(email=ACCESSIBLE_GRADUATE, display_name="孙慧", student_number="2022120208", major="会计学",
         degree="bachelor", needs_accessible=True,
         resume=dict(headline="会计", skills=["会计核算", "税务", "Excel"], self_intro="下肢残疾，使用轮椅；持初级会计职称。",
                     expected_districts=["河西区", "和平区"], expected_kinds=["full_time", "traineeship"],
                     expected_salary_min=4500, expected_salary_max=7000)),
]


def seed_matching(session: Session, *, settings: Settings, officer_email: str, password: str) -> list[tuple[str, str]]:
    officer = accounts.get_user_by_email(session, officer_email)
    if officer is not None and accounts.get_user_by_email(session, FIRM_EMAIL) is None:
        organization, owner = employers.register_organization(
            session, signup=OrganizationSignup(**FIRM, email=FIRM_EMAIL, password=password))
        employers.verify_organization(session, officer=officer, organization_id=organization.id, settings=settings)
        for fields in FIRM_POSITIONS:
            position = positions.create_position(session, user=owner, position=PositionCreate(
                **fields, deadline=today() + timedelta(days=45)))
            positions.submit_position(session, user=owner, position_id=position.id)
            positions.approve_position(session, officer=officer, position_id=position.id, settings=settings)
    for spec in GRADUATES:
        _graduate(session, spec, password)
    return [("graduate asking for traineeships", TRAINEESHIP_GRADUATE),
            ("graduate who needs an accessible workplace", ACCESSIBLE_GRADUATE)]


def _graduate(session: Session, spec: dict, password: str) -> None:
    if accounts.get_user_by_email(session, spec["email"]) is not None:
        return
    user = accounts.register_graduate(session, signup=GraduateSignup(
        email=spec["email"], password=password, display_name=spec["display_name"], school="天津财经大学",
        student_number=spec["student_number"], major=spec["major"], degree=spec["degree"], graduation_year=2026))
    resumes.update_profile(session, user=user, update=ProfileUpdate(
        major=spec["major"], district="河西区", discoverable=True, needs_accessible=spec["needs_accessible"],
        accessibility_note="需要轮椅通道和无障碍卫生间" if spec["needs_accessible"] else None))
    resumes.update_resume(session, user=user, update=ResumeUpdate(**spec["resume"]))
