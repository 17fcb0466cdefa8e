"""Employers: organisations, their recruiter accounts, and the officers' verification decisions.

Rules live here; pages (routes.py) and the JSON API (api.py) both call these functions.
"""
from dataclasses import dataclass
from datetime import timedelta
from statistics import median

from sqlalchemy import func, or_
from sqlmodel import Session, select

from portal.accounts import service as accounts
from portal.accounts.models import Role, User
from portal.applications.models import Application, ApplicationStatus
from portal.audit import service as audit
from portal.clock import today, utcnow
from portal.employers.models import Organization, OrganizationStatus, Recruiter
from portal.employers.schemas import OrganizationSignup, OrganizationUpdate, RecruiterCreate
from portal.errors import Conflict, Forbidden, Invalid, NotFound
from portal.notifications import service as notifications
from portal.pagination import PAGE_SIZE, Page, paginate
from portal.positions.models import CloseReason, Position, PositionStatus
from portal.scope import officer_scope, scope_of
from portal.settings import Settings
from search.outbox import enqueue

RESPONSIVENESS_WINDOW_DAYS = 180
# Below this many applications a rate says more about luck than about the employer.
RESPONSIVENESS_MIN_APPLICATIONS = 3
SIGNUP_FIELDS = ("name", "uscc", "contact_name", "contact_phone", "industry", "size", "district", "address",
                 "description")


# ---------------------------------------------------------------- sign-up and team


def _refuse_registered_uscc(session: Session, uscc: str) -> None:
    if session.exec(select(Organization.id).where(Organization.uscc == uscc)).first() is not None:
        raise Conflict(
            "An organisation with this unified social credit code is already registered. "
            "Ask its owner to add you to the team.",
            field="uscc",
        )


def _add_organization(session: Session, owner: User, fields: dict) -> Organization:
    """The organisation (pending verification) its new owner signed up with, in the caller's transaction."""
    _refuse_registered_uscc(session, fields["uscc"])
    organization = Organization(**{name: fields.get(name) for name in SIGNUP_FIELDS},
                                contact_email=str(fields.get("contact_email") or owner.email).lower(),
                                status=OrganizationStatus.pending)
    session.add(organization)
    session.flush()
    session.add(Recruiter(user_id=owner.id, organization_id=organization.id, is_owner=True))
    audit.record(
        session, actor_id=owner.id, action="organization.register", object_type="organization",
        object_id=organization.id, detail={"name": organization.name, "uscc": organization.uscc},
    )
    return organization


def finish_signup(session: Session, owner: User, profile: dict) -> None:
    """A confirmed employer sign-up (accounts.SIGNUP_FINISHERS): the organisation it asked for."""
    _add_organization(session, owner, profile)


def register_organization(session: Session, *, signup: OrganizationSignup) -> tuple[Organization, User]:
    """Creates the organisation (pending verification) and its owner recruiter in one transaction."""
    _refuse_registered_uscc(session, signup.uscc)
    try:
        owner = accounts.create_user(
            session, email=signup.email, password=signup.password, role=Role.employer, display_name=signup.contact_name
        )
        organization = _add_organization(session, owner, signup.model_dump(mode="json"))
        session.commit()
    except Exception:
        session.rollback()
        raise
    return organization, owner


def request_registration(session: Session, *, settings: Settings, signup: OrganizationSignup, ip: str) -> None:
    """An employer sign-up the owner's address confirms: the same answer whether or not it has an account."""
    _refuse_registered_uscc(session, signup.uscc)
    accounts.request_signup(session, settings=settings, role=Role.employer, email=signup.email,
                            password=signup.password, display_name=signup.contact_name,
                            profile=signup.model_dump(mode="json", exclude={"email", "password"}), ip=ip)


def update_organization(session: Session, *, user: User, update: OrganizationUpdate) -> Organization:
    """The owner corrects the organisation's profile. Search re-reads its positions (name, district)."""
    membership = recruiter_of(session, user)
    if not membership.is_owner:
        raise Forbidden("Only the account that registered the organisation can change its profile.")
    organization = session.get(Organization, membership.organization_id)
    data = update.model_dump()
    data["contact_email"] = str(data["contact_email"]).lower()
    if data["name"] != organization.name and organization.status == OrganizationStatus.verified:
        raise Invalid(
            "A verified organisation's registered name is changed by an employment officer: "
            "please contact your district employment service centre.",
            field="name",
        )
    changed = {k: v for k, v in data.items() if getattr(organization, k) != v}
    if not changed:
        return organization
    for key, value in changed.items():
        setattr(organization, key, value)
    for position_id in session.exec(select(Position.id).where(Position.organization_id == organization.id,
                                                              Position.status == PositionStatus.published)):
        enqueue(session, "position", position_id)
    audit.record(session, actor_id=user.id, action="organization.update", object_type="organization",
                 object_id=organization.id, detail={"fields": sorted(changed)})
    session.commit()
    return organization


