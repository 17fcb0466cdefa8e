"""Recruitment events: the rules for series and fairs, employers taking part, graduates' e-tickets, check-in at
the door, the chat of online fairs, and the organiser's lists and export.

Capacity, deadlines and duplicates hold under concurrency: a place is taken by one conditional UPDATE of the fair's
row, and unique constraints stop a second ticket, a second request or a double-booked booth.
"""
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, or_, select

from portal.accounts.models import GraduateProfile, Role, User
from portal.audit import service as audit
from portal.clock import utcnow
from portal.employers import service as employers
from portal.employers.models import Organization, OrganizationStatus
from portal.errors import Conflict, Invalid, NotFound
from portal.fairs import tickets
from portal.fairs.models import (
    ExhibitorStatus,
    Fair,
    FairChatMessage,
    FairExhibitor,
    FairKind,
    FairSeries,
    FairStatus,
    FairTicket,
    JOB_FAIRS,
)
from portal.fairs.schemas import ExhibitRequest, FairCreate, SeriesCreate
from portal.localtime import format_datetime
from portal.notifications import service as notifications
from portal.positions.models import Position, PositionStatus
from portal.settings import Settings


@dataclass
class ExhibitorView:
    exhibitor: FairExhibitor
    organization: Organization
    positions: list[Position]


@dataclass
class Registration:
    ticket: FairTicket
    graduate: User
    profile: GraduateProfile | None


# ---------------------------------------------------------------- series and fairs (officers)


def _officer(user: User) -> None:
    if user.role not in (Role.officer, Role.admin):
        raise NotFound("We could not find that event.")


def create_series(session: Session, *, user: User, create: SeriesCreate) -> FairSeries:
    _officer(user)
    series = FairSeries(title=create.title.strip(), description=create.description.strip(), organizer_id=user.id)
    session.add(series)
    session.commit()
    return series


def all_series(session: Session) -> list[FairSeries]:
    return list(session.exec(select(FairSeries).order_by(FairSeries.id.desc())))


def create_fair(session: Session, *, user: User, create: FairCreate) -> Fair:
    _officer(user)
    if create.starts_at <= utcnow():
        raise Invalid("The event must start in the future.", field="starts_at")
    if create.ends_at <= create.starts_at:
        raise Invalid("The event must end after it starts.", field="ends_at")
    if create.registration_deadline > create.ends_at:
        raise Invalid("Registration must close before the event ends.", field="registration_deadline")
    if create.kind == FairKind.on_site and not (create.venue and create.booths):
        raise Invalid("An on-site fair needs a venue and its number of booths.", field="venue")
    if create.kind not in JOB_FAIRS and not (create.venue or create.link):
        raise Invalid("Say where it takes place: a venue, or a link for an online session.", field="venue")
    if create.series_id is not None and session.get(FairSeries, create.series_id) is None:
        raise Invalid("Choose a series from the list.", field="series_id")
    fair = Fair(**create.model_dump(), organizer_id=user.id)
    if fair.kind == FairKind.online:
        fair.venue, fair.booths = None, 0
    if fair.kind not in JOB_FAIRS:
        fair.booths = 0
    session.add(fair)
    session.flush()
    audit.record(session, actor_id=user.id, action="fair.create", object_type="fair", object_id=fair.id)
    session.commit()
    return fair


def organized_by(session: Session, *, user: User) -> list[Fair]:
    _officer(user)
    query = select(Fair).order_by(Fair.starts_at.desc())
    if user.role != Role.admin:
        query = query.where(Fair.organizer_id == user.id)
    return list(session.exec(query))


def organizer_fair(session: Session, *, user: User, fair_id: int) -> Fair:
    """The fair for its organiser (or an administrator); NotFound for anyone else."""
    fair = session.get(Fair, fair_id)
    if fair is None or not (user.id == fair.organizer_id or user.role == Role.admin):
        raise NotFound("We could not find that event.")
    return fair


