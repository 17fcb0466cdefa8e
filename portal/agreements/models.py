from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from portal.clock import utcnow


class AgreementStatus(StrEnum):
    draft = "draft"
    awaiting_graduate = "awaiting_graduate"
    awaiting_school = "awaiting_school"
    signed = "signed"
    cancelled = "cancelled"


class Party(StrEnum):
    employer = "employer"
    graduate = "graduate"
    school = "school"


# Who signs next, in the only order the portal accepts.
SIGNING_ORDER = (Party.employer, Party.graduate, Party.school)
# Each party signs into its own field, declared empty when the document is drawn up.
SIGNATURE_FIELDS = tuple(f"sig_{party.value}" for party in SIGNING_ORDER)
NEXT_STATUS = {
    AgreementStatus.draft: (Party.employer, AgreementStatus.awaiting_graduate),
    AgreementStatus.awaiting_graduate: (Party.graduate, AgreementStatus.awaiting_school),
    AgreementStatus.awaiting_school: (Party.school, AgreementStatus.signed),
}


class AgreementTemplate(SQLModel, table=True):
    """The city's standard agreement text; employers draft from the active version."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    version: int = 1
    standard_clauses: str = Field(sa_column=Column(Text, nullable=False))
    default_breach_terms: str = Field(default="", sa_column=Column(Text, nullable=False))
    default_probation_months: int = 3
    is_active: bool = True
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class AgreementTermsBase(SQLModel):
    position_title: str = Field(max_length=120)
    salary_monthly: int  # yuan, before tax
    probation_months: int = 0
    start_date: date
    work_place: str = Field(max_length=300)
    breach_terms: str = Field(default="", sa_column=Column(Text, nullable=False))
    extra_clauses: str = Field(default="", sa_column=Column(Text, nullable=False))


class Agreement(AgreementTermsBase, table=True):
    # One live (not cancelled) agreement per offer, whatever races the pages lose.
    __table_args__ = (Index("uq_agreement_live_offer", "application_id", unique=True,
                            postgresql_where=text("status <> 'cancelled'"), sqlite_where=text("status <> 'cancelled'")),)
    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=32, unique=True)  # printed on the document, e.g. JY-2026-000123
    verify_code: str = Field(max_length=40, unique=True, index=True)  # the QR code's link
    application_id: int = Field(foreign_key="application.id", index=True)
    graduate_id: int = Field(foreign_key="user.id", index=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    position_id: int = Field(foreign_key="position.id")
    template_id: int = Field(foreign_key="agreementtemplate.id")
    drafted_by_id: int = Field(foreign_key="user.id")
    # What the parties saw when the document was drawn up (names can change later).
    parties: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    school: str = Field(max_length=100, index=True)
    status: str = Field(default=AgreementStatus.draft, max_length=20, index=True)
    pdf_file: str | None = Field(default=None, max_length=200)  # relative to data_dir
    document_sha256: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    updated_at: datetime = Field(default_factory=utcnow)
    signed_at: datetime | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str | None = Field(default=None, max_length=2000)


class AgreementSignature(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("agreement_id", "party"),)
    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True)
    party: str = Field(max_length=16)
    signer_id: int = Field(foreign_key="user.id", index=True)
    organization_id: int | None = Field(default=None, foreign_key="organization.id", index=True)
    field_name: str = Field(max_length=40)
    certificate_serial: str = Field(max_length=64)
    hash_before: str = Field(max_length=64)  # SHA-256 of the document the signer saw
    hash_after: str = Field(max_length=64)
    ip: str | None = Field(default=None, max_length=64)
    timestamped: bool = False
    signed_at: datetime = Field(default_factory=utcnow, index=True)


class AgreementEvent(SQLModel, table=True):
    """The agreement's history: drafted, each signature, each step of a cancellation."""

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True)
    kind: str = Field(max_length=40)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    note: str | None = Field(default=None, max_length=2000)
    created_at: datetime = Field(default_factory=utcnow)


class CancellationStatus(StrEnum):
    requested = "requested"  # waiting for the other party's consent
    consented = "consented"  # waiting for the officer
    approved = "approved"
    refused = "refused"  # by the other party or the officer
    withdrawn = "withdrawn"


class AgreementCancellation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True)
    requested_by_party: str = Field(max_length=16)
    requested_by_id: int = Field(foreign_key="user.id")
    reason: str = Field(max_length=2000)
    status: str = Field(default=CancellationStatus.requested, max_length=16, index=True)
    consented_by_id: int | None = Field(default=None, foreign_key="user.id")
    consented_at: datetime | None = None
    decided_by_id: int | None = Field(default=None, foreign_key="user.id")
    decided_at: datetime | None = None
    decision_note: str | None = Field(default=None, max_length=2000)
    created_at: datetime = Field(default_factory=utcnow)


class PartyCertificate(SQLModel, table=True):
    """A signing certificate the portal's authority issued to a user on their first signature."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    organization: str = Field(max_length=200)  # the subject's O: employer, or school
    serial: str = Field(max_length=64, unique=True)
    subject: str = Field(max_length=500)
    certificate_pem: str = Field(sa_column=Column(Text, nullable=False))
    not_after: datetime
    revoked_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class SigningCode(SQLModel, table=True):
    """A one-time code emailed to a signer who re-confirms without a password (e.g. signed in through SSO)."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True)
    code_hash: str = Field(max_length=64)  # HMAC-SHA256 with the portal's secret key
    attempts: int = 0
    expires_at: datetime
    used_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow, index=True)
