from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from portal.clock import from_local

LocalTime = Annotated[datetime, AfterValidator(from_local)]


class SlotProposal(BaseModel):
    """Times typed in Tianjin wall-clock time (or sent with an offset by the API)."""

    slots: list[LocalTime] = Field(min_length=1, max_length=5)
    duration_minutes: int = Field(default=30, ge=15, le=180)
    note: str | None = Field(default=None, max_length=1000)


class SlotChoice(BaseModel):
    slot_id: int


class Cancellation(BaseModel):
    reason: str = Field(min_length=2, max_length=500)


class OutcomeRecord(BaseModel):
    outcome: str
    note: str | None = Field(default=None, max_length=2000)


class SlotPublic(BaseModel):
    id: int
    starts_at: datetime


class InterviewPublic(BaseModel):
    id: int
    application_id: int
    status: str
    starts_at: datetime | None
    duration_minutes: int
    note: str | None
    cancel_reason: str | None
    outcome: str | None
    position_title: str
    organization_name: str
    graduate_name: str
    interviewer_name: str
    slots: list[SlotPublic]
