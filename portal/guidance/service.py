"""Career guidance: advisers (officers, and the career counsellors officers invite) publish slots, graduates book one
to one guidance in person or by video, cancel or move it; the adviser keeps private notes and agrees follow-up
actions, which reach the graduate's support plan when the graduate is in the ledger.

Who sees what: an appointment is its graduate's and its adviser's alone (anyone else: NotFound); the private notes
are the adviser's alone. A slot is taken by one conditional UPDATE, so it is never booked twice.
"""
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, or_, select

from portal.accounts import service as accounts
from portal.accounts.models import GraduateProfile, Role, User
from portal.audit import service as audit
from portal.clock import today, utcnow
from portal.errors import Conflict, Invalid, NotFound
from portal.guidance.models import (
    AppointmentStatus,
    Counsellor,
    GuidanceAction,
    GuidanceAppointment,
    GuidanceMode,
    GuidanceSlot,
)
from portal.guidance.schemas import CounsellorInvite, SlotsCreate
from portal.interviews.service import ROOM_OPENS_BEFORE, ROOM_STAYS_OPEN_AFTER
from portal.ledger import service as ledger
from portal.localtime import format_datetime
from portal.notifications import service as notifications
from portal.pagination import Page, paginate
from portal.scope import scope_of
from portal.settings import Settings

ADVISER_ROLES = (Role.officer, Role.admin, Role.counsellor)
NOT_FOUND = "We could not find that appointment."
PER_PAGE = 20


def is_adviser(user: User | None) -> bool:
    return user is not None and user.role in ADVISER_ROLES


def _require_adviser(user: User) -> None:
    if not is_adviser(user):
        raise NotFound("This page is for career advisers.")


# ---------------------------------------------------------------- counsellors (invited by officers)


def invite_counsellor(session: Session, *, settings: Settings, officer: User, invite: CounsellorInvite
                      ) -> tuple[Counsellor, str | None]:
    """An invited account for a career counsellor, answered for by the inviting officer; (the counsellor, the link
    that sets their password, None for someone already a counsellor)."""
    user, link = accounts.invite_account(session, settings=settings, inviter=officer, email=invite.email,
                                         display_name=invite.display_name, role=Role.counsellor)
    counsellor = session.get(Counsellor, user.id)
    if counsellor is not None:
        raise Conflict("This counsellor is already invited.", field="email")
    counsellor = Counsellor(user_id=user.id, organisation=invite.organisation, specialties=invite.specialties,
                            invited_by_id=officer.id)
    session.add(counsellor)
    audit.record(session, actor_id=officer.id, action="guidance.counsellor.invite", object_type="user",
                 object_id=user.id, detail={"organisation": invite.organisation})
    session.commit()
    return counsellor, link


def counsellors(session: Session, *, officer: User) -> list[tuple[Counsellor, User]]:
    """The counsellors this officer invited (an administrator: all)."""
    statement = select(Counsellor, User).join(User, User.id == Counsellor.user_id)
    if officer.role != Role.admin:
        statement = statement.where(Counsellor.invited_by_id == officer.id)
    return list(session.exec(statement.order_by(Counsellor.created_at.desc())).all())


def organisation_of(session: Session, adviser: User) -> str:
    counsellor = session.get(Counsellor, adviser.id)
    return counsellor.organisation if counsellor else ""


# ---------------------------------------------------------------- slots


@dataclass
class SlotView:
    slot: GuidanceSlot
    adviser: User
    organisation: str

    @property
    def ends_at(self) -> datetime:
        return self.slot.starts_at + timedelta(minutes=self.slot.duration_minutes)


def _slot_view(session: Session, slot: GuidanceSlot) -> SlotView:
    adviser = session.get(User, slot.adviser_id)
    return SlotView(slot, adviser, organisation_of(session, adviser))


