"""Demo career guidance for `portal serve --demo`: a career counsellor the demo officer invited, free times in the
days ahead (by video and in person), the demo graduate's booked video guidance, the priority graduate's guidance with
a follow-up action in her support plan, and a group guidance session with registration. Renewed whenever the demo
starts after they are over; idempotent, through the services."""
from datetime import datetime, time, timedelta

from sqlmodel import Session

from portal.accounts import service as accounts
from portal.accounts.models import User
from portal.clock import today, utcnow
from portal.fairs import service as fairs
from portal.fairs.models import FairKind
from portal.fairs.schemas import FairCreate
from portal.guidance import service
from portal.guidance.schemas import CounsellorInvite, SlotsCreate
from portal.settings import Settings

COUNSELLOR_EMAIL = "counsellor@demo.jinying.cn"
GROUP_SESSION_TITLE = "简历写作与面试礼仪团体辅导"


def _tianjin(days_ahead: int, hour: int) -> datetime:
    """A wall-clock time in Tianjin, as forms type it."""
    return datetime.combine(today() + timedelta(days=days_ahead), time(hour))


def seed_guidance(session: Session, *, settings: Settings, officer_email: str, graduate_email: str,
                  supported_email: str, password: str) -> list[tuple[str, str]]:
    officer, graduate = (accounts.get_user_by_email(session, e) for e in (officer_email, graduate_email))
    if officer is None or graduate is None:
        return []
    counsellor = _counsellor(session, settings=settings, officer=officer, password=password)
    if not service.open_slots(session, adviser_id=counsellor.id).total:
        service.publish_slots(session, adviser=counsellor, slots=SlotsCreate(
            starts_at=_tianjin(1, 10), duration_minutes=45, count=4, mode="video", note="简历诊断、模拟面试"))
        service.publish_slots(session, adviser=counsellor, slots=SlotsCreate(
            starts_at=_tianjin(2, 14), duration_minutes=45, count=3, mode="in_person",
            place="南开大学就业指导中心 305 室", note="职业规划一对一"))
    if not any(view.upcoming for view in service.my_appointments(session, graduate=graduate)):
        slot = service.open_slots(session, adviser_id=counsellor.id, mode="video").items[0].slot
        service.book(session, settings=settings, graduate=graduate, slot_id=slot.id,
                     topic="想请老师看看简历，准备下周后端开发岗位的面试。")
    supported = accounts.get_user_by_email(session, supported_email)
    if supported is not None and not service.my_appointments(session, graduate=supported):
        _supported_graduates_guidance(session, settings=settings, officer=officer, graduate=supported)
    if not fairs.upcoming(session, kinds=(FairKind.group_guidance,)):
        start = utcnow() + timedelta(days=4)
        fairs.create_fair(session, user=officer, create=FairCreate(
            kind=FairKind.group_guidance, title=GROUP_SESSION_TITLE, starts_at=start, ends_at=start + timedelta(hours=2),
            registration_deadline=start, venue="南开大学图书馆报告厅", district="南开区", capacity=120,
            description="职业指导师讲解简历写作要点与面试礼仪，现场答疑。"))
    return [("counsellor", COUNSELLOR_EMAIL)]


def _counsellor(session: Session, *, settings: Settings, officer: User, password: str) -> User:
    counsellor = accounts.get_user_by_email(session, COUNSELLOR_EMAIL)
    if counsellor is None:
        _, link = service.invite_counsellor(session, settings=settings, officer=officer, invite=CounsellorInvite(
            email=COUNSELLOR_EMAIL, display_name="周老师", organisation="南开大学就业指导中心",
            specialties="简历诊断、模拟面试、职业规划"))
        counsellor = accounts.accept_invitation(session, token=link.rsplit("/", 1)[1], password=password)
    return counsellor


def _supported_graduates_guidance(session: Session, *, settings: Settings, officer: User, graduate: User) -> None:
    """The officer's guidance for a graduate in the ledger: its follow-up action lands in her support plan."""
    [slot] = service.publish_slots(session, adviser=officer, slots=SlotsCreate(
        starts_at=_tianjin(3, 9), duration_minutes=60, mode="in_person", place="南开区人社局就业服务大厅 2 号窗口",
        note="重点群体毕业生专场"))
    appointment = service.book(session, settings=settings, graduate=graduate, slot_id=slot.id,
                               topic="护理专业，想了解社区医疗岗位和求职补贴。")
    service.add_action(session, settings=settings, adviser=officer, appointment_id=appointment.id,
                       description="准备三份面向社区卫生服务中心的定向简历", due_on=today() + timedelta(days=10))