def cancel_fair(session: Session, *, settings: Settings, user: User, fair_id: int) -> Fair:
    fair = organizer_fair(session, user=user, fair_id=fair_id)
    fair.status = FairStatus.cancelled
    session.add(fair)
    for registration in registrations(session, user=user, fair_id=fair_id):
        notifications.notify(session, settings=settings, user=registration.graduate, kind="fair.cancelled",
                             title="Event cancelled: %(fair)s", link=f"/fairs/{fair.id}", params={"fair": fair.title})
    audit.record(session, actor_id=user.id, action="fair.cancel", object_type="fair", object_id=fair.id)
    session.commit()
    return fair


# ---------------------------------------------------------------- everyone


def upcoming(session: Session, *, q: str | None = None, series_id: int | None = None,
             kinds: tuple[str, ...] = ()) -> list[Fair]:
    query = select(Fair).where(Fair.status == FairStatus.published, Fair.ends_at > utcnow())
    if series_id:
        query = query.where(Fair.series_id == series_id)
    if kinds:
        query = query.where(Fair.kind.in_(kinds))
    if q and q.strip():
        pattern = f"%{q.strip()}%"
        query = query.where(or_(Fair.title.ilike(pattern), Fair.venue.ilike(pattern), Fair.district.ilike(pattern)))
    return list(session.exec(query.order_by(Fair.starts_at)))


def get(session: Session, *, fair_id: int) -> Fair:
    fair = session.get(Fair, fair_id)
    if fair is None:
        raise NotFound("We could not find that event.")
    return fair


def exhibitors(session: Session, *, fair_id: int, q: str | None = None, status: str | None = ExhibitorStatus.approved
               ) -> list[ExhibitorView]:
    """The employers taking part with the positions they bring; q matches an employer or a position."""
    query = (select(FairExhibitor, Organization).join(Organization, Organization.id == FairExhibitor.organization_id)
             .where(FairExhibitor.fair_id == fair_id).order_by(FairExhibitor.booth, Organization.name))
    if status:
        query = query.where(FairExhibitor.status == status)
    rows = session.exec(query).all()
    wanted = [pid for exhibitor, _ in rows for pid in exhibitor.position_ids]
    positions = {p.id: p for p in session.exec(select(Position).where(Position.id.in_(wanted or [-1])))}
    views = [ExhibitorView(e, o, [positions[pid] for pid in e.position_ids if pid in positions]) for e, o in rows]
    needle = (q or "").strip().lower()
    if needle:
        views = [v for v in views if needle in v.organization.name.lower()
                 or any(needle in p.title.lower() or needle in " ".join(p.skills).lower() for p in v.positions)]
    return views


def _open_for_registration(fair: Fair) -> None:
    if fair.status != FairStatus.published:
        raise Conflict("This event has been cancelled.")
    if utcnow() > fair.registration_deadline:
        raise Conflict("Registration for this event has closed.")


# ---------------------------------------------------------------- employers


def exhibitor_of(session: Session, *, user: User, fair_id: int) -> FairExhibitor | None:
    if user.role != Role.employer:
        return None
    organization = employers.organization_of(session, user)
    return session.exec(select(FairExhibitor).where(
        FairExhibitor.fair_id == fair_id, FairExhibitor.organization_id == organization.id)).first()


def free_booths(session: Session, fair: Fair) -> list[int]:
    taken = set(session.exec(select(FairExhibitor.booth).where(
        FairExhibitor.fair_id == fair.id, FairExhibitor.status != ExhibitorStatus.rejected)))
    return [booth for booth in range(1, fair.booths + 1) if booth not in taken]


