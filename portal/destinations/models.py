from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from portal.clock import utcnow


class DestinationStatus(StrEnum):
    reported = "reported"  # waiting for an officer to check it
    confirmed = "confirmed"
    returned = "returned"  # the officer sent it back for correction


class DestinationSource(StrEnum):
    graduate = "graduate"
    agreement = "agreement"
    officer = "officer"


class Destination(SQLModel, table=True):
    """A graduate's current destination (毕业去向); every change is also kept in DestinationChange."""

    graduate_id: int = Field(foreign_key="user.id", primary_key=True)
    category: str = Field(max_length=32, index=True)
    employer_name: str | None = Field(default=None, max_length=200)
    organization_id: int | None = Field(default=None, foreign_key="organization.id")
    agreement_id: int | None = Field(default=None, foreign_key="agreement.id")
    work_district: str | None = Field(default=None, max_length=40)
    work_place: str | None = Field(default=None, max_length=300)
    note: str | None = Field(default=None, max_length=1000)
    source: str = Field(default=DestinationSource.graduate, max_length=16)
    status: str = Field(default=DestinationStatus.reported, max_length=16, index=True)
    status_note: str | None = Field(default=None, max_length=1000)
    confirmed_by_id: int | None = Field(default=None, foreign_key="user.id")
    confirmed_at: datetime | None = None
    updated_at: datetime = Field(default_factory=utcnow)


class DestinationChange(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    graduate_id: int = Field(foreign_key="user.id", index=True)
    category: str = Field(max_length=32)
    employer_name: str | None = Field(default=None, max_length=200)
    source: str = Field(max_length=16)
    status: str = Field(max_length=16)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    note: str | None = Field(default=None, max_length=1000)
    created_at: datetime = Field(default_factory=utcnow)


class FollowUpLevel(StrEnum):
    school = "school"  # the school's employment office
    city = "city"  # the city's public employment service


class FollowUpCase(SQLModel, table=True):
    """A graduate on the named follow-up list (实名制就业服务) after leaving school without a destination."""

    id: int | None = Field(default=None, primary_key=True)
    graduate_id: int = Field(foreign_key="user.id", index=True)
    school: str = Field(max_length=100, index=True)
    graduation_year: int = Field(index=True)
    level: str = Field(default=FollowUpLevel.school, max_length=8, index=True)
    officer_id: int | None = Field(default=None, foreign_key="user.id")  # who is looking after them now
    is_open: bool = Field(default=True, index=True)
    outcome: str | None = Field(default=None, max_length=32)  # a destination category once closed
    opened_at: datetime = Field(default_factory=utcnow)
    closed_at: datetime | None = None


class FollowUpEntryKind(StrEnum):
    contact = "contact"
    service = "service"
    outcome = "outcome"
    handover = "handover"
    opened = "opened"


class FollowUpService(StrEnum):
    guidance = "guidance"
    traineeship = "traineeship"
    training = "training"
    recommendation = "recommendation"


class FollowUpEntry(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="followupcase.id", index=True)
    kind: str = Field(max_length=16)
    service: str | None = Field(default=None, max_length=16)
    channel: str | None = Field(default=None, max_length=40)  # phone, visit, message …
    note: str = Field(default="", max_length=2000)
    officer_id: int | None = Field(default=None, foreign_key="user.id")
    level: str = Field(max_length=8)  # who wrote it: school or city
    created_at: datetime = Field(default_factory=utcnow)


class TransferKind(StrEnum):
    personnel_file = "personnel_file"  # 档案
    household = "household"  # 户籍


class TransferTarget(StrEnum):
    employer = "employer"  # the employing unit
    talent_service = "talent_service"  # public talent service centre, for those without an employer
    home = "home"  # back to the place of origin
    abroad = "abroad"  # kept by the talent service while abroad


class TransferStatus(StrEnum):
    requested = "requested"
    received = "received"  # the school's archive accepted the request
    sent = "sent"  # posted, with a tracking number
    arrived = "arrived"  # received at the destination
    rejected = "rejected"


TRANSFER_FLOW = {
    TransferStatus.requested: (TransferStatus.received, TransferStatus.rejected),
    TransferStatus.received: (TransferStatus.sent, TransferStatus.rejected),
    TransferStatus.sent: (TransferStatus.arrived,),
}


class TransferRequest(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    graduate_id: int = Field(foreign_key="user.id", index=True)
    school: str = Field(max_length=100, index=True)
    kind: str = Field(max_length=16)
    target: str = Field(max_length=16)
    receiving_unit: str = Field(max_length=200)
    receiving_address: str = Field(max_length=300)
    status: str = Field(default=TransferStatus.requested, max_length=16, index=True)
    tracking_number: str | None = Field(default=None, max_length=60)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class TransferStep(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="transferrequest.id", index=True)
    status: str = Field(max_length=16)
    note: str | None = Field(default=None, max_length=1000)
    tracking_number: str | None = Field(default=None, max_length=60)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
