"""What officers send about traineeship batches, bases and completions, and what the portal shows of them."""
from datetime import date, datetime, timedelta
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, ValidationInfo, field_validator

from portal import validation
from portal.traineeships.models import CompletionOutcome
from portal.validation import CleanInput


def _required_text(value: str | None) -> str:
    value = (value or "").strip()
    if not value:
        raise ValueError("This field is required.")
    return value


class BatchCreate(CleanInput):
    name: str = Field(max_length=120)
    publish_on: date = Field(description="The day the batch is published (by the scheduler when in the future)")
    applications_open_on: date
    applications_close_on: date
    note: str = Field(default="", max_length=2000)

    _name = field_validator("name")(_required_text)

    @field_validator("applications_close_on")
    @classmethod
    def _closes_after_opening(cls, value: date, info: ValidationInfo) -> date:
        opens = info.data.get("applications_open_on")
        if opens and value < opens:
            raise ValueError("Applications must close after they open.")
        if opens and value > opens + timedelta(days=366):
            raise ValueError("A batch takes applications for at most a year.")
        return value


class BaseCreate(CleanInput):
    organization: str = Field(max_length=200, description="The organisation's registered name or credit code")
    name: str = Field(max_length=120, description="The base's name as the city lists it")
    district: Annotated[str, AfterValidator(validation.district)]
    address: str = Field(max_length=300)
    capacity: int = Field(ge=1, le=1000)

    _text = field_validator("organization", "name", "address")(_required_text)


class CompletionRecord(CleanInput):
    outcome: CompletionOutcome
    ended_on: date
    note: str = Field(default="", max_length=1000)


class BatchPublic(BaseModel):
    id: int
    name: str
    publish_on: date
    applications_open_on: date
    applications_close_on: date
    note: str
    status: str
    published_at: datetime | None


class BasePublic(BaseModel):
    id: int
    batch_id: int
    organization_id: int
    organization_name: str
    name: str
    district: str
    address: str
    capacity: int
    placed: int


class PlacementPublic(BaseModel):
    application_id: int
    graduate_name: str
    school: str
    position_id: int
    position_title: str
    organization_name: str
    hired_at: datetime
    outcome: str | None
    ended_on: date | None
