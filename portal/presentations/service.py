"""Online presentations: an employer schedules, an officer approves, graduates register, watch and ask.

The presenter's browser sends its camera or screen to each viewer's browser (WebRTC; the portal only relays the
negotiation), or the page plays the HLS stream a streaming service carries. Questions are stored here, so a
viewer who joins late sees what was asked and answered.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from portal.accounts.models import Role, User
from portal.audit import service as audit
from portal.clock import utcnow
from portal.db import locked
from portal.employers import service as employers
from portal.employers.models import Organization, OrganizationStatus
from portal.errors import Conflict, Invalid, NotFound
from portal.localtime import format_datetime
from portal.notifications import service as notifications
from portal.positions.models import Position, PositionStatus
from portal.presentations.models import (
    Presentation,
    PresentationQuestion,
    PresentationRegistration,
    PresentationStatus,
)
from portal.presentations.schemas import PresentationCreate
from portal.scope import scope_of
from portal.settings import Settings

S = PresentationStatus
ROOM_OPENS_BEFORE = timedelta(minutes=30)
ROOM_STAYS_OPEN_AFTER = timedelta(minutes=30)
REMIND_BEFORE = timedelta(hours=1)


@dataclass
class PresentationView:
    presentation: Presentation
    organization: Organization
    positions: list[Position]

    @property
    def ends_at(self) -> datetime:
        return self.presentation.starts_at + timedelta(minutes=self.presentation.duration_minutes)


def view_of(session: Session, presentation: Presentation) -> PresentationView:
    positions = session.exec(select(Position).where(Position.id.in_(presentation.position_ids or [-1]))).all()
    return PresentationView(presentation, session.get(Organization, presentation.organization_id), list(positions))


def _ends(presentation: Presentation) -> datetime:
    return presentation.starts_at + timedelta(minutes=presentation.duration_minutes)


# ---------------------------------------------------------------- the employer's side


def schedule(session: Session, *, user: User, create: PresentationCreate) -> Presentation:
    """A recruiter of a verified employer asks to present; an officer approves before graduates see it."""
    organization = employers.organization_of(session, user)
    if organization.status != OrganizationStatus.verified:
        raise Conflict("Only verified employers can hold presentations.")
    if create.starts_at <= utcnow():
        raise Invalid("The presentation must start in the future.", field="starts_at")
    position_ids = sorted(set(create.position_ids))
    own = session.exec(select(Position.id).where(
        Position.id.in_(position_ids or [-1]), Position.organization_id == organization.id,
        Position.status == PositionStatus.published,
    )).all()
    if len(own) != len(position_ids):
        raise Invalid("Choose published positions of your own organisation.", field="position_ids")
    presentation = Presentation(
        organization_id=organization.id, presenter_id=user.id, topic=create.topic.strip(),
        description=create.description.strip(), starts_at=create.starts_at, duration_minutes=create.duration_minutes,
        position_ids=position_ids, stream_url=create.stream_url,
    )
    session.add(presentation)
    session.flush()
    audit.record(session, actor_id=user.id, action="presentation.schedule", object_type="presentation",
                 object_id=presentation.id)
    session.commit()
    return presentation


def list_for_employer(session: Session, *, user: User) -> list[PresentationView]:
    organization = employers.organization_of(session, user)
    rows = session.exec(select(Presentation).where(Presentation.organization_id == organization.id)
                        .order_by(Presentation.starts_at.desc())).all()
    return [view_of(session, p) for p in rows]


def cancel(session: Session, *, settings: Settings, user: User, presentation_id: int) -> Presentation:
    presentation = _lock(session, _own(session, user, presentation_id))
    if presentation.status in (S.cancelled, S.rejected) or _ends(presentation) <= utcnow():
        raise Conflict("This presentation can no longer be cancelled.")
    presentation.status = S.cancelled
    session.add(presentation)
    for graduate in _registered_graduates(session, presentation.id):
        notifications.notify(session, settings=settings, user=graduate, kind="presentation.cancelled",
                             title="Presentation cancelled: %(topic)s", link=f"/presentations/{presentation.id}",
                             params={"topic": presentation.topic})
    audit.record(session, actor_id=user.id, action="presentation.cancel", object_type="presentation",
                 object_id=presentation.id)
    session.commit()
    return presentation


def _lock(session: Session, presentation: Presentation) -> Presentation:
    """Reads the presentation again under a row lock, so an officer's decision, another officer's and the employer's
    cancellation that race are applied one after the other, each seeing the status the one before left."""
    return locked(session, Presentation, presentation.id)


def _own(session: Session, user: User, presentation_id: int) -> Presentation:
    presentation = session.get(Presentation, presentation_id)
    if presentation is None or not employers.is_recruiter_of(session, user, presentation.organization_id):
        raise NotFound("We could not find that presentation.")
    return presentation


@dataclass
class Attendance:
    graduate: User
    registration: PresentationRegistration


def attendance(session: Session, *, user: User, presentation_id: int) -> list[Attendance]:
    """Who registered and who watched, for the employer's recruiters."""
    presentation = _own(session, user, presentation_id)
    rows = session.exec(
        select(PresentationRegistration, User).join(User, User.id == PresentationRegistration.graduate_id)
        .where(PresentationRegistration.presentation_id == presentation.id).order_by(PresentationRegistration.id)
    ).all()
    return [Attendance(graduate, registration) for registration, graduate in rows]


