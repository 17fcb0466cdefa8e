"""Positions: drafting, review, publication, reconfirmation and closing.

Lifecycle::

    draft ──submit──▶ pending_review ──approve──▶ published ──close──▶ closed
      ▲                  │                          │  └─deadline / not reconfirmed──▶ expired
      └──edit── rejected ◀┘reject                   └─edit──▶ pending_review (re-review)

Every transaction that changes what search sees also enqueues the position (search/outbox.py).
"""
from dataclasses import dataclass
from datetime import date, timedelta

from pydantic import ValidationError
from sqlalchemy import and_, func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from portal.accounts.models import Role, User
from portal.applications.models import Application, ApplicationStatus
from portal.audit import service as audit
from portal.clock import today, utcnow
from portal.employers import service as employers
from portal.employers.models import Organization, OrganizationStatus
from portal.errors import Conflict, Invalid, NotFound
from portal.positions.models import CloseReason, Position, PositionStatus
from portal.pagination import PAGE_SIZE, Page, paginate
from portal.positions.schemas import PositionCreate, PositionFields, PositionUpdate
from portal.scope import officer_scope, scope_of
from portal.settings import Settings
from search.outbox import enqueue

RECONFIRM_REMINDER_DAYS = 7  # the employer home starts reminding this many days before a lapse
RECONFIRM_NOTICE_DAYS = 3  # and a message goes out this many days before
EDITABLE = (PositionStatus.draft, PositionStatus.rejected, PositionStatus.pending_review, PositionStatus.published)
FINISHED = (PositionStatus.closed, PositionStatus.expired)


# ---------------------------------------------------------------- what "open" means


def open_positions_filter(*, on: date | None = None):
    """A WHERE clause for positions a graduate can apply to right now.

    Published, deadline not passed (even before the scheduled job has closed it), and the
    employer verified. Use it in every query that lists or counts open positions:
    ``select(Position).where(open_positions_filter())``.
    """
    return and_(
        Position.status == PositionStatus.published,
        Position.deadline >= (on or today()),
        Position.organization_id.in_(
            select(Organization.id).where(Organization.status == OrganizationStatus.verified)
        ),
    )


def is_open(position: Position, organization: Organization | None = None, *, on: date | None = None) -> bool:
    """The same rule as open_positions_filter, for one loaded position."""
    return (
        position.status == PositionStatus.published
        and position.deadline >= (on or today())
        and (organization is None or organization.status == OrganizationStatus.verified)
    )


def reconfirm_due(position: Position, settings: Settings) -> date | None:
    """The last day the position stays up without the employer confirming it is still hiring."""
    if position.status != PositionStatus.published:
        return None
    base = position.reconfirmed_at or position.published_at
    return (base + timedelta(days=settings.position_reconfirm_days)).date() if base else None


# ---------------------------------------------------------------- reading


def own_position(session: Session, *, user: User, position_id: int) -> tuple[Position, Organization]:
    """A position of the user's own organisation; any other position is simply not found."""
    organization = employers.organization_of(session, user)
    position = session.get(Position, position_id)
    if position is None or position.organization_id != organization.id:
        raise NotFound("We could not find that position.")
    return position, organization


def reviewable_position(session: Session, *, officer: User, position_id: int) -> tuple[Position, Organization]:
    position = session.get(Position, position_id)
    if position is None:
        raise NotFound("We could not find that position.")
    organization = session.get(Organization, position.organization_id)
    if not officer_scope(session, officer).covers_district(position.district, organization.district):
        raise NotFound("We could not find that position.")
    return position, organization


@dataclass
class PositionView:
    position: Position
    organization: Organization
    is_open: bool
    is_own: bool  # the viewer recruits for this organisation
    is_officer: bool  # the viewer is an officer who oversees it


