"""What advisers, graduates and officers send about career guidance, and what the API shows of it."""
from datetime import date, datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    EmailStr,
    Field,
    field_validator,
    model_validator,
)

from portal.clock import from_local
from portal.guidance.models import GuidanceMode
from portal.validation import CleanInput, RowId

LocalTime = Annotated[datetime, AfterValidator(from_local)]
# Postgres ints: an id beyond them is no id at all.


def _stripped(value: object) -> object:
    # Only text is stripped; anything else (a list, a number) goes on to the type check, which refuses it (422).
    return (value or "").strip() if isinstance(value, str) or value is None else value


class SlotsCreate(CleanInput):
    """One slot, or several back to back (`count`), typed in Tianjin time."""

    starts_at: LocalTime
    duration_minutes: int = Field(default=45, ge=15, le=180)
    count: int = Field(default=1, ge=1, le=8)
    mode: GuidanceMode
    place: str | None = Field(default=None, max_length=200)
    note: str = Field(default="", max_length=500)

    _strip = field_validator("place", "note", mode="before")(_stripped)

    @model_validator(mode="after")
    def _place_for_in_person(self) -> "SlotsCreate":
        if self.mode == GuidanceMode.in_person and not self.place:
            raise ValueError("Say where the guidance takes place.")
        return self


class Booking(CleanInput):
    topic: str = Field(min_length=2, max_length=1000)

    _strip = field_validator("topic", mode="before")(_stripped)


class Reschedule(CleanInput):
    slot_id: RowId


class Cancellation(CleanInput):
    reason: str = Field(min_length=2, max_length=500)

    _strip = field_validator("reason", mode="before")(_stripped)


class NotesUpdate(CleanInput):
    private_notes: str = Field(default="", max_length=5000)


class ActionCreate(CleanInput):
    description: str = Field(min_length=2, max_length=500)
    due_on: date

    _strip = field_validator("description", mode="before")(_stripped)


class Outcome(CleanInput):
    attended: bool


class CounsellorInvite(CleanInput):
    email: EmailStr
    display_name: str = Field(min_length=2, max_length=100)
    organisation: str = Field(min_length=2, max_length=120)
    specialties: str = Field(default="", max_length=300)

    _strip = field_validator("display_name", "organisation", "specialties", mode="before")(_stripped)


class SlotPublic(BaseModel):
    id: int
    adviser_name: str
    adviser_organisation: str
    starts_at: datetime
    duration_minutes: int
    mode: str
    place: str | None
    note: str


class ActionPublic(BaseModel):
    id: int
    description: str
    due_on: date
    done: bool


class AppointmentPublic(BaseModel):
    """The graduate's view: never the adviser's private notes."""

    id: int
    status: str
    topic: str
    slot: SlotPublic
    cancel_reason: str | None
    actions: list[ActionPublic]


class SlotPage(BaseModel):
    items: list[SlotPublic]
    total: int
    page: int
    pages: int