# ---------------------------------------------------------------- officers


def review_queue(session: Session, *, officer: User) -> list[PresentationView]:
    rows = session.exec(select(Presentation).where(Presentation.status == S.pending_review)
                        .order_by(Presentation.starts_at)).all()
    views = [view_of(session, p) for p in rows]
    scope = scope_of(session, officer)
    return [v for v in views if scope.covers_district(v.organization.district)]


def decide(session: Session, *, settings: Settings, officer: User, presentation_id: int, approve: bool,
           note: str | None = None) -> Presentation:
    presentation = session.get(Presentation, presentation_id)
    organization = session.get(Organization, presentation.organization_id) if presentation else None
    if organization is None or not scope_of(session, officer).covers_district(organization.district):
        raise NotFound("We could not find that presentation.")
    presentation = _lock(session, presentation)
    if presentation.status != S.pending_review:
        raise Conflict("This presentation has already been decided.")
    presentation.status = S.approved if approve else S.rejected
    presentation.decided_by_id, presentation.decision_note = officer.id, (note or "").strip() or None
    session.add(presentation)
    audit.record(session, actor_id=officer.id, action=f"presentation.{presentation.status}",
                 object_type="presentation", object_id=presentation.id)
    employers.notify_recruiters(
        session, settings=settings, organization_id=organization.id, kind=f"presentation.{presentation.status}",
        title="Presentation %(status)s: %(topic)s", body=presentation.decision_note or "",
        link=f"/presentations/{presentation.id}", params={"status": presentation.status, "topic": presentation.topic},
    )
    session.commit()
    return presentation


# ---------------------------------------------------------------- graduates and everyone


def upcoming(session: Session, *, q: str | None = None, limit: int = 50) -> list[PresentationView]:
    """Approved presentations not over yet, soonest first; q matches the topic or the employer."""
    query = (select(Presentation).join(Organization, Organization.id == Presentation.organization_id)
             .where(Presentation.status == S.approved, Presentation.starts_at > utcnow() - timedelta(hours=4)))
    if q and q.strip():
        pattern = f"%{q.strip()}%"
        query = query.where(Presentation.topic.ilike(pattern) | Organization.name.ilike(pattern))
    rows = session.exec(query.order_by(Presentation.starts_at).limit(limit)).all()
    return [view_of(session, p) for p in rows if _ends(p) > utcnow()]


def get(session: Session, *, user: User | None, presentation_id: int) -> PresentationView:
    """Approved presentations for everyone; others only for the employer's recruiters and officers."""
    presentation = session.get(Presentation, presentation_id)
    if presentation is None:
        raise NotFound("We could not find that presentation.")
    if presentation.status != S.approved:
        allowed = user is not None and (
            user.role in (Role.officer, Role.admin) or employers.is_recruiter_of(session, user, presentation.organization_id)
        )
        if not allowed:
            raise NotFound("We could not find that presentation.")
    return view_of(session, presentation)


def registration_of(session: Session, *, user: User | None, presentation_id: int) -> PresentationRegistration | None:
    if user is None or user.role != Role.graduate:
        return None
    return session.exec(select(PresentationRegistration).where(
        PresentationRegistration.presentation_id == presentation_id, PresentationRegistration.graduate_id == user.id
    )).first()


def register(session: Session, *, settings: Settings, user: User, presentation_id: int) -> PresentationRegistration:
    view = get(session, user=user, presentation_id=presentation_id)
    if user.role != Role.graduate:
        raise Invalid("Only graduates register for presentations.")
    if view.presentation.status != S.approved or view.ends_at <= utcnow():
        raise Conflict("This presentation is not open for registration.")
    if registration_of(session, user=user, presentation_id=presentation_id):
        raise Conflict("You have already registered for this presentation.")
    registration = PresentationRegistration(presentation_id=presentation_id, graduate_id=user.id)
    session.add(registration)
    try:
        session.flush()
    except IntegrityError:  # a second click racing the first
        session.rollback()
        raise Conflict("You have already registered for this presentation.")
    notifications.notify(
        session, settings=settings, user=user, kind="presentation.registered",
        title="Registered: %(topic)s on %(time)s",
        body="We will remind you an hour before. Join from the presentation page.",
        link=f"/presentations/{presentation_id}",
        params={"topic": view.presentation.topic, "time": format_datetime(view.presentation.starts_at)},
    )
    session.commit()
    return registration