def recruiter_of(session: Session, user: User) -> Recruiter:
    """The user's recruiter membership; anyone else is not an employer here."""
    recruiter = session.get(Recruiter, user.id) if user.role == Role.employer else None
    if recruiter is None:
        raise Forbidden("This page is for recruiters of a registered employer.")
    return recruiter


def organization_of(session: Session, user: User) -> Organization:
    organization = session.get(Organization, recruiter_of(session, user).organization_id)
    if organization is None:  # pragma: no cover - the foreign key keeps this from happening
        raise NotFound("We could not find your organisation.")
    return organization


def is_recruiter_of(session: Session, user: User | None, organization_id: int) -> bool:
    if user is None or user.role != Role.employer:
        return False
    recruiter = session.get(Recruiter, user.id)
    return recruiter is not None and recruiter.organization_id == organization_id


def list_team(session: Session, *, user: User) -> list[tuple[Recruiter, User]]:
    return team_of(session, organization_id=recruiter_of(session, user).organization_id)


def team_of(session: Session, *, organization_id: int) -> list[tuple[Recruiter, User]]:
    rows = session.exec(
        select(Recruiter, User)
        .join(User, User.id == Recruiter.user_id)
        .where(Recruiter.organization_id == organization_id)
        .order_by(Recruiter.is_owner.desc(), User.created_at, User.id)
    )
    return list(rows)


def add_recruiter(session: Session, *, user: User, recruiter: RecruiterCreate) -> User:
    """The owner adds a colleague's recruiter account to the organisation."""
    membership = recruiter_of(session, user)
    if not membership.is_owner:
        raise Forbidden("Only the account that registered the organisation can add recruiters.")
    organization = session.get(Organization, membership.organization_id)
    if organization.status == OrganizationStatus.suspended:
        raise Conflict("Your organisation is suspended, so its team cannot change.")
    try:
        colleague = accounts.create_user(
            session, email=recruiter.email, password=recruiter.password, role=Role.employer,
            display_name=recruiter.display_name,
        )
        session.add(Recruiter(user_id=colleague.id, organization_id=membership.organization_id, is_owner=False))
        audit.record(
            session, actor_id=user.id, action="organization.recruiter.add", object_type="organization",
            object_id=membership.organization_id, subject_user_id=colleague.id,
        )
        session.commit()
    except Exception:
        session.rollback()
        raise
    return colleague


def set_recruiter_active(session: Session, *, user: User, recruiter_user_id: int, active: bool) -> User:
    """The owner switches a colleague's account off (someone left) or back on."""
    membership = recruiter_of(session, user)
    if not membership.is_owner:
        raise Forbidden("Only the account that registered the organisation can change the team.")
    colleague_membership = session.get(Recruiter, recruiter_user_id)
    if colleague_membership is None or colleague_membership.organization_id != membership.organization_id:
        raise NotFound("We could not find that recruiter.")
    if colleague_membership.is_owner:
        raise Conflict("The owner's account cannot be switched off.")
    colleague = session.get(User, recruiter_user_id)
    colleague.is_active = active
    colleague.session_epoch += 1
    audit.record(
        session, actor_id=user.id, action="organization.recruiter." + ("enable" if active else "disable"),
        object_type="organization", object_id=membership.organization_id, subject_user_id=colleague.id,
    )
    session.commit()
    return colleague


def notify_recruiters(
    session: Session, *, settings: Settings | None, organization_id: int, kind: str, title: str, body: str = "",
    link: str | None = None, params: dict | None = None,
) -> None:
    """An in-app message (and email where configured) to every active recruiter of the organisation."""
    if settings is None:
        return
    recruiters = session.exec(
        select(User).join(Recruiter, Recruiter.user_id == User.id)
        .where(Recruiter.organization_id == organization_id, User.is_active.is_(True))
    ).all()
    for recruiter in recruiters:
        notifications.notify(session, settings=settings, user=recruiter, kind=kind, title=title, body=body,
                             link=link, params=params)