def publish_slots(session: Session, *, adviser: User, slots: SlotsCreate) -> list[GuidanceSlot]:
    """One slot or several back to back; none may overlap another of the adviser's."""
    _require_adviser(adviser)
    if slots.starts_at <= utcnow():
        raise Invalid("Choose a time in the future.", field="starts_at")
    length = timedelta(minutes=slots.duration_minutes)
    starts = [slots.starts_at + n * length for n in range(slots.count)]
    if _clashing_slot(session, adviser.id, starts[0], starts[-1] + length) is not None:
        raise Conflict("You already offer a slot at that time.", field="starts_at")
    rows = [GuidanceSlot(adviser_id=adviser.id, starts_at=start, duration_minutes=slots.duration_minutes,
                         mode=slots.mode, place=slots.place or None if slots.mode == GuidanceMode.in_person else None,
                         note=slots.note) for start in starts]
    session.add_all(rows)
    session.flush()
    audit.record(session, actor_id=adviser.id, action="guidance.slots.publish", object_type="guidance_slot",
                 object_id=rows[0].id, detail={"count": len(rows)})
    session.commit()
    return rows


def _clashing_slot(session: Session, adviser_id: int, starts_at: datetime, ends_at: datetime) -> GuidanceSlot | None:
    candidates = session.exec(select(GuidanceSlot).where(
        GuidanceSlot.adviser_id == adviser_id, GuidanceSlot.withdrawn_at.is_(None),
        GuidanceSlot.starts_at < ends_at, GuidanceSlot.starts_at > starts_at - timedelta(hours=3))).all()
    return next((s for s in candidates if s.starts_at + timedelta(minutes=s.duration_minutes) > starts_at), None)


def withdraw_slot(session: Session, *, adviser: User, slot_id: int) -> GuidanceSlot:
    """Takes back a free slot (a booked one is cancelled through its appointment, so the graduate hears why)."""
    slot = session.get(GuidanceSlot, slot_id)
    if slot is None or slot.adviser_id != adviser.id:
        raise NotFound("We could not find that slot.")
    withdrawn = session.execute(update(GuidanceSlot).where(
        GuidanceSlot.id == slot.id, GuidanceSlot.graduate_id.is_(None), GuidanceSlot.withdrawn_at.is_(None)
    ).values(withdrawn_at=utcnow())).rowcount
    if not withdrawn:
        raise Conflict("This slot is booked: cancel the appointment instead.")
    audit.record(session, actor_id=adviser.id, action="guidance.slot.withdraw", object_type="guidance_slot",
                 object_id=slot.id)
    session.commit()
    session.refresh(slot)
    return slot


def slot_for_booking(session: Session, *, slot_id: int) -> SlotView:
    """A slot as the booking page shows it (taken or past ones too, to say so); a withdrawn one is gone."""
    slot = session.get(GuidanceSlot, slot_id)
    if slot is None or slot.withdrawn_at is not None:
        raise NotFound("We could not find that slot.")
    return _slot_view(session, slot)


def _free_slots():
    return select(GuidanceSlot).where(GuidanceSlot.graduate_id.is_(None), GuidanceSlot.withdrawn_at.is_(None),
                                      GuidanceSlot.starts_at > utcnow())


def open_slots(session: Session, *, mode: str | None = None, adviser_id: int | None = None, page: int = 1) -> Page:
    """Free slots to come, soonest first, as SlotViews."""
    statement = _free_slots()
    if mode:
        statement = statement.where(GuidanceSlot.mode == mode)
    if adviser_id:
        statement = statement.where(GuidanceSlot.adviser_id == adviser_id)
    result = paginate(session, statement, page=page, per_page=PER_PAGE, order=(GuidanceSlot.starts_at, GuidanceSlot.id))
    result.items = [_slot_view(session, slot) for slot in result.items]
    return result


def adviser_slots(session: Session, *, adviser: User) -> list[SlotView]:
    """The adviser's slots to come (free and booked), soonest first."""
    _require_adviser(adviser)
    rows = session.exec(select(GuidanceSlot).where(
        GuidanceSlot.adviser_id == adviser.id, GuidanceSlot.withdrawn_at.is_(None),
        GuidanceSlot.starts_at > utcnow() - timedelta(hours=3)).order_by(GuidanceSlot.starts_at)).all()
    return [_slot_view(session, slot) for slot in rows]


