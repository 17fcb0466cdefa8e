"""Training providers, their programmes, enrolments and attendance."""
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from portal.clock import utcnow


class ProviderStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    suspended = "suspended"


class TrainingProvider(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    district: str = Field(max_length=20, index=True)
    address: str = Field(max_length=300)
    contact_name: str = Field(max_length=60)
    contact_phone: str = Field(max_length=20)
    description: str = Field(default="", max_length=2000)
    status: str = Field(default=ProviderStatus.pending, max_length=16, index=True)
    decision_note: str | None = Field(default=None, max_length=500)
    decided_by_id: int | None = Field(default=None, foreign_key="user.id")
    decided_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class ProviderStaff(SQLModel, table=True):
    """A provider account's link to its organisation."""

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    provider_id: int = Field(foreign_key="trainingprovider.id", index=True)


class ProgrammeMode(StrEnum):
    in_person = "in_person"
    online = "online"


class ProgrammeStatus(StrEnum):
    draft = "draft"
    published = "published"
    closed = "closed"  # enrolment over; the course runs to its end
    cancelled = "cancelled"


class SubsidyGroup(StrEnum):
    """Who the city pays a training subsidy for."""

    final_year = "final_year"
    unemployed_graduate = "unemployed_graduate"
    priority_group = "priority_group"


class ProgrammeBase(SQLModel):
    title: str = Field(max_length=120)
    description: str = Field(max_length=5000)
    skills: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    starts_on: date
    ends_on: date
    schedule: str = Field(max_length=200)  # when it meets, e.g. "每周六 9:00–12:00，共 8 次"
    mode: str = Field(max_length=16)
    district: str | None = Field(default=None, max_length=20, index=True)
    place: str | None = Field(default=None, max_length=300)
    seats: int
    cost: int  # yuan per trainee
    certificate: str = Field(max_length=120)
    subsidised: bool = False
    subsidy_amount: int = 0  # yuan per trainee who completes it
    subsidy_groups: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    enrol_by: date


class TrainingProgramme(ProgrammeBase, table=True):
    __table_args__ = (CheckConstraint("seats_taken >= 0 AND seats_taken <= seats", name="seats_within_capacity"),)
    id: int | None = Field(default=None, primary_key=True)
    provider_id: int | None = Field(default=None, foreign_key="trainingprovider.id", index=True)  # None: run by the city
    status: str = Field(default=ProgrammeStatus.draft, max_length=16, index=True)
    seats_taken: int = 0
    # "|docker|kubernetes|": the canonical skills it teaches (search's vocabulary), so finding one is a LIKE anywhere
    skill_keys: str = Field(default="", max_length=2000)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    published_at: datetime | None = None


class EnrolmentStatus(StrEnum):
    enrolled = "enrolled"
    cancelled = "cancelled"
    completed = "completed"
    not_completed = "not_completed"


class TrainingEnrolment(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("programme_id", "graduate_id"),)
    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="trainingprogramme.id", index=True)
    graduate_id: int = Field(foreign_key="user.id", index=True)
    status: str = Field(default=EnrolmentStatus.enrolled, max_length=16, index=True)
    enrolled_at: datetime = Field(default_factory=utcnow)
    cancelled_at: datetime | None = None
    completed_at: datetime | None = None
    certificate_number: str | None = Field(default=None, max_length=60)
    result_recorded_by_id: int | None = Field(default=None, foreign_key="user.id")


class TrainingAttendance(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("enrolment_id", "session_on"),)
    id: int | None = Field(default=None, primary_key=True)
    enrolment_id: int = Field(foreign_key="trainingenrolment.id", index=True)
    session_on: date
    present: bool
    recorded_by_id: int | None = Field(default=None, foreign_key="user.id")
    recorded_at: datetime = Field(default_factory=utcnow)
