from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, ForeignKeyConstraint
from sqlmodel import Field, SQLModel

from portal.clock import utcnow


class PositionKind(StrEnum):
    full_time = "full_time"
    part_time = "part_time"
    traineeship = "traineeship"  # 见习


class PositionStatus(StrEnum):
    draft = "draft"
    pending_review = "pending_review"
    rejected = "rejected"
    published = "published"
    closed = "closed"
    expired = "expired"


class CloseReason(StrEnum):
    by_employer = "by_employer"
    filled = "filled"
    deadline = "deadline"
    not_reconfirmed = "not_reconfirmed"
    organization_suspended = "organization_suspended"


class Position(SQLModel, table=True):
    # A traineeship names a base of its own organisation (portal/traineeships), and the database holds it to that.
    __table_args__ = (ForeignKeyConstraint(["host_base_id", "organization_id"],
                                           ["traineeshipbase.id", "traineeshipbase.organization_id"]),)
    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    title: str = Field(max_length=120)
    description: str
    kind: str = Field(max_length=16, index=True)
    district: str = Field(max_length=20, index=True)
    address: str | None = Field(default=None, max_length=300)
    degree_required: str = Field(max_length=16)
    majors: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    skills: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    salary_min: int  # yuan per month
    salary_max: int
    headcount: int = 1
    deadline: date
    is_support: bool = False  # offered to priority (ledger) graduates first
    accessible: bool = False  # workplace suits graduates with a disability
    # traineeships (见习) only
    traineeship_months: int | None = None
    monthly_allowance: int | None = None  # yuan per month the trainee receives
    host_subsidy: int | None = None  # yuan per trainee and month the city pays the host
    mentor: str | None = Field(default=None, max_length=100)
    host_base_id: int | None = Field(default=None, index=True)
    status: str = Field(default=PositionStatus.draft, max_length=16, index=True)
    close_reason: str | None = Field(default=None, max_length=32)
    review_note: str | None = Field(default=None, max_length=500)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    published_at: datetime | None = None
    reconfirmed_at: datetime | None = None
    closed_at: datetime | None = None
