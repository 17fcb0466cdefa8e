"""Applications: a graduate applies with a snapshot of their resume; the employer moves it through stages.

Rules live here: who may see what (someone else's application is NotFound), which stage may follow
which, once per position, and what each change tells both sides.
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer
from sqlmodel import Session, select

from portal.accounts.models import Role, User
from portal.applications.models import Application, ApplicationEvent, ApplicationStatus
from portal.audit import service as audit
from portal.clock import today, utcnow
from portal.db import locked
from portal.employers.models import Organization, OrganizationStatus, Recruiter
from portal.errors import Conflict, Forbidden, Invalid, NotFound
from portal.ledger.models import CaseStatus, LedgerCase
from portal.notifications import service as notifications
from portal.positions.models import CloseReason, Position, PositionStatus
from portal.resumes import service as resumes
from portal.settings import Settings
from portal.storage import StoredFileMissing, read_stored, storage_for

S = ApplicationStatus
PIPELINE = (S.received, S.viewed, S.shortlisted, S.interview, S.offer, S.hired)
FINAL = frozenset({S.hired, S.rejected, S.withdrawn})
# Which stage an employer may move an application to from each stage. Forward only; rejection
# from any open stage; hired, rejected and withdrawn are final.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.received: frozenset({S.viewed, S.shortlisted, S.interview, S.rejected}),
    S.viewed: frozenset({S.shortlisted, S.interview, S.rejected}),
    S.shortlisted: frozenset({S.interview, S.offer, S.rejected}),
    S.interview: frozenset({S.offer, S.rejected}),
    S.offer: frozenset({S.hired, S.rejected}),
    S.hired: frozenset(),
    S.rejected: frozenset(),
    S.withdrawn: frozenset(),
}
APPLICATION_PDF_DIR = "applications"

# What each stage tells the graduate (title, body); params: position, organization, graduate, status, note.
_GRADUATE_MESSAGES = {
    S.viewed: ("%(organization)s has viewed your application", "Your application for %(position)s has been read."),
    S.shortlisted: ("You are shortlisted for %(position)s", "%(organization)s has shortlisted your application."),
    S.interview: ("Interview invitation: %(position)s", "%(organization)s would like to interview you."),
    S.offer: ("Offer: %(position)s", "%(organization)s is making you an offer."),
    S.hired: ("Hired: %(position)s", "Congratulations! %(organization)s has marked you as hired."),
    S.rejected: ("Update on your application for %(position)s",
                 "%(organization)s will not take your application further this time."),
}


@dataclass
class ApplicationView:
    """An application with what every page about it shows."""

    application: Application
    position: Position
    organization: Organization
    graduate: User


# ---------------------------------------------------------------- helpers


def organization_of_recruiter(session: Session, user: User) -> int | None:
    return resumes.recruiter_organization_id(session, user)


def accepting_problem(position: Position, organization: Organization) -> str | None:
    """Why a position does not take applications now (an msgid), or None when it does."""
    if organization.status != OrganizationStatus.verified:
        return "This employer is not verified at the moment, so it cannot take applications."
    if position.status != PositionStatus.published:
        return "This position is no longer taking applications."
    if position.deadline < today():
        return "The deadline for this position has passed."
    return None


def _recruiters(session: Session, organization_id: int) -> list[User]:
    return list(
        session.exec(select(User).join(Recruiter, Recruiter.user_id == User.id).where(
            Recruiter.organization_id == organization_id, User.is_active.is_(True)
        ))
    )


def _view(session: Session, application: Application) -> ApplicationView:
    position = session.get(Position, application.position_id)
    return ApplicationView(
        application=application,
        position=position,
        organization=session.get(Organization, position.organization_id),
        graduate=session.get(User, application.graduate_id),
    )


def _params(view: ApplicationView, **extra) -> dict:
    return {
        "position": view.position.title,
        "organization": view.organization.name,
        "graduate": view.graduate.display_name,
        **extra,
    }


def _record(session: Session, application: Application, status: str, actor: User, message: str | None = None):
    session.add(ApplicationEvent(application_id=application.id, status=status, message=message, actor_id=actor.id))


# ---------------------------------------------------------------- reading


def get_for_graduate(session: Session, *, user: User, application_id: int) -> ApplicationView:
    application = session.get(Application, application_id)
    if application is None or user.role != Role.graduate or application.graduate_id != user.id:
        raise NotFound("We could not find that application.")
    return _view(session, application)


def get_for_recruiter(session: Session, *, user: User, application_id: int) -> ApplicationView:
    application = session.get(Application, application_id)
    organization_id = organization_of_recruiter(session, user)
    if application is None or organization_id is None:
        raise NotFound("We could not find that application.")
    view = _view(session, application)
    if view.position.organization_id != organization_id:
        raise NotFound("We could not find that application.")
    return view


def get_for_viewer(session: Session, *, user: User, application_id: int) -> ApplicationView:
    """The application for its graduate or for a recruiter of the position's organisation."""
    if user.role == Role.graduate:
        return get_for_graduate(session, user=user, application_id=application_id)
    return get_for_recruiter(session, user=user, application_id=application_id)


