"""Career guidance pages: free slots and booking (graduates), the adviser's slots, appointments, notes and follow-up
actions, the officers' counsellors, and the video room."""
from typing import Annotated

from fastapi import APIRouter, Query, Request, WebSocket

from portal import realtime
from portal.accounts.models import Role, User
from portal.deps import (
    CurrentUser,
    GraduateUser,
    IdPath,
    OfficerUser,
    OptionalUser,
    SessionDep,
    SettingsDep,
    require_role,
)
from portal.fairs import service as fairs
from portal.fairs.models import FairKind
from portal.forms import FormData, FormPage, require, submit
from portal.guidance import service
from portal.guidance.models import GuidanceMode
from portal.guidance.schemas import (
    ActionCreate,
    Booking,
    Cancellation,
    CounsellorInvite,
    NotesUpdate,
    Outcome,
    Reschedule,
    SlotsCreate,
)
from portal.web import redirect, render

router = APIRouter(tags=["pages: guidance"], include_in_schema=False)

AdviserUser = Annotated[User, require_role(Role.officer, Role.admin, Role.counsellor)]
ADVISER_HOME = "/guidance/adviser"


# ---------------------------------------------------------------- graduates


@router.get("/guidance")
def slots_page(request: Request, user: OptionalUser, session: SessionDep,
               mode: Annotated[GuidanceMode | None, Query()] = None,
               page: Annotated[int, Query(ge=1, le=100_000)] = 1):
    results = service.open_slots(session, mode=mode, page=page)
    events = fairs.upcoming(session, kinds=(FairKind.group_guidance, FairKind.service_day))
    return render(request, "guidance/slots.html", {"results": results, "mode": mode or "", "modes": list(GuidanceMode),
                                                   "events": events}, block="results")


def _booking_page(session, slot_id: int) -> FormPage:
    return FormPage("guidance/book.html", context=lambda errors: {"view": service.slot_for_booking(session, slot_id=slot_id)})


@router.get("/guidance/slots/{slot_id}")
def booking_page(request: Request, slot_id: IdPath, user: OptionalUser, session: SessionDep):
    return _booking_page(session, slot_id).show(request)


@router.post("/guidance/slots/{slot_id}/book")
def book(request: Request, slot_id: IdPath, user: GraduateUser, session: SessionDep, settings: SettingsDep,
         data: FormData):
    return submit(request, session, Booking, data,
                  lambda booking: service.book(session, settings=settings, graduate=user, slot_id=slot_id,
                                               topic=booking.topic),
                  done=lambda appointment: redirect(request, f"/me/guidance/{appointment.id}"),
                  again=_booking_page(session, slot_id))


@router.get("/me/guidance")
def my_guidance(request: Request, user: GraduateUser, session: SessionDep):
    return render(request, "guidance/mine.html", {"views": service.my_appointments(session, graduate=user)})


def _appointment_page(session, user: User, appointment_id: int) -> FormPage:
    def context(errors):
        view = service.own_appointment(session, graduate=user, appointment_id=appointment_id)
        return {"view": view, "alternatives": service.open_slots(session, adviser_id=view.slot.adviser.id).items}

    return FormPage("guidance/appointment.html", context=context)


@router.get("/me/guidance/{appointment_id}")
def my_appointment(request: Request, appointment_id: IdPath, user: GraduateUser, session: SessionDep):
    return _appointment_page(session, user, appointment_id).show(request)


@router.post("/me/guidance/{appointment_id}/reschedule")
def reschedule(request: Request, appointment_id: IdPath, user: GraduateUser, session: SessionDep,
               settings: SettingsDep, data: FormData):
    return submit(request, session, Reschedule, data,
                  lambda moved: service.reschedule(session, settings=settings, graduate=user,
                                                   appointment_id=appointment_id, slot_id=moved.slot_id),
                  done=lambda appointment: redirect(request, f"/me/guidance/{appointment.id}"),
                  again=_appointment_page(session, user, appointment_id))


@router.post("/me/guidance/{appointment_id}/cancel")
def cancel_mine(request: Request, appointment_id: IdPath, user: GraduateUser, session: SessionDep,
                settings: SettingsDep, data: FormData):
    return submit(request, session, Cancellation, data,
                  lambda c: service.cancel(session, settings=settings, user=user, appointment_id=appointment_id,
                                           reason=c.reason),
                  done=lambda appointment: redirect(request, f"/me/guidance/{appointment.id}"),
                  again=_appointment_page(session, user, appointment_id))


@router.post("/me/guidance/actions/{action_id}/done")
def action_done(request: Request, action_id: IdPath, user: GraduateUser, session: SessionDep):
    action = service.mark_action_done(session, graduate=user, action_id=action_id)
    return redirect(request, f"/me/guidance/{action.appointment_id}")


# ---------------------------------------------------------------- advisers


def _adviser_home(session, user: User) -> FormPage:
    return FormPage("guidance/adviser.html", context=lambda errors: {
        "slots": service.adviser_slots(session, adviser=user),
        "appointments": service.adviser_appointments(session, adviser=user), "modes": list(GuidanceMode)})


