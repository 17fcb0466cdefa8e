from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, field_validator

from portal.clock import from_local
from portal.fairs.models import FairKind
from portal.reference import INDUSTRIES

LocalTime = Annotated[datetime, AfterValidator(from_local)]


class SeriesCreate(BaseModel):
    title: str = Field(min_length=2, max_length=120)
    description: str = Field(default="", max_length=2000)


class FairCreate(BaseModel):
    kind: FairKind
    title: str = Field(min_length=2, max_length=120)
    description: str = Field(default="", max_length=4000)
    series_id: int | None = None
    starts_at: LocalTime
    ends_at: LocalTime
    registration_deadline: LocalTime
    venue: str | None = Field(default=None, max_length=200)
    district: str | None = Field(default=None, max_length=20)
    link: str | None = Field(default=None, max_length=500)
    capacity: int = Field(ge=1, le=100_000)
    booths: int = Field(default=0, ge=0, le=2000)
    sectors: list[str] = Field(default_factory=list, max_length=len(INDUSTRIES))

    @field_validator("series_id", "venue", "district", "link", mode="before")
    @classmethod
    def blank_is_none(cls, value):
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("sectors")
    @classmethod
    def known_sectors(cls, value: list[str]) -> list[str]:
        if any(sector not in INDUSTRIES for sector in value):
            raise ValueError("Choose sectors from the list.")
        return sorted(set(value))


class ExhibitRequest(BaseModel):
    position_ids: list[int] = Field(min_length=1, max_length=30)
    booth: int | None = None

    @field_validator("booth", mode="before")
    @classmethod
    def blank_booth(cls, value):
        return None if value == "" else value


class ExhibitorDecision(BaseModel):
    approve: bool


class CheckInCode(BaseModel):
    code: str = Field(min_length=4, max_length=200)


class FairPublic(BaseModel):
    id: int
    kind: str
    title: str
    description: str
    series_id: int | None
    starts_at: datetime
    ends_at: datetime
    registration_deadline: datetime
    venue: str | None
    district: str | None
    link: str | None
    capacity: int
    registered: int
    sectors: list[str]
    status: str


class TicketPublic(BaseModel):
    id: int
    fair_id: int
    code: str
    created_at: datetime
    checked_in_at: datetime | None