# ---------------------------------------------------------------- appointments


@dataclass
class AppointmentView:
    appointment: GuidanceAppointment
    slot: SlotView
    graduate: User
    profile: GraduateProfile | None
    actions: list[GuidanceAction] = field(default_factory=list)

    @property
    def upcoming(self) -> bool:
        return self.appointment.status == AppointmentStatus.booked and self.slot.slot.starts_at > utcnow()


def _view(session: Session, appointment: GuidanceAppointment) -> AppointmentView:
    actions = session.exec(select(GuidanceAction).where(GuidanceAction.appointment_id == appointment.id)
                           .order_by(GuidanceAction.due_on, GuidanceAction.id)).all()
    return AppointmentView(appointment, _slot_view(session, session.get(GuidanceSlot, appointment.slot_id)),
                           session.get(User, appointment.graduate_id), session.get(GraduateProfile, appointment.graduate_id),
                           list(actions))


def _bookable(session: Session, *, graduate: User, slot_id: int) -> GuidanceSlot:
    slot = session.get(GuidanceSlot, slot_id)
    if slot is None or slot.withdrawn_at is not None:
        raise NotFound("We could not find that slot.")
    if slot.starts_at <= utcnow():
        raise Conflict("This time has passed. Choose another.")
    if slot.graduate_id is not None:
        raise Conflict("This time has just been taken. Choose another.")
    ends_at = slot.starts_at + timedelta(minutes=slot.duration_minutes)
    mine = session.exec(select(GuidanceSlot).join(GuidanceAppointment, GuidanceAppointment.slot_id == GuidanceSlot.id)
                        .where(GuidanceAppointment.graduate_id == graduate.id,
                               GuidanceAppointment.status == AppointmentStatus.booked,
                               GuidanceSlot.starts_at < ends_at, GuidanceSlot.id != slot.id)).all()
    if any(s.starts_at + timedelta(minutes=s.duration_minutes) > slot.starts_at for s in mine):
        raise Conflict("You already have guidance booked at that time.")
    return slot


def _take(session: Session, *, graduate: User, slot: GuidanceSlot) -> None:
    """Takes the slot for the graduate, or refuses when someone took it first (the UPDATE waits for their commit
    and then finds the slot held)."""
    taken = session.execute(update(GuidanceSlot).where(
        GuidanceSlot.id == slot.id, GuidanceSlot.graduate_id.is_(None), GuidanceSlot.withdrawn_at.is_(None)
    ).values(graduate_id=graduate.id)).rowcount
    if not taken:
        raise Conflict("This time has just been taken. Choose another.")


def _release(session: Session, slot_id: int, *, withdraw: bool = False) -> None:
    values = {"graduate_id": None, **({"withdrawn_at": utcnow()} if withdraw else {})}
    session.execute(update(GuidanceSlot).where(GuidanceSlot.id == slot_id).values(**values))


def book(session: Session, *, settings: Settings, graduate: User, slot_id: int, topic: str) -> GuidanceAppointment:
    """A graduate books a free slot, saying what they would like to talk about; the adviser is told."""
    if graduate.role != Role.graduate:
        raise NotFound("Only graduates book career guidance.")
    slot = _bookable(session, graduate=graduate, slot_id=slot_id)
    _take(session, graduate=graduate, slot=slot)
    appointment = GuidanceAppointment(slot_id=slot.id, adviser_id=slot.adviser_id, graduate_id=graduate.id,
                                      topic=topic.strip())
    try:
        with session.begin_nested():
            session.add(appointment)
    except IntegrityError:
        raise Conflict("This time has just been taken. Choose another.") from None
    audit.record(session, actor_id=graduate.id, action="guidance.book", object_type="guidance_appointment",
                 object_id=appointment.id, subject_user_id=graduate.id)
    _tell(session, settings, slot.adviser_id, "Guidance booked for %(time)s by %(name)s",
          f"/guidance/adviser/appointments/{appointment.id}", time=format_datetime(slot.starts_at),
          name=graduate.display_name)
    session.commit()
    return appointment


