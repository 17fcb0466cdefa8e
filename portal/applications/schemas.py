"""Application shapes for the JSON API."""
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from portal.applications.models import Application, ApplicationEvent


class ApplicationCreate(BaseModel):
    position_id: int = Field(gt=0, lt=2**31)
    cover_note: str | None = Field(default=None, max_length=2000)


class StageMove(BaseModel):
    status: Literal["viewed", "shortlisted", "interview", "offer", "hired", "rejected"]
    message: str | None = Field(default=None, max_length=2000)


class EventPublic(BaseModel):
    status: str
    message: str | None
    created_at: datetime


class ApplicationPublic(BaseModel):
    """An application as its graduate sees it."""

    id: int
    position_id: int
    position_title: str
    organization_id: int
    organization_name: str
    status: str
    cover_note: str | None
    has_pdf: bool
    created_at: datetime
    updated_at: datetime
    events: list[EventPublic] = []


class ApplicantPublic(BaseModel):
    """An application as the employer's list shows it."""

    id: int
    position_id: int
    graduate_id: int
    graduate_name: str
    school: str | None
    major: str | None
    degree: str | None
    graduation_year: int | None
    headline: str | None
    status: str
    has_pdf: bool
    created_at: datetime
    first_response_at: datetime | None


class ApplicantDetail(ApplicantPublic):
    cover_note: str | None
    resume_snapshot: dict
    events: list[EventPublic] = []


def application_public(view, events: list[ApplicationEvent] | None = None) -> ApplicationPublic:
    a: Application = view.application
    return ApplicationPublic(
        id=a.id, position_id=a.position_id, position_title=view.position.title,
        organization_id=view.organization.id, organization_name=view.organization.name, status=a.status,
        cover_note=a.cover_note, has_pdf=bool(a.resume_pdf_file), created_at=a.created_at, updated_at=a.updated_at,
        events=[EventPublic(status=e.status, message=e.message, created_at=e.created_at) for e in events or []],
    )


def applicant_public(view, events: list[ApplicationEvent] | None = None, detail: bool = False):
    a: Application = view.application
    profile = a.resume_snapshot.get("profile", {})
    fields = dict(
        id=a.id, position_id=a.position_id, graduate_id=a.graduate_id, graduate_name=view.graduate.display_name,
        school=profile.get("school"), major=profile.get("major"), degree=profile.get("degree"),
        graduation_year=profile.get("graduation_year"), headline=a.resume_snapshot.get("resume", {}).get("headline"),
        status=a.status, has_pdf=bool(a.resume_pdf_file), created_at=a.created_at, first_response_at=a.first_response_at,
    )
    if not detail:
        return ApplicantPublic(**fields)
    return ApplicantDetail(
        **fields, cover_note=a.cover_note, resume_snapshot=a.resume_snapshot,
        events=[EventPublic(status=e.status, message=e.message, created_at=e.created_at) for e in events or []],
    )
