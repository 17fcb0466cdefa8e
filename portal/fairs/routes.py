"""Event pages: the list and each fair, employers taking part, e-tickets with QR codes, the door scanner,
the organiser's lists and export, and the chat of online fairs."""
from io import BytesIO
from typing import Annotated

import qrcode
import qrcode.image.svg
from fastapi import APIRouter, Query, Request, WebSocket
from fastapi.responses import Response
from sqlmodel import select

from portal import realtime, xlsx
from portal.clock import today
from portal.deps import (
    EmployerUser,
    GraduateUser,
    OfficerUser,
    OptionalUser,
    SessionDep,
    SettingsDep,
)
from portal.employers import service as employers
from portal.errors import Invalid, ServiceError
from portal.fairs import service, tickets
from portal.fairs.models import FairKind
from portal.fairs.schemas import (
    CheckInCode,
    ExhibitorDecision,
    ExhibitRequest,
    FairCreate,
    SeriesCreate,
)
from portal.forms import FormData, FormPage, field_errors, parse, submit
from portal.positions.models import Position, PositionStatus
from portal.web import redirect, render

router = APIRouter(tags=["pages: fairs"], include_in_schema=False)
Search = Annotated[str | None, Query(max_length=100)]


@router.get("/fairs")
def fair_list(request: Request, user: OptionalUser, session: SessionDep, q: Search = None,
              series: Annotated[int | None, Query(ge=1)] = None):
    return render(request, "fairs/list.html", {
        "fairs": service.upcoming(session, q=q, series_id=series), "series": service.all_series(session),
        "q": q or "", "series_id": series,
    }, block="results")


def _fair_page(session, user, fair_id: int, q: str | None = None, block: str | None = None) -> FormPage:
    """A fair, its exhibitors (those matching `q`) and, for an employer, the request to exhibit; `block` for the
    exhibitor search, which HTMX asks for."""
    def context(errors) -> dict:
        fair = service.get(session, fair_id=fair_id)
        context = {"fair": fair, "q": q or "", "exhibitors": service.exhibitors(session, fair_id=fair_id, q=q),
                   "ticket": service.ticket_of(session, user=user, fair_id=fair_id), "exhibitor": None}
        if user is not None and user.role == "employer":
            organization = employers.organization_of(session, user)
            context.update(exhibitor=service.exhibitor_of(session, user=user, fair_id=fair_id),
                           organization=organization, free_booths=service.free_booths(session, fair),
                           positions=session.exec(select(Position).where(
                               Position.organization_id == organization.id,
                               Position.status == PositionStatus.published)).all())
        return context

    return FormPage("fairs/detail.html", block=block, context=context)


@router.get("/fairs/{fair_id}")
def fair_detail(request: Request, fair_id: int, user: OptionalUser, session: SessionDep, q: Search = None):
    return _fair_page(session, user, fair_id, q, block="exhibitors").show(request)


@router.post("/fairs/{fair_id}/register")
def register(request: Request, fair_id: int, user: GraduateUser, session: SessionDep, settings: SettingsDep):
    service.register(session, settings=settings, user=user, fair_id=fair_id)
    return redirect(request, f"/fairs/{fair_id}/ticket")


@router.get("/fairs/{fair_id}/ticket")
def ticket_page(request: Request, fair_id: int, user: GraduateUser, session: SessionDep):
    ticket, fair = service.own_ticket(session, user=user, fair_id=fair_id)
    return render(request, "fairs/ticket.html", {"ticket": ticket, "fair": fair})


@router.get("/fairs/{fair_id}/ticket.svg")
def ticket_qr(fair_id: int, user: GraduateUser, session: SessionDep):
    ticket, fair = service.own_ticket(session, user=user, fair_id=fair_id)
    image = qrcode.make(tickets.qr_payload(fair.id, ticket.code), image_factory=qrcode.image.svg.SvgPathImage,
                        box_size=12, border=2)
    out = BytesIO()
    image.save(out)
    return Response(out.getvalue(), media_type="image/svg+xml", headers={"Cache-Control": "private, no-store"})


@router.post("/fairs/{fair_id}/exhibit")
def request_to_exhibit(request: Request, fair_id: int, user: EmployerUser, session: SessionDep, settings: SettingsDep,
                       data: FormData):
    return submit(request, session, ExhibitRequest, data,
                  lambda r: service.request_to_exhibit(session, settings=settings, user=user, fair_id=fair_id,
                                                       request=r),
                  done=lambda e: redirect(request, f"/fairs/{fair_id}"), again=_fair_page(session, user, fair_id))


# ---------------------------------------------------------------- organisers


def _organizer_page(session, user) -> FormPage:
    """The organiser's fairs, with the forms for a new fair and a new series."""
    return FormPage("fairs/officer_list.html", context=lambda errors: {
        "fairs": service.organized_by(session, user=user), "series": service.all_series(session),
        "kinds": list(FairKind)})


@router.get("/officer/fairs")
def organizer_home(request: Request, user: OfficerUser, session: SessionDep):
    return _organizer_page(session, user).show(request)


@router.post("/officer/fairs")
def create_fair(request: Request, user: OfficerUser, session: SessionDep, data: FormData):
    return submit(request, session, FairCreate, data, lambda c: service.create_fair(session, user=user, create=c),
                  done=lambda fair: redirect(request, f"/officer/fairs/{fair.id}"),
                  again=_organizer_page(session, user))


@router.post("/officer/fair-series")
def create_series(request: Request, user: OfficerUser, session: SessionDep, data: FormData):
    return submit(request, session, SeriesCreate, data, lambda c: service.create_series(session, user=user, create=c),
                  done=lambda series: redirect(request, "/officer/fairs"),
                  again=_organizer_page(session, user))


