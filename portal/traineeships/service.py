"""Traineeships (就业见习): officers publish the city's bases in dated batches (the scheduler publishes a batch on its
day), employers post traineeships at their bases, graduates apply as to any position, and officers follow the
placements to their end."""
from dataclasses import dataclass

from sqlalchemy import func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from portal import xlsx
from portal.accounts.models import GraduateProfile, User
from portal.applications.models import Application, ApplicationStatus
from portal.audit import service as audit
from portal.clock import today, utcnow
from portal.db import locked
from portal.employers import service as employers
from portal.employers.models import Organization, OrganizationStatus
from portal.errors import Conflict, Forbidden, NotFound
from portal.i18n import gettext
from portal.labels import label
from portal.notifications import service as notifications
from portal.positions.models import Position, PositionKind
from portal.scope import scope_of
from portal.settings import Settings
from portal.traineeships.models import (
    BatchStatus,
    TraineeshipBase,
    TraineeshipBatch,
    TraineeshipCompletion,
)
from portal.traineeships.schemas import BaseCreate, BatchCreate, CompletionRecord

BASE_NOT_FOUND = "We could not find that traineeship base."
COMPLETION_RECORDED = "How this traineeship ended has already been recorded."


# ---------------------------------------------------------------- batches and bases


def _require_city(session: Session, officer: User) -> None:
    if not scope_of(session, officer).city:
        raise Forbidden("Only city-wide officers publish batches of traineeship bases.")


def create_batch(session: Session, *, settings: Settings, officer: User, batch: BatchCreate) -> TraineeshipBatch:
    """A batch to be published on its day: today's (or an earlier day's) at once, a later one by the scheduler."""
    _require_city(session, officer)
    row = TraineeshipBatch(**batch.model_dump(), created_by_id=officer.id)
    session.add(row)
    session.flush()
    audit.record(session, actor_id=officer.id, action="traineeship.batch.create", object_type="traineeship_batch",
                 object_id=row.id)
    session.commit()
    if row.publish_on <= today():
        publish_due_batches(session, settings=settings)
    return row


def publish_due_batches(session: Session, *, settings: Settings, search=None) -> int:
    """The scheduled job: publishes every batch whose day has come and tells each base's recruiters."""
    due = session.exec(select(TraineeshipBatch).where(TraineeshipBatch.status == BatchStatus.scheduled,
                                                      TraineeshipBatch.publish_on <= today())).all()
    for batch in due:
        batch.status, batch.published_at = BatchStatus.published, utcnow()
        session.add(batch)
        for base in session.exec(select(TraineeshipBase).where(TraineeshipBase.batch_id == batch.id)).all():
            _tell_base(session, settings, batch, base)
        audit.record(session, actor_id=None, action="traineeship.batch.publish", object_type="traineeship_batch",
                     object_id=batch.id)
    session.commit()
    return len(due)


def _tell_base(session: Session, settings: Settings, batch: TraineeshipBatch, base: TraineeshipBase) -> None:
    for _, recruiter in employers.team_of(session, organization_id=base.organization_id):
        notifications.notify(session, settings=settings, user=recruiter, kind="traineeship",
                             title="Your organisation is a traineeship base in %(batch)s", params={"batch": batch.name},
                             body="Post your traineeships and choose the base on the position form.",
                             link="/employer/positions/new")


def batches(session: Session, *, published_only: bool = False) -> list[TraineeshipBatch]:
    statement = select(TraineeshipBatch)
    if published_only:
        statement = statement.where(TraineeshipBatch.status == BatchStatus.published)
    return list(session.exec(statement.order_by(TraineeshipBatch.publish_on.desc(), TraineeshipBatch.id.desc())).all())


def get_batch(session: Session, batch_id: int, *, published_only: bool = False) -> TraineeshipBatch:
    batch = session.get(TraineeshipBatch, batch_id)
    if batch is None or (published_only and batch.status != BatchStatus.published):
        raise NotFound("We could not find that batch.")
    return batch


def _organization_named(session: Session, officer: User, text: str) -> Organization:
    """A verified organisation in the officer's districts, by its registered name or credit code."""
    organization = session.exec(select(Organization).where(
        or_(Organization.name == text.strip(), Organization.uscc == text.strip().upper()),
        Organization.status == OrganizationStatus.verified)).first()
    if organization is None or not scope_of(session, officer).covers_district(organization.district):
        raise NotFound("No verified organisation of your districts has that name or credit code.", field="organization")
    return organization


