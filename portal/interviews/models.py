from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from portal.clock import utcnow


class InterviewStatus(StrEnum):
    proposed = "proposed"  # slots offered, waiting for the graduate to pick one
    scheduled = "scheduled"
    cancelled = "cancelled"
    completed = "completed"


class InterviewOutcome(StrEnum):
    offer = "offer"
    rejected = "rejected"


class Interview(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    graduate_id: int = Field(foreign_key="user.id", index=True)
    # The recruiter who proposed it: with the graduate, the only person who may enter the room.
    interviewer_id: int = Field(foreign_key="user.id", index=True)
    status: str = Field(default=InterviewStatus.proposed, max_length=16, index=True)
    starts_at: datetime | None = Field(default=None, index=True)
    duration_minutes: int = 30
    note: str | None = Field(default=None, max_length=1000)
    cancel_reason: str | None = Field(default=None, max_length=500)
    outcome: str | None = Field(default=None, max_length=16)
    reminded_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class InterviewSlot(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    interview_id: int = Field(foreign_key="interview.id", index=True)
    starts_at: datetime
