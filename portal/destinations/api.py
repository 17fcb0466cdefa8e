"""The destinations API: the same services as the pages."""
from typing import Annotated

from fastapi import APIRouter, Query

from portal.accounts.models import User
from portal.clock import today
from portal.deps import GraduateUser, OfficerUser, SessionDep, SettingsDep
from portal.destinations import categories, followup, service, transfers
from portal.destinations.models import Destination, TransferRequest
from portal.destinations.schemas import (
    CategoryPublic,
    DestinationPublic,
    DestinationReport,
    DestinationReview,
    FollowUpCasePublic,
    FollowUpEntryCreate,
    FollowUpEntryPublic,
    StatRow,
    TransferAdvance,
    TransferCreate,
    TransferPublic,
    TransferStepPublic,
)
from portal.errors import NotFound
from portal.i18n import gettext

router = APIRouter(prefix="/api/v1", tags=["destinations"])


def _public(destination: Destination) -> DestinationPublic:
    return DestinationPublic(**destination.model_dump(), national_code=categories.get(destination.category).national_code)


def _transfer(request: TransferRequest, steps) -> TransferPublic:
    return TransferPublic(**request.model_dump(), steps=[
        TransferStepPublic.model_validate(s, from_attributes=True) for s in steps
    ])


@router.get("/destination-categories", response_model=list[CategoryPublic])
def destination_categories():
    return [CategoryPublic(code=c.code, national_code=c.national_code, label=gettext(c.label), group=c.group)
            for c in categories.all_categories()]


@router.get("/me/destination", response_model=DestinationPublic)
def read_my_destination(user: GraduateUser, session: SessionDep):
    destination = service.get_destination(session, user.id)
    if destination is None:
        raise NotFound("You have not registered a destination yet.")
    return _public(destination)


@router.put("/me/destination", response_model=DestinationPublic)
def register_my_destination(report: DestinationReport, user: GraduateUser, session: SessionDep):
    return _public(service.register(session, graduate=user, report=report))


@router.post("/destinations/{graduate_id}/review", response_model=DestinationPublic)
def review_destination(graduate_id: int, body: DestinationReview, user: OfficerUser, session: SessionDep):
    return _public(service.review(session, officer=user, graduate_id=graduate_id, confirm=body.confirm, note=body.note))


@router.get("/destinations/stats", response_model=list[StatRow])
def destination_stats(user: OfficerUser, session: SessionDep, by: Annotated[str, Query(max_length=16)] = "school",
                      year: int | None = None):
    return service.stats(session, officer=user, by=by, graduation_year=year or today().year)


@router.get("/me/transfers", response_model=list[TransferPublic])
def my_transfers(user: GraduateUser, session: SessionDep):
    requests = transfers.for_graduate(session, graduate=user)
    steps = transfers.steps(session, [r.id for r in requests])
    return [_transfer(r, steps[r.id]) for r in requests]


@router.post("/me/transfers", response_model=TransferPublic, status_code=201)
def request_transfer(body: TransferCreate, user: GraduateUser, session: SessionDep):
    request = transfers.request_transfer(session, graduate=user, data=body)
    return _transfer(request, transfers.steps(session, [request.id])[request.id])


@router.post("/transfers/{request_id}/steps", response_model=TransferPublic)
def advance_transfer(request_id: int, body: TransferAdvance, user: OfficerUser, session: SessionDep,
                     settings: SettingsDep):
    request = transfers.advance(session, settings=settings, officer=user, request_id=request_id, data=body)
    return _transfer(request, transfers.steps(session, [request.id])[request.id])


def _case(session, case, name: str) -> FollowUpCasePublic:
    return FollowUpCasePublic(**case.model_dump(), graduate_name=name, entries=[
        FollowUpEntryPublic.model_validate(e, from_attributes=True) for e in followup.entries(session, case.id)
    ])


@router.get("/follow-up", response_model=list[FollowUpCasePublic])
def follow_up_cases(user: OfficerUser, session: SessionDep, closed: bool = False):
    return [_case(session, case, graduate.display_name)
            for case, graduate, _, _ in followup.list_cases(session, officer=user, open_only=not closed)]


@router.post("/follow-up/{case_id}/entries", response_model=FollowUpCasePublic, status_code=201)
def add_follow_up_entry(case_id: int, body: FollowUpEntryCreate, user: OfficerUser, session: SessionDep):
    followup.add_entry(session, officer=user, case_id=case_id, entry=body)
    case = followup.get_case(session, officer=user, case_id=case_id)
    return _case(session, case, session.get(User, case.graduate_id).display_name)