def request_to_exhibit(session: Session, *, settings: Settings, user: User, fair_id: int, request: ExhibitRequest
                       ) -> FairExhibitor:
    """A verified employer asks to take part with some of its published positions (and a booth on site)."""
    fair = get(session, fair_id=fair_id)
    if fair.kind not in JOB_FAIRS:
        raise Conflict("Employers take part in job fairs only.")
    organization = employers.organization_of(session, user)
    if organization.status != OrganizationStatus.verified:
        raise Conflict("Only verified employers can take part in events.")
    _open_for_registration(fair)
    if fair.sectors and organization.industry not in fair.sectors:
        raise Conflict("This event invites other sectors.")
    position_ids = sorted(set(request.position_ids))
    own = session.exec(select(Position.id).where(
        Position.id.in_(position_ids), Position.organization_id == organization.id,
        Position.status == PositionStatus.published)).all()
    if len(own) != len(position_ids):
        raise Invalid("Choose published positions of your own organisation.", field="position_ids")
    if fair.kind == FairKind.on_site and request.booth not in free_booths(session, fair):
        raise Invalid("Choose a free booth.", field="booth")
    exhibitor = FairExhibitor(fair_id=fair.id, organization_id=organization.id, position_ids=position_ids,
                              booth=request.booth if fair.kind == FairKind.on_site else None, requested_by_id=user.id)
    session.add(exhibitor)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict("Your organisation has already asked to take part, or the booth was just taken.")
    audit.record(session, actor_id=user.id, action="fair.exhibit.request", object_type="fair", object_id=fair.id)
    notifications.notify(session, settings=settings, user=session.get(User, fair.organizer_id), kind="fair.exhibitor",
                         title="%(organization)s asks to take part in %(fair)s", link=f"/officer/fairs/{fair.id}",
                         params={"organization": organization.name, "fair": fair.title})
    session.commit()
    return exhibitor


def decide_exhibitor(session: Session, *, settings: Settings, user: User, fair_id: int, exhibitor_id: int,
                     approve: bool) -> FairExhibitor:
    fair = organizer_fair(session, user=user, fair_id=fair_id)
    exhibitor = session.get(FairExhibitor, exhibitor_id)
    if exhibitor is None or exhibitor.fair_id != fair.id:
        raise NotFound("We could not find that request.")
    if exhibitor.status != ExhibitorStatus.requested:
        raise Conflict("This request has already been decided.")
    exhibitor.status, exhibitor.decided_by_id = (ExhibitorStatus.approved if approve else ExhibitorStatus.rejected), user.id
    if not approve:
        exhibitor.booth = None  # the booth is free again
    session.add(exhibitor)
    audit.record(session, actor_id=user.id, action=f"fair.exhibit.{exhibitor.status}", object_type="fair",
                 object_id=fair.id, detail={"organization_id": exhibitor.organization_id})
    employers.notify_recruiters(session, settings=settings, organization_id=exhibitor.organization_id,
                                kind=f"fair.{exhibitor.status}", title="%(fair)s: your participation is %(status)s",
                                link=f"/fairs/{fair.id}", params={"fair": fair.title, "status": exhibitor.status})
    session.commit()
    return exhibitor


# ---------------------------------------------------------------- graduates


def ticket_of(session: Session, *, user: User | None, fair_id: int) -> FairTicket | None:
    if user is None or user.role != Role.graduate:
        return None
    return session.exec(select(FairTicket).where(FairTicket.fair_id == fair_id, FairTicket.graduate_id == user.id)).first()


def register(session: Session, *, settings: Settings, user: User, fair_id: int) -> FairTicket:
    """A graduate's e-ticket, while places and the deadline last; one per graduate."""
    if user.role != Role.graduate:
        raise Invalid("Only graduates register for events.")
    fair = get(session, fair_id=fair_id)
    _open_for_registration(fair)
    if ticket_of(session, user=user, fair_id=fair_id):
        raise Conflict("You have already registered for this event.")
    # One conditional UPDATE takes the place: concurrent registrations queue on the fair's row and re-check it.
    taken = session.execute(update(Fair).where(Fair.id == fair.id, Fair.registered < Fair.capacity)
                            .values(registered=Fair.registered + 1))
    if taken.rowcount != 1:
        session.rollback()
        raise Conflict("This event is full.")
    ticket = FairTicket(fair_id=fair.id, graduate_id=user.id, code=tickets.issue(settings.secret_key, fair.id))
    session.add(ticket)
    try:
        session.flush()
    except IntegrityError:  # the same graduate registering twice at once: the place goes back too
        session.rollback()
        raise Conflict("You have already registered for this event.")
    notifications.notify(session, settings=settings, user=user, kind="fair.ticket", title="Your ticket for %(fair)s",
                         body="Show the QR code at the entrance on %(time)s.", link=f"/fairs/{fair.id}/ticket",
                         params={"fair": fair.title, "time": format_datetime(fair.starts_at)})
    session.commit()
    return ticket