def events_of(session: Session, application_id: int) -> list[ApplicationEvent]:
    return list(
        session.exec(
            select(ApplicationEvent)
            .where(ApplicationEvent.application_id == application_id)
            .order_by(ApplicationEvent.created_at, ApplicationEvent.id)
        )
    )


def list_for_graduate(
    session: Session, *, user: User, status: str | None = None, limit: int | None = None
) -> list[ApplicationView]:
    """The graduate's applications, newest change first (the first `limit` of them); lists never show the résumé
    snapshot, so it is not loaded."""
    if user.role != Role.graduate:
        return []
    query = (
        select(Application, Position, Organization)
        .join(Position, Position.id == Application.position_id)
        .join(Organization, Organization.id == Position.organization_id)
        .where(Application.graduate_id == user.id)
        .options(defer(Application.resume_snapshot))
        .limit(limit)
    )
    if status == "active":
        query = query.where(Application.status.not_in(list(FINAL)))
    elif status:
        query = query.where(Application.status == status)
    rows = session.exec(query.order_by(Application.updated_at.desc(), Application.id.desc()))
    return [ApplicationView(a, p, o, user) for a, p, o in rows]


def get_position_for_recruiter(session: Session, *, user: User, position_id: int) -> Position:
    position = session.get(Position, position_id)
    organization_id = organization_of_recruiter(session, user)
    if position is None or organization_id is None or position.organization_id != organization_id:
        raise NotFound("We could not find that position.")
    return position


def list_applicants(
    session: Session, *, user: User, position_id: int, status: str | None = None, page: int = 1,
    per_page: int | None = None,
) -> tuple[Position, list[ApplicationView], dict[str, int]]:
    """The position, its applications (filtered by stage when asked; one page of them when per_page
    is given) and the count at each stage."""
    position = get_position_for_recruiter(session, user=user, position_id=position_id)
    organization = session.get(Organization, position.organization_id)
    counts = dict(
        session.exec(
            select(Application.status, func.count())
            .where(Application.position_id == position.id)
            .group_by(Application.status)
        ).all()
    )
    query = (
        select(Application, User)
        .join(User, User.id == Application.graduate_id)
        .where(Application.position_id == position.id)
    )
    if status == "active":
        query = query.where(Application.status.not_in(list(FINAL)))
    elif status:
        query = query.where(Application.status == status)
    query = query.order_by(Application.created_at.desc(), Application.id.desc())
    if per_page:
        query = query.offset((max(page, 1) - 1) * per_page).limit(per_page)
    rows = session.exec(query)
    return position, [ApplicationView(a, position, organization, g) for a, g in rows], counts


def stage_total(counts: dict[str, int], status: str | None) -> int:
    """How many applications a stage filter matches, from the counts at each stage."""
    if status == "active":
        return sum(n for s, n in counts.items() if s not in FINAL)
    return counts.get(status, 0) if status else sum(counts.values())


def has_applied(session: Session, *, user: User | None, position_id: int) -> Application | None:
    if user is None or user.role != Role.graduate:
        return None
    return session.exec(
        select(Application).where(Application.graduate_id == user.id, Application.position_id == position_id)
    ).first()


