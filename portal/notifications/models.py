from datetime import datetime

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel

from portal.clock import utcnow


class Notification(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    kind: str = Field(max_length=40)
    # title and body are English msgids, translated when shown, with params filled in then.
    title: str = Field(max_length=200)
    body: str = ""
    params: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    link: str | None = Field(default=None, max_length=300)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    read_at: datetime | None = None


class OutgoingMail(SQLModel, table=True):
    """An email written in the transaction that caused it and sent after commit by the mail sender, so a mail
    server that is down or a message that cannot be built never fails the request that queued it."""

    id: int | None = Field(default=None, primary_key=True)
    to: str = Field(max_length=254)
    subject: str = Field(sa_column=Column(Text, nullable=False))
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, index=True)
    attempts: int = 0
    # A sender claims a mail until then, so two senders never send it twice; a failed one waits until then too.
    not_before: datetime = Field(default_factory=utcnow, index=True)
    sent_at: datetime | None = Field(default=None, index=True)
    last_error: str | None = Field(default=None, max_length=500)