def _tell(session: Session, settings: Settings, user_id: int, title: str, link: str, **params) -> None:
    notifications.notify(session, settings=settings, user=session.get(User, user_id), kind="guidance", title=title,
                         link=link, params=params)


def own_appointment(session: Session, *, graduate: User, appointment_id: int) -> AppointmentView:
    appointment = session.get(GuidanceAppointment, appointment_id)
    if appointment is None or appointment.graduate_id != graduate.id:
        raise NotFound(NOT_FOUND)
    return _view(session, appointment)


def _booked(view: AppointmentView) -> GuidanceAppointment:
    if view.appointment.status != AppointmentStatus.booked:
        raise Conflict("This appointment is %(status)s.", status=view.appointment.status)
    return view.appointment


def reschedule(session: Session, *, settings: Settings, graduate: User, appointment_id: int,
               slot_id: int) -> GuidanceAppointment:
    """Moves a booked appointment to another free slot of the same adviser (taken like a booking); the old one
    becomes free again."""
    view = own_appointment(session, graduate=graduate, appointment_id=appointment_id)
    appointment = _booked(view)
    if view.slot.slot.starts_at <= utcnow():
        raise Conflict("This appointment has begun.")
    slot = _bookable(session, graduate=graduate, slot_id=slot_id)
    if slot.adviser_id != appointment.adviser_id:
        raise Invalid("Choose another time of the same adviser.", field="slot_id")
    _take(session, graduate=graduate, slot=slot)
    _release(session, appointment.slot_id)
    appointment.slot_id, appointment.updated_at = slot.id, utcnow()
    session.add(appointment)
    audit.record(session, actor_id=graduate.id, action="guidance.reschedule", object_type="guidance_appointment",
                 object_id=appointment.id, subject_user_id=graduate.id, detail={"slot_id": slot.id})
    _tell(session, settings, appointment.adviser_id, "%(name)s moved their guidance to %(time)s",
          f"/guidance/adviser/appointments/{appointment.id}", time=format_datetime(slot.starts_at),
          name=graduate.display_name)
    session.commit()
    return appointment


def _participant_view(session: Session, user: User, appointment_id: int) -> AppointmentView:
    appointment = session.get(GuidanceAppointment, appointment_id)
    if appointment is None or user.id not in (appointment.graduate_id, appointment.adviser_id):
        raise NotFound(NOT_FOUND)
    return _view(session, appointment)


def cancel(session: Session, *, settings: Settings, user: User, appointment_id: int, reason: str) -> GuidanceAppointment:
    """Either person cancels, saying why; the other is told. A graduate's cancellation frees the slot for someone
    else, an adviser's withdraws it."""
    view = _participant_view(session, user, appointment_id)
    appointment = _booked(view)
    by_adviser = user.id == appointment.adviser_id
    appointment.status, appointment.cancel_reason = AppointmentStatus.cancelled, reason.strip()
    appointment.cancelled_by_id, appointment.updated_at = user.id, utcnow()
    session.add(appointment)
    _release(session, appointment.slot_id, withdraw=by_adviser)
    audit.record(session, actor_id=user.id, action="guidance.cancel", object_type="guidance_appointment",
                 object_id=appointment.id, subject_user_id=appointment.graduate_id)
    other, link = ((appointment.graduate_id, "/me/guidance") if by_adviser
                   else (appointment.adviser_id, f"/guidance/adviser/appointments/{appointment.id}"))
    _tell(session, settings, other, "Guidance on %(time)s cancelled: %(reason)s", link,
          time=format_datetime(view.slot.slot.starts_at), reason=appointment.cancel_reason)
    session.commit()
    return appointment