@dataclass
class TimelineItem:
    at: datetime
    kind: str  # "event" or "notification"
    status: str | None
    title: str  # position title for events; translated title for notifications
    subtitle: str  # organization name, or the notification body
    message: str | None
    link: str | None


def timeline(session: Session, *, user: User, limit: int = 50) -> list[TimelineItem]:
    """The graduate's whole story, newest first: every stage of every application, with messages."""
    rows = session.exec(
        select(ApplicationEvent, Application.id, Position.title, Organization.name)
        .join(Application, Application.id == ApplicationEvent.application_id)
        .join(Position, Position.id == Application.position_id)
        .join(Organization, Organization.id == Position.organization_id)
        .where(Application.graduate_id == user.id)
        .order_by(ApplicationEvent.created_at.desc(), ApplicationEvent.id.desc())
        .limit(limit)
    )
    return [
        TimelineItem(
            at=event.created_at, kind="event", status=event.status, title=title,
            subtitle=organization_name, message=event.message, link=f"/me/applications/{application_id}",
        )
        for event, application_id, title, organization_name in rows
    ]


def stage_counts_for_graduate(session: Session, *, user: User) -> dict[str, int]:
    return dict(
        session.exec(
            select(Application.status, func.count()).where(Application.graduate_id == user.id).group_by(Application.status)
        ).all()
    )


# ---------------------------------------------------------------- applying and withdrawing


def _copy_pdf(settings: Settings, resume_pdf: str | None) -> str | None:
    if not resume_pdf:
        return None
    storage = storage_for(settings)
    try:
        data = storage.read(resume_pdf)
    except StoredFileMissing:
        return None
    name = resumes.new_pdf_name(APPLICATION_PDF_DIR)
    storage.write(name, data)
    return name


def visible_position(session: Session, *, position_id: int) -> tuple[Position, Organization]:
    """A position graduates may see (once published, and not of a suspended employer); drafts and positions
    waiting for review do not exist for them."""
    position = session.get(Position, position_id)
    organization = session.get(Organization, position.organization_id) if position else None
    if position is None or position.status not in (PositionStatus.published, PositionStatus.closed,
                                                   PositionStatus.expired) \
            or organization.status == OrganizationStatus.suspended:
        raise NotFound("We could not find that position.")
    return position, organization


SUPPORT_ONLY = ("Thank you for your interest. This is a support position, kept for graduates in the employment "
                "support programme, so we cannot take your application. If you think the programme is for you, your "
                "school's employment office can tell you more; the positions recommended to you are open to you.")


def in_support_ledger(session: Session, graduate_id: int) -> bool:
    """Whether the graduate has an open case in the support ledger (support positions are kept for them)."""
    return session.exec(select(LedgerCase.id).where(
        LedgerCase.graduate_id == graduate_id, LedgerCase.status == CaseStatus.active)).first() is not None


def apply(
    session: Session, *, settings: Settings, user: User, position_id: int, cover_note: str | None = None
) -> Application:
    """Applies to an open position with a snapshot of the resume (and a copy of its PDF)."""
    if user.role != Role.graduate:
        raise NotFound("Only graduates can apply to positions.")
    position, organization = visible_position(session, position_id=position_id)
    if has_applied(session, user=user, position_id=position.id):
        raise Conflict("You have already applied to this position.")
    problem = accepting_problem(position, organization)
    if problem:
        raise Conflict(problem)
    if position.is_support and not in_support_ledger(session, user.id):
        raise Forbidden(SUPPORT_ONLY)
    cover_note = (cover_note or "").strip() or None
    if cover_note and len(cover_note) > 2000:
        raise Invalid("The note is too long (at most %(max)s characters).", field="cover_note", max=2000)
    snapshot = resumes.snapshot(session, user=user)
    resume = resumes.get_resume(session, graduate_id=user.id)
    pdf_copy = _copy_pdf(settings, resume.pdf_file)
    application = Application(
        position_id=position.id, graduate_id=user.id, resume_snapshot=snapshot, resume_pdf_file=pdf_copy,
        cover_note=cover_note,
    )
    try:
        session.add(application)
        session.flush()
        _record(session, application, S.received, user, cover_note)
        view = ApplicationView(application, position, organization, user)
        for recruiter in _recruiters(session, organization.id):
            notifications.notify(
                session, settings=settings, user=recruiter, kind="application.received",
                title="New applicant for %(position)s", body="%(graduate)s has applied to %(position)s.",
                link=f"/employer/applications/{application.id}", params=_params(view),
            )
        notifications.notify(
            session, settings=settings, user=user, kind="application.sent",
            title="Application sent: %(position)s",
            body="%(organization)s has received your application. You will be told of every change here.",
            link=f"/me/applications/{application.id}", params=_params(view),
        )
        session.commit()
    except IntegrityError:
        # A second submission raced this one past the check; the unique constraint kept one.
        session.rollback()
        if pdf_copy:
            storage_for(settings).delete(pdf_copy)
        raise Conflict("You have already applied to this position.") from None
    except BaseException:
        session.rollback()
        if pdf_copy:
            storage_for(settings).delete(pdf_copy)
        raise
    return application


