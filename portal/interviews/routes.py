"""Interview pages: proposing times from an application, choosing one, the room, the calendar file."""
from fastapi import APIRouter, Request, WebSocket
from fastapi.responses import Response

from portal import realtime
from portal.applications import service as applications
from portal.deps import CurrentUser, EmployerUser, SessionDep, SettingsDep
from portal.forms import FormData, FormPage, submit
from portal.interviews import service
from portal.interviews.schemas import (
    Cancellation,
    OutcomeRecord,
    SlotChoice,
    SlotProposal,
)
from portal.web import absolute_url, redirect, render

router = APIRouter(tags=["pages: interviews"], include_in_schema=False)


def proposal_values(data: dict) -> dict:
    """The form's time fields (slots[]) as a list without the blanks left over."""
    slots = data.get("slots", [])
    slots = [slots] if isinstance(slots, str) else slots
    return {**data, "slots": [slot for slot in slots if slot.strip()]}


@router.get("/interviews")
def interview_list(request: Request, user: CurrentUser, session: SessionDep):
    return render(request, "interviews/list.html", {"views": service.list_for(session, user=user)})


def _propose_page(application) -> FormPage:
    """The form proposing interview times for an application (the recruiter's view of it)."""
    return FormPage("interviews/propose.html", context=lambda errors: {"application": application})


@router.get("/employer/applications/{application_id}/interviews/new")
def propose_page(request: Request, application_id: int, user: EmployerUser, session: SessionDep):
    view = applications.get_for_recruiter(session, user=user, application_id=application_id)
    return _propose_page(view).show(request)


@router.post("/employer/applications/{application_id}/interviews")
def propose(request: Request, application_id: int, user: EmployerUser, session: SessionDep, settings: SettingsDep,
            data: FormData):
    view = applications.get_for_recruiter(session, user=user, application_id=application_id)
    return submit(
        request, session, SlotProposal, proposal_values(data),
        lambda p: service.propose(session, settings=settings, user=user, application_id=application_id,
                                  slots=p.slots, duration_minutes=p.duration_minutes, note=p.note),
        done=lambda interview: redirect(request, f"/interviews/{interview.id}"),
        again=_propose_page(view),
    )


def detail_page(session, user, interview_id: int) -> FormPage:
    return FormPage("interviews/detail.html",
                    context=lambda errors: {"view": service.get(session, user=user, interview_id=interview_id)})


@router.get("/interviews/{interview_id}")
def interview_detail(request: Request, interview_id: int, user: CurrentUser, session: SessionDep):
    return detail_page(session, user, interview_id).show(request)


def change(request: Request, session, user, interview_id: int, schema, data: dict, action):
    """A form on the interview page: the interview again on success, or the page with the errors."""
    return submit(request, session, schema, data, action, again=detail_page(session, user, interview_id),
                  done=lambda interview: redirect(request, f"/interviews/{interview.id}"))


@router.post("/interviews/{interview_id}/choose")
def choose(request: Request, interview_id: int, user: CurrentUser, session: SessionDep, settings: SettingsDep,
           data: FormData):
    return change(request, session, user, interview_id, SlotChoice, data, lambda c: service.choose(
        session, settings=settings, user=user, interview_id=interview_id, slot_id=c.slot_id))


@router.post("/interviews/{interview_id}/reschedule")
def reschedule(request: Request, interview_id: int, user: EmployerUser, session: SessionDep, settings: SettingsDep,
               data: FormData):
    return change(request, session, user, interview_id, SlotProposal, proposal_values(data),
                  lambda p: service.reschedule(session, settings=settings, user=user, interview_id=interview_id,
                                               slots=p.slots, duration_minutes=p.duration_minutes, note=p.note))


@router.post("/interviews/{interview_id}/cancel")
def cancel(request: Request, interview_id: int, user: CurrentUser, session: SessionDep, settings: SettingsDep,
           data: FormData):
    return change(request, session, user, interview_id, Cancellation, data, lambda c: service.cancel(
        session, settings=settings, user=user, interview_id=interview_id, reason=c.reason))


@router.post("/interviews/{interview_id}/outcome")
def outcome(request: Request, interview_id: int, user: EmployerUser, session: SessionDep, settings: SettingsDep,
            data: FormData):
    return change(request, session, user, interview_id, OutcomeRecord, data, lambda o: service.record_outcome(
        session, settings=settings, user=user, interview_id=interview_id, outcome=o.outcome, note=o.note))


@router.get("/interviews/{interview_id}/calendar.ics")
def calendar(interview_id: int, user: CurrentUser, session: SessionDep, settings: SettingsDep):
    text = service.calendar_file(session, user=user, interview_id=interview_id,
                                 room_url=absolute_url(settings, f"/interviews/{interview_id}/room"))
    return Response(text, media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="interview-{interview_id}.ics"'})


@router.get("/interviews/{interview_id}/room")
def room(request: Request, interview_id: int, user: CurrentUser, session: SessionDep):
    view = service.enter_room(session, user=user, interview_id=interview_id)
    return render(request, "interviews/room.html", {"view": view, "caller": user.id == view.interview.interviewer_id})


@realtime.websocket_route(router, "/interviews/{interview_id:int}/ws")
async def room_socket(websocket: WebSocket):
    interview_id = websocket.path_params["interview_id"]
    admitted = await realtime.admit(websocket, service.enter_room, interview_id=interview_id)
    if admitted is None:
        return
    user, _ = admitted
    await realtime.video_call(websocket, channel=f"interview:{interview_id}", user=user)