@router.get(ADVISER_HOME)
def adviser_home(request: Request, user: AdviserUser, session: SessionDep):
    return _adviser_home(session, user).again(request, {}, {"mode": "in_person", "duration_minutes": 45, "count": 1},
                                              status_code=200)


@router.post("/guidance/adviser/slots")
def publish_slots(request: Request, user: AdviserUser, session: SessionDep, data: FormData):
    return submit(request, session, SlotsCreate, data,
                  lambda slots: service.publish_slots(session, adviser=user, slots=slots),
                  done=lambda slots: redirect(request, ADVISER_HOME), again=_adviser_home(session, user))


@router.post("/guidance/adviser/slots/{slot_id}/withdraw")
def withdraw_slot(request: Request, slot_id: IdPath, user: AdviserUser, session: SessionDep):
    service.withdraw_slot(session, adviser=user, slot_id=slot_id)
    return redirect(request, ADVISER_HOME)


def _adviser_appointment(session, user: User, appointment_id: int) -> FormPage:
    return FormPage("guidance/adviser_appointment.html", context=lambda errors: {
        "view": service.for_adviser(session, adviser=user, appointment_id=appointment_id)})


@router.get("/guidance/adviser/appointments/{appointment_id}")
def adviser_appointment(request: Request, appointment_id: IdPath, user: AdviserUser, session: SessionDep):
    return _adviser_appointment(session, user, appointment_id).show(request)


def _adviser_change(request: Request, session, user: User, appointment_id: int, schema, data: dict, action):
    return submit(request, session, schema, data, action,
                  done=lambda result: redirect(request, f"/guidance/adviser/appointments/{appointment_id}"),
                  again=_adviser_appointment(session, user, appointment_id))


@router.post("/guidance/adviser/appointments/{appointment_id}/notes")
def save_notes(request: Request, appointment_id: IdPath, user: AdviserUser, session: SessionDep, data: FormData):
    return _adviser_change(request, session, user, appointment_id, NotesUpdate, data, lambda n: service.save_notes(
        session, adviser=user, appointment_id=appointment_id, notes=n.private_notes))


@router.post("/guidance/adviser/appointments/{appointment_id}/actions")
def add_action(request: Request, appointment_id: IdPath, user: AdviserUser, session: SessionDep,
               settings: SettingsDep, data: FormData):
    return _adviser_change(request, session, user, appointment_id, ActionCreate, data, lambda a: service.add_action(
        session, settings=settings, adviser=user, appointment_id=appointment_id, description=a.description,
        due_on=a.due_on))


@router.post("/guidance/adviser/appointments/{appointment_id}/outcome")
def record_outcome(request: Request, appointment_id: IdPath, user: AdviserUser, session: SessionDep, data: FormData):
    outcome = require(Outcome, data)
    service.record_outcome(session, adviser=user, appointment_id=appointment_id, attended=outcome.attended)
    return redirect(request, f"/guidance/adviser/appointments/{appointment_id}")


@router.post("/guidance/adviser/appointments/{appointment_id}/cancel")
def cancel_as_adviser(request: Request, appointment_id: IdPath, user: AdviserUser, session: SessionDep,
                      settings: SettingsDep, data: FormData):
    return _adviser_change(request, session, user, appointment_id, Cancellation, data, lambda c: service.cancel(
        session, settings=settings, user=user, appointment_id=appointment_id, reason=c.reason))


# ---------------------------------------------------------------- officers: counsellors


def _counsellors_page(session, user: User, link: str | None = None) -> FormPage:
    return FormPage("guidance/counsellors.html", context=lambda errors: {
        "counsellors": service.counsellors(session, officer=user), "link": link})


@router.get("/officer/guidance/counsellors")
def counsellors_page(request: Request, user: OfficerUser, session: SessionDep):
    return _counsellors_page(session, user).show(request)


@router.post("/officer/guidance/counsellors")
def invite_counsellor(request: Request, user: OfficerUser, session: SessionDep, settings: SettingsDep,
                      data: FormData):
    return submit(request, session, CounsellorInvite, data,
                  lambda invite: service.invite_counsellor(session, settings=settings, officer=user, invite=invite),
                  # The link is shown once, to pass on where no mail is configured.
                  done=lambda invited: _counsellors_page(session, user, invited[1]).show(request),
                  again=_counsellors_page(session, user))


# ---------------------------------------------------------------- the video room


@router.get("/guidance/appointments/{appointment_id}/room")
def room(request: Request, appointment_id: IdPath, user: CurrentUser, session: SessionDep):
    view = service.enter_room(session, user=user, appointment_id=appointment_id)
    return render(request, "guidance/room.html", {"view": view, "caller": user.id == view.appointment.adviser_id})


@realtime.websocket_route(router, "/guidance/appointments/{appointment_id:int}/ws")
async def room_socket(websocket: WebSocket):
    appointment_id = websocket.path_params["appointment_id"]
    admitted = await realtime.admit(websocket, service.enter_room, appointment_id=appointment_id)
    if admitted is not None:
        await realtime.video_call(websocket, channel=f"guidance:{appointment_id}", user=admitted[0])