def own_ticket(session: Session, *, user: User, fair_id: int) -> tuple[FairTicket, Fair]:
    ticket = ticket_of(session, user=user, fair_id=fair_id)
    if ticket is None:
        raise NotFound("You have no ticket for this event.")
    return ticket, get(session, fair_id=fair_id)


# ---------------------------------------------------------------- the door and the organiser's lists


def admit(session: Session, *, settings: Settings, user: User, fair_id: int, scanned: str) -> Registration:
    """Admits the holder of a scanned or typed ticket code, once, while check-in is open: from
    PORTAL_FAIR_CHECK_IN_OPENS_MINUTES_BEFORE the start until the end."""
    fair = organizer_fair(session, user=user, fair_id=fair_id)
    if fair.status != FairStatus.published:
        raise Conflict("This event has been cancelled.")
    now, opens = utcnow(), fair.starts_at - timedelta(minutes=settings.fair_check_in_opens_minutes_before)
    if now < opens:
        raise Conflict("Check-in for this event opens at %(time)s.", field="code", time=format_datetime(opens))
    if now >= fair.ends_at:
        raise Conflict("This event ended at %(time)s; check-in is closed.", field="code",
                       time=format_datetime(fair.ends_at))
    code = tickets.read(settings.secret_key, fair.id, scanned)
    if code is None:
        raise Invalid("This is not a ticket for this event.", field="code")
    ticket = session.exec(select(FairTicket).where(FairTicket.fair_id == fair.id, FairTicket.code == code)).first()
    if ticket is None:
        raise Invalid("This ticket has been withdrawn.", field="code")
    graduate = session.get(User, ticket.graduate_id)
    admitted = session.execute(update(FairTicket).where(FairTicket.id == ticket.id, FairTicket.checked_in_at.is_(None))
                               .values(checked_in_at=utcnow(), checked_in_by_id=user.id))
    if admitted.rowcount != 1:
        session.rollback()
        session.refresh(ticket)
        raise Conflict("%(name)s was already checked in at %(time)s.", field="code", name=graduate.display_name,
                       time=format_datetime(ticket.checked_in_at))
    audit.record(session, actor_id=user.id, action="fair.check_in", object_type="fair", object_id=fair.id,
                 subject_user_id=graduate.id)
    session.commit()
    session.refresh(ticket)
    return Registration(ticket, graduate, session.get(GraduateProfile, graduate.id))


def registrations(session: Session, *, user: User, fair_id: int) -> list[Registration]:
    fair = organizer_fair(session, user=user, fair_id=fair_id)
    rows = session.exec(
        select(FairTicket, User, GraduateProfile).join(User, User.id == FairTicket.graduate_id)
        .join(GraduateProfile, GraduateProfile.user_id == User.id, isouter=True)
        .where(FairTicket.fair_id == fair.id).order_by(FairTicket.id)
    ).all()
    return [Registration(t, u, p) for t, u, p in rows]


