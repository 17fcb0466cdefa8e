from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from portal.clock import utcnow


class FairKind(StrEnum):
    on_site = "on_site"
    online = "online"
    # Events with registration but no employers' booths: career guidance for a group, the public employment
    # service's day on a campus, innovation and entrepreneurship forums and report meetings (报告会).
    group_guidance = "group_guidance"
    service_day = "service_day"
    forum = "forum"
    report_meeting = "report_meeting"


# The kinds employers take part in (with positions, and booths on site).
JOB_FAIRS = (FairKind.on_site, FairKind.online)


class FairStatus(StrEnum):
    published = "published"
    cancelled = "cancelled"


class ExhibitorStatus(StrEnum):
    requested = "requested"
    approved = "approved"
    rejected = "rejected"


class FairSeries(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=120)
    description: str = Field(default="", max_length=2000)
    organizer_id: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class Fair(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    series_id: int | None = Field(default=None, foreign_key="fairseries.id", index=True)
    kind: str = Field(max_length=16)
    title: str = Field(max_length=120)
    description: str = Field(default="", max_length=4000)
    starts_at: datetime = Field(index=True)
    ends_at: datetime
    registration_deadline: datetime
    venue: str | None = Field(default=None, max_length=200)  # on-site fairs
    district: str | None = Field(default=None, max_length=20)
    link: str | None = Field(default=None, max_length=500)  # online fairs: where the fair is announced
    capacity: int  # graduates
    registered: int = 0  # tickets issued; raised only by a conditional UPDATE, so it never passes capacity
    booths: int = 0  # on-site fairs: booths numbered 1..booths
    sectors: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default=FairStatus.published, max_length=16, index=True)
    organizer_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)


class FairExhibitor(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("fair_id", "organization_id"), UniqueConstraint("fair_id", "booth"))
    id: int | None = Field(default=None, primary_key=True)
    fair_id: int = Field(foreign_key="fair.id", index=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    position_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    booth: int | None = None
    status: str = Field(default=ExhibitorStatus.requested, max_length=16, index=True)
    requested_by_id: int = Field(foreign_key="user.id")
    decided_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class FairTicket(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("fair_id", "graduate_id"),)
    id: int | None = Field(default=None, primary_key=True)
    fair_id: int = Field(foreign_key="fair.id", index=True)
    graduate_id: int = Field(foreign_key="user.id", index=True)
    code: str = Field(max_length=32, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    checked_in_at: datetime | None = None
    checked_in_by_id: int | None = Field(default=None, foreign_key="user.id")


class FairChatMessage(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    fair_id: int = Field(foreign_key="fair.id", index=True)
    organization_id: int = Field(foreign_key="organization.id")
    graduate_id: int = Field(foreign_key="user.id", index=True)
    sender_id: int = Field(foreign_key="user.id")
    body: str = Field(max_length=1000)
    created_at: datetime = Field(default_factory=utcnow)
