"""Video interviews: the rules for proposing, choosing, rescheduling, cancelling, entering the room and
recording the outcome. Only the application's graduate and the recruiter who proposed the interview may see
it; anyone else gets NotFound."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, or_, select

from portal.accounts.models import User
from portal.applications import service as applications
from portal.applications.models import ApplicationStatus
from portal.audit import service as audit
from portal.clock import utcnow
from portal.errors import Conflict, Invalid, NotFound
from portal.interviews.models import (
    Interview,
    InterviewOutcome,
    InterviewSlot,
    InterviewStatus,
)
from portal.localtime import format_datetime
from portal.notifications import service as notifications
from portal.settings import Settings

OPEN = (InterviewStatus.proposed, InterviewStatus.scheduled)
# The room opens a little before the start and stays open a while after the planned end.
ROOM_OPENS_BEFORE = timedelta(minutes=15)
ROOM_STAYS_OPEN_AFTER = timedelta(minutes=60)
REMIND_BEFORE = timedelta(hours=1)


@dataclass
class InterviewView:
    interview: Interview
    slots: list[InterviewSlot]
    application: applications.ApplicationView
    interviewer: User

    @property
    def ends_at(self) -> datetime | None:
        start = self.interview.starts_at
        return start + timedelta(minutes=self.interview.duration_minutes) if start else None


def view_of(session: Session, interview: Interview) -> InterviewView:
    slots = session.exec(
        select(InterviewSlot).where(InterviewSlot.interview_id == interview.id).order_by(InterviewSlot.starts_at)
    ).all()
    graduate = session.get(User, interview.graduate_id)
    application = applications.get_for_graduate(session, user=graduate, application_id=interview.application_id)
    return InterviewView(interview, list(slots), application, session.get(User, interview.interviewer_id))


def get(session: Session, *, user: User, interview_id: int) -> InterviewView:
    """The interview for one of its two people; NotFound for everyone else."""
    interview = session.get(Interview, interview_id)
    if interview is None or user.id not in (interview.graduate_id, interview.interviewer_id):
        raise NotFound("We could not find that interview.")
    return view_of(session, interview)


def list_for(session: Session, *, user: User) -> list[InterviewView]:
    rows = session.exec(
        select(Interview)
        .where(or_(Interview.graduate_id == user.id, Interview.interviewer_id == user.id))
        .order_by(Interview.status.in_(list(OPEN)).desc(), Interview.starts_at.desc(), Interview.id.desc())
    ).all()
    return [view_of(session, interview) for interview in rows]


def list_for_application(session: Session, *, user: User, application_id: int) -> list[InterviewView]:
    applications.get_for_viewer(session, user=user, application_id=application_id)
    rows = session.exec(
        select(Interview).where(Interview.application_id == application_id).order_by(Interview.id.desc())
    ).all()
    return [view_of(session, interview) for interview in rows if user.id in (interview.graduate_id, interview.interviewer_id)]


def _check_slots(slots: list[datetime]) -> list[datetime]:
    now = utcnow()
    if any(slot <= now for slot in slots):
        raise Invalid("Every proposed time must be in the future.", field="slots")
    if len(set(slots)) != len(slots):
        raise Invalid("The proposed times must differ.", field="slots")
    return sorted(slots)


def _params(view: InterviewView, **extra) -> dict:
    return {
        "position": view.application.position.title, "organization": view.application.organization.name,
        "graduate": view.application.graduate.display_name, **extra,
    }


def _notify(session: Session, settings: Settings, view: InterviewView, recipient: User, kind: str, title: str,
            body: str, **params) -> None:
    notifications.notify(
        session, settings=settings, user=recipient, kind=f"interview.{kind}", title=title, body=body,
        link=f"/interviews/{view.interview.id}", params=_params(view, **params),
    )


def _replace_slots(session: Session, interview: Interview, slots: list[datetime]) -> None:
    session.execute(delete(InterviewSlot).where(InterviewSlot.interview_id == interview.id))
    session.add_all(InterviewSlot(interview_id=interview.id, starts_at=slot) for slot in slots)


def propose(
    session: Session, *, settings: Settings, user: User, application_id: int, slots: list[datetime],
    duration_minutes: int = 30, note: str | None = None,
) -> Interview:
    """The recruiter offers the graduate up to five times; the application moves to the interview stage."""
    application_view = applications.get_for_recruiter(session, user=user, application_id=application_id)
    application = application_view.application
    if application.status in applications.FINAL:
        raise Conflict("This application is closed, so no interview can be arranged.")
    open_interview = session.exec(
        select(Interview).where(Interview.application_id == application_id, Interview.status.in_(list(OPEN)))
    ).first()
    if open_interview is not None:
        raise Conflict("An interview is already arranged for this application; reschedule it instead.")
    slots = _check_slots(slots)
    interview = Interview(
        application_id=application_id, graduate_id=application.graduate_id, interviewer_id=user.id,
        duration_minutes=duration_minutes, note=(note or "").strip() or None,
    )
    session.add(interview)
    session.flush()
    _replace_slots(session, interview, slots)
    audit.record(session, actor_id=user.id, action="interview.propose", object_type="interview",
                 object_id=interview.id, subject_user_id=application.graduate_id)
    view = InterviewView(interview, [], application_view, user)
    _notify(session, settings, view, application_view.graduate, "proposed", "Interview times proposed: %(position)s",
            "%(organization)s proposes times for a video interview. Please pick one.")
    if ApplicationStatus.interview in applications.TRANSITIONS.get(application.status, ()):
        applications.move(session, settings=settings, user=user, application_id=application_id,
                          status=ApplicationStatus.interview)  # commits the interview with the move
    else:
        session.commit()
    return interview


def choose(session: Session, *, settings: Settings, user: User, interview_id: int, slot_id: int) -> Interview:
    view = get(session, user=user, interview_id=interview_id)
    interview = view.interview
    if user.id != interview.graduate_id:
        raise NotFound("We could not find that interview.")
    if interview.status != InterviewStatus.proposed:
        raise Conflict("This interview is not waiting for a time to be chosen.")
    slot = next((s for s in view.slots if s.id == slot_id), None)
    if slot is None:
        raise Invalid("Choose one of the proposed times.", field="slot_id")
    if slot.starts_at <= utcnow():
        raise Invalid("That time has passed; ask the employer for new times.", field="slot_id")
    interview.starts_at, interview.status, interview.updated_at = slot.starts_at, InterviewStatus.scheduled, utcnow()
    session.add(interview)
    audit.record(session, actor_id=user.id, action="interview.schedule", object_type="interview",
                 object_id=interview.id, subject_user_id=interview.graduate_id)
    for recipient in (view.application.graduate, view.interviewer):
        _notify(session, settings, view, recipient, "scheduled", "Video interview on %(time)s: %(position)s",
                "Add it to your calendar with the .ics file on the interview page. The room opens 15 minutes before.",
                time=format_datetime(slot.starts_at))
    session.commit()
    return interview


def reschedule(
    session: Session, *, settings: Settings, user: User, interview_id: int, slots: list[datetime],
    duration_minutes: int = 30, note: str | None = None,
) -> Interview:
    """The recruiter offers new times; the graduate is told and picks again."""
    view = get(session, user=user, interview_id=interview_id)
    interview = view.interview
    if user.id != interview.interviewer_id:
        raise NotFound("We could not find that interview.")
    if interview.status not in OPEN:
        raise Conflict("Only an open interview can be rescheduled.")
    slots = _check_slots(slots)
    _replace_slots(session, interview, slots)
    interview.status, interview.starts_at, interview.reminded_at = InterviewStatus.proposed, None, None
    interview.duration_minutes, interview.updated_at = duration_minutes, utcnow()
    interview.note = (note or "").strip() or interview.note
    session.add(interview)
    audit.record(session, actor_id=user.id, action="interview.reschedule", object_type="interview",
                 object_id=interview.id, subject_user_id=interview.graduate_id)
    _notify(session, settings, view, view.application.graduate, "rescheduled", "Interview rescheduled: %(position)s",
            "%(organization)s proposes new times. Please pick one.")
    session.commit()
    return interview


def cancel(session: Session, *, settings: Settings, user: User, interview_id: int, reason: str) -> Interview:
    """Either person cancels, saying why; the other is told."""
    view = get(session, user=user, interview_id=interview_id)
    interview = view.interview
    if interview.status not in OPEN:
        raise Conflict("Only an open interview can be cancelled.")
    reason = reason.strip()
    if not reason:
        raise Invalid("Say why the interview is cancelled.", field="reason")
    interview.status, interview.cancel_reason, interview.updated_at = InterviewStatus.cancelled, reason, utcnow()
    session.add(interview)
    audit.record(session, actor_id=user.id, action="interview.cancel", object_type="interview",
                 object_id=interview.id, subject_user_id=interview.graduate_id)
    other = view.interviewer if user.id == interview.graduate_id else view.application.graduate
    _notify(session, settings, view, other, "cancelled", "Interview cancelled: %(position)s",
            "%(name)s cancelled the interview: %(reason)s", name=user.display_name, reason=reason)
    session.commit()
    return interview


def record_outcome(
    session: Session, *, settings: Settings, user: User, interview_id: int, outcome: str, note: str | None = None
) -> Interview:
    """Closes the interview and moves the application on (offer or rejection) through the applications rules."""
    view = get(session, user=user, interview_id=interview_id)
    interview = view.interview
    if user.id != interview.interviewer_id:
        raise NotFound("We could not find that interview.")
    if outcome not in InterviewOutcome.__members__:
        raise Invalid("Choose an outcome.", field="outcome")
    if interview.status != InterviewStatus.scheduled or interview.starts_at > utcnow():
        raise Conflict("The outcome can be recorded once the interview has taken place.")
    interview.status, interview.outcome, interview.updated_at = InterviewStatus.completed, outcome, utcnow()
    session.add(interview)
    audit.record(session, actor_id=user.id, action="interview.outcome", object_type="interview",
                 object_id=interview.id, subject_user_id=interview.graduate_id, detail={"outcome": outcome})
    applications.move(session, settings=settings, user=user, application_id=interview.application_id,
                      status=outcome, message=note)
    return interview


def enter_room(session: Session, *, user: User, interview_id: int) -> InterviewView:
    """The interview whose room this user may enter now: one of its two people, at the scheduled time."""
    view = get(session, user=user, interview_id=interview_id)
    interview = view.interview
    if interview.status != InterviewStatus.scheduled:
        raise Conflict("This interview is not scheduled.")
    now = utcnow()
    if now < interview.starts_at - ROOM_OPENS_BEFORE:
        raise Conflict("The room opens 15 minutes before the interview.")
    if now > view.ends_at + ROOM_STAYS_OPEN_AFTER:
        raise Conflict("This interview is over.")
    return view


def calendar_file(session: Session, *, user: User, interview_id: int, room_url: str) -> str:
    """The scheduled interview as an iCalendar event (RFC 5545) for either person's calendar."""
    view = get(session, user=user, interview_id=interview_id)
    interview = view.interview
    if interview.starts_at is None:
        raise Conflict("No time has been chosen for this interview yet.")
    stamp = "%Y%m%dT%H%M%SZ"
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Jinying//Interviews//ZH", "METHOD:PUBLISH", "BEGIN:VEVENT",
        f"UID:interview-{interview.id}@jinying", f"DTSTAMP:{interview.updated_at.strftime(stamp)}",
        f"SEQUENCE:{int(interview.updated_at.timestamp())}",
        f"DTSTART:{interview.starts_at.strftime(stamp)}", f"DTEND:{view.ends_at.strftime(stamp)}",
        f"SUMMARY:{_ics_text(view.application.organization.name + ' · ' + view.application.position.title)}",
        f"DESCRIPTION:{_ics_text(room_url)}", f"URL:{room_url}",
        "STATUS:CANCELLED" if interview.status == InterviewStatus.cancelled else "STATUS:CONFIRMED",
        "END:VEVENT", "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def remind_upcoming(session: Session, *, settings: Settings, search=None) -> int:
    """Scheduled job: both people hear about an interview within the hour, once."""
    now = utcnow()
    due = session.exec(
        select(Interview).where(
            Interview.status == InterviewStatus.scheduled, Interview.reminded_at.is_(None),
            Interview.starts_at > now, Interview.starts_at <= now + REMIND_BEFORE,
        ).with_for_update(skip_locked=True)
    ).all()
    for interview in due:
        view = view_of(session, interview)
        for recipient in (view.application.graduate, view.interviewer):
            _notify(session, settings, view, recipient, "reminder", "Your video interview starts at %(time)s",
                    "%(organization)s · %(position)s. Join from the interview page.",
                    time=format_datetime(interview.starts_at))
        interview.reminded_at = now
        session.add(interview)
    session.commit()
    return len(due)
