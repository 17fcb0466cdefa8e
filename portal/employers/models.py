from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from portal.clock import utcnow


class OrganizationStatus(StrEnum):
    pending = "pending"
    verified = "verified"
    suspended = "suspended"


class Organization(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, index=True)
    uscc: str = Field(max_length=18, unique=True)  # unified social credit code, GB 32100-2015
    contact_name: str = Field(max_length=100)
    contact_phone: str = Field(max_length=20)
    contact_email: str = Field(max_length=254)
    industry: str = Field(max_length=50)
    size: str = Field(max_length=20)
    district: str = Field(max_length=20, index=True)
    address: str | None = Field(default=None, max_length=300)
    description: str | None = None
    status: str = Field(default=OrganizationStatus.pending, max_length=16, index=True)
    status_reason: str | None = Field(default=None, max_length=500)
    verified_at: datetime | None = None
    verified_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class Recruiter(SQLModel, table=True):
    user_id: int = Field(foreign_key="user.id", primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    is_owner: bool = False
