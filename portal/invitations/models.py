from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from portal.clock import utcnow


class InvitationStatus(StrEnum):
    sent = "sent"
    accepted = "accepted"
    declined = "declined"


class Invitation(SQLModel, table=True):
    # One invitation per graduate and position: asking again is not a reminder but pressure.
    __table_args__ = (UniqueConstraint("position_id", "graduate_id"),)

    id: int | None = Field(default=None, primary_key=True)
    position_id: int = Field(foreign_key="position.id", index=True)
    graduate_id: int = Field(foreign_key="user.id", index=True)
    invited_by_id: int = Field(foreign_key="user.id")
    message: str | None = Field(default=None, max_length=500)
    # Why the matcher suggested the graduate, as it was when the invitation was sent (search.schemas.Reasons).
    fit: int = 0
    reasons: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: str = Field(default=InvitationStatus.sent, max_length=16, index=True)
    application_id: int | None = Field(default=None, foreign_key="application.id")
    created_at: datetime = Field(default_factory=utcnow, index=True)
    responded_at: datetime | None = None
