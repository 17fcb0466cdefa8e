"""JSON API for positions: the employer's CRUD and lifecycle, the officers' review, the public read."""
from typing import Annotated

from fastapi import APIRouter, Body, Query, Request
from pydantic import BaseModel
from sqlmodel import Session

from portal.deps import EmployerUser, IdPath, OfficerUser, OptionalUser, SessionDep, SettingsDep, client_ip
from portal.employers.models import Organization, OrganizationStatus
from portal.positions import service
from portal.positions.models import Position
from portal.positions.schemas import (
    EmployerSummary,
    PositionCreate,
    PositionPage,
    PositionPrivate,
    PositionPublic,
    PositionUpdate,
    RejectRequest,
)
from portal.settings import Settings

router = APIRouter(prefix="/api/v1", tags=["positions"])

PageQuery = Annotated[int, Query(ge=1, le=100_000)]
StatusQuery = Annotated[
    str | None, Query(pattern="^(draft|pending_review|rejected|published|closed|expired)$")
]


class CloseRequest(BaseModel):
    filled: bool = False


def _employer(organization: Organization) -> EmployerSummary:
    return EmployerSummary(id=organization.id, name=organization.name, district=organization.district,
                           industry=organization.industry, size=organization.size,
                           verified=organization.status == OrganizationStatus.verified)


def _public_fields(position: Position, organization: Organization) -> dict:
    return dict(
        **{name: getattr(position, name) for name in PositionPublic.model_fields if hasattr(Position, name)},
        is_open=service.is_open(position, organization),
        employer=_employer(organization),
    )


def to_public(position: Position, organization: Organization) -> PositionPublic:
    return PositionPublic(**_public_fields(position, organization))


def to_private(session: Session, position: Position, settings: Settings, organization: Organization | None = None
               ) -> PositionPrivate:
    organization = organization or session.get(Organization, position.organization_id)
    fields = _public_fields(position, organization)
    for name in ("close_reason", "review_note", "created_at", "updated_at", "reconfirmed_at", "closed_at"):
        fields[name] = getattr(position, name)
    return PositionPrivate(**fields, reconfirm_due=service.reconfirm_due(position, settings))


@router.get("/positions/{position_id}", response_model=PositionPrivate | PositionPublic)
def read_position(position_id: IdPath, user: OptionalUser, session: SessionDep, settings: SettingsDep):
    """An open position, for anyone; its own recruiters and the officers overseeing it also see the rest."""
    view = service.position_for_viewer(session, user=user, position_id=position_id)
    if view.is_own or view.is_officer:
        return to_private(session, view.position, settings, view.organization)
    return to_public(view.position, view.organization)


@router.post("/positions", response_model=PositionPrivate, status_code=201)
def create_position(position: PositionCreate, user: EmployerUser, session: SessionDep, settings: SettingsDep):
    """A new draft for the recruiter's organisation."""
    return to_private(session, service.create_position(session, user=user, position=position), settings)


@router.patch("/positions/{position_id}", response_model=PositionPrivate)
def update_position(position_id: IdPath, changes: PositionUpdate, user: EmployerUser, session: SessionDep,
                    settings: SettingsDep):
    """Changes the fields sent. A published position goes back to review."""
    position = service.update_position(session, user=user, position_id=position_id, changes=changes)
    return to_private(session, position, settings)


@router.post("/positions/{position_id}/submit", response_model=PositionPrivate)
def submit_position(position_id: IdPath, user: EmployerUser, session: SessionDep, settings: SettingsDep):
    return to_private(session, service.submit_position(session, user=user, position_id=position_id), settings)


@router.post("/positions/{position_id}/close", response_model=PositionPrivate)
def close_position(position_id: IdPath, user: EmployerUser, session: SessionDep, settings: SettingsDep,
                   body: Annotated[CloseRequest | None, Body()] = None):
    position = service.close_position(session, user=user, position_id=position_id, filled=bool(body and body.filled))
    return to_private(session, position, settings)


@router.post("/positions/{position_id}/reconfirm", response_model=PositionPrivate)
def reconfirm_position(position_id: IdPath, user: EmployerUser, session: SessionDep, settings: SettingsDep):
    """"Still hiring": keeps a published position up for another reconfirmation period."""
    return to_private(session, service.reconfirm_position(session, user=user, position_id=position_id), settings)


@router.post("/positions/{position_id}/duplicate", response_model=PositionPrivate, status_code=201)
def duplicate_position(position_id: IdPath, user: EmployerUser, session: SessionDep, settings: SettingsDep):
    return to_private(session, service.duplicate_position(session, user=user, position_id=position_id), settings)


@router.get("/employer/positions", response_model=PositionPage)
def employer_positions(user: EmployerUser, session: SessionDep, settings: SettingsDep, status: StatusQuery = None,
                       page: PageQuery = 1):
    """The recruiter's organisation's positions, most recently changed first."""
    listing = service.list_employer_positions(session, user=user, status=status, page=page)
    return PositionPage(items=[to_private(session, p, settings) for p in listing.items], total=listing.total,
                        page=listing.page, pages=listing.pages)


@router.get("/review/positions", response_model=PositionPage)
def review_queue(user: OfficerUser, session: SessionDep, settings: SettingsDep,
                 status: StatusQuery = "pending_review", page: PageQuery = 1):
    """Positions in the officer's districts; by default those waiting for review, oldest first."""
    listing = service.review_queue(session, officer=user, status=status, page=page)
    return PositionPage(items=[to_private(session, p, settings, o) for p, o in listing.items], total=listing.total,
                        page=listing.page, pages=listing.pages)


@router.post("/positions/{position_id}/approve", response_model=PositionPrivate)
def approve_position(position_id: IdPath, request: Request, user: OfficerUser, session: SessionDep,
                     settings: SettingsDep):
    position = service.approve_position(session, officer=user, position_id=position_id, ip=client_ip(request),
                                        settings=settings)
    return to_private(session, position, settings)


@router.post("/positions/{position_id}/reject", response_model=PositionPrivate)
def reject_position(position_id: IdPath, decision: RejectRequest, request: Request, user: OfficerUser,
                    session: SessionDep, settings: SettingsDep):
    position = service.reject_position(session, officer=user, position_id=position_id, reason=decision.reason,
                                       ip=client_ip(request), settings=settings)
    return to_private(session, position, settings)