def position_for_viewer(session: Session, *, user: User | None, position_id: int) -> PositionView:
    """The position as this viewer may see it.

    Open positions are public. Anything else (draft, in review, rejected, closed, expired, or an
    unverified employer's) exists only for its own recruiters, for officers who oversee it, and for
    graduates who applied to it (so their application still makes sense after it closes).
    """
    position = session.get(Position, position_id)
    if position is None:
        raise NotFound("We could not find that position.")
    organization = session.get(Organization, position.organization_id)
    open_now = is_open(position, organization)
    own = employers.is_recruiter_of(session, user, organization.id)
    officer = scope_of(session, user).covers_district(position.district, organization.district)
    if not (open_now or own or officer):
        applied = user is not None and user.role == Role.graduate and position.status in FINISHED and (
            session.exec(select(Application.id).where(
                Application.position_id == position.id, Application.graduate_id == user.id)).first() is not None
        )
        if not applied:
            raise NotFound("We could not find that position.")
    return PositionView(position, organization, open_now, own, officer)


def application_of(session: Session, *, graduate: User | None, position_id: int) -> Application | None:
    if graduate is None or graduate.role != Role.graduate:
        return None
    return session.exec(
        select(Application).where(Application.position_id == position_id, Application.graduate_id == graduate.id)
    ).first()


def _status_or_none(status: str | None) -> str | None:
    if status in (None, "", "all"):
        return None
    if status not in PositionStatus.__members__:
        raise Invalid("Unknown status.", field="status")
    return status


def list_employer_positions(
    session: Session, *, user: User, status: str | None = None, page: int = 1, per_page: int = PAGE_SIZE
) -> Page:
    organization = employers.organization_of(session, user)
    query = select(Position).where(Position.organization_id == organization.id)
    status = _status_or_none(status)
    if status:
        query = query.where(Position.status == status)
    return paginate(session, query, page=page, per_page=per_page, order=(Position.updated_at.desc(), Position.id.desc()))


# What an employer is still working on, shown first on their home page.
ACTIVE_STATUSES = (PositionStatus.published, PositionStatus.pending_review, PositionStatus.rejected,
                   PositionStatus.draft)


def active_positions(session: Session, *, organization_id: int, limit: int = 50) -> list[Position]:
    """The organisation's positions still in play, the most recently changed first."""
    return list(session.exec(
        select(Position).where(Position.organization_id == organization_id, Position.status.in_(ACTIVE_STATUSES))
        .order_by(Position.updated_at.desc(), Position.id.desc()).limit(limit)
    ).all())


def employer_position_counts(session: Session, *, user: User) -> dict[str, int]:
    organization = employers.organization_of(session, user)
    rows = session.exec(
        select(Position.status, func.count()).where(Position.organization_id == organization.id).group_by(Position.status)
    ).all()
    return dict(rows)


def new_applicant_counts(session: Session, *, position_ids: list[int]) -> dict[int, int]:
    """Applications nobody at the employer has looked at yet, per position."""
    if not position_ids:
        return {}
    rows = session.exec(
        select(Application.position_id, func.count())
        .where(Application.position_id.in_(position_ids), Application.status == ApplicationStatus.received)
        .group_by(Application.position_id)
    ).all()
    return dict(rows)


def applicant_counts(session: Session, *, position_ids: list[int]) -> dict[int, int]:
    if not position_ids:
        return {}
    rows = session.exec(
        select(Application.position_id, func.count())
        .where(Application.position_id.in_(position_ids), Application.status != ApplicationStatus.withdrawn)
        .group_by(Application.position_id)
    ).all()
    return dict(rows)


def reconfirmation_reminders(session: Session, *, user: User, settings: Settings) -> list[tuple[Position, date]]:
    """Published positions that lapse within a week unless the employer says they are still hiring."""
    organization = employers.organization_of(session, user)
    horizon = utcnow() - timedelta(days=settings.position_reconfirm_days - RECONFIRM_REMINDER_DAYS)
    last_confirmed = func.coalesce(Position.reconfirmed_at, Position.published_at)
    positions = session.exec(
        select(Position)
        .where(Position.organization_id == organization.id, Position.status == PositionStatus.published,
               last_confirmed <= horizon)
        .order_by(last_confirmed, Position.id)
    ).all()
    return [(position, reconfirm_due(position, settings)) for position in positions]


