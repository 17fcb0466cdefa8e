from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from portal.clock import utcnow


class PresentationStatus(StrEnum):
    pending_review = "pending_review"
    approved = "approved"
    rejected = "rejected"
    cancelled = "cancelled"


class Presentation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    presenter_id: int = Field(foreign_key="user.id", index=True)
    topic: str = Field(max_length=120)
    description: str = Field(default="", max_length=4000)
    starts_at: datetime = Field(index=True)
    duration_minutes: int = 60
    position_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # An HLS playlist from a streaming service, for audiences larger than browser-to-browser video carries.
    stream_url: str | None = Field(default=None, max_length=500)
    status: str = Field(default=PresentationStatus.pending_review, max_length=16, index=True)
    decided_by_id: int | None = Field(default=None, foreign_key="user.id")
    decision_note: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow)


class PresentationRegistration(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("presentation_id", "graduate_id"),)
    id: int | None = Field(default=None, primary_key=True)
    presentation_id: int = Field(foreign_key="presentation.id", index=True)
    graduate_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    reminded_at: datetime | None = None
    attended_at: datetime | None = None


class PresentationQuestion(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    presentation_id: int = Field(foreign_key="presentation.id", index=True)
    author_id: int = Field(foreign_key="user.id")
    body: str = Field(max_length=500)
    answer: str | None = Field(default=None, max_length=1000)
    pinned: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    answered_at: datetime | None = None
