"""JSON API for traineeships: the published bases, and the officers' placements."""
from typing import Annotated

from fastapi import APIRouter, Query

from portal.deps import IdPath, OfficerUser, SessionDep, SettingsDep
from portal.traineeships import service
from portal.traineeships.schemas import (
    BasePublic,
    BatchPublic,
    CompletionRecord,
    PlacementPublic,
)

router = APIRouter(prefix="/api/v1", tags=["traineeships"])


def base_public(view: service.BaseView) -> BasePublic:
    return BasePublic.model_validate({**view.base.model_dump(), "organization_name": view.organization.name,
                                      "placed": view.placed})


def placement_public(p: service.Placement) -> PlacementPublic:
    return PlacementPublic(application_id=p.application.id, graduate_name=p.graduate.display_name, school=p.profile.school,
                           position_id=p.position.id, position_title=p.position.title,
                           organization_name=p.organization.name, hired_at=p.application.updated_at,
                           outcome=p.completion.outcome if p.completion else None,
                           ended_on=p.completion.ended_on if p.completion else None)


@router.get("/traineeships/batches", response_model=list[BatchPublic])
def published_batches(session: SessionDep):
    return [BatchPublic.model_validate(b, from_attributes=True) for b in service.batches(session, published_only=True)]


@router.get("/traineeships/batches/{batch_id}/bases", response_model=list[BasePublic])
def batch_bases(batch_id: IdPath, session: SessionDep):
    batch = service.get_batch(session, batch_id, published_only=True)
    return [base_public(view) for view in service.bases_of(session, batch.id)]


@router.get("/traineeships/placements", response_model=list[PlacementPublic])
def placements(user: OfficerUser, session: SessionDep,
               show: Annotated[str, Query(pattern="^(current|ended)$")] = "current"):
    """Graduates in traineeships whom the officer looks after, or hosted in the officer's districts."""
    return [placement_public(p) for p in service.placements(session, officer=user, ended=show == "ended")]


@router.post("/traineeships/placements/{application_id}/completion", response_model=PlacementPublic)
def record_completion(application_id: IdPath, record: CompletionRecord, user: OfficerUser, session: SessionDep,
                      settings: SettingsDep):
    service.record_completion(session, settings=settings, officer=user, application_id=application_id, record=record)
    return next(placement_public(p) for p in service.placements(session, officer=user, ended=True)
                if p.application.id == application_id)
