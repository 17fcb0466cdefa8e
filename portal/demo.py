"""Demo data for `portal serve --demo`: one of each role, so the whole journey can be tried at once."""
from sqlmodel import Session

from portal.accounts import service as accounts
from portal.accounts.models import Role
from portal.accounts.schemas import GraduateSignup, OfficerCreate
from portal.settings import Settings

DEMO_PASSWORD = "jinying-demo-2026"
GRADUATE_EMAIL = "graduate@demo.jinying.cn"
EMPLOYER_EMAIL = "hr@demo.jinying.cn"
OFFICER_EMAIL = "officer@demo.jinying.cn"
ADMIN_EMAIL = "admin@demo.jinying.cn"


def seed(session: Session, *, settings: Settings) -> list[tuple[str, str]]:
    """Loads the demo once; a database that has the demo graduate is left as it is."""
    if accounts.get_user_by_email(session, GRADUATE_EMAIL) is None:
        accounts.create_officer(
            session,
            officer=OfficerCreate(
                email=OFFICER_EMAIL, password=DEMO_PASSWORD, display_name="李老师（就业指导中心）",
                schools=["南开大学", "天津大学"], districts=["南开区", "滨海新区"], city_wide=True,
            ),
            role=Role.officer,
        )
        accounts.create_officer(
            session,
            officer=OfficerCreate(email=ADMIN_EMAIL, password=DEMO_PASSWORD, display_name="系统管理员", city_wide=True),
            role=Role.admin,
        )
        accounts.register_graduate(
            session,
            signup=GraduateSignup(
                email=GRADUATE_EMAIL, password=DEMO_PASSWORD, display_name="张晓明", school="南开大学",
                student_number="2022010101", major="计算机科学与技术", degree="bachelor", graduation_year=2026,
            ),
        )
    from portal.employers.demo import seed_employers
    from portal.positions.demo import seed_positions

    owners = seed_employers(session, settings=settings, officer_email=OFFICER_EMAIL, employer_email=EMPLOYER_EMAIL,
                            password=DEMO_PASSWORD)
    seed_positions(session, settings=settings, officer_email=OFFICER_EMAIL, owner_emails=owners)
    seed_graduate_journey(session, settings=settings)
    seed_invitation(session, settings=settings)
    logins = [("graduate", GRADUATE_EMAIL), ("employer", EMPLOYER_EMAIL), ("officer", OFFICER_EMAIL),
              ("administrator", ADMIN_EMAIL)]
    # Agreements (one signed by all three parties), destinations, follow-up, transfers: keep this after the
    # demo employer and its positions are seeded.
    from portal.ledger.demo import seed_ledger

    logins += seed_ledger(session, settings=settings, officer_email=OFFICER_EMAIL, password=DEMO_PASSWORD)
    logins += seed_training_and_traineeships(session, settings=settings)
    from search.demo import seed_matching

    logins += seed_matching(session, settings=settings, officer_email=OFFICER_EMAIL, password=DEMO_PASSWORD)
    seed_live_services(session, settings=settings)
    logins += seed_guidance_files_and_competitions(session, settings=settings)
    from portal.agreements.demo import SIGNED_GRADUATE_EMAIL, seed_demo as seed_agreements
    from portal.destinations.demo import seed_destinations

    logins += seed_agreements(session, settings=settings, employer_email=EMPLOYER_EMAIL, officer_email=OFFICER_EMAIL,
                              password=DEMO_PASSWORD)
    return logins + seed_destinations(session, settings=settings, officer_email=OFFICER_EMAIL,
                                      placed_graduate_email=SIGNED_GRADUATE_EMAIL, password=DEMO_PASSWORD)


