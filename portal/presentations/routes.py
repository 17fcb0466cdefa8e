"""Presentation pages: scheduling, review, registration, and the live page with its WebSocket."""
from typing import Annotated

from fastapi import APIRouter, Query, Request, WebSocket
from sqlmodel import select

from portal import realtime
from portal.deps import (
    CurrentUser,
    EmployerUser,
    GraduateUser,
    OfficerUser,
    OptionalUser,
    SessionDep,
    SettingsDep,
)
from portal.employers import service as employers
from portal.forms import FormData, FormPage, submit
from portal.positions.models import Position, PositionStatus
from portal.presentations import service
from portal.presentations.schemas import Decision, PresentationCreate
from portal.web import redirect, render

router = APIRouter(tags=["pages: presentations"], include_in_schema=False)
# What each side may send on the live socket; viewers talk only to the presenter.
PRESENTER_SIGNALS = frozenset({"live", "ended", "offer", "candidate"})
VIEWER_SIGNALS = frozenset({"join", "answer", "candidate", "bye"})


@router.get("/presentations")
def presentation_list(request: Request, user: OptionalUser, session: SessionDep,
                      q: Annotated[str | None, Query(max_length=100)] = None):
    return render(request, "presentations/list.html", {"views": service.upcoming(session, q=q), "q": q or ""},
                  block="results")


@router.get("/presentations/{presentation_id}")
def presentation_detail(request: Request, presentation_id: int, user: OptionalUser, session: SessionDep):
    view = service.get(session, user=user, presentation_id=presentation_id)
    own = employers.is_recruiter_of(session, user, view.presentation.organization_id)
    return render(request, "presentations/detail.html", {
        "view": view, "registration": service.registration_of(session, user=user, presentation_id=presentation_id),
        "registered": service.registered_count(session, presentation_id=presentation_id),
        "attendance": service.attendance(session, user=user, presentation_id=presentation_id) if own else None,
    })


@router.post("/presentations/{presentation_id}/register")
def register(request: Request, presentation_id: int, user: GraduateUser, session: SessionDep, settings: SettingsDep):
    service.register(session, settings=settings, user=user, presentation_id=presentation_id)
    return redirect(request, f"/presentations/{presentation_id}")


def _own_positions(session, user) -> list[Position]:
    organization = employers.organization_of(session, user)
    return list(session.exec(select(Position).where(Position.organization_id == organization.id,
                                                    Position.status == PositionStatus.published)))


def _employer_page(session, user) -> FormPage:
    """The employer's presentations, with the form scheduling one."""
    return FormPage("presentations/employer_list.html", context=lambda errors: {
        "views": service.list_for_employer(session, user=user), "positions": _own_positions(session, user)})


@router.get("/employer/presentations")
def employer_presentations(request: Request, user: EmployerUser, session: SessionDep):
    return _employer_page(session, user).show(request)


@router.post("/employer/presentations")
def schedule(request: Request, user: EmployerUser, session: SessionDep, data: FormData):
    return submit(request, session, PresentationCreate, data,
                  lambda create: service.schedule(session, user=user, create=create),
                  done=lambda p: redirect(request, f"/presentations/{p.id}"), again=_employer_page(session, user))


@router.post("/employer/presentations/{presentation_id}/cancel")
def cancel(request: Request, presentation_id: int, user: EmployerUser, session: SessionDep, settings: SettingsDep):
    service.cancel(session, settings=settings, user=user, presentation_id=presentation_id)
    return redirect(request, f"/presentations/{presentation_id}")


def _review_page(session, user) -> FormPage:
    """The presentations waiting for an officer's decision, each with its decision form."""
    return FormPage("presentations/review.html",
                    context=lambda errors: {"views": service.review_queue(session, officer=user)})


@router.get("/officer/presentations")
def review_queue(request: Request, user: OfficerUser, session: SessionDep):
    return _review_page(session, user).show(request)


@router.post("/officer/presentations/{presentation_id}/decision")
def decide(request: Request, presentation_id: int, user: OfficerUser, session: SessionDep, settings: SettingsDep,
           data: FormData):
    return submit(request, session, Decision, data,
                  lambda d: service.decide(session, settings=settings, officer=user, presentation_id=presentation_id,
                                           approve=d.approve, note=d.note),
                  done=lambda p: redirect(request, "/officer/presentations"), again=_review_page(session, user))


@router.get("/presentations/{presentation_id}/live")
def live(request: Request, presentation_id: int, user: CurrentUser, session: SessionDep):
    view, presenting = service.enter(session, user=user, presentation_id=presentation_id)
    return render(request, "presentations/live.html", {
        "view": view, "presenting": presenting, "questions": service.questions(session, presentation_id=presentation_id),
    })


def question_message(question) -> dict:
    """A question as every viewer sees it: without its author."""
    return {"type": "question", "id": question.id, "body": question.body, "answer": question.answer,
            "pinned": question.pinned}


@realtime.websocket_route(router, "/presentations/{presentation_id:int}/ws")
async def live_socket(websocket: WebSocket):
    presentation_id = websocket.path_params["presentation_id"]
    admitted = await realtime.admit(websocket, service.enter, presentation_id=presentation_id)
    if admitted is None:
        return
    user, (view, presenting) = admitted
    if not presenting:
        await realtime.in_thread(websocket, service.record_attendance, user=user, presentation_id=presentation_id)
    channel = f"presentation:{presentation_id}"
    presenter_id = view.presentation.presenter_id
    broker = realtime.broker_of(websocket.app)

    async def on_message(message: dict) -> None:
        kind = message["type"]
        if presenting and kind in PRESENTER_SIGNALS:
            await broker.publish(channel, {**message, "from": user.id})
        elif not presenting and kind in VIEWER_SIGNALS:
            await broker.publish(channel, {**message, "from": user.id, "to": presenter_id})
        elif not presenting and kind == "ask":
            question = await realtime.in_thread(websocket, service.ask, user=user, presentation_id=presentation_id,
                                                body=str(message.get("body", "")))
            await broker.publish(channel, question_message(question))
        elif presenting and kind in ("reply", "pin") and isinstance(message.get("id"), int):
            arguments = {"user": user, "presentation_id": presentation_id, "question_id": message["id"]}
            if kind == "reply":
                question = await realtime.in_thread(websocket, service.answer, text=str(message.get("answer", "")),
                                                    **arguments)
            else:
                question = await realtime.in_thread(websocket, service.pin, pinned=bool(message.get("pinned")),
                                                    **arguments)
            await broker.publish(channel, question_message(question))

    await realtime.relay(websocket, channel=channel, user=user, on_message=on_message)
