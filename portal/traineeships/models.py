"""The city's traineeship bases (见习基地), published in batches, and the completions officers record."""
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from portal.clock import utcnow


class BatchStatus(StrEnum):
    scheduled = "scheduled"  # published by the scheduler on its publish_on day
    published = "published"
    withdrawn = "withdrawn"


class TraineeshipBatch(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)  # e.g. "2027 年第一批就业见习基地"
    publish_on: date = Field(index=True)
    applications_open_on: date
    applications_close_on: date
    note: str = Field(default="", max_length=2000)
    status: str = Field(default=BatchStatus.scheduled, max_length=16, index=True)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    published_at: datetime | None = None


class TraineeshipBase(SQLModel, table=True):
    """An organisation designated a traineeship base in a batch, with the trainees it can take at once."""

    # (id, organization_id) is what a traineeship post refers to, so a post can only name its own organisation's base.
    __table_args__ = (UniqueConstraint("batch_id", "organization_id"), UniqueConstraint("id", "organization_id"))
    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="traineeshipbatch.id", index=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    name: str = Field(max_length=120)
    district: str = Field(max_length=20, index=True)
    address: str = Field(max_length=300)
    capacity: int  # trainees at once
    added_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class CompletionOutcome(StrEnum):
    completed = "completed"
    ended_early = "ended_early"


class TraineeshipCompletion(SQLModel, table=True):
    """How a placement (a graduate hired into a traineeship post) ended, as an officer recorded it."""

    application_id: int = Field(foreign_key="application.id", primary_key=True)
    outcome: str = Field(max_length=16)
    ended_on: date
    note: str = Field(default="", max_length=1000)
    recorded_by_id: int | None = Field(default=None, foreign_key="user.id")
    recorded_at: datetime = Field(default_factory=utcnow)
