from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, ForeignKeyConstraint
from sqlmodel import AutoString, Field, SQLModel

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


MAX_SALARY = 1_000_000  # yuan per month; anything above is a typo


class PositionBase(SQLModel):
    """A position's own data, declared once: the table, what employers send (schemas.PositionFields, which adds the
    rules) and what the portal shows (schemas.PositionPublic). A table model does not validate, so the bounds here
    bind what is sent, not what is stored."""

    title: str = Field(min_length=2, max_length=120)
    description: str = Field(min_length=10, max_length=10000, sa_column=Column(AutoString, nullable=False))
    kind: str = Field(max_length=16, index=True)
    district: str = Field(max_length=20, index=True)
    address: str | None = Field(default=None, max_length=300)
    degree_required: str = Field(max_length=16)
    majors: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False),
                              description="Majors wanted; empty means any major")
    skills: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False), description="Skill tags")
    salary_min: int = Field(ge=0, le=MAX_SALARY, description="Yuan per month")
    salary_max: int = Field(ge=0, le=MAX_SALARY, description="Yuan per month")
    headcount: int = Field(default=1, ge=1, le=10000)
    deadline: date = Field(description="Last day applications are accepted (Tianjin time)")
    is_support: bool = Field(default=False, description="A support position offered first to priority graduates")
    accessible: bool = Field(default=False, description="The workplace suits graduates with a disability")
    traineeship_months: int | None = Field(default=None, ge=1, le=24, description="Traineeships: months")
    monthly_allowance: int | None = Field(default=None, ge=0, le=MAX_SALARY,
                                          description="Traineeships: yuan per month the trainee receives")
    host_subsidy: int | None = Field(default=None, ge=0, le=MAX_SALARY,
                                     description="Traineeships: yuan per trainee and month the city pays the host")
    mentor: str | None = Field(default=None, max_length=100, description="Traineeships: who guides the trainee")
    host_base_id: int | None = Field(default=None, ge=1, index=True,
                                     description="Traineeships: the organisation's base")


class Position(PositionBase, table=True):
    # A traineeship names a base of its own organisation (portal/traineeships), and the database holds it to that.
    __table_args__ = (ForeignKeyConstraint(["host_base_id", "organization_id"],
                                           ["traineeshipbase.id", "traineeshipbase.organization_id"]),)
    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    status: str = Field(default=PositionStatus.draft, max_length=16, index=True)
    close_reason: str | None = Field(default=None, max_length=32)
    review_note: str | None = Field(default=None, max_length=500)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    published_at: datetime | None = None
    reconfirmed_at: datetime | None = None
    closed_at: datetime | None = None
