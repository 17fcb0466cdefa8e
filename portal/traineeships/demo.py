"""Demo traineeships for `portal serve --demo`: this quarter's batch of bases (published) with the demo employer as a
base, next quarter's batch scheduled for publication, and a graduate of last year in traineeship at the base, so
officers have a placement to follow. Idempotent, via the services."""
from datetime import timedelta

from portal.accounts import service as accounts
from portal.accounts.schemas import GraduateSignup
from portal.applications import service as applications
from portal.clock import today
from portal.employers import service as employers
from portal.positions import service as positions
from portal.positions.models import PositionKind
from portal.positions.schemas import PositionUpdate
from portal.resumes import service as resumes
from portal.resumes.schemas import ResumeUpdate
from portal.settings import Settings
from portal.traineeships import service
from portal.traineeships.schemas import BaseCreate, BatchCreate


TRAINEE_EMAIL = "trainee@demo.jinying.cn"


def seed_traineeships(session, *, settings: Settings, officer_email: str, employer_email: str, password: str) -> None:
    officer = accounts.get_user_by_email(session, officer_email)
    employer = accounts.get_user_by_email(session, employer_email)
    if officer is None or employer is None or service.batches(session):
        return
    organization = employers.organization_of(session, employer)
    now = today()
    current = service.create_batch(session, settings=settings, officer=officer, batch=BatchCreate(
        name=f"{now.year} 年第 {(now.month - 1) // 3 + 1} 批就业见习基地", publish_on=now - timedelta(days=7),
        applications_open_on=now - timedelta(days=7), applications_close_on=now + timedelta(days=60),
        note="离校两年内未就业高校毕业生和 16–24 岁失业青年可报名；见习期 3–12 个月，见习期间按月发放生活补助。"))
    base = service.add_base(session, settings=settings, officer=officer, batch_id=current.id, base=BaseCreate(
        organization=organization.uscc, name=f"{organization.name}就业见习基地", district=organization.district,
        address=organization.address or organization.district, capacity=5))
    posts = _post_at_base(session, settings=settings, officer=officer, employer=employer, base_id=base.id)
    if posts:
        _placement(session, settings=settings, employer=employer, post=posts[0], password=password)
    next_quarter = now + timedelta(days=92)
    service.create_batch(session, settings=settings, officer=officer, batch=BatchCreate(
        name=f"{next_quarter.year} 年第 {(next_quarter.month - 1) // 3 + 1} 批就业见习基地", publish_on=next_quarter,
        applications_open_on=next_quarter, applications_close_on=next_quarter + timedelta(days=60)))


def _post_at_base(session, *, settings: Settings, officer, employer, base_id: int) -> list:
    """The demo employer's open traineeships get their traineeship fields and the base; the officer approves them."""
    traineeships = [p for p in positions.list_employer_positions(session, user=employer, status="published").items
                    if p.kind == PositionKind.traineeship]
    for post in traineeships:
        positions.update_position(session, user=employer, position_id=post.id, changes=PositionUpdate(
            traineeship_months=6, monthly_allowance=2280, host_subsidy=1710, mentor="王工（高级工程师，带教 8 年）",
            host_base_id=base_id))
        positions.approve_position(session, officer=officer, position_id=post.id, settings=settings)
    return traineeships


def _placement(session, *, settings: Settings, employer, post, password: str) -> None:
    """Last year's graduate, still without a job, applied to the post and was taken on as a trainee."""
    trainee = accounts.register_graduate(session, signup=GraduateSignup(
        email=TRAINEE_EMAIL, password=password, display_name="刘佳", school="天津职业大学", student_number="2022030517",
        major="软件工程", degree="associate", graduation_year=today().year - 1))
    resumes.update_resume(session, user=trainee, update=ResumeUpdate(
        headline="前端开发见习", skills=["JavaScript", "HTML/CSS"], expected_kinds=["traineeship"]))
    application = applications.apply(session, settings=settings, user=trainee, position_id=post.id)
    for stage in ("shortlisted", "offer", "hired"):
        applications.move(session, settings=settings, user=employer, application_id=application.id, status=stage)