def seed_training_and_traineeships(session: Session, *, settings: Settings) -> list[tuple[str, str]]:
    """Training programmes (one teaching what a demo position needs and the demo graduate lacks), a subsidy claim
    waiting for the officer, and the city's batches of traineeship bases."""
    from portal.subsidies.demo import seed_subsidies
    from portal.traineeships.demo import seed_traineeships
    from portal.training.demo import seed_training

    logins = seed_training(session, settings=settings, officer_email=OFFICER_EMAIL, password=DEMO_PASSWORD)
    seed_subsidies(session, settings=settings, officer_email=OFFICER_EMAIL)
    seed_traineeships(session, settings=settings, officer_email=OFFICER_EMAIL, employer_email=EMPLOYER_EMAIL,
                      password=DEMO_PASSWORD)
    return logins


def seed_guidance_files_and_competitions(session: Session, *, settings: Settings) -> list[tuple[str, str]]:
    """Career guidance (a counsellor, slots, the demo graduate's booked video guidance), a secondary vocational
    graduate's personnel file kept with a certificate issued, and the 天开杯 competition whose judges scored the demo
    graduate's team (portal/guidance, archives, competitions)."""
    from portal.archives.demo import seed_archives
    from portal.competitions.demo import seed_competitions
    from portal.guidance.demo import seed_guidance
    from portal.ledger.demo import SUPPORTED_GRADUATE_EMAIL

    people = {"officer_email": OFFICER_EMAIL, "password": DEMO_PASSWORD}
    logins = seed_guidance(session, settings=settings, graduate_email=GRADUATE_EMAIL,
                           supported_email=SUPPORTED_GRADUATE_EMAIL, **people)
    logins += seed_archives(session, settings=settings, **people)
    return logins + seed_competitions(session, settings=settings, graduate_email=GRADUATE_EMAIL,
                                      teammate_email=SUPPORTED_GRADUATE_EMAIL, **people)


def seed_live_services(session: Session, *, settings: Settings) -> None:
    """Job fairs, a live presentation, a video interview and notices (portal/fairs, presentations, interviews,
    notices); the fair, presentation and interview are renewed whenever the demo starts after they are over."""
    from portal.fairs import demo as fairs
    from portal.interviews import demo as interviews
    from portal.notices import demo as notices
    from portal.presentations import demo as presentations

    officer, employer, graduate = (accounts.get_user_by_email(session, email)
                                   for email in (OFFICER_EMAIL, EMPLOYER_EMAIL, GRADUATE_EMAIL))
    if None in (officer, employer, graduate):
        return
    fairs.seed(session, settings=settings, officer=officer, employer=employer)
    presentations.seed(session, settings=settings, officer=officer, employer=employer, graduate=graduate)
    interviews.seed(session, settings=settings, employer=employer, graduate=graduate)
    notices.seed(session, settings=settings, officer=officer, graduate=graduate)


