"""JSON API for the message centre."""
from typing import Annotated

from fastapi import APIRouter, Query

from portal.deps import CurrentUser, SessionDep
from portal.notifications import service
from portal.notifications.schemas import NotificationPage, NotificationPublic, UnreadCount

router = APIRouter(prefix="/api/v1", tags=["notifications"])


def public(notification) -> NotificationPublic:
    return NotificationPublic(
        id=notification.id, kind=notification.kind, title=service.title_of(notification),
        body=service.body_of(notification), link=notification.link, created_at=notification.created_at,
        read_at=notification.read_at,
    )


@router.get("/notifications", response_model=NotificationPage)
def list_notifications(
    user: CurrentUser, session: SessionDep,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
    unread: bool = False,
):
    """The user's messages, newest first, in the request's language."""
    items, total = service.list_for(session, user=user, page=page, per_page=per_page, unread_only=unread)
    return NotificationPage(
        items=[public(n) for n in items], total=total, unread=service.unread_count(session, user=user),
        page=page, pages=max(1, -(-total // per_page)),
    )


@router.get("/notifications/unread-count", response_model=UnreadCount)
def unread_count(user: CurrentUser, session: SessionDep):
    return UnreadCount(unread=service.unread_count(session, user=user))


@router.post("/notifications/{notification_id}/read", response_model=NotificationPublic)
def mark_read(notification_id: int, user: CurrentUser, session: SessionDep):
    return public(service.mark_read(session, user=user, notification_id=notification_id))


@router.post("/notifications/read-all", response_model=UnreadCount)
def mark_all_read(user: CurrentUser, session: SessionDep):
    service.mark_all_read(session, user=user)
    return UnreadCount(unread=0)
