"""JSON API for career guidance: free slots, and the graduate's own appointments (never the adviser's notes)."""
from typing import Annotated

from fastapi import APIRouter, Query

from portal.deps import GraduateUser, IdPath, OptionalUser, SessionDep, SettingsDep
from portal.guidance import service
from portal.guidance.models import GuidanceMode
from portal.guidance.schemas import (
    ActionPublic,
    AppointmentPublic,
    Booking,
    Cancellation,
    Reschedule,
    SlotPage,
    SlotPublic,
)

router = APIRouter(prefix="/api/v1", tags=["guidance"])


def slot_public(view: service.SlotView) -> SlotPublic:
    slot = view.slot
    return SlotPublic(id=slot.id, adviser_name=view.adviser.display_name, adviser_organisation=view.organisation,
                      starts_at=slot.starts_at, duration_minutes=slot.duration_minutes, mode=slot.mode,
                      place=slot.place, note=slot.note)


def appointment_public(view: service.AppointmentView) -> AppointmentPublic:
    a = view.appointment
    return AppointmentPublic(
        id=a.id, status=a.status, topic=a.topic, slot=slot_public(view.slot), cancel_reason=a.cancel_reason,
        actions=[ActionPublic(id=x.id, description=x.description, due_on=x.due_on, done=x.done_at is not None)
                 for x in view.actions])


def _own(session, user, appointment_id: int) -> AppointmentPublic:
    return appointment_public(service.own_appointment(session, graduate=user, appointment_id=appointment_id))


@router.get("/guidance/slots", response_model=SlotPage)
def open_slots(user: OptionalUser, session: SessionDep, mode: GuidanceMode | None = None,
               page: Annotated[int, Query(ge=1, le=100_000)] = 1):
    """Free guidance times to come, soonest first."""
    result = service.open_slots(session, mode=mode, page=page)
    return SlotPage(items=[slot_public(v) for v in result.items], total=result.total, page=result.page,
                    pages=result.pages)


@router.post("/guidance/slots/{slot_id}/book", response_model=AppointmentPublic, status_code=201)
def book(slot_id: IdPath, booking: Booking, user: GraduateUser, session: SessionDep, settings: SettingsDep):
    """Books a free slot; 409 when someone took it first."""
    appointment = service.book(session, settings=settings, graduate=user, slot_id=slot_id, topic=booking.topic)
    return _own(session, user, appointment.id)


@router.get("/me/guidance", response_model=list[AppointmentPublic])
def my_appointments(user: GraduateUser, session: SessionDep):
    return [appointment_public(view) for view in service.my_appointments(session, graduate=user)]


@router.post("/me/guidance/{appointment_id}/reschedule", response_model=AppointmentPublic)
def reschedule(appointment_id: IdPath, body: Reschedule, user: GraduateUser, session: SessionDep,
               settings: SettingsDep):
    service.reschedule(session, settings=settings, graduate=user, appointment_id=appointment_id, slot_id=body.slot_id)
    return _own(session, user, appointment_id)


@router.post("/me/guidance/{appointment_id}/cancel", response_model=AppointmentPublic)
def cancel(appointment_id: IdPath, body: Cancellation, user: GraduateUser, session: SessionDep, settings: SettingsDep):
    service.cancel(session, settings=settings, user=user, appointment_id=appointment_id, reason=body.reason)
    return _own(session, user, appointment_id)