def add_base(session: Session, *, settings: Settings, officer: User, batch_id: int, base: BaseCreate) -> TraineeshipBase:
    batch = get_batch(session, batch_id)
    organization = _organization_named(session, officer, base.organization)
    if session.exec(select(TraineeshipBase).where(TraineeshipBase.batch_id == batch.id,
                                                  TraineeshipBase.organization_id == organization.id)).first():
        raise Conflict("This organisation is already a base in this batch.", field="organization")
    row = TraineeshipBase(batch_id=batch.id, organization_id=organization.id, added_by_id=officer.id,
                          **base.model_dump(exclude={"organization"}))
    session.add(row)
    session.flush()
    if batch.status == BatchStatus.published:
        _tell_base(session, settings, batch, row)
    audit.record(session, actor_id=officer.id, action="traineeship.base.add", object_type="traineeship_base",
                 object_id=row.id, detail={"organization_id": organization.id})
    session.commit()
    return row


@dataclass
class BaseView:
    base: TraineeshipBase
    organization: Organization
    placed: int  # graduates in its traineeships now

    @property
    def full(self) -> bool:
        return self.placed >= self.base.capacity


def _current_placements():
    """Hired into a traineeship, and no completion recorded yet."""
    return (
        select(Application, Position)
        .join(Position, Position.id == Application.position_id)
        .outerjoin(TraineeshipCompletion, TraineeshipCompletion.application_id == Application.id)
        .where(Application.status == ApplicationStatus.hired, Position.kind == PositionKind.traineeship,
               TraineeshipCompletion.application_id.is_(None))
    )


def placed_counts(session: Session, organization_ids: list[int]) -> dict[int, int]:
    if not organization_ids:
        return {}
    statement = (_current_placements().with_only_columns(Position.organization_id, func.count())
                 .where(Position.organization_id.in_(organization_ids)).group_by(Position.organization_id))
    return dict(session.exec(statement).all())


def bases_of(session: Session, batch_id: int) -> list[BaseView]:
    rows = session.exec(select(TraineeshipBase, Organization)
                        .join(Organization, Organization.id == TraineeshipBase.organization_id)
                        .where(TraineeshipBase.batch_id == batch_id).order_by(TraineeshipBase.district, TraineeshipBase.id)).all()
    counts = placed_counts(session, [organization.id for _, organization in rows])
    return [BaseView(base, organization, counts.get(organization.id, 0)) for base, organization in rows]


def base_view(session: Session, *, base_id: int, user: User | None) -> BaseView:
    """A base as a traineeship post shows it: public once its batch is published, always to its own recruiters."""
    row = session.exec(select(TraineeshipBase, Organization, TraineeshipBatch)
                       .join(Organization, Organization.id == TraineeshipBase.organization_id)
                       .join(TraineeshipBatch, TraineeshipBatch.id == TraineeshipBase.batch_id)
                       .where(TraineeshipBase.id == base_id)).first()
    if row is None:
        raise NotFound(BASE_NOT_FOUND)
    base, organization, batch = row
    if batch.status != BatchStatus.published and not employers.is_recruiter_of(session, user, organization.id):
        raise NotFound(BASE_NOT_FOUND)
    return BaseView(base, organization, placed_counts(session, [organization.id]).get(organization.id, 0))


def bases_of_recruiter(session: Session, *, user: User) -> list[TraineeshipBase]:
    """The bases of the recruiter's organisation, newest batch first, for the traineeship post form."""
    organization = employers.organization_of(session, user)
    return list(session.exec(select(TraineeshipBase)
                             .join(TraineeshipBatch, TraineeshipBatch.id == TraineeshipBase.batch_id)
                             .where(TraineeshipBase.organization_id == organization.id,
                                    TraineeshipBatch.status != BatchStatus.withdrawn)
                             .order_by(TraineeshipBatch.publish_on.desc(), TraineeshipBase.id.desc())).all())


def base_of_position(session: Session, position: Position) -> TraineeshipBase | None:
    """The base a traineeship post is hosted at: the one it names, else its organisation's newest base in a batch not
    withdrawn; None for a post of an organisation that is no base."""
    if position.host_base_id is not None:
        return session.get(TraineeshipBase, position.host_base_id)
    return session.exec(select(TraineeshipBase)
                        .join(TraineeshipBatch, TraineeshipBatch.id == TraineeshipBase.batch_id)
                        .where(TraineeshipBase.organization_id == position.organization_id,
                               TraineeshipBatch.status != BatchStatus.withdrawn)
                        .order_by(TraineeshipBatch.publish_on.desc(), TraineeshipBase.id.desc())).first()


