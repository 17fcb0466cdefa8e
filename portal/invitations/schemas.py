from datetime import datetime

from pydantic import BaseModel, Field

from portal.validation import CleanInput


class InvitationCreate(CleanInput):
    message: str = Field(default="", max_length=500)


class InvitationPublic(BaseModel):
    """An invitation as the graduate sees it."""

    id: int
    position_id: int
    position_title: str
    organization_name: str
    message: str | None
    fit: int
    reasons: dict
    status: str
    application_id: int | None
    created_at: datetime
    responded_at: datetime | None
