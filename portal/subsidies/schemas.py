"""What graduates and officers send about subsidy applications, and what they see of them."""
from datetime import datetime

from pydantic import BaseModel, Field, field_validator

from portal.subsidies.models import DocumentKind
from portal.validation import CleanInput, RowId


def _explained(value: str) -> str:
    value = (value or "").strip()
    if len(value) < 2:
        raise ValueError("Say in a few words what the graduate should know.")
    return value


class SubsidyStart(CleanInput):
    programme_id: RowId


class DocumentUpload(CleanInput):
    kind: DocumentKind


class SubmitRequest(CleanInput):
    note: str = Field(default="", max_length=1000)


class MoreRequest(CleanInput):
    note: str = Field(max_length=1000, description="What is missing or unclear")
    _note = field_validator("note")(_explained)


class Rejection(CleanInput):
    reason: str = Field(max_length=1000)
    _reason = field_validator("reason")(_explained)


class Approval(CleanInput):
    amount: int = Field(ge=1, le=100_000, description="Yuan; at most the amount claimed")


class PaymentRecord(CleanInput):
    reference: str = Field(min_length=2, max_length=100, description="The finance office's payment reference")

    @field_validator("reference", mode="before")
    @classmethod
    def _strip(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value


class DocumentPublic(BaseModel):
    id: int
    kind: str
    original_name: str
    content_type: str
    size: int
    uploaded_at: datetime


class EventPublic(BaseModel):
    action: str
    note: str
    created_at: datetime


class SubsidyPublic(BaseModel):
    id: int
    programme_id: int
    programme_title: str
    graduate_id: int
    eligible_group: str
    amount_claimed: int
    status: str
    graduate_note: str
    request_note: str | None
    decision_reason: str | None
    approved_amount: int | None
    payment_status: str | None
    payment_reference: str | None
    paid_at: datetime | None
    submitted_at: datetime | None
    decided_at: datetime | None
    documents: list[DocumentPublic]
    events: list[EventPublic]


class SubsidyRow(BaseModel):
    """A line of an officer's list."""

    id: int
    graduate_name: str
    school: str
    programme_title: str
    amount_claimed: int
    status: str
    approved_amount: int | None
    payment_status: str | None
    submitted_at: datetime | None


class SubsidyRowPage(BaseModel):
    items: list[SubsidyRow]
    total: int
    page: int
    pages: int
