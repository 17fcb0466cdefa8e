"""The message centre (/notifications) and the unread badge in the navigation bar."""
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from portal.deps import CurrentUser, OptionalUser, SessionDep
from portal.notifications import service
from portal.web import redirect, render

router = APIRouter(tags=["pages: notifications"], include_in_schema=False)
PER_PAGE = 20


def _context(session, user, page: int, unread_only: bool) -> dict:
    items, total = service.list_for(session, user=user, page=page, per_page=PER_PAGE, unread_only=unread_only)
    return {
        "items": items, "total": total, "page": page, "pages": max(1, -(-total // PER_PAGE)),
        "unread": service.unread_count(session, user=user), "unread_only": unread_only,
        "title_of": service.title_of, "body_of": service.body_of,
    }


@router.get("/notifications")
def notifications_page(
    request: Request, user: CurrentUser, session: SessionDep,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1, unread: bool = False,
):
    return render(request, "notifications/list.html", _context(session, user, page, unread), block="list")


@router.get("/notifications/badge")
def badge(user: OptionalUser, session: SessionDep):
    """The unread count for the navigation bar (empty when there is nothing unread)."""
    count = service.unread_count(session, user=user) if user else 0
    return HTMLResponse(str(count) if count else "", headers={"Cache-Control": "no-store"})


@router.post("/notifications/{notification_id}/open")
def open_notification(request: Request, notification_id: int, user: CurrentUser, session: SessionDep):
    """Marks the message read and goes where it points."""
    notification = service.mark_read(session, user=user, notification_id=notification_id)
    link = notification.link if notification.link and notification.link.startswith("/") and not notification.link.startswith("//") else "/notifications"
    return redirect(request, link)


@router.post("/notifications/{notification_id}/read")
def read_one(request: Request, notification_id: int, user: CurrentUser, session: SessionDep):
    service.mark_read(session, user=user, notification_id=notification_id)
    return _list_response(request, session, user)


@router.post("/notifications/read-all")
def read_all(request: Request, user: CurrentUser, session: SessionDep):
    service.mark_all_read(session, user=user)
    return _list_response(request, session, user)


def _list_response(request: Request, session, user):
    if request.headers.get("HX-Request") != "true":
        return redirect(request, "/notifications")
    return render(request, "notifications/list.html", _context(session, user, 1, False), block="list",
                  headers={"HX-Trigger": "notifications-changed"})