def withdraw(session: Session, *, settings: Settings, user: User, application_id: int) -> Application:
    view = get_for_graduate(session, user=user, application_id=application_id)
    application = _lock(session, view.application)
    if application.status in FINAL:
        raise Conflict("This application is already %(status)s and cannot be withdrawn.",
                       status=_status_text(application.status))
    application.status = S.withdrawn
    application.updated_at = utcnow()
    session.add(application)
    _record(session, application, S.withdrawn, user)
    for recruiter in _recruiters(session, view.organization.id):
        notifications.notify(
            session, settings=settings, user=recruiter, kind="application.withdrawn",
            title="%(graduate)s withdrew their application", body="The application for %(position)s was withdrawn.",
            link=f"/employer/applications/{application.id}", params=_params(view),
        )
    notifications.notify(
        session, settings=settings, user=user, kind="application.withdrawn",
        title="You withdrew your application for %(position)s", link=f"/me/applications/{application.id}",
        params=_params(view),
    )
    session.commit()
    return application


def _status_text(status: str) -> str:
    from portal.labels import label

    return label(status)


# ---------------------------------------------------------------- the employer's side


def mark_viewed(session: Session, *, settings: Settings, user: User, application_id: int) -> ApplicationView:
    """Opens an application for a recruiter; the first open moves it from received to viewed."""
    view = get_for_recruiter(session, user=user, application_id=application_id)
    _lock(session, view.application)
    if view.application.status == S.received:
        _move(session, settings=settings, view=view, actor=user, status=S.viewed, message=None)
        session.commit()
    return view


def move(
    session: Session, *, settings: Settings, user: User, application_id: int, status: str, message: str | None = None
) -> Application:
    """Moves an application to its next stage, telling the graduate; the rules are TRANSITIONS."""
    view = get_for_recruiter(session, user=user, application_id=application_id)
    message = (message or "").strip() or None
    if message and len(message) > 2000:
        raise Invalid("The message is too long (at most %(max)s characters).", field="message", max=2000)
    if status not in TRANSITIONS:
        raise Invalid("Choose a stage.", field="status")
    if status == S.hired:
        for check in HIRE_CHECKS:  # e.g. a traineeship base's capacity; each locks what it counts
            check(session, view.position)
        _hold_a_place(session, view)
    _lock(session, view.application)
    current = view.application.status
    if current == S.withdrawn:
        raise Conflict("The graduate has withdrawn this application.")
    if status not in TRANSITIONS[current]:
        raise Conflict("An application that is %(current)s cannot be moved to %(target)s.",
                       current=_status_text(current), target=_status_text(status))
    _move(session, settings=settings, view=view, actor=user, status=status, message=message)
    if status == S.hired:
        _close_if_filled(session, settings=settings, view=view, actor=user)
    session.commit()
    return view.application