@router.get("/officer/fairs/{fair_id}")
def organizer_fair(request: Request, fair_id: int, user: OfficerUser, session: SessionDep):
    fair = service.organizer_fair(session, user=user, fair_id=fair_id)
    people = service.registrations(session, user=user, fair_id=fair_id)
    return render(request, "fairs/officer_fair.html", {
        "fair": fair, "registrations": people, "checked_in": sum(1 for r in people if r.ticket.checked_in_at),
        "exhibitors": service.exhibitors(session, fair_id=fair_id, status=None),
    })


@router.post("/officer/fairs/{fair_id}/exhibitors/{exhibitor_id}")
def decide_exhibitor(request: Request, fair_id: int, exhibitor_id: int, user: OfficerUser, session: SessionDep,
                     settings: SettingsDep, data: FormData):
    decision, _ = parse(ExhibitorDecision, data)
    if decision is None:
        raise Invalid("Choose to approve or to reject.")
    service.decide_exhibitor(session, settings=settings, user=user, fair_id=fair_id, exhibitor_id=exhibitor_id,
                             approve=decision.approve)
    return redirect(request, f"/officer/fairs/{fair_id}")


@router.post("/officer/fairs/{fair_id}/cancel")
def cancel_fair(request: Request, fair_id: int, user: OfficerUser, session: SessionDep, settings: SettingsDep):
    service.cancel_fair(session, settings=settings, user=user, fair_id=fair_id)
    return redirect(request, f"/officer/fairs/{fair_id}")


@router.get("/officer/fairs/{fair_id}/export.xlsx")
def export(fair_id: int, user: OfficerUser, session: SessionDep):
    data = service.export(session, user=user, fair_id=fair_id)
    return xlsx.download(data, f"fair-{fair_id}-{today().isoformat()}.xlsx")


@router.get("/officer/fairs/{fair_id}/check-in")
def scanner(request: Request, fair_id: int, user: OfficerUser, session: SessionDep):
    fair = service.organizer_fair(session, user=user, fair_id=fair_id)
    return _check_in_page(fair).show(request)


def _check_in_page(fair, admitted=None, block: str | None = None) -> FormPage:
    """The door scanner, with the ticket just admitted; `block` for a scan, which answers with its result alone."""
    return FormPage("fairs/check_in.html", block=block, context=lambda errors: {"fair": fair, "admitted": admitted})


@router.post("/officer/fairs/{fair_id}/check-in")
def check_in(request: Request, fair_id: int, user: OfficerUser, session: SessionDep, settings: SettingsDep,
             data: FormData):
    fair = service.organizer_fair(session, user=user, fair_id=fair_id)
    scanned, errors = parse(CheckInCode, data)
    admitted, status_code = None, 422
    if scanned is not None:
        try:
            admitted = service.admit(session, settings=settings, user=user, fair_id=fair_id, scanned=scanned.code)
            status_code = 200
        except ServiceError as error:
            if error.status_code == 404:
                raise
            errors = field_errors(error)
            status_code = error.status_code
    # The code field starts empty again for the next ticket.
    return _check_in_page(fair, admitted, block="result").again(request, errors, {}, status_code)


# ---------------------------------------------------------------- online fairs: chat


@router.get("/fairs/{fair_id}/chat/{organization_id}")
def graduate_chat(request: Request, fair_id: int, organization_id: int, user: GraduateUser, session: SessionDep):
    return chat_page(request, session, user, fair_id, organization_id, user.id)


@router.get("/employer/fairs/{fair_id}/chats")
def employer_chats(request: Request, fair_id: int, user: EmployerUser, session: SessionDep):
    fair = service.get(session, fair_id=fair_id)
    return render(request, "fairs/conversations.html", {
        "fair": fair, "conversations": service.conversations(session, user=user, fair_id=fair_id)})


@router.get("/employer/fairs/{fair_id}/chats/{graduate_id}")
def employer_chat(request: Request, fair_id: int, graduate_id: int, user: EmployerUser, session: SessionDep):
    organization = employers.organization_of(session, user)
    return chat_page(request, session, user, fair_id, organization.id, graduate_id)


def chat_page(request: Request, session, user, fair_id: int, organization_id: int, graduate_id: int):
    messages = service.chat_messages(session, user=user, fair_id=fair_id, organization_id=organization_id,
                                     graduate_id=graduate_id)
    return render(request, "fairs/chat.html", {
        "fair": service.get(session, fair_id=fair_id), "messages": messages,
        "organization": employers.get_organization(session, organization_id),
        "socket": f"/fairs/{fair_id}/chat/{organization_id}/{graduate_id}/ws",
    })


def chat_message(message) -> dict:
    return {"type": "chat", "id": message.id, "from": message.sender_id, "body": message.body,
            "at": message.created_at.isoformat()}


@realtime.websocket_route(router, "/fairs/{fair_id:int}/chat/{organization_id:int}/{graduate_id:int}/ws")
async def chat_socket(websocket: WebSocket):
    room = {key: websocket.path_params[key] for key in ("fair_id", "organization_id", "graduate_id")}
    admitted = await realtime.admit(websocket, service.chat_room, **room)
    if admitted is None:
        return
    user, _ = admitted
    channel = "fair-chat:{fair_id}:{organization_id}:{graduate_id}".format(**room)
    broker = realtime.broker_of(websocket.app)

    async def on_message(message: dict) -> None:
        if message["type"] == "chat":
            stored = await realtime.in_thread(websocket, service.post_message, user=user,
                                              body=str(message.get("body", "")), **room)
            await broker.publish(channel, chat_message(stored))

    await realtime.relay(websocket, channel=channel, user=user, on_message=on_message)
