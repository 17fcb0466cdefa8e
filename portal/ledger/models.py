"""The support ledger (帮扶工作台账): one case, one file and one plan per priority graduate.

Everything here is sensitive. Only officers whose scope covers the graduate may read it (portal/ledger/service.py
enforces that), and nothing in it ever reaches an employer.
"""
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from portal.clock import utcnow
from portal.crypto import EncryptedJSON, EncryptedText


class LedgerCategory(SQLModel, table=True):
    """A priority category. The list is data: a city adds a row, no code changes."""

    code: str = Field(primary_key=True, max_length=40)
    label_zh: str = Field(max_length=100)
    label_en: str = Field(max_length=100)
    # Cases in this category only take positions whose workplace is accessible.
    needs_accessible: bool = False
    is_active: bool = True
    sort_order: int = 100
    created_at: datetime = Field(default_factory=utcnow)


# Seeded on first use (service.ensure_categories); codes are stable, labels may be edited.
DEFAULT_CATEGORIES = (
    ("poverty_alleviated", "脱贫家庭", "Poverty-alleviated family", False, 10),
    ("minimum_subsistence", "低保家庭", "Minimum-subsistence (低保) family", False, 20),
    ("zero_employment", "零就业家庭", "Zero-employment family", False, 30),
    ("disability", "残疾", "Disability", True, 40),
)


class CaseStatus(StrEnum):
    active = "active"
    closed = "closed"


class CloseReason(StrEnum):
    agreement_signed = "agreement_signed"
    destination_registered = "destination_registered"
    by_officer = "by_officer"