def my_appointments(session: Session, *, graduate: User) -> list[AppointmentView]:
    if graduate.role != Role.graduate:
        raise NotFound("Only graduates book career guidance.")
    rows = session.exec(select(GuidanceAppointment).join(GuidanceSlot, GuidanceSlot.id == GuidanceAppointment.slot_id)
                        .where(GuidanceAppointment.graduate_id == graduate.id)
                        .order_by(GuidanceSlot.starts_at.desc(), GuidanceAppointment.id.desc())).all()
    return [_view(session, row) for row in rows]


def adviser_appointments(session: Session, *, adviser: User) -> list[AppointmentView]:
    """The adviser's appointments, the booked ones to come first."""
    _require_adviser(adviser)
    rows = session.exec(select(GuidanceAppointment).join(GuidanceSlot, GuidanceSlot.id == GuidanceAppointment.slot_id)
                        .where(GuidanceAppointment.adviser_id == adviser.id)
                        .order_by((GuidanceAppointment.status == AppointmentStatus.booked).desc(),
                                  GuidanceSlot.starts_at.desc()).limit(200)).all()
    return [_view(session, row) for row in rows]


def for_adviser(session: Session, *, adviser: User, appointment_id: int) -> AppointmentView:
    """The appointment, private notes included, for its adviser alone; the read is audited."""
    appointment = session.get(GuidanceAppointment, appointment_id)
    if appointment is None or appointment.adviser_id != adviser.id:
        raise NotFound(NOT_FOUND)
    audit.record(session, actor_id=adviser.id, action="guidance.appointment.read", object_type="guidance_appointment",
                 object_id=appointment.id, subject_user_id=appointment.graduate_id)
    session.commit()
    return _view(session, appointment)


def _adviser_owned(session: Session, adviser: User, appointment_id: int) -> GuidanceAppointment:
    appointment = session.get(GuidanceAppointment, appointment_id)
    if appointment is None or appointment.adviser_id != adviser.id:
        raise NotFound(NOT_FOUND)
    return appointment


def save_notes(session: Session, *, adviser: User, appointment_id: int, notes: str) -> GuidanceAppointment:
    appointment = _adviser_owned(session, adviser, appointment_id)
    appointment.private_notes, appointment.updated_at = notes.strip() or None, utcnow()
    session.add(appointment)
    audit.record(session, actor_id=adviser.id, action="guidance.notes", object_type="guidance_appointment",
                 object_id=appointment.id, subject_user_id=appointment.graduate_id)
    session.commit()
    return appointment


def record_outcome(session: Session, *, adviser: User, appointment_id: int, attended: bool) -> GuidanceAppointment:
    """Once the time has come: the graduate came (completed) or did not (missed)."""
    appointment = _adviser_owned(session, adviser, appointment_id)
    if appointment.status != AppointmentStatus.booked:
        raise Conflict("This appointment is %(status)s.", status=appointment.status)
    if session.get(GuidanceSlot, appointment.slot_id).starts_at > utcnow():
        raise Conflict("The outcome can be recorded once the guidance has begun.")
    appointment.status = AppointmentStatus.completed if attended else AppointmentStatus.missed
    appointment.updated_at = utcnow()
    session.add(appointment)
    audit.record(session, actor_id=adviser.id, action="guidance.outcome", object_type="guidance_appointment",
                 object_id=appointment.id, subject_user_id=appointment.graduate_id, detail={"attended": attended})
    session.commit()
    return appointment