# ---------------------------------------------------------------- officers


def get_organization(session: Session, organization_id: int) -> Organization:
    organization = session.get(Organization, organization_id)
    if organization is None:
        raise NotFound("We could not find that organisation.")
    return organization


def organization_for_officer(session: Session, *, officer: User, organization_id: int) -> Organization:
    organization = get_organization(session, organization_id)
    if not officer_scope(session, officer).covers_district(organization.district):
        raise NotFound("We could not find that organisation.")
    return organization


def organization_for_viewer(session: Session, *, user: User | None, organization_id: int) -> tuple[Organization, bool]:
    """(organisation, private) where private says the viewer may see its contact details and status reason.

    Verified organisations are public; others exist only for their own recruiters and their officers.
    """
    organization = get_organization(session, organization_id)
    if is_recruiter_of(session, user, organization_id):
        return organization, True
    if scope_of(session, user).covers_district(organization.district):
        return organization, True
    if organization.status == OrganizationStatus.verified:
        return organization, False
    raise NotFound("We could not find that organisation.")


def list_organizations(
    session: Session, *, officer: User, status: str | None = None, q: str | None = None, page: int = 1,
    per_page: int = PAGE_SIZE,
) -> Page:
    """Organisations in the officer's districts, pending first and oldest first (a fair queue)."""
    query = select(Organization).where(officer_scope(session, officer).organizations(Organization.district))
    if status:
        if status not in OrganizationStatus.__members__:
            raise Invalid("Unknown status.", field="status")
        query = query.where(Organization.status == status)
    if q and q.strip():
        term = f"%{q.strip()}%"
        query = query.where(or_(Organization.name.ilike(term), Organization.uscc.ilike(term)))
    order = (Organization.created_at, Organization.id) if status == OrganizationStatus.pending else (
        Organization.created_at.desc(), Organization.id.desc())
    return paginate(session, query, page=page, per_page=per_page, order=order)


def organization_counts(session: Session, *, officer: User) -> dict[str, int]:
    query = (select(Organization.status, func.count()).group_by(Organization.status)
             .where(officer_scope(session, officer).organizations(Organization.district)))
    return dict(session.exec(query).all())


def verify_organization(
    session: Session, *, officer: User, organization_id: int, ip: str | None = None, settings: Settings | None = None
) -> Organization:
    organization = organization_for_officer(session, officer=officer, organization_id=organization_id)
    if organization.status != OrganizationStatus.pending:
        raise Conflict("Only an organisation awaiting verification can be verified.")
    organization.status = OrganizationStatus.verified
    organization.status_reason = None
    organization.verified_at = utcnow()
    organization.verified_by_id = officer.id
    audit.record(
        session, actor_id=officer.id, action="organization.verify", object_type="organization",
        object_id=organization.id, ip=ip,
    )
    notify_recruiters(
        session, settings=settings, organization_id=organization.id, kind="organization.verified",
        title="%(name)s is verified", body="You can now submit positions for review.", link="/employer",
        params={"name": organization.name},
    )
    session.commit()
    return organization


def suspend_organization(
    session: Session, *, officer: User, organization_id: int, reason: str, ip: str | None = None,
    settings: Settings | None = None,
) -> Organization:
    """Suspends (or declines) an organisation: its open positions close and leave search at once."""
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise Invalid("Give a reason the employer will see.", field="reason")
    organization = organization_for_officer(session, officer=officer, organization_id=organization_id)
    if organization.status == OrganizationStatus.suspended:
        raise Conflict("This organisation is already suspended.")
    previous = organization.status
    organization.status = OrganizationStatus.suspended
    organization.status_reason = reason[:500]
    now = utcnow()
    closed = []
    for position in session.exec(
        select(Position).where(Position.organization_id == organization.id, Position.status == PositionStatus.published)
    ):
        position.status = PositionStatus.closed
        position.close_reason = CloseReason.organization_suspended
        position.closed_at = now
        position.updated_at = now
        closed.append(position.id)
    for position_id in session.exec(select(Position.id).where(Position.organization_id == organization.id)):
        enqueue(session, "position", position_id)
    audit.record(
        session, actor_id=officer.id, action="organization.suspend", object_type="organization",
        object_id=organization.id, ip=ip, detail={"reason": organization.status_reason, "previous": previous,
                                                  "closed_positions": closed},
    )
    notify_recruiters(
        session, settings=settings, organization_id=organization.id, kind="organization.suspended",
        title="%(name)s is suspended", body="Reason: %(reason)s", link="/employer",
        params={"name": organization.name, "reason": organization.status_reason},
    )
    session.commit()
    return organization