def review_queue(
    session: Session, *, officer: User, status: str | None = PositionStatus.pending_review, page: int = 1,
    per_page: int = PAGE_SIZE,
) -> Page:
    """Positions in the officer's districts; by default those awaiting review, oldest first."""
    query = (select(Position, Organization).join(Organization, Organization.id == Position.organization_id)
             .where(officer_scope(session, officer).organizations(Position.district, Organization.district)))
    status = _status_or_none(status)
    if status:
        query = query.where(Position.status == status)
    else:  # drafts are the employer's own business until submitted
        query = query.where(Position.status != PositionStatus.draft)
    order = (Position.updated_at, Position.id) if status == PositionStatus.pending_review else (
        Position.updated_at.desc(), Position.id.desc())
    return paginate(session, query, page=page, per_page=per_page, order=order)


# ---------------------------------------------------------------- writing (employers)


def _validated(data: dict) -> PositionFields:
    """Re-checks a whole position; a failure becomes Invalid naming the first bad field."""
    try:
        return PositionFields.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else None
        raise Invalid(first["msg"].removeprefix("Value error, "), field=field) from None


def _fields_of(position: Position) -> dict:
    return {name: getattr(position, name) for name in PositionFields.model_fields}


def _require_can_post(organization: Organization) -> None:
    if organization.status == OrganizationStatus.suspended:
        raise Conflict("Your organisation is suspended, so its positions cannot change. Reason: %(reason)s",
                       reason=organization.status_reason or "-")


def _commit_checking_base(session: Session) -> None:
    """Commits a new or changed position; the database refuses a traineeship naming another organisation's base."""
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Invalid("Choose one of your organisation's traineeship bases.", field="host_base_id") from None


def create_position(session: Session, *, user: User, position: PositionCreate) -> Position:
    """A new draft. Any recruiter may draft, verified or not; publishing waits for verification."""
    organization = employers.organization_of(session, user)
    _require_can_post(organization)
    now = utcnow()
    created = Position(
        organization_id=organization.id, **position.model_dump(), status=PositionStatus.draft,
        created_by_id=user.id, created_at=now, updated_at=now,
    )
    session.add(created)
    _commit_checking_base(session)
    return created


def update_position(session: Session, *, user: User, position_id: int, changes: PositionUpdate | PositionFields) -> Position:
    """Edits a draft, a rejected position, one in review, or a published one (which goes back to review).

    A published position that changes is hidden until an officer approves the new version: otherwise
    an approved traineeship could quietly become something else.
    """
    position, organization = own_position(session, user=user, position_id=position_id)
    _require_can_post(organization)
    if position.status in FINISHED:
        raise Conflict("A closed or expired position cannot be edited. Copy it into a new draft instead.")
    data = changes.model_dump(exclude_unset=True) if isinstance(changes, PositionUpdate) else changes.model_dump()
    merged = {**_fields_of(position), **{k: v for k, v in data.items() if v is not None or k == "address"}}
    fields = _validated(merged)
    new_values = fields.model_dump()
    if all(getattr(position, name) == value for name, value in new_values.items()):
        return position
    for name, value in new_values.items():
        setattr(position, name, value)
    position.updated_at = utcnow()
    if position.status == PositionStatus.published:
        position.status = PositionStatus.pending_review
        position.review_note = None
        enqueue(session, "position", position.id)
    _commit_checking_base(session)
    return position


def duplicate_position(session: Session, *, user: User, position_id: int) -> Position:
    """A new draft with the same content (deadline moved a month ahead if it has passed)."""
    position, organization = own_position(session, user=user, position_id=position_id)
    _require_can_post(organization)
    fields = _fields_of(position)
    if fields["deadline"] < today():
        fields["deadline"] = today() + timedelta(days=30)
    now = utcnow()
    copy = Position(organization_id=organization.id, **fields, status=PositionStatus.draft,
                    created_by_id=user.id, created_at=now, updated_at=now)
    session.add(copy)
    session.commit()
    return copy


