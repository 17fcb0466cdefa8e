"""Personnel file (档案) and household registration (户籍) transfers, processed step by step by the school's officer."""
from sqlmodel import Session, select

from portal.accounts.models import GraduateProfile, Role, User
from portal.clock import utcnow
from portal.destinations.models import TRANSFER_FLOW, TransferRequest, TransferStatus, TransferStep
from portal.destinations.schemas import TransferAdvance, TransferCreate
from portal.errors import Conflict, Forbidden, Invalid, NotFound
from portal.notifications.service import notify
from portal.scope import scope_of
from portal.settings import Settings

_OPEN = (TransferStatus.requested, TransferStatus.received, TransferStatus.sent)


def request_transfer(session: Session, *, graduate: User, data: TransferCreate) -> TransferRequest:
    if graduate.role != Role.graduate:
        raise Forbidden("Only graduates request transfers of their own file.")
    profile = session.get(GraduateProfile, graduate.id)
    if profile is None:
        raise Conflict("Complete your profile first.")
    open_one = session.exec(select(TransferRequest).where(
        TransferRequest.graduate_id == graduate.id, TransferRequest.kind == data.kind, TransferRequest.status.in_(_OPEN)
    )).first()
    if open_one is not None:
        raise Conflict("You already have a transfer of this kind in progress.")
    request = TransferRequest(graduate_id=graduate.id, school=profile.school, kind=data.kind, target=data.target,
                              receiving_unit=data.receiving_unit.strip(), receiving_address=data.receiving_address.strip())
    session.add(request)
    session.flush()
    session.add(TransferStep(request_id=request.id, status=TransferStatus.requested, actor_id=graduate.id))
    session.commit()
    return request


def steps(session: Session, request_ids: list[int]) -> dict[int, list[TransferStep]]:
    result: dict[int, list[TransferStep]] = {i: [] for i in request_ids}
    if request_ids:
        for step in session.exec(select(TransferStep).where(TransferStep.request_id.in_(request_ids)).order_by(TransferStep.id)):
            result[step.request_id].append(step)
    return result


def for_graduate(session: Session, *, graduate: User) -> list[TransferRequest]:
    return list(session.exec(
        select(TransferRequest).where(TransferRequest.graduate_id == graduate.id).order_by(TransferRequest.id.desc())
    ))


def for_officer(session: Session, *, officer: User, status: str | None = None) -> list[tuple[TransferRequest, User]]:
    query = (
        select(TransferRequest, User)
        .join(User, User.id == TransferRequest.graduate_id)
        .join(GraduateProfile, GraduateProfile.user_id == TransferRequest.graduate_id)
    )
    query = query.where(scope_of(session, officer).graduates())
    if status:
        query = query.where(TransferRequest.status == status)
    return list(session.exec(query.order_by(TransferRequest.updated_at.desc()).limit(500)))


_NOTICES = {
    TransferStatus.received: "The school has received your transfer request.",
    TransferStatus.sent: "Your file has been sent (tracking number %(tracking)s).",
    TransferStatus.arrived: "Your file has arrived at its destination.",
    TransferStatus.rejected: "Your transfer request was not accepted: %(note)s",
}


def advance(
    session: Session, *, settings: Settings, officer: User, request_id: int, data: TransferAdvance
) -> TransferRequest:
    request = session.get(TransferRequest, request_id)
    if request is None or not scope_of(session, officer).covers_graduate(session.get(GraduateProfile, request.graduate_id)):
        raise NotFound("We could not find that transfer.")
    tracking = data.tracking_number.strip()
    if data.status == TransferStatus.sent and not tracking:
        raise Invalid("Enter the tracking number of the confidential post.", field="tracking_number")
    return _step(session, settings, request, TransferStatus(data.status), actor=officer, note=data.note.strip(),
                 tracking=tracking)


def record_arrival(session: Session, *, settings: Settings, receiver: User, request_id: int,
                   note: str = "") -> TransferRequest:
    """The receiving unit confirms that the posted file arrived. The caller has checked that `receiver` speaks for
    the unit the transfer names (a talent service agency's officer, say)."""
    request = session.get(TransferRequest, request_id)
    if request is None:
        raise NotFound("We could not find that transfer.")
    return _step(session, settings, request, TransferStatus.arrived, actor=receiver, note=note.strip())


def _step(session: Session, settings: Settings, request: TransferRequest, status: TransferStatus, *, actor: User,
          note: str, tracking: str = "") -> TransferRequest:
    if status not in TRANSFER_FLOW.get(TransferStatus(request.status), ()):
        raise Conflict("That step does not follow the transfer's current step.")
    request.status = status
    request.tracking_number = tracking or request.tracking_number
    request.updated_at = utcnow()
    session.add(request)
    session.add(TransferStep(request_id=request.id, status=status, note=note or None, tracking_number=tracking or None,
                             actor_id=actor.id))
    notify(session, settings=settings, user=session.get(User, request.graduate_id), kind="transfer",
           title=_NOTICES[status], link="/me/transfers", params={"tracking": tracking, "note": note or "—"})
    session.commit()
    return request
