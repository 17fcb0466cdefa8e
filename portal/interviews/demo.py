"""Demo: a video interview between the demo employer and the demo graduate, scheduled a few minutes ahead, so the
room can be tried from two browsers at once."""
from datetime import timedelta

from sqlmodel import Session, select

from portal.accounts.models import User
from portal.applications import service as applications
from portal.clock import utcnow
from portal.interviews import service
from portal.interviews.models import Interview
from portal.settings import Settings


def seed(session: Session, *, settings: Settings, employer: User, graduate: User) -> None:
    """A new interview whenever the demo graduate has no room still open, from an application to the demo employer
    that can still move to an interview."""
    now = utcnow()
    upcoming = session.exec(select(Interview).where(
        Interview.graduate_id == graduate.id, Interview.status.in_(list(service.OPEN)),
        Interview.starts_at > now - timedelta(minutes=60))).first()
    if upcoming is not None:
        return
    organization_id = applications.organization_of_recruiter(session, employer)
    candidates = [view for view in applications.list_for_graduate(session, user=graduate)
                  if view.position.organization_id == organization_id and view.application.status not in applications.FINAL]
    if not candidates:
        return
    application = candidates[0].application
    for stale in session.exec(select(Interview).where(Interview.application_id == application.id,
                                                      Interview.status.in_(list(service.OPEN)))):
        service.cancel(session, settings=settings, user=employer, interview_id=stale.id, reason="演示数据：时间已过，重新安排")
    interview = service.propose(session, settings=settings, user=employer, application_id=application.id,
                                slots=[now + timedelta(minutes=5), now + timedelta(days=1)], duration_minutes=60,
                                note="视频面试约 30 分钟，请提前调试摄像头和麦克风。")
    slot = service.get(session, user=graduate, interview_id=interview.id).slots[0]
    service.choose(session, settings=settings, user=graduate, interview_id=interview.id, slot_id=slot.id)