def reinstate_organization(
    session: Session, *, officer: User, organization_id: int, ip: str | None = None, settings: Settings | None = None
) -> Organization:
    """Lifts a suspension; positions that the suspension closed reopen if their deadline has not passed."""
    organization = organization_for_officer(session, officer=officer, organization_id=organization_id)
    if organization.status != OrganizationStatus.suspended:
        raise Conflict("Only a suspended organisation can be reinstated.")
    organization.status = OrganizationStatus.verified
    organization.status_reason = None
    organization.verified_at = organization.verified_at or utcnow()
    organization.verified_by_id = officer.id
    now = utcnow()
    reopened = []
    for position in session.exec(
        select(Position).where(
            Position.organization_id == organization.id,
            Position.status == PositionStatus.closed,
            Position.close_reason == CloseReason.organization_suspended,
        )
    ):
        if position.deadline < today():
            continue
        position.status = PositionStatus.published
        position.close_reason = None
        position.closed_at = None
        position.reconfirmed_at = now
        position.updated_at = now
        reopened.append(position.id)
        enqueue(session, "position", position.id)
    audit.record(
        session, actor_id=officer.id, action="organization.reinstate", object_type="organization",
        object_id=organization.id, ip=ip, detail={"reopened_positions": reopened},
    )
    notify_recruiters(
        session, settings=settings, organization_id=organization.id, kind="organization.reinstated",
        title="%(name)s is verified again", body="Positions closed by the suspension have reopened where their deadline allows.",
        link="/employer", params={"name": organization.name},
    )
    session.commit()
    return organization


# ---------------------------------------------------------------- history


@dataclass
class Decision:
    action: str  # e.g. "organization.verify", "position.reject"
    actor_name: str | None
    reason: str | None
    created_at: object


def decision_history(session: Session, *, object_type: str, object_id: int, limit: int = 20) -> list[Decision]:
    """Who decided what about an organisation or position, newest first (from the audit log), for officers."""
    from portal.audit.models import AuditEntry

    rows = session.exec(
        select(AuditEntry, User.display_name)
        .join(User, User.id == AuditEntry.actor_id, isouter=True)
        .where(AuditEntry.object_type == object_type, AuditEntry.object_id == str(object_id))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(limit)
    ).all()
    return [Decision(entry.action, name, (entry.detail or {}).get("reason"), entry.created_at) for entry, name in rows]


# ---------------------------------------------------------------- responsiveness


@dataclass
class ResponsivenessStats:
    applications: int
    responded: int
    response_rate: float | None
    typical_response_hours: float | None
    window_days: int = RESPONSIVENESS_WINDOW_DAYS


def employer_responsiveness(
    session: Session, organization_id: int, *, days: int = RESPONSIVENESS_WINDOW_DAYS
) -> ResponsivenessStats:
    """How often and how fast the employer answers applications received in the last `days` days.

    A response is the first move past "received" (Application.first_response_at). Applications the
    graduate withdrew before any response do not count against the employer. The typical time is
    the median, so one forgotten application does not dominate it. With fewer than three
    applications the rate and time are None: too few to say.
    """
    since = utcnow() - timedelta(days=days)
    rows = session.exec(
        select(Application.created_at, Application.first_response_at, Application.status)
        .join(Position, Position.id == Application.position_id)
        .where(Position.organization_id == organization_id, Application.created_at >= since)
    ).all()
    counted = [
        (created, responded) for created, responded, status in rows
        if responded is not None or status != ApplicationStatus.withdrawn
    ]
    hours = [
        max(0.0, (_aware(responded) - _aware(created)).total_seconds() / 3600)
        for created, responded in counted if responded is not None
    ]
    enough = len(counted) >= RESPONSIVENESS_MIN_APPLICATIONS
    return ResponsivenessStats(
        applications=len(counted),
        responded=len(hours),
        response_rate=round(len(hours) / len(counted), 3) if enough else None,
        typical_response_hours=round(median(hours), 1) if enough and hours else None,
        window_days=days,
    )


def _aware(moment):
    # SQLite hands back naive datetimes; everything the portal stores is UTC.
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