def hold_a_base_place(session: Session, position: Position) -> None:
    """Before a graduate is hired into a traineeship: locks the base's row for the rest of the transaction, so
    concurrent hires at one base are counted one after the other, and refuses a hire beyond the trainees it takes at
    once (its organisation's current placements, as the base's page counts them). Registered into the applications'
    HIRE_CHECKS; the base is locked before the position (parent before child)."""
    if position.kind != PositionKind.traineeship:
        return
    base = base_of_position(session, position)
    if base is None:
        return
    base = locked(session, TraineeshipBase, base.id)
    placed = placed_counts(session, [base.organization_id]).get(base.organization_id, 0)
    if placed >= base.capacity:
        raise Conflict("The traineeship base %(base)s is full: it takes %(capacity)s trainees at once, and "
                       "%(placed)s are in traineeships now.", base=base.name, capacity=base.capacity, placed=placed)


# ---------------------------------------------------------------- placements and completions


@dataclass
class Placement:
    application: Application
    position: Position
    organization: Organization
    graduate: User
    profile: GraduateProfile
    completion: TraineeshipCompletion | None


def placements(session: Session, *, officer: User, ended: bool = False) -> list[Placement]:
    """Graduates hired into traineeships whom the officer looks after (by school or district) or whose host is in
    the officer's districts: the current ones, or those that ended."""
    scope = scope_of(session, officer)
    statement = (
        select(Application, Position, Organization, User, GraduateProfile, TraineeshipCompletion)
        .join(Position, Position.id == Application.position_id)
        .join(Organization, Organization.id == Position.organization_id)
        .join(User, User.id == Application.graduate_id)
        .join(GraduateProfile, GraduateProfile.user_id == Application.graduate_id)
        .outerjoin(TraineeshipCompletion, TraineeshipCompletion.application_id == Application.id)
        .where(Application.status == ApplicationStatus.hired, Position.kind == PositionKind.traineeship,
               or_(scope.graduates(), scope.organizations(Organization.district)),
               TraineeshipCompletion.application_id.is_not(None) if ended
               else TraineeshipCompletion.application_id.is_(None))
        .order_by(Application.updated_at.desc(), Application.id.desc())
    )
    return [Placement(*row) for row in session.exec(statement).all()]


PLACEMENTS_HEADER = ("Name", "School", "Major", "Host organisation", "District", "Traineeship", "Months",
                     "Allowance (yuan per month)", "Host subsidy (yuan per month)", "Since", "Outcome", "Ended on")


def export_placements(session: Session, *, officer: User, ended: bool = False) -> bytes:
    """The placements the officer sees, as a workbook for paying allowances and host subsidies; the export is
    audited."""
    rows = placements(session, officer=officer, ended=ended)
    audit.record(session, actor_id=officer.id, action="traineeship.placements.export", object_type="traineeship",
                 object_id="ended" if ended else "current", detail={"rows": len(rows)})
    session.commit()
    return xlsx.workbook([xlsx.Sheet(gettext("Traineeship placements"), [gettext(h) for h in PLACEMENTS_HEADER], [
        [p.graduate.display_name, p.profile.school, p.profile.major, p.organization.name, p.organization.district,
         p.position.title, p.position.traineeship_months, p.position.monthly_allowance, p.position.host_subsidy,
         p.application.updated_at, label(p.completion.outcome, "training") if p.completion else "",
         p.completion.ended_on if p.completion else None]
        for p in rows], widths=(12, 20, 20, 28, 10, 24, 8, 14, 14, 12, 12, 12))])


def record_completion(session: Session, *, settings: Settings, officer: User, application_id: int,
                      record: CompletionRecord) -> TraineeshipCompletion:
    placement = next((p for p in placements(session, officer=officer) if p.application.id == application_id), None)
    if placement is None:
        raise NotFound("We could not find that placement.")
    if record.ended_on > today():
        raise Conflict("The end of a traineeship is recorded once it has happened.", field="ended_on")
    # Two officers recording one end at once: the placement is read again under its row lock, so the second sees the
    # first one's record; the primary key still keeps one should anything else race it.
    locked(session, Application, application_id)
    if session.exec(select(TraineeshipCompletion.application_id)
                    .where(TraineeshipCompletion.application_id == application_id)).first() is not None:
        raise Conflict(COMPLETION_RECORDED)
    completion = TraineeshipCompletion(application_id=application_id, outcome=record.outcome, ended_on=record.ended_on,
                                       note=record.note.strip(), recorded_by_id=officer.id)
    session.add(completion)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(COMPLETION_RECORDED) from None
    audit.record(session, actor_id=officer.id, action="traineeship.completion", object_type="application",
                 object_id=application_id, subject_user_id=placement.graduate.id, detail={"outcome": record.outcome})
    notifications.notify(session, settings=settings, user=placement.graduate, kind="traineeship",
                         title="Your traineeship at %(organization)s is recorded as %(status)s",
                         params={"organization": placement.organization.name, "status": record.outcome},
                         link="/me/applications")
    session.commit()
    return completion