def submit_position(session: Session, *, user: User, position_id: int) -> Position:
    """Sends a draft (or a corrected rejected position) to the officers for review."""
    position, organization = own_position(session, user=user, position_id=position_id)
    _require_can_post(organization)
    if position.status == PositionStatus.pending_review:
        raise Conflict("This position is already waiting for review.")
    if position.status not in (PositionStatus.draft, PositionStatus.rejected):
        raise Conflict("Only a draft or a rejected position can be submitted for review.")
    if organization.status != OrganizationStatus.verified:
        raise Conflict(
            "Your organisation is waiting for verification by an employment officer. "
            "You can keep drafting; positions can be submitted once it is verified."
        )
    _validated(_fields_of(position))  # e.g. a deadline that passed while it sat as a draft
    position.status = PositionStatus.pending_review
    position.updated_at = utcnow()
    session.commit()
    return position


def close_position(session: Session, *, user: User, position_id: int, filled: bool = False) -> Position:
    position, _organization = own_position(session, user=user, position_id=position_id)
    if position.status in FINISHED:
        raise Conflict("This position is already closed.")
    was_published = position.status == PositionStatus.published
    now = utcnow()
    position.status = PositionStatus.closed
    position.close_reason = CloseReason.filled if filled else CloseReason.by_employer
    position.closed_at = now
    position.updated_at = now
    if was_published:
        enqueue(session, "position", position.id)
    session.commit()
    return position


def reconfirm_position(session: Session, *, user: User, position_id: int, settings: Settings | None = None) -> Position:
    """"Still hiring": restarts the 30-day clock; also revives a position that lapsed only for want of this."""
    position, organization = own_position(session, user=user, position_id=position_id)
    _require_can_post(organization)
    lapsed = position.status == PositionStatus.expired and position.close_reason == CloseReason.not_reconfirmed
    if position.status != PositionStatus.published and not lapsed:
        raise Conflict("Only a published position can be reconfirmed.")
    if position.deadline < today():
        raise Conflict("The deadline has passed; copy the position into a new draft to hire again.")
    if organization.status != OrganizationStatus.verified:
        raise Conflict("Only a verified organisation's positions can be published.")
    now = utcnow()
    position.reconfirmed_at = now
    position.updated_at = now
    if lapsed:
        position.status = PositionStatus.published
        position.close_reason = None
        position.closed_at = None
    enqueue(session, "position", position.id)  # freshness counts in ranking; a revived position reappears
    session.commit()
    return position


# ---------------------------------------------------------------- writing (officers)


def approve_position(
    session: Session, *, officer: User, position_id: int, ip: str | None = None, settings: Settings | None = None
) -> Position:
    position, organization = reviewable_position(session, officer=officer, position_id=position_id)
    if position.status != PositionStatus.pending_review:
        raise Conflict("Only a position waiting for review can be approved.")
    if organization.status != OrganizationStatus.verified:
        raise Conflict("The employer is not verified, so its positions cannot be published.")
    if position.deadline < today():
        raise Conflict("The deadline of this position has passed.")
    now = utcnow()
    position.status = PositionStatus.published
    position.review_note = None
    position.published_at = position.published_at or now
    position.reconfirmed_at = now
    position.updated_at = now
    enqueue(session, "position", position.id)
    audit.record(session, actor_id=officer.id, action="position.approve", object_type="position",
                 object_id=position.id, ip=ip, detail={"organization_id": organization.id})
    employers.notify_recruiters(
        session, settings=settings, organization_id=organization.id, kind="position.approved",
        title="Position approved: %(title)s", body="It is now published and graduates can apply.",
        link=f"/jobs/{position.id}", params={"title": position.title},
    )
    session.commit()
    return position


