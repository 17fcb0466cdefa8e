"""Personnel files in public custody (流动人员人事档案): the public talent service agencies, their officers, the files
they keep, every step a person sees, and what people ask of a kept file."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Index, text
from sqlmodel import Field, SQLModel

from portal.clock import utcnow
from portal.crypto import EncryptedJSON, EncryptedText


class TalentAgency(SQLModel, table=True):
    """A public talent service agency (人才服务中心) that keeps personnel files."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    district: str = Field(max_length=20)
    address: str = Field(max_length=300)
    phone: str = Field(max_length=20)
    created_at: datetime = Field(default_factory=utcnow)


class AgencyOfficer(SQLModel, table=True):
    """An officer's agency scope: the files their agency keeps or is asked to keep, and nothing else of it."""

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    agency_id: int = Field(foreign_key="talentagency.id", index=True)


class ApplicantKind(StrEnum):
    no_employer = "no_employer"  # a university or secondary vocational graduate without an employer
    study_abroad = "study_abroad"  # studying abroad at their own expense
    private_abroad = "private_abroad"  # abroad for private reasons


class FileSource(StrEnum):
    school = "school"  # still at the school: it comes by the portal's transfer flow
    elsewhere = "elsewhere"  # with a former employer or another agency: it comes by their post


class FileStatus(StrEnum):
    applied = "applied"
    accepted = "accepted"  # the agency waits for the file
    refused = "refused"
    in_custody = "in_custody"
    transferred_out = "transferred_out"
    withdrawn = "withdrawn"


LIVE_FILE_STATUSES = (FileStatus.applied, FileStatus.accepted, FileStatus.in_custody)

# What a graduate's personnel file holds, as the agency checks it on receipt.
CONTENTS_CHECKLIST = (
    "graduate_registration_form", "transcript", "student_status_records", "physical_examination",
    "party_league_records", "awards_and_penalties", "admission_records", "employment_registration",
)


class PersonnelFile(SQLModel, table=True):
    # One live custody per person, whatever the code above it does.
    __table_args__ = (Index("one_live_file_per_person", "person_id", unique=True,
                            postgresql_where=text("status IN ('applied', 'accepted', 'in_custody')"),
                            sqlite_where=text("status IN ('applied', 'accepted', 'in_custody')")),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="user.id", index=True)
    agency_id: int = Field(foreign_key="talentagency.id", index=True)
    applicant_kind: str = Field(max_length=20)
    id_number: str = Field(max_length=18, sa_column=Column(EncryptedText, nullable=False))  # 居民身份证号码
    phone: str = Field(max_length=20)
    abroad_country: str | None = Field(default=None, max_length=60)
    file_source: str = Field(max_length=16)
    file_holder: str | None = Field(default=None, max_length=200)  # where the file is now, when not at the school
    transfer_request_id: int | None = Field(default=None, foreign_key="transferrequest.id")
    status: str = Field(default=FileStatus.applied, max_length=16, index=True)
    archive_number: str | None = Field(default=None, max_length=30, unique=True)
    # The file's contents: the agency's alone, every read audited.
    contents: list[str] = Field(default_factory=list, sa_column=Column(EncryptedJSON, nullable=False))
    location: str | None = Field(default=None, max_length=100, sa_column=Column(EncryptedText))
    received_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class FileStep(SQLModel, table=True):
    """One step of a file's story, as the person sees it."""

    id: int | None = Field(default=None, primary_key=True)
    file_id: int = Field(foreign_key="personnelfile.id", index=True)
    kind: str = Field(max_length=30)
    note: str | None = Field(default=None, max_length=1000)
    tracking_number: str | None = Field(default=None, max_length=60)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class FileServiceKind(StrEnum):
    custody_certificate = "custody_certificate"  # 存档证明
    political_review = "political_review"  # 政审材料 for a new employer
    transfer_out = "transfer_out"  # to an employer that takes the file
    lost_item = "lost_item"  # a missing item followed up


class FileServiceStatus(StrEnum):
    requested = "requested"
    done = "done"
    refused = "refused"


class FileService(SQLModel, table=True):
    """Something a person asks of their kept file, and what the agency did."""

    id: int | None = Field(default=None, primary_key=True)
    file_id: int = Field(foreign_key="personnelfile.id", index=True)
    kind: str = Field(max_length=20)
    status: str = Field(default=FileServiceStatus.requested, max_length=16, index=True)
    details: str = Field(default="", max_length=1000)
    receiving_unit: str | None = Field(default=None, max_length=200)
    receiving_address: str | None = Field(default=None, max_length=300)
    tracking_number: str | None = Field(default=None, max_length=60)
    certificate_number: str | None = Field(default=None, max_length=40, unique=True)
    answer: str | None = Field(default=None, max_length=1000)
    decided_by_id: int | None = Field(default=None, foreign_key="user.id")
    decided_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
