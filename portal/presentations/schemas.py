from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, field_validator

from portal.clock import from_local

LocalTime = Annotated[datetime, AfterValidator(from_local)]


class PresentationCreate(BaseModel):
    topic: str = Field(min_length=2, max_length=120)
    description: str = Field(default="", max_length=4000)
    starts_at: LocalTime
    duration_minutes: int = Field(default=60, ge=15, le=240)
    position_ids: list[int] = Field(default_factory=list, max_length=20)
    stream_url: str | None = Field(default=None, max_length=500)

    @field_validator("stream_url")
    @classmethod
    def https_playlist(cls, value: str | None) -> str | None:
        value = (value or "").strip() or None
        if value and not value.startswith(("https://", "http://")):
            raise ValueError("The stream address must start with https://.")
        return value


class Decision(BaseModel):
    approve: bool
    note: str | None = Field(default=None, max_length=500)


class PresentationPublic(BaseModel):
    id: int
    organization_id: int
    organization_name: str
    topic: str
    description: str
    starts_at: datetime
    duration_minutes: int
    position_ids: list[int]
    status: str
    streamed: bool
    registered: bool = False


class QuestionPublic(BaseModel):
    id: int
    body: str
    answer: str | None
    pinned: bool
    created_at: datetime