def _move(session: Session, *, settings: Settings, view: ApplicationView, actor: User, status: str, message: str | None):
    application = view.application
    now = utcnow()
    audit.record(session, actor_id=actor.id, action="application.move", object_type="application",
                 object_id=application.id, subject_user_id=application.graduate_id,
                 detail={"from": application.status, "to": status})
    application.status = status
    application.updated_at = now
    if application.first_response_at is None:
        application.first_response_at = now
    session.add(application)
    _record(session, application, status, actor, message)
    title, body = _GRADUATE_MESSAGES[status]
    if message:
        body = "%(organization)s wrote: %(note)s"
    notifications.notify(
        session, settings=settings, user=view.graduate, kind=f"application.{status}", title=title, body=body,
        link=f"/me/applications/{application.id}", params=_params(view, status=status, note=message or ""),
    )
    # The other recruiters of the organisation see the move too (not the one who made it).
    for recruiter in _recruiters(session, view.organization.id):
        if recruiter.id != actor.id and status != S.viewed:
            notifications.notify(
                session, settings=settings, user=recruiter, kind=f"application.{status}",
                title="%(graduate)s moved to %(status)s", body="Application for %(position)s.",
                link=f"/employer/applications/{application.id}", params=_params(view, status=status),
            )


def _lock(session: Session, application: Application) -> Application:
    """Reads the application again under a row lock, so a stage move, the first view and a withdrawal that race
    are applied one after the other, each seeing the status the one before left (a position is always locked
    before its application)."""
    return locked(session, Application, application.id)


# What domains above this one check before a hire, registered at start-up from their listeners.register(): each is
# called as check(session, position) before the position is locked, and raises Conflict to refuse the hire.
HIRE_CHECKS: list[Callable[[Session, Position], None]] = []


def _hold_a_place(session: Session, view: ApplicationView) -> None:
    """Locks the position's row for the rest of the transaction, so concurrent hires are counted one after the
    other, and refuses a hire the headcount has no place for (the application is read again under the lock)."""
    position = locked(session, Position, view.position.id)
    session.refresh(view.application)
    if position.status == PositionStatus.closed and position.close_reason == CloseReason.filled:
        raise Conflict("This position has been filled; no one else can be hired for it.")
    if hired_count(session, position.id) >= position.headcount:
        raise Conflict("Every place of this position is filled (%(headcount)s).", headcount=position.headcount)


def hired_count(session: Session, position_id: int) -> int:
    return session.exec(
        select(func.count()).select_from(Application).where(
            Application.position_id == position_id, Application.status == S.hired
        )
    ).one()


def _close_if_filled(session: Session, *, settings: Settings, view: ApplicationView, actor: User) -> None:
    """Closes the position as filled once its hired count reaches the headcount, and tells the
    graduates still waiting on it."""
    from portal.positions import service as positions

    position = view.position
    session.flush()
    if position.status != PositionStatus.published or hired_count(session, position.id) < position.headcount:
        return
    positions.close_position(session, user=actor, position_id=position.id, filled=True)
    audit.record(session, actor_id=actor.id, action="position.filled", object_type="position", object_id=position.id)
    waiting = session.exec(
        select(Application, User)
        .join(User, User.id == Application.graduate_id)
        .where(Application.position_id == position.id, Application.status.not_in(list(FINAL)))
    ).all()
    for application, graduate in waiting:
        notifications.notify(
            session, settings=settings, user=graduate, kind="position.filled",
            title="%(position)s has been filled",
            body="%(organization)s has filled every place of this position. Have a look at similar positions.",
            link=f"/me/applications/{application.id}", params=_params(ApplicationView(application, position, view.organization, graduate)),
        )


def next_stages(application: Application) -> list[str]:
    """The stages the employer may move this application to, in pipeline order."""
    allowed = TRANSITIONS.get(application.status, frozenset())
    return [s for s in (*PIPELINE, S.rejected) if s in allowed and s != S.viewed]


def pdf_for_application(session: Session, *, settings: Settings, user: User, application_id: int):
    """The PDF sent with an application: for its graduate and the position's recruiters."""
    view = get_for_viewer(session, user=user, application_id=application_id)
    withdrawn_from_employer = view.application.status == S.withdrawn and user.id != view.application.graduate_id
    if not view.application.resume_pdf_file or withdrawn_from_employer:
        raise NotFound("The file could not be found.")
    name = (view.application.resume_snapshot.get("resume") or {}).get("pdf_original_name") or "resume.pdf"
    return read_stored(storage_for(settings), view.application.resume_pdf_file), name