def registered_count(session: Session, *, presentation_id: int) -> int:
    return session.exec(select(func.count()).select_from(PresentationRegistration)
                        .where(PresentationRegistration.presentation_id == presentation_id)).one()


def _registered_graduates(session: Session, presentation_id: int) -> list[User]:
    return list(session.exec(select(User).join(PresentationRegistration, PresentationRegistration.graduate_id == User.id)
                             .where(PresentationRegistration.presentation_id == presentation_id)))


# ---------------------------------------------------------------- live


def enter(session: Session, *, user: User, presentation_id: int) -> tuple[PresentationView, bool]:
    """(the presentation, whether this user presents) for its presenter and its registered graduates, while
    it is on; NotFound for everyone else."""
    view = get(session, user=user, presentation_id=presentation_id)
    presentation = view.presentation
    presenting = user.id == presentation.presenter_id
    if not presenting and registration_of(session, user=user, presentation_id=presentation_id) is None:
        raise NotFound("We could not find that presentation.")
    if presentation.status != S.approved:
        raise Conflict("This presentation has not been approved.")
    now = utcnow()
    if now < presentation.starts_at - ROOM_OPENS_BEFORE:
        raise Conflict("The presentation opens 30 minutes before it starts.")
    if now > view.ends_at + ROOM_STAYS_OPEN_AFTER:
        raise Conflict("This presentation is over.")
    return view, presenting


def record_attendance(session: Session, *, user: User, presentation_id: int) -> None:
    registration = registration_of(session, user=user, presentation_id=presentation_id)
    if registration is not None and registration.attended_at is None:
        registration.attended_at = utcnow()
        session.add(registration)
        session.commit()


def questions(session: Session, *, presentation_id: int) -> list[PresentationQuestion]:
    return list(session.exec(select(PresentationQuestion).where(PresentationQuestion.presentation_id == presentation_id)
                             .order_by(PresentationQuestion.pinned.desc(), PresentationQuestion.id)))


def ask(session: Session, *, user: User, presentation_id: int, body: str) -> PresentationQuestion:
    view, presenting = enter(session, user=user, presentation_id=presentation_id)
    body = (body or "").strip()
    if presenting:
        raise Invalid("The presenter answers questions rather than asking them.")
    if not body or len(body) > 500:
        raise Invalid("A question has 1 to 500 characters.", field="body")
    question = PresentationQuestion(presentation_id=presentation_id, author_id=user.id, body=body)
    session.add(question)
    session.commit()
    return question


def _presenters_question(session: Session, user: User, presentation_id: int, question_id: int) -> PresentationQuestion:
    _, presenting = enter(session, user=user, presentation_id=presentation_id)
    question = session.get(PresentationQuestion, question_id)
    if not presenting or question is None or question.presentation_id != presentation_id:
        raise NotFound("We could not find that question.")
    return question


def answer(session: Session, *, user: User, presentation_id: int, question_id: int, text: str) -> PresentationQuestion:
    question = _presenters_question(session, user, presentation_id, question_id)
    text = (text or "").strip()
    if not text or len(text) > 1000:
        raise Invalid("An answer has 1 to 1000 characters.", field="answer")
    question.answer, question.answered_at = text, utcnow()
    session.add(question)
    session.commit()
    return question


def pin(session: Session, *, user: User, presentation_id: int, question_id: int, pinned: bool) -> PresentationQuestion:
    question = _presenters_question(session, user, presentation_id, question_id)
    question.pinned = bool(pinned)
    session.add(question)
    session.commit()
    return question


def remind_upcoming(session: Session, *, settings: Settings, search=None) -> int:
    """Scheduled job: every registered graduate hears about a presentation within the hour, once."""
    now = utcnow()
    due = session.exec(
        select(PresentationRegistration, Presentation)
        .join(Presentation, Presentation.id == PresentationRegistration.presentation_id)
        .where(Presentation.status == S.approved, PresentationRegistration.reminded_at.is_(None),
               Presentation.starts_at > now, Presentation.starts_at <= now + REMIND_BEFORE)
        .with_for_update(of=PresentationRegistration, skip_locked=True)
    ).all()
    for registration, presentation in due:
        notifications.notify(
            session, settings=settings, user=session.get(User, registration.graduate_id), kind="presentation.reminder",
            title="Starting at %(time)s: %(topic)s", body="Join the live presentation from its page.",
            link=f"/presentations/{presentation.id}",
            params={"topic": presentation.topic, "time": format_datetime(presentation.starts_at)},
        )
        registration.reminded_at = now
        session.add(registration)
    session.commit()
    return len(due)
