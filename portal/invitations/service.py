"""Invitations to apply: sent by an employer to a discoverable graduate the matcher suggests for one of its
positions, with the matcher's reasons; answered by the graduate, who applies by accepting."""
from datetime import timedelta

from sqlalchemy import func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from portal.accounts.models import GraduateProfile, Role, User
from portal.applications import service as applications
from portal.applications.models import Application
from portal.clock import utcnow
from portal.employers import service as employers
from portal.employers.models import Organization
from portal.errors import Conflict, NotFound, TooManyRequests
from portal.invitations.models import Invitation, InvitationStatus
from portal.notifications import service as notifications
from portal.positions.models import Position
from portal.settings import Settings

RATE_WINDOW = timedelta(days=1)


def _employers_position(session: Session, employer: User, position_id: int) -> tuple[Position, Organization]:
    organization = employers.organization_of(session, employer)
    position = session.get(Position, position_id)
    if position is None or position.organization_id != organization.id:
        raise NotFound("We could not find that position.")
    return position, organization


def _discoverable_graduate(session: Session, graduate_id: int) -> User:
    graduate = session.get(User, graduate_id)
    profile = session.get(GraduateProfile, graduate_id)
    if graduate is None or graduate.role != Role.graduate or profile is None or not profile.discoverable:
        raise NotFound("We could not find that graduate.")
    return graduate


def _check_rate(session: Session, settings: Settings, position_id: int) -> None:
    sent = session.exec(select(func.count()).select_from(Invitation).where(
        Invitation.position_id == position_id, Invitation.created_at >= utcnow() - RATE_WINDOW)).one()
    if sent >= settings.invitations_per_position_per_day:
        raise TooManyRequests("This position has sent %(limit)s invitations in the last day. Please try again tomorrow.",
                              limit=settings.invitations_per_position_per_day)


def invite(session: Session, *, settings: Settings, employer: User, position_id: int, graduate_id: int, fit: int,
           reasons: dict, message: str = "") -> Invitation:
    """Invites a discoverable graduate to apply; `fit` and `reasons` are the matcher's, kept for the graduate."""
    position, organization = _employers_position(session, employer, position_id)
    problem = applications.accepting_problem(position, organization)
    if problem:
        raise Conflict(problem)
    graduate = _discoverable_graduate(session, graduate_id)
    if applications.has_applied(session, user=graduate, position_id=position.id):
        raise Conflict("This graduate has already applied to this position.")
    _check_rate(session, settings, position.id)
    invitation = Invitation(position_id=position.id, graduate_id=graduate.id, invited_by_id=employer.id, fit=fit,
                            reasons=reasons, message=message.strip() or None)
    session.add(invitation)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict("This graduate has already been invited to this position.") from None
    notifications.notify(
        session, settings=settings, user=graduate, kind="invitation",
        title="%(organization)s invites you to apply for %(title)s",
        body="See why the position suits you, then apply with one click or decline.",
        link=f"/me/invitations/{invitation.id}", params={"organization": organization.name, "title": position.title},
    )
    session.commit()
    return invitation


def for_position(session: Session, *, position_id: int) -> dict[int, Invitation]:
    """The position's invitations by graduate."""
    rows = session.exec(select(Invitation).where(Invitation.position_id == position_id))
    return {invitation.graduate_id: invitation for invitation in rows}


def names_for_employer(session: Session, *, position_id: int, graduate_ids: list[int]) -> dict[int, str]:
    """Names the employer may see among these graduates: those who chose to be discoverable, and its applicants."""
    applied = select(Application.graduate_id).where(Application.position_id == position_id)
    rows = session.exec(
        select(User.id, User.display_name).join(GraduateProfile, GraduateProfile.user_id == User.id)
        .where(User.id.in_(graduate_ids), or_(GraduateProfile.discoverable.is_(True), User.id.in_(applied)))
    )
    return dict(rows.all())


def list_for_graduate(session: Session, *, graduate: User) -> list[tuple[Invitation, Position, Organization]]:
    """The graduate's invitations, waiting ones first, newest first."""
    rows = session.exec(
        select(Invitation, Position, Organization)
        .join(Position, Position.id == Invitation.position_id)
        .join(Organization, Organization.id == Position.organization_id)
        .where(Invitation.graduate_id == graduate.id)
        .order_by((Invitation.status == InvitationStatus.sent).desc(), Invitation.created_at.desc(), Invitation.id.desc())
    )
    return list(rows.all())


def waiting_count(session: Session, *, graduate: User) -> int:
    return session.exec(select(func.count()).select_from(Invitation).where(
        Invitation.graduate_id == graduate.id, Invitation.status == InvitationStatus.sent)).one()


def get_for_graduate(session: Session, *, graduate: User, invitation_id: int) -> tuple[Invitation, Position, Organization]:
    invitation = session.get(Invitation, invitation_id)
    if invitation is None or invitation.graduate_id != graduate.id:
        raise NotFound("We could not find that invitation.")
    position = session.get(Position, invitation.position_id)
    return invitation, position, session.get(Organization, position.organization_id)


def _waiting(session: Session, graduate: User, invitation_id: int) -> tuple[Invitation, Position, Organization]:
    invitation, position, organization = get_for_graduate(session, graduate=graduate, invitation_id=invitation_id)
    if invitation.status != InvitationStatus.sent:
        raise Conflict("You have already answered this invitation.")
    return invitation, position, organization


def accept(session: Session, *, settings: Settings, graduate: User, invitation_id: int) -> Application:
    """Accepting is applying, with the résumé as it is now; the employer then sees the graduate's contact data."""
    invitation, position, _ = _waiting(session, graduate, invitation_id)
    application = applications.apply(session, settings=settings, user=graduate, position_id=position.id)
    invitation.status = InvitationStatus.accepted
    invitation.application_id = application.id
    invitation.responded_at = utcnow()
    session.add(invitation)
    session.commit()
    return application


def decline(session: Session, *, settings: Settings, graduate: User, invitation_id: int) -> Invitation:
    invitation, position, _ = _waiting(session, graduate, invitation_id)
    invitation.status = InvitationStatus.declined
    invitation.responded_at = utcnow()
    session.add(invitation)
    inviter = session.get(User, invitation.invited_by_id)
    if inviter is not None and inviter.is_active:
        notifications.notify(
            session, settings=settings, user=inviter, kind="invitation",
            title="A graduate declined your invitation to apply for %(title)s",
            link=f"/employer/positions/{position.id}/candidates", params={"title": position.title},
        )
    session.commit()
    return invitation
