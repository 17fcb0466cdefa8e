from datetime import datetime

from pydantic import BaseModel


class NotificationPublic(BaseModel):
    id: int
    kind: str
    title: str
    body: str
    link: str | None
    created_at: datetime
    read_at: datetime | None


class NotificationPage(BaseModel):
    items: list[NotificationPublic]
    total: int
    unread: int
    page: int
    pages: int


class UnreadCount(BaseModel):
    unread: int
