"""What employers send about positions, and what the portal shows of them."""
from datetime import date, datetime, timedelta

from pydantic import BaseModel, Field, ValidationInfo, field_validator, model_validator

from portal import validation
from portal.accounts.models import Degree
from portal.clock import today
from portal.positions.models import PositionBase, PositionKind
from portal.validation import CleanInput

MAX_DEADLINE_DAYS = 365


class PositionFields(PositionBase, CleanInput):
    """Every field of a position (PositionBase), with the rules that make it publishable."""

    kind: PositionKind
    degree_required: Degree

    @field_validator("title", "description")
    @classmethod
    def _strip(cls, value: str) -> str:
        value = (value or "").strip()
        if not value:
            raise ValueError("This field is required.")
        return value

    @field_validator("traineeship_months", "monthly_allowance", "host_subsidy", "host_base_id", mode="before")
    @classmethod
    def _blank_number_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _traineeship_fields_for_traineeships(self) -> "PositionFields":
        if self.kind != PositionKind.traineeship:
            self.traineeship_months = self.monthly_allowance = self.host_subsidy = self.mentor = None
            self.host_base_id = None
        return self

    @field_validator("address", "mentor")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        return value or None

    @field_validator("district")
    @classmethod
    def _district(cls, value: str) -> str:
        return validation.district(value)

    @field_validator("majors", "skills", mode="before")
    @classmethod
    def _tags(cls, value: object) -> list[str]:
        return validation.tag_list(value)

    @field_validator("deadline")
    @classmethod
    def _deadline(cls, value: date) -> date:
        if value < today():
            raise ValueError("The deadline must be today or later.")
        if value > today() + timedelta(days=MAX_DEADLINE_DAYS):
            raise ValueError("The deadline can be at most one year ahead.")
        return value

    @field_validator("salary_max")
    @classmethod
    def _salary_range(cls, value: int, info: ValidationInfo) -> int:
        # Fields validate in declaration order, so kind and salary_min are known here when valid.
        salary_min = info.data.get("salary_min")
        if salary_min is not None and value < salary_min:
            raise ValueError("The highest salary must not be lower than the lowest salary.")
        if value == 0 and info.data.get("kind") not in (None, PositionKind.part_time):
            raise ValueError("Enter the monthly salary range.")
        return value


class PositionCreate(PositionFields):
    pass


class PositionUpdate(CleanInput):
    """A partial change: only the fields sent are changed; the result must still satisfy PositionFields."""

    title: str | None = None
    description: str | None = None
    kind: PositionKind | None = None
    district: str | None = None
    address: str | None = None
    degree_required: Degree | None = None
    majors: list[str] | None = None
    skills: list[str] | None = None
    salary_min: int | None = None
    salary_max: int | None = None
    headcount: int | None = None
    deadline: date | None = None
    is_support: bool | None = None
    accessible: bool | None = None
    traineeship_months: int | None = None
    monthly_allowance: int | None = None
    host_subsidy: int | None = None
    mentor: str | None = None
    host_base_id: int | None = None


class RejectRequest(validation.ReasonForEmployer):
    pass


class EmployerSummary(BaseModel):
    id: int
    name: str
    district: str
    industry: str
    size: str
    verified: bool


class PositionPublic(PositionBase):
    id: int
    organization_id: int
    status: str
    is_open: bool
    published_at: datetime | None
    employer: EmployerSummary | None = None


class PositionPrivate(PositionPublic):
    """What the position's own recruiters and officers see."""

    close_reason: str | None
    review_note: str | None
    created_at: datetime
    updated_at: datetime
    reconfirmed_at: datetime | None
    reconfirm_due: date | None = Field(description="The day the position lapses unless it is reconfirmed")
    closed_at: datetime | None


class PositionPage(BaseModel):
    items: list[PositionPrivate]
    total: int
    page: int
    pages: int
