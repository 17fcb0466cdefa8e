from datetime import datetime

from pydantic import BaseModel, Field, computed_field, field_validator

from portal.destinations import categories
from portal.destinations.models import FollowUpService, TransferKind, TransferStatus, TransferTarget


class CategoryPublic(BaseModel):
    code: str
    national_code: str
    label: str
    group: str


class DestinationReport(BaseModel):
    category: str
    employer_name: str = Field(default="", max_length=200)
    work_district: str = Field(default="", max_length=40)
    work_place: str = Field(default="", max_length=300)
    note: str = Field(default="", max_length=1000)

    @field_validator("category")
    @classmethod
    def known_category(cls, value: str) -> str:
        if value not in categories.codes():
            raise ValueError("Choose a destination category.")
        return value


class DestinationReview(BaseModel):
    confirm: bool
    note: str = Field(default="", max_length=1000)


class DestinationPublic(BaseModel):
    graduate_id: int
    category: str
    national_code: str
    employer_name: str | None
    agreement_id: int | None
    work_district: str | None
    work_place: str | None
    source: str
    status: str
    status_note: str | None
    confirmed_at: datetime | None
    updated_at: datetime


class StatRow(BaseModel):
    key: str
    total: int
    placed: int
    employed: int
    further_study: int
    reported: int

    @computed_field
    @property
    def rate(self) -> float:
        return self.placed / self.total if self.total else 0.0


class FollowUpBuild(BaseModel):
    """The graduation year whose graduates without a destination go on the follow-up list (blank: this year)."""

    year: int | None = Field(default=None, ge=2000, le=2100)

    @field_validator("year", mode="before")
    @classmethod
    def _blank_is_none(cls, value):
        return value or None


class FollowUpEntryCreate(BaseModel):
    kind: str = Field(pattern="^(contact|service)$")
    service: FollowUpService | None = None
    channel: str = Field(default="", max_length=40)
    note: str = Field(min_length=1, max_length=2000)


class TransferCreate(BaseModel):
    kind: TransferKind
    target: TransferTarget
    receiving_unit: str = Field(min_length=2, max_length=200)
    receiving_address: str = Field(min_length=4, max_length=300)


class TransferAdvance(BaseModel):
    status: TransferStatus
    tracking_number: str = Field(default="", max_length=60)
    note: str = Field(default="", max_length=1000)


class TransferStepPublic(BaseModel):
    status: str
    note: str | None
    tracking_number: str | None
    created_at: datetime


class TransferPublic(BaseModel):
    id: int
    kind: str
    target: str
    receiving_unit: str
    receiving_address: str
    status: str
    tracking_number: str | None
    created_at: datetime
    steps: list[TransferStepPublic]


class FollowUpEntryPublic(BaseModel):
    kind: str
    service: str | None
    channel: str | None
    note: str
    level: str
    officer_id: int | None
    created_at: datetime


class FollowUpCasePublic(BaseModel):
    id: int
    graduate_id: int
    graduate_name: str
    school: str
    graduation_year: int
    level: str
    is_open: bool
    outcome: str | None
    opened_at: datetime
    closed_at: datetime | None
    entries: list[FollowUpEntryPublic]
