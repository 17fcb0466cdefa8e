"""What providers, officers and graduates send about training, and what the portal shows of it."""
from datetime import date, datetime, timedelta
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    EmailStr,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from portal import validation
from portal.clock import today
from portal.security import MIN_PASSWORD_LENGTH
from portal.training.models import ProgrammeBase, ProgrammeMode, SubsidyGroup
from portal.validation import CleanInput

MAX_YUAN = 100_000
MAX_SCHEDULE_DAYS = 2 * 365


def _required_text(value: str | None) -> str:
    value = (value or "").strip()
    if not value:
        raise ValueError("This field is required.")
    return value


def _blank_is_none(value: object) -> object:
    return (value.strip() or None) if isinstance(value, str) else value


class ProviderSignup(CleanInput):
    """A training organisation asks to publish programmes; an officer approves it."""

    name: str = Field(min_length=2, max_length=120)
    district: Annotated[str, AfterValidator(validation.district)]
    address: str = Field(max_length=300)
    contact_name: str = Field(min_length=2, max_length=60)
    contact_phone: Annotated[str, AfterValidator(validation.phone)]
    description: str = Field(default="", max_length=2000)
    email: EmailStr
    password: str = Field(min_length=MIN_PASSWORD_LENGTH, max_length=128)

    _text = field_validator("name", "address", "contact_name")(_required_text)


class ProviderDecision(CleanInput):
    approve: bool
    note: str = Field(default="", max_length=500)
    # The status the officer saw when deciding: a decision on a status that another officer has changed since is
    # refused rather than applied over theirs.
    seen_status: str | None = Field(default=None, pattern="^(pending|approved|suspended)$")

    @model_validator(mode="after")
    def _reason_to_suspend(self) -> "ProviderDecision":
        if not self.approve and len(self.note.strip()) < 2:
            raise ValueError("Give a reason the provider will see.")
        return self


class ProviderPublic(BaseModel):
    id: int
    name: str
    district: str
    address: str
    contact_name: str
    contact_phone: str
    description: str
    status: str
    decision_note: str | None
    created_at: datetime


class ProgrammeCreate(CleanInput, ProgrammeBase):
    """Every field of a programme, with the rules that make it publishable."""

    _text = field_validator("title", "description", "schedule", "certificate")(_required_text)
    _optional = field_validator("place", "district", mode="before")(_blank_is_none)

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        if len(value) < 2:
            raise ValueError("This field is required.")
        return value

    @field_validator("skills", "subsidy_groups", mode="before")
    @classmethod
    def _tags(cls, value: object) -> list[str]:
        return validation.tag_list(value)

    @field_validator("skills")
    @classmethod
    def _some_skill(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("Name at least one skill the programme teaches.")
        return value

    @field_validator("mode")
    @classmethod
    def _mode(cls, value: str) -> str:
        if value not in ProgrammeMode.__members__:
            raise ValueError("Choose in person or online.")
        return value

    @field_validator("district")
    @classmethod
    def _district(cls, value: str | None) -> str | None:
        return validation.district(value) if value else None

    @field_validator("seats")
    @classmethod
    def _seats(cls, value: int) -> int:
        if not 1 <= value <= 10_000:
            raise ValueError("Offer between 1 and 10,000 seats.")
        return value

    @field_validator("cost", "subsidy_amount")
    @classmethod
    def _yuan(cls, value: int) -> int:
        if not 0 <= value <= MAX_YUAN:
            raise ValueError("Enter an amount between 0 and 100,000 yuan.")
        return value

    @field_validator("subsidy_groups")
    @classmethod
    def _groups(cls, value: list[str]) -> list[str]:
        if any(group not in SubsidyGroup.__members__ for group in value):
            raise ValueError("Choose who the subsidy is for from the list.")
        return value

    @field_validator("ends_on")
    @classmethod
    def _ends_after_start(cls, value: date, info: ValidationInfo) -> date:
        starts_on = info.data.get("starts_on")
        if starts_on and value < starts_on:
            raise ValueError("The last day must not be before the first day.")
        if starts_on and value > starts_on + timedelta(days=MAX_SCHEDULE_DAYS):
            raise ValueError("A programme can run for at most two years.")
        return value

    @field_validator("enrol_by")
    @classmethod
    def _enrol_by(cls, value: date, info: ValidationInfo) -> date:
        if value < today():
            raise ValueError("The enrolment deadline must be today or later.")
        ends_on = info.data.get("ends_on")
        if ends_on and value > ends_on:
            raise ValueError("Enrolment must close before the programme ends.")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> "ProgrammeCreate":
        if self.mode == ProgrammeMode.in_person and not (self.place and self.district):
            raise ValueError("Give the district and the address of an in-person programme.")
        if self.subsidised and not (self.subsidy_amount and self.subsidy_groups):
            raise ValueError("Give the subsidy amount and who it is for.")
        if not self.subsidised:
            self.subsidy_amount, self.subsidy_groups = 0, []
        return self


class ProgrammePublic(ProgrammeBase):
    id: int
    provider_id: int | None
    provider_name: str
    status: str
    seats_left: int
    published_at: datetime | None


class ProgrammePage(BaseModel):
    items: list[ProgrammePublic]
    total: int
    page: int
    pages: int


class EnrolmentPublic(BaseModel):
    id: int
    programme_id: int
    programme_title: str
    status: str
    enrolled_at: datetime
    completed_at: datetime | None
    certificate_number: str | None


class TraineePublic(BaseModel):
    """A trainee as the provider sees them: enough to run the course, nothing about support status."""

    enrolment_id: int
    name: str
    school: str
    major: str
    phone: str | None
    status: str
    sessions_attended: int
    certificate_number: str | None


class AttendanceRecord(CleanInput):
    session_on: date
    present: list[int] = Field(default_factory=list, description="Enrolment ids of the trainees who were there")

    @field_validator("present", mode="before")
    @classmethod
    def _ids(cls, value: object) -> list:
        return value if isinstance(value, list) else [value] if value not in (None, "") else []


class ResultRecord(CleanInput):
    completed: bool
    certificate_number: str | None = Field(default=None, max_length=60)

    _optional = field_validator("certificate_number", mode="before")(_blank_is_none)

    @model_validator(mode="after")
    def _certificate_for_completion(self) -> "ResultRecord":
        if self.completed and not self.certificate_number:
            raise ValueError("Enter the number of the certificate issued.")
        return self


class PlanRequest(CleanInput):
    """An officer adds a programme to a priority graduate's support plan."""

    graduate: str = Field(min_length=1, max_length=100, description="Email, student number or name")
    _text = field_validator("graduate")(_required_text)
