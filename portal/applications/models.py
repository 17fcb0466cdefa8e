from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from portal.clock import utcnow


class ApplicationStatus(StrEnum):
    received = "received"
    viewed = "viewed"
    shortlisted = "shortlisted"
    interview = "interview"
    offer = "offer"
    hired = "hired"
    rejected = "rejected"
    withdrawn = "withdrawn"


class Application(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("position_id", "graduate_id"),)
    id: int | None = Field(default=None, primary_key=True)
    position_id: int = Field(foreign_key="position.id", index=True)
    graduate_id: int = Field(foreign_key="user.id", index=True)
    status: str = Field(default=ApplicationStatus.received, max_length=16, index=True)
    resume_snapshot: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    resume_pdf_file: str | None = Field(default=None, max_length=200)
    cover_note: str | None = Field(default=None, max_length=2000)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    updated_at: datetime = Field(default_factory=utcnow)
    first_response_at: datetime | None = None  # first move past "received": feeds response rates


class ApplicationEvent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    status: str = Field(max_length=16)
    message: str | None = Field(default=None, max_length=2000)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
