"""Career guidance: counsellors officers invite, the slots advisers publish, graduates' appointments, and the
adviser's private notes and follow-up actions."""
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Index, text
from sqlmodel import Field, SQLModel

from portal.clock import utcnow
from portal.crypto import EncryptedText


class GuidanceMode(StrEnum):
    in_person = "in_person"
    video = "video"  # in a video room like the interviews'


class AppointmentStatus(StrEnum):
    booked = "booked"
    cancelled = "cancelled"
    completed = "completed"
    missed = "missed"  # the graduate did not come


class Counsellor(SQLModel, table=True):
    """A career counsellor an officer invited (an invited account): where they work, and the officer who answers
    for them (their follow-up actions reach a support plan through that officer when the graduate is in scope)."""

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    organisation: str = Field(max_length=120)
    specialties: str = Field(default="", max_length=300)
    invited_by_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)


class GuidanceSlot(SQLModel, table=True):
    """A time an adviser (an officer or a counsellor) offers. `graduate_id` is whoever holds it: taken by one
    conditional UPDATE, so two graduates racing for a slot can never both get it."""

    id: int | None = Field(default=None, primary_key=True)
    adviser_id: int = Field(foreign_key="user.id", index=True)
    starts_at: datetime = Field(index=True)
    duration_minutes: int = 45
    mode: str = Field(max_length=16)
    place: str | None = Field(default=None, max_length=200)  # in person: where
    note: str = Field(default="", max_length=500)  # what the adviser offers in it, e.g. 简历修改
    graduate_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    withdrawn_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class GuidanceAppointment(SQLModel, table=True):
    # One live appointment per slot, whatever the code above it does.
    __table_args__ = (Index("one_booking_per_slot", "slot_id", unique=True,
                            postgresql_where=text("status = 'booked'"), sqlite_where=text("status = 'booked'")),)
    id: int | None = Field(default=None, primary_key=True)
    slot_id: int = Field(foreign_key="guidanceslot.id", index=True)
    adviser_id: int = Field(foreign_key="user.id", index=True)
    graduate_id: int = Field(foreign_key="user.id", index=True)
    topic: str = Field(max_length=1000)  # what the graduate wants to talk about
    status: str = Field(default=AppointmentStatus.booked, max_length=16, index=True)
    # The adviser's alone: never shown to the graduate, an employer or another adviser.
    private_notes: str | None = Field(default=None, max_length=5000, sa_column=Column(EncryptedText))
    cancelled_by_id: int | None = Field(default=None, foreign_key="user.id")
    cancel_reason: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class GuidanceAction(SQLModel, table=True):
    """A follow-up action the adviser agreed with the graduate; the graduate sees it, and so does their support plan
    when they are in the ledger (the measure it became)."""

    id: int | None = Field(default=None, primary_key=True)
    appointment_id: int = Field(foreign_key="guidanceappointment.id", index=True)
    graduate_id: int = Field(foreign_key="user.id", index=True)
    description: str = Field(max_length=500)
    due_on: date
    done_at: datetime | None = None
    ledger_measure_id: int | None = Field(default=None, foreign_key="ledgermeasure.id")
    created_by_id: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