def add_action(session: Session, *, settings: Settings, adviser: User, appointment_id: int, description: str,
               due_on) -> GuidanceAction:
    """A follow-up action the graduate will see; when the graduate is in the ledger it becomes a guidance measure
    of their support plan (through an officer who covers them: the adviser, the counsellor's officer, or the
    case's own)."""
    appointment = _adviser_owned(session, adviser, appointment_id)
    if appointment.status == AppointmentStatus.cancelled:
        raise Conflict("This appointment is %(status)s.", status=appointment.status)
    if due_on < today():
        raise Invalid("Choose a date from today on.", field="due_on")
    action = GuidanceAction(appointment_id=appointment.id, graduate_id=appointment.graduate_id,
                            description=description.strip(), due_on=due_on, created_by_id=adviser.id)
    session.add(action)
    session.flush()
    audit.record(session, actor_id=adviser.id, action="guidance.action.add", object_type="guidance_action",
                 object_id=action.id, subject_user_id=appointment.graduate_id)
    _tell(session, settings, appointment.graduate_id, "Your adviser added a follow-up action: %(action)s",
          "/me/guidance", action=action.description)
    session.commit()
    measure_id = _to_support_plan(session, adviser=adviser, action=action)
    if measure_id is not None:
        action.ledger_measure_id = measure_id
        session.add(action)
        session.commit()
    return action


def _to_support_plan(session: Session, *, adviser: User, action: GuidanceAction) -> int | None:
    case = ledger.case_of_graduate(session, action.graduate_id)
    if case is None or case.status != "active":
        return None
    officer = _plan_officer(session, adviser, case)
    if officer is None:
        return None
    # Only the adviser may open the appointment (its notes are private), so only their own measure links to it.
    link = f"/guidance/adviser/appointments/{action.appointment_id}" if officer.id == adviser.id else None
    measure = ledger.add_measure(session, officer=officer, case_id=case.id, kind="guidance_session",
                                 description=f"{action.description}（{adviser.display_name}）",
                                 target_date=action.due_on, link=link)
    return measure.id


def _plan_officer(session: Session, adviser: User, case) -> User | None:
    """An officer who covers the graduate and answers for this adviser's work: the adviser, the officer who invited
    the counsellor, or the officer responsible for the case."""
    counsellor = session.get(Counsellor, adviser.id)
    candidates = [adviser, session.get(User, counsellor.invited_by_id) if counsellor else None,
                  session.get(User, case.officer_id) if case.officer_id else None]
    profile = session.get(GraduateProfile, case.graduate_id)
    return next((c for c in candidates if c is not None and c.role in (Role.officer, Role.admin)
                 and scope_of(session, c).covers_graduate(profile)), None)


def mark_action_done(session: Session, *, graduate: User, action_id: int) -> GuidanceAction:
    action = session.get(GuidanceAction, action_id)
    if action is None or action.graduate_id != graduate.id:
        raise NotFound("We could not find that action.")
    action.done_at = action.done_at or utcnow()
    session.add(action)
    audit.record(session, actor_id=graduate.id, action="guidance.action.done", object_type="guidance_action",
                 object_id=action.id, subject_user_id=graduate.id)
    session.commit()
    return action


# ---------------------------------------------------------------- the video room


def enter_room(session: Session, *, user: User, appointment_id: int) -> AppointmentView:
    """The video appointment whose room this user may enter now: its graduate or adviser, around its time."""
    view = _participant_view(session, user, appointment_id)
    _booked(view)
    slot = view.slot
    if slot.slot.mode != GuidanceMode.video:
        raise Conflict("This guidance takes place in person.")
    now = utcnow()
    if now < slot.slot.starts_at - ROOM_OPENS_BEFORE:
        raise Conflict("The room opens 15 minutes before the guidance.")
    if now > slot.ends_at + ROOM_STAYS_OPEN_AFTER:
        raise Conflict("This guidance is over.")
    return view


def upcoming_for(session: Session, *, user: User) -> list[AppointmentView]:
    """Booked appointments to come, for either person (the officer home and the graduate's page show these)."""
    rows = session.exec(select(GuidanceAppointment).join(GuidanceSlot, GuidanceSlot.id == GuidanceAppointment.slot_id)
                        .where(or_(GuidanceAppointment.graduate_id == user.id, GuidanceAppointment.adviser_id == user.id),
                               GuidanceAppointment.status == AppointmentStatus.booked,
                               GuidanceSlot.starts_at > utcnow() - timedelta(hours=1))
                        .order_by(GuidanceSlot.starts_at)).all()
    return [_view(session, row) for row in rows]