def export(session: Session, *, user: User, fair_id: int) -> bytes:
    """Registrations with attendance, and the employers taking part, as an xlsx workbook (audited)."""
    from portal import xlsx
    from portal.i18n import gettext
    from portal.labels import label

    fair = organizer_fair(session, user=user, fair_id=fair_id)
    people = [[r.graduate.display_name, r.profile.school if r.profile else "", r.profile.major if r.profile else "",
               format_datetime(r.ticket.created_at),
               format_datetime(r.ticket.checked_in_at)]
              for r in registrations(session, user=user, fair_id=fair_id)]
    companies = [[v.organization.name, v.exhibitor.booth or "", label(v.exhibitor.status),
                  "、".join(p.title for p in v.positions)]
                 for v in exhibitors(session, fair_id=fair.id, status=None)]
    audit.record(session, actor_id=user.id, action="fair.export", object_type="fair", object_id=fair.id)
    session.commit()
    return xlsx.workbook([
        xlsx.Sheet(gettext("Registrations"), [gettext("Name"), gettext("School"), gettext("Major"),
                                              gettext("Registered"), gettext("Checked in")], people, (14, 20, 24, 18, 18)),
        xlsx.Sheet(gettext("Employers"), [gettext("Employer"), gettext("Booth"), gettext("Status"),
                                          gettext("Positions")], companies, (30, 8, 12, 60)),
    ])


# ---------------------------------------------------------------- online fairs: chat with employers


def chat_room(session: Session, *, user: User, fair_id: int, organization_id: int, graduate_id: int) -> Fair:
    """The online fair whose chat between this graduate and this exhibitor the user may join, while it is on."""
    fair = session.get(Fair, fair_id)
    member = user.id == graduate_id if user.role == Role.graduate else employers.is_recruiter_of(session, user, organization_id)
    exhibitor = session.exec(select(FairExhibitor).where(
        FairExhibitor.fair_id == fair_id, FairExhibitor.organization_id == organization_id,
        FairExhibitor.status == ExhibitorStatus.approved)).first() if fair else None
    graduate = session.get(User, graduate_id)
    if not member or exhibitor is None or fair.kind != FairKind.online or graduate is None or graduate.role != Role.graduate:
        raise NotFound("We could not find that conversation.")
    now = utcnow()
    if fair.status != FairStatus.published or not (fair.starts_at - timedelta(minutes=30) <= now <= fair.ends_at):
        raise Conflict("Chat is open while the online fair is on.")
    return fair


def chat_messages(session: Session, *, user: User, fair_id: int, organization_id: int, graduate_id: int
                  ) -> list[FairChatMessage]:
    chat_room(session, user=user, fair_id=fair_id, organization_id=organization_id, graduate_id=graduate_id)
    return list(session.exec(select(FairChatMessage).where(
        FairChatMessage.fair_id == fair_id, FairChatMessage.organization_id == organization_id,
        FairChatMessage.graduate_id == graduate_id).order_by(FairChatMessage.id)))


def post_message(session: Session, *, user: User, fair_id: int, organization_id: int, graduate_id: int, body: str
                 ) -> FairChatMessage:
    chat_room(session, user=user, fair_id=fair_id, organization_id=organization_id, graduate_id=graduate_id)
    body = (body or "").strip()
    if not body or len(body) > 1000:
        raise Invalid("A message has 1 to 1000 characters.", field="body")
    message = FairChatMessage(fair_id=fair_id, organization_id=organization_id, graduate_id=graduate_id,
                              sender_id=user.id, body=body)
    session.add(message)
    session.commit()
    return message


@dataclass
class Conversation:
    graduate: User
    messages: int
    last_at: object


def conversations(session: Session, *, user: User, fair_id: int) -> list[Conversation]:
    """The graduates who wrote to the user's organisation during the fair, latest first."""
    organization = employers.organization_of(session, user)
    rows = session.exec(
        select(User, func.count(FairChatMessage.id), func.max(FairChatMessage.created_at))
        .join(FairChatMessage, FairChatMessage.graduate_id == User.id)
        .where(FairChatMessage.fair_id == fair_id, FairChatMessage.organization_id == organization.id)
        .group_by(User.id).order_by(func.max(FairChatMessage.created_at).desc())
    ).all()
    return [Conversation(graduate, count, last) for graduate, count, last in rows]