def reject_position(
    session: Session, *, officer: User, position_id: int, reason: str, ip: str | None = None,
    settings: Settings | None = None,
) -> Position:
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise Invalid("Give a reason the employer will see.", field="reason")
    position, organization = reviewable_position(session, officer=officer, position_id=position_id)
    if position.status != PositionStatus.pending_review:
        raise Conflict("Only a position waiting for review can be rejected.")
    position.status = PositionStatus.rejected
    position.review_note = reason[:500]
    position.updated_at = utcnow()
    audit.record(session, actor_id=officer.id, action="position.reject", object_type="position",
                 object_id=position.id, ip=ip, detail={"organization_id": organization.id, "reason": position.review_note})
    employers.notify_recruiters(
        session, settings=settings, organization_id=organization.id, kind="position.rejected",
        title="Position not approved: %(title)s", body="Reason: %(reason)s. Edit it and submit it again.",
        link=f"/employer/positions/{position.id}/edit", params={"title": position.title, "reason": position.review_note},
    )
    session.commit()
    return position


# ---------------------------------------------------------------- scheduled


def close_lapsed_positions(session: Session, *, settings: Settings, search=None) -> int:
    """Expires published positions past their deadline or not reconfirmed in time, and reminds
    employers a few days before a position would lapse. Idempotent.

    Returns how many positions it expired. Search learns of each through the outbox, in the same
    transaction, so `search` itself is not needed here.
    """
    now = utcnow()
    cutoff = now - timedelta(days=settings.position_reconfirm_days)
    last_confirmed = func.coalesce(Position.reconfirmed_at, Position.published_at)
    lapsed = session.exec(
        select(Position)
        .where(Position.status == PositionStatus.published,
               or_(Position.deadline < today(), last_confirmed < cutoff))
        .with_for_update(skip_locked=True)
    ).all()
    for position in lapsed:
        position.status = PositionStatus.expired
        position.close_reason = CloseReason.deadline if position.deadline < today() else CloseReason.not_reconfirmed
        position.closed_at = now
        position.updated_at = now
        enqueue(session, "position", position.id)
        if position.close_reason == CloseReason.not_reconfirmed:
            employers.notify_recruiters(
                session, settings=settings, organization_id=position.organization_id, kind="position.lapsed",
                title="Position taken down: %(title)s",
                body="Nobody confirmed it was still open for %(days)s days. Press \"Still hiring\" to put it back.",
                link=f"/jobs/{position.id}", params={"title": position.title, "days": settings.position_reconfirm_days},
            )
    session.flush()
    _remind_reconfirmation(session, settings=settings, now=now)
    session.commit()
    return len(lapsed)


def _remind_reconfirmation(session: Session, *, settings: Settings, now) -> None:
    """One reminder per reconfirmation period, RECONFIRM_NOTICE_DAYS before the position would lapse."""
    from portal.notifications.models import Notification

    horizon = now - timedelta(days=max(0, settings.position_reconfirm_days - RECONFIRM_NOTICE_DAYS))
    last_confirmed = func.coalesce(Position.reconfirmed_at, Position.published_at)
    due = session.exec(
        select(Position).where(Position.status == PositionStatus.published, last_confirmed <= horizon,
                               Position.deadline >= today())
    ).all()
    for position in due:
        since = position.reconfirmed_at or position.published_at
        link = f"/jobs/{position.id}"
        already = session.exec(
            select(Notification.id).where(Notification.kind == "position.reconfirm", Notification.link == link,
                                          Notification.created_at >= since).limit(1)
        ).first()
        if already is None:
            lapse_on = (since + timedelta(days=settings.position_reconfirm_days)).date()
            employers.notify_recruiters(
                session, settings=settings, organization_id=position.organization_id, kind="position.reconfirm",
                title="Still hiring for %(title)s?",
                body="Confirm by %(date)s, or the position is taken down so graduates do not apply to a ghost job.",
                link=link, params={"title": position.title, "date": lapse_on.isoformat()},
            )