def seed_graduate_journey(session: Session, *, settings: Settings) -> None:
    """The demo graduate's complete resume, and applications to two of the demo employer's positions
    (one shortlisted). Runs once the demo employer has open positions; never repeats."""
    from sqlmodel import select

    from portal.applications import service as applications
    from portal.employers.models import Recruiter
    from portal.positions.models import Position
    from portal.positions.service import open_positions_filter
    from portal.resumes import service as resumes
    from portal.resumes.schemas import ProfileUpdate, ResumeUpdate

    graduate = accounts.get_user_by_email(session, GRADUATE_EMAIL)
    if graduate is None:
        return
    if resumes.get_resume(session, graduate_id=graduate.id) is None:
        resumes.update_profile(session, user=graduate, update=ProfileUpdate(
            school="南开大学", major="计算机科学与技术", degree="bachelor", graduation_year=2026,
            phone="13820260101", district="南开区", discoverable=True,
        ))
        resumes.update_resume(session, user=graduate, update=ResumeUpdate(
            headline="后端开发方向 · 2026 届计算机本科",
            self_intro="南开大学计算机科学与技术专业 2026 届本科生。熟悉 Python 与数据库，参与过两个校园项目的后端开发，"
                       "在滨海新区一家软件公司完成了三个月实习。希望在天津从事后端或数据方向的工作。",
            skills=["Python", "SQL", "PostgreSQL", "Linux", "Git", "FastAPI", "英语六级"],
            education=[{"school": "南开大学", "major": "计算机科学与技术", "degree": "bachelor",
                        "start": "2022-09", "end": "2026-06"}],
            experience=[{"organization": "天津滨海软件有限公司", "role": "后端开发实习生", "start": "2025-07",
                         "end": "2025-09", "description": "参与订单服务重构，编写接口与单元测试，接口平均响应时间降低 30%。"}],
            projects=[
                {"name": "校园二手交易平台", "role": "后端负责人", "start": "2024-03", "end": "2024-12",
                 "description": "FastAPI + PostgreSQL，服务全校 3000 余名用户。"},
                {"name": "课程评价数据分析", "role": "数据分析", "start": "2025-03", "end": "2025-06",
                 "description": "用 pandas 清洗与分析 2 万条课程评价，形成教学改进报告。"},
            ],
            expected_districts=["南开区", "滨海新区", "西青区"], expected_kinds=["full_time", "traineeship"],
            expected_salary_min=7000, expected_salary_max=11000,
        ))
    employer = accounts.get_user_by_email(session, EMPLOYER_EMAIL)
    recruiter = session.get(Recruiter, employer.id) if employer else None
    if recruiter is None or applications.list_for_graduate(session, user=graduate):
        return
    positions = session.exec(
        select(Position)
        .where(Position.organization_id == recruiter.organization_id, open_positions_filter())
        .order_by(Position.id)
        .limit(2)
    ).all()
    if len(positions) < 2:
        return
    first = applications.apply(session, settings=settings, user=graduate, position_id=positions[0].id,
                               cover_note="您好，我对贵公司的后端岗位很感兴趣，毕业后可立即到岗。")
    applications.apply(session, settings=settings, user=graduate, position_id=positions[1].id)
    applications.mark_viewed(session, settings=settings, user=employer, application_id=first.id)
    applications.move(session, settings=settings, user=employer, application_id=first.id, status="shortlisted",
                      message="您的简历已通过初筛，我们会在三个工作日内电话联系您安排面试。")



def seed_invitation(session: Session, *, settings: Settings) -> None:
    """The demo employer invites the demo graduate to apply to a position of theirs the matcher suggests (once)."""
    from sqlmodel import select

    from portal.applications import service as applications
    from portal.employers import service as employers
    from portal.errors import ServiceError
    from portal.invitations import service as invitations
    from portal.positions.models import Position
    from portal.positions.service import open_positions_filter
    from search import service as search
    from search.backend import SearchUnavailable
    from search.factory import build_backend

    graduate = accounts.get_user_by_email(session, GRADUATE_EMAIL)
    employer = accounts.get_user_by_email(session, EMPLOYER_EMAIL)
    if graduate is None or employer is None or invitations.list_for_graduate(session, graduate=graduate):
        return
    backend = build_backend(settings, session.get_bind())
    organization = employers.organization_of(session, employer)
    positions = session.exec(select(Position).where(Position.organization_id == organization.id, open_positions_filter())
                             .order_by(Position.id)).all()
    matches = []
    for position in positions:
        if applications.has_applied(session, user=graduate, position_id=position.id):
            continue
        try:
            matches.append((search.candidate(session, backend, user=employer, position_id=position.id,
                                             graduate_id=graduate.id), position))
        except (ServiceError, SearchUnavailable):
            continue
    if matches:
        match, position = max(matches, key=lambda pair: pair[0].fit)
        invitations.invite(session, settings=settings, employer=employer, position_id=position.id,
                           graduate_id=graduate.id, fit=match.fit, reasons=match.reasons.model_dump(),
                           message="看到你做过 FastAPI 后端项目，和我们团队的技术栈很契合，欢迎投递。")


def describe(logins: list[tuple[str, str]], base_url: str) -> str:
    lines = [f"Jinying demo at {base_url}  (password for every demo account: {DEMO_PASSWORD})"]
    lines += [f"  {role:<9} {email}" for role, email in logins]
    return "\n".join(lines)