class LedgerCase(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    graduate_id: int = Field(foreign_key="user.id", unique=True)
    status: str = Field(default=CaseStatus.active, max_length=16, index=True)
    # Sensitive: encrypted at rest (portal/crypto.py).
    categories: list[str] = Field(default_factory=list, sa_column=Column(EncryptedJSON, nullable=False))
    evidence: str = Field(default="", max_length=2000, sa_column=Column(EncryptedText, nullable=False))  # certificates, letters …
    family_income_note: str | None = Field(default=None, max_length=1000, sa_column=Column(EncryptedText))
    consent_given: bool = False
    consent_note: str = Field(default="", max_length=1000)  # how consent was recorded (signed form, online …)
    consent_at: datetime | None = None
    officer_id: int | None = Field(default=None, foreign_key="user.id", index=True)  # responsible officer
    # Stated constraints; empty preferred_districts = the resume's expected districts (or anywhere).
    preferred_districts: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    needs_accessible: bool = False
    opened_at: datetime = Field(default_factory=utcnow)
    opened_by_id: int | None = Field(default=None, foreign_key="user.id")
    open_reason: str = Field(default="", max_length=500)
    closed_at: datetime | None = None
    close_reason: str | None = Field(default=None, max_length=40)
    close_note: str | None = Field(default=None, max_length=500)
    # The guarantee's state after the last top-up: live offers held and, when below three, why.
    offers_held: int = 0
    shortfall_reason: str | None = Field(default=None, max_length=40, index=True)
    shortfall_detail: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    last_topup_at: datetime | None = None
    updated_at: datetime = Field(default_factory=utcnow)


class LedgerCaseEvent(SQLModel, table=True):
    """The case's own history: opened, closed, reopened, categories changed."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="ledgercase.id", index=True)
    kind: str = Field(max_length=30)
    note: str = Field(default="", max_length=1000)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class ContactChannel(StrEnum):
    phone = "phone"
    visit = "visit"
    meeting = "meeting"
    message = "message"
    email = "email"


class LedgerContact(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="ledgercase.id", index=True)
    contacted_on: date
    channel: str = Field(max_length=16)
    who: str = Field(max_length=200)  # who took part
    summary: str = Field(max_length=2000)
    agreed: str = Field(default="", max_length=2000)  # what was agreed
    officer_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class LedgerDocument(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="ledgercase.id", index=True)
    title: str = Field(max_length=200)
    stored_name: str = Field(max_length=200)  # under uploads/ledger/, never a web path
    original_name: str = Field(max_length=200)
    content_type: str = Field(max_length=100)
    size: int
    uploaded_by_id: int | None = Field(default=None, foreign_key="user.id")
    uploaded_at: datetime = Field(default_factory=utcnow)


class MeasureKind(StrEnum):
    job_recommendation = "job_recommendation"
    guidance_session = "guidance_session"
    skills_training = "skills_training"
    subsidy = "subsidy"
    mental_health = "mental_health"
    accommodation = "accommodation"


class MeasureStatus(StrEnum):
    planned = "planned"
    in_progress = "in_progress"
    done = "done"
    cancelled = "cancelled"


class LedgerMeasure(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="ledgercase.id", index=True)
    kind: str = Field(max_length=30)
    description: str = Field(max_length=1000)
    officer_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    target_date: date = Field(index=True)
    status: str = Field(default=MeasureStatus.planned, max_length=16, index=True)
    outcome: str = Field(default="", max_length=1000)
    link: str | None = Field(default=None, max_length=200)  # the portal page that carries it out, e.g. a programme
    created_at: datetime = Field(default_factory=utcnow)
    done_at: datetime | None = None


class OfferStatus(StrEnum):
    proposed = "proposed"  # the matcher proposed it; an officer has yet to confirm
    offered = "offered"
    applied = "applied"
    withdrawn = "withdrawn"
    lapsed = "lapsed"


LIVE_OFFER_STATUSES = (OfferStatus.offered, OfferStatus.applied)


class LapseReason(StrEnum):
    position_closed = "position_closed"
    position_filled = "position_filled"
    position_expired = "position_expired"
    application_rejected = "application_rejected"
    application_withdrawn = "application_withdrawn"
    no_longer_suitable = "no_longer_suitable"
    case_closed = "case_closed"


class LedgerOffer(SQLModel, table=True):
    """A position offered to a graduate in the ledger. A position is never offered twice to one graduate."""

    __table_args__ = (UniqueConstraint("graduate_id", "position_id"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="ledgercase.id", index=True)
    graduate_id: int = Field(foreign_key="user.id", index=True)
    position_id: int = Field(foreign_key="position.id", index=True)
    status: str = Field(default=OfferStatus.offered, max_length=16, index=True)
    auto: bool = False  # offered by the automatic top-up rather than an officer
    offered_by_id: int | None = Field(default=None, foreign_key="user.id")
    is_support: bool = False
    fit: int = 0
    score: float = 0.0
    reasons: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))  # snapshot at offer time
    lapse_reason: str | None = Field(default=None, max_length=40)
    application_id: int | None = Field(default=None, foreign_key="application.id")
    created_at: datetime = Field(default_factory=utcnow)
    offered_at: datetime | None = None
    status_changed_at: datetime = Field(default_factory=utcnow)


class EnrolmentRequestStatus(StrEnum):
    submitted = "submitted"
    approved = "approved"
    declined = "declined"


class LedgerEnrolmentRequest(SQLModel, table=True):
    """A graduate's own request for employment support services (就业帮扶服务申请)."""

    id: int | None = Field(default=None, primary_key=True)
    graduate_id: int = Field(foreign_key="user.id", index=True)
    categories: list[str] = Field(default_factory=list, sa_column=Column(EncryptedJSON, nullable=False))
    statement: str = Field(default="", max_length=2000, sa_column=Column(EncryptedText, nullable=False))
    preferred_districts: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    needs_accessible: bool = False
    consent_given: bool = False
    status: str = Field(default=EnrolmentRequestStatus.submitted, max_length=16, index=True)
    decided_by_id: int | None = Field(default=None, foreign_key="user.id")
    decided_at: datetime | None = None
    decision_note: str | None = Field(default=None, max_length=1000)
    created_at: datetime = Field(default_factory=utcnow)
