"""Training-subsidy applications, their documents and their history."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from portal.clock import utcnow


class SubsidyStatus(StrEnum):
    draft = "draft"  # documents being gathered
    submitted = "submitted"
    more_requested = "more_requested"  # the officer asked for more documents
    resubmitted = "resubmitted"
    approved = "approved"
    rejected = "rejected"


DECIDABLE = (SubsidyStatus.submitted, SubsidyStatus.resubmitted)
EDITABLE = (SubsidyStatus.draft, SubsidyStatus.more_requested)


class PaymentStatus(StrEnum):
    unpaid = "unpaid"
    paid = "paid"


class DocumentKind(StrEnum):
    id_card = "id_card"
    certificate = "certificate"
    bank_card = "bank_card"
    fee_receipt = "fee_receipt"
    other = "other"


REQUIRED_DOCUMENTS = (DocumentKind.id_card, DocumentKind.certificate, DocumentKind.bank_card)


class SubsidyApplication(SQLModel, table=True):
    # One claim per graduate and programme, ever: the database refuses a second, whoever asks and however fast.
    __table_args__ = (UniqueConstraint("graduate_id", "programme_id"),)
    id: int | None = Field(default=None, primary_key=True)
    graduate_id: int = Field(foreign_key="user.id", index=True)
    programme_id: int = Field(foreign_key="trainingprogramme.id", index=True)
    enrolment_id: int = Field(foreign_key="trainingenrolment.id", unique=True)
    # The subsidy group the claim rests on; "priority_group" is sensitive (officers in scope and the graduate only).
    eligible_group: str = Field(max_length=32)
    amount_claimed: int  # yuan
    status: str = Field(default=SubsidyStatus.draft, max_length=16, index=True)
    graduate_note: str = Field(default="", max_length=1000)
    request_note: str | None = Field(default=None, max_length=1000)  # what the officer asked for
    decision_reason: str | None = Field(default=None, max_length=1000)
    approved_amount: int | None = None
    payment_status: str | None = Field(default=None, max_length=16, index=True)
    payment_reference: str | None = Field(default=None, max_length=100)
    paid_at: datetime | None = None
    decided_by_id: int | None = Field(default=None, foreign_key="user.id")
    decided_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    submitted_at: datetime | None = None
    updated_at: datetime = Field(default_factory=utcnow)


class SubsidyDocument(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="subsidyapplication.id", index=True)
    kind: str = Field(max_length=16)
    original_name: str = Field(max_length=200)
    storage_key: str = Field(max_length=200)  # a key of our own in portal.storage, never a web path
    content_type: str = Field(max_length=40)
    size: int
    uploaded_at: datetime = Field(default_factory=utcnow)


class SubsidyEvent(SQLModel, table=True):
    """The application's history, as the graduate and the officer both see it."""

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="subsidyapplication.id", index=True)
    action: str = Field(max_length=20)
    note: str = Field(default="", max_length=1000)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
